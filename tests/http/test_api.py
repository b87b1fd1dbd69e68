"""End to end: the real server on a free port, every route, the bad-request
table (bad_requests.tsv), the role matrix (roles.tsv), and a rep's isolation."""
import json
import os
import subprocess

from lfserver import SRC, Server, check, demo_db, done, run, sql, token

HERE = os.path.dirname(os.path.abspath(__file__))
# the gate off: these checks move leads through the pool by hand, and a gate
# woken by a lead reaching the pool would assign it first
LIMITS = {"LEADFLOW_GATE_INTERVAL_MS": "0", "LEADFLOW_BODY_MAX": "65536", "LEADFLOW_LINE_MAX": "1024",
          "LEADFLOW_BATCH_MAX": "100", "LEADFLOW_TOKEN_CACHE_MS": "0"}

d, db = demo_db(leads=300)
tok = {"admin": token(db, "admin", "root")}
for role in ("marketing", "sales_manager", "readonly"):
    tok[role] = token(db, role, role + "-token")
srv = Server(db, LIMITS).start()
A = tok["admin"]

# every lead, through the cursor
ids, cursor, pages = [], None, 0
while True:
    st, page, _ = srv.call("GET", "/v1/leads?limit=40" + (f"&cursor={cursor}" if cursor else ""), A)
    assert st == 200, page
    ids += [l["id"] for l in page["leads"]]
    pages += 1
    cursor = page["next_cursor"]
    if not cursor:
        break
    leads_all = None
total = int(sql(db, "SELECT count(*) FROM leads"))
check(len(ids) == total and len(set(ids)) == total and ids == sorted(ids),
      f"cursor pages ({pages}) return every lead once, in id order ({len(ids)} of {total})")

st, allp, _ = srv.call("GET", "/v1/leads?limit=1000", A)
owned = {}
for l in allp["leads"]:
    if l.get("owner_rep_id"):
        owned.setdefault(l["owner_rep_id"], []).append(l)
reps = sorted(owned, key=lambda r: -len(owned[r]))
rep_a, rep_b = reps[0], reps[1]
tok["rep"] = token(db, "rep", "rep-a", rep=rep_a)
own_lead = owned[rep_a][0]["id"]
other_lead = owned[rep_b][0]["id"]
fresh = [l["id"] for l in allp["leads"] if l["stage"] == "lead"]

# --- finding leads: filters, sorts, and a cursor that follows the sort
some = allp["leads"][7]
st, b, _ = srv.call("GET", "/v1/leads?email=" + some["email"].upper(), A)
check(st == 200 and [l["id"] for l in b["leads"]] == [some["id"]], "GET /v1/leads?email= finds a lead")
st, b, _ = srv.call("GET", "/v1/leads?external_id=" + some["external_id"], A)
check(st == 200 and [l["id"] for l in b["leads"]] == [some["id"]],
      "GET /v1/leads?external_id= finds a lead")
st, b, _ = srv.call("GET", f"/v1/leads?owner={rep_a}&limit=1000", A)
check(st == 200 and len(b["leads"]) == len(owned[rep_a]) and
      all(l["owner_rep_id"] == rep_a for l in b["leads"]), "?owner= keeps one rep's leads")
camp = next(l["campaign"] for l in allp["leads"] if l.get("campaign"))
st, b, _ = srv.call("GET", f"/v1/leads?campaign={camp}&limit=1000", A)
check(st == 200 and b["leads"] and all(l["campaign"] == camp for l in b["leads"]) and
      len(b["leads"]) == sum(1 for l in allp["leads"] if l.get("campaign") == camp), "?campaign=")
st, b, _ = srv.call("GET", "/v1/leads?min_score=20&max_score=40&limit=1000", A)
check(st == 200 and len(b["leads"]) == sum(1 for l in allp["leads"] if 20 <= l["total"] <= 40)
      and b["leads"], "?min_score=&max_score= keep a range of totals")
for sort, key, rev in (("score", "total", True), ("created", "created_at", False)):
    got, cursor = [], None
    while True:
        st, page, _ = srv.call("GET", f"/v1/leads?sort={sort}&limit=37" +
                               (f"&cursor={cursor}" if cursor else ""), A)
        assert st == 200, page
        got += page["leads"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    want = sorted(allp["leads"], key=lambda l: ((-l[key] if rev else l[key]), l["id"]))
    check([l["id"] for l in got] == [l["id"] for l in want],
          f"sort={sort}: every lead once, in order, through the cursor ({len(got)})")
st, b, _ = srv.call("GET", "/v1/leads?sort=sla_due&limit=5", A)
check(st == 200 and all(b["leads"][i]["sla_due_at"] <= b["leads"][i + 1]["sla_due_at"]
                        for i in range(len(b["leads"]) - 1)), "sort=sla_due: soonest due first")
# the leads behind a number of the feedback report: its reason, under its source
st, fb, _ = srv.call("GET", "/v1/reports/feedback", A)
row = max((r for r in fb["rows"] if r["section"] == "source" and r["kind"] == "reject"),
          key=lambda r: r["leads"])
st, b, _ = srv.call("GET", f"/v1/leads?reason={row['reason']}&reason_stage=recycled"
                    f"&source={row['group']}&limit=1000", A)
want = sql(db, "SELECT count(DISTINCT l.id) FROM leads l JOIN transitions t"
           " ON t.lead_id = l.id WHERE t.reason = ? AND t.to_stage = 'recycled'"
           " AND l.source = ?".replace("?", "'%s'") % (row["reason"], row["group"]))
check(st == 200 and b["leads"] and len(b["leads"]) == int(want) <= row["leads"],
      f"?reason=&reason_stage=&source= lists the leads behind a feedback number "
      f"({len(b['leads'])} leads, {row['leads']} rejections)")
st, b, _ = srv.call("GET", f"/v1/leads?reason={row['reason']}&reason_stage=won&limit=1000", A)
check(st == 200 and not b["leads"], "?reason_stage= keeps transitions to that stage only")
st, b, _ = srv.call("GET", "/v1/leads?sort=score&reasons=2&limit=5", A)
lead0 = b["leads"][0]
st, x, _ = srv.call("GET", f"/v1/leads/{lead0['id']}/explain", A)
best = sorted((r for r in x["rules"] if r["points"] > 0), key=lambda r: -r["points"])[:2]
check(st == 200 and [r["rule"] for r in lead0["top_reasons"]] == [r["rule"] for r in best] and
      all(len(l["top_reasons"]) <= 2 for l in b["leads"]),
      f"?reasons=2 gives each lead the rules giving it most points ({lead0['top_reasons']})")
st, b, _ = srv.call("GET", "/v1/leads?limit=5", A)
check(all("top_reasons" not in l for l in b["leads"]), "without ?reasons= no reasons are computed")
st, b, _ = srv.call("GET", "/v1/leads?from=2090-01-01&limit=5", A)
check(st == 200 and not b["leads"], "?from= keeps leads created since then")
for bad, field in (("reason_stage=won", "reason_stage"), ("reason=x&reason_stage=late", "reason_stage"),
                   ("from=yesterday", "from"), ("reasons=11", "reasons")):
    st, b, _ = srv.call("GET", "/v1/leads?" + bad, A)
    check(st == 400 and b["error"]["field"] == field, f"GET /v1/leads?{bad} is 400 naming {field}")
for bad, field in (("email=x@y.example&bogus=1", "bogus"), ("sort=name", "sort"),
                   ("min_score=high", "min_score"), ("sort=score&cursor=12", "cursor")):
    st, b, _ = srv.call("GET", "/v1/leads?" + bad, A)
    check(st == 400 and b["error"]["field"] == field, f"GET /v1/leads?{bad} is 400 naming {field}")
for path, field in (("/v1/reports/funnel?bogus=1", "bogus"), ("/v1/reports/funnel?outcome=won", "outcome"),
                    ("/v1/reports/sla?team=x", "team"), ("/v1/gate?x=1", "x"),
                    ("/v1/leads/1/timeline?at=2026-01-01", "at")):
    st, b, _ = srv.call("GET", path, A)
    check(st == 400 and b["error"]["field"] == field, f"GET {path} is 400 naming {field}")

# --- system routes
st, body, _ = srv.call("GET", "/healthz")
check(st == 200 and body["status"] == "ok", "GET /healthz answers ok without a token")
st, doc, _ = srv.call("GET", "/v1/openapi.json")
check(st == 200 and doc["openapi"].startswith("3."), "GET /v1/openapi.json serves OpenAPI 3")

# --- leads
new = {"external_id": "api-1", "email": "Ada@Example.com", "name": "Ada", "source": "webinar",
       "employees": 120, "attributes": {"plan": "pro"}}
st, lead, r = srv.call("POST", "/v1/leads", A, new)
check(st == 201 and lead["email"] == "ada@example.com" and r.getheader("Location") ==
      f"/v1/leads/{lead['id']}", "POST /v1/leads creates (201, Location, email normalised)")
st2, again, _ = srv.call("POST", "/v1/leads", A, new)
check(st2 == 200 and again["id"] == lead["id"], "the same lead again is 200, same id")
st, got, _ = srv.call("GET", f"/v1/leads/{lead['id']}", A)
check(st == 200 and got["attributes"]["plan"] == "pro" and got["fit"] >= 0,
      "GET /v1/leads/{id} with attributes and a live fit score")
st, patched, _ = srv.call("PATCH", f"/v1/leads/{lead['id']}", A,
                          {"title": "CTO", "attributes": {"plan": None, "seats": 40}})
check(st == 200 and patched["title"] == "CTO" and "plan" not in patched["attributes"] and
      patched["attributes"]["seats"] == 40, "PATCH sets a field, removes and adds attributes")

# --- events
ev = {"id": "api-ev-1", "external_id": "api-1", "type": "demo_request",
      "occurred_at": "2026-11-20T10:00:00Z", "properties": {"page": "/pricing"}}
st, b, _ = srv.call("POST", "/v1/events", A, ev)
check(st == 201 and b["status"] == "inserted" and b["lead_id"] == lead["id"],
      "POST /v1/events: one new event is 201")
st, b, _ = srv.call("POST", "/v1/events", A, ev)
check(st == 200 and b["status"] == "unchanged", "the same event retried is 200 unchanged")
ev2 = dict(ev, type="page_view")
st, b, _ = srv.call("POST", "/v1/events", A, ev2)
check(st == 409 and b["error"]["field"] == "id", "the same id with other content is 409 on 'id'")
import time as _time
st, b, _ = srv.call("POST", "/v1/events", A, {"id": "api-ev-now", "external_id": "api-1",
                                              "type": "page_view"})
got = sql(db, "SELECT occurred_at FROM events WHERE id = 'api-ev-now'")
check(st == 201 and got and abs(int(got) / 1000 - _time.time()) < 120,
      f"an event without occurred_at happened when it arrived ({st} {got})")
batch = [dict(ev, id="api-ev-2"), dict(ev, id="api-ev-3", occurred_at="soon"),
         dict(ev, id="api-ev-4")]
st, b, _ = srv.call("POST", "/v1/events", A, batch)
check(st == 200 and b["inserted"] == 2 and b["rejected"] == 1 and
      b["errors"][0]["index"] == 1 and b["errors"][0]["field"] == "occurred_at",
      "an array: 2 taken, the bad one named by index and field")
nd = "\n".join(json.dumps(dict(ev, id=f"api-nd-{i}")) for i in range(3)) + "\n" + \
     json.dumps(dict(ev, id="api-nd-x", lead_id=999999, external_id=None)) + "\n"
st, b, _ = srv.call("POST", "/v1/events", A, nd, "application/x-ndjson")
check(st == 200 and b["inserted"] == 3 and b["rejected"] == 1 and b["errors"][0]["line"] == 4,
      "NDJSON: 3 taken, the bad one named by line")
st, b, _ = srv.call("GET", f"/v1/leads/{lead['id']}/timeline", A)
check(st == 200 and len(b["events"]) == 7 and b["transitions"] == [],
      f"GET timeline lists the lead's 7 events ({sorted(e['id'] for e in b['events'])})")
st, b, _ = srv.call("GET", f"/v1/leads/{lead['id']}/explain", A)
check(st == 200 and b["model_version"] == 1 and b["total"] > 0 and b["rules"],
      "GET explain gives the score rule by rule")
check(all(r["why"] for r in b["rules"]) and "disqualified_why" in b,
      "each rule explained carries the model's why for it")

# --- lifecycle
st, b, _ = srv.call("POST", f"/v1/leads/{fresh[0]}/transitions", A, {"action": "mql"})
check(st == 200 and b["stage"] == "mql", "POST transitions: mql moves a lead")
st, b, _ = srv.call("GET", f"/v1/leads/{fresh[0]}/actions", A)
coded = [a for a in b.get("actions", []) if a.get("reason_kind")]
check(st == 200 and coded and all(set(a["reason_whys"]) == set(a["reasons"]) for a in coded) and
      any(a["reason_whys"].get("student") == "Studies the field: no budget, not a buyer."
          for a in coded),
      f"GET actions gives each reason code with its why ({[a['action'] for a in coded]})")
st, b, _ = srv.call("POST", f"/v1/leads/{fresh[0]}/transitions", A, {"action": "won"})
check(st == 409 and b["error"]["stage"] == "mql" and "assign" in b["error"]["allowed"] and
      all(a == a.strip() for a in b["error"]["allowed"]),
      "a refused action is 409 with the stage and the allowed actions")
st, b, _ = srv.call("GET", f"/v1/leads/{fresh[0]}/timeline", A)
check(b["transitions"][-1]["actor"] == "root", "the transition records the token's name")

# --- touches and a rep's isolation
R = tok["rep"]
st, b, _ = srv.call("POST", f"/v1/leads/{own_lead}/touches", R,
                    {"id": "t-1", "kind": "call", "minutes": 12, "at": "2026-11-21T09:00:00Z"})
check(st == 201 and b["status"] == "inserted", "a rep logs a touch on their lead (201)")
st, b, _ = srv.call("POST", f"/v1/leads/{own_lead}/touches", R,
                    {"id": "t-1", "kind": "call", "minutes": 12, "at": "2026-11-21T09:00:00Z"})
check(st == 200 and b["status"] == "unchanged", "the same touch again is 200")
st, b, _ = srv.call("GET", f"/v1/leads/{own_lead}/timeline", R)
check(st == 200 and b["touches"][-1]["rep_id"] == rep_a, "the touch is the rep's own")
for method, path, body in [("GET", f"/v1/leads/{other_lead}", None),
                           ("GET", f"/v1/leads/{other_lead}/timeline", None),
                           ("GET", f"/v1/leads/{other_lead}/explain", None),
                           ("POST", f"/v1/leads/{other_lead}/transitions", {"action": "accept"}),
                           ("POST", f"/v1/leads/{other_lead}/touches",
                            {"kind": "call", "at": "2026-11-21T09:00:00Z"})]:
    st, b, _ = srv.call(method, path, R, body)
    check(st == 404, f"a rep's {method} {path.replace(str(other_lead), '{other}')} is 404")
st, b, _ = srv.call("GET", "/v1/leads?limit=1000", R)
check(st == 200 and b["leads"] and all(l["owner_rep_id"] == rep_a for l in b["leads"]),
      f"a rep lists only their own leads ({len(b['leads'])})")

# --- qualification questions: asked with the actions, answered on the lead
st, b, _ = srv.call("GET", f"/v1/leads/{own_lead}/answers", R)
check(st == 200 and [q["key"] for q in b["questions"]] == ["budget", "heard_from", "seats", "timeline"]
      and all(q["why"] for q in b["questions"]),
      "GET answers lists the model's questions for the lead, each with its why")
assigned = next((l["id"] for l in owned[rep_a] if l["stage"] == "assigned"), None)
if assigned:
    st, b, _ = srv.call("GET", f"/v1/leads/{assigned}/actions", R)
    acc = next(a for a in b["actions"] if a["action"] == "accept")
    check([q["key"] for q in acc["questions"]] == ["budget", "heard_from", "seats"] and
          acc["questions"][1]["choices"][0] == "search",
          "the accept action carries the questions asked at accept")
    check(all(a["questions"] == [] for a in b["actions"] if a["action"] not in ("accept", "qualify")),
          "the other actions ask none")
    st, b, _ = srv.call("POST", f"/v1/leads/{assigned}/transitions", R,
                        {"action": "accept", "answers": {"budget": "perhaps"}})
    check(st == 422 and b["error"]["field"] == "answers.budget", "a refused answer refuses the action")
    st, b, _ = srv.call("GET", f"/v1/leads/{assigned}", R)
    check(b["stage"] == "assigned", "and the lead did not move")
    st, b, _ = srv.call("POST", f"/v1/leads/{assigned}/transitions", R,
                        {"action": "accept", "answers": {"budget": True, "seats": 12}})
    check(st == 200 and b["stage"] == "sal", "accept with answers moves the lead")
    st, b, _ = srv.call("GET", f"/v1/leads/{assigned}/answers", R)
    got = {a["question"]: (a["value"], a["actor"]) for a in b["answers"]}
    check(got == {"budget": ("yes", "rep-a"), "seats": (12, "rep-a")} and
          {q["key"]: q["answer"] for q in b["questions"]}["budget"] == "yes",
          f"the action's answers are kept with who gave them ({got})")
else:
    check(False, "the demo world gives rep A an assigned lead")
st, b, _ = srv.call("POST", f"/v1/leads/{own_lead}/answers", R,
                    {"answers": {"heard_from": "event", "timeline": "later"}})
check(st == 201 and [a["question"] for a in b["answers"]] == ["heard_from", "timeline"] and
      b["lead"]["attributes"]["answer_heard_from"] == "event",
      "POST answers records them all and gives the lead back")
st, b, _ = srv.call("POST", f"/v1/leads/{own_lead}/answers", R,
                    {"answers": {"heard_from": "social", "seats": "many"}})
check(st == 422 and b["error"]["field"] == "answers.seats" and "a number" in b["error"]["message"],
      f"one refused answer is 422 naming it ({b['error']['message']})")
st, b, _ = srv.call("GET", f"/v1/leads/{own_lead}/answers", R)
check([a["value"] for a in b["answers"] if a["question"] == "heard_from"] == ["event"],
      "and none of that request's answers is kept")
st, b, _ = srv.call("POST", f"/v1/leads/{own_lead}/answers", R, {"answers": {"colour": "blue"}})
check(st == 422 and "asks no question 'colour'" in b["error"]["message"], "an unknown question is 422")
for method in ("GET", "POST"):
    st, b, _ = srv.call(method, f"/v1/leads/{other_lead}/answers", R,
                        {"answers": {"budget": "no"}} if method == "POST" else None)
    check(st == 404, f"a rep's {method} answers on another rep's lead is 404")

# --- reps, models, reports
st, b, _ = srv.call("POST", "/v1/reps", tok["sales_manager"],
                    {"name": "Zoe API", "team": "emea", "weekly_hours": 32, "max_active": 20})
check(st == 201 and b["name"] == "Zoe API", "POST /v1/reps adds a rep")
check(b.get("tier") == "sdr", "a rep is an SDR unless told")
st, b, _ = srv.call("POST", "/v1/reps", tok["sales_manager"], {"name": "Zoe API"})
check(st == 409 and b["error"]["field"] == "name", "a taken rep name is 409")
st, b, _ = srv.call("POST", "/v1/reps", tok["sales_manager"], {"name": "Abe API", "tier": "ae"})
check(st == 201 and b["tier"] == "ae", "POST /v1/reps adds an account executive")
st, b, _ = srv.call("POST", "/v1/reps", tok["sales_manager"], {"name": "Cy API", "tier": "boss"})
check(st == 400 and b["error"]["field"] == "tier", "an unknown tier is 400 naming it")
st, b, _ = srv.call("GET", "/v1/reps", A)
check(st == 200 and any(r["name"] == "Zoe API" for r in b["reps"]), "GET /v1/reps lists it")
check({r["name"]: r["tier"] for r in b["reps"]}.get("Abe API") == "ae", "... with its tier")
text = open(os.path.join(SRC, "models", "default.yaml")).read()
text2 = text.replace("floor:", "floor: 1 #", 1) if "floor:" in text else text
st, b, _ = srv.call("POST", "/v1/models", tok["marketing"], text2, "application/yaml")
check(st == 201 and b["version"] == 2 and b["status"] == "draft",
      "POST /v1/models stores version 2 as a draft")
st, b, _ = srv.call("GET", "/v1/models", A)
check(st == 200 and len(b["models"]) == 2, "GET /v1/models lists both")
st, b, _ = srv.call("GET", "/v1/models/2", A)
check(st == 200 and b["text"] == text2, "GET /v1/models/2 returns the file")
st, b, _ = srv.call("GET", "/v1/models/1/diff/2", A)
check(st == 200 and isinstance(b["changes"], list), "GET diff")
# governance (SPEC 8): both teams approve, by two tokens; no one role alone activates
st, b, _ = srv.call("POST", "/v1/models/2/activate", A)
check(st == 409 and "approval" in b["error"]["message"], "admin alone cannot activate (409)")
st, b, _ = srv.call("POST", "/v1/models/2/approve", tok["marketing"])
check(st == 409 and "propose it first" in b["error"]["message"], "a draft is not approved")
st, b, _ = srv.call("POST", "/v1/models/2/propose", tok["marketing"])
check(st == 200 and b["status"] == "proposed", "marketing proposes version 2")
st, b, _ = srv.call("POST", "/v1/models/2/approve", tok["rep"])
check(st == 403, "a rep cannot approve")
st, b, _ = srv.call("POST", "/v1/models/2/approve", A)
check(st == 403, "admin's approval is not one of the two")
st, b, _ = srv.call("POST", "/v1/models/2/approve", tok["marketing"])
check(st == 200 and len(b["approvals"]) == 1, "marketing approves")
st, b, _ = srv.call("POST", "/v1/models/2/approve", tok["marketing"])
check(st == 409 and "already" in b["error"]["message"], "the same token twice is refused")
st, b, _ = srv.call("POST", "/v1/models/2/activate", tok["marketing"])
check(st == 409 and "marketing's only" in b["error"]["message"], "one role alone cannot activate")
st, b, _ = srv.call("POST", "/v1/models/2/approve", tok["sales_manager"])
check(st == 200 and {a["role"] for a in b["approvals"]} == {"marketing", "sales_manager"},
      "sales approves")
st, b, _ = srv.call("POST", "/v1/models/2/activate", A)
check(st == 200 and b["leads_rescored"] == total + 1, f"activate rescores every lead ({b})")
st, b, _ = srv.call("GET", "/v1/models/2", A)
check(st == 200 and b["status"] == "active" and len(b["approvals"]) == 2,
      "the version shows who approved it")
st, b, _ = srv.call("GET", "/v1/reports/funnel", tok["readonly"])
check(st == 200 and b["report"] == "funnel" and b["rows"], "GET /v1/reports/funnel")
st, b, _ = srv.call("GET", "/v1/reports/clicks-vs-feeling?outcome=won", tok["readonly"])
check(st == 200, "GET /v1/reports/clicks-vs-feeling?outcome=won")
st, b, _ = srv.call("GET", "/v1/reports/questions?outcome=won", tok["marketing"])
check(st == 200 and {r["question"] for r in b["rows"]} == {"budget", "heard_from", "seats", "timeline"}
      and all(r["outcome"] == "won" for r in b["rows"] if r["rep"] == "(every rep)"),
      "GET /v1/reports/questions: every question of the model, against the outcome asked")
st, b, _ = srv.call("GET", "/v1/reports/handoffs", tok["marketing"])
check(st == 200 and {r["handoff"] for r in b["rows"]} <= {"marketing_to_sdr", "sdr_to_ae"}
      and any(r["group"] == "all" and r["handoff"] == "marketing_to_sdr" for r in b["rows"]),
      "GET /v1/reports/handoffs: the two handoffs side by side")
st, b, _ = srv.call("GET", "/v1/reports/questions?source=webinar", tok["marketing"])
check(st == 400 and b["error"]["field"] == "source", "a filter the questions report does not take is 400")

# --- capacity, routing and the gate
st, b, _ = srv.call("PATCH", f"/v1/reps/{rep_a}", tok["sales_manager"],
                    {"max_active": 3, "away_from": "2026-12-24T00:00:00Z",
                     "away_to": "2027-01-02T00:00:00Z"})
check(st == 200 and b["max_active"] == 3 and b["away_from"].startswith("2026-12-24"),
      "PATCH /v1/reps/{id} sets capacity and time away")
st, b, _ = srv.call("PATCH", f"/v1/reps/{rep_a}", tok["sales_manager"], {"away_to": "soon"})
check(st == 400 and b["error"]["field"] == "away_to", "a bad date is 400 naming it")
st, b, _ = srv.call("PUT", "/v1/routing", tok["sales_manager"],
                    "rules:\n  - {name: big, when: 'employees >= 1000', pool: enterprise}\n"
                    "  - {name: rest, pool: general}\n", "application/yaml")
check(st == 200 and b["rules"] == 2, "PUT /v1/routing puts a routing file in force")
st, b, _ = srv.call("PUT", "/v1/routing", tok["sales_manager"],
                    "rules:\n  - {name: big, when: 'employees >>= 1', pool: x}\n  - {name: y}\n",
                    "application/yaml")
check(st == 422 and len(b["error"]["problems"]) == 2 and
      b["error"]["problems"][0].startswith("routing:2:"),
      "a bad routing file is 422 with every problem, line:column")
st, b, _ = srv.call("GET", "/v1/routing", tok["readonly"])
check(st == 200 and b["version"] == 1 and "enterprise" in b["text"], "GET /v1/routing")
st, run, _ = srv.call("POST", "/v1/gate/run", tok["sales_manager"])
check(st == 200 and run["floor"] > 0 and run["free_slots"] >= run["released"],
      f"POST /v1/gate/run ({run})")
st, b, _ = srv.call("GET", "/v1/gate", tok["marketing"])
check(st == 200 and b["history"] and b["teams"] and b["threshold"] >= b["floor"],
      "GET /v1/gate: threshold, floor, teams, history")
st, b, _ = srv.call("GET", "/v1/leads?stage=lead&limit=1", A)
queued = b["leads"][0]["id"]
srv.call("POST", f"/v1/leads/{queued}/transitions", A, {"action": "mql"})
st, b, _ = srv.call("POST", f"/v1/leads/{queued}/transitions", tok["sales_manager"],
                    {"action": "assign"})
check(st == 422 and b["error"]["field"] == "rep_id", "an assign without a rep is 422 naming rep_id")
st, b, _ = srv.call("POST", f"/v1/leads/{queued}/transitions", tok["sales_manager"],
                    {"action": "assign", "rep_id": 999999})
check(st == 422 and b["error"]["field"] == "rep_id", "an assign to no rep is 422 naming rep_id")
st, b, _ = srv.call("POST", f"/v1/leads/{queued}/transitions", tok["sales_manager"],
                    {"action": "assign", "rep_id": rep_b})
check(st == 200 and b["stage"] == "assigned" and b["owner_rep_id"] == rep_b,
      "a sales manager assigns a lead to a rep")
clock = sql(db, "SELECT rep_id, (due_at - at) / 60000 FROM assignments "
            f"WHERE lead_id = {queued}").split()
check(clock == [f"{rep_b}|240"], f"a manual assignment starts the SLA clock as the gate's does ({clock})")

# sales-sourced leads: at sql, owned by the rep who adds them, as `lead add --source sales`
st, b, _ = srv.call("POST", "/v1/leads", R, {"email": "found@prospect.example", "source": "sales"})
check(st == 201 and b["stage"] == "sql" and b["owner_rep_id"] == rep_a,
      "a rep adds a lead it found: at sql, its own")
st, b, _ = srv.call("POST", "/v1/leads", R, {"email": "mkt@prospect.example", "source": "webinar"})
check(st == 403 and b["error"]["field"] == "source", "a rep adds only sales-sourced leads")
st, b, _ = srv.call("POST", "/v1/leads", R, {"email": "x@prospect.example", "source": "sales",
                                             "rep_id": rep_b})
check(st == 403 and b["error"]["field"] == "rep_id", "a rep adds no lead for another rep")
st, b, _ = srv.call("POST", "/v1/leads", tok["sales_manager"],
                    {"email": "for-b@prospect.example", "source": "sales"})
check(st in (400, 422) and b["error"]["field"] == "rep_id", f"a manager's sales lead names its rep ({st} {b})")
st, b, _ = srv.call("POST", "/v1/leads", tok["sales_manager"],
                    {"email": "for-b@prospect.example", "source": "sales", "rep_id": rep_b})
check(st == 201 and b["stage"] == "sql" and b["owner_rep_id"] == rep_b,
      "a sales manager adds a sales lead for a rep")
st, b, _ = srv.call("POST", "/v1/leads", R, {"email": "for-b@prospect.example", "source": "sales",
                                             "name": "Taken"})
check(st == 409, "a rep cannot overwrite another rep's lead through an upsert")
st, b, _ = srv.call("POST", "/v1/leads", A, {"email": "m2@prospect.example", "source": "webinar",
                                             "rep_id": rep_b})
check(st == 400 and b["error"]["field"] == "rep_id", "rep_id goes with sales-sourced leads only")
st, b, _ = srv.call("POST", f"/v1/leads/{own_lead}/touches", tok["sales_manager"],
                    {"kind": "call", "minutes": 5, "rep": "Ximena Kosta"})
check(st in (400, 422) and b["error"]["field"] == "rep", f"a touch naming no rep is refused ({st} {b})")
st, b, _ = srv.call("POST", f"/v1/leads/{fresh[3]}/transitions", tok["sales_manager"],
                    {"action": "accept", "rep_id": rep_b})
check(st == 400 and b["error"]["field"] == "rep_id", "rep_id goes with assign only")
st, b, _ = srv.call("GET", "/v1/reports/forecast?weeks=2", tok["readonly"])
check(st == 200 and b["report"] == "forecast" and set(b) >= {"backtest", "weeks", "pipeline", "rows"}
      and b["rows"] == b["weeks"], "GET /v1/reports/forecast?weeks=2")
st, b, _ = srv.call("GET", "/v1/reports/capacity", tok["readonly"])
check(st == 200 and any(r["rep"] == "Zoe API" for r in b["rows"]), "GET /v1/reports/capacity")

# --- tokens
st, b, _ = srv.call("POST", "/v1/tokens", A, {"name": "temp", "role": "readonly"})
check(st == 201 and b["token"].startswith("lf_"), "POST /v1/tokens shows the token once")
T, tid = b["token"], b["id"]
st, _, _ = srv.call("GET", "/v1/reports/funnel", T)
check(st == 200, "the new token works")
st, b, _ = srv.call("GET", "/v1/tokens", A)
check(st == 200 and all("hash" not in t and "token" not in t for t in b["tokens"]),
      "GET /v1/tokens never shows secrets or hashes")
st, b, _ = srv.call("DELETE", f"/v1/tokens/{tid}", A)
check(st == 200, "DELETE /v1/tokens/{id} revokes")
st, b, _ = srv.call("GET", "/v1/reports/funnel", T)
check(st == 401, "a revoked token is refused at once (401)")
st, b, _ = srv.call("GET", "/v1/leads", T[:-1] + ("0" if T[-1] != "0" else "1"))
check(st == 401, "a token with a wrong secret is 401")

# --- webhooks
st, b, _ = srv.call("POST", "/v1/webhooks", A, {"url": "http://127.0.0.1:9/hook",
                                                "secret": "0123456789abcdef",
                                                "types": ["lead.mql", "model.activated"]})
check(st == 201 and b["types"] == ["lead.mql", "model.activated"], "POST /v1/webhooks")
hook = b["id"]
st, b, _ = srv.call("GET", "/v1/webhooks", A)
check(st == 200 and b["webhooks"][0]["url"] == "http://127.0.0.1:9/hook" and
      "secret" not in b["webhooks"][0], "GET /v1/webhooks, without secrets")
st, b, _ = srv.call("GET", "/v1/leads?stage=lead&limit=1", A)
st, b, _ = srv.call("POST", f"/v1/leads/{b['leads'][0]['id']}/transitions", A, {"action": "mql"})
st, b, _ = srv.call("GET", f"/v1/webhooks/{hook}/deliveries", A)
check(st == 200 and b["deliveries"] and b["deliveries"][0]["type"] == "lead.mql",
      "an mql queued a delivery, listed in the log")
st, b, _ = srv.call("DELETE", f"/v1/webhooks/{hook}", A)
check(st == 200, "DELETE /v1/webhooks/{id}")

# --- erasure
st, b, _ = srv.call("DELETE", f"/v1/leads/{lead['id']}", A)
check(st == 200 and b["events_deleted"] == 7, "DELETE /v1/leads/{id} erases the person")
st, b, _ = srv.call("GET", f"/v1/leads/{lead['id']}", A)
check(st == 200 and "email" not in b and "name" not in b and b["attributes"] == {} and
      b["source"] == "webinar", "the erased lead keeps only anonymous fields")
audit = sql(db, "SELECT actor, action FROM audit WHERE action='lead.erase'")
check(audit == "root|lead.erase", "the erasure is audited")
# a lead sales holds, erased: its touches go, and so do their minutes in `held`
q = lambda text: sql(db, text)
worked = q("SELECT lead_id FROM held WHERE minutes_before > 0 LIMIT 1")
st, b, _ = srv.call("DELETE", f"/v1/leads/{worked}", A)
check(st == 200 and b["touches_deleted"] > 0 and
      q(f"SELECT count(*) FROM held WHERE lead_id = {worked}"
        " AND minutes_before = 0 AND minutes_after = 0") == "1",
      f"an erased lead still held keeps its row without its touches' minutes ({b})")

# --- the bad-request table
big = "x" * (65536 + 1)
subs = {"@big": big,
        "@longline": json.dumps({"id": "l", "p": "y" * 2000}),
        "@batch": json.dumps([{"id": f"e{i}"} for i in range(101)])}
lead_at_lead = srv.call("GET", "/v1/leads?stage=lead&limit=1", A)[1]["leads"][0]["id"]
for line in open(os.path.join(HERE, "bad_requests.tsv")):
    if line.startswith("#") or not line.strip():
        continue
    method, path, ctype, body, status, field = line.rstrip("\n").split("\t")
    path = path.replace("{lead}", str(lead_at_lead))
    body = None if body == "-" else subs.get(body, body.replace("\\n", "\n"))
    st, b, _ = srv.call(method, path, A, body, None if ctype == "-" else ctype)
    got_field = b.get("error", {}).get("field", "-") if isinstance(b, dict) else "?"
    ok = st == int(status) and (field == "-" or got_field == field) and \
        isinstance(b, dict) and b["error"]["message"] and \
        "column '" not in b["error"]["message"] and "(--" not in b["error"]["message"]
    check(ok, f"{method} {path} {body[:40] if body else ''!r} -> {status} {field}"
          + ("" if ok else f" (got {st} {got_field}: {b})"))

# raw requests no HTTP client library would send
import socket


def raw(data):
    """Sends bytes as they are; returns (status, parsed JSON body or None)."""
    with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as c:
        c.sendall(data)
        got = b""
        while True:
            part = c.recv(65536)
            if not part:
                break
            got += part
    head, _, body = got.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    try:
        return status, json.loads(body)
    except ValueError:
        return status, None


# what libmicrohttpd would answer with its own HTML page is the API's JSON error
auth = b"Authorization: Bearer " + A.encode() + b"\r\n"
for what, data, field in (
        ("a garbage request line", b"\x16\x03\x01garbage\r\nHost: x\r\n\r\n", None),
        ("HTTP/0.9", b"GET /v1/leads\r\n\r\n", None),
        ("a header without a colon", b"GET /v1/leads HTTP/1.1\r\nHost x\r\n\r\n", None),
        ("a negative Content-Length", b"POST /v1/events HTTP/1.1\r\nHost: x\r\n" + auth +
         b"Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{}", None),
        ("a bad chunk size", b"POST /v1/events HTTP/1.1\r\nHost: x\r\n" + auth +
         b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
         "Transfer-Encoding"),
        ("a NUL byte after a valid token", b"GET /v1/leads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
         + A.encode() + b"\x00junk\r\n\r\n", "Authorization")):
    st, b = raw(data)
    check(st == 400 and b and b["error"]["code"] == "bad_request" and b["error"]["message"] and
          (field is None or b["error"]["field"] == field),
          f"{what}: 400 with the API's JSON error ({st} {b})")
st, b, _ = srv.call("GET", "/v1/leads?limit=1", A)
check(st == 200, "and the server still answers well-formed requests")

st, b = raw(b"POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
            + A.encode() + b"\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            b"Content-Length: 3\r\n\r\n{}")
check(st == 400 and (b is None or b["error"]["field"] == "Content-Length"),
      f"two different Content-Length headers are refused ({st})")
st, b = raw(b"PUT /v1/leads HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
check(st == 401, f"no token: 401 comes before 405 ({st})")

# headers beyond header_max, and no token / a malformed one
st, b, _ = srv.call("GET", "/v1/leads", A, headers={"X-Big": "h" * 40000})
check(st == 431 or st == 413, f"headers over header_max are refused ({st})")
st, b, _ = srv.call("GET", "/v1/leads")
check(st == 401 and b["error"]["field"] == "Authorization", "no token: 401 naming Authorization")
st, b, _ = srv.call("GET", "/v1/leads", "not-a-token")
check(st == 401, "a malformed token: 401")

# --- the role matrix
roles = ["admin", "marketing", "sales_manager", "rep", "readonly"]
matrix_routes = set()
for line in open(os.path.join(HERE, "roles.tsv")):
    if line.startswith("#") or not line.strip():
        continue
    method, path, body, *allowed = line.rstrip("\n").split("\t")
    matrix_routes.add((method, path))
    path = path.replace("{lead}", str(own_lead))
    for role, yn in zip(roles, allowed):
        st, b, _ = srv.call(method, path, tok[role], None if body == "-" else body,
                            "application/json")
        if yn == "Y":
            check(st not in (401, 403), f"{role:13} may   {method} {path} ({st})")
        else:
            check(st == 403 and b["error"]["code"] == "forbidden",
                  f"{role:13} may not {method} {path} ({st})")
    st, b, _ = srv.call(method, path, None, None if body == "-" else body, "application/json")
    check(st == 401, f"no token      -> 401 {method} {path}")
ops = sum(1 for p in doc["paths"].values() for m in p
          if m in ("get", "post", "put", "patch", "delete"))
public = sum(1 for p in doc["paths"].values() for m, o in p.items()
             if m in ("get", "post", "put", "patch", "delete") and not o.get("x-roles"))
check(public == 3, f"three public routes: health, the OpenAPI document, sign-in ({public})")
check(len(matrix_routes) == ops - public, f"the matrix covers every route but the public ones "
      f"({len(matrix_routes)} of {ops})")

check(srv.stop() == 0, "SIGTERM: the server exits 0")
log = open(srv.log).read().splitlines()
entries = [json.loads(l) for l in log if l.startswith("{")]
check(entries and all({"method", "path", "status", "ms", "token"} <= set(e) for e in entries),
      f"one JSON access-log line per request ({len(entries)})")
check(not any(t in open(srv.log).read() for t in tok.values()), "no token appears in the log")
done()
