#!/usr/bin/env bash
# bench/scale.sh - issue 15: does a write stay fast whatever the size of the
# database? For an empty database (the baseline, same run) and demo worlds of
# each size in SIZES, a server with the default configuration (the gate and
# SLA clocks on at their defaults) on a copy of the world:
#   - single-event POSTs one at a time, p50/p99 (bench/scale.py);
#   - the same under wrk (CONNECTIONS connections, SECONDS_EACH s);
#   - single-event POSTs while two clients read every report over and over;
#   - the server's resident memory after all of it.
# Target: the largest world's figures within 1.5x of the empty one's, p99 <=
# 25 ms, also while the reports run.
#
# usage: bench/scale.sh [BUILD_DIR]
#   env: SIZES ("100000 1000000"), POSTS (1000), SECONDS_EACH (10), CONNECTIONS (16)
set -euo pipefail
build=${1:-build}
sizes=${SIZES:-100000 1000000}
posts=${POSTS:-1000}
secs=${SECONDS_EACH:-10}
conns=${CONNECTIONS:-16}
lf="$build/leadflow"
out=bench/out
mkdir -p "$out/scale"
. "$(dirname "$0")/world.sh"

one() {  # one(LABEL, DB): a server on DB, measured
	local label=$1 db=$2 srv url tok load
	tok=$("$lf" --db "$db" token create --role admin --name "scale-$label" 2>/dev/null)
	"$lf" --db "$db" serve --listen 127.0.0.1:0 >"$out/scale/$label.out" \
		2>"$out/scale/$label.log" &
	srv=$!
	for _ in $(seq 100); do grep -q listening "$out/scale/$label.out" && break; sleep 0.1; done
	url=$(sed -n 's/^listening on //p' "$out/scale/$label.out")
	sleep 3  # the first capacity measurement, on its own connection
	python3 bench/scale.py "$url" "$tok" "$srv" "$posts" >"$out/scale/$label.txt"
	TOKEN=$tok RUN=$label BY=email wrk -t2 -c"$conns" -d"${secs}s" -s bench/http_event.lua "$url" \
		>"$out/scale/$label.wrk" 2>&1 || true
	load=$(grep RESULT "$out/scale/$label.wrk" || echo "RESULT (wrk failed)")
	python3 bench/scale.py "$url" "$tok" "$srv" 1 | grep rss_mb >>"$out/scale/$label.txt"
	kill -TERM "$srv"; wait "$srv" || true
	local get; get() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" "$out/scale/$label.txt" | tail -1; }
	printf '  %-10s alone p50 %6s p99 %6s | under wrk %s | during reports p50 %6s p99 %6s max %6s (%s reports read) | rss %s MB\n' \
		"$label" "$(get alone_p50)" "$(get alone_p99)" "${load#RESULT }" "$(get reports_p50)" \
		"$(get reports_p99)" "$(get reports_max)" "$(get reports_read)" "$(get rss_mb)"
	echo "             slowest reports (mean ms): $(get report_ms | cut -d, -f1-4)"
}

echo "Writes at scale (default configuration; ms; $posts POSTs one at a time, wrk $conns connections ${secs}s):"
empty="$out/scale/empty.db"
rm -f "$empty" "$empty"-wal "$empty"-shm
"$lf" --db "$empty" init >/dev/null
"$lf" --db "$empty" model add models/default.yaml >/dev/null
"$lf" --db "$empty" model activate 1 >/dev/null
for i in $(seq 20); do "$lf" --db "$empty" rep add "rep-$i" >/dev/null; done
one empty "$empty"
for n in $sizes; do
	world="$out/reports-$n.db"
	demo_world "$lf" "$world" "$n" >&2
	copy="$out/scale/world-$n.db"
	rm -f "$copy" "$copy"-wal "$copy"-shm
	sqlite3 "$world" "VACUUM INTO '$copy'" 2>/dev/null || cp "$world" "$copy"
	one "$n" "$copy"
	rm -f "$copy" "$copy"-wal "$copy"-shm
done
echo "  target: each world within 1.5x of empty, p99 <= 25 ms alone, under load and during reports"
