/*
 * cmd_import.c — `fundguard import --db PATH [--encoding E] [--quarantine
 * FILE] DIR`: the thin front end of import/import.h. It parses flags, opens
 * the store, runs fg_import_dir with a progress bar (stderr, terminals
 * only), prints notices and errors to stderr and the per-table summary to
 * stdout, and maps the outcome to the exit codes of cli.md. The user
 * (FUNDGUARD_USER / FUNDGUARD_PASSWORD or the terminal) needs data.import;
 * the batch commits together with its "import.batch" journal entry, signed
 * by that user (journal.h fg_import_journal_hook as before_commit).
 */
#include <stdio.h>
#include <string.h>

#include "authz/authz.h"
#include "cli/cli.h"
#include "import/import.h"
#include "journal/journal.h"
#include "store/store.h"


static void fg_import_usage(FILE *f) {
  fprintf(f,
          "用法 usage: fundguard import --db PATH [--encoding utf-8|gb18030] [--quarantine FILE] DIR\n"
          "  把 DIR 中符合数据接入标准的文件作为一个批次导入 (全部成功或全部不导入)。\n"
          "  --db PATH          数据库 (默认 ./fundguard.db)\n"
          "  --encoding E       强制编码 (默认自动识别 UTF-8 / GB18030)\n"
          "  --quarantine FILE  隔离模式: 存入合格的行，被拒绝的行写入 FILE\n"
          "                     (CSV: file,line,reason,record)\n"
          "  身份 identity: 环境变量 FUNDGUARD_USER / FUNDGUARD_PASSWORD，否则在终端输入；\n"
          "  两者皆无则退出码 1。需要权限 data.import (经办 handler)；批次由该用户签名记入日志。\n");
}

static void fg_import_bar(void *ud, uint64_t done, uint64_t total) {
  (void)ud;
  fg_cli_progress("导入 import", done, total);
}

/* One table: file, encoding, then the counts; columns padded by display
 * width so the Chinese headers line up. */
static void fg_import_summary(const fg_import_result *r) {
  static const char *const head[] = {"文件 file", "编码 encoding", "读取 read", "存入 stored",
                                     "未变 unchanged", "拒绝 rejected"};
  static const int width[] = {28, 16, 12, 12, 16, 14};
  for (int k = 0; k < 6; k++) {
    fg_cli_cell(head[k], width[k], k >= 2);
    putchar(k < 5 ? ' ' : '\n');
  }
  for (int i = 0; i < r->nfiles; i++) {
    const fg_import_file *f = &r->files[i];
    fg_cli_cell(fg_schema_table(f->table)->file, width[0], false);
    putchar(' ');
    fg_cli_cell(f->encoding && *f->encoding ? f->encoding : "-", width[1], false);
    putchar(' ');
    if (f->skipped) {
      printf("此前已导入 (文件相同)，跳过\n");
      continue;
    }
    const long long n[4] = {f->rows_read, f->rows_stored, f->rows_unchanged, f->rows_rejected};
    for (int k = 0; k < 4; k++) {
      char num[32];
      snprintf(num, sizeof num, "%lld", n[k]);
      fg_cli_cell(num, width[2 + k], true);
      putchar(k < 3 ? ' ' : '\n');
    }
  }
}

typedef struct fg_import_args {
  const char *db, *encoding, *quarantine, *dir;
} fg_import_args;

/* Returns -1 to go on, else the exit code. */
static int fg_import_parse(int argc, char **argv, fg_import_args *a) {
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    const bool has_val = i + 1 < argc;
    if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
      fg_import_usage(stdout);
      return 0;
    } else if (strcmp(s, "--db") == 0 && has_val) {
      a->db = argv[++i];
    } else if (strcmp(s, "--encoding") == 0 && has_val) {
      a->encoding = argv[++i];
    } else if (strcmp(s, "--quarantine") == 0 && has_val) {
      a->quarantine = argv[++i];
    } else if (s[0] == '-') {
      return fg_cli_usage("import", "未知或缺少参数的选项 %s", s);
    } else if (a->dir == NULL) {
      a->dir = s;
    } else {
      return fg_cli_usage("import", "只能给出一个目录 (%s)", s);
    }
  }
  if (a->dir == NULL) return fg_cli_usage("import", "缺少要导入的目录 DIR");
  return -1;
}

static void fg_import_print_messages(const fg_import_result *r) {
  for (int i = 0; i < r->nnotices; i++) fprintf(stderr, "%s\n", r->notices[i]);
  for (int i = 0; i < r->nerrors_listed; i++) fprintf(stderr, "%s\n", r->errors[i]);
  if (r->nerrors > r->nerrors_listed)
    fprintf(stderr, "……另有 %lld 个错误未列出\n", (long long)(r->nerrors - r->nerrors_listed));
}

int fg_cmd_import(int argc, char **argv) {
  fg_import_args a = {"fundguard.db", NULL, NULL, NULL};
  const int pr = fg_import_parse(argc, argv, &a);
  if (pr >= 0) return pr;
  fg_err err = {0};
  if (a.quarantine != NULL) { /* never over the store or the platform key */
    fg_fsout_protect p = FG_FSOUT_PROTECT_INIT;
    fg_cli_protect(&p, a.db, NULL);
    int rc = fg_fsout_check(a.quarantine, &p, &err);
    fg_fsout_protect_release(&p);
    for (int t = 0; rc == 0 && t < FG_T_COUNT; t++) { /* nor over an input file */
      char in[FG_FSOUT_PATH_MAX];
      snprintf(in, sizeof in, "%s/%s", a.dir, fg_schema_table(t)->file);
      fg_fsout_protect_add(&p, in);
      rc = fg_fsout_check(a.quarantine, &p, &err);
      fg_fsout_protect_release(&p);
    }
    if (rc) return fg_cli_fail(&err);
  }
  fg_store *s = NULL;
  if (fg_store_open(a.db, false, &s, &err) != 0) return fg_cli_fail(&err);
  fg_signer me;
  if (fg_authn_cli(s, a.db, FG_PERM_DATA_IMPORT, &me, &err) != 0) {
    fg_store_close(s);
    return fg_cli_fail(&err);
  }
  fg_import_opts o = {.encoding = a.encoding, .quarantine_path = a.quarantine, .actor = me.actor,
                      .before_commit = fg_import_journal_hook, .hook_ud = &me};
  if (fg_cli_stderr_tty()) o.progress = fg_import_bar;
  fg_import_result r;
  const int rc = fg_import_dir(s, a.dir, &o, &r, &err);
  fg_cli_progress_end();
  fg_authn_signer_wipe(&me);
  fg_store_close(s);
  fg_import_print_messages(&r);
  if (r.load_threads > 0) /* a small batch on a big store (import_load.c) */
    fprintf(stderr,
            "比对已存入的键：%d 段，按键散列查看 %lld 行，读回 %lld 行"
            " (stored keys: %d ranges, %lld rows by their key hash, %lld rows read back)\n",
            r.load_scans, (long long)r.load_rows_hashed, (long long)r.load_rows_fetched,
            r.load_scans, (long long)r.load_rows_hashed, (long long)r.load_rows_fetched);
  int code = 0;
  if (rc != 0) {
    code = fg_cli_fail(&err);
  } else if (r.noop) {
    printf("没有新数据: 所有文件此前均已导入 (SHA-256 相同)，未做任何更改。\n");
  } else {
    fg_import_summary(&r);
    int64_t stored = 0;
    for (int i = 0; i < r.nfiles; i++) stored += r.files[i].rows_stored;
    if (stored == 0 && r.nrejected > 0) { /* every row rejected: nothing usable stored */
      printf("没有存入任何数据行：全部 %lld 行被拒绝，见隔离文件 %s。批次 %lld 只记录了这次导入。\n",
             (long long)r.nrejected, a.quarantine ? a.quarantine : "-", (long long)r.batch_id);
      code = 1;
    }
    else if (stored == 0)
      printf("没有新数据行：所有行此前均已存入（未变），批次 %lld 只记录了这次导入。\n",
             (long long)r.batch_id);
    else {
      printf("批次 %lld 已存入 %lld 行。", (long long)r.batch_id, (long long)stored);
      if (a.quarantine)
        printf("拒绝 %lld 行，见隔离文件 %s。", (long long)r.nrejected, a.quarantine);
      printf("\n");
    }
  }
  fg_import_result_release(&r);
  return code;
}
