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
static int fg_tip_reporter(const char *text, fg_buf *out, bool *full, fg_err *err) {
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
  bool full = false;
  if (rc == 0 && !o->anonymous) rc = fg_tip_reporter(o->reporter, &who, &full, err);
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
                    nbox, {0}, on, x->me->actor};
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
