# test_make_run.sh - what `make run` does (scripts/run.sh): a taken port is
# said, with the way out, before anything is made; each run revokes the token
# the previous run printed, so admin tokens do not pile up.
. "$(dirname "$0")/lib.sh"
sqlite_only "make run is SQLite's (README)"
build=$(dirname "$LEADFLOW")
cd "$SRC"
db="$work/run.db"

# a port that is taken
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)' > "$work/port" &
holder=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
expect 1 "" "make run: 127.0.0.1:$port is already taken (another server?); choose another port:
  make run LISTEN=127.0.0.1:$((port + 1))" -- scripts/run.sh "$build" "$db" "127.0.0.1:$port"
check "nothing was made for a taken port" test ! -e "$db"
kill $holder 2>/dev/null

# two runs on a free port (over a small world made beforehand): one live
# make-run token
"$LEADFLOW" --db "$db" init >/dev/null && "$LEADFLOW" --db "$db" demo --leads 50 >/dev/null &&
	"$LEADFLOW" --db "$db" model add models/default.yaml >/dev/null &&
	"$LEADFLOW" --db "$db" model activate 1 >/dev/null
free=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for i in 1 2; do
	scripts/run.sh "$build" "$db" "127.0.0.1:$free" > "$work/run$i.out" 2>&1 &
	pid=$!
	for _ in $(seq 300); do
		curl -s -o /dev/null "http://127.0.0.1:$free/healthz" && break
		sleep 0.1
	done
	link=$(grep -o 'signin=lk_[0-9a-f_]*' "$work/run$i.out" | tail -1 | cut -d= -f2)
	curl -s -o "$work/signin$i.json" -X POST -H 'Content-Type: application/json' \
		-d "{\"link\": \"$link\"}" "http://127.0.0.1:$free/v1/sessions"
	# the demo feed writes through the API while the server runs
	for _ in $(seq 100); do
		[ "$("$LEADFLOW" --db "$db" --format json lead list --limit 1000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -gt 50 ] && break
		sleep 0.1
	done
	kill -TERM $pid 2>/dev/null
	wait $pid
	check "stopping make run stops its server (run $i)" sh -c \
		"! curl -s -o /dev/null --max-time 2 http://127.0.0.1:$free/healthz"
done
check "each run prints its token" test "$(cat "$work/run1.out" "$work/run2.out" | grep -c '^admin token')" = 2
live=$("$LEADFLOW" --db "$db" token list --format json | python3 -c '
import json, sys; print(sum(1 for t in json.load(sys.stdin)["tokens"] if not t["revoked_at"]))')
check "one live token per person after two runs: admin, marketing, sales manager, rep, the feed ($live)" \
	test "$live" = 5
n=$("$LEADFLOW" --db "$db" --format json lead list --limit 1000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
check "the demo feed added leads through the API ($n > 50)" test "$n" -gt 50
check "stopping make run stops the feed" sh -c "! pgrep -f '[d]emo_feed.py http://127.0.0.1:$free' >/dev/null"
check "each run prints a sign-in link per person" \
	test "$(cat "$work/run1.out" "$work/run2.out" | grep -c 'signin=lk_')" = 6
check "the rep's link signs in to the app" grep -q '"role":"rep"' "$work/signin2.json"
finish
