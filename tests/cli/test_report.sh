# test_report.sh - `leadflow report funnel` on the demo world: every lead
# counted once, reach never grows down the funnel, the sources' quality
# built into the demo's hidden truth shows, and the filters apply.
. "$(dirname "$0")/lib.sh"

expect 0 "*" "" -- lf init
expect 0 "*" "" -- lf demo --leads 4000 --seed 2
lf report funnel --format csv > funnel.csv
check "a row per source and the two sides" sh -c "grep -q '^marketing-sourced,' funnel.csv && grep -q '^sales-sourced,' funnel.csv && grep -q '^referral,' funnel.csv"
check "every lead counted once" test "$(grep -E '^(marketing|sales)-sourced,' funnel.csv | cut -d, -f2 | paste -sd+ | bc)" = 4000
check "reach never grows down the funnel" awk -F, 'NR > 1 { for (i = 3; i <= 8; i++) if ($i > $(i-1)) exit 1 }' funnel.csv
rate() { grep "^$1," funnel.csv | cut -d, -f14; }
check "referral converts better than content syndication ($(rate referral) vs $(rate content_syndication))" \
	python3 -c "import sys; sys.exit(0 if $(rate referral) > $(rate content_syndication) else 1)"
check "sales-sourced leads all start at sql" sh -c "grep '^sales-sourced,' funnel.csv | awk -F, '{ exit !(\$2 == \$6) }'"

lf report funnel --source webinar --format csv > webinar.csv
check "--source keeps one source" test "$(tail -n +2 webinar.csv | cut -d, -f1 | tr '\n' ' ')" = "webinar marketing-sourced sales-sourced "
check "--from after every lead leaves none" sh -c "'$LEADFLOW' report funnel --from 2030-01-01 --format csv | grep -q '^marketing-sourced,0,0,0,0,0,0,0,0,0,,,,'"
team=$(sqlite3 "$LEADFLOW_DB" 'SELECT team FROM reps LIMIT 1')
check "--team keeps the leads that team's reps own" sh -c "'$LEADFLOW' report funnel --team $team --format json | grep -q '\"source\": \"sales-sourced\"'"
expect 2 "" "leadflow: unknown report 'pipeline': expected funnel" -- lf report pipeline
expect 2 "" "leadflow: --from: bad date 'yesterday': expected ISO 8601 like 2026-03-01 or 2026-03-01T09:30:00Z" -- \
	lf report funnel --from yesterday
finish
