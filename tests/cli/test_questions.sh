# test_questions.sh - qualification questions in the model file: checked
# and summed up by `model validate` (a question without a why is said), read
# by rules as answer.KEY from the lead's attribute answer_KEY (an import's
# "answer.budget" lands there), and added in a new model version without
# touching the versions before it.
. "$(dirname "$0")/lib.sh"

cat > v1.yaml <<'EOF'
name: q
floor: 10
fit:
  - name: budget set
    when: answer.budget == "yes"
    points: 15
    why: "Money is there: sales moves faster."
questions:
  - key: budget
    text: "Is there budget for this year?"
    type: yes_no
    ask: accept
    why: "Tells marketing whether the segment can pay."
reasons:
  reject: [{code: no_budget, why: "No money this year."}]
  disqualify: [{code: spam, why: "Junk."}]
  lost: [{code: price, why: "Price."}]
EOF
expect 0 "model 'q' in 'v1.yaml' is valid: 1 fit, 0 engagement and 0 disqualification rules, 1 question, floor 10, half-life 30 days" "" -- \
	lf model validate v1.yaml

# version 2 asks one more question, of the larger leads only, at qualify
{
	sed -n '1,/^questions:/p' v1.yaml | sed '$d'
	cat <<'EOF'
  - name: buying soon
    when: answer.timeline in ["this_quarter"]
    points: 10
    why: "Buying this quarter: sales books the meeting now."
EOF
	sed -n '/^questions:/,/^reasons:/p' v1.yaml | sed '$d'
	cat <<'EOF'
  - key: timeline
    text: "When do you plan to buy?"
    type: choice
    choices: [this_quarter, this_year, later]
    ask: qualify
    when: employees >= 50
EOF
	sed -n '/^reasons:/,$p' v1.yaml
} > v2.yaml
expect 0 "*" "warning: v2.yaml:18:5: question 'timeline' has no 'why': say which decision its answer informs" -- \
	lf model validate v2.yaml

expect 0 "*" "" -- lf init
printf '%s\n' '{"external_id":"Q1","email":"q1@q.example","employees":80,"answer.budget":"yes","answer.timeline":"this_quarter"}' \
	'{"external_id":"Q2","email":"q2@q.example","answer_budget":"no"}' > leads.ndjson
expect 0 "*" "" -- lf import leads leads.ndjson
expect 0 "*" "" -- lf model add v1.yaml
expect 0 "*" "" -- lf model activate 1
check "a yes to the budget question gives its points" test \
	"$(lf lead explain Q1 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["fit"])')" = 15.0
check "a no gives none" test \
	"$(lf lead explain Q2 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["fit"])')" = 0.0

expect 0 "*" "" -- lf model add v2.yaml
check "version 1 is as it was written" sh -c "'$LEADFLOW' --db '$LEADFLOW_DB' model show 1 | tail -n +2 | cmp -s - v1.yaml"
lf model diff 1 2 --format csv > diff.csv
check "the diff shows the question added, and the rule reading it ($(tr '\n' ' ' < diff.csv))" python3 -c '
import csv, sys
rows = [r[:3] + r[4:] for r in csv.reader(open("diff.csv"))]
sys.exit(["added", "questions", "timeline", "When do you plan to buy? (choice: this_quarter/"
          "this_year/later), at qualify, when employees >= 50"] not in rows
         or not any(r[:3] == ["added", "fit", "buying soon"] for r in rows))'
# both teams sign version 2, as any other
sign_and_activate 2
check "under version 2 the timeline answer counts too" test \
	"$(lf lead explain Q1 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["fit"])')" = 25.0

# sales answers on the lead: checked against the question, kept with who
# and when, and scored at once
expect 0 "lead 2: budget = yes (by rita, model 2)" "" -- lf lead answer Q2 budget yes --as rita
fit_of() { python3 -c 'import sys; print(float(sys.argv[1]))' "$(db_sql "SELECT fit FROM leads WHERE external_id = '$1'")"; }
check "the answer scores at once" test "$(fit_of Q2)" = 15.0
expect 2 "" "leadflow: question 'timeline' is not for lead 2 (it is for leads where employees >= 50)" -- \
	lf lead answer Q2 timeline later --as rita
expect 2 "" "leadflow: question 'timeline' takes one of this_quarter, this_year, later, got 'soon'" -- \
	lf lead answer Q1 timeline soon --as rita
expect 2 "" "leadflow: question 'budget' takes yes or no, got 'maybe'" -- lf lead answer Q2 budget maybe --as rita
expect 2 "" "leadflow: model 2 asks no question 'seats'" -- lf lead answer Q2 seats 4 --as rita
expect 2 "" "leadflow: 'lead answer' needs --as NAME: who gives the answer" -- lf lead answer Q2 budget no
expect 0 "lead 2: budget = no (by sam, model 2)" "" -- lf lead answer Q2 budget no --as sam
check "a changed answer scores as it stands now" test "$(fit_of Q2)" = 0.0
check "both answers are kept, newest first, with who gave them" python3 -c '
import json, subprocess, sys
out = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True).stdout
got = [(a["question"], a["value"], a["actor"], a["model_version"]) for a in json.loads(out)["answers"]]
sys.exit(got != [("budget", "no", "sam", 2), ("budget", "yes", "rita", 2)])' \
	"$LEADFLOW" --db "$LEADFLOW_DB" lead answer Q2 --format json
finish
