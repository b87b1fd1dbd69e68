# test_held.sh - the leads sales holds (the `held` table the gate's capacity
# reads) kept by every change equal the same rows recomputed from the leads,
# their transitions and their touches: after a demo world's histories
# (assignments, touches, opportunities, wins and losses, recycling), and
# after touches logged out of order, an opportunity opened, a reject and a
# loss through the CLI.
. "$(dirname "$0")/lib.sh"
pass() { echo "ok   $1"; }
fail() { echo "FAIL: $1"; fails=$((fails + 1)); }

expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf demo --leads 3000 --seed 7

same() {
	db_sql "
	WITH x AS (SELECT l.id, l.owner_rep_id, l.stage,
	  (SELECT min(at) FROM transitions t WHERE t.lead_id = l.id AND t.to_stage = 'assigned') AS a,
	  (SELECT min(at) FROM transitions t WHERE t.lead_id = l.id AND t.to_stage = 'opportunity') AS o
	  FROM leads l WHERE l.stage IN ('assigned', 'sal', 'sql', 'opportunity')
	  AND l.owner_rep_id IS NOT NULL),
	want AS (SELECT id, owner_rep_id, stage, a, o,
	  coalesce((SELECT sum(minutes) FROM touches h WHERE h.lead_id = x.id
	    AND h.at < coalesce(x.o, 9223372036854775807)), 0) AS b,
	  coalesce((SELECT sum(minutes) FROM touches h WHERE h.lead_id = x.id AND h.at >= x.o), 0) AS d
	  FROM x)
	SELECT (SELECT count(*) FROM want),
	  (SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM held) m),
	  (SELECT count(*) FROM (SELECT * FROM held EXCEPT SELECT * FROM want) e);"
}
got=$(same)
case "$got" in
0\|*) fail "the demo world holds no lead ($got)" ;;
*\|0\|0) pass "held equals its recomputation after a demo world ($got: held, missing, extra)" ;;
*) fail "held differs from its recomputation after a demo world ($got)" ;;
esac

# a lead being worked: touches after it opened, one backdated before, then lost
lead=$(db_sql "SELECT lead_id FROM held WHERE stage = 'sql' LIMIT 1")
rep=$(db_sql "SELECT rep_id FROM held WHERE lead_id = $lead")
other=$(db_sql "SELECT lead_id FROM held WHERE stage = 'assigned' LIMIT 1")
expect 0 "*" "" -- lf lead open-opportunity "$lead" --amount 5000 --close-date 2027-01-31 --as "$rep"
expect 0 "*" "" -- lf touch add "$lead" --kind call --minutes 25 --rep "$rep"
expect 0 "*" "" -- lf touch add "$lead" --kind email --minutes 7 --rep "$rep" --at 2026-01-02T10:00:00Z
expect 0 "*" "" -- lf touch add "$other" --kind meeting --minutes 40 --rep "$rep"
got=$(same)
case "$got" in
*\|0\|0) pass "held follows an opportunity and touches, one of them out of order ($got)" ;;
*) fail "held after touches ($got)" ;;
esac
before=$(db_sql "SELECT minutes_after FROM held WHERE lead_id = $lead")
[ "${before%.0}" -ge 25 ] && pass "the touch after the opportunity counts after it ($before)" ||
	fail "minutes after the opportunity: $before"
expect 0 "*" "" -- lf model add "$SRC/models/default.yaml"
expect 0 "*" "" -- lf model activate 1
expect 0 "*" "" -- lf lead lost "$lead" --reason price --as "$rep"
expect 0 "*" "" -- lf lead reject "$other" --reason bad_timing --as "$rep"
got=$(same)
case "$got" in
*\|0\|0) pass "a lost and a rejected lead leave held ($got)" ;;
*) fail "held after lost and reject ($got)" ;;
esac
n=$(db_sql "SELECT count(*) FROM held WHERE lead_id IN ($lead, $other)")
[ "$n" = 0 ] && pass "neither is held any more" || fail "still held: $n"
finish
