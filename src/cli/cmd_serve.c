/*
 * cmd_serve.c — `fundguard serve [--db PATH] [--listen ADDR:PORT] [--key FILE]
 * [--web DIR]`: the HTTP API and the workbench (http.h fg_http_serve; web.md).
 * Prints the URL on stdout once it accepts connections; stops on SIGINT or
 * SIGTERM.
 */
#include <stdio.h>
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
    "  --web DIR           工作台文件目录 the workbench's files (默认 default the source tree's web/)\n";

int fg_cmd_serve(int argc, char **argv) {
  if (fg_cli_wants_help(argc, argv)) return fputs(fg_serve_help, stdout), 0;
  fg_http_opts o = {"fundguard.db", NULL, NULL, NULL};
  for (int i = 1; i < argc; i++) {
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
