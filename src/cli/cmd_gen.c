/*
 * cmd_gen.c — `fundguard gen`: parse the flags of cli.md, call fg_gen_run()
 * (src/gen/gen.h) and report the sizes on stderr. Usage errors exit 2.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gen/gen.h"

enum { FG_GEN_DEFAULT_THREADS = 2 };

static void fg_gen_help(FILE *f) {
  fprintf(f,
          "用法 usage: fundguard gen --persons N --seed S --as-of YYYY-MM-DD --out DIR --truth FILE\n"
          "                     [--encoding utf-8|gb18030] [--threads T]\n\n"
          "生成一个确定性的模拟城市 (数据接入标准的 19 个 CSV 文件, 约十年历史) 和应查出的疑点清单。\n"
          "Generate a deterministic synthetic city (the 19 CSV files of the data standard, about\n"
          "ten years of history up to --as-of) and the truth file of the findings it must raise.\n\n"
          "  --persons N      参保人数 persons (%lld .. %d)\n"
          "  --seed S         随机种子 (unsigned 64-bit); same arguments -> same bytes\n"
          "  --as-of DATE     截止日期 history ends here (2005-01-01 .. 2090-12-31)\n"
          "  --out DIR        输出目录 (created when missing)\n"
          "  --truth FILE     疑点清单 rule,subject_type,subject_id,amount\n"
          "  --encoding E     utf-8 (默认) or gb18030 for the data files\n"
          "  --threads T      工作线程 worker threads (default %d; output does not depend on it)\n",
          (long long)fg_gen_min_persons(), FG_GEN_PERSONS_MAX, FG_GEN_DEFAULT_THREADS);
}

static bool fg_parse_u64(const char *s, uint64_t *out) {
  if (!s || !*s || *s == '-' || *s == '+') return false;
  errno = 0;
  char *end = NULL;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) return false;
  *out = (uint64_t)v;
  return true;
}

/* Value of flag `name` at argv[*i] ("--name v" or "--name=v"); NULL if not this flag. */
static const char *fg_flag_value(int argc, char **argv, int *i, const char *name, bool *missing) {
  size_t n = strlen(name);
  if (strncmp(argv[*i], name, n) != 0) return NULL;
  if (argv[*i][n] == '=') return argv[*i] + n + 1;
  if (argv[*i][n] != '\0') return NULL;
  if (*i + 1 >= argc) {
    *missing = true;
    return NULL;
  }
  return argv[++*i];
}

int fg_cmd_gen(int argc, char **argv) {
  fg_gen_opts o;
  memset(&o, 0, sizeof o);
  o.threads = FG_GEN_DEFAULT_THREADS;
  o.as_of = FG_NODAY;
  o.progress = fg_cli_stderr_tty();
  bool have_persons = false, have_seed = false;
  for (int i = 1; i < argc; i++) {
    bool missing = false;
    const char *v;
    uint64_t u;
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      fg_gen_help(stdout);
      return 0;
    } else if ((v = fg_flag_value(argc, argv, &i, "--persons", &missing))) {
      if (!fg_parse_u64(v, &u) || u > INT64_MAX) return fg_cli_usage("gen", "--persons 须为正整数: %s", v);
      o.persons = (int64_t)u;
      have_persons = true;
    } else if ((v = fg_flag_value(argc, argv, &i, "--seed", &missing))) {
      if (!fg_parse_u64(v, &o.seed)) return fg_cli_usage("gen", "--seed 须为非负整数: %s", v);
      have_seed = true;
    } else if ((v = fg_flag_value(argc, argv, &i, "--as-of", &missing))) {
      if (!fg_parse_day(v, (int)strlen(v), &o.as_of))
        return fg_cli_usage("gen", "--as-of 须为 YYYY-MM-DD 日期: %s", v);
    } else if ((v = fg_flag_value(argc, argv, &i, "--out", &missing))) {
      o.out_dir = v;
    } else if ((v = fg_flag_value(argc, argv, &i, "--truth", &missing))) {
      o.truth_path = v;
    } else if ((v = fg_flag_value(argc, argv, &i, "--encoding", &missing))) {
      if (strcmp(v, "utf-8") == 0 || strcmp(v, "utf8") == 0 || strcmp(v, "UTF-8") == 0) o.encoding = FG_GEN_UTF8;
      else if (strcmp(v, "gb18030") == 0 || strcmp(v, "GB18030") == 0) o.encoding = FG_GEN_GB18030;
      else return fg_cli_usage("gen", "--encoding 须为 utf-8 或 gb18030: %s", v);
    } else if ((v = fg_flag_value(argc, argv, &i, "--threads", &missing))) {
      if (!fg_parse_u64(v, &u) || u < 1 || u > FG_GEN_THREADS_MAX)
        return fg_cli_usage("gen", "--threads 须在 1 到 %d 之间: %s", FG_GEN_THREADS_MAX, v);
      o.threads = (int)u;
    } else if (missing) {
      return fg_cli_usage("gen", "%s 缺少取值", argv[i]);
    } else {
      return fg_cli_usage("gen", "未知参数: %s", argv[i]);
    }
    if (missing) return fg_cli_usage("gen", "%s 缺少取值", argv[i]);
  }
  if (!have_persons || !have_seed || o.as_of == FG_NODAY || !o.out_dir || !o.truth_path)
    return fg_cli_usage("gen", "须给出 --persons、--seed、--as-of、--out 和 --truth");
  fg_err err;
  fg_err_release(&err);
  fg_gen_stats st;
  int rc = fg_gen_run(&o, &st, &err);
  if (rc == FG_EUSAGE) return fg_cli_usage("gen", "%s", err.msg);
  if (rc) return fg_cli_fail(&err);
  int64_t rows = 0, bytes = 0;
  for (int t = 0; t < FG_T_COUNT; t++) rows += st.rows[t], bytes += st.bytes[t];
  fprintf(stderr, "gen: %lld 人 (其中预置 %lld), %lld 行, %lld 字节, 用时 %.1f 秒; 疑点 %lld 条 -> %s\n",
          (long long)o.persons, (long long)st.planted_persons, (long long)rows, (long long)bytes,
          st.seconds, (long long)st.truth_rows, o.truth_path);
  return 0;
}
