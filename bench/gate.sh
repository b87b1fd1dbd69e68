#!/usr/bin/env bash
# bench/gate.sh - SPEC 10: "gate + routing, 100k qualified leads, 50 reps:
# <= 1 s". A database with LEADS qualified leads (scores from the floor up,
# one in twenty a hand-raiser) and 50 reps in 5 teams, routed by a file of
# three rules; `leadflow gate run` takes them into the pool and releases
# them all (capacity set high enough: 1 minute a lead). Beside it, the
# baseline of the same run: SQLite updating every one of those leads' stage
# and owner and appending two transitions each, in one transaction.
#
# usage: bench/gate.sh [BUILD_DIR]   env: LEADS (100000)
set -euo pipefail
build=${1:-build}
leads=${LEADS:-100000}
lf="$build/leadflow"
out=bench/out/gate
rm -rf "$out"
mkdir -p "$out"
db="$out/gate.db"

"$lf" --db "$db" init >/dev/null
"$lf" --db "$db" model add models/default.yaml >/dev/null
"$lf" --db "$db" model activate 1 >/dev/null
for i in $(seq 0 49); do
	"$lf" --db "$db" rep add "rep-$i" --team "team-$((i % 5))" --weekly-hours 168 \
		--max-active 100000 >/dev/null
done
cat >"$out/routing.yaml" <<'YAML'
rules:
  - {name: big, when: 'employees >= 1000', pool: team-0}
  - {name: mid, when: 'employees >= 200', pool: team-1}
  - {name: rest, pool: general}
YAML
"$lf" --db "$db" rep set rep-0 --pools general >/dev/null
for i in $(seq 2 49); do "$lf" --db "$db" rep set "rep-$i" --pools general >/dev/null; done
"$lf" --db "$db" routing set "$out/routing.yaml" >/dev/null
now=$(($(date +%s) * 1000))
sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $leads)
  INSERT INTO leads(external_id, email, employees, created_at, updated_at, stage, fit,
                    engagement, total, model_version, attrs, hand_raiser_at)
  SELECT 'g-' || i, 'g' || i || '@bench.example', (i * 7919) % 5000, $now, $now, 'lead',
         60 + (i * 31) % 100, 0, 60 + (i * 31) % 100, 1, '{}',
         CASE WHEN i % 20 = 0 THEN $now - i ELSE NULL END FROM n;"
cp "$db" "$out/baseline.db"
cp "$db" "$out/pristine.db"

t0=$(date +%s.%N)
LEADFLOW_LEAD_MINUTES=1 "$lf" --db "$db" gate run >"$out/run.txt"
t1=$(date +%s.%N)
# baseline: the same writes, bare, in the sqlite3 shell
t2=$(date +%s.%N)
sqlite3 "$out/baseline.db" "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; BEGIN;
  INSERT INTO transitions(lead_id, from_stage, to_stage, actor, at)
    SELECT id, 'lead', 'mql', 'gate', $now FROM leads;
  INSERT INTO transitions(lead_id, from_stage, to_stage, actor, at)
    SELECT id, 'mql', 'assigned', 'gate', $now FROM leads;
  UPDATE leads SET stage = 'assigned', owner_rep_id = 1 + id % 50, updated_at = $now;
  COMMIT;" >/dev/null
t3=$(date +%s.%N)
echo "gate + routing, $leads qualified leads, 50 reps, 3 routing rules:"
printf '  leadflow gate run      %6.2f s   %s\n' "$(echo "$t1 - $t0" | bc -l)" "$(cat "$out/run.txt")"
printf '  bare SQLite, same writes %4.2f s   (target <= 1 s)\n' "$(echo "$t3 - $t2" | bc -l)"
