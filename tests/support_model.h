/*
 * support_model.h — tests build a model from CSV literals, one per standard
 * table, in the data standard's own file format (header row, then rows;
 * plain commas, no quoting needed in tests). Values are converted as import
 * would store them (money -> fen, quantity -> thousandths). Rowids are the
 * 1-based data row number within each literal.
 *
 *   fg_model *m = fg_test_model((fg_test_tables){
 *       [FG_T_PERSONS] = "person_id,name,sex,birth_date\n1101...,张三,1,1960-01-01\n",
 *       [FG_T_DEATHS] = "person_id,death_date,source\n...",
 *   });
 * A NULL entry is an absent table; "" is not allowed (give at least a header).
 */
#ifndef FG_TESTS_SUPPORT_MODEL_H
#define FG_TESTS_SUPPORT_MODEL_H

#include "screen/build.h"
#include "screen/screen.h"

typedef const char *fg_test_tables[FG_T_COUNT];

fg_model *fg_test_model(const fg_test_tables tables);
/* Feed the literals' rows to b, table t's rowids starting after row0[t]
 * (row0 NULL: at 1). */
void fg_test_feed(fg_model_builder *b, const fg_test_tables tables, const int64_t *row0);
/* Run one rule over the model with the default configuration at as_of
 * ("YYYY-MM-DD"); returns its findings, sorted. */
fg_findings fg_test_run_rule(const fg_model *m, const char *rule_id, const char *as_of);
/* Find a finding by subject id in a sorted findings list; NULL if none. */
const fg_finding *fg_test_find(const fg_findings *f, const char *subject_id);
/* Whether finding f names row `row` of table t among its evidence. */
bool fg_test_has_ev(const fg_finding *f, fg_table_id t, fg_rowid row);
/* The finding about subject, which must exist with this amount, evidence
 * and a detail (a failed test otherwise). */
const fg_finding *fg_test_expect(const fg_findings *f, const char *subject, int64_t amount_fen);
#endif
