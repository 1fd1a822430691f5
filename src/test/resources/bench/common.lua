-- Shared by the wrk scripts: numbers the threads, takes the run prefix (wrk ... -- <prefix>), and prints one
-- machine-readable line the benchmark parses. A script defines request() with prefix, thread_number, counter.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  prefix = args[1]
  counter = 0
end

-- The bearer token every write carries (auth is on, as it ships); the benchmark sets it.
token = os.getenv("WRK_BEARER_TOKEN")

-- Request headers, with the bearer token when one was given.
function headers_for(content_type)
  local h = { ["Content-Type"] = content_type }
  if token then
    h["Authorization"] = "Bearer " .. token
  end
  return h
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
