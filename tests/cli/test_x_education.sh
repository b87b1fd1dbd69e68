# test_x_education.sh - the real X Education export (../shared/data) through
# the shipped mapping: every row taken, a re-run changes nothing, and the
# outcome column becomes the won/lost stage. Skipped (77) without the data.
. "$(dirname "$0")/lib.sh"
csv="$LF_SHARED_DATA/x_education/leads.csv"
[ -f "$csv" ] || { echo "skipped: no $csv"; exit 77; }
map="$SRC/examples/mappings/x_education.yaml"

expect 0 "*" "" -- lf init
expect 0 '{"inserted":9240,"updated":0,"unchanged":0,"rejected":0}' "" -- \
	lf import leads "$csv" --map "$map" --format json
expect 0 '{"inserted":0,"updated":0,"unchanged":9240,"rejected":0}' "" -- \
	lf import leads "$csv" --map "$map" --format json

lf lead list --format json > all.json
check "lead list returns every lead" test "$(grep -c '"external_id"' all.json)" = 9240
check "attributes come with the leads" grep -q '"total_visits":5,' all.json
# 3561 rows have Converted = 1 and 5679 have 0 (counted with Python's csv module)
check "won from Converted = 1" test "$(lf lead list --stage won --format csv | tail -n +2 | wc -l)" = 3561
check "lost from Converted = 0" test "$(lf lead list --stage lost --format csv | tail -n +2 | wc -l)" = 5679
lf lead show 7927b2df-8bba-4d29-b9a2-b6e0beafe620 --format json > one.json
check "Select is missing, not a value" sh -c '! grep -q "\"specialization\"" one.json'
check "Yes/No become booleans" grep -q '"do_not_email": false' one.json
check "renamed attribute" grep -q '"time_on_site_seconds": 0' one.json
# the hand-written intake model ranks converted leads above the others
expect 0 "*" "" -- lf model add "$SRC/examples/models/x_education.yaml"
expect 0 "*" "" -- lf model activate 1
auc=$(lf lead list --limit 0 --format csv | python3 -c '
import bisect, csv, sys
rows = [r for r in csv.DictReader(sys.stdin) if r["stage"] in ("won", "lost")]
pos = [float(r["total"]) for r in rows if r["stage"] == "won"]
neg = sorted(float(r["total"]) for r in rows if r["stage"] == "lost")
s = sum(bisect.bisect_left(neg, p) + (bisect.bisect_right(neg, p) - bisect.bisect_left(neg, p)) / 2 for p in pos)
print("%.3f" % (s / len(pos) / len(neg)))')
echo "AUC of the x_education model's total against Converted: $auc"
check "the shipped x_education model separates converted leads (AUC $auc)" \
	python3 -c "import sys; sys.exit(0 if $auc >= 0.80 else 1)"
check "the clicks-vs-feeling report gives the same AUC for the total" \
	sh -c "'$LEADFLOW' report clicks-vs-feeling --outcome won --format csv | grep -q '^total,9240,3561,$auc,'"
# sales' Lead Quality as the rep's rating, beside marketing's score
export LEADFLOW_DB="$work/rated.db"
expect 0 "*" "" -- lf init
expect 0 '{"inserted":9240,"updated":0,"unchanged":0,"rejected":0}' "" -- \
	lf import leads "$csv" --map "$SRC/examples/mappings/x_education_rated.yaml" --format json
expect 0 "*" "" -- lf model add "$SRC/examples/models/x_education.yaml"
expect 0 "*" "" -- lf model activate 1
lf report clicks-vs-feeling --outcome won --format csv > cvf.csv
echo "clicks vs feeling on X Education:"; cat cvf.csv
score_auc=$(grep '^total,' cvf.csv | cut -d, -f4)
rating_auc=$(grep '^rep_rating,' cvf.csv | cut -d, -f4)
check "AUC of the score ($score_auc) and of the rating ($rating_auc) are both reported" \
	python3 -c "import sys; sys.exit(0 if 0.5 < $score_auc < 1 and 0.5 < $rating_auc < 1 else 1)"
check "the rating covers the leads with a Lead Quality" \
	test "$(grep '^rep_rating,' cvf.csv | cut -d, -f2)" -gt 3000
finish
