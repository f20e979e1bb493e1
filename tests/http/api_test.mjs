// api_test.mjs — the HTTP API against web.md, driven by tests/e2e_http.sh:
//   node api_test.mjs URL CLOCK_FILE CLI_MD PASSWORD PERSON_ID
// CLOCK_FILE holds libfaketime's offset for the server ("+0", "+2m", ...);
// CLI_MD is docs/cli.md, whose role table is the permission table the
// authorization matrix is checked against. Exits non-zero on the first
// failure, naming it.
import fs from 'node:fs';
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
  const r = await fetch(BASE + path, { method, headers, body: data, redirect: 'manual' });
  const buf = Buffer.from(await r.arrayBuffer());
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
  r = await req('GET', '/api/v1/reports/monthly?month=2026-13', { s: sup });
  ok(r.status === 400 && r.json.error.field === 'month', 'bad month');
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
