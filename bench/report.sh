#!/usr/bin/env bash
# bench/report.sh - SPEC 10: "any report over 1M leads: <= 200 ms". For demo
# worlds of each size in SIZES (scored by the default model), every report
# through the command line (the whole process: start, open, read, print)
# and through the API (a server on the world, the mean of ROUNDS requests),
# beside the baseline of the same run: the bare GROUP BY of leads by source
# and stage in the sqlite3 shell, which any report that scanned the leads
# would cost at least. The sizes side by side show whether a report grows
# with the leads (the aggregates should keep them nearly equal), and one
# period-and-source filter shows the cost of a period's edge days.
#
# usage: bench/report.sh [BUILD_DIR]   env: SIZES ("100000 1000000"), ROUNDS (5)
set -euo pipefail
build=${1:-build}
sizes=${SIZES:-100000 1000000}
rounds=${ROUNDS:-5}
lf="$build/leadflow"
out=bench/out
mkdir -p "$out"
. "$(dirname "$0")/world.sh"

reports="funnel clicks-vs-feeling calibration feedback effort capacity forecast sla questions recycle handoffs channels kpis gate"
filter="--from 2026-08-05T09:00:00Z --to 2026-09-17 --source webinar"
ms() { echo "($2 - $1) * 1000" | bc -l; }
declare -A cli api

for n in $sizes; do
	db="$out/reports-$n.db"
	demo_world "$lf" "$db" "$n" >&2
	"$lf" --db "$db" init >/dev/null   # a world made by an older binary: migrated
	t0=$(date +%s.%N)
	sqlite3 "$db" 'SELECT source, stage, count(*) FROM leads GROUP BY 1, 2' >/dev/null
	t1=$(date +%s.%N)
	cli[base,$n]=$(ms "$t0" "$t1")
	for r in $reports "funnel $filter" "clicks-vs-feeling $filter" "channels --attribution last" \
		"kpis --from 2026-10-01 --to 2026-11-01"; do
		"$lf" --db "$db" report $r --format csv >/dev/null   # warm the cache once
		t0=$(date +%s.%N)
		"$lf" --db "$db" report $r --format csv >/dev/null
		t1=$(date +%s.%N)
		cli[$r,$n]=$(ms "$t0" "$t1")
	done
	tok=$("$lf" --db "$db" token create --role admin --name "bench-report-$$" 2>/dev/null)
	"$lf" --db "$db" serve --listen 127.0.0.1:0 >"$out/report-serve.out" 2>/dev/null &
	srv=$!
	for _ in $(seq 100); do grep -q listening "$out/report-serve.out" && break; sleep 0.1; done
	url=$(sed -n 's/^listening on //p' "$out/report-serve.out")
	while read -r name mean; do
		api[$name,$n]=$mean
	done < <(python3 - "$url" "$tok" "$rounds" $reports <<'PY'
import http.client, sys, time
from urllib.parse import urlparse
u = urlparse(sys.argv[1]); tok = sys.argv[2]; rounds = int(sys.argv[3])
c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
for name in sys.argv[4:]:
    times = []
    for i in range(rounds + 1):
        t = time.perf_counter()
        c.request("GET", f"/v1/reports/{name}", headers={"Authorization": "Bearer " + tok})
        r = c.getresponse(); r.read()
        if r.status != 200:
            raise SystemExit(f"{name}: {r.status}")
        if i:  # the first warms the cache
            times.append((time.perf_counter() - t) * 1000)
    print(name, f"{sum(times) / len(times):.0f}")
PY
)
	kill -TERM "$srv"; wait "$srv" || true
	"$lf" --db "$db" token revoke "$(sqlite3 "$db" "SELECT max(id) FROM tokens")" >/dev/null
done

printf 'reports, ms (CLI: the whole command; API: mean of %d requests); target <= 200 ms at 1M\n' "$rounds"
printf '  %-34s' "report"
for n in $sizes; do printf ' %14s' "CLI $n" " API $n"; done
echo
printf '  %-34s' "baseline: GROUP BY source, stage"
for n in $sizes; do printf ' %14.0f %14s' "${cli[base,$n]}" "-"; done
echo
for r in $reports "funnel $filter" "clicks-vs-feeling $filter" "channels --attribution last" \
	"kpis --from 2026-10-01 --to 2026-11-01"; do
	label=$r
	case $r in *--source*) label="${r%% *} (period, source)" ;; esac
	printf '  %-34s' "$label"
	for n in $sizes; do printf ' %14.0f %14s' "${cli[$r,$n]}" "${api[$r,$n]:--}"; done
	echo
done
