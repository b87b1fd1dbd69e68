#!/usr/bin/env bash
# bench/pg.sh - leadflow on PostgreSQL, on a throwaway cluster of Debian's
# postgresql (tests/pg/cluster.sh; durable: fsync and synchronous_commit
# on, a Unix socket), each figure beside a baseline measured in the same run:
#
#  1. import: the events of a demo world of LEADS leads (NDJSON from
#     `leadflow demo --export`) through `leadflow import`, beside a bare COPY
#     of the same event rows into the same table of a copy of the database
#     (psql's \copy), best of ROUNDS each;
#  2. single-event POSTs (wrk, CONNECTIONS in all, SECONDS_EACH): one server
#     on PostgreSQL, two servers on the same database (half the connections
#     each, at once), beside one server on a SQLite file of the same world;
#  3. every report over a world of REPORT_LEADS leads (bench/report.sh's
#     SQLite world, copied by `leadflow migrate --to`), through the command
#     line, beside the same report on the SQLite file.
#
# usage: bench/pg.sh [BUILD_DIR]
#   env: LEADS (20000), ROUNDS (2), CONNECTIONS (64), SECONDS_EACH (10),
#        REPORT_LEADS (1000000), PARTS ("import http reports": the parts to run)
set -euo pipefail
build=${1:-build}
leads=${LEADS:-20000}
rounds=${ROUNDS:-2}
conns=${CONNECTIONS:-64}
secs=${SECONDS_EACH:-10}
report_leads=${REPORT_LEADS:-1000000}
parts=" ${PARTS:-import http reports} "
part() { [[ "$parts" == *" $1 "* ]]; }
lf="$(cd "$(dirname "$build/leadflow")" && pwd)/leadflow"
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/out/pg"
cluster=$(mktemp -d /tmp/lf-bench-pg.XXXXXX)
trap '"$root/tests/pg/cluster.sh" stop "$cluster"' EXIT
rm -rf "$out"
mkdir -p "$out"
cd "$root"

uri=$(tests/pg/cluster.sh start "$cluster")
db_uri() { echo "${uri/\/leadflow\?//$1?}"; }
newdb() { psql "$uri" -qAtc "DROP DATABASE IF EXISTS $1" 2>/dev/null; psql "$uri" -qAtc "CREATE DATABASE $1"; db_uri "$1"; }
now() { date +%s.%N; }
rate() { echo "$1 / ($3 - $2)" | bc -l; }
max() { [ "$(echo "$2 > $1" | bc)" = 1 ] && echo "$2" || echo "$1"; }
echo "PostgreSQL $(psql "$uri" -qAtc 'SHOW server_version'), fsync $(psql "$uri" -qAtc 'SHOW fsync'), synchronous_commit $(psql "$uri" -qAtc 'SHOW synchronous_commit')"

# --- 1. import beside a bare COPY ------------------------------------
if part import; then
world="bench/out/world-$leads"
if [ ! -s "$world/events.ndjson" ]; then
	echo "generating the demo world ($leads leads) into $world ..."
	"$lf" demo --leads "$leads" --seed 1 --export "$world" >/dev/null
fi
events=$(wc -l < "$world/events.ndjson")
tmpl=$(newdb imp_template)
"$lf" --db "$tmpl" init >/dev/null
"$lf" --db "$tmpl" import leads "$world/leads.ndjson" >/dev/null
# the same event rows as COPY reads them, each with its lead's id (not timed)
psql "$tmpl" -qAt -F $'\t' -c "SELECT external_id, id FROM leads WHERE external_id IS NOT NULL" > "$out/ids.tsv"
python3 - "$world/events.ndjson" "$out/ids.tsv" "$out/events.tsv" <<'PY'
import datetime, json, sys
ids = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[2]))
with open(sys.argv[3], "w") as out:
    for line in open(sys.argv[1]):
        e = json.loads(line)
        at = datetime.datetime.fromisoformat(e["occurred_at"].replace("Z", "+00:00"))
        props = json.dumps(e.get("properties") or {}).replace("\\", "\\\\")
        out.write(f'{e["id"]}\t{ids[e["external_id"]]}\t{e["type"]}\t{int(at.timestamp() * 1000)}\t{props}\n')
PY
best_imp=0; best_copy=0
for r in $(seq "$rounds"); do
	psql "$uri" -qAtc "DROP DATABASE IF EXISTS imp_run" 2>/dev/null
	psql "$uri" -qAtc "CREATE DATABASE imp_run TEMPLATE imp_template"
	t0=$(now); "$lf" --db "$(db_uri imp_run)" import events "$world/events.ndjson" >/dev/null; t1=$(now)
	imp=$(rate "$events" "$t0" "$t1")
	psql "$uri" -qAtc "DROP DATABASE IF EXISTS copy_run" 2>/dev/null
	psql "$uri" -qAtc "CREATE DATABASE copy_run TEMPLATE imp_template"
	t0=$(now)
	psql "$(db_uri copy_run)" -qc "\\copy events(id, lead_id, type, occurred_at, properties) FROM '$out/events.tsv'"
	t1=$(now)
	bare=$(rate "$events" "$t0" "$t1")
	printf 'round %d: leadflow import %.0f events/s, bare COPY %.0f rows/s\n' "$r" "$imp" "$bare"
	best_imp=$(max "$best_imp" "$imp"); best_copy=$(max "$best_copy" "$bare")
done
stored=$(psql "$(db_uri imp_run)" -qAtc "SELECT count(*) FROM events")
echo "import of $events events ($leads leads' world) on PostgreSQL, best of $rounds:"
printf '  leadflow import   %8.0f events/s (%s stored)\n' "$best_imp" "$stored"
printf '  bare COPY         %8.0f rows/s   ratio %.2f\n' "$best_copy" "$(echo "$best_imp / $best_copy" | bc -l)"
fi

# --- 2. single-event POSTs: one and two servers -----------------------
if part http; then
http_leads=10000
sqlite_db="$out/http.db"
"$lf" --db "$sqlite_db" init >/dev/null
"$lf" --db "$sqlite_db" demo --leads "$http_leads" --seed 1 >/dev/null
"$lf" --db "$sqlite_db" model add models/default.yaml >/dev/null
"$lf" --db "$sqlite_db" model activate 1 >/dev/null
pg_db=$(newdb http)
"$lf" --db "$sqlite_db" migrate --to "$pg_db" >/dev/null
export TOKEN=$("$lf" --db "$pg_db" token create --role admin --name bench 2>/dev/null)
"$lf" --db "$sqlite_db" token create --role admin --name bench 2>/dev/null >"$out/sqlite.token"
export LEADS=$http_leads

serve() { # DB NAME: starts a server, prints its URL
	"$lf" --db "$1" serve --listen 127.0.0.1:0 >"$out/$2.out" 2>"$out/$2.log" &
	echo $! >"$out/$2.pid"
	for _ in $(seq 100); do grep -q listening "$out/$2.out" && break; sleep 0.1; done
	sed -n 's/^listening on //p' "$out/$2.out"
}
stop() { kill -TERM "$(cat "$out/$1.pid")"; wait "$(cat "$out/$1.pid")" 2>/dev/null || true; }
load() { # URL CONNS NAME RUN
	RUN=$4 wrk -t2 -c"$2" -d"${secs}s" -s bench/http_event.lua "$1" >"$out/$3.txt" 2>&1 || true
	grep RESULT "$out/$3.txt" | sed 's/^RESULT //'
}
field() { sed "s/.*$2=\([0-9.]*\).*/\1/" <<<"$1"; }

url=$(TOKEN=$(cat "$out/sqlite.token") serve "$sqlite_db" sqlite)
base=$(TOKEN=$(cat "$out/sqlite.token") load "$url" "$conns" sqlite s)
stop sqlite
url=$(serve "$pg_db" one)
one=$(load "$url" "$conns" one p1)
url2=$(serve "$pg_db" two)
load "$url" $((conns / 2)) two-a p2 >"$out/two-a.res" &
a=$!
load "$url2" $((conns / 2)) two-b p3 >"$out/two-b.res"
wait "$a"
stop one; stop two
ra=$(cat "$out/two-a.res"); rb=$(cat "$out/two-b.res")
two_rps=$(echo "$(field "$ra" rps) + $(field "$rb" rps)" | bc)
two_p99=$(max "$(field "$ra" p99_ms)" "$(field "$rb" p99_ms)")
posted=$(psql "$pg_db" -qAtc "SELECT count(*) FROM events WHERE id LIKE 'wrk-%'")
echo "single-event POST, keep-alive, $conns connections, ${secs}s, durable:"
printf '  PostgreSQL, one server    %s\n' "$one"
printf '  PostgreSQL, two servers   rps=%s p99_ms=%s (%s and %s)\n' "$two_rps" "$two_p99" "$ra" "$rb"
printf '  SQLite, one server        %s\n' "$base"
echo "  events the PostgreSQL runs stored: $posted"
fi

# --- 3. reports over a large world -----------------------------------
part reports || exit 0
src="bench/out/reports-$report_leads.db"
. bench/world.sh
demo_world "$lf" "$src" "$report_leads"
"$lf" --db "$src" init >/dev/null
big=$(newdb reports)
t0=$(now); "$lf" --db "$src" migrate --to "$big" >/dev/null; t1=$(now)
printf 'the %d-lead world copied into PostgreSQL by migrate --to in %.0f s (checked table by table)\n' \
	"$report_leads" "$(echo "$t1 - $t0" | bc -l)"
psql "$big" -qAtc "VACUUM ANALYZE" >/dev/null
ms() { # DB REPORT...: the best of 3 runs of the command, in ms
	local best=999999 t0 t1 d
	for _ in 1 2 3; do
		t0=$(now); "$lf" --db "$1" report "${@:2}" --format csv >/dev/null; t1=$(now)
		d=$(echo "($t1 - $t0) * 1000" | bc -l)
		best=$(echo "if ($d < $best) $d else $best" | bc -l)
	done
	printf '%.0f' "$best"
}
echo "every report over $report_leads leads, through the CLI (process start to exit), best of 3:"
printf '  %-20s %10s %10s\n' report postgresql sqlite
for r in funnel clicks-vs-feeling calibration feedback effort capacity forecast sla questions recycle handoffs channels kpis gate; do
	printf '  %-20s %7s ms %7s ms\n' "$r" "$(ms "$big" "$r")" "$(ms "$src" "$r")"
done
