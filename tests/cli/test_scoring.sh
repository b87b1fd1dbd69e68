# test_scoring.sh - models applied to leads: activation rescores every lead
# and records the version, explain shows each rule with its points now and
# adds up, --at scores as of a time, a newer activation retires the older
# model, and diff shows rules added, removed and changed.
. "$(dirname "$0")/lib.sh"

expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf demo --leads 800 --seed 4
expect 2 "" "leadflow: no model is active: add one with 'leadflow model add FILE' and activate it" -- \
	lf lead explain 1
expect 0 "*" "" -- lf model add "$SRC/models/default.yaml"
expect 0 "*" "" -- lf model activate 1
check "every lead records the model that scored it" \
	test "$(db_sql 'SELECT count(*) FROM leads WHERE model_version = 1')" = 800
check "some leads have engagement" \
	test "$(db_sql 'SELECT count(*) FROM leads WHERE engagement > 0')" -gt 100
check "total is fit + engagement" \
	test "$(db_sql 'SELECT count(*) FROM leads WHERE abs(total - fit - engagement) > 1e-9')" = 0
check "hand-raisers are marked" \
	test "$(db_sql 'SELECT count(*) FROM leads WHERE hand_raiser_at IS NOT NULL')" -gt 10
check "rule-based disqualification leaves no student at an open stage" \
	test "$(db_sql "SELECT count(*) FROM leads WHERE title = 'Student' AND stage NOT IN ('disqualified','won','lost')")" = 0
expect 2 "" "leadflow: model 1 is already active" -- lf model activate 1

# explain: the rules add up to the stored scores (scored as of the same time)
at=2026-11-01T00:00:00Z
expect 0 "*" "" -- lf score --at $at
lead=$(db_sql 'SELECT id FROM leads WHERE engagement > 0 AND fit != 0 ORDER BY id LIMIT 1')
lf lead explain "$lead" --at $at --format json > x.json
check "explain names fit and engagement rules" sh -c 'grep -q "\"kind\": \"fit\"" x.json && grep -q "\"kind\": \"engagement\"" x.json'
check "explain gives each rule's why, as the model file says it" python3 -c '
import json, sys; x = json.load(open("x.json"))
sys.exit(not all(r["why"] for r in x["rules"]) or
         not any(r["why"] == "Reads our email: keeps the lead warm, little intent alone."
                 or r["rule"] != "email click" for r in x["rules"]))'
check "the explain table has a why column" sh -c "'$LEADFLOW' --db '$LEADFLOW_DB' lead explain $lead --at $at | grep -q ' why'"
sum=$(python3 -c 'import json; x=json.load(open("x.json")); print(round(sum(r["points"] for r in x["rules"]) - x["total"], 9))')
check "explain: the rules add up to the total" test "$sum" = "0.0"
stored=$(printf '%.6f' "$(db_sql "SELECT total FROM leads WHERE id = $lead")")
shown=$(python3 -c 'import json; print("%.6f" % json.load(open("x.json"))["total"])')
check "explain agrees with the stored score" test "$stored" = "$shown"
early=$(lf lead explain "$lead" --at 2026-01-01T00:00:00Z --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["engagement"])')
check "before any event, no engagement" test "$early" = "0.0"
expect 2 "" "leadflow: --at: bad date 'soon': expected ISO 8601 like 2026-03-01 or 2026-03-01T09:30:00Z" -- \
	lf lead explain 1 --at soon

# engagement decays: a later --at gives less for the same lead
later=$(lf lead explain "$lead" --at 2027-06-01T00:00:00Z --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["engagement"])')
check "engagement decays with time" python3 -c "import sys; sys.exit(0 if $later < $(python3 -c 'import json; print(json.load(open("x.json"))["engagement"])') else 1)"

# a second version: diff, then activation retires the first
sed -e 's/^floor: 60/floor: 70/' -e '/name: manager/,+3d' -e 's/points: 50$/points: 60/' \
	"$SRC/models/default.yaml" > v2.yaml
python3 - <<'PY'
t = open("v2.yaml").read().replace("engagement:\n", "engagement:\n  - name: trial signup\n    event: trial_signup\n    points: 30\n", 1)
open("v2.yaml", "w").write(t)
PY
expect 0 "*" "" -- lf model add v2.yaml
lf model diff 1 2 --format csv > diff.csv
check "diff: floor changed" grep -q '^changed,model,floor,60,70$' diff.csv
check "diff: rule removed" grep -q '^removed,fit,manager,' diff.csv
check "diff: rule added" grep -q '^added,engagement,trial signup,,"on trial_signup, 30 points"$' diff.csv
check "diff: rule changed" grep -q '^changed,engagement,demo request,"on demo_request, 50 points, hand-raiser","on demo_request, 60 points, hand-raiser"$' diff.csv
check "diff of a version with itself is empty" sh -c "'$LEADFLOW' model diff 1 1 | grep -q 'no differences'"
# governance: the second model needs both teams' approvals (SPEC 8)
mkt=$(lf token create --role marketing --name mkt 2>/dev/null)
sm=$(lf token create --role sales_manager --name sm 2>/dev/null)
adm=$(lf token create --role admin --name adm 2>/dev/null)
lf rep add "Rita Rep" >/dev/null
rep=$(lf token create --role rep --rep "Rita Rep" --name rita 2>/dev/null)
expect 2 "" "leadflow: model 2 is draft: propose it first" -- lf model approve 2 --token "$mkt"
expect 2 "" "leadflow: model 2 needs an approval by a marketing token and one by a sales_manager token before it is activated; it has none" -- lf model activate 2
expect 0 "*" "" -- lf model propose 2
expect 2 "" "leadflow: model 2 is proposed: only a draft (or a retired version) is proposed" -- lf model propose 2
expect 2 "" "leadflow: a model is approved by a marketing or a sales_manager token, not a 'rep' one" -- lf model approve 2 --token "$rep"
expect 2 "" "leadflow: a model is approved by a marketing or a sales_manager token, not a 'admin' one" -- lf model approve 2 --token "$adm"
expect 2 "" "leadflow: --token: the bearer token is not valid" -- lf model approve 2 --token lf_1_nope
expect 0 "model 2 approved by 'mkt' (marketing)" "" -- lf model approve 2 --token "$mkt"
expect 2 "" "leadflow: token 'mkt' approved model 2 already" -- lf model approve 2 --token "$mkt"
expect 2 "" "leadflow: model 2 needs an approval by a marketing token and one by a sales_manager token before it is activated; it has marketing's only" -- lf model activate 2
expect 0 "model 2 approved by 'sm' (sales_manager)" "" -- lf model approve 2 --token "$sm"
expect 0 "*" "" -- lf model activate 2
check "proposal, approvals and activation are in the audit trail" test \
	"$(db_sql "SELECT actor || ':' || action FROM audit WHERE subject = 'model:2' ORDER BY id" | paste -sd' ')" = \
	"cli:model.propose mkt:model.approve sm:model.approve cli:model.activate"
check "the show lists both approvals" sh -c "'$LEADFLOW' model show 2 --format json | grep -c '\"role\"' | grep -q '^2$'"
check "the first model is retired" test "$(lf model list --format csv | tail -n +2 | cut -d, -f1,3 | tr '\n' ' ')" = "1,retired 2,active "
check "leads now record version 2" \
	test "$(db_sql 'SELECT count(*) FROM leads WHERE model_version = 2')" = 800
finish
