// queue.js - a rep's queue: the leads assigned to me, those awaiting their
// first touch first, by SLA due time (with the countdown), then the others
// by score, each with the rules giving it most points (its top reasons).
// Live: polled every 1.5 s.
import { html, useState, useEffect } from '/app/vendor/preact-htm.js';
import { api, every } from '/app/api.js';
import { t, num, span } from '/app/i18n.js';

const ACTIVE = new Set(['assigned', 'sal', 'sql', 'opportunity']);

async function load(me) {
  const mine = me.rep_id ? `&owner=${me.rep_id}` : '';
  const [due, all] = await Promise.all([
    api('GET', `/v1/leads?sort=sla_due&limit=200&reasons=3${mine}`),
    api('GET', `/v1/leads?sort=score&limit=500&reasons=3${mine}`),
  ]);
  const seen = new Set(due.leads.map((l) => l.id));
  const rest = all.leads.filter((l) => !seen.has(l.id) && ACTIVE.has(l.stage));
  return [...due.leads.filter((l) => ACTIVE.has(l.stage)), ...rest];
}

function Countdown({ due }) {
  if (!due) return html`<span class="clock none">${t('no_clock')}</span>`;
  const left = new Date(due).getTime() - Date.now();
  return left >= 0
    ? html`<span class="clock">${t('due_in', { t: span(left) })}</span>`
    : html`<span class="clock late">${t('overdue', { t: span(left) })}</span>`;
}

export function Queue({ me }) {
  const [leads, setLeads] = useState(null);
  const [error, setError] = useState('');
  const [, tick] = useState(0);
  useEffect(() => every(1500, async () => {
    try { setLeads(await load(me)); setError(''); } catch (e) { setError(e.message); }
    tick((n) => n + 1);
  }), [me]);
  return html`<main>
    <h1>${t('queue')} <small class="live" aria-label=${t('live')}>●</small></h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${leads === null ? html`<p>${t('loading')}</p>`
      : leads.length === 0 ? html`<p class="empty">${t('queue_empty')}</p>`
      : html`<ul class="queue">${leads.map((l) => html`<li key=${l.id} data-lead=${l.id}>
          <a href=${'#/lead/' + l.id}>
            <span class="name">${l.name || l.email || l.external_id || '#' + l.id}</span>
            <span class="company">${l.company || ''}</span>
            <span class="score" title=${t('score')}>${num(l.total, 0)}</span>
            <${Countdown} due=${l.sla_due_at} />
            ${l.top_reasons && l.top_reasons.length > 0 && html`<span class="reasons" data-reasons>${t('because')}${t('colon')}${
              l.top_reasons.map((r) => `${r.rule} (+${num(r.points, 0)})`).join(', ')}</span>`}
            <span class="meta">${t('stage')}${t('colon')}${l.stage} · ${t('source')}${t('colon')}${l.source || '—'}${l.campaign ? ' · ' + l.campaign : ''}</span>
          </a></li>`)}</ul>`}
  </main>`;
}
