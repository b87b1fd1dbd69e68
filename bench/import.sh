#!/usr/bin/env bash
# bench/import.sh - SPEC 10, first row: import (and import + live scoring
# with models/default.yaml active) of 100k leads and 1M events, NDJSON from
# `leadflow demo --export`, into SQLite, durable, beside the rate of a bare
# SQLite bulk insert of the same event rows into the same table
# (bench/bare_insert.c), measured in the same run, alternating, best of
# ROUNDS each. Also prints the imports' peak memory.
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

# databases holding the leads only, without and with an active model: the
# starting points of the runs
plain="$out/leads-plain.db"
scored="$out/leads-scored.db"
rm -f "$plain"* "$scored"*
"$lf" --db "$plain" init >/dev/null
t0=$(date +%s.%N)
"$lf" --db "$plain" import leads "$world/leads.ndjson" >/dev/null
t1=$(date +%s.%N)
lead_rate=$(echo "$leads / ($t1 - $t0)" | bc -l)
"$lf" --db "$scored" init >/dev/null
"$lf" --db "$scored" model add models/default.yaml >/dev/null
"$lf" --db "$scored" model activate 1 >/dev/null
"$lf" --db "$scored" import leads "$world/leads.ndjson" >/dev/null
for db in "$plain" "$scored"; do sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null; done

# run DB-TEMPLATE: prints events/s of importing the events into a copy
run() {
	local db="$out/run.db"
	rm -f "$db" "$db-wal" "$db-shm"; cp "$1" "$db"
	local t0 t1
	t0=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$out/rss" "$lf" --db "$db" import events "$world/events.ndjson" >/dev/null
	t1=$(date +%s.%N)
	echo "$events / ($t1 - $t0)" | bc -l
}

best_bare=0; best_plain=0; best_scored=0; rss_plain=0; rss_scored=0
max() { [ "$(echo "$2 > $1" | bc)" = 1 ] && echo "$2" || echo "$1"; }
for r in $(seq "$rounds"); do
	db="$out/bare.db"; rm -f "$db" "$db-wal" "$db-shm"; cp "$plain" "$db"
	bare=$("$build/bench_bare_insert" "$db" "$world/events.ndjson" | sed 's/.*bare_rate=//')
	p=$(run "$plain"); rss_plain=$(cat "$out/rss")
	s=$(run "$scored"); rss_scored=$(cat "$out/rss")
	printf 'round %d: import %.0f events/s, import + score %.0f events/s, bare sqlite %.0f rows/s\n' \
		"$r" "$p" "$s" "$bare"
	best_bare=$(max "$best_bare" "$bare")
	best_plain=$(max "$best_plain" "$p")
	best_scored=$(max "$best_scored" "$s")
done
rm -f "$out"/bare.db* "$out"/run.db*

printf '\nNDJSON, %d leads / %d events, SQLite WAL synchronous=FULL, one transaction per file\n' "$leads" "$events"
printf '  leads:                  %10.0f leads/s\n' "$lead_rate"
printf '  events, import:         %10.0f events/s  ratio %.2f  peak %d MB\n' "$best_plain" \
	"$(echo "$best_plain / $best_bare" | bc -l)" "$((rss_plain / 1024))"
printf '  events, import + score: %10.0f events/s  ratio %.2f  peak %d MB\n' "$best_scored" \
	"$(echo "$best_scored / $best_bare" | bc -l)" "$((rss_scored / 1024))"
printf '  bare sqlite insert of the same rows: %.0f rows/s\n' "$best_bare"
printf '  targets (SPEC 10): >= 300000 events/s and >= 0.5 x bare\n'
