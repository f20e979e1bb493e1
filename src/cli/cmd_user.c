/*
 * cmd_user.c — `fundguard user list|show|passwd|grant|revoke|create|unlock`:
 * the platform's users and roles (authz.h). Reading needs user.read;
 * changing one's own password needs only one's own (even expired) password;
 * every change of users and roles is a proposal for two-person review
 * (`fundguard propose review|approve ID`), never applied here.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authz/authz.h"
#include "cli/cli.h"

enum { FG_USER_POS_MAX = 2 };

typedef struct fg_user_args {
  const char *db, *name, *roles, *agency, *key;
  const char *pos[FG_USER_POS_MAX];
  int npos;
} fg_user_args;

static void fg_user_usage(FILE *f) {
  fprintf(f,
          "用法 usage: fundguard user <子命令> [--db PATH] [--key FILE] ...\n"
          "  list                         列出用户及其角色 (需 user.read)\n"
          "  show USER                    查看用户 (需 user.read)\n"
          "  passwd                       更换本人密码 (新密码取自 FUNDGUARD_NEW_PASSWORD 或终端)\n"
          "  grant USER ROLE              提议授予角色 (需 user.manage；经复核、审批后生效)\n"
          "  revoke USER ROLE             提议撤销角色 (经复核后生效)\n"
          "  create USER --name NAME --roles R1;R2 [--agency AGENCY_ID]\n"
          "                               提议新建用户 (经复核、审批后生效)；--agency 为其所在经办机构，\n"
          "                               不写则属基金监督机构\n"
          "  unlock USER                  提议解锁被锁定的账户 (经复核后生效)\n"
          "  --db PATH    数据库 (默认 ./fundguard.db)\n"
          "  --key FILE   平台私钥: --key，否则环境变量 FUNDGUARD_KEY，否则 PATH.key\n"
          "身份: FUNDGUARD_USER / FUNDGUARD_PASSWORD，或在终端输入。\n");
}

static int fg_user_parse(int argc, char **argv, fg_user_args *a) {
  memset(a, 0, sizeof *a);
  a->db = "fundguard.db";
  for (int i = 2; i < argc; i++) {
    const char **slot = NULL;
    if (strcmp(argv[i], "--db") == 0) slot = &a->db;
    if (strcmp(argv[i], "--name") == 0) slot = &a->name;
    if (strcmp(argv[i], "--roles") == 0) slot = &a->roles;
    if (strcmp(argv[i], "--agency") == 0) slot = &a->agency;
    if (strcmp(argv[i], "--key") == 0) slot = &a->key;
    if (slot != NULL && i + 1 < argc) {
      *slot = argv[++i];
    } else if (slot != NULL || argv[i][0] == '-' || a->npos == FG_USER_POS_MAX) {
      return fg_cli_usage("user", "未知或缺少参数的选项 %s", argv[i]);
    } else {
      a->pos[a->npos++] = argv[i];
    }
  }
  return 0;
}

/* "handler;reviewer" -> "handler（经办）; reviewer（复核）" */
static void fg_user_roles_zh(const char *roles, fg_buf *out) {
  char role[64];
  for (const char *p = roles; *p;) {
    const size_t len = strcspn(p, ";");
    snprintf(role, sizeof role, "%.*s", (int)FG_MIN(len, sizeof role - 1), p);
    const char *zh = fg_authz_role_zh(role);
    fg_buf_addf(out, "%s%s%s%s%s", out->len ? "; " : "", role, zh ? "（" : "", zh ? zh : "", zh ? "）" : "");
    p += len + (p[len] == ';');
  }
}

static int fg_user_print(void *ud, const fg_store_user *u) {
  fg_store *s = ud;
  char roles[FG_STORE_ROLES_MAX];
  fg_err err = {0};
  if (fg_store_user_roles(s, u->name, roles, sizeof roles, &err) != 0) {
    fprintf(stderr, "fundguard: %s\n", err.msg);
    return FG_EDB;
  }
  fg_buf zh = FG_BUF_INIT;
  fg_user_roles_zh(roles, &zh);
  printf("%s\t%s\t%s\t%s\n", u->name, u->display_name, zh.buf ? zh.buf : "-",
         u->agency[0] ? u->agency : "基金监督机构");
  fg_buf_release(&zh);
  return 0;
}

static int fg_user_show(fg_store *s, const char *name, fg_err *err) {
  fg_store_user u;
  fg_store_cred c;
  bool found = false, have = false;
  int rc = fg_store_user_get(s, name, &u, &found, err);
  if (rc == 0 && found) rc = fg_store_cred_get(s, name, &c, &have, err);
  if (rc) return rc;
  if (!found || !have) return fg_errf(err, FG_EINPUT, "用户 %s 不存在", name);
  char roles[FG_STORE_ROLES_MAX], pk[65];
  int64_t failures = 0;
  if ((rc = fg_store_user_roles(s, name, roles, sizeof roles, err)) != 0 ||
      (rc = fg_authn_failures(s, name, &failures, err)) != 0)
    return rc;
  uint8_t key[32];
  bool have_key = false;
  if ((rc = fg_store_user_key_at(s, name, INT64_MAX, key, &have_key, err)) != 0) return rc;
  if (have_key) fg_hex(key, sizeof key, pk);
  else snprintf(pk, sizeof pk, "（尚无：仍是初始密码）");
  fg_buf zh = FG_BUF_INIT;
  fg_user_roles_zh(roles, &zh);
  printf("用户 user: %s\n姓名 name: %s\n所在机构 agency: %s\n角色 roles: %s\n"
         "数字证书公钥 public key: %s\n",
         u.name, u.display_name, u.agency[0] ? u.agency : "基金监督机构 (supervision office)",
         zh.buf ? zh.buf : "-", pk);
  fg_buf_release(&zh);
  printf("密码设置于 password set: %lld 天前%s\n连续密码错误 failures: %lld\n",
         (long long)((time(NULL) - c.password_set_s) / FG_AUTHN_DAY_S),
         c.must_change ? " (初始密码，须更换)" : "", (long long)failures);
  sodium_memzero(&c, sizeof c);
  return 0;
}

static int fg_user_passwd(fg_store *s, const fg_user_args *a, fg_err *err) {
  int rc = fg_authn_cli_passwd(s, a->db, a->key, err);
  if (rc == 0) fprintf(stderr, "密码已设置；新的数字证书密钥已生成，旧密钥不再有效。\n");
  return rc;
}

/* grant / revoke / create / unlock: a proposal, never a direct change. */
static int fg_user_propose(fg_store *s, const char *sub, const fg_user_args *a, fg_err *err) {
  const char *kind = NULL;
  char *payload = NULL;
  char role[FG_STORE_ROLES_MAX], initial[FG_AUTHN_INITIAL_MAX] = "";
  if ((strcmp(sub, "grant") == 0 || strcmp(sub, "revoke") == 0) && a->npos == 2) {
    int rc = fg_authz_roles_normalize(a->pos[1], role, sizeof role, err);
    if (rc) return rc;
    kind = sub[0] == 'g' ? FG_REVIEW_ROLE_GRANT : FG_REVIEW_ROLE_REVOKE;
    payload = fg_review_payload_role(a->pos[0], role);
  } else if (strcmp(sub, "create") == 0 && a->npos == 1 && a->name && a->roles) {
    int rc = fg_authz_roles_normalize(a->roles, role, sizeof role, err);
    if (rc) return rc;
    kind = FG_REVIEW_USER_CREATE;
    const char *agency = a->agency ? a->agency : ""; /* checked by fg_review_propose */
    char hash[FG_STORE_PWHASH_MAX];
    fg_authn_initial_password(initial); /* shown to the proposer only */
    if ((rc = fg_authn_hash(initial, hash, err)) != 0) return rc;
    payload = fg_review_payload_user(a->pos[0], a->name, role, agency, hash);
  } else if (strcmp(sub, "unlock") == 0 && a->npos == 1) {
    kind = FG_REVIEW_USER_UNLOCK;
    payload = fg_review_payload_unlock(a->pos[0]);
  } else {
    return fg_errf(err, FG_EUSAGE, "user %s: 参数不对 (见 fundguard user --help)", sub);
  }
  fg_signer me;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  int64_t id = 0;
  int rc = fg_authn_cli_key(s, a->db, a->key, FG_PERM_USER_MANAGE, 0, &me, err);
  if (rc == 0) {
    rc = fg_authz_load_config(s, cfg, err);
    if (rc == 0)
      rc = fg_review_propose(s, cfg, &me, kind, payload, (int64_t)time(NULL), &id, err);
    fg_authn_signer_wipe(&me);
  }
  if (rc == 0)
    printf("已提交提议 #%lld (%s)，待他人复核: fundguard propose review %lld --db %s\n",
           (long long)id, kind, (long long)id, a->db);
  if (rc == 0 && initial[0])
    printf("新用户 %s 的初始密码（只显示这一次，审批人看不到；请交给本人，"
           "本人须先用 fundguard user passwd 设置自己的密码）:\ninitial_password=%s\n",
           a->pos[0], initial);
  sodium_memzero(initial, sizeof initial);
  free(cfg);
  free(payload);
  return rc;
}

int fg_cmd_user(int argc, char **argv) {
  if (argc < 2) {
    fg_user_usage(stderr);
    return 2;
  }
  if (fg_cli_wants_help(argc, argv)) {
    fg_user_usage(stdout);
    return 0;
  }
  fg_user_args a;
  if (fg_user_parse(argc, argv, &a) != 0) return 2;
  const char *sub = argv[1];
  fg_err err = {0};
  fg_store *s = NULL;
  if (fg_store_open(a.db, false, &s, &err) != 0) return fg_cli_fail(&err);
  int rc;
  fg_signer me;
  if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0) {
    rc = fg_authn_cli_key(s, a.db, a.key, FG_PERM_USER_READ, 0, &me, &err);
    fg_authn_signer_wipe(&me);
    if (rc == 0 && sub[0] == 'l') rc = fg_store_user_each(s, fg_user_print, s, &err);
    if (rc == 0 && sub[0] == 's')
      rc = a.npos == 1 ? fg_user_show(s, a.pos[0], &err)
                       : fg_errf(&err, FG_EUSAGE, "user show 需要一个用户名");
  } else if (strcmp(sub, "passwd") == 0) {
    rc = fg_user_passwd(s, &a, &err);
  } else if (strcmp(sub, "grant") != 0 && strcmp(sub, "revoke") != 0 &&
             strcmp(sub, "create") != 0 && strcmp(sub, "unlock") != 0) {
    static const char *const subs[] = {"list", "show", "passwd", "grant", "revoke", "create", "unlock"};
    fg_store_close(s);
    return fg_cli_unknown("user", sub, subs, (int)FG_ARRAY_LEN(subs));
  } else {
    rc = fg_user_propose(s, sub, &a, &err);
  }
  fg_store_close(s);
  return rc ? fg_cli_fail(&err) : 0;
}
