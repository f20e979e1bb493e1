/*
 * actions.c — wiring of the reviewed actions into the review engine
 * (fg_actions_register), the helpers the kinds share (payload JSON, the
 * people of a proposal), field values judged as import judges them, and
 * the journal entry of the person view. See actions.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions_impl.h"
#include "fields/fields.h"
#include "import/import.h"

int fg_actions_register(void) {
  static const struct {
    const char *kind;
    fg_review_check_fn check;
    fg_review_apply_fn apply;
  } kinds[] = {
      {FG_REVIEW_CONFIG_CHANGE, fg_action_config_check, fg_action_config_apply},
      {FG_REVIEW_FINDING_DISMISS, fg_action_dismiss_check, fg_action_dismiss_apply},
      {FG_REVIEW_DATA_AMENDMENT, fg_action_amend_check, fg_action_amend_apply},
  };
  for (size_t i = 0; i < FG_ARRAY_LEN(kinds); i++) {
    int rc = fg_review_set_checker(kinds[i].kind, kinds[i].check);
    if (rc == 0) rc = fg_review_set_applier(kinds[i].kind, kinds[i].apply);
    if (rc) return rc;
  }
  return 0;
}

int fg_action_json(const char *payload, fg_journal_json **v, fg_err *err) {
  FG_ASSERT(payload != NULL && v != NULL);
  *v = NULL;
  fg_err jerr = {0};
  if (fg_journal_json_parse(payload, strlen(payload), v, &jerr) != 0 || (*v)->type != FG_JSON_OBJ) {
    fg_journal_json_free(*v);
    *v = NULL;
    return fg_errf(err, FG_EINPUT, "提议内容不是 JSON 对象: %s", jerr.msg);
  }
  return 0;
}

const char *fg_action_json_str(const fg_journal_json *v, const char *key) {
  const fg_journal_json *m = fg_journal_json_get(v, key);
  if (m == NULL || m->type != FG_JSON_STR || strlen(m->s) != m->len) return NULL;
  return m->s;
}

bool fg_action_json_int(const fg_journal_json *v, const char *key, int64_t *out) {
  const fg_journal_json *m = fg_journal_json_get(v, key);
  if (m == NULL || m->type != FG_JSON_INT || m->neg || m->u > (uint64_t)INT64_MAX) return false;
  *out = m->i;
  return true;
}

int fg_action_reason(const fg_journal_json *v, const char **reason, fg_err *err) {
  *reason = fg_action_json_str(v, "reason");
  if (*reason == NULL || (*reason)[0] == '\0')
    return fg_errf(err, FG_EINPUT, "须说明理由 (--reason)");
  if (strlen(*reason) >= FG_ACTION_REASON_MAX)
    return fg_errf(err, FG_ELIMIT, "理由超过 %d 字节上限", FG_ACTION_REASON_MAX - 1);
  return 0;
}

void fg_action_people(const fg_store_proposal *p, const fg_signer *by, const char **reviewer,
                      const char **approver) {
  FG_ASSERT(p != NULL && by != NULL && reviewer != NULL && approver != NULL);
  *reviewer = p->reviewer[0] ? p->reviewer : by->actor;
  *approver = p->reviewer[0] ? by->actor : NULL;
}

const char *fg_action_convert(const fg_column *c, const char *s, size_t n, fg_value *v,
                              char *norm) {
  FG_ASSERT(c != NULL && s != NULL && v != NULL && norm != NULL);
  if (n >= FG_ACTION_VALUE_MAX) return "值过长";
  *v = (fg_value){false, 0, norm, 0};
  memcpy(norm, s, n);
  norm[n] = '\0';
  if (c->type == FG_COL_PERSON_ID && n >= FG_IMPORT_PID_BYTES)
    return "身份证号应为 1-18 位 ASCII 字母或数字";
  const char *what = fg_import_judge(c, s, n, v, norm); /* a person id: normalized in norm */
  if (what) return what;
  if (fg_schema_is_int(c->type))
    fg_action_value_text(c, v, norm, FG_ACTION_VALUE_MAX);
  v->n = (int)strlen(norm);
  return NULL;
}

bool fg_action_value_text(const fg_column *c, const fg_value *v, char *out, size_t out_size) {
  FG_ASSERT(c != NULL && v != NULL && out != NULL && out_size > 0);
  out[0] = '\0';
  if (v->is_null) return false;
  switch (c->type) {
  case FG_COL_MONEY: fg_fen_to_yuan(v->i, out, out_size); break;
  case FG_COL_QTY:
    snprintf(out, out_size, "%lld.%03lld", (long long)(v->i / 1000), (long long)(v->i % 1000));
    break;
  case FG_COL_UINT:
  case FG_COL_YEAR: snprintf(out, out_size, "%lld", (long long)v->i); break;
  default:
    snprintf(out, out_size, "%.*s", v->s ? v->n : 0, v->s ? v->s : "");
    break;
  }
  return true;
}

int fg_action_person_viewed(fg_store *s, const fg_signer *viewer, const char *person_id,
                            int64_t records, fg_err *err) {
  FG_ASSERT(s != NULL && viewer != NULL && person_id != NULL && records >= 0);
  fg_buf p = FG_BUF_INIT;
  fg_buf_adds(&p, "{\"person_id\":");
  fg_journal_json_add_str(&p, person_id, strlen(person_id));
  fg_buf_addf(&p, ",\"records\":%lld}", (long long)records);
  int rc = fg_store_begin(s, err);
  if (rc == 0) {
    rc = fg_journal_append(s, viewer, "person.view", p.buf, p.len, NULL, err);
    if (rc == 0) rc = fg_store_commit(s, err);
    else fg_store_rollback(s);
  }
  fg_buf_release(&p);
  return rc;
}

int fg_action_finding_viewed(fg_store *s, const fg_signer *viewer, int64_t finding_id,
                             int64_t run_id, const char *as, fg_err *err) {
  FG_ASSERT(s != NULL && viewer != NULL && as != NULL);
  fg_buf p = FG_BUF_INIT;
  fg_buf_adds(&p, "{\"as\":");
  fg_journal_json_add_str(&p, as, strlen(as));
  fg_buf_addf(&p, ",\"finding\":%lld,\"run\":%lld}", (long long)finding_id, (long long)run_id);
  int rc = fg_store_begin(s, err);
  if (rc == 0) {
    rc = fg_journal_append(s, viewer, "finding.view", p.buf, p.len, NULL, err);
    if (rc == 0) rc = fg_store_commit(s, err);
    else fg_store_rollback(s);
  }
  fg_buf_release(&p);
  return rc;
}

typedef struct fg_action_mention {
  const char *needle;
  int64_t now_s;
  int64_t id;
} fg_action_mention;

static int fg_action_mention_one(void *ud, const fg_store_proposal *p) {
  fg_action_mention *m = ud;
  const fg_review_status st = fg_review_status_of(p, m->now_s);
  if ((st == FG_REVIEW_PENDING || st == FG_REVIEW_REVIEWED) && strstr(p->payload, m->needle)) {
    m->id = p->id;
    return 1;
  }
  return 0;
}

int fg_action_open_proposal_naming(fg_store *s, const char *needle, int64_t now_s,
                                   int64_t *proposal_id, fg_err *err) {
  FG_ASSERT(s != NULL && needle != NULL && proposal_id != NULL);
  fg_action_mention m = {needle, now_s, 0};
  const int rc = fg_store_proposal_each(s, fg_action_mention_one, &m, err);
  *proposal_id = m.id;
  return rc < 0 ? rc : 0;
}

int fg_action_findings_exported(fg_store *s, const fg_signer *reader, const fg_action_export *x,
                                fg_err *err) {
  FG_ASSERT(s != NULL && reader != NULL && x != NULL && x->format != NULL && x->output != NULL);
  fg_buf p = FG_BUF_INIT;
  char run[32], cnt[32];
  snprintf(run, sizeof run, "%lld", (long long)x->run_id);
  snprintf(cnt, sizeof cnt, "%lld", (long long)x->count);
  /* keys in sorted order (canonical JSON); numbers bare, absent filters null */
  const char *const kv[][3] = {{"count", cnt, "n"},           {"format", x->format, "s"},
                               {"institution", x->institution, "s"}, {"output", x->output, "s"},
                               {"region", x->region, "s"},     {"rule", x->rule, "s"},
                               {"run", run, "n"},              {"severity", x->severity, "s"}};
  for (size_t i = 0; i < FG_ARRAY_LEN(kv); i++) {
    fg_buf_addf(&p, "%s\"%s\":", i ? "," : "{", kv[i][0]);
    if (kv[i][1] == NULL) fg_buf_adds(&p, "null");
    else if (kv[i][2][0] == 'n') fg_buf_adds(&p, kv[i][1]);
    else fg_journal_json_add_str(&p, kv[i][1], strlen(kv[i][1]));
  }
  fg_buf_addc(&p, '}');
  int rc = fg_store_begin(s, err);
  if (rc == 0) rc = fg_journal_append(s, reader, "findings.export", p.buf, p.len, NULL, err);
  if (rc == 0) rc = fg_store_commit(s, err);
  else fg_store_rollback(s);
  fg_buf_release(&p);
  return rc;
}
