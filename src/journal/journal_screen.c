/*
 * journal_screen.c — the journal's hook into a screening run (journal.h
 * fg_journal_screen_hook, screen.h fg_screen_commit_hook): inside the run's
 * transaction, just before commit, append "screen.run" signed by the user
 * who screens, covering the run's rows by run id: `runs` (id), `findings`
 * (run) and `finding_evidence` (run). The payload names the run, its date,
 * its configuration, whether it is official, the findings digest and the
 * model snapshot's digest when there is one (screen/snapshot.h).
 */
#include <stdio.h>
#include <string.h>

#include "journal/journal_impl.h"

int fg_journal_screen_hook(void *ud, fg_store *s, int64_t run_id, const char *findings_sha256_hex,
                           const char *snapshot_sha256_hex, fg_err *err) {
  const fg_signer *signer = ud;
  FG_ASSERT(signer != NULL && s != NULL && run_id > 0 && findings_sha256_hex != NULL);
  fg_store_run r;
  bool found = false;
  int rc = fg_store_run_get(s, run_id, &r, &found, err);
  if (rc == 0 && !found) rc = fg_errf(err, FG_EINPUT, "筛查运行 #%lld 不存在", (long long)run_id);
  if (rc != 0) {
    fg_store_run_release(&r);
    return rc;
  }
  char run[32];
  snprintf(run, sizeof run, "%lld", (long long)run_id);
  const fg_journal_cover covers[] = {
      {"runs", "id", run, NULL, 0},
      {"findings", "run", run, NULL, 0},
      {"finding_numbers", "run", run, NULL, 0},
      {"finding_evidence", "run", run, NULL, 0}};
  fg_buf p = FG_BUF_INIT;
  fg_buf_adds(&p, "{\"as_of\":");
  fg_journal_json_add_str(&p, r.as_of, strlen(r.as_of));
  fg_buf_adds(&p, ",\"config_sha256\":");
  fg_journal_json_add_str(&p, r.config_sha256, strlen(r.config_sha256));
  fg_buf_adds(&p, ",\"findings_sha256\":");
  fg_journal_json_add_str(&p, findings_sha256_hex, strlen(findings_sha256_hex));
  fg_buf_addf(&p, ",\"nfindings\":%lld,\"official\":%s,\"rules_run\":", (long long)r.nfindings,
              r.official ? "true" : "false");
  fg_journal_json_add_str(&p, r.rules_run, strlen(r.rules_run));
  fg_buf_addf(&p, ",\"run\":%lld", (long long)run_id);
  if (snapshot_sha256_hex) { /* keys stay in sorted order: canonical JSON */
    fg_buf_adds(&p, ",\"snapshot_sha256\":");
    fg_journal_json_add_str(&p, snapshot_sha256_hex, strlen(snapshot_sha256_hex));
  }
  fg_buf_adds(&p, "}");
  rc = fg_journal_append_covered(s, signer, "screen.run", p.buf, p.len, covers,
                                 FG_ARRAY_LEN(covers), NULL, err);
  fg_buf_release(&p);
  fg_store_run_release(&r);
  return rc;
}
