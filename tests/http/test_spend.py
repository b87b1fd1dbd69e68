"""Marketing's spend over HTTP: POST /v1/spend (a row or an array, each day,
channel and campaign the sum of its rows, replacing what was stored), GET
/v1/spend, and the channels report through /v1/reports/channels."""
from lfserver import Server, check, demo_db, done, sql, token

d, db = demo_db(leads=300)
M = token(db, "marketing", "ads-sync")
R = token(db, "readonly", "viewer")
srv = Server(db).start()
before = sql(db, "SELECT count(*) FROM spend")

rows = [{"day": "2026-12-01", "channel": "paid_search", "campaign": "brand-search", "amount": 100},
        {"day": "2026-12-01", "channel": "paid_search", "campaign": "brand-search", "amount": 25.5},
        {"day": "2026-12-01", "channel": "paid_social", "amount": 40}]
st, b, _ = srv.call("POST", "/v1/spend", M, rows)
check(st == 200 and (b["inserted"], b["updated"], b["unchanged"]) == (2, 0, 0),
      f"POST /v1/spend: two keys, the rows of one added up ({st} {b})")
st, b, _ = srv.call("POST", "/v1/spend", M, rows)
check(st == 200 and b["unchanged"] == 2 and b["inserted"] == 0,
      f"the same rows again change nothing ({b})")
st, b, _ = srv.call("POST", "/v1/spend", M, {"day": "2026-12-01", "channel": "paid_social",
                                             "amount": 45})
check(st == 200 and b["updated"] == 1, "a day sent again with another amount replaces it")
st, b, _ = srv.call("GET", "/v1/spend?from=2026-12-01&to=2026-12-02", R)
got = {(x["channel"], x["campaign"]): x["amount"] for x in b["spend"]}
check(st == 200 and got == {("paid_search", "brand-search"): 125.5, ("paid_social", ""): 45},
      f"GET /v1/spend: the period's sums by channel and campaign ({got})")

for body, field in (([{"day": "2026-12-01", "channel": "x", "amount": -1}], "0.amount"),
                    ([rows[0], {"day": "2026-12-01", "amount": 3}], "1.channel"),
                    ([{"day": "soon", "channel": "x", "amount": 1}], "0.day"),
                    ([{"day": "2026-12-01", "channel": "x", "amount": 1, "cpc": 2}], "0.cpc")):
    st, b, _ = srv.call("POST", "/v1/spend", M, body)
    check(st == 400 and b["error"]["field"] == field,
          f"a bad row is a 400 naming its index and member: {field} ({st} {b})")
st, b, _ = srv.call("POST", "/v1/spend", M, [])
check(st == 400, "an empty array: 400")
check(sql(db, "SELECT count(*) FROM spend") == str(int(before) + 2),
      "a refused request keeps nothing of its rows")
st, b, _ = srv.call("POST", "/v1/spend", R, rows)
check(st == 403, "a readonly token may not write spend")

st, b, _ = srv.call("GET", "/v1/reports/channels?from=2026-12-01&to=2026-12-02", R)
row = next((r for r in b["rows"] if r["channel"] == "paid_search" and
            r["campaign"] == "brand-search"), None)
check(st == 200 and row and float(row["spend"]) == 125.5 and int(row["leads"]) == 0,
      f"GET /v1/reports/channels: the period's spend beside its leads ({row})")
st, b, _ = srv.call("GET", "/v1/reports/channels", R)
tot = next(r for r in b["rows"] if r["channel"] == "all")
check(st == 200 and int(tot["leads"]) == 300 and float(tot["spend"]) > 0,
      f"over all time: every lead and all the spend ({tot['leads']}, {tot['spend']})")
st, b, _ = srv.call("GET", "/v1/spend/what-if?from=2026-05-05&to=2026-11-01"
                    "&move=paid_social:paid_search:50", R)
rows = {r["channel"]: r for r in b.get("rows", [])}
check(st == 200 and abs(rows["paid_search"]["spend_scenario"] - rows["paid_search"]["spend"] - 50)
      < 0.02 and b["capacity"] > 0 and "beyond capacity" in rows,
      f"GET /v1/spend/what-if: the move, each channel now and in the scenario, the capacity")
st, b, _ = srv.call("GET", "/v1/spend/what-if?move=paid_social:nowhere:5", R)
check(st == 400 and b["error"]["field"] == "move", f"a move to a channel without spend: 400 ({st})")
check(srv.stop() == 0, "the server stops cleanly")
done()
