/*
 * import_row.c — reading one standard file into the batch: the header
 * (columns by name, any order, case-insensitive; unknown columns noticed
 * once; duplicates and missing required columns refused), then every
 * record: each field judged alone (data-standard.md "What import checks"),
 * its key against this batch and earlier ones, its references, and then
 * stored, counted unchanged, or rejected (listed as an error in atomic mode,
 * written to the reject file in quarantine mode, with the cascade).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fields/fields.h"
#include "import/import_impl.h"
#include "import/import_pipe.h"
#include "import/import_sets.h"

enum {
  FG_IMP_VALUE_SHOWN_MAX = 200, /* bytes of a value quoted in a message */
  FG_IMP_HEADER_NAME_MAX = 128,
};

typedef struct fg_imp_file_ctx {
  fg_imp *im;
  fg_import_file *f;
  const fg_table *t;
  const char *fname;
  int colmap[FG_CSV_FIELDS_MAX]; /* field position -> schema column, -1 unknown */
  int pos[FG_MAX_COLS];          /* schema column -> 1-based field position, 0 absent */
  int nheader;
  bool is_target; /* other tables reference this one */
  const fg_csv_record *rec;
  fg_value vals[FG_MAX_COLS];
  uint8_t digest[FG_DIGEST_BYTES]; /* a keyless row's, bound as vals[ncols] */
  uint64_t key_hash; /* of the row's key bytes or digest (batch_keys); 0 none */
  bool key_whole;    /* a keyed table's row has every key column: key built */
  uint64_t ref_hash[FG_MAX_COLS]; /* of a checked reference's value; 0 = none */
  /* fg_imp_prefetch_ahead's hashes of a column's value (0 = none): of the
   * record ahead (ahead_hash), and of the record being judged (held_hash,
   * moved over by fg_imp_hold), which fg_imp_prepare takes instead of
   * hashing the same bytes again */
  uint64_t ahead_hash[FG_MAX_COLS], held_hash[FG_MAX_COLS];
  char pid[FG_MAX_COLS][FG_IMPORT_PID_BYTES];
  /* the record being judged, held while the reader is one record ahead
   * (fg_imp_hold): its fields, the bytes of its quoted ones */
  fg_csv_record held;
  fg_csv_field held_f[FG_CSV_FIELDS_MAX];
  fg_buf held_text;
  int nrow_errs;
  int ncascade;         /* of nrow_errs: references to rejected rows */
  int64_t cascade_root; /* index in im->roots, -1 none */
  fg_buf reason, key, msg;
} fg_imp_file_ctx;

/* Add " (value)" to b, cut at a UTF-8 boundary when long. */
/* The value in parentheses, cut at FG_IMP_VALUE_SHOWN_MAX bytes on a
 * character boundary; control bytes shown escaped (\xNN), never raw. */
static void fg_imp_add_value(fg_buf *b, const char *s, size_t n) {
  if (n == 0) return;
  size_t k = FG_MIN(n, (size_t)FG_IMP_VALUE_SHOWN_MAX);
  while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
  fg_buf_adds(b, " (");
  for (size_t i = 0; i < k; i++) {
    const unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7F) fg_buf_addf(b, "\\x%02X", ch);
    else fg_buf_addc(b, (char)ch);
  }
  fg_buf_adds(b, k < n ? "…)" : ")");
}

/* The first control byte of s (tab allowed in free text), or -1. */
static int fg_imp_control(const char *s, size_t n, bool tab_ok) {
  for (size_t i = 0; i < n; i++) {
    const unsigned char ch = (unsigned char)s[i];
    if ((ch < 0x20 && !(tab_ok && ch == '\t')) || ch == 0x7F) return ch;
  }
  return -1;
}

/* One problem of the current row: `file:line:column: name: what (value)`,
 * or `file:line: what` when col < 0. */
static void fg_imp_row_problem(fg_imp_file_ctx *fc, int col, const char *what, const char *s,
                               size_t n) {
  fg_buf *m = &fc->msg;
  fg_buf_reset(m);
  if (col >= 0)
    fg_buf_addf(m, "%s:%lld:%d: %s: %s", fc->fname, (long long)fc->rec->line, fc->pos[col],
                fc->t->cols[col].name, what);
  else
    fg_buf_addf(m, "%s:%lld: %s", fc->fname, (long long)fc->rec->line, what);
  fg_imp_add_value(m, s, n);
  fc->nrow_errs++;
  if (fc->im->quarantine) {
    if (fc->reason.len + m->len < FG_IMPORT_REASON_LEN_MAX) {
      if (fc->reason.len) fg_buf_adds(&fc->reason, "; ");
      fg_buf_add(&fc->reason, m->buf, m->len);
    }
  } else {
    fg_imp_error(fc->im, "%s", m->buf);
  }
}

static bool fg_imp_enum_ok(const fg_column *col, const char *s, size_t n) {
  for (const char *const *v = col->enum_values; v && *v; v++)
    if (strlen(*v) == n && memcmp(*v, s, n) == 0) return true;
  return false;
}

static void fg_imp_enum_error(fg_imp_file_ctx *fc, int c, const char *s, size_t n) {
  fg_buf what = FG_BUF_INIT;
  fg_buf_adds(&what, "不是允许的代码之一 [");
  for (const char *const *v = fc->t->cols[c].enum_values; *v; v++)
    fg_buf_addf(&what, "%s%s", v == fc->t->cols[c].enum_values ? "" : " ", *v);
  fg_buf_adds(&what, "]");
  fg_imp_row_problem(fc, c, what.buf, s, n);
  fg_buf_release(&what);
}

/* Values Excel makes of a text column opened as numbers or dates: an id
 * turned into 4.10102E+17, a date into 1994/4/4. */
static bool fg_imp_excel_number(const char *s, size_t n) {
  size_t i = 0, digits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
  if (digits == 0) return false;
  if (i < n && s[i] == '.')
    for (i++; i < n && s[i] >= '0' && s[i] <= '9';) i++;
  if (i + 2 >= n || (s[i] != 'E' && s[i] != 'e') || s[i + 1] != '+') return false;
  for (i += 2; i < n && s[i] >= '0' && s[i] <= '9';) i++;
  return i == n;
}

static bool fg_imp_excel_date(const char *s, size_t n) {
  int parts = 0;
  size_t len = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || s[i] == '/') {
      if (len == 0 || len > 4) return false;
      parts++, len = 0;
    } else if (s[i] >= '0' && s[i] <= '9') {
      len++;
    } else {
      return false;
    }
  }
  return parts == 3;
}

static const char *fg_import_judge_plain(const fg_column *col, const char *s, size_t n,
                                         fg_value *v, char *pid);

static const char fg_imp_excel_hint[] =
    "；这个值像是被 Excel 改过格式（长数字变成科学计数法、日期变成 年/月/日）："
    "请从原系统重新导出，或在 Excel 中把该列设为“文本”后再另存为 CSV";

const char *fg_import_judge(const fg_column *col, const char *s, size_t n, fg_value *v,
                            char *pid) {
  const char *what = fg_import_judge_plain(col, s, n, v, pid);
  if (what == NULL || what[0] == '\0') return what;
  if (!fg_imp_excel_number(s, n) && !fg_imp_excel_date(s, n)) return what;
  static __thread char msg[512];
  snprintf(msg, sizeof msg, "%s%s", what, fg_imp_excel_hint);
  return msg;
}

static const char *fg_import_judge_plain(const fg_column *col, const char *s, size_t n,
                                         fg_value *v, char *pid) {
  FG_ASSERT_HOT(col != NULL && s != NULL && v != NULL && pid != NULL);
  const int ni = n > 64 ? 64 : (int)n; /* longer never parses as date/month/time */
  int year = 0;
  fg_day day;
  fg_month month;
  int64_t ts;
  switch (col->type) {
  case FG_COL_TEXT:
  case FG_COL_ID: /* a NUL would cut a name short; CR, LF and ESC reach terminals */
    return fg_imp_control(s, n, col->type == FG_COL_TEXT) < 0
               ? NULL
               : "含控制字符（NUL、换行、回车等；自由文本中只允许制表符），请清理后重新导出";
  case FG_COL_PERSON_ID:
    if (!fg_person_id_normalize(s, n, pid)) return "身份证号应为 1-18 位 ASCII 字母或数字";
    v->s = pid;
    return NULL;
  case FG_COL_USCC:
    return fg_gb32100_valid(s, n) ? NULL : "不是有效的统一社会信用代码，按 GB 32100 校验";
  case FG_COL_REGION:
    return fg_region_ok(s, n) ? NULL : "行政区划代码应为 6 位数字，前两位为省级代码";
  case FG_COL_DATE:
    return n == 10 && fg_parse_day(s, ni, &day) ? NULL
                                               : "不是有效日期，应为 1900-01-01 至 2099-12-31 间的 YYYY-MM-DD";
  case FG_COL_MONTH:
    return n == 7 && fg_parse_month(s, ni, &month) ? NULL : "不是有效月份，应为 YYYY-MM，月份 01-12";
  case FG_COL_TIMESTAMP:
    return n == 19 && fg_parse_timestamp(s, ni, &ts) ? NULL
                                                     : "不是有效时间，应为 YYYY-MM-DDTHH:MM:SS";
  case FG_COL_YEAR:
    if (!fg_parse_year(s, n, &year)) return "年份应为 4 位数字";
    v->i = year;
    return NULL;
  case FG_COL_MONEY:
    return fg_parse_money(s, n, &v->i) ? NULL
                                       : "金额应为元，非负，最多 13 位整数和 2 位小数";
  case FG_COL_QTY:
    return fg_parse_qty(s, n, &v->i) ? NULL : "数量应为非负小数，最多 3 位小数";
  case FG_COL_UINT:
    if (!fg_parse_uint(s, n, &v->i)) return "应为非负整数，只含数字";
    /* a whole number from a fixed list (retirements.original_age) */
    return col->enum_values == NULL || fg_imp_enum_ok(col, s, n) ? NULL : "";
  case FG_COL_ENUM:
    return fg_imp_enum_ok(col, s, n) ? NULL : "";
  case FG_COL_AGENCY_ID:
    return fg_agency_id_ok(s, n) ? NULL : "经办机构编码应为 1-20 位 ASCII 字母或数字";
  }
  return "未知的列类型";
}

const char *fg_imp_value(const fg_column *col, const char *s, size_t n, fg_value *v, char *pid) {
  *v = (fg_value){true, 0, NULL, 0};
  if (n == 0) return NULL;
  *v = (fg_value){false, 0, s, (int)n};
  const char *what = fg_import_judge(col, s, n, v, pid);
  if (what != NULL) *v = (fg_value){true, 0, NULL, 0};
  return what;
}

static void fg_imp_field(fg_imp_file_ctx *fc, int c, const char *s, size_t n) {
  const char *what = fg_imp_value(&fc->t->cols[c], s, n, &fc->vals[c], fc->pid[c]);
  if (n == 0) {
    if (fc->t->cols[c].required) fg_imp_row_problem(fc, c, "必填字段为空", NULL, 0);
    return;
  }
  if (what == NULL) return;
  if (what[0] == '\0')
    fg_imp_enum_error(fc, c, s, n);
  else
    fg_imp_row_problem(fc, c, what, s, n);
}

/* Human-readable key: "name=value, name=value". */
static void fg_imp_key_text(fg_imp_file_ctx *fc, fg_buf *b) {
  for (int k = 0; k < fc->t->nkey; k++) {
    const int c = fc->t->key_cols[k];
    const fg_value *v = &fc->vals[c];
    fg_buf_addf(b, "%s%s=", k ? ", " : "", fc->t->cols[c].name);
    if (fg_schema_is_int(fc->t->cols[c].type))
      fg_buf_addf(b, "%lld", (long long)v->i);
    else
      fg_buf_add(b, v->s, (size_t)v->n);
  }
}

/* First column whose value differs from the stored row, or -1. */
static int fg_imp_first_diff(fg_imp_file_ctx *fc, const fg_value *stored) {
  for (int c = 0; c < fc->t->ncols; c++) {
    const fg_value *a = &fc->vals[c], *b = &stored[c];
    if (a->is_null != b->is_null) return c;
    if (a->is_null) continue;
    if (fg_schema_is_int(fc->t->cols[c].type)) {
      if (a->i != b->i) return c;
    } else if (a->n != b->n || memcmp(a->s, b->s, (size_t)a->n) != 0) {
      return c;
    }
  }
  return -1;
}

/* (v1.3) A keyless row equal in every column to one an earlier batch
 * stored is a resend: *unchanged. Its 128-bit digest (made by
 * fg_imp_prepare, kept in vals[ncols] for the _digest column) is looked up
 * among the earlier batches' digests.
 * Rows of this batch are never compared with each other: two equal rows of
 * one batch are two facts. */
static void fg_imp_check_resend(fg_imp_file_ctx *fc, bool *unchanged, fg_err *err, int *rc) {
  (void)err, (void)rc;
  const fg_table *t = fc->t;
  FG_ASSERT_HOT(fc->vals[t->ncols].s == (const char *)fc->digest && fc->key_hash != 0);
  const int64_t *tag = fg_keyset_find_h(&fc->im->tabs[t->id].keys, fc->key_hash,
                                        (const char *)fc->digest, FG_DIGEST_BYTES);
  *unchanged = tag != NULL && fc->nrow_errs == 0;
}

/* Key of the current row against this batch and earlier ones. Sets
 * *unchanged when an earlier batch stored the same row; returns the tag
 * slot of the key (NULL when the row has no complete key). */
static int64_t *fg_imp_check_key(fg_imp_file_ctx *fc, bool *unchanged, fg_err *err, int *rc) {
  const fg_table *t = fc->t;
  *unchanged = false;
  if (fg_schema_keyless(t)) {
    fg_imp_check_resend(fc, unchanged, err, rc);
    return NULL;
  }
  if (!fc->key_whole) return NULL;
  const int64_t line = fc->rec->line;
  bool added = false;
  int64_t *tag = fg_keyset_put_h(&fc->im->tabs[t->id].keys, fc->key_hash, fc->key.buf,
                                 fc->key.len, fg_imp_tag_batch(line, false), &added);
  if (added) return tag;
  fg_buf what = FG_BUF_INIT;
  fg_buf_adds(&what, "重复的键 ");
  fg_imp_key_text(fc, &what);
  if (fg_imp_tag_in_batch(*tag)) {
    fg_buf_addf(&what, "，与本批第 %lld 行相同", (long long)fg_imp_tag_line(*tag));
    fg_imp_row_problem(fc, t->key_cols[0], what.buf, NULL, 0);
  } else {
    fg_value stored[FG_MAX_COLS];
    bool found = false;
    *rc = fg_imp_pipe_get_row(fc->im->pipe, t->id, *tag, stored, &found, err);
    const int d = (*rc == 0 && found) ? fg_imp_first_diff(fc, stored) : -1;
    if (d < 0) {
      *unchanged = *rc == 0;
    } else {
      fg_buf_reset(&what);
      fg_buf_adds(&what, "键 ");
      fg_imp_key_text(fc, &what);
      fg_buf_addf(&what, " 已由此前的批次存入，而本行的 %s 不同，更正须另行报送，不能覆盖",
                  t->cols[d].name);
      const fg_value *v = &fc->vals[d];
      char num[32];
      const bool is_int = fg_schema_is_int(t->cols[d].type);
      if (is_int && !v->is_null) snprintf(num, sizeof num, "%lld", (long long)v->i);
      const int col = fc->pos[d] > 0 ? d : t->key_cols[0];
      fg_imp_row_problem(fc, col, what.buf, v->is_null ? NULL : is_int ? num : v->s,
                         v->is_null ? 0 : is_int ? strlen(num) : (size_t)v->n);
    }
  }
  fg_buf_release(&what);
  return tag;
}

/* The column of t's key when the key is one text column, else -1: its
 * bytes are the key, so the read-ahead's hash of it is the key's hash. */
static int fg_imp_text_key_col(const fg_table *t) {
  if (fg_schema_keyless(t) || t->nkey != 1) return -1;
  const int c = t->key_cols[0];
  return fg_schema_is_int(t->cols[c].type) ? -1 : c;
}

/* The hash of the judged value (s, n): ahead's when the read-ahead made one
 * from the same field (fg_imp_prefetch_ahead). It hashed the field as the
 * judge keeps an accepted value — a person id normalized, any other as its
 * bytes — so the two agree whenever the value was accepted (a refused one
 * is null and never asked for); Debug builds check it on every row. */
static uint64_t fg_imp_hash_known(const char *s, size_t n, uint64_t ahead) {
  if (!ahead) return fg_keyset_hash_of(s, n);
  FG_ASSERT_HOT(ahead == fg_keyset_hash_of(s, n));
  return ahead;
}

/* Before the row's checks: its key (a keyed table's) and the hashes of its
 * key and of every reference value it will look up, with a prefetch of each
 * one's first slot. A row of the largest tables probes two or three hash sets
 * of millions of slots, each a cache miss; asked for together, up front, the
 * misses overlap each other and the row's digest instead of following one
 * another (issue 19: the probes were 11 % of a 1M import's samples on the
 * reading thread that bounds it). Only hashes and hints: no set changes. */
static void fg_imp_prepare(fg_imp_file_ctx *fc) {
  const fg_table *t = fc->t;
  fc->key_whole = false;
  if (!fg_schema_keyless(t)) {
    fg_buf_reset(&fc->key);
    fc->key_whole = true;
    for (int k = 0; k < t->nkey && fc->key_whole; k++) {
      const int c = t->key_cols[k];
      fc->key_whole = !fc->vals[c].is_null;
      if (fc->key_whole) fg_imp_key_add(&fc->key, &t->cols[c], &fc->vals[c]);
    }
    if (fc->key_whole) {
      const int kc = fg_imp_text_key_col(t);
      const uint64_t ahead = kc >= 0 ? fc->held_hash[kc] : 0;
      fc->key_hash = fg_imp_hash_known(fc->key.buf ? fc->key.buf : "", fc->key.len, ahead);
      if (!ahead) fg_keyset_prefetch(&fc->im->tabs[t->id].keys, fc->key_hash);
    }
  }
  for (int c = 0; c < t->ncols; c++) {
    const int rt = t->cols[c].ref_table;
    const fg_value *v = &fc->vals[c];
    fc->ref_hash[c] = 0;
    if (rt < 0 || v->is_null || !fc->im->tabs[rt].present) continue;
    FG_ASSERT_HOT(fc->im->tabs[rt].refs != NULL);
    fc->ref_hash[c] = fg_imp_hash_known(v->s, (size_t)v->n, fc->held_hash[c]);
    if (!fc->held_hash[c]) fg_keyset_prefetch(fc->im->tabs[rt].refs, fc->ref_hash[c]);
  }
  if (fg_schema_keyless(t)) { /* the digest's work overlaps the misses above */
    fg_imp_row_digest(t, fc->vals, &fc->key, fc->digest);
    fc->vals[t->ncols] = (fg_value){false, 0, (const char *)fc->digest, FG_DIGEST_BYTES};
    fc->key_hash = fg_keyset_hash_of((const char *)fc->digest, FG_DIGEST_BYTES);
    fg_keyset_prefetch(&fc->im->tabs[t->id].keys, fc->key_hash);
  }
}

/* References of the current row (only to tables some batch brought). */
static void fg_imp_check_refs(fg_imp_file_ctx *fc) {
  fc->cascade_root = -1;
  fc->ncascade = 0;
  for (int c = 0; c < fc->t->ncols; c++) {
    const int rt = fc->t->cols[c].ref_table;
    const fg_value *v = &fc->vals[c];
    if (rt < 0 || v->is_null || !fc->im->tabs[rt].present) continue;
    fg_imp_table *target = &fc->im->tabs[rt];
    FG_ASSERT_HOT(target->refs != NULL);
    const uint64_t h = fc->ref_hash[c];
    FG_ASSERT_HOT(h != 0);
    const int64_t *tag = fg_keyset_find_h(target->refs, h, v->s, (size_t)v->n);
    if (tag != NULL && !fg_imp_tag_rejected(*tag)) continue;
    const int64_t *root = fg_keyset_find_h(&target->rejected, h, v->s, (size_t)v->n);
    if (root != NULL) {
      if (fc->cascade_root < 0) fc->cascade_root = *root;
      if (!fc->im->quarantine) continue; /* its own error is already listed */
      fc->ncascade++;
      fg_buf what = FG_BUF_INIT;
      fg_buf_addf(&what, "引用的 %s 行已被拒绝，首个被拒绝的行是 %s",
                  fg_schema_table(rt)->name, fc->im->roots[*root]);
      fg_imp_row_problem(fc, c, what.buf, v->s, (size_t)v->n);
      fg_buf_release(&what);
      continue;
    }
    fg_buf what = FG_BUF_INIT;
    fg_buf_addf(&what, "%s 中没有 %s 为此值的行", fg_schema_table(rt)->name,
                fg_schema_table(rt)->cols[fc->t->cols[c].ref_col].name);
    fg_imp_row_problem(fc, c, what.buf, v->s, (size_t)v->n);
    fg_buf_release(&what);
  }
}

static void fg_imp_csv_field(FILE *f, const char *s, size_t n) {
  fg_buf b = FG_BUF_INIT;
  fg_csv_cell(&b, s, n);
  if (b.len) fwrite(b.buf, 1, b.len, f);
  fg_buf_release(&b);
}

/* The row is rejected: count it, note its key and referenced value as
 * rejected (cascade), write it to the reject file in quarantine mode. */
static int fg_imp_reject(fg_imp_file_ctx *fc, int64_t *key_tag, fg_err *err) {
  fg_imp *im = fc->im;
  fc->f->rows_rejected++;
  if (key_tag != NULL && fg_imp_tag_in_batch(*key_tag))
    *key_tag = fg_imp_tag_batch(fc->rec->line, true);
  /* A row with problems of its own starts a chain; one rejected only for
   * pointing at a rejected row carries that row's first rejection on. */
  int64_t root = fc->nrow_errs > fc->ncascade ? -1 : fc->cascade_root;
  if (root < 0) {
    if (im->nroots == im->roots_cap) {
      im->roots_cap = im->roots_cap ? im->roots_cap * 2 : 64;
      im->roots = fg_xrealloc(im->roots, im->roots_cap * sizeof *im->roots);
    }
    fg_buf b = FG_BUF_INIT;
    fg_buf_addf(&b, "%s:%lld", fc->fname, (long long)fc->rec->line);
    root = (int64_t)im->nroots;
    im->roots[im->nroots++] = fg_buf_detach(&b);
  }
  if (fc->is_target && !fc->vals[0].is_null) {
    bool added = false;
    fg_keyset_put(&im->tabs[fc->t->id].rejected, fc->vals[0].s, (size_t)fc->vals[0].n, root,
                  &added);
  }
  if (!im->quarantine) return 0;
  im->r->nrejected++;
  fprintf(im->reject, "%s,%lld,", fc->fname, (long long)fc->rec->line);
  fg_imp_csv_field(im->reject, fc->reason.buf ? fc->reason.buf : "", fc->reason.len);
  fputc(',', im->reject);
  fg_imp_csv_field(im->reject, fc->rec->raw, fc->rec->raw_n);
  if (fputc('\n', im->reject) == EOF)
    return fg_errf(err, FG_EIO, "无法写入隔离文件 %s", im->o->quarantine_path);
  return 0;
}

/* Store the current row (queue it for the SQLite thread; once an atomic
 * batch has failed, only remember it) and make it a reference target. */
static int fg_imp_store(fg_imp_file_ctx *fc, fg_err *err) {
  fg_imp *im = fc->im;
  if (im->storing) {
    const int rc = fg_imp_pipe_push(im->pipe, fc->f, fc->rec->line, fc->vals, fc->key_hash, err);
    if (rc) return rc;
  }
  fc->f->rows_stored++;
  fg_imp_table *it = &im->tabs[fc->t->id];
  if (fc->is_target && it->refs == &it->refs_own && it->refs_loaded) {
    bool added = false;
    fg_keyset_put(&it->refs_own, fc->vals[0].s, (size_t)fc->vals[0].n, 1, &added);
  }
  return 0;
}

static int fg_imp_row(fg_imp_file_ctx *fc, const fg_csv_record *rec, fg_err *err) {
  fc->rec = rec;
  fc->nrow_errs = 0;
  fc->ncascade = 0;
  fc->cascade_root = -1;
  fc->key_hash = 0;
  fg_buf_reset(&fc->reason);
  fc->f->rows_read++;
  for (int c = 0; c < fc->t->ncols; c++) fc->vals[c] = (fg_value){true, 0, NULL, 0};
  if (rec->nf != fc->nheader) {
    char what[128];
    snprintf(what, sizeof what, "本行有 %d 个字段，而表头有 %d 个", rec->nf, fc->nheader);
    fg_imp_row_problem(fc, -1, what, NULL, 0);
    return fg_imp_reject(fc, NULL, err);
  }
  for (int i = 0; i < rec->nf; i++)
    if (fc->colmap[i] >= 0) fg_imp_field(fc, fc->colmap[i], rec->f[i].s, rec->f[i].n);
  fg_imp_prepare(fc);
  bool unchanged = false;
  int rc = 0;
  int64_t *tag = fg_imp_check_key(fc, &unchanged, err, &rc);
  if (rc) return rc;
  fg_imp_check_refs(fc);
  if (fc->nrow_errs > 0 || fc->cascade_root >= 0) return fg_imp_reject(fc, tag, err);
  if (unchanged) {
    if (tag != NULL) *tag = fg_imp_tag_batch(rec->line, false);
    fc->f->rows_unchanged++;
    return 0;
  }
  return fg_imp_store(fc, err);
}

/* Copy a header name for lookup; false when too long to be a column. */
static bool fg_imp_header_name(const fg_csv_field *h, char *out) {
  if (h->n >= FG_IMP_HEADER_NAME_MAX) return false;
  memcpy(out, h->s, h->n);
  out[h->n] = '\0';
  return true;
}

int fg_imp_header_col(const fg_table *t, const fg_csv_record *h, int i, int *dup) {
  char name[FG_IMP_HEADER_NAME_MAX];
  *dup = -1;
  for (int j = 0; j < i && *dup < 0; j++)
    if (h->f[j].n == h->f[i].n && strncasecmp(h->f[j].s, h->f[i].s, h->f[i].n) == 0) *dup = j;
  return fg_imp_header_name(&h->f[i], name) ? fg_schema_col(t, name) : -1;
}

/* Map the header row; file-level problems are errors of the batch. */
static void fg_imp_header(fg_imp_file_ctx *fc, const fg_csv_record *h) {
  fg_imp *im = fc->im;
  fc->nheader = h->nf;
  fg_buf unknown = FG_BUF_INIT;
  for (int i = 0; i < h->nf; i++) {
    int dup = -1;
    const int c = fg_imp_header_col(fc->t, h, i, &dup);
    fc->colmap[i] = dup < 0 ? c : -1;
    if (dup >= 0)
      fg_imp_error(im, "%s:%lld: 表头中的列重复: %.*s (第 %d 列和第 %d 列)", fc->fname,
                   (long long)h->line, (int)h->f[i].n, h->f[i].s, dup + 1, i + 1);
    if (c >= 0 && fc->colmap[i] >= 0) {
      fc->pos[c] = i + 1;
    } else if (c < 0) {
      fg_buf_addf(&unknown, "%s%.*s", unknown.len ? ", " : "", (int)h->f[i].n, h->f[i].s);
    }
  }
  if (unknown.len > 0)
    fg_imp_notice(im, "注意: %s: 以下列不属于数据标准，已忽略: %s", fc->fname, unknown.buf);
  fg_buf_release(&unknown);
  for (int c = 0; c < fc->t->ncols; c++)
    if (fc->t->cols[c].required && fc->pos[c] == 0)
      fg_imp_error(im, "%s:%lld: 缺少必填列 %s", fc->fname, (long long)h->line,
                   fc->t->cols[c].name);
}

static bool fg_imp_is_target(fg_table_id t) {
  for (int u = 0; u < FG_T_COUNT; u++) {
    const fg_table *tab = fg_schema_table(u);
    for (int c = 0; c < tab->ncols; c++)
      if (tab->cols[c].ref_table == (int)t) return true;
  }
  return false;
}

static void fg_imp_progress(fg_imp *im, const fg_csv *c) {
  if (im->o->progress != NULL)
    im->o->progress(im->o->progress_ud, im->done_bytes + fg_csv_offset(c), im->total_bytes);
}

/* Rows between hand-backs of the file pages already parsed (rows travel to
 * the inserting thread as copies, so the mapping behind them is done with). */
#define FG_IMPORT_RELEASE_ROWS 65536
/* Rows read before the key sets are sized from the file size. */
#define FG_IMPORT_SIZE_SAMPLE_ROWS 4096

/* After a sample of rows, estimate the file's row count from the bytes read
 * so far and size this table's key sets once (doubling them row by row made
 * the kernel zero pages for a sixth of an import's time). A hint only. */
static void fg_imp_reserve(fg_imp_file_ctx *fc, fg_csv *c) {
  const uint64_t off = fg_csv_offset(c), size = fg_csv_size(c);
  if (off == 0 || size <= off) return;
  const uint64_t est = (uint64_t)fc->f->rows_read * size / off;
  const size_t more = (size_t)(est - (uint64_t)fc->f->rows_read) + est / 32;
  if (fc->t->nkey > 0) fg_keyset_reserve(&fc->im->tabs[fc->t->id].keys, more);
  if (fc->is_target) fg_keyset_reserve(&fc->im->tabs[fc->t->id].refs_own, more);
}

/* Hold rec across the next fg_csv_next: copy its fields, and the bytes of
 * its quoted fields (a quoted field holding "" lies in the reader's
 * per-record scratch); unquoted fields and rec->raw point into the reader's
 * text, which stays valid until the reader is closed (csv.h). */
static const fg_csv_record *fg_imp_hold(fg_imp_file_ctx *fc, const fg_csv_record *rec) {
  FG_ASSERT_HOT(rec->nf >= 1 && rec->nf <= FG_CSV_FIELDS_MAX);
  fg_buf_reset(&fc->held_text);
  for (int i = 0; i < rec->nf; i++) {
    fc->held_f[i] = rec->f[i];
    if (rec->f[i].quoted && rec->f[i].n > 0) fg_buf_add(&fc->held_text, rec->f[i].s, rec->f[i].n);
  }
  size_t at = 0;
  for (int i = 0; i < rec->nf; i++) {
    if (!rec->f[i].quoted || rec->f[i].n == 0) continue;
    fc->held_f[i].s = fc->held_text.buf + at;
    at += rec->f[i].n;
  }
  FG_ASSERT_HOT(at == fc->held_text.len);
  fc->held = *rec;
  fc->held.f = fc->held_f;
  memcpy(fc->held_hash, fc->ahead_hash, sizeof fc->held_hash);
  memset(fc->ahead_hash, 0, sizeof fc->ahead_hash); /* a record not looked ahead at: none */
  return &fc->held;
}

/* While the record before rec is judged: start reading the hash-set slots
 * rec's checks will probe — its single-column key's and its references' —
 * from its fields as the judge would see them (a person id normalized), so
 * that their cache misses overlap a whole row's work instead of stalling
 * the reading thread that bounds the import (issue 19: the probes were
 * 11 % of a 1M import's samples). A value the judge refuses only costs a
 * wasted hint; nothing here changes a set or reports anything. The hashes
 * are kept for that record's judging (ahead_hash, fg_imp_hash_known). */
static void fg_imp_prefetch_ahead(fg_imp_file_ctx *fc, const fg_csv_record *rec) {
  const fg_table *t = fc->t;
  if (rec->nf != fc->nheader) return;
  const int key_col = fg_imp_text_key_col(t);
  for (int i = 0; i < rec->nf; i++) {
    const int c = fc->colmap[i];
    if (c < 0 || rec->f[i].n == 0) continue;
    const int rt = t->cols[c].ref_table;
    const bool ref = rt >= 0 && fc->im->tabs[rt].present;
    if (!ref && c != key_col) continue;
    const char *v = rec->f[i].s;
    const size_t n = rec->f[i].n;
    char pid[FG_IMPORT_PID_BYTES];
    if (t->cols[c].type == FG_COL_PERSON_ID) {
      if (!fg_person_id_normalize(v, n, pid)) continue;
      v = pid; /* the same length (fg_import_judge) */
    }
    const uint64_t h = fg_keyset_hash_of(v, n);
    if (ref) fg_keyset_prefetch(fc->im->tabs[rt].refs, h);
    if (c == key_col) fg_keyset_prefetch(&fc->im->tabs[t->id].keys, h);
    fc->ahead_hash[c] = h; /* fg_imp_prepare's, once rec is judged */
  }
}

int fg_imp_read_file(fg_imp *im, fg_import_file *f, fg_csv *c, fg_err *err) {
  FG_ASSERT_HOT(im != NULL && f != NULL && c != NULL);
  fg_imp_file_ctx *fc = fg_xcalloc(1, sizeof *fc);
  fc->im = im;
  fc->f = f;
  fc->t = fg_schema_table(f->table);
  fc->fname = fc->t->file;
  fc->is_target = fg_imp_is_target(f->table);
  const int64_t errors_before = im->r->nerrors;
  fg_csv_record rec;
  fg_err cerr = {0};
  int got = fg_csv_next(c, &rec, &cerr);
  int rc = 0;
  if (got == 0) fg_imp_error(im, "%s:1: 文件为空，缺少表头行", fc->fname);
  if (got > 0) fg_imp_header(fc, &rec);
  const bool header_ok = im->r->nerrors == errors_before;
  /* One record ahead: rec is read (and its slots prefetched) before the
   * one held is judged; a syntax error in rec ends the loop after it. */
  if (got > 0 && header_ok) got = fg_csv_next(c, &rec, &cerr);
  while (got > 0 && header_ok && rc == 0) {
    const fg_csv_record *row = fg_imp_hold(fc, &rec);
    got = fg_csv_next(c, &rec, &cerr);
    if (got > 0) fg_imp_prefetch_ahead(fc, &rec);
    rc = fg_imp_row(fc, row, err);
    if (f->rows_read == FG_IMPORT_SIZE_SAMPLE_ROWS) fg_imp_reserve(fc, c);
    if (f->rows_read % FG_IMPORT_RELEASE_ROWS == 0) fg_csv_release_consumed(c);
    if (f->rows_read % FG_IMPORT_PROGRESS_ROWS == 0) fg_imp_progress(im, c);
  }
  /* (rc: a stop of the store's comes first, even with the record ahead malformed) */
  if (got < 0 && rc == 0 && (cerr.code == FG_EINPUT || cerr.code == FG_ELIMIT))
    fg_imp_error(im, "%s", cerr.msg);
  else if (got < 0 && rc == 0)
    rc = fg_errf(err, cerr.code, "%s", cerr.msg);
  im->done_bytes += fg_csv_size(c);
  fg_imp_progress(im, c);
  fg_buf_release(&fc->reason);
  fg_buf_release(&fc->key);
  fg_buf_release(&fc->msg);
  fg_buf_release(&fc->held_text);
  free(fc);
  return rc;
}
