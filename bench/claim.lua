-- Runtimes taking calls from the dial queue: every request claims up to 10 due calls for 10 minutes.
-- Environment: BENCH_KEY (a key with can_dial). done() prints the non-2xx count; calls per second are
-- requests per second times the calls each claim returned (10 while the queue lasts).
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY"), ["Content-Type"] = "application/json" }
local body = '{"limit":10,"lease_seconds":600}'

function request()
  return wrk.format("POST", "/api/v1/dial-queue/claim", headers, body)
end

function done(summary, latency, requests)
  io.write(string.format("non2xx %d\n", summary.errors.status))
end
