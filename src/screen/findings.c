/*
 * findings.c — the findings list every rule appends to (screen.h), and the
 * one order in which findings are stored and exported: (rule, subject_id),
 * byte-wise, then amount and detail so that even two findings with the same
 * subject (which rules should never emit) come out in a fixed order.
 */
#include <stdlib.h>
#include <string.h>

#include "screen/screen.h"

#define FG_FINDINGS_MIN_CAP 16
#define FG_FINDING_EVIDENCE_MAX 1000000 /* per finding; a rule bug beyond this */

void fg_findings_add(fg_findings *f, const char *rule, const char *subject_type,
                     const char *subject_id, int64_t amount_fen, const char *detail,
                     const fg_evidence *ev, int32_t nev) {
  FG_ASSERT(f && rule && subject_type && subject_id);
  FG_ASSERT(nev >= 0 && nev <= FG_FINDING_EVIDENCE_MAX);
  FG_ASSERT(nev == 0 || ev);
  if (f->n == f->cap) {
    f->cap = f->cap ? 2 * f->cap : FG_FINDINGS_MIN_CAP;
    f->v = fg_xrealloc(f->v, (size_t)f->cap * sizeof *f->v);
  }
  fg_finding *x = &f->v[f->n++];
  x->rule = rule;
  x->subject_type = subject_type;
  x->subject_id = fg_xstrdup(subject_id);
  x->amount_fen = amount_fen;
  x->detail = fg_xstrdup(detail ? detail : "");
  x->nev = nev;
  x->ev = NULL;
  if (nev > 0) {
    x->ev = fg_xmalloc((size_t)nev * sizeof *x->ev);
    memcpy(x->ev, ev, (size_t)nev * sizeof *x->ev);
  }
}

void fg_findings_release(fg_findings *f) {
  if (!f) return;
  for (int64_t i = 0; i < f->n; i++) {
    free(f->v[i].subject_id);
    free(f->v[i].detail);
    free(f->v[i].ev);
  }
  free(f->v);
  f->v = NULL;
  f->n = f->cap = 0;
}

static int fg_finding_cmp(const void *a, const void *b) {
  const fg_finding *x = a, *y = b;
  int c = strcmp(x->rule, y->rule);
  if (c) return c;
  c = strcmp(x->subject_id, y->subject_id);
  if (c) return c;
  if (x->amount_fen != y->amount_fen) return x->amount_fen < y->amount_fen ? -1 : 1;
  return strcmp(x->detail, y->detail);
}

void fg_findings_sort(fg_findings *f) {
  FG_ASSERT(f);
  if (f->n > 1) qsort(f->v, (size_t)f->n, sizeof *f->v, fg_finding_cmp);
}
