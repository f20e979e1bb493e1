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

#endif
