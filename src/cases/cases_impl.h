/*
 * cases_impl.h — private to src/cases/: the fold of events into a view
 * (case_view.c), the shared steps of every act (case_acts.c: scope,
 * refusal, commit), used by the ledger and reports.
 */
#ifndef FG_CASES_CASES_IMPL_H
#define FG_CASES_CASES_IMPL_H

#include "actions/actions.h"
#include "cases/cases.h"
#include "journal/journal.h"

bool fg_case_state_parse(const char *s, fg_case_state *out);
bool fg_case_outcome_recovers(const char *outcome);
void fg_case_view_start(fg_case_view *v, const fg_store_case_row *c);
void fg_case_fold(fg_case_view *v, const fg_store_case_event *e);
/* A normal classification's dismissal was refused or expired: back to assigned. */
void fg_case_fold_dismissal(fg_case_view *v, bool refused);
/* Judge the deadline flags as of today. */
void fg_case_judge(fg_case_view *v, const fg_config *cfg, fg_day today);
/* fg_case_load without a user: for the checks of reviewed kinds, which run
 * at every review step whoever takes it (no scope; default deadlines). */
int fg_case_load_unscoped(fg_store *s, int64_t case_id, fg_case_view *v, bool *found,
                          fg_err *err);
/* Whether dismissal proposal id was refused or expired (not applied). */
int fg_case_dismissal_refused(fg_store *s, int64_t proposal_id, bool *refused, fg_err *err);

/* Register case_dismiss (a tip's case judged normal). */
int fg_case_dismiss_register(void);

/* Journal a refused case act ("case.denied": act, case, reason = err's
 * message) signed by the user; returns err's code. */
int fg_case_refuse(fg_case_ctx *x, const char *act, int64_t case_id, fg_err *err);
/* A check of an act against the case as it is inside the act's write
 * transaction (BEGIN IMMEDIATE: no other writer between the check and the
 * rows), so two racing commands cannot both pass on the same old state
 * (two receipts that each fit the balance, a close and a reclassification). */
typedef struct fg_case_recheck {
  int (*fn)(void *ud, const fg_case_view *v, fg_err *err);
  void *ud;
  const char *act; /* names the act in the case.denied entry */
} fg_case_recheck;
/* Append one event and the act's journal entry covering it, in one
 * transaction (joins the caller's); with recheck, the case is read again
 * inside it and a failing check is refused and journaled (case.denied). */
int fg_case_commit_event(fg_case_ctx *x, const char *action, fg_store_case_event *e,
                         const char *payload, const fg_case_recheck *recheck, fg_err *err);
/* Load the case and check the user may act on it: perm, and the agency
 * scope (an agency user: its own agency's cases; the office: office_perm,
 * NULL = the office may not). */
int fg_case_scoped(fg_case_ctx *x, int64_t case_id, const char *perm, const char *office_perm,
                   fg_case_view *v, fg_err *err);
/* The JSON payload of a case act: {"case":N, ...more} (more: ",\"k\":v" text). */
void fg_case_payload(fg_buf *b, int64_t case_id, const char *more);

/* Documents (case_report.c): the A4 print style, HTML-escaped text, a
 * file written to a temporary name and renamed ("-": stdout), and a
 * document's journal entry: fg_case_doc_begin opens the transaction and
 * appends the entry (*seq, which the document prints); fg_case_doc_end
 * writes out to path (NULL: the caller wrote it) and commits, or rolls
 * back when rc or the write failed, so no entry is left without its file. */
extern const char fg_case_report_css[];
void fg_case_html_text(fg_buf *b, const char *s);
int fg_case_report_write(const char *path, const fg_buf *b, fg_err *err);
int fg_case_doc_begin(fg_case_ctx *x, const char *action, const fg_buf *payload, int64_t *seq,
                      fg_err *err);
int fg_case_doc_end(fg_case_ctx *x, int rc, const char *path, const fg_buf *out, fg_err *err);

/* An xlsx document written to a temporary file beside path (fsout.h):
 * the workbook to fill, NULL when it cannot be made (err says why); close
 * it with fg_case_xlsx_close, which renames it over path when rc is 0. */
struct lxw_workbook;
struct fg_fsout;
struct lxw_workbook *fg_case_xlsx_open(const char *path, struct fg_fsout *o, fg_err *err);
int fg_case_xlsx_close(struct lxw_workbook *wb, struct fg_fsout *o, const char *path, int rc,
                       fg_err *err);

#endif
