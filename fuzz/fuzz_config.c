/*
 * fuzz_config.c — libFuzzer harness for the configuration file parser
 * (config/config.h). Any input either fails with a message naming a line,
 * or yields a configuration whose canonical text parses back to the very
 * same configuration (the property the stored official configuration and
 * its hash rely on).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fg_config cfg, again;
  fg_err err;
  fg_config_defaults(&cfg);
  if (fg_config_parse(&cfg, "fuzz.conf", (const char *)data, size, &err) != 0) {
    if (err.msg[0] == '\0') abort(); /* every refusal explains itself */
    return 0;
  }
  char *text = fg_config_serialize(&cfg);
  fg_config_defaults(&again);
  if (fg_config_parse(&again, "canonical", text, strlen(text), &err) != 0) abort();
  char *text2 = fg_config_serialize(&again);
  if (strcmp(text, text2) != 0) abort();
  free(text);
  free(text2);
  return 0;
}
