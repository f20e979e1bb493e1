/*
 * journal_policy.c — which act may cover which rows (journal.h
 * fg_journal_policy_of). One table of the store per line: the column its
 * rows are grouped by for covering, the journal actions allowed to cover a
 * group of it, and whether a later cover may supersede an earlier one (only
 * a current-state table: a user's credential, replaced at each password
 * change). Appending (journal.c) refuses an entry whose act wrote a table
 * its action may not cover; `log verify` (journal_verify.c) refuses a cover
 * by an action not listed here, a group covered twice, and any table not
 * listed. A new table of the store needs a line here, or verify reports it.
 */
#include <string.h>

#include "journal/journal_impl.h"
#include "schema/schema.h"

static const fg_journal_policy fg_journal_policies[] = {
    {"schema_meta", "", "platform.init", false, false, false},
    {"platform_keys", "jseq", "platform.init", false, false, false},
    {"batches", "id", "import.batch", false, true, false},
    {"batch_files", "batch", "import.batch", false, false, false},
    {"batch_monthly", "batch", "import.batch", false, false, false},
    {"batch_keys", "batch", "import.batch", false, false, false},
    {"runs", "id", "screen.run", false, false, false},
    {"findings", "run", "screen.run", false, false, false},
    {"finding_evidence", "run", "screen.run", false, false, false},
    {"config_versions", "jseq", "config.init proposal.review proposal.approve", false, false,
     false},
    {"users", "jseq", "user.create", false, false, false},
    {"user_credentials", "user", "user.create user.passwd", true, false, true},
    {"user_keys", "jseq", "user.passwd", false, false, false},
    {"role_events", "jseq", "user.create proposal.review proposal.approve", false, false, false},
    {"proposals", "jseq", "proposal.create", false, false, false},
    {"proposal_events", "jseq", "proposal.review proposal.approve proposal.refuse", false, false,
     false},
    {"finding_dispositions", "jseq", "proposal.review proposal.approve", false, false, false},
    {"amendments", "jseq", "proposal.review proposal.approve", false, false, false},
    {"finding_numbers", "run", "screen.run", false, false, false},
    {"cases", "jseq", "case.issue", false, false, false},
    {"case_events", "jseq",
     "case.assign case.note case.classify case.close case.serious report.serious recovery.pay"
     " recovery.deposit proposal.review proposal.approve",
     false, false, false},
    {"case_files", "jseq", "case.note rectify.evidence", false, false, false},
    {"inspection_plans", "jseq", "inspection.plan proposal.review", false, false, false},
    {"inspections", "jseq", "inspection.open", false, false, false},
    {"inspection_problems", "jseq", "inspection.problem", false, false, false},
    {"problem_closures", "jseq", "proposal.review", false, false, false},
    {"desk_keys", "jseq", "tip.file tip.reveal tip.list", false, false, false},
    {"tips", "jseq", "tip.file", false, false, false},
    {"tip_rewards", "jseq", "proposal.approve", false, false, false},
};

/* The standard tables of the data standard: grouped by batch. */
static const fg_journal_policy fg_journal_policy_standard = {"", "_batch", "import.batch", false,
                                                             false, false};

const fg_journal_policy *fg_journal_policy_of(const char *table) {
  FG_ASSERT(table != NULL);
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_journal_policies); i++)
    if (strcmp(fg_journal_policies[i].table, table) == 0) return &fg_journal_policies[i];
  for (int t = 0; t < FG_T_COUNT; t++)
    if (strcmp(fg_schema_table(t)->name, table) == 0) return &fg_journal_policy_standard;
  return NULL;
}

bool fg_journal_policy_allows(const fg_journal_policy *p, const char *action) {
  FG_ASSERT(p != NULL && action != NULL);
  const size_t n = strlen(action);
  for (const char *a = p->actions; *a;) {
    const size_t len = strcspn(a, " ");
    if (len == n && strncmp(a, action, n) == 0) return true;
    a += len;
    while (*a == ' ') a++;
  }
  return false;
}

size_t fg_journal_policy_jseq_tables(const char **out, size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_journal_policies) && n < max; i++)
    if (strcmp(fg_journal_policies[i].column, FG_JOURNAL_JSEQ_COLUMN) == 0)
      out[n++] = fg_journal_policies[i].table;
  return n;
}
