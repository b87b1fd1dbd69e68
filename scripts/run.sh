#!/usr/bin/env bash
# scripts/run.sh BUILD DB LISTEN - the main job of `make run`: the demo world
# in DB (made once), a fresh admin token (the one the previous run made is
# revoked, so tokens do not pile up), and the API on LISTEN.
set -euo pipefail
build=$1 db=$2 listen=$3
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
	"$lf" --db "$db" demo --leads 5000 --seed 1
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
token=$("$lf" --db "$db" token create --role admin --name "make-run-$(date +%Y%m%d-%H%M%S)-$$" 2>/dev/null) ||
	{ echo "make run: cannot create the admin token" >&2; exit 1; }
echo
echo "admin token (shown once; the previous make-run token is revoked): $token"
echo "try:  curl -H 'Authorization: Bearer $token' 'http://$listen/v1/leads?limit=2'"
echo "      curl -H 'Authorization: Bearer $token' http://$listen/v1/reports/funnel"
echo
exec "$lf" --db "$db" serve --listen "$listen"
