"""The gate woken by the change that lets a lead through, with the default
configuration: a hand-raiser's release is committed with the event itself,
so the POST's answer already finds the lead assigned (no clock to wait
for), and the assignment's webhook follows. An event that qualifies nobody
releases nobody."""
from lfserver import Receiver, Server, check, demo_db, done, run, token, wait_for

d, db = demo_db(leads=60)
A = token(db, "admin", "root")
run(db, "rep", "add", "wake-rep", "--weekly-hours", "168", "--max-active", "100000")

recv = Receiver()
srv = Server(db).start()   # no LEADFLOW_GATE_INTERVAL_MS: the default clock (1 s)
st, _, _ = srv.call("POST", "/v1/webhooks", A, {
    "url": recv.url, "secret": "wake-up-secret-0123456789",
    "types": ["lead.assigned"]})
check(st == 201, f"subscribed to lead.assigned ({st})")


def lead_of(email):
    st, page, _ = srv.call("GET", f"/v1/leads?email={email}&limit=5", A)
    return [l for l in page.get("leads", []) if l.get("email") == email]


for i in range(5):
    email = f"wake{i}@hands.example"
    st, b, _ = srv.call("POST", "/v1/events", A, {"id": f"wake-{i}", "email": email,
                                                  "type": "demo_request"})
    check(st == 201, f"hand-raiser {i} stored")
    found = lead_of(email)
    check(len(found) == 1 and found[0]["stage"] == "assigned" and found[0].get("owner_rep_id"),
          f"hand-raiser {i} is assigned when its POST is answered ({found and found[0]['stage']})")
    check(wait_for(lambda: recv.for_email(email), 10),
          f"hand-raiser {i}'s assignment reached the receiver")

st, b, _ = srv.call("POST", "/v1/events", A, {"id": "wake-quiet", "email": "quiet@hands.example",
                                              "type": "page_view"})
found = lead_of("quiet@hands.example")
check(st == 201 and found and found[0]["stage"] == "lead",
      "a page view qualifies nobody: the lead stays in nurture")
check(srv.stop() == 0, "the server stops cleanly")
recv.stop()
done()
