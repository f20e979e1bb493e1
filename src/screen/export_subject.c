/*
 * export_subject.c — who a finding is about, for the people who must act
 * on it (export.h fg_export_subjects_load): the subject's name and region
 * and, where one applies, the institution (medical findings) it concerns,
 * so an export can be routed to the district or hospital concerned.
 *
 * The standard tables carry no SQL index (store_sqlite.c), so nothing is
 * looked up row by row: the subjects of the run are collected first, then
 * each table that can name them is scanned once (persons, settlements,
 * institutions, benefit payments, staff) and only the rows of those
 * subjects are kept. A subject no table names gets empty columns.
 */
#include <stdlib.h>
#include <string.h>

#include "screen/export_impl.h"

/* ---- a small sorted map: id -> info ------------------------------------ */

static int fg_xs_cmp(const void *a, const void *b) {
  return strcmp(((const fg_export_subject *)a)->id, ((const fg_export_subject *)b)->id);
}

static fg_export_subject *fg_xs_find(fg_export_subjects *x, const char *id) {
  if (x->n == 0) return NULL;
  const fg_export_subject key = {.id = (char *)id};
  return bsearch(&key, x->v, x->n, sizeof *x->v, fg_xs_cmp);
}

static void fg_xs_add(fg_export_subjects *x, const char *id, int kind) {
  if (x->n == x->cap) {
    x->cap = x->cap ? x->cap * 2 : 64;
    x->v = fg_xrealloc(x->v, x->cap * sizeof *x->v);
  }
  x->v[x->n++] = (fg_export_subject){.id = fg_xstrdup(id), .kind = kind};
}

static void fg_xs_sort(fg_export_subjects *x) {
  if (x->n > 1) qsort(x->v, x->n, sizeof *x->v, fg_xs_cmp);
  size_t out = 0; /* one entry per (id): the first kind wins */
  for (size_t i = 0; i < x->n; i++) {
    if (out > 0 && strcmp(x->v[out - 1].id, x->v[i].id) == 0) {
      free(x->v[i].id);
      continue;
    }
    x->v[out++] = x->v[i];
  }
  x->n = out;
}

static void fg_xs_set(char **slot, const fg_value *v) {
  if (*slot != NULL || v->is_null || v->s == NULL) return;
  *slot = fg_xstrndup(v->s, (size_t)v->n);
}

void fg_export_subjects_release(fg_export_subjects *x) {
  for (size_t i = 0; i < x->n; i++) {
    fg_export_subject *s = &x->v[i];
    free(s->id), free(s->name), free(s->region), free(s->person), free(s->unit_id);
    free(s->unit_name);
  }
  free(x->v);
  free(x->need);
  memset(x, 0, sizeof *x);
}

/* ---- collecting the run's subjects -------------------------------------- */

enum { FG_XS_PERSON = 1, FG_XS_SETTLEMENT, FG_XS_INSTITUTION, FG_XS_PAYMENT, FG_XS_STAFF };

static int fg_xs_kind(const char *subject_type) {
  if (strcmp(subject_type, "person") == 0) return FG_XS_PERSON;
  if (strcmp(subject_type, "settlement_id") == 0) return FG_XS_SETTLEMENT;
  if (strcmp(subject_type, "institution") == 0) return FG_XS_INSTITUTION;
  if (strcmp(subject_type, "institution_id/invoice_no") == 0) return FG_XS_INSTITUTION;
  if (strcmp(subject_type, "payment_id") == 0) return FG_XS_PAYMENT;
  if (strcmp(subject_type, "staff_id") == 0) return FG_XS_STAFF;
  return 0;
}

/* The id a subject is looked up by ("H1/INV9" -> "H1"). */
static void fg_xs_key(const char *subject_type, const char *id, char *out, size_t size) {
  snprintf(out, size, "%s", id);
  if (strchr(subject_type, '/') != NULL) out[strcspn(out, "/")] = '\0';
}

static int fg_xs_collect(void *ud, int64_t fid, const fg_store_finding *f, const char *ev) {
  (void)fid, (void)ev;
  fg_export_subjects *x = ud;
  const int kind = fg_xs_kind(f->subject_type);
  if (kind == 0) return 0;
  char key[256];
  fg_xs_key(f->subject_type, f->subject_id, key, sizeof key);
  fg_xs_add(x, key, kind);
  return 0;
}

/* ---- table scans --------------------------------------------------------- */

static int fg_xs_need_cmp(const void *a, const void *b) {
  return strcmp(((const fg_xs_need *)a)->person, ((const fg_xs_need *)b)->person);
}

typedef struct fg_xs_scan {
  fg_export_subjects *x;
  int kind;
} fg_xs_scan;

/* The subject of `kind` whose id is the row's first column, or NULL. */
static fg_export_subject *fg_xs_row(fg_xs_scan *sc, const fg_value *v, int kind, char *id,
                                    size_t id_size) {
  snprintf(id, id_size, "%.*s", v[0].n, v[0].s ? v[0].s : "");
  fg_export_subject *s = fg_xs_find(sc->x, id);
  return s != NULL && s->kind == kind ? s : NULL;
}

static int fg_xs_persons(void *ud, int64_t rowid, const fg_value *v) {
  (void)rowid;
  fg_xs_scan *sc = ud;
  char id[64];
  fg_export_subject *s = fg_xs_row(sc, v, FG_XS_PERSON, id, sizeof id);
  if (s != NULL) fg_xs_set(&s->name, &v[1]), fg_xs_set(&s->region, &v[2]);
  /* persons named by settlements or payments get their names too */
  const fg_xs_need key = {id, 0};
  fg_xs_need *n = sc->x->nneed ? bsearch(&key, sc->x->need, sc->x->nneed, sizeof key, fg_xs_need_cmp)
                               : NULL;
  while (n != NULL && n > sc->x->need && strcmp(n[-1].person, id) == 0) n--;
  for (; n != NULL && n < sc->x->need + sc->x->nneed && strcmp(n->person, id) == 0; n++)
    fg_xs_set(&sc->x->v[n->idx].name, &v[1]), fg_xs_set(&sc->x->v[n->idx].region, &v[2]);
  return 0;
}

/* The persons that settlements and payments name, sorted for lookup. */
static void fg_xs_need_build(fg_export_subjects *x) {
  for (size_t i = 0; i < x->n; i++)
    if (x->v[i].person != NULL) {
      if (x->nneed == x->capneed) {
        x->capneed = x->capneed ? x->capneed * 2 : 64;
        x->need = fg_xrealloc(x->need, x->capneed * sizeof *x->need);
      }
      x->need[x->nneed++] = (fg_xs_need){x->v[i].person, i};
    }
  if (x->nneed > 1) qsort(x->need, x->nneed, sizeof *x->need, fg_xs_need_cmp);
}

static int fg_xs_settlements(void *ud, int64_t rowid, const fg_value *v) {
  (void)rowid;
  char id[128];
  fg_export_subject *s = fg_xs_row(ud, v, FG_XS_SETTLEMENT, id, sizeof id);
  if (s != NULL) fg_xs_set(&s->person, &v[1]), fg_xs_set(&s->unit_id, &v[2]);
  return 0;
}

static int fg_xs_institutions(void *ud, int64_t rowid, const fg_value *v) {
  (void)rowid;
  fg_xs_scan *sc = ud;
  char id[128];
  snprintf(id, sizeof id, "%.*s", v[0].n, v[0].s ? v[0].s : "");
  for (size_t i = 0; i < sc->x->n; i++) {
    fg_export_subject *s = &sc->x->v[i];
    if (s->kind == FG_XS_INSTITUTION && strcmp(s->id, id) == 0) {
      fg_xs_set(&s->unit_id, &v[0]), fg_xs_set(&s->unit_name, &v[1]);
    } else if (s->unit_id != NULL && strcmp(s->unit_id, id) == 0) {
      fg_xs_set(&s->unit_name, &v[1]);
    }
  }
  return 0;
}

static int fg_xs_payments(void *ud, int64_t rowid, const fg_value *v) {
  (void)rowid;
  char id[128];
  fg_export_subject *s = fg_xs_row(ud, v, FG_XS_PAYMENT, id, sizeof id);
  if (s != NULL) fg_xs_set(&s->person, &v[1]), fg_xs_set(&s->region, &v[2]);
  return 0;
}

static int fg_xs_staff(void *ud, int64_t rowid, const fg_value *v) {
  (void)rowid;
  char id[128];
  fg_export_subject *s = fg_xs_row(ud, v, FG_XS_STAFF, id, sizeof id);
  if (s != NULL) fg_xs_set(&s->name, &v[1]);
  return 0;
}

static bool fg_xs_any(const fg_export_subjects *x, int kind) {
  for (size_t i = 0; i < x->n; i++)
    if (x->v[i].kind == kind) return true;
  return false;
}

/* Scan table t's columns (by name) when a subject of `kind` needs it. */
static int fg_xs_scan_table(fg_store *s, fg_export_subjects *x, int kind, fg_table_id t,
                            const char *const names[3], fg_row_fn fn, fg_err *err) {
  if (kind != 0 && !fg_xs_any(x, kind)) return 0;
  if (!fg_store_table_present(s, t)) return 0;
  const fg_table *tab = fg_schema_table(t);
  int cols[3];
  for (int i = 0; i < 3; i++) {
    cols[i] = fg_schema_col(tab, names[i]);
    FG_ASSERT(cols[i] >= 0);
  }
  fg_xs_scan sc = {x, kind};
  return fg_store_scan_cols(s, t, cols, 3, fn, &sc, err);
}

int fg_export_subjects_load(fg_store *s, int64_t run_id, fg_export_subjects *x, fg_err *err) {
  FG_ASSERT(s != NULL && x != NULL);
  memset(x, 0, sizeof *x);
  int rc = fg_store_findings_each(s, run_id, NULL, fg_xs_collect, x, err);
  if (rc) return rc;
  fg_xs_sort(x);
  static const char *const sett[3] = {"settlement_id", "person_id", "institution_id"};
  static const char *const pay[3] = {"payment_id", "person_id", "region"};
  static const char *const inst[3] = {"institution_id", "name", "kind"}; /* no region column */
  static const char *const pers[3] = {"person_id", "name", "region"};
  static const char *const staff[3] = {"staff_id", "name", "staff_id"};
  rc = fg_xs_scan_table(s, x, FG_XS_SETTLEMENT, FG_T_MEDICAL_SETTLEMENTS, sett, fg_xs_settlements, err);
  if (rc == 0) rc = fg_xs_scan_table(s, x, FG_XS_PAYMENT, FG_T_BENEFIT_PAYMENTS, pay, fg_xs_payments, err);
  if (rc == 0) rc = fg_xs_scan_table(s, x, 0, FG_T_INSTITUTIONS, inst, fg_xs_institutions, err);
  fg_xs_need_build(x);
  if (rc == 0) rc = fg_xs_scan_table(s, x, 0, FG_T_PERSONS, pers, fg_xs_persons, err);
  if (rc == 0) rc = fg_xs_scan_table(s, x, FG_XS_STAFF, FG_T_STAFF, staff, fg_xs_staff, err);
  return rc;
}

const fg_export_subject *fg_export_subject_of(fg_export_subjects *x, const char *subject_type,
                                              const char *subject_id) {
  if (fg_xs_kind(subject_type) == 0) return NULL;
  char key[256];
  fg_xs_key(subject_type, subject_id, key, sizeof key);
  return fg_xs_find(x, key);
}

struct fg_export_regions {
  fg_export_subjects subjects;
};

int fg_export_regions_load(fg_store *s, int64_t run_id, fg_export_regions **out, fg_err *err) {
  FG_ASSERT(s != NULL && out != NULL);
  *out = fg_xcalloc(1, sizeof **out);
  int rc = fg_export_subjects_load(s, run_id, &(*out)->subjects, err);
  if (rc) {
    fg_export_regions_free(*out);
    *out = NULL;
  }
  return rc;
}

const char *fg_export_region(fg_export_regions *r, const char *subject_type,
                             const char *subject_id) {
  const fg_export_subject *x = fg_export_subject_of(&r->subjects, subject_type, subject_id);
  return x && x->region ? x->region : "";
}

void fg_export_regions_free(fg_export_regions *r) {
  if (r == NULL) return;
  fg_export_subjects_release(&r->subjects);
  free(r);
}
