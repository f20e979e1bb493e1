/* cmd_log.c — placeholder until the owning subsystem lands (replaced, not kept). */
#include <stdio.h>
#include "cli/cli.h"
int fg_cmd_log(int argc, char **argv) {
  (void)argc; (void)argv;
  fprintf(stderr, "fundguard log: not built yet\n");
  return 1;
}
