/*
 * tool_forge.c — a test tool of the tamper suite (tests/e2e_tamper.sh), not
 * part of the product: what an insider with a valid account and write
 * access to the store can do with the platform's own library. It logs in as
 * USER with PASSWORD (FUNDGUARD_PASSWORD), then appends one entry of ACTION,
 * signed with the user's own key, that claims the group TABLE.COLUMN=VALUE
 * of ROWS rows it did not write. `log verify` must refuse such an entry.
 * Usage: fg_forge DB KEYFILE USER ACTION TABLE COLUMN VALUE ROWS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "authz/authz.h"
#include "journal/journal.h"

int main(int argc, char **argv) {
  if (argc != 9 || sodium_init() < 0) {
    fprintf(stderr, "usage: fg_forge DB KEYFILE USER ACTION TABLE COLUMN VALUE ROWS\n");
    return 2;
  }
  fg_err err = {0};
  fg_store *s = NULL;
  fg_signer platform, me;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  const char *pw = getenv("FUNDGUARD_PASSWORD");
  int rc = fg_store_open(argv[1], false, &s, &err);
  if (rc == 0) rc = fg_authz_load_config(s, cfg, &err);
  if (rc == 0) rc = fg_journal_platform_signer(argv[2], &platform, &err);
  if (rc == 0)
    rc = fg_authn_login(s, cfg, &platform, argv[3], pw ? pw : "", (int64_t)time(NULL), 0, &me, &err);
  const fg_journal_cover cv = {argv[5], argv[6], argv[7], NULL, strtoll(argv[8], NULL, 10)};
  if (rc == 0) rc = fg_store_begin(s, &err);
  if (rc == 0) rc = fg_journal_append_covered(s, &me, argv[4], "{}", 2, &cv, 1, NULL, &err);
  if (rc == 0) rc = fg_store_commit(s, &err);
  if (rc) fprintf(stderr, "fg_forge: %s\n", err.msg);
  fg_store_close(s);
  free(cfg);
  return rc ? 1 : 0;
}
