/*
 * gen_world.c — the city's fixed parts, generated once before the persons:
 * employers, agreement institutions (open agreements covering the whole
 * history), the medical catalogue, wage-base floors and caps for every
 * district and year, the fund accounts with a lawful monthly ledger
 * (employer receipts into the income account, swept to the fiscal special
 * account of the same scheme on the month's last day; allocations to the
 * expenditure account; batch payments to banks and institutions), and the
 * agency staff (high-risk posts held for less than five years, no
 * incompatible role pairs). None of it raises a finding.
 */
#include <stdio.h>
#include <string.h>

#include "gen/gen_internal.h"

static const char *const fg_gen_schemes[] = {"110", "120", "170", "210",
                                             "310", "390", "410", "510"};
enum {
  FG_GEN_EMPLOYERS_BASE = 20,
  FG_GEN_PERSONS_PER_EMPLOYER = 50,
  FG_GEN_INST_BASE = 10,
  FG_GEN_PERSONS_PER_INST = 5000,
  FG_GEN_STAFF_BASE = 24,
  FG_GEN_PERSONS_PER_STAFF = 25000,
  FG_GEN_WAGE_YEARS_BACK = 16,
  FG_GEN_RECEIPTS_BASE = 2,
  FG_GEN_PERSONS_PER_RECEIPT = 200000,
};

static void fg_world_employers(fg_gen_ctx *c, fg_gen_out *o, fg_gen_rng *r) {
  static const char *const words[] = {"华信", "中原", "金水", "宏达", "恒通", "瑞丰", "鼎盛",
                                      "新港", "嵩山", "黄河", "绿城", "商都", "博远", "启航"};
  static const char *const kinds[] = {"科技有限公司", "建设集团有限公司", "商贸有限公司",
                                      "机械制造有限公司", "物流有限公司", "食品有限公司"};
  c->nemployers = FG_GEN_EMPLOYERS_BASE + c->opts->persons / FG_GEN_PERSONS_PER_EMPLOYER;
  for (int64_t i = 0; i < c->nemployers; i++) {
    char id[FG_GEN_ID_LEN + 1], name[128];
    fg_gen_employer_id(i, id);
    snprintf(name, sizeof name, "郑州%s%s%s第%lld分公司", words[fg_gen_rng_below(r, 14)],
             words[fg_gen_rng_below(r, 14)], kinds[fg_gen_rng_below(r, 6)], (long long)i + 1);
    fg_gen_row(o, FG_T_EMPLOYERS, "sss", id, name, fg_gen_city_regions[i % FG_GEN_CITY_REGIONS]);
  }
}

static void fg_world_institutions(fg_gen_ctx *c, fg_gen_out *o) {
  c->ninstitutions = FG_GEN_INST_BASE + c->opts->persons / FG_GEN_PERSONS_PER_INST;
  const fg_day start = fg_day_minus_years(c->hist_first_day, 3);
  for (int64_t i = 0; i < c->ninstitutions; i++) {
    char id[16], name[96];
    fg_gen_inst_id(i + 1, id);
    const bool pharmacy = i % 5 == 4;
    snprintf(name, sizeof name, pharmacy ? "郑州市第%lld大药房" : "郑州市第%lld人民医院",
             (long long)i + 1);
    fg_gen_row(o, FG_T_INSTITUTIONS, "sssddds", id, name, pharmacy ? "pharmacy" : "hospital",
               start, FG_NODAY, FG_NODAY, NULL);
  }
}

static void fg_world_catalog(fg_gen_out *o) {
  for (int i = 0; i < FG_GEN_IT_COUNT; i++) {
    const fg_gen_item *it = &fg_gen_items[i];
    char in_scope[2] = {it->in_scope, 0};
    char sex[2] = {it->sex_limit ? (char)('0' + it->sex_limit) : 0, 0};
    fg_gen_row(o, FG_T_CATALOG, "ssssyqsii", it->code, it->name, it->category, in_scope,
               it->max_price_fen, it->max_qty_milli, sex, (int64_t)it->min_age,
               (int64_t)it->max_age);
  }
}

/* (v1.3) The city's agency and one per district, the county ones under it. */
static void fg_world_agencies(fg_gen_out *o) {
  for (int k = 0; k < FG_GEN_AGENCIES; k++) {
    const fg_gen_agency *a = &fg_gen_agencies[k];
    fg_gen_row(o, FG_T_AGENCIES, "sssss", a->id, a->name, a->region, k == 0 ? "city" : "county",
               k == 0 ? NULL : fg_gen_agencies[0].id);
  }
}

static void fg_world_wage_bases(const fg_gen_ctx *c, fg_gen_out *o) {
  int y1 = fg_month_year(c->as_of_month), y0 = y1 - FG_GEN_WAGE_YEARS_BACK;
  for (int k = 0; k < FG_GEN_CITY_REGIONS; k++)
    for (int y = y0; y <= y1; y++) {
      char year[16];
      snprintf(year, sizeof year, "%04d", y);
      fg_gen_row(o, FG_T_WAGE_BASES, "ssyy", fg_gen_city_regions[k], year,
                 fg_gen_wage_floor_fen(y), fg_gen_wage_cap_fen(y));
    }
}

/* Transfer between two own accounts: the out row and its mirrored in row. */
static void fg_ledger_transfer(fg_gen_out *o, int64_t *ntxn, const char *from, const char *to,
                            fg_day day, int64_t fen, const char *purpose) {
  char t1[24], t2[24];
  snprintf(t1, sizeof t1, "TB%09lld", (long long)(*ntxn)++);
  snprintf(t2, sizeof t2, "TB%09lld", (long long)(*ntxn)++);
  fg_gen_row(o, FG_T_FUND_TRANSACTIONS, "ssdsyssss", t1, from, day, "out", fen, to, "fund", t1,
             purpose);
  fg_gen_row(o, FG_T_FUND_TRANSACTIONS, "ssdsyssss", t2, to, day, "in", fen, from, "fund", t1,
             purpose);
}

static void fg_world_ledger_month(const fg_gen_ctx *c, fg_gen_out *o, fg_gen_rng *r, int s,
                               fg_month m, int64_t *ntxn) {
  const char *sc = fg_gen_schemes[s];
  char inc[16], exp[16], fis[16], tid[24], cp[32];
  snprintf(inc, sizeof inc, "FA%s01", sc);
  snprintf(exp, sizeof exp, "FA%s02", sc);
  snprintf(fis, sizeof fis, "FA%s03", sc);
  const fg_day first = fg_month_first_day(m), last = fg_month_last_day(m);
  const int64_t receipts = FG_GEN_RECEIPTS_BASE + c->opts->persons / FG_GEN_PERSONS_PER_RECEIPT;
  int64_t sum = 0;
  for (int64_t k = 0; k < receipts; k++) {
    const int64_t fen = fg_gen_rng_range(r, 1000000, 50000000);
    snprintf(tid, sizeof tid, "TB%09lld", (long long)(*ntxn)++);
    snprintf(cp, sizeof cp, "4102%012lld", (long long)fg_gen_rng_range(r, 0, 999999));
    fg_gen_row(o, FG_T_FUND_TRANSACTIONS, "ssdsyssss", tid, inc,
               first + (fg_day)fg_gen_rng_range(r, 0, last - first - 1), "in", fen, cp,
               "employer", NULL, NULL);
    sum += fen;
  }
  fg_ledger_transfer(o, ntxn, inc, fis, last, sum, "sweep");
  fg_ledger_transfer(o, ntxn, fis, exp, last, sum * 9 / 10, "allocate");
  snprintf(tid, sizeof tid, "TB%09lld", (long long)(*ntxn)++);
  const bool medical = strcmp(sc, "310") == 0 || strcmp(sc, "390") == 0;
  fg_gen_row(o, FG_T_FUND_TRANSACTIONS, "ssdsyssss", tid, exp, last, "out", sum * 8 / 10,
             medical ? "H00001" : "BATCH-0001", medical ? "institution" : "bank", NULL,
             "payment");
}

static void fg_world_fund(const fg_gen_ctx *c, fg_gen_out *o, fg_gen_rng *r) {
  static const char *const kinds[] = {"income", "expenditure", "fiscal_special"};
  const fg_day opened = c->hist_first_day - 365;
  for (size_t s = 0; s < FG_ARRAY_LEN(fg_gen_schemes); s++)
    for (int k = 0; k < 3; k++) {
      char acct[16];
      snprintf(acct, sizeof acct, "FA%s%02d", fg_gen_schemes[s], k + 1);
      fg_gen_row(o, FG_T_FUND_ACCOUNTS, "sssyd", acct, fg_gen_schemes[s], kinds[k],
                 k == 0 ? (int64_t)0 : (int64_t)100000000, opened);
    }
  int64_t ntxn = 0;
  for (fg_month m = c->hist_first_month; fg_month_last_day(m) <= c->as_of; m++)
    for (size_t s = 0; s < FG_ARRAY_LEN(fg_gen_schemes); s++)
      fg_world_ledger_month(c, o, r, (int)s, m, &ntxn);
}

static void fg_world_staff(fg_gen_ctx *c, fg_gen_out *o, fg_gen_rng *r) {
  static const char *const roles[] = {"handler", "reviewer", "approver", "handler",
                                      "reviewer", "accountant", "cashier", "supervisor",
                                      "sysadmin", "dbadmin"};
  static const char *const posts[] = {"待遇经办岗", "待遇复核岗", "业务审批岗", "参保登记岗",
                                      "稽核复核岗", "基金会计岗", "基金出纳岗", "内控监督岗",
                                      "系统管理岗", "数据库管理岗"};
  c->nstaff = FG_GEN_STAFF_BASE + (int)(c->opts->persons / FG_GEN_PERSONS_PER_STAFF);
  const fg_day recent_from = fg_day_minus_years(c->as_of, 5) + 1;
  for (int i = 0; i < c->nstaff; i++) {
    const int k = i % (int)FG_ARRAY_LEN(roles);
    const bool high = k <= 6;
    const fg_day since = high ? (fg_day)fg_gen_rng_range(r, recent_from, c->as_of - 30)
                              : c->as_of - (fg_day)fg_gen_rng_range(r, 30, 15 * 365);
    char id[16], name[FG_GEN_NAME_MAX];
    fg_gen_staff_id(i + 1, id);
    fg_gen_name(r, 1 + (int)fg_gen_rng_below(r, 2), name);
    fg_gen_row(o, FG_T_STAFF, "ssssdsss", id, name, NULL, posts[k], since, high ? "Y" : "N",
               roles[k], fg_gen_agencies[i % FG_GEN_AGENCIES].id);
    int *pool = k == 0 || k == 3 ? c->handlers : k == 1 || k == 4 ? c->reviewers
                : k == 2                       ? c->approvers
                                               : NULL;
    int *n = k == 0 || k == 3 ? &c->nhandlers : k == 1 || k == 4 ? &c->nreviewers
             : k == 2                         ? &c->napprovers
                                              : NULL;
    if (pool && *n < 64) pool[(*n)++] = i + 1;
  }
  FG_ASSERT(c->nhandlers >= 2 && c->nreviewers >= 2 && c->napprovers >= 2);
}

void fg_gen_world(fg_gen_ctx *c, fg_gen_out *o) {
  fg_gen_rng r;
  fg_gen_rng_init(&r, c->opts->seed, FG_GEN_STREAM_WORLD, 0);
  fg_world_employers(c, o, &r);
  fg_world_institutions(c, o);
  fg_world_catalog(o);
  fg_world_wage_bases(c, o);
  fg_world_agencies(o);
  fg_world_fund(c, o, &r);
  fg_world_staff(c, o, &r);
}
