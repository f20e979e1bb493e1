/*
 * gen_emit.c — the generator's small tools: deterministic random streams,
 * per-table output buffers with a printf-free row formatter (the hot loop
 * writes tens of millions of rows), identity numbers (GB 11643), unified
 * social credit codes (GB 32100), bank accounts, Chinese names, the city's
 * wage levels and the medical catalogue.
 */
#include <stdarg.h>
#include <string.h>

#include "fields/fields.h"
#include "gen/gen_internal.h"

/* ---- random streams ---------------------------------------------------- */

static uint64_t fg_splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void fg_gen_rng_init(fg_gen_rng *r, uint64_t seed, uint64_t stream, uint64_t index) {
  FG_ASSERT_HOT(r != NULL);
  uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
  x = fg_splitmix64(&x) ^ index;
  for (int i = 0; i < 4; i++) r->s[i] = fg_splitmix64(&x);
  FG_ASSERT_HOT(r->s[0] | r->s[1] | r->s[2] | r->s[3]);
}

static uint64_t fg_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t fg_gen_rng_u64(fg_gen_rng *r) {
  const uint64_t result = fg_rotl(r->s[1] * 5, 7) * 9;
  const uint64_t t = r->s[1] << 17;
  r->s[2] ^= r->s[0];
  r->s[3] ^= r->s[1];
  r->s[1] ^= r->s[2];
  r->s[0] ^= r->s[3];
  r->s[2] ^= t;
  r->s[3] = fg_rotl(r->s[3], 45);
  return result;
}

uint32_t fg_gen_rng_below(fg_gen_rng *r, uint32_t n) {
  FG_ASSERT_HOT(n > 0);
  return (uint32_t)(((fg_gen_rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

int64_t fg_gen_rng_range(fg_gen_rng *r, int64_t lo, int64_t hi) {
  FG_ASSERT_HOT(lo <= hi && hi - lo < (int64_t)UINT32_MAX);
  return lo + (int64_t)fg_gen_rng_below(r, (uint32_t)(hi - lo + 1));
}

bool fg_gen_rng_chance(fg_gen_rng *r, uint32_t per_mille) {
  FG_ASSERT_HOT(per_mille <= 1000);
  return fg_gen_rng_below(r, 1000) < per_mille;
}

/* ---- buffers and rows -------------------------------------------------- */

void fg_gen_out_init(fg_gen_out *o) {
  memset(o, 0, sizeof *o);
  for (int t = 0; t < FG_T_COUNT; t++) o->t[t] = (fg_buf)FG_BUF_INIT;
}

void fg_gen_out_reset(fg_gen_out *o) {
  for (int t = 0; t < FG_T_COUNT; t++) {
    fg_buf_reset(&o->t[t]);
    o->rows[t] = 0;
  }
}

void fg_gen_out_release(fg_gen_out *o) {
  for (int t = 0; t < FG_T_COUNT; t++) fg_buf_release(&o->t[t]);
}

static char *fg_put_uint(char *p, uint64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *p++ = tmp[--n];
  return p;
}

/* Fixed-point value with `frac` decimals, trailing zeros kept for money. */
static char *fg_put_fixed(char *p, int64_t v, int frac) {
  FG_ASSERT_HOT(v >= 0);
  int64_t scale = frac == 2 ? 100 : 1000;
  p = fg_put_uint(p, (uint64_t)(v / scale));
  *p++ = '.';
  int64_t f = v % scale;
  for (int64_t d = scale / 10; d >= 1; d /= 10) *p++ = (char)('0' + f / d % 10);
  return p;
}

static char *fg_put_text(char *p, const char *s) {
  if (!s) return p;
  for (; *s; s++) {
    FG_ASSERT_HOT(*s != ',' && *s != '"' && *s != '\n' && *s != '\r');
    *p++ = *s;
  }
  return p;
}

enum { FG_GEN_ROW_BYTES_MAX = 1024 };

void fg_gen_row(fg_gen_out *o, fg_table_id t, const char *fmt, ...) {
  FG_ASSERT_HOT(o != NULL && t >= 0 && t < FG_T_COUNT);
  FG_ASSERT_HOT((int)strlen(fmt) == fg_schema_table(t)->ncols);
  fg_buf *b = &o->t[t];
  fg_buf_grow(b, FG_GEN_ROW_BYTES_MAX);
  char *start = b->buf + b->len, *p = start;
  va_list ap;
  va_start(ap, fmt);
  for (const char *f = fmt; *f; f++) {
    if (f != fmt) *p++ = ',';
    switch (*f) {
    case 's': {
      const char *s = va_arg(ap, const char *);
      FG_ASSERT_HOT(!s || strlen(s) < FG_GEN_ROW_BYTES_MAX / 4);
      p = fg_put_text(p, s);
      break;
    }
    case 'i': {
      int64_t v = va_arg(ap, int64_t);
      if (v >= 0) p = fg_put_uint(p, (uint64_t)v);
      break;
    }
    case 'd': {
      fg_day d = va_arg(ap, int);
      if (d != FG_NODAY) {
        fg_format_day(d, p);
        p += 10;
      }
      break;
    }
    case 'm': {
      fg_month m = va_arg(ap, int);
      FG_ASSERT_HOT(m != FG_NOMONTH);
      fg_format_month(m, p);
      p += 7;
      break;
    }
    case 'y':
    case 'q': {
      int64_t v = va_arg(ap, int64_t);
      if (v >= 0) p = fg_put_fixed(p, v, *f == 'y' ? 2 : 3);
      break;
    }
    case 't': {
      int64_t ts = va_arg(ap, int64_t);
      fg_format_timestamp(ts, p);
      p += 19;
      break;
    }
    default:
      FG_ASSERT_HOT(!"unknown row format letter");
    }
  }
  va_end(ap);
  *p++ = '\n';
  FG_ASSERT_HOT(p - start < FG_GEN_ROW_BYTES_MAX);
  b->len += (size_t)(p - start);
  b->buf[b->len] = '\0';
  o->rows[t]++;
}

/* ---- identifiers ------------------------------------------------------- */

void fg_gen_id_make(const char prefix6[6], fg_day birth, int seq, char out[FG_GEN_ID_LEN + 1]) {
  FG_ASSERT_HOT(seq >= 0 && seq <= 999);
  memcpy(out, prefix6, 6);
  fg_format_day(birth, out + 6); /* YYYY-MM-DD, compacted below */
  char ymd[11];
  memcpy(ymd, out + 6, 11);
  memcpy(out + 6, ymd, 4);
  memcpy(out + 10, ymd + 5, 2);
  memcpy(out + 12, ymd + 8, 2);
  out[14] = (char)('0' + seq / 100);
  out[15] = (char)('0' + seq / 10 % 10);
  out[16] = (char)('0' + seq % 10);
  out[17] = fg_gb11643_check_char(out);
  out[18] = '\0';
}

void fg_gen_person_id(int64_t slot, int sex, fg_day birth, char out[FG_GEN_ID_LEN + 1]) {
  FG_ASSERT_HOT(slot >= 0 && (sex == 1 || sex == 2));
  const int64_t county = slot % fg_gen_county_count;
  const int64_t half = slot / fg_gen_county_count;
  FG_ASSERT_HOT(half < FG_GEN_SEQ_PER_SEX);
  const int seq = (int)(half * 2 + (sex == 1 ? 1 : 0));
  fg_gen_id_make(fg_gen_county_codes + county * FG_GEN_REGION_LEN, birth, seq, out);
  FG_ASSERT_HOT(fg_gb11643_valid(out, FG_GEN_ID_LEN, FG_NODAY));
}

static const char fg_gen_uscc_alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

void fg_gen_employer_id(int64_t idx, char out[FG_GEN_ID_LEN + 1]) {
  FG_ASSERT_HOT(idx >= 0);
  memcpy(out, "91", 2);
  memcpy(out + 2, fg_gen_city_regions[idx % FG_GEN_CITY_REGIONS], 6);
  int64_t v = idx * 7919 + 104729; /* spread the organisation codes */
  for (int i = 16; i >= 8; i--) {
    out[i] = fg_gen_uscc_alpha[v % 31];
    v /= 31;
  }
  out[17] = fg_gb32100_check_char(out);
  out[18] = '\0';
  FG_ASSERT_HOT(fg_gb32100_valid(out, FG_GEN_ID_LEN));
}

void fg_gen_bank_account(int64_t slot, char out[24]) {
  FG_ASSERT_HOT(slot >= 0);
  memcpy(out, "6217", 4);
  int64_t v = slot;
  for (int i = 15; i >= 4; i--) {
    out[i] = (char)('0' + v % 10);
    v /= 10;
  }
  out[16] = '\0';
}

void fg_gen_staff_id(int idx, char out[16]) {
  FG_ASSERT_HOT(idx >= 0 && idx < 10000);
  memcpy(out, "ST", 2);
  for (int i = 5; i >= 2; i--, idx /= 10) out[i] = (char)('0' + idx % 10);
  out[6] = '\0';
}

void fg_gen_inst_id(int64_t idx, char out[16]) {
  FG_ASSERT_HOT(idx >= 0 && idx < 100000);
  out[0] = 'H';
  for (int i = 5; i >= 1; i--, idx /= 10) out[i] = (char)('0' + idx % 10);
  out[6] = '\0';
}

/* ---- names ------------------------------------------------------------- */

static const char *const fg_gen_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
    "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "欧阳", "司马", "诸葛", "上官"};
static const char *const fg_gen_given_m[] = {
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏",
    "华", "飞", "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁",
    "龙", "林", "国", "建", "文", "志", "永", "海", "庆", "东", "德", "兵"};
static const char *const fg_gen_given_f[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "燕", "玲", "桂", "丹", "萍",
    "红", "梅", "莉", "婷", "雪", "琳", "慧", "倩", "颖", "佳", "欣", "怡", "月", "洁",
    "玉", "兰", "凤", "英", "云", "雅", "晶", "楠", "蕾", "璐", "瑶", "悦"};
/* Rare characters that real registers hold; 𠀀 (U+20000) is a 4-byte
 * character in GB18030, the rest are in GBK. */
static const char *const fg_gen_given_rare[] = {"堃", "喆", "玥", "淼", "燚", "犇", "𠀀", "昇"};

void fg_gen_name(fg_gen_rng *r, int sex, char out[FG_GEN_NAME_MAX]) {
  const char *const *given = sex == 1 ? fg_gen_given_m : fg_gen_given_f;
  const uint32_t ngiven = sex == 1 ? FG_ARRAY_LEN(fg_gen_given_m) : FG_ARRAY_LEN(fg_gen_given_f);
  size_t n = 0;
  const char *parts[3];
  int np = 0;
  parts[np++] = fg_gen_surnames[fg_gen_rng_below(r, FG_ARRAY_LEN(fg_gen_surnames))];
  if (fg_gen_rng_chance(r, 3))
    parts[np++] = fg_gen_given_rare[fg_gen_rng_below(r, FG_ARRAY_LEN(fg_gen_given_rare))];
  else
    parts[np++] = given[fg_gen_rng_below(r, ngiven)];
  if (fg_gen_rng_chance(r, 700)) parts[np++] = given[fg_gen_rng_below(r, ngiven)];
  for (int i = 0; i < np; i++) {
    size_t len = strlen(parts[i]);
    FG_ASSERT_HOT(n + len < FG_GEN_NAME_MAX);
    memcpy(out + n, parts[i], len);
    n += len;
  }
  out[n] = '\0';
}

/* ---- the city's wages and districts ------------------------------------ */

const char *const fg_gen_city_regions[FG_GEN_CITY_REGIONS] = {
    "410102", "410103", "410104", "410105", "410106", "410108", "410122", "410181"};

const fg_gen_agency fg_gen_agencies[FG_GEN_AGENCIES] = {
    {"A410100", "郑州市社会保险事业管理中心", "410100"},
    {"A410102", "中原区社会保险事业管理中心", "410102"},
    {"A410103", "二七区社会保险事业管理中心", "410103"},
    {"A410104", "管城回族区社会保险事业管理中心", "410104"},
    {"A410105", "金水区社会保险事业管理中心", "410105"},
    {"A410106", "上街区社会保险事业管理中心", "410106"},
    {"A410108", "惠济区社会保险事业管理中心", "410108"},
    {"A410122", "中牟县社会保险事业管理中心", "410122"},
    {"A410181", "巩义市社会保险事业管理中心", "410181"},
};

enum { FG_GEN_WAGE_BASE_YEAR = 2020, FG_GEN_WAGE_BASE_FEN = 700000, FG_GEN_WAGE_GROWTH_PCT = 5 };

int64_t fg_gen_avg_wage_fen(int year) {
  FG_ASSERT_HOT(year >= 1900 && year <= 2100);
  int64_t w = FG_GEN_WAGE_BASE_FEN;
  for (int y = FG_GEN_WAGE_BASE_YEAR; y < year; y++) w = w * (100 + FG_GEN_WAGE_GROWTH_PCT) / 100;
  for (int y = FG_GEN_WAGE_BASE_YEAR; y > year; y--) w = w * 100 / (100 + FG_GEN_WAGE_GROWTH_PCT);
  return w;
}
int64_t fg_gen_wage_floor_fen(int year) { return fg_gen_avg_wage_fen(year) * 60 / 100; }
int64_t fg_gen_wage_cap_fen(int year) { return fg_gen_avg_wage_fen(year) * 300 / 100; }

/* ---- catalogue ---------------------------------------------------------- */

const fg_gen_item fg_gen_items[FG_GEN_IT_COUNT] = {
    [FG_GEN_IT_AMOX] = {"XA0101", "阿莫西林胶囊", "drug", 'Y', 2500, 6000, 0, -1, -1},
    [FG_GEN_IT_CEFIX] = {"XA0102", "头孢克肟片", "drug", 'Y', 4800, 4000, 0, -1, -1},
    [FG_GEN_IT_IBU] = {"XA0103", "布洛芬缓释胶囊", "drug", 'Y', 1800, 4000, 0, -1, -1},
    [FG_GEN_IT_DANSHEN] = {"ZA0101", "复方丹参滴丸", "drug", 'Y', 3500, 3000, 0, -1, -1},
    [FG_GEN_IT_BLOOD] = {"JC0101", "血常规检查", "exam", 'Y', 2500, 2000, 0, -1, -1},
    [FG_GEN_IT_CT] = {"JC0102", "胸部CT平扫", "exam", 'Y', 18000, 1000, 0, -1, -1},
    [FG_GEN_IT_INFUSION] = {"ZL0101", "静脉输液", "treatment", 'Y', 1500, 6000, 0, -1, -1},
    [FG_GEN_IT_INFSET] = {"CL0101", "一次性输液器", "material", 'Y', 800, 6000, 0, -1, -1},
    [FG_GEN_IT_BED] = {"CW0101", "普通病房床位费", "bed", 'Y', 6000, 1000, 0, -1, -1},
    [FG_GEN_IT_CARE] = {"CW0102", "一级护理", "bed", 'Y', 3000, 1000, 0, -1, -1},
    [FG_GEN_IT_PSA] = {"JC0201", "前列腺特异性抗原测定", "exam", 'Y', 9000, 1000, 1, -1, -1},
    [FG_GEN_IT_CERVIX] = {"JC0202", "宫颈细胞学检查", "exam", 'Y', 12000, 1000, 2, -1, -1},
    [FG_GEN_IT_CHILD] = {"XA0201", "小儿氨酚黄那敏颗粒", "drug", 'Y', 1500, 3000, 0, -1, 14},
    [FG_GEN_IT_ADULT] = {"XA0202", "阿仑膦酸钠片", "drug", 'Y', 6000, 1000, 0, 18, -1},
    [FG_GEN_IT_OUT] = {"ZF0101", "保健滋补品", "drug", 'N', -1, -1, 0, -1, -1},
    [FG_GEN_IT_FREE] = {"XA0301", "维生素C片", "drug", 'Y', -1, -1, 0, -1, -1},
};

/* ---- staff helpers ------------------------------------------------------ */

int64_t fg_gen_worktime(const fg_gen_ctx *c, fg_gen_rng *r, fg_day day) {
  enum { FG_GEN_SEARCH_DAYS = 40, FG_GEN_FROM_S = 8 * 3600 + 1800, FG_GEN_SPAN_S = 10 * 3600 };
  for (int k = 0; !fg_config_is_workday(c->cfg, day); k++) {
    FG_ASSERT_HOT(k < FG_GEN_SEARCH_DAYS);
    day++;
  }
  return (int64_t)day * 86400 + FG_GEN_FROM_S + fg_gen_rng_range(r, 0, FG_GEN_SPAN_S);
}

void fg_gen_pick2(fg_gen_rng *r, const int *pool, int n, int *a, int *b) {
  FG_ASSERT_HOT(n >= 2);
  int i = (int)fg_gen_rng_below(r, (uint32_t)n);
  int j = (int)fg_gen_rng_below(r, (uint32_t)(n - 1));
  if (j >= i) j++;
  *a = pool[i];
  *b = pool[j];
  FG_ASSERT_HOT(*a != *b);
}
