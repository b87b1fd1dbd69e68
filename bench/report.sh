#!/usr/bin/env bash
# bench/report.sh - SPEC 10: "any report over 1M leads: <= 200 ms". Builds a
# demo world of LEADS leads (default 1,000,000) scored by the default model,
# then times every report, each beside a baseline in the same run: a bare
# `SELECT count(*)` over the leads and transitions with the sqlite3 shell.
#
# usage: bench/report.sh [BUILD_DIR]   env: LEADS (1000000)
set -euo pipefail
build=${1:-build}
leads=${LEADS:-1000000}
lf="$build/leadflow"
out=bench/out
db="$out/reports-$leads.db"
mkdir -p "$out"

. "$(dirname "$0")/world.sh"
demo_world "$lf" "$db" "$leads"
ms() { echo "($2 - $1) * 1000" | bc -l; }
t0=$(date +%s.%N)
sqlite3 "$db" 'SELECT count(*) FROM leads; SELECT count(*) FROM transitions;' >/dev/null
t1=$(date +%s.%N)
printf 'reports over %d leads (baseline, counting leads and transitions: %.0f ms)\n' \
	"$leads" "$(ms "$t0" "$t1")"
for r in funnel clicks-vs-feeling calibration feedback effort; do
	t0=$(date +%s.%N)
	"$lf" --db "$db" report "$r" --format csv >/dev/null
	t1=$(date +%s.%N)
	printf '  %-18s %8.0f ms   (target <= 200 ms)\n' "$r" "$(ms "$t0" "$t1")"
done
