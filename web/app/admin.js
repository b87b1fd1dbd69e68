// admin.js - the admin's screen: API tokens (create, shown once; revoke),
// webhook subscriptions (add, delete) with each one's recent deliveries,
// and the server's settings, read-only. Refreshed every 2 s while shown.
import { html, useState, useEffect } from '/app/vendor/preact-htm.js';
import { api, every } from '/app/api.js';
import { put } from '/app/util.js';
import { t, date } from '/app/i18n.js';

const ROLES = ['admin', 'marketing', 'sales_manager', 'rep', 'readonly'];
const TYPES = ['lead.mql', 'lead.assigned', 'lead.disqualified', 'model.activated', 'sla.breached'];

async function load() {
  const [tokens, hooks, settings, reps] = await Promise.all([
    api('GET', '/v1/tokens'), api('GET', '/v1/webhooks'), api('GET', '/v1/settings'), api('GET', '/v1/reps'),
  ]);
  return { tokens: tokens.tokens, hooks: hooks.webhooks, settings: settings.settings, reps: reps.reps };
}

function Deliveries({ id }) {
  const [list, setList] = useState(null);
  useEffect(() => every(2000, async () => setList((await api('GET', `/v1/webhooks/${id}/deliveries`)).deliveries)), [id]);
  if (!list) return html`<p>${t('loading')}</p>`;
  if (!list.length) return html`<p>${t('no_deliveries')}</p>`;
  const cols = Object.keys(list[0]);
  return html`<table class="grid"><thead><tr>${cols.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
    <tbody>${list.map((d) => html`<tr>${cols.map((c) => html`<td>${d[c] == null ? '—' : String(d[c])}</td>`)}</tr>`)}</tbody></table>`;
}


export function Admin() {
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [shown, setShown] = useState(null);     // a token just made, shown once
  const [open, setOpen] = useState(null);       // the webhook whose deliveries are shown
  const [tok, setTok] = useState({ name: '', role: 'rep', rep_id: '' });
  const [hook, setHook] = useState({ url: '', secret: '', types: ['lead.mql'] });
  const refresh = async () => { try { setData(await load()); setError(''); } catch (e) { setError(e.message); } };
  useEffect(() => every(2000, refresh), []);
  const run = async (fn, what) => {
    try { const r = await fn(); setNotice(t('done', { what })); refresh(); return r; }
    catch (e) { setNotice(t('failed', { why: e.message })); return null; }
  };
  const createToken = async (e) => {
    e.preventDefault();
    const body = { name: tok.name, role: tok.role };
    if (tok.role === 'rep') body.rep_id = Number(tok.rep_id);
    const r = await run(() => api('POST', '/v1/tokens', body), t('token_created'));
    if (r) { setShown(r.token); setTok(put('name', '')); }
  };
  const addHook = async (e) => {
    e.preventDefault();
    await run(() => api('POST', '/v1/webhooks', hook), t('webhook_added'));
  };
  if (!data) return html`<main><p>${error || t('loading')}</p></main>`;
  return html`<main class="admin">
    <h1>${t('admin')}</h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <section aria-labelledby="h-tokens"><h2 id="h-tokens">${t('tokens')}</h2>
      ${shown && html`<p class="secret" role="status">${t('token_once')} <code data-new-token>${shown}</code></p>`}
      <form class="filters" onSubmit=${createToken}>
        <label>${t('name')}<input name="token_name" required maxlength="63" value=${tok.name}
          onInput=${(e) => setTok(put('name', e.target.value))} /></label>
        <label>${t('role')}<select name="token_role" value=${tok.role} onChange=${(e) => setTok(put('role', e.target.value))}>
          ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}</select></label>
        ${tok.role === 'rep' && html`<label>${t('rep')}<select name="token_rep" required value=${tok.rep_id}
          onChange=${(e) => setTok(put('rep_id', e.target.value))}><option value="">—</option>
          ${data.reps.map((r) => html`<option value=${r.id}>${r.name}</option>`)}</select></label>`}
        <button type="submit">${t('create')}</button>
      </form>
      <table class="grid"><thead><tr><th scope="col">id</th><th scope="col">${t('name')}</th><th scope="col">${t('role')}</th>
        <th scope="col">${t('created')}</th><th scope="col">${t('revoked')}</th><th scope="col"><span class="sr">${t('revoke')}</span></th></tr></thead>
        <tbody>${data.tokens.map((k) => html`<tr data-token=${k.id}><td>${k.id}</td><th scope="row">${k.name}</th><td>${k.role}</td>
          <td>${date(k.created_at)}</td><td>${k.revoked_at ? date(k.revoked_at) : '—'}</td>
          <td>${!k.revoked_at && html`<button type="button" class="link" data-revoke=${k.id}
            onClick=${() => confirm(t('revoke_confirm', { name: k.name })) &&
              run(() => api('DELETE', `/v1/tokens/${k.id}`), t('revoke'))}>${t('revoke')}</button>`}</td></tr>`)}</tbody></table>
    </section>
    <section aria-labelledby="h-hooks"><h2 id="h-hooks">${t('webhooks')}</h2>
      <form class="filters" onSubmit=${addHook}>
        <label>URL<input name="hook_url" type="url" required value=${hook.url} onInput=${(e) => setHook(put('url', e.target.value))} /></label>
        <label>${t('secret')}<input name="hook_secret" type="password" required minlength="16" value=${hook.secret}
          onInput=${(e) => setHook(put('secret', e.target.value))} /></label>
        <fieldset><legend>${t('types')}</legend>${TYPES.map((ty) => html`<label class="inline check"><input type="checkbox"
          checked=${hook.types.includes(ty)} onChange=${(e) => ((on) => setHook((old) => ({ ...old, types: on
            ? [...old.types, ty] : old.types.filter((x) => x !== ty) })))(e.target.checked)} /> ${ty}</label>`)}</fieldset>
        <button type="submit">${t('add')}</button>
      </form>
      ${data.hooks.length === 0 ? html`<p>${t('no_webhooks')}</p>` : html`<table class="grid"><thead><tr><th scope="col">id</th>
        <th scope="col">URL</th><th scope="col">${t('types')}</th><th scope="col">${t('created')}</th><th scope="col"><span class="sr">${t('actions')}</span></th></tr></thead>
        <tbody>${data.hooks.map((w) => html`<tr data-webhook=${w.id}><td>${w.id}</td><th scope="row">${w.url}</th>
          <td>${w.types.join(', ')}</td><td>${date(w.created_at)}</td>
          <td><button type="button" class="link" onClick=${() => setOpen(open === w.id ? null : w.id)}>${t('deliveries')}</button>
            <button type="button" class="link" onClick=${() => confirm(t('delete_confirm', { name: w.url })) &&
              run(() => api('DELETE', `/v1/webhooks/${w.id}`), t('delete'))}>${t('delete')}</button></td></tr>`)}</tbody></table>`}
      ${open && html`<h3>${t('deliveries')} · ${open}</h3><${Deliveries} id=${open} />`}
    </section>
    <section aria-labelledby="h-settings"><h2 id="h-settings">${t('settings')}</h2>
      <table class="grid"><thead><tr>${Object.keys(data.settings[0] || {}).map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
        <tbody>${data.settings.map((s) => html`<tr>${Object.values(s).map((v, i) => i === 0
          ? html`<th scope="row">${v}</th>` : html`<td>${String(v)}</td>`)}</tr>`)}</tbody></table>
    </section>
  </main>`;
}
