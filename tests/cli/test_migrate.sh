# test_migrate.sh - `leadflow migrate --to`: a SQLite database with a demo
# world (its spend too), models, tokens, a webhook and moves through the lifecycle copied
# into PostgreSQL: every table the same on both sides (rows and checksum),
# every report and the lead list the same read from either, and the copy
# goes on there (new ids after the copied ones). A target that holds data
# is refused. Needs a PostgreSQL cluster: runs as cli-pg/test_migrate.
. "$(dirname "$0")/lib.sh"
pg || { echo "skipped: needs a PostgreSQL cluster (cli-pg/test_migrate)"; exit 77; }
src="$work/src.db"
s() { "$LEADFLOW" --db "$src" "$@"; }

s init >/dev/null
s demo --leads 2000 --seed 11 >/dev/null
s model add "$SRC/models/default.yaml" >/dev/null
s model activate 1 >/dev/null
s token create --role admin --name root >/dev/null 2>&1
s webhook add --url http://127.0.0.1:9/hook --secret 0123456789abcdef --types lead.mql >/dev/null
lead=$(s lead list --stage lead --limit 1 --format csv | sed -n 2p | cut -d, -f1)
s lead mql "$lead" --as gate >/dev/null

expect 2 "" "leadflow: --to: give the PostgreSQL database to copy into, as postgresql://user@host/db" -- \
	s migrate --to "$work/other.db"
s migrate --to "$LEADFLOW_DB" > copy.txt 2>copy.err
check "the copy succeeds ($(cat copy.err))" test $? = 0
check "every table is the same on both sides" \
	sh -c "tail -n 1 copy.txt | grep -q '^copied: every table' && ! grep -q ' no$' copy.txt"
check "the leads were copied" sh -c "grep -q '^leads  *2000 ' copy.txt"
# same_read NAME ARGS... - the command's output is the same from both databases
same_read() {
	local what=$1; shift
	"$LEADFLOW" --db "$src" "$@" > from.out 2>&1
	lf "$@" > to.out 2>&1
	cmp -s from.out to.out || diff from.out to.out | head -6
	check "$what reads the same from both" cmp -s from.out to.out
}
for r in funnel clicks-vs-feeling calibration feedback effort capacity sla channels kpis gate; do
	same_read "report $r" report $r --format csv
done
same_read "report forecast" report forecast --weeks 3 --format json
same_read "the lead list" lead list --format csv
expect 0 "lead 2001 added" "" -- lf lead add --email new@after.example --source webinar
expect 2 "" "leadflow: the target database already holds leads, reps, models or tokens: a copy goes into an empty one" -- \
	s migrate --to "$LEADFLOW_DB"
# as JSON, into a second database
psql "$LEADFLOW_PG" -qAtc "CREATE DATABASE ${pgdb}_json" || exit 1
s --format json migrate --to "${LEADFLOW_PG/\/leadflow\?//${pgdb}_json?}" > copy.json
check "as JSON: one document, a row a table, the same on both sides" python3 -c '
import json; rows = json.load(open("copy.json"))
assert len(rows) == 22 and all(r["same"] == "yes" for r in rows), rows
n = {r["table"]: int(r["rows"]) for r in rows}
assert n["leads"] == 2000 and n["spend"] > 1000, n'
finish
