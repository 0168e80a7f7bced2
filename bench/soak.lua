-- The soak's workload for wrk: bench/mix.lua's reads, with one request in ten a PUT of a new call, paced
-- by delay() so the whole runs at a set rate. Environment: as mix.lua (BENCH_KEY must also write calls),
-- BENCH_MIX (the path of mix.lua), BENCH_DELAY_MS (the pause each connection takes between requests).
dofile(os.getenv("BENCH_MIX"))

local read = request
local pause = tonumber(os.getenv("BENCH_DELAY_MS"))
local written = 0
-- wrk.format's headers replace wrk.headers, so the PUT carries the key itself.
local put_headers = { ["Authorization"] = wrk.headers["Authorization"], ["Content-Type"] = "application/json" }
local body = '{"agent_id":"assistant_12345","agent_name":"Soak","status":"completed","type":"inbound",' ..
  '"phone_number":"+15551234567","started_at":"2025-07-01T12:00:00Z","ended_at":"2025-07-01T12:03:00Z",' ..
  '"duration_seconds":180,"summary":"Soak write.","metadata":{"soak":true}}'

function request()
  if math.random(10) == 1 then
    written = written + 1
    local id = string.format("soak_%d_%d_%d", os.time(), math.random(1000000000), written)
    return wrk.format("PUT", "/api/v1/calls/" .. id, put_headers, body)
  end
  return read()
end

function delay()
  return pause
end

-- One line for soak.sh: requests/s is computed there; here the errors and the tail.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("soak %d %d %.2f %d\n", summary.requests, summary.duration,
    latency:percentile(99) / 1000, e.status + e.connect + e.read + e.write + e.timeout))
end
