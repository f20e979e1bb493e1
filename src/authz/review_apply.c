/*
 * review_apply.c — the payloads, checks and effects of the review kinds
 * built into authz: role_grant, role_revoke, user_create, user_unlock (see
 * review_impl.h). The checks run at every step (propose, review, approve)
 * against the state of that moment, and again when the effect executes, so
 * a grant that became an exclusive pair in the meantime is still refused.
 * No one may be granted a role by a proposal they proposed, reviewed or
 * approved (no self-granted permission).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz/authz_impl.h"
#include "authz/review_impl.h"
#include "journal/json.h"

enum { FG_REVIEW_PAYLOAD_BYTES_MAX = 64 * 1024 };

bool fg_review_builtin(const char *kind) {
  return strcmp(kind, FG_REVIEW_ROLE_GRANT) == 0 || strcmp(kind, FG_REVIEW_ROLE_REVOKE) == 0 ||
         strcmp(kind, FG_REVIEW_USER_CREATE) == 0 || strcmp(kind, FG_REVIEW_USER_UNLOCK) == 0;
}

char *fg_review_payload_role(const char *user, const char *role) {
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "role", role);
  fg_authz_json_str(&b, "user", user);
  fg_authz_json_end(&b);
  return fg_buf_detach(&b);
}

char *fg_review_payload_user(const char *user, const char *display_name, const char *roles,
                             const char *agency, const char *initial_hash) {
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "agency", agency);
  fg_authz_json_str(&b, "display_name", display_name);
  fg_authz_json_str(&b, "initial_password_hash", initial_hash);
  fg_authz_json_str(&b, "roles", roles);
  fg_authz_json_str(&b, "user", user);
  fg_authz_json_end(&b);
  return fg_buf_detach(&b);
}

char *fg_review_payload_unlock(const char *user) {
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_str(&b, "user", user);
  fg_authz_json_end(&b);
  return fg_buf_detach(&b);
}

bool fg_review_payload_get(const char *payload, const char *key, char *out, size_t out_size) {
  FG_ASSERT(payload != NULL && key != NULL && out != NULL && out_size > 0);
  out[0] = '\0';
  fg_journal_json *v = NULL;
  if (fg_journal_json_parse(payload, strlen(payload), &v, NULL) != 0) return false;
  const fg_journal_json *m = fg_journal_json_get(v, key);
  bool ok = m != NULL && m->type == FG_JSON_STR && m->len < out_size && strlen(m->s) == m->len;
  if (ok) memcpy(out, m->s, m->len + 1);
  fg_journal_json_free(v);
  return ok;
}

/* Target user of a payload: must exist (or must not, for user_create). */
static int fg_review_target(fg_store *s, const char *payload, bool must_exist, char *user,
                            fg_err *err) {
  if (!fg_review_payload_get(payload, "user", user, FG_STORE_USER_MAX))
    return fg_errf(err, FG_EINPUT, "提议内容缺少用户名 (user)");
  fg_store_user u;
  bool found = false;
  int rc = fg_store_user_get(s, user, &u, &found, err);
  if (rc) return rc;
  if (must_exist && !found) return fg_errf(err, FG_EINPUT, "用户 %s 不存在", user);
  if (!must_exist && found) return fg_errf(err, FG_EINPUT, "用户 %s 已存在", user);
  return 0;
}

/* The grantee must be none of the people acting on the proposal. */
static int fg_review_not_self(const char *target, const char *proposer, const char *reviewer,
                              const char *approver, fg_err *err) {
  const char *who[] = {proposer, reviewer, approver};
  const char *as[] = {"提议人", "复核人", "审批人"};
  for (size_t i = 0; i < FG_ARRAY_LEN(who); i++)
    if (who[i] != NULL && strcmp(who[i], target) == 0)
      return fg_errf(err, FG_EPERM,
                     "不准擅自增加本人权限: %s 是该提议的%s，不能为自己授予角色", target, as[i]);
  return 0;
}

static int fg_review_check_grant(fg_store *s, const fg_config *cfg, const char *payload,
                                 bool grant, const char *const people[3], fg_err *err) {
  char user[FG_STORE_USER_MAX], role[FG_STORE_ROLES_MAX], held[FG_STORE_ROLES_MAX];
  int rc = fg_review_target(s, payload, true, user, err);
  if (rc) return rc;
  if (!fg_review_payload_get(payload, "role", role, sizeof role) || !fg_authz_role_known(role))
    return fg_errf(err, FG_EINPUT, "提议内容中的角色 \"%s\" 未知", role);
  if ((rc = fg_store_user_roles(s, user, held, sizeof held, err)) != 0) return rc;
  char with[2 * FG_STORE_ROLES_MAX + 2];
  snprintf(with, sizeof with, "%s;%s", held, role);
  bool has = false;
  for (const char *p = held; *p;) {
    size_t n = strcspn(p, ";");
    if (n == strlen(role) && strncmp(p, role, n) == 0) has = true;
    p += n + (p[n] == ';');
  }
  if (!grant)
    return has ? 0 : fg_errf(err, FG_EINPUT, "用户 %s 并不持有角色 %s", user, role);
  if (has) return fg_errf(err, FG_EINPUT, "用户 %s 已持有角色 %s", user, role);
  if ((rc = fg_review_not_self(user, people[0], people[1], people[2], err)) != 0) return rc;
  return fg_authz_roles_valid(cfg, with, err);
}

int fg_review_validate(fg_store *s, const fg_config *cfg, const char *kind, const char *payload,
                       const char *proposer, const char *reviewer, const char *approver,
                       fg_err *err) {
  FG_ASSERT(s && cfg && kind && payload && proposer);
  if (strlen(payload) > FG_REVIEW_PAYLOAD_BYTES_MAX)
    return fg_errf(err, FG_ELIMIT, "提议内容超过 %d 字节上限", FG_REVIEW_PAYLOAD_BYTES_MAX);
  const char *const people[3] = {proposer, reviewer, approver};
  char user[FG_STORE_USER_MAX], roles[FG_STORE_ROLES_MAX];
  if (strcmp(kind, FG_REVIEW_ROLE_GRANT) == 0 || strcmp(kind, FG_REVIEW_ROLE_REVOKE) == 0)
    return fg_review_check_grant(s, cfg, payload, strcmp(kind, FG_REVIEW_ROLE_GRANT) == 0,
                                 people, err);
  if (strcmp(kind, FG_REVIEW_USER_UNLOCK) == 0) return fg_review_target(s, payload, true, user, err);
  if (strcmp(kind, FG_REVIEW_USER_CREATE) == 0) {
    int rc = fg_review_target(s, payload, false, user, err);
    if (rc) return rc;
    char hash[FG_STORE_PWHASH_MAX];
    if (!fg_review_payload_get(payload, "roles", roles, sizeof roles))
      return fg_errf(err, FG_EINPUT, "提议内容缺少角色 (roles)");
    char agency[FG_STORE_AGENCY_MAX];
    if (!fg_review_payload_get(payload, "agency", agency, sizeof agency))
      return fg_errf(err, FG_EINPUT, "提议内容缺少经办机构 (agency)");
    if ((rc = fg_authn_agency_check(s, user, agency, err)) != 0) return rc;
    if (!fg_review_payload_get(payload, "initial_password_hash", hash, sizeof hash) ||
        strncmp(hash, "$argon2id$", 10) != 0)
      return fg_errf(err, FG_EINPUT, "提议内容缺少新用户初始密码的哈希 (initial_password_hash)");
    return fg_authz_roles_valid(cfg, roles, err);
  }
  fg_journal_json *v = NULL;
  fg_err jerr = {0};
  if (fg_journal_json_parse(payload, strlen(payload), &v, &jerr) != 0 || v->type != FG_JSON_OBJ) {
    fg_journal_json_free(v);
    return fg_errf(err, FG_EINPUT, "提议内容不是 JSON 对象: %s", jerr.msg);
  }
  fg_journal_json_free(v);
  fg_review_check_fn check = fg_review_checker(kind);
  return check ? check(s, payload, err) : 0;
}

/* Journal an unlock: the reset point of the user's failure count. */
static int fg_review_unlock(fg_store *s, const fg_store_proposal *p, const fg_signer *by,
                            fg_err *err) {
  char user[FG_STORE_USER_MAX];
  if (!fg_review_payload_get(p->payload, "user", user, sizeof user))
    return fg_errf(err, FG_EINPUT, "提议内容缺少用户名 (user)");
  fg_buf b = FG_BUF_INIT;
  fg_authz_json_begin(&b);
  fg_authz_json_int(&b, "proposal", p->id);
  fg_authz_json_str(&b, "user", user);
  fg_authz_json_end(&b);
  int64_t seq = -1;
  int rc = fg_journal_append(s, by, "user.unlock", b.buf, b.len, &seq, err);
  fg_buf_release(&b);
  return rc;
}

/* The proposer's command generated the initial password and put only its
 * Argon2id hash in the payload: the approver who applies never knows it. */
static int fg_review_create(fg_store *s, const fg_config *cfg, const fg_store_proposal *p,
                            const fg_signer *by, int64_t now_s, fg_err *err) {
  char user[FG_STORE_USER_MAX], name[FG_STORE_DISPLAY_MAX], roles[FG_STORE_ROLES_MAX],
      agency[FG_STORE_AGENCY_MAX], hash[FG_STORE_PWHASH_MAX];
  if (!fg_review_payload_get(p->payload, "user", user, sizeof user) ||
      !fg_review_payload_get(p->payload, "display_name", name, sizeof name) ||
      !fg_review_payload_get(p->payload, "roles", roles, sizeof roles) ||
      !fg_review_payload_get(p->payload, "agency", agency, sizeof agency) ||
      !fg_review_payload_get(p->payload, "initial_password_hash", hash, sizeof hash))
    return fg_errf(err, FG_EINPUT,
                   "提议内容不完整 (user, display_name, roles, agency, initial_password_hash)");
  return fg_authn_user_create(s, cfg, by, user, name, roles, agency, hash, p->id, now_s, err);
}

int fg_review_apply(fg_store *s, const fg_config *cfg, const fg_store_proposal *p,
                    const fg_signer *by, int64_t jseq, int64_t now_s, fg_err *err) {
  FG_ASSERT(s && cfg && p && by && jseq >= 0);
  const char *reviewer = p->reviewer[0] ? p->reviewer : by->actor;
  int rc = fg_review_validate(s, cfg, p->kind, p->payload, p->proposer, reviewer, by->actor, err);
  if (rc) return rc;
  char user[FG_STORE_USER_MAX], role[FG_STORE_ROLES_MAX];
  bool grant = strcmp(p->kind, FG_REVIEW_ROLE_GRANT) == 0;
  if (grant || strcmp(p->kind, FG_REVIEW_ROLE_REVOKE) == 0) {
    fg_review_payload_get(p->payload, "user", user, sizeof user);
    fg_review_payload_get(p->payload, "role", role, sizeof role);
    return fg_store_role_event(s, user, role, grant, p->id, jseq, err);
  }
  if (strcmp(p->kind, FG_REVIEW_USER_UNLOCK) == 0) return 0; /* after the step's entry */
  if (strcmp(p->kind, FG_REVIEW_USER_CREATE) == 0) return 0; /* after the step's entry */
  fg_review_apply_fn fn = fg_review_applier(p->kind);
  if (fn == NULL)
    return fg_errf(err, FG_EINPUT, "提议类型 %s 的执行功能尚未接入本程序，不能生效", p->kind);
  return fn(s, p, by, jseq, err);
}

int fg_review_apply_after(fg_store *s, const fg_config *cfg, const fg_store_proposal *p,
                          const fg_signer *by, int64_t now_s, fg_err *err) {
  FG_ASSERT(s && cfg && p && by);
  if (strcmp(p->kind, FG_REVIEW_USER_UNLOCK) == 0) return fg_review_unlock(s, p, by, err);
  if (strcmp(p->kind, FG_REVIEW_USER_CREATE) == 0)
    return fg_review_create(s, cfg, p, by, now_s, err);
  return 0;
}
