#!/usr/bin/env bash
# bench/import.sh - SPEC 10, first row: import of 100k leads and 1M events
# (NDJSON from `leadflow demo --export`) into SQLite, durable, beside the
# rate of a bare SQLite bulk insert of the same event rows into the same
# table (bench/bare_insert.c), measured in the same run, alternating, best
# of ROUNDS each. Also prints the import's peak memory.
#
# usage: bench/import.sh [BUILD_DIR]   env: LEADS (100000) ROUNDS (2)
set -euo pipefail
build=${1:-build}
leads=${LEADS:-100000}
rounds=${ROUNDS:-2}
lf="$build/leadflow"
out=bench/out
world="$out/world-$leads"
mkdir -p "$out"

if [ ! -s "$world/events.ndjson" ]; then
	echo "generating the demo world ($leads leads) into $world ..."
	"$lf" demo --leads "$leads" --seed 1 --export "$world"
fi
events=$(wc -l < "$world/events.ndjson")

# a database holding the leads only: the starting point of both runs
base="$out/leads-only.db"
rm -f "$base" "$base-wal" "$base-shm"
"$lf" --db "$base" init >/dev/null
t0=$(date +%s.%N)
"$lf" --db "$base" import leads "$world/leads.ndjson" >/dev/null
t1=$(date +%s.%N)
sqlite3 "$base" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
lead_rate=$(echo "$leads / ($t1 - $t0)" | bc -l)

best_ours=0; best_bare=0; rss=0
for r in $(seq "$rounds"); do
	db="$out/bare.db"; rm -f "$db" "$db-wal" "$db-shm"; cp "$base" "$db"
	bare=$("$build/bench_bare_insert" "$db" "$world/events.ndjson" | sed 's/.*bare_rate=//')
	db="$out/ours.db"; rm -f "$db" "$db-wal" "$db-shm"; cp "$base" "$db"
	t0=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$out/rss" "$lf" --db "$db" import events "$world/events.ndjson" >/dev/null
	t1=$(date +%s.%N)
	ours=$(echo "$events / ($t1 - $t0)" | bc -l)
	printf 'round %d: leadflow %.0f events/s, bare sqlite %.0f rows/s\n' "$r" "$ours" "$bare"
	[ "$(echo "$ours > $best_ours" | bc)" = 1 ] && best_ours=$ours
	[ "$(echo "$bare > $best_bare" | bc)" = 1 ] && best_bare=$bare
	rss=$(cat "$out/rss")
done
rm -f "$out"/bare.db* "$out"/ours.db*

ratio=$(echo "$best_ours / $best_bare" | bc -l)
printf '\nimport, NDJSON, %d leads / %d events, SQLite WAL synchronous=FULL, one transaction\n' "$leads" "$events"
printf '  leads:  %10.0f leads/s\n' "$lead_rate"
printf '  events: %10.0f events/s   (target >= 300000)\n' "$best_ours"
printf '  bare sqlite insert of the same rows: %.0f rows/s\n' "$best_bare"
printf '  ratio:  %10.2f             (target >= 0.5)\n' "$ratio"
printf '  peak memory of the events import: %d MB\n' "$((rss / 1024))"
