#!/usr/bin/env bash
# scripts/run.sh BUILD DB LISTEN - the main job of `make run`: the demo world
# in DB (made once), a fresh admin token and fresh tokens for the app's
# people, a marketing manager, a sales manager and the busiest rep (those
# the previous run made are revoked, so tokens do not pile up), a one-time
# sign-in link to the app for each, and the API and the app on LISTEN, with
# the demo feed (scripts/demo_feed.py) keeping the world alive through the
# API unless FEED=0.
set -euo pipefail
build=$1 db=$2 listen=$3 feed=${FEED:-1}
lf="$build/leadflow"
host=${listen%:*} port=${listen##*:}

# a taken port is said before anything is made
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
	echo "make run: $listen is already taken (another server?); choose another port:" >&2
	echo "  make run LISTEN=$host:$((port + 1))" >&2
	exit 1
fi
if [ ! -f "$db" ]; then
	"$lf" --db "$db" init
	"$lf" --db "$db" demo --leads 5000 --seed 1 --end now
	"$lf" --db "$db" model add models/default.yaml
	"$lf" --db "$db" model activate 1
fi
# one live make-run token at a time
"$lf" --db "$db" token list --format json | python3 -c '
import json, sys
for t in json.load(sys.stdin)["tokens"]:
    if t["name"].startswith("make-run") and not t["revoked_at"]:
        print(t["id"])' | while read -r id; do
	"$lf" --db "$db" token revoke "$id" >/dev/null
done
stamp="$(date +%Y%m%d-%H%M%S)-$$"
token=$("$lf" --db "$db" token create --role admin --name "make-run-$stamp" 2>/dev/null) ||
	{ echo "make run: cannot create the admin token" >&2; exit 1; }
# the rep holding the most open leads
rep=$(python3 -c '
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    "SELECT owner_rep_id FROM leads WHERE stage IN (\"assigned\", \"sal\", \"sql\", \"opportunity\")"
    " AND owner_rep_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
print(row[0] if row else "")' "$db")
echo
echo "the app: http://$listen/ ; one-time sign-in links (each works once, for 15 minutes):"
for who in marketing sales_manager ${rep:+rep}; do
	args=(--role "$who" --name "make-run-$who-$stamp")
	[ "$who" = rep ] && args+=(--rep "$rep")
	"$lf" --db "$db" token create "${args[@]}" >/dev/null 2>&1 ||
		{ echo "make run: cannot create the $who token" >&2; exit 1; }
	id=$("$lf" --db "$db" token list --format json | python3 -c '
import json, sys; print(max(t["id"] for t in json.load(sys.stdin)["tokens"]))')
	printf '  %-14s %s\n' "$who" "$("$lf" --db "$db" token link "$id" --url "http://$listen")"
done
echo
echo "admin token (shown once; the previous make-run token is revoked): $token"
echo "try:  curl -H 'Authorization: Bearer $token' 'http://$listen/v1/leads?limit=2'"
echo "      curl -H 'Authorization: Bearer $token' http://$listen/v1/reports/funnel"
feed_token=""
[ "$feed" != 0 ] && { feed_token=$("$lf" --db "$db" token create --role admin \
	--name "make-run-feed-$stamp" 2>/dev/null) || { echo "make run: cannot create the feed's token" >&2; exit 1; }; }
echo
# the trap is set before the server starts: a TERM arriving at any moment
# stops whatever this script has started, never leaving a server behind
server="" feeder=""
stop() {
	# no errexit here: a feed that dies of the signal (before its handler is
	# set) makes its wait fail, which must not end this script before the
	# server is stopped
	set +e
	[ -n "$feeder" ] && kill -TERM "$feeder" 2>/dev/null && wait "$feeder"
	if [ -z "$server" ]; then
		# between the start and its pid: every child of this script
		kill -TERM $(jobs -p) 2>/dev/null
		wait
		exit 143
	fi
	kill -TERM "$server" 2>/dev/null
	wait "$server"
	exit $?
}
trap stop INT TERM
"$lf" --db "$db" serve --listen "$listen" &
server=$!
if [ -n "$feed_token" ]; then
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && break
		sleep 0.1
	done
	echo "the demo feed keeps the world alive through the API (FEED=0 to switch it off)"
	python3 "$(dirname "$0")/demo_feed.py" "http://$listen" "$feed_token" 2>/dev/null &
	feeder=$!
fi
wait "$server"
