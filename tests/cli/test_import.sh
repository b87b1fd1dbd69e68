# import.sh - `leadflow import` end to end through the real binary: the
# summary, re-runs that change nothing, upserts, events creating leads, and
# every bad-input case with the exact message and exit code.
. "$(dirname "$0")/lib.sh"
cp "$DATA"/import/* .

expect 0 "*" "" -- lf init

# leads: inserted, then unchanged, then one updated
expect 0 '{"inserted":3,"updated":0,"unchanged":0,"rejected":0}' "" -- \
	lf import leads leads.csv --map leads.yaml --format json
expect 0 '{"inserted":0,"updated":0,"unchanged":3,"rejected":0}' "" -- \
	lf import leads leads.csv --map leads.yaml --format json
sed 's/^L3,carol@example.com,Carol,0/L3,carol@example.com,Carol,7/' leads.csv > leads2.csv
expect 0 '{"inserted":0,"updated":1,"unchanged":2,"rejected":0}' "" -- \
	lf import leads leads2.csv --map leads.yaml --format json
lf lead show L1 --format json > ada.json
check "email is normalised" grep -q '"email": "ada@example.com"' ada.json
check "outcome maps to a stage" grep -q '"stage": "won"' ada.json
check "numbers stay numbers" grep -q '"visits": 3' ada.json
check "booleans stay booleans" grep -q '"opted_out": false' ada.json
check "unmapped columns are snake_case attributes" grep -q '"lead_quality": "High"' ada.json
check "the import records the stage change" grep -q '"actor": "import"' ada.json
lf lead show bob@example.com --format json > bob.json
check "missing values are left out" sh -c '! grep -q visits bob.json'
check "a quoted comma survives" grep -q '"name": "Bob, Jr."' bob.json
lf lead show L3 --format json > carol.json
check "an update changes the value" grep -q '"visits": 7' carol.json

# events: one creates a lead from an unknown email; re-run changes nothing
expect 0 '{"inserted":3,"updated":0,"unchanged":0,"rejected":0}' "" -- \
	lf import events events.ndjson --format json
expect 0 '{"inserted":0,"updated":0,"unchanged":3,"rejected":0}' "" -- \
	lf import events events.ndjson --format json
expect 0 "*" "" -- lf lead show new.person@example.com

# touches from CSV
expect 0 '{"inserted":3,"updated":0,"unchanged":0,"rejected":0}' "" -- \
	lf import touches touches.csv --map touches.yaml --format json
expect 0 '{"inserted":0,"updated":0,"unchanged":3,"rejected":0}' "" -- \
	lf import touches touches.csv --map touches.yaml --format json

# bad input: the exact message, exit 2, nothing of the file kept
expect 2 "" "leadflow: broken_quote.csv:4: quoted field is never closed" -- \
	lf import leads broken_quote.csv --map leads.yaml
expect 2 "" "leadflow: no lead with id, email or external id 'L4'" -- lf lead show L4
expect 2 "" "leadflow: wrong_type.csv:3: column 'Visits': bad number 'ten'" -- \
	lf import leads wrong_type.csv --map leads.yaml
expect 2 "" "leadflow: unknown_value.csv:2: column 'Converted': unknown value '2': expected one of '1', '0'" -- \
	lf import leads unknown_value.csv --map leads.yaml
expect 2 "" "leadflow: events_dup.ndjson:3: duplicate event id 'e1': already stored with different content" -- \
	lf import events events_dup.ndjson
expect 1 "*" "*" -- sh -c "'$LEADFLOW' lead show ada@example.com --format json | grep -q 'e4'"
expect 2 "" "leadflow: empty.csv: empty file: expected a header line (or a mapping that gives it: header:)" -- \
	lf import leads empty.csv --map leads.yaml
expect 2 "" "leadflow: cannot open 'no-such-file.csv': no such file" -- \
	lf import leads no-such-file.csv
expect 2 "" "leadflow: cannot import 'deals': expected leads, events, touches or spend" -- \
	lf import deals leads.csv
expect 2 "" "leadflow: --delimiter: expected one character, got ';;'" -- \
	lf import leads leads.csv --delimiter ';;'

# with --rejects: good rows are kept, bad rows are written with the reason
expect 0 '{"inserted":2,"updated":0,"unchanged":0,"rejected":4}' \
	"leadflow: 4 rows rejected: see 'rejects.ndjson'" -- \
	lf import events events_bad.ndjson --rejects rejects.ndjson --format json
check "rejects file has a line per bad row" test "$(wc -l < rejects.ndjson)" = 4
check "rejects name the line and the reason" grep -q '"line":2,"reason":"column .occurred_at.: bad date .last tuesday.' rejects.ndjson
check "broken json is rejected with its column" grep -q '"line":3,"reason":"column 69: bad json' rejects.ndjson
check "an event without id is rejected" grep -q '"line":4,"reason":"the event has no id' rejects.ndjson
check "an unknown external id is rejected" grep -q "unknown lead external id 'NOPE'" rejects.ndjson
check "rejects keep the original row" grep -q '"row":"{\\"id\\":\\"b5\\"' rejects.ndjson

expect 0 '{"inserted":0,"updated":1,"unchanged":1,"rejected":1}' \
	"leadflow: 1 row rejected: see 'rejects.csv'" -- \
	lf import leads broken_quote.csv --map leads.yaml --rejects rejects.csv --format json
printf '%s\n' 'Id,E-mail,Name,Visits,Opted Out,Converted,Lead Quality,reason' \
	'"L3,carol@example.com,""Carol' 'L4,dan@example.com,Dan,2,No,0,Low",quoted field is never closed' > want_rejects.csv
check "csv rejects: header, original text, reason" cmp -s rejects.csv want_rejects.csv
expect 0 '{"inserted":0,"updated":1,"unchanged":0,"rejected":1}' "*" -- \
	lf import leads wrong_type.csv --map leads.yaml --rejects rejects2.csv --format json
printf '%s\n' 'Id,E-mail,Name,Visits,Opted Out,Converted,Lead Quality,reason' \
	"L2,bob@example.com,Bob,ten,Yes,0,Low,column 'Visits': bad number 'ten'" > want_rejects2.csv
check "csv rejects keep a well-formed row as it was" cmp -s rejects2.csv want_rejects2.csv

# text that cannot be stored as it is: refused with the line, never cut or lost
printf 'external_id,email,name\nN1,n1@example.com,A\000B\nN2,n2@example.com,Jos\351\nN3,n3@example.com,Ok\n' > bytes.csv
expect 0 '{"inserted":1,"updated":0,"unchanged":0,"rejected":2}' "*" -- \
	lf import leads bytes.csv --rejects bytes_rejects.csv --format json
check "a NUL byte and Latin-1 text are rejected with their line's reason" sh -c \
	"grep -q 'field 3 holds a NUL byte' bytes_rejects.csv && grep -q 'field 3 is not UTF-8 text (byte 4)' bytes_rejects.csv"
printf '%s\n' '{"id":"u1","email":"a@b.example","type":"t","occurred_at":"2026-01-01T00:00:00Z"}' '' \
	'{"id":"u2","email":"a@b.example","type":"t","occurred_at":"2026-01-01T00:00:00Z","p":"X"}' |
	sed 's/"X"/"\xe9"/' > lines.ndjson
expect 0 '{"inserted":1,"updated":0,"unchanged":0,"rejected":2}' "*" -- \
	lf import events lines.ndjson --rejects lines_rejects.ndjson --format json
check "an empty NDJSON line is a rejected row, said" grep -q '"line":2,"reason":"an empty line' lines_rejects.ndjson
check "a line of invalid UTF-8 keeps its bytes in the rejects (base64)" python3 -c '
import base64, json, sys
rows = [json.loads(l) for l in open("lines_rejects.ndjson")]
bad = [r for r in rows if r["line"] == 3][0]
orig = open("lines.ndjson", "rb").read().split(b"\n")[2]
sys.exit(not (base64.b64decode(bad["row_base64"]) == orig and "UTF-8" in bad["reason"]))'
python3 -c 'import sys; sys.stdout.write("{\"id\":\"x\",\"p\":\"" + "a" * 48000000)' > long.ndjson
check "a 48 MB line without a newline is refused in bounded memory" python3 -c '
import resource, subprocess, sys
p = subprocess.run([sys.argv[1], "import", "events", "long.ndjson", "--rejects", "long_rejects.ndjson"],
                   capture_output=True)
mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("resident", mb, "MB")
sys.exit(not (p.returncode == 0 and mb < 40))' "$LEADFLOW"
rm -f long.ndjson
# lines longer than the reader's 64 KB blocks, one past the 1 MB line limit between
# them, the last without a newline: each kept whole, the long one refused alone
python3 -c '
import sys
w = sys.stdout.write
w("{\"email\":\"big1@x.io\",\"note\":\"" + "a" * 200000 + "\"}\n")
w("{\"email\":\"big2@x.io\",\"note\":\"" + "b" * 1048600 + "\"}\n")
w("{\"email\":\"big3@x.io\",\"note\":\"" + "c" * 70000 + "\"}")' > blocks.ndjson
expect 0 "*" "" -- lf --db blocks.db init
expect 0 '{"inserted":2,"updated":0,"unchanged":0,"rejected":1}' "*" -- \
	lf --db blocks.db import leads blocks.ndjson --rejects blocks_rejects.ndjson --format json
check "the line past the limit is the one refused" grep -q '"line":2,"reason":"line longer than 1048576 bytes"' blocks_rejects.ndjson
check "lines across the reader's blocks are kept byte for byte" python3 -c '
import json, subprocess, sys
def note(email):
    out = subprocess.run([sys.argv[1], "--db", "blocks.db", "lead", "show", email, "--format", "json"],
                         capture_output=True, check=True).stdout
    return json.loads(out)["attributes"]["note"]
sys.exit(not (note("big1@x.io") == "a" * 200000 and note("big3@x.io") == "c" * 70000))' "$LEADFLOW"
rm -f blocks.ndjson

# files without an id, or without a header: the mapping gives them
expect 0 '{"inserted":3,"updated":0,"unchanged":0,"rejected":0}' "" -- \
	lf import leads bank_noheader.csv --map bank_noheader.yaml --format json
expect 0 '{"inserted":0,"updated":0,"unchanged":3,"rejected":0}' "" -- \
	lf import leads bank_noheader.csv --map bank_noheader.yaml --format json
check "a header-less row keyed by file and line, its columns named by the mapping" sh -c \
	"'$LEADFLOW' lead show bank_noheader.csv:2 --format json | grep -q '\"calls_this_campaign\": 1' &&
	 '$LEADFLOW' lead show bank_noheader.csv:3 --format json | grep -q '\"stage\": \"won\"'"
expect 0 '{"inserted":3,"updated":0,"unchanged":0,"rejected":0}' "" -- \
	lf import leads shoppers_keyed.csv --map shoppers_keyed.yaml --format json
sort -r shoppers_keyed.csv > shoppers_sorted.csv
expect 0 '{"inserted":0,"updated":0,"unchanged":3,"rejected":0}' "" -- \
	lf import leads shoppers_sorted.csv --map shoppers_keyed.yaml --format json
check "a key from columns is stable however the file is sorted" sh -c \
	"'$LEADFLOW' lead show 'v2|2026-03-01T10:05:00Z' --format json | grep -q '\"pages\": 12'"
sed 's/key: \[visitor, session_start\]/key: [visitor, started]/' shoppers_keyed.yaml > badkey.yaml
expect 2 "" "leadflow: badkey.yaml: key column 'started' is not in the header of 'shoppers_keyed.csv'" -- \
	lf import leads shoppers_keyed.csv --map badkey.yaml

# two long external ids that share their first 650 characters are two leads
python3 -c '
p = "crm-" + "x" * 650
print("external_id,name"); print(p + "-first,One"); print(p + "-second,Two")' > long_ids.csv
expect 0 '{"inserted":2,"updated":0,"unchanged":0,"rejected":0}' "" -- \
	lf import leads long_ids.csv --format json
expect 0 '{"inserted":0,"updated":0,"unchanged":2,"rejected":0}' "" -- \
	lf import leads long_ids.csv --format json

# a missing database or an uninitialised one
expect 2 "" "leadflow: database 'fresh.db' does not exist: create it with 'leadflow --db fresh.db init'" -- \
	lf --db fresh.db lead list
check "a command that reads leaves no database file behind" test ! -e fresh.db
touch empty.db
expect 2 "" "leadflow: database 'empty.db' is not initialised: run 'leadflow --db empty.db init'" -- \
	lf --db empty.db report funnel
expect 0 "*" "" -- lf --db demo.db init
expect 0 "*" "" -- lf --db demo.db demo --leads 20
expect 2 "" "leadflow: 'demo.db' already holds 20 leads: the demo world is built in an empty database (leadflow --db NEW.db init, then demo)" -- \
	lf --db demo.db demo --leads 20
finish
