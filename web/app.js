/*
 * app.js — the fundguard workbench: one page, hash routes, the JSON API of
 * web.md and nothing else (no framework, no build step, no request to
 * another host). Every text a user reads is Chinese. State-changing calls
 * carry the session's CSRF token; identity numbers arrive masked and are
 * revealed only on request (the server journals the read). A page never
 * polls while idle: only a running screening is polled, once a second.
 */
'use strict';

const S = { me: null, runs: [], charts: [] };
const $ = (sel, root) => (root || document).querySelector(sel);
const app = () => $('#app');

function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false)
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

function toast(msg, err) {
  const d = h('div', { class: err ? 'err' : '' }, msg);
  $('#toast').append(d);
  setTimeout(() => d.remove(), err ? 8000 : 4000);
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || ('请求失败 ' + status));
    this.status = status; this.body = body;
  }
}

async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) { opt.headers['Content-Type'] = 'application/json'; opt.body = JSON.stringify(body); }
  if (method !== 'GET' && S.me) opt.headers['X-CSRF-Token'] = S.me.csrf_token;
  const r = await fetch('/api/v1' + path, opt);
  const text = await r.text();
  let j = null;
  try { j = text ? JSON.parse(text) : null; } catch (e) { j = null; }
  if (r.status === 401 && path !== '/session') { S.me = null; showNav(); location.hash = '#/login'; }
  if (!r.ok) throw new ApiError(r.status, j);
  return j;
}

function fail(e) { toast(e.message || String(e), true); }

const roleZh = { handler: '经办', reviewer: '复核', approver: '审批', supervisor: '基金监督',
  auditor: '稽核', 'security-auditor': '安全审计', sysadmin: '系统管理', 'whistleblower-desk': '举报受理' };

/* The permission each page needs (the server checks again): a link the
 * user could not use is not shown. */
const pagePerm = { '#/findings': 'findings.read', '#/cases': 'case.read', '#/recoveries': 'case.read',
  '#/inspections': null, '#/tips': 'report.intake', '#/inbox': 'proposal.read', '#/report': 'report.make',
  '#/rules': null, '#/users': 'user.read', '#/journal': 'journal.read' };

function showNav() {
  $('#nav').hidden = !S.me;
  $('#logout').hidden = !S.me;
  $('#who').textContent = S.me ? `${S.me.name || S.me.user}（${S.me.roles.map(r => roleZh[r] || r).join('、')}${S.me.agency ? '，' + S.me.agency : ''}）` : '';
  for (const a of document.querySelectorAll('#nav a')) {
    const need = pagePerm[a.getAttribute('href')];
    a.hidden = !!(S.me && need && !(S.me.permissions || []).includes(need));
    if (a.getAttribute('href') === '#/inspections' && S.me)
      a.hidden = !(S.me.permissions || []).includes('inspection.manage') && !S.me.agency;
  }
  for (const a of document.querySelectorAll('#nav a'))
    a.classList.toggle('on', a.getAttribute('href') === location.hash || (a.getAttribute('href') === '#/' && location.hash === ''));
}

function disposeCharts() { for (const c of S.charts) c.dispose(); S.charts = []; }

/* ---- login ---- */
function viewLogin() {
  const msg = h('p', { class: 'error', id: 'login-error', role: 'alert' });
  const user = h('input', { id: 'user', name: 'user', autocomplete: 'username', required: true });
  const pw = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'panel login', onsubmit: async ev => {
    ev.preventDefault();
    msg.textContent = '';
    try {
      S.me = await api('POST', '/session', { user: user.value, password: pw.value });
      sessionStorage.setItem('fg-login', '1');
      showNav(); location.hash = '#/';
    } catch (e) {
      msg.textContent = e.message;
      if (/初始密码/.test(e.message)) form.after(viewPassword(user.value));
    }
  } },
  h('h1', {}, '登录'), h('label', {}, '用户名', user), h('label', {}, '密码', pw),
  h('button', { type: 'submit' }, '登录'), msg,
  h('p', { class: 'muted' }, '连续输错密码会锁定账户；首次登录须先设置本人密码。'));
  return form;
}

function viewPassword(user) {
  const cur = h('input', { type: 'password', autocomplete: 'current-password' });
  const npw = h('input', { type: 'password', autocomplete: 'new-password' });
  const msg = h('p', { role: 'alert' });
  return h('form', { class: 'panel login', onsubmit: async ev => {
    ev.preventDefault();
    try {
      await api('POST', '/session/password', { user, current: cur.value, new: npw.value });
      msg.textContent = '密码已设置，请用新密码登录。';
    } catch (e) { msg.textContent = e.message; msg.className = 'error'; }
  } }, h('h2', {}, '设置本人密码'), h('label', {}, '当前（初始）密码', cur), h('label', {}, '新密码', npw),
  h('button', { type: 'submit' }, '设置密码'), msg);
}

/* ---- dashboard ---- */
async function loadRuns() {
  const j = await api('GET', '/runs');
  S.runs = j.items.slice().reverse();
  return S.runs;
}

function chart(el, option) {
  if (!window.echarts) { el.textContent = '（图表库未安装：请运行 scripts/bootstrap.sh）'; return; }
  const c = window.echarts.init(el);
  c.setOption(Object.assign({ animation: false, textStyle: { fontFamily: 'WenQuanYi Micro Hei, Microsoft YaHei, sans-serif' } }, option));
  S.charts.push(c);
}

function bar(el, title, names, values, unit) {
  chart(el, { title: { text: title, textStyle: { fontSize: 14 } }, tooltip: { trigger: 'axis' },
    grid: { left: 180, right: 24, top: 36, bottom: 24 },
    xAxis: { type: 'value', name: unit }, yAxis: { type: 'category', data: names, axisLabel: { fontSize: 11 } },
    series: [{ type: 'bar', data: values, itemStyle: { color: '#1f5a96' } }] });
}

async function viewDashboard() {
  const root = h('div', {}, h('h1', {}, '工作台'));
  const runBox = h('div', { class: 'panel' });
  root.append(runBox);
  let runs = [];
  try { runs = await loadRuns(); } catch (e) { if (e.status !== 403) throw e; }
  const asOf = h('input', { type: 'date', id: 'as-of', value: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) });
  const prog = h('span', { id: 'run-progress' });
  runBox.append(h('h2', {}, '疑点筛查'),
    h('form', { class: 'inline', onsubmit: async ev => {
      ev.preventDefault();
      try {
        const j = await api('POST', '/runs', { as_of: asOf.value });
        await followRun(j.id, prog);
      } catch (e) { fail(e); }
    } }, h('label', {}, '基准日', asOf), h('button', { type: 'submit', id: 'screen' }, '开始筛查'), prog),
    runs.length ? h('p', {}, `最近一次运行 #${runs[0].id}：基准日 ${runs[0].as_of}，疑点 ${runs[0].findings} 条（${runs[0].run_kind === 'official' ? '正式' : runs[0].run_kind === 'partial' ? '正式（部分规则）' : '假设分析'}）`)
      : h('p', { class: 'muted' }, '还没有筛查运行。'));
  const grid = h('div', { class: 'grid' });
  root.append(grid);
  app().replaceChildren(root);
  const official = runs.find(r => r.run_kind === 'official') || runs[0];
  if (official) {
    const sum = await api('GET', `/runs/${official.id}/summary`);
    const byRule = sum.by_rule.slice().sort((a, b) => a.count - b.count);
    const c1 = h('div', { class: 'chart', id: 'chart-rule' }), c2 = h('div', { class: 'chart', id: 'chart-amount' });
    const c3 = h('div', { class: 'chart', id: 'chart-scheme' }), c4 = h('div', { class: 'chart', id: 'chart-region' });
    grid.append(h('div', { class: 'panel' }, c1), h('div', { class: 'panel' }, c2), h('div', { class: 'panel' }, c3), h('div', { class: 'panel' }, c4));
    bar(c1, `按规则的疑点数（运行 #${official.id}）`, byRule.map(r => r.title_zh), byRule.map(r => r.count), '条');
    const byAmt = sum.by_rule.filter(r => r.amount !== '0.00').sort((a, b) => Number(a.amount) - Number(b.amount));
    bar(c2, '按规则的涉及金额（元）', byAmt.map(r => r.title_zh), byAmt.map(r => r.amount), '元');
    chart(c3, { title: { text: '按险种的疑点数', textStyle: { fontSize: 14 } }, tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: '60%', data: sum.by_scheme.map(s => ({ name: s.label_zh, value: s.count })) }] });
    const regions = sum.by_region.slice().sort((a, b) => a.count - b.count);
    bar(c4, '按地区的疑点数', regions.map(r => r.region || '未知'), regions.map(r => r.count), '条');
  }
  try {
    const cases = await api('GET', '/cases?limit=1000');
    const st = {};
    let overdue = 0, due = 0, got = 0;
    for (const c of cases.items) { st[c.state_zh] = (st[c.state_zh] || 0) + 1; if (c.overdue) overdue++; due += Number(c.recovery_due); got += Number(c.received); }
    const c5 = h('div', { class: 'chart', id: 'chart-cases' });
    grid.append(h('div', { class: 'panel' }, c5, h('p', {}, `逾期未核查 ${overdue} 件；应追回 ${due.toFixed(2)} 元，已追回 ${got.toFixed(2)} 元。`)));
    chart(c5, { title: { text: `核查台账（共 ${cases.total} 件）`, textStyle: { fontSize: 14 } }, tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['35%', '60%'], data: Object.entries(st).map(([k, v]) => ({ name: k, value: v })) }] });
  } catch (e) { if (e.status !== 403) fail(e); }
}

async function followRun(id, prog) {
  const bar = h('progress', { max: 1, value: 0 });
  prog.replaceChildren('筛查运行中… ', bar);
  for (;;) {
    const r = await api('GET', `/runs/${id}`);
    if (r.state === 'done') { toast(`筛查完成：运行 #${r.id}，疑点 ${r.findings} 条`); route(); return; }
    if (r.state === 'failed') { prog.replaceChildren(h('span', { class: 'error' }, '筛查失败：' + (r.error || ''))); return; }
    await new Promise(res => setTimeout(res, 1000));
  }
}

/* ---- findings ---- */
async function viewFindings(params) {
  const runs = await loadRuns();
  if (!runs.length) return h('div', {}, h('h1', {}, '疑点'), h('p', {}, '还没有筛查运行。'));
  const run = Number(params.get('run') || runs[0].id);
  const rules = (await api('GET', '/rules')).items;
  const root = h('div', {}, h('h1', {}, '疑点'));
  const sel = h('select', { id: 'run' }, runs.map(r => h('option', { value: r.id, selected: r.id === run }, `#${r.id} 基准日 ${r.as_of}（${r.findings} 条）`)));
  const rule = h('select', { id: 'rule' }, h('option', { value: '' }, '全部规则'), rules.map(r => h('option', { value: r.rule, selected: r.rule === params.get('rule') }, r.title_zh)));
  const region = h('input', { id: 'region', placeholder: '如 4101', value: params.get('region') || '', size: 8 });
  const go = () => { const q = new URLSearchParams({ run: sel.value }); if (rule.value) q.set('rule', rule.value); if (region.value) q.set('region', region.value); location.hash = '#/findings?' + q; };
  const q = new URLSearchParams(); if (rule.value) q.set('rule', rule.value); if (region.value) q.set('region', region.value);
  root.append(h('form', { class: 'toolbar', onsubmit: ev => { ev.preventDefault(); go(); } },
    h('label', {}, '筛查运行', sel), h('label', {}, '规则', rule), h('label', {}, '地区代码', region),
    h('button', { type: 'submit' }, '查询'),
    h('a', { href: `/api/v1/runs/${run}/findings?format=xlsx&${q}`, download: '' }, h('button', { type: 'button', class: 'secondary' }, '导出 Excel')),
    h('a', { href: `/api/v1/runs/${run}/findings?format=csv&${q}`, download: '' }, h('button', { type: 'button', class: 'secondary' }, '导出 CSV'))));
  const table = h('table', { id: 'findings' });
  const more = h('div', { class: 'toolbar' });
  const detail = h('div', { id: 'detail' });
  root.append(table, more, detail);
  const cursor = params.get('cursor') || '';
  q.set('limit', '50'); if (cursor) q.set('cursor', cursor);
  const page = await api('GET', `/runs/${run}/findings?${q}`);
  table.append(h('thead', {}, h('tr', {}, ['编号', '规则', '对象', '涉及金额（元）', '风险', '地区', '说明'].map(t => h('th', { class: t.startsWith('涉及') ? 'num' : '' }, t)))));
  const tb = h('tbody');
  for (const f of page.items)
    tb.append(h('tr', { class: 'clickable', tabindex: 0, 'data-id': f.finding_id,
      onclick: () => showFinding(f.finding_id, detail, false), onkeydown: ev => { if (ev.key === 'Enter') showFinding(f.finding_id, detail, false); } },
      h('td', {}, f.finding_no || '—'), h('td', {}, f.title_zh), h('td', {}, `${f.subject_type_zh} ${f.subject_id}`),
      h('td', { class: 'num' }, f.amount), h('td', {}, h('span', { class: 'badge ' + f.severity }, f.severity_zh)),
      h('td', {}, f.region), h('td', {}, f.detail)));
  table.append(tb);
  more.append(h('span', {}, `共 ${page.total} 条`));
  if (page.next) { const nq = new URLSearchParams(params); nq.set('run', run); nq.set('cursor', page.next); more.append(h('a', { href: '#/findings?' + nq }, '下一页')); }
  return root;
}

async function showFinding(id, box, reveal) {
  try {
    const f = await api('GET', `/findings/${id}${reveal ? '?reveal=true' : ''}`);
    const agency = h('input', { id: 'agency', placeholder: '经办机构编码，如 A410102', value: f.region ? 'A' + f.region : '' });
    box.replaceChildren(h('div', { class: 'panel', id: 'finding-detail' },
      h('h2', {}, `疑点 ${f.finding_no ? '编号 ' + f.finding_no : '#' + f.finding_id}：${f.title_zh}`),
      h('p', {}, `对象：${f.subject_type_zh} ${f.subject_id}　涉及金额：${f.amount} 元　风险：${f.severity_zh}`),
      h('p', {}, f.detail),
      h('h2', {}, '证据行'), h('ul', { id: 'evidence' }, f.evidence.map(e => h('li', {}, e.replace(':', ' 表第 ') + ' 行'))),
      h('div', { class: 'toolbar' },
        reveal ? null : h('button', { type: 'button', class: 'secondary', onclick: () => showFinding(id, box, true) }, '显示完整身份证号（记入日志）'),
        h('label', {}, '下发给', agency),
        h('button', { type: 'button', id: 'issue', onclick: async () => {
          try {
            const r = await api('POST', '/cases', { run: f.run_id, agency: agency.value, subjects: [String(f.finding_no)] });
            toast(`已下发 ${r.issued} 件，核查期限 ${r.due_on || ''}` + (r.skipped_cased ? `；已有案件 ${r.skipped_cased} 件` : ''));
          } catch (e) { fail(e); }
        } }, '下发核查'))));
    box.scrollIntoView();
  } catch (e) { fail(e); }
}

/* ---- cases ---- */
const outcomes = [['normal', '经核实无问题（排除）'], ['ineligible', '不符合待遇领取条件'],
  ['large_unrepaid', '金额较大、限期内未退还或抵扣不足（稽核）'], ['fraud', '涉嫌欺诈骗保'],
  ['operator_error', '经办操作或后台修改导致数据错误'], ['conversion_error', '数据转换导致数据错误'],
  ['unregistered_employer', '单位未依法参保登记']];

async function viewCases(params) {
  const state = params.get('state') || '';
  const root = h('div', {}, h('h1', {}, '核查工作台账'));
  const st = h('select', { id: 'state' }, [['', '全部'], ['issued', '已下发'], ['assigned', '核查中'], ['classified', '已定性'], ['closed', '已办结']]
    .map(([v, t]) => h('option', { value: v, selected: v === state }, t)));
  root.append(h('form', { class: 'toolbar', onsubmit: ev => { ev.preventDefault(); location.hash = '#/cases?state=' + st.value; } },
    h('label', {}, '状态', st), h('button', { type: 'submit' }, '查询'),
    h('a', { href: '/api/v1/cases?format=xlsx' + (state ? '&state=' + state : ''), download: 'ledger.xlsx', id: 'ledger-xlsx' },
      h('button', { type: 'button', class: 'secondary' }, '导出台账 Excel'))));
  const q = new URLSearchParams({ limit: '100' }); if (state) q.set('state', state); if (params.get('cursor')) q.set('cursor', params.get('cursor'));
  const page = await api('GET', '/cases?' + q);
  const detail = h('div', { id: 'case-detail' });
  const tb = h('tbody');
  for (const c of page.items)
    tb.append(h('tr', { class: 'clickable', tabindex: 0, 'data-id': c.id, onclick: () => showCase(c.id, detail),
      onkeydown: ev => { if (ev.key === 'Enter') showCase(c.id, detail); } },
      h('td', {}, c.id), h('td', {}, c.finding_no || '—'), h('td', {}, c.rule), h('td', {}, c.subject_id), h('td', { class: 'num' }, c.amount),
      h('td', {}, c.agency), h('td', {}, c.state_zh, c.overdue ? h('span', { class: 'badge overdue' }, ' 逾期') : ''),
      h('td', {}, c.assignee || ''), h('td', {}, c.outcome_zh || ''), h('td', {}, c.due_on || '')));
  root.append(h('table', { id: 'cases' }, h('thead', {}, h('tr', {}, ['案件', '疑点编号', '规则', '对象', '金额（元）', '经办机构', '状态', '承办人', '定性', '核查期限'].map(t => h('th', {}, t)))), tb),
    h('p', {}, `共 ${page.total} 件`, page.next ? h('a', { href: `#/cases?state=${state}&cursor=${page.next}` }, ' 下一页') : ''), detail);
  return root;
}

async function showCase(id, box) {
  try {
    const j = await api('GET', `/cases/${id}`);
    const c = j.case;
    const act = async (what, body) => {
      try { const r = await api('POST', `/cases/${id}/${what}`, body); toast(`案件 #${id}：${r.case.state_zh}` + (r.proposal ? `，已提交复核提议 #${r.proposal}` : '')); showCase(id, box); }
      catch (e) { fail(e); }
    };
    const user = h('input', { id: 'assignee', placeholder: '用户名', value: S.me.user });
    const outcome = h('select', { id: 'outcome' }, outcomes.map(([v, t]) => h('option', { value: v }, t)));
    const text = h('textarea', { id: 'classify-text', placeholder: '核查情况' });
    const note = h('textarea', { id: 'note-text', placeholder: '备注' });
    box.replaceChildren(h('div', { class: 'panel' },
      h('h2', {}, `案件 #${c.id}（${c.state_zh}）`), h('pre', { class: 'text' }, j.text),
      h('div', { class: 'toolbar' }, h('label', {}, '承办人', user), h('button', { type: 'button', id: 'assign', onclick: () => act('assign', { user: user.value }) }, '指派')),
      h('div', { class: 'toolbar' }, h('label', {}, '定性', outcome), h('label', { style: 'flex:1' }, '核查情况', text),
        h('button', { type: 'button', id: 'classify', onclick: () => act('classify', { outcome: outcome.value, text: text.value }) }, '定性')),
      h('div', { class: 'toolbar' }, h('label', { style: 'flex:1' }, '备注', note), h('button', { type: 'button', onclick: () => act('note', { text: note.value }) }, '添加备注'),
        h('button', { type: 'button', class: 'secondary', onclick: () => act('close') }, '办结'))));
    box.scrollIntoView();
  } catch (e) { fail(e); }
}

/* ---- approvals inbox ---- */
const kindZh = { finding_dismiss: '疑点认定正常', case_dismiss: '举报案件认定正常', config_change: '配置变更',
  data_amendment: '数据修正', role_grant: '授予角色', role_revoke: '撤销角色', user_create: '新建用户',
  user_unlock: '解除锁定', case_writeoff: '核销', case_penalty: '行政处罚', tip_reward: '举报奖励',
  rectify_close: '整改销号', inspection_replan: '重新制定检查计划' };

async function viewInbox() {
  const j = await api('GET', '/proposals');
  const root = h('div', {}, h('h1', {}, '待我审核（一岗双核）'));
  if (!j.items.length) root.append(h('p', {}, '没有待处理的提议。'));
  for (const p of j.items) {
    const reason = h('input', { placeholder: '驳回理由', size: 30 });
    const act = async (what, body) => {
      try { await api('POST', `/proposals/${p.id}/${what}`, body); toast(`提议 #${p.id} ${what === 'refuse' ? '已驳回' : what === 'review' ? '已复核' : '已审批'}`); route(); }
      catch (e) { fail(e); }
    };
    root.append(h('div', { class: 'panel proposal', 'data-id': p.id },
      h('h2', {}, `提议 #${p.id}：${kindZh[p.kind] || p.kind}`),
      h('p', { class: 'muted' }, `提议人 ${p.proposer}，${p.created_at}；状态 ${p.state === 'pending' ? '待复核' : p.state === 'reviewed' ? '已复核，待审批' : p.state}${p.reviewer ? '，复核人 ' + p.reviewer : ''}`),
      h('pre', { class: 'text' }, p.description),
      p.finding ? h('div', { class: 'finding' }, h('h2', {}, `所涉疑点：${p.finding.title_zh}`),
        h('p', {}, `对象 ${p.finding.subject_type_zh} ${p.finding.subject_id}；涉及金额 ${p.finding.amount} 元；${p.finding.detail}`),
        h('p', { class: 'muted' }, '证据行：' + p.finding.evidence.map(e => e.replace(':', ' 表第 ') + ' 行').join('；'))) : null,
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'review', onclick: () => act('review') }, '复核通过'),
        h('button', { type: 'button', class: 'approve', onclick: () => act('approve') }, '审批通过'),
        reason, h('button', { type: 'button', class: 'danger', onclick: () => act('refuse', { reason: reason.value }) }, '驳回'))));
  }
  return root;
}

/* ---- report, users, journal ---- */
function viewReport() {
  const m = h('input', { type: 'month', id: 'month', value: new Date().toISOString().slice(0, 7) });
  return h('div', {}, h('h1', {}, '基金监督月报'),
    h('form', { class: 'toolbar', onsubmit: ev => { ev.preventDefault(); window.open('/api/v1/reports/monthly?month=' + m.value, '_blank'); } },
      h('label', {}, '月份', m), h('button', { type: 'submit' }, '打开月报（可 A4 打印）'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { location.href = '/api/v1/reports/monthly?format=xlsx&month=' + m.value; } }, '下载 Excel')));
}

async function viewUsers() {
  const j = await api('GET', '/users');
  return h('div', {}, h('h1', {}, '用户与角色'), h('table', { id: 'users' },
    h('thead', {}, h('tr', {}, ['用户名', '姓名', '角色', '所属机构'].map(t => h('th', {}, t)))),
    h('tbody', {}, j.items.map(u => h('tr', {}, h('td', {}, u.user), h('td', {}, u.name), h('td', {}, u.roles.split(';').filter(Boolean).map(r => roleZh[r] || r).join('、')), h('td', {}, u.agency || '基金监督机构'))))),
  userForms() || h('p', { class: 'muted' }, '新建用户、授予或撤销角色须经一岗双核：由系统管理岗提出，在“待我审核”中复核、审批。'));
}

async function viewJournal(params) {
  const j = await api('GET', '/journal/status');
  const out = h('pre', { class: 'text', id: 'checkpoint' });
  return h('div', {}, h('h1', {}, '日志'), h('div', { class: 'panel' },
    h('p', {}, `日志共 ${j.entries} 条，树根 ${j.root}`),
    may('journal.checkpoint') ? h('button', { type: 'button', id: 'make-checkpoint', onclick: async () => {
      try { const c = await api('POST', '/journal/checkpoint'); out.textContent = c.checkpoint; toast('已生成检查点'); } catch (e) { fail(e); }
    } }, '生成检查点') : null, out,
    h('p', { class: 'muted' }, '检查点请另行保存；用 fundguard log verify --checkpoint 可以证明此后的日志没有被截断或改写。')),
    await journalEntries(params));
}

/* ---- routing ---- */
const routes = { '/': viewDashboard, '/findings': viewFindings, '/cases': viewCases, '/inbox': viewInbox,
  '/report': viewReport, '/users': viewUsers, '/journal': viewJournal, '/recoveries': viewRecoveries,
  '/inspections': viewInspections, '/tips': viewTips, '/rules': viewRules };

async function route() {
  disposeCharts();
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = hash.split('?');
  if (!S.me && path !== '/login') { location.hash = '#/login'; return; }
  showNav();
  if (path === '/login') { app().replaceChildren(viewLogin()); $('#user').focus(); return; }
  const view = routes[path];
  if (!view) { app().replaceChildren(h('p', {}, '没有这个页面。')); return; }
  try {
    const el = await view(new URLSearchParams(qs || ''));
    if (el) app().replaceChildren(el);
  } catch (e) {
    if (e.status === 403) app().replaceChildren(h('div', { class: 'panel', id: 'denied' }, h('h1', {}, '无权访问'), h('p', { class: 'error' }, e.message)));
    else if (e.status !== 401) { app().replaceChildren(h('p', { class: 'error' }, e.message)); }
  }
}

$('#logout').addEventListener('click', async () => {
  try { await api('DELETE', '/session'); } catch (e) { /* already ended */ }
  S.me = null; sessionStorage.removeItem('fg-login'); showNav(); location.hash = '#/login';
});
window.addEventListener('hashchange', route);

(async () => {
  /* Before login the page asks for nothing that fails: the session is
   * looked up only when the cookie might exist (a login sets it HttpOnly,
   * so remember that one was made in this tab). */
  if (sessionStorage.getItem('fg-login')) {
    try { S.me = await api('GET', '/session'); } catch (e) { S.me = null; }
  }
  route();
})();
