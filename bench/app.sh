#!/usr/bin/env bash
# bench/app.sh - the app on a demo world of LEADS leads (default 1,000,000,
# the same database as bench/report.sh): the server started on a free port,
# a token per role, and bench/app.cjs timing each screen in headless
# Chromium beside the sign-in page's baseline.
#
# usage: bench/app.sh [BUILD_DIR]   env: LEADS (1000000)
set -euo pipefail
build=${1:-build}
leads=${LEADS:-1000000}
lf="$build/leadflow"
out=bench/out
db="$out/reports-$leads.db"
mkdir -p "$out"
. "$(dirname "$0")/world.sh"
demo_world "$lf" "$db" "$leads"
rep=$(sqlite3 "$db" "SELECT owner_rep_id FROM leads WHERE stage IN ('assigned','sal','sql','opportunity')
	AND owner_rep_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
stamp="bench-app-$$"
tok() { "$lf" --db "$db" token create --role "$1" --name "$stamp-$1" ${2:+--rep "$2"} 2>/dev/null; }
tokens=$(printf '{"rep":"%s","sales_manager":"%s","marketing":"%s","admin":"%s"}' \
	"$(tok rep "$rep")" "$(tok sales_manager)" "$(tok marketing)" "$(tok admin)")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$lf" --db "$db" serve --listen "127.0.0.1:$port" > "$out/app-serve.out" 2> "$out/app-serve.log" &
server=$!
cleanup() {
	kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true
	"$lf" --db "$db" token list --format json | python3 -c '
import json, sys
for t in json.load(sys.stdin)["tokens"]:
    if t["name"].startswith(sys.argv[1]) and not t["revoked_at"]: print(t["id"])' "$stamp" |
		while read -r id; do "$lf" --db "$db" token revoke "$id" >/dev/null; done
}
trap cleanup EXIT
for _ in $(seq 600); do
	curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
	sleep 0.1
done
echo "on $leads leads:"
LF_TOKENS=$tokens node bench/app.cjs "http://127.0.0.1:$port"
