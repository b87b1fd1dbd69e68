// leads.js - every lead the caller may see, paged on the server (GET
// /v1/leads with its cursor), filtered by stage, source, campaign and score,
// found by email or external id, sorted by id, score, creation or SLA due.
// A report's number links here with the filters that select its leads
// (#/leads?reason=…&source=…): they are kept beside the form's and shown.
import { html, useState, useEffect } from '/app/vendor/preact-htm.js';
import { api } from '/app/api.js';
import { put } from '/app/util.js';
import { t, num, date } from '/app/i18n.js';

const STAGES = ['lead', 'mql', 'assigned', 'sal', 'sql', 'opportunity', 'won', 'lost', 'recycled', 'disqualified'];
const SORTS = ['id', 'score', 'created', 'sla_due'];
const PAGE = 50;

// The filters a link may give that the form has no field for.
const GIVEN = ['reason', 'reason_stage', 'from', 'to', 'team'];

export function Leads({ given = {} }) {
  // Text fields are left to the browser (no value bound): a re-render while one
  // is typed in cannot reset it; each is read when it changes.
  const [f, setF] = useState({ stage: '', source: given.source || '', campaign: given.campaign || '',
    min_score: '', max_score: '', sort: 'score', find: '' });
  const behind = GIVEN.filter((k) => given[k]);
  const [pages, setPages] = useState(['']);   // the cursors of the pages seen so far
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const cursor = pages[pages.length - 1];
  const query = () => {
    const q = new URLSearchParams({ limit: PAGE, sort: f.sort });
    for (const k of ['stage', 'source', 'campaign', 'min_score', 'max_score']) if (f[k]) q.set(k, f[k]);
    for (const k of behind) q.set(k, given[k]);
    if (f.find) q.set(f.find.includes('@') ? 'email' : 'external_id', f.find.trim());
    if (cursor) q.set('cursor', cursor);
    return q.toString();
  };
  useEffect(() => {
    let live = true;
    api('GET', '/v1/leads?' + query()).then((d) => { if (live) { setData(d); setError(''); } })
      .catch((e) => live && setError(e.message));
    return () => { live = false; };
  }, [JSON.stringify(f), cursor]);
  const set = (k) => (e) => { setF(put(k, e.target.value)); setPages(['']); };
  return html`<main class="leads">
    <h1>${t('leads')}</h1>
    ${behind.length > 0 && html`<p class="behind" data-behind>${t('behind')}
      ${behind.map((k) => html` <span class="chip">${t('f_' + k)}: ${given[k]}</span>`)}
      ${' '}<a href="#/leads">${t('clear')}</a></p>`}
    <form class="filters" onSubmit=${(e) => e.preventDefault()}>
      <label>${t('find')}<input name="find" type="search" onChange=${set('find')}
        placeholder="ada@example.com" /></label>
      <label>${t('stage')}<select name="stage" value=${f.stage} onChange=${set('stage')}>
        <option value="">${t('any')}</option>${STAGES.map((s) => html`<option value=${s}>${s}</option>`)}</select></label>
      <label>${t('source')}<input name="source" defaultValue=${given.source || ''} onChange=${set('source')} /></label>
      <label>${t('campaign')}<input name="campaign" defaultValue=${given.campaign || ''} onChange=${set('campaign')} /></label>
      <label>${t('min_score')}<input name="min_score" type="number" step="any" onChange=${set('min_score')} /></label>
      <label>${t('max_score')}<input name="max_score" type="number" step="any" onChange=${set('max_score')} /></label>
      <label>${t('sort')}<select name="sort" value=${f.sort} onChange=${set('sort')}>
        ${SORTS.map((s) => html`<option value=${s}>${t('sort_' + s)}</option>`)}</select></label>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!data ? html`<p>${t('loading')}</p>` : data.leads.length === 0 ? html`<p>${t('no_rows')}</p>` : html`
      <div class="scroll" tabindex="0" role="region" aria-label=${t('leads')}><table class="grid"><thead><tr>
        <th scope="col">${t('name')}</th><th scope="col">${t('company')}</th><th scope="col">${t('source')}</th>
        <th scope="col">${t('stage')}</th><th scope="col">${t('score')}</th><th scope="col">${t('created')}</th></tr></thead>
        <tbody>${data.leads.map((l) => html`<tr data-lead=${l.id}><th scope="row"><a href=${'#/lead/' + l.id}>
          ${l.name || l.email || l.external_id || '#' + l.id}</a></th><td>${l.company || '—'}</td><td>${l.source || '—'}</td>
          <td>${l.stage}</td><td class="num">${num(l.total, 1)}</td><td>${date(l.created_at)}</td></tr>`)}</tbody></table></div>`}
    <div class="buttons">
      <button type="button" class="link" disabled=${pages.length < 2} onClick=${() => setPages(pages.slice(0, -1))}>${t('prev_page')}</button>
      <span>${t('page_n', { n: pages.length })}</span>
      <button type="button" class="link" data-next disabled=${!data || !data.next_cursor}
        onClick=${() => setPages([...pages, data.next_cursor])}>${t('next_page')}</button>
    </div>
  </main>`;
}
