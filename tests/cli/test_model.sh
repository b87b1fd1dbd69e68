# test_model.sh - scoring model files through `leadflow model`: every golden
# case of tests/golden/model (NAME.yaml, and in NAME.out the exact stderr
# and exit status of `model validate`), the shipped models, and storing,
# listing and showing versions.
. "$(dirname "$0")/lib.sh"
golden="$SRC/tests/golden/model"

for yaml in "$golden"/*.yaml; do
	name=$(basename "$yaml" .yaml)
	got=$(cd "$golden" && "$LEADFLOW" model validate "$name.yaml" 2>&1 >/dev/null; echo "exit $?")
	if [ "$got" != "$(cat "$golden/$name.out")" ]; then
		echo "FAIL: golden model case $name"
		diff <(echo "$got") "$golden/$name.out" | sed 's/^/  /'
		fails=$((fails + 1))
	fi
done

expect 0 "model 'default' in '$SRC/models/default.yaml' is valid: 8 fit, 9 engagement and 2 disqualification rules, 4 questions, floor 60, half-life 30 days" "" -- \
	lf model validate "$SRC/models/default.yaml"
expect 0 "*" "" -- lf model validate "$SRC/examples/models/x_education.yaml"
expect 2 "" "leadflow: cannot open 'nope.yaml': no such file" -- lf model validate nope.yaml

expect 0 "*" "" -- lf init
expect 0 "model 'default' stored as version 1 (draft)" "" -- lf model add "$SRC/models/default.yaml"
expect 0 '{"version":2,"name":"x_education","status":"draft"}' "" -- \
	lf model add "$SRC/examples/models/x_education.yaml" --format json
check "a bad model is not stored" sh -c "cd '$golden' && ! '$LEADFLOW' --db '$LEADFLOW_DB' model add unknown_key.yaml 2>/dev/null"
check "list shows both drafts" test "$(lf model list --format csv | tail -n +2 | cut -d, -f1-3 | tr '\n' ' ')" = "1,default,draft 2,x_education,draft "
check "show gives the text as written" sh -c "'$LEADFLOW' model show 1 | tail -n +2 | cmp -s - '$SRC/models/default.yaml'"
check "show as json" sh -c "'$LEADFLOW' model show 2 --format json | grep -q '\"status\": \"draft\"'"
expect 2 "" "leadflow: no model version 9" -- lf model show 9
expect 2 "" "leadflow: --version: expected a whole number from 1 to 1000000000, got 'x'" -- lf model show x
# a rule reading what no stored lead has is said (the model stays valid)
printf 'name: m\nfloor: 10\nfit:\n  - {name: calls, when: "calls_this_campaign > 2", points: 5}\n  - {name: vp, when: "title ~* \\"vp\\"", points: 5}\nreasons:\n  reject: [a]\n  disqualify: [b]\n  lost: [c]\n' > unread.yaml
lf import leads "$DATA/import/leads.csv" --map "$DATA/import/leads.yaml" >/dev/null 2>&1
# and so is every rule and reason code without a why (still valid)
expect 0 "*" "warning: unread.yaml:4: rule 'calls' reads attribute 'calls_this_campaign', which no stored lead has: it never holds (a column mapped under another name?)
warning: unread.yaml:5: rule 'vp' reads field 'title', which no stored lead has: it never holds (a column mapped under another name?)
warning: unread.yaml:4:5: fit rule 'calls' has no 'why': say which decision it informs
warning: unread.yaml:5:5: fit rule 'vp' has no 'why': say which decision it informs
warning: unread.yaml:7:12: reject reason 'a' has no 'why': say what it tells the other team
warning: unread.yaml:8:16: disqualify reason 'b' has no 'why': say what it tells the other team
warning: unread.yaml:9:10: lost reason 'c' has no 'why': say what it tells the other team" -- \
	lf model validate unread.yaml
check "validate as JSON lists the missing whys among its warnings" sh -c \
	"'$LEADFLOW' --db '$LEADFLOW_DB' model validate unread.yaml --format json 2>/dev/null | grep -q \"lost reason 'c' has no 'why'\""

# a why changed in a new version is a difference both teams see
sed 's/why: "They sign the budget: sales calls them first."/why: "They sign."/' \
	"$SRC/models/default.yaml" > reworded.yaml
lf model add reworded.yaml >/dev/null
diff_out=$(lf model diff 1 3 --format csv)
check "model diff shows a reworded why ($diff_out)" sh -c \
	"echo '$diff_out' | grep -q '^why changed,fit,decision maker,They sign the budget: sales calls them first.,They sign.\$'"
finish
