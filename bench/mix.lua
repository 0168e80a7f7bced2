-- The mixed workload for wrk: the same requests, in the same proportions, against CallLog and against
-- the framework ceiling (bench/Ceiling). Environment: BENCH_KEY, BENCH_DEEP_PAGE (a page number at
-- offset >= 100k, or the last page of a smaller data set); BENCH_QUERY, when set, replaces the mix by
-- that one query string, in which "{random:A-B}" becomes a random number from A to B at each request.
-- done() prints the 99.9th percentile, which wrk's --latency does not.
--
--   wrk -t2 -c32 -d30s --latency -s bench/mix.lua http://127.0.0.1:PORT
local deep_page = tonumber(os.getenv("BENCH_DEEP_PAGE"))
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")

local statuses = { "completed", "failed", "in-progress" }
local types = { "inbound", "outbound" }
local cursor, walked = nil, 0

-- Each shape with its weight (out of 22); bench/Floor/Mix.cs runs the same shapes and weights as plain SQL
-- (BenchMixTests keeps the two lists equal). A cursor walk asks for limit=20, which no other shape does, so
-- response() can tell its answers apart and keep the next cursor; a walk restarts after 100 pages.
local shapes = {
  { 4, function() return "" end },                                                      -- the seed's default request
  { 2, function() return "agent_id=12345" end },                                        -- each filter alone
  { 2, function() return "status=" .. statuses[math.random(3)] end },
  { 2, function() return "type=" .. types[math.random(2)] end },
  { 2, function() return "agent_id=12345&type=outbound&page=1&limit=25" end },          -- the seed's example
  { 2, function() return "limit=100" end },
  { 2, function() return "page=" .. math.random(100) end },                             -- among the first hundred pages
  { 1, function() return "page=" .. deep_page end },                                    -- deep
  { 5, function() return "limit=20" .. (cursor and ("&cursor=" .. cursor) or "") end }, -- cursor walks
}
local deck = {}
for _, shape in ipairs(shapes) do
  for _ = 1, shape[1] do deck[#deck + 1] = shape[2] end
end

-- Each wrk thread has a Lua state of its own: a new table's address differs between them, where the length
-- of its printed form (the seed until 2026-11-26 06:45Z) did not, so both threads drew the same numbers.
function init()
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003)
end

local fixed = os.getenv("BENCH_QUERY")

function request()
  local query = fixed and fixed:gsub("{random:(%d+)-(%d+)}", function(a, b) return math.random(tonumber(a), tonumber(b)) end)
    or deck[math.random(#deck)]()
  return wrk.format("GET", "/api/v1/calls" .. (query == "" and "" or "?" .. query))
end

function response(status, headers, body)
  if status == 200 and body:find('"limit":20,', 1, true) then
    walked = walked + 1
    cursor = walked < 100 and body:match('"next_cursor":"([^"]+)"') or nil
    if cursor == nil then walked = 0 end
  end
end

function done(summary, latency, requests)
  io.write(string.format("p99.9 %.2fms\n", latency:percentile(99.9) / 1000))
end
