-- wrk: one new event per request (unique ids per thread), for existing leads
-- (lead ids 1..LEADS), or with BY=email for people named by email, the first
-- event of each adding the lead: the same load on any database, empty or not.
local counter = 0
local threads = 0
local leads = tonumber(os.getenv("LEADS") or "10000")
local token = os.getenv("TOKEN")
local by_email = os.getenv("BY") == "email"
local run = os.getenv("RUN") or "0"

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  math.randomseed(tid * 7919)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

local types = { "page_view", "email_open", "email_click", "webinar_attended", "pricing_page" }

function request()
  counter = counter + 1
  if by_email then
    return wrk.format(nil, "/v1/events", nil, string.format(
      '{"id":"wrk-%s-%d-%d-%d","email":"wrk-%d-%d@example.com","type":"%s"}',
      run, tid, os.time(), counter, tid, counter % 5000, types[counter % #types + 1]))
  end
  local body = string.format(
    '{"id":"wrk-%d-%d-%d","lead_id":%d,"type":"%s","occurred_at":"2026-11-%02dT%02d:%02d:00Z"}',
    tid, os.time(), counter, math.random(1, leads), types[math.random(1, #types)],
    math.random(1, 25), math.random(0, 23), math.random(0, 59))
  return wrk.format(nil, "/v1/events", nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, errors))
end
