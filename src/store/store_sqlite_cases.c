/*
 * store_sqlite_cases.c — SQLite storage of case work (cases.md; the "cases"
 * section of store.h): the stable number of every finding (finding_numbers,
 * written by the screening that first raises a rule and subject), the cases
 * issued to agencies, every step of a case as an event row (case_events)
 * and the files attached to notes (case_files).
 *
 * Every table is append-only (the generated triggers refuse UPDATE and
 * DELETE): a case's state, outcome, recovery and deadlines are derived from
 * its events by src/cases/, never stored in place. Case rows and event rows
 * carry jseq, the journal entry of the act that wrote them; finding numbers
 * carry the run that first raised them and are covered by that run's
 * "screen.run" entry (journal_policy.c).
 *
 * The monthly report's fund figures are computed here in SQL (the one
 * place SQL lives), with amended values in force (the newest approved
 * amendment of a row's column wins over the imported value). So that a
 * month of a city of a million persons (55 M rows of contributions,
 * benefits and settlements) is not a scan of every row, each import batch
 * leaves its sums by table, scheme and month in batch_monthly (added up in
 * C as the rows are inserted, written at the batch's finish, covered by
 * its import.batch entry, with a marker row saying the batch is complete);
 * a month then reads those sums, corrects them for the amended rows, and
 * scans only batches imported before schema version 3 (no marker).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

const char *const fg_sqlite_ddl_cases =
    "CREATE TABLE finding_numbers (no INTEGER PRIMARY KEY, rule TEXT NOT NULL,"
    " subject_id TEXT NOT NULL, run INTEGER NOT NULL REFERENCES runs(id),"
    " UNIQUE (rule, subject_id));\n"
    "CREATE TABLE cases (id INTEGER PRIMARY KEY,"
    " source TEXT NOT NULL CHECK (source IN ('finding','tip','inspection')),"
    " finding_no INTEGER REFERENCES finding_numbers(no), run INTEGER NOT NULL,"
    " rule TEXT NOT NULL, subject_type TEXT NOT NULL, subject_id TEXT NOT NULL,"
    " amount_fen INTEGER NOT NULL, agency TEXT NOT NULL, issued_on TEXT NOT NULL,"
    " due_on TEXT NOT NULL, issued_by TEXT NOT NULL, jseq INTEGER NOT NULL);\n"
    "CREATE UNIQUE INDEX cases_finding ON cases(finding_no) WHERE finding_no IS NOT NULL;\n"
    "CREATE INDEX cases_agency ON cases(agency);\n"
    "CREATE TABLE case_events (id INTEGER PRIMARY KEY,"
    " case_id INTEGER NOT NULL REFERENCES cases(id), kind TEXT NOT NULL CHECK (kind IN"
    " ('assign','note','classify','close','serious','serious_report','receipt','deposit',"
    "'writeoff','penalty','amendment')),"
    " on_date TEXT NOT NULL, actor TEXT NOT NULL, who TEXT NOT NULL, outcome TEXT NOT NULL,"
    " text TEXT NOT NULL, amount_fen INTEGER NOT NULL, penalty INTEGER NOT NULL"
    " CHECK (penalty IN (0, 1)), how TEXT NOT NULL, account TEXT NOT NULL,"
    " file_sha256 TEXT NOT NULL, proposal_id INTEGER NOT NULL, jseq INTEGER NOT NULL);\n"
    "CREATE INDEX case_events_case ON case_events(case_id, id);\n"
    "CREATE TABLE case_files (sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),"
    " name TEXT NOT NULL, bytes BLOB NOT NULL, jseq INTEGER NOT NULL);\n"
    "CREATE TABLE batch_monthly (batch INTEGER NOT NULL REFERENCES batches(id),"
    " table_name TEXT NOT NULL, scheme TEXT NOT NULL, month TEXT NOT NULL,"
    " amount_fen INTEGER NOT NULL, rows INTEGER NOT NULL);\n"
    "CREATE INDEX batch_monthly_month ON batch_monthly(month, table_name);\n"
    "CREATE TABLE inspection_plans (id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    " seed TEXT NOT NULL CHECK (length(seed) = 64), seed_size INTEGER NOT NULL,"
    " agencies TEXT NOT NULL, planner TEXT NOT NULL, proposal_id INTEGER NOT NULL,"
    " jseq INTEGER NOT NULL);\n"
    "CREATE TABLE inspections (id INTEGER PRIMARY KEY, agency TEXT NOT NULL,"
    " inspectors TEXT NOT NULL, notice_on TEXT NOT NULL, start_on TEXT NOT NULL,"
    " opened_by TEXT NOT NULL, jseq INTEGER NOT NULL);\n"
    "CREATE TABLE inspection_problems (id INTEGER PRIMARY KEY,"
    " inspection INTEGER NOT NULL REFERENCES inspections(id), text TEXT NOT NULL,"
    " due_on TEXT NOT NULL, amount_fen INTEGER NOT NULL, added_by TEXT NOT NULL,"
    " jseq INTEGER NOT NULL);\n"
    "CREATE TABLE problem_closures (id INTEGER PRIMARY KEY,"
    " problem INTEGER NOT NULL REFERENCES inspection_problems(id), text TEXT NOT NULL,"
    " evidence_sha256 TEXT NOT NULL, closed_on TEXT NOT NULL, proposal_id INTEGER NOT NULL,"
    " proposer TEXT NOT NULL, reviewer TEXT NOT NULL, jseq INTEGER NOT NULL);\n"
    "CREATE TABLE desk_keys (id INTEGER PRIMARY KEY, user TEXT NOT NULL,"
    " user_pk BLOB NOT NULL CHECK (length(user_pk) = 32),"
    " desk_pk BLOB NOT NULL CHECK (length(desk_pk) = 32), sealed BLOB NOT NULL,"
    " jseq INTEGER NOT NULL);\n"
    "CREATE TABLE tips (id INTEGER PRIMARY KEY, channel TEXT NOT NULL"
    " CHECK (channel IN ('phone','letter','email','visit','web')),"
    " anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)), subject_type TEXT NOT NULL,"
    " subject_id TEXT NOT NULL, text TEXT NOT NULL, reporter BLOB NOT NULL,"
    " desk_pk BLOB NOT NULL, filed_on TEXT NOT NULL, filed_by TEXT NOT NULL,"
    " full_capacity INTEGER NOT NULL CHECK (full_capacity IN (0, 1)),"
    " fund_duties INTEGER NOT NULL CHECK (fund_duties IN (0, 1)), jseq INTEGER NOT NULL);\n"
    "CREATE TABLE tip_rewards (id INTEGER PRIMARY KEY, tip INTEGER NOT NULL REFERENCES tips(id),"
    " verified_fen INTEGER NOT NULL, reward_fen INTEGER NOT NULL, contribution TEXT NOT NULL,"
    " proposal_id INTEGER NOT NULL, proposer TEXT NOT NULL, reviewer TEXT NOT NULL,"
    " approver TEXT NOT NULL, jseq INTEGER NOT NULL);\n";

int fg_store_finding_numbers_assign(fg_store *s, int64_t run_id, fg_err *err) {
  FG_ASSERT(s != NULL && run_id > 0 && s->tx_depth > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT OR IGNORE INTO finding_numbers (rule, subject_id, run)"
                          " SELECT rule, subject_id, run FROM findings WHERE run = ?1"
                          " ORDER BY rule, subject_id",
                          &st, "finding_numbers insert", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, run_id);
  return fg_sqlite_done(s, st, "finding_numbers insert", err);
}

static const char *fg_cases_text(sqlite3_stmt *st, int i) {
  const char *t = (const char *)sqlite3_column_text(st, i);
  return t ? t : "";
}

static void fg_cases_copy(char *dst, size_t n, sqlite3_stmt *st, int i) {
  snprintf(dst, n, "%s", fg_cases_text(st, i));
}

int fg_store_run_findings_numbered(fg_store *s, int64_t run_id, fg_store_numbered_fn fn,
                                   void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(
      s,
      "SELECT f.id, n.no, f.rule, f.subject_type, f.subject_id, f.amount_fen,"
      " EXISTS (SELECT 1 FROM cases c WHERE c.finding_no = n.no),"
      " EXISTS (SELECT 1 FROM finding_dispositions d WHERE d.rule = f.rule"
      "   AND d.subject_id = f.subject_id AND d.run <= f.run),"
      " EXISTS (SELECT 1 FROM findings p WHERE p.rule = f.rule AND p.subject_id = f.subject_id"
      "   AND p.run = (SELECT max(id) FROM runs WHERE official = 1 AND id < f.run))"
      " FROM findings f LEFT JOIN finding_numbers n ON n.rule = f.rule"
      " AND n.subject_id = f.subject_id WHERE f.run = ?1 ORDER BY f.id",
      &st, "numbered findings", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, run_id);
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_numbered x = {0};
    x.finding_id = sqlite3_column_int64(st, 0);
    x.finding_no = sqlite3_column_int64(st, 1);
    x.rule = fg_cases_text(st, 2);
    x.subject_type = fg_cases_text(st, 3);
    x.subject_id = fg_cases_text(st, 4);
    x.amount_fen = sqlite3_column_int64(st, 5);
    x.has_case = sqlite3_column_int(st, 6) != 0;
    x.dismissed = sqlite3_column_int(st, 7) != 0;
    x.carried = sqlite3_column_int(st, 8) != 0;
    if ((ret = fn(ud, &x)) != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "numbered findings");
  sqlite3_finalize(st);
  return ret;
}

int fg_store_run_resolved_count(fg_store *s, int64_t run_id, int64_t *n, fg_err *err) {
  FG_ASSERT(s != NULL && n != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(
      s,
      "SELECT count(*) FROM findings p WHERE p.run ="
      " (SELECT max(id) FROM runs WHERE official = 1 AND id < ?1)"
      " AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.run = ?1 AND f.rule = p.rule"
      " AND f.subject_id = p.subject_id)",
      &st, "resolved findings", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, run_id);
  rc = sqlite3_step(st) == SQLITE_ROW ? 0 : fg_sqlite_err(s, err, "resolved findings");
  if (rc == 0) *n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rc;
}

int fg_store_resolved_ids(fg_store *s, int64_t run_id, int64_t *prev_run, int64_t **ids,
                          int64_t *n, fg_err *err) {
  FG_ASSERT(s != NULL && prev_run != NULL && ids != NULL && n != NULL);
  *ids = NULL;
  *n = *prev_run = 0;
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(
      s,
      "SELECT (SELECT max(id) FROM runs WHERE official = 1 AND id < ?1), p.id FROM findings p"
      " WHERE p.run = (SELECT max(id) FROM runs WHERE official = 1 AND id < ?1)"
      " AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.run = ?1 AND f.rule = p.rule"
      " AND f.subject_id = p.subject_id) ORDER BY p.id",
      &st, "resolved findings", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, run_id);
  int64_t cap = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    *prev_run = sqlite3_column_int64(st, 0);
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      *ids = fg_xrealloc(*ids, (size_t)cap * sizeof **ids);
    }
    (*ids)[(*n)++] = sqlite3_column_int64(st, 1);
  }
  rc = rc == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "resolved findings");
  sqlite3_finalize(st);
  if (rc == 0 && *prev_run == 0) { /* none resolved: still name the run compared with */
    rc = fg_sqlite_prep(s, "SELECT coalesce(max(id), 0) FROM runs WHERE official = 1 AND id < ?1",
                        &st, "previous run", err);
    if (rc == 0) {
      sqlite3_bind_int64(st, 1, run_id);
      if (sqlite3_step(st) == SQLITE_ROW) *prev_run = sqlite3_column_int64(st, 0);
      sqlite3_finalize(st);
    }
  }
  return rc;
}

int fg_store_finding_by_no(fg_store *s, int64_t no, int64_t *finding_id, int64_t *run_id,
                           fg_err *err) {
  FG_ASSERT(s != NULL && finding_id != NULL && run_id != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT f.id, f.run FROM finding_numbers n JOIN findings f"
                          " ON f.rule = n.rule AND f.subject_id = n.subject_id"
                          " WHERE n.no = ?1 ORDER BY f.run DESC, f.id DESC LIMIT 1",
                          &st, "finding by number", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, no);
  *finding_id = *run_id = 0;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *finding_id = sqlite3_column_int64(st, 0);
    *run_id = sqlite3_column_int64(st, 1);
    rc = 0;
  } else {
    rc = rc == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "finding by number");
  }
  sqlite3_finalize(st);
  return rc;
}

int fg_store_finding_no_of(fg_store *s, const char *rule, const char *subject_id, int64_t *no,
                           fg_err *err) {
  FG_ASSERT(s != NULL && rule != NULL && subject_id != NULL && no != NULL);
  /* asked for every finding of a listed page: the statement is kept */
  if (s->finding_no_stmt == NULL) {
    int rc = fg_sqlite_prep(s, "SELECT no FROM finding_numbers WHERE rule = ?1 AND subject_id = ?2",
                            &s->finding_no_stmt, "finding number", err);
    if (rc) return rc;
  }
  sqlite3_stmt *st = s->finding_no_stmt;
  sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, subject_id, -1, SQLITE_STATIC);
  *no = 0;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *no = sqlite3_column_int64(st, 0);
  rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : fg_sqlite_err(s, err, "finding number");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc;
}

int fg_store_case_add(fg_store *s, const fg_store_case *c, int64_t jseq, int64_t *id,
                      fg_err *err) {
  FG_ASSERT(s != NULL && c != NULL && s->tx_depth > 0 && jseq > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO cases (source, finding_no, run, rule, subject_type,"
                          " subject_id, amount_fen, agency, issued_on, due_on, issued_by, jseq)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                          &st, "cases insert", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, c->source, -1, SQLITE_STATIC);
  if (c->finding_no > 0) sqlite3_bind_int64(st, 2, c->finding_no);
  else sqlite3_bind_null(st, 2);
  sqlite3_bind_int64(st, 3, c->run);
  const char *texts[] = {c->rule, c->subject_type, c->subject_id};
  for (int i = 0; i < 3; i++) sqlite3_bind_text(st, 4 + i, texts[i], -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 7, c->amount_fen);
  const char *more[] = {c->agency, c->issued_on, c->due_on, c->issued_by};
  for (int i = 0; i < 4; i++) sqlite3_bind_text(st, 8 + i, more[i], -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 12, jseq);
  rc = fg_sqlite_done(s, st, "cases insert", err);
  if (rc == 0 && id) *id = sqlite3_last_insert_rowid(s->db);
  return rc;
}

#define FG_CASES_SELECT                                                                   \
  "SELECT id, source, coalesce(finding_no, 0), run, rule, subject_type, subject_id,"     \
  " amount_fen, agency, issued_on, due_on, issued_by, jseq FROM cases"

static void fg_cases_row(sqlite3_stmt *st, fg_store_case_row *r) {
  r->id = sqlite3_column_int64(st, 0);
  fg_cases_copy(r->source, sizeof r->source, st, 1);
  r->finding_no = sqlite3_column_int64(st, 2);
  r->run = sqlite3_column_int64(st, 3);
  fg_cases_copy(r->rule, sizeof r->rule, st, 4);
  fg_cases_copy(r->subject_type, sizeof r->subject_type, st, 5);
  fg_cases_copy(r->subject_id, sizeof r->subject_id, st, 6);
  r->amount_fen = sqlite3_column_int64(st, 7);
  fg_cases_copy(r->agency, sizeof r->agency, st, 8);
  fg_cases_copy(r->issued_on, sizeof r->issued_on, st, 9);
  fg_cases_copy(r->due_on, sizeof r->due_on, st, 10);
  fg_cases_copy(r->issued_by, sizeof r->issued_by, st, 11);
  r->jseq = sqlite3_column_int64(st, 12);
}

int fg_store_case_of(fg_store *s, const char *source, int64_t run, int64_t *case_id,
                     fg_err *err) {
  FG_ASSERT(s != NULL && source != NULL && case_id != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT coalesce(min(id), 0) FROM cases WHERE source = ?1 AND run = ?2",
                          &st, "case of", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, run);
  rc = sqlite3_step(st) == SQLITE_ROW ? 0 : fg_sqlite_err(s, err, "case of");
  *case_id = rc == 0 ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  return rc;
}

int fg_store_case_get(fg_store *s, int64_t id, fg_store_case_row *r, bool *found, fg_err *err) {
  FG_ASSERT(s != NULL && r != NULL && found != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, FG_CASES_SELECT " WHERE id = ?1", &st, "case get", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW;
  if (*found) fg_cases_row(st, r);
  rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : fg_sqlite_err(s, err, "case get");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_cases_each(fg_store *s, const char *agency, fg_store_case_fn fn, void *ud,
                        fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          agency ? FG_CASES_SELECT " WHERE agency = ?1 ORDER BY id"
                                 : FG_CASES_SELECT " ORDER BY id",
                          &st, "cases", err);
  if (rc) return rc;
  if (agency) sqlite3_bind_text(st, 1, agency, -1, SQLITE_TRANSIENT);
  int ret = 0;
  fg_store_case_row r;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_cases_row(st, &r);
    if ((ret = fn(ud, &r)) != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "cases");
  sqlite3_finalize(st);
  return ret;
}

int fg_store_case_event_add(fg_store *s, const fg_store_case_event *e, int64_t jseq,
                            fg_err *err) {
  FG_ASSERT(s != NULL && e != NULL && e->kind != NULL && e->on_date != NULL);
  FG_ASSERT(s->tx_depth > 0 && jseq > 0 && e->case_id > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO case_events (case_id, kind, on_date, actor, who, outcome,"
                          " text, amount_fen, penalty, how, account, file_sha256, proposal_id,"
                          " jseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                          " ?13, ?14)",
                          &st, "case_events insert", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, e->case_id);
  const char *t1[] = {e->kind, e->on_date, e->actor, e->who, e->outcome, e->text};
  for (int i = 0; i < 6; i++) sqlite3_bind_text(st, 2 + i, t1[i] ? t1[i] : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 8, e->amount_fen);
  sqlite3_bind_int(st, 9, e->penalty ? 1 : 0);
  const char *t2[] = {e->how, e->account, e->file_sha256};
  for (int i = 0; i < 3; i++)
    sqlite3_bind_text(st, 10 + i, t2[i] ? t2[i] : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 13, e->proposal_id);
  sqlite3_bind_int64(st, 14, jseq);
  return fg_sqlite_done(s, st, "case_events insert", err);
}

int fg_store_case_events_each(fg_store *s, int64_t case_id, fg_store_case_event_fn fn, void *ud,
                              fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          case_id > 0
                              ? "SELECT case_id, kind, on_date, actor, who, outcome, text,"
                                " amount_fen, penalty, how, account, file_sha256, proposal_id,"
                                " jseq, id FROM case_events WHERE case_id = ?1 ORDER BY id"
                              : "SELECT case_id, kind, on_date, actor, who, outcome, text,"
                                " amount_fen, penalty, how, account, file_sha256, proposal_id,"
                                " jseq, id FROM case_events ORDER BY case_id, id",
                          &st, "case_events", err);
  if (rc) return rc;
  if (case_id > 0) sqlite3_bind_int64(st, 1, case_id);
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_case_event e = {0};
    e.case_id = sqlite3_column_int64(st, 0);
    e.kind = fg_cases_text(st, 1);
    e.on_date = fg_cases_text(st, 2);
    e.actor = fg_cases_text(st, 3);
    e.who = fg_cases_text(st, 4);
    e.outcome = fg_cases_text(st, 5);
    e.text = fg_cases_text(st, 6);
    e.amount_fen = sqlite3_column_int64(st, 7);
    e.penalty = sqlite3_column_int(st, 8) != 0;
    e.how = fg_cases_text(st, 9);
    e.account = fg_cases_text(st, 10);
    e.file_sha256 = fg_cases_text(st, 11);
    e.proposal_id = sqlite3_column_int64(st, 12);
    e.jseq = sqlite3_column_int64(st, 13);
    e.id = sqlite3_column_int64(st, 14);
    if ((ret = fn(ud, &e)) != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "case_events");
  sqlite3_finalize(st);
  return ret;
}

int fg_store_case_file_add(fg_store *s, const char *sha256_hex, const char *name,
                           const void *bytes, size_t n, int64_t jseq, fg_err *err) {
  FG_ASSERT(s != NULL && sha256_hex != NULL && name != NULL && (bytes != NULL || n == 0));
  FG_ASSERT(s->tx_depth > 0 && jseq > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT OR IGNORE INTO case_files (sha256, name, bytes, jseq)"
                          " VALUES (?1, ?2, ?3, ?4)",
                          &st, "case_files insert", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, sha256_hex, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_blob64(st, 3, bytes ? bytes : "", (sqlite3_uint64)n, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, jseq);
  return fg_sqlite_done(s, st, "case_files insert", err);
}

int fg_store_fund_account(fg_store *s, const char *account_no, char *scheme, size_t scheme_size,
                          char *kind, size_t kind_size, bool *found, fg_err *err) {
  FG_ASSERT(s != NULL && account_no != NULL && found != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT scheme, kind FROM fund_accounts WHERE account_no = ?1"
                          " ORDER BY rowid DESC LIMIT 1",
                          &st, "fund account", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, account_no, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW;
  if (*found) {
    fg_cases_copy(scheme, scheme_size, st, 0);
    fg_cases_copy(kind, kind_size, st, 1);
  }
  rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : fg_sqlite_err(s, err, "fund account");
  sqlite3_finalize(st);
  return rc;
}

/* A UNION ALL over every standard table with a scheme column: for each
 * evidence row of a finding (findings f, evidence e, and, with_case, the
 * case c of the finding), `select, x.scheme AS scheme` where cond.
 * Returns the number of tables joined. */
static int fg_cases_scheme_union(fg_buf *sql, bool with_case, const char *select,
                                 const char *cond) {
  int nt = 0;
  for (int t = 0; t < FG_T_COUNT; t++) {
    const fg_table *tab = fg_schema_table(t);
    if (fg_schema_col(tab, "scheme") < 0) continue;
    fg_buf_addf(sql,
                "%sSELECT %s, x.scheme AS scheme FROM findings f"
                "%s JOIN finding_evidence e ON e.finding = f.id JOIN %s x ON x.rowid = e.row_id"
                " WHERE e.table_name = '%s' AND %s",
                nt++ ? " UNION ALL " : "", select,
                with_case
                    ? " JOIN cases c ON f.run = c.run AND f.rule = c.rule AND f.subject_id = c.subject_id"
                    : "",
                tab->name, tab->name, cond);
  }
  return nt;
}

int fg_store_finding_schemes(fg_store *s, int64_t run, const char *rule, const char *subject_id,
                             fg_buf *schemes, fg_err *err) {
  FG_ASSERT(s != NULL && rule != NULL && subject_id != NULL && schemes != NULL);
  fg_buf sql = FG_BUF_INIT;
  fg_buf_adds(&sql, "SELECT DISTINCT scheme FROM (");
  const int nt = fg_cases_scheme_union(&sql, false, "e.row_id AS _r",
                                       "f.run = ?1 AND f.rule = ?2 AND f.subject_id = ?3");
  fg_buf_adds(&sql, ") ORDER BY scheme");
  sqlite3_stmt *st = NULL;
  int rc = nt ? fg_sqlite_prep(s, sql.buf, &st, "finding schemes", err) : 0;
  fg_buf_release(&sql);
  if (rc || nt == 0) return rc;
  sqlite3_bind_int64(st, 1, run);
  sqlite3_bind_text(st, 2, rule, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, subject_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    fg_buf_addf(schemes, "%s%s", schemes->len ? "," : "", fg_cases_text(st, 0));
  rc = rc == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "finding schemes");
  sqlite3_finalize(st);
  return rc;
}

/* ---- the monthly report's fund figures ------------------------------------ */

/* The three tables whose rows a monthly report sums, by scheme and by the
 * month of a date column. */
static const struct {
  fg_table_id t;
  const char *metric, *amount, *date;
} fg_monthly_tables[] = {
    {FG_T_CONTRIBUTIONS, "contributions", "amount", "paid_date"},
    {FG_T_BENEFIT_PAYMENTS, "benefits", "amount", "paid_date"},
    {FG_T_MEDICAL_SETTLEMENTS, "medical_fund_paid", "fund_paid", "settled_on"},
};
#define FG_MONTHLY_TABLES 3
#define FG_MONTHLY_SCHEMES_MAX 16 /* distinct scheme codes one batch may carry */
#define FG_MONTHLY_SCHEME_BYTES_MAX 8
#define FG_MONTHLY_YEAR_MIN 1900
#define FG_MONTHLY_MONTHS (200 * 12) /* 1900-01 .. 2099-12 */

struct fg_sqlite_monthly {
  int col_scheme[FG_MONTHLY_TABLES], col_amount[FG_MONTHLY_TABLES], col_date[FG_MONTHLY_TABLES];
  char schemes[FG_MONTHLY_SCHEMES_MAX][FG_MONTHLY_SCHEME_BYTES_MAX];
  int nschemes;
  bool failed; /* a code or date that does not fit, or an overflow: write no sums */
  int64_t sum[FG_MONTHLY_TABLES][FG_MONTHLY_SCHEMES_MAX][FG_MONTHLY_MONTHS];
  int64_t rows[FG_MONTHLY_TABLES][FG_MONTHLY_SCHEMES_MAX][FG_MONTHLY_MONTHS];
};

void fg_sqlite_monthly_begin(fg_store *s) {
  FG_ASSERT(s != NULL);
  if (s->monthly == NULL) s->monthly = fg_xmalloc(sizeof *s->monthly);
  struct fg_sqlite_monthly *m = s->monthly;
  memset(m, 0, sizeof *m);
  for (int k = 0; k < FG_MONTHLY_TABLES; k++) {
    const fg_table *t = fg_schema_table(fg_monthly_tables[k].t);
    m->col_scheme[k] = fg_schema_col(t, "scheme");
    m->col_amount[k] = fg_schema_col(t, fg_monthly_tables[k].amount);
    m->col_date[k] = fg_schema_col(t, fg_monthly_tables[k].date);
    FG_ASSERT(m->col_scheme[k] >= 0 && m->col_amount[k] >= 0 && m->col_date[k] >= 0);
  }
}

void fg_sqlite_monthly_free(fg_store *s) {
  free(s->monthly);
  s->monthly = NULL;
}

static int fg_monthly_scheme(struct fg_sqlite_monthly *m, const fg_value *v) {
  if (v->is_null || v->s == NULL || v->n <= 0 || v->n >= FG_MONTHLY_SCHEME_BYTES_MAX) return -1;
  for (int i = 0; i < m->nschemes; i++)
    if ((int)strlen(m->schemes[i]) == v->n && memcmp(m->schemes[i], v->s, (size_t)v->n) == 0)
      return i;
  if (m->nschemes == FG_MONTHLY_SCHEMES_MAX) return -1;
  memcpy(m->schemes[m->nschemes], v->s, (size_t)v->n);
  m->schemes[m->nschemes][v->n] = '\0';
  return m->nschemes++;
}

/* "YYYY-MM-DD" (as import stored it) to the month index; -1 otherwise. */
static int fg_monthly_month(const fg_value *v) {
  if (v->is_null || v->s == NULL || v->n != 10) return -1;
  const char *d = v->s;
  for (int i = 0; i < 7; i++)
    if (i != 4 && (d[i] < '0' || d[i] > '9')) return -1;
  const int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  const int mo = (d[5] - '0') * 10 + (d[6] - '0');
  const int idx = (y - FG_MONTHLY_YEAR_MIN) * 12 + mo - 1;
  return mo >= 1 && mo <= 12 && idx >= 0 && idx < FG_MONTHLY_MONTHS ? idx : -1;
}

void fg_sqlite_monthly_row(fg_store *s, const fg_table *t, const fg_value *vals) {
  struct fg_sqlite_monthly *m = s->monthly;
  if (m == NULL || m->failed) return;
  int k = 0;
  while (k < FG_MONTHLY_TABLES && fg_monthly_tables[k].t != t->id) k++;
  if (k == FG_MONTHLY_TABLES) return;
  const int sc = fg_monthly_scheme(m, &vals[m->col_scheme[k]]);
  const int mo = fg_monthly_month(&vals[m->col_date[k]]);
  const fg_value *a = &vals[m->col_amount[k]];
  int64_t *sum = sc >= 0 && mo >= 0 ? &m->sum[k][sc][mo] : NULL;
  if (sum == NULL || a->is_null || __builtin_add_overflow(*sum, a->i, sum)) {
    m->failed = true; /* the report then scans this batch's rows */
    return;
  }
  m->rows[k][sc][mo]++;
}

int fg_sqlite_monthly_write(fg_store *s, int64_t batch_id, fg_err *err) {
  struct fg_sqlite_monthly *m = s->monthly;
  if (m == NULL || m->failed) return 0;
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO batch_monthly (batch, table_name, scheme, month, amount_fen,"
                          " rows) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          &st, "batch_monthly insert", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, batch_id);
  for (int k = 0; rc == 0 && k < FG_MONTHLY_TABLES; k++)
    for (int sc = 0; rc == 0 && sc < m->nschemes; sc++)
      for (int mo = 0; rc == 0 && mo < FG_MONTHLY_MONTHS; mo++) {
        if (m->rows[k][sc][mo] == 0) continue;
        char month[8];
        snprintf(month, sizeof month, "%04d-%02d", FG_MONTHLY_YEAR_MIN + mo / 12, mo % 12 + 1);
        sqlite3_bind_text(st, 2, fg_schema_table(fg_monthly_tables[k].t)->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, m->schemes[sc], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, month, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 5, m->sum[k][sc][mo]);
        sqlite3_bind_int64(st, 6, m->rows[k][sc][mo]);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "batch_monthly insert");
        sqlite3_reset(st);
      }
  if (rc == 0) { /* the marker: this batch's sums are complete */
    const char *const empty[] = {"", "", ""};
    for (int i = 0; i < 3; i++) sqlite3_bind_text(st, 2 + i, empty[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, 0);
    sqlite3_bind_int64(st, 6, 0);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "batch_monthly insert");
  }
  sqlite3_finalize(st);
  return rc;
}

/* The value in force of column col of table t's row x: the newest approved
 * amendment's new value when the table has any amendment of that column
 * (money as its yuan text "123.45" turned into fen exactly, no float),
 * else the stored column. */
static bool fg_cases_amended(fg_store *s, const char *t, const char *col) {
  sqlite3_stmt *st = NULL;
  bool any = false;
  char sql[256];
  snprintf(sql, sizeof sql,
           "SELECT 1 FROM amendments WHERE table_name = '%s' AND column_name = '%s' LIMIT 1", t,
           col);
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK)
    any = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  return any;
}

static void fg_cases_col(fg_store *s, fg_buf *b, const char *t, const char *x, const char *col,
                         bool money) {
  if (!fg_cases_amended(s, t, col)) {
    fg_buf_addf(b, "%s.%s", x, col);
    return;
  }
  fg_buf_addf(b,
              "coalesce((SELECT %s FROM amendments a WHERE a.table_name = '%s'"
              " AND a.row_id = %s.rowid AND a.column_name = '%s' ORDER BY a.id DESC LIMIT 1),"
              " %s.%s)",
              money ? "CAST(replace(a.new_value, '.', '') AS INTEGER)" : "a.new_value", t, x, col,
              x, col);
}

/* The value in force of every row: `SELECT scheme, metric, amount FROM t x
 * WHERE <date in [?1, ?2]> AND cond`. */
static void fg_cases_sum(fg_store *s, fg_buf *b, int k, const char *cond, const char *sign) {
  const char *t = fg_schema_table(fg_monthly_tables[k].t)->name;
  fg_buf_adds(b, "SELECT ");
  fg_cases_col(s, b, t, "x", "scheme", false);
  fg_buf_addf(b, " AS scheme, '%s' AS metric, %s", fg_monthly_tables[k].metric, sign);
  fg_cases_col(s, b, t, "x", fg_monthly_tables[k].amount, true);
  fg_buf_addf(b, " AS v FROM %s x WHERE ", t);
  fg_cases_col(s, b, t, "x", fg_monthly_tables[k].date, false);
  fg_buf_addf(b, " BETWEEN ?1 AND ?2 AND %s UNION ALL ", cond);
}

/* The stored value (not amended) of rows with an amendment of a summed column. */
static void fg_cases_unamended(fg_buf *b, int k, const char *legacy) {
  const char *t = fg_schema_table(fg_monthly_tables[k].t)->name;
  fg_buf_addf(b,
              "SELECT x.scheme, '%s', -x.%s FROM %s x WHERE x.%s BETWEEN ?1 AND ?2"
              " AND x.rowid IN (SELECT row_id FROM amendments WHERE table_name = '%s'"
              " AND column_name IN ('scheme', '%s', '%s')) AND x._batch NOT IN (%s) UNION ALL ",
              fg_monthly_tables[k].metric, fg_monthly_tables[k].amount, t,
              fg_monthly_tables[k].date, t, fg_monthly_tables[k].amount,
              fg_monthly_tables[k].date, legacy);
}

/* One table's figures: the batches' sums of the month, corrected for the
 * amended rows (their stored values out, their values in force in), and
 * the rows of legacy batches (imported before the sums) scanned. */
static void fg_cases_table_sql(fg_store *s, fg_buf *b, int k, const char *legacy) {
  const char *t = fg_schema_table(fg_monthly_tables[k].t)->name;
  fg_buf_addf(b,
              "SELECT scheme AS scheme, '%s' AS metric, amount_fen AS v FROM batch_monthly"
              " WHERE month = ?3"
              " AND table_name = '%s' UNION ALL SELECT scheme, '', 0 FROM batch_monthly"
              " WHERE table_name = '%s' UNION ALL ",
              fg_monthly_tables[k].metric, t, t);
  const bool amended = fg_cases_amended(s, t, "scheme") ||
                       fg_cases_amended(s, t, fg_monthly_tables[k].amount) ||
                       fg_cases_amended(s, t, fg_monthly_tables[k].date);
  if (amended) {
    fg_buf cond = FG_BUF_INIT;
    fg_buf_addf(&cond,
                "x.rowid IN (SELECT row_id FROM amendments WHERE table_name = '%s'"
                " AND column_name IN ('scheme', '%s', '%s')) AND x._batch NOT IN (%s)",
                t, fg_monthly_tables[k].amount, fg_monthly_tables[k].date, legacy);
    fg_cases_unamended(b, k, legacy);
    fg_cases_sum(s, b, k, cond.buf, "");
    fg_buf_release(&cond);
  }
  if (strcmp(legacy, "0") != 0) {
    char cond[64 + 1024];
    snprintf(cond, sizeof cond, "x._batch IN (%s)", legacy);
    fg_cases_sum(s, b, k, cond, "");
    fg_buf_addf(b, "SELECT scheme, '', 0 FROM %s WHERE _batch IN (%s) UNION ALL ", t, legacy);
  }
}

static void fg_cases_monthly_sql(fg_store *s, fg_buf *b, const char *legacy) {
  fg_buf_adds(b, "WITH acc AS (SELECT account_no, scheme, kind, opened_on, opening_balance"
                 " FROM fund_accounts), txn AS (SELECT t.account_no AS account_no, ");
  fg_cases_col(s, b, "fund_transactions", "t", "booked_on", false);
  fg_buf_adds(b, " AS booked_on, t.direction AS direction, ");
  fg_cases_col(s, b, "fund_transactions", "t", "amount", true);
  fg_buf_adds(b, " AS amount, t.counterparty_account AS cp FROM fund_transactions t),"
                 " rows AS (");
  for (int k = 0; k < FG_MONTHLY_TABLES; k++) fg_cases_table_sql(s, b, k, legacy);
  fg_buf_adds(
      b,
      "SELECT a.scheme, 'income_in', t.amount FROM txn t JOIN acc a USING (account_no)"
      " WHERE a.kind = 'income' AND t.direction = 'in' AND t.booked_on BETWEEN ?1 AND ?2"
      " UNION ALL SELECT a.scheme, 'swept_to_fiscal', t.amount FROM txn t JOIN acc a"
      " USING (account_no) WHERE a.kind = 'income' AND t.direction = 'out'"
      " AND t.booked_on BETWEEN ?1 AND ?2 AND EXISTS (SELECT 1 FROM acc f"
      " WHERE f.account_no = t.cp AND f.kind = 'fiscal_special' AND f.scheme = a.scheme)"
      " UNION ALL SELECT a.scheme, 'expenditure_out', t.amount FROM txn t JOIN acc a"
      " USING (account_no) WHERE a.kind = 'expenditure' AND t.direction = 'out'"
      " AND t.booked_on BETWEEN ?1 AND ?2"
      " UNION ALL SELECT a.scheme, a.kind || '_balance', a.opening_balance FROM acc a"
      " WHERE a.opened_on <= ?2"
      " UNION ALL SELECT a.scheme, a.kind || '_balance',"
      " CASE t.direction WHEN 'in' THEN t.amount ELSE -t.amount END FROM txn t JOIN acc a"
      " USING (account_no) WHERE a.opened_on <= ?2 AND t.booked_on <= ?2"
      " UNION ALL SELECT scheme, '', 0 FROM fund_accounts)"
      " SELECT scheme, metric, sum(v) FROM rows GROUP BY scheme, metric ORDER BY scheme, metric");
}

/* The stored batches without a complete set of monthly sums, as a SQL list
 * ("0" when none: no batch has id 0). */
static int fg_cases_legacy(fg_store *s, fg_buf *list, fg_err *err) {
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT id FROM batches WHERE status = 'stored' AND id NOT IN"
                          " (SELECT batch FROM batch_monthly WHERE table_name = '') ORDER BY id",
                          &st, "legacy batches", err);
  if (rc) return rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    fg_buf_addf(list, "%s%lld", list->len ? "," : "", (long long)sqlite3_column_int64(st, 0));
  rc = rc == SQLITE_DONE ? 0 : fg_sqlite_err(s, err, "legacy batches");
  sqlite3_finalize(st);
  if (list->len == 0) fg_buf_adds(list, "0");
  return rc;
}

int fg_store_monthly_funds(fg_store *s, const char *first_day, const char *last_day,
                           fg_store_monthly_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && first_day != NULL && last_day != NULL && fn != NULL);
  FG_ASSERT(strlen(first_day) == 10 && strncmp(first_day, last_day, 7) == 0);
  fg_buf sql = FG_BUF_INIT, legacy = FG_BUF_INIT;
  int rc = fg_cases_legacy(s, &legacy, err);
  if (rc == 0) fg_cases_monthly_sql(s, &sql, legacy.buf);
  fg_buf_release(&legacy);
  sqlite3_stmt *st = NULL;
  if (rc == 0) rc = fg_sqlite_prep(s, sql.buf, &st, "monthly report", err);
  fg_buf_release(&sql);
  if (rc) return rc;
  char month[8];
  snprintf(month, sizeof month, "%.7s", first_day);
  sqlite3_bind_text(st, 1, first_day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, last_day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, month, -1, SQLITE_TRANSIENT);
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if ((ret = fn(ud, fg_cases_text(st, 0), fg_cases_text(st, 1), sqlite3_column_int64(st, 2))) !=
        0)
      break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "monthly report");
  sqlite3_finalize(st);
  return ret;
}

int fg_store_case_schemes_each(fg_store *s, fg_store_case_scheme_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  fg_buf sql = FG_BUF_INIT;
  fg_buf_adds(&sql, "SELECT id, min(scheme) FROM (");
  fg_cases_scheme_union(&sql, true, "c.id AS id", "1");
  fg_buf_adds(&sql, ") GROUP BY id ORDER BY id");
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, sql.buf, &st, "case schemes", err);
  fg_buf_release(&sql);
  if (rc) return rc;
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    if ((ret = fn(ud, sqlite3_column_int64(st, 0), fg_cases_text(st, 1))) != 0) break;
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "case schemes");
  sqlite3_finalize(st);
  return ret;
}

/* ---- on-site inspections (case work II) ------------------------------------ */

int fg_store_plan_add(fg_store *s, const fg_store_plan *p, int64_t jseq, fg_err *err) {
  FG_ASSERT(s != NULL && p != NULL && s->tx_depth > 0 && jseq > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO inspection_plans (year, seed, seed_size, agencies, planner,"
                          " proposal_id, jseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          &st, "inspection_plans insert", err);
  if (rc) return rc;
  sqlite3_bind_int(st, 1, p->year);
  sqlite3_bind_text(st, 2, p->seed, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, p->seed_size);
  sqlite3_bind_text(st, 4, p->agencies, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, p->planner, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 6, p->proposal_id);
  sqlite3_bind_int64(st, 7, jseq);
  return fg_sqlite_done(s, st, "inspection_plans insert", err);
}

int fg_store_plan_latest(fg_store *s, int year, fg_store_plan_row *p, int64_t *count,
                         fg_err *err) {
  FG_ASSERT(s != NULL && p != NULL && count != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT seed, seed_size, agencies, planner, id,"
                          " (SELECT count(*) FROM inspection_plans WHERE year = ?1)"
                          " FROM inspection_plans WHERE year = ?1 ORDER BY id DESC LIMIT 1",
                          &st, "inspection_plans", err);
  if (rc) return rc;
  sqlite3_bind_int(st, 1, year);
  memset(p, 0, sizeof *p);
  *count = 0;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    fg_cases_copy(p->seed, sizeof p->seed, st, 0);
    p->seed_size = sqlite3_column_int64(st, 1);
    fg_cases_copy(p->agencies, sizeof p->agencies, st, 2);
    fg_cases_copy(p->planner, sizeof p->planner, st, 3);
    p->id = sqlite3_column_int64(st, 4);
    *count = sqlite3_column_int64(st, 5);
  }
  rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : fg_sqlite_err(s, err, "inspection_plans");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_inspection_add(fg_store *s, const fg_store_inspection *x, int64_t jseq,
                            int64_t *id, fg_err *err) {
  FG_ASSERT(s != NULL && x != NULL && s->tx_depth > 0 && jseq > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO inspections (agency, inspectors, notice_on, start_on,"
                          " opened_by, jseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          &st, "inspections insert", err);
  if (rc) return rc;
  const char *t[] = {x->agency, x->inspectors, x->notice_on, x->start_on, x->opened_by};
  for (int i = 0; i < 5; i++) sqlite3_bind_text(st, i + 1, t[i], -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 6, jseq);
  rc = fg_sqlite_done(s, st, "inspections insert", err);
  if (rc == 0 && id) *id = sqlite3_last_insert_rowid(s->db);
  return rc;
}

int fg_store_inspection_get(fg_store *s, int64_t id, fg_store_inspection_row *x, bool *found,
                            fg_err *err) {
  FG_ASSERT(s != NULL && x != NULL && found != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT agency, inspectors, notice_on, start_on, opened_by, jseq"
                          " FROM inspections WHERE id = ?1",
                          &st, "inspections", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW;
  memset(x, 0, sizeof *x);
  x->id = id;
  if (*found) {
    fg_cases_copy(x->agency, sizeof x->agency, st, 0);
    fg_cases_copy(x->inspectors, sizeof x->inspectors, st, 1);
    fg_cases_copy(x->notice_on, sizeof x->notice_on, st, 2);
    fg_cases_copy(x->start_on, sizeof x->start_on, st, 3);
    fg_cases_copy(x->opened_by, sizeof x->opened_by, st, 4);
    x->jseq = sqlite3_column_int64(st, 5);
  }
  rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : fg_sqlite_err(s, err, "inspections");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_problem_add(fg_store *s, const fg_store_problem *p, int64_t jseq, int64_t *id,
                         fg_err *err) {
  FG_ASSERT(s != NULL && p != NULL && s->tx_depth > 0 && jseq > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO inspection_problems (inspection, text, due_on, amount_fen,"
                          " added_by, jseq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          &st, "inspection_problems insert", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, p->inspection);
  sqlite3_bind_text(st, 2, p->text, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, p->due_on, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 4, p->amount_fen);
  sqlite3_bind_text(st, 5, p->added_by, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 6, jseq);
  rc = fg_sqlite_done(s, st, "inspection_problems insert", err);
  if (rc == 0 && id) *id = sqlite3_last_insert_rowid(s->db);
  return rc;
}

int fg_store_problem_close(fg_store *s, const fg_store_closure *c, int64_t jseq, fg_err *err) {
  FG_ASSERT(s != NULL && c != NULL && s->tx_depth > 0 && jseq > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO problem_closures (problem, text, evidence_sha256, closed_on,"
                          " proposal_id, proposer, reviewer, jseq)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          &st, "problem_closures insert", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, c->problem);
  const char *t[] = {c->text, c->evidence_sha256, c->closed_on};
  for (int i = 0; i < 3; i++) sqlite3_bind_text(st, 2 + i, t[i], -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, c->proposal_id);
  sqlite3_bind_text(st, 6, c->proposer, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 7, c->reviewer, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 8, jseq);
  return fg_sqlite_done(s, st, "problem_closures insert", err);
}

int fg_store_problems_each(fg_store *s, int64_t inspection, int64_t problem,
                           fg_store_problem_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(
      s,
      "SELECT p.id, p.inspection, i.agency, p.text, p.due_on, p.amount_fen, p.added_by,"
      " coalesce((SELECT c.closed_on FROM problem_closures c WHERE c.problem = p.id"
      " ORDER BY c.id LIMIT 1), ''), p.jseq FROM inspection_problems p"
      " JOIN inspections i ON i.id = p.inspection WHERE (?1 = 0 OR p.inspection = ?1)"
      " AND (?2 = 0 OR p.id = ?2) ORDER BY p.id",
      &st, "inspection_problems", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, inspection);
  sqlite3_bind_int64(st, 2, problem);
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_problem_row r = {0};
    r.id = sqlite3_column_int64(st, 0);
    r.inspection = sqlite3_column_int64(st, 1);
    r.agency = fg_cases_text(st, 2);
    r.text = fg_cases_text(st, 3);
    r.due_on = fg_cases_text(st, 4);
    r.amount_fen = sqlite3_column_int64(st, 5);
    r.added_by = fg_cases_text(st, 6);
    r.closed_on = fg_cases_text(st, 7);
    r.jseq = sqlite3_column_int64(st, 8);
    if ((ret = fn(ud, &r)) != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "inspection_problems");
  sqlite3_finalize(st);
  return ret;
}

bool fg_store_case_file_has(fg_store *s, const char *sha256_hex) {
  sqlite3_stmt *st = NULL;
  bool has = false;
  if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM case_files WHERE sha256 = ?1", -1, &st, NULL) ==
      SQLITE_OK) {
    sqlite3_bind_text(st, 1, sha256_hex, -1, SQLITE_TRANSIENT);
    has = sqlite3_step(st) == SQLITE_ROW;
  }
  sqlite3_finalize(st);
  return has;
}

/* ---- the whistleblower desk (case work II) ------------------------------------ */

int fg_store_desk_key_add(fg_store *s, const char *user, const uint8_t user_pk[32],
                          const uint8_t desk_pk[32], const uint8_t *sealed, size_t n, int64_t jseq,
                          fg_err *err) {
  FG_ASSERT(s != NULL && user != NULL && sealed != NULL && s->tx_depth > 0 && jseq > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO desk_keys (user, user_pk, desk_pk, sealed, jseq)"
                          " VALUES (?1, ?2, ?3, ?4, ?5)",
                          &st, "desk_keys insert", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 2, user_pk, 32, SQLITE_STATIC);
  sqlite3_bind_blob(st, 3, desk_pk, 32, SQLITE_STATIC);
  sqlite3_bind_blob(st, 4, sealed, (int)n, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, jseq);
  return fg_sqlite_done(s, st, "desk_keys insert", err);
}

int fg_store_desk_key_get(fg_store *s, const char *user, const uint8_t user_pk[32],
                          uint8_t desk_pk[32], uint8_t *sealed, size_t cap, size_t *n,
                          bool *found, fg_err *err) {
  FG_ASSERT(s != NULL && desk_pk != NULL && found != NULL && n != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          user ? "SELECT desk_pk, sealed FROM desk_keys WHERE user = ?1"
                                 " AND user_pk = ?2 ORDER BY id DESC LIMIT 1"
                               : "SELECT desk_pk, sealed FROM desk_keys ORDER BY id LIMIT 1",
                          &st, "desk_keys", err);
  if (rc) return rc;
  if (user) {
    sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 2, user_pk, 32, SQLITE_TRANSIENT);
  }
  rc = sqlite3_step(st);
  *found = false;
  *n = 0;
  if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
    *found = true;
    memcpy(desk_pk, sqlite3_column_blob(st, 0), 32);
    const int len = sqlite3_column_bytes(st, 1);
    if (sealed && len > 0 && (size_t)len <= cap) {
      memcpy(sealed, sqlite3_column_blob(st, 1), (size_t)len);
      *n = (size_t)len;
    }
  }
  rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : fg_sqlite_err(s, err, "desk_keys");
  sqlite3_finalize(st);
  return rc;
}

int fg_store_tip_add(fg_store *s, const fg_store_tip *t, int64_t jseq, int64_t *id, fg_err *err) {
  FG_ASSERT(s != NULL && t != NULL && s->tx_depth > 0 && jseq > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO tips (channel, anonymous, subject_type, subject_id, text,"
                          " reporter, desk_pk, filed_on, filed_by, jseq, full_capacity, fund_duties)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                          &st, "tips insert", err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, t->channel, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, t->anonymous ? 1 : 0);
  const char *txt[] = {t->subject_type, t->subject_id, t->text};
  for (int i = 0; i < 3; i++) sqlite3_bind_text(st, 3 + i, txt[i], -1, SQLITE_STATIC);
  sqlite3_bind_blob(st, 6, t->reporter ? (const void *)t->reporter : "", (int)t->nreporter,
                    SQLITE_STATIC);
  sqlite3_bind_blob(st, 7, t->desk_pk, 32, SQLITE_STATIC);
  sqlite3_bind_text(st, 8, t->filed_on, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 9, t->filed_by, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 10, jseq);
  sqlite3_bind_int(st, 11, t->full_capacity ? 1 : 0);
  sqlite3_bind_int(st, 12, t->fund_duties ? 1 : 0);
  rc = fg_sqlite_done(s, st, "tips insert", err);
  if (rc == 0 && id) *id = sqlite3_last_insert_rowid(s->db);
  return rc;
}

int fg_store_tips_each(fg_store *s, int64_t id, fg_store_tip_fn fn, void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT id, channel, anonymous, subject_type, subject_id, text, reporter,"
                          " desk_pk, filed_on, filed_by, jseq, full_capacity, fund_duties FROM tips"
                          " WHERE ?1 = 0 OR id = ?1 ORDER BY id",
                          &st, "tips", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, id);
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_store_tip t = {0};
    t.id = sqlite3_column_int64(st, 0);
    t.channel = fg_cases_text(st, 1);
    t.anonymous = sqlite3_column_int(st, 2) != 0;
    t.subject_type = fg_cases_text(st, 3);
    t.subject_id = fg_cases_text(st, 4);
    t.text = fg_cases_text(st, 5);
    t.reporter = sqlite3_column_blob(st, 6);
    t.nreporter = (size_t)sqlite3_column_bytes(st, 6);
    const void *pk = sqlite3_column_blob(st, 7);
    if (pk && sqlite3_column_bytes(st, 7) == 32) memcpy(t.desk_pk, pk, 32);
    t.filed_on = fg_cases_text(st, 8);
    t.filed_by = fg_cases_text(st, 9);
    t.jseq = sqlite3_column_int64(st, 10);
    t.full_capacity = sqlite3_column_int(st, 11) != 0;
    t.fund_duties = sqlite3_column_int(st, 12) != 0;
    if ((ret = fn(ud, &t)) != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, "tips");
  sqlite3_finalize(st);
  return ret;
}

static int fg_cases_count(fg_store *s, const char *sql, int64_t a, const char *b, int64_t *n,
                          fg_err *err) {
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s, sql, &st, "count", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, a);
  if (b) sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st) == SQLITE_ROW ? 0 : fg_sqlite_err(s, err, "count");
  if (rc == 0) *n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return rc;
}

int fg_store_tip_facts(fg_store *s, int64_t tip, fg_store_tip_facts_row *f, fg_err *err) {
  FG_ASSERT(s != NULL && f != NULL);
  memset(f, 0, sizeof *f);
  int rc = fg_cases_count(
      s,
      "SELECT (SELECT count(*) FROM findings x WHERE x.subject_id = t.subject_id AND EXISTS"
      " (SELECT 1 FROM journal j WHERE j.action = 'screen.run' AND j.seq < t.jseq"
      " AND json_extract(j.payload, '$.run') = x.run))"
      " + (SELECT count(*) FROM cases c WHERE c.subject_id = t.subject_id AND c.source <> 'tip'"
      " AND c.jseq < t.jseq) FROM tips t WHERE t.id = ?1",
      tip, NULL, &f->known_before, err);
  if (rc == 0)
    rc = fg_cases_count(s,
                        "SELECT count(*) FROM tips e, tips t WHERE t.id = ?1 AND e.id < t.id"
                        " AND e.subject_type = t.subject_type AND e.subject_id = t.subject_id",
                        tip, NULL, &f->earlier_tips, err);
  if (rc == 0)
    rc = fg_cases_count(s, "SELECT count(*) FROM tip_rewards WHERE tip = ?1", tip, NULL,
                        &f->rewards, err);
  return rc;
}

int fg_store_staff_person(fg_store *s, const char *person_id, bool *found, fg_err *err) {
  int64_t n = 0;
  int rc = fg_cases_count(s, "SELECT count(*) FROM staff WHERE ?1 = ?1 AND person_id = ?2", 0,
                          person_id, &n, err);
  *found = rc == 0 && n > 0;
  return rc;
}

int fg_store_tip_reward_add(fg_store *s, const fg_store_tip_reward *r, int64_t jseq, fg_err *err) {
  FG_ASSERT(s != NULL && r != NULL && s->tx_depth > 0 && jseq > 0);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "INSERT INTO tip_rewards (tip, verified_fen, reward_fen, contribution,"
                          " proposal_id, proposer, reviewer, approver, jseq)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                          &st, "tip_rewards insert", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, r->tip);
  sqlite3_bind_int64(st, 2, r->verified_fen);
  sqlite3_bind_int64(st, 3, r->reward_fen);
  sqlite3_bind_text(st, 4, r->contribution, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, r->proposal_id);
  const char *t[] = {r->proposer, r->reviewer, r->approver};
  for (int i = 0; i < 3; i++) sqlite3_bind_text(st, 6 + i, t[i], -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 9, jseq);
  return fg_sqlite_done(s, st, "tip_rewards insert", err);
}

int fg_store_tip_reward_get(fg_store *s, int64_t tip, fg_store_tip_reward_row *r, fg_err *err) {
  FG_ASSERT(s != NULL && r != NULL);
  sqlite3_stmt *st = NULL;
  int rc = fg_sqlite_prep(s,
                          "SELECT verified_fen, reward_fen, proposal_id, proposer, reviewer,"
                          " approver FROM tip_rewards WHERE tip = ?1 ORDER BY id LIMIT 1",
                          &st, "tip_rewards", err);
  if (rc) return rc;
  sqlite3_bind_int64(st, 1, tip);
  memset(r, 0, sizeof *r);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    r->verified_fen = sqlite3_column_int64(st, 0);
    r->reward_fen = sqlite3_column_int64(st, 1);
    r->proposal_id = sqlite3_column_int64(st, 2);
    fg_cases_copy(r->proposer, sizeof r->proposer, st, 3);
    fg_cases_copy(r->reviewer, sizeof r->reviewer, st, 4);
    fg_cases_copy(r->approver, sizeof r->approver, st, 5);
  }
  rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : fg_sqlite_err(s, err, "tip_rewards");
  sqlite3_finalize(st);
  return rc;
}
