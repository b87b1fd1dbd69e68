# test_train_edges.sh - a trained model scores every lead exactly as the fit
# did, also a lead that lies exactly on a bin edge: the edges are written so
# that they read back to the same double (values of 12 and more significant
# digits, as a shop's session durations or prices have).
. "$(dirname "$0")/lib.sh"

python3 - <<'PY' > edges.csv
import random
random.seed(7)
print("Id,Duration,Converted")
values = [random.uniform(0, 100) for _ in range(200)]   # 17 significant digits
for i in range(3000):
    d = random.choice(values)
    p = 0.15 + 0.7 * (d > 50)
    print(f"S{i},{d!r},{1 if random.random() < p else 0}")
PY
cat > edges.yaml <<'YAML'
entity: leads
columns:
  Id: external_id
  Duration: {type: number}
  Converted: {field: stage, values: {"1": won, "0": lost}}
YAML
expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf import leads edges.csv --map edges.yaml
expect 0 "*" "" -- lf model train --out trained.yaml --predictions logits.csv --pairs 0
check "the edges are written to full precision" python3 -c '
import re, sys
edges = re.findall(r"duration (?:>=|<) ([0-9.e+-]+)", open("trained.yaml").read())
sys.exit(not (edges and any(len(e.replace(".", "").lstrip("0")) > 9 for e in edges)))'
expect 0 "*" "" -- lf model add trained.yaml
expect 0 "*" "" -- lf model activate 1
same_as_fit logits.csv > same.txt
check "every lead scores as the fit did, those on an edge too ($(cat same.txt))" grep -q "^ok" same.txt
# the trained file carries the reason lists of the model in force
export LEADFLOW_DB="$work/reasons.db"
expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf import leads edges.csv --map edges.yaml
printf 'name: house\nfloor: 10\nfit:\n  - {name: any, when: "duration > 0", points: 1}\nreasons:\n  reject: [too_small, {code: wrong_person, why: "Not the buyer."}]\n  disqualify: [fake]\n  lost: [price]\n' > house.yaml
expect 0 "*" "" -- lf model add house.yaml
expect 0 "*" "" -- lf model activate 1
expect 0 "*" "" -- lf model train --pairs 0 --out house_trained.yaml
check "the trained model takes the active model's reasons, with their whys" python3 -c '
import sys
t = open("house_trained.yaml").read()
sys.exit("  reject:\n    - too_small\n    - {code: wrong_person, why: \x27Not the buyer.\x27}\n" not in t
         or "  disqualify:\n    - fake\n" not in t)'
finish
