# test_recycle.sh - the model's recycle rules: checked by `model validate`,
# listed by `model diff`, and applied by the clock (`gate recycle`, which
# the server runs once a minute): a lead at the rule's stage long enough,
# with the agreed touches all unanswered, goes back to marketing with the
# agreed reason, by 'model', the rule named; an answered touch, too few
# touches or too little time keep it with its rep.
. "$(dirname "$0")/lib.sh"

base() {
	cat <<'EOF'
name: r
floor: 10
fit:
  - name: anyone
    when: 'true'
    points: 1
    why: "Every lead."
engagement:
  - name: visit
    event: page_view
    points: 1
    why: "A visit: interest again."
reasons:
  reject: [{code: unreachable, why: "No answer after the agreed tries: the contact data is poor."},
           {code: bad_timing, why: "Not now."}]
  disqualify: [{code: spam, why: "Junk."}]
  lost: [{code: price, why: "Price."}]
EOF
}
{ base; cat <<'EOF'
recycle:
  - name: three calls unanswered
    stage: assigned
    touches: 3
    outcomes: [no answer, voicemail]
    days: 10
    reason: unreachable
    why: "Sales keeps trying for ten days and three calls; after that marketing nurtures."
EOF
} > v1.yaml
expect 0 "model 'r' in 'v1.yaml' is valid: 1 fit, 1 engagement and 0 disqualification rules, 1 recycle rule, floor 10, half-life 30 days" "" -- \
	lf model validate v1.yaml
{ base; cat <<'EOF'
recycle:
  - name: bad
    stage: sql
    touches: 0
    reason: no_budget
  - name: bad
    touches: 2
    days: 5
    reason: bad_timing
EOF
} > bad.yaml
expect 2 "" "bad.yaml:19:5: a recycle rule needs 'days': how long at the stage first
bad.yaml:20:12: 'stage' must be assigned or sal, got 'sql'
bad.yaml:21:14: 'touches' must be a whole number from 1 to 1000, got '0'
bad.yaml:22:13: reason 'no_budget' is not in the reject list of 'reasons'
bad.yaml:23:5: recycle rule 'bad' is named twice
leadflow: 'bad.yaml' is not a valid model: 5 problems" -- lf model validate bad.yaml

expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf rep add Maya
expect 0 "*" "" -- lf model add v1.yaml
expect 0 "*" "" -- lf model activate 1
for who in a b c d; do
	expect 0 "*" "" -- lf lead add --email "$who@example.com" --source webinar
	expect 0 "*" "" -- lf lead mql "$who@example.com" --as gate
	expect 0 "*" "" -- lf lead assign "$who@example.com" --as gate --rep Maya
done
# a: three unanswered tries; b: two; c: three, one answered; d: three, then accepted
for o in "no answer" voicemail "no answer"; do lf touch add a@example.com --kind call --outcome "$o" >/dev/null; done
for o in "no answer" "no answer"; do lf touch add b@example.com --kind call --outcome "$o" >/dev/null; done
for o in "no answer" connected "no answer"; do lf touch add c@example.com --kind call --outcome "$o" >/dev/null; done
for o in "no answer" "no answer" "no answer"; do lf touch add d@example.com --kind call --outcome "$o" >/dev/null; done
expect 0 "*" "" -- lf lead accept d@example.com --as Maya
expect 0 "recycle: 0 leads long enough at their stage checked; 0 recycled by the model's rules" "" -- \
	lf gate recycle
later=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(days=11)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
expect 0 "recycle: 3 leads long enough at their stage checked; 1 recycled by the model's rules" "" -- \
	lf gate recycle --at "$later"
check "a goes back to marketing, by the model, with the rule's reason ($(db_sql "SELECT l.email, l.stage FROM leads l ORDER BY l.id" | tr '\n' ' '))" test \
	"$(db_sql "SELECT l.email || ' ' || l.stage FROM leads l WHERE l.stage = 'recycled'")" = "a@example.com recycled"
check "the move says which rule and why it is agreed" test \
	"$(db_sql "SELECT actor || '|' || reason || '|' || note FROM transitions WHERE to_stage = 'recycled'")" = \
	"model|unreachable|recycle rule 'three calls unanswered'"
expect 0 "recycle: 2 leads long enough at their stage checked; 0 recycled by the model's rules" "" -- \
	lf gate recycle --at "$later"

# the rule is versioned like the rest: version 2 changes it, the diff says so
sed 's/touches: 3/touches: 2/' v1.yaml > v2.yaml
expect 0 "*" "" -- lf model add v2.yaml
lf model diff 1 2 --format csv > diff.csv
check "the diff shows the rule changed ($(tr '\n' ' ' < diff.csv))" grep -q \
	"^changed,recycle,three calls unanswered,\"at assigned, 3 touches (no answer/voicemail) over 10 days: unreachable\",\"at assigned, 2 touches (no answer/voicemail) over 10 days: unreachable\"" diff.csv
sign_and_activate 2
expect 0 "recycle: 2 leads long enough at their stage checked; 1 recycled by the model's rules" "" -- \
	lf gate recycle --at "$later"
check "under version 2, b's two unanswered tries are enough" test \
	"$(db_sql "SELECT email FROM leads WHERE stage = 'recycled' ORDER BY id" | tr '\n' ' ')" = "a@example.com b@example.com "

# what became of them: marketing brings a back (after the rule's move, which
# the clock made "later"); c is rejected by its rep
after=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(days=12)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
expect 0 "*" "" -- lf lead recycle a@example.com --as admin --at "$after"
expect 0 "*" "" -- lf lead reject c@example.com --reason unreachable --as Maya
# e: three unanswered tries, then its rep accepts it past the rule's ten
# days before the clock ran, and qualifies it: kept past the threshold
expect 0 "*" "" -- lf lead add --email e@example.com --source webinar
expect 0 "*" "" -- lf lead mql e@example.com --as gate
expect 0 "*" "" -- lf lead assign e@example.com --as gate --rep Maya
for o in "no answer" voicemail "no answer"; do lf touch add e@example.com --kind call --outcome "$o" >/dev/null; done
expect 0 "*" "" -- lf lead accept e@example.com --as Maya --at "$after"
expect 0 "*" "" -- lf lead qualify e@example.com --as Maya --at "$after"
expect 0 "by,reason,leads,came_back,came_back_pct,reached_sql_after,sql_pct,won_after,won_pct
rule: three calls unanswered,unreachable,2,1,50.0,0,0.0,0,0.0
reps,unreachable,1,0,0.0,0,0.0,0,0.0
kept past rule: three calls unanswered,unreachable,1,,,1,100.0,0,0.0" "" -- lf report recycle --format csv
finish
