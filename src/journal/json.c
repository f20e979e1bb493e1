/*
 * json.c — the journal's small recursive-descent JSON reader (json.h).
 * Strict RFC 8259 syntax; numbers must be integers that fit int64.
 */
#include "journal/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct fg_json_parser {
  const char *p;
  const char *end;
  const char *start;
  fg_err *err;
} fg_json_parser;

static int fg_json_fail(fg_json_parser *ps, const char *what) {
  return fg_errf(ps->err, FG_EINPUT, "JSON 第 %td 字节：%s", ps->p - ps->start, what);
}

static void fg_json_ws(fg_json_parser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static int fg_json_value(fg_json_parser *ps, fg_journal_json *v, int depth);

static int fg_json_hex4(fg_json_parser *ps, unsigned *cp) {
  if (ps->end - ps->p < 4) return fg_json_fail(ps, "\\u 转义不完整");
  *cp = 0;
  for (int i = 0; i < 4; i++) {
    char c = *ps->p++;
    unsigned d = (c >= '0' && c <= '9')   ? (unsigned)(c - '0')
                 : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
                 : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10)
                                          : 16u;
    if (d == 16) return fg_json_fail(ps, "\\u 转义不是十六进制");
    *cp = *cp * 16 + d;
  }
  return 0;
}

static void fg_json_utf8(fg_buf *b, unsigned cp) {
  FG_ASSERT(cp <= 0x10FFFF);
  if (cp < 0x80) {
    fg_buf_addc(b, (char)cp);
  } else if (cp < 0x800) {
    fg_buf_addc(b, (char)(0xC0 | (cp >> 6)));
    fg_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    fg_buf_addc(b, (char)(0xE0 | (cp >> 12)));
    fg_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    fg_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
  } else {
    fg_buf_addc(b, (char)(0xF0 | (cp >> 18)));
    fg_buf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
    fg_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    fg_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
  }
}

static int fg_json_escape(fg_json_parser *ps, fg_buf *b) {
  if (ps->p >= ps->end) return fg_json_fail(ps, "字符串未结束");
  char c = *ps->p++;
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  const char *hit = c ? strchr(from, c) : NULL;
  if (hit) {
    fg_buf_addc(b, to[hit - from]);
    return 0;
  }
  if (c != 'u') return fg_json_fail(ps, "未知的转义");
  unsigned cp;
  if (fg_json_hex4(ps, &cp) != 0) return FG_EINPUT;
  if (cp >= 0xD800 && cp < 0xDC00) {
    unsigned lo;
    if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
      return fg_json_fail(ps, "缺少低位代理");
    ps->p += 2;
    if (fg_json_hex4(ps, &lo) != 0) return FG_EINPUT;
    if (lo < 0xDC00 || lo > 0xDFFF) return fg_json_fail(ps, "低位代理无效");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    return fg_json_fail(ps, "孤立的低位代理");
  }
  fg_json_utf8(b, cp);
  return 0;
}

static int fg_json_string(fg_json_parser *ps, char **out, size_t *len) {
  FG_ASSERT(ps->p < ps->end && *ps->p == '"');
  ps->p++;
  fg_buf b = FG_BUF_INIT;
  fg_buf_grow(&b, 16);
  b.buf[0] = '\0'; /* "" is an empty, NUL-terminated string too */
  while (ps->p < ps->end && *ps->p != '"') {
    unsigned char c = (unsigned char)*ps->p;
    if (c < 0x20) {
      fg_buf_release(&b);
      return fg_json_fail(ps, "字符串中有控制字符");
    }
    ps->p++;
    if (c == '\\') {
      if (fg_json_escape(ps, &b) != 0) {
        fg_buf_release(&b);
        return FG_EINPUT;
      }
    } else {
      fg_buf_addc(&b, (char)c);
    }
  }
  if (ps->p >= ps->end) {
    fg_buf_release(&b);
    return fg_json_fail(ps, "字符串未结束");
  }
  ps->p++;
  *len = b.len;
  *out = fg_buf_detach(&b);
  return 0;
}

static int fg_json_number(fg_json_parser *ps, fg_journal_json *v) {
  bool neg = ps->p < ps->end && *ps->p == '-';
  if (neg) ps->p++;
  const char *digits = ps->p;
  uint64_t acc = 0;
  while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
    unsigned d = (unsigned)(*ps->p - '0');
    if (acc > (UINT64_MAX - d) / 10) return fg_json_fail(ps, "整数超出范围");
    acc = acc * 10 + d;
    ps->p++;
  }
  if (ps->p == digits) return fg_json_fail(ps, "应为数字");
  if (ps->p - digits > 1 && *digits == '0') return fg_json_fail(ps, "数字有前导零");
  if (ps->p < ps->end && (*ps->p == '.' || *ps->p == 'e' || *ps->p == 'E'))
    return fg_json_fail(ps, "只接受整数");
  v->type = FG_JSON_INT;
  v->u = acc;
  v->neg = neg && acc != 0;
  if (acc <= (uint64_t)INT64_MAX) v->i = neg ? -(int64_t)acc : (int64_t)acc;
  else if (neg && acc == (uint64_t)INT64_MAX + 1) v->i = INT64_MIN;
  return 0;
}

static int fg_json_literal(fg_json_parser *ps, fg_journal_json *v) {
  static const struct {
    const char *word;
    fg_journal_json_type type;
    bool b;
  } lits[] = {{"null", FG_JSON_NULL, false}, {"true", FG_JSON_BOOL, true}, {"false", FG_JSON_BOOL, false}};
  for (size_t i = 0; i < FG_ARRAY_LEN(lits); i++) {
    size_t n = strlen(lits[i].word);
    if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, lits[i].word, n) == 0) {
      ps->p += n;
      v->type = lits[i].type;
      v->b = lits[i].b;
      return 0;
    }
  }
  return fg_json_fail(ps, "无法识别的值");
}

/* Array or object: items separated by commas up to the closing bracket. */
static int fg_json_container(fg_json_parser *ps, fg_journal_json *v, int depth) {
  bool obj = *ps->p == '{';
  char close = obj ? '}' : ']';
  v->type = obj ? FG_JSON_OBJ : FG_JSON_ARR;
  ps->p++;
  fg_json_ws(ps);
  if (ps->p < ps->end && *ps->p == close) {
    ps->p++;
    return 0;
  }
  size_t cap = 0;
  for (;;) {
    fg_json_ws(ps);
    if (v->n == cap) {
      cap = cap ? cap * 2 : 4;
      v->items = fg_xrealloc(v->items, cap * sizeof *v->items);
      if (obj) v->keys = fg_xrealloc(v->keys, cap * sizeof *v->keys);
    }
    memset(&v->items[v->n], 0, sizeof v->items[v->n]);
    if (obj) {
      size_t klen;
      if (ps->p >= ps->end || *ps->p != '"') return fg_json_fail(ps, "应为键名");
      if (fg_json_string(ps, &v->keys[v->n], &klen) != 0) return FG_EINPUT;
      v->n++;
      fg_json_ws(ps);
      if (ps->p >= ps->end || *ps->p != ':') return fg_json_fail(ps, "应为冒号");
      ps->p++;
      if (fg_json_value(ps, &v->items[v->n - 1], depth + 1) != 0) return FG_EINPUT;
    } else {
      v->n++;
      if (fg_json_value(ps, &v->items[v->n - 1], depth + 1) != 0) return FG_EINPUT;
    }
    fg_json_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p++;
      continue;
    }
    if (ps->p < ps->end && *ps->p == close) {
      ps->p++;
      return 0;
    }
    return fg_json_fail(ps, obj ? "应为逗号或 }" : "应为逗号或 ]");
  }
}

static int fg_json_value(fg_json_parser *ps, fg_journal_json *v, int depth) {
  if (depth > FG_JOURNAL_JSON_DEPTH_MAX) return fg_json_fail(ps, "嵌套过深");
  fg_json_ws(ps);
  if (ps->p >= ps->end) return fg_json_fail(ps, "意外结束");
  char c = *ps->p;
  if (c == '{' || c == '[') return fg_json_container(ps, v, depth);
  if (c == '"') {
    v->type = FG_JSON_STR;
    return fg_json_string(ps, &v->s, &v->len);
  }
  if (c == '-' || (c >= '0' && c <= '9')) return fg_json_number(ps, v);
  return fg_json_literal(ps, v);
}

static void fg_json_clear(fg_journal_json *v) {
  for (size_t i = 0; i < v->n; i++) {
    fg_json_clear(&v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->s);
}

void fg_journal_json_free(fg_journal_json *v) {
  if (!v) return;
  fg_json_clear(v);
  free(v);
}

int fg_journal_json_parse(const char *text, size_t n, fg_journal_json **out, fg_err *err) {
  FG_ASSERT(text != NULL && out != NULL);
  *out = NULL;
  if (n > FG_JOURNAL_JSON_BYTES_MAX)
    return fg_errf(err, FG_ELIMIT, "JSON 超过 %u 字节", FG_JOURNAL_JSON_BYTES_MAX);
  fg_json_parser ps = {text, text + n, text, err};
  fg_journal_json *v = fg_xcalloc(1, sizeof *v);
  int rc = fg_json_value(&ps, v, 0);
  if (rc == 0) {
    fg_json_ws(&ps);
    if (ps.p != ps.end) rc = fg_json_fail(&ps, "值后面还有多余内容");
  }
  if (rc != 0) {
    fg_journal_json_free(v);
    return FG_EINPUT;
  }
  *out = v;
  return 0;
}

const fg_journal_json *fg_journal_json_get(const fg_journal_json *v, const char *key) {
  if (!v || v->type != FG_JSON_OBJ) return NULL;
  for (size_t i = 0; i < v->n; i++)
    if (strcmp(v->keys[i], key) == 0) return &v->items[i];
  return NULL;
}

void fg_journal_json_add_str(fg_buf *b, const char *s, size_t n) {
  FG_ASSERT(b != NULL && (s != NULL || n == 0));
  fg_buf_addc(b, '"');
  size_t run = 0; /* bytes copied as they are, added in one piece */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c != '"' && c != '\\' && c >= 0x20) continue;
    if (i > run) fg_buf_add(b, s + run, i - run);
    run = i + 1;
    if (c < 0x20) {
      fg_buf_addf(b, "\\u%04x", c);
    } else {
      fg_buf_addc(b, '\\');
      fg_buf_addc(b, (char)c);
    }
  }
  if (n > run) fg_buf_add(b, s + run, n - run);
  fg_buf_addc(b, '"');
}
