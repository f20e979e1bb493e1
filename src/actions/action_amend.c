/*
 * action_amend.c — data_amendment: a correction of an imported record. A
 * handler proposes new values for columns of one row of a keyed standard
 * table; after review and approval each corrected column becomes one
 * amendments row (table, key, rowid of the original, column, old value,
 * new value, reason, proposal, proposer, reviewer, approver), covered by
 * the approval's journal entry. The original row is never changed (the
 * standard tables are append-only); screening reads the rows as stored.
 *
 * Payload: {"columns": [..], "key": "k1[,k2]", "reason", "table",
 * "values": [..]}. The check: the table has a key, the row exists, every
 * column is known and not a key column, named once, and every value passes
 * the import's field parsers (an empty value clears an optional field);
 * the message names the column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions_impl.h"

typedef struct fg_amend {
  const fg_table *t;
  const char *key, *reason;
  fg_value keys[FG_MAX_KEY_COLS];
  char keynorm[FG_MAX_KEY_COLS][FG_ACTION_VALUE_MAX];
  int64_t rowid;
  int n;
  int col[FG_ACTION_SET_MAX];
  bool clear[FG_ACTION_SET_MAX];
  char norm[FG_ACTION_SET_MAX][FG_ACTION_VALUE_MAX];
} fg_amend;

static void fg_amend_json_list(fg_buf *b, const char *name, const char *const *items, int n) {
  fg_buf_addf(b, "\"%s\":[", name);
  for (int i = 0; i < n; i++) {
    if (i) fg_buf_addc(b, ',');
    fg_journal_json_add_str(b, items[i], strlen(items[i]));
  }
  fg_buf_addc(b, ']');
}

char *fg_action_payload_amend(const char *table, const char *key, const char *const *cols,
                              const char *const *vals, int n, const char *reason) {
  return fg_action_payload_amend_case(table, key, cols, vals, n, reason, 0);
}

char *fg_action_payload_amend_case(const char *table, const char *key, const char *const *cols,
                                   const char *const *vals, int n, const char *reason,
                                   int64_t case_id) {
  FG_ASSERT(table && key && reason && n >= 0 && (n == 0 || (cols && vals)) && case_id >= 0);
  fg_buf b = FG_BUF_INIT;
  fg_buf_addc(&b, '{');
  if (case_id > 0) fg_buf_addf(&b, "\"case\":%lld,", (long long)case_id);
  fg_amend_json_list(&b, "columns", cols, n);
  fg_buf_adds(&b, ",\"key\":");
  fg_journal_json_add_str(&b, key, strlen(key));
  fg_buf_adds(&b, ",\"reason\":");
  fg_journal_json_add_str(&b, reason, strlen(reason));
  fg_buf_adds(&b, ",\"table\":");
  fg_journal_json_add_str(&b, table, strlen(table));
  fg_buf_addc(&b, ',');
  fg_amend_json_list(&b, "values", vals, n);
  fg_buf_addc(&b, '}');
  return fg_buf_detach(&b);
}

/* Message of a wrong value of column c, naming it (and the codes). */
static int fg_amend_bad(const fg_column *c, const char *what, const char *s, fg_err *err) {
  if (what[0] != '\0')
    return fg_errf(err, FG_EINPUT, "列 %s: %s (%.64s)", c->name, what, s);
  fg_buf codes = FG_BUF_INIT;
  for (const char *const *e = c->enum_values; e && *e; e++)
    fg_buf_addf(&codes, "%s%s", e == c->enum_values ? "" : " ", *e);
  int rc = fg_errf(err, FG_EINPUT, "列 %s: 不是允许的代码之一 [%s] (%.64s)", c->name,
                   codes.buf ? codes.buf : "", s);
  fg_buf_release(&codes);
  return rc;
}

/* The table, its key values and the row they name. */
static int fg_amend_row(fg_store *s, const fg_journal_json *v, fg_amend *a, fg_err *err) {
  const char *table = fg_action_json_str(v, "table");
  a->key = fg_action_json_str(v, "key");
  if (table == NULL || a->key == NULL) return fg_errf(err, FG_EINPUT, "提议内容缺少表名或主键");
  if ((a->t = fg_schema_by_name(table)) == NULL)
    return fg_errf(err, FG_EINPUT, "数据标准中没有表 %.64s", table);
  if (a->t->nkey == 0)
    return fg_errf(err, FG_EINPUT, "表 %s 没有主键，不能按主键修正记录", a->t->name);
  if (strlen(a->key) >= FG_ACTION_KEY_MAX) return fg_errf(err, FG_ELIMIT, "主键过长");
  const char *p = a->key;
  for (int k = 0; k < a->t->nkey; k++) {
    const fg_column *c = &a->t->cols[a->t->key_cols[k]];
    bool last = k == a->t->nkey - 1;
    size_t n = last ? strlen(p) : strcspn(p, ",");
    if (!last && p[n] != ',')
      return fg_errf(err, FG_EINPUT, "表 %s 的主键有 %d 列，应写作 K1,K2", a->t->name, a->t->nkey);
    char part[FG_ACTION_KEY_MAX];
    snprintf(part, sizeof part, "%.*s", (int)n, p);
    const char *what = fg_action_convert(c, part, n, &a->keys[k], a->keynorm[k]);
    if (what) return fg_amend_bad(c, what, part, err);
    p += n + (last ? 0 : 1);
  }
  bool found = false;
  int rc = fg_store_row_by_key(s, a->t->id, a->keys, &a->rowid, &found, err);
  if (rc == 0 && !found)
    rc = fg_errf(err, FG_EINPUT, "表 %s 中没有主键为 %s 的记录", a->t->name, a->key);
  return rc;
}

/* One correction: column name and value, judged. */
static int fg_amend_one(fg_amend *a, int i, const fg_journal_json *cv,
                        const fg_journal_json *vv, fg_err *err) {
  if (cv->type != FG_JSON_STR || vv->type != FG_JSON_STR || strlen(vv->s) != vv->len)
    return fg_errf(err, FG_EINPUT, "提议内容中的列与值应为文本");
  int c = fg_schema_col(a->t, cv->s);
  if (c < 0) return fg_errf(err, FG_EINPUT, "表 %s 没有列 %.64s", a->t->name, cv->s);
  const fg_column *col = &a->t->cols[c];
  for (int k = 0; k < a->t->nkey; k++)
    if (a->t->key_cols[k] == c)
      return fg_errf(err, FG_EINPUT, "列 %s 是表 %s 的主键，不能修正（主键标识记录）", col->name,
                     a->t->name);
  for (int j = 0; j < i; j++)
    if (a->col[j] == c) return fg_errf(err, FG_EINPUT, "列 %s 重复", col->name);
  a->col[i] = c;
  a->clear[i] = vv->len == 0;
  a->norm[i][0] = '\0';
  if (a->clear[i])
    return col->required ? fg_errf(err, FG_EINPUT, "列 %s: 必填字段不能为空", col->name) : 0;
  fg_value val;
  const char *what = fg_action_convert(col, vv->s, vv->len, &val, a->norm[i]);
  return what ? fg_amend_bad(col, what, vv->s, err) : 0;
}

/* Parse and judge payload against the store into *a. */
static int fg_amend_parse(fg_store *s, const char *payload, fg_amend *a, fg_journal_json **v,
                          fg_err *err) {
  int rc = fg_action_json(payload, v, err);
  if (rc) return rc;
  if ((rc = fg_action_reason(*v, &a->reason, err)) != 0) return rc;
  if ((rc = fg_amend_row(s, *v, a, err)) != 0) return rc;
  const fg_journal_json *cols = fg_journal_json_get(*v, "columns");
  const fg_journal_json *vals = fg_journal_json_get(*v, "values");
  if (cols == NULL || vals == NULL || cols->type != FG_JSON_ARR || vals->type != FG_JSON_ARR ||
      cols->n != vals->n || cols->n == 0)
    return fg_errf(err, FG_EINPUT, "提议内容须列出要修正的列及其新值 (--set COLUMN=VALUE)");
  if (cols->n > FG_ACTION_SET_MAX)
    return fg_errf(err, FG_ELIMIT, "一次最多修正 %d 列", FG_ACTION_SET_MAX);
  a->n = (int)cols->n;
  for (int i = 0; rc == 0 && i < a->n; i++)
    rc = fg_amend_one(a, i, &cols->items[i], &vals->items[i], err);
  return rc;
}

/* The case an amendment names (cases.md: closes an operator_error case);
 * 0 when none. */
static int fg_amend_case(fg_store *s, const fg_journal_json *v, int64_t *case_id, fg_err *err) {
  *case_id = 0;
  if (v == NULL || fg_journal_json_get(v, "case") == NULL) return 0;
  fg_store_case_row c;
  bool found = false;
  int rc = fg_action_json_int(v, "case", case_id) && *case_id > 0
               ? fg_store_case_get(s, *case_id, &c, &found, err)
               : fg_errf(err, FG_EINPUT, "提议内容中的案件编号无效");
  if (rc == 0 && !found) rc = fg_errf(err, FG_EINPUT, "案件 #%lld 不存在", (long long)*case_id);
  return rc;
}

int fg_action_amend_check(fg_store *s, const char *payload, fg_err *err) {
  fg_amend *a = fg_xcalloc(1, sizeof *a);
  fg_journal_json *v = NULL;
  int rc = fg_amend_parse(s, payload, a, &v, err);
  int64_t case_id = 0;
  if (rc == 0) rc = fg_amend_case(s, v, &case_id, err);
  fg_journal_json_free(v);
  free(a);
  return rc;
}

/* The amendments rows of a, each with the original's old value. */
static int fg_amend_write(fg_store *s, const fg_amend *a, const fg_store_proposal *p,
                          const fg_signer *by, int64_t jseq, fg_err *err) {
  fg_value vals[FG_MAX_COLS];
  bool found = false;
  int rc = fg_store_get_row(s, a->t->id, a->rowid, vals, &found, err);
  if (rc == 0 && !found) rc = fg_errf(err, FG_EINPUT, "原记录已不存在");
  char old[FG_ACTION_VALUE_MAX];
  for (int i = 0; rc == 0 && i < a->n; i++) {
    const fg_column *c = &a->t->cols[a->col[i]];
    bool has_old = fg_action_value_text(c, &vals[a->col[i]], old, sizeof old);
    fg_store_amendment row = {.table = a->t->name,
                              .key = a->key,
                              .rowid = a->rowid,
                              .column = c->name,
                              .old_value = has_old ? old : NULL,
                              .new_value = a->clear[i] ? NULL : a->norm[i],
                              .reason = a->reason,
                              .proposal_id = p->id,
                              .proposer = p->proposer};
    fg_action_people(p, by, &row.reviewer, &row.approver);
    rc = fg_store_amendment_add(s, &row, jseq, err);
  }
  return rc;
}

int fg_action_amend_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                          int64_t jseq, fg_err *err) {
  FG_ASSERT(s != NULL && p != NULL && by != NULL && jseq >= 0);
  fg_amend *a = fg_xcalloc(1, sizeof *a);
  fg_journal_json *v = NULL;
  int rc = fg_amend_parse(s, p->payload, a, &v, err);
  int64_t case_id = 0;
  if (rc == 0) rc = fg_amend_case(s, v, &case_id, err);
  if (rc == 0) rc = fg_amend_write(s, a, p, by, jseq, err);
  if (rc == 0 && case_id > 0) { /* the case's closing condition, in the same step */
    char on[11];
    fg_format_day(fg_beijing_today(), on);
    fg_store_case_event e = {.case_id = case_id, .kind = "amendment", .on_date = on,
                             .actor = by->actor, .text = "数据更正已批准", .proposal_id = p->id};
    rc = fg_store_case_event_add(s, &e, jseq, err);
  }
  fg_journal_json_free(v);
  free(a);
  return rc;
}

int fg_action_amend_describe(fg_store *s, const char *payload, fg_buf *out, fg_err *err) {
  fg_amend a;
  memset(&a, 0, sizeof a);
  fg_journal_json *v = NULL;
  int rc = fg_amend_parse(s, payload, &a, &v, err);
  fg_value vals[FG_MAX_COLS];
  bool found = false;
  if (rc == 0) rc = fg_store_get_row(s, a.t->id, a.rowid, vals, &found, err);
  const fg_journal_json *cols = v ? fg_journal_json_get(v, "columns") : NULL;
  const fg_journal_json *nv = v ? fg_journal_json_get(v, "values") : NULL;
  for (size_t i = 0; rc == 0 && found && cols && nv && i < cols->n && i < nv->n; i++) {
    char old[FG_ACTION_VALUE_MAX];
    const int c = a.col[i];
    if (!fg_action_value_text(&a.t->cols[c], &vals[c], old, sizeof old)) snprintf(old, sizeof old, "（空）");
    fg_buf_addf(out, "  %s: %s → %s\n", a.t->cols[c].name, old,
                nv->items[i].len ? nv->items[i].s : "（空）");
  }
  fg_journal_json_free(v);
  return rc;
}
