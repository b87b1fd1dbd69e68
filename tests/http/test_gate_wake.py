"""The gate woken by the change that lets a lead through, with the default
configuration: a hand-raiser's release is committed with the event itself,
so the POST's answer already finds the lead assigned (no clock to wait
for), and the assignment's webhook follows. An event that qualifies nobody
releases nobody."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lfserver import Server, check, demo_db, done, run, token

d, db = demo_db(leads=60)
A = token(db, "admin", "root")
run(db, "rep", "add", "wake-rep", "--weekly-hours", "168", "--max-active", "100000")

received = []
got = threading.Condition()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        with got:
            received.append(body)
            got.notify_all()

    def log_message(self, *a):
        pass


recv = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=recv.serve_forever, daemon=True).start()
srv = Server(db).start()   # no LEADFLOW_GATE_INTERVAL_MS: the default clock (1 s)
st, _, _ = srv.call("POST", "/v1/webhooks", A, {
    "url": f"http://127.0.0.1:{recv.server_address[1]}/", "secret": "wake-up-secret-0123456789",
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
    with got:
        ok = got.wait_for(lambda: any(r["data"]["lead"].get("email") == email
                                      for r in received), timeout=10)
    check(ok, f"hand-raiser {i}'s assignment reached the receiver")

st, b, _ = srv.call("POST", "/v1/events", A, {"id": "wake-quiet", "email": "quiet@hands.example",
                                              "type": "page_view"})
found = lead_of("quiet@hands.example")
check(st == 201 and found and found[0]["stage"] == "lead",
      "a page view qualifies nobody: the lead stays in nurture")
check(srv.stop() == 0, "the server stops cleanly")
recv.shutdown()
done()
