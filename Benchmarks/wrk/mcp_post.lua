-- wrk script: POST one MCP JSON-RPC body to /mcp over and over, then print one JSON line.
--
--   WRK_BODY=body.json [WRK_SESSION=id] [WRK_TOKEN=secret] [WRK_STATUS=1] \
--     wrk -t 2 -c 32 -d 6s --latency --timeout 5s -s Benchmarks/wrk/mcp_post.lua http://127.0.0.1:PORT
--
-- WRK_BODY     file whose bytes are the request body (required)
-- WRK_SESSION  Mcp-Session-Id to send (also sends MCP-Protocol-Version: 2025-11-25)
-- WRK_TOKEN    sent as Authorization: Bearer <token>
-- WRK_STATUS   when set, a response() hook counts every non-2xx status (exact, but it slows wrk:
--              wrk then parses every response's headers and body for Lua); without it the
--              output still has wrk's own errors.status (responses with a status above 399).
--
-- The request is built once (wrk.method/body/headers), so no request() hook runs per call.
-- done() prints: {"requests":…,"duration_s":…,"rps":…,"bytes":…,"mean_ms":…,"stdev_ms":…,
-- "max_ms":…,"p50_ms":…,"p90_ms":…,"p99_ms":…,"p999_ms":…,"errors":{"connect":…,"read":…,
-- "write":…,"status":…,"timeout":…},"non2xx":N or null}

local function read_file(path)
  local f = assert(io.open(path, "rb"), "WRK_BODY: cannot open " .. tostring(path))
  local data = f:read("*a")
  f:close()
  return data
end

local body_path = os.getenv("WRK_BODY")
assert(body_path and body_path ~= "", "set WRK_BODY to the file holding the request body")

wrk.method = "POST"
wrk.path = "/mcp"
wrk.body = read_file(body_path)
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"

local session = os.getenv("WRK_SESSION")
if session and session ~= "" then
  wrk.headers["Mcp-Session-Id"] = session
  wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
end
local token = os.getenv("WRK_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local count_status = os.getenv("WRK_STATUS")
count_status = count_status ~= nil and count_status ~= "" and count_status ~= "0"

-- setup() runs in the main Lua state once per thread; the thread handles let done() read
-- each thread's own `non2xx` global.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

if count_status then
  non2xx = 0
  function response(status, headers, body)
    if status < 200 or status > 299 then
      non2xx = non2xx + 1
    end
  end
end

function done(summary, latency, requests)
  local non2xx_total = "null"
  if count_status then
    local n = 0
    for _, t in ipairs(threads) do
      n = n + (tonumber(t:get("non2xx")) or 0)
    end
    non2xx_total = tostring(n)
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local function ms(us) return us / 1000.0 end
  io.write(string.format(
    '{"requests":%d,"duration_s":%.6f,"rps":%.3f,"bytes":%d,"mean_ms":%.4f,"stdev_ms":%.4f,"max_ms":%.4f,'
      .. '"p50_ms":%.4f,"p90_ms":%.4f,"p99_ms":%.4f,"p999_ms":%.4f,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"non2xx":%s}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    ms(latency.mean), ms(latency.stdev), ms(latency.max),
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency:percentile(99.9)),
    e.connect, e.read, e.write, e.status, e.timeout, non2xx_total))
end
