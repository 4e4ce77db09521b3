-- wrk script: POSTs tools/call echo in one Streamable HTTP session, then prints its
-- figures as one JSON line. The session comes from the environment (bench/run opens it
-- with `mcp-load session`); MCP_SESSION empty means no session header (the ceiling).
local session = os.getenv("MCP_SESSION") or ""
local version = os.getenv("MCP_VERSION") or "2025-11-25"

wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call",' ..
           '"params":{"name":"echo","arguments":{"text":"hello"}}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
if session ~= "" then
  wrk.headers["Mcp-Session-Id"] = session
  wrk.headers["MCP-Protocol-Version"] = version
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"calls":%d,"calls_per_s":%.1f,"p50_us":%d,"p99_us":%d,"p999_us":%d,' ..
    '"errors":%d}\n',
    summary.requests, summary.requests / seconds, latency:percentile(50),
    latency:percentile(99), latency:percentile(99.9),
    e.connect + e.read + e.write + e.status + e.timeout))
end
