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

#define FG_ACTION_PID_BYTES 19 /* fg_person_id_normalize's output, NUL included */

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
  assert(payload != NULL && v != NULL);
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
  assert(p != NULL && by != NULL && reviewer != NULL && approver != NULL);
  *reviewer = p->reviewer[0] ? p->reviewer : by->actor;
  *approver = p->reviewer[0] ? by->actor : NULL;
}

/* A value among the column's codes; the canonical text is the code. */
static const char *fg_action_enum(const fg_column *c, const char *s, size_t n) {
  for (const char *const *e = c->enum_values; e && *e; e++)
    if (strlen(*e) == n && memcmp(*e, s, n) == 0) return NULL;
  return "";
}

/* Dates, months, times and codes: judged, kept as given. */
static const char *fg_action_judge_text(const fg_column *c, const char *s, size_t n) {
  const int ni = n > 64 ? 64 : (int)n;
  fg_day day;
  fg_month month;
  int64_t ts;
  switch (c->type) {
  case FG_COL_USCC:
    return fg_gb32100_valid(s, n) ? NULL : "不是有效的统一社会信用代码，按 GB 32100 校验";
  case FG_COL_REGION:
    return fg_region_ok(s, n) ? NULL : "行政区划代码应为 6 位数字，前两位为省级代码";
  case FG_COL_DATE:
    return n == 10 && fg_parse_day(s, ni, &day)
               ? NULL
               : "不是有效日期，应为 1900-01-01 至 2099-12-31 间的 YYYY-MM-DD";
  case FG_COL_MONTH:
    return n == 7 && fg_parse_month(s, ni, &month) ? NULL : "不是有效月份，应为 YYYY-MM，月份 01-12";
  case FG_COL_TIMESTAMP:
    return n == 19 && fg_parse_timestamp(s, ni, &ts) ? NULL
                                                     : "不是有效时间，应为 YYYY-MM-DDTHH:MM:SS";
  case FG_COL_ENUM:
    return fg_action_enum(c, s, n);
  default:
    return NULL;
  }
}

const char *fg_action_convert(const fg_column *c, const char *s, size_t n, fg_value *v,
                              char *norm) {
  assert(c != NULL && s != NULL && v != NULL && norm != NULL);
  if (n >= FG_ACTION_VALUE_MAX) return "值过长";
  *v = (fg_value){false, 0, norm, 0};
  memcpy(norm, s, n);
  norm[n] = '\0';
  int year = 0;
  bool ok = true;
  switch (c->type) {
  case FG_COL_PERSON_ID:
    if (n >= FG_ACTION_PID_BYTES || !fg_person_id_normalize(s, n, norm))
      return "身份证号应为 1-18 位 ASCII 字母或数字";
    break;
  case FG_COL_YEAR:
    ok = fg_parse_year(s, n, &year);
    v->i = year;
    if (!ok) return "年份应为 4 位数字";
    break;
  case FG_COL_MONEY:
    if (!fg_parse_money(s, n, &v->i)) return "金额应为元，非负，最多 13 位整数和 2 位小数";
    break;
  case FG_COL_QTY:
    if (!fg_parse_qty(s, n, &v->i)) return "数量应为非负小数，最多 3 位小数";
    break;
  case FG_COL_UINT:
    if (!fg_parse_uint(s, n, &v->i)) return "应为非负整数，只含数字";
    break;
  default: {
    const char *what = fg_action_judge_text(c, s, n);
    if (what) return what;
  }
  }
  if (strcmp(fg_schema_sql_type(c->type), "INTEGER") == 0)
    fg_action_value_text(c, v, norm, FG_ACTION_VALUE_MAX);
  v->n = (int)strlen(norm);
  return NULL;
}

bool fg_action_value_text(const fg_column *c, const fg_value *v, char *out, size_t out_size) {
  assert(c != NULL && v != NULL && out != NULL && out_size > 0);
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
  assert(s != NULL && viewer != NULL && person_id != NULL && records >= 0);
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
  fg_buf_free(&p);
  return rc;
}
