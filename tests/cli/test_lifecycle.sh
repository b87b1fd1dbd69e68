# test_lifecycle.sh - the lifecycle from the command line: a marketing lead
# from mql to won, a rejection, a disqualification overridden, a lead that
# sales found itself, refusals that name the stage and what is allowed,
# and touches.
. "$(dirname "$0")/lib.sh"

expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf model add "$SRC/models/default.yaml"
expect 0 "*" "" -- lf model activate 1
expect 0 "lead 1 added" "" -- lf lead add --email Ada@Example.com --name "Ada Lovelace" \
	--title "VP Operations" --employees 300 --source webinar
check "an added lead is scored at once" \
	test "$(db_sql 'SELECT count(*) FROM leads WHERE id = 1 AND fit = 35')" = 1

expect 0 "lead 1: lead -> mql (mql by gate)" "" -- lf lead mql 1 --as gate --role system
expect 0 "*" "" -- lf rep add Maya
expect 0 "*" "" -- lf rep add "Omar Haddad"
expect 2 "" "leadflow: 'assign' needs --rep NAME|ID: the rep the lead goes to" -- \
	lf lead assign ada@example.com --as gate
expect 2 "" "leadflow: --rep: no rep named 'Mya'; close names: 'Maya'" -- \
	lf lead assign ada@example.com --as gate --rep Mya
expect 2 "" "leadflow: --rep applies to 'assign' only, not to 'accept'" -- \
	lf lead accept ada@example.com --as maya --rep Maya
LEADFLOW_SLA_MINUTES=30 expect 0 "lead 1: mql -> assigned (assign by gate)" "" -- \
	lf lead assign ada@example.com --as gate --rep Maya
check "a manual assignment has an owner" test "$(db_sql 'SELECT owner_rep_id FROM leads WHERE id = 1')" = "1"
check "a manual assignment starts the SLA clock (sla_minutes as configured)" \
	test "$(db_sql 'SELECT (due_at - at) / 60000, rep_id FROM assignments WHERE lead_id = 1')" = "30|1"
expect 2 "" "leadflow: cannot 'qualify' lead 1 at stage 'assigned': allowed there: accept, reject, disqualify" -- \
	lf lead qualify 1 --as maya
expect 0 "lead 1: assigned -> sal (accept by maya)" "" -- lf lead accept 1 --as maya --rating 4 --note "real project"
expect 2 "" "leadflow: --role rep --as: no rep named 'maya'; close names: 'Maya'" -- \
	lf lead qualify 1 --as maya --role rep
expect 0 "*" "" -- lf lead qualify 1 --as Maya --role rep
expect 2 "" "leadflow: --amount: 'open-opportunity' needs an amount and an expected close date" -- \
	lf lead open-opportunity 1 --as maya
expect 0 '{"lead_id":1,"action":"open-opportunity","from":"sql","to":"opportunity"}' "" -- \
	lf lead open-opportunity 1 --as maya --amount 12000 --close-date 2027-02-01 --format json
expect 2 "" "leadflow: --reason: unknown lost reason 'meh': expected one of price, competitor_won, no_decision, timing" -- \
	lf lead lost 1 --as maya --reason meh
expect 0 "*" "" -- lf lead won 1 --as maya --reason champion_found --rating 5
lf lead show 1 --format json > ada.json
check "the stage is won" grep -q '"stage": "won"' ada.json
check "the amount is kept" grep -q '"opportunity_amount": 12000' ada.json
check "the history has every step" test "$(grep -c '"from"' ada.json)" = 6
check "the rating and note are kept" grep -q '"note": "real project"' ada.json

# a rejection needs a reason from the model's list
expect 0 "*" "" -- lf lead add --email bob@example.com --source paid_search
lf lead mql 2 --as gate >/dev/null && lf lead assign 2 --as gate --rep 2 >/dev/null
expect 2 "" "leadflow: --reason: 'reject' needs a reason code" -- lf lead reject 2 --as maya
expect 0 "lead 2: assigned -> recycled (reject by maya)" "" -- lf lead reject 2 --as maya --reason no_budget --rating 2
expect 0 "lead 2: recycled -> lead (recycle by system)" "" -- lf lead recycle 2 --as system --role system

# disqualify, then override
expect 0 "*" "" -- lf lead disqualify 2 --as marketing-ops --role marketing --reason spam
expect 2 "" "leadflow: a marketing cannot 'requalify' a lead: lead 2 is at stage 'disqualified', where a marketing may: nothing" -- \
	lf lead requalify 2 --as anna --role marketing --reason misjudged
expect 2 "" "leadflow: lead 2 is not one of Maya's leads (a rep acts on its own leads)" -- \
	lf lead requalify 2 --as Maya --role rep --reason real_buyer
expect 0 "*" "" -- lf lead requalify 2 --as "Omar Haddad" --role rep --reason real_buyer
check "the override is on record" sh -c "'$LEADFLOW' lead show 2 --format json | grep -q '\"reason\": \"real_buyer\"'"

# a lead sales found itself starts at sql
expect 2 "" "leadflow: a lead sales found itself (--source sales) is owned by the rep who adds it: give --rep NAME|ID" -- \
	lf lead add --email cy@north.example --source sales
expect 0 '{"id":3,"inserted":1,"updated":0,"unchanged":0}' "" -- \
	lf lead add --email cy@north.example --source sales --rep "Omar Haddad" --format json
check "sales-sourced at sql, by its rep" sh -c "'$LEADFLOW' lead show 3 | grep -q 'lead -> sql by Omar Haddad'"
check "sales-sourced: owned by the rep who adds it" test "$(db_sql 'SELECT stage, owner_rep_id FROM leads WHERE id = 3')" = "sql|2"

# touches
expect 0 "touch 1 logged on lead 1" "" -- lf touch add ada@example.com --kind call --minutes 12 \
	--rep Maya --outcome connected --at 2026-11-02T10:00:00Z
expect 0 "the same touch was already logged on lead 1" "" -- lf touch add 1 --kind call --minutes 12 \
	--rep Maya --outcome connected --at 2026-11-02T10:00:00Z
expect 2 "" "leadflow: unknown touch kind 'fax': expected call, email, meeting or note" -- \
	lf touch add 1 --kind fax
expect 2 "" "leadflow: --minutes: bad number 'lots'" -- lf touch add 1 --kind call --minutes lots
expect 2 "" "leadflow: --rep: no rep named 'Omar Hadad'; close names: 'Omar Haddad'" -- \
	lf touch add 1 --kind call --rep "Omar Hadad"
expect 2 "" "leadflow: --rep: no rep named 'Ximena Kosta' (reps are added first, by an admin or a sales manager)" -- \
	lf touch add 1 --kind call --rep "Ximena Kosta"
expect 2 "" "leadflow: --minutes: a touch lasts 0 to 1440 minutes (a day), got 1e+300" -- \
	lf touch add 1 --kind call --minutes 1e300
expect 2 "" "leadflow: a rep needs a name, got ''" -- lf rep add ''

expect 2 "" "leadflow: a lead needs an external id or an email: give --external-id or --email" -- \
	lf lead add --name "No Key"

# events by hand: the same checks as the API's, known by what they say
expect 0 "*" "" -- lf event add 1 --type demo_request --at 2026-11-03T10:00:00Z --properties '{"page": "/pricing"}'
expect 0 "*" "" -- lf event add 1 --type demo_request --at 2026-11-03T10:00:00Z --properties '{"page": "/pricing"}'
check "the same event twice is stored once" test "$(db_sql "SELECT count(*) FROM events WHERE lead_id = 1 AND type = 'demo_request'")" = 1
expect 2 "" "*" -- lf event add 1 --type page_view --at 2099-01-01T00:00:00Z
expect 2 "" "leadflow: --at: bad date '0000-01-01': the year must be from 1800 to 2199" -- \
	lf event add 1 --type page_view --at 0000-01-01
check "a touch naming an unknown rep creates no rep" test "$(db_sql 'SELECT count(*) FROM reps')" = "2"
expect 2 "" "leadflow: 'accept' needs --as ACTOR: who takes the action" -- lf lead accept 1
expect 2 "" "leadflow: --role: unknown role 'boss': expected admin, marketing, sales_manager, rep, readonly or system" -- \
	lf lead accept 1 --as x --role boss
# recycling: after a rejection only later engagement counts, and it brings
# the lead back to marketing's nurture
expect 0 "*" "" -- lf lead add --email dora@example.com --source webinar --title "Head of IT"
cat > before.ndjson <<'NDJSON'
{"id":"d1","email":"dora@example.com","type":"webinar","occurred_at":"2026-05-01T10:00:00Z"}
{"id":"d2","email":"dora@example.com","type":"form_submit","occurred_at":"2026-05-02T10:00:00Z"}
NDJSON
expect 0 "*" "" -- lf import events before.ndjson
id=$(db_sql "SELECT id FROM leads WHERE email = 'dora@example.com'")
check "engagement before the rejection" \
	test "$(db_sql "SELECT count(*) FROM leads WHERE id = $id AND engagement > 0")" = 1
lf lead mql $id --as gate >/dev/null && lf lead assign $id --as gate --rep Maya >/dev/null
expect 0 "*" "" -- lf lead reject $id --as maya --reason bad_timing --at 2026-06-01T00:00:00Z
check "a rejection leaves only later engagement: none yet" \
	test "$(db_sql "SELECT count(*) FROM leads WHERE id = $id AND engagement = 0")" = 1
check "the rejection time is kept" sh -c "'$LEADFLOW' lead show $id --format json | grep -q '\"recycled_at\": \"2026-06-01T00:00:00Z\"'"
printf '%s\n' '{"id":"d3","email":"dora@example.com","type":"email_open","occurred_at":"2026-07-01T10:00:00Z"}' > open.ndjson
expect 0 "*" "" -- lf import events open.ndjson
check "an event no rule counts does not bring it back" \
	test "$(db_sql "SELECT stage FROM leads WHERE id = $id")" = recycled
printf '%s\n' '{"id":"d4","email":"dora@example.com","type":"webinar","occurred_at":"2026-07-02T10:00:00Z"}' > after.ndjson
expect 0 "*" "" -- lf import events after.ndjson
check "new engagement after the rejection: back to lead" \
	test "$(db_sql "SELECT stage FROM leads WHERE id = $id")" = lead
check "the return is on record, by system" sh -c "'$LEADFLOW' lead show $id | grep -q 'recycled -> lead by system'"
at=2026-07-03T00:00:00Z
eng=$(lf lead explain $id --at $at --format json | python3 -c 'import json,sys; x=json.load(sys.stdin); print(sum(r["events"] for r in x["rules"] if r["kind"] == "engagement"))')
check "only the event after the rejection counts ($eng)" test "$eng" = 1
finish
