# test_question_report.sh - the questions report on the demo world, whose
# answers to budget (at accept) and timeline (at qualify) carry real signal
# and whose heard_from and seats answers are drawn by chance: the report
# finds the first two and flags the others for retirement, and its figures
# match a recomputation from the database in this script. A question the
# reps were never asked counts as due and unanswered, with too few answers
# to judge.
. "$(dirname "$0")/lib.sh"

expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf demo --leads 10000 --seed 4
expect 2 "" "leadflow: no model is active: the questions are the active model's" -- lf report questions
expect 0 "*" "" -- lf model add "$SRC/models/default.yaml"
expect 0 "*" "" -- lf model activate 1
lf report questions --format json > report.json
check "the answers with signal are found, the others flagged ($(python3 -c '
import json; print([(r["question"], r["auc"], r["verdict"]) for r in json.load(open("report.json")) if r["rep"] == "(every rep)"])'))" python3 -c '
import json, sys
rows = {r["question"]: r for r in json.load(open("report.json")) if r["rep"] == "(every rep)"}
want = {"budget": "predictive", "timeline": "predictive", "heard_from": "retire", "seats": "retire"}
sys.exit(any(rows[q]["verdict"] != v for q, v in want.items()) or
         rows["budget"]["outcome"] != "sql" or rows["timeline"]["outcome"] != "won")'

# the same figures, from the rows themselves
db_sql "SELECT l.id, COALESCE(l.owner_rep_id, 0), l.stage, l.attrs,
               (SELECT min(at) FROM transitions t WHERE t.lead_id = l.id AND t.to_stage = 'sal'),
               (SELECT min(at) FROM transitions t WHERE t.lead_id = l.id AND t.to_stage = 'sql')
        FROM leads l" > leads.txt
db_sql "SELECT lead_id, to_stage FROM transitions" > moves.txt
db_sql "SELECT question, min(at) FROM answers GROUP BY question" > firsts.txt
db_sql "SELECT id, name FROM reps" > reps.txt
check "due, answered, decided, converted and the cross-fitted AUC match a recomputation" python3 - <<'EOF'
import json, sys
rows = json.load(open("report.json"))
firsts = dict(l.rstrip("\n").split("|") for l in open("firsts.txt"))
reps = dict(l.rstrip("\n").split("|", 1) for l in open("reps.txt"))
moves = {}
for line in open("moves.txt"):
    lead, to = line.rstrip("\n").split("|")
    moves.setdefault(int(lead), set()).add(to)
leads = []
for line in open("leads.txt"):
    lid, owner, stage, rest = line.rstrip("\n").split("|", 3)
    attrs, sal, sql = rest.rsplit("|", 2)
    leads.append((int(lid), int(owner), stage, json.loads(attrs or "{}"),
                  int(sal) if sal else None, int(sql) if sql else None))
ask = {"budget": ("sal", "yes_no"), "heard_from": ("sal", "choice"), "seats": ("sal", "number"),
       "timeline": ("sql", "choice")}
choices = {"heard_from": ["search", "event", "colleague", "social", "other"],
           "timeline": ["this_quarter", "this_year", "later"], "budget": ["no", "yes"]}

def auc(pairs):
    pos = sorted(s for s, y in pairs if y)
    neg = sorted(s for s, y in pairs if not y)
    if not pos or not neg:
        return None, 0, 0
    import bisect
    a = sum(bisect.bisect_left(neg, p) + 0.5 * (bisect.bisect_right(neg, p) - bisect.bisect_left(neg, p))
            for p in pos)
    return a / len(pos) / len(neg), len(pos), len(neg)

bad = []
for q, (stage, kind) in ask.items():
    since = int(firsts[q])
    due = answered = 0
    per_rep = {}
    obs = []
    for lid, owner, now, attrs, sal, sql in leads:
        entered = sal if stage == "sal" else sql
        if entered is None or entered < since:
            continue
        due += 1
        r = per_rep.setdefault(owner, [0, 0])
        r[0] += 1
        v = attrs.get("answer_" + q)
        if v is None:
            continue
        answered += 1
        r[1] += 1
        seen = moves.get(lid, set()) | {now}
        if stage == "sal":
            pos = bool(seen & {"sql", "opportunity", "won", "lost"})
        else:
            pos = "won" in seen
        if not (pos or seen & {"won", "lost", "recycled", "disqualified"}):
            continue
        x = float(v) if kind == "number" else choices[q].index(v)
        obs.append((x, pos, lid & 1))
    # each half scored by the other: a level's conversion there, or the number
    # in the direction that converts there; each half's AUC weighted by pairs
    scored = {0: [], 1: []}
    for fold in (0, 1):
        other = [(x, y) for x, y, f in obs if f != fold]
        mine = [(x, y) for x, y, f in obs if f == fold]
        if kind == "number":
            a, _, _ = auc(other)
            sign = 1 if a is None or a >= 0.5 else -1
            scored[fold] = [(sign * x, y) for x, y in mine]
        else:
            rate = {}
            for x, y in other:
                p, n = rate.get(x, (1, 2))
                rate[x] = (p + y, n + 1)
            scored[fold] = [(rate.get(x, (1, 2))[0] / rate.get(x, (1, 2))[1], y) for x, y in mine]
    parts = [auc(scored[f]) for f in (0, 1)]
    want_auc = sum(a * p * n for a, p, n in parts) / sum(p * n for a, p, n in parts)
    got = next(r for r in rows if r["question"] == q and r["rep"] == "(every rep)")
    want = (due, answered, len(obs), sum(1 for o in obs if o[1]), round(want_auc, 3))
    have = (got["due"], got["answered"], got["decided"], got["converted"], got["auc"])
    if want != have:
        bad.append(f"{q}: recomputed {want}, report {have}")
    for owner, (d, a) in per_rep.items():
        name = reps.get(str(owner), "(no rep)")
        r = next((r for r in rows if r["question"] == q and r["rep"] == name), None)
        if not r or (r["due"], r["answered"]) != (d, a):
            bad.append(f"{q} {name}: recomputed {(d, a)}, report {r and (r['due'], r['answered'])}")
print("\n".join(bad[:10]))
sys.exit(bool(bad))
EOF

# a question added in version 2 is due from then on, with no answers yet
sed 's/^questions:/questions:\n  - key: competitor\n    text: "Which tool do they use now?"\n    type: text\n    ask: accept\n    why: "Tells marketing whom we replace."/' \
	"$SRC/models/default.yaml" > v2.yaml
expect 0 "*" "" -- lf model add v2.yaml
sign_and_activate 2
check "the new question has nothing due yet: the demo's history is older than it" python3 -c '
import json, subprocess, sys
rows = json.loads(subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True).stdout)
q = next(r for r in rows if r["question"] == "competitor" and r["rep"] == "(every rep)")
sys.exit((q["due"], q["answered"], q["verdict"]) != (0, 0, "text: read, not measured"))' \
	"$LEADFLOW" --db "$LEADFLOW_DB" report questions --format json
expect 2 "" "leadflow: outcome: expected sql or won, got 'mql'" -- lf report questions --outcome mql
expect 2 "" "leadflow: --source: report 'questions' does not take 'source' (it takes from,to,outcome)" -- \
	lf report questions --source webinar
finish
