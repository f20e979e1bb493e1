/*
 * journal.h — the tamper-evident journal: every change of state is one
 * signed entry, a leaf of an RFC 6962 Merkle tree (merkle.h).
 *
 * Entry: seq (0-based leaf index), time, actor, action, payload (canonical
 * JSON text), and the actor's Ed25519 signature over the entry's canonical
 * bytes. Acts no user signed (a refused login, ...) are signed with the
 * platform key. Entries are appended inside the caller's store transaction,
 * so the state change and its entry commit together or not at all.
 */
#ifndef FG_JOURNAL_JOURNAL_H
#define FG_JOURNAL_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/fg.h"
#include "journal/rowhash.h"
#include "store/store.h"

/* Who signs an entry: a user's (or the platform's) unlocked key pair.
 * sk is libsodium's 64-byte Ed25519 secret key; wipe it after use. */
typedef struct fg_signer {
  char actor[64]; /* user name, or "platform" */
  uint8_t pk[32];
  uint8_t sk[64];
} fg_signer;

/* Append one entry within the current transaction (the caller begins and
 * commits). payload is canonical JSON (no secrets, ever). Sets *seq_out. */
int fg_journal_append(fg_store *s, const fg_signer *signer, const char *action,
                      const char *payload, size_t payload_len, int64_t *seq_out, fg_err *err);

/* ---- entries and their coverage of stored rows (docs/journal.md) -------- */

/* First line of an entry's canonical bytes: names the entry and cover
 * format (v2: chunked row digests, rowhash.h). */
#define FG_JOURNAL_FORMAT "fundguard-journal-v2"
#define FG_JOURNAL_PLATFORM_ACTOR "platform"
#define FG_JOURNAL_FIELD_MAX 256   /* bytes of at / actor / action */
#define FG_JOURNAL_COVERS_MAX 128  /* covers of one entry */
/* Column that ties a platform row to the entry that wrote it. */
#define FG_JOURNAL_JSEQ_COLUMN "jseq"

/* "The rows of table whose column equals value" (column "" = every row of
 * the table): the entry records their count, the RFC 6962 root over their
 * chunk leaves (rowhash.h) and the chunk leaves. digest: the group's
 * finished digest when the caller computed it while storing the rows (the
 * import does), NULL to read the rows back. rows_fixed: 0 = the group must
 * hold exactly the rows the act inserted into the table since the
 * transaction's last entry (the store counts them, store.h
 * fg_store_tx_written); > 0 = it must hold exactly that many (a cover of
 * rows the act did not write itself, such as the schema versions at
 * platform.init). Any other count means rows were planted: the entry is
 * refused (FG_EVERIFY) and nothing is signed. */
typedef struct fg_journal_cover {
  const char *table;
  const char *column;
  const char *value;
  const fg_rowhash *digest;
  int64_t rows_fixed;
} fg_journal_cover;

/* Which act may cover which table (journal_policy.c): the column a table's
 * rows are grouped by, the actions allowed to cover it (space-separated),
 * whether a later cover supersedes an earlier one of the same group, and
 * whether an act may update or delete rows of it. */
typedef struct fg_journal_policy {
  const char *table;
  const char *column;
  const char *actions;
  bool supersede;
  bool may_update;
  bool may_delete;
} fg_journal_policy;
/* NULL for a table no act may write (verify reports its rows). */
const fg_journal_policy *fg_journal_policy_of(const char *table);
bool fg_journal_policy_allows(const fg_journal_policy *p, const char *action);
/* The tables grouped by jseq (the entry's own seq), at most max. */
size_t fg_journal_policy_jseq_tables(const char **out, size_t max);

/* The seq the next appended entry will get: insert rows carrying
 * jseq = this value FIRST, then append. fg_journal_append covers the rows
 * of every jseq table (journal_policy.c) whose jseq is the new entry's seq,
 * and refuses unless they are exactly the rows this transaction inserted
 * there since its last entry. */
int fg_journal_next_seq(fg_store *s, int64_t *seq, fg_err *err);
/* fg_journal_append plus explicit covers (e.g. an import batch's rows). */
int fg_journal_append_covered(fg_store *s, const fg_signer *signer, const char *action,
                              const char *payload, size_t payload_len,
                              const fg_journal_cover *covers, size_t ncovers, int64_t *seq_out,
                              fg_err *err);
/* Digest of the rows a cover names, as verify re-derives it (h is
 * initialised and finished here; fg_rowhash_release it). */
int fg_journal_rows_digest(fg_store *s, const fg_journal_cover *c, fg_rowhash *h, fg_err *err);
/* Count and Merkle root of the rows a cover names, as verify re-derives. */
int fg_journal_rows_root(fg_store *s, const fg_journal_cover *c, uint8_t root[32], int64_t *count,
                         fg_err *err);

/* Screening hook (screen.h fg_screen_commit_hook; ud is the fg_signer of
 * the user who screens): appends "screen.run" inside the run's transaction,
 * covering the run's rows by run id: (runs, id), (findings, run) and
 * (finding_evidence, run); the payload names run, date, configuration hash,
 * official or what-if, rules run, finding count, the findings digest and,
 * when the run read or wrote a model snapshot, its digest (snapshot_sha256). */
int fg_journal_screen_hook(void *ud, fg_store *s, int64_t run_id, const char *findings_sha256_hex,
                           const char *snapshot_sha256_hex, fg_err *err);

/* ---- platform key ------------------------------------------------------- */

/* Create the platform Ed25519 key pair: secret key to key_path (mode 0600,
 * refused if it exists), public key into the store with an entry
 * "platform.init" signed by it, inside its own transaction. */
int fg_journal_platform_keygen(fg_store *s, const char *key_path, uint8_t pk_out[32], fg_err *err);
/* FG_EPERM unless platform's public key is the store's platform key. */
int fg_journal_platform_check(fg_store *s, const fg_signer *platform, fg_err *err);
/* Load the platform signer from key_path (actor "platform"). Commands
 * that act on a store check it with fg_journal_platform_check. */
int fg_journal_platform_signer(const char *key_path, fg_signer *out, fg_err *err);

/* ---- checkpoints, verification, proofs ---------------------------------- */

/* A signed tree head (text form in docs/journal.md). */
typedef struct fg_journal_checkpoint {
  uint64_t size;
  uint8_t root[32];
  char time[40];
  uint8_t pubkey[32];
  uint8_t sig[64];
} fg_journal_checkpoint;

/* The Merkle root of the first size entries (size 0: all, *size_out the
 * count used): the unshoppable seed of the yearly inspection draw. */
int fg_journal_root_at(fg_store *s, int64_t size, uint8_t root[32], int64_t *size_out,
                       fg_err *err);
/* Tree head of the store now, signed by signer (the platform key). */
int fg_journal_checkpoint_make(fg_store *s, const fg_signer *signer, fg_journal_checkpoint *cp,
                               fg_err *err);
void fg_journal_checkpoint_format(const fg_journal_checkpoint *cp, fg_buf *out);
/* Parse and check the signature (with the key the checkpoint names). */
int fg_journal_checkpoint_parse(const char *text, size_t n, fg_journal_checkpoint *cp, fg_err *err);

typedef struct fg_journal_verify_opts {
  const uint8_t *pin_pubkey;              /* platform key from outside, or NULL */
  const fg_journal_checkpoint *checkpoint; /* tree head kept outside, or NULL */
  int threads;                             /* signature checkers (>= 1) */
  /* optional: called as the work advances (entries, then tables) */
  void (*progress)(void *ud, const char *step, uint64_t done, uint64_t total);
  void *progress_ud;
} fg_journal_verify_opts;

#define FG_JOURNAL_PROBLEMS_LISTED_MAX 200

typedef struct fg_journal_verify_report {
  uint64_t entries;
  uint8_t root[32];
  int64_t rows_covered;
  int tables;
  int64_t problems;  /* all problems found */
  fg_buf text;       /* the first FG_JOURNAL_PROBLEMS_LISTED_MAX, one per line */
  bool anchored;     /* a checkpoint or a pinned key was given */
} fg_journal_verify_report;

/* Re-derive everything; FG_EVERIFY when any problem was found (listed in
 * rep->text), another code when it could not run. fg_buf_release(&rep->text). */
int fg_journal_verify(fg_store *s, const fg_journal_verify_opts *o, fg_journal_verify_report *rep,
                      fg_err *err);

/* One entry checked alone: its signature by the key registered for its
 * actor at its seq (the platform key for "platform"), and its stored leaf.
 * FG_EVERIFY naming the entry when either fails. For a reader that trusts
 * a value of one entry (the snapshot digest) without a full verify. */
int fg_journal_entry_check(fg_store *s, int64_t seq, fg_err *err);

/* Proof files (JSON, the layout of transparency-dev/merkle's test vectors
 * plus "kind"). Inclusion of entry idx in the tree of the first size
 * entries (size 0 = all); consistency from the checkpoint to now. */
int fg_journal_prove_inclusion(fg_store *s, uint64_t idx, uint64_t size, fg_buf *out, fg_err *err);
int fg_journal_prove_consistency(fg_store *s, const fg_journal_checkpoint *cp, fg_buf *out,
                                 fg_err *err);
/* Check a proof file against a checkpoint; describes the result in msg. */
int fg_journal_check_proof(const char *text, size_t n, const fg_journal_checkpoint *cp, fg_buf *msg,
                           fg_err *err);

#endif
