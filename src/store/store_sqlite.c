/*
 * store_sqlite.c — the core of the SQLite store (store.h "core"): creating
 * and opening the file, forward migrations, transactions, and reading the
 * standard tables back (scan, count, presence).
 *
 * Schema versions are an array of migration steps; schema_meta records each
 * applied step. Version 1 creates one table per table of the data standard
 * (same names and columns, types from fg_schema_sql_type, plus _batch and
 * _line), the batch bookkeeping (batches, batch_files) and then the DDL of
 * the other areas (screen, config, journal, authz, review) from their own
 * files.
 *
 * Keys and partitioning: the standard tables are plain rowid tables with no
 * SQL key index. The importer keeps keys and reference targets in memory
 * hash sets (loaded once per batch by fg_store_scan_cols), so the bulk
 * insert touches only the table b-tree. No row's identity depends on
 * anything but its table's rowid and its own columns, and every person
 * fact carries person_id, so the fact tables can later be partitioned by
 * person_id (e.g. contributions_p00..pNN, or PostgreSQL partitions)
 * without changing the importer's key logic.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_impl.h"

enum {
  FG_STORE_PAGE_SIZE_BYTES = 8192,
};

static int fg_sqlite_exec(fg_store *s, const char *sql, fg_err *err) {
  FG_ASSERT(s != NULL && s->db != NULL && sql != NULL);
  char *msg = NULL;
  if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    fg_errf(err, FG_EDB, "数据库错误: %s (%.200s)", msg ? msg : "?", sql);
    sqlite3_free(msg);
    return FG_EDB;
  }
  return 0;
}

/* CREATE TABLE for one standard table, derived from the schema. */
static void fg_sqlite_table_ddl(const fg_table *t, fg_buf *b) {
  FG_ASSERT(t != NULL && t->ncols > 0 && t->ncols <= FG_MAX_COLS);
  fg_buf_addf(b, "CREATE TABLE %s (", t->name);
  /* only the version-1 columns: later ones are added by their migration
   * (fg_sqlite_add_columns), so a new store and an upgraded one have the
   * same CREATE TABLE text, which the schema check compares */
  for (int i = 0; i < fg_schema_base_cols(t); i++) {
    const fg_column *c = &t->cols[i];
    fg_buf_addf(b, "%s %s%s, ", c->name, fg_schema_sql_type(c->type),
                c->required ? " NOT NULL" : "");
  }
  FG_ASSERT(!fg_schema_keyless(t) || t->ncols < FG_MAX_COLS);
  fg_buf_addf(b, "_batch INTEGER NOT NULL, _line INTEGER NOT NULL%s);\n",
              fg_schema_keyless(t) ? ", " FG_DIGEST_COLUMN " BLOB NOT NULL" : "");
}

static const char fg_sqlite_ddl_batches[] =
    "CREATE TABLE batches (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL,"
    " finished_at TEXT, actor TEXT NOT NULL,"
    " mode TEXT NOT NULL CHECK (mode IN ('atomic','quarantine')),"
    " status TEXT NOT NULL);\n"
    "CREATE TABLE batch_files (batch INTEGER NOT NULL REFERENCES batches(id),"
    " table_name TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,"
    " bytes INTEGER NOT NULL, encoding TEXT NOT NULL, rows_read INTEGER NOT NULL,"
    " rows_stored INTEGER NOT NULL, rows_unchanged INTEGER NOT NULL,"
    " rows_rejected INTEGER NOT NULL);\n"
    "CREATE INDEX batch_files_table_sha ON batch_files(table_name, sha256);\n";

static int fg_sqlite_append_only_all(fg_store *s, fg_err *err);

static int fg_sqlite_migrate_v1(fg_store *s, fg_err *err) {
  fg_buf b = FG_BUF_INIT;
  for (int t = 0; t < FG_T_COUNT; t++) fg_sqlite_table_ddl(fg_schema_table(t), &b);
  fg_buf_adds(&b, fg_sqlite_ddl_batches);
  int rc = fg_sqlite_exec(s, b.buf, err);
  fg_buf_release(&b);
  const char *const areas[] = {fg_sqlite_ddl_screen, fg_sqlite_ddl_config,
                               fg_sqlite_ddl_journal, fg_sqlite_ddl_authz,
                               fg_sqlite_ddl_review};
  for (size_t i = 0; rc == 0 && i < FG_ARRAY_LEN(areas); i++)
    if (areas[i] != NULL && areas[i][0] != '\0') rc = fg_sqlite_exec(s, areas[i], err);
  return rc ? rc : fg_sqlite_append_only_all(s, err);
}

/* Tables whose rows an act may change, the documented exceptions: a batch
 * row gets its finish time and status, schema_meta a row per migration.
 * (user_credentials loses its DELETE trigger in version 2: a password
 * change replaces the row, its digest chained.) */
static const char *const fg_sqlite_mutable[] = {"batches", "schema_meta"};

/* Every other table is append-only: its two triggers are generated here
 * for each table that lacks them, so a table added by a later migration
 * cannot silently go without (the schema check then expects them too). */
static int fg_sqlite_append_only_all(fg_store *s, fg_err *err) {
  char **names = NULL;
  int n = 0;
  int rc = fg_store_tables(s, &names, &n, err);
  fg_buf ddl = FG_BUF_INIT;
  for (int i = 0; i < n; i++) {
    bool mutable_table = false;
    for (size_t k = 0; k < FG_ARRAY_LEN(fg_sqlite_mutable); k++)
      mutable_table |= strcmp(names[i], fg_sqlite_mutable[k]) == 0;
    char probe[160];
    snprintf(probe, sizeof probe, "%s_no_update", names[i]);
    if (!mutable_table && !fg_sqlite_has_object(s, probe)) fg_sqlite_append_only(names[i], &ddl);
    free(names[i]);
  }
  free(names);
  if (rc == 0 && ddl.len > 0) rc = fg_sqlite_exec(s, ddl.buf, err);
  fg_buf_release(&ddl);
  return rc;
}

/* Version 2 (trust hardening, docs/security.md): a password change makes a
 * new key pair and destroys the old seal, so a credential row is replaced
 * (DELETE + INSERT; UPDATE stays refused) and carries the digest chain of
 * the rows it replaced; the public keys live in user_keys, each valid from
 * the journal entry that registered it. */
static const char fg_sqlite_ddl_v2[] =
    "DROP TRIGGER user_credentials_no_delete;\n"
    "ALTER TABLE user_credentials ADD COLUMN chain_sha256 TEXT NOT NULL DEFAULT '';\n"
    "CREATE TABLE user_keys (id INTEGER PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name),"
    " public_key BLOB NOT NULL CHECK (length(public_key) = 32), from_seq INTEGER NOT NULL,"
    " jseq INTEGER NOT NULL);\n"
    "CREATE INDEX user_keys_user ON user_keys(user, from_seq);\n";

static int fg_sqlite_migrate_v2(fg_store *s, fg_err *err) {
  int rc = fg_sqlite_exec(s, fg_sqlite_ddl_v2, err);
  return rc ? rc : fg_sqlite_append_only_all(s, err);
}

/* Version 3 (case work, cases.md): stable finding numbers, cases, their
 * events and attached files. Runs screened before it have no numbers;
 * their findings get one when a later run raises them again. */
static int fg_sqlite_migrate_v3(fg_store *s, fg_err *err) {
  int rc = fg_sqlite_exec(s, fg_sqlite_ddl_cases, err);
  return rc ? rc : fg_sqlite_append_only_all(s, err);
}

/* ALTER TABLE ADD COLUMN for each standard-table column of store version
 * `version` (schema.h store_version): it lands after _batch, _line and
 * _digest, where the journal's encoding expects it (rowhash.h). */
static int fg_sqlite_add_columns(fg_store *s, int version, fg_err *err) {
  fg_buf b = FG_BUF_INIT;
  for (int t = 0; t < FG_T_COUNT; t++) {
    const fg_table *tab = fg_schema_table(t);
    for (int c = fg_schema_base_cols(tab); c < tab->ncols; c++) {
      const fg_column *col = &tab->cols[c];
      FG_ASSERT(!col->required); /* old rows have none */
      if (col->store_version == version)
        fg_buf_addf(&b, "ALTER TABLE %s ADD COLUMN %s %s;\n", tab->name, col->name,
                    fg_schema_sql_type(col->type));
    }
  }
  int rc = b.len ? fg_sqlite_exec(s, b.buf, err) : 0;
  fg_buf_release(&b);
  return rc;
}

/* Version 4 (rules.md v1.3, the 2025 retirement law): retirements gain
 * original_age and contribution_months. */
static int fg_sqlite_migrate_v4(fg_store *s, fg_err *err) { return fg_sqlite_add_columns(s, 4, err); }

/* Version 5 (issue 19, a month on a store of years): batch_keys, the
 * hashes of each batch's stored keys (store.h), so that a small batch does
 * not read every stored row to find the few keys it meets again. Batches
 * stored before it have none: their rows are read as before. */
static const char fg_sqlite_ddl_v5[] =
    "CREATE TABLE batch_keys (batch INTEGER NOT NULL REFERENCES batches(id),"
    " table_name TEXT NOT NULL, hash_fn INTEGER NOT NULL, first_rowid INTEGER NOT NULL,"
    " rows INTEGER NOT NULL, hashes BLOB NOT NULL);\n";

static int fg_sqlite_migrate_v5(fg_store *s, fg_err *err) {
  int rc = fg_sqlite_exec(s, fg_sqlite_ddl_v5, err);
  return rc ? rc : fg_sqlite_append_only_all(s, err);
}

typedef struct fg_migration {
  int version;
  int (*apply)(fg_store *s, fg_err *err);
} fg_migration;

/* Forward migrations, in order; version N's step turns N-1 into N. */
static const fg_migration fg_migrations[] = {
    {1, fg_sqlite_migrate_v1},
    {2, fg_sqlite_migrate_v2},
    {3, fg_sqlite_migrate_v3},
    {4, fg_sqlite_migrate_v4},
    {5, fg_sqlite_migrate_v5},
};

int fg_store_schema_version(fg_store *s) {
  FG_ASSERT(s != NULL && s->db != NULL);
  sqlite3_stmt *st = NULL;
  int v = 0;
  if (sqlite3_prepare_v2(s->db, "SELECT max(version) FROM schema_meta", -1, &st, NULL) ==
      SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
  }
  sqlite3_finalize(st);
  return v;
}

static int fg_sqlite_migrate(fg_store *s, fg_err *err) {
  FG_ASSERT(!s->read_only);
  int rc = fg_sqlite_exec(s,
                          "CREATE TABLE IF NOT EXISTS schema_meta (version INTEGER PRIMARY KEY,"
                          " applied_at TEXT NOT NULL)",
                          err);
  if (rc) return rc;
  const int have = fg_store_schema_version(s);
  if (have > FG_STORE_SCHEMA_VERSION)
    return fg_errf(err, FG_EDB, "数据库的结构版本 %d 比本程序支持的 %d 新，请升级 fundguard", have,
                   FG_STORE_SCHEMA_VERSION);
  /* A version-1 store was written by a pre-release whose journal covered
   * rows by their entry number alone; its entries cannot be checked by the
   * rules of version 2 (docs/decisions.md), so it is not upgraded. */
  if (have == 1)
    return fg_errf(err, FG_EDB,
                   "数据库的结构版本 1 由预发布版本创建，其日志覆盖规则已废止；"
                   "请用本版本重新 init 并导入数据（docs/decisions.md）");
  for (size_t i = 0; i < FG_ARRAY_LEN(fg_migrations); i++) {
    const fg_migration *m = &fg_migrations[i];
    FG_ASSERT(m->version == (int)i + 1);
    if (m->version <= have) continue;
    if ((rc = fg_store_begin(s, err)) != 0) return rc;
    rc = m->apply(s, err);
    if (rc == 0) {
      char sql[128];
      snprintf(sql, sizeof sql,
               "INSERT INTO schema_meta VALUES (%d, strftime('%%Y-%%m-%%dT%%H:%%M:%%S',"
               " 'now', '+8 hours'))",
               m->version);
      rc = fg_sqlite_exec(s, sql, err);
    }
    if (rc != 0) {
      fg_store_rollback(s);
      return rc;
    }
    if ((rc = fg_store_commit(s, err)) != 0) return rc;
  }
  return 0;
}

int fg_sqlite_migrate_all(fg_store *s, fg_err *err) { return fg_sqlite_migrate(s, err); }

int fg_sqlite_connect(const char *path, bool read_only, bool create, fg_store **out,
                      fg_err *err) {
  fg_store *s = fg_xcalloc(1, sizeof *s);
  s->path = fg_xstrdup(path);
  s->read_only = read_only;
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create) flags |= SQLITE_OPEN_CREATE;
  /* writers open through the write-behind shim (off until a bulk batch);
   * fg_sqlite_vfs also sets SQLite up once, before its first connection */
  const char *wb = fg_sqlite_vfs();
  const char *vfs = read_only ? NULL : wb;
  if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, vfs) != SQLITE_OK) {
    fg_errf(err, FG_EDB, "无法打开数据库 %s: %s", path,
            s->db ? sqlite3_errmsg(s->db) : "out of memory");
    fg_store_close(s);
    return FG_EDB;
  }
  sqlite3_busy_timeout(s->db, FG_STORE_BUSY_TIMEOUT_MS);
  fg_sqlite_guard_attach(s);
  char pragmas[256];
  snprintf(pragmas, sizeof pragmas,
           "%sPRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;",
           create ? "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; " : "");
  _Static_assert(FG_STORE_PAGE_SIZE_BYTES == 8192, "page size in pragma text");
  int rc = fg_sqlite_exec(s, pragmas, err);
  if (rc) {
    fg_store_close(s);
    return rc;
  }
  *out = s;
  return 0;
}

int fg_store_create(const char *path, fg_store **out, fg_err *err) {
  FG_ASSERT(path != NULL && out != NULL);
  struct stat st;
  if (stat(path, &st) == 0)
    return fg_errf(err, FG_EINPUT, "%s 已存在，不会覆盖已有的数据库", path);
  if (errno != ENOENT) return fg_errf(err, FG_EIO, "%s: %s", path, strerror(errno));
  fg_store *s = NULL;
  int rc = fg_sqlite_connect(path, false, true, &s, err);
  if (rc) return rc;
  if ((rc = fg_sqlite_migrate(s, err)) != 0) {
    fg_store_close(s);
    unlink(path);
    return rc;
  }
  *out = s;
  return 0;
}

/* True when PATH-journal exists and is not empty (a crash in rollback mode). */
static bool fg_store_hot_journal(const char *path) {
  char j[4096];
  struct stat st;
  if (snprintf(j, sizeof j, "%s-journal", path) >= (int)sizeof j) return false;
  return stat(j, &st) == 0 && st.st_size > 0;
}

/* A store whose schema is not the migrations' is not written to: a planted
 * trigger would ride on the act (store_sqlite_guard.c). */
static int fg_store_schema_refuse(fg_store *s, const char *path, fg_err *err) {
  fg_buf report = FG_BUF_INIT;
  int problems = 0;
  int rc = fg_store_schema_check(s, &report, &problems, err);
  if (rc == 0 && problems > 0) {
    char *nl = report.buf ? strchr(report.buf, '\n') : NULL;
    if (nl) *nl = '\0';
    rc = fg_errf(err, FG_EVERIFY,
                 "拒绝写入 %s：数据库结构与本程序的不符（%d 处，例如「%s」），可能被篡改；"
                 "请运行 fundguard log verify 并报告安全管理员",
                 path, problems, report.buf ? report.buf : "");
  }
  fg_buf_release(&report);
  return rc;
}

/* The store is not there: name the path (the default when --db was not
 * given) and the stores that are in its folder, instead of only advising
 * to create a new one. */
static int fg_store_missing(const char *path, fg_err *err) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = '\0';
  else snprintf(dir, sizeof dir, ".");
  fg_buf found = FG_BUF_INIT;
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL && n < 10;) {
    const size_t len = strlen(e->d_name);
    if (len > 3 && strcmp(e->d_name + len - 3, ".db") == 0)
      fg_buf_addf(&found, "%s%s", n++ ? ", " : "", e->d_name);
  }
  if (d) closedir(d);
  int rc;
  if (n > 0)
    rc = fg_errf(err, FG_EIO,
                 "数据库 %s 不存在（未给出 --db 时默认为当前目录的 fundguard.db）。%s 中有这些数据库: %s；"
                 "请用 --db 指定", path, dir, found.buf);
  else
    rc = fg_errf(err, FG_EIO,
                 "数据库 %s 不存在（未给出 --db 时默认为当前目录的 fundguard.db），%s 中也没有别的 .db 文件；"
                 "请用 --db 指定已有的数据库，或用 fundguard init --db %s 新建",
                 path, dir, path);
  fg_buf_release(&found);
  return rc;
}

int fg_store_open(const char *path, bool read_only, fg_store **out, fg_err *err) {
  FG_ASSERT(path != NULL && out != NULL);
  struct stat st;
  if (stat(path, &st) != 0) return fg_store_missing(path, err);
  /* A crash during a bulk batch leaves a hot rollback journal that only a
   * writer may roll back (a read-only connection fails on it): recover with
   * a short read-write open first. Recovery only undoes the unfinished
   * transaction; it changes no committed row. */
  if (read_only && fg_store_hot_journal(path)) {
    fg_store *w = NULL;
    if (fg_store_open(path, false, &w, NULL) == 0) fg_store_close(w);
  }
  fg_store *s = NULL;
  int rc = fg_sqlite_connect(path, read_only, false, &s, err);
  if (rc) return rc;
  /* A crash during a bulk batch (fg_store_bulk_journal) leaves the file in
   * rollback mode: return it to WAL (best effort; its hot journal, if any,
   * is rolled back by SQLite first). */
  if (!read_only) (void)fg_store_bulk_journal(s, false, NULL);
  if (!read_only) rc = fg_sqlite_migrate(s, err);
  const int version = rc == 0 ? fg_store_schema_version(s) : 0;
  if (rc == 0 && read_only && version >= 2 && version < FG_STORE_SCHEMA_VERSION)
    rc = fg_errf(err, FG_EDB,
                 "%s 的结构版本 %d 需要升级到 %d：请先执行一次写操作的命令（如 fundguard screen"
                 " 或 import），升级自动完成（schema_meta 记下升级时间）", path, version,
                 FG_STORE_SCHEMA_VERSION);
  else if (rc == 0 && version != FG_STORE_SCHEMA_VERSION)
    rc = fg_errf(err, FG_EDB, "%s 不是 fundguard 数据库，或其结构版本 %d 不受支持", path,
                 version);
  if (rc == 0 && !read_only) rc = fg_store_schema_refuse(s, path, err);
  if (rc) {
    fg_store_close(s);
    return rc;
  }
  *out = s;
  return 0;
}

int fg_store_open_reader(fg_store *s, fg_store **out, fg_err *err) {
  FG_ASSERT(s != NULL && s->path != NULL && out != NULL);
  /* Not fg_store_open: while s holds a bulk batch open, its rollback
   * journal is on disk (not hot: s holds the RESERVED lock), and recovery
   * would wait for s. s has checked the file's schema and version. */
  return fg_sqlite_connect(s->path, true, false, out, err);
}

typedef struct fg_store_each {
  fg_store_each_fn fn;
  void *ctx;
  size_t n;
  pthread_mutex_t mu;
  size_t next; /* under mu */
} fg_store_each;

typedef struct fg_store_each_worker {
  fg_store_each *e;
  fg_store *conn;
} fg_store_each_worker;

static void *fg_store_each_run(void *arg) {
  fg_store_each_worker *w = arg;
  fg_store_each *e = w->e;
  for (;;) {
    pthread_mutex_lock(&e->mu);
    const size_t i = e->next < e->n ? e->next++ : SIZE_MAX;
    pthread_mutex_unlock(&e->mu);
    if (i == SIZE_MAX) return NULL;
    if (e->fn(e->ctx, w->conn, i) != 0) {
      pthread_mutex_lock(&e->mu);
      e->next = e->n;
      pthread_mutex_unlock(&e->mu);
      return NULL;
    }
  }
}

int fg_store_pair_each(fg_store *s, fg_store_each_fn fn, void *ctx, size_t n) {
  FG_ASSERT(s != NULL && fn != NULL && n < SIZE_MAX);
  fg_store_each e = {.fn = fn, .ctx = ctx, .n = n};
  pthread_mutex_init(&e.mu, NULL);
  fg_store_each_worker here = {&e, s}, there = {&e, NULL};
  fg_err err = {0};
  pthread_t th;
  bool helper = n > 1 && fg_store_open_reader(s, &there.conn, &err) == 0;
  if (helper && pthread_create(&th, NULL, fg_store_each_run, &there) != 0) {
    fg_store_close(there.conn);
    helper = false;
  }
  fg_store_each_run(&here);
  if (helper) {
    pthread_join(th, NULL);
    fg_store_close(there.conn);
  }
  pthread_mutex_destroy(&e.mu);
  return helper ? 2 : 1;
}

void fg_store_close(fg_store *s) {
  if (s == NULL) return;
  if (s->db != NULL) {
    fg_sqlite_import_close(s);
    sqlite3_finalize(s->finding_no_stmt);
    if (s->tx_depth > 0) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(s->db);
  }
  free(s->path);
  free(s);
}

int fg_store_begin(fg_store *s, fg_err *err) {
  FG_ASSERT(s != NULL && s->tx_depth >= 0);
  if (s->tx_depth == 0) {
    int rc = fg_sqlite_exec(s, s->read_only ? "BEGIN" : "BEGIN IMMEDIATE", err);
    if (rc) return rc;
    fg_sqlite_guard_reset(s);
  }
  s->tx_depth++;
  return 0;
}

int fg_store_commit(fg_store *s, fg_err *err) {
  FG_ASSERT(s != NULL && s->tx_depth > 0);
  if (s->tx_depth > 1) {
    s->tx_depth--;
    return 0;
  }
  fg_sqlite_import_reset(s);
  int rc = fg_sqlite_exec(s, "COMMIT", err);
  if (rc == 0) s->tx_depth = 0, fg_sqlite_guard_reset(s);
  return rc;
}

const char *fg_store_path(fg_store *s) { return s->path; }

bool fg_store_in_transaction(fg_store *s) { return s != NULL && s->tx_depth > 0; }

void fg_store_rollback(fg_store *s) {
  FG_ASSERT(s != NULL);
  if (s->tx_depth == 0) return;
  fg_sqlite_import_reset(s);
  sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  s->tx_depth = 0;
  fg_sqlite_guard_reset(s);
}

void fg_sqlite_read_vals(sqlite3_stmt *st, int first, const fg_table *t, const int *cols,
                                int ncols, fg_value *vals) {
  for (int i = 0; i < ncols; i++) {
    const int c = cols ? cols[i] : i;
    FG_ASSERT(c >= 0 && c < t->ncols);
    fg_value *v = &vals[i];
    v->is_null = sqlite3_column_type(st, first + i) == SQLITE_NULL;
    v->i = 0;
    v->s = NULL;
    v->n = 0;
    if (v->is_null) continue;
    if (fg_schema_is_int(t->cols[c].type)) {
      v->i = sqlite3_column_int64(st, first + i);
    } else {
      v->s = (const char *)sqlite3_column_text(st, first + i);
      v->n = sqlite3_column_bytes(st, first + i);
    }
  }
}

int fg_store_scan_cols(fg_store *s, fg_table_id tid, const int *cols, int ncols, fg_row_fn fn,
                       void *ud, fg_err *err) {
  FG_ASSERT(s != NULL && fn != NULL && ncols >= 0 && ncols <= FG_MAX_COLS);
  const fg_table *t = fg_schema_table(tid);
  fg_buf sql = FG_BUF_INIT;
  fg_buf_adds(&sql, "SELECT rowid");
  for (int i = 0; i < ncols; i++) fg_buf_addf(&sql, ", %s", t->cols[cols ? cols[i] : i].name);
  fg_buf_addf(&sql, " FROM %s ORDER BY rowid", t->name);
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL);
  fg_buf_release(&sql);
  if (rc != SQLITE_OK) return fg_sqlite_err(s, err, t->name);
  fg_value vals[FG_MAX_COLS];
  int ret = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    fg_sqlite_read_vals(st, 1, t, cols, ncols, vals);
    ret = fn(ud, sqlite3_column_int64(st, 0), vals);
    if (ret != 0) break;
  }
  if (ret == 0 && rc != SQLITE_DONE) ret = fg_sqlite_err(s, err, t->name);
  sqlite3_finalize(st);
  return ret;
}

int fg_store_scan(fg_store *s, fg_table_id t, fg_row_fn fn, void *ud, fg_err *err) {
  return fg_store_scan_cols(s, t, NULL, fg_schema_table(t)->ncols, fn, ud, err);
}

static int64_t fg_sqlite_int_query(fg_store *s, const char *sql, const char *text_arg) {
  sqlite3_stmt *st = NULL;
  int64_t v = -1;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
  if (text_arg) sqlite3_bind_text(st, 1, text_arg, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

int64_t fg_store_count(fg_store *s, fg_table_id tid) {
  FG_ASSERT(s != NULL);
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", fg_schema_table(tid)->name);
  return fg_sqlite_int_query(s, sql, NULL);
}

int64_t fg_store_count_key(fg_store *s, fg_table_id tid, const char *key) {
  FG_ASSERT(s != NULL && key != NULL);
  const fg_table *t = fg_schema_table(tid);
  FG_ASSERT(t->nkey > 0);
  char sql[160];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s = ?1", t->name,
           t->cols[t->key_cols[0]].name);
  return fg_sqlite_int_query(s, sql, key);
}

bool fg_store_table_present(fg_store *s, fg_table_id tid) {
  FG_ASSERT(s != NULL);
  return fg_sqlite_int_query(s, "SELECT count(*) FROM batch_files WHERE table_name = ?1",
                             fg_schema_table(tid)->name) > 0;
}

int64_t fg_store_batch_count(fg_store *s) {
  FG_ASSERT(s != NULL);
  return fg_sqlite_int_query(s, "SELECT count(*) FROM batches", NULL);
}
