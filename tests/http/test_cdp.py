"""The Segment / RudderStack tracking API (POST /v1/track, /page, /screen,
/identify, /group, /alias, /batch), with payloads written from the published
specification: the write key as HTTP Basic user, messageId as the
idempotency key, timestamp corrected for the sender's clock by sentAt, an
anonymous visitor's calls held until identify or alias names them, group
setting the company, the specification's size limits and errors."""
import base64
import json
import time

from lfserver import Server, check, demo_db, done, sql, token

d, db = demo_db(leads=50)
A = token(db, "marketing", "segment-source")
R = token(db, "readonly", "viewer")
ADMIN = token(db, "admin", "root")
srv = Server(db).start()


def basic(tok):
    return {"Authorization": "Basic " + base64.b64encode((tok + ":").encode()).decode()}


def cdp(path, body, tok=A, raw=None):
    if raw is not None:
        return srv.call("POST", path, None, raw, "application/json", headers=basic(tok))[:2]
    return srv.call("POST", path, None, body, headers=basic(tok))[:2]


def lead_of(ext):
    return sql(db, f"SELECT id, email, name, company, title, country, source, campaign, attrs,"
                   f" industry, employees FROM leads WHERE external_id = '{ext}'").split("|")


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".000Z"


CONTEXT = {"library": {"name": "analytics.js", "version": "2.11.1"}, "ip": "203.0.113.7",
           "campaign": {"name": "spring_launch", "source": "linkedin", "medium": "paid_social"}}

# --- identify: the lead, its fields from traits, its source from the campaign
identify = {
    "type": "identify", "messageId": "022bb90c-bbac-11e4-8dfc-aa07a5b093db",
    "userId": "97980cfea0067", "anonymousId": "507f191e810c19729de860ea",
    "timestamp": "2026-12-01T10:00:00.000Z", "context": CONTEXT,
    "traits": {"email": "Peter.Gibbons@Initech.example", "name": "Peter Gibbons",
               "title": "Engineer", "company": {"name": "Initech", "industry": "Software",
                                               "employee_count": 240},
               "address": {"country": "US", "city": "Austin"}, "plan": "premium",
               "logins": 5},
}
st, b = cdp("/v1/identify", identify)
row = lead_of("97980cfea0067")
check(st == 200 and b["success"] is True and b["status"] == "taken" and
      b["lead_id"] == int(row[0]), f"identify with a write key as Basic user: 200, taken ({st} {b})")
attrs = json.loads(row[8])
check(row[1:8] == ["peter.gibbons@initech.example", "Peter Gibbons", "Initech", "Engineer", "US",
                   "linkedin", "spring_launch"] and row[9] == "Software" and
      float(row[10]) == 240 and attrs.get("plan") == "premium" and attrs.get("logins") == 5,
      f"traits are the lead's fields and attributes; context.campaign its source ({row})")
lead = int(row[0])
st, b = cdp("/v1/identify", identify)
check(st == 200 and b["status"] == "unchanged", f"the same identify again: unchanged ({b})")
st, b, _ = srv.call("POST", "/v1/identify", A, dict(identify, traits={"title": "Lead Engineer"},
                                                       messageId="m-bearer"))
check(st == 200 and lead_of("97980cfea0067")[4] == "Lead Engineer",
      "a bearer token works too; a later identify changes a field")
check(sql(db, "SELECT lead_id FROM cdp_identities WHERE anonymous_id = '507f191e810c19729de860ea'")
      == str(lead), "the identify's anonymousId is linked to the lead")

# --- track: an event; messageId the idempotency key; the clock corrected
received = time.time()
track = {"type": "track", "messageId": "ajs-next-1", "userId": "97980cfea0067",
         "event": "demo_request", "properties": {"plan": "enterprise", "seats": 40},
         "timestamp": "2026-12-01T10:00:00.000Z", "sentAt": "2026-12-01T10:00:05.000Z",
         "context": CONTEXT}
st, b = cdp("/v1/track", track)
at = int(sql(db, "SELECT occurred_at FROM events WHERE id = 'ajs-next-1'") or 0) / 1000
props = json.loads(sql(db, "SELECT properties FROM events WHERE id = 'ajs-next-1'") or "{}")
check(st == 200 and b["status"] == "taken" and abs(at - (received - 5)) < 3 and
      props == {"plan": "enterprise", "seats": 40, "utm_source": "linkedin",
                "utm_campaign": "spring_launch"},
      f"track: an event when it happened by our clock, received - (sentAt - timestamp)"
      f" ({at - received:+.1f} s)")
check(sql(db, f"SELECT source, campaign FROM lead_touches WHERE lead_id = {lead}") ==
      "linkedin|spring_launch", "its context.campaign makes the event a touch (last-touch attribution)")
st, b = cdp("/v1/track", track)
check(st == 200 and b["status"] == "unchanged" and
      sql(db, "SELECT count(*) FROM events WHERE id = 'ajs-next-1'") == "1",
      "the same messageId again: unchanged, stored once")
eng = float(sql(db, f"SELECT engagement FROM leads WHERE id = {lead}"))
check(eng > 0, f"the event is scored: the lead's engagement {eng}")
st, b = cdp("/v1/track", dict(track, messageId="ajs-no-sent", sentAt=None,
                              timestamp="2026-11-30T08:00:00+01:00"))
check(sql(db, "SELECT occurred_at FROM events WHERE id = 'ajs-no-sent'") == "1796022000000",
      "without sentAt the timestamp is taken as sent (with its zone)")
st, b = cdp("/v1/track", {"userId": "97980cfea0067", "event": "Pricing Viewed"})
got = sql(db, f"SELECT type, occurred_at FROM events WHERE lead_id = {lead}"
              " AND type = 'Pricing Viewed'").split("|")
check(st == 200 and b["status"] == "taken" and abs(int(got[1]) / 1000 - time.time()) < 60,
      f"no messageId nor timestamp: an id from the content, the time received ({got})")
st, b = cdp("/v1/track", {"userId": "97980cfea0067", "event": "Pricing Viewed"})
check(b["status"] == "unchanged", "and the same content again is the same call")

# --- an anonymous visitor: held, then joined on identify
anon = "a1b2c3-anon"
page = {"type": "page", "messageId": "p-1", "anonymousId": anon, "name": "Pricing",
        "properties": {"path": "/pricing", "url": "https://initrode.example/pricing",
                       "referrer": "https://www.google.com/"},
        "timestamp": iso(received - 3600), "sentAt": iso(received)}
st, b = cdp("/v1/page", page)
check(st == 200 and b["status"] == "held" and b["lead_id"] is None,
      f"a page of an anonymous id nobody identified: held ({b})")
st, b = cdp("/v1/track", {"messageId": "t-anon", "anonymousId": anon, "event": "download",
                          "properties": {"asset": "whitepaper"}})
st2, b2 = cdp("/v1/page", page)
check(b["status"] == "held" and b2["status"] == "unchanged" and
      sql(db, f"SELECT count(*) FROM cdp_pending WHERE anonymous_id = '{anon}'") == "2" and
      sql(db, "SELECT count(*) FROM events WHERE id IN ('p-1', 't-anon')") == "0",
      "a track too; the page retried is held once; no event yet")
st, b = cdp("/v1/identify", {"messageId": "id-2", "anonymousId": anon, "userId": "u-initrode",
                             "traits": {"email": "bill@initrode.example", "firstName": "Bill",
                                        "lastName": "Lumbergh"},
                             "context": {"campaign": {"source": "google", "name": "brand"}}})
l2 = lead_of("u-initrode")
evs = sql(db, f"SELECT id, type, occurred_at, properties FROM events WHERE lead_id = {l2[0]}"
              " ORDER BY occurred_at").splitlines()
check(st == 200 and len(evs) == 2 and evs[0].split("|")[:2] == ["p-1", "page_view"] and
      abs(int(evs[0].split("|")[2]) / 1000 - (received - 3600)) < 5 and
      json.loads(evs[0].split("|")[3])["name"] == "Pricing" and
      evs[1].split("|")[:2] == ["t-anon", "download"] and
      sql(db, f"SELECT count(*) FROM cdp_pending WHERE anonymous_id = '{anon}'") == "0",
      f"identify joins the anonymous history: a page_view (its own time and name), the track"
      f" ({evs})")
check(l2[2] == "Bill Lumbergh" and l2[6:8] == ["google", "brand"],
      f"firstName and lastName make the name ({l2[2:8]})")
st, b = cdp("/v1/track", {"messageId": "t-after", "anonymousId": anon, "event": "webinar"})
check(b["status"] == "taken" and b["lead_id"] == int(l2[0]),
      "once linked, the anonymous id's calls go to the lead at once")

# --- alias: another id of the same person
st, b = cdp("/v1/screen", {"messageId": "s-1", "anonymousId": "device-9", "name": "Home"})
st2, b2 = cdp("/v1/alias", {"messageId": "al-1", "previousId": "device-9",
                            "userId": "u-initrode"})
check(b["status"] == "held" and st2 == 200 and
      sql(db, "SELECT lead_id, type FROM events WHERE id = 's-1'") == f"{l2[0]}|screen_view",
      "alias: the previous id's held screen joins userId's lead")
st, b = cdp("/v1/alias", {"messageId": "al-2", "userId": "u-initrode"})
check(st == 400 and b["error"]["field"] == "previousId", "an alias without previousId: 400")

# --- group: the company
st, b = cdp("/v1/group", {"messageId": "g-1", "userId": "u-initrode", "groupId": "0e8c78ea",
                          "traits": {"name": "Initrode", "industry": "Printing",
                                     "employees": 329, "plan": "enterprise"}})
l2 = lead_of("u-initrode")
check(st == 200 and l2[3] == "Initrode" and l2[9] == "Printing" and float(l2[10]) == 329 and
      json.loads(l2[8]).get("group_id") == "0e8c78ea",
      f"group sets the company, industry, employees and the group id ({l2[3]}, {l2[9]})")
st, b = cdp("/v1/group", {"messageId": "g-2", "userId": "u-initrode"})
check(st == 400 and b["error"]["field"] == "groupId", "a group without groupId: 400")

# --- batch: calls of every type, the batch's sentAt and context
now = time.time()
big = {"type": "track", "userId": "u-big", "event": "x", "properties": {"blob": "x" * 33000}}
batch = {"sentAt": iso(now + 600), "context": {"campaign": {"source": "newsletter",
                                                            "name": "dec"}},
         "batch": [
             {"type": "identify", "messageId": "b-1", "userId": "u-batch",
              "traits": {"email": "milton@initech.example"}, "timestamp": iso(now + 600)},
             {"type": "track", "messageId": "b-2", "userId": "u-batch", "event": "form_submit",
              "timestamp": iso(now + 590)},
             {"type": "track", "messageId": "b-3", "userId": "u-batch"},
             big,
             {"type": "bogus", "messageId": "b-5", "userId": "u-batch"},
             {"type": "page", "messageId": "b-6", "anonymousId": "anon-batch"},
             {"type": "track", "messageId": "b-7", "userId": "u-batch", "event": "email_click",
              "timestamp": "yesterday"},
         ]}
st, b = cdp("/v1/batch", batch)
errs = {e["index"]: e["field"] for e in b.get("errors", [])}
check(st == 200 and (b["taken"], b["held"], b["rejected"]) == (2, 1, 4) and
      errs == {2: "event", 3: "batch", 4: "type", 6: "timestamp"},
      f"a batch: each call taken, held or refused with its index and member ({b})")
lb = lead_of("u-batch")
t2 = int(sql(db, "SELECT occurred_at FROM events WHERE id = 'b-2'")) / 1000
check(lb[6:8] == ["newsletter", "dec"] and abs(t2 - (now - 10)) < 5,
      f"the batch's context and sentAt apply to its calls ({lb[6:8]}, {t2 - now:+.0f} s)")
st, b = cdp("/v1/batch", batch)
check(st == 200 and b["taken"] == 0 and b["unchanged"] == 3,
      f"the batch retried changes nothing ({b})")

# --- what the specification refuses, and who may call
st, b = cdp("/v1/track", {"event": "x", "messageId": "no-ids"})
check(st == 400 and b["error"]["field"] == "userId", "no userId nor anonymousId: 400")
st, b = cdp("/v1/track", {"userId": "u-batch", "messageId": "no-event"})
check(st == 400 and b["error"]["field"] == "event", "a track without event: 400 naming it")
st, b = cdp("/v1/track", big)
check(st == 400 and b["error"]["code"] == "too_large", f"a call over 32 KB: 400 ({st})")
st, b = cdp("/v1/batch", {"batch": [dict(track, messageId=f"m{i}", properties={"p": "y" * 30000})
                                    for i in range(20)]})
check(st == 400 and b["error"]["code"] == "too_large", f"a batch over 500 KB: 400 ({st})")
st, b = cdp("/v1/track", None, raw='{"userId": ')
check(st == 400, "bad JSON: 400")
st, b = cdp("/v1/batch", {"batch": []})
check(st == 400 and b["error"]["field"] == "batch", "an empty batch: 400")
st, b = cdp("/v1/track", track, tok="lf_1_" + "0" * 64)
check(st == 401, f"an unknown write key: 401 ({st})")
st, b, _ = srv.call("POST", "/v1/track", None, track,
                    headers={"Authorization": "Basic " + base64.b64encode(b":x").decode()})
check(st == 401 and b["error"]["field"] == "Authorization", "Basic without a user name: 401")
st, b = cdp("/v1/track", track, tok=R)
check(st == 403, f"a readonly token may not send events: 403 ({st})")
st, b = cdp("/v1/identify", {"messageId": "conf", "userId": "someone-else",
                             "traits": {"email": "milton@initech.example"}})
check(st == 409 and b["error"]["field"] == "external_id",
      f"an identify whose email is another person's lead: 409 ({st} {b})")

# --- RudderStack's shape (extra members) is taken as is
st, b = cdp("/v1/track", {"type": "track", "messageId": "rs-1", "rudderId": "r-1",
                          "channel": "web", "userId": "u-batch", "event": "webinar",
                          "originalTimestamp": iso(now - 60), "sentAt": iso(now - 60),
                          "integrations": {"All": True}, "context": {"traits": {}}})
check(st == 200 and b["status"] == "taken", f"a RudderStack track with its own members ({b})")

# --- erasing a lead erases its anonymous ids
st, b, _ = srv.call("DELETE", f"/v1/leads/{l2[0]}", ADMIN)
check(st == 200 and sql(db, f"SELECT count(*) FROM cdp_identities WHERE lead_id = {l2[0]}") == "0",
      "erasing the lead erases the anonymous ids linked to it")

check(srv.stop() == 0, "the server stops cleanly")
done()
