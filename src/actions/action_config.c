/*
 * action_config.c — config_change: a configuration file proposed, reviewed
 * and approved by three different people becomes the official
 * configuration (a new config_versions row, status official, covered by the
 * approval's journal entry); the next `screen` reads it.
 *
 * Payload: {"sha256": hex of the canonical text, "source": the file's name,
 * "text": the canonical text (config.h fg_config_serialize)}. The check
 * parses the text over the defaults (the parser's message, naming source
 * and line, when it does not parse), requires it canonical with that hash,
 * different from the configuration in force, and refuses exclusive role
 * pairs that a current user already holds together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions/actions_impl.h"
#include "common/fsout.h"
#include "config/config.h"

#define FG_ACTION_CONFIG_SOURCE "proposed configuration"

int fg_action_payload_config_file(const char *path, char **payload, fg_err *err) {
  FG_ASSERT(path != NULL && payload != NULL);
  *payload = NULL;
  char *raw = NULL;
  size_t n = 0;
  int rc = fg_file_read(path, FG_ACTION_CONFIG_FILE_MAX, &raw, &n, err);
  if (rc) return rc;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  fg_config_defaults(cfg);
  fg_err perr = {0};
  char hex[65] = "";
  char *text = raw;
  if (fg_config_parse(cfg, path, raw, n, &perr) == 0) {
    text = fg_config_serialize(cfg);
    fg_config_hash(cfg, hex);
  }
  const char *slash = strrchr(path, '/');
  const char *source = slash ? slash + 1 : path;
  fg_buf b = FG_BUF_INIT;
  fg_buf_addf(&b, "{\"sha256\":\"%s\",\"source\":", hex);
  fg_journal_json_add_str(&b, source, strlen(source));
  fg_buf_adds(&b, ",\"text\":");
  fg_journal_json_add_str(&b, text, strlen(text));
  fg_buf_addc(&b, '}');
  *payload = fg_buf_detach(&b);
  if (text != raw) free(text);
  free(raw);
  free(cfg);
  return 0;
}

/* No current user may hold an exclusive pair of the new configuration. */
typedef struct fg_action_pairs {
  fg_store *s;
  const fg_config *cfg;
  fg_err *err;
} fg_action_pairs;

static int fg_action_user_pairs(void *ud, const fg_store_user *u) {
  fg_action_pairs *c = ud;
  char roles[FG_STORE_ROLES_MAX];
  int rc = fg_store_user_roles(c->s, u->name, roles, sizeof roles, c->err);
  if (rc) return rc;
  const char *a = NULL, *b = NULL;
  if (fg_config_roles_conflict(c->cfg, roles, &a, &b))
    return fg_errf(c->err, FG_EINPUT,
                   "新配置的互斥岗位 %s+%s 与用户 %s 现有的角色 (%s) 冲突，须先撤销其一", a, b,
                   u->name, roles);
  return 0;
}

/* The checks of a parsed configuration against the state of the store. */
static int fg_action_config_state(fg_store *s, const fg_config *cfg, const char *hex,
                                  fg_err *err) {
  char *current = NULL, cur_hex[65] = "";
  bool found = false;
  int rc = fg_store_config_get_official(s, &current, cur_hex, NULL, &found, err);
  free(current);
  if (rc) return rc;
  if (found && strcmp(cur_hex, hex) == 0)
    return fg_errf(err, FG_EINPUT, "提议的配置与现行正式配置相同 (%.12s)，无需变更", hex);
  fg_action_pairs c = {s, cfg, err};
  return fg_store_user_each(s, fg_action_user_pairs, &c, err);
}

int fg_action_config_check(fg_store *s, const char *payload, fg_err *err) {
  fg_journal_json *v = NULL;
  int rc = fg_action_json(payload, &v, err);
  if (rc) return rc;
  const char *text = fg_action_json_str(v, "text"), *hex = fg_action_json_str(v, "sha256");
  const char *source = fg_action_json_str(v, "source");
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  fg_config_defaults(cfg);
  char want[65] = "";
  if (text == NULL || hex == NULL)
    rc = fg_errf(err, FG_EINPUT, "提议内容缺少配置文本 (text) 或其哈希 (sha256)");
  else
    rc = fg_config_parse(cfg, source && source[0] ? source : FG_ACTION_CONFIG_SOURCE, text,
                         strlen(text), err);
  if (rc == 0) {
    char *canon = fg_config_serialize(cfg);
    fg_config_hash(cfg, want);
    if (strcmp(canon, text) != 0 || strcmp(want, hex) != 0)
      rc = fg_errf(err, FG_EVERIFY, "提议的配置文本不是规范形式或与其哈希 (sha256) 不符");
    free(canon);
  }
  if (rc == 0) rc = fg_action_config_state(s, cfg, want, err);
  free(cfg);
  fg_journal_json_free(v);
  return rc;
}

int fg_action_config_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                           int64_t jseq, fg_err *err) {
  FG_ASSERT(s != NULL && p != NULL && by != NULL && jseq >= 0);
  fg_journal_json *v = NULL;
  int rc = fg_action_json(p->payload, &v, err); /* checked just before (fg_review_apply) */
  if (rc) return rc;
  const char *text = fg_action_json_str(v, "text");
  if (text == NULL) rc = fg_errf(err, FG_EINPUT, "提议内容缺少配置文本 (text)");
  else rc = fg_store_config_put(s, text, true, p->id, (int64_t)time(NULL), jseq, NULL, err);
  fg_journal_json_free(v);
  return rc;
}
