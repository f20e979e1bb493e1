/*
 * actions.h — the reviewed actions of the trust core that belong to no
 * single subsystem, and the journaled person view:
 *
 *   config_change    a proposed configuration file (canonical text and its
 *                    SHA-256 in the payload) becomes the official
 *                    configuration (config_versions, status official);
 *   finding_dismiss  a finding (run, rule, subject_id) is judged normal:
 *                    a finding_dispositions row (the findings export shows it);
 *   data_amendment   corrected values of an imported row: one amendments row
 *                    per column (old and new value); the row stays as it is.
 *
 * Each kind has a check (runs at propose, review, approve and apply: a
 * failure refuses the step, journaled by the review engine) and an effect
 * (runs inside the final step's transaction, its rows carrying the step's
 * jseq). fg_actions_register wires both into the review engine (authz.h
 * fg_review_set_checker / fg_review_set_applier); the CLI calls it once at
 * start. Proposers, permissions, self-review and the journal are the
 * engine's: nothing here decides who may act.
 */
#ifndef FG_ACTIONS_ACTIONS_H
#define FG_ACTIONS_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "authz/authz.h"
#include "common/fg.h"
#include "schema/schema.h"
#include "store/store.h"

#define FG_ACTION_REASON_MAX 1024  /* bytes of a reason, NUL included */
#define FG_ACTION_VALUE_MAX 1024   /* bytes of one field value, NUL included */
#define FG_ACTION_SET_MAX 16       /* columns one amendment may correct */
#define FG_ACTION_KEY_MAX 256      /* bytes of a row key "k1[,k2]", NUL included */
#define FG_ACTION_CONFIG_FILE_MAX FG_TEXT_FILE_BYTES_MAX /* bytes of a proposed config file */

/* What proposal p asks, in words a reviewer can judge (action_describe.c):
 * a configuration change as "key: current → proposed" lines, an amendment
 * as each column's stored and proposed value, the other kinds in a line. */
int fg_action_describe(fg_store *s, const fg_store_proposal *p, fg_buf *out, fg_err *err);
/* The payload as shown in lists: a new user's initial-password hash
 * replaced by "(已隐藏)". */
void fg_action_payload_shown(const char *payload, fg_buf *out);

/* Register the checks and effects of config_change, finding_dismiss and
 * data_amendment with the review engine. Idempotent; 0 or FG_ELIMIT. */
int fg_actions_register(void);

/* ---- payloads (canonical JSON, sorted keys; heap, free()) ---------------- */

/* config_change from a file: when the file parses, the payload holds the
 * canonical text and its SHA-256; when it does not, the raw text, so that
 * the engine's check refuses the proposal with the parser's message
 * (naming path and line) and journals the refusal. FG_EIO / FG_ELIMIT when
 * the file cannot be read. */
int fg_action_payload_config_file(const char *path, char **payload, fg_err *err);
char *fg_action_payload_dismiss(int64_t run, const char *rule, const char *subject_id,
                                const char *reason);
/* The same filed by case work for case case_id (classified normal): when
 * carried out, the case is closed too (a case_events "close" row). */
char *fg_action_payload_dismiss_case(int64_t run, const char *rule, const char *subject_id,
                                     const char *reason, int64_t case_id);
/* key: the row's key as "k1" or "k1,k2" (the table's key columns in order);
 * cols/vals: n corrections, an empty value clears an optional field. */
char *fg_action_payload_amend(const char *table, const char *key, const char *const *cols,
                              const char *const *vals, int n, const char *reason);

/* The same naming case case_id (cases.md `propose amend … --case`): when
 * approved, the case's operator_error condition is met (an "amendment"
 * case event in the same step). */
char *fg_action_payload_amend_case(const char *table, const char *key, const char *const *cols,
                                   const char *const *vals, int n, const char *reason,
                                   int64_t case_id);

/* ---- values ------------------------------------------------------------- */

/* Judge and convert a field value of column c as import does (fields.h
 * parsers, the schema's type and codes): *v as fg_store_insert takes it,
 * norm (FG_ACTION_VALUE_MAX bytes) its canonical text (money in yuan with
 * two decimals, person ids with an upper-case X). NULL when valid, else
 * the message of what is wrong (static text, "" for a code not allowed). */
const char *fg_action_convert(const fg_column *c, const char *s, size_t n, fg_value *v,
                              char *norm);
/* Text of a stored value of column c (money in yuan, quantities with three
 * decimals); false for NULL (out is then ""). */
bool fg_action_value_text(const fg_column *c, const fg_value *v, char *out, size_t out_size);

/* ---- person view -------------------------------------------------------- */

/* Journal "person.view" signed by the viewer: who looked at whom (payload:
 * person_id and the number of records shown), when (the entry's time). In
 * its own transaction; call it before the records are released. */
/* A findings export, as journaled ("findings.export", signed by the
 * reader, committed before the data is released): format, output ("stdout"
 * or the file), the filters (NULL = none), run and row count. */
typedef struct fg_action_export {
  const char *format, *output, *rule, *severity, *region, *institution;
  int64_t run_id, count;
} fg_action_export;
int fg_action_findings_exported(fg_store *s, const fg_signer *reader, const fg_action_export *x,
                                fg_err *err);
/* Journal "finding.view" ({"as","finding","run"}): as is "findings.read"
 * or "reviewer of #N" for a reviewer reading what a proposal asks them to
 * judge. */
int fg_action_finding_viewed(fg_store *s, const fg_signer *viewer, int64_t finding_id,
                             int64_t run_id, const char *as, fg_err *err);
/* The first open (pending or reviewed) proposal whose payload names
 * needle (a person id, a finding's subject); *proposal_id 0 when none.
 * Reviewers and approvers may read what such a proposal asks them to judge. */
int fg_action_open_proposal_naming(fg_store *s, const char *needle, int64_t now_s,
                                   int64_t *proposal_id, fg_err *err);
int fg_action_person_viewed(fg_store *s, const fg_signer *viewer, const char *person_id,
                            int64_t records, fg_err *err);

#endif
