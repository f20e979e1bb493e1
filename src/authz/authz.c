/*
 * authz.c — roles, permissions and the one authorization check (see
 * authz.h). The role catalogue is the least-privilege default of cli.md; a
 * role grants only what its post needs. Separation of duties: a role set is
 * valid only when every role is known and no exclusive pair of the
 * configuration is held together (fg_config_roles_conflict).
 */
#include <sodium.h>
#include <string.h>

#include "authz/authz.h"

enum {
  FG_AUTHZ_PERMS_PER_ROLE_MAX = 16,
  FG_AUTHZ_ROLE_TOKEN_MAX = 48, /* bytes of one role name, NUL included */
  FG_AUTHZ_ROLES_TOKENS_MAX = 16,
  FG_AUTHZ_CHALLENGE_BYTES = 32,
};

typedef struct fg_authz_role {
  const char *name;
  const char *zh;
  const char *perms[FG_AUTHZ_PERMS_PER_ROLE_MAX];
} fg_authz_role;

static const fg_authz_role fg_authz_roles[] = {
    /* case.* and recovery.record act only with an agency (cases.md): a
     * handler of the supervision office (agency "") handles no case */
    {"handler",
     "经办",
     {FG_PERM_DATA_IMPORT, FG_PERM_DATA_AMEND, FG_PERM_CASE_HANDLE, FG_PERM_CASE_READ,
      FG_PERM_RECOVERY_RECORD, FG_PERM_CASE_SERIOUS, FG_PERM_WRITEOFF_PROPOSE}},
    {"reviewer", "复核", {FG_PERM_PROPOSAL_READ, FG_PERM_PROPOSAL_REVIEW}},
    {"approver", "审批", {FG_PERM_PROPOSAL_READ, FG_PERM_PROPOSAL_APPROVE}},
    {"supervisor",
     "基金监督",
     {FG_PERM_FINDINGS_SCREEN, FG_PERM_FINDINGS_READ, FG_PERM_FINDINGS_EXPORT,
      FG_PERM_FINDING_DISMISS, FG_PERM_CONFIG_PROPOSE, FG_PERM_JOURNAL_CHECKPOINT,
      FG_PERM_PERSON_READ, FG_PERM_CASE_ISSUE, FG_PERM_CASE_READ, FG_PERM_REPORT_MAKE,
      FG_PERM_PENALTY_PROPOSE, FG_PERM_INSPECTION_MANAGE, FG_PERM_CASE_SERIOUS}},
    {"auditor",
     "稽核",
     {FG_PERM_FINDINGS_READ, FG_PERM_JOURNAL_READ, FG_PERM_JOURNAL_CHECKPOINT,
      FG_PERM_PERSON_READ}},
    {"whistleblower-desk", "举报受理", {FG_PERM_REPORT_INTAKE}},
    {"sysadmin",
     "系统管理",
     {FG_PERM_USER_READ, FG_PERM_USER_MANAGE, FG_PERM_PROPOSAL_READ, FG_PERM_CONFIG_PROPOSE}},
    {"security-auditor",
     "安全审计",
     {FG_PERM_FINDINGS_READ, FG_PERM_JOURNAL_READ, FG_PERM_JOURNAL_CHECKPOINT, FG_PERM_USER_READ,
      FG_PERM_PROPOSAL_READ}},
};

static const char *const fg_authz_perms[] = {
    FG_PERM_DATA_IMPORT,     FG_PERM_DATA_AMEND,         FG_PERM_FINDINGS_SCREEN,
    FG_PERM_FINDINGS_READ,   FG_PERM_FINDINGS_EXPORT,    FG_PERM_FINDING_DISMISS,
    FG_PERM_WRITEOFF_PROPOSE, FG_PERM_PENALTY_PROPOSE,  FG_PERM_CASE_ISSUE,
    FG_PERM_CASE_READ,       FG_PERM_CASE_HANDLE,        FG_PERM_CASE_SERIOUS,
    FG_PERM_RECOVERY_RECORD, FG_PERM_REPORT_MAKE,        FG_PERM_INSPECTION_MANAGE,
    FG_PERM_CONFIG_PROPOSE,     FG_PERM_JOURNAL_READ,
    FG_PERM_JOURNAL_CHECKPOINT, FG_PERM_REPORT_INTAKE,   FG_PERM_USER_READ,
    FG_PERM_USER_MANAGE,     FG_PERM_PROPOSAL_READ,      FG_PERM_PROPOSAL_REVIEW,
    FG_PERM_PROPOSAL_APPROVE, FG_PERM_PERSON_READ,
};

size_t fg_authz_role_count(void) { return FG_ARRAY_LEN(fg_authz_roles); }

const char *fg_authz_permission_name(size_t i) {
  return i < FG_ARRAY_LEN(fg_authz_perms) ? fg_authz_perms[i] : NULL;
}

const char *fg_authz_role_name(size_t i) {
  FG_ASSERT(i < FG_ARRAY_LEN(fg_authz_roles));
  return fg_authz_roles[i].name;
}

static const fg_authz_role *fg_authz_role_find(const char *role) {
  if (role == NULL) return NULL;
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_authz_roles); i++)
    if (strcmp(fg_authz_roles[i].name, role) == 0) return &fg_authz_roles[i];
  return NULL;
}

const char *fg_authz_role_zh(const char *role) {
  const fg_authz_role *r = fg_authz_role_find(role);
  return r ? r->zh : NULL;
}

bool fg_authz_role_known(const char *role) { return fg_authz_role_find(role) != NULL; }

bool fg_authz_role_has(const char *role, const char *permission) {
  FG_ASSERT(permission != NULL);
  const fg_authz_role *r = fg_authz_role_find(role);
  if (r == NULL) return false;
  for (size_t i = 0; i < FG_AUTHZ_PERMS_PER_ROLE_MAX && r->perms[i] != NULL; i++)
    if (strcmp(r->perms[i], permission) == 0) return true;
  return false;
}

bool fg_authz_permission_known(const char *permission) {
  if (permission == NULL) return false;
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_authz_perms); i++)
    if (strcmp(fg_authz_perms[i], permission) == 0) return true;
  return false;
}

/* Split `;`-separated roles into trimmed, lower-cased tokens; -1 when one
 * is too long or there are too many. */
static int fg_authz_split(const char *roles, char tok[][FG_AUTHZ_ROLE_TOKEN_MAX], int max) {
  FG_ASSERT(roles != NULL && max > 0);
  int n = 0;
  const char *p = roles;
  while (*p) {
    const char *e = strchr(p, ';');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    const char *q = p;
    while (len > 0 && (*q == ' ' || *q == '\t')) q++, len--;
    while (len > 0 && (q[len - 1] == ' ' || q[len - 1] == '\t' || q[len - 1] == '\r')) len--;
    if (len > 0) {
      if (n == max || len >= FG_AUTHZ_ROLE_TOKEN_MAX) return -1;
      for (size_t i = 0; i < len; i++) /* role names compare case-insensitively */
        tok[n][i] = (q[i] >= 'A' && q[i] <= 'Z') ? (char)(q[i] - 'A' + 'a') : q[i];
      tok[n][len] = '\0';
      n++;
    }
    if (e == NULL) break;
    p = e + 1;
  }
  return n;
}

int fg_authz_roles_valid(const fg_config *cfg, const char *roles, fg_err *err) {
  FG_ASSERT(cfg != NULL && roles != NULL);
  char tok[FG_AUTHZ_ROLES_TOKENS_MAX][FG_AUTHZ_ROLE_TOKEN_MAX];
  int n = fg_authz_split(roles, tok, FG_AUTHZ_ROLES_TOKENS_MAX);
  if (n < 0) return fg_errf(err, FG_ELIMIT, "角色列表过长: %.200s", roles);
  for (int i = 0; i < n; i++)
    if (!fg_authz_role_known(tok[i]))
      return fg_errf(err, FG_EINPUT,
                     "未知角色 \"%s\"（可用角色: handler, reviewer, approver, supervisor, "
                     "auditor, whistleblower-desk, sysadmin, security-auditor）",
                     tok[i]);
  const char *a = NULL, *b = NULL;
  if (fg_config_roles_conflict(cfg, roles, &a, &b))
    return fg_errf(err, FG_EINPUT,
                   "不相容岗位: 角色 %s 与 %s 互斥，不能由同一人兼任（权限互斥原则）", a, b);
  return 0;
}

int fg_authz_check(fg_store *s, const char *user, const char *permission, fg_err *err) {
  FG_ASSERT(s != NULL && user != NULL && permission != NULL);
  FG_ASSERT(fg_authz_permission_known(permission));
  fg_store_user u;
  bool found = false;
  int rc = fg_store_user_get(s, user, &u, &found, err);
  if (rc) return rc;
  if (!found) return fg_errf(err, FG_EPERM, "权限不足: 用户 %s 不存在", user);
  char roles[FG_STORE_ROLES_MAX];
  if ((rc = fg_store_user_roles(s, user, roles, sizeof roles, err)) != 0) return rc;
  char tok[FG_AUTHZ_ROLES_TOKENS_MAX][FG_AUTHZ_ROLE_TOKEN_MAX];
  int n = fg_authz_split(roles, tok, FG_AUTHZ_ROLES_TOKENS_MAX);
  for (int i = 0; i < n; i++)
    if (fg_authz_role_has(tok[i], permission)) return 0;
  return fg_errf(err, FG_EPERM, "权限不足: 用户 %s（角色: %s）无权执行 %s", user,
                 roles[0] ? roles : "无", permission);
}

int fg_authz_check_signer(fg_store *s, const fg_signer *signer, const char *permission,
                          fg_err *err) {
  FG_ASSERT(s != NULL && signer != NULL);
  fg_store_user u;
  bool found = false;
  int rc = fg_store_user_get(s, signer->actor, &u, &found, err);
  if (rc) return rc;
  if (!found) return fg_errf(err, FG_EPERM, "签名无效: 用户 %s 不存在", signer->actor);
  uint8_t challenge[FG_AUTHZ_CHALLENGE_BYTES], sig[crypto_sign_BYTES], pk[32];
  bool have_key = false;
  if ((rc = fg_store_user_key_at(s, signer->actor, INT64_MAX, pk, &have_key, err)) != 0) return rc;
  randombytes_buf(challenge, sizeof challenge);
  crypto_sign_detached(sig, NULL, challenge, sizeof challenge, signer->sk);
  if (!have_key || sodium_memcmp(pk, signer->pk, sizeof signer->pk) != 0 ||
      crypto_sign_verify_detached(sig, challenge, sizeof challenge, pk) != 0)
    return fg_errf(err, FG_EPERM,
                   "签名无效: 所用密钥不是用户 %s 的数字证书，不准使用他人数字证书", signer->actor);
  return permission ? fg_authz_check(s, signer->actor, permission, err) : 0;
}

int fg_authz_roles_normalize(const char *roles, char *out, size_t out_size, fg_err *err) {
  FG_ASSERT(roles != NULL && out != NULL && out_size > 0);
  char tok[FG_AUTHZ_ROLES_TOKENS_MAX][FG_AUTHZ_ROLE_TOKEN_MAX];
  int n = fg_authz_split(roles, tok, FG_AUTHZ_ROLES_TOKENS_MAX);
  if (n < 0) return fg_errf(err, FG_ELIMIT, "角色列表过长: %.200s", roles);
  size_t len = 0;
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    size_t tl = strlen(tok[i]);
    if (len + tl + 2 > out_size) return fg_errf(err, FG_ELIMIT, "角色列表过长: %.200s", roles);
    if (len > 0) out[len++] = ';';
    memcpy(out + len, tok[i], tl + 1);
    len += tl;
  }
  return 0;
}
