/*
 * fsout.h — files in and out. Reading a small text file whole
 * (fg_file_read). And how every file the platform writes for a person (exports,
 * quarantine CSVs, checkpoints, proofs, reports, the initial-password list)
 * reaches the disk: into a new temporary file beside the target (mode 0600,
 * O_EXCL, never following a symlink), flushed and fsync'd, then renamed
 * over the target in one step. A failed or killed write leaves the target
 * as it was; nobody ever sees a half-written export.
 *
 * A target is refused when it is one of the protected files the caller
 * names (the store, its -wal/-shm/-journal, its platform key, its model
 * snapshot, a file being read): compared by device and inode, so another
 * path or a symlink to them is refused as well.
 */
#ifndef FG_COMMON_FSOUT_H
#define FG_COMMON_FSOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "common/fg.h"

#define FG_FSOUT_PATH_MAX 4096
#define FG_FSOUT_PROTECT_MAX 32

typedef struct fg_fsout {
  FILE *f;                        /* write here */
  char target[FG_FSOUT_PATH_MAX];
  char tmp[FG_FSOUT_PATH_MAX + 16];
  bool no_clobber;                /* refuse an existing target (link, not rename) */
  bool active;                    /* the temporary file exists */
} fg_fsout;

/* Files a target must not be: up to FG_FSOUT_PROTECT_MAX paths. */
typedef struct fg_fsout_protect {
  char *path[FG_FSOUT_PROTECT_MAX]; /* copies (heap) */
  int n;
} fg_fsout_protect;
#define FG_FSOUT_PROTECT_INIT {{NULL}, 0}
/* Add path (copied); for a store also its -wal, -shm, -journal, .key and
 * .model. Past FG_FSOUT_PROTECT_MAX paths an assertion fails. */
void fg_fsout_protect_add(fg_fsout_protect *p, const char *path);
void fg_fsout_protect_store(fg_fsout_protect *p, const char *store_path);
/* Free the copies (p may be reused). */
void fg_fsout_protect_release(fg_fsout_protect *p);
/* FG_EINPUT when target is one of p's files (p may be NULL). */
int fg_fsout_check(const char *target, const fg_fsout_protect *p, fg_err *err);

/* Open a temporary file for target (checked against p). */
int fg_fsout_open(fg_fsout *o, const char *target, const fg_fsout_protect *p, bool no_clobber,
                  fg_err *err);
/* Flush, fsync, close and rename onto the target (no_clobber: refused
 * when the target exists). On failure the temporary file is removed. */
int fg_fsout_commit(fg_fsout *o, fg_err *err);
/* Close the stream and leave the temporary file (o->tmp) to a library
 * that writes it by name (libxlsxwriter); commit fsyncs it by name. */
int fg_fsout_release_stream(fg_fsout *o, fg_err *err);
/* Close and remove the temporary file; the target is untouched. */
void fg_fsout_abort(fg_fsout *o);

/* Read the regular file path whole into *text (heap, NUL-terminated; *n
 * bytes), refusing more than max_bytes (FG_ELIMIT) or a file that cannot
 * be read (FG_EIO); messages name the path. The one whole-file read of the
 * platform (configurations, checkpoints, proofs, public keys). */
int fg_file_read(const char *path, size_t max_bytes, char **text, size_t *n, fg_err *err);

/* Remove stale temporary files of target's folder that the given prefix
 * names and whose writer process is gone (pattern PREFIX.tmp.PID...). */
void fg_fsout_sweep(const char *prefix);

#endif
