/*
 * authz.h — identity, authorization and two-person review (一岗双核): the
 * trust core's public face. Three parts, one prefix each:
 *
 *   fg_authz_  roles, permissions and the ONE authorization check every CLI
 *              command and HTTP endpoint goes through (fg_authz_check);
 *              static separation of duties (exclusive role pairs from cfg).
 *   fg_authn_  users: Argon2id password hashes, lockout, expiry, and each
 *              user's Ed25519 key pair (the digital certificate) whose secret
 *              key is sealed with a key derived from the password, so a
 *              signer (fg_signer) comes only from the right password.
 *   fg_review_ the general two-person review engine: propose (A) -> review
 *              (B != A) -> approve (C != A, B) where the kind needs it ->
 *              apply, in the transaction of the final step.
 *
 * Storage is the "users, roles, proposals" section of store.h (append-only
 * tables). Every change and every refusal is a journal entry
 * (fg_journal_append): acts of an authenticated user are signed with the
 * user's key, refused logins with the platform key. A refusal adds its
 * journal entry and nothing else. Call these functions outside a store
 * transaction: each one commits its own (so a refusal's entry survives).
 *
 * How a command authenticates (the lead wires this into cmd_import,
 * cmd_screen, cmd_findings, cmd_log):
 *
 *     fg_signer me;
 *     if ((rc = fg_authn_cli(store, db_path, FG_PERM_DATA_IMPORT, &me, &err)) != 0)
 *       return fg_cli_fail(&err);          // exit 1, refusal already journaled
 *     ... fg_store_begin; work; fg_journal_append(store, &me, ...); commit ...
 *     fg_authn_signer_wipe(&me);
 */
#ifndef FG_AUTHZ_AUTHZ_H
#define FG_AUTHZ_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/fg.h"
#include "config/config.h"
#include "journal/journal.h"
#include "store/store.h"

/* ---- roles and permissions (fg_authz_) ------------------------------------ */

#define FG_PERM_DATA_IMPORT "data.import"           /* import a batch */
#define FG_PERM_DATA_AMEND "data.amend"             /* propose a data amendment */
#define FG_PERM_FINDINGS_SCREEN "findings.screen"   /* run the screening */
#define FG_PERM_FINDINGS_READ "findings.read"       /* read findings (journaled) */
#define FG_PERM_FINDINGS_EXPORT "findings.export"   /* export findings */
#define FG_PERM_FINDING_DISMISS "finding.dismiss"   /* propose: finding is normal */
#define FG_PERM_WRITEOFF_PROPOSE "writeoff.propose" /* propose a write-off (agency) */
#define FG_PERM_PENALTY_PROPOSE "penalty.propose"   /* propose a penalty (office) */
#define FG_PERM_CASE_ISSUE "case.issue"             /* issue cases; assign any (office) */
#define FG_PERM_CASE_READ "case.read"               /* the ledger (office: all; agency: own) */
#define FG_PERM_CASE_HANDLE "case.handle"           /* assign, note, classify, close (agency) */
#define FG_PERM_CASE_SERIOUS "case.serious"         /* mark a case serious */
#define FG_PERM_RECOVERY_RECORD "recovery.record"   /* receipts and deposits (agency) */
#define FG_PERM_REPORT_MAKE "report.make"           /* reports (office) */
#define FG_PERM_INSPECTION_MANAGE "inspection.manage" /* on-site inspections (office) */
#define FG_PERM_CONFIG_PROPOSE "config.propose"     /* propose a configuration */
#define FG_PERM_JOURNAL_READ "journal.read"         /* read the journal */
#define FG_PERM_JOURNAL_CHECKPOINT "journal.checkpoint" /* write a checkpoint */
#define FG_PERM_REPORT_INTAKE "report.intake"       /* whistleblower reports */
#define FG_PERM_USER_READ "user.read"               /* list and show users */
#define FG_PERM_USER_MANAGE "user.manage"           /* propose user / role changes */
#define FG_PERM_PROPOSAL_READ "proposal.read"       /* list and show proposals */
#define FG_PERM_PROPOSAL_REVIEW "proposal.review"   /* review (复核) */
#define FG_PERM_PROPOSAL_APPROVE "proposal.approve" /* approve (审批) */
#define FG_PERM_PERSON_READ "person.read"           /* view a person's records (journaled) */

/* The platform's roles (least privilege), in catalogue order. */
size_t fg_authz_role_count(void);
const char *fg_authz_role_name(size_t i);    /* "handler", ... */
const char *fg_authz_role_zh(const char *role); /* "经办", ...; NULL if unknown */
bool fg_authz_role_known(const char *role);
/* Whether role grants permission by default. */
bool fg_authz_role_has(const char *role, const char *permission);
/* The i-th FG_PERM_* name; NULL past the last. */
const char *fg_authz_permission_name(size_t i);
/* Whether permission is one of the FG_PERM_* names. */
bool fg_authz_permission_known(const char *permission);

/* Check a `;`-separated role set: every role known, no exclusive pair of
 * cfg held together. FG_EINPUT with a message naming the role or pair. */
int fg_authz_roles_valid(const fg_config *cfg, const char *roles, fg_err *err);

/* Lower-case and trim a `;`-separated role list into out (no validation). */
int fg_authz_roles_normalize(const char *roles, char *out, size_t out_size, fg_err *err);

/* THE authorization check: 0 when user exists and one of its current roles
 * grants permission, else FG_EPERM with a message naming user, roles and
 * permission. Every command and endpoint calls this (through fg_authn_cli or
 * fg_authz_check_signer); nothing else decides permissions. */
int fg_authz_check(fg_store *s, const char *user, const char *permission, fg_err *err);

/* Prove a signer is who it says: signer->actor is a user whose certificate
 * (public key) equals signer->pk, and signer->sk signs for that key. Then
 * fg_authz_check. FG_EPERM otherwise (signing as another user). */
int fg_authz_check_signer(fg_store *s, const fg_signer *signer, const char *permission,
                          fg_err *err);

/* ---- users and authentication (fg_authn_) --------------------------------- */

#define FG_AUTHN_PASSWORD_MIN 10    /* characters */
#define FG_AUTHN_PASSWORD_MAX 256   /* bytes */
#define FG_AUTHN_NAME_MAX 63        /* bytes of a user name */
#define FG_AUTHN_DAY_S 86400
#define FG_AUTHN_INITIAL_MAX 24     /* bytes of a generated initial password, NUL included */

/* A password a user may choose: at least FG_AUTHN_PASSWORD_MIN characters,
 * not on the common-password list, not one repeated character. */
int fg_authn_password_policy(const char *password, fg_err *err);
/* A fresh initial password: 16 random letters and digits in 4 groups
 * (80 bits), distinct for every user. */
void fg_authn_initial_password(char out[FG_AUTHN_INITIAL_MAX]);
/* Argon2id hash (crypto_pwhash_str) of a password. */
int fg_authn_hash(const char *password, char out[FG_STORE_PWHASH_MAX], fg_err *err);

/* Create a user with an initial password, given as its Argon2id hash (so
 * the approver who applies a reviewed creation never learns it), and roles
 * (validated: known, no exclusive pair) and agency (cases.md; "" = the
 * supervision office). No key pair is made: an initial
 * password can only set the user's own password (fg_authn_set_password).
 * Journaled as "user.create" signed by `by` (the platform at init, the
 * final approver of a user_create proposal). Runs inside the caller's
 * transaction when there is one. proposal_id is 0 for init's roster. */
int fg_authn_user_create(fg_store *s, const fg_config *cfg, const fg_signer *by,
                         const char *user, const char *display_name, const char *roles,
                         const char *agency, const char *initial_hash, int64_t proposal_id,
                         int64_t now_s, fg_err *err);

/* init's roster (CSV with a header: user, name, roles and the optional
 * initial_password and agency columns, in any order): every row checked,
 * then all users created in one transaction, each journaled "user.create"
 * signed by the platform. A user's initial password is the roster's
 * initial_password, else shared_password when the roster has one user,
 * else generated: each generated one is appended to *generated as a CSV
 * line `user,password` (the caller writes it to a 0600 file and wipes the
 * buffer). Sets *created. */
int fg_authz_init_roster(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                         const char *roster_path, const char *shared_password, int64_t now_s,
                         fg_buf *generated, size_t *created, fg_err *err);

/* init's configuration: the defaults stored as the official configuration
 * (config_versions, jseq of the "config.init" entry that covers the row,
 * signed by the platform), in one transaction. */
int fg_authz_init_config(fg_store *s, const fg_signer *platform, fg_err *err);

/* The store's official configuration over the defaults (defaults when none
 * is stored). */
int fg_authz_load_config(fg_store *s, fg_config *cfg, fg_err *err);

enum {
  FG_AUTHN_ALLOW_EXPIRED = 1u << 0, /* only `user passwd` may log in expired */
};

/* Authenticate user with password at now_s and unlock the user's key into
 * *out, all inside one write transaction. Refusals (unknown user or wrong
 * password — one message for both —, locked after cfg->lockout_failures
 * consecutive failures, even with the right password; an initial password,
 * which only sets a password; a password older than
 * cfg->password_max_age_days) are journaled "authn.refused", signed by
 * platform, and return FG_EPERM. Wipe *out with fg_authn_signer_wipe. */
int fg_authn_login(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                   const char *user, const char *password, int64_t now_s, unsigned flags,
                   fg_signer *out, fg_err *err);

/* Set user's own password: current (the initial one, or the password in
 * use, even expired) is judged like a login; new_password must meet the
 * policy and differ from it. Makes a new key pair, destroys the old seal
 * (the credential row is replaced, its digest chained), registers the new
 * public key from this entry on, and journals "user.passwd" signed by the
 * new key. */
int fg_authn_set_password(fg_store *s, const fg_config *cfg, const fg_signer *platform,
                          const char *user, const char *current, const char *new_password,
                          int64_t now_s, fg_err *err);
/* Whether user's credential is still an initial password. */
int fg_authn_is_initial(fg_store *s, const char *user, bool *initial, fg_err *err);

/* Consecutive wrong passwords of user (0 after its next signed act). */
int fg_authn_failures(fg_store *s, const char *user, int64_t *n, fg_err *err);

void fg_authn_signer_wipe(fg_signer *signer);

/* The CLI's one entry point for commands that act as a user: takes
 * FUNDGUARD_USER / FUNDGUARD_PASSWORD from the environment, else asks on the
 * terminal (password without echo; an initial password must then be
 * replaced), else fails (FG_EPERM, clear message). Loads the stored
 * configuration and the platform key (found by fg_authn_key_path), logs in,
 * and checks permission (NULL: none needed). Refusals are journaled. */
int fg_authn_cli(fg_store *s, const char *store_path, const char *permission, fg_signer *out,
                 fg_err *err);
/* `user passwd`: FUNDGUARD_USER, FUNDGUARD_PASSWORD (the initial or the
 * current password) and FUNDGUARD_NEW_PASSWORD, else asked on the
 * terminal; then fg_authn_set_password. */
int fg_authn_cli_passwd(fg_store *s, const char *store_path, const char *key_flag, fg_err *err);
/* Journal a refused permission of a logged-in user (authz.denied, signed
 * by them) with err's message; wipes *me; returns FG_EPERM. */
int fg_authn_deny(fg_store *s, fg_signer *me, const char *permission, fg_err *err);
/* Log in and require any one of perms (a refusal names the first). */
int fg_authn_cli_any(fg_store *s, const char *store_path, const char *key_path,
                     const char *const *perms, int nperms, fg_signer *out, fg_err *err);
/* Same, with the command's --key FILE (NULL when not given). */
int fg_authn_cli_key(fg_store *s, const char *store_path, const char *key_path,
                     const char *permission, unsigned flags, fg_signer *out, fg_err *err);

#define FG_AUTHN_KEY_ENV "FUNDGUARD_KEY"
enum { FG_AUTHN_PATH_MAX = 4096 };
/* Where the platform's private key file is, the same for every command
 * (init included): key_flag (--key FILE) when given, else the environment
 * variable FUNDGUARD_KEY when set and not empty, else store_path + ".key".
 * Writes the path into out; FG_ELIMIT when it does not fit. */
int fg_authn_key_path(const char *store_path, const char *key_flag, char *out, size_t out_size,
                      fg_err *err);
/* Read a password from the environment variable env_name, else the terminal
 * (no echo, prompt on stderr). FG_EPERM when neither is possible. out must
 * hold FG_AUTHN_PASSWORD_MAX + 1 bytes; wipe it with sodium_memzero. */
int fg_authn_read_secret(const char *env_name, const char *prompt, char *out, size_t out_size,
                         fg_err *err);

/* ---- two-person review (fg_review_) --------------------------------------- */

#define FG_REVIEW_EXPIRY_DAYS 7 /* pending proposals expire after this */

#define FG_REVIEW_ROLE_GRANT "role_grant"
#define FG_REVIEW_ROLE_REVOKE "role_revoke"
#define FG_REVIEW_USER_CREATE "user_create"
#define FG_REVIEW_USER_UNLOCK "user_unlock"
#define FG_REVIEW_CONFIG_CHANGE "config_change"
#define FG_REVIEW_DATA_AMENDMENT "data_amendment"
#define FG_REVIEW_FINDING_DISMISS "finding_dismiss"
#define FG_REVIEW_CASE_WRITEOFF "case_writeoff"
#define FG_REVIEW_CASE_PENALTY "case_penalty"
#define FG_REVIEW_RECTIFY_CLOSE "rectify_close"
#define FG_REVIEW_INSPECTION_REPLAN "inspection_replan"
#define FG_REVIEW_TIP_REWARD "tip_reward"
#define FG_REVIEW_CASE_DISMISS "case_dismiss"

typedef enum fg_review_status {
  FG_REVIEW_PENDING,   /* waiting for review */
  FG_REVIEW_REVIEWED,  /* reviewed, waiting for approval */
  FG_REVIEW_APPLIED,   /* final step taken, effect executed */
  FG_REVIEW_REFUSED,   /* a reviewer or approver said no */
  FG_REVIEW_EXPIRED,   /* not finished before expires_s */
} fg_review_status;

fg_review_status fg_review_status_of(const fg_store_proposal *p, int64_t now_s);
const char *fg_review_status_zh(fg_review_status st);
/* Whether kind is configured; *needs_approval and the permission needed to
 * propose it. */
bool fg_review_kind(const char *kind, bool *needs_approval, const char **propose_perm);

/* The effect of an approved proposal of a kind owned by another subsystem
 * (config_change, data_amendment, finding_dismiss, case_writeoff). It runs
 * inside the final step's transaction; by is the final actor. It writes
 * rows only (no journal entry of its own): every row it inserts into a
 * table with a jseq column carries jseq, the seq of the step's journal
 * entry, which is appended right after and so covers them. Kinds owned
 * here (role_grant, role_revoke, user_create, user_unlock) are built in. A
 * kind with no effect registered cannot be finally approved (refused, no
 * fake success). */
typedef int (*fg_review_apply_fn)(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                                  int64_t jseq, fg_err *err);
int fg_review_set_applier(const char *kind, fg_review_apply_fn fn);
/* The check of such a kind's payload against the current state (the
 * finding exists, the row exists, the values parse, ...). Registered with
 * its applier; it runs at every step (propose, review, approve) and again
 * when the effect executes. A non-zero return refuses the step, journaled
 * as "proposal.denied" (reason "invalid") with err's message. */
typedef int (*fg_review_check_fn)(fg_store *s, const char *payload, fg_err *err);
int fg_review_set_checker(const char *kind, fg_review_check_fn fn);

/* Payloads (canonical JSON, sorted keys) for the built-in kinds. Heap. */
char *fg_review_payload_role(const char *user, const char *role);
/* user_create: initial_hash is the Argon2id hash of the initial password
 * the proposer's command generated (fg_authn_initial_password). */
char *fg_review_payload_user(const char *user, const char *display_name, const char *roles,
                             const char *agency, const char *initial_hash);
char *fg_review_payload_unlock(const char *user);
/* Read the string member key of a flat JSON object into out. */
bool fg_review_payload_get(const char *payload, const char *key, char *out, size_t out_size);

/* Propose an action of kind with payload. Checks the proposer's signer and
 * permission and, for role grants, the separation rules early. *id_out.
 * Inside a caller's transaction it joins it (a case classified normal files
 * its dismissal in the same transaction as the classification). */
int fg_review_propose(fg_store *s, const fg_config *cfg, const fg_signer *by, const char *kind,
                      const char *payload, int64_t now_s, int64_t *id_out, fg_err *err);
/* The same with the permission already checked by the caller in its own
 * terms: case work (src/cases) files a finding_dismiss for the assignee
 * of a case, whose right is case.handle on that agency's case, not
 * finding.dismiss. Everything else (kind check, journal) as above. */
int fg_review_propose_checked(fg_store *s, const fg_config *cfg, const fg_signer *by,
                              const char *kind, const char *payload, int64_t now_s,
                              int64_t *id_out, fg_err *err);
/* Review (复核) proposal id: by != proposer, with proposal.review. When the
 * kind needs no approval this is the final step and applies the effect. */
int fg_review_review(fg_store *s, const fg_config *cfg, const fg_signer *by, int64_t id,
                     int64_t now_s, fg_err *err);
/* Approve (审批): by != proposer, != reviewer, with proposal.approve; applies. */
int fg_review_approve(fg_store *s, const fg_config *cfg, const fg_signer *by, int64_t id,
                      int64_t now_s, fg_err *err);
/* Refuse (驳回) a pending proposal: by != proposer, with review or approve
 * permission. The proposal is closed; nothing is applied. */
int fg_review_refuse(fg_store *s, const fg_signer *by, int64_t id, const char *reason,
                     int64_t now_s, fg_err *err);

#endif
