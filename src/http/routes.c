/*
 * routes.c — the endpoint table (what the dispatcher of server.c matches,
 * with the permission it checks first) and the OpenAPI 3.0 document made
 * from the same table, so the document cannot name an endpoint the server
 * lacks or miss one it has.
 *
 * perm: the permission checked (and a refusal journaled, authz.denied)
 * before the endpoint runs; NULL where the library function itself checks
 * (the case acts check case.handle and the agency scope, the review engine
 * checks who may review or approve), "-" for the public ones.
 */
#include <string.h>

#include "http/http_impl.h"
#include "journal/json.h"

#define P(x) FG_PERM_##x

const fg_http_route fg_http_routes[] = {
    {"POST", "/api/v1/session", fg_http_api_session_login, "-", "登录（用户名、密码），返回会话与 csrf_token",
     "", "user,password", false, false},
    {"GET", "/api/v1/session", fg_http_api_session_get, NULL, "当前会话：用户、角色、机构、csrf_token", "", "",
     false, false},
    {"DELETE", "/api/v1/session", fg_http_api_session_logout, NULL, "退出登录", "", "", false, false},
    {"POST", "/api/v1/session/password", fg_http_api_password, "-",
     "设置本人密码（初始密码只能用于此）", "", "user,current,new", false, false},
    {"GET", "/api/v1/rules", fg_http_api_rules, NULL, "疑点规则目录与现行阈值", "", "", true, false},
    {"GET", "/api/v1/runs", fg_http_api_runs, P(FINDINGS_READ), "筛查运行列表", "", "", true, false},
    {"POST", "/api/v1/runs", fg_http_api_run_start, P(FINDINGS_SCREEN),
     "开始一次筛查（202，返回运行编号，进度见 GET /runs/{id}）", "", "as_of,rules", false, false},
    {"GET", "/api/v1/runs/{id}", fg_http_api_run_get, P(FINDINGS_READ), "一次筛查运行及其进度", "", "",
     false, false},
    {"GET", "/api/v1/runs/{id}/findings", fg_http_api_run_findings, P(FINDINGS_READ),
     "一次运行的疑点（含证据行）", "rule,subject_type,subject_id,region,reveal", "", true, true},
    {"GET", "/api/v1/runs/{id}/summary", fg_http_api_run_summary, P(FINDINGS_READ),
     "按规则、险种、地区的疑点数和金额", "", "", false, false},
    {"GET", "/api/v1/findings/{id}", fg_http_api_finding, P(FINDINGS_READ), "一条疑点及其证据（记入日志）",
     "reveal", "", false, false},
    {"GET", "/api/v1/persons/{person_id}", fg_http_api_person, P(PERSON_READ),
     "某人的记录（记入日志，作为个人信息的查阅）", "reveal", "", false, false},
    {"GET", "/api/v1/cases", fg_http_api_cases, P(CASE_READ), "核查工作台账", "state,agency,overdue", "",
     true, true},
    {"POST", "/api/v1/cases", fg_http_api_case_issue, P(CASE_ISSUE), "把正式运行的疑点下发给经办机构",
     "", "run,agency,rules,subjects,region", false, false},
    {"GET", "/api/v1/cases/{id}", fg_http_api_case_get, P(CASE_READ), "一件案件及其经过（记入日志）", "",
     "", false, false},
    {"POST", "/api/v1/cases/{id}/assign", fg_http_api_case_act, NULL, "指派承办人", "", "user", false, false},
    {"POST", "/api/v1/cases/{id}/note", fg_http_api_case_act, NULL, "核查备注", "",
     "text,records,body,doc_no", false, false},
    {"POST", "/api/v1/cases/{id}/classify", fg_http_api_case_act, NULL,
     "定性（normal 认定正常时生成复核提议）", "", "outcome,text,amount,reason", false, false},
    {"POST", "/api/v1/cases/{id}/close", fg_http_api_case_act, NULL, "办结", "", "", false, false},
    {"POST", "/api/v1/cases/{id}/serious", fg_http_api_case_serious, P(CASE_SERIOUS), "标记为要情（5 个工作日内报告）",
     "", "text", false, false},
    {"POST", "/api/v1/cases/{id}/attachments", fg_http_api_case_attach, NULL, "核查备注并附文件（base64）", "",
     "text,name,content_base64", false, false},
    {"POST", "/api/v1/cases/{id}/payments", fg_http_api_case_money, P(RECOVERY_RECORD),
     "登记追回款到账（penalty 为罚款）", "", "amount,on,how,penalty", false, false},
    {"POST", "/api/v1/cases/{id}/deposits", fg_http_api_case_money, P(RECOVERY_RECORD),
     "登记缴入基金账户", "", "amount,on,account,penalty", false, false},
    {"POST", "/api/v1/cases/{id}/writeoff", fg_http_api_case_propose, P(WRITEOFF_PROPOSE),
     "提议核销（复核、审批）", "", "amount,reason", false, false},
    {"POST", "/api/v1/cases/{id}/penalty", fg_http_api_case_propose, P(PENALTY_PROPOSE),
     "提议行政处罚（复核、审批）", "", "basis,amount,base,reason", false, false},
    {"GET", "/api/v1/cases/{id}/notice", fg_http_api_case_doc, NULL, "追回社会保险待遇告知书（HTML，A4）", "",
     "", false, false},
    {"GET", "/api/v1/cases/{id}/serious-report", fg_http_api_case_doc, NULL, "要情报告（HTML，A4）", "", "",
     false, false},
    {"GET", "/api/v1/inspections/plan", fg_http_api_inspection_replay, P(INSPECTION_MANAGE),
     "年度现场检查计划（按日志树根重算核对）", "year", "", false, false},
    {"POST", "/api/v1/inspections/plan", fg_http_api_inspection_plan, P(INSPECTION_MANAGE),
     "生成年度现场检查计划（再次生成须写理由，经复核）", "", "year,reason", false, false},
    {"POST", "/api/v1/inspections", fg_http_api_inspection_open, P(INSPECTION_MANAGE), "开展一次现场检查", "",
     "agency,inspectors,notice_on,start_on", false, false},
    {"POST", "/api/v1/inspections/{id}/problems", fg_http_api_inspection_problem, P(INSPECTION_MANAGE),
     "登记检查发现的问题（整改台账）", "", "text,due_on,amount", false, false},
    {"GET", "/api/v1/inspections/{id}/document", fg_http_api_inspection_doc, P(INSPECTION_MANAGE),
     "检查通知书、问题反馈函、监督报告（HTML）", "kind", "", false, false},
    {"GET", "/api/v1/rectifications", fg_http_api_rectifications, NULL, "问题整改台账", "", "", true, true},
    {"POST", "/api/v1/rectifications/{id}/close", fg_http_api_rectify_close, NULL,
     "提议销号（附整改证据，须他人复核）", "", "text,evidence_name,evidence_base64", false, false},
    {"GET", "/api/v1/tips", fg_http_api_tips, P(REPORT_INTAKE), "举报台账（不含举报人信息，记入日志）", "", "",
     true, true},
    {"POST", "/api/v1/tips", fg_http_api_tip_file, P(REPORT_INTAKE), "登记举报（举报人信息加密保存）", "",
     "channel,anonymous,reporter,subject_type,subject_id,text", false, false},
    {"POST", "/api/v1/tips/{id}/reveal", fg_http_api_tip_reveal, P(REPORT_INTAKE),
     "查看举报人信息（记入日志）", "", "", false, false},
    {"POST", "/api/v1/tips/{id}/issue", fg_http_api_tip_issue, P(CASE_ISSUE), "举报作为案件下发", "",
     "agency,due_days", false, false},
    {"POST", "/api/v1/tips/{id}/reward", fg_http_api_tip_reward, P(REPORT_INTAKE), "提议举报奖励（复核、审批）",
     "", "verified_amount,contribution", false, false},
    {"GET", "/api/v1/tips/{id}/decision", fg_http_api_tip_decision, P(REPORT_INTAKE), "举报奖励决定书（HTML）",
     "", "", false, false},
    {"POST", "/api/v1/proposals", fg_http_api_proposal_make, NULL,
     "提出提议：配置变更、认定正常、数据更正、用户与岗位（按类型检查权限）", "",
     "kind,config,run,rule,subject,reason,table,record,set,case,user,role,name,roles,agency", false, false},
    {"GET", "/api/v1/proposals", fg_http_api_proposals, P(PROPOSAL_READ),
     "一岗双核待办：提议及其内容（可读的变更说明）", "state", "", true, false},
    {"POST", "/api/v1/proposals/{id}/review", fg_http_api_proposal_act, NULL, "复核通过", "", "", false, false},
    {"POST", "/api/v1/proposals/{id}/approve", fg_http_api_proposal_act, NULL, "审批通过（并执行）", "",
     "", false, false},
    {"POST", "/api/v1/proposals/{id}/refuse", fg_http_api_proposal_act, NULL, "驳回", "", "reason",
     false, false},
    {"GET", "/api/v1/reports/monthly", fg_http_api_report_monthly, NULL,
     "基金监督月报（html 可直接 A4 打印；csv、xlsx）", "month,format", "", false, false},
    {"GET", "/api/v1/journal/status", fg_http_api_journal_status, P(JOURNAL_READ), "日志条数与树根", "",
     "", false, false},
    {"GET", "/api/v1/journal", fg_http_api_journal_list, P(JOURNAL_READ), "日志条目（身份证号已遮蔽）", "action",
     "", true, false},
    {"POST", "/api/v1/journal/verify", fg_http_api_journal_verify, P(JOURNAL_READ),
     "校验整条日志与全部签名（同 log verify）", "", "", false, false},
    {"GET", "/api/v1/reports/half-year", fg_http_api_report_half, NULL, "半年报（CSV）", "half", "", false, false},
    {"POST", "/api/v1/journal/checkpoint", fg_http_api_journal_checkpoint, P(JOURNAL_CHECKPOINT),
     "生成平台签名的检查点", "", "", false, false},
    {"POST", "/api/v1/imports", fg_http_api_import, P(DATA_IMPORT),
     "导入一批数据接入标准的文件（multipart/form-data，每个文件一部分，文件名为标准文件名）", "", "", false, false},
    {"GET", "/api/v1/batches", fg_http_api_batches, P(FINDINGS_READ), "导入批次", "", "", true, false},
    {"GET", "/api/v1/users", fg_http_api_users, P(USER_READ), "用户与角色", "", "", true, false},
};
const int fg_http_nroutes = (int)(sizeof fg_http_routes / sizeof fg_http_routes[0]);

/* ---- the OpenAPI document ------------------------------------------------------- */

static void fg_oa_str(fg_buf *b, const char *s) { fg_journal_json_add_str(b, s, strlen(s)); }

static void fg_oa_param(fg_buf *b, bool *first, const char *name, const char *in, bool required,
                        const char *desc) {
  fg_buf_adds(b, *first ? "{" : ",{");
  *first = false;
  fg_buf_adds(b, "\"name\":");
  fg_oa_str(b, name);
  fg_buf_addf(b, ",\"in\":\"%s\",\"required\":%s,\"description\":", in, required ? "true" : "false");
  fg_oa_str(b, desc);
  fg_buf_adds(b, ",\"schema\":{\"type\":\"string\"}}");
}

static void fg_oa_operation(fg_buf *b, const fg_http_route *rt) {
  fg_buf_adds(b, "{\"summary\":");
  fg_oa_str(b, rt->summary);
  char opid[128];
  size_t k = 0;
  for (const char *p = rt->method; *p && k < 20; p++) opid[k++] = (char)(*p | 0x20);
  for (const char *p = rt->pattern + 7; *p && k < sizeof opid - 1; p++)
    opid[k++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_';
  opid[k] = '\0';
  fg_buf_adds(b, ",\"operationId\":");
  fg_oa_str(b, opid);
  fg_buf_addf(b, ",\"x-permission\":");
  fg_oa_str(b, rt->perm == NULL ? "(checked by the act)" : strcmp(rt->perm, "-") == 0 ? "(public)" : rt->perm);
  fg_buf_adds(b, ",\"parameters\":[");
  bool first = true;
  for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
    char name[64];
    const size_t n = strcspn(p + 1, "}");
    snprintf(name, sizeof name, "%.*s", (int)n, p + 1);
    fg_oa_param(b, &first, name, "path", true, "路径参数");
  }
  for (const char *p = rt->query; p && *p;) {
    char name[64];
    const size_t n = strcspn(p, ",");
    snprintf(name, sizeof name, "%.*s", (int)n, p);
    fg_oa_param(b, &first, name, "query",
                strcmp(name, "month") == 0 || strcmp(name, "half") == 0 || strcmp(name, "year") == 0 ||
                    strcmp(name, "kind") == 0,
                "筛选或选项");
    p += n + (p[n] == ',');
  }
  if (rt->list) {
    fg_oa_param(b, &first, "limit", "query", false, "每页条数，默认 100，至多 1000");
    fg_oa_param(b, &first, "cursor", "query", false, "上一页返回的 next");
    fg_oa_param(b, &first, "format", "query", false, "json（默认）、csv 或 xlsx");
  }
  if (!rt->list && strstr(rt->query ? rt->query : "", "format") == NULL && strcmp(rt->method, "GET") == 0 &&
      strstr(rt->pattern, "/findings") != NULL)
    fg_oa_param(b, &first, "format", "query", false, "json（默认）、csv 或 xlsx");
  fg_buf_addc(b, ']');
  if (strcmp(rt->pattern, "/api/v1/imports") == 0)
    fg_buf_adds(b, ",\"requestBody\":{\"required\":true,\"content\":{\"multipart/form-data\":{\"schema\":"
                   "{\"type\":\"object\",\"properties\":{\"files\":{\"type\":\"array\",\"items\":"
                   "{\"type\":\"string\",\"format\":\"binary\"}}}}}}}");
  if (rt->body && rt->body[0]) {
    fg_buf_adds(b, ",\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":"
                   "{\"type\":\"object\",\"properties\":{");
    bool f = true;
    for (const char *p = rt->body; *p;) {
      const size_t n = strcspn(p, ",");
      char name[64];
      snprintf(name, sizeof name, "%.*s", (int)n, p);
      fg_buf_adds(b, f ? "" : ",");
      f = false;
      fg_oa_str(b, name);
      if (strcmp(name, "rules") == 0 || strcmp(name, "subjects") == 0)
        fg_buf_adds(b, ":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
      else if (strcmp(name, "set") == 0)
        fg_buf_adds(b, ":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}");
      else if (strcmp(name, "penalty") == 0 || strcmp(name, "anonymous") == 0)
        fg_buf_adds(b, ":{\"type\":\"boolean\"}");
      else if (strcmp(name, "run") == 0 || strcmp(name, "year") == 0 || strcmp(name, "due_days") == 0 ||
               strcmp(name, "case") == 0)
        fg_buf_adds(b, ":{\"type\":\"integer\"}");
      else
        fg_buf_adds(b, ":{\"type\":\"string\"}");
      p += n + (p[n] == ',');
    }
    fg_buf_adds(b, "}}}}}");
  }
  fg_buf_adds(b, ",\"responses\":{\"200\":{\"description\":\"成功\",\"content\":{\"application/json\":"
                 "{\"schema\":{\"type\":\"object\"}}}}");
  if (strcmp(rt->pattern, "/api/v1/runs") == 0 && strcmp(rt->method, "POST") == 0)
    fg_buf_adds(b, ",\"202\":{\"description\":\"已开始，返回运行编号\",\"content\":{\"application/json\":"
                   "{\"schema\":{\"$ref\":\"#/components/schemas/Run\"}}}}");
  if (strcmp(rt->method, "POST") == 0)
    fg_buf_adds(b, ",\"201\":{\"description\":\"已创建\",\"content\":{\"application/json\":"
                   "{\"schema\":{\"type\":\"object\"}}}}");
  static const struct {
    const char *code, *desc;
  } errs[] = {{"400", "输入有误（field 指出字段）"}, {"401", "未登录"}, {"403", "无权限、CSRF 或不相容岗位"},
              {"404", "不存在"}, {"409", "状态不符"}, {"413", "请求体过大"}, {"429", "请求过多"}};
  for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
    fg_buf_addf(b, ",\"%s\":{\"description\":", errs[i].code);
    fg_oa_str(b, errs[i].desc);
    fg_buf_adds(b, ",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}}");
  }
  fg_buf_adds(b, "}}");
}

char *fg_http_openapi(void) {
  fg_buf b = FG_BUF_INIT;
  fg_buf_adds(&b, "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"fundguard API\",\"version\":\"" FG_VERSION
                  "\",\"description\":");
  fg_oa_str(&b, "社会保险基金监督平台 HTTP API（web.md v1）：会话 Cookie fg_session，改变状态的请求须带 "
                "X-CSRF-Token 请求头；金额为元的字符串；列表为 {items, next, total}。");
  fg_buf_adds(&b, "},\"servers\":[{\"url\":\"/\"}],\"paths\":{");
  for (int i = 0; i < fg_http_nroutes; i++) {
    const fg_http_route *rt = &fg_http_routes[i];
    bool seen = false;
    for (int k = 0; k < i; k++) seen |= strcmp(fg_http_routes[k].pattern, rt->pattern) == 0;
    if (seen) continue;
    fg_buf_adds(&b, i ? "," : "");
    fg_oa_str(&b, rt->pattern);
    fg_buf_addc(&b, ':');
    fg_buf_addc(&b, '{');
    bool first = true;
    for (int k = i; k < fg_http_nroutes; k++) {
      if (strcmp(fg_http_routes[k].pattern, rt->pattern) != 0) continue;
      char m[16];
      size_t n = 0;
      for (const char *p = fg_http_routes[k].method; *p && n < sizeof m - 1; p++) m[n++] = (char)(*p | 0x20);
      m[n] = '\0';
      fg_buf_addf(&b, "%s\"%s\":", first ? "" : ",", m);
      first = false;
      fg_oa_operation(&b, &fg_http_routes[k]);
    }
    fg_buf_addc(&b, '}');
  }
  fg_buf_adds(&b, "},\"components\":{\"schemas\":{\"Error\":{\"type\":\"object\",\"required\":[\"error\"],"
                  "\"properties\":{\"error\":{\"type\":\"object\",\"required\":[\"code\",\"message\"],"
                  "\"properties\":{\"code\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"},"
                  "\"field\":{\"type\":\"string\",\"nullable\":true}}}}},"
                  "\"Run\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
                  "\"state\":{\"type\":\"string\",\"enum\":[\"running\",\"done\",\"failed\"]},"
                  "\"progress\":{\"type\":\"object\"}}}},"
                  "\"securitySchemes\":{\"session\":{\"type\":\"apiKey\",\"in\":\"cookie\",\"name\":\"fg_session\"}}},"
                  "\"security\":[{\"session\":[]}]}");
  return fg_buf_detach(&b);
}
