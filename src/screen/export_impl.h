/*
 * export_impl.h — private to src/screen/export*.c: the index of who the
 * findings of a run are about (export_subject.c), used by the exports'
 * name / region / institution columns and their --region / --institution
 * filters.
 */
#ifndef FG_SCREEN_EXPORT_IMPL_H
#define FG_SCREEN_EXPORT_IMPL_H

#include "screen/export.h"

typedef struct fg_export_subject {
  char *id;        /* the subject id (an institution's for "H1/INV9") */
  int kind;
  char *name;      /* person, staff member, or the person of a settlement or payment */
  char *region;    /* 6-digit division code */
  char *person;    /* the person a settlement or payment names */
  char *unit_id;   /* institution of a settlement, or the institution itself */
  char *unit_name;
} fg_export_subject;

typedef struct fg_xs_need {
  const char *person;
  size_t idx;
} fg_xs_need;

typedef struct fg_export_subjects {
  fg_export_subject *v; /* sorted by id */
  size_t n, cap;
  fg_xs_need *need;     /* persons named by settlements and payments */
  size_t nneed, capneed;
} fg_export_subjects;

/* Collect the subjects of run_id and fill them from the standard tables
 * (each scanned at most once). fg_export_subjects_release when done. */
int fg_export_subjects_load(fg_store *s, int64_t run_id, fg_export_subjects *x, fg_err *err);
void fg_export_subjects_release(fg_export_subjects *x);
/* The entry of a finding's subject, or NULL. */
const fg_export_subject *fg_export_subject_of(fg_export_subjects *x, const char *subject_type,
                                              const char *subject_id);

#endif
