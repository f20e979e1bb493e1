/*
 * cases.h — case work (cases.md): findings of an official run issued to
 * the agency responsible, verified and classified within working-day
 * deadlines, recoveries received and deposited, write-offs and penalties
 * decided by two people, serious cases reported; the verification ledger
 * (核查工作台账) and the monthly fund report (case_*.c); on-site inspections
 * and rectification (inspect.c); the whistleblower desk and rewards
 * (tips.c). The subsystem's public face; design in docs/cases.md.
 *
 * How it fits. A case is a row of `cases`; every later step is a row of
 * `case_events` (store.h "cases"). Nothing is updated in place: the state,
 * the outcome, the recovery's balance and every deadline flag are derived
 * by folding a case's events in order (case_view.c), as of "today" — the
 * Beijing date of the system clock (there is no flag that sets the date of
 * an act; tests move the clock with faketime).
 *
 * Every act goes through one function here that (1) checks the one
 * permission and the agency scope (an agency user acts on its own
 * agency's cases only; the supervision office, agency "", sees all), (2)
 * checks the act against the case's derived state, (3) writes its rows
 * and the journal entry that covers them in one transaction. A refusal
 * after login is journaled ("case.denied", signed by the user, naming the
 * act, the case and why) and changes nothing else. The CLI and the HTTP
 * server call these same functions.
 *
 * Money is int64 fen; dates are fg_day; deadlines count working days on
 * the configured official calendar (fg_config_add_working_days).
 */
#ifndef FG_CASES_CASES_H
#define FG_CASES_CASES_H

#include <stdbool.h>
#include <stdint.h>

#include "authz/authz.h"
#include "common/date.h"
#include "common/fg.h"
#include "config/config.h"
#include "store/store.h"

#define FG_CASE_TEXT_MAX 4096       /* bytes of a note or classification text */
#define FG_CASE_FILTER_MAX 64       /* --rule / --subject values of one issue */
#define FG_CASE_ATTACH_BYTES_MAX (16 * 1024 * 1024) /* an attached file */
#define FG_CASE_SERIOUS_WORKING_DAYS 5  /* GZ 31 */
#define FG_CASE_DEPOSIT_WORKING_DAYS 10 /* ZZ 十三(一) */

/* The acting user, the configuration and today. */
typedef struct fg_case_ctx {
  fg_store *s;
  const fg_config *cfg;
  const fg_signer *me;
  char agency[FG_STORE_AGENCY_MAX]; /* the user's agency; "" = the supervision office */
  fg_day today;
} fg_case_ctx;
/* Load the user's agency; today from the clock. */
int fg_case_ctx_init(fg_case_ctx *x, fg_store *s, const fg_config *cfg, const fg_signer *me,
                     fg_err *err);

/* Register the case_writeoff and case_penalty kinds with the review
 * engine (their check and effect). Idempotent. */
int fg_cases_register(void);

/* ---- findings across runs (issue 15.3) --------------------------------------- */

/* How a run's findings relate to the previous official run: new ones,
 * carried-over ones (the same rule and subject), resolved ones (raised by
 * the previous official run, no longer raised), and of this run's those
 * already judged normal or already in a case. */
typedef struct fg_case_continuity {
  int64_t fresh, carried, resolved, dismissed, in_case;
} fg_case_continuity;
int fg_case_run_continuity(fg_store *s, int64_t run, fg_case_continuity *c, fg_err *err);

/* ---- acts ------------------------------------------------------------------ */

typedef struct fg_case_issue_opts {
  int64_t run;                         /* an official run */
  const char *rules[FG_CASE_FILTER_MAX];
  int nrules;                          /* 0: every rule */
  const char *subjects[FG_CASE_FILTER_MAX]; /* a subject_id or a finding number */
  int nsubjects;                       /* 0: every subject */
  const char *region;                  /* NULL: any; else a comma list of division-code
                                          prefixes the subject's region must match */
  const char *agency;
  int due_days;                        /* 0: cfg->verify_working_days */
} fg_case_issue_opts;
typedef struct fg_case_issue_result {
  int64_t issued, skipped_cased, skipped_dismissed, skipped_unnumbered;
  fg_day due_on;
} fg_case_issue_result;
int fg_case_issue(fg_case_ctx *x, const fg_case_issue_opts *o, fg_case_issue_result *r,
                  fg_err *err);
int fg_case_assign(fg_case_ctx *x, int64_t case_id, const char *user, fg_err *err);

/* What a note records besides its text (a closing condition, cases.md). */
typedef struct fg_case_note_opts {
  const char *text;
  const char *attach_path;  /* NULL: none; the file is stored, its SHA-256 journaled */
  const char *records;      /* NULL/"": nothing; registration | referral |
                               audit_conclusion | extraction_fix */
  const char *body, *doc_no; /* referral: receiving body and document number */
  fg_day on;                /* the fact's date (referral); FG_NODAY: today */
} fg_case_note_opts;
int fg_case_note(fg_case_ctx *x, int64_t case_id, const fg_case_note_opts *o, fg_err *err);
/* amount_fen < 0: the finding's amount (then reason may be NULL). A
 * `normal` outcome files the finding_dismiss proposal (*proposal_id). */
int fg_case_classify(fg_case_ctx *x, int64_t case_id, const char *outcome, const char *text,
                     int64_t amount_fen, const char *reason, int64_t *proposal_id, fg_err *err);
int fg_case_close(fg_case_ctx *x, int64_t case_id, fg_err *err);
int fg_case_serious(fg_case_ctx *x, int64_t case_id, const char *text, fg_err *err);
int fg_case_pay(fg_case_ctx *x, int64_t case_id, int64_t amount_fen, fg_day on, const char *how,
                bool penalty, fg_err *err);
int fg_case_deposit(fg_case_ctx *x, int64_t case_id, int64_t amount_fen, fg_day on,
                    const char *account, bool penalty, fg_err *err);
int fg_case_propose_writeoff(fg_case_ctx *x, int64_t case_id, int64_t amount_fen,
                             const char *reason, int64_t *proposal_id, fg_err *err);
/* basis fraud | evasion | obstruction; base_fen the amount defrauded or
 * evaded (fraud, evasion), ignored for obstruction. */
int fg_case_propose_penalty(fg_case_ctx *x, int64_t case_id, const char *basis,
                            int64_t amount_fen, int64_t base_fen, const char *reason,
                            int64_t *proposal_id, fg_err *err);

/* ---- the derived view of a case ------------------------------------------- */

typedef enum fg_case_state {
  FG_CASE_ISSUED,
  FG_CASE_ASSIGNED,
  FG_CASE_CLASSIFIED,
  FG_CASE_CLOSED
} fg_case_state;
const char *fg_case_state_code(fg_case_state st); /* "issued", ... */
const char *fg_case_state_zh(fg_case_state st);   /* "已下发", ... */
/* The Chinese label of an outcome code; NULL when unknown. */
const char *fg_case_outcome_zh(const char *outcome);

typedef struct fg_case_money {
  fg_day on;
  int64_t fen;
} fg_case_money;

typedef struct fg_case_view {
  fg_store_case_row c;
  fg_case_state state;
  char assignee[FG_STORE_USER_MAX];
  char outcome[24];
  fg_day issued_on, due_on, classified_on, notice_on, closed_on;
  fg_day serious_on, serious_reported_on;
  int64_t dismiss_proposal; /* outcome normal: its finding_dismiss */
  bool recovery_open;
  int64_t recovery_due_fen, received_fen, writeoff_fen;
  int64_t penalty_due_fen, penalty_received_fen;
  fg_day penalty_on;
  bool registration, referral, audit_conclusion, extraction_fix, amended;
  fg_day last_classify_note; /* a note after the classification (extraction fix) */
  /* cash and transfer receipts and deposits, by penalty (1) or not (0) */
  fg_case_money *to_deposit[2], *deposited[2];
  int nto_deposit[2], ndeposited[2];
  /* as of today */
  bool overdue, deposit_overdue, audit_due, serious_late;
  fg_day serious_due_on, repay_due_on;
} fg_case_view;
void fg_case_view_release(fg_case_view *v);
/* Read case id and fold its events; *found false when there is none.
 * Scope is the caller's (fg_case_show checks it). */
int fg_case_load(fg_case_ctx *x, int64_t case_id, fg_case_view *v, bool *found, fg_err *err);
int64_t fg_case_balance_fen(const fg_case_view *v);     /* recovery: due − received − written off */
int64_t fg_case_undeposited_fen(const fg_case_view *v, bool penalty);
/* Whether outcome's closing condition holds; else *why says what is missing. */
bool fg_case_closable(const fg_case_view *v, const char **why);

/* ---- the ledger (case list) and case show --------------------------------- */

typedef struct fg_case_filter {
  const char *state;  /* NULL: any */
  const char *agency; /* NULL: any (within the user's scope) */
  bool overdue_only;
} fg_case_filter;
typedef int (*fg_case_view_fn)(void *ud, const fg_case_view *v);
/* The cases the user may read (case.read; an agency user its own), in id
 * order, filtered; the read is journaled ("case.list") before the first
 * row is given. */
int fg_case_ledger(fg_case_ctx *x, const fg_case_filter *f, fg_case_view_fn fn, void *ud,
                   fg_err *err);
/* One ledger row as CSV (cases.md columns) into b; the header first. */
void fg_case_csv_header(fg_buf *b);
void fg_case_csv_row(fg_buf *b, const fg_case_view *v);
/* The ledger's xlsx: Chinese headers, frozen header row, autofilter. */
int fg_case_xlsx(fg_case_ctx *x, const fg_case_filter *f, const char *path, int64_t *rows,
                 fg_err *err);
/* `case show`: the case, its finding's evidence (as `finding show`
 * prints it is the CLI's), its history; journaled "case.view". */
int fg_case_show(fg_case_ctx *x, int64_t case_id, fg_buf *out, fg_err *err);

/* ---- reports ----------------------------------------------------------------- */

/* `report serious CASE`: the serious-case report (HTML, A4) written to
 * path (tmp + rename), recorded as sent today ("report.serious"). */
int fg_case_report_serious(fg_case_ctx *x, int64_t case_id, const char *path, fg_err *err);

/* `report notice CASE`: the recovery notice (追回社会保险待遇告知书, HTML
 * for A4) of a case with an open recovery: the subject, the amount due and
 * unpaid, the repayment deadline, the offsets the law allows, the agency;
 * journaled ("report.notice") by a user of the case's agency
 * (recovery.record). */
int fg_case_report_notice(fg_case_ctx *x, int64_t case_id, const char *path, fg_err *err);

typedef enum fg_report_format { FG_REPORT_CSV, FG_REPORT_XLSX, FG_REPORT_HTML } fg_report_format;
/* `report monthly --month YYYY-MM`: the monthly fund report (cases.md
 * columns) to path ("-" = stdout, not for xlsx), journaled
 * ("report.monthly"). Needs report.make. */
int fg_case_report_monthly(fg_case_ctx *x, fg_month month, fg_report_format fmt,
                           const char *path, fg_err *err);

/* `report half-year --half YYYYH1|YYYYH2` (GZ 31): per agency and in all,
 * the cases issued in the half, how many are closed, serious and reported
 * late, their amount, the money recovered and the penalties received; CSV
 * to path ("-" = stdout); journaled ("report.half_year"). report.make. */
int fg_case_report_half(fg_case_ctx *x, int year, int half, const char *path, fg_err *err);

/* ---- on-site inspections and rectification (inspect.c) ----------------------- */

/* The yearly draw (documented in docs/cases.md): every city-level agency,
 * and the first ceil(n/5) of the n county-level ones ordered by
 * SHA-256(seed || agency_id); the chosen ids, sorted, comma-joined into
 * out; returns how many. */
int fg_inspect_draw(const uint8_t seed[32], const char *const *ids, const bool *city, int n,
                    fg_buf *out);
typedef struct fg_inspect_plan_result {
  char seed[65];         /* the journal root the draw used */
  int64_t seed_size;     /* over that many entries */
  char agencies[FG_STORE_PLAN_AGENCIES_MAX]; /* the draw */
  char stored[FG_STORE_PLAN_AGENCIES_MAX];   /* replay: the plan as stored */
  int64_t proposal_id;   /* a second plan: its inspection_replan proposal */
} fg_inspect_plan_result;
/* `inspection plan --year Y` (inspection.manage): the year's first plan is
 * stored and journaled ("inspection.plan") with its seed; a second one only
 * as a reviewed proposal (replan_reason given; refused without). */
int fg_inspect_plan(fg_case_ctx *x, int year, const char *replan_reason, fg_inspect_plan_result *r,
                    fg_err *err);
/* `inspection replay --year Y`: recompute the journal root of the recorded
 * entry count and the draw from it; *same when both equal the stored plan. */
int fg_inspect_replay(fg_case_ctx *x, int year, fg_inspect_plan_result *r, bool *same,
                      fg_err *err);
/* `inspection open`: refused with fewer than two inspectors, an inspector
 * of the inspected agency, a notice fewer than 3 days before the start. */
int fg_inspect_open(fg_case_ctx *x, const char *agency, const char *inspectors, fg_day notice_on,
                    fg_day start_on, int64_t *id, fg_err *err);
/* `inspection problem`: a problem in the rectification ledger. */
int fg_inspect_problem(fg_case_ctx *x, int64_t inspection, const char *text, fg_day due_on,
                       int64_t amount_fen, int64_t *id, fg_err *err);
/* `rectify close PROBLEM --evidence FILE --text T`: the evidence stored
 * ("rectify.evidence"), then a rectify_close proposal that another
 * person's review carries out (the problem is then closed, 销号). By the
 * office (inspection.manage) or a user of the inspected agency. */
int fg_rectify_propose_close(fg_case_ctx *x, int64_t problem, const char *evidence_path,
                             const char *text, int64_t *proposal_id, fg_err *err);
/* `rectify list`: the ledger (an agency user: its own agency's problems);
 * overdue: open past its due day, or closed after it. */
typedef int (*fg_rectify_fn)(void *ud, const fg_store_problem_row *r, bool overdue);
int fg_rectify_list(fg_case_ctx *x, fg_rectify_fn fn, void *ud, fg_err *err);
/* The same as xlsx (Chinese headers, frozen header row, autofilter). */
int fg_rectify_xlsx(fg_case_ctx *x, const char *path, int64_t *rows, fg_err *err);
/* `inspection notice | letter | report INSPECTION`: the inspection notice,
 * the problem feedback letter (问题反馈函) and the supervision report, HTML
 * for A4, journaled "inspection.<kind>" (inspection.manage). */
int fg_inspect_document(fg_case_ctx *x, int64_t inspection, const char *kind, const char *path,
                        fg_err *err);
/* ---- the whistleblower desk (tips.c) ------------------------------------------ */

typedef struct fg_tip_opts {
  const char *channel;                 /* phone | letter | email | visit | web */
  bool anonymous;
  const char *reporter;                /* "name=…\nid=…\nphone=…\ncapacity=full" (not when anonymous);
                                          from a file or standard input, never argv */
  const char *subject_type, *subject_id, *text;
} fg_tip_opts;
/* `tip file` (report.intake): the tip stored with the reporter's details
 * sealed to the desk key (made by the first tip), journaled "tip.file"
 * without them; the desk key is handed to desk users lacking a copy. */
int fg_tip_file(fg_case_ctx *x, const fg_tip_opts *o, int64_t *id, fg_err *err);
/* `tip reveal TIP` (report.intake, a copy of the desk key): the reporter's
 * details into out; journaled "tip.reveal". */
int fg_tip_reveal(fg_case_ctx *x, int64_t id, fg_buf *out, fg_err *err);
/* `tip list` (report.intake): the tips without reporters, CSV into out;
 * journaled "tip.list" (and hands the desk key over). */
int fg_tip_list(fg_case_ctx *x, fg_buf *out, fg_err *err);

/* `case issue --tip TIP --to AGENCY`: the tip handled as a case (source
 * tip; case.issue); one case per tip. */
int fg_case_issue_tip(fg_case_ctx *x, int64_t tip, const char *agency, int due_days,
                      int64_t *case_id, fg_err *err);
/* The reward of a verified amount: rate (`[rewards] rate`, percent), then
 * the floor and the cap. */
int64_t fg_tip_reward_fen(const fg_config *cfg, int64_t verified_fen);
/* `propose reward TIP --verified-amount Y [--contribution T]` (report.intake;
 * review and approval): refused unless every condition of GZ 33, 36, 37
 * holds (real-name with full capacity, a clear subject, not already known,
 * the case closed as verified, no fund duties, a later tip on the same
 * subject only with its contribution, one reward per tip). */
int fg_tip_propose_reward(fg_case_ctx *x, int64_t tip, int64_t verified_fen,
                          const char *contribution, int64_t *proposal_id, int64_t *reward_fen,
                          fg_err *err);
int fg_tips_register(void);
/* `tip list --format xlsx -o FILE` (desk): the tip ledger without reporters. */
int fg_tip_xlsx(fg_case_ctx *x, const char *path, int64_t *rows, fg_err *err);
/* `tip decision TIP -o FILE` (desk): the reward decision addressed to the
 * reporter (HTML for A4), journaled like a reveal and as "tip.decision". */
int fg_tip_decision(fg_case_ctx *x, int64_t tip, const char *path, fg_err *err);

/* Register rectify_close and inspection_replan (fg_cases_register calls it). */
int fg_inspect_register(void);

#endif
