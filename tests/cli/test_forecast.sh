# test_forecast.sh - `report forecast`: on Olist's MQLs (../shared/data,
# when present) the back-test holds the last weeks out, and the
# seasonal-naive row equals Python's computation from the CSV's daily
# counts; on the demo world with a model in force, the weeks ahead carry
# capacity, backlog and an implied threshold, and the open pipeline its
# stage win rates; a bad --weeks is refused.
. "$(dirname "$0")/lib.sh"

expect 0 "*" "" -- lf init
csv="$LF_SHARED_DATA/olist_funnel/mqls.csv"
if [ -f "$csv" ]; then
	lf import leads "$csv" --map "$SRC/examples/mappings/olist_mqls.yaml" >/dev/null
	lf report forecast --weeks 4 --format json > olist.json
	lf report forecast --weeks 4 --source paid_search --format json > paid.json
	cat > naive.py <<'PY'
import csv, datetime, json, sys
days = {}
for r in csv.DictReader(open(sys.argv[1])):
    if len(sys.argv) > 3 and r["origin"] != sys.argv[3]:
        continue
    d = datetime.date.fromisoformat(r["first_contact_date"][:10])
    days[d] = days.get(d, 0) + 1
lo, hi = min(days), max(days)
y = [days.get(lo + datetime.timedelta(i), 0) for i in range((hi - lo).days + 1)]
h = 28; train, test = y[:-h], y[-h:]
naive = [train[len(train) - 7 + k % 7] for k in range(h)]
mae = sum(abs(a - f) for a, f in zip(test, naive)) / h
scale = sum(abs(train[t] - train[t - 7]) for t in range(7, len(train))) / (len(train) - 7)
rows = {r["method"]: r for r in json.load(open(sys.argv[2]))["backtest"]}
n, hw = rows["seasonal-naive"], rows["holt-winters"]
ok = (abs(n["mae"] - round(mae, 3)) < 1e-9 and abs(n["mase"] - round(mae / scale, 3)) < 1e-9
      and n["trained_days"] == len(train) and hw["tested_days"] == h and hw["mase"] > 0
      and 0 <= hw["alpha"] <= 1 and 0 <= hw["gamma"] <= 1)
print("ok" if ok else "differs", "naive", n["mae"], n["mase"], "python", round(mae, 3),
      round(mae / scale, 3), "holt-winters", hw["mae"], hw["mase"])
PY
	python3 naive.py "$csv" olist.json > olist.txt
	check "Olist back-test: seasonal naive as Python computes it ($(cat olist.txt))" grep -q "^ok" olist.txt
	python3 naive.py "$csv" paid.json paid_search > paid.txt
	check "the same for one source, --source paid_search ($(cat paid.txt))" grep -q "^ok" paid.txt
	check "four weeks forecast" python3 -c '
import json, sys; w = json.load(open("olist.json"))["weeks"]
sys.exit(not (len(w) == 4 and all(r["low"] <= r["qualified"] <= r["high"] for r in w)))'
	db_reset
	lf init >/dev/null
fi
lf demo --leads 3000 --seed 2 >/dev/null
lf model add "$SRC/models/default.yaml" >/dev/null
lf model activate 1 >/dev/null
lf report forecast --weeks 3 --format json > demo.json
check "weeks ahead with capacity, backlog and threshold; a pipeline with win rates" python3 -c '
import json, sys; f = json.load(open("demo.json"))
w, p = f["weeks"], f["pipeline"]
ok = len(w) == 3 and all(r["capacity"] > 0 and r["backlog"] >= 0 and r["threshold"] is not None for r in w)
ok = ok and all((r["slack"] > 0) != (r["backlog"] > 0) or r["slack"] == r["backlog"] == 0 for r in w)
ok = ok and len(p) > 0 and all(0 <= r["win_rate"] <= 1 and r["open"] > 0 for r in p)
sys.exit(not ok)'
expect 0 "*" "" -- lf report forecast
expect 2 "" "leadflow: --weeks: expected a whole number from 1 to 52, got '0'" -- lf report forecast --weeks 0
finish
