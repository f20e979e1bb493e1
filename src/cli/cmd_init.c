/*
 * cmd_init.c — `fundguard init --db PATH [--roster FILE]`: creates the
 * store (store.h fg_store_create: schema version 1, every table) and says
 * what it made, then the trust core: the platform's Ed25519 key pair
 * (secret key, mode 0600, to --key FILE, else $FUNDGUARD_KEY, else PATH.key:
 * authz.h fg_authn_key_path, as every command finds it; public key into the
 * store and printed) and the first users from --roster with the initial
 * password from FUNDGUARD_INIT_PASSWORD or the terminal (authz.h
 * fg_authz_init_roster), then the official default configuration
 * (config_versions, covered by a "config.init" entry signed by the
 * platform). Init is the one unilateral act; a failed init leaves no store
 * and no key behind.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "authz/authz.h"
#include "cli/cli.h"
#include "common/fsout.h"
#include "journal/journal.h"
#include "store/store.h"

enum { FG_INIT_PATH_MAX = 4096 };

static void fg_init_usage(FILE *f) {
  fprintf(f,
          "用法 usage: fundguard init --db PATH [--roster FILE] [--key FILE]\n"
          "  创建新的数据库 (已存在则拒绝)、平台密钥对和首批用户。\n"
          "  --db PATH       数据库文件 (默认 ./fundguard.db)\n"
          "  --roster FILE   首批用户 CSV: user,name,roles (角色以 ; 分隔)；\n"
          "                  初始密码取自环境变量 FUNDGUARD_INIT_PASSWORD，否则在终端输入\n"
          "  --key FILE      平台私钥文件 (权限 0600)。位置依次取自 --key、环境变量\n"
          "                  FUNDGUARD_KEY、PATH.key；其他命令以同样的顺序找到它\n"
          "  不给 --roster 时数据库没有用户，无法使用 (stderr 上给出警告): 新用户须由已有用户\n"
          "  提议并经他人复核，请以 --roster FILE 重新 init。\n");
}

/* A failed init leaves nothing behind: the store, its WAL files, the key. */
static void fg_init_undo(const char *db, const char *key_path) {
  const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
  char p[FG_INIT_PATH_MAX + 16];
  for (size_t i = 0; i < FG_ARRAY_LEN(suffix); i++) {
    snprintf(p, sizeof p, "%s%s", db, suffix[i]);
    unlink(p);
  }
  unlink(key_path);
}

/* The generated initial passwords, to PATH.initial-passwords (0600,
 * never over an existing file): hand each line to its person. */
static int fg_init_write_passwords(const char *db, const fg_buf *generated, fg_err *err) {
  char path[FG_INIT_PATH_MAX + 32];
  snprintf(path, sizeof path, "%s.initial-passwords", db);
  fg_fsout o;
  int rc = fg_fsout_open(&o, path, NULL, true, err);
  if (rc) return rc;
  fputs("user,password\n", o.f);
  fwrite(generated->buf, 1, generated->len, o.f);
  rc = fg_fsout_commit(&o, err);
  if (rc == 0)
    printf("各用户的初始密码已写入 %s（权限 0600）：请把每一行交给本人，由本人立即用 "
           "fundguard user passwd 设置自己的密码，然后删除该文件\n",
           path);
  return rc;
}

/* Platform key pair and first users, in the new store s. */
static int fg_init_trust(fg_store *s, const char *db, const char *key_path, const char *roster,
                         const char *password, fg_err *err) {
  uint8_t pk[32];
  int rc = fg_journal_platform_keygen(s, key_path, pk, err);
  if (rc) return rc;
  char hex[65];
  fg_hex(pk, sizeof pk, hex);
  size_t created = 0;
  if (roster != NULL) {
    fg_signer platform;
    fg_config *cfg = fg_xmalloc(sizeof *cfg);
    rc = fg_authz_load_config(s, cfg, err);
    if (rc == 0) rc = fg_journal_platform_signer(key_path, &platform, err);
    fg_buf generated = FG_BUF_INIT;
    if (rc == 0)
      rc = fg_authz_init_roster(s, cfg, &platform, roster, password, (int64_t)time(NULL),
                                &generated, &created, err);
    if (rc == 0 && generated.len > 0) rc = fg_init_write_passwords(db, &generated, err);
    if (generated.buf) sodium_memzero(generated.buf, generated.len);
    fg_buf_release(&generated);
    fg_authn_signer_wipe(&platform);
    free(cfg);
    if (rc) return rc;
  }
  printf("平台公钥 platform public key: %s\n", hex);
  printf("平台私钥已写入 %s (权限 0600，请妥善保管，勿与数据库放在一起备份)\n", key_path);
  if (roster != NULL)
    printf("已创建 %zu 个用户（初始密码只能用于设置本人密码：fundguard user passwd）\n", created);
  return 0;
}

/* The official configuration: the defaults (authz_init.c). */
static int fg_init_config(fg_store *s, const char *key_path, fg_err *err) {
  fg_signer platform = {0};
  int rc = fg_journal_platform_signer(key_path, &platform, err);
  if (rc == 0) rc = fg_authz_init_config(s, &platform, err);
  fg_authn_signer_wipe(&platform);
  return rc;
}

int fg_cmd_init(int argc, char **argv) {
  const char *db = "fundguard.db";
  const char *roster = NULL;
  const char *key = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fg_init_usage(stdout);
      return 0;
    } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
      db = argv[++i];
    } else if (strcmp(argv[i], "--roster") == 0 && i + 1 < argc) {
      roster = argv[++i];
    } else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
      key = argv[++i];
    } else {
      return fg_cli_usage("init", "未知或缺少参数的选项 %s", argv[i]);
    }
  }
  fg_err err = {0};
  char key_path[FG_AUTHN_PATH_MAX];
  if (fg_authn_key_path(db, key, key_path, sizeof key_path, &err) != 0)
    return fg_cli_usage("init", "%s", err.msg);
  if (access(key_path, F_OK) == 0) {
    fg_errf(&err, FG_EINPUT, "平台私钥文件 %s 已存在，不会覆盖", key_path);
    return fg_cli_fail(&err);
  }
  /* FUNDGUARD_INIT_PASSWORD serves a one-user roster only; otherwise the
   * roster's initial_password column, else generated (cli.md v1.1). */
  char password[FG_AUTHN_PASSWORD_MAX + 2] = "";
  const char *shared = getenv("FUNDGUARD_INIT_PASSWORD");
  if (shared != NULL && strlen(shared) > FG_AUTHN_PASSWORD_MAX) {
    fg_errf(&err, FG_ELIMIT, "FUNDGUARD_INIT_PASSWORD 过长");
    return fg_cli_fail(&err);
  }
  if (shared != NULL) snprintf(password, sizeof password, "%s", shared);
  fg_store *s = NULL;
  if (fg_store_create(db, &s, &err) != 0) {
    sodium_memzero(password, sizeof password);
    return fg_cli_fail(&err);
  }
  int rc = fg_init_trust(s, db, key_path, roster, password[0] ? password : NULL, &err);
  sodium_memzero(password, sizeof password);
  if (rc == 0) rc = fg_init_config(s, key_path, &err);
  fg_store_close(s);
  if (rc != 0) {
    fg_init_undo(db, key_path);
    return fg_cli_fail(&err);
  }
  printf("已创建数据库 %s (结构版本 %d): 数据标准的 %d 张表、批次记录表。\n", db,
         FG_STORE_SCHEMA_VERSION, FG_T_COUNT);
  if (roster == NULL)
    fprintf(stderr,
            "fundguard init: 警告 warning: 未给出 --roster，数据库 %s 中没有任何用户，无法使用:\n"
            "  以用户身份执行的命令都会被拒绝，而新用户只能由已有用户提议、经他人复核。\n"
            "  请删除 %s 和 %s，再用 --roster FILE 重新 init。\n"
            "  the store has no users and cannot be used until it is re-created with --roster.\n",
            db, db, key_path);
  return 0;
}
