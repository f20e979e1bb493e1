/*
 * test_csv.c — the CSV reader of csv/csv.h against the data standard's file
 * rules: encodings (BOM, detection, GB18030 2- and 4-byte characters,
 * forced encodings, undecodable bytes with their line), RFC 4180 quoting,
 * line ends, trimming, physical line numbers, malformed quoting, limits,
 * the file opener (SHA-256, base name, progress) and fg_csv_split.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common/fg.h"
#include "csv/csv.h"

/* Render every record as "line:f1|f2" (quoted fields as <f>), one per line
 * of out; returns the last fg_csv_next result (0 at a clean end). */
static int render(fg_csv *c, fg_buf *out, fg_err *err) {
  fg_csv_record rec;
  int rc;
  while ((rc = fg_csv_next(c, &rec, err)) == 1) {
    fg_buf_addf(out, "%lld:", (long long)rec.line);
    for (int i = 0; i < rec.nf; i++) {
      if (i) fg_buf_addc(out, '|');
      if (rec.f[i].quoted) fg_buf_addc(out, '<');
      fg_buf_add(out, rec.f[i].s, rec.f[i].n);
      if (rec.f[i].quoted) fg_buf_addc(out, '>');
    }
    fg_buf_addc(out, '\n');
  }
  return rc;
}

/* Open data (n bytes) as t.csv and render it; the rendering, or "ERR <msg>"
 * on failure, is in the returned heap string. */
static char *parse_n(const char *data, size_t n, const char *enc) {
  fg_csv *c = NULL;
  fg_err err = {0};
  fg_buf out = FG_BUF_INIT;
  int rc = fg_csv_open_mem("t.csv", data, n, enc, &c, &err);
  if (rc == 0) rc = render(c, &out, &err);
  if (rc < 0) {
    fg_buf_reset(&out);
    fg_buf_addf(&out, "ERR %s", err.msg);
  }
  fg_csv_close(c);
  return fg_buf_detach(&out);
}

static char *parse(const char *data) { return parse_n(data, strlen(data), NULL); }

#define EXPECT(data, want)                  \
  do {                                      \
    char *got_ = parse(data);               \
    assert_string_equal(got_, want);        \
    free(got_);                             \
  } while (0)

#define EXPECT_ENC(data, n, enc, want)      \
  do {                                      \
    char *got_ = parse_n(data, n, enc);     \
    assert_string_equal(got_, want);        \
    free(got_);                             \
  } while (0)

static void test_line_ends(void **state) {
  (void)state;
  EXPECT("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
  EXPECT("a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n");
  EXPECT("a,b\r\n1,2\n3,4\r\n5,6", "1:a|b\n2:1|2\n3:3|4\n4:5|6\n");
  EXPECT("a,b\n1,2", "1:a|b\n2:1|2\n");            /* no final newline */
  EXPECT("a,b\n1,2\r", "1:a|b\n2:1|2\n");          /* final CR */
  EXPECT("a,b\n1,2\n\n\r\n  \n\n", "1:a|b\n2:1|2\n"); /* blank lines at the end */
  EXPECT("a\n\n1\n \r\n2\n", "1:a\n3:1\n5:2\n");    /* blank lines elsewhere skipped */
  EXPECT("a,b\r\n1,x\ry\r\n", "1:a|b\n2:1|x\ry\n"); /* a lone CR is data */
  EXPECT("", "");
  EXPECT("\n\n", "");
  EXPECT("a,b", "1:a|b\n");                         /* header only */
  EXPECT("a,b\n", "1:a|b\n");
}

static void test_fields_and_spaces(void **state) {
  (void)state;
  EXPECT("a,,c\n,,\n", "1:a||c\n2:||\n");
  EXPECT("a,   ,c\n", "1:a||c\n");
  EXPECT("  a  , b ,c  \r\n", "1:a|b|c\n");
  EXPECT("x, 1 2 \n", "1:x|1 2\n");                 /* inner spaces kept */
  EXPECT("x,\t1\t\n", "1:x|\t1\t\n");               /* only U+0020 is trimmed */
  EXPECT("\xE5\xBC\xA0\xE4\xB8\x89, \xE3\x80\x80\n", "1:张三|\xE3\x80\x80\n"); /* U+3000 kept */
  EXPECT(",\n", "1:|\n");
}

static void test_quoting(void **state) {
  (void)state;
  EXPECT("\"a,b\",c\n", "1:<a,b>|c\n");
  EXPECT("\"say \"\"hi\"\"\",x\n", "1:<say \"hi\">|x\n");
  EXPECT("\"\"\"\"\n", "1:<\">\n");
  EXPECT("\"\",x\n", "1:<>|x\n");
  EXPECT("  \"a\"  ,  \"b\" \r\n", "1:<a>|<b>\n");    /* spaces around quotes */
  EXPECT("\"  a  \",\"   \"\n", "1:<a>|<>\n");        /* values are trimmed too */
  EXPECT("\" \"\"a\"\" \"\n", "1:<\"a\">\n");
  EXPECT("\"a\"\n\"b\"", "1:<a>\n2:<b>\n");
  EXPECT("x,\"a\"\r", "1:x|<a>\n");
}

static void test_multiline_lines(void **state) {
  (void)state;
  EXPECT("h1,h2\n\"line1\nline2\",x\n3,4\n", "1:h1|h2\n2:<line1\nline2>|x\n4:3|4\n");
  EXPECT("h\r\n\"a\r\nb\r\n\"\r\nz\r\n", "1:h\n2:<a\r\nb\r\n>\n5:z\n");
  EXPECT("h\n\"a\n\n\n\",\"b\nc\"\nz\n\n\nw", "1:h\n2:<a\n\n\n>|<b\nc>\n7:z\n10:w\n");
  EXPECT("h\n\"\"\"\n\"\"\"\ny\n", "1:h\n2:<\"\n\">\n4:y\n");
}

static void test_scratch_growth(void **state) {
  (void)state;
  /* Several escaped fields in one record move the scratch buffer. */
  fg_buf in = FG_BUF_INIT, want = FG_BUF_INIT;
  fg_buf_adds(&want, "1:");
  for (int f = 0; f < 6; f++) {
    if (f) {
      fg_buf_addc(&in, ',');
      fg_buf_addc(&want, '|');
    }
    fg_buf_addc(&in, '"');
    fg_buf_addc(&want, '<');
    for (int i = 0; i < 3000; i++) {
      fg_buf_adds(&in, i % 7 ? "ab" : "\"\"");
      fg_buf_adds(&want, i % 7 ? "ab" : "\"");
    }
    fg_buf_addf(&in, "%d\"", f);
    fg_buf_addf(&want, "%d>", f);
  }
  fg_buf_addc(&want, '\n');
  EXPECT(in.buf, want.buf);
  fg_buf_release(&in);
  fg_buf_release(&want);
}

static void test_malformed(void **state) {
  (void)state;
  EXPECT("a,b\n1,\"xx\n", "ERR t.csv:2:2: 引号未闭合：字段以引号开始，到文件末尾仍无结束引号");
  EXPECT("a\n1\n\"x\ny\n", "ERR t.csv:3:1: 引号未闭合：字段以引号开始，到文件末尾仍无结束引号");
  EXPECT("a\n\"ab\"c,d\n",
         "ERR t.csv:2:1: 结束引号之后出现多余字符（结束引号后只能是逗号或换行）");
  EXPECT("a\nx,\"ab\" \"c\"\n",
         "ERR t.csv:2:2: 结束引号之后出现多余字符（结束引号后只能是逗号或换行）");
  EXPECT("a\nx,\"ab\"\rc\n",
         "ERR t.csv:2:2: 结束引号之后出现多余字符（结束引号后只能是逗号或换行）");
  EXPECT("a\nab\"c\n",
         "ERR t.csv:2:1: 未加引号的字段中出现引号（含引号的字段须整体加引号，内部引号写作 \"\"）");
  EXPECT("\"a\nb\"\nx,y\"\n",
         "ERR t.csv:3:2: 未加引号的字段中出现引号（含引号的字段须整体加引号，内部引号写作 \"\"）");
  /* The error is sticky and records before it were delivered. */
  fg_csv *c = NULL;
  fg_err err = {0};
  const char *data = "h\nok\n\"bad\n";
  assert_int_equal(fg_csv_open_mem("t.csv", data, strlen(data), NULL, &c, &err), 0);
  fg_csv_record rec;
  assert_int_equal(fg_csv_next(c, &rec, &err), 1);
  assert_int_equal(fg_csv_next(c, &rec, &err), 1);
  assert_int_equal(fg_csv_next(c, &rec, &err), FG_EINPUT);
  err.msg[0] = '\0';
  assert_int_equal(fg_csv_next(c, &rec, &err), FG_EINPUT);
  assert_non_null(strstr(err.msg, "t.csv:3:1:"));
  fg_csv_close(c);
}

static char *repeat(char ch, size_t n) {
  char *s = fg_xmalloc(n + 1);
  memset(s, ch, n);
  s[n] = '\0';
  return s;
}

static int parse_status(const char *data, char *msg, size_t msg_n) {
  fg_csv *c = NULL;
  fg_err err = {0};
  fg_buf out = FG_BUF_INIT;
  int rc = fg_csv_open_mem("t.csv", data, strlen(data), NULL, &c, &err);
  if (rc == 0) rc = render(c, &out, &err);
  snprintf(msg, msg_n, "%s", rc < 0 ? err.msg : "");
  fg_buf_release(&out);
  fg_csv_close(c);
  return rc;
}

static void test_limits(void **state) {
  (void)state;
  char msg[FG_ERR_MSG_MAX];
  fg_buf b = FG_BUF_INIT;
  char *big = repeat('a', FG_CSV_FIELD_LEN_MAX);
  fg_buf_addf(&b, "h\n%s\n", big);
  assert_int_equal(parse_status(b.buf, msg, sizeof msg), 0);
  fg_buf_reset(&b);
  fg_buf_addf(&b, "h\n\"%s\"\n", big);
  assert_int_equal(parse_status(b.buf, msg, sizeof msg), 0);
  fg_buf_reset(&b);
  fg_buf_addf(&b, "h\nx,%sb\n", big);
  assert_int_equal(parse_status(b.buf, msg, sizeof msg), FG_ELIMIT);
  assert_string_equal(msg, "t.csv:2:2: 字段超过 65536 字节上限");
  fg_buf_reset(&b);
  fg_buf_addf(&b, "h\n\"%sb\"\n", big);
  assert_int_equal(parse_status(b.buf, msg, sizeof msg), FG_ELIMIT);
  assert_string_equal(msg, "t.csv:2:1: 字段超过 65536 字节上限（引号未闭合？）");
  fg_buf_reset(&b);
  fg_buf_addf(&b, "h\n\"%s", big); /* unterminated within the limit */
  assert_int_equal(parse_status(b.buf, msg, sizeof msg), FG_EINPUT);
  fg_buf_adds(&b, "bb"); /* unterminated, longer than a field */
  assert_int_equal(parse_status(b.buf, msg, sizeof msg), FG_ELIMIT);
  free(big);
  /* 256 fields are fine, 257 are not. */
  fg_buf_reset(&b);
  for (int i = 0; i < FG_CSV_FIELDS_MAX; i++) fg_buf_adds(&b, i ? ",x" : "x");
  assert_int_equal(parse_status(b.buf, msg, sizeof msg), 0);
  fg_buf_adds(&b, ",x");
  assert_int_equal(parse_status(b.buf, msg, sizeof msg), FG_ELIMIT);
  assert_string_equal(msg, "t.csv:1: 记录超过 256 个字段上限");
  /* A record of 20 fields of 60000 bytes exceeds 1 MiB. */
  fg_buf_reset(&b);
  fg_buf_adds(&b, "h\n");
  char *f60k = repeat('z', 60000);
  for (int i = 0; i < 20; i++) fg_buf_addf(&b, "%s%s", i ? "," : "", f60k);
  free(f60k);
  assert_int_equal(parse_status(b.buf, msg, sizeof msg), FG_ELIMIT);
  assert_string_equal(msg, "t.csv:2: 记录超过 1048576 字节上限");
  fg_buf_release(&b);
}

/* GB18030 bytes: 张 D5C5, 三 C8FD, 䶮 FE9F, 𠀀 95328236 (4 bytes). */
#define GB_ZHANG "\xD5\xC5"
#define GB_SAN "\xC8\xFD"
#define GB_YAN "\xFE\x9F"
#define GB_U20000 "\x95\x32\x82\x36"

static void test_encodings(void **state) {
  (void)state;
  const char gb[] = "name,id\n" GB_ZHANG GB_SAN ",1\n" GB_YAN GB_U20000 ",\"" GB_ZHANG ",\"\n";
  EXPECT_ENC(gb, sizeof gb - 1, NULL, "1:name|id\n2:张三|1\n3:䶮𠀀|<张,>\n");
  EXPECT_ENC(gb, sizeof gb - 1, "gb18030", "1:name|id\n2:张三|1\n3:䶮𠀀|<张,>\n");
  EXPECT_ENC(gb, sizeof gb - 1, "GBK", "1:name|id\n2:张三|1\n3:䶮𠀀|<张,>\n");
  EXPECT_ENC(gb, sizeof gb - 1, "utf-8", "ERR t.csv:2: 无法按 utf-8 解码的字节 (D5 C5 C8 FD)");
  const char u8[] = "\xEF\xBB\xBFname\n\xE5\xBC\xA0\xF0\xA0\x80\x80\n";
  EXPECT_ENC(u8, sizeof u8 - 1, NULL, "1:name\n2:张𠀀\n");
  EXPECT_ENC(u8 + 3, sizeof u8 - 4, NULL, "1:name\n2:张𠀀\n");
  EXPECT_ENC(u8, sizeof u8 - 1, "UTF8", "1:name\n2:张𠀀\n");
  EXPECT_ENC("\xEF\xBB\xBF", 3, NULL, "");
  /* Invalid in both: reported at the line where the bytes are. */
  const char bad[] = "a\nb\nc\xFF\n";
  EXPECT_ENC(bad, sizeof bad - 1, NULL, "ERR t.csv:3: 无法按 gb18030 解码的字节 (FF 0A)");
  EXPECT_ENC(bad, sizeof bad - 1, "utf-8", "ERR t.csv:3: 无法按 utf-8 解码的字节 (FF 0A)");
  const char trunc[] = "a\n" GB_ZHANG "\n\xD5";
  EXPECT_ENC(trunc, sizeof trunc - 1, NULL, "ERR t.csv:3: 无法按 gb18030 解码的字节 (D5)");
  /* A BOM means UTF-8: GBK bytes after it are an error, not a fallback. */
  const char bom_gb[] = "\xEF\xBB\xBF" "a\n" GB_ZHANG "\n";
  EXPECT_ENC(bom_gb, sizeof bom_gb - 1, NULL, "ERR t.csv:2: 无法按 utf-8 解码的字节 (D5 C5 0A)");
  /* Strict UTF-8: surrogates and overlongs are invalid under forced utf-8. */
  EXPECT_ENC("\xED\xA0\x80", 3, "utf-8", "ERR t.csv:1: 无法按 utf-8 解码的字节 (ED A0 80)");
  EXPECT_ENC("x\xC0\xAF", 3, "utf-8", "ERR t.csv:1: 无法按 utf-8 解码的字节 (C0 AF)");
  EXPECT_ENC("\xF4\x90\x80\x80", 4, "utf-8",
             "ERR t.csv:1: 无法按 utf-8 解码的字节 (F4 90 80 80)");
  EXPECT_ENC("a,b\n", 4, "latin1",
             "ERR t.csv: 不支持的编码 latin1（可用 utf-8、gb18030、gbk）");
  /* Long ASCII runs around multi-byte text go through the fast path. */
  fg_buf b = FG_BUF_INIT;
  for (int i = 0; i < 100; i++) fg_buf_adds(&b, "abcdefghijklmnopqrstuvwxyz0123456789,");
  fg_buf_adds(&b, GB_ZHANG "\n");
  char *got = parse_n(b.buf, b.len, NULL);
  assert_non_null(strstr(got, "|张\n"));
  free(got);
  fg_buf_release(&b);
}

static void test_encoding_reported(void **state) {
  (void)state;
  fg_csv *c = NULL;
  fg_err err = {0};
  const char gb[] = GB_ZHANG "\n";
  assert_int_equal(fg_csv_open_mem("x/y/t.csv", gb, 3, NULL, &c, &err), 0);
  assert_string_equal(fg_csv_encoding(c), "gb18030");
  assert_string_equal(fg_csv_name(c), "t.csv");
  assert_int_equal(fg_csv_size(c), 4); /* decoded: E5 BC A0 0A */
  fg_csv_close(c);
  assert_int_equal(fg_csv_open_mem("t.csv", "ab", 2, NULL, &c, &err), 0);
  assert_string_equal(fg_csv_encoding(c), "utf-8");
  fg_csv_close(c);
  assert_int_equal(fg_csv_open_mem("t.csv", "ab", 2, "gbk", &c, &err), 0);
  assert_string_equal(fg_csv_encoding(c), "gb18030");
  fg_csv_close(c);
}

static void test_file_open(void **state) {
  (void)state;
  char *dir = fg_test_tmpdir();
  fg_test_write(dir, "abc.csv", "abc", 3);
  fg_test_write(dir, "empty.csv", "", 0);
  fg_test_write(dir, "p.csv", "a,b\n1,2\n3,\"x\ny\"\n", (size_t)-1);
  char path[1024];
  fg_csv *c = NULL;
  fg_err err = {0};
  snprintf(path, sizeof path, "%s/abc.csv", dir);
  assert_int_equal(fg_csv_open(path, NULL, &c, &err), 0);
  uint8_t sha[32];
  char hex[65];
  fg_csv_sha256(c, sha);
  fg_hex(sha, 32, hex);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  fg_csv_close(c);
  snprintf(path, sizeof path, "%s/empty.csv", dir);
  assert_int_equal(fg_csv_open(path, NULL, &c, &err), 0);
  fg_csv_record rec;
  assert_int_equal(fg_csv_next(c, &rec, &err), 0);
  fg_csv_sha256(c, sha);
  fg_hex(sha, 32, hex);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  fg_csv_close(c);
  snprintf(path, sizeof path, "%s/p.csv", dir);
  assert_int_equal(fg_csv_open(path, NULL, &c, &err), 0);
  assert_int_equal(fg_csv_size(c), 16);
  assert_int_equal(fg_csv_offset(c), 0);
  assert_int_equal(fg_csv_next(c, &rec, &err), 1);
  assert_int_equal(fg_csv_offset(c), 4);
  assert_int_equal(fg_csv_next(c, &rec, &err), 1);
  assert_int_equal(fg_csv_next(c, &rec, &err), 1);
  assert_int_equal(rec.line, 3);
  assert_int_equal(rec.raw_n, 7);
  assert_memory_equal(rec.raw, "3,\"x\ny\"", 7);
  assert_int_equal(fg_csv_offset(c), 16);
  assert_int_equal(fg_csv_next(c, &rec, &err), 0);
  fg_csv_close(c);
  snprintf(path, sizeof path, "%s/missing.csv", dir);
  assert_int_equal(fg_csv_open(path, NULL, &c, &err), FG_EIO);
  assert_null(c);
  assert_int_equal(fg_csv_open(dir, NULL, &c, &err), FG_EINPUT); /* not a regular file */
  fg_test_rmrf(dir);
  free(dir);
}

/* b written as big.csv in a new temporary folder (returned); its path and
 * SHA-256 into path and sha. */
static char *write_big(const fg_buf *b, char path[1024], uint8_t sha[32]) {
  char *dir = fg_test_tmpdir();
  fg_test_write(dir, "big.csv", b->buf, b->len);
  snprintf(path, 1024, "%s/big.csv", dir);
  crypto_hash_sha256(sha, (const uint8_t *)b->buf, b->len);
  return dir;
}

/* b written as big.csv (write_big), opened with encoding detection, which
 * must find enc. Returns the folder. */
static char *open_big(const fg_buf *b, const char *enc, char path[1024], uint8_t sha[32],
                      fg_csv **c) {
  char *dir = write_big(b, path, sha);
  fg_err err = {0};
  assert_int_equal(fg_csv_open(path, NULL, c, &err), 0);
  assert_string_equal(fg_csv_encoding(*c), enc);
  return dir;
}

/* Big files are hashed on a background thread: same hash, same records. */
static void test_big_file_hash(void **state) {
  (void)state;
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "id,name\n");
  for (int i = 0; b.len < ((size_t)9 << 20); i++) fg_buf_addf(&b, "%d," GB_ZHANG GB_U20000 "\n", i);
  char path[1024];
  uint8_t want[32], got[32];
  fg_csv *c = NULL;
  fg_err err = {0};
  char *dir = open_big(&b, "gb18030", path, want, &c);
  fg_csv_record rec;
  int64_t n = 0;
  while (fg_csv_next(c, &rec, &err) == 1) {
    if (n > 0) assert_memory_equal(rec.f[1].s, "\xE5\xBC\xA0\xF0\xA0\x80\x80", 7);
    n++;
  }
  assert_int_equal(rec.line, n);
  fg_csv_sha256(c, got);
  assert_memory_equal(got, want, 32);
  fg_csv_close(c);
  /* Closing without asking for the hash is fine too. */
  assert_int_equal(fg_csv_open(path, "gbk", &c, &err), 0);
  fg_csv_close(c);
  fg_test_rmrf(dir);
  free(dir);
  fg_buf_release(&b);
}

/* Resident memory of this process, bytes (/proc/self/statm). */
static size_t rss_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  assert_non_null(f);
  unsigned long long size = 0, resident = 0;
  assert_int_equal(fscanf(f, "%llu %llu", &size, &resident), 2);
  fclose(f);
  return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* Opening a file validates and hashes all of it before the first record;
 * those passes hand their pages back behind them, so opening a 48 MiB file
 * does not make it resident (before, the whole file was: a city's files
 * are opened together, 5 GB at a million persons). The piecewise passes
 * give the whole file's answers: the same SHA-256, the same records, and an
 * invalid byte past the first pieces reported at its own line. */
static void test_open_hands_pages_back(void **state) {
  (void)state;
  enum { FILE_BYTES = 48 << 20 };
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "id,name\n");
  int64_t rows = 0;
  while (b.len < FILE_BYTES) {
    /* every 50,000th row a long run of 3-byte characters, so pieces of
     * 8 MiB end inside characters */
    const int chars = rows % 50000 == 7 ? 20000 : 3; /* 60 KB: within a field's limit */
    fg_buf_addf(&b, "%lld,", (long long)rows);
    for (int k = 0; k < chars; k++) fg_buf_adds(&b, "\xE5\xBC\xA0");
    fg_buf_adds(&b, "\n");
    rows++;
  }
  char path[1024];
  uint8_t want[32], got[32];
  char *dir = write_big(&b, path, want);
  fg_csv *c = NULL;
  fg_err err = {0};
  const size_t before = rss_bytes();
  assert_int_equal(fg_csv_open(path, NULL, &c, &err), 0);
  fg_csv_sha256(c, got); /* waits for the background hash */
  const size_t after = rss_bytes();
  assert_memory_equal(got, want, 32);
  assert_string_equal(fg_csv_encoding(c), "utf-8");
  assert_true(after < before + ((size_t)16 << 20));
  fg_csv_record rec;
  int64_t n = 0;
  int got_rc;
  while ((got_rc = fg_csv_next(c, &rec, &err)) == 1) n++;
  assert_int_equal(got_rc, 0);
  assert_int_equal(n, rows + 1);
  fg_csv_close(c);

  /* an invalid byte in the middle of the fourth piece */
  const size_t bad = ((size_t)25 << 20) + 5;
  size_t at = bad;
  while (b.buf[at] != '\n') at++; /* the end of that line: an ASCII byte */
  b.buf[at - 1] = (char)0xFF;
  int64_t line = 1;
  for (size_t i = 0; i < at - 1; i++) line += b.buf[i] == '\n';
  fg_test_write(dir, "big.csv", b.buf, b.len);
  assert_int_equal(fg_csv_open(path, "utf-8", &c, &err), FG_EINPUT);
  char expect[64];
  snprintf(expect, sizeof expect, "big.csv:%lld:", (long long)line);
  assert_non_null(strstr(err.msg, expect));
  assert_int_equal(fg_csv_open(path, NULL, &c, &err), FG_EINPUT); /* detected: not GB18030 either */
  fg_test_rmrf(dir);
  free(dir);
  fg_buf_release(&b);
}

/* A piece of the passes at open with no ASCII byte to cut before (9 MiB of
 * one 3-byte character, no line end): read through the mapping instead,
 * with the same answers, and an invalid byte past the first piece found. */
static void test_open_piece_without_ascii(void **state) {
  (void)state;
  fg_buf b = FG_BUF_INIT;
  while (b.len < ((size_t)9 << 20)) fg_buf_adds(&b, "\xE5\xBC\xA0");
  char path[1024];
  uint8_t want[32], got[32];
  fg_csv *c = NULL;
  fg_err err = {0};
  char *dir = open_big(&b, "utf-8", path, want, &c);
  fg_csv_sha256(c, got);
  assert_memory_equal(got, want, 32);
  fg_csv_close(c);
  b.buf[((size_t)17 << 19) + 1] = (char)0xFF; /* 8.5 MiB in: the second piece */
  fg_test_write(dir, "big.csv", b.buf, b.len);
  assert_int_equal(fg_csv_open(path, "utf-8", &c, &err), FG_EINPUT);
  assert_non_null(strstr(err.msg, "big.csv:1:"));
  assert_non_null(strstr(err.msg, "FF"));
  fg_test_rmrf(dir);
  free(dir);
  fg_buf_release(&b);
}

/* Parts of fg_csv_split, read one after another, give what one reader gives. */
static void check_split(const char *data, size_t n, int k) {
  fg_csv *c = NULL;
  fg_err err = {0};
  assert_int_equal(fg_csv_open_mem("t.csv", data, n, NULL, &c, &err), 0);
  fg_buf whole = FG_BUF_INIT, pieces = FG_BUF_INIT;
  assert_int_equal(render(c, &whole, &err), 0);
  fg_csv_close(c);
  assert_int_equal(fg_csv_open_mem("t.csv", data, n, NULL, &c, &err), 0);
  fg_csv_record rec;
  if (fg_csv_next(c, &rec, &err) == 1) fg_buf_addf(&pieces, "%lld:%.*s\n", (long long)rec.line, (int)rec.f[0].n, rec.f[0].s);
  fg_csv *parts[FG_CSV_SPLIT_PARTS_MAX];
  assert_int_equal(fg_csv_split(c, k, parts, &err), 0);
  assert_int_equal(fg_csv_next(c, &rec, &err), 0);
  uint64_t prev_end = 0;
  for (int i = 0; i < k; i++) {
    assert_true(fg_csv_begin(parts[i]) >= prev_end);
    assert_int_equal(render(parts[i], &pieces, &err), 0);
    prev_end = fg_csv_offset(parts[i]);
    fg_csv_close(parts[i]);
  }
  assert_int_equal(prev_end, fg_csv_size(c));
  fg_csv_close(c);
  assert_string_equal(whole.buf ? whole.buf : "", pieces.buf ? pieces.buf : "");
  fg_buf_release(&whole);
  fg_buf_release(&pieces);
}

static void test_split(void **state) {
  (void)state;
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "h\n");
  for (int i = 0; i < 500; i++) {
    if (i % 3 == 0) fg_buf_addf(&b, "%d,\"multi\nline \"\"%d\"\"\n\",x\r\n", i, i);
    else if (i % 5 == 0) fg_buf_addf(&b, "\n%d,\"\n\n\",\"\"\n", i);
    else fg_buf_addf(&b, "%d,plain,\"q,%d\"\n", i, i);
  }
  for (int k = 1; k <= 9; k++) check_split(b.buf, b.len, k);
  check_split("h\n", 2, 3);
  check_split("h", 1, 2);
  check_split("", 0, 4);
  check_split("h\n1\n2\n3", 7, FG_CSV_SPLIT_PARTS_MAX);
  fg_buf_release(&b);
  fg_csv *c = NULL;
  fg_err err = {0};
  assert_int_equal(fg_csv_open_mem("t.csv", "a", 1, NULL, &c, &err), 0);
  fg_csv *parts[1];
  assert_int_equal(fg_csv_split(c, 0, parts, &err), FG_EUSAGE);
  fg_csv_close(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_line_ends),       cmocka_unit_test(test_fields_and_spaces),
      cmocka_unit_test(test_quoting),         cmocka_unit_test(test_multiline_lines),
      cmocka_unit_test(test_scratch_growth),  cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_limits),          cmocka_unit_test(test_encodings),
      cmocka_unit_test(test_encoding_reported), cmocka_unit_test(test_file_open),
      cmocka_unit_test(test_split),           cmocka_unit_test(test_big_file_hash),
      cmocka_unit_test(test_open_hands_pages_back),
      cmocka_unit_test(test_open_piece_without_ascii),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
