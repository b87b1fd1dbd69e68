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
lf() { "$LEADFLOW" "$@"; }

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

finish() {
	if [ "$fails" -gt 0 ]; then echo "$fails check(s) failed"; exit 1; fi
	echo "all checks passed"
}
