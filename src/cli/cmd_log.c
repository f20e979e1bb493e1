/*
 * cmd_log.c — `fundguard log verify|checkpoint|prove|check-proof`: the thin
 * front end of the tamper-evident journal (journal/journal.h). Exit 0 ok,
 * 1 verification failed or refused, 2 usage (cli.md). `log checkpoint`
 * acts as a user (FUNDGUARD_USER / FUNDGUARD_PASSWORD or the terminal) with
 * journal.checkpoint (supervisor, auditor, security-auditor); verify, prove
 * and check-proof need no user.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "authz/authz.h"
#include "cli/cli.h"
#include "common/fsout.h"
#include "journal/journal.h"
#include "screen/export.h"

#define FG_LOG_VERIFY_THREADS 2

typedef struct fg_log_args {
  const char *db, *checkpoint, *pubkey, *out, *key, *since, *proof;
  const char *entry, *from, *limit, *action;
  bool help;
} fg_log_args;

static const char *const fg_log_usage_text =
    "用法 usage:\n"
    "  fundguard log verify      --db PATH [--checkpoint FILE] [--pubkey FILE]\n"
    "  fundguard log checkpoint  --db PATH [-o FILE] [--key FILE]\n"
    "  fundguard log prove       --db PATH (--entry N [--checkpoint FILE] | --since FILE) [-o FILE]\n"
    "  fundguard log check-proof PROOF_FILE --checkpoint FILE\n"
    "  fundguard log list        --db PATH [--from N] [--limit N] [--action A]\n"
    "list 列出日志条目（编号、时间、签名人、动作、内容），编号即 prove --entry N 所用；\n"
    "需要 journal.read（稽核、安全审计）。终端上身份证号被遮蔽。\n"
    "verify 重新推导每条日志的签名、叶哈希、Merkle 树以及每张表的每一行；\n"
    "没有 --checkpoint 或 --pubkey 时只能证明内部一致（见 docs/journal.md）。\n"
    "--db 默认 ./fundguard.db。\n"
    "--key 为平台私钥文件，依次取自 --key、环境变量 FUNDGUARD_KEY、PATH.key。\n"
    "verify --checkpoint 成功时另打印一行，确认当前日志延伸了该检查点 (大小、树根)。\n"
    "checkpoint 需要用户身份: 环境变量 FUNDGUARD_USER / FUNDGUARD_PASSWORD，否则在终端输入；\n"
    "两者皆无则退出码 1。需要权限 journal.checkpoint (supervisor, auditor, security-auditor)。\n"
    "verify、prove、check-proof 不需要用户。\n";

static int fg_log_parse(int argc, char **argv, fg_log_args *a) {
  memset(a, 0, sizeof *a);
  a->db = "fundguard.db";
  for (int i = 2; i < argc; i++) {
    const char *f = argv[i];
    const char **slot = strcmp(f, "--db") == 0           ? &a->db
                        : strcmp(f, "--checkpoint") == 0 ? &a->checkpoint
                        : strcmp(f, "--pubkey") == 0     ? &a->pubkey
                        : strcmp(f, "-o") == 0           ? &a->out
                        : strcmp(f, "--key") == 0        ? &a->key
                        : strcmp(f, "--since") == 0      ? &a->since
                        : strcmp(f, "--entry") == 0      ? &a->entry
                        : strcmp(f, "--from") == 0       ? &a->from
                        : strcmp(f, "--limit") == 0      ? &a->limit
                        : strcmp(f, "--action") == 0     ? &a->action
                                                         : NULL;
    if (strcmp(f, "--help") == 0 || strcmp(f, "-h") == 0) {
      a->help = true;
    } else if (slot) {
      if (i + 1 >= argc) return fg_cli_usage("log", "%s 需要一个值", f);
      *slot = argv[++i];
    } else if (f[0] != '-' && !a->proof) {
      a->proof = f;
    } else {
      return fg_cli_usage("log", "未知参数 %s", f);
    }
  }
  return 0;
}

static int fg_log_load_checkpoint(const char *path, fg_journal_checkpoint *cp, fg_err *err) {
  char *text = NULL;
  size_t n = 0;
  int rc = fg_file_read(path, FG_TEXT_FILE_BYTES_MAX, &text, &n, err);
  if (rc == 0) rc = fg_journal_checkpoint_parse(text, n, cp, err);
  free(text);
  return rc;
}

/* --pubkey FILE: 64 hex digits (what init and checkpoints print). */
static int fg_log_load_pubkey(const char *path, uint8_t pk[32], fg_err *err) {
  char *text = NULL;
  size_t n = 0, bin = 0;
  int rc = fg_file_read(path, FG_TEXT_FILE_BYTES_MAX, &text, &n, err);
  if (rc != 0) return rc;
  const char *p = text;
  while (*p == ' ' || *p == '\n') p++;
  if (strncmp(p, "pubkey ", 7) == 0) p += 7;
  if (sodium_hex2bin(pk, 32, p, strnlen(p, 64), NULL, &bin, NULL) != 0 || bin != 32)
    rc = fg_errf(err, FG_EINPUT, "%s 不是平台公钥（64 位十六进制）", path);
  free(text);
  return rc;
}

/* To stdout, or through a temporary file renamed onto -o FILE (never the
 * store or its key: fsout.h). */
static int fg_log_emit(const fg_log_args *a, const fg_buf *b, fg_err *err) {
  if (a->out == NULL)
    return fwrite(b->buf, 1, b->len, stdout) == b->len && fflush(stdout) == 0
               ? 0
               : fg_errf(err, FG_EIO, "写入失败");
  fg_fsout_protect p = FG_FSOUT_PROTECT_INIT;
  fg_cli_protect(&p, a->db, a->key);
  fg_fsout o;
  int rc = fg_fsout_open(&o, a->out, &p, false, err);
  fg_fsout_protect_release(&p);
  if (rc) return rc;
  if (fwrite(b->buf, 1, b->len, o.f) != b->len) {
    fg_fsout_abort(&o);
    return fg_errf(err, FG_EIO, "写入 %s 失败", a->out);
  }
  return fg_fsout_commit(&o, err);
}

static void fg_log_print_report(const fg_journal_verify_report *r) {
  char root[65];
  fg_hex(r->root, 32, root);
  fputs(r->text.buf ? r->text.buf : "", stdout);
  if (r->problems > FG_JOURNAL_PROBLEMS_LISTED_MAX)
    printf("……另有 %lld 处不符未列出\n", (long long)(r->problems - FG_JOURNAL_PROBLEMS_LISTED_MAX));
  if (r->problems > 0) /* the verdict on stdout as well as in the exit code */
    printf("校验失败 FAILED：发现 %lld 处不符（日志 %llu 条，树根 %s；%d 张表，其中 %lld 行与日志相符）\n",
           (long long)r->problems, (unsigned long long)r->entries, root, r->tables,
           (long long)r->rows_covered);
  else
    printf("日志 %llu 条，树根 %s；%d 张表，%lld 行由日志覆盖并核对一致。\n",
           (unsigned long long)r->entries, root, r->tables, (long long)r->rows_covered);
  if (!r->anchored)
    printf("注意：未给出 --checkpoint 或 --pubkey，只证明了内部一致；尾部截断或整库换钥重签无法发现。\n");
}

static void fg_log_progress(void *ud, const char *step, uint64_t done, uint64_t total) {
  (void)ud;
  fg_cli_progress(step, done, total);
}

static int fg_log_verify(const fg_log_args *a, fg_store *s, fg_err *err) {
  fg_journal_checkpoint cp;
  uint8_t pin[32];
  fg_journal_verify_opts o = {NULL, NULL, FG_LOG_VERIFY_THREADS, fg_log_progress, NULL};
  int rc = 0;
  if (a->checkpoint && (rc = fg_log_load_checkpoint(a->checkpoint, &cp, err)) != 0) return rc;
  if (a->checkpoint) o.checkpoint = &cp;
  if (a->pubkey && (rc = fg_log_load_pubkey(a->pubkey, pin, err)) != 0) return rc;
  if (a->pubkey) o.pin_pubkey = pin;
  fg_journal_verify_report rep;
  rc = fg_journal_verify(s, &o, &rep, err);
  fg_cli_progress_end();
  if (rc == 0 || rc == FG_EVERIFY) fg_log_print_report(&rep);
  if (rc == 0 && a->checkpoint) {
    char root[65];
    fg_hex(cp.root, sizeof cp.root, root);
    printf("检查点 checkpoint %s: 当前日志延伸了该检查点 (大小 size %llu, 树根 root %s, "
           "时间 %s)，此前的历史未被截断或改写。\n",
           a->checkpoint, (unsigned long long)cp.size, root, cp.time);
  }
  fg_buf_release(&rep.text);
  return rc;
}

/* A signed tree head, by a user with journal.checkpoint (refusals are
 * journaled by fg_authn_cli_key). */
static int fg_log_checkpoint(const fg_log_args *a, fg_store *s, fg_buf *out, fg_err *err) {
  char key_path[FG_AUTHN_PATH_MAX];
  fg_signer me, sg;
  fg_journal_checkpoint cp;
  int rc = fg_authn_key_path(a->db, a->key, key_path, sizeof key_path, err);
  if (rc == 0) rc = fg_authn_cli_key(s, a->db, key_path, FG_PERM_JOURNAL_CHECKPOINT, 0, &me, err);
  if (rc == 0) {
    fg_authn_signer_wipe(&me);
    rc = fg_journal_platform_signer(key_path, &sg, err);
    if (rc == 0) rc = fg_journal_checkpoint_make(s, &sg, &cp, err);
    sodium_memzero(&sg, sizeof sg);
  }
  if (rc == 0) fg_journal_checkpoint_format(&cp, out);
  return rc;
}

/* ---- log list ---------------------------------------------------------- */

typedef struct fg_log_list_ctx {
  int64_t left;
  const char *action;
  bool mask;
  fg_buf line;
} fg_log_list_ctx;

static int fg_log_list_row(void *ud, const fg_store_journal_row *r) {
  fg_log_list_ctx *c = ud;
  if (c->action && strcmp(r->action, c->action) != 0) return 0;
  if (c->left-- <= 0) return 1;
  fg_buf_reset(&c->line);
  fg_buf_addf(&c->line, "%lld\t%s\t%s\t%s\t", (long long)r->seq, r->at, r->actor, r->action);
  char payload[512];
  snprintf(payload, sizeof payload, "%.*s", (int)FG_MIN(r->payload_len, sizeof payload - 1),
           r->payload);
  if (c->mask) fg_export_mask_text(&c->line, payload);
  else fg_buf_adds(&c->line, payload);
  if (r->payload_len >= sizeof payload) fg_buf_adds(&c->line, "…");
  fg_buf_addc(&c->line, '\n');
  fputs(c->line.buf, stdout);
  return 0;
}

static int fg_log_list(const fg_log_args *a, fg_err *err) {
  char *end = NULL;
  const long long from = a->from ? strtoll(a->from, &end, 10) : 0;
  if (a->from && (*end || from < 0)) return fg_cli_usage("log", "--from 需要非负整数: %s", a->from);
  const long long limit = a->limit ? strtoll(a->limit, &end, 10) : 1000;
  if (a->limit && (*end || limit <= 0)) return fg_cli_usage("log", "--limit 需要正整数: %s", a->limit);
  fg_store *s = NULL;
  if (fg_store_open(a->db, false, &s, err) != 0) return fg_cli_fail(err);
  fg_signer me;
  int rc = fg_authn_cli_key(s, a->db, a->key, FG_PERM_JOURNAL_READ, 0, &me, err);
  fg_log_list_ctx c = {limit, a->action, isatty(STDOUT_FILENO) == 1, FG_BUF_INIT};
  if (rc == 0) {
    fg_authn_signer_wipe(&me);
    printf("编号 seq\t时间 at\t签名人 actor\t动作 action\t内容 payload\n");
    rc = fg_store_journal_scan(s, from, fg_log_list_row, &c, err);
    if (rc > 0) rc = 0;
  }
  fg_buf_release(&c.line);
  fg_store_close(s);
  return rc ? fg_cli_fail(err) : 0;
}

static int fg_log_with_store(const fg_log_args *a, const char *sub, fg_err *err) {
  fg_store *s = NULL;
  int rc = fg_store_open(a->db, strcmp(sub, "checkpoint") != 0, &s, err);
  if (rc != 0) return fg_cli_fail(err);
  fg_buf out = FG_BUF_INIT;
  if (strcmp(sub, "verify") == 0) {
    rc = fg_log_verify(a, s, err);
  } else if (strcmp(sub, "checkpoint") == 0) {
    rc = fg_log_checkpoint(a, s, &out, err);
  } else if (a->entry && !a->since) {
    char *end = NULL;
    unsigned long long idx = strtoull(a->entry, &end, 10);
    fg_journal_checkpoint cp = {0};
    if (!*a->entry || *end) rc = fg_errf(err, FG_EUSAGE, "--entry 需要一个非负整数");
    if (rc == 0 && a->checkpoint) rc = fg_log_load_checkpoint(a->checkpoint, &cp, err);
    if (rc == 0) rc = fg_journal_prove_inclusion(s, idx, cp.size, &out, err);
  } else if (a->since && !a->entry) {
    fg_journal_checkpoint cp;
    rc = fg_log_load_checkpoint(a->since, &cp, err);
    if (rc == 0) rc = fg_journal_prove_consistency(s, &cp, &out, err);
  } else {
    fg_store_close(s);
    return fg_cli_usage("log", "prove 需要 --entry N 或 --since FILE 之一");
  }
  if (rc == 0 && out.len > 0) rc = fg_log_emit(a, &out, err);
  fg_buf_release(&out);
  fg_store_close(s);
  return rc == 0 ? 0 : fg_cli_fail(err);
}

static int fg_log_check_proof(const fg_log_args *a, fg_err *err) {
  if (!a->proof || !a->checkpoint)
    return fg_cli_usage("log", "check-proof 需要 PROOF_FILE 和 --checkpoint FILE");
  fg_journal_checkpoint cp;
  char *text = NULL;
  size_t n = 0;
  fg_buf msg = FG_BUF_INIT;
  int rc = fg_log_load_checkpoint(a->checkpoint, &cp, err);
  if (rc == 0 && a->pubkey) {
    uint8_t pin[32];
    rc = fg_log_load_pubkey(a->pubkey, pin, err);
    if (rc == 0 && memcmp(pin, cp.pubkey, 32) != 0)
      rc = fg_errf(err, FG_EVERIFY, "检查点不是由 --pubkey 给出的平台密钥签名的");
  }
  if (rc == 0) rc = fg_file_read(a->proof, FG_TEXT_FILE_BYTES_MAX, &text, &n, err);
  if (rc == 0) rc = fg_journal_check_proof(text, n, &cp, &msg, err);
  if (rc == 0) fputs(msg.buf, stdout);
  free(text);
  fg_buf_release(&msg);
  return rc == 0 ? 0 : fg_cli_fail(err);
}

int fg_cmd_log(int argc, char **argv) {
  if (argc < 2) {
    fputs(fg_log_usage_text, stderr);
    return 2;
  }
  const char *sub = argv[1];
  if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
    fputs(fg_log_usage_text, stdout);
    return 0;
  }
  fg_log_args a;
  int rc = fg_log_parse(argc, argv, &a);
  if (rc != 0) return rc;
  if (a.help) {
    fputs(fg_log_usage_text, stdout);
    return 0;
  }
  if (sodium_init() < 0) return 1;
  fg_err err = {0};
  if (strcmp(sub, "check-proof") == 0) return fg_log_check_proof(&a, &err);
  if (a.proof) return fg_cli_usage("log", "未知参数 %s", a.proof);
  if (strcmp(sub, "verify") == 0 || strcmp(sub, "checkpoint") == 0 || strcmp(sub, "prove") == 0)
    return fg_log_with_store(&a, sub, &err);
  if (strcmp(sub, "list") == 0) return fg_log_list(&a, &err);
  static const char *const subs[] = {"verify", "checkpoint", "prove", "check-proof", "list"};
  return fg_cli_unknown("log", sub, subs, (int)FG_ARRAY_LEN(subs));
}
