-- wrk script for the workbench's load test (LoadTests): each connection cycles through the
-- requests the page makes (the scenario list, a scenario's levers, the expected-value answer)
-- and counts the replies by HTTP status; done() prints "status CODE COUNT" lines and the socket
-- errors, which LoadTests reads. The scenario is wrk's first argument after `--`.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  scenario = args[1] or "example.yaml"
  counts = {}
  i = 0
end

function request()
  i = i + 1
  local k = i % 3
  if k == 0 then
    return wrk.format("GET", "/api/scenarios")
  elseif k == 1 then
    return wrk.format("GET", "/api/levers?scenario=" .. scenario)
  end
  return wrk.format("POST", "/api/expected", { ["Content-Type"] = "application/json" },
    '{"scenario": "' .. scenario .. '", "session": "load-' .. i .. '"}')
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d %d\n", status, n))
  end
  local e = summary.errors
  io.write(string.format("errors connect %d read %d write %d timeout %d\n", e.connect, e.read, e.write, e.timeout))
  io.write(string.format("requests %d in %.1f s; latency p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
