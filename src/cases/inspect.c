/*
 * inspect.c — on-site inspections (现场监督) and rectification (整改),
 * cases.md and GZ arts. 8, 11, 13: the yearly plan drawn from a seed the
 * planner cannot choose, inspections opened with at least two inspectors
 * none of whom works for the inspected agency and a notice at least three
 * days ahead, problems entered in the rectification ledger, and each
 * problem closed only by a reviewed proposal with its evidence (逐一销号).
 *
 * The draw (fg_inspect_draw, documented in docs/cases.md): the seed is the
 * Merkle root of the journal when the plan is made (its entry count is
 * journaled with it, so anyone can recompute the root from the journal);
 * every city-level agency is in the plan; the county-level ones are ordered
 * by SHA-256(seed || agency_id) and the first ceil(n / 5) are taken (at
 * least 20%, rounded up). Same seed and agencies, same plan:
 * `inspection replay` recomputes both the root and the draw.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cases/cases_impl.h"
#include "common/fsout.h"
#include "common/sha256.h"
#include "journal/json.h"

#define FG_INSPECT_AGENCIES_MAX 512
#define FG_INSPECT_NOTICE_DAYS_MIN 3 /* GZ 11(一) */
#define FG_INSPECT_INSPECTORS_MIN 2  /* GZ 8 */
#define FG_INSPECT_INSPECTORS_MAX 16

typedef struct fg_inspect_agency {
  char id[FG_STORE_AGENCY_MAX];
  bool city;
  uint8_t key[32];
} fg_inspect_agency;

typedef struct fg_inspect_agencies {
  fg_inspect_agency v[FG_INSPECT_AGENCIES_MAX];
  int n;
  bool overflow;
} fg_inspect_agencies;

static int fg_inspect_agency_row(void *ud, int64_t rowid, const fg_value *vals) {
  (void)rowid;
  fg_inspect_agencies *a = ud;
  const fg_table *t = fg_schema_table(FG_T_AGENCIES);
  const fg_value *id = &vals[fg_schema_col(t, "agency_id")];
  const fg_value *level = &vals[fg_schema_col(t, "level")];
  if (a->n == FG_INSPECT_AGENCIES_MAX) {
    a->overflow = true;
    return 0;
  }
  fg_inspect_agency *x = &a->v[a->n++];
  snprintf(x->id, sizeof x->id, "%.*s", id->n, id->s ? id->s : "");
  x->city = level->s && level->n == 4 && memcmp(level->s, "city", 4) == 0;
  return 0;
}

static int fg_inspect_key_cmp(const void *a, const void *b) {
  const fg_inspect_agency *x = a, *y = b;
  if (x->city != y->city) return x->city ? -1 : 1; /* city-level first */
  const int c = x->city ? 0 : memcmp(x->key, y->key, 32);
  return c ? c : strcmp(x->id, y->id);
}

static int fg_inspect_id_cmp(const void *a, const void *b) {
  const fg_inspect_agency *x = a, *y = b;
  return strcmp(x->id, y->id);
}

int fg_inspect_draw(const uint8_t seed[32], const char *const *ids, const bool *city, int n,
                    fg_buf *out) {
  FG_ASSERT(seed != NULL && out != NULL && n >= 0 && n <= FG_INSPECT_AGENCIES_MAX);
  fg_inspect_agency *v = fg_xcalloc((size_t)n + 1, sizeof *v);
  int ncounty = 0;
  for (int i = 0; i < n; i++) {
    snprintf(v[i].id, sizeof v[i].id, "%s", ids[i]);
    v[i].city = city[i];
    ncounty += !city[i];
    fg_sha256_ctx c;
    fg_sha256_init(&c);
    fg_sha256_update(&c, seed, 32);
    fg_sha256_update(&c, v[i].id, strlen(v[i].id));
    fg_sha256_final(&c, v[i].key);
  }
  qsort(v, (size_t)n, sizeof *v, fg_inspect_key_cmp);
  const int take = (ncounty + 4) / 5; /* at least 20%, rounded up */
  int ncity = 0;
  while (ncity < n && v[ncity].city) ncity++;
  const int chosen = ncity + take;
  FG_ASSERT(chosen <= n && take * 5 >= ncounty);
  qsort(v, (size_t)chosen, sizeof *v, fg_inspect_id_cmp);
  for (int i = 0; i < chosen; i++) fg_buf_addf(out, "%s%s", i ? "," : "", v[i].id);
  if (chosen == 0) fg_buf_adds(out, "");
  free(v);
  return chosen;
}

/* The draw over the agencies imported now. */
static int fg_inspect_draw_store(fg_store *s, const uint8_t seed[32], fg_buf *out, fg_err *err) {
  fg_inspect_agencies *a = fg_xcalloc(1, sizeof *a);
  int rc = fg_store_scan(s, FG_T_AGENCIES, fg_inspect_agency_row, a, err);
  if (rc == 0 && a->overflow)
    rc = fg_errf(err, FG_ELIMIT, "经办机构超过 %d 个", FG_INSPECT_AGENCIES_MAX);
  if (rc == 0 && a->n == 0) rc = fg_errf(err, FG_EINPUT, "尚未导入经办机构 (agencies.csv)");
  if (rc == 0) {
    const char *ids[FG_INSPECT_AGENCIES_MAX];
    bool city[FG_INSPECT_AGENCIES_MAX];
    for (int i = 0; i < a->n; i++) ids[i] = a->v[i].id, city[i] = a->v[i].city;
    fg_inspect_draw(seed, ids, city, a->n, out);
  }
  free(a);
  return rc;
}

static bool fg_inspect_hex32(const char *hex, uint8_t out[32]) {
  size_t bin = 0;
  return hex != NULL && strlen(hex) == 64 &&
         sodium_hex2bin(out, 32, hex, 64, NULL, &bin, NULL) == 0 && bin == 32;
}

/* ---- plan, replan (reviewed), replay ---------------------------------------- */

static char *fg_inspect_plan_payload(int year, const char *seed, int64_t size,
                                     const char *agencies, const char *reason) {
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "{\"agencies\":");
  fg_journal_json_add_str(&b, agencies, strlen(agencies));
  if (reason) {
    fg_buf_adds(&b, ",\"reason\":");
    fg_journal_json_add_str(&b, reason, strlen(reason));
  }
  fg_buf_addf(&b, ",\"seed\":\"%s\",\"seed_size\":%lld,\"year\":%d}", seed, (long long)size, year);
  return fg_buf_detach(&b);
}

/* The seed and draw of now: the journal's root over all its entries. */
static int fg_inspect_draw_now(fg_store *s, char seed[65], int64_t *size, fg_buf *agencies,
                               fg_err *err) {
  uint8_t root[32];
  int rc = fg_journal_root_at(s, 0, root, size, err);
  if (rc == 0) fg_hex(root, 32, seed);
  return rc ? rc : fg_inspect_draw_store(s, root, agencies, err);
}

int fg_inspect_plan(fg_case_ctx *x, int year, const char *replan_reason, fg_inspect_plan_result *r,
                    fg_err *err) {
  FG_ASSERT(x != NULL && r != NULL);
  memset(r, 0, sizeof *r);
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_INSPECTION_MANAGE, err);
  fg_store_plan_row old;
  int64_t count = 0;
  if (rc == 0 && (year < 2000 || year > 2099))
    rc = fg_errf(err, FG_EINPUT, "--year 应为 2000 至 2099 (%d)", year);
  if (rc == 0) rc = fg_store_plan_latest(x->s, year, &old, &count, err);
  if (rc == 0 && count > 0 && (replan_reason == NULL || !replan_reason[0]))
    rc = fg_errf(err, FG_EINPUT,
                 "%d 年已有计划（第 %lld 号）：同一年度的第二个计划须经复核，请用 --replan --reason 提议",
                 year, (long long)old.id);
  if (rc == 0 && count == 0 && replan_reason)
    rc = fg_errf(err, FG_EINPUT, "%d 年还没有计划，无须 --replan", year);
  if (rc) return fg_case_refuse(x, "inspection_plan", 0, err);
  fg_buf agencies = FG_BUF_INIT;
  rc = fg_inspect_draw_now(x->s, r->seed, &r->seed_size, &agencies, err);
  char *payload = rc == 0 ? fg_inspect_plan_payload(year, r->seed, r->seed_size,
                                                    agencies.buf ? agencies.buf : "",
                                                    replan_reason)
                          : NULL;
  if (rc == 0 && replan_reason) {
    rc = fg_review_propose(x->s, x->cfg, x->me, FG_REVIEW_INSPECTION_REPLAN, payload,
                           fg_beijing_now_s(), &r->proposal_id, err);
  } else if (rc == 0) {
    fg_store_plan p = {year, r->seed, r->seed_size, agencies.buf ? agencies.buf : "",
                       x->me->actor, 0};
    int64_t seq = 0;
    rc = fg_store_begin(x->s, err);
    if (rc == 0) rc = fg_journal_next_seq(x->s, &seq, err);
    if (rc == 0) rc = fg_store_plan_add(x->s, &p, seq, err);
    if (rc == 0) rc = fg_journal_append(x->s, x->me, "inspection.plan", payload, strlen(payload),
                                        NULL, err);
    if (rc == 0) rc = fg_store_commit(x->s, err);
    if (rc) fg_store_rollback(x->s);
  }
  if (rc == 0) snprintf(r->agencies, sizeof r->agencies, "%s", agencies.buf ? agencies.buf : "");
  free(payload);
  fg_buf_release(&agencies);
  return rc;
}

int fg_inspect_replay(fg_case_ctx *x, int year, fg_inspect_plan_result *r, bool *same,
                      fg_err *err) {
  FG_ASSERT(x != NULL && r != NULL && same != NULL);
  memset(r, 0, sizeof *r);
  *same = false;
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_INSPECTION_MANAGE, err);
  if (rc) return fg_case_refuse(x, "inspection_replay", 0, err);
  fg_store_plan_row p;
  int64_t count = 0;
  rc = fg_store_plan_latest(x->s, year, &p, &count, err);
  if (rc == 0 && count == 0) rc = fg_errf(err, FG_EINPUT, "%d 年没有计划", year);
  uint8_t root[32], seed[32];
  int64_t size = 0;
  if (rc == 0) rc = fg_journal_root_at(x->s, p.seed_size, root, &size, err);
  if (rc == 0 && !fg_inspect_hex32(p.seed, seed))
    rc = fg_errf(err, FG_EVERIFY, "计划的种子格式无效");
  fg_buf agencies = FG_BUF_INIT;
  if (rc == 0) rc = fg_inspect_draw_store(x->s, seed, &agencies, err);
  if (rc == 0) {
    snprintf(r->seed, sizeof r->seed, "%s", p.seed);
    r->seed_size = p.seed_size;
    snprintf(r->agencies, sizeof r->agencies, "%s", agencies.buf ? agencies.buf : "");
    *same = memcmp(root, seed, 32) == 0 && strcmp(r->agencies, p.agencies) == 0;
    snprintf(r->stored, sizeof r->stored, "%s", p.agencies);
  }
  fg_buf_release(&agencies);
  return rc;
}

/* inspection_replan: the payload's draw must be the one its seed gives. */
static int fg_inspect_replan_check(fg_store *s, const char *payload, fg_err *err) {
  fg_journal_json *v = NULL;
  fg_err jerr = {0};
  if (fg_journal_json_parse(payload, strlen(payload), &v, &jerr) != 0)
    return fg_errf(err, FG_EINPUT, "提议内容不是 JSON: %s", jerr.msg);
  const fg_journal_json *seed = fg_journal_json_get(v, "seed"), *ag = fg_journal_json_get(v, "agencies");
  const fg_journal_json *size = fg_journal_json_get(v, "seed_size");
  uint8_t want[32], root[32];
  int64_t n = 0;
  int rc = seed && ag && size && seed->type == FG_JSON_STR && ag->type == FG_JSON_STR &&
                   size->type == FG_JSON_INT && fg_inspect_hex32(seed->s, want)
               ? fg_journal_root_at(s, size->i, root, &n, err)
               : fg_errf(err, FG_EINPUT, "提议内容不完整 (seed, seed_size, agencies)");
  fg_buf draw = FG_BUF_INIT;
  if (rc == 0 && memcmp(root, want, 32) != 0)
    rc = fg_errf(err, FG_EVERIFY, "计划的种子不是日志前 %lld 条的树根", (long long)size->i);
  if (rc == 0) rc = fg_inspect_draw_store(s, want, &draw, err);
  if (rc == 0 && strcmp(draw.buf ? draw.buf : "", ag->s) != 0)
    rc = fg_errf(err, FG_EVERIFY, "计划的抽取结果与种子不符");
  fg_buf_release(&draw);
  fg_journal_json_free(v);
  return rc;
}

static int fg_inspect_replan_apply(fg_store *s, const fg_store_proposal *pr, const fg_signer *by,
                                   int64_t jseq, fg_err *err) {
  fg_journal_json *v = NULL;
  fg_err jerr = {0};
  if (fg_journal_json_parse(pr->payload, strlen(pr->payload), &v, &jerr) != 0)
    return fg_errf(err, FG_EINPUT, "提议内容不是 JSON: %s", jerr.msg);
  const fg_journal_json *year = fg_journal_json_get(v, "year"), *seed = fg_journal_json_get(v, "seed");
  const fg_journal_json *size = fg_journal_json_get(v, "seed_size"), *ag = fg_journal_json_get(v, "agencies");
  fg_store_plan p = {(int)year->i, seed->s, size->i, ag->s, pr->proposer, pr->id};
  (void)by;
  int rc = fg_store_plan_add(s, &p, jseq, err);
  fg_journal_json_free(v);
  return rc;
}

/* ---- inspections and problems ------------------------------------------------ */

/* Each inspector: a platform user who does not work for the inspected agency. */
static int fg_inspect_inspectors(fg_case_ctx *x, const char *agency, const char *list, fg_err *err) {
  int n = 0;
  char seen[FG_INSPECT_INSPECTORS_MAX][FG_STORE_USER_MAX];
  for (const char *p = list; *p;) {
    const size_t len = strcspn(p, ",");
    if (len == 0 || len >= FG_STORE_USER_MAX || n == FG_INSPECT_INSPECTORS_MAX)
      return fg_errf(err, FG_EINPUT, "--inspectors 应为逗号分隔的用户名 (%s)", list);
    snprintf(seen[n], FG_STORE_USER_MAX, "%.*s", (int)len, p);
    for (int k = 0; k < n; k++)
      if (strcmp(seen[k], seen[n]) == 0) return fg_errf(err, FG_EINPUT, "检查人员 %s 重复", seen[n]);
    fg_store_user u;
    bool found = false;
    int rc = fg_store_user_get(x->s, seen[n], &u, &found, err);
    if (rc) return rc;
    if (!found) return fg_errf(err, FG_EINPUT, "检查人员 %s 不是平台用户", seen[n]);
    if (strcmp(u.agency, agency) == 0)
      return fg_errf(err, FG_EINPUT, "检查人员 %s 属于被检查的经办机构 %s，应当回避", seen[n], agency);
    n++;
    p += len + (p[len] == ',');
  }
  if (n < FG_INSPECT_INSPECTORS_MIN)
    return fg_errf(err, FG_EINPUT, "现场检查人员不得少于 %d 人（%d 人）", FG_INSPECT_INSPECTORS_MIN, n);
  return 0;
}

int fg_inspect_open(fg_case_ctx *x, const char *agency, const char *inspectors, fg_day notice_on,
                    fg_day start_on, int64_t *id, fg_err *err) {
  FG_ASSERT(x != NULL && agency != NULL && inspectors != NULL && id != NULL);
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_INSPECTION_MANAGE, err);
  if (rc == 0 && fg_store_count_key(x->s, FG_T_AGENCIES, agency) <= 0)
    rc = fg_errf(err, FG_EINPUT, "经办机构 %s 不在已导入的 agencies 中", agency);
  if (rc == 0) rc = fg_inspect_inspectors(x, agency, inspectors, err);
  if (rc == 0 && start_on - notice_on < FG_INSPECT_NOTICE_DAYS_MIN)
    rc = fg_errf(err, FG_EINPUT, "检查通知须至少提前 %d 天（通知 %d 天前）", FG_INSPECT_NOTICE_DAYS_MIN,
                 start_on - notice_on);
  if (rc) return fg_case_refuse(x, "inspection_open", 0, err);
  char n[11], s[11];
  fg_format_day(notice_on, n);
  fg_format_day(start_on, s);
  fg_store_inspection ins = {agency, inspectors, n, s, x->me->actor};
  fg_buf p = FG_BUF_INIT;
  fg_buf_adds(&p, "{\"agency\":");
  fg_journal_json_add_str(&p, agency, strlen(agency));
  fg_buf_adds(&p, ",\"inspectors\":");
  fg_journal_json_add_str(&p, inspectors, strlen(inspectors));
  fg_buf_addf(&p, ",\"notice_on\":\"%s\",\"start_on\":\"%s\"}", n, s);
  int64_t seq = 0;
  rc = fg_store_begin(x->s, err);
  if (rc == 0) rc = fg_journal_next_seq(x->s, &seq, err);
  if (rc == 0) rc = fg_store_inspection_add(x->s, &ins, seq, id, err);
  if (rc == 0) rc = fg_journal_append(x->s, x->me, "inspection.open", p.buf, p.len, NULL, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  fg_buf_release(&p);
  return rc;
}

int fg_inspect_problem(fg_case_ctx *x, int64_t inspection, const char *text, fg_day due_on,
                       int64_t amount_fen, int64_t *id, fg_err *err) {
  fg_store_inspection_row ins;
  bool found = false;
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_INSPECTION_MANAGE, err);
  if (rc == 0) rc = fg_store_inspection_get(x->s, inspection, &ins, &found, err);
  if (rc == 0 && !found) rc = fg_errf(err, FG_EINPUT, "现场检查 #%lld 不存在", (long long)inspection);
  if (rc == 0 && (text == NULL || !text[0] || strlen(text) >= FG_CASE_TEXT_MAX))
    rc = fg_errf(err, FG_EINPUT, "须写明问题 (--text)，不超过 %d 字节", FG_CASE_TEXT_MAX - 1);
  if (rc == 0 && due_on <= x->today) rc = fg_errf(err, FG_EINPUT, "整改期限应晚于今天");
  if (rc == 0 && amount_fen < 0) rc = fg_errf(err, FG_EINPUT, "金额不能为负");
  if (rc) return fg_case_refuse(x, "inspection_problem", 0, err);
  char due[11];
  fg_format_day(due_on, due);
  fg_store_problem pr = {inspection, text, due, amount_fen, x->me->actor};
  fg_buf p = FG_BUF_INIT;
  fg_buf_addf(&p, "{\"amount_fen\":%lld,\"due_on\":\"%s\",\"inspection\":%lld,\"text\":",
              (long long)amount_fen, due, (long long)inspection);
  fg_journal_json_add_str(&p, text, strlen(text));
  fg_buf_addc(&p, '}');
  int64_t seq = 0;
  rc = fg_store_begin(x->s, err);
  if (rc == 0) rc = fg_journal_next_seq(x->s, &seq, err);
  if (rc == 0) rc = fg_store_problem_add(x->s, &pr, seq, id, err);
  if (rc == 0) rc = fg_journal_append(x->s, x->me, "inspection.problem", p.buf, p.len, NULL, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  fg_buf_release(&p);
  return rc;
}

/* ---- rectification: close a problem by review (逐一销号) ---------------------- */

typedef struct fg_inspect_find {
  char agency[FG_STORE_AGENCY_MAX], closed_on[11];
  bool found;
} fg_inspect_find;

static int fg_inspect_find_one(void *ud, const fg_store_problem_row *r) {
  fg_inspect_find *f = ud;
  f->found = true;
  snprintf(f->agency, sizeof f->agency, "%s", r->agency);
  snprintf(f->closed_on, sizeof f->closed_on, "%s", r->closed_on);
  return 0;
}

static int fg_inspect_problem_get(fg_store *s, int64_t id, fg_inspect_find *f, fg_err *err) {
  memset(f, 0, sizeof *f);
  int rc = id > 0 ? fg_store_problems_each(s, 0, id, fg_inspect_find_one, f, err) : 0;
  if (rc == 0 && !f->found) rc = fg_errf(err, FG_EINPUT, "整改问题 #%lld 不存在", (long long)id);
  if (rc == 0 && f->closed_on[0])
    rc = fg_errf(err, FG_EINPUT, "整改问题 #%lld 已于 %s 销号", (long long)id, f->closed_on);
  return rc;
}

int fg_rectify_propose_close(fg_case_ctx *x, int64_t problem, const char *evidence_path,
                             const char *text, int64_t *proposal_id, fg_err *err) {
  FG_ASSERT(x != NULL && proposal_id != NULL);
  fg_inspect_find f;
  const char *perm = x->agency[0] ? FG_PERM_CASE_HANDLE : FG_PERM_INSPECTION_MANAGE;
  int rc = fg_authz_check(x->s, x->me->actor, perm, err);
  if (rc == 0) rc = fg_inspect_problem_get(x->s, problem, &f, err);
  if (rc == 0 && x->agency[0] && strcmp(x->agency, f.agency) != 0)
    rc = fg_errf(err, FG_EPERM, "权限不足: 整改问题 #%lld 属于经办机构 %s", (long long)problem, f.agency);
  if (rc == 0 && (evidence_path == NULL || text == NULL || !text[0]))
    rc = fg_errf(err, FG_EINPUT, "销号须附整改证明材料 (--evidence FILE) 并说明 (--text)");
  char *bytes = NULL, hex[65] = "";
  size_t n = 0;
  if (rc == 0) rc = fg_file_read(evidence_path, FG_CASE_ATTACH_BYTES_MAX, &bytes, &n, err);
  if (rc) {
    free(bytes);
    return fg_case_refuse(x, "rectify_close", problem, err);
  }
  uint8_t d[32];
  fg_sha256(bytes, n, d);
  fg_hex(d, 32, hex);
  /* the evidence is stored first, in its own journaled act */
  fg_buf p = FG_BUF_INIT;
  fg_buf_addf(&p, "{\"problem\":%lld,\"sha256\":\"%s\"}", (long long)problem, hex);
  int64_t seq = 0;
  const char *base = strrchr(evidence_path, '/');
  rc = fg_store_begin(x->s, err);
  if (rc == 0) rc = fg_journal_next_seq(x->s, &seq, err);
  if (rc == 0 && !fg_store_case_file_has(x->s, hex))
    rc = fg_store_case_file_add(x->s, hex, base ? base + 1 : evidence_path, bytes, n, seq, err);
  if (rc == 0) rc = fg_journal_append(x->s, x->me, "rectify.evidence", p.buf, p.len, NULL, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  free(bytes);
  fg_buf_reset(&p);
  fg_buf_addf(&p, "{\"evidence_sha256\":\"%s\",\"problem\":%lld,\"text\":", hex, (long long)problem);
  fg_journal_json_add_str(&p, text, strlen(text));
  fg_buf_addc(&p, '}');
  if (rc == 0)
    rc = fg_review_propose_checked(x->s, x->cfg, x->me, FG_REVIEW_RECTIFY_CLOSE, p.buf,
                                   fg_beijing_now_s(), proposal_id, err);
  fg_buf_release(&p);
  return rc;
}

static int fg_rectify_read(fg_store *s, const char *payload, fg_journal_json **v, int64_t *problem,
                           const char **sha, const char **text, fg_err *err) {
  fg_err jerr = {0};
  if (fg_journal_json_parse(payload, strlen(payload), v, &jerr) != 0)
    return fg_errf(err, FG_EINPUT, "提议内容不是 JSON: %s", jerr.msg);
  const fg_journal_json *pr = fg_journal_json_get(*v, "problem"), *h = fg_journal_json_get(*v, "evidence_sha256");
  const fg_journal_json *t = fg_journal_json_get(*v, "text");
  if (!pr || pr->type != FG_JSON_INT || !h || h->type != FG_JSON_STR || !t || t->type != FG_JSON_STR)
    return fg_errf(err, FG_EINPUT, "提议内容不完整 (problem, evidence_sha256, text)");
  *problem = pr->i;
  *sha = h->s;
  *text = t->s;
  if (!fg_store_case_file_has(s, h->s))
    return fg_errf(err, FG_EINPUT, "整改证明材料 %s 未存入", h->s);
  fg_inspect_find f;
  return fg_inspect_problem_get(s, pr->i, &f, err);
}

static int fg_rectify_check(fg_store *s, const char *payload, fg_err *err) {
  fg_journal_json *v = NULL;
  int64_t problem = 0;
  const char *sha = NULL, *text = NULL;
  int rc = fg_rectify_read(s, payload, &v, &problem, &sha, &text, err);
  fg_journal_json_free(v);
  return rc;
}

static int fg_rectify_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                            int64_t jseq, fg_err *err) {
  fg_journal_json *v = NULL;
  int64_t problem = 0;
  const char *sha = NULL, *text = NULL;
  int rc = fg_rectify_read(s, p->payload, &v, &problem, &sha, &text, err);
  char on[11];
  fg_format_day(fg_beijing_today(), on);
  fg_store_closure c = {problem, text, sha, on, p->id, p->proposer, by->actor};
  if (rc == 0) rc = fg_store_problem_close(s, &c, jseq, err);
  fg_journal_json_free(v);
  return rc;
}

int fg_inspect_register(void) {
  int rc = fg_review_set_checker(FG_REVIEW_RECTIFY_CLOSE, fg_rectify_check);
  if (rc == 0) rc = fg_review_set_applier(FG_REVIEW_RECTIFY_CLOSE, fg_rectify_apply);
  if (rc == 0) rc = fg_review_set_checker(FG_REVIEW_INSPECTION_REPLAN, fg_inspect_replan_check);
  if (rc == 0) rc = fg_review_set_applier(FG_REVIEW_INSPECTION_REPLAN, fg_inspect_replan_apply);
  return rc;
}

/* ---- the rectification ledger (问题整改台账) ------------------------------------ */

typedef struct fg_rectify_ctx {
  fg_case_ctx *x;
  fg_rectify_fn fn;
  void *ud;
} fg_rectify_ctx;

static int fg_rectify_one(void *ud, const fg_store_problem_row *r) {
  fg_rectify_ctx *c = ud;
  if (c->x->agency[0] && strcmp(c->x->agency, r->agency) != 0) return 0;
  fg_day due = FG_NODAY, closed = FG_NODAY;
  fg_parse_day(r->due_on, (int)strlen(r->due_on), &due);
  if (r->closed_on[0]) fg_parse_day(r->closed_on, (int)strlen(r->closed_on), &closed);
  const bool overdue = closed == FG_NODAY ? c->x->today > due : closed > due;
  return c->fn(c->ud, r, overdue);
}

/* The ledger as xlsx: Chinese headers, frozen header row, autofilter. */
typedef struct fg_rectify_sheet {
  lxw_worksheet *ws;
  lxw_format *money;
  lxw_row_t row;
} fg_rectify_sheet;

static int fg_rectify_xlsx_row(void *ud, const fg_store_problem_row *r, bool overdue) {
  fg_rectify_sheet *sh = ud;
  if (sh->row >= LXW_ROW_MAX - 1) return FG_ELIMIT;
  const lxw_row_t i = ++sh->row;
  worksheet_write_number(sh->ws, i, 0, (double)r->id, NULL);
  worksheet_write_number(sh->ws, i, 1, (double)r->inspection, NULL);
  worksheet_write_string(sh->ws, i, 2, r->agency, NULL);
  worksheet_write_string(sh->ws, i, 3, r->text, NULL);
  worksheet_write_number(sh->ws, i, 4, (double)r->amount_fen / 100.0, sh->money);
  worksheet_write_string(sh->ws, i, 5, r->due_on, NULL);
  worksheet_write_string(sh->ws, i, 6, r->closed_on[0] ? "closed" : "open", NULL);
  worksheet_write_string(sh->ws, i, 7, r->closed_on, NULL);
  worksheet_write_string(sh->ws, i, 8, overdue ? "Y" : "N", NULL);
  return 0;
}

int fg_rectify_xlsx(fg_case_ctx *x, const char *path, int64_t *rows, fg_err *err) {
  static const char *const head[] = {"问题编号 problem_id", "检查编号 inspection_id", "经办机构 agency",
                                     "问题 text", "涉及金额(元) amount", "整改期限 due_on",
                                     "状态 state", "销号日期 closed_on", "逾期 overdue"};
  fg_fsout o;
  lxw_workbook *wb = fg_case_xlsx_open(path, &o, err);
  if (wb == NULL) return err->code ? err->code : FG_EIO;
  fg_rectify_sheet sh = {workbook_add_worksheet(wb, "问题整改台账"), workbook_add_format(wb), 0};
  format_set_num_format(sh.money, "0.00");
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (int c = 0; c < 9; c++) worksheet_write_string(sh.ws, 0, (lxw_col_t)c, head[c], bold);
  worksheet_freeze_panes(sh.ws, 1, 0);
  int rc = fg_rectify_list(x, fg_rectify_xlsx_row, &sh, err);
  worksheet_autofilter(sh.ws, 0, 0, sh.row, 8);
  *rows = sh.row;
  return fg_case_xlsx_close(wb, &o, path, rc, err);
}

int fg_rectify_list(fg_case_ctx *x, fg_rectify_fn fn, void *ud, fg_err *err) {
  const char *perm = x->agency[0] ? FG_PERM_CASE_READ : FG_PERM_INSPECTION_MANAGE;
  int rc = fg_authz_check(x->s, x->me->actor, perm, err);
  if (rc) return fg_case_refuse(x, "rectify_list", 0, err);
  fg_rectify_ctx c = {x, fn, ud};
  return fg_store_problems_each(x->s, 0, 0, fg_rectify_one, &c, err);
}

/* ---- documents: notice, feedback letter, supervision report -------------------- */

typedef struct fg_inspect_doc {
  fg_buf *b;
  int64_t open, closed, overdue, amount_fen;
  fg_day today;
} fg_inspect_doc;

static int fg_inspect_doc_problem(void *ud, const fg_store_problem_row *r) {
  fg_inspect_doc *d = ud;
  fg_day due = FG_NODAY;
  fg_parse_day(r->due_on, (int)strlen(r->due_on), &due);
  const bool closed = r->closed_on[0] != '\0';
  d->closed += closed;
  d->open += !closed;
  d->overdue += !closed && d->today > due;
  d->amount_fen += r->amount_fen;
  char yuan[32];
  fg_fen_to_yuan(r->amount_fen, yuan, sizeof yuan);
  fg_buf_addf(d->b, "<tr><td>%lld</td><td>", (long long)r->id);
  fg_case_html_text(d->b, r->text);
  fg_buf_addf(d->b, "</td><td class=\"n\">%s</td><td>%s</td><td>%s</td></tr>", yuan, r->due_on,
              closed ? r->closed_on : "未销号");
  return 0;
}

static const char *fg_inspect_doc_title(const char *kind) {
  return strcmp(kind, "notice") == 0   ? "社会保险基金现场监督检查通知书"
         : strcmp(kind, "letter") == 0 ? "社会保险基金监督检查问题反馈函"
                                       : "社会保险基金现场监督检查报告";
}

static int fg_inspect_doc_html(fg_case_ctx *x, const fg_store_inspection_row *ins,
                               const char *kind, int64_t seq, fg_buf *b, fg_err *err) {
  char today[11];
  fg_format_day(x->today, today);
  fg_buf_addf(b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>%s"
                 "</title>%s</head><body><h1>%s</h1><p class=\"meta\">现场检查 #%lld · 日期 %s · "
                 "日志记录 #%lld</p><p>",
              fg_inspect_doc_title(kind), fg_case_report_css, fg_inspect_doc_title(kind),
              (long long)ins->id, today, (long long)seq);
  fg_case_html_text(b, ins->agency);
  fg_buf_adds(b, "：</p>");
  if (strcmp(kind, "notice") == 0) {
    fg_buf_addf(b, "<p>根据《赣州市社会保险基金监督办法》第十一条，定于 <b>%s</b> 起对你单位社会保险基金"
                   "管理情况进行现场监督检查，请做好准备、如实提供有关资料。检查人员：",
                ins->start_on);
    fg_case_html_text(b, ins->inspectors);
    fg_buf_addf(b, "（不少于二人）。通知日期 %s。</p></body></html>\n", ins->notice_on);
    return 0;
  }
  fg_buf_adds(b, strcmp(kind, "letter") == 0
                     ? "<p>现将现场监督检查发现的问题反馈如下，请在整改期限内逐项整改，整改情况及证明材料"
                       "报基金监督机构，逐一销号。</p>"
                     : "<p>现场监督检查情况及问题整改情况报告如下。</p>");
  fg_buf_addf(b, "<table><tr><th>检查人员</th><td>");
  fg_case_html_text(b, ins->inspectors);
  fg_buf_addf(b, "</td></tr><tr><th>检查期间</th><td>自 %s 起（通知 %s）</td></tr></table>"
                 "<h2>问题及整改</h2><table><tr><th>问题编号</th><th>问题</th><th>涉及金额(元)</th>"
                 "<th>整改期限</th><th>销号日期</th></tr>",
              ins->start_on, ins->notice_on);
  fg_inspect_doc d = {b, 0, 0, 0, 0, x->today};
  int rc = fg_store_problems_each(x->s, ins->id, 0, fg_inspect_doc_problem, &d, err);
  char yuan[32];
  fg_fen_to_yuan(d.amount_fen, yuan, sizeof yuan);
  fg_buf_addf(b, "</table><p>共 %lld 个问题，已销号 %lld 个，未销号 %lld 个（其中逾期 %lld 个），涉及金额 %s 元。"
                 "</p></body></html>\n",
              (long long)(d.open + d.closed), (long long)d.closed, (long long)d.open,
              (long long)d.overdue, yuan);
  return rc;
}

int fg_inspect_document(fg_case_ctx *x, int64_t inspection, const char *kind, const char *path,
                        fg_err *err) {
  FG_ASSERT(x != NULL && kind != NULL && path != NULL);
  fg_store_inspection_row ins;
  bool found = false;
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_INSPECTION_MANAGE, err);
  if (rc == 0) rc = fg_store_inspection_get(x->s, inspection, &ins, &found, err);
  if (rc == 0 && !found) rc = fg_errf(err, FG_EINPUT, "现场检查 #%lld 不存在", (long long)inspection);
  if (rc) return fg_case_refuse(x, "inspection_document", 0, err);
  char action[32];
  snprintf(action, sizeof action, "inspection.%s", kind);
  fg_buf p = FG_BUF_INIT, html = FG_BUF_INIT;
  fg_buf_addf(&p, "{\"inspection\":%lld,\"output\":", (long long)inspection);
  fg_journal_json_add_str(&p, path, strlen(path));
  fg_buf_addc(&p, '}');
  int64_t seq = 0;
  rc = fg_case_doc_begin(x, action, &p, &seq, err);
  if (rc == 0) {
    rc = fg_inspect_doc_html(x, &ins, kind, seq, &html, err);
    rc = fg_case_doc_end(x, rc, path, &html, err);
  }
  fg_buf_release(&p);
  fg_buf_release(&html);
  return rc;
}
