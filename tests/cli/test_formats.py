"""Every command of the CLI's command table (`leadflow --commands`), run with
each output format on a demo world: with --format json stdout is one valid
JSON document, with --format csv valid CSV (one header, every row as wide),
and the table format works too. A command missing from INVOCATIONS below
fails the test, so a new command cannot escape it."""
import csv
import re
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

LEADFLOW = os.environ["LEADFLOW"]
SRC = os.environ["SRC"]

# command path -> arguments, run in this order on one world per format.
# {...} are filled in as the world is built; a lead named by an email was
# added by an earlier row.
INVOCATIONS = [
    ("init", ""),
    ("demo", "--leads 600 --seed 3 --days 200"),
    ("model validate", "{model}"),
    ("model add", "{model}"),
    ("model activate", "1"),
    ("model add", "{model2}"),
    ("model list", ""),
    ("model show", "1"),
    ("model diff", "1 2"),
    ("model propose", "2"),
    ("token create", "--role marketing --name mkt"),
    ("token create", "--role sales_manager --name boss"),
    ("model approve", "2 --token {mkt}"),
    ("token list", ""),
    ("token link", "{last_token} --minutes 5"),
    ("token revoke", "{last_token}"),
    ("model train", "--outcome won"),
    ("model train", "--outcome won --out {dir}/trained.yaml"),
    ("model backtest", "1"),
    ("score", ""),
    ("import", "leads {leads_csv} --map {leads_map}"),
    ("import", "events {events}"),
    ("import", "touches {touches_csv} --map {touches_map}"),
    ("import", "spend {spend_csv} --map {spend_map} --rejects {dir}/spend_rejects.csv"),
    ("lead list", "--limit 5"),
    ("lead show", "3"),
    ("lead explain", "3"),
    ("lead answer", "3"),
    ("rep add", "Zed --team emea --pools emea --weekly-hours 30"),
    ("rep set", "Zed --max-active 20"),
    ("rep list", ""),
    ("lead add", "--email one@formats.example --name One --source webinar"),
    ("lead add", "--email two@formats.example --source webinar"),
    ("lead add", "--email three@formats.example --source webinar"),
    ("lead add", "--email own@formats.example --source sales --rep Zed"),
    ("lead mql", "one@formats.example --as gate --role system"),
    ("lead assign", "one@formats.example --as boss --rep Zed"),
    ("lead accept", "one@formats.example --as Zed --rating 4"),
    ("lead qualify", "one@formats.example --as Zed"),
    ("lead send-back", "one@formats.example --as Zed --reason no_pain"),
    ("lead qualify", "one@formats.example --as Zed"),
    ("lead open-opportunity", "one@formats.example --as Zed --amount 5000 --close-date 2027-03-01"),
    ("lead won", "one@formats.example --as Zed --reason champion_found"),
    ("lead mql", "two@formats.example --as gate --role system"),
    ("lead assign", "two@formats.example --as boss --rep Zed"),
    ("lead reject", "two@formats.example --as Zed --reason no_budget"),
    ("lead recycle", "two@formats.example --as system --role system"),
    ("lead disqualify", "three@formats.example --as Zed --reason student"),
    ("lead requalify", "three@formats.example --as Zed --reason real_buyer"),
    ("lead open-opportunity", "own@formats.example --as Zed --amount 100 --close-date 2027-01-01"),
    ("lead lost", "own@formats.example --as Zed --reason price"),
    ("touch add", "two@formats.example --kind call --minutes 5 --rep Zed"),
    ("event add", "two@formats.example --type demo_request --properties '{{\"page\": \"/pricing\", \"n\": 2}}'"),
    ("webhook add", "--url http://127.0.0.1:9/hook --secret 0123456789abcdef --types lead.mql"),
    ("webhook list", ""),
    ("webhook delete", "{last_webhook}"),
    ("routing set", "{routing}"),
    ("routing show", ""),
    ("gate run", ""),
    ("gate show", ""),
    ("gate history", ""),
    ("gate sla", ""),
    ("gate recycle", ""),
    ("gate handoff", ""),
    ("config show", ""),
    ("simulate", "--reps-delta 1 --aes-delta 1"),
    ("spend show", ""),
    ("spend what-if", "--from 2026-05-05 --to 2026-11-01 --move paid_social:paid_search:100"),
]
for name in ("funnel", "clicks-vs-feeling", "calibration", "feedback", "effort", "capacity",
             "forecast", "sla", "questions", "recycle", "handoffs", "channels", "kpis", "gate"):
    INVOCATIONS.append(("report", name))
# not run here, and why
SKIPPED = {"serve": "a server that runs until stopped: tests/http start it and talk HTTP to it",
           "migrate": "a copy into an empty PostgreSQL database: tests/cli/test_migrate.sh"
                      " runs it, as a table and as JSON, on a throwaway cluster"}

fails = 0


def check(cond, what):
    global fails
    if not cond:
        fails += 1
    print(("ok   " if cond else "FAIL ") + what)


listed = subprocess.run([LEADFLOW, "--commands"], capture_output=True, text=True, check=True)
commands = set()
for line in listed.stdout.splitlines():
    words = line.split()
    # the path is the leading words that are command names (arguments are upper-case)
    path = []
    for w in words:
        if w.isupper() or any(c.isupper() for c in w) or "|" in w:
            break
        path.append(w)
    commands.add(" ".join(path))
covered = {c for c, _ in INVOCATIONS} | set(SKIPPED)
for c in sorted(commands - covered):
    check(False, f"'{c}' has no invocation in test_formats.py")
check(len(commands) > 40, f"the command table lists {len(commands)} commands")


def valid_json(text):
    try:
        json.loads(text)
        return True
    except ValueError:
        return False


def valid_csv(text):
    if not text.strip():
        return False
    rows = list(csv.reader(io.StringIO(text)))
    # a header of column names (not a sentence that happens to parse), rows as wide
    return bool(rows) and all(re.fullmatch(r"[a-z_][a-z0-9_.]*", h) for h in rows[0]) and \
        all(len(r) == len(rows[0]) for r in rows)


model2 = None
PG = os.environ.get("LEADFLOW_PG")  # a cluster's URI (tests/pg/cluster.sh): run on PostgreSQL
for fmt in ("json", "csv", "table"):
    work = tempfile.mkdtemp(prefix="lf-formats-")
    db = os.path.join(work, "t.db")
    if PG:  # the same on PostgreSQL: a database of this format's own
        name = f"formats_{fmt}_{os.getpid()}"
        subprocess.run(["psql", PG, "-qAtc", f"CREATE DATABASE {name}"], check=True)
        db = PG.replace("/leadflow?", f"/{name}?")
    with open(os.path.join(SRC, "models", "default.yaml")) as f:
        text = f.read()
    model2 = os.path.join(work, "v2.yaml")
    with open(model2, "w") as f:
        f.write(text.replace("floor: 60", "floor: 55"))
    fill = {"model": os.path.join(SRC, "models", "default.yaml"), "model2": model2,
            "dir": work, "routing": os.path.join(SRC, "examples", "routing", "demo.yaml"),
            "leads_csv": os.path.join(SRC, "tests", "data", "import", "leads.csv"),
            "leads_map": os.path.join(SRC, "tests", "data", "import", "leads.yaml"),
            "events": os.path.join(SRC, "tests", "data", "import", "events.ndjson"),
            "touches_csv": os.path.join(SRC, "tests", "data", "import", "touches.csv"),
            "touches_map": os.path.join(SRC, "tests", "data", "import", "touches.yaml"),
            "spend_csv": os.path.join(SRC, "tests", "data", "import", "google_ads.csv"),
            "spend_map": os.path.join(SRC, "examples", "mappings", "google_ads_spend.yaml")}
    bad = 0
    for cmd, args in INVOCATIONS:
        def sql(q):
            argv = ["psql", db, "-qAtc", q] if PG else ["sqlite3", db, q]
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
        if "{mkt}" in args:
            fill["mkt"] = mkt_token
        if "{last_token}" in args:
            fill["last_token"] = sql("SELECT max(id) FROM tokens")
        if "{last_webhook}" in args:
            fill["last_webhook"] = sql("SELECT max(id) FROM webhooks")
        argv = [LEADFLOW, "--db", db, "--format", fmt] + cmd.split() + \
            shlex.split(args.format(**fill))
        p = subprocess.run(argv, capture_output=True, text=True, cwd=work)
        if cmd == "token create" and "mkt" in args:
            out = p.stdout.strip()
            mkt_token = json.loads(out)["token"] if fmt == "json" else \
                list(csv.DictReader(io.StringIO(out)))[0]["token"] if fmt == "csv" else out
        ok = p.returncode == 0
        what = f"{fmt:5} {cmd} {args}".rstrip()
        if not ok:
            check(False, f"{what}: exit {p.returncode}: {p.stderr.strip()[:300]}")
            bad += 1
            continue
        if fmt == "json":
            check(valid_json(p.stdout), f"{what}: one JSON document" +
                  ("" if valid_json(p.stdout) else f" [{p.stdout[:200]!r}]"))
        elif fmt == "csv":
            check(valid_csv(p.stdout), f"{what}: valid CSV" +
                  ("" if valid_csv(p.stdout) else f" [{p.stdout[:200]!r}]"))
        else:
            check(True, f"{what}: exit 0")
    shutil.rmtree(work)

if fails:
    print(f"{fails} check(s) failed")
    sys.exit(1)
print("all checks passed")
