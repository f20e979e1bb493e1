/*
 * work.js — the workbench pages of case work beyond the ledger: recoveries,
 * inspections and rectification, the whistleblower desk, rules and
 * configuration proposals, user and role proposals, the journal. Loaded
 * before app.js, whose helpers (h, api, toast, fail, route, S) these
 * functions call when a page is shown. Buttons appear only for users whose
 * permissions (GET /session) allow the act; the server checks again.
 */
'use strict';

const may = p => !!(S.me && (S.me.permissions || []).includes(p));
const todayBJ = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const field = (label, el) => h('label', {}, label, el);
const input = (attrs) => h('input', attrs || {});

/* A file input's content as base64 (the JSON bodies of attachments). */
function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(String(fr.result).replace(/^data:[^,]*,/, ''));
    fr.onerror = () => reject(new Error('无法读取文件'));
    fr.readAsDataURL(file);
  });
}

function table(id, heads, rows) {
  return h('table', { id }, h('thead', {}, h('tr', {}, heads.map(t => h('th', {}, t)))), h('tbody', {}, rows));
}

/* ---- recoveries (追回) ---- */
const howZh = [['transfer', '转账'], ['cash', '现金'], ['offset_account', '抵扣个人账户'],
  ['offset_lump_sum', '抵扣一次性待遇'], ['offset_benefit', '抵扣后续待遇']];

async function viewRecoveries(params) {
  const q = new URLSearchParams({ limit: '1000' });
  if (params.get('cursor')) q.set('cursor', params.get('cursor'));
  const page = await api('GET', '/cases?' + q);
  const due = page.items.filter(c => c.recovery_due && c.recovery_due !== '0.00');
  const detail = h('div', { id: 'recovery-detail' });
  const rows = due.map(c => h('tr', { class: 'clickable', tabindex: 0, 'data-id': c.id,
    onclick: () => showRecovery(c, detail), onkeydown: ev => { if (ev.key === 'Enter') showRecovery(c, detail); } },
    h('td', {}, c.id), h('td', {}, c.agency), h('td', {}, c.subject_id), h('td', {}, c.outcome_zh || ''),
    h('td', { class: 'num' }, c.recovery_due), h('td', { class: 'num' }, c.received), h('td', { class: 'num' }, c.balance),
    h('td', {}, c.state_zh)));
  return h('div', {}, h('h1', {}, '追回与核销'),
    h('p', { class: 'muted' }, '追回款应在收到后 10 个工作日内缴入基金收入户；核销与处罚须经复核、审批。'),
    due.length ? table('recoveries', ['案件', '经办机构', '对象', '定性', '应追回（元）', '已追回（元）', '余额（元）', '状态'], rows)
      : h('p', {}, '本页没有应追回的案件。'),
    page.next ? h('p', {}, h('a', { href: '#/recoveries?cursor=' + page.next }, '下一页')) : null, detail);
}

function showRecovery(c, box) {
  const post = async (what, body, msg) => {
    try { const r = await api('POST', `/cases/${c.id}/${what}`, body); toast(msg(r)); route(); } catch (e) { fail(e); }
  };
  const amt = input({ id: 'pay-amount', placeholder: '元', size: 10 });
  const on = input({ id: 'pay-on', type: 'date', value: todayBJ() });
  const how = h('select', { id: 'pay-how' }, howZh.map(([v, t]) => h('option', { value: v }, t)));
  const damt = input({ id: 'dep-amount', placeholder: '元', size: 10 });
  const don = input({ id: 'dep-on', type: 'date', value: todayBJ() });
  const acct = input({ id: 'dep-account', placeholder: '基金收入户账号', size: 16 });
  const wamt = input({ id: 'wo-amount', placeholder: '元', size: 10 });
  const wr = input({ id: 'wo-reason', placeholder: '核销理由', size: 30 });
  const st = input({ id: 'serious-text', placeholder: '要情说明', size: 30 });
  box.replaceChildren(h('div', { class: 'panel' },
    h('h2', {}, `案件 #${c.id}：应追回 ${c.recovery_due} 元，已追回 ${c.received} 元，余额 ${c.balance} 元`),
    h('p', {}, h('a', { href: `/api/v1/cases/${c.id}/notice`, target: '_blank' }, '打开追回社会保险待遇告知书（A4 打印）')),
    may('recovery.record') ? h('div', { class: 'toolbar' }, h('strong', {}, '登记到账'), field('金额', amt), field('到账日期', on), field('方式', how),
      h('button', { type: 'button', id: 'pay', onclick: () => post('payments', { amount: amt.value, on: on.value, how: how.value }, r => `已登记到账，累计 ${r.received} 元，余额 ${r.balance} 元`) }, '登记')) : null,
    may('recovery.record') ? h('div', { class: 'toolbar' }, h('strong', {}, '缴入基金'), field('金额', damt), field('缴入日期', don), field('账户', acct),
      h('button', { type: 'button', id: 'deposit', onclick: () => post('deposits', { amount: damt.value, on: don.value, account: acct.value }, r => `已缴入，尚未缴入 ${r.undeposited} 元`) }, '登记')) : null,
    may('writeoff.propose') ? h('div', { class: 'toolbar' }, h('strong', {}, '提议核销'), field('金额', wamt), wr,
      h('button', { type: 'button', id: 'writeoff', onclick: () => post('writeoff', { amount: wamt.value, reason: wr.value }, r => `已提交核销提议 #${r.proposal}，待复核`) }, '提交')) : null,
    may('case.serious') ? h('div', { class: 'toolbar' }, h('strong', {}, '要情'), st,
      h('button', { type: 'button', class: 'secondary', onclick: () => post('serious', { text: st.value }, () => '已标记为要情，须在 5 个工作日内报告') }, '标记为要情'),
      h('a', { href: `/api/v1/cases/${c.id}/serious-report`, target: '_blank' }, '要情报告')) : null));
  box.scrollIntoView();
}

/* ---- inspections and rectification (现场检查与整改) ---- */
async function viewInspections() {
  const root = h('div', {}, h('h1', {}, '现场检查与整改'));
  if (may('inspection.manage')) {
    const year = input({ id: 'plan-year', type: 'number', value: new Date().getFullYear(), min: 2000, max: 2999 });
    const reason = input({ placeholder: '重新生成的理由（须复核）', size: 30 });
    const out = h('pre', { class: 'text', id: 'plan-out' });
    const showPlan = p => { out.textContent = `${p.year} 年抽中：${p.agencies}\n种子（日志前 ${p.seed_size} 条的树根）：${p.seed}` +
      (p.replay_matches !== undefined ? `\n按日志重算：${p.replay_matches ? '一致' : '不一致！'}` : '') + (p.proposal ? `\n已提交重新生成提议 #${p.proposal}` : ''); };
    root.append(h('div', { class: 'panel' }, h('h2', {}, '年度检查计划'),
      h('div', { class: 'toolbar' }, field('年度', year), reason,
        h('button', { type: 'button', id: 'make-plan', onclick: async () => {
          try { showPlan(await api('POST', '/inspections/plan', { year: Number(year.value), reason: reason.value || undefined })); } catch (e) { fail(e); }
        } }, '生成计划'),
        h('button', { type: 'button', class: 'secondary', onclick: async () => {
          try { showPlan(await api('GET', '/inspections/plan?year=' + year.value)); } catch (e) { fail(e); }
        } }, '按日志核对')), out));
    const ag = input({ id: 'ins-agency', placeholder: '经办机构编码', size: 12 });
    const who = input({ id: 'ins-inspectors', placeholder: '检查人员，逗号分隔（至少两人）', size: 28 });
    const n = input({ type: 'date', id: 'ins-notice', value: todayBJ() });
    const st = input({ type: 'date', id: 'ins-start' });
    const insId = input({ id: 'prob-ins', placeholder: '检查编号', size: 6 });
    const pt = input({ id: 'prob-text', placeholder: '问题描述', size: 30 });
    const pd = input({ type: 'date', id: 'prob-due' });
    const pa = input({ id: 'prob-amount', placeholder: '涉及金额（元）', size: 10 });
    const kind = h('select', {}, [['notice', '检查通知书'], ['letter', '问题反馈函'], ['report', '监督报告']].map(([v, t]) => h('option', { value: v }, t)));
    root.append(h('div', { class: 'panel' }, h('h2', {}, '开展检查'),
      h('div', { class: 'toolbar' }, field('被检查机构', ag), field('检查人员', who), field('通知日期', n), field('进场日期', st),
        h('button', { type: 'button', id: 'open-inspection', onclick: async () => {
          try { const r = await api('POST', '/inspections', { agency: ag.value, inspectors: who.value, notice_on: n.value, start_on: st.value }); toast(`已登记现场检查 #${r.id}`); insId.value = r.id; } catch (e) { fail(e); }
        } }, '登记检查')),
      h('div', { class: 'toolbar' }, field('检查编号', insId), pt, field('整改期限', pd), pa,
        h('button', { type: 'button', id: 'add-problem', onclick: async () => {
          try { const r = await api('POST', `/inspections/${insId.value}/problems`, { text: pt.value, due_on: pd.value, amount: pa.value || undefined }); toast(`已登记问题 #${r.id}`); route(); } catch (e) { fail(e); }
        } }, '登记问题'),
        kind, h('button', { type: 'button', class: 'secondary', onclick: () => window.open(`/api/v1/inspections/${insId.value}/document?kind=${kind.value}`, '_blank') }, '打开文书'))));
  }
  const page = await api('GET', '/rectifications?limit=1000');
  const rows = page.items.map(p => {
    const file = input({ type: 'file' });
    const text = input({ placeholder: '整改情况', size: 20 });
    return h('tr', { 'data-id': p.problem_id }, h('td', {}, p.problem_id), h('td', {}, p.inspection_id), h('td', {}, p.agency), h('td', {}, p.text),
      h('td', { class: 'num' }, p.amount), h('td', {}, p.due_on), h('td', {}, p.state === 'open' ? '整改中' : '已销号 ' + p.closed_on,
        p.overdue === 'true' ? h('span', { class: 'badge overdue' }, ' 逾期') : ''),
      h('td', {}, p.state === 'open' ? h('span', {}, file, text, h('button', { type: 'button', onclick: async () => {
        try {
          if (!file.files[0]) throw new Error('请选择整改证据文件');
          const r = await api('POST', `/rectifications/${p.problem_id}/close`, { text: text.value, evidence_name: file.files[0].name, evidence_base64: await fileBase64(file.files[0]) });
          toast(`已提交销号提议 #${r.proposal}，待他人复核`);
        } catch (e) { fail(e); }
      } }, '提议销号')) : ''));
  });
  root.append(h('h2', {}, '问题整改台账'), h('p', {}, h('a', { href: '/api/v1/rectifications?format=xlsx', download: 'rectify.xlsx' }, '导出 Excel')),
    page.items.length ? table('rectify', ['问题', '检查', '机构', '问题描述', '金额（元）', '整改期限', '状态', '销号'], rows) : h('p', {}, '暂无整改问题。'));
  return root;
}

/* ---- the whistleblower desk (举报受理) ---- */
/* "举报人 reporter: {json}" as 姓名、身份证号、电话 lines (the text as it is
 * when it does not parse). */
function readableReporter(text) {
  const m = /\{.*\}/s.exec(text || '');
  try {
    const j = JSON.parse(m ? m[0] : '');
    return `姓名：${j.name || ''}\n身份证号：${j.id || ''}\n电话：${j.phone || ''}\n完全民事行为能力：${j.capacity === 'full' ? '是' : '否'}`;
  } catch (e) { return text; }
}

const channelZh = [['phone', '电话'], ['letter', '信件'], ['email', '电子邮件'], ['visit', '来访'], ['web', '网站']];

async function viewTips() {
  const root = h('div', {}, h('h1', {}, '举报受理'),
    h('p', { class: 'muted' }, '举报人信息加密保存，只有举报受理人员可以查看，每次查看都记入日志；举报人信息不进入任何台账或导出文件。'));
  const chan = h('select', { id: 'tip-channel' }, channelZh.map(([v, t]) => h('option', { value: v }, t)));
  const anon = input({ type: 'checkbox', id: 'tip-anonymous' });
  const name = input({ id: 'tip-name', size: 10 }), idno = input({ id: 'tip-id', size: 20 }), phone = input({ id: 'tip-phone', size: 14 });
  const full = input({ type: 'checkbox', id: 'tip-full', checked: true });
  const stype = h('select', { id: 'tip-stype' }, [['person', '个人'], ['employer', '用人单位'], ['institution', '定点医药机构'], ['agency', '经办机构']].map(([v, t]) => h('option', { value: v }, t)));
  const sid = input({ id: 'tip-sid', size: 20 });
  const text = h('textarea', { id: 'tip-text', placeholder: '举报内容' });
  const reporter = h('span', { class: 'inline' }, field('姓名', name), field('身份证号', idno), field('电话', phone), field('完全民事行为能力', full));
  anon.addEventListener('change', () => { reporter.hidden = anon.checked; });
  root.append(h('div', { class: 'panel' }, h('h2', {}, '登记举报'),
    h('div', { class: 'toolbar' }, field('渠道', chan), field('匿名', anon), reporter),
    h('div', { class: 'toolbar' }, field('被举报对象', stype), field('编号', sid), h('label', { style: 'flex:1' }, '内容', text),
      h('button', { type: 'button', id: 'file-tip', onclick: async () => {
        const body = { channel: chan.value, subject_type: stype.value, subject_id: sid.value, text: text.value };
        if (anon.checked) body.anonymous = true;
        else body.reporter = `name=${name.value}\nid=${idno.value}\nphone=${phone.value}\ncapacity=${full.checked ? 'full' : 'limited'}`;
        try { const r = await api('POST', '/tips', body); toast(`已登记举报 #${r.id}`); name.value = idno.value = phone.value = ''; route(); } catch (e) { fail(e); }
      } }, '登记'))));
  const page = await api('GET', '/tips?limit=1000');
  const out = h('pre', { class: 'text', id: 'tip-out' });
  const rows = page.items.map(t => {
    const ag = input({ placeholder: '经办机构', size: 8 });
    const va = input({ placeholder: '查实金额（元）', size: 10 });
    return h('tr', { 'data-id': t.tip_id }, h('td', {}, t.tip_id), h('td', {}, t.filed_on), h('td', {}, (channelZh.find(c => c[0] === t.channel) || [, t.channel])[1]),
      h('td', {}, t.kind === 'anonymous' ? '匿名' : '实名'), h('td', {}, t.subject_type + ' ' + t.subject_id), h('td', {}, t.text),
      h('td', {}, t.kind === 'anonymous' ? '' : h('button', { type: 'button', class: 'secondary reveal', onclick: async () => {
        try { const r = await api('POST', `/tips/${t.tip_id}/reveal`); out.textContent = `举报 #${t.tip_id} 的举报人（本次查看已记入日志）：\n${readableReporter(r.reporter)}`; } catch (e) { fail(e); }
      } }, '查看举报人'),
      may('case.issue') ? h('span', {}, ag, h('button', { type: 'button', onclick: async () => {
        try { const r = await api('POST', `/tips/${t.tip_id}/issue`, { agency: ag.value }); toast(`已作为案件 #${r.case} 下发`); } catch (e) { fail(e); }
      } }, '下发核查')) : '',
      h('span', {}, va, h('button', { type: 'button', onclick: async () => {
        try { const r = await api('POST', `/tips/${t.tip_id}/reward`, { verified_amount: va.value }); toast(`已提交奖励提议 #${r.proposal}：奖励 ${r.reward} 元，待复核`); } catch (e) { fail(e); }
      } }, '提议奖励')),
      h('a', { href: `/api/v1/tips/${t.tip_id}/decision`, target: '_blank' }, '奖励决定书')));
  });
  root.append(h('h2', {}, '举报台账'), h('p', {}, h('a', { href: '/api/v1/tips?format=xlsx', download: 'tips.xlsx' }, '导出 Excel')),
    page.items.length ? table('tips', ['编号', '日期', '渠道', '类型', '被举报对象', '内容', '操作'], rows) : h('p', {}, '暂无举报。'), out);
  return root;
}

/* ---- rules and configuration proposals (规则与配置) ---- */
async function viewRules() {
  const j = await api('GET', '/rules');
  const root = h('div', {}, h('h1', {}, `疑点规则（${j.items.length} 条）与配置`));
  if (may('config.propose')) {
    const text = h('textarea', { id: 'config-text', rows: 6, placeholder: '[thresholds]\nlarge_payment = 30000' });
    root.append(h('div', { class: 'panel' }, h('h2', {}, '提议修改配置（须复核、审批后生效）'),
      h('p', { class: 'muted' }, '只写要改的项；复核人看到的是“项：原值 → 新值”。'), text,
      h('div', { class: 'toolbar' }, h('button', { type: 'button', id: 'propose-config', onclick: async () => {
        try { const r = await api('POST', '/proposals', { kind: 'config_change', config: text.value }); toast(`已提交配置变更提议 #${r.id}，待复核`); } catch (e) { fail(e); }
      } }, '提交提议'))));
  }
  root.append(table('rules', ['规则', '名称', '对象', '风险', '阈值'], j.items.map(r =>
    h('tr', {}, h('td', {}, r.rule), h('td', {}, r.title_zh), h('td', {}, r.subject_type), h('td', {}, r.severity), h('td', {}, r.thresholds)))));
  return root;
}

/* ---- user and role proposals (sysadmin) ---- */
function userForms() {
  if (!may('user.manage')) return null;
  const out = h('pre', { class: 'text', id: 'user-out' });
  const propose = async body => {
    try {
      const r = await api('POST', '/proposals', body);
      out.textContent = `已提交提议 #${r.id}，待他人复核、审批。` + (r.initial_password
        ? `\n新用户的初始密码（只显示这一次，审批人看不到；请当面交给本人，本人须先设置自己的密码）：\n${r.initial_password}` : '');
    } catch (e) { fail(e); }
  };
  const u = input({ id: 'nu-user', size: 12 }), n = input({ id: 'nu-name', size: 8 }), ag = input({ id: 'nu-agency', size: 8, placeholder: '经办机构（可空）' });
  const roles = h('select', { id: 'nu-roles' }, Object.entries(roleZh).map(([v, t]) => h('option', { value: v }, t)));
  const gu = input({ size: 12, placeholder: '用户名' });
  const gr = h('select', {}, Object.entries(roleZh).map(([v, t]) => h('option', { value: v }, t)));
  return h('div', { class: 'panel' }, h('h2', {}, '提议变更用户与角色（一岗双核）'),
    h('div', { class: 'toolbar' }, h('strong', {}, '新建用户'), field('用户名', u), field('姓名', n), field('角色', roles), ag,
      h('button', { type: 'button', id: 'propose-user', onclick: () => propose({ kind: 'user_create', user: u.value, name: n.value, roles: roles.value, agency: ag.value || undefined }) }, '提议')),
    h('div', { class: 'toolbar' }, h('strong', {}, '角色'), gu, gr,
      h('button', { type: 'button', onclick: () => propose({ kind: 'role_grant', user: gu.value, role: gr.value }) }, '提议授予'),
      h('button', { type: 'button', class: 'secondary', onclick: () => propose({ kind: 'role_revoke', user: gu.value, role: gr.value }) }, '提议撤销'),
      h('button', { type: 'button', class: 'secondary', onclick: () => propose({ kind: 'user_unlock', user: gu.value }) }, '提议解锁')), out);
}

/* ---- the journal: entries and verification ---- */
async function journalEntries(params) {
  if (!may('journal.read')) return null;
  const q = new URLSearchParams({ limit: '100' });
  if (params.get('cursor')) q.set('cursor', params.get('cursor'));
  if (params.get('action')) q.set('action', params.get('action'));
  const page = await api('GET', '/journal?' + q);
  const act = input({ id: 'journal-action', placeholder: '动作，如 tip.reveal', value: params.get('action') || '' });
  const out = h('pre', { class: 'text', id: 'verify-out' });
  const nq = new URLSearchParams(q); nq.delete('limit'); if (page.next) nq.set('cursor', page.next);
  return h('div', {}, h('div', { class: 'panel' },
    h('button', { type: 'button', id: 'verify', onclick: async () => {
      out.textContent = '正在校验整条日志与全部签名…';
      try { const r = await api('POST', '/journal/verify'); out.textContent = (r.ok ? '校验通过：' : '发现问题！') + `共 ${r.entries} 条，覆盖数据行 ${r.rows_covered}，问题 ${r.problems} 处，树根 ${r.root}\n${r.report}`; } catch (e) { fail(e); }
    } }, '校验日志'), out),
    h('form', { class: 'toolbar', onsubmit: ev => { ev.preventDefault(); location.hash = '#/journal?action=' + encodeURIComponent(act.value); } },
      field('动作', act), h('button', { type: 'submit' }, '筛选'),
      h('a', { href: '/api/v1/journal?format=xlsx' + (params.get('action') ? '&action=' + encodeURIComponent(params.get('action')) : ''), download: 'journal.xlsx', id: 'journal-xlsx' }, '导出 Excel（身份证号已遮蔽）')),
    table('journal', ['编号', '时间', '签名人', '动作', '内容（身份证号已遮蔽）'], page.items.map(e =>
      h('tr', {}, h('td', {}, e.seq), h('td', {}, e.at), h('td', {}, e.actor), h('td', {}, e.action), h('td', { class: 'payload' }, e.payload.slice(0, 300))))),
    h('p', {}, `共 ${page.total} 条`, page.next ? h('a', { href: '#/journal?' + nq }, ' 下一页') : ''));
}
