// board.js - a sales manager's team board: the gate now (threshold against
// the floor, free slots, the pool waiting with scores, released today) and
// its history as a chart; each rep's free slots, load and time away, which
// the manager sets here; SLA breaches by rep. Live: polled every 1.5 s.
import { html, useState, useEffect } from '/app/vendor/preact-htm.js';
import { api, every } from '/app/api.js';
import { put } from '/app/util.js';
import { t, num } from '/app/i18n.js';

async function load() {
  const [gate, reps, cap, pool, sla] = await Promise.all([
    api('GET', '/v1/gate'), api('GET', '/v1/reps'), api('GET', '/v1/reports/capacity'),
    api('GET', '/v1/leads?stage=mql&sort=score&limit=50'), api('GET', '/v1/reports/sla'),
  ]);
  const byName = Object.fromEntries(cap.rows.filter((r) => r.rep).map((r) => [r.rep, r]));
  return { gate, reps: reps.reps.map((r) => ({ ...r, cap: byName[r.name] })), pool: pool.leads, sla: sla.rows };
}

// The threshold's changes (newest first from the API) drawn against the floor.
function History({ history, floor }) {
  const pts = history.slice().reverse();
  if (pts.length < 2) return html`<p class="hint">${t('history_short')}</p>`;
  const W = 600, H = 140, P = 24;
  const ts = pts.map((p) => new Date(p.at).getTime());
  const ys = pts.map((p) => p.threshold).concat([floor]);
  const t0 = Math.min(...ts), t1 = Math.max(...ts) || t0 + 1;
  const y0 = Math.min(...ys) - 5, y1 = Math.max(...ys) + 5;
  const x = (v) => P + ((v - t0) / (t1 - t0 || 1)) * (W - 2 * P);
  const y = (v) => H - P - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * P);
  // a step line: the threshold holds until its next change
  let d = '';
  pts.forEach((p, i) => { d += (i ? `H${x(ts[i])}V${y(p.threshold)}` : `M${x(ts[i])} ${y(p.threshold)}`); });
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${t('gate_history')}>
    <line class="floor" x1=${P} x2=${W - P} y1=${y(floor)} y2=${y(floor)} />
    <text x=${W - P} y=${y(floor) - 4} text-anchor="end">${t('floor')} ${num(floor)}</text>
    <path class="threshold" d=${d} />
    <text x=${P} y=${P - 8}>${t('threshold')} ${num(pts[pts.length - 1].threshold)}</text>
  </svg>`;
}

// Released a week, baseline against scenario, as two lines.
function WhatIfChart({ weeks }) {
  const rows = weeks.filter((w) => w.week !== 'total');
  if (rows.length < 2) return null;
  const W = 600, H = 160, P = 28;
  const max = Math.max(1, ...rows.flatMap((w) => [w.released, w.released_scenario]));
  const x = (i) => P + (i / (rows.length - 1)) * (W - 2 * P);
  const y = (v) => H - P - (v / max) * (H - 2 * P);
  const line = (k) => rows.map((w, i) => `${i ? 'L' : 'M'}${x(i)} ${y(w[k])}`).join('');
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${t('whatif_chart')}>
    <path class="baseline" d=${line('released')} /><path class="scenario" d=${line('released_scenario')} />
    <text x=${P} y=${P - 10}>${t('released_week')}: — ${t('baseline')} · - - ${t('scenario')}</text>
    <text x=${P} y=${H - 8}>${rows[0].week}</text><text x=${W - P} y=${H - 8} text-anchor="end">${rows[rows.length - 1].week}</text>
  </svg>`;
}

function WhatIf() {
  const [f, setF] = useState({ reps_delta: '', aes_delta: '', hours_delta: '', floor: '', model: '' });
  const [models, setModels] = useState([]);
  const [res, setRes] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => { api('GET', '/v1/models').then((m) => setModels(m.models)).catch(() => {}); }, []);
  const run = async (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v !== '') q.set(k, v);
    setBusy(true);
    try { setRes(await api('GET', '/v1/simulation?' + q)); setError(''); }
    catch (err) { setError(t('failed', { why: err.message })); }
    setBusy(false);
  };
  const total = res && res.weeks.find((w) => w.week === 'total');
  return html`<section aria-labelledby="h-whatif"><h2 id="h-whatif">${t('whatif')}</h2>
    <form class="filters" onSubmit=${run}>
      <label>${t('reps_delta')}<input name="reps_delta" type="number" step="1" value=${f.reps_delta}
        onInput=${(e) => setF(put('reps_delta', e.target.value))} /></label>
      <label>${t('aes_delta')}<input name="aes_delta" type="number" step="1" value=${f.aes_delta}
        onInput=${(e) => setF(put('aes_delta', e.target.value))} /></label>
      <label>${t('hours_delta')}<input name="hours_delta" type="number" step="any" value=${f.hours_delta}
        onInput=${(e) => setF(put('hours_delta', e.target.value))} /></label>
      <label>${t('floor')}<input name="floor" type="number" step="any" value=${f.floor}
        onInput=${(e) => setF(put('floor', e.target.value))} /></label>
      <label>${t('other_model')}<select name="model" value=${f.model} onChange=${(e) => setF(put('model', e.target.value))}>
        <option value="">—</option>${models.map((m) => html`<option value=${m.version}>${m.version} · ${m.name} (${m.status})</option>`)}</select></label>
      <button type="submit" disabled=${busy}>${busy ? t('loading') : t('simulate')}</button>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${res && html`<${WhatIfChart} weeks=${res.weeks} />
      <p data-whatif-total>${t('whatif_total', { b: num(total.released, 0), s: num(total.released_scenario, 0),
        eb: num(total.expected_conversions, 1), es: num(total.expected_conversions_scenario, 1),
        br: num(total.sla_breaches, 0), sr: num(total.sla_breaches_scenario, 0) })}</p>
      ${(res.baseline.aes > 0 || res.scenario.aes > 0) && html`<p data-whatif-ae>${t('whatif_ae', {
        b: num(total.sqls_waiting_for_ae, 1), s: num(total.sqls_waiting_for_ae_scenario, 1),
        ab: res.baseline.aes, as: res.scenario.aes })}</p>`}
      <p class="hint">${t('whatif_from', { b: `${res.baseline.reps} / ${num(res.baseline.weekly_hours, 0)} h / ${num(res.baseline.floor)}`,
        s: `${res.scenario.reps} / ${num(res.scenario.weekly_hours, 0)} h / ${num(res.scenario.floor)}` })}</p>`}
  </section>`;
}

function RepRow({ r, onAway }) {
  const c = r.cap || {};
  return html`<tr data-rep=${r.id}>
    <th scope="row">${r.name}</th><td>${t('tier_' + (r.tier || 'sdr'))}</td><td>${r.team || '—'}</td>
    <td class="num">${num(c.free_slots, 0)}</td><td class="num">${num(c.active, 0)}</td>
    <td class="num">${num(c.opportunities, 0)}</td>
    <td class="num">${num(Math.max(0, (r.weekly_hours || 0) - (c.logged_hours || 0) - (c.hours_needed || 0)), 1)}</td>
    <td><button type="button" class=${r.away ? 'away' : 'link'} aria-pressed=${!!r.away} data-away=${r.id}
      onClick=${() => onAway(r, !r.away)}>${r.away ? t('away_back') : t('away_set')}</button></td>
  </tr>`;
}


export function Board({ me }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [assignTo, setAssignTo] = useState({});
  const [picked, setPicked] = useState({});       // pool leads ticked for a bulk assignment
  const [bulkRep, setBulkRep] = useState('');
  const refresh = async () => { try { setData(await load()); setError(''); } catch (e) { setError(e.message); } };
  useEffect(() => every(1500, refresh), []);
  const away = async (r, on) => {
    try { await api('PATCH', `/v1/reps/${r.id}`, { away: on }); refresh(); }
    catch (e) { setError(t('failed', { why: e.message })); }
  };
  const assign = async (lead) => {
    const rep = Number(assignTo[lead.id]);
    if (!rep) return;
    try { await api('POST', `/v1/leads/${lead.id}/transitions`, { action: 'assign', rep_id: rep }); refresh(); }
    catch (e) { setError(t('failed', { why: e.message })); }
  };
  const assignPicked = async () => {
    const ids = Object.keys(picked).filter((k) => picked[k]).map(Number);
    if (!ids.length || !Number(bulkRep)) return;
    let done = 0;
    for (const id of ids) {
      try { await api('POST', `/v1/leads/${id}/transitions`, { action: 'assign', rep_id: Number(bulkRep) }); done++; }
      catch (e) { setError(t('failed', { why: `#${id}: ${e.message}` })); }
    }
    setPicked({}); refresh();
    if (done === ids.length) setError('');
  };
  if (!data) return html`<main><p>${error || t('loading')}</p></main>`;
  const { gate, reps, pool, sla } = data;
  const breaches = sla.filter((s) => s.priority === 'all' && s.breached > 0).sort((a, b) => b.breached - a.breached);
  return html`<main class="board">
    <h1>${t('board')} <small class="live" aria-label=${t('live')}>●</small></h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <section aria-labelledby="h-gate"><h2 id="h-gate">${t('gate_now')}</h2>
      <dl class="kpis">
        <div><dt>${t('threshold')}</dt><dd data-kpi="threshold">${gate.threshold == null ? '—' : num(gate.threshold)}</dd></div>
        <div><dt>${t('floor')}</dt><dd data-kpi="floor">${gate.floor == null ? '—' : num(gate.floor)}</dd></div>
        <div><dt>${t('free_slots')}</dt><dd data-kpi="free_slots">${num(gate.free_slots, 0)}</dd></div>
        <div><dt>${t('waiting')}</dt><dd data-kpi="pool">${num(gate.pool, 0)}</dd></div>
        <div><dt>${t('released_today')}</dt><dd>${num(gate.released_today, 0)}</dd></div>
      </dl>
      <${History} history=${gate.history || []} floor=${gate.floor ?? 0} />
    </section>
    <section aria-labelledby="h-pool"><h2 id="h-pool">${t('pool')}</h2>
      ${pool.length === 0 ? html`<p>${t('pool_empty')}</p>` : html`<div class="buttons">
        <label class="inline"><span class="sr">${t('assign_to')}</span><select name="bulk_rep" value=${bulkRep}
          onChange=${(e) => setBulkRep(e.target.value)}><option value="">—</option>
          ${reps.filter((r) => !r.away && r.tier !== 'ae').map((r) => html`<option value=${r.id}>${r.name}</option>`)}</select></label>
        <button type="button" data-bulk onClick=${assignPicked}>${t('assign_picked')}</button></div>
        <table class="grid"><thead><tr><th scope="col"><span class="sr">${t('pick')}</span></th>
        <th scope="col">${t('name')}</th><th scope="col">${t('score')}</th><th scope="col">${t('source')}</th><th scope="col">${t('assign_to')}</th></tr></thead>
        <tbody>${pool.map((l) => html`<tr key=${l.id} data-pool=${l.id}><td><input type="checkbox"
          aria-label=${t('pick') + ' ' + (l.name || l.email || l.id)} checked=${!!picked[l.id]}
          onChange=${(e) => setPicked(put(l.id, e.target.checked))} /></td><th scope="row"><a href=${'#/lead/' + l.id}>${l.name || l.email || '#' + l.id}</a></th>
          <td class="num">${num(l.total, 0)}</td><td>${l.source || '—'}</td>
          <td><label class="inline"><span class="sr">${t('assign_to')}</span><select value=${assignTo[l.id] || ''}
            onChange=${(e) => setAssignTo(put(l.id, e.target.value))}>
            <option value="">—</option>${reps.filter((r) => !r.away && r.tier !== 'ae').map((r) => html`<option value=${r.id}>${r.name}</option>`)}
          </select></label> <button type="button" onClick=${() => assign(l)}>${t('action.assign')}</button></td></tr>`)}</tbody></table>`}
    </section>
    <section aria-labelledby="h-reps"><h2 id="h-reps">${t('reps')}</h2>
      <table class="grid"><thead><tr><th scope="col">${t('name')}</th><th scope="col">${t('tier')}</th><th scope="col">${t('team')}</th>
        <th scope="col">${t('free_slots')}</th><th scope="col">${t('active')}</th><th scope="col">${t('opportunities')}</th>
        <th scope="col">${t('hours_left')}</th><th scope="col">${t('availability')}</th></tr></thead>
        <tbody>${reps.map((r) => html`<${RepRow} key=${r.id} r=${r} onAway=${away} />`)}</tbody></table>
    </section>
    <${WhatIf} />
    <section aria-labelledby="h-sla"><h2 id="h-sla">${t('sla_breaches')}</h2>
      ${breaches.length === 0 ? html`<p>${t('no_breaches')}</p>` : html`<table class="grid"><thead><tr>
        <th scope="col">${t('name')}</th><th scope="col">${t('breached')}</th><th scope="col">${t('compliance')}</th></tr></thead>
        <tbody>${breaches.slice(0, 20).map((s) => html`<tr><th scope="row">${s.rep}</th><td class="num">${num(s.breached, 0)}</td>
          <td class="num">${num(s.compliance_pct, 0)} %</td></tr>`)}</tbody></table>`}
    </section>
  </main>`;
}
