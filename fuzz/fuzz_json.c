/*
 * fuzz_json.c — libFuzzer harness for the strict JSON reader of the journal
 * (journal/json.h), which reads proof files and checkpoints handed in from
 * outside the platform: any bytes must be refused with a message or parsed
 * without reading out of bounds; lookups on the result must be safe.
 */
#include <stdint.h>
#include <stdlib.h>

#include "journal/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fg_journal_json *v = NULL;
  fg_err err;
  if (fg_journal_json_parse((const char *)data, size, &v, &err) != 0) {
    if (err.msg[0] == '\0') abort();
    return 0;
  }
  (void)fg_journal_json_get(v, "proof");
  (void)fg_journal_json_get(v, "size1");
  fg_journal_json_free(v);
  return 0;
}
