/*
 * tips.c — the whistleblower desk (举报受理, cases.md, GZ arts. 32-35): tips
 * filed by any channel, real-name or anonymous, the reporter protected.
 *
 * Key design (docs/cases.md "The desk key"). The desk has one X25519 key
 * pair. Its secret key is stored only sealed (libsodium crypto_box_seal) to
 * each desk user's current personal key (the Ed25519 key of authz.h,
 * converted to X25519), one desk_keys row per user and key; a user's
 * personal secret key exists only unsealed by that user's password, so only
 * a desk user who logged in can open the desk key. The reporter's name, id,
 * phone and declared capacity are sealed to the desk's public key when the
 * tip is filed; no table, export, log line or journal entry holds them in
 * the clear. A desk user who has no copy for their current key (a new desk
 * user after a reviewed grant, or one who changed their password: a new key
 * pair) gets one when another desk user next acts (file, list or reveal):
 * that act seals the desk key to every desk user lacking a copy, journaled
 * with the act. The first tip creates the desk key.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cases/cases_impl.h"
#include "common/fsout.h"
#include "journal/json.h"

#define FG_TIP_REPORTER_BYTES_MAX 4096 /* the reporter file */
#define FG_TIP_DESK_USERS_MAX 256

static const char *const fg_tip_channels[] = {"phone", "letter", "email", "visit", "web"};

/* ---- the desk key ---------------------------------------------------------- */

typedef struct fg_desk {
  uint8_t pk[crypto_box_PUBLICKEYBYTES];
  uint8_t sk[crypto_box_SECRETKEYBYTES];
  bool exists, open;
} fg_desk;

static void fg_desk_wipe(fg_desk *d) { sodium_memzero(d, sizeof *d); }

/* Open the desk key with my personal key; exists false when there is none
 * yet (the first tip makes it), open false when I have no copy for my
 * current key (the public key is then still known: a tip can be filed). */
static int fg_desk_open(fg_case_ctx *x, fg_desk *d, fg_err *err) {
  memset(d, 0, sizeof *d);
  uint8_t sealed[FG_STORE_SEALED_MAX];
  size_t n = 0;
  bool found = false;
  int rc = fg_store_desk_key_get(x->s, NULL, NULL, d->pk, NULL, 0, &n, &found, err);
  if (rc || !found) return rc;
  d->exists = true;
  rc = fg_store_desk_key_get(x->s, x->me->actor, x->me->pk, d->pk, sealed, sizeof sealed, &n,
                             &found, err);
  if (rc || !found) return rc; /* no copy for my key yet: may file (seal), not read */
  uint8_t xpk[crypto_box_PUBLICKEYBYTES], xsk[crypto_box_SECRETKEYBYTES];
  if (crypto_sign_ed25519_pk_to_curve25519(xpk, x->me->pk) != 0 ||
      crypto_sign_ed25519_sk_to_curve25519(xsk, x->me->sk) != 0 ||
      n != crypto_box_SEALBYTES + sizeof d->sk ||
      crypto_box_seal_open(d->sk, sealed, n, xpk, xsk) != 0) {
    sodium_memzero(xsk, sizeof xsk);
    return fg_errf(err, FG_EVERIFY, "举报受理密钥无法用用户 %s 的密钥打开", x->me->actor);
  }
  sodium_memzero(xsk, sizeof xsk);
  d->open = true;
  return 0;
}

typedef struct fg_desk_users {
  char name[FG_TIP_DESK_USERS_MAX][FG_STORE_USER_MAX];
  int n;
} fg_desk_users;

static int fg_desk_user_one(void *ud, const fg_store_user *u) {
  fg_desk_users *d = ud;
  if (d->n < FG_TIP_DESK_USERS_MAX) snprintf(d->name[d->n++], FG_STORE_USER_MAX, "%s", u->name);
  return 0;
}

/* Seal the open desk key to every desk user with a current key and no copy
 * for it; rows carry jseq (the act's entry covers them). *handed: how many. */
static int fg_desk_handover(fg_case_ctx *x, const fg_desk *d, int64_t jseq, int *handed,
                            fg_err *err) {
  FG_ASSERT(d->open);
  *handed = 0;
  fg_desk_users *users = fg_xcalloc(1, sizeof *users);
  int rc = fg_store_user_each(x->s, fg_desk_user_one, users, err);
  for (int i = 0; rc == 0 && i < users->n; i++) {
    const char *u = users->name[i];
    uint8_t upk[32], dpk[32], xpk[crypto_box_PUBLICKEYBYTES];
    uint8_t sealed[crypto_box_SEALBYTES + crypto_box_SECRETKEYBYTES];
    bool has_key = false, has_copy = false;
    size_t n = 0;
    if (fg_authz_check(x->s, u, FG_PERM_REPORT_INTAKE, NULL) != 0) continue;
    rc = fg_store_user_key_at(x->s, u, INT64_MAX, upk, &has_key, err);
    if (rc == 0 && has_key) rc = fg_store_desk_key_get(x->s, u, upk, dpk, NULL, 0, &n, &has_copy, err);
    if (rc || !has_key || has_copy) continue;
    if (crypto_sign_ed25519_pk_to_curve25519(xpk, upk) != 0) continue; /* not a valid key */
    crypto_box_seal(sealed, d->sk, sizeof d->sk, xpk);
    rc = fg_store_desk_key_add(x->s, u, upk, d->pk, sealed, sizeof sealed, jseq, err);
    if (rc == 0) (*handed)++;
  }
  free(users);
  return rc;
}

/* The act's transaction: desk key opened (or made, make), handover done;
 * the caller adds its rows with *seq and appends its entry. */
static int fg_desk_begin(fg_case_ctx *x, fg_desk *d, bool make, int64_t *seq, int *handed,
                         fg_err *err) {
  int rc = fg_store_begin(x->s, err);
  if (rc) return rc;
  rc = fg_journal_next_seq(x->s, seq, err);
  if (rc == 0) rc = fg_desk_open(x, d, err);
  if (rc == 0 && !d->exists && make) {
    crypto_box_keypair(d->pk, d->sk);
    d->exists = d->open = true;
  }
  if (rc == 0 && d->open) rc = fg_desk_handover(x, d, *seq, handed, err);
  if (rc) fg_store_rollback(x->s);
  return rc;
}

/* ---- the reporter's details ------------------------------------------------- */

/* "key=value" lines: name, id, phone, capacity (full | limited). Checked and
 * rewritten as canonical JSON into out (heap); the input is wiped by the
 * caller. */
static int fg_tip_reporter(const char *text, fg_buf *out, bool *full, char id_out[32],
                           fg_err *err) {
  char name[128] = "", id[32] = "", phone[32] = "", cap[16] = "";
  for (const char *p = text; *p;) {
    const size_t len = strcspn(p, "\n");
    const char *eq = memchr(p, '=', len);
    if (eq) {
      const size_t k = (size_t)(eq - p), v = len - k - 1;
      char *dst = k == 4 && memcmp(p, "name", 4) == 0       ? name
                  : k == 2 && memcmp(p, "id", 2) == 0       ? id
                  : k == 5 && memcmp(p, "phone", 5) == 0    ? phone
                  : k == 8 && memcmp(p, "capacity", 8) == 0 ? cap
                                                            : NULL;
      const size_t cap_bytes = dst == name ? sizeof name : dst == cap ? sizeof cap : sizeof id;
      if (dst && v < cap_bytes) snprintf(dst, cap_bytes, "%.*s", (int)v, eq + 1);
      for (char *q = dst; q && *q; q++) if (*q == '\r') *q = '\0';
    }
    p += len + (p[len] == '\n');
  }
  if (!name[0] || !id[0] || !phone[0])
    return fg_errf(err, FG_EINPUT, "举报人信息须有 name=、id=、phone= 三行（capacity=full|limited 可选）");
  *full = strcmp(cap, "full") == 0;
  fg_buf_adds(out, "{\"capacity\":");
  fg_journal_json_add_str(out, cap, strlen(cap));
  fg_buf_adds(out, ",\"id\":");
  fg_journal_json_add_str(out, id, strlen(id));
  fg_buf_adds(out, ",\"name\":");
  fg_journal_json_add_str(out, name, strlen(name));
  fg_buf_adds(out, ",\"phone\":");
  fg_journal_json_add_str(out, phone, strlen(phone));
  fg_buf_addc(out, '}');
  memcpy(id_out, id, sizeof id);
  sodium_memzero(name, sizeof name);
  sodium_memzero(id, sizeof id);
  sodium_memzero(phone, sizeof phone);
  return 0;
}

/* ---- acts --------------------------------------------------------------------- */

static int fg_tip_check(const fg_tip_opts *o, fg_err *err) {
  bool channel = false;
  for (size_t i = 0; o->channel && i < FG_ARRAY_LEN(fg_tip_channels); i++)
    channel |= strcmp(o->channel, fg_tip_channels[i]) == 0;
  if (!channel) return fg_errf(err, FG_EINPUT, "--channel 应为 phone、letter、email、visit 或 web");
  if (!o->subject_type || !o->subject_type[0] || !o->subject_id || !o->subject_id[0])
    return fg_errf(err, FG_EINPUT, "须写明被举报对象 (--subject-type, --subject-id)");
  if (!o->text || !o->text[0] || strlen(o->text) >= FG_CASE_TEXT_MAX)
    return fg_errf(err, FG_EINPUT, "须写明举报内容 (--text)，不超过 %d 字节", FG_CASE_TEXT_MAX - 1);
  if (!o->anonymous && (o->reporter == NULL || !o->reporter[0]))
    return fg_errf(err, FG_EINPUT, "实名举报须从文件或标准输入给出举报人信息（或 --anonymous）");
  return 0;
}

int fg_tip_file(fg_case_ctx *x, const fg_tip_opts *o, int64_t *id, fg_err *err) {
  FG_ASSERT(x != NULL && o != NULL && id != NULL);
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_REPORT_INTAKE, err);
  if (rc == 0) rc = fg_tip_check(o, err);
  fg_buf who = FG_BUF_INIT;
  bool full = false, duties = false;
  char pid[32] = "";
  if (rc == 0 && !o->anonymous) rc = fg_tip_reporter(o->reporter, &who, &full, pid, err);
  /* GZ 33: a reporter with fund duties gets no reward; judged now, while
   * the id is in the clear, and kept as a flag only */
  if (rc == 0 && !o->anonymous) rc = fg_store_staff_person(x->s, pid, &duties, err);
  sodium_memzero(pid, sizeof pid);
  if (rc) {
    if (who.buf) sodium_memzero(who.buf, who.len);
    fg_buf_release(&who);
    return fg_case_refuse(x, "tip_file", 0, err);
  }
  fg_desk d;
  int64_t seq = 0;
  int handed = 0;
  rc = fg_desk_begin(x, &d, true, &seq, &handed, err);
  uint8_t *box = NULL;
  size_t nbox = 0;
  if (rc == 0 && !o->anonymous) {
    nbox = who.len + crypto_box_SEALBYTES;
    box = fg_xmalloc(nbox);
    crypto_box_seal(box, (const uint8_t *)who.buf, who.len, d.pk);
  }
  if (who.buf) sodium_memzero(who.buf, who.len);
  fg_buf_release(&who);
  char on[11];
  fg_format_day(x->today, on);
  fg_store_tip t = {0, 0, o->channel, o->anonymous, o->subject_type, o->subject_id, o->text, box,
                    nbox, {0}, on, x->me->actor, full, duties};
  memcpy(t.desk_pk, d.pk, 32);
  if (rc == 0) rc = fg_store_tip_add(x->s, &t, seq, id, err);
  fg_buf p = FG_BUF_INIT;
  fg_buf_addf(&p, "{\"anonymous\":%s,\"channel\":\"%s\",\"declared_full_capacity\":%s,"
                  "\"key_copies\":%d,\"subject_id\":",
              o->anonymous ? "true" : "false", o->channel, full ? "true" : "false", handed);
  fg_journal_json_add_str(&p, o->subject_id, strlen(o->subject_id));
  fg_buf_adds(&p, ",\"subject_type\":");
  fg_journal_json_add_str(&p, o->subject_type, strlen(o->subject_type));
  fg_buf_addf(&p, ",\"tip\":%lld}", (long long)*id);
  if (rc == 0) rc = fg_journal_append(x->s, x->me, "tip.file", p.buf, p.len, NULL, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  fg_buf_release(&p);
  free(box);
  fg_desk_wipe(&d);
  return rc;
}

typedef struct fg_tip_read {
  const fg_desk *d;
  fg_buf *out;
  bool found, opened, anonymous;
} fg_tip_read;

static int fg_tip_reveal_one(void *ud, const fg_store_tip *t) {
  fg_tip_read *r = ud;
  r->found = true;
  if (t->anonymous || t->nreporter <= crypto_box_SEALBYTES) {
    r->anonymous = true;
    fg_buf_adds(r->out, "匿名举报，无举报人信息\n");
    return 0;
  }
  const size_t n = t->nreporter - crypto_box_SEALBYTES;
  uint8_t *plain = fg_xmalloc(n + 1);
  if (crypto_box_seal_open(plain, t->reporter, t->nreporter, r->d->pk, r->d->sk) == 0) {
    plain[n] = '\0';
    fg_buf_addf(r->out, "举报人 reporter: %s\n", (const char *)plain);
    r->opened = true;
  }
  sodium_memzero(plain, n + 1);
  free(plain);
  return 0;
}

/* reveal (out != NULL: the reporter of tip id) or list (id 0): both open the
 * desk key and hand it over; both are journaled. */
static int fg_tip_desk_act(fg_case_ctx *x, const char *action, int64_t id, fg_buf *out,
                           fg_err *err) {
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_REPORT_INTAKE, err);
  if (rc) return fg_case_refuse(x, strcmp(action, "tip.reveal") == 0 ? "tip_reveal" : "tip_list",
                                id, err);
  fg_desk d;
  int64_t seq = 0;
  int handed = 0;
  rc = fg_desk_begin(x, &d, false, &seq, &handed, err);
  if (rc) {
    fg_desk_wipe(&d);
    return fg_case_refuse(x, "tip_reveal", id, err);
  }
  fg_tip_read r = {&d, out, false, false, false};
  if (out && d.exists && !d.open)
    rc = fg_errf(err, FG_EPERM,
                 "用户 %s 尚未获得举报受理密钥（新授予举报受理角色或刚修改过密码）："
                 "请另一位举报受理人员执行一次 tip list 后再试",
                 x->me->actor);
  if (rc == 0 && out) rc = fg_store_tips_each(x->s, id, fg_tip_reveal_one, &r, err);
  if (rc == 0 && out && !r.found) rc = fg_errf(err, FG_EINPUT, "举报 #%lld 不存在", (long long)id);
  if (rc == 0 && out && !r.anonymous && !r.opened)
    rc = fg_errf(err, FG_EVERIFY, "举报 #%lld 的举报人信息无法解密", (long long)id);
  if (rc) {
    fg_store_rollback(x->s);
    fg_desk_wipe(&d);
    return fg_case_refuse(x, "tip_reveal", id, err);
  }
  fg_buf p = FG_BUF_INIT;
  fg_buf_addf(&p, "{\"key_copies\":%d,\"tip\":%lld}", handed, (long long)id);
  if (rc == 0) rc = fg_journal_append(x->s, x->me, action, p.buf, p.len, NULL, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  fg_buf_release(&p);
  fg_desk_wipe(&d);
  return rc;
}

int fg_tip_reveal(fg_case_ctx *x, int64_t id, fg_buf *out, fg_err *err) {
  FG_ASSERT(x != NULL && out != NULL && id > 0);
  return fg_tip_desk_act(x, "tip.reveal", id, out, err);
}

static int fg_tip_list_one(void *ud, const fg_store_tip *t) {
  fg_buf *b = ud;
  fg_buf_addf(b, "%lld,%s,%s,%s,%s,", (long long)t->id, t->filed_on, t->channel,
              t->anonymous ? "anonymous" : "real_name", t->subject_type);
  fg_csv_cell(b, t->subject_id, strlen(t->subject_id));
  fg_buf_addc(b, ',');
  fg_csv_cell(b, t->text, strlen(t->text));
  fg_buf_addc(b, '\n');
  return 0;
}

int fg_tip_list(fg_case_ctx *x, fg_buf *out, fg_err *err) {
  FG_ASSERT(x != NULL && out != NULL);
  int rc = fg_tip_desk_act(x, "tip.list", 0, NULL, err);
  if (rc) return rc;
  fg_buf_adds(out, "tip_id,filed_on,channel,kind,subject_type,subject_id,text\n");
  return fg_store_tips_each(x->s, 0, fg_tip_list_one, out, err);
}

/* ---- a tip handled as a case ------------------------------------------------------ */

/* The case of tip (0 when not issued); cases of a tip carry the tip's id
 * in their run column (decision 57). */
static int fg_tip_case_of(fg_store *s, int64_t tip, int64_t *case_id, fg_err *err) {
  return fg_store_case_of(s, "tip", tip, case_id, err);
}

typedef struct fg_tip_one {
  fg_store_tip t;
  char subject_type[64], subject_id[FG_STORE_CASE_TEXT_MAX];
  bool found;
} fg_tip_one;

static int fg_tip_copy(void *ud, const fg_store_tip *t) {
  fg_tip_one *o = ud;
  o->found = true;
  o->t = *t;
  snprintf(o->subject_type, sizeof o->subject_type, "%s", t->subject_type);
  snprintf(o->subject_id, sizeof o->subject_id, "%s", t->subject_id);
  o->t.subject_type = o->subject_type;
  o->t.subject_id = o->subject_id;
  o->t.reporter = NULL; /* not needed past the call */
  o->t.channel = o->t.text = o->t.filed_on = o->t.filed_by = "";
  return 0;
}

static int fg_tip_get(fg_store *s, int64_t id, fg_tip_one *o, fg_err *err) {
  memset(o, 0, sizeof *o);
  int rc = id > 0 ? fg_store_tips_each(s, id, fg_tip_copy, o, err) : 0;
  if (rc == 0 && !o->found) rc = fg_errf(err, FG_EINPUT, "举报 #%lld 不存在", (long long)id);
  return rc;
}

int fg_case_issue_tip(fg_case_ctx *x, int64_t tip, const char *agency, int due_days,
                      int64_t *case_id, fg_err *err) {
  FG_ASSERT(x != NULL && agency != NULL && case_id != NULL);
  fg_tip_one o;
  int64_t have = 0;
  int rc = fg_authz_check(x->s, x->me->actor, FG_PERM_CASE_ISSUE, err);
  if (rc == 0) rc = fg_tip_get(x->s, tip, &o, err);
  if (rc == 0 && fg_store_count_key(x->s, FG_T_AGENCIES, agency) <= 0)
    rc = fg_errf(err, FG_EINPUT, "经办机构 %s 不在已导入的 agencies 中", agency);
  if (rc == 0) rc = fg_tip_case_of(x->s, tip, &have, err);
  if (rc == 0 && have) rc = fg_errf(err, FG_EINPUT, "举报 #%lld 已下发为案件 #%lld", (long long)tip, (long long)have);
  if (rc) return fg_case_refuse(x, "issue_tip", 0, err);
  char on[11], due[11];
  fg_format_day(x->today, on);
  fg_format_day(fg_config_add_working_days(x->cfg, x->today,
                                           due_days > 0 ? due_days : x->cfg->verify_working_days),
                due);
  fg_store_case c = {"tip", 0, tip, "tip", o.subject_type, o.subject_id, 0, agency, on, due,
                     x->me->actor};
  fg_buf p = FG_BUF_INIT;
  fg_buf_adds(&p, "{\"agency\":");
  fg_journal_json_add_str(&p, agency, strlen(agency));
  fg_buf_addf(&p, ",\"due_on\":\"%s\",\"issued\":1,\"issued_on\":\"%s\",\"tip\":%lld}", due, on,
              (long long)tip);
  int64_t seq = 0;
  rc = fg_store_begin(x->s, err);
  if (rc == 0) rc = fg_journal_next_seq(x->s, &seq, err);
  if (rc == 0) rc = fg_store_case_add(x->s, &c, seq, case_id, err);
  if (rc == 0) rc = fg_journal_append(x->s, x->me, "case.issue", p.buf, p.len, NULL, err);
  if (rc == 0) rc = fg_store_commit(x->s, err);
  if (rc) fg_store_rollback(x->s);
  fg_buf_release(&p);
  return rc;
}

/* ---- rewards (GZ 36-38) -------------------------------------------------------- */

int64_t fg_tip_reward_fen(const fg_config *cfg, int64_t verified_fen) {
  int64_t r = 0;
  if (verified_fen <= 0 || __builtin_mul_overflow(verified_fen, (int64_t)cfg->reward_rate_bp, &r))
    r = verified_fen > 0 ? INT64_MAX : 0;
  else r /= 10000;
  if (r < cfg->reward_floor_fen) r = cfg->reward_floor_fen;
  if (r > cfg->reward_cap_fen) r = cfg->reward_cap_fen;
  return r;
}

typedef struct fg_tip_reward_req {
  int64_t tip, verified_fen;
  const char *contribution, *reason;
} fg_tip_reward_req;

static int fg_tip_reward_read(const char *payload, fg_journal_json **v, fg_tip_reward_req *q,
                              fg_err *err) {
  memset(q, 0, sizeof *q);
  fg_err jerr = {0};
  if (fg_journal_json_parse(payload, strlen(payload), v, &jerr) != 0 || (*v)->type != FG_JSON_OBJ)
    return fg_errf(err, FG_EINPUT, "提议内容不是 JSON 对象: %s", jerr.msg);
  const fg_journal_json *m;
  if ((m = fg_journal_json_get(*v, "tip")) && m->type == FG_JSON_INT && !m->neg) q->tip = m->i;
  if ((m = fg_journal_json_get(*v, "verified_fen")) && m->type == FG_JSON_INT && !m->neg)
    q->verified_fen = m->i;
  if ((m = fg_journal_json_get(*v, "contribution")) && m->type == FG_JSON_STR) q->contribution = m->s;
  if ((m = fg_journal_json_get(*v, "reason")) && m->type == FG_JSON_STR) q->reason = m->s;
  if (q->tip <= 0 || q->verified_fen <= 0)
    return fg_errf(err, FG_EINPUT, "提议内容不完整 (tip, verified_fen)");
  return 0;
}

static bool fg_tip_verified_outcome(const char *o) {
  return strcmp(o, "ineligible") == 0 || strcmp(o, "large_unrepaid") == 0 ||
         strcmp(o, "fraud") == 0 || strcmp(o, "unregistered_employer") == 0;
}

/* Every condition of GZ 33, 36 and 37, each refused on its own. */
static int fg_tip_reward_conditions(fg_store *s, const fg_tip_reward_req *q, fg_err *err) {
  fg_tip_one o;
  int rc = fg_tip_get(s, q->tip, &o, err);
  if (rc) return rc;
  if (o.t.anonymous) return fg_errf(err, FG_EINPUT, "匿名举报不予奖励（须实名）");
  if (!o.t.full_capacity) return fg_errf(err, FG_EINPUT, "举报人未声明具有完全民事行为能力");
  if (strcmp(o.subject_type, "unknown") == 0 || !o.subject_id[0])
    return fg_errf(err, FG_EINPUT, "举报没有明确的被举报对象");
  if (o.t.fund_duties) return fg_errf(err, FG_EINPUT, "举报人负有基金管理职责（经办人员），不予奖励");
  fg_store_tip_facts_row f;
  if ((rc = fg_store_tip_facts(s, q->tip, &f, err)) != 0) return rc;
  if (f.known_before > 0)
    return fg_errf(err, FG_EINPUT, "举报前该对象已有疑点或案件（已掌握的线索），不予奖励");
  if (f.rewards > 0) return fg_errf(err, FG_EINPUT, "举报 #%lld 已奖励（联名举报视为一人）", (long long)q->tip);
  if (f.earlier_tips > 0 && (q->contribution == NULL || !q->contribution[0]))
    return fg_errf(err, FG_EINPUT, "同一事项已有在先举报：后举报者须另行说明其实质贡献 (--contribution)");
  int64_t case_id = 0;
  if ((rc = fg_tip_case_of(s, q->tip, &case_id, err)) != 0) return rc;
  fg_case_view v;
  bool found = false;
  if (case_id > 0 && (rc = fg_case_load_unscoped(s, case_id, &v, &found, err)) != 0) return rc;
  const bool ok = found && v.state == FG_CASE_CLOSED && fg_tip_verified_outcome(v.outcome);
  if (found) fg_case_view_release(&v);
  if (!ok) return fg_errf(err, FG_EINPUT, "举报的案件尚未以查实的结果办结，不予奖励");
  return 0;
}

static int fg_tip_reward_check(fg_store *s, const char *payload, fg_err *err) {
  fg_journal_json *v = NULL;
  fg_tip_reward_req q;
  int rc = fg_tip_reward_read(payload, &v, &q, err);
  if (rc == 0) rc = fg_tip_reward_conditions(s, &q, err);
  fg_journal_json_free(v);
  return rc;
}

static int fg_tip_reward_apply(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                               int64_t jseq, fg_err *err) {
  fg_journal_json *v = NULL;
  fg_tip_reward_req q;
  fg_config *cfg = fg_xmalloc(sizeof *cfg);
  int rc = fg_tip_reward_read(p->payload, &v, &q, err);
  if (rc == 0) rc = fg_authz_load_config(s, cfg, err);
  fg_store_tip_reward r = {q.tip, q.verified_fen, rc == 0 ? fg_tip_reward_fen(cfg, q.verified_fen) : 0,
                           q.contribution ? q.contribution : "", p->id, p->proposer,
                           p->reviewer[0] ? p->reviewer : by->actor, by->actor};
  if (rc == 0) rc = fg_store_tip_reward_add(s, &r, jseq, err);
  fg_journal_json_free(v);
  free(cfg);
  return rc;
}

int fg_tips_register(void) {
  int rc = fg_review_set_checker(FG_REVIEW_TIP_REWARD, fg_tip_reward_check);
  return rc ? rc : fg_review_set_applier(FG_REVIEW_TIP_REWARD, fg_tip_reward_apply);
}

int fg_tip_propose_reward(fg_case_ctx *x, int64_t tip, int64_t verified_fen,
                          const char *contribution, int64_t *proposal_id, int64_t *reward_fen,
                          fg_err *err) {
  FG_ASSERT(x != NULL && proposal_id != NULL && reward_fen != NULL);
  fg_buf p = FG_BUF_INIT;
  if (contribution) {
    fg_buf_adds(&p, "{\"contribution\":");
    fg_journal_json_add_str(&p, contribution, strlen(contribution));
    fg_buf_addc(&p, ',');
  } else {
    fg_buf_addc(&p, '{');
  }
  fg_buf_addf(&p, "\"tip\":%lld,\"verified_fen\":%lld}", (long long)tip, (long long)verified_fen);
  *reward_fen = fg_tip_reward_fen(x->cfg, verified_fen);
  int rc = fg_review_propose(x->s, x->cfg, x->me, FG_REVIEW_TIP_REWARD, p.buf, fg_beijing_now_s(),
                             proposal_id, err);
  fg_buf_release(&p);
  return rc;
}

/* ---- the tip ledger as xlsx, the reward decision ---------------------------------- */

typedef struct fg_tip_sheet {
  lxw_worksheet *ws;
  lxw_row_t row;
} fg_tip_sheet;

static int fg_tip_xlsx_row(void *ud, const fg_store_tip *t) {
  fg_tip_sheet *sh = ud;
  if (sh->row >= LXW_ROW_MAX - 1) return FG_ELIMIT;
  const lxw_row_t r = ++sh->row;
  worksheet_write_number(sh->ws, r, 0, (double)t->id, NULL);
  const char *cells[] = {t->filed_on, t->channel, t->anonymous ? "匿名 anonymous" : "实名 real_name",
                         t->subject_type, t->subject_id, t->text};
  for (int c = 0; c < 6; c++) worksheet_write_string(sh->ws, r, (lxw_col_t)(c + 1), cells[c], NULL);
  return 0;
}

int fg_tip_xlsx(fg_case_ctx *x, const char *path, int64_t *rows, fg_err *err) {
  static const char *const head[] = {"举报编号 tip_id", "登记日期 filed_on", "渠道 channel",
                                     "实名/匿名 kind", "对象类型 subject_type",
                                     "对象编号 subject_id", "举报内容 text"};
  int rc = fg_tip_desk_act(x, "tip.list", 0, NULL, err);
  if (rc) return rc;
  fg_fsout o;
  lxw_workbook *wb = fg_case_xlsx_open(path, &o, err);
  if (wb == NULL) return err->code ? err->code : FG_EIO;
  fg_tip_sheet sh = {workbook_add_worksheet(wb, "举报受理台账"), 0};
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (int c = 0; c < 7; c++) worksheet_write_string(sh.ws, 0, (lxw_col_t)c, head[c], bold);
  worksheet_freeze_panes(sh.ws, 1, 0);
  rc = fg_store_tips_each(x->s, 0, fg_tip_xlsx_row, &sh, err);
  worksheet_autofilter(sh.ws, 0, 0, sh.row, 6);
  *rows = sh.row;
  return fg_case_xlsx_close(wb, &o, path, rc, err);
}

/* The reward decision (奖励决定书), desk only: it names the reporter it is
 * addressed to, so it is made from the sealed details like a reveal. */
int fg_tip_decision(fg_case_ctx *x, int64_t tip, const char *path, fg_err *err) {
  fg_buf who = FG_BUF_INIT, html = FG_BUF_INIT, p = FG_BUF_INIT;
  int rc = fg_tip_reveal(x, tip, &who, err); /* desk, journaled tip.reveal */
  fg_store_tip_facts_row f;
  if (rc == 0) rc = fg_store_tip_facts(x->s, tip, &f, err);
  if (rc == 0 && f.rewards == 0)
    rc = fg_errf(err, FG_EINPUT, "举报 #%lld 没有已批准的奖励", (long long)tip);
  fg_store_tip_reward_row r;
  if (rc == 0) rc = fg_store_tip_reward_get(x->s, tip, &r, err);
  if (rc) {
    sodium_memzero(who.buf ? who.buf : (char *)"", who.len);
    fg_buf_release(&who);
    return rc;
  }
  char today[11], ver[32], rew[32];
  fg_format_day(x->today, today);
  fg_fen_to_yuan(r.verified_fen, ver, sizeof ver);
  fg_fen_to_yuan(r.reward_fen, rew, sizeof rew);
  fg_buf_addf(&p, "{\"tip\":%lld}", (long long)tip);
  int64_t seq = 0;
  rc = fg_case_doc_begin(x, "tip.decision", &p, &seq, err);
  if (rc == 0) {
    fg_buf_addf(&html, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                       "<title>举报奖励决定书</title>%s</head><body><h1>举报奖励决定书</h1>"
                       "<p class=\"meta\">举报编号 %lld · 日期 %s · 日志记录 #%lld</p><p>",
                fg_case_report_css, (long long)tip, today, (long long)seq);
    const char *brace = who.buf ? strchr(who.buf, '{') : NULL;
    fg_journal_json *j = NULL;
    fg_err jerr = {0};
    const fg_journal_json *name = NULL;
    if (brace && fg_journal_json_parse(brace, strlen(brace) - 1, &j, &jerr) == 0)
      name = fg_journal_json_get(j, "name");
    fg_case_html_text(&html, name && name->type == FG_JSON_STR ? name->s : "举报人");
    fg_journal_json_free(j);
    fg_buf_addf(&html, "：</p><p>你举报的事项经查证属实，依据《赣州市社会保险基金监督办法》第三十六条至第三十八条，"
                       "按查实金额 %s 元计发奖励 <b>%s 元</b>（提议 #%lld，复核 ",
                ver, rew, (long long)r.proposal_id);
    fg_case_html_text(&html, r.reviewer);
    fg_buf_adds(&html, "，审批 ");
    fg_case_html_text(&html, r.approver);
    fg_buf_adds(&html, "）。</p><p>本机构对举报人的信息严格保密。</p></body></html>\n");
    rc = fg_case_doc_end(x, 0, path, &html, err);
  }
  sodium_memzero(who.buf ? who.buf : (char *)"", who.len);
  if (html.buf) sodium_memzero(html.buf, html.len);
  fg_buf_release(&who);
  fg_buf_release(&html);
  fg_buf_release(&p);
  return rc;
}
