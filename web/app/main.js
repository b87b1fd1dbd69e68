// main.js - the app's shell: who is signed in, the language, the screen the
// URL's fragment names (#/queue, #/lead/ID), and sign-in from a token or a
// one-time link (#signin=lk_...). Each screen is its own module.
import { html, render, useState, useEffect } from '/app/vendor/preact-htm.js';
import { api, setCsrf, whenSessionEnds } from '/app/api.js';
import { t, language, setLanguage } from '/app/i18n.js';
import { Queue } from '/app/queue.js';
import { Lead } from '/app/lead.js';
import { Board } from '/app/board.js';
import { Reports } from '/app/reports.js';
import { Models } from '/app/models.js';
import { Admin } from '/app/admin.js';
import { Leads } from '/app/leads.js';

function route() {
  const h = location.hash.replace(/^#\/?/, '');
  const m = h.match(/^lead\/(\d+)$/);
  if (m) return { screen: 'lead', id: Number(m[1]) };
  if (h === 'board') return { screen: 'board' };
  if (h === 'reports') return { screen: 'reports' };
  if (h === 'models') return { screen: 'models' };
  if (h === 'admin') return { screen: 'admin' };
  const l = h.match(/^leads(?:\?(.*))?$/);
  if (l) return { screen: 'leads', given: Object.fromEntries(new URLSearchParams(l[1] || '')) };
  if (h === 'queue') return { screen: 'queue' };
  return { screen: null };   // the role's home
}

// The screens a role has, the first its home.
const SCREENS = {
  rep: ['queue'], sales_manager: ['board', 'queue', 'leads', 'reports', 'models'],
  admin: ['board', 'queue', 'leads', 'reports', 'models', 'admin'],
  marketing: ['reports', 'leads', 'models', 'queue'], readonly: ['reports', 'leads', 'models'],
};

function SignIn({ onSignedIn, message }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(message || '');
  const submit = async (e) => {
    e.preventDefault();
    try { onSignedIn(await api('POST', '/v1/sessions', { token: token.trim() })); }
    catch (err) { setError(t('signin_bad')); }
  };
  return html`<main class="signin">
    <h1>${t('signin_title')}</h1>
    <p>${t('signin_help')}</p>
    <form onSubmit=${submit}>
      <label for="token">${t('signin_token')}</label>
      <input id="token" type="password" autocomplete="off" value=${token}
        onInput=${(e) => setToken(e.target.value)} required />
      <button type="submit">${t('signin_go')}</button>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </main>`;
}

function App() {
  const [me, setMe] = useState(undefined);   // undefined: asking; null: signed out
  const [where, setWhere] = useState(route());
  const [, setLang] = useState(language());
  const [notice, setNotice] = useState('');

  const signedIn = (who) => { setCsrf(who.csrf); setMe(who); setNotice(''); };
  useEffect(() => {
    whenSessionEnds(() => { setCsrf(null); setMe(null); setNotice(t('session_ended')); });
    const onHash = () => setWhere(route());
    addEventListener('hashchange', onHash);
    const link = location.hash.match(/signin=(lk_[0-9]+_[0-9a-f]{64})/);
    if (link) {
      history.replaceState(null, '', location.pathname + '#/');
      api('POST', '/v1/sessions', { link: link[1] }).then(signedIn)
        .catch(() => { setMe(null); setNotice(t('signin_bad')); });
    } else {
      api('GET', '/v1/sessions/current').then(signedIn).catch(() => setMe(null));
    }
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const signOut = async () => {
    try { await api('DELETE', '/v1/sessions/current'); } catch (e) { /* ended already */ }
    setCsrf(null); setMe(null);
  };
  const toggle = () => { setLanguage(language() === 'fr' ? 'en' : 'fr'); setLang(language()); };

  if (me === undefined) return html`<p class="loading">${t('loading')}</p>`;
  const header = html`<header>
    <a class="brand" href="#/">${t('app')}</a>
    ${me && html`<nav aria-label=${t('screens')}>${(SCREENS[me.role] || ['queue']).map((s) => html`
      <a href=${'#/' + s} aria-current=${(where.screen || SCREENS[me.role][0]) === s ? 'page' : null}>${t(s)}</a>`)}</nav>`}
    ${me && html`<span class="who">${me.name} · ${me.role}</span>`}
    <button class="link" onClick=${toggle} lang=${language() === 'fr' ? 'en' : 'fr'}>${t('language')}</button>
    ${me && html`<button class="link" onClick=${signOut}>${t('signout')}</button>`}
  </header>`;
  if (!me) return html`${header}<${SignIn} onSignedIn=${signedIn} message=${notice} />`;
  const screen = where.screen || (SCREENS[me.role] || ['queue'])[0];
  return html`${header}
    ${screen === 'lead' ? html`<${Lead} id=${where.id} me=${me} key=${where.id} />`
      : screen === 'board' ? html`<${Board} me=${me} />`
      : screen === 'reports' ? html`<${Reports} me=${me} />`
      : screen === 'models' ? html`<${Models} me=${me} />`
      : screen === 'admin' ? html`<${Admin} me=${me} />`
      : screen === 'leads' ? html`<${Leads} me=${me} given=${where.given} key=${location.hash} />` : html`<${Queue} me=${me} />`}`;
}

render(html`<${App} />`, document.getElementById('root'));
