/*
 * import.c — one import run (import.h): list the directory, open the
 * standard files (decoding; SHA-256 on a background thread), skip
 * byte-identical ones (only a file of a size some earlier batch imported
 * can be one: only for such a file is the hash awaited before reading),
 * then in one transaction record the batch, read the files in reference
 * order (import_pipe.c: import_row.c on a worker thread, inserts on this
 * one), record per-file counts, call the journal's before_commit hook and
 * commit — or roll everything back. A batch runs in SQLite's rollback
 * journal when it can switch to it (store.h fg_store_bulk_journal).
 */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/date.h"
#include "import/import_impl.h"
#include "import/import_pipe.h"

enum { FG_IMPORT_TS_LEN = 20 };

/* Reference targets first, so references within the batch are satisfied. */
static const fg_table_id fg_import_order[FG_T_COUNT] = {
    FG_T_AGENCIES,
    FG_T_PERSONS,          FG_T_EMPLOYERS,       FG_T_STAFF,
    FG_T_INSTITUTIONS,     FG_T_CATALOG,         FG_T_FUND_ACCOUNTS,
    FG_T_MEDICAL_SETTLEMENTS, FG_T_ENROLLMENTS,  FG_T_CONTRIBUTIONS,
    FG_T_BENEFIT_PAYMENTS, FG_T_RETIREMENTS,     FG_T_MEDICAL_ITEMS,
    FG_T_DEATHS,           FG_T_INCARCERATIONS,  FG_T_SURVIVAL_CERTIFICATIONS,
    FG_T_FUND_TRANSACTIONS, FG_T_OPERATIONS,     FG_T_WAGE_BASES,
};

const char *fg_import_actor(void) {
  const char *u = getenv("FUNDGUARD_USER");
  if (u != NULL && *u != '\0') return u;
  struct passwd *pw = getpwuid(geteuid());
  if (pw != NULL && pw->pw_name != NULL) return pw->pw_name;
  u = getenv("USER");
  return u && *u ? u : "unknown";
}

static void fg_import_now(char out[FG_IMPORT_TS_LEN]) {
  /* Beijing time, no zone (data standard timestamps) */
  FG_ASSERT(FG_IMPORT_TS_LEN >= 20);
  fg_format_timestamp(fg_beijing_now_s(), out);
}

static void fg_import_push(char ***list, int *n, char *msg) {
  *list = fg_xrealloc(*list, (size_t)(*n + 1) * sizeof **list);
  (*list)[(*n)++] = msg;
}

void fg_imp_error(fg_imp *im, const char *fmt, ...) {
  im->r->nerrors++;
  im->storing = false; /* row problems in quarantine mode never come here */
  if (im->r->nerrors_listed >= FG_IMPORT_ERRORS_LISTED_MAX) return;
  fg_buf b = FG_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  char tmp[FG_ERR_MSG_MAX];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  fg_buf_adds(&b, tmp);
  fg_import_push(&im->r->errors, &im->r->nerrors_listed, fg_buf_detach(&b));
}

void fg_imp_notice(fg_imp *im, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char tmp[FG_ERR_MSG_MAX];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  fg_import_push(&im->r->notices, &im->r->nnotices, fg_xstrdup(tmp));
}

static void fg_import_digests_free(fg_import_result *r) {
  for (int t = 0; r->digests != NULL && t < FG_T_COUNT; t++) fg_rowhash_release(&r->digests[t]);
  free(r->digests);
  r->digests = NULL;
}

/* Finish the digests the SQLite thread fed; each table's must count
 * exactly the rows the batch stored in it. */
static int fg_import_digests_finish(fg_import_result *r, fg_err *err) {
  FG_ASSERT(r->digests != NULL);
  for (int t = 0; t < FG_T_COUNT; t++) fg_rowhash_finish(&r->digests[t]);
  for (int i = 0; i < r->nfiles; i++) {
    const fg_import_file *f = &r->files[i];
    const int64_t want = f->skipped ? 0 : f->rows_stored;
    if (r->digests[f->table].rows != want)
      return fg_errf(err, FG_EDB, "内部错误: %s 存入 %lld 行，日志摘要记录 %lld 行",
                     fg_schema_table(f->table)->name, (long long)want,
                     (long long)r->digests[f->table].rows);
  }
  return 0;
}

void fg_import_result_release(fg_import_result *r) {
  if (r == NULL) return;
  for (int i = 0; i < r->nerrors_listed; i++) free(r->errors[i]);
  for (int i = 0; i < r->nnotices; i++) free(r->notices[i]);
  free(r->errors);
  free(r->notices);
  fg_import_digests_free(r);
  memset(r, 0, sizeof *r);
}

static int fg_import_name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file name for the terminal: control bytes as \xNN (heap). */
static char *fg_import_escaped(const char *name) {
  fg_buf b = FG_BUF_INIT;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if (*p < 0x20 || *p == 0x7F) fg_buf_addf(&b, "\\x%02X", *p);
    else fg_buf_addc(&b, (char)*p);
  }
  fg_buf_addc(&b, '\0');
  return fg_buf_detach(&b);
}

/* Find the standard files of dir (have[t]) and name the others in one notice. */
static int fg_import_scan_dir(fg_imp *im, const char *dir, bool have[FG_T_COUNT], fg_err *err) {
  DIR *d = opendir(dir);
  if (d == NULL) return fg_errf(err, FG_EIO, "无法读取目录 %s: %s", dir, strerror(errno));
  char **others = NULL;
  int nothers = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    const fg_table *t = fg_schema_by_file(e->d_name);
    if (t != NULL)
      have[t->id] = true;
    else
      fg_import_push(&others, &nothers, fg_import_escaped(e->d_name));
  }
  closedir(d);
  if (nothers > 0) {
    qsort(others, (size_t)nothers, sizeof *others, fg_import_name_cmp);
    fg_buf b = FG_BUF_INIT;
    for (int i = 0; i < nothers; i++) {
      fg_buf_addf(&b, "%s%s", i ? ", " : "", others[i]);
      free(others[i]);
    }
    fg_imp_notice(im, "注意: %s 中以下文件不属于数据标准，未读取: %s", dir, b.buf);
    fg_buf_release(&b);
  }
  free(others);
  return 0;
}

static void fg_import_hash(fg_import_file *f, const fg_csv *c) {
  uint8_t sha[32];
  fg_csv_sha256(c, sha); /* waits for the background hash of a big file */
  fg_hex(sha, sizeof sha, f->sha256_hex);
}

/* Whether the open file f was stored before (byte-identical): then it is
 * marked skipped and closed. Only a file whose size was seen before can
 * be: wait for its SHA-256 then; any other file is hashed while read. */
static int fg_import_decide(fg_imp *im, fg_import_file *f, fg_csv *csv[FG_T_COUNT], fg_err *err) {
  const fg_table_id t = f->table;
  bool seen = false;
  int rc = fg_store_file_size_seen(im->s, t, f->bytes, &seen, err);
  if (rc == 0 && seen) {
    if (f->sha256_hex[0] == '\0') fg_import_hash(f, csv[t]);
    rc = fg_store_file_imported(im->s, t, f->sha256_hex, &f->skipped, err);
  }
  if (rc == 0 && f->skipped) {
    fg_imp_notice(im, "%s 与此前导入的文件完全相同 (SHA-256 %.16s…)，跳过",
                  fg_schema_table(t)->file, f->sha256_hex);
    fg_csv_close(csv[t]);
    csv[t] = NULL;
  }
  return rc;
}

/* Open every standard file (decode, SHA-256) and mark byte-identical ones
 * skipped. File-level decoding errors are recorded, not returned. */
static int fg_import_open_all(fg_imp *im, const char *dir, const bool have[FG_T_COUNT],
                              fg_csv *csv[FG_T_COUNT], fg_err *err) {
  fg_import_result *r = im->r;
  for (int k = 0; k < FG_T_COUNT; k++) {
    const fg_table_id t = fg_import_order[k];
    if (!have[t]) continue;
    char path[FG_IMPORT_PATH_LEN_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, fg_schema_table(t)->file);
    fg_import_file *f = &r->files[r->nfiles++];
    memset(f, 0, sizeof *f);
    f->table = t;
    f->rowid_first = 1;
    f->encoding = "";
    fg_err ferr = {0};
    int rc = fg_csv_open(path, im->o->encoding, &csv[t], &ferr);
    if (rc == FG_EINPUT || rc == FG_ELIMIT) {
      fg_imp_error(im, "%s", ferr.msg);
      continue;
    }
    if (rc != 0) return fg_errf(err, rc, "%s", ferr.msg);
    f->encoding = fg_csv_encoding(csv[t]);
    if (fg_csv_encoding_guessed(csv[t]))
      fg_imp_notice(im,
                    "注意: %s 虽是合法的 UTF-8，但其中的非 ASCII 字符全是双字节字符（GBK 中文被当作 "
                    "UTF-8 时正是这样），已按 GB18030 读取；如它确是 UTF-8，请用 --encoding utf-8",
                    fg_schema_table(t)->file);
    struct stat st;
    f->bytes = stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
    if ((rc = fg_import_decide(im, f, csv, err)) != 0) return rc;
    if (csv[t] != NULL) im->total_bytes += fg_csv_size(csv[t]);
  }
  return 0;
}

/* Inside the batch's write transaction, decide again: a batch that
 * committed since the files were opened (two imports of one folder at
 * once) has stored some of them, and they are skipped now, so a file is
 * stored once however the imports race (issue 12.9). */
static int fg_import_recheck(fg_imp *im, fg_csv *csv[FG_T_COUNT], bool *any_left, fg_err *err) {
  *any_left = false;
  for (int i = 0; i < im->r->nfiles; i++) {
    fg_import_file *f = &im->r->files[i];
    if (csv[f->table] == NULL) continue;
    const int rc = fg_import_decide(im, f, csv, err);
    if (rc) return rc;
    *any_left |= csv[f->table] != NULL;
  }
  return 0;
}

/* The quarantine list goes to a temporary file beside the target and is
 * renamed when the batch is done; never over the store, its key or
 * snapshot, or a file being read (fsout.h). A BOM for Excel. */
static int fg_import_open_reject(fg_imp *im, const char *dir, fg_err *err) {
  if (!im->quarantine) return 0;
  fg_fsout_protect p = FG_FSOUT_PROTECT_INIT;
  fg_fsout_protect_store(&p, fg_store_path(im->s));
  for (int i = 0; i < im->r->nfiles; i++) {
    char path[FG_IMPORT_PATH_LEN_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, fg_schema_table(im->r->files[i].table)->file);
    fg_fsout_protect_add(&p, path);
  }
  int rc = fg_fsout_open(&im->reject_out, im->o->quarantine_path, &p, false, err);
  fg_fsout_protect_release(&p);
  if (rc) return rc;
  im->reject = im->reject_out.f;
  fputs("\xEF\xBB\xBF" "file,line,reason,record\n", im->reject);
  return 0;
}

/* Rename the finished quarantine list onto its name, or drop it. */
static int fg_import_close_reject(fg_imp *im, int rc, fg_err *err) {
  if (im->reject == NULL) return rc;
  im->reject = NULL;
  if (rc != 0) {
    fg_fsout_abort(&im->reject_out);
    return rc;
  }
  return fg_fsout_commit(&im->reject_out, err);
}

/* Record the batch's files and counts, run the hook; the caller commits. */
static int fg_import_finish_batch(fg_imp *im, fg_err *err) {
  fg_import_result *r = im->r;
  int rc = 0;
  for (int i = 0; i < r->nfiles && rc == 0; i++) {
    const fg_import_file *f = &r->files[i];
    if (f->skipped) continue;
    const fg_store_batch_file bf = {f->table, fg_schema_table(f->table)->file, f->sha256_hex,
                                    f->bytes, f->encoding, f->rows_read, f->rows_stored,
                                    f->rows_unchanged, f->rows_rejected};
    rc = fg_store_batch_file_add(im->s, im->batch_id, &bf, err);
  }
  char ts[FG_IMPORT_TS_LEN];
  fg_import_now(ts);
  if (rc == 0) rc = fg_store_batch_finish(im->s, im->batch_id, "stored", ts, err);
  if (rc == 0 && im->o->before_commit != NULL) {
    rc = im->o->before_commit(im->o->hook_ud, im->s, r, err);
    if (rc > 0) rc = FG_EINPUT;
  }
  return rc;
}

/* The transaction: batch row, sets, every file, bookkeeping, hook, commit. */
static int fg_import_batch(fg_imp *im, fg_csv *csv[FG_T_COUNT], fg_err *err) {
  char ts[FG_IMPORT_TS_LEN];
  fg_import_now(ts);
  const char *actor = im->o->actor ? im->o->actor : fg_import_actor();
  bool rollback_journal = false;
  (void)fg_store_bulk_journal(im->s, true, &rollback_journal);
  int rc = fg_store_begin(im->s, err);
  if (rc) {
    if (rollback_journal) (void)fg_store_bulk_journal(im->s, false, NULL);
    return rc;
  }
  bool any_left = true;
  rc = fg_import_recheck(im, csv, &any_left, err);
  if (rc == 0 && !any_left) { /* another import stored them all meanwhile */
    fg_store_rollback(im->s);
    if (rollback_journal) (void)fg_store_bulk_journal(im->s, false, NULL);
    im->r->noop = true;
    return 0;
  }
  if (rc == 0)
    rc = fg_store_batch_begin(im->s, actor, im->quarantine ? FG_BATCH_QUARANTINE : FG_BATCH_ATOMIC,
                              ts, &im->batch_id, err);
  if (rc == 0) rc = fg_store_bulk_tune(im->s, err);
  bool filter = false;
  if (rc == 0) rc = fg_imp_filter_wanted(im, csv, &filter, err);
  if (rc == 0 && filter) fg_imp_filter_build(im, csv);
  if (rc == 0) rc = fg_imp_load_stored(im, csv, err);
  if (rc == 0) rc = fg_import_open_reject(im, im->dir, err);
  im->r->digests = fg_xcalloc(FG_T_COUNT, sizeof *im->r->digests);
  for (int t = 0; t < FG_T_COUNT; t++) fg_rowhash_init(&im->r->digests[t]);
  if (rc == 0) rc = fg_imp_pipe_run(im, csv, err);
  for (int i = 0; i < im->r->nfiles; i++) {
    fg_import_file *f = &im->r->files[i];
    if (csv[f->table] != NULL && f->sha256_hex[0] == '\0') fg_import_hash(f, csv[f->table]);
  }
  if (rc == 0 && im->r->nerrors > 0) {
    rc = fg_errf(err, FG_EINPUT, "导入被拒绝: 发现 %lld 个错误，本批数据均未存入",
                 (long long)im->r->nerrors);
  }
  if (rc == 0) rc = fg_import_digests_finish(im->r, err);
  if (rc == 0) im->r->batch_id = im->batch_id;
  if (rc == 0) rc = fg_import_finish_batch(im, err);
  if (rc == 0) rc = fg_import_close_reject(im, rc, err);
  else (void)fg_import_close_reject(im, rc, err);
  if (rc == 0) rc = fg_store_commit(im->s, err);
  if (rc != 0) {
    fg_store_rollback(im->s);
    im->r->batch_id = 0;
    fg_import_digests_free(im->r);
  }
  if (rollback_journal) (void)fg_store_bulk_journal(im->s, false, NULL);
  return rc;
}

static void fg_imp_free(fg_imp *im, fg_csv *csv[FG_T_COUNT]) {
  for (int t = 0; t < FG_T_COUNT; t++) {
    fg_csv_close(csv[t]);
    fg_keyset_release(&im->tabs[t].keys);
    fg_keyset_release(&im->tabs[t].refs_own);
    fg_keyset_release(&im->tabs[t].rejected);
    fg_imp_filter_free(im->tabs[t].filter);
    im->tabs[t].filter = NULL;
  }
  for (size_t i = 0; i < im->nroots; i++) free(im->roots[i]);
  free(im->roots);
  if (im->reject != NULL) fg_fsout_abort(&im->reject_out);
}

int fg_import_dir(fg_store *s, const char *dir, const fg_import_opts *o, fg_import_result *r,
                  fg_err *err) {
  FG_ASSERT(s != NULL && dir != NULL && o != NULL && r != NULL);
  memset(r, 0, sizeof *r);
  fg_imp im = {.s = s, .o = o, .r = r, .quarantine = o->quarantine_path != NULL, .dir = dir};
  bool have[FG_T_COUNT] = {false};
  fg_csv *csv[FG_T_COUNT] = {NULL};
  int rc = fg_import_scan_dir(&im, dir, have, err);
  int nhave = 0;
  for (int t = 0; t < FG_T_COUNT; t++) nhave += have[t];
  if (rc == 0 && nhave == 0)
    rc = fg_errf(err, FG_EINPUT, "%s 中没有数据标准的文件 (persons.csv、contributions.csv 等)", dir);
  if (rc == 0) rc = fg_import_open_all(&im, dir, have, csv, err);
  bool any_new = false;
  for (int t = 0; t < FG_T_COUNT; t++) any_new |= csv[t] != NULL;
  /* undecodable files: the others are still read, to list all errors */
  if (rc == 0 && !any_new && r->nerrors > 0)
    rc = fg_errf(err, FG_EINPUT, "导入被拒绝: 发现 %lld 个错误，本批数据均未存入",
                 (long long)r->nerrors);
  if (rc == 0 && !any_new && r->nerrors == 0) r->noop = true;
  im.storing = r->nerrors == 0;
  if (rc == 0 && any_new) {
    for (int t = 0; t < FG_T_COUNT; t++) {
      im.tabs[t].present = have[t] || fg_store_table_present(s, t);
      im.tabs[t].in_batch = csv[t] != NULL;
    }
    rc = fg_import_batch(&im, csv, err);
  }
  fg_imp_free(&im, csv);
  return rc;
}
