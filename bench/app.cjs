// bench/app.cjs - the app's screens on a big database: for each screen, the
// time from navigation to its first complete paint (its content drawn from
// its data) in headless Chromium, and each data request it made, with its
// time; beside the baseline of the same run, the sign-in page (the app's
// own files, no data). Target (issue 14): <= 1 s per screen.
// usage: node bench/app.cjs BASE_URL   env: LF_TOKENS (JSON: role -> token)
'use strict';
const path = require('path');
const SRC = path.resolve(__dirname, '..');
const { chromium } = require(path.join(SRC, 'web', 'node_modules', 'playwright-core'));

const base = process.argv[2];
const tokens = JSON.parse(process.env.LF_TOKENS);
const screens = [
  ['sign-in (baseline)', null, '/', '.signin form'],
  ['rep: my queue', 'rep', '/#/queue', '.queue li, .empty'],
  ['rep: a lead', 'rep', '/#/lead/{lead}', 'p.totals'],
  ['sales manager: board', 'sales_manager', '/#/board', '[data-kpi="threshold"]'],
  ['marketing: reports (funnel)', 'marketing', '/#/reports', 'table.report tbody tr'],
  ['marketing: models', 'marketing', '/#/models', '[data-picked-status]'],
  ['admin: administration', 'admin', '/#/admin', '#h-settings ~ table tbody tr'],
];

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-background-networking'] });
  const sessions = {};
  for (const [role, token] of Object.entries(tokens)) {
    const ctx = await browser.newContext();
    const r = await ctx.request.post(base + '/v1/sessions', { data: { token } });
    if (!r.ok()) throw new Error(`sign-in as ${role}: ${r.status()}`);
    sessions[role] = ctx;
  }
  const anon = await browser.newContext();
  const lead = (await (await sessions.rep.request.get(base + '/v1/leads?sort=sla_due&limit=1')).json()).leads[0]
    || (await (await sessions.rep.request.get(base + '/v1/leads?limit=1')).json()).leads[0];
  console.log(`the app's screens (time to the first complete paint; target <= 1000 ms)`);
  for (const [name, role, url, ready] of screens) {
    const ctx = role ? sessions[role] : anon;
    const page = await ctx.newPage();
    const reqs = [];
    const started = new Map();
    page.on('request', (q) => { if (q.url().includes('/v1/')) started.set(q, Date.now()); });
    page.on('requestfinished', (q) => {
      if (started.has(q)) reqs.push([q.method() + ' ' + q.url().slice(base.length), Date.now() - started.get(q)]);
    });
    const t0 = Date.now();
    await page.goto(base + url.replace('{lead}', lead ? lead.id : 1));
    await page.waitForSelector(ready, { timeout: 120000 });
    const ms = Date.now() - t0;
    console.log(`  ${name.padEnd(30)} ${String(ms).padStart(7)} ms`);
    const seen = new Set();
    for (const [r, t] of reqs) {
      if (seen.has(r)) continue;   // polling repeats them
      seen.add(r);
      console.log(`      ${r.padEnd(60)} ${String(t).padStart(7)} ms`);
    }
    await page.close();
  }
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
