/*
 * import_journal.c — the import's entry in the journal (import.h
 * fg_import_journal_hook, the before_commit hook the CLI passes): inside the
 * batch's transaction, "import.batch" signed by the user who imports,
 * covering the batch's rows in every standard table with the digests the
 * importer computed while storing them (no read-back), its `batches` row
 * and its `batch_files` rows; the payload names each file with its SHA-256
 * and row counts. It lives beside the import (the import depends on the
 * journal, never the other way round), as journal_screen.c does for runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "journal/journal.h"
#include "journal/json.h"
#include "journal/rowhash.h"
#include "schema/schema.h"

int fg_import_journal_check(fg_store *s, const struct fg_import_result *r, fg_err *err) {
  FG_ASSERT(s != NULL && r != NULL && r->batch_id > 0 && r->digests != NULL);
  char batch[32];
  snprintf(batch, sizeof batch, "%lld", (long long)r->batch_id);
  int rc = 0;
  for (int t = 0; rc == 0 && t < FG_T_COUNT; t++) {
    const fg_rowhash *d = &r->digests[t];
    const fg_journal_cover c = {fg_schema_table(t)->name, "_batch", batch, NULL, 0};
    fg_rowhash h;
    rc = fg_journal_rows_digest(s, &c, &h, err);
    if (rc == 0 && (!d->finished || h.rows != d->rows || memcmp(h.root, d->root, 32) != 0))
      rc = fg_errf(err, FG_EVERIFY, "导入时计算的 %s 摘要 (%lld 行) 与存入的行 (%lld 行) 不符",
                   c.table, (long long)d->rows, (long long)h.rows);
    fg_rowhash_release(&h);
  }
  return rc;
}

int fg_import_journal_hook(void *ud, fg_store *s, const struct fg_import_result *r, fg_err *err) {
  const fg_signer *signer = ud;
  FG_ASSERT(signer != NULL && s != NULL && r != NULL && r->batch_id > 0);
  const char *recheck = getenv(FG_IMPORT_RECHECK_ENV);
  if (r->digests != NULL && recheck != NULL && *recheck && strcmp(recheck, "0") != 0) {
    const int rc = fg_import_journal_check(s, r, err);
    if (rc != 0) return rc;
  }
  char batch[32];
  snprintf(batch, sizeof batch, "%lld", (long long)r->batch_id);
  fg_journal_cover covers[FG_T_COUNT + 4];
  size_t nc = 0;
  for (int t = 0; t < FG_T_COUNT; t++)
    covers[nc++] = (fg_journal_cover){fg_schema_table(t)->name, "_batch", batch,
                                      r->digests ? &r->digests[t] : NULL, 0};
  covers[nc++] = (fg_journal_cover){"batches", "id", batch, NULL, 0};
  covers[nc++] = (fg_journal_cover){"batch_files", "batch", batch, NULL, 0};
  covers[nc++] = (fg_journal_cover){"batch_monthly", "batch", batch, NULL, 0};
  covers[nc++] = (fg_journal_cover){"batch_keys", "batch", batch, NULL, 0};
  fg_buf p = FG_BUF_INIT;
  fg_buf_addf(&p, "{\"batch\":%lld,\"files\":[", (long long)r->batch_id);
  for (int i = 0; i < r->nfiles; i++) {
    const fg_import_file *f = &r->files[i];
    fg_buf_addf(&p, "%s{\"table\":", i ? "," : "");
    const char *name = fg_schema_table(f->table)->name;
    fg_journal_json_add_str(&p, name, strlen(name));
    fg_buf_addf(&p, ",\"sha256\":\"%s\",\"bytes\":%lld,\"rows_stored\":%lld,\"skipped\":%s}",
                f->sha256_hex, (long long)f->bytes, (long long)f->rows_stored,
                f->skipped ? "true" : "false");
  }
  fg_buf_adds(&p, "]}");
  int rc = fg_journal_append_covered(s, signer, "import.batch", p.buf, p.len, covers, nc, NULL, err);
  fg_buf_release(&p);
  return rc;
}
