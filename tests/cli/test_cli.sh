# test_cli.sh - the command line itself: help at every level, usage errors
# and their exit codes, global options anywhere, lead show and list with
# their filters, formats and paging.
. "$(dirname "$0")/lib.sh"

expect 0 "*" "" -- lf --help
check "top help lists the commands" sh -c "'$LEADFLOW' --help | grep -q '^  import '"
check "top help documents the exit codes" sh -c "'$LEADFLOW' --help | grep -q 'exit status: 0 success, 2 bad input or usage, 1 other failure'"
check "import help lists its options" sh -c "'$LEADFLOW' import --help | grep -q -- '--rejects FILE'"
check "lead help lists its commands" sh -c "'$LEADFLOW' lead --help | grep -q '^  list '"
check "lead list help" sh -c "'$LEADFLOW' lead list --help | grep -q -- '--stage S'"
check "demo help" sh -c "'$LEADFLOW' demo -h | grep -q -- '--export DIR'"

expect 2 "" "*" -- lf
check "no command: usage, then the error" sh -c "'$LEADFLOW' 2>&1 | tail -1 | grep -qx \"leadflow: 'leadflow' needs a command\""
expect 2 "" "leadflow: unknown command 'frobnicate' for 'leadflow': see 'leadflow --help'" -- lf frobnicate
expect 2 "" "leadflow: unknown command 'delete' for 'leadflow lead': see 'leadflow lead --help'" -- lf lead delete
expect 2 "" "leadflow: unknown option '--colour' for 'leadflow lead list': see 'leadflow lead list --help'" -- lf lead list --colour
expect 2 "" "leadflow: option '--stage' needs a value" -- lf lead list --stage
expect 2 "" "leadflow: --format: expected table, csv or json, got 'xml'" -- lf --format xml init
expect 2 "" "leadflow: usage: leadflow lead show ID|EMAIL|EXTERNAL_ID (see 'leadflow lead show --help')" -- lf lead show
expect 2 "" "leadflow: --limit: expected a whole number from 0 to 4611686018427387903, got '-3'" -- lf lead list --limit -3
expect 2 "" "leadflow: --leads: expected a whole number from 1 to 100000000, got 'many'" -- lf demo --leads many

expect 0 "database '$LEADFLOW_DB' is at schema version 25 (was 0)" "" -- lf init
expect 0 "database '$LEADFLOW_DB' is up to date (schema version 25)" "" -- lf init
if pg; then
	# a password in the URI is not repeated (the test cluster trusts any)
	with_pw="${LEADFLOW_DB/postgres@/postgres:s3cret@}"
	expect 0 "database '${LEADFLOW_DB/postgres@/postgres:***@}' is up to date (schema version 25)" "" -- \
		lf --db "$with_pw" init
fi
expect 0 "*" "" -- lf demo --leads 300 --seed 5
expect 2 "" "leadflow: --stage: unknown stage 'closed': expected lead, mql, assigned, sal, sql, opportunity, won, lost, recycled or disqualified" -- \
	lf lead list --stage closed

# the global options may also come after the command
check "--format after the command" sh -c "'$LEADFLOW' lead list --limit 2 --format json | head -1 | grep -q '^\['"
check "--db after the command" sh -c "'$LEADFLOW' lead list --db '$LEADFLOW_DB' --limit 1 --format csv | grep -q '^id,external_id'"

# filters and paging
won=$(lf lead list --stage won --format csv | tail -n +2 | wc -l)
check "some leads are won" test "$won" -gt 0
check "every listed lead is won" sh -c "'$LEADFLOW' lead list --stage won --format csv | tail -n +2 | cut -d, -f6 | sort -u | grep -qx won"
check "source filter" sh -c "'$LEADFLOW' lead list --source webinar --format csv | tail -n +2 | cut -d, -f5 | sort -u | grep -qx webinar"
check "limit" test "$(lf lead list --limit 7 --format csv | tail -n +2 | wc -l)" = 7
check "after: the next page" test "$(lf lead list --limit 1 --after 7 --format csv | tail -1 | cut -d, -f1)" = 8
check "table pages by 50" sh -c "'$LEADFLOW' lead list | tail -1 | grep -q 'first 50 shown: --limit 0 for all, --after 50 for the next page'"
check "json list is valid and complete" test "$(lf lead list --format json | grep -c '"external_id"')" = 300

# show by id, email and external id
email=$(lf lead list --limit 1 --format csv | tail -1 | cut -d, -f3)
check "show by id" sh -c "'$LEADFLOW' lead show 1 | grep -q 'crm-0000001'"
check "show by email (any case)" sh -c "'$LEADFLOW' lead show '$(echo "$email" | tr a-z A-Z)' | grep -q crm-0000001"
check "show by external id" sh -c "'$LEADFLOW' lead show crm-0000001 --format json | grep -q '\"id\": 1,'"
check "show lists the history" sh -c "'$LEADFLOW' lead show crm-0000002 --format json | grep -q '\"transitions\"'"
expect 2 "" "leadflow: no lead with id, email or external id 'nobody@example.com'" -- lf lead show nobody@example.com

# spreadsheet-safe CSV: a cell starting with '=' is defused
printf 'external_id,name\nX1,=HYPERLINK("http://evil")\n' > evil.csv
expect 0 "*" "" -- lf import leads evil.csv
check "formula cells are escaped in CSV output" sh -c "'$LEADFLOW' lead list --format csv | grep -q \"\\\"'=HYPERLINK\""

# the summary of the demo in json
check "demo summary as json" sh -c "'$LEADFLOW' --db '$work/d2.db' init >/dev/null && '$LEADFLOW' --db '$work/d2.db' demo --leads 50 --format json | grep -q '\"source\": \"total\"'"
# a database file this user may not write can still be read
if ! pg; then
ro=$(mktemp -d) && chmod 755 "$ro"
cp "$LEADFLOW_DB" "$ro/ro.db" && chmod 444 "$ro/ro.db"
cp "$LEADFLOW" "$ro/leadflow" && chmod 755 "$ro/leadflow"   # reachable by the other user
as_reader() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
check "a read-only database can be read" sh -c "$(declare -f as_reader); as_reader '$ro/leadflow' --db '$ro/ro.db' lead list --limit 1 --format csv | grep -q '^id,'"
check "and a write says it is read-only" sh -c "$(declare -f as_reader); as_reader '$ro/leadflow' --db '$ro/ro.db' rep add Reader 2>&1 | grep -q 'is read-only here'"
rm -rf "$ro"
fi
# a missing config file is bad input (2); a directory is said to be one
expect 2 "" "leadflow: the config file: cannot open 'no-such.conf': no such file" -- \
	lf serve --config no-such.conf
mkdir -p adir
expect 2 "" "leadflow: cannot open 'adir': is a directory" -- lf model validate adir
expect 2 "" "leadflow: cannot open 'adir': is a directory" -- lf import leads adir
expect 2 "" "leadflow: cannot open 'adir': is a directory" -- lf routing set adir
# webhooks: one domain operation for the CLI and the API (checked, audited)
expect 2 "" "leadflow: --url: a webhook's url must start with http:// or https://, got 'ftp://x'" -- \
	lf webhook add --url ftp://x --secret 0123456789abcdef --types lead.mql
expect 2 "" "leadflow: --types: unknown event type 'lead.lost': expected lead.mql, lead.disqualified, lead.assigned, sla.breached, model.activated" -- \
	lf webhook add --url http://127.0.0.1:9/h --secret 0123456789abcdef --types lead.lost
expect 0 "*" "" -- lf webhook add --url http://127.0.0.1:9/h --secret 0123456789abcdef --types lead.mql
hook=$(db_sql "SELECT max(id) FROM webhooks")
expect 0 "*" "" -- lf webhook delete "$hook"
check "the CLI audits webhook create and delete as the API does" test \
	"$(db_sql "SELECT action FROM audit WHERE subject = 'webhook:$hook' ORDER BY id" | paste -sd,)" = "webhook.create,webhook.delete"
# a file that is not a database is said to be one, not "not initialised"
echo "a text file, not a database: long enough to fill a header page of sqlite" > notdb.db
expect 1 "" "leadflow: cannot open 'notdb.db': file is not a database" -- lf --db notdb.db lead list
finish
