// walk.mjs — the workbench scenario of web.md in Debian's chromium, driven by
// playwright-core (no browser download), from tests/e2e_browser.sh:
//   node walk.mjs URL PASSWORD SHOT_DIR
// log in; screen the demo city; open a finding and its evidence; issue it as
// a case; classify it as the agency's handler; a second user approves its
// dismissal in the inbox; export the ledger to xlsx; see the refusal when a
// role lacks the permission. Screenshots of every step go to SHOT_DIR, at
// 1366x768 and (the dashboard) 1920x1080. The page's visible text must be
// Chinese, and no request before login may fail.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const WEB = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../web');
const { chromium } = await import(pathToFileURL(path.join(WEB, 'node_modules/playwright-core/index.mjs')));

const [URL0, PW, SHOTS] = process.argv.slice(2);
const BASE = URL0.replace(/\/$/, '');
fs.mkdirSync(SHOTS, { recursive: true });
const exe = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(p => fs.existsSync(p));
if (!exe) { console.error('FAIL: chromium is not installed (scripts/bootstrap.sh --bench)'); process.exit(1); }

function ok(cond, msg) { if (!cond) { console.error('FAIL: ' + msg); process.exit(1); } }
const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--disable-gpu'] });
let n = 0;
async function shot(page, name) {
  const f = path.join(SHOTS, `${String(++n).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: f, fullPage: false });
}

/* Visible text is Chinese: every text node with a Latin word of 3+ letters
 * must also hold Chinese, or be a code (rule ids, user names, amounts). */
async function chineseOnly(page, where) {
  const bad = await page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const s = t.textContent.trim();
      if (!s || t.parentElement.closest('script,style,pre,code,option,td,#who')) continue;
      const style = getComputedStyle(t.parentElement);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      if (/[\u4e00-\u9fff]/.test(s)) continue;
      if (/^[#\d\s.,:;()（）%\-/*_A-Za-z0-9@]*$/.test(s) && !/\b[A-Za-z]{4,}\b/.test(s.replace(/[a-z]+\.[a-z_]+/g, ''))) continue;
      out.push(s.slice(0, 60));
    }
    return out;
  });
  ok(bad.length === 0, `${where}: text that is not Chinese: ${JSON.stringify(bad.slice(0, 5))}`);
}

async function newPage(width = 1366, height = 768) {
  const ctx = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.failed = [];
  page.on('response', r => { if (r.status() >= 400) page.failed.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', e => page.failed.push('page error: ' + e.message));
  return page;
}

async function login(page, user) {
  await page.goto(BASE + '/');
  await page.waitForSelector('#user');
  await page.fill('#user', user);
  await page.fill('#password', PW);
  await page.keyboard.press('Enter'); // the keyboard works
  await page.waitForSelector('#nav:not([hidden])');
}

async function logout(page) {
  await page.click('#logout');
  await page.waitForSelector('#user');
}

// 1. log in as the supervisor: before login nothing fails
const page = await newPage();
await page.goto(BASE + '/');
await page.waitForSelector('#user');
ok(page.failed.length === 0, 'requests before login failed: ' + page.failed.join(', '));
await chineseOnly(page, 'login');
await shot(page, 'login');
await login(page, 'li.jd');
await page.waitForSelector('#screen');
await chineseOnly(page, 'dashboard');

// 2. screen the demo city (the as-of of its data) and follow the progress
await page.fill('#as-of', '2026-06-30');
await page.click('#screen');
await page.waitForFunction(() => /筛查完成：运行 #\d+/.test(document.querySelector('#toast')?.textContent || ''), null, { timeout: 120000 });
await page.waitForSelector('#chart-rule canvas', { timeout: 30000 });
await shot(page, 'dashboard-screened');

// 3. a finding and its evidence, in district 410102
await page.goto(BASE + '/#/findings?region=410102');
await page.waitForSelector('#findings tbody tr');
await chineseOnly(page, 'findings');
await page.focus('#findings tbody tr');
await page.keyboard.press('Enter');
await page.waitForSelector('#finding-detail #evidence li');
const ev = await page.$$eval('#evidence li', li => li.map(x => x.textContent));
ok(ev.length > 0 && ev.every(t => / 表第 \d+ 行$/.test(t)), 'evidence rows: ' + ev.join('; '));
const masked = await page.textContent('#finding-detail');
await shot(page, 'finding-evidence');

// 4. issue it to the district's agency
await page.fill('#agency', 'A410102');
await page.click('#issue');
// the screening's toast may still show: wait for this one's own words (or an error)
await page.waitForFunction(() => /已下发|#toast .err/.test((document.querySelector('#toast')?.textContent || '') +
  (document.querySelector('#toast .err') ? '#toast .err' : '')), null, { timeout: 30000 });
ok(/已下发 1 件/.test(await page.textContent('#toast')), 'issue toast: ' + await page.textContent('#toast'));
await shot(page, 'issued');
await logout(page);

// 5. the agency's handler takes the case and classifies it normal
await login(page, 'wu.ag');
await page.goto(BASE + '/#/cases');
await page.waitForSelector('#cases tbody tr');
await page.click('#cases tbody tr');
await page.waitForSelector('#assign');
await page.fill('#assignee', 'wu.ag');
await page.click('#assign');
await page.waitForFunction(() => /核查中/.test(document.querySelector('#case-detail h2')?.textContent || ''));
await page.selectOption('#outcome', 'normal');
await page.fill('#classify-text', '经核实，待遇发放正确，无问题');
await page.click('#classify');
await page.waitForFunction(() => /复核提议 #\d+/.test(document.querySelector('#toast')?.textContent || ''));
await chineseOnly(page, 'case');
await shot(page, 'classified');

// 6. the refusal when a role lacks the permission (a handler reads users)
await page.goto(BASE + '/#/users');
await page.waitForSelector('#denied');
ok(/无权访问/.test(await page.textContent('#denied')), 'refusal page');
await shot(page, 'refused');
await logout(page);

// 7. a second user (the reviewer) approves the dismissal in the inbox
await login(page, 'wang.fh');
await page.goto(BASE + '/#/inbox');
await page.waitForSelector('.proposal');
const text = await page.textContent('.proposal');
ok(/疑点认定正常/.test(text) && /所涉疑点/.test(text) && /证据行/.test(text), 'the inbox shows what is asked, the finding and its evidence: ' + text.slice(0, 300));
await shot(page, 'inbox');
await page.click('.proposal button.review');
await page.waitForFunction(() => /已复核/.test(document.querySelector('#toast')?.textContent || ''));
await logout(page);

// 8. the supervisor exports the ledger to xlsx; the case is closed
await login(page, 'li.jd');
await page.goto(BASE + '/#/cases');
await page.waitForSelector('#cases tbody tr');
ok(/已办结/.test(await page.textContent('#cases tbody')), 'the dismissal closed the case');
const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#ledger-xlsx')]);
const file = path.join(SHOTS, 'ledger.xlsx');
await dl.saveAs(file);
ok(fs.readFileSync(file).subarray(0, 2).toString() === 'PK', 'the ledger download is an xlsx file');
await shot(page, 'ledger');

await logout(page);

// 9. the rest of the workbench: the rules page and a configuration proposal
// (the reviewer reads "old → new"), inspections, the journal verified, the
// whistleblower desk (reporter fields only there), a user proposal
await login(page, 'li.jd');
await page.goto(BASE + '/#/rules');
await page.waitForSelector('#rules tbody tr');
ok((await page.$$('#rules tbody tr')).length === 50, 'the rules page lists 50 rules');
await page.fill('#config-text', '[thresholds]\nlarge_payment = 30000\n');
await page.click('#propose-config');
await page.waitForFunction(() => /配置变更提议 #\d+/.test(document.querySelector('#toast')?.textContent || ''));
await chineseOnly(page, 'rules');
await shot(page, 'rules');
await page.goto(BASE + '/#/inspections');
await page.waitForSelector('#make-plan');
await page.fill('#plan-year', '2026');
await page.click('#make-plan');
await page.waitForFunction(() => /年抽中/.test(document.querySelector('#plan-out')?.textContent || ''));
await chineseOnly(page, 'inspections');
await shot(page, 'inspections');
await logout(page);
await login(page, 'chen.jh');
await page.goto(BASE + '/#/journal');
await page.waitForSelector('#journal tbody tr');
await page.click('#verify');
await page.waitForFunction(() => /校验通过/.test(document.querySelector('#verify-out')?.textContent || ''), null, { timeout: 60000 });
await chineseOnly(page, 'journal');
await shot(page, 'journal');
{
  const [jd] = await Promise.all([page.waitForEvent('download'), page.click('#journal-xlsx')]);
  const jf = path.join(SHOTS, 'journal.xlsx');
  await jd.saveAs(jf);
  ok(fs.readFileSync(jf).subarray(0, 2).toString() === 'PK', 'the journal download is an xlsx file');
}
ok(await page.isHidden('#nav a[href="#/tips"]'), 'the auditor sees no whistleblower desk link');
await logout(page);
await login(page, 'desk.jb');
await page.goto(BASE + '/#/tips');
await page.waitForSelector('#file-tip');
await page.fill('#tip-name', '举报人甲');
await page.fill('#tip-id', '110101199001011234');
await page.fill('#tip-phone', '13800000000');
await page.fill('#tip-sid', 'E0001');
await page.selectOption('#tip-stype', 'employer');
await page.fill('#tip-text', '该单位少报缴费基数');
await page.click('#file-tip');
await page.waitForSelector('#tips tbody tr');
ok(!/举报人甲/.test(await page.textContent('#tips')), 'the tip ledger holds no reporter');
await page.click('#tips tbody tr button.reveal');
await page.waitForFunction(() => /举报人甲/.test(document.querySelector('#tip-out')?.textContent || ''));
await chineseOnly(page, 'tips');
await shot(page, 'tips');
await logout(page);
await login(page, 'wang.fh');
await page.goto(BASE + '/#/inbox');
await page.waitForSelector('.proposal');
const inbox = await page.textContent('#app');
ok(/large_payment[^\n]*→ 30000/.test(inbox), 'the reviewer reads the configuration change as old → new: ' + inbox.slice(0, 400));
await logout(page);
await login(page, 'zhou.xt');
await page.goto(BASE + '/#/users');
await page.waitForSelector('#propose-user');
await page.fill('#nu-user', 'new.jb');
await page.fill('#nu-name', '新经办');
await page.click('#propose-user');
await page.waitForFunction(() => /初始密码/.test(document.querySelector('#user-out')?.textContent || ''));
await chineseOnly(page, 'users');
await shot(page, 'users');
await logout(page);

// 10. the dashboard on a 1920x1080 screen
const big = await newPage(1920, 1080);
await login(big, 'li.jd');
await big.waitForSelector('#chart-rule canvas', { timeout: 30000 });
await shot(big, 'dashboard-1920');
await browser.close();
console.log(`walk: ok (${n} screenshots in ${SHOTS}; the evidence panel read ${masked.length} characters)`);
