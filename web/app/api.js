// api.js - the app is a client of /v1 only. The session is an HttpOnly
// cookie the browser sends by itself; every request that changes anything
// carries the session's CSRF token. A 401 means the session ended.
let csrf = null;
let onEnded = () => {};

export function whenSessionEnds(fn) { onEnded = fn; }
export function setCsrf(token) { csrf = token; }

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.field = body?.error?.field;
  }
}

export async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin', cache: 'no-store',
  });
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (r.status === 401 && !path.startsWith('/v1/sessions')) onEnded();
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

// Calls fn now and every ms while the page is shown: the screens are live by
// polling (see docs/app.md for why), and stop when fn's screen goes away.
// One call at a time, and never more than a third of the server's time: a
// poll that took 3 s waits 6 s before the next (a big database's reports).
export function every(ms, fn) {
  let stopped = false, timer = null;
  const tick = async () => {
    if (stopped) return;
    const t0 = performance.now();
    try { await fn(); } catch (e) { /* shown by the screen; keep polling */ }
    if (!stopped) timer = setTimeout(tick, Math.max(ms, 2 * (performance.now() - t0)));
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
