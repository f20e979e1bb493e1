/*
 * gen.h — the synthetic-city generator behind `fundguard gen` (public face).
 *
 * fg_gen_run() writes the 18 CSV files of the data standard for a city of
 * N persons with about ten years of history up to as_of, plus the truth file
 * (`rule,subject_type,subject_id,amount`): every finding the city must
 * raise. The background raises none of the 50 rules of rules.md; planted
 * cases (a few per rule, scaled mildly with N) raise exactly the truth rows,
 * and near misses sit on each boundary without firing. Output is a pure
 * function of (persons, seed, as_of, encoding): per-person random streams
 * are seeded from (seed, person slot), partitions are written in order, so
 * the bytes do not depend on the thread count. docs/generator.md describes
 * the model, the planted cases and the sizes.
 */
#ifndef FG_GEN_GEN_H
#define FG_GEN_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "common/date.h"
#include "common/fg.h"
#include "schema/schema.h"

/* Identity numbers are unique by construction for up to this many persons
 * (county codes x 500 sequence numbers per sex). */
#define FG_GEN_PERSONS_MAX 1400000
#define FG_GEN_THREADS_MAX 16

typedef enum fg_gen_encoding { FG_GEN_UTF8 = 0, FG_GEN_GB18030 = 1 } fg_gen_encoding;

typedef struct fg_gen_opts {
  int64_t persons;          /* N: persons.csv rows, planted persons included */
  uint64_t seed;
  fg_day as_of;             /* history ends here; 2005-01-01 .. 2090-12-31 */
  const char *out_dir;      /* created when missing */
  const char *truth_path;
  fg_gen_encoding encoding; /* of the 18 data files; the truth file is ASCII */
  int threads;              /* 1 .. FG_GEN_THREADS_MAX; does not change the bytes */
  bool progress;            /* progress lines on stderr */
} fg_gen_opts;

typedef struct fg_gen_stats {
  int64_t rows[FG_T_COUNT];  /* data rows (header excluded) per table */
  int64_t bytes[FG_T_COUNT]; /* file sizes in bytes, header included */
  int64_t truth_rows;
  int64_t planted_persons;   /* persons created by the planted cases */
  double seconds;
} fg_gen_stats;

/* The smallest --persons the planted cases fit in (depends on N only
 * through the mild scaling of the planted cases). */
int64_t fg_gen_min_persons(void);

/* Generate the city. Returns 0, FG_EUSAGE (bad options, message says which)
 * or FG_EIO. stats may be NULL. */
int fg_gen_run(const fg_gen_opts *opts, fg_gen_stats *stats, fg_err *err);

#endif
