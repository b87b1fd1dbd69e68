// lead.js - one lead: its fields and attributes, the score explained rule
// by rule, the timeline, and the actions open to the caller from its stage
// (GET /v1/leads/{id}/actions), with the model's reasons to pick from and
// the qualification questions asked with accept and qualify; the model's
// questions for the lead, answered on their own (GET|POST .../answers).
// Live: polled every 1.5 s. Keys: a accept, r reject, q qualify, t a call,
// Esc back to the queue.
import { html, useState, useEffect, useRef } from '/app/vendor/preact-htm.js';
import { api, every } from '/app/api.js';
import { t, num, date } from '/app/i18n.js';

const FIELDS = ['email', 'company', 'title', 'country', 'industry', 'employees', 'source', 'campaign', 'stage'];

async function load(id) {
  const [lead, explain, timeline, actions, answers] = await Promise.all([
    api('GET', `/v1/leads/${id}`), api('GET', `/v1/leads/${id}/explain`),
    api('GET', `/v1/leads/${id}/timeline`), api('GET', `/v1/leads/${id}/actions`),
    api('GET', `/v1/leads/${id}/answers`),
  ]);
  return { lead, explain, timeline, actions, answers };
}

function Timeline({ tl }) {
  const items = [
    ...tl.events.map((e) => ({ at: e.occurred_at, kind: 'event', text: e.type })),
    ...tl.touches.map((x) => ({ at: x.at, kind: 'touch', text: `${x.kind} · ${num(x.minutes, 0)} ${t('minutes')}` })),
    ...tl.transitions.map((m) => ({
      at: m.at, kind: 'move',
      text: [`${m.from || '∅'} → ${m.to}`, m.reason, m.rating ? '★'.repeat(m.rating) : '', m.note, m.actor && `(${m.actor})`]
        .filter(Boolean).join(' · '),
    })),
  ].sort((a, b) => (a.at < b.at ? 1 : -1));
  return html`<ol class="timeline">${items.map((i) => html`<li class=${i.kind}>
    <time datetime=${i.at}>${date(i.at)}</time> <span class="kind">${t('ev.' + i.kind)}</span> ${i.text}</li>`)}</ol>`;
}

// One field a question: its type's input, its why beneath; '' is unanswered.
function QuestionFields({ questions, values, set }) {
  return questions.map((q) => {
    const v = values[q.key] ?? '';
    const on = (e) => set({ ...values, [q.key]: e.target.value });
    const name = 'answer_' + q.key;
    const input = q.type === 'yes_no' || q.type === 'choice'
      ? html`<select name=${name} value=${v} onChange=${on}><option value="">—</option>
          ${(q.type === 'yes_no' ? ['yes', 'no'] : q.choices).map((c) => html`<option value=${c}>${q.type === 'yes_no' ? t(c) : c}</option>`)}</select>`
      : html`<input type=${q.type === 'number' ? 'number' : 'text'} step="any" maxlength="1000" name=${name}
          value=${v} onInput=${on} />`;
    return html`<label class="question">${q.text}${input}${q.why ? html`<small class="why">${q.why}</small>` : ''}</label>`;
  });
}

// The answers given in the fields, as the API takes them; null when none.
function answersOf(questions, values) {
  const out = {};
  for (const q of questions) {
    const v = values[q.key];
    if (v === undefined || v === '' || String(q.answer ?? '') === v) continue;
    out[q.key] = q.type === 'number' ? Number(v) : v;
  }
  return Object.keys(out).length ? out : null;
}

const answered = (questions) => Object.fromEntries(questions.filter((q) => q.answer != null)
  .map((q) => [q.key, String(q.answer)]));

function QuestionsForm({ leadId, questions, onDone }) {
  const [values, setValues] = useState(answered(questions));
  const [error, setError] = useState('');
  const submit = async (e) => {
    e.preventDefault();
    const body = answersOf(questions, values);
    if (!body) return;
    try { await api('POST', `/v1/leads/${leadId}/answers`, { answers: body }); setError(''); onDone(t('answers')); }
    catch (err) { setError(t('failed', { why: err.message })); }
  };
  return html`<form class="questions" onSubmit=${submit} aria-label=${t('questions')}>
    <${QuestionFields} questions=${questions} values=${values} set=${setValues} />
    <button type="submit">${t('save_answers')}</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}</form>`;
}

function ActionForm({ a, onDone, onCancel, leadId }) {
  const [reason, setReason] = useState(a.reasons[0] || '');
  const [rating, setRating] = useState('');
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState('');
  const [closeDate, setCloseDate] = useState('');
  const [error, setError] = useState('');
  const questions = a.questions || [];
  const [values, setValues] = useState(answered(questions));
  const first = useRef(null);
  useEffect(() => first.current && first.current.focus(), []);
  const submit = async (e) => {
    e.preventDefault();
    const body = { action: a.action };
    if (a.reason_kind) body.reason = reason;
    if (rating) body.rating = Number(rating);
    if (note) body.note = note;
    if (a.opportunity) { body.amount = Number(amount); body.close_date = closeDate; }
    const given = answersOf(questions, values);
    if (given) body.answers = given;
    try { await api('POST', `/v1/leads/${leadId}/transitions`, body); onDone(t('action.' + a.action)); }
    catch (err) { setError(t('failed', { why: err.message })); }
  };
  return html`<form class="action" onSubmit=${submit} aria-label=${t('action.' + a.action)}>
    ${a.reason_kind && html`<label>${t('reason')}
      <select ref=${first} value=${reason} onChange=${(e) => setReason(e.target.value)} name="reason">
        ${a.reasons.map((r) => html`<option value=${r} title=${(a.reason_whys || {})[r] || ''}>${r}</option>`)}</select></label>`}
    ${a.reason_kind && (a.reason_whys || {})[reason] && html`<small class="why" data-why>${a.reason_whys[reason]}</small>`}
    ${a.action === 'qualify' || a.action === 'accept' ? html`<label>${t('rating')}
      <input ref=${a.reason_kind ? null : first} type="number" min="1" max="5" name="rating" value=${rating}
        onInput=${(e) => setRating(e.target.value)} /></label>` : ''}
    ${a.opportunity && html`<label>${t('amount')}<input type="number" min="0" step="any" required name="amount"
        value=${amount} onInput=${(e) => setAmount(e.target.value)} /></label>
      <label>${t('close_date')}<input type="date" required name="close_date" value=${closeDate}
        onInput=${(e) => setCloseDate(e.target.value)} /></label>`}
    <label>${t('note')}<input type="text" name="note" maxlength="1000" value=${note} onInput=${(e) => setNote(e.target.value)} /></label>
    ${questions.length > 0 && html`<fieldset><legend>${t('questions')}</legend>
      <${QuestionFields} questions=${questions} values=${values} set=${setValues} /></fieldset>`}
    <button type="submit">${t('confirm')}</button>
    <button type="button" class="link" onClick=${onCancel}>${t('cancel')}</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </form>`;
}

export function Lead({ id, me }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(null);   // the action whose form is open
  const [notice, setNotice] = useState('');
  const refresh = async () => {
    try { setData(await load(id)); setError(null); }
    catch (e) { setError(e.status === 404 ? t('not_found') : e.message); }
  };
  useEffect(() => every(1500, refresh), [id]);

  const touch = async (kind, minutes) => {
    try {
      await api('POST', `/v1/leads/${id}/touches`, { kind, minutes });
      setNotice(t('done', { what: t('touch') })); refresh();
    } catch (e) { setNotice(t('failed', { why: e.message })); }
  };
  const done = (what) => { setOpen(null); setNotice(t('done', { what })); refresh(); };

  // the keys read what is shown now: a handler registered after the render
  // would miss a key pressed as the page appears
  const shown = useRef({});
  shown.current = { data, open, touch };
  useEffect(() => {
    const key = (e) => {
      const { data, open, touch } = shown.current;
      if (e.target.closest && e.target.closest('input, select, textarea')) return;
      const byKey = { a: 'accept', r: 'reject', q: 'qualify' };
      if (e.key === 'Escape') { if (open) setOpen(null); else location.hash = '#/queue'; return; }
      if (e.key === 't') { touch('call', 5); return; }
      const a = data && data.actions.actions.find((x) => x.action === byKey[e.key]);
      if (a) { e.preventDefault(); setOpen(a.action); }
    };
    addEventListener('keydown', key);
    return () => removeEventListener('keydown', key);
  }, []);

  if (error) return html`<main><a href="#/queue">${t('back')}</a><p class="error" role="alert">${error}</p></main>`;
  if (!data) return html`<main><p>${t('loading')}</p></main>`;
  const { lead, explain, timeline, actions, answers } = data;
  const canAnswer = me.role === 'rep' || me.role === 'sales_manager' || me.role === 'admin';
  return html`<main class="lead">
    <a href="#/queue">${t('back')}</a>
    <h1>${lead.name || lead.email || '#' + lead.id} <span class="stage">${lead.stage}</span></h1>
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <section aria-labelledby="h-actions"><h2 id="h-actions">${t('actions')}</h2>
      ${actions.actions.length === 0 ? html`<p>${t('no_actions')}</p>` : html`<div class="buttons">
        ${actions.actions.map((a) => html`<button type="button" data-action=${a.action}
          aria-expanded=${open === a.action} onClick=${() => setOpen(open === a.action ? null : a.action)}>
          ${t('action.' + a.action)}</button>`)}</div>`}
      ${open && html`<${ActionForm} key=${open} a=${actions.actions.find((x) => x.action === open)}
        leadId=${id} onDone=${done} onCancel=${() => setOpen(null)} />`}
      ${me.role !== 'readonly' && html`<div class="touches" role="group" aria-label=${t('touch')}>
        <span>${t('touch')}${t('colon').trimEnd()}</span>
        <button type="button" onClick=${() => touch('call', 5)}>${t('call')} 5′</button>
        <button type="button" onClick=${() => touch('email', 3)}>${t('email_touch')} 3′</button>
        <button type="button" onClick=${() => touch('meeting', 30)}>${t('meeting')} 30′</button>
      </div>`}
      <p class="hint">${t('shortcuts')}</p>
    </section>
    <section aria-labelledby="h-explain"><h2 id="h-explain">${t('explain')}</h2>
      <p class="totals">${`${t('fit')} ${num(explain.fit)} + ${t('engagement')} ${num(explain.engagement)} = `}<strong>${t('total')} ${num(explain.total)}</strong>${` (${t('model')} ${explain.model_version})`}</p>
      ${explain.disqualified && html`<p>${t('disqualified_by', { r: explain.disqualified })}${explain.disqualified_why ? html` <small>${explain.disqualified_why}</small>` : ''}</p>`}
      <table class="explain"><tbody>${explain.rules.map((r) => html`<tr>
        <th scope="row">${r.rule}${r.why ? html`<small>${r.why}</small>` : ''}</th>
        <td>${t(r.kind)}</td><td class="num">${num(r.points)}</td>
        <td>${r.events != null ? t(r.events === 1 ? 'events_1' : 'events_n', { n: num(r.events, 0) }) : ''}</td></tr>`)}</tbody></table>
    </section>
    ${answers.questions.length > 0 && html`<section aria-labelledby="h-questions"><h2 id="h-questions">${t('questions')}</h2>
      ${canAnswer ? html`<${QuestionsForm} key=${answers.answers.length} leadId=${id} questions=${answers.questions} onDone=${done} />`
        : html`<dl class="fields">${answers.questions.map((q) => html`<dt>${q.text}</dt><dd>${q.answer ?? '—'}</dd>`)}</dl>`}
    </section>`}
    <section aria-labelledby="h-fields"><h2 id="h-fields">${t('lead')}</h2>
      <dl class="fields">${FIELDS.map((f) => html`<dt>${t(f)}</dt><dd>${lead[f] ?? '—'}</dd>`)}
      ${Object.entries(lead.attributes || {}).map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}</dl>
    </section>
    <section aria-labelledby="h-timeline"><h2 id="h-timeline">${t('timeline')}</h2><${Timeline} tl=${timeline} /></section>
  </main>`;
}
