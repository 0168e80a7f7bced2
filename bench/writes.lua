-- A write workload for wrk, as a voice runtime makes it: half the requests PUT a new call in progress,
-- half PATCH one this thread created a while before to completed, with a summary. Environment: BENCH_KEY
-- (a key that writes calls). Every response should be 2xx; done() prints the non-2xx count.
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY"), ["Content-Type"] = "application/json" }
local patch_headers = { ["Authorization"] = headers["Authorization"], ["Content-Type"] = "application/merge-patch+json" }
local created, patched, prefix = 0, 0, nil
local lag = 256

local put_body = '{"agent_id":"assistant_12345","status":"in-progress","type":"outbound",' ..
  '"phone_number":"+15551234567","started_at":"2025-07-01T12:00:00Z","metadata":{"bench":true}}'
local patch_body = '{"status":"completed","ended_at":"2025-07-01T12:03:00Z","summary":"Bench write."}'

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function request()
  prefix = prefix or string.format("w_%d_%d", os.time(), thread_number)
  if created - patched > lag and created % 2 == 0 then
    patched = patched + 1
    return wrk.format("PATCH", string.format("/api/v1/calls/%s_%d", prefix, patched), patch_headers, patch_body)
  end
  created = created + 1
  return wrk.format("PUT", string.format("/api/v1/calls/%s_%d", prefix, created), headers, put_body)
end

function done(summary, latency, requests)
  io.write(string.format("non2xx %d\n", summary.errors.status))
end
