# lib.sh - helpers for the CLI tests: each test script sources this, runs the
# real binary ($LEADFLOW) in a scratch directory and checks exit codes,
# stdout and stderr exactly.
set -u
fails=0
DATA="$SRC/tests/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export LEADFLOW_DB="$work/test.db"
# On PostgreSQL (LEADFLOW_PG: a cluster's URI, from tests/pg/cluster.sh):
# the same checks on a database of this script's own.
if [ -n "${LEADFLOW_PG:-}" ]; then
	pgdb="t$$"
	psql "$LEADFLOW_PG" -qAtc "CREATE DATABASE $pgdb" || exit 1
	export LEADFLOW_DB="${LEADFLOW_PG/\/leadflow\?//$pgdb?}"
fi
pg() { [ -n "${LEADFLOW_PG:-}" ]; }
# db_sql SQL - a query's rows as sqlite3 prints them (columns joined by |)
db_sql() {
	if pg; then psql "$LEADFLOW_DB" -qAt -F'|' -c "$1"; else sqlite3 "$LEADFLOW_DB" "$1"; fi
}
# db_reset - an empty database again (not yet initialised)
db_reset() {
	if pg; then
		psql "$LEADFLOW_PG" -qAtc "DROP DATABASE $pgdb" && psql "$LEADFLOW_PG" -qAtc "CREATE DATABASE $pgdb"
	else
		rm -f "$LEADFLOW_DB" "$LEADFLOW_DB-wal" "$LEADFLOW_DB-shm"
	fi
}
# sqlite_only WHY - ends a script that checks what only a SQLite file does
sqlite_only() {
	if pg; then echo "skipped on PostgreSQL: $1"; exit 77; fi
}
lf() { "$LEADFLOW" "$@"; }
# sign_and_activate V - version V proposed, approved by marketing and by
# sales (tokens of their own), and activated, each step checked
sign_and_activate() {
	local mkt sm
	mkt=$(lf token create --role marketing --name "mkt-$1" 2>/dev/null)
	sm=$(lf token create --role sales_manager --name "sm-$1" 2>/dev/null)
	expect 0 "*" "" -- lf model propose "$1"
	expect 0 "*" "" -- lf model approve "$1" --token "$mkt"
	expect 0 "*" "" -- lf model approve "$1" --token "$sm"
	expect 0 "*" "" -- lf model activate "$1"
}

# expect CODE "STDOUT" "STDERR" -- command...   ("*" skips a stream)
expect() {
	local code=$1 out=$2 err=$3; shift 4
	local got_out got_err got_code
	got_out=$("$@" 2>"$work/.stderr"); got_code=$?
	got_err=$(cat "$work/.stderr")
	if [ "$got_code" != "$code" ] || { [ "$out" != "*" ] && [ "$got_out" != "$out" ]; } ||
	   { [ "$err" != "*" ] && [ "$got_err" != "$err" ]; }; then
		echo "FAIL: $*"
		echo "  exit:   want $code, got $got_code"
		[ "$out" != "*" ] && [ "$got_out" != "$out" ] && printf '  stdout: want [%s]\n          got  [%s]\n' "$out" "$got_out"
		[ "$err" != "*" ] && [ "$got_err" != "$err" ] && printf '  stderr: want [%s]\n          got  [%s]\n' "$err" "$got_err"
		fails=$((fails + 1))
	fi
}

# check "what" CONDITION...
check() {
	local what=$1; shift
	if ! "$@"; then echo "FAIL: $what"; fails=$((fails + 1)); fi
}

# same_as_fit LOGITS.csv - "ok" when every lead's stored total is the
# trained logit times 20 / ln 2 (the scorecard's scale), else "differs";
# then the worst gap and the number of leads
same_as_fit() {
	db_sql "SELECT id, total FROM leads" > "$work/.totals"
	python3 - "$1" "$work/.totals" <<'PY'
import csv, math, sys
scale = 20 / math.log(2)
logit = {int(r["lead_id"]): float(r["logit"]) for r in csv.DictReader(open(sys.argv[1]))}
worst = max(abs(float(t) - scale * logit[int(i)])
            for i, t in (l.strip().split("|") for l in open(sys.argv[2])))
print("ok" if worst < 1e-6 else "differs", worst, len(logit))
PY
}

finish() {
	if [ "$fails" -gt 0 ]; then echo "$fails check(s) failed"; exit 1; fi
	echo "all checks passed"
}
