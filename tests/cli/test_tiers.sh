# test_tiers.sh - two tiers of sales: a rep is an SDR or an account
# executive; with AEs, the handoff clock (`gate handoff`, which the server
# runs every ten seconds) gives each SQL an SDR holds to an AE of its pool
# with room, by 'handoff', with an SLA clock of the handoff's terms; an AE
# opens the opportunity (accepts) or sends the SQL back to the SDR who
# qualified it with a reason of the model's send_back list; the handoffs
# report puts marketing -> SDR and SDR -> AE side by side; and on the demo
# world it is checked against a count of the moves themselves.
. "$(dirname "$0")/lib.sh"

cat > m.yaml <<'EOF'
name: tiers
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
    why: "A visit."
reasons:
  reject: [{code: no_need, why: "Not the problem we solve."}]
  disqualify: [{code: spam, why: "Junk."}]
  lost: [{code: price, why: "Price."}]
  send_back:
    - {code: no_pain, why: "No need found: qualify on need, not interest."}
    - {code: no_authority, why: "Not the buyer."}
EOF
expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf model add m.yaml
expect 0 "*" "" -- lf model activate 1
expect 0 "rep 1: Sam" "" -- lf rep add Sam
expect 2 "" "leadflow: --tier: unknown tier 'boss': expected sdr (inside sales) or ae (account executive)" -- \
	lf rep add Boss --tier boss

sql_lead() {   # sql_lead EMAIL - a lead Sam has qualified
	lf lead add --email "$1" --source webinar >/dev/null &&
	lf lead mql "$1" --as gate >/dev/null &&
	lf lead assign "$1" --as gate --rep Sam >/dev/null &&
	lf lead accept "$1" --as Sam >/dev/null &&
	lf lead qualify "$1" --as Sam >/dev/null
}
owner() { db_sql "SELECT coalesce(r.name, '-') FROM leads l LEFT JOIN reps r ON r.id = l.owner_rep_id WHERE l.email = '$1'"; }

# one tier: no AE, the SDR keeps the SQL
sql_lead a@example.com
expect 0 "handoff: 0 SQLs waiting for an account executive; 0 handed, 0 still waiting (no AE of their pool has room), 0 no routing rule takes" "" -- \
	lf gate handoff
check "one tier: the SDR keeps the SQL" [ "$(owner a@example.com)" = Sam ]

# two AEs: every SQL an SDR holds goes to one of them
expect 0 "rep 2: Ada" "" -- lf rep add Ada --tier ae
expect 0 "rep 3: Bo" "" -- lf rep add Bo --tier ae --weekly-hours 20
expect 0 "*" "" -- lf rep set Bo --pools general
check "rep list shows the tiers" [ "$(lf rep list --format csv | cut -d, -f2,10 | tr '\n' ' ')" = "name,tier Sam,sdr Ada,ae Bo,ae " ]
sql_lead b@example.com
sql_lead c@example.com
expect 0 "handoff: 3 SQLs waiting for an account executive; 3 handed, 0 still waiting (no AE of their pool has room), 0 no routing rule takes" "" -- \
	lf gate handoff
for e in a b c; do
	check "$e is held by an AE" [ "$(db_sql "SELECT r.tier FROM leads l JOIN reps r ON r.id = l.owner_rep_id WHERE l.email = '$e@example.com'")" = ae ]
done
# Ada has the most room (40 h against 20): the first; then the one given one least recently
check "the AE with the most free slots first" [ "$(owner a@example.com)" = Ada ]
check "the handoff is a move by 'handoff' that records the AE" \
	[ "$(db_sql "SELECT t.from_stage, t.to_stage, t.actor, r.name FROM transitions t JOIN reps r ON r.id = t.owner_rep_id JOIN leads l ON l.id = t.lead_id WHERE l.email = 'a@example.com' ORDER BY t.id DESC LIMIT 1")" = "sql|sql|handoff|Ada" ]
check "the handoff starts the AE's clock: first touch due in 1440 minutes" \
	[ "$(db_sql "SELECT (a.due_at - a.at) / 60000, (a.reassign_at - a.at) / 60000 FROM assignments a JOIN leads l ON l.id = a.lead_id JOIN reps r ON r.id = a.rep_id WHERE l.email = 'a@example.com' AND r.tier = 'ae'")" = "1440|4320" ]
expect 0 "handoff: 0 SQLs waiting for an account executive; 0 handed, 0 still waiting (no AE of their pool has room), 0 no routing rule takes" "" -- \
	lf gate handoff
gate=$(lf gate show --format json)
check "gate show counts the AEs and their free slots apart" \
	[ "$(echo "$gate" | python3 -c 'import json,sys; d=json.load(sys.stdin)["account_executives"]; print(d["reps"], d["free_slots"] > 0)')" = "2 True" ]

# the AE's decisions: send back with a reason of the list, or open the opportunity
aowner=$(owner a@example.com)
expect 2 "" "leadflow: --reason: unknown send_back reason 'meh': expected one of no_pain, no_authority" -- \
	lf lead send-back a@example.com --as "$aowner" --reason meh
expect 0 "lead 1: sql -> sal (send-back by $aowner)" "" -- \
	lf lead send-back a@example.com --as "$aowner" --reason no_pain --rating 2
check "sent back to the SDR who qualified it" [ "$(owner a@example.com)" = Sam ]
expect 2 "" "leadflow: cannot 'send-back' lead 1 at stage 'sal': allowed there: reject, qualify, disqualify" -- \
	lf lead send-back a@example.com --as Sam --reason no_pain
bowner=$(owner b@example.com)
expect 0 "*" "" -- lf lead open-opportunity b@example.com --as "$bowner" --amount 5000 --close-date 2027-01-31
check "the AE keeps the opportunity" [ "$(owner b@example.com)" = "$bowner" ]
# qualified again: handed again
expect 0 "*" "" -- lf lead qualify a@example.com --as Sam
expect 0 "handoff: 1 SQLs waiting for an account executive; 1 handed, 0 still waiting (no AE of their pool has room), 0 no routing rule takes" "" -- \
	lf gate handoff

# the AE's clock: c untouched past 4320 minutes goes to the other AE
cowner=$(owner c@example.com)
later=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(minutes=4330)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
lf touch add a@example.com --kind call --rep "$(owner a@example.com)" >/dev/null
expect 0 "*" "" -- lf gate sla --at "$later"
check "an untouched SQL goes to another AE" [ "$(owner c@example.com)" != "$cowner" ] 
check "... an AE" [ "$(db_sql "SELECT r.tier FROM leads l JOIN reps r ON r.id = l.owner_rep_id WHERE l.email = 'c@example.com'")" = ae ]
check "a touched SQL stays" [ "$(db_sql "SELECT count(*) FROM transitions t JOIN leads l ON l.id = t.lead_id WHERE l.email = 'a@example.com' AND t.actor = 'sla'")" = 0 ]

# the handoffs report: marketing -> SDR and SDR -> AE side by side
expect 0 "handoff,group,handed,accepted,rejected,disqualified,pending,accepted_pct,hours_to_decide,rating,won_after,won_pct
marketing_to_sdr,all,3,3,0,0,0,100.0,0.0,,0,0.0
marketing_to_sdr,sdr: Sam,3,3,0,0,0,100.0,0.0,,0,0.0
sdr_to_ae,all,4,1,1,0,2,50.0,0.0,2.00,0,0.0
sdr_to_ae,reason: no_pain,1,0,1,0,0,0.0,0.0,2.00,0,0.0
sdr_to_ae,sdr: Sam,4,1,1,0,2,50.0,0.0,2.00,0,0.0" "" -- lf report handoffs --format csv

# on the demo world: the report against the moves counted in Python
db_reset
expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf demo --leads 4000 --seed 3
expect 0 "*" "" -- lf model add "$SRC/models/default.yaml"
sign_and_activate 1
lf report handoffs --format csv > report.csv
db_sql "SELECT t.id, t.lead_id, t.from_stage, t.to_stage, t.actor, coalesce(t.reason, ''), coalesce(t.owner_rep_id, 0) FROM transitions t ORDER BY t.lead_id, t.id" > moves.txt
db_sql "SELECT id, name, tier FROM reps" > reps.txt
got=$(python3 - <<'PY'
import csv, collections
reps = {int(l.split("|")[0]): l.strip().split("|")[1] for l in open("reps.txt")}
tiers = collections.Counter(l.strip().split("|")[2] for l in open("reps.txt"))
moves = collections.defaultdict(list)
for l in open("moves.txt"):
    i, lead, f, t, actor, reason, owner = l.rstrip("\n").split("|")
    moves[int(lead)].append((int(i), f, t, actor, reason, int(owner)))
want = collections.Counter()
for ms in moves.values():
    for k, (i, f, t, actor, reason, owner) in enumerate(ms):
        if f == "mql" and t == "assigned":
            kind, sdr, acc, rej = "marketing_to_sdr", owner, "sal", "recycled"
        elif f == "sql" and t == "sql" and actor == "handoff":
            kind, sdr, acc, rej = "sdr_to_ae", ms[k - 1][5], "opportunity", "sal"
        else:
            continue
        nxt = next((m for m in ms[k + 1:] if m[2] in (acc, rej, "disqualified")), None)
        for g in ("all", "sdr: " + reps[sdr]):
            want[kind, g, "handed"] += 1
            want[kind, g, "accepted"] += bool(nxt and nxt[2] == acc)
            want[kind, g, "rejected"] += bool(nxt and nxt[2] == rej)
        if nxt and nxt[2] == rej:
            want[kind, "reason: " + nxt[4], "rejected"] += 1
got = collections.Counter()
for r in csv.DictReader(open("report.csv")):
    for c in ("handed", "accepted", "rejected"):
        if r["group"].startswith("reason: ") and c != "rejected":
            continue
        got[r["handoff"], r["group"], c] = int(r[c])
want = +want
bad = [k for k in set(want) | set(got) if want[k] != got[k]]
sent = sum(v for k, v in want.items() if k[0] == "sdr_to_ae" and k[1].startswith("reason: "))
print("same" if not bad else "differs %s" % sorted(bad)[:5],
      tiers["ae"] > 0, want["sdr_to_ae", "all", "handed"] > 500, sent > 50)
PY
)
check "the demo's handoffs report is the moves counted ($got)" [ "$got" = "same True True True" ]
codes=$(grep '^sdr_to_ae,reason: ' report.csv | cut -d, -f2 | sed 's/reason: //' | sort | tr '\n' ' ')
check "the AEs send back with the shipped model's reasons ($codes)" [ "$codes" = "no_authority no_pain no_timeline too_small " ]

# the simulation adds or removes AEs: the SQLs the SDRs release wait for fewer of them
sim() { lf simulate --to 2026-11-01 --aes-delta "$1" --format csv | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
t = rows[-1]
peak = lambda k: max(float(r[k]) for r in rows[:-1])
print(t["expected_sqls"] == t["expected_sqls_scenario"], float(t["expected_sqls"]) > 0,
      "more" if peak("sqls_waiting_for_ae_scenario") > peak("sqls_waiting_for_ae") else
      "fewer" if peak("sqls_waiting_for_ae_scenario") < peak("sqls_waiting_for_ae") else "same")'; }
check "fewer AEs: more SQLs wait" [ "$(sim -4)" = "True True more" ]
check "more AEs: fewer SQLs wait" [ "$(sim 4)" = "True True fewer" ]
expect 0 "*" "" -- lf simulate --to 2026-11-01 --aes-delta 1
finish
