#!/usr/bin/env bash
# bench/score.sh - SPEC 10: the score kernel in memory (>= 2M events/s),
# and "rescore all after activation, 100k leads / 1M
# events: <= 2 s". (Import + score is in bench/import.sh.) The
# rescore's baseline, in the same run: reading every event in lead order
# with the sqlite3 shell, the I/O floor under any rescoring.
#
# usage: bench/score.sh [BUILD_DIR]   env: LEADS (100000) ROUNDS (3)
set -euo pipefail
build=${1:-build}
leads=${LEADS:-100000}
rounds=${ROUNDS:-3}
lf="$build/leadflow"
out=bench/out
world="$out/world-$leads"
mkdir -p "$out"

"$build/bench_score_kernel" models/default.yaml
echo

if [ ! -s "$world/events.ndjson" ]; then
	echo "generating the demo world ($leads leads) into $world ..."
	"$lf" demo --leads "$leads" --seed 1 --export "$world"
fi
base="$out/rescore-base.db"
if [ ! -s "$base" ]; then
	rm -f "$base" "$base-wal" "$base-shm"
	"$lf" --db "$base" init >/dev/null
	"$lf" --db "$base" import leads "$world/leads.ndjson" >/dev/null
	"$lf" --db "$base" import events "$world/events.ndjson" >/dev/null
	"$lf" --db "$base" model add models/default.yaml >/dev/null
	sqlite3 "$base" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
fi
events=$(sqlite3 "$base" 'SELECT count(*) FROM events')

best=999; best_base=999
for r in $(seq "$rounds"); do
	db="$out/rescore.db"; rm -f "$db" "$db-wal" "$db-shm"; cp "$base" "$db"
	t0=$(date +%s.%N)
	sqlite3 "$db" 'SELECT lead_id, occurred_at, type, properties FROM events ORDER BY lead_id, occurred_at' >/dev/null
	t1=$(date +%s.%N)
	s=$("$lf" --db "$db" model activate 1 --format json | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
	b=$(echo "$t1 - $t0" | bc -l)
	printf 'round %d: activate + rescore %.2f s, read all events %.2f s\n' "$r" "$s" "$b"
	[ "$(echo "$s < $best" | bc)" = 1 ] && best=$s
	[ "$(echo "$b < $best_base" | bc)" = 1 ] && best_base=$b
done
rm -f "$out"/rescore.db*
printf '\nrescore all after activation: %d leads, %d events, SQLite, one transaction\n' "$leads" "$events"
printf '  activate + rescore: %.2f s   (target <= 2 s)\n' "$best"
printf '  baseline, reading every event in lead order (sqlite3 shell): %.2f s\n' "$best_base"
