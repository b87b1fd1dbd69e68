# test_train_demo.sh - `model train` on the demo world: engagement features
# from the events before each decision (the first move out of marketing's
# stages), the hidden truth's AUC printed beside the trained one, and the
# engine, scoring a lead as of its decision time with the emitted file,
# giving 20 / ln 2 times the trained logit: engagement rules included.
. "$(dirname "$0")/lib.sh"

expect 0 "*" "" -- lf init
lf demo --leads 4000 --seed 3 >/dev/null
lf model train --out trained.yaml --predictions logits.csv --format json > train.json
check "event types became features, the ceiling is printed ($(cat train.json))" python3 -c '
import json, sys; t = json.load(open("train.json"))
sys.exit(not (t["event_types"] > 0 and 0.5 < t["auc"] < 1 and 0.5 < t["truth_auc"] < 1))'
check "the model counts events" grep -q "^engagement:" trained.yaml
expect 0 "*" "" -- lf model add trained.yaml
lf model activate 1 >/dev/null
python3 - "$LEADFLOW" > same.txt <<'PY'
import csv, json, math, subprocess, sys
scale = 20 / math.log(2)
rows = [r for r in csv.DictReader(open("logits.csv")) if r["decided_at"]]
worst, n, engaged = 0.0, 0, 0
for r in rows[::max(1, len(rows) // 40)]:
    out = subprocess.run([sys.argv[1], "lead", "explain", r["lead_id"], "--at", r["decided_at"],
                          "--format", "json"], capture_output=True, text=True, check=True)
    x = json.loads(out.stdout)
    worst = max(worst, abs(x["total"] - scale * float(r["logit"])))
    engaged += x["engagement"] > 0
    n += 1
print("ok" if worst < 1e-5 and n >= 30 and engaged > 0 else "differs", n, engaged, worst)
PY
check "the engine at each decision gives the trained logit ($(cat same.txt))" grep -q "^ok" same.txt
# the same seed and history give the same file
lf model train --format json --out again.yaml > again.json
check "the same history trains the same model" cmp -s <(grep -v "^# Trained" trained.yaml) <(grep -v "^# Trained" again.yaml)
finish
