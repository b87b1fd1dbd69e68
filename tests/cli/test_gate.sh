# test_gate.sh - the gate's commands end to end: reps and their capacity,
# a routing file refused with file:line:column then put in force, a run of
# the gate releasing leads into the routing's pools, the SLA check, the
# capacity and SLA reports, and simulate (with its bad options).
. "$(dirname "$0")/lib.sh"

expect 0 "*" "" -- lf init
lf demo --leads 600 --seed 5 >/dev/null
lf model add "$SRC/models/default.yaml" >/dev/null
lf model activate 1 >/dev/null
expect 0 "rep 10: Zed Fast" "" -- lf rep add "Zed Fast" --team solo --pools vip --weekly-hours 40
expect 2 "" "leadflow: --weekly-hours: a number of hours, got 'lots'" -- \
	lf rep set "Zed Fast" --weekly-hours lots
expect 2 "" "leadflow: --weekly-hours: weekly hours are 0 to 168, got 200" -- \
	lf rep set "Zed Fast" --weekly-hours 200
expect 2 "" "leadflow: --away-to: away_to must come after away_from" -- \
	lf rep set "Zed Fast" --away-from 2026-12-10 --away-to 2026-12-01
expect 2 "" "leadflow: no rep named 'Nobody'" -- lf rep set Nobody --max-active 3
cat > bad.yaml <<'YAML'
rules:
  - name: vip
    when: employees >> 5
  - {name: rest, pool: general, colour: red}
YAML
expect 2 "" "bad.yaml:2:5: a rule needs 'pool': where its leads go
bad.yaml:3:22: in 'when': expected a value, got '>'
bad.yaml:4:33: unknown key 'colour': expected name, when or pool
leadflow: bad.yaml:2:5: a rule needs 'pool': where its leads go" -- lf routing set bad.yaml
cat > routing.yaml <<'YAML'
rules:
  - name: vip
    when: employees >= 1000
    pool: vip
  - name: rest
    pool: general
YAML
expect 0 "routing version 1: 2 rules" "" -- lf routing set routing.yaml
check "setting the routing file is audited" test \
	"$(db_sql "SELECT actor || ' ' || action || ' ' || detail FROM audit WHERE subject = 'routing:1'")" = "cli routing.set 2 rules"
# every demo rep takes the general pool
lf rep list --format csv | tail -n +2 | cut -d, -f2 | grep -v "Zed Fast" | while read -r r; do
	lf rep set "$(echo "$r" | tr -d '"')" --pools general >/dev/null
done
# a few qualified leads: new ones, with a demo request each
for i in 1 2 3; do
	lf lead add --email "vip$i@big.example" --employees 5000 >/dev/null
	printf '{"id":"d%s","email":"vip%s@big.example","type":"demo_request","occurred_at":"%s"}\n' \
		"$i" "$i" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> hands.ndjson
done
lf import events hands.ndjson >/dev/null
lf gate run --format json > run.json
check "the gate released the hand-raisers ($(cat run.json))" python3 -c '
import json, sys; r = json.load(open("run.json")); sys.exit(not (r["released"] >= 3 and r["floor"] == 60))'
check "the big ones went to the vip pool's rep" sh -c \
	"[ \"\$($LEADFLOW --db '$LEADFLOW_DB' lead show vip1@big.example --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"owner_rep_id\"])')\" = 10 ]"
expect 0 "*" "" -- lf gate show
expect 0 "*" "" -- lf gate sla
lf report capacity --format json > capacity.json
check "report capacity lists the new rep with an active lead" python3 -c '
import json, sys
rows = {r["rep"]: r for r in json.load(open("capacity.json"))}
sys.exit(not (rows["Zed Fast"]["active"] >= 3 and rows["Zed Fast"]["team"] == "solo"))'
lf report sla --format json > sla.json
check "report sla counts the assignments" python3 -c '
import json, sys
rows = [r for r in json.load(open("sla.json")) if r["rep"] == "(every rep)" and r["priority"] == "all"]
sys.exit(not (rows and rows[0]["assignments"] >= 3))'
expect 0 "*" "" -- lf simulate --reps-delta -5
expect 2 "" "leadflow: --to must come after --from" -- lf simulate --from 2026-11-01 --to 2026-10-01
expect 2 "" "leadflow: --floor: a number, got 'high'" -- lf simulate --floor high
finish
