"""The reports' aggregates kept change by change equal the same aggregates
recomputed from scratch (`leadflow report rebuild`), after random histories
written through the real server and the command line: leads added and
updated (new sources and campaigns), events arriving late and out of order,
touches backdated, every lifecycle action the stage allows (rejects that
recycle, requalifications of rules' disqualifications, wins and losses),
manager assignments, reps moved between teams, a new model activated,
imports of leads at sales stages with and without a date for the stage and
with a value (the forecast's pipeline), and erasures. Each seed also checks the reports read from the aggregates: the
same text before and after the rebuild, and the funnel's leads per source
against a count taken in SQL."""
import os
import random
import subprocess

import lfserver
from lfserver import SRC, Server, check, demo_db, done, run, token

DUMP = os.path.join(SRC, "tests", "cli", "agg_dump.sql")
DUMP_PG = os.path.join(SRC, "tests", "cli", "agg_dump_pg.sql")  # the same in PostgreSQL's SQL
REPORTS = ("funnel", "clicks-vs-feeling", "calibration", "feedback", "effort")
TYPES = ("page_view", "email_open", "email_click", "form_submit", "webinar", "download",
         "demo_request", "unsubscribe")
SOURCES = ("webinar", "paid_search", "partner", "events", None)
DAY = 86400000
IMPORT_MAP = os.path.join(SRC, "tests", "http", "agg_import.yaml")


def sql(db, q):
    return lfserver.sql(db, q)


def dump(db):
    if lfserver.PG:
        return subprocess.run(["psql", db, "-qAt", "-F", "|", "-f", DUMP_PG], capture_output=True,
                              text=True, check=True).stdout
    return subprocess.run(["sqlite3", db], stdin=open(DUMP), capture_output=True, text=True,
                          check=True).stdout


def reports(db):
    out = {}
    for name in REPORTS:
        out[name] = run(db, "report", name, "--format", "csv").stdout
    out["period"] = run(db, "report", "funnel", "--from", "2026-03-04T13:00:00Z",
                        "--to", "2026-05-20", "--format", "csv").stdout
    for extra in ((), ("--value-field", "opportunity_amount"),
                  ("--from", "2026-02-11T08:00:00Z", "--source", "webinar")):
        out["forecast" + " ".join(extra)] = run(db, "report", "forecast", "--weeks", "2",
                                                "--format", "json", *extra).stdout
    return out


def iso(ms):
    import datetime
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def history(seed, steps):
    rng = random.Random(seed)
    d, db = demo_db(leads=200, seed=seed)
    adm = token(db, "admin", "root")
    mkt = token(db, "marketing", "mkt")
    mgr = token(db, "sales_manager", "mgr")
    srv = Server(db).start()
    now = int(sql(db, "SELECT max(created_at) FROM leads"))
    reps = [int(x) for x in sql(db, "SELECT id FROM reps").split()]
    rep_names = sql(db, "SELECT name FROM reps").strip().split("\n")
    teams = sorted(set(sql(db, "SELECT team FROM reps").split()))
    leads = [int(x) for x in sql(db, "SELECT id FROM leads").split()]
    counts = {}
    # leads in sales' hands: picked half the time, so that histories run long
    moved = [int(x) for x in sql(db, "SELECT id FROM leads WHERE stage NOT IN ('lead', 'mql')"
                                     " ORDER BY id LIMIT 60").split()]

    def did(what, ok):
        counts[what] = counts.get(what, 0) + (1 if ok else 0)

    for step in range(steps):
        op = rng.random()
        lead = rng.choice(moved if moved and rng.random() < 0.5 else leads)
        if op < 0.12:
            body = {"email": f"r{seed}-{rng.randrange(60)}@example.com",
                    "company": "Acme", "title": rng.choice(["VP Sales", "Student", "Engineer"]),
                    "employees": rng.choice([10, 300, 2000]),
                    "created_at": iso(now - rng.randrange(120) * DAY - rng.randrange(DAY))}
            src = rng.choice(SOURCES)
            if src:
                body["source"] = src
                body["campaign"] = rng.choice([src + "-a", src + "-b"])
            st, b, _ = srv.call("POST", "/v1/leads", adm, body)
            if st in (200, 201):
                leads.append(b["id"])
            did("lead upserted", st in (200, 201))
        elif op < 0.40:
            at = now - rng.randrange(90) * DAY - rng.randrange(DAY)  # late, any order
            body = {"id": f"e{seed}-{step}", "lead_id": lead, "type": rng.choice(TYPES),
                    "occurred_at": iso(at), "properties": {"url": rng.choice(["/pricing", "/"])}}
            st, _, _ = srv.call("POST", "/v1/events", adm, body)
            did("event", st in (200, 201))
        elif op < 0.55:
            body = {"kind": rng.choice(["call", "email", "meeting"]),
                    "minutes": rng.choice([0, 5, 12, 30, 75]), "id": f"t{seed}-{step}",
                    "at": iso(now - rng.randrange(60) * DAY - rng.randrange(DAY)),
                    "rep": rng.choice(rep_names)}
            st, b, _ = srv.call("POST", f"/v1/leads/{lead}/touches", adm, body)
            did("touch", st in (200, 201))
        elif op < 0.88:
            st, acts, _ = srv.call("GET", f"/v1/leads/{lead}/actions", adm)
            if st != 200 or not acts.get("actions"):
                continue
            a = rng.choice(acts["actions"])
            body = {"action": a["action"]}
            if a.get("reasons"):
                body["reason"] = rng.choice(a["reasons"])
            elif a.get("reason_kind"):
                body["reason"] = "override"  # a kind the model lists no codes for
            if rng.random() < 0.6:
                body["rating"] = rng.randrange(1, 6)
            if a.get("opportunity"):
                body["amount"] = rng.choice([1000, 25000])
                body["close_date"] = "2027-02-01"
            if a["action"] == "assign":
                body["rep_id"] = rng.choice(reps)
            st, b, _ = srv.call("POST", f"/v1/leads/{lead}/transitions", adm, body)
            if st in (200, 201):
                moved.append(lead)
            did("action " + a["action"], st in (200, 201))
        elif op < 0.93:
            st, _, _ = srv.call("DELETE", f"/v1/leads/{lead}", adm)
            did("erasure", st == 200)
        elif op < 0.95:
            # an import: a stage with or without its date, a value or none
            rows = ["key,stage,stage_at,value,created"]
            for k in range(rng.randrange(1, 4)):
                rows.append(",".join([
                    f"imp{seed}-{rng.randrange(40)}",
                    rng.choice(["mql", "sql", "opportunity", "won", "lost", "recycled"]),
                    rng.choice(["", iso(now - rng.randrange(30) * DAY)]),
                    rng.choice(["", str(rng.choice([500, 12000, 80000]))]),
                    iso(now - (40 + rng.randrange(40)) * DAY)]))
            path = os.path.join(d, f"imp{step}.csv")
            with open(path, "w") as f:
                f.write("\n".join(rows) + "\n")
            p = run(db, "import", "leads", path, "--map", IMPORT_MAP, check=False)
            did("import", p.returncode == 0)
        elif op < 0.97:
            p = run(db, "rep", "set", rng.choice(rep_names), "--team", rng.choice(teams),
                    check=False)
            did("rep moved", p.returncode == 0)
        else:
            text = open(os.path.join(SRC, "models", "default.yaml")).read()
            text = text.replace("points: 20", f"points: {rng.choice([5, 25, 40])}")
            st, m, _ = srv.call("POST", "/v1/models", mkt, text, ctype="application/yaml")
            if st != 201:
                continue
            v = m["version"]
            srv.call("POST", f"/v1/models/{v}/propose", mkt)
            srv.call("POST", f"/v1/models/{v}/approve", mkt)
            srv.call("POST", f"/v1/models/{v}/approve", mgr)
            st, _, _ = srv.call("POST", f"/v1/models/{v}/activate", mgr)
            did("model activated", st == 200)
    srv.stop()
    return d, db, counts


for seed, steps in ((11, 260), (12, 260), (13, 260)):
    d, db, counts = history(seed, steps)
    kept, before = dump(db), reports(db)
    run(db, "report", "rebuild")
    rebuilt, after = dump(db), reports(db)
    parts = all(("\n" + k + "|") in ("\n" + kept) for k in ("qualified", "close", "open", "held"))
    check(kept == rebuilt and kept.count("\n") > 100 and parts,
          f"seed {seed}: the kept aggregates equal the rebuilt ones ({kept.count(chr(10))} rows; "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ")")
    if kept != rebuilt:
        import difflib
        print("".join(list(difflib.unified_diff(kept.splitlines(True), rebuilt.splitlines(True),
                                                "kept", "rebuilt"))[:40]))
    check(before == after, f"seed {seed}: every report reads the same before and after the rebuild")
    for must in ("erasure", "model activated", "rep moved", "action reject", "action requalify",
                 "import"):
        if not counts.get(must):
            print(f"note: seed {seed} had no '{must}'")
    want = sql(db, "SELECT coalesce(source, '(none)'), count(*) FROM leads GROUP BY 1 ORDER BY 1")
    got = "\n".join("|".join(line.split(",")[:2]) for line in after["funnel"].splitlines()[1:]
                    if not line.endswith("sourced") and "-sourced," not in line)
    check(sorted(got.split("\n")) == sorted(want.strip().split("\n")),
          f"seed {seed}: the funnel's leads per source equal a count in SQL")
done()
