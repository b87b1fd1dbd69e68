"""The app's sign-in over HTTP: a token or a one-time link is exchanged for
a session cookie (HttpOnly, SameSite=Strict); the session acts as its token
(a rep sees only its leads), needs its CSRF token to change anything, ends
on sign-out and when the token is revoked; a link opens one session only;
every answer carries the security headers; the app is served at /."""
import json

from lfserver import Server, check, demo_db, done, run, sql, token

d, db = demo_db(leads=300)
rep_id = int(sql(db, "SELECT owner_rep_id FROM leads WHERE owner_rep_id IS NOT NULL"
                    " GROUP BY owner_rep_id ORDER BY count(*) DESC, owner_rep_id LIMIT 1"))
rep_tok = token(db, "rep", "rep-app", rep=rep_id)
admin = token(db, "admin", "admin-app")
rep_token_id = int(sql(db, "SELECT id FROM tokens WHERE name='rep-app'"))
srv = Server(db).start()


def cookie_of(r):
    c = r.getheader("Set-Cookie") or ""
    return c, c.split(";", 1)[0]


# --- the app itself, and the headers of every answer
st, body, r = srv.call("GET", "/")
check(st == 200 and "text/html" in r.getheader("Content-Type") and "<script" in body,
      "GET / serves the app's page")
check("<script>" not in body and 'type="module"' in body, "the page has no inline script")
csp = r.getheader("Content-Security-Policy") or ""
check("script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp,
      f"a CSP without inline script, no framing: {csp}")
check(r.getheader("X-Content-Type-Options") == "nosniff", "nosniff")
st, body, r = srv.call("GET", "/app/vendor/preact-htm.js")
check(st == 200 and "javascript" in r.getheader("Content-Type"), "the vendored library is served")
st, body, r = srv.call("GET", "/app/nothing.js")
check(st == 404, "an app file that does not exist: 404")
st, body, r = srv.call("POST", "/", body="x", ctype="text/plain")
check(st == 405, "POST / : 405")
st, body, r = srv.call("GET", "/healthz")
check(r.getheader("Content-Security-Policy") and r.getheader("X-Content-Type-Options"),
      "API answers carry the security headers too")

# --- signing in with a token
st, b, r = srv.call("POST", "/v1/sessions", body={"token": "lf_1_" + "0" * 64})
check(st == 401 and b["error"]["code"] == "unauthorised", f"a wrong token: 401 ({st})")
st, b, r = srv.call("POST", "/v1/sessions", body={"token": rep_tok, "extra": 1})
check(st == 400 and b["error"]["field"] == "extra", "an unknown field: 400 naming it")
st, b, r = srv.call("POST", "/v1/sessions", body={})
check(st == 400, "neither token nor link: 400")
st, b, r = srv.call("POST", "/v1/sessions", body={"token": rep_tok})
raw, cookie = cookie_of(r)
check(st == 201 and b["role"] == "rep" and b["rep_id"] == rep_id and len(b["csrf"]) == 64,
      f"a rep token opens a session ({st})")
check("HttpOnly" in raw and "SameSite=Strict" in raw and "Path=/" in raw and "Max-Age=" in raw,
      f"the cookie is HttpOnly, SameSite=Strict: {raw.split(';', 1)[1]}")
check(rep_tok not in raw and rep_tok not in json.dumps(b), "the token is not echoed")
csrf = b["csrf"]
H = {"Cookie": cookie}

st, me, _ = srv.call("GET", "/v1/sessions/current", headers=H)
check(st == 200 and me["csrf"] == csrf and me["name"] == "rep-app", "the session says who it is")
st, leads, _ = srv.call("GET", "/v1/leads?limit=1000", headers=H)
owners = {l["owner_rep_id"] for l in leads["leads"]}
check(st == 200 and owners == {rep_id}, f"a rep's session lists only its leads ({owners})")
other = int(sql(db, "SELECT id FROM leads WHERE owner_rep_id IS NOT NULL"
                   f" AND owner_rep_id != {rep_id} LIMIT 1"))
st, b, _ = srv.call("GET", f"/v1/leads/{other}", headers=H)
check(st == 404, "another rep's lead: 404, as for the token")
st, b, _ = srv.call("GET", "/v1/tokens", headers=H)
check(st == 403, "a rep's session may not list tokens")

# --- CSRF: a state-changing request of a session needs the token
mine = leads["leads"][0]["id"]
touch = {"kind": "call", "minutes": 5}
st, b, _ = srv.call("POST", f"/v1/leads/{mine}/touches", body=touch, headers=H)
check(st == 403 and b["error"]["field"] == "X-CSRF-Token", f"no CSRF token: 403 ({st})")
st, b, _ = srv.call("POST", f"/v1/leads/{mine}/touches", body=touch,
                    headers=dict(H, **{"X-CSRF-Token": "0" * 64}))
check(st == 403, "a wrong CSRF token: 403")
st, b, _ = srv.call("POST", f"/v1/leads/{mine}/touches", body=touch,
                    headers=dict(H, **{"X-CSRF-Token": csrf}))
check(st in (200, 201), f"with the CSRF token the touch is logged ({st} {b})")

# --- sign-out
st, b, _ = srv.call("DELETE", "/v1/sessions/current", headers=H)
check(st == 403, "signing out needs the CSRF token too")
st, b, r = srv.call("DELETE", "/v1/sessions/current", headers=dict(H, **{"X-CSRF-Token": csrf}))
check(st == 204 and "Max-Age=0" in (r.getheader("Set-Cookie") or ""), "sign-out: 204, cookie cleared")
st, b, _ = srv.call("GET", "/v1/sessions/current", headers=H)
check(st == 401, "a signed-out session: 401")
st, b, _ = srv.call("DELETE", "/v1/sessions/current", admin)
check(st == 400, "sign-out with a bearer token: 400 (revoke the token instead)")

# --- a one-time link, and revocation
link = json.loads(run(db, "--format", "json", "token", "link", str(rep_token_id),
                      "--url", f"http://127.0.0.1:{srv.port}").stdout)
check(link["url"].startswith(f"http://127.0.0.1:{srv.port}/#signin=lk_"), "token link prints the URL")
st, b, r = srv.call("POST", "/v1/sessions", body={"link": link["link"]})
_, cookie2 = cookie_of(r)
check(st == 201 and b["role"] == "rep", "the link opens a session")
st, b, _ = srv.call("POST", "/v1/sessions", body={"link": link["link"]})
check(st == 401, "the same link again: 401")
run(db, "token", "revoke", str(rep_token_id))
st, b, _ = srv.call("GET", "/v1/sessions/current", headers={"Cookie": cookie2})
check(st == 401, "the token revoked: its session is refused at once")
st, b, _ = srv.call("GET", "/v1/leads", headers={"Cookie": "lf_session=ls_1_zz"})
check(st == 401, "a malformed session cookie: 401")

check(srv.stop() == 0, "SIGTERM: the server exits 0")
done()
