/*
 * authn_cli.c — how a command-line act finds its user (see authz.h,
 * fg_authn_cli): FUNDGUARD_USER / FUNDGUARD_PASSWORD from the environment
 * (scripts, CI), else the terminal (password without echo), else a clear
 * refusal. It loads the official configuration and the platform key,
 * authenticates, asks for a new password when an initial one is used
 * interactively, and checks the permission through fg_authz_check_signer.
 * A refused permission is journaled (signed by the user, who did log in).
 * The platform key file is found by fg_authn_key_path alone: --key FILE,
 * else $FUNDGUARD_KEY, else PATH.key beside the store.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "authz/authz_impl.h"

#define FG_AUTHN_TTY "/dev/tty"
#define FG_AUTHN_KEY_SUFFIX ".key"

/* Read one line from the terminal, echo off when secret. false when there
 * is no terminal or nothing was read. */
static bool fg_authn_tty_line(const char *prompt, bool secret, char *out, size_t out_size) {
  FG_ASSERT(out != NULL && out_size > 1);
  if (!isatty(STDIN_FILENO)) return false;
  FILE *tty = fopen(FG_AUTHN_TTY, "r+");
  if (tty == NULL) return false;
  struct termios old, quiet;
  bool restore = false;
  if (secret && tcgetattr(fileno(tty), &old) == 0) {
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    restore = tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0;
  }
  fputs(prompt, stderr);
  fflush(stderr);
  bool ok = fgets(out, (int)out_size, tty) != NULL;
  if (restore) tcsetattr(fileno(tty), TCSAFLUSH, &old);
  if (secret) fputc('\n', stderr);
  fclose(tty);
  if (!ok) return false;
  out[strcspn(out, "\r\n")] = '\0';
  return out[0] != '\0';
}

int fg_authn_read_secret(const char *env_name, const char *prompt, char *out, size_t out_size,
                         fg_err *err) {
  FG_ASSERT(env_name != NULL && prompt != NULL && out != NULL);
  FG_ASSERT(out_size >= FG_AUTHN_PASSWORD_MAX + 1);
  const char *v = getenv(env_name);
  if (v != NULL && v[0] != '\0') {
    if (strlen(v) > FG_AUTHN_PASSWORD_MAX)
      return fg_errf(err, FG_ELIMIT, "%s 过长: 至多 %d 个字节", env_name, FG_AUTHN_PASSWORD_MAX);
    snprintf(out, out_size, "%s", v);
    return 0;
  }
  if (fg_authn_tty_line(prompt, true, out, out_size)) return 0;
  return fg_errf(err, FG_EPERM, "需要密码: 请设置环境变量 %s，或在终端上运行以输入密码", env_name);
}

/* The new password: FUNDGUARD_NEW_PASSWORD, else asked twice on the
 * terminal. out holds FG_AUTHN_PASSWORD_MAX + 2 bytes; wipe it. */
static int fg_authn_cli_new_password(char *out, size_t out_size, fg_err *err) {
  int rc = fg_authn_read_secret("FUNDGUARD_NEW_PASSWORD", "新密码: ", out, out_size, err);
  const char *env = getenv("FUNDGUARD_NEW_PASSWORD");
  if (rc == 0 && (env == NULL || env[0] == '\0')) {
    char again[FG_AUTHN_PASSWORD_MAX + 2];
    if (!fg_authn_tty_line("再次输入新密码: ", true, again, sizeof again))
      rc = fg_errf(err, FG_EPERM, "未能读取新密码");
    else if (strcmp(out, again) != 0)
      rc = fg_errf(err, FG_EINPUT, "两次输入的新密码不一致");
    sodium_memzero(again, sizeof again);
  }
  return rc;
}

/* The official configuration of the store (defaults when none stored). */
int fg_authz_load_config(fg_store *s, fg_config *cfg, fg_err *err) {
  fg_config_defaults(cfg);
  char *text = NULL;
  bool found = false;
  int rc = fg_store_config_get_official(s, &text, NULL, NULL, &found, err);
  if (rc == 0 && found) rc = fg_config_parse(cfg, "stored configuration", text, strlen(text), err);
  free(text);
  return rc;
}

/* Refused permission: journaled, signed by the authenticated user. */
static int fg_authn_cli_denied(fg_store *s, fg_signer *me, const char *permission, fg_err *err) {
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "permission", permission);
  fg_authz_json_str(&b, "user", me->actor);
  fg_authz_json_end(&b);
  char msg[FG_ERR_MSG_MAX];
  snprintf(msg, sizeof msg, "%s", err->msg);
  int rc = fg_authz_refuse(s, me, "authz.denied", b.buf, err, FG_EPERM, "%s", msg);
  fg_buf_release(&b);
  fg_authn_signer_wipe(me);
  return rc;
}

/* Who acts: FUNDGUARD_USER, else asked on the terminal. */
static int fg_authn_cli_user(char *user, size_t user_size, fg_err *err) {
  const char *v = getenv("FUNDGUARD_USER");
  if (v != NULL && v[0] != '\0') {
    if (strlen(v) >= user_size) return fg_errf(err, FG_EINPUT, "FUNDGUARD_USER 过长");
    snprintf(user, user_size, "%s", v);
    return 0;
  }
  if (fg_authn_tty_line("用户名: ", false, user, user_size)) return 0;
  return fg_errf(err, FG_EPERM,
                 "需要用户身份: 请设置环境变量 FUNDGUARD_USER 和 FUNDGUARD_PASSWORD，"
                 "或在终端上运行以输入用户名和密码");
}

static int fg_authn_cli_login(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                              unsigned flags, fg_signer *out, fg_err *err) {
  char user[FG_STORE_USER_MAX], pw[FG_AUTHN_PASSWORD_MAX + 2], npw[FG_AUTHN_PASSWORD_MAX + 2] = "";
  int rc = fg_authn_cli_user(user, sizeof user, err);
  if (rc == 0) rc = fg_authn_read_secret("FUNDGUARD_PASSWORD", "密码: ", pw, sizeof pw, err);
  if (rc) return rc;
  const char *env_pw = getenv("FUNDGUARD_PASSWORD");
  const bool interactive = env_pw == NULL || env_pw[0] == '\0';
  bool initial = false;
  if (interactive) rc = fg_authn_is_initial(s, user, &initial, err);
  if (rc == 0 && initial) { /* on a terminal: set one's own password first */
    fprintf(stderr, "首次登录须设置本人密码（初始密码只能用于这一件事）。\n");
    rc = fg_authn_cli_new_password(npw, sizeof npw, err);
    if (rc == 0)
      rc = fg_authn_set_password(s, cfg, platform, user, pw, npw, (int64_t)time(NULL), err);
    if (rc == 0) snprintf(pw, sizeof pw, "%s", npw);
  }
  if (rc == 0)
    rc = fg_authn_login(s, cfg, platform, user, pw, (int64_t)time(NULL), flags, out, err);
  sodium_memzero(pw, sizeof pw);
  sodium_memzero(npw, sizeof npw);
  return rc;
}

/* The platform signer from key_path, refused unless its public key is the
 * store's: a key file of another store would sign entries that no
 * verification of this one accepts. */
static int fg_authn_cli_platform(fg_store *s, const char *key_path, fg_signer *platform,
                                 fg_err *err) {
  int rc = fg_journal_platform_signer(key_path, platform, err);
  if (rc == FG_EIO) {
    char msg[FG_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return fg_errf(err, rc, "%s (平台私钥依次取自 --key FILE、环境变量 %s、数据库旁的 PATH.key)",
                   msg, FG_AUTHN_KEY_ENV);
  }
  if (rc == 0) rc = fg_journal_platform_check(s, platform, err);
  if (rc) fg_authn_signer_wipe(platform);
  return rc;
}

int fg_authn_cli_passwd(fg_store *s, const char *store_path, const char *key_flag, fg_err *err) {
  char key_path[FG_AUTHN_PATH_MAX];
  int rc = fg_authn_key_path(store_path, key_flag, key_path, sizeof key_path, err);
  if (rc) return rc;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  fg_signer platform = {0};
  char user[FG_STORE_USER_MAX], pw[FG_AUTHN_PASSWORD_MAX + 2] = "",
                                npw[FG_AUTHN_PASSWORD_MAX + 2] = "";
  rc = fg_authz_load_config(s, cfg, err);
  if (rc == 0) rc = fg_authn_cli_platform(s, key_path, &platform, err);
  if (rc == 0) rc = fg_authn_cli_user(user, sizeof user, err);
  if (rc == 0) rc = fg_authn_read_secret("FUNDGUARD_PASSWORD", "当前密码（或初始密码）: ", pw,
                                         sizeof pw, err);
  if (rc == 0) rc = fg_authn_cli_new_password(npw, sizeof npw, err);
  if (rc == 0)
    rc = fg_authn_set_password(s, cfg, &platform, user, pw, npw, (int64_t)time(NULL), err);
  sodium_memzero(pw, sizeof pw);
  sodium_memzero(npw, sizeof npw);
  fg_authn_signer_wipe(&platform);
  free(cfg);
  return rc;
}

int fg_authn_key_path(const char *store_path, const char *key_flag, char *out, size_t out_size,
                      fg_err *err) {
  FG_ASSERT(store_path != NULL && out != NULL && out_size > 0);
  const char *env = getenv(FG_AUTHN_KEY_ENV);
  const char *base = key_flag != NULL && key_flag[0] != '\0' ? key_flag
                     : env != NULL && env[0] != '\0'         ? env
                                                              : NULL;
  const char *suffix = base != NULL ? "" : FG_AUTHN_KEY_SUFFIX;
  if (base == NULL) base = store_path;
  size_t nb = strlen(base), ns = strlen(suffix);
  if (nb + ns >= out_size) return fg_errf(err, FG_ELIMIT, "平台私钥路径过长: %.200s", base);
  memcpy(out, base, nb);
  memcpy(out + nb, suffix, ns + 1);
  return 0;
}

int fg_authn_cli_key(fg_store *s, const char *store_path, const char *key_path,
                     const char *permission, unsigned flags, fg_signer *out, fg_err *err) {
  FG_ASSERT(s != NULL && store_path != NULL && out != NULL);
  memset(out, 0, sizeof *out);
  char path[FG_AUTHN_PATH_MAX];
  int rc = fg_authn_key_path(store_path, key_path, path, sizeof path, err);
  if (rc) return rc;
  key_path = path;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  fg_signer platform;
  rc = fg_authz_load_config(s, cfg, err);
  if (rc == 0) rc = fg_authn_cli_platform(s, key_path, &platform, err);
  if (rc == 0) {
    rc = fg_authn_cli_login(s, cfg, &platform, flags, out, err);
    fg_authn_signer_wipe(&platform);
  }
  free(cfg);
  if (rc || permission == NULL) return rc;
  if (fg_authz_check_signer(s, out, permission, err) != 0)
    return fg_authn_cli_denied(s, out, permission, err);
  return 0;
}

int fg_authn_cli(fg_store *s, const char *store_path, const char *permission, fg_signer *out,
                 fg_err *err) {
  return fg_authn_cli_key(s, store_path, NULL, permission, 0, out, err);
}

int fg_authn_cli_any(fg_store *s, const char *store_path, const char *key_path,
                     const char *const *perms, int nperms, fg_signer *out, fg_err *err) {
  FG_ASSERT(perms != NULL && nperms > 0);
  int rc = fg_authn_cli_key(s, store_path, key_path, NULL, 0, out, err);
  if (rc) return rc;
  for (int i = 0; i < nperms; i++)
    if (fg_authz_check_signer(s, out, perms[i], NULL) == 0) return 0;
  (void)fg_authz_check_signer(s, out, perms[0], err); /* the message names the first */
  return fg_authn_cli_denied(s, out, perms[0], err);
}

int fg_authn_deny(fg_store *s, fg_signer *me, const char *permission, fg_err *err) {
  FG_ASSERT(s != NULL && me != NULL && permission != NULL);
  return fg_authn_cli_denied(s, me, permission, err);
}
