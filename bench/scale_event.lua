-- wrk: one event per request for a person named by email (the first event
-- of an email adds the lead), the same on any database, empty or 1M leads.
local counter = 0
local threads = 0
local token = os.getenv("TOKEN")
local run = os.getenv("RUN") or "0"

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

local types = { "page_view", "email_open", "email_click", "pricing_page" }

function request()
  counter = counter + 1
  local body = string.format(
    '{"id":"scale-%s-%d-%d","email":"scale-%d-%d@example.com","type":"%s"}',
    run, tid, counter, tid, counter % 5000, types[counter % #types + 1])
  return wrk.format(nil, "/v1/events", nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, errors))
end
