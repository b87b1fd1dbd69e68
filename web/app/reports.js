// reports.js - marketing's reports (and anyone's who may read them): each
// report of GET /v1/reports with the filters it takes, its rows as a table,
// the calibration also as bars, the forecast's three parts. Refreshed every
// 2 s while shown.
import { html, useState, useEffect } from '/app/vendor/preact-htm.js';
import { api, every } from '/app/api.js';
import { put } from '/app/util.js';
import { t, num } from '/app/i18n.js';

const FILTERS = ['from', 'to', 'source', 'campaign', 'team', 'outcome', 'weeks'];

function cell(v) {
  if (v == null) return '—';
  if (typeof v === 'number') return num(v, 2);
  return String(v);
}

// The stage each of the feedback report's kinds of decision leads to.
const KIND_STAGE = { reject: 'recycled', disqualify: 'disqualified', lost: 'lost', won: 'won' };

// The lead list behind a feedback row's number: its reason, under its source
// or campaign, with the report's own filters (rows by rule or rating have no
// lead filter to match, so no link).
function behind(row, filters) {
  if (!KIND_STAGE[row.kind] || !row.reason || (row.section !== 'source' && row.section !== 'campaign')) return null;
  const q = new URLSearchParams({ reason: row.reason, reason_stage: KIND_STAGE[row.kind] });
  for (const k of ['from', 'to', 'team', 'source', 'campaign']) if (filters[k]) q.set(k, filters[k]);
  if (row.group !== '(none)') q.set(row.section, row.group);
  return '#/leads?' + q.toString();
}

function Table({ rows, caption, link }) {
  if (!rows || rows.length === 0) return html`<p>${t('no_rows')}</p>`;
  const cols = Object.keys(rows[0]);
  return html`<div class="scroll" tabindex="0" role="region" aria-label=${caption}><table class="grid report"><caption>${caption}</caption>
    <thead><tr>${cols.map((c) => html`<th scope="col">${c.replace(/_/g, ' ')}</th>`)}</tr></thead>
    <tbody>${rows.map((r) => html`<tr>${cols.map((c, i) => i === 0
      ? html`<th scope="row">${cell(r[c])}</th>`
      : html`<td class=${typeof r[c] === 'number' ? 'num' : ''}>${link && c === 'leads' && link(r)
        ? html`<a href=${link(r)} data-behind>${cell(r[c])}</a>` : cell(r[c])}</td>`)}</tr>`)}</tbody></table></div>`;
}

// Conversion by score decile as bars: the score means what it says when they rise.
function Calibration({ rows }) {
  const W = 600, H = 160, P = 24, max = Math.max(1, ...rows.map((r) => r.converted_pct || 0));
  const bw = (W - 2 * P) / rows.length;
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${t('calibration_chart')}>
    ${rows.map((r, i) => {
      const h = ((r.converted_pct || 0) / max) * (H - 2 * P);
      return html`<g><rect class="bar" x=${P + i * bw + 2} y=${H - P - h} width=${bw - 4} height=${h} />
        <text x=${P + i * bw + bw / 2} y=${H - 6} text-anchor="middle">${r.decile}</text>
        <text x=${P + i * bw + bw / 2} y=${H - P - h - 3} text-anchor="middle">${num(r.converted_pct, 0)}%</text></g>`;
    })}</svg>`;
}

export function Reports() {
  const [list, setList] = useState(null);
  const [name, setName] = useState(localStorage.getItem('lf.report') || 'funnel');
  const [filters, setFilters] = useState({});
  const [got, setData] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => { api('GET', '/v1/reports').then((r) => setList(r.reports)).catch((e) => setError(e.message)); }, []);
  const report = list && (list.find((r) => r.name === name) || list[0]);
  const query = report ? report.takes.filter((k) => filters[k]).map((k) => `${k}=${encodeURIComponent(filters[k])}`).join('&') : '';
  const key = report ? report.name + (query ? '?' + query : '') : '';
  useEffect(() => {
    if (!report) return undefined;
    setData(null);
    return every(2000, async () => {
      try {
        const d = await api('GET', `/v1/reports/${key}`);
        setData({ key, d });
        setError('');
      }
      catch (e) { setError(e.message); }
    });
  }, [key]);
  // only the answer to the report and filters shown: the one before may
  // still be in state for a render after a switch
  const data = got && got.key === key ? got.d : null;
  const pick = (n) => { localStorage.setItem('lf.report', n); setName(n); setFilters({}); };
  if (!list) return html`<main><p>${error || t('loading')}</p></main>`;
  return html`<main class="reports">
    <h1>${t('reports')} <small class="live" aria-label=${t('live')}>●</small></h1>
    <nav class="tabs" aria-label=${t('reports')}>${list.map((r) => html`<button type="button"
      class=${r.name === report.name ? '' : 'link'} aria-pressed=${r.name === report.name}
      data-report=${r.name} onClick=${() => pick(r.name)}>${r.name}</button>`)}</nav>
    <p class="hint">${report.summary}</p>
    <form class="filters" key=${report.name} onSubmit=${(e) => e.preventDefault()}>
      ${FILTERS.filter((k) => report.takes.includes(k)).map((k) => html`<label>${t('f_' + k)}
        ${k === 'outcome' ? html`<select name=${k} value=${filters[k] || ''} onChange=${(e) => setFilters(put(k, e.target.value))}>
            <option value="">sql</option><option value="won">won</option></select>`
          : html`<input name=${k} type=${k === 'from' || k === 'to' ? 'date' : k === 'weeks' ? 'number' : 'text'}
            onChange=${(e) => setFilters(put(k, e.target.value))} />`}</label>`)}
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!data ? html`<p>${t('loading')}</p>` : report.name === 'forecast' ? html`
        <${Table} rows=${data.weeks} caption=${t('forecast_weeks')} />
        <${Table} rows=${data.backtest} caption=${t('forecast_backtest')} />
        <${Table} rows=${data.pipeline} caption=${t('forecast_pipeline')} />`
      : html`${report.name === 'calibration' && html`<${Calibration} rows=${data.rows} />`}
        <${Table} rows=${data.rows} caption=${report.name}
          link=${report.name === 'feedback' ? (r) => behind(r, filters) : null} />`}
  </main>`;
}
