/*
 * support_model.c — fg_test_model() and fg_test_find() of support_model.h:
 * build a model from small CSV literals, converting each field exactly as
 * import stores it (money -> fen, quantity -> thousandths, whole numbers and
 * years -> integers, person_id normalised, everything else text), and feed
 * the rows through the real builder (build.h). fg_test_run_rule() lives in
 * support_model_rule.c so that tests of the builder alone do not pull in
 * the whole rule registry.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields/fields.h"
#include "support_model.h"

#define FG_TEST_FIELD_BYTES_MAX 1024

/* One field of a literal: bytes [s, s + n), spaces trimmed. */
typedef struct {
  const char *s;
  int n;
} fg_test_field;

static int fg_test_split(const char *line, int len, fg_test_field *out, int max) {
  int nf = 0;
  int start = 0;
  for (int i = 0; i <= len; i++) {
    if (i < len && line[i] != ',') continue;
    if (nf == max) {
      fprintf(stderr, "support_model: too many fields in '%.*s'\n", len, line);
      abort();
    }
    int a = start, b = i;
    while (a < b && line[a] == ' ') a++;
    while (b > a && line[b - 1] == ' ') b--;
    out[nf].s = line + a;
    out[nf].n = b - a;
    nf++;
    start = i + 1;
  }
  return nf;
}

static void fg_test_die(const fg_table *t, int row, const fg_column *c, const fg_test_field *f) {
  fprintf(stderr, "support_model: %s row %d: %s: bad value '%.*s'\n", t->name, row, c->name,
          f->n, f->s);
  abort();
}

/* Convert one field as import would store it; text goes to buf. */
static void fg_test_value(const fg_table *t, int row, const fg_column *c, const fg_test_field *f,
                          fg_value *v, char *buf) {
  memset(v, 0, sizeof *v);
  if (f->n == 0) {
    v->is_null = true;
    return;
  }
  if (f->n >= FG_TEST_FIELD_BYTES_MAX) fg_test_die(t, row, c, f);
  bool ok = true;
  int year = 0;
  switch (c->type) {
  case FG_COL_MONEY: ok = fg_parse_money(f->s, (size_t)f->n, &v->i); return (void)(ok || (fg_test_die(t, row, c, f), 0));
  case FG_COL_QTY: ok = fg_parse_qty(f->s, (size_t)f->n, &v->i); return (void)(ok || (fg_test_die(t, row, c, f), 0));
  case FG_COL_UINT: ok = fg_parse_uint(f->s, (size_t)f->n, &v->i); return (void)(ok || (fg_test_die(t, row, c, f), 0));
  case FG_COL_YEAR:
    ok = fg_parse_year(f->s, (size_t)f->n, &year);
    if (!ok) fg_test_die(t, row, c, f);
    v->i = year;
    return;
  case FG_COL_PERSON_ID:
    if (!fg_person_id_normalize(f->s, (size_t)f->n, buf)) fg_test_die(t, row, c, f);
    break;
  default:
    memcpy(buf, f->s, (size_t)f->n);
    buf[f->n] = '\0';
    break;
  }
  v->s = buf;
  v->n = (int)strlen(buf);
}

static void fg_test_table(fg_model_builder *b, fg_table_id id, const char *text, int64_t row0) {
  const fg_table *t = fg_schema_table(id);
  int map[FG_MAX_COLS]; /* literal field -> schema column, -1 ignored */
  int nhead = -1, row = 0;
  fg_mb_present(b, id);
  for (const char *p = text; *p;) {
    const char *nl = strchr(p, '\n');
    int len = nl ? (int)(nl - p) : (int)strlen(p);
    if (len > 0 && p[len - 1] == '\r') len--;
    fg_test_field f[FG_MAX_COLS];
    if (len > 0) {
      int nf = fg_test_split(p, len, f, FG_MAX_COLS);
      if (nhead < 0) {
        nhead = nf;
        for (int i = 0; i < nf; i++) {
          char name[64];
          snprintf(name, sizeof name, "%.*s", f[i].n, f[i].s);
          map[i] = fg_schema_col(t, name);
        }
      } else {
        fg_value vals[FG_MAX_COLS];
        static char bufs[FG_MAX_COLS][FG_TEST_FIELD_BYTES_MAX];
        for (int c = 0; c < t->ncols; c++) vals[c] = (fg_value){.is_null = true};
        row++;
        for (int i = 0; i < nf && i < nhead; i++)
          if (map[i] >= 0)
            fg_test_value(t, row, &t->cols[map[i]], &f[i], &vals[map[i]], bufs[map[i]]);
        fg_mb_add(b, id, row0 + row, vals);
      }
    }
    p += len + (nl ? (int)(nl - p) - len + 1 : 0);
    if (!nl) break;
  }
  assert(nhead > 0); /* "" is not allowed: give at least a header */
}

void fg_test_feed(fg_model_builder *b, const fg_test_tables tables, const int64_t *row0) {
  for (int t = 0; t < FG_T_COUNT; t++)
    if (tables[t]) fg_test_table(b, (fg_table_id)t, tables[t], row0 ? row0[t] : 0);
}

fg_model *fg_test_model(const fg_test_tables tables) {
  fg_model_builder *b = fg_mb_new();
  fg_test_feed(b, tables, NULL);
  return fg_mb_finish(b);
}

const fg_finding *fg_test_find(const fg_findings *f, const char *subject_id) {
  assert(f && subject_id);
  for (int64_t i = 0; i < f->n; i++)
    if (strcmp(f->v[i].subject_id, subject_id) == 0) return &f->v[i];
  return NULL;
}
