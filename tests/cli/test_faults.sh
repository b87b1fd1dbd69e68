# test_faults.sh - faults and limits: an import killed with SIGKILL keeps
# nothing of its file and leaves the database whole, so the re-run takes it
# all; an oversized line is rejected by name; a directory is not a file.
. "$(dirname "$0")/lib.sh"

expect 0 "*" "" -- lf init
lf demo --leads 20000 --seed 9 --export world 2>/dev/null
expect 0 "*" "" -- lf import leads world/leads.ndjson
total=$(wc -l < world/events.ndjson)

"$LEADFLOW" import events world/events.ndjson >/dev/null 2>&1 &
pid=$!
sleep 0.4
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
stored=$(db_sql 'SELECT count(*) FROM events')
check "a killed import keeps nothing or everything (got $stored of $total)" \
	sh -c "[ '$stored' = 0 ] || [ '$stored' = '$total' ]"
pg || check "the database file is whole after the kill" \
	sh -c "sqlite3 '$LEADFLOW_DB' 'PRAGMA integrity_check' | grep -qx ok"
expect 0 "*" "" -- lf import events world/events.ndjson
check "the re-run leaves every event stored once" \
	test "$(db_sql 'SELECT count(*) FROM events')" = "$total"

# a line over the 1 MiB limit is refused by name, and nothing is kept
{
	echo '{"id":"ok1","email":"a@example.com","type":"page_view","occurred_at":"2026-01-01"}'
	printf '{"id":"big","email":"a@example.com","type":"page_view","occurred_at":"2026-01-01","properties":{"x":"'
	head -c 1100000 /dev/zero | tr '\0' 'x'
	echo '"}}'
} > big.ndjson
expect 2 "" "leadflow: big.ndjson:2: line longer than 1048576 bytes" -- lf import events big.ndjson
expect 1 "*" "*" -- sh -c "'$LEADFLOW' lead show a@example.com >/dev/null 2>&1 && exit 0 || exit 1"
expect 0 '{"inserted":1,"updated":0,"unchanged":0,"rejected":1}' "*" -- \
	lf import events big.ndjson --rejects big.rejects --format json
check "the oversized line is in the rejects file" grep -q '"line":2,"reason":"line longer than 1048576 bytes"' big.rejects

mkdir adir
expect 2 "" "leadflow: cannot open 'adir': is a directory" -- lf import leads adir
expect 2 "" "leadflow: cannot open '/nonexistent/r.csv': no such file" -- \
	lf import leads world/leads.ndjson --rejects /nonexistent/r.csv
printf '{"id":"x"' > trunc.ndjson
expect 2 "" "*" -- lf import events trunc.ndjson
check "a truncated last line is named" sh -c "'$LEADFLOW' import events trunc.ndjson 2>&1 | grep -q '^leadflow: trunc.ndjson:1: column [0-9]*: bad json'"
finish
