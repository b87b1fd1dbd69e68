// test_app.cjs - the web app in a real browser (Debian's Chromium, driven by
// playwright-core), against the real server on a free port with a demo
// world: a rep signs in by a one-time link and sees only their leads;
// another rep's lead by URL is not found; a reject with a reason from the
// picker takes the lead out of the queue; marketing, signed in by token in
// another browser context, reads that reason under the lead's source in the
// feedback report through its session; a request without the CSRF token is
// refused; the CSP header is there; French; a phone's width; sign-out and a
// revoked token end the session; axe-core finds nothing serious or critical.
// SCREENSHOTS=DIR writes a screenshot of each screen there (docs/app/).
'use strict';
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const LEADFLOW = process.env.LEADFLOW, SRC = process.env.SRC;
const MODULES = path.join(SRC, 'web', 'node_modules');
const { chromium } = require(path.join(MODULES, 'playwright-core'));
const AXE = path.join(MODULES, 'axe-core', 'axe.min.js');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.SCREENSHOTS;

if (!fs.existsSync(CHROMIUM)) { console.log('skip: no /usr/bin/chromium'); process.exit(77); }

let failures = 0;
function check(cond, what) { console.log((cond ? 'ok   ' : 'FAIL ') + what); if (!cond) failures++; }

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-app-'));
const db = path.join(dir, 't.db');
const lf = (...args) => execFileSync(LEADFLOW, ['--db', db, ...args], { encoding: 'utf8' });
lf('init');
lf('demo', '--leads', '800', '--seed', '2');
lf('model', 'add', path.join(SRC, 'models', 'default.yaml'));
lf('model', 'activate', '1');
const admin = lf('token', 'create', '--role', 'admin', '--name', 'admin').trim();
const marketing = lf('token', 'create', '--role', 'marketing', '--name', 'Mia (marketing)').trim();

function serve() {
  return new Promise((resolve, reject) => {
    const p = spawn(LEADFLOW, ['--db', db, 'serve', '--listen', '127.0.0.1:0'],
                    { stdio: ['ignore', 'pipe', fs.openSync(path.join(dir, 'server.log'), 'a')] });
    p.stdout.once('data', (d) => {
      const m = String(d).match(/listening on (http:\/\/\S+)/);
      m ? resolve({ p, base: m[1] }) : reject(new Error('no listening line: ' + d));
    });
    p.once('exit', (c) => reject(new Error('server exited ' + c)));
  });
}

async function call(base, method, p, tok, body) {
  const r = await fetch(base + p, { method, headers: { Authorization: 'Bearer ' + tok,
    ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body && JSON.stringify(body) });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
}

async function axe(browser, base, page, what) {
  // axe is injected as a script, which the app's CSP rightly refuses: a
  // second context that bypasses CSP, with the same session cookie
  const ctx = await browser.newContext({ bypassCSP: true });
  await ctx.addCookies(await page.context().cookies());
  const p = await ctx.newPage();
  await p.goto(page.url());
  await p.waitForLoadState('networkidle');
  await p.waitForTimeout(300);
  await p.addScriptTag({ path: AXE });
  const res = await p.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe on ${what}: no serious or critical violation` +
        (bad.length ? ' (' + bad.map((v) => v.id + ': ' + v.nodes.length).join(', ') + ')' : ''));
  await ctx.close();
}

async function shot(page, name) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: false });
}

(async () => {
  const { p: server, base } = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-background-networking'] });
  try {
    // the rep with the most leads waiting at 'assigned'
    const assigned = (await call(base, 'GET', '/v1/leads?stage=assigned&limit=1000', admin)).body.leads;
    const count = {};
    for (const l of assigned) count[l.owner_rep_id] = (count[l.owner_rep_id] || 0) + 1;
    const repId = Number(Object.entries(count).sort((a, b) => b[1] - a[1])[0][0]);
    const repName = (await call(base, 'GET', '/v1/reps', admin)).body.reps.find((r) => r.id === repId).name;
    lf('token', 'create', '--role', 'rep', '--rep', String(repId), '--name', repName);
    const repTokenId = JSON.parse(lf('--format', 'json', 'token', 'list')).tokens
      .find((t) => t.name === repName).id;
    const link = lf('token', 'link', String(repTokenId), '--url', base).trim();
    const mine = (await call(base, 'GET', `/v1/leads?owner=${repId}&limit=1000`, admin)).body.leads;
    const other = (await call(base, 'GET', '/v1/leads?stage=assigned&limit=1000', admin)).body.leads
      .find((l) => l.owner_rep_id !== repId);

    // --- the rep signs in by the link
    const repCtx = await browser.newContext({ locale: 'en-GB' });
    const page = await repCtx.newPage();
    const resp = await page.goto(link);
    const csp = resp.headers()['content-security-policy'] || '';
    check(csp.includes("script-src 'self'") && csp.includes("frame-ancestors 'none'") &&
          !csp.includes('unsafe-inline'), 'the page comes with a CSP without inline script');
    await page.waitForSelector('.queue li');
    check(!page.url().includes('lk_'), 'the link leaves the address bar once used');
    const shown = await page.$$eval('.queue li', (els) => els.map((e) => Number(e.dataset.lead)));
    const mineIds = new Set(mine.map((l) => l.id));
    check(shown.length > 0 && shown.every((id) => mineIds.has(id)),
          `the queue shows only the rep's leads (${shown.length})`);
    check(await page.locator('.queue .clock').first().isVisible(), 'each lead has its SLA clock');
    const told = await page.$$eval('.queue li [data-reasons]', (els) => els.map((e) => e.textContent));
    check(told.length > 0 && told.every((r) => /\(\+\d+\)/.test(r)),
      `leads show their top reasons in words (${told[0]})`);
    await shot(page, 'queue');
    await axe(browser, base, page, 'the queue');

    // the same link a second time: refused
    const again = await browser.newContext();
    const p2 = await again.newPage();
    await p2.goto(link);
    await p2.waitForSelector('.signin .error');
    check(true, 'the link used once does not sign in again');
    await shot(p2, 'signin');
    await axe(browser, base, p2, 'sign-in');
    await again.close();

    // another rep's lead by URL
    await page.goto(base + '/#/lead/' + other.id);
    await page.waitForSelector('main .error');
    check((await page.textContent('main .error')).includes('not yours'), "another rep's lead: not found");

    // a lead of mine at 'assigned': reject it with a reason from the picker
    const target = mine.find((l) => l.stage === 'assigned');
    await page.goto(base + '/#/lead/' + target.id);
    await page.waitForSelector('button[data-action="reject"]');
    await shot(page, 'lead');
    await axe(browser, base, page, 'the lead page');
    const offered = await page.$$eval('button[data-action]', (b) => b.map((x) => x.dataset.action).sort());
    check(JSON.stringify(offered) === JSON.stringify(['accept', 'disqualify', 'reject']),
          `only the actions a rep may take from 'assigned': ${offered}`);
    // the CSRF token is required: the same request without it is refused
    const noCsrf = await page.evaluate(async (id) => (await fetch(`/v1/leads/${id}/touches`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'call', minutes: 1 }) })).status, target.id);
    check(noCsrf === 403, `a state-changing request without the CSRF token: ${noCsrf}`);
    await page.keyboard.press('r');
    await page.waitForSelector('form.action select[name="reason"]');
    const reasons = await page.$$eval('form.action option', (o) => o.map((x) => x.value));
    const reason = reasons[reasons.length - 1];
    await page.selectOption('form.action select[name="reason"]', reason);
    // the chosen code's why, as the model says it, under the picker
    const why = await page.textContent('form.action [data-why]');
    const whys = (await call(base, 'GET', `/v1/leads/${target.id}/actions`, admin)).body.actions
      .find((a) => a.action === 'reject').reason_whys;
    check(why && why === whys[reason], `the reason's why is shown under the picker: '${why}'`);
    const ruleWhys = await page.$$eval('table.explain th small', (s) => s.length);
    check(ruleWhys > 0, `the score's rules show their whys (${ruleWhys})`);
    await page.click('form.action button[type="submit"]');
    await page.waitForSelector('.notice');
    await page.waitForFunction(() => document.querySelector('.lead .stage')?.textContent === 'recycled');
    check(true, `rejected with '${reason}': the lead is recycled`);
    await page.goto(base + '/#/queue');
    await page.waitForSelector('.queue li');
    const after = await page.$$eval('.queue li', (els) => els.map((e) => Number(e.dataset.lead)));
    check(!after.includes(target.id), 'the rejected lead has left the queue');

    // qualify a lead at sal, answering the question asked at qualify in the same form
    const next = mine.find((l) => l.stage === 'sal');
    if (next) {
      await page.goto(base + '/#/lead/' + next.id);
      await page.waitForSelector('form.questions');
      await page.keyboard.press('q');
      await page.waitForSelector('form.action select[name="answer_timeline"]');
      const asked = await page.$$eval('form.action fieldset label.question', (l) => l.length);
      check(asked === 1, `qualify asks the model's one qualify question (${asked})`);
      await page.selectOption('form.action select[name="answer_timeline"]', 'this_quarter');
      await page.click('form.action button[type="submit"]');
      await page.waitForFunction(() => document.querySelector('.lead .stage')?.textContent === 'sql');
      const got = (await call(base, 'GET', `/v1/leads/${next.id}/answers`, admin)).body.answers[0];
      check(got && `${got.question}=${got.value} by ${got.actor}` === `timeline=this_quarter by ${repName}`,
            `the answer is kept with the move, as the rep's (${JSON.stringify(got)})`);
      // and on their own, from the lead's questions
      await page.fill('form.questions input[name="answer_seats"]', '12');
      await page.click('form.questions button[type="submit"]');
      await page.waitForFunction(() => document.querySelector('.notice')?.textContent.includes('answers'));
      const seats = (await call(base, 'GET', `/v1/leads/${next.id}/answers`, admin)).body.answers[0];
      check(seats && seats.question === 'seats' && seats.value === 12,
            `an answer saved from the questions form is kept (${JSON.stringify(seats)})`);
    } else {
      check(false, 'the rep has a lead at sal to qualify');
    }
    await page.goto(base + '/#/queue');
    await page.waitForSelector('.queue li');

    // live: a lead assigned to the rep by someone else appears without a reload
    const waiting = (await call(base, 'GET', '/v1/leads?stage=lead&limit=1', admin)).body.leads[0];
    lf('lead', 'mql', String(waiting.id), '--as', 'gate', '--role', 'system');
    {
      const a = await call(base, 'POST', `/v1/leads/${waiting.id}/transitions`, admin,
                           { action: 'assign', rep_id: repId });
      const t0 = Date.now();   // from the answer: the assignment is committed
      check(a.status === 200, `an admin assigns lead ${waiting.id} to the rep (${a.status})`);
      await page.waitForSelector(`.queue li[data-lead="${waiting.id}"]`, { timeout: 4000 });
      check(Date.now() - t0 <= 2500, `it appears in the rep's queue without a reload (${Date.now() - t0} ms)`);
    }

    // one table of strings per language, with the same keys
    const keys = await page.evaluate(async () => {
      const { strings } = await import('/app/i18n.js');
      return Object.fromEntries(Object.entries(strings).map(([l, s]) => [l, Object.keys(s).sort()]));
    });
    check(JSON.stringify(keys.en) === JSON.stringify(keys.fr),
          `English and French name the same ${keys.en.length} strings`);
    // French, and a phone's width
    await page.click('header button[lang="fr"]');
    await page.waitForSelector('h1');
    check((await page.textContent('h1')).startsWith('Mes leads'), 'the app speaks French');
    await page.setViewportSize({ width: 375, height: 740 });
    await page.waitForTimeout(200);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= 375, `the queue fits a phone's width (${wide}px)`);
    await shot(page, 'queue-phone-fr');
    await page.click('header button[lang="en"]');

    // --- marketing, in another browser context, signs in with its token
    const mktCtx = await browser.newContext();
    const mp = await mktCtx.newPage();
    await mp.goto(base + '/');
    await mp.fill('#token', marketing);
    await mp.click('.signin button[type="submit"]');
    await mp.waitForSelector('header .who');
    check((await mp.textContent('header .who')).includes('marketing'), 'marketing signs in with its token');
    check(!!(await mp.waitForSelector('nav.tabs', { timeout: 5000 }).catch(() => null)), "marketing's home is the reports");
    await mp.click('button[data-report="feedback"]');
    await mp.waitForSelector('button[data-report="feedback"][aria-pressed="true"]');
    // the rows of the report shown before may still be there a moment: wait for the row
    const found = await mp.waitForFunction((want) => [...document.querySelectorAll('table.report tbody tr')].some((tr) => {
      const c = [...tr.children].map((x) => x.textContent.trim());
      return c[0] === 'source' && c[1] === want.source && c[2] === 'reject' && c[3] === want.reason;
    }), { source: target.source, reason }, { timeout: 5000 }).then(() => true).catch(() => false);
    check(found, `the feedback screen shows '${reason}' under source '${target.source}'`);
    await shot(mp, 'reports-feedback');
    await axe(browser, base, mp, 'the reports');
    // the number is a link to the leads behind it: the rejected lead is among them
    await mp.$$eval('table.report tbody tr', (trs, want) => trs.find((tr) => {
      const c = [...tr.children].map((x) => x.textContent.trim());
      return c[0] === 'source' && c[1] === want.source && c[2] === 'reject' && c[3] === want.reason;
    }).querySelector('a[data-behind]').click(), { source: target.source, reason });
    await mp.waitForSelector('p[data-behind]');
    const behind = await mp.waitForSelector(`tr[data-lead="${target.id}"]`, { timeout: 5000 }).catch(() => null);
    const rows = await mp.$$eval('tr[data-lead]', (trs) => trs.length);
    check(!!behind && mp.url().includes('reason=' + encodeURIComponent(reason)),
      `a feedback number opens the lead list behind it (${rows} leads, the rejected one among them)`);
    await mp.goto(base + '/#/reports');
    await mp.waitForSelector('nav.tabs');
    await mp.click('button[data-report="calibration"]');
    await mp.waitForSelector('button[data-report="calibration"][aria-pressed="true"]');
    // the chart of the report shown before may still be there a moment: wait for ten bars
    const deciles = await mp.waitForFunction(() => document.querySelectorAll('svg.chart rect.bar').length === 10,
      null, { timeout: 5000 }).then(() => true).catch(() => false);
    check(deciles, `the calibration report draws its ten deciles (${(await mp.$$('svg.chart rect.bar')).length})`);
    await mp.fill('input[name="source"]', target.source);
    await mp.press('input[name="source"]', 'Tab');
    await mp.waitForSelector('table.report tbody tr');
    check(true, 'a filter the report takes is offered and applied');
    // the lead list: paged on the server, filtered, found by email
    await mp.click('header nav a[href="#/leads"]');
    await mp.waitForSelector('table.grid tbody tr[data-lead]');
    const first = await mp.$$eval('tr[data-lead]', (r) => r.map((x) => x.dataset.lead));
    check(first.length === 50, `the lead list shows a page of 50 (${first.length})`);
    await mp.click('button[data-next]');
    await mp.waitForFunction((f0) => document.querySelector('tr[data-lead]')?.dataset.lead !== f0, first[0]);
    const second = await mp.$$eval('tr[data-lead]', (r) => r.map((x) => x.dataset.lead));
    check(second.every((id) => !first.includes(id)), 'the next page holds other leads');
    await mp.selectOption('select[name="stage"]', 'recycled');
    await mp.fill('input[name="source"]', target.source);
    await mp.press('input[name="source"]', 'Tab');
    await mp.waitForFunction((src) => [...document.querySelectorAll('tr[data-lead]')].every((tr) =>
      tr.children[2].textContent === src && tr.children[3].textContent === 'recycled'), target.source);
    check(true, `filtered on the server: every row is recycled and from ${target.source}`);
    await mp.fill('input[name="find"]', target.email);
    await mp.press('input[name="find"]', 'Tab');
    await mp.waitForFunction(() => document.querySelectorAll('tr[data-lead]').length === 1);
    const found1 = await mp.$$eval('tr[data-lead]', (r) => r.map((x) => Number(x.dataset.lead)));
    check(found1.length === 1 && found1[0] === target.id, 'found by email: the rejected lead');
    await shot(mp, 'leads');
    await axe(browser, base, mp, 'the lead list');

    // --- models: marketing proposes a draft and approves it; a sales
    // manager approves it in another browser context and activates it; the
    // lead page then scores under the new version
    const draft = fs.readFileSync(path.join(SRC, 'models', 'default.yaml'), 'utf8')
      .replace(/^name: default$/m, 'name: default-tuned').replace(/^floor: 60$/m, 'floor: 58');
    fs.writeFileSync(path.join(dir, 'tuned.yaml'), draft);
    lf('model', 'add', path.join(dir, 'tuned.yaml'));
    await mp.click('header nav a[href="#/models"]');
    await mp.waitForSelector('tr[data-version="2"]');
    await mp.click('tr[data-version="2"] button');
    await mp.waitForSelector('tr.picked[data-version="2"]');
    check((await mp.textContent('[data-picked-status]')) === 'draft', 'the new version is a draft');
    check((await mp.textContent('section')).includes('floor'), 'its changes from the active model are listed');
    await mp.click('button[data-do="propose"]');
    await mp.waitForFunction(() => document.querySelector('[data-picked-status]').textContent === 'proposed');
    await mp.click('button[data-do="approve"]');
    await mp.waitForFunction(() => document.querySelector('[data-approved="marketing"]').textContent.includes('Mia'));
    // try a lead under the draft, beside the active model
    await mp.fill('input[name="try_lead"]', String(target.id));
    await mp.click('#h-try ~ form button[type="submit"]');
    await mp.waitForSelector('[data-try-total]');
    const want = (await call(base, 'GET', `/v1/leads/${target.id}/explain?version=2`, admin)).body.total;
    check(Math.abs(Number((await mp.textContent('[data-try-total]')).replace(',', '.')) - want) < 0.06,
          `a lead tried under the draft: total ${want}`);
    const missing = await mp.textContent('[data-missing]');
    check(/sales/.test(missing), `marketing's approval alone is not enough: "${missing}"`);
    check(!(await mp.$('button[data-do="activate"]')), 'no activate button before both teams approved');
    await shot(mp, 'models');
    await axe(browser, base, mp, 'the models');
    const bossId2 = JSON.parse(lf('--format', 'json', 'token', 'create', '--role', 'sales_manager',
                                  '--name', 'Sasha (sales)')).id;
    const sctx = await browser.newContext();
    const sp = await sctx.newPage();
    await sp.goto(lf('token', 'link', String(bossId2), '--url', base).trim());
    await sp.waitForSelector('header nav');
    await sp.click('header nav a[href="#/models"]');
    await sp.waitForSelector('button[data-do="approve"]');
    await sp.click('button[data-do="approve"]');
    await sp.waitForSelector('button[data-do="activate"]');
    await sp.click('button[data-do="activate"]');
    await sp.waitForFunction(() => document.querySelector('[data-picked-status]').textContent === 'active');
    check(true, 'a sales manager approves in another context and activates it');
    await mp.waitForFunction(() => document.querySelector('tr[data-version="2"] [data-status]').textContent === 'active',
                             null, { timeout: 4000 });
    check(true, "marketing's screen shows version 2 active without a reload");
    await sp.goto(base + '/#/lead/' + target.id);
    await sp.waitForSelector('p.totals');
    check((await sp.textContent('p.totals')).includes('model 2'), 'the lead page scores under version 2');
    await sctx.close();
    await mktCtx.close();

    // --- a sales manager's board: every rep away, strong hand-raisers
    // arrive, the threshold rises above the floor; the reps back, it falls
    const bossId = JSON.parse(lf('--format', 'json', 'token', 'create', '--role', 'sales_manager',
                                 '--name', 'Sam (sales)')).id;
    const bossCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const bp = await bossCtx.newPage();
    await bp.goto(lf('token', 'link', String(bossId), '--url', base).trim());
    await bp.waitForSelector('[data-kpi="threshold"]');
    check(bp.url().endsWith('#/'), "a sales manager's home is the board");
    const kpi = async (k) => Number((await bp.textContent(`[data-kpi="${k}"]`)).replace(/[^0-9.]/g, ''));
    const floor = await kpi('floor');
    const setAll = async (pressed) => {
      for (;;) {
        const b = await bp.$(`button[data-away][aria-pressed="${pressed}"]`);
        if (!b) break;
        const id = await b.getAttribute('data-away');
        await b.click();
        await bp.waitForSelector(`button[data-away="${id}"][aria-pressed="${!pressed}"]`);
      }
    };
    await setAll(false);
    await bp.waitForFunction(() => document.querySelector('[data-kpi="free_slots"]').textContent.trim() === '0');
    check(true, 'every rep set away from the board: no free slot');
    for (let i = 0; i < 3; i++) {
      const email = `hand.raiser${i}@bigcorp.example`;
      const lr = await call(base, 'POST', '/v1/leads', admin, { email, title: 'VP Sales', employees: 800,
        industry: 'software', source: 'webinar' });
      const er = await call(base, 'POST', '/v1/events', admin, { id: `demo-${i}`, email, type: 'demo_request' });
      check(lr.status < 300 && er.status < 300, `a strong hand-raiser arrives (${lr.status}, ${er.status})`);
    }
    await bp.waitForFunction((f) => Number(document.querySelector('[data-kpi="threshold"]').textContent
      .replace(/[^0-9.]/g, '')) > f, floor, { timeout: 8000 });
    check(await kpi('threshold') > floor, `with no slot the threshold rises above the floor (${await kpi('threshold')} > ${floor})`);
    await shot(bp, 'board');
    await axe(browser, base, bp, 'the board');
    await setAll(true);
    await bp.waitForFunction((f) => Number(document.querySelector('[data-kpi="threshold"]').textContent
      .replace(/[^0-9.]/g, '')) === f, floor, { timeout: 8000 });
    check(await kpi('threshold') === floor, 'the reps back, the threshold falls to the floor');
    // the managers' queue: leads no routing rule takes wait at mql; two are
    // ticked and given to one rep at once
    fs.writeFileSync(path.join(dir, 'routing.yaml'),
                     'rules:\n  - name: giants only\n    when: employees >= 1000000\n    pool: giants\n');
    lf('routing', 'set', path.join(dir, 'routing.yaml'));
    const unrouted = [];
    for (let i = 0; i < 2; i++) {
      const email = `unrouted${i}@smallco.example`;
      await call(base, 'POST', '/v1/leads', admin, { email, title: 'Head of IT', employees: 200,
        industry: 'software', source: 'referral' });
      await call(base, 'POST', '/v1/events', admin, { id: `unrouted-${i}`, email, type: 'demo_request' });
      unrouted.push((await call(base, 'GET', `/v1/leads?email=${encodeURIComponent(email)}`, admin)).body.leads[0].id);
    }
    for (const id of unrouted) await bp.waitForSelector(`tr[data-pool="${id}"]`, { timeout: 8000 });
    // (the marketing leads go to SDRs only: the account executives take SQLs)
    const tiers = await bp.$$eval('tr[data-rep] td:nth-child(2)', (c) => c.map((x) => x.textContent));
    const options = await bp.$$eval('select[name="bulk_rep"] option', (o) => o.map((x) => x.value).filter(Boolean));
    const repsNow = (await call(base, 'GET', '/v1/reps', admin)).body.reps;
    check(tiers.includes('AE') && tiers.includes('SDR') &&
          options.length > 0 && options.every((id) => repsNow.find((r) => r.id === Number(id)).tier === 'sdr'),
          `the board shows each rep's tier, and offers only SDRs to assign to (${options.length})`);
    for (const id of unrouted) await bp.check(`tr[data-pool="${id}"] input[type="checkbox"]`);
    const toRep = await bp.$eval('select[name="bulk_rep"] option:nth-child(2)', (o) => o.value);
    await bp.selectOption('select[name="bulk_rep"]', toRep);
    await bp.click('button[data-bulk]');
    for (const id of unrouted) await bp.waitForSelector(`tr[data-pool="${id}"]`, { state: 'detached', timeout: 8000 });
    const given = await Promise.all(unrouted.map(async (id) => (await call(base, 'GET', `/v1/leads/${id}`, admin)).body));
    check(given.every((l) => l.stage === 'assigned' && l.owner_rep_id === Number(toRep)),
          'two unrouted leads ticked on the board go to one rep at once');

    // what if half the reps were gone and the rest had an hour a week: fewer
    // leads released, drawn against the baseline
    const nreps = (await bp.$$('button[data-away]')).length;
    await bp.fill('input[name="reps_delta"]', String(-Math.floor(nreps / 2)));
    await bp.fill('input[name="aes_delta"]', '-1');
    await bp.fill('input[name="hours_delta"]', '-39');
    await bp.click('#h-whatif ~ form button[type="submit"]');
    await bp.waitForSelector('[data-whatif-total]', { timeout: 30000 });
    const sim = await bp.evaluate(async (d) => (await fetch(`/v1/simulation?reps_delta=${d}&aes_delta=-1&hours_delta=-39`)).json(),
                                  -Math.floor(nreps / 2));
    const tot = sim.weeks.find((w) => w.week === 'total');
    const totals = await bp.textContent('[data-whatif-total]');
    check(totals.includes(`${tot.released} released as it is, ${tot.released_scenario} in the scenario`),
          `the screen shows the API's totals: ${totals}`);
    const aeLine = await bp.textContent('[data-whatif-ae]');
    check(sim.scenario.aes === sim.baseline.aes - 1 &&
          aeLine.includes(`with ${sim.baseline.aes} AEs`) && aeLine.includes(`with ${sim.scenario.aes}.`),
          `one AE fewer in the scenario, the SQLs waiting for an AE shown: ${aeLine}`);
    check(sim.scenario.reps < sim.baseline.reps && tot.released_scenario < tot.released,
          `with ${sim.scenario.reps} reps instead of ${sim.baseline.reps}: ${tot.released_scenario} released, not ${tot.released}`);
    const drawn = await bp.$$eval('svg.chart path.baseline, svg.chart path.scenario',
                                  (p) => p.map((x) => (x.getAttribute('d').match(/[ML]/g) || []).length));
    const weeksN = sim.weeks.length - 1;
    check(drawn.length === 2 && drawn.every((n) => n === weeksN),
          `the what-if draws the scenario against the baseline, a point a week (${drawn})`);
    await bossCtx.close();

    // --- the admin: a token made (shown once) and revoked, a webhook added,
    // the settings read
    const actx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const ap = await actx.newPage();
    ap.on('dialog', (d) => d.accept());
    await ap.goto(base + '/');
    await ap.fill('#token', admin);
    await ap.click('.signin button[type="submit"]');
    await ap.waitForSelector('header nav a[href="#/admin"]');
    await ap.click('header nav a[href="#/admin"]');
    await ap.waitForSelector('input[name="token_name"]');
    await ap.fill('input[name="token_name"]', 'crm sync');
    await ap.selectOption('select[name="token_role"]', 'marketing');
    await ap.click('#h-tokens ~ form button[type="submit"]');
    await ap.waitForSelector('code[data-new-token]');
    const made = await ap.textContent('code[data-new-token]');
    const who = await call(base, 'GET', '/v1/sessions/current', made);
    check(who.status === 200 && who.body.role === 'marketing', 'the token made on the admin screen works');
    const madeId = who.body && JSON.parse(lf('--format', 'json', 'token', 'list')).tokens
      .find((k) => k.name === 'crm sync').id;
    await ap.click(`button[data-revoke="${madeId}"]`);
    await ap.waitForFunction((id) => !document.querySelector(`button[data-revoke="${id}"]`), madeId);
    check((await call(base, 'GET', '/v1/sessions/current', made)).status === 401, 'revoked from the screen, refused at once');
    await ap.fill('input[name="hook_url"]', 'http://127.0.0.1:9/hook');
    await ap.fill('input[name="hook_secret"]', 'a-secret-of-twenty-chars');
    await ap.click('#h-hooks ~ form button[type="submit"]');
    await ap.waitForSelector('tr[data-webhook]');
    check(true, 'a webhook subscription added from the screen');
    check((await ap.textContent('#h-settings ~ table')).includes('session_minutes'), 'the settings are shown');
    await shot(ap, 'admin');
    await axe(browser, base, ap, 'the admin screen');
    await actx.close();

    // --- sign-out, then a revoked token
    await page.click('header button:has-text("Sign out")');
    await page.waitForSelector('.signin');
    const st = await page.evaluate(async () => (await fetch('/v1/sessions/current')).status);
    check(st === 401, 'after sign-out the session is gone');
    const ctx3 = await browser.newContext();
    const p3 = await ctx3.newPage();
    await p3.goto(lf('token', 'link', String(repTokenId), '--url', base).trim());
    await p3.waitForSelector('.queue');
    lf('token', 'revoke', String(repTokenId));
    await p3.waitForSelector('.signin', { timeout: 4000 });
    check((await p3.textContent('main')).includes('ended'), 'a revoked token ends its open session on screen');
    await ctx3.close();
  } catch (e) {
    console.log('FAIL ' + (e.stack || e));
    failures++;
    // what each open page shows, and the server's last words: a failure
    // seen once under load can be read afterwards
    for (const c of browser.contexts())
      for (const pg of c.pages())
        console.log('  page ' + pg.url() + ': ' +
                    (await pg.textContent('body').catch(() => '?')).replace(/\s+/g, ' ').slice(0, 400));
    const log = fs.readFileSync(path.join(dir, 'server.log'), 'utf8').split('\n');
    console.log('  server log, last lines:\n' + log.slice(-25).join('\n'));
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
  process.exit(failures ? 1 : 0);
})();
