// api_test.mjs — the HTTP API against web.md, driven by tests/e2e_http.sh:
//   node api_test.mjs URL CLOCK_FILE CLI_MD PASSWORD PERSON_ID
// CLOCK_FILE holds libfaketime's offset for the server ("+0", "+2m", ...);
// CLI_MD is docs/cli.md, whose role table is the permission table the
// authorization matrix is checked against. Exits non-zero on the first
// failure, naming it.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// the pinned packages live in web/node_modules (web/package-lock.json)
const WEB = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../web');
const { Validator } = await import(pathToFileURL(path.join(WEB, 'node_modules/@seriousme/openapi-schema-validator/index.js')));

const [URL0, CLOCK, CLI_MD, PW, PERSON] = process.argv.slice(2);
const BASE = URL0.replace(/\/$/, '');
let checks = 0;
function ok(cond, msg) {
  checks++;
  if (!cond) { console.error('FAIL: ' + msg); process.exit(1); }
}
const setClock = off => fs.writeFileSync(CLOCK, off + '\n');

async function req(method, path, { s, body, raw, csrf } = {}) {
  const headers = {};
  if (s) headers.Cookie = 'fg_session=' + s.id;
  if (csrf !== undefined ? csrf : s && method !== 'GET') headers['X-CSRF-Token'] = csrf !== undefined ? csrf : s.csrf;
  let data;
  if (raw !== undefined) { data = raw; headers['Content-Type'] = 'application/json'; }
  else if (body !== undefined) { data = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
  // a new connection per request (agent: false), not fetch's keep-alive pool:
  // when the test moves the server's clock past libmicrohttpd's 120 s
  // connection timeout, the server closes its idle connections, and a pooled
  // one reused at that moment failed the test at random ("other side closed")
  const r = await new Promise((resolve, reject) => {
    const q = http.request(BASE + path, { method, headers, agent: false }, res => {
      const parts = [];
      res.on('data', c => parts.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode, headers: h, buf: Buffer.concat(parts) });
      });
      res.on('error', reject);
    });
    q.on('error', reject);
    q.end(data);
  });
  const buf = r.buf;
  let json = null;
  if ((r.headers.get('content-type') || '').startsWith('application/json')) {
    try { json = JSON.parse(buf.toString('utf8')); } catch { json = null; }
  }
  return { status: r.status, headers: r.headers, json, buf };
}

async function login(user, password = PW) {
  const r = await req('POST', '/api/v1/session', { body: { user, password } });
  ok(r.status === 200, `login ${user}: ${r.status} ${r.buf}`);
  const cookie = r.headers.get('set-cookie') || '';
  const m = /fg_session=([0-9a-f]{64})/.exec(cookie);
  ok(m, `login ${user}: cookie ${cookie}`);
  ok(/HttpOnly/.test(cookie) && /SameSite=Strict/.test(cookie) && /Path=\//.test(cookie), 'cookie attributes: ' + cookie);
  ok(/^[0-9a-f]{64}$/.test(r.json.csrf_token), 'csrf_token in the login body');
  return { id: m[1], csrf: r.json.csrf_token, user, me: r.json };
}

// ---- security headers on every kind of answer
for (const [path, api] of [['/', false], ['/app.js', false], ['/api/v1/runs', true], ['/api/openapi.json', true], ['/nope', false]]) {
  const r = await req('GET', path);
  const csp = r.headers.get('content-security-policy') || '';
  const scriptSrc = (/script-src ([^;]*)/.exec(csp) || [])[1] || '';
  ok(scriptSrc && !/unsafe-inline|unsafe-eval/.test(scriptSrc), `${path}: CSP script-src ${csp}`);
  ok(/frame-ancestors 'none'/.test(csp), `${path}: frame-ancestors`);
  ok(r.headers.get('x-content-type-options') === 'nosniff', `${path}: nosniff`);
  ok(r.headers.get('referrer-policy') === 'no-referrer', `${path}: referrer-policy`);
  if (api) ok(r.headers.get('cache-control') === 'no-store', `${path}: cache-control`);
}
{
  const r = await req('GET', '/api/v1/runs');
  ok(r.status === 401 && r.json.error.code === 'not_logged_in' && /未登录/.test(r.json.error.message) && r.json.error.field === null,
    'not logged in: ' + r.buf);
  const f = await req('GET', '/favicon.ico');
  ok(f.status === 200, 'favicon');
}

// ---- bad input names the field
{
  let r = await req('POST', '/api/v1/session', { body: { password: 'x' } });
  ok(r.status === 400 && r.json.error.field === 'user', 'login without user: ' + r.buf);
  r = await req('POST', '/api/v1/session', { raw: '{"user":' });
  ok(r.status === 400 && r.json.error.code === 'bad_json', 'broken JSON: ' + r.buf);
  r = await req('POST', '/api/v1/session', { raw: JSON.stringify({ user: 'x', password: 'y'.repeat(2 << 20) }) });
  ok(r.status === 413 && r.json.error.code === 'too_large', 'a 2 MiB body answers 413: ' + r.status);
}

// ---- lockout exactly as on the command line (5 wrong passwords), then the
// rate limit (more than 10 failed logins a minute from one address: 429)
{
  for (let i = 0; i < 5; i++) {
    const r = await req('POST', '/api/v1/session', { body: { user: 'lock.me', password: 'wrong-password-' + i } });
    ok(r.status === 401 && r.json.error.code === 'login_failed', `wrong password ${i}: ${r.status}`);
  }
  const r = await req('POST', '/api/v1/session', { body: { user: 'lock.me', password: PW } });
  ok(r.status === 401 && /锁定/.test(r.json.error.message), 'locked even with the right password: ' + r.buf);
  for (let i = 0; i < 4; i++) {
    const x = await req('POST', '/api/v1/session', { body: { user: 'nobody.here', password: 'x' } });
    ok(x.status === 401, 'unknown user: ' + x.status);
  }
  const x = await req('POST', '/api/v1/session', { body: { user: 'li.jd', password: PW } });
  ok(x.status === 429 && x.json.error.code === 'too_many_requests', '11th login in a minute: ' + x.status);
  setClock('+2m'); // a new minute: the limit is per minute
}

// ---- CSRF, logout
const sup = await login('li.jd');
ok(sup.me.roles.includes('supervisor') && sup.me.agency === null, 'session body: ' + JSON.stringify(sup.me));
{
  let r = await req('POST', '/api/v1/journal/checkpoint', { s: sup, csrf: '' });
  ok(r.status === 403 && r.json.error.code === 'csrf', 'no CSRF token: ' + r.status);
  r = await req('POST', '/api/v1/journal/checkpoint', { s: sup, csrf: 'a'.repeat(64) });
  ok(r.status === 403 && r.json.error.code === 'csrf', 'wrong CSRF token: ' + r.status);
  r = await req('POST', '/api/v1/journal/checkpoint', { s: sup });
  ok(r.status === 201 && /^[0-9a-f]{64}$/.test(r.json.root), 'checkpoint with the token: ' + r.buf);
  const other = await login('li.jd');
  ok(other.id !== sup.id && other.csrf !== sup.csrf, 'a new session id and token at every login');
  r = await req('DELETE', '/api/v1/session', { s: other, csrf: '' });
  ok(r.status === 403, 'logout needs the token too');
  r = await req('DELETE', '/api/v1/session', { s: other });
  ok(r.status === 200, 'logout');
  r = await req('GET', '/api/v1/session', { s: other });
  ok(r.status === 401, 'the session is gone after logout');
  r = await req('GET', '/api/v1/session', { s: sup });
  ok(r.status === 200, 'the other session lives on');
}

// ---- findings: paging, masking, reveal, files
{
  const run = (await req('GET', '/api/v1/runs/1', { s: sup })).json;
  ok(run.state === 'done' && run.findings > 0, 'run 1: ' + JSON.stringify(run));
  const seen = new Set();
  let cursor = '', pages = 0, total = -1;
  for (;;) {
    const r = await req('GET', `/api/v1/runs/1/findings?limit=97${cursor ? '&cursor=' + cursor : ''}`, { s: sup });
    ok(r.status === 200 && Array.isArray(r.json.items), 'findings page: ' + r.status);
    total = r.json.total;
    for (const f of r.json.items) {
      ok(!seen.has(f.finding_id), 'a finding twice across pages');
      seen.add(f.finding_id);
      ok(/^\d+\.\d\d$/.test(f.amount) && typeof f.amount === 'string', 'amount as a string in yuan: ' + f.amount);
      if (f.subject_type === 'person') ok(f.subject_id.includes('*'), 'person ids masked: ' + f.subject_id);
    }
    pages++;
    if (!r.json.next) break;
    cursor = r.json.next;
  }
  ok(seen.size === run.findings && total === run.findings && pages > 1, `paged ${seen.size} of ${run.findings} in ${pages} pages`);
  let r = await req('GET', '/api/v1/runs/1/findings?limit=1001', { s: sup });
  ok(r.status === 400 && r.json.error.field === 'limit', 'limit above 1000');
  r = await req('GET', '/api/v1/runs/1/findings?subject_type=person&limit=1&reveal=true', { s: sup });
  ok(r.status === 200 && !r.json.items[0].subject_id.includes('*'), 'reveal=true shows the id');
  // the page cache (decision 72) keeps masked pages only: a revealed page is
  // never served to a masked request, nor a masked page to a revealed one
  const plainQ = '/api/v1/runs/1/findings?subject_type=person&limit=1';
  const m1 = await req('GET', plainQ, { s: sup });
  ok(m1.status === 200 && m1.json.items[0].subject_id.includes('*'), 'the same page without reveal is masked: ' + m1.json.items[0].subject_id);
  const m2 = await req('GET', plainQ, { s: sup });
  ok(m2.buf.equals(m1.buf), 'a repeated page is the same bytes');
  r = await req('GET', plainQ + '&reveal=true', { s: sup });
  ok(r.status === 200 && !r.json.items[0].subject_id.includes('*'), 'reveal after a cached masked page still reveals');
  r = await req('GET', '/api/v1/runs/1/findings?rule=benefit.paid_after_death', { s: sup });
  ok(r.json.items.length > 0 && r.json.items.every(f => f.rule === 'benefit.paid_after_death'), 'rule filter');
  r = await req('GET', '/api/v1/runs/1/findings?format=csv', { s: sup });
  ok(r.status === 200 && /text\/csv/.test(r.headers.get('content-type')) &&
     r.buf.toString('utf8').replace(/^\uFEFF/, '').startsWith('rule,subject_type,subject_id,amount,detail'), 'csv export');
  r = await req('GET', '/api/v1/runs/1/findings?format=xlsx', { s: sup });
  ok(r.status === 200 && r.buf.subarray(0, 2).toString() === 'PK', 'xlsx export');
  r = await req('GET', '/api/v1/runs/1/summary', { s: sup });
  const sum = r.json.by_rule.reduce((a, x) => a + x.count, 0);
  ok(r.status === 200 && sum === run.findings && r.json.by_scheme.length > 0 && r.json.by_region.length > 0, 'summary');
  r = await req('GET', '/api/v1/runs/999', { s: sup });
  ok(r.status === 404, 'unknown run: 404');
  r = await req('GET', `/api/v1/persons/${PERSON}`, { s: sup });
  ok(r.status === 200 && r.json.tables.persons.length === 1 && r.json.person_id.includes('*'), 'person, masked');
}

// ---- case work over HTTP: issue, the agency handler classifies, a reviewer
// approves the dismissal in the inbox; a closed case answers 409
{
  const f = (await req('GET', '/api/v1/runs/1/findings?limit=1000', { s: sup })).json.items.find(x => x.region === '410102' && x.finding_no > 0);
  ok(f, 'a finding in district 410102');
  let r = await req('POST', '/api/v1/cases', { s: sup, body: { run: 1, agency: 'A410102', subjects: [String(f.finding_no)] } });
  ok(r.status === 201 && r.json.issued === 1, 'issue: ' + r.buf);
  r = await req('POST', '/api/v1/cases', { s: sup, body: { agency: 'A410102' } });
  ok(r.status === 400 && r.json.error.field === 'run', 'issue without run names the field');
  const ag = await login('wu.ag');
  const cases = (await req('GET', '/api/v1/cases', { s: ag })).json;
  const c = cases.items.find(x => x.finding_no === f.finding_no);
  ok(c && c.state === 'issued', 'the agency sees its case');
  r = await req('POST', `/api/v1/cases/${c.id}/assign`, { s: ag, body: { user: 'wu.ag' } });
  ok(r.status === 200 && r.json.case.state === 'assigned', 'assign: ' + r.buf);
  r = await req('POST', `/api/v1/cases/${c.id}/classify`, { s: ag, body: { outcome: 'normal', text: '经核实无问题' } });
  ok(r.status === 200 && r.json.proposal > 0, 'classify normal files a proposal: ' + r.buf);
  const rev = await login('wang.fh');
  const inbox = (await req('GET', '/api/v1/proposals', { s: rev })).json;
  const p = inbox.items.find(x => x.id === r.json.proposal);
  ok(p && p.kind === 'finding_dismiss' && p.description.length > 0, 'the reviewer sees what is asked: ' + JSON.stringify(p));
  r = await req('POST', `/api/v1/proposals/${p.id}/review`, { s: ag });
  ok(r.status === 403, 'the proposer may not review: ' + r.status);
  r = await req('POST', `/api/v1/proposals/${p.id}/review`, { s: rev });
  ok(r.status === 200, 'review: ' + r.buf);
  r = await req('GET', `/api/v1/cases/${c.id}`, { s: ag });
  ok(r.status === 200 && r.json.case.state === 'closed', 'the dismissal closed the case: ' + r.json.case.state);
  r = await req('POST', `/api/v1/cases/${c.id}/assign`, { s: ag, body: { user: 'wu.ag' } });
  ok(r.status === 409 && r.json.error.code === 'wrong_state', 'a closed case answers 409: ' + r.status);
  r = await req('GET', '/api/v1/cases?format=xlsx', { s: sup });
  ok(r.status === 200 && r.buf.subarray(0, 2).toString() === 'PK', 'ledger xlsx');
  r = await req('GET', '/api/v1/reports/monthly?month=2026-06', { s: sup });
  ok(r.status === 200 && /<html/i.test(r.buf.toString()), 'monthly report html');
  ok(!r.headers.get('content-disposition'), 'the html report is shown, not downloaded');
  r = await req('GET', '/api/v1/reports/monthly?month=2026-06&format=xlsx', { s: sup });
  ok(r.status === 200 && r.buf.subarray(0, 2).toString() === 'PK' &&
     /filename="monthly-2026-06.xlsx"/.test(r.headers.get('content-disposition') || ''), 'monthly report xlsx');
  r = await req('GET', '/api/v1/reports/monthly?month=2026-06&format=csv', { s: sup });
  ok(r.status === 200 && /^text\/csv/.test(r.headers.get('content-type')) &&
     /filename="monthly-2026-06.csv"/.test(r.headers.get('content-disposition') || ''), 'monthly report csv');
  r = await req('GET', '/api/v1/reports/monthly?month=2026-13', { s: sup });
  ok(r.status === 400 && r.json.error.field === 'month', 'bad month');
}

// ---- the rest of case work over HTTP: money, write-off, serious, documents,
// inspections, rectification, the whistleblower desk, proposals made in the
// browser, the journal
{
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // Beijing
  const items = (await req('GET', '/api/v1/runs/1/findings?limit=1000', { s: sup })).json.items;
  const f = items.find(x => x.region === '410102' && x.finding_no > 0 && x.subject_type === 'person' &&
    Number(x.amount) >= 10 && x.rule.startsWith('benefit.'));
  ok(f, 'a benefit finding with an amount in district 410102');
  let r = await req('POST', '/api/v1/cases', { s: sup, body: { run: 1, agency: 'A410102', subjects: [String(f.finding_no)] } });
  ok(r.status === 201 && r.json.issued === 1, 'issue a benefit case: ' + r.buf);
  const ag = await login('wu.ag');
  const c = (await req('GET', '/api/v1/cases?state=issued', { s: ag })).json.items.find(x => x.finding_no === f.finding_no);
  ok(c, 'the agency sees the new case');
  await req('POST', `/api/v1/cases/${c.id}/assign`, { s: ag, body: { user: 'wu.ag' } });
  r = await req('POST', `/api/v1/cases/${c.id}/classify`, { s: ag, body: { outcome: 'ineligible', text: '不符合领取条件，应追回' } });
  ok(r.status === 200 && r.json.case.recovery_due === f.amount, 'classify ineligible: the finding\'s amount is due: ' + r.buf);
  r = await req('POST', `/api/v1/cases/${c.id}/payments`, { s: ag, body: { amount: '5.00', on: today, how: 'transfer' } });
  ok(r.status === 201 && r.json.received === '5.00', 'a receipt: ' + r.buf);
  r = await req('POST', `/api/v1/cases/${c.id}/payments`, { s: ag, body: { amount: '-5', on: today, how: 'transfer' } });
  ok(r.status === 400 && r.json.error.field === 'amount', 'a negative receipt names the field');
  r = await req('POST', `/api/v1/cases/${c.id}/payments`, { s: sup, body: { amount: '5.00', on: today, how: 'transfer' } });
  ok(r.status === 403, 'the supervisor records no receipts: ' + r.status);
  r = await req('POST', `/api/v1/cases/${c.id}/deposits`, { s: ag, body: { amount: '5.00', on: today, account: '基金收入户 001' } });
  ok(r.status === 400 && /收入户/.test(r.json.error.message), 'an account outside fund_accounts is refused: ' + r.buf);
  // an income account of the finding's scheme (the city's fund_accounts.csv)
  const incomes = fs.readFileSync(process.env.FUND_ACCOUNTS, 'utf8').split('\n').filter(l => l.split(',')[2] === 'income').map(l => l.split(',')[0]);
  for (const acct of incomes) {
    r = await req('POST', `/api/v1/cases/${c.id}/deposits`, { s: ag, body: { amount: '5.00', on: today, account: acct } });
    if (r.status === 201) break;
    ok(r.status === 400 && /险种/.test(r.json.error.message), 'a deposit to another scheme\'s account names the scheme: ' + r.buf);
  }
  ok(r.status === 201 && r.json.undeposited === '0.00', 'the receipt paid in: ' + r.buf);
  r = await req('POST', `/api/v1/cases/${c.id}/writeoff`, { s: ag, body: { amount: String(Number(f.amount) + 1000), reason: '无力偿还' } });
  ok(r.status === 400 && /超过/.test(r.json.error.message), 'a write-off above the balance is refused: ' + r.buf);
  r = await req('POST', `/api/v1/cases/${c.id}/writeoff`, { s: ag, body: { amount: '1.00', reason: '当事人死亡，无遗产可供追偿' } });
  ok(r.status === 201 && r.json.proposal > 0, 'a write-off proposal: ' + r.buf);
  const wo = r.json.proposal;
  r = await req('POST', `/api/v1/cases/${c.id}/serious`, { s: sup, body: { text: '涉案金额较大' } });
  ok(r.status === 200, 'marked serious: ' + r.buf);
  r = await req('GET', `/api/v1/cases/${c.id}/serious-report`, { s: sup });
  ok(r.status === 200 && /<html/i.test(r.buf.toString()) && /要情/.test(r.buf.toString()), 'the serious report: ' + r.status);
  r = await req('GET', `/api/v1/cases/${c.id}/notice`, { s: ag });
  ok(r.status === 200 && /告知书/.test(r.buf.toString()), 'the recovery notice: ' + r.status + ' ' + r.buf.toString().slice(0, 200));
  r = await req('POST', `/api/v1/cases/${c.id}/attachments`, { s: ag, body: { text: '调取的银行流水', name: '流水.txt', content_base64: Buffer.from('2026-06-01 发放 100.00').toString('base64') } });
  ok(r.status === 201, 'a note with an attachment: ' + r.buf);
  r = await req('POST', `/api/v1/cases/${c.id}/attachments`, { s: ag, body: { text: 'x', name: '../evil', content_base64: '!!!' } });
  ok(r.status === 400, 'a bad attachment is refused: ' + r.buf);
  const rev = await login('wang.fh');
  const inbox = (await req('GET', '/api/v1/proposals', { s: rev })).json.items;
  const p = inbox.find(x => x.id === wo);
  ok(p && p.kind === 'case_writeoff' && /1\.00/.test(p.description), 'the reviewer reads the write-off: ' + JSON.stringify(p));

  // inspections: the year's plan, replayed from the journal; an inspection,
  // a problem, the documents; the rectification ledger and a close proposal
  r = await req('POST', '/api/v1/inspections/plan', { s: sup, body: { year: 2026 } });
  ok(r.status === 201 && r.json.agencies.length > 0 && /^[0-9a-f]{64}$/.test(r.json.seed), 'the year\'s plan: ' + r.buf);
  r = await req('GET', '/api/v1/inspections/plan?year=2026', { s: sup });
  ok(r.status === 200 && r.json.replay_matches === true, 'the plan replays: ' + r.buf);
  r = await req('POST', '/api/v1/inspections/plan', { s: sup, body: { year: 2026 } });
  ok(r.status >= 400 && r.status < 500, 'a second plan without a reason is refused: ' + r.status);
  const start = new Date(Date.now() + 8 * 3600e3 + 10 * 86400e3).toISOString().slice(0, 10);
  r = await req('POST', '/api/v1/inspections', { s: sup, body: { agency: 'A410102', inspectors: 'li.jd', notice_on: today, start_on: start } });
  ok(r.status === 400, 'one inspector is refused: ' + r.buf);
  r = await req('POST', '/api/v1/inspections', { s: sup, body: { agency: 'A410102', inspectors: 'li.jd,qian.jd', notice_on: today, start_on: start } });
  ok(r.status === 201 && r.json.id > 0, 'an inspection: ' + r.buf);
  const ins = r.json.id;
  r = await req('POST', `/api/v1/inspections/${ins}/problems`, { s: sup, body: { text: '待遇发放未核验死亡信息', due_on: start, amount: '1200.00' } });
  ok(r.status === 201 && r.json.id > 0, 'a problem: ' + r.buf);
  const prob = r.json.id;
  for (const kind of ['notice', 'letter', 'report']) {
    r = await req('GET', `/api/v1/inspections/${ins}/document?kind=${kind}`, { s: sup });
    ok(r.status === 200 && /<html/i.test(r.buf.toString()), `inspection ${kind}: ${r.status}`);
  }
  r = await req('GET', `/api/v1/inspections/${ins}/document?kind=nope`, { s: sup });
  ok(r.status === 400 && r.json.error.field === 'kind', 'an unknown document kind');
  r = await req('GET', '/api/v1/rectifications', { s: ag });
  ok(r.status === 200 && r.json.items.some(x => Number(x.problem_id) === prob && x.state === 'open'), 'the agency sees its problem: ' + r.buf);
  r = await req('GET', '/api/v1/rectifications?format=xlsx', { s: sup });
  ok(r.status === 200 && r.buf.subarray(0, 2).toString() === 'PK', 'rectification ledger xlsx');
  r = await req('POST', `/api/v1/rectifications/${prob}/close`, { s: ag, body: { text: '已建立死亡信息比对机制', evidence_name: '整改报告.txt', evidence_base64: Buffer.from('整改报告').toString('base64') } });
  ok(r.status === 201 && r.json.proposal > 0, 'a close proposal with evidence: ' + r.buf);

  // the whistleblower desk
  const desk = await login('desk.jb');
  r = await req('POST', '/api/v1/tips', { s: desk, body: { channel: 'phone', reporter: 'name=举报人甲\nid=110101199001011234\nphone=13800000000\ncapacity=full', subject_type: 'person', subject_id: f.subject_id.includes('*') ? PERSON : f.subject_id, text: '冒领待遇' } });
  ok(r.status === 201 && r.json.id > 0, 'a tip filed: ' + r.buf);
  const tip = r.json.id;
  r = await req('POST', '/api/v1/tips', { s: desk, body: { channel: 'phone', subject_type: 'person', subject_id: PERSON, text: 'x' } });
  ok(r.status === 400 && r.json.error.field === 'reporter', 'a named tip without the reporter names the field');
  r = await req('GET', '/api/v1/tips', { s: desk });
  ok(r.status === 200 && r.json.items.some(x => Number(x.tip_id) === tip) && !r.buf.toString().includes('举报人甲'), 'the tip ledger without the reporter');
  r = await req('GET', '/api/v1/tips?format=csv', { s: desk });
  ok(r.status === 200 && /tip_id,filed_on/.test(r.buf.toString()), 'tips csv');
  r = await req('POST', `/api/v1/tips/${tip}/reveal`, { s: sup });
  ok(r.status === 403, 'the supervisor may not see a reporter: ' + r.status);
  r = await req('POST', `/api/v1/tips/${tip}/reveal`, { s: desk });
  ok(r.status === 200 && r.json.reporter.includes('举报人甲'), 'the desk reveals the reporter (journaled)');
  r = await req('POST', `/api/v1/tips/${tip}/issue`, { s: sup, body: { agency: 'A410102' } });
  ok(r.status === 201 && r.json.case > 0, 'the tip issued as a case: ' + r.buf);

  // proposals made in the browser: a user, a configuration change (the
  // reviewer reads "old → new"), a role grant refused for an exclusive pair
  const adm = await login('zhou.xt');
  r = await req('POST', '/api/v1/proposals', { s: adm, body: { kind: 'user_create', user: 'new.jb', name: '新经办', roles: 'handler', agency: 'A410102' } });
  ok(r.status === 201 && r.json.id > 0 && r.json.initial_password.length >= 12, 'a user proposal, the initial password once: ' + r.buf);
  const up = r.json.id;
  r = await req('GET', '/api/v1/proposals', { s: rev });
  const pu = r.json.items.find(x => x.id === up);
  ok(pu && !r.buf.toString().includes('initial_password') && pu.description.includes('new.jb'), 'the reviewer sees the user, not the password: ' + JSON.stringify(pu));
  r = await req('POST', '/api/v1/proposals', { s: sup, body: { kind: 'user_create', user: 'x.y', name: 'x', roles: 'handler' } });
  ok(r.status === 403, 'the supervisor may not propose users: ' + r.status);
  r = await req('POST', '/api/v1/proposals', { s: sup, body: { kind: 'config_change', config: '[thresholds]\nlarge_payment = 30000\n' } });
  ok(r.status === 201, 'a configuration proposal: ' + r.buf);
  const pc = r.json.id;
  r = await req('GET', '/api/v1/proposals', { s: rev });
  const pcd = r.json.items.find(x => x.id === pc);
  ok(pcd && /large_payment/.test(pcd.description) && /→/.test(pcd.description), 'the reviewer reads the change as old → new: ' + JSON.stringify(pcd));
  r = await req('POST', '/api/v1/proposals', { s: sup, body: { kind: 'nope' } });
  ok(r.status === 400 && r.json.error.field === 'kind', 'an unknown kind names the field');
  r = await req('POST', '/api/v1/proposals', { s: ag, body: { kind: 'data_amendment', table: 'persons', record: PERSON, set: { name: '更正后' }, reason: '户籍核对' } });
  ok(r.status === 201 || (r.status === 400 && r.json.error.message.length > 0), 'an amendment proposal: ' + r.buf);

  // the journal, read and verified over HTTP
  const aud = await login('chen.jh');
  r = await req('GET', '/api/v1/journal?limit=5', { s: aud });
  ok(r.status === 200 && r.json.items.length === 5 && r.json.items[0].seq === 0 && r.json.next === '4', 'journal page 1: ' + r.buf.toString().slice(0, 300));
  r = await req('GET', '/api/v1/journal?limit=5&cursor=4', { s: aud });
  ok(r.status === 200 && r.json.items[0].seq === 5, 'journal page 2');
  r = await req('GET', '/api/v1/journal?action=tip.reveal', { s: aud });
  ok(r.status === 200 && r.json.items.length === 1 && r.json.items[0].actor === 'desk.jb' && !r.buf.toString().includes('举报人甲'), 'the reveal is journaled, without the reporter');
  r = await req('GET', `/api/v1/journal?limit=1000`, { s: aud });
  ok(!r.buf.toString().includes(PERSON), 'journal payloads mask resident ids');
  r = await req('POST', '/api/v1/journal/verify', { s: aud });
  ok(r.status === 200 && r.json.ok === true && r.json.problems === 0 && r.json.entries > 0, 'journal verify: ' + r.buf.toString().slice(0, 300));
  // every list as a file (web.md): those without an export of their own are
  // written from their JSON pages, all of them, with the page's keys as header
  // (over a thousand entries, so the file spans pages: each finding read is journaled)
  const fids = (await req('GET', '/api/v1/runs/1/findings?limit=1000', { s: sup })).json.items.map(f => f.finding_id);
  for (let i = 0; i < 1010; i += 10)
    await Promise.all(fids.slice(0, 10).map(id => req('GET', `/api/v1/findings/${id}`, { s: sup })));
  const st = (await req('GET', '/api/v1/journal/status', { s: aud })).json;
  r = await req('GET', '/api/v1/journal?format=csv', { s: aud });
  const jl = r.buf.toString('utf8').replace(/^\uFEFF/, '').split('\n').filter(l => l.length);
  ok(r.status === 200 && /^text\/csv/.test(r.headers.get('content-type')) && /^seq,/.test(jl[0]) &&
     /attachment; filename="journal.csv"/.test(r.headers.get('content-disposition')), 'journal as csv: ' + r.status + ' ' + jl[0]);
  ok(jl.length - 1 >= st.entries - 2 && jl.length - 1 > 1000, `the journal's csv has every page: ${jl.length - 1} rows of ${st.entries}`);
  ok(!r.buf.toString().includes(PERSON), 'the journal csv masks resident ids');
  const sa = await login('sun.aq');
  for (const [path, who, first] of [['/api/v1/runs', sup, 'id'], ['/api/v1/rules', sup, 'rule'], ['/api/v1/batches', sup, 'id'],
                                    ['/api/v1/users', sa, 'user'], ['/api/v1/proposals?state=all', sa, 'id']]) {
    const c = await req('GET', path + (path.includes('?') ? '&' : '?') + 'format=csv', { s: who });
    const head = c.buf.toString('utf8').replace(/^\uFEFF/, '').split('\n')[0];
    const j = await req('GET', path, { s: who });
    ok(c.status === 200 && head.split(',')[0] === first && head.split(',').length === Object.keys(j.json.items[0]).length,
       `${path} as csv: ${c.status} ${head.slice(0, 120)}`);
    const x = await req('GET', path + (path.includes('?') ? '&' : '?') + 'format=xlsx', { s: who });
    ok(x.status === 200 && x.buf.subarray(0, 2).toString() === 'PK' && /spreadsheetml/.test(x.headers.get('content-type')), `${path} as xlsx`);
  }
  r = await req('GET', '/api/v1/runs?format=pdf', { s: sup });
  ok(r.status === 400 && r.json.error.field === 'format', 'an unknown format names the field');
  r = await req('GET', '/api/v1/users?format=csv', { s: ag });
  ok(r.status === 403, 'a file of a list needs the list\'s permission: ' + r.status);
  r = await req('GET', '/api/v1/reports/half-year?half=2026H1', { s: sup });

  ok(r.status === 200 && /^text\/csv/.test(r.headers.get('content-type')) && r.buf.toString().split('\n').length > 1, 'half-year report: ' + r.status + r.buf);
  r = await req('GET', '/api/v1/reports/half-year?half=2026H3', { s: sup });
  ok(r.status === 400 && r.json.error.field === 'half', 'a bad half names the field');
}

// ---- an import over HTTP (multipart, the standard's file names)
{
  const h = await login('zhang.jb');
  const up = async (name, text, s = h) => {
    const fd = new FormData();
    fd.append('files', new Blob([text]), name);
    const r = await fetch(BASE + '/api/v1/imports', { method: 'POST', body: fd,
      headers: { Cookie: 'fg_session=' + s.id, 'X-CSRF-Token': s.csrf } });
    return { status: r.status, json: await r.json() };
  };
  let r = await up('deaths.csv', 'person_id,death_date,source\n110101199001011234,2026-01-02,civil_affairs\n');
  ok(r.status === 201 && r.json.batch_id > 0 && r.json.files[0].rows_stored === 1, 'import: ' + JSON.stringify(r.json));
  r = await up('evil.csv', 'x\n');
  ok(r.status === 400 && r.json.error.field === 'files', 'a file outside the standard: ' + JSON.stringify(r.json));
  r = await up('deaths.csv', 'person_id,death_date,source\nX1,2026-13-01,civil_affairs\n');
  ok(r.status === 400 && r.json.batch_id === 0 && /deaths\.csv:2:/.test(r.json.errors[0]), 'a bad row is named, nothing stored: ' + JSON.stringify(r.json));
  r = await up('deaths.csv', 'person_id,death_date,source\n', sup);
  ok(r.status === 403, 'the supervisor may not import: ' + r.status);
  // a refused upload still being written is read and dropped, then answered:
  // the browser shows the refusal, not a broken connection
  r = await up('deaths.csv', 'person_id,death_date,source\n' + '110101199001011234,2026-01-02,civil_affairs\n'.repeat(100000), sup);
  ok(r.status === 403 && r.json.error && r.json.error.code, 'a refused 4 MB upload is answered: ' + r.status);
}

// ---- the authorization matrix: every endpoint as every role and as nobody
const doc = (await req('GET', '/api/openapi.json')).json;
{
  const v = new Validator();
  const res = await v.validate(doc);
  ok(res.valid, 'OpenAPI document invalid: ' + JSON.stringify(res).slice(0, 1500));
}
const perms = {};
for (const line of fs.readFileSync(CLI_MD, 'utf8').split('\n')) {
  const m = /^\| `([a-z-]+)` \| [^|]+ \| (.*) \|$/.exec(line);
  if (m && /`[a-z]+\.[a-z]+`/.test(m[2])) perms[m[1]] = [...m[2].matchAll(/`([a-z]+\.[a-z]+)`/g)].map(x => x[1]);
}
ok(perms.supervisor && perms.supervisor.includes('findings.screen'), 'permission table parsed from docs/cli.md');
const users = { handler: 'zhang.jb', reviewer: 'wang.fh', approver: 'zhao.sp', supervisor: 'li.jd', auditor: 'chen.jh',
  'security-auditor': 'sun.aq', sysadmin: 'zhou.xt', 'whistleblower-desk': 'desk.jb' };
const sessions = {};
for (const [role, u] of Object.entries(users)) sessions[role] = await login(u);
let cells = 0;
for (const [path, ops] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(ops)) {
    const perm = op['x-permission'];
    if (perm === '(public)' || path === '/api/v1/session') continue;
    const p = path.replace('{id}', '1').replace('{person_id}', PERSON);
    const M = method.toUpperCase();
    const body = M === 'GET' ? undefined : {};
    let r = await req(M, p, { body });
    ok(r.status === 401, `${M} ${path} as nobody: ${r.status}`);
    cells++;
    for (const [role, s] of Object.entries(sessions)) {
      if (M === 'POST' && path === '/api/v1/runs' && role === 'supervisor') continue; // would screen again
      r = await req(M, p, { s, body });
      cells++;
      ok(r.status !== 401 && r.status < 500, `${M} ${path} as ${role}: ${r.status} ${r.buf.toString().slice(0, 200)}`);
      if (perm.includes('.')) {
        const may = (perms[role] || []).includes(perm);
        ok(may ? r.status !== 403 : r.status === 403,
          `${M} ${path} as ${role} (${may ? 'has' : 'lacks'} ${perm}): ${r.status} ${r.buf.toString().slice(0, 160)}`);
      }
    }
  }
}

// ---- a screening over HTTP: 202, then the run's progress
{
  let r = await req('POST', '/api/v1/runs', { s: sup, body: { as_of: '2026-06-30', rules: ['nope.rule'] } });
  ok(r.status === 400 && r.json.error.field === 'rules', 'unknown rule: ' + r.buf);
  r = await req('POST', '/api/v1/runs', { s: sup, body: { as_of: '2999-01-01' } });
  ok(r.status === 400 && r.json.error.field === 'as_of', 'a future as_of is refused');
  r = await req('POST', '/api/v1/runs', { s: sup, body: { as_of: '2026-06-30' } });
  ok(r.status === 202 && r.json.state === 'running' && Number.isInteger(r.json.id), 'start a screening: ' + r.buf);
  let state = r.json;
  for (let i = 0; i < 600 && state.state === 'running'; i++) {
    await new Promise(res => setTimeout(res, 200));
    state = (await req('GET', `/api/v1/runs/${r.json.id}`, { s: sup })).json;
  }
  ok(state.state === 'done' && state.findings > 0, 'the screening finished: ' + JSON.stringify(state));
}

// ---- idle expiry (30 minutes by default)
{
  const s = await login('chen.jh');
  setClock('+33m');
  const r = await req('GET', '/api/v1/session', { s });
  ok(r.status === 401, 'a session idle for 31 minutes has ended: ' + r.status);
}
console.log(`api_test: ${checks} checks passed (matrix ${cells} cells)`);
