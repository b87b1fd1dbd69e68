// models.js - the models both teams sign: every version with its status,
// the one picked with its text, its differences from the active model, who
// approved it for marketing and for sales and what is still missing before
// it can be put in force; propose, approve and activate as the caller's
// role allows (SPEC 8). Refreshed every 2 s while shown.
import { html, useState, useEffect } from '/app/vendor/preact-htm.js';
import { api, every } from '/app/api.js';
import { t, num, date } from '/app/i18n.js';

const MAY = {
  propose: ['admin', 'marketing'], approve: ['marketing', 'sales_manager'],
  activate: ['admin', 'marketing', 'sales_manager'],
};

async function load(version) {
  const list = (await api('GET', '/v1/models')).models;
  const active = list.find((m) => m.status === 'active');
  const pick = version || (list.find((m) => m.status === 'proposed') || active || list[list.length - 1] || {}).version;
  if (!pick) return { list, active };
  const [model, diff] = await Promise.all([
    api('GET', `/v1/models/${pick}`),
    active && active.version !== pick ? api('GET', `/v1/models/${active.version}/diff/${pick}`) : null,
  ]);
  return { list, active, model, diff };
}

// "Try a lead": one lead scored under the version picked beside the active model.
function TryLead({ version, active }) {
  const [id, setId] = useState('');
  const [res, setRes] = useState(null);
  const [error, setError] = useState('');
  const run = async (e) => {
    e.preventDefault();
    try {
      const [now, draft] = await Promise.all([
        active ? api('GET', `/v1/leads/${Number(id)}/explain`) : null,
        api('GET', `/v1/leads/${Number(id)}/explain?version=${version}`)]);
      setRes({ now, draft }); setError('');
    } catch (err) { setRes(null); setError(t('failed', { why: err.message })); }
  };
  const rules = res ? [...new Set([...(res.now ? res.now.rules : []), ...res.draft.rules].map((r) => r.rule))] : [];
  const pts = (x, rule) => { const r = x && x.rules.find((y) => y.rule === rule); return r ? num(r.points) : '—'; };
  return html`<section aria-labelledby="h-try"><h3 id="h-try">${t('try_lead')}</h3>
    <form class="filters" onSubmit=${run}>
      <label>${t('lead_id')}<input name="try_lead" type="number" min="1" required value=${id}
        onInput=${(e) => setId(e.target.value)} /></label>
      <button type="submit">${t('try')}</button>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${res && html`<table class="grid" data-try><thead><tr><th scope="col">${t('rule')}</th>
        <th scope="col">${t('active_model')}${res.now ? ' (' + res.now.model_version + ')' : ''}</th>
        <th scope="col">${t('version')} ${version}</th></tr></thead>
      <tbody>${rules.map((r) => html`<tr><th scope="row">${r}</th><td class="num">${pts(res.now, r)}</td>
        <td class="num">${pts(res.draft, r)}</td></tr>`)}
        <tr><th scope="row">${t('total')}</th><td class="num">${res.now ? num(res.now.total) : '—'}</td>
        <td class="num" data-try-total>${num(res.draft.total)}</td></tr></tbody></table>`}
  </section>`;
}

export function Models({ me }) {
  const [version, setVersion] = useState(null);
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const refresh = async () => { try { setData(await load(version)); setError(''); } catch (e) { setError(e.message); } };
  useEffect(() => every(2000, refresh), [version]);
  const act = async (what) => {
    try {
      await api('POST', `/v1/models/${data.model.version}/${what}`);
      setNotice(t('done', { what: t('m_' + what) })); refresh();
    } catch (e) { setNotice(t('failed', { why: e.message })); }
  };
  if (!data) return html`<main><p>${error || t('loading')}</p></main>`;
  const { list, model, diff } = data;
  const can = (what) => MAY[what].includes(me.role);
  const mine = model && model.approvals.some((a) => a.token === me.name);
  const forRole = (role) => model.approvals.filter((a) => a.role === role).map((a) => a.token).join(', ') || '—';
  return html`<main class="models">
    <h1>${t('models')} <small class="live" aria-label=${t('live')}>●</small></h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <table class="grid"><thead><tr><th scope="col">${t('version')}</th><th scope="col">${t('name')}</th>
      <th scope="col">${t('status')}</th><th scope="col">${t('created')}</th></tr></thead>
      <tbody>${list.map((m) => html`<tr data-version=${m.version} class=${model && m.version === model.version ? 'picked' : ''}>
        <th scope="row"><button type="button" class="link" onClick=${() => setVersion(m.version)}
          aria-pressed=${!!model && m.version === model.version}>${m.version}</button></th>
        <td>${m.name}</td><td data-status>${m.status}</td><td>${date(m.created_at)}</td></tr>`)}</tbody></table>
    ${model && html`<section aria-labelledby="h-model"><h2 id="h-model">${t('version')} ${model.version} · ${model.name}
        <span class="stage" data-picked-status>${model.status}</span></h2>
      ${notice && html`<p class="notice" role="status">${notice}</p>`}
      <dl class="fields">
        <dt>${t('approved_marketing')}</dt><dd data-approved="marketing">${forRole('marketing')}</dd>
        <dt>${t('approved_sales')}</dt><dd data-approved="sales_manager">${forRole('sales_manager')}</dd>
        <dt>${t('missing')}</dt><dd data-missing>${model.may_activate ? t('nothing_missing') : model.missing}</dd>
      </dl>
      <div class="buttons">
        ${can('propose') && (model.status === 'draft' || model.status === 'retired') &&
          html`<button type="button" data-do="propose" onClick=${() => act('propose')}>${t('m_propose')}</button>`}
        ${can('approve') && model.status === 'proposed' && !mine &&
          html`<button type="button" data-do="approve" onClick=${() => act('approve')}>${t('m_approve')}</button>`}
        ${can('activate') && model.may_activate && model.status !== 'active' &&
          html`<button type="button" data-do="activate" onClick=${() => act('activate')}>${t('m_activate')}</button>`}
      </div>
      ${diff && html`<h3>${t('changes_from_active')}</h3>${diff.changes.length === 0 ? html`<p>${t('no_changes')}</p>` :
        html`<div class="scroll" tabindex="0" role="region" aria-label=${t('changes_from_active')}><table class="grid"><thead><tr>
          ${Object.keys(diff.changes[0]).map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
          <tbody>${diff.changes.map((r) => html`<tr>${Object.values(r).map((v) => html`<td>${v ?? '—'}</td>`)}</tr>`)}</tbody></table></div>`}`}
      <${TryLead} key=${model.version} version=${model.version} active=${data.active && data.active.version !== model.version} />
      <h3>${t('model_file')}</h3>
      <pre class="model" tabindex="0" aria-label=${t('model_file')}>${model.text}</pre>
    </section>`}
  </main>`;
}
