/*
 * cmd_serve.c — `fundguard serve [--db PATH] [--listen ADDR:PORT] [--key FILE]
 * [--web DIR] [--upload-max-mb N]`: the HTTP API and the workbench (http.h fg_http_serve; web.md).
 * Prints the URL on stdout once it accepts connections; stops on SIGINT or
 * SIGTERM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"

static const char fg_serve_help[] =
    "用法 usage: fundguard serve [--db PATH] [--listen ADDR:PORT] [--key FILE] [--web DIR]\n"
    "\n"
    "启动网页工作台和 HTTP API（web.md）。就绪后在标准输出打印网址；Ctrl-C 或 SIGTERM 停止。\n"
    "Serve the workbench and the JSON API; prints the URL when ready.\n"
    "\n"
    "  --db PATH           数据库文件 the store (默认 default ./fundguard.db)\n"
    "  --listen ADDR:PORT  监听地址 (默认 default 127.0.0.1:8080)\n"
    "  --key FILE          平台私钥 platform key: --key, else $FUNDGUARD_KEY, else PATH.key\n"
    "  --web DIR           工作台文件目录 the workbench's files (默认 default the source tree's web/)\n"
    "  --upload-max-mb N   一次导入上传文件的合计上限 (默认 default 2048 MiB)\n";

int fg_cmd_serve(int argc, char **argv) {
  if (fg_cli_wants_help(argc, argv)) return fputs(fg_serve_help, stdout), 0;
  fg_http_opts o = {"fundguard.db", NULL, NULL, NULL, 0};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--upload-max-mb") == 0 && i + 1 < argc) {
      char *end = NULL;
      const long v = strtol(argv[++i], &end, 10);
      if (*end != '\0' || v < 1 || v > 65536)
        return fg_cli_usage("serve", "--upload-max-mb 应为 1 至 65536 的整数 (%s)", argv[i]);
      o.upload_max_mb = (int)v;
      continue;
    }
    const char **slot = strcmp(argv[i], "--db") == 0       ? &o.db
                        : strcmp(argv[i], "--listen") == 0 ? &o.listen
                        : strcmp(argv[i], "--key") == 0    ? &o.key
                        : strcmp(argv[i], "--web") == 0    ? &o.web_dir
                                                           : NULL;
    if (slot == NULL || i + 1 >= argc) return fg_cli_usage("serve", "未知或缺少参数的选项 %s", argv[i]);
    *slot = argv[++i];
  }
  fg_err err = {0};
  int rc = fg_http_serve(&o, &err);
  return rc ? fg_cli_fail(&err) : 0;
}
