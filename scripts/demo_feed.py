#!/usr/bin/env python3
"""demo_feed.py URL TOKEN [--pace SECONDS] [--seed N] - keeps the demo world
alive for `make run`, through the real API only (an admin token): new leads
arrive and engage (page views, webinars, now and then a demo request),
known leads come back, reps work their queues (a first call, then accept or
reject with a reason, qualify, open an opportunity, win or lose it), and
now and then a team goes to a trade show and comes back, so that reps fill
up, the gate's threshold rises and falls back, SLA clocks run and the
forecast keeps pointing forward. Stops on SIGINT or SIGTERM; a refused
call is said on stderr and the feed goes on."""
import argparse
import http.client
import json
import random
import signal
import sys
import time
import urllib.parse

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Farid", "Gita", "Hugo", "Ines", "Jon", "Kai", "Lea"]
LAST = ["Martin", "Okafor", "Rossi", "Schmidt", "Tanaka", "Novak", "Garcia", "Dubois", "Kaya"]
TITLES = ["VP Marketing", "Head of Sales", "Director of IT", "Marketing Manager", "CTO",
          "Analyst", "Operations Manager", "Intern", "Chief Revenue Officer"]
INDUSTRIES = ["software", "financial services", "manufacturing", "retail", "education",
              "healthcare", "public sector"]
SOURCES = {"webinar": "2026-q4-webinars", "paid_search": "brand-search", "organic_search": None,
           "referral": None, "event": "trade-show-2026", "content_syndication": "ebook-syndication"}


class Api:
    def __init__(self, url, token):
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port or 80
        self.token = token
        self.conn = None

    def call(self, method, path, body=None):
        for attempt in range(2):
            try:
                if not self.conn:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                h = {"Authorization": "Bearer " + self.token}
                data = None
                if body is not None:
                    data = json.dumps(body).encode()
                    h["Content-Type"] = "application/json"
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                raw = r.read()
                out = json.loads(raw) if raw else None
                if r.status >= 400:
                    msg = (out or {}).get("error", {}).get("message", "")
                    print(f"demo feed: {method} {path}: {r.status} {msg}", file=sys.stderr)
                    return None
                return out
            except (OSError, http.client.HTTPException):
                self.conn = None
                if attempt:
                    return None
                time.sleep(0.5)
        return None


def act(api, rnd, lid, action, **fields):
    """Takes action on lead lid with a reason the model offers for it, when it needs one."""
    offered = (api.call("GET", f"/v1/leads/{lid}/actions") or {}).get("actions", [])
    a = next((x for x in offered if x["action"] == action), None)
    if not a:
        return None
    body = dict(fields, action=action)
    if a.get("reason_kind"):
        if not a["reasons"]:
            return None
        body["reason"] = rnd.choice(a["reasons"])
    return api.call("POST", f"/v1/leads/{lid}/transitions", body)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url")
    ap.add_argument("token")
    ap.add_argument("--pace", type=float, default=1.0, help="seconds between steps (1)")
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    api = Api(a.url, a.token)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    n = 0
    away_team, away_until = None, 0
    while not stop:
        n += 1
        now = time.time()
        reps = (api.call("GET", "/v1/reps") or {}).get("reps", [])
        names = {r["id"]: r["name"] for r in reps}
        # a new lead arrives and engages
        if rnd.random() < 0.7:
            src = rnd.choice(list(SOURCES))
            email = f"{rnd.choice(FIRST).lower()}.{rnd.choice(LAST).lower()}.{n}@" \
                    f"{rnd.choice(['acme', 'globex', 'initech', 'umbrella', 'hooli'])}{n % 97}.example"
            lead = {"email": email, "name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                    "company": f"{rnd.choice(['Acme', 'Globex', 'Initech', 'Hooli'])} {n % 97}",
                    "title": rnd.choice(TITLES), "employees": rnd.choice([12, 80, 400, 1500, 9000]),
                    "industry": rnd.choice(INDUSTRIES), "source": src}
            if SOURCES[src]:
                lead["campaign"] = SOURCES[src]
            if api.call("POST", "/v1/leads", lead):
                events = [{"type": "page_view", "properties": {"url": "/pricing"}},
                          {"type": "webinar"}, {"type": "page_view", "properties": {"url": "/product"}}]
                if rnd.random() < 0.15:
                    events.append({"type": "demo_request"})
                batch = [dict(e, id=f"feed-{int(now)}-{n}-{i}", email=email)
                         for i, e in enumerate(events[: rnd.randint(1, len(events))])]
                api.call("POST", "/v1/events", batch)
        # a known lead comes back
        known = (api.call("GET", "/v1/leads?stage=lead&sort=score&limit=50") or {}).get("leads", [])
        if known:
            l = rnd.choice(known)
            api.call("POST", "/v1/events", {"id": f"feed-{int(now)}-{n}-back", "lead_id": l["id"],
                                            "type": rnd.choice(["webinar", "download", "email_click"])})
        # reps work their queues: the soonest SLA first, then the later stages
        for stage, sort in (("assigned", "sla_due"), ("sal", "score"), ("sql", "score"),
                            ("opportunity", "score")):
            if rnd.random() > 0.5:
                continue
            leads = (api.call("GET", f"/v1/leads?stage={stage}&sort={sort}&limit=5") or {}).get("leads", [])
            if not leads:
                continue
            l = leads[0] if sort == "sla_due" else rnd.choice(leads)
            lid, rep = l["id"], names.get(l.get("owner_rep_id"))
            if stage == "assigned":
                if rep:
                    api.call("POST", f"/v1/leads/{lid}/touches", {"kind": "call", "minutes": rnd.randint(5, 30), "rep": rep})
                if rnd.random() < 0.7:
                    act(api, rnd, lid, "accept", rating=rnd.randint(2, 5))
                else:
                    act(api, rnd, lid, "reject", rating=rnd.randint(1, 3))
            elif stage == "sal":
                act(api, rnd, lid, "qualify", rating=rnd.randint(2, 5))
            elif stage == "sql":
                close = time.strftime("%Y-%m-%d", time.gmtime(now + 86400 * rnd.randint(14, 90)))
                act(api, rnd, lid, "open-opportunity", amount=rnd.choice([5000, 12000, 40000]),
                    close_date=close)
            elif rnd.random() < 0.3:
                act(api, rnd, lid, "won" if rnd.random() < 0.4 else "lost")
        # now and then a team is at a trade show for a few minutes: its reps are away
        if away_team is None and reps and rnd.random() < 0.01:
            away_team, away_until = rnd.choice(sorted({r.get("team") or "" for r in reps})), now + 180
            for r in reps:
                if (r.get("team") or "") == away_team and not r.get("away"):
                    api.call("PATCH", f"/v1/reps/{r['id']}", {"away": True})
        elif away_team is not None and now >= away_until:
            for r in reps:
                if (r.get("team") or "") == away_team and r.get("away"):
                    api.call("PATCH", f"/v1/reps/{r['id']}", {"away": False})
            away_team = None
        time.sleep(a.pace)
    # leave no one away behind
    if away_team is not None:
        for r in (api.call("GET", "/v1/reps") or {}).get("reps", []):
            if (r.get("team") or "") == away_team and r.get("away"):
                api.call("PATCH", f"/v1/reps/{r['id']}", {"away": False})
    return 0


if __name__ == "__main__":
    sys.exit(main())
