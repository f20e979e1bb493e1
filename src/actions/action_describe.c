/*
 * action_describe.c — what a proposal asks, in words a reviewer can judge
 * (actions.h fg_action_describe; issue 13.12): a configuration change as the
 * keys whose values change ("large_payment_yuan: 50000 → 30000"), an
 * amendment as each column's stored value and its proposed one, a
 * dismissal, a role change, a new user (never the initial password's hash),
 * an unlock. The raw payload stays available to whoever needs the bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/actions_impl.h"
#include "config/config.h"
#include "screen/screen.h"

/* Canonical configuration text as "section.key" -> value lines. */
typedef struct fg_desc_kv {
  char key[96];
  const char *val; /* into the text */
  size_t len;
} fg_desc_kv;

static size_t fg_desc_lines(char *text, fg_desc_kv *kv, size_t max) {
  char section[48] = "";
  size_t n = 0;
  for (char *line = text; line && *line && n < max;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    char *eq = strchr(line, '=');
    if (line[0] == '[') {
      snprintf(section, sizeof section, "%.*s", (int)strcspn(line + 1, "]"), line + 1);
    } else if (eq != NULL && line[0] != '#') {
      char *k = line, *ke = eq;
      while (ke > k && ke[-1] == ' ') ke--;
      char *v = eq + 1;
      while (*v == ' ') v++;
      snprintf(kv[n].key, sizeof kv[n].key, "%s%s%.*s", section, *section ? "." : "",
               (int)(ke - k), k);
      kv[n].val = v;
      kv[n].len = strlen(v);
      n++;
    }
    line = nl ? nl + 1 : NULL;
  }
  return n;
}

enum { FG_DESC_KEYS_MAX = 512 };

static const char *fg_desc_or(const char *s) { return s ? s : "-"; }

static void fg_desc_config(fg_store *s, const fg_journal_json *v, fg_buf *out) {
  const char *text = fg_action_json_str(v, "text");
  if (text == NULL) return;
  fg_config *cur = fg_xmalloc(sizeof *cur);
  fg_err e = {0};
  char *now = fg_authz_load_config(s, cur, &e) == 0 ? fg_config_serialize(cur) : fg_xstrdup("");
  char *prop = fg_xstrdup(text);
  fg_desc_kv *a = fg_xcalloc(FG_DESC_KEYS_MAX, sizeof *a), *b = fg_xcalloc(FG_DESC_KEYS_MAX, sizeof *b);
  const size_t na = fg_desc_lines(now, a, FG_DESC_KEYS_MAX), nb = fg_desc_lines(prop, b, FG_DESC_KEYS_MAX);
  int changes = 0;
  for (size_t j = 0; j < nb; j++) {
    size_t i = 0;
    while (i < na && strcmp(a[i].key, b[j].key) != 0) i++;
    if (i < na && a[i].len == b[j].len && memcmp(a[i].val, b[j].val, b[j].len) == 0) continue;
    fg_buf_addf(out, "  %s: %.*s → %.*s\n", b[j].key, i < na ? (int)FG_MIN(a[i].len, 200) : 6,
                i < na ? a[i].val : "（未设置）", (int)FG_MIN(b[j].len, 200), b[j].val);
    changes++;
  }
  for (size_t i = 0; i < na; i++) {
    size_t j = 0;
    while (j < nb && strcmp(a[i].key, b[j].key) != 0) j++;
    if (j == nb) fg_buf_addf(out, "  %s: %.*s → （删除）\n", a[i].key, (int)FG_MIN(a[i].len, 200), a[i].val), changes++;
  }
  if (changes == 0) fg_buf_adds(out, "  （与现行配置相同）\n");
  free(a), free(b), free(now), free(prop), free(cur);
}

/* An amount of fen named key as "1,234.50 元" ("-" when absent). */
static void fg_desc_yuan(const fg_journal_json *v, const char *key, fg_buf *out) {
  int64_t fen;
  char t[40];
  if (!fg_action_json_int(v, key, &fen)) {
    fg_buf_adds(out, "-");
    return;
  }
  fg_fen_to_yuan(fen, t, sizeof t);
  fg_buf_addf(out, "%s 元", t);
}

/* The kinds of case work (cases.md): what is written off, fined, closed or
 * rewarded, in words; false for a kind this function does not know. */
static bool fg_desc_case_kind(const char *kind, const fg_journal_json *v, fg_buf *out) {
  int64_t n = 0, m = 0;
  if (strcmp(kind, "case_writeoff") == 0) {
    fg_action_json_int(v, "case", &n);
    fg_buf_addf(out, "核销案件 #%lld 未收回的金额 ", (long long)n);
    fg_desc_yuan(v, "amount_fen", out);
    fg_buf_adds(out, "（核销后余额相应减少；用 fundguard case show 查看经过）\n");
  } else if (strcmp(kind, "case_penalty") == 0) {
    const char *basis = fg_action_json_str(v, "basis");
    fg_action_json_int(v, "case", &n);
    fg_buf_addf(out, "对案件 #%lld 行政处罚，依据 %s（%s），罚款 ", (long long)n, fg_desc_or(basis),
                basis == NULL                          ? "-"
                : strcmp(basis, "fraud") == 0       ? "骗取社会保险基金"
                : strcmp(basis, "evasion") == 0     ? "隐匿、转移、侵占、挪用"
                : strcmp(basis, "obstruction") == 0 ? "拒绝、阻挠监督检查"
                                                    : "?");
    fg_desc_yuan(v, "amount_fen", out);
    if (fg_journal_json_get(v, "base_fen")) {
      fg_buf_adds(out, "，涉案金额 ");
      fg_desc_yuan(v, "base_fen", out);
    }
    fg_buf_addc(out, '\n');
  } else if (strcmp(kind, "rectify_close") == 0) {
    fg_action_json_int(v, "problem", &n);
    fg_buf_addf(out, "整改问题 #%lld 销号；整改说明：%s；证据文件 SHA-256 %s\n", (long long)n,
                fg_desc_or(fg_action_json_str(v, "text")), fg_desc_or(fg_action_json_str(v, "evidence_sha256")));
  } else if (strcmp(kind, "tip_reward") == 0) {
    fg_action_json_int(v, "tip", &n);
    fg_buf_addf(out, "举报 #%lld 的奖励：查实金额 ", (long long)n);
    fg_desc_yuan(v, "verified_fen", out);
    const char *c = fg_action_json_str(v, "contribution");
    if (c) fg_buf_addf(out, "；本举报的新贡献：%s", c);
    fg_buf_adds(out, "（奖励金额按现行配置的比例、下限与上限计算）\n");
  } else if (strcmp(kind, "inspection_replan") == 0) {
    fg_action_json_int(v, "year", &n);
    fg_action_json_int(v, "seed_size", &m);
    fg_buf_addf(out, "重新生成 %lld 年现场检查计划：抽中 %s（种子为日志前 %lld 条的树根 %.16s…）\n",
                (long long)n, fg_desc_or(fg_action_json_str(v, "agencies")), (long long)m,
                fg_desc_or(fg_action_json_str(v, "seed")));
  } else if (strcmp(kind, "case_dismiss") == 0) {
    fg_action_json_int(v, "case", &n);
    fg_buf_addf(out, "认定案件 #%lld（举报或检查问题）经核查属实不成立，办结\n", (long long)n);
  } else {
    return false;
  }
  return true;
}

int fg_action_describe(fg_store *s, const fg_store_proposal *p, fg_buf *out, fg_err *err) {
  FG_ASSERT(s != NULL && p != NULL && out != NULL);
  fg_journal_json *v = NULL;
  int rc = fg_action_json(p->payload, &v, err);
  if (rc) return rc;
  const char *user = fg_action_json_str(v, "user"), *role = fg_action_json_str(v, "role");
  const char *reason = fg_action_json_str(v, "reason");
  if (strcmp(p->kind, "config_change") == 0) {
    fg_buf_addf(out, "配置变更（来源 %s），与现行正式配置相比：\n",
                fg_action_json_str(v, "source") ? fg_action_json_str(v, "source") : "-");
    fg_desc_config(s, v, out);
  } else if (strcmp(p->kind, "data_amendment") == 0) {
    fg_buf_addf(out, "数据修正：表 %s 主键 %s\n", fg_desc_or(fg_action_json_str(v, "table")),
                fg_desc_or(fg_action_json_str(v, "key")));
    rc = fg_action_amend_describe(s, p->payload, out, err);
  } else if (strcmp(p->kind, "finding_dismiss") == 0) {
    const char *rule = fg_action_json_str(v, "rule");
    const fg_rule *r = rule ? fg_rule_by_id(rule) : NULL;
    const fg_journal_json *run = fg_journal_json_get(v, "run");
    fg_buf_addf(out, "认定疑点为正常：运行 #%lld，规则 %s %s，对象 %s（用 fundguard finding show 查看证据）\n",
                run ? (long long)run->i : 0LL, rule ? rule : "-", r ? r->title_zh : "",
                fg_desc_or(fg_action_json_str(v, "subject_id")));
  } else if (strcmp(p->kind, "role_grant") == 0 || strcmp(p->kind, "role_revoke") == 0) {
    fg_buf_addf(out, "%s用户 %s 的角色 %s\n", p->kind[5] == 'g' ? "授予" : "撤销", fg_desc_or(user),
                fg_desc_or(role));
  } else if (strcmp(p->kind, "user_create") == 0) {
    const char *agency = fg_action_json_str(v, "agency");
    fg_buf_addf(out, "新建用户 %s（姓名 %s），角色 %s，所在机构 %s；初始密码只交给提议人，这里只存其哈希\n",
                fg_desc_or(user), fg_desc_or(fg_action_json_str(v, "display_name")),
                fg_desc_or(fg_action_json_str(v, "roles")),
                agency != NULL && agency[0] != '\0' ? agency : "基金监督机构");
  } else if (strcmp(p->kind, "user_unlock") == 0) {
    fg_buf_addf(out, "解锁用户 %s\n", fg_desc_or(user));
  } else if (!fg_desc_case_kind(p->kind, v, out)) {
    fg_buf_addf(out, "%s\n", p->payload);
  }
  if (reason) fg_buf_addf(out, "理由：%s\n", reason);
  fg_journal_json_free(v);
  return rc;
}

void fg_action_payload_shown(const char *payload, fg_buf *out) {
  const char *h = strstr(payload, "\"initial_password_hash\":\"");
  if (h == NULL) {
    fg_buf_adds(out, payload);
    return;
  }
  const char *val = h + strlen("\"initial_password_hash\":\"");
  const char *end = strchr(val, '"');
  fg_buf_add(out, payload, (size_t)(val - payload));
  fg_buf_adds(out, "(已隐藏)");
  fg_buf_adds(out, end ? end : "\"");
}
