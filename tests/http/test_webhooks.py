"""Webhooks with a local receiver: the signature verifies, a receiver that
fails twice gets the delivery on the third attempt, and a server restarted
between attempts still delivers (the outbox is in the database)."""
import hashlib
import hmac
import json
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from lfserver import SRC, Server, check, demo_db, done, token, wait_for

SECRET = "s3cret-s3cret-s3cret"
received = []          # (headers, body, answered status)
fail_first = {}        # delivery id -> how many attempts to refuse
down = threading.Event()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        did = self.headers.get("X-Leadflow-Delivery")
        status = 200
        if down.is_set():
            status = 503
        elif fail_first.get(did, 0) > 0:
            fail_first[did] -= 1
            status = 500
        received.append((dict(self.headers), body, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


recv = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=recv.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{recv.server_address[1]}/hooks"


def verified(headers, body):
    ts = headers["X-Leadflow-Timestamp"]
    want = "sha256=" + hmac.new(SECRET.encode(), ts.encode() + b"." + body,
                                hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, headers["X-Leadflow-Signature"]) and \
        abs(time.time() - int(ts)) < 300


d, db = demo_db(leads=100)
A = token(db, "admin", "root")
# the gate off: leads go through the pool by hand (a woken gate would take them)
env = {"LEADFLOW_WEBHOOK_BACKOFF_MS": "300", "LEADFLOW_GATE_INTERVAL_MS": "0"}
srv = Server(db, env).start()
st, hook, _ = srv.call("POST", "/v1/webhooks", A, {"url": url, "secret": SECRET,
                                                   "types": ["lead.mql", "model.activated"]})
check(st == 201, "subscribed the receiver")
st, page, _ = srv.call("GET", "/v1/leads?stage=lead&limit=5", A)
fresh = [l["id"] for l in page["leads"]]

# 1. fails twice, delivered on the third attempt
fail_first["1"] = 2
st, b, _ = srv.call("POST", f"/v1/leads/{fresh[0]}/transitions", A, {"action": "mql"})
check(st == 200, "a lead moved to mql")
check(wait_for(lambda: len([r for r in received if r[0]["X-Leadflow-Delivery"] == "1"]) >= 3),
      "three attempts reached the receiver")
attempts = [r for r in received if r[0]["X-Leadflow-Delivery"] == "1"]
bodies = [json.loads(r[1]) for r in attempts]
check([r[2] for r in attempts[:3]] == [500, 500, 200], "answered 500, 500, then 200")
check([b["attempt"] for b in bodies[:3]] == [1, 2, 3], "the body counts the attempts")
check(all(verified(r[0], r[1]) for r in attempts), "every attempt's signature verifies")
check(bodies[0]["type"] == "lead.mql" and bodies[0]["data"]["lead"]["id"] == fresh[0] and
      bodies[0]["data"]["lead"]["stage"] == "mql" and bodies[0]["data"]["transition"]["to"] == "mql",
      "the body carries the lead and its transition")
tampered = dict(attempts[0][0], **{"X-Leadflow-Timestamp": str(int(time.time()) + 1)})
check(not verified(tampered, attempts[0][1]), "a changed timestamp does not verify")
wait_for(lambda: srv.call("GET", f"/v1/webhooks/{hook['id']}/deliveries", A)[1]
         ["deliveries"][0]["status"] == "delivered", 5)
st, log, _ = srv.call("GET", f"/v1/webhooks/{hook['id']}/deliveries", A)
check(log["deliveries"][0]["status"] == "delivered" and log["deliveries"][0]["attempts"] == 3,
      "the delivery log says delivered after 3 attempts")

# 2. the server is killed between attempts and still delivers after a restart
down.set()
before = len(received)
st, b, _ = srv.call("POST", f"/v1/leads/{fresh[1]}/transitions", A, {"action": "mql"})
check(wait_for(lambda: len(received) > before), "the first attempt failed (receiver down)")
check(wait_for(lambda: srv.call("GET", f"/v1/webhooks/{hook['id']}/deliveries", A)[1]
               ["deliveries"][0]["attempts"] >= 1),
      "the failed attempt is in the log, with a retry pending")
srv.proc.send_signal(signal.SIGKILL)
srv.proc.wait()
down.clear()
n_before = len(received)
srv = Server(db, env).start()
check(wait_for(lambda: any(r[2] == 200 and json.loads(r[1])["data"]["lead"]["id"] == fresh[1]
                           for r in received[n_before:])),
      "after a kill -9 and a restart the delivery arrives")
ok = [json.loads(r[1]) for r in received[n_before:] if r[2] == 200]
check(ok and ok[0]["attempt"] >= 2, f"as attempt {ok[0]['attempt'] if ok else '?'}")

# 3. model.activated
text = open(os.path.join(SRC, "models", "default.yaml")).read()
st, m, _ = srv.call("POST", "/v1/models", A, text, "application/yaml")
v = m["version"]
srv.call("POST", f"/v1/models/{v}/propose", A)
srv.call("POST", f"/v1/models/{v}/approve", token(db, "marketing", "mkt"))
srv.call("POST", f"/v1/models/{v}/approve", token(db, "sales_manager", "sm"))
st, b, _ = srv.call("POST", f"/v1/models/{v}/activate", A)
check(st == 200 and wait_for(lambda: any(json.loads(r[1])["type"] == "model.activated"
                                         for r in received)),
      "activating a model sends model.activated")

# 4. a slow receiver delays only itself: while it holds its request open, a
# second subscription gets its own delivery of the same event
release = threading.Event()
slow_got = threading.Event()


class Slow(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        slow_got.set()
        release.wait(30)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


slow = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
threading.Thread(target=slow.serve_forever, daemon=True).start()
st, slow_hook, _ = srv.call("POST", "/v1/webhooks", A, {
    "url": f"http://127.0.0.1:{slow.server_address[1]}/slow", "secret": SECRET,
    "types": ["lead.assigned"]})
srv.call("POST", f"/v1/leads/{fresh[2]}/transitions", A, {"action": "mql"})
rep = srv.call("GET", "/v1/reps", A)[1]["reps"][0]["id"]
st, b, _ = srv.call("POST", f"/v1/leads/{fresh[2]}/transitions", A,
                    {"action": "assign", "rep_id": rep})
check(st == 200 and wait_for(slow_got.is_set), "the slow receiver has its delivery and holds it")
before = len(received)
st, b, _ = srv.call("POST", f"/v1/leads/{fresh[3]}/transitions", A, {"action": "mql"})
check(wait_for(lambda: any(r[2] == 200 and json.loads(r[1])["data"]["lead"]["id"] == fresh[3]
                           for r in received[before:])) and not release.is_set() and
      srv.call("GET", f"/v1/webhooks/{slow_hook['id']}/deliveries", A)[1]
      ["deliveries"][0]["status"] == "pending",
      "the other subscription got its delivery while the slow one still held its own")
release.set()
check(wait_for(lambda: srv.call("GET", f"/v1/webhooks/{slow_hook['id']}/deliveries", A)[1]
               ["deliveries"][0]["status"] == "delivered"), "and the slow one is delivered too")

# 5. a disqualification carries the model's why: a rule's, or a reason code's
st, _, _ = srv.call("POST", "/v1/webhooks", A, {"url": url, "secret": SECRET,
                                                 "types": ["lead.disqualified"]})
before = len(received)
srv.call("POST", f"/v1/leads/{fresh[4]}/transitions", A, {"action": "disqualify", "reason": "spam"})
srv.call("POST", "/v1/leads", A, {"external_id": "why-1", "email": "why1@uni.example",
                                  "title": "Student of marketing"})


def disqualified():
    return [json.loads(r[1])["data"] for r in received[before:]
            if r[2] == 200 and json.loads(r[1])["type"] == "lead.disqualified"]


check(wait_for(lambda: len(disqualified()) >= 2), "both disqualifications are sent")
whys = {d["transition"]["reason"]: d["transition"].get("why") for d in disqualified()}
check(whys.get("spam") == "Fake or junk data: the form or source needs protection." and
      whys.get("student") == "Studies the field: no budget, not a buyer.",
      f"each payload says why, in the model's words ({whys})")
check(srv.stop() == 0, "the server stops cleanly")
slow.shutdown()
recv.shutdown()
done()
