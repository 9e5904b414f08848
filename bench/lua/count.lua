-- For the GET throughput comparisons: no per-response callback, so wrk parses the responses
-- natively and costs the two cores it shares with the servers as little as it can (with
-- status.lua's response(), every 10-15 KB page also goes through Lua: 20-25 % more client
-- CPU, which the faster server pays most). The responses are checked as a whole instead:
-- none outside 2xx/3xx (wrk counts those), and an average size of at least <min bytes>, the
-- page's size measured just before (headers and body) less 1 %. A lost session (a 302 to
-- /connexion) or an error page is a few hundred bytes, so more than 1 % of them shows.
-- Usage: wrk ... -s count.lua -- <min bytes>
-- Prints the same BENCH line as status.lua; statuses: full=<responses> when the run passes,
-- otherwise short=... (average under the minimum) and non2xx3xx=...; expected=full.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  min_bytes = tonumber(args[1]) or 0
end

function done(summary, latency, requests)
  local n = summary.requests
  local other = summary.errors.status
  local min = threads[1] and threads[1]:get("min_bytes") or 0
  local average = n > 0 and summary.bytes / n or 0
  local parts = {}
  if average >= min then
    table.insert(parts, "full=" .. (n - other))
  else
    table.insert(parts, "short=" .. (n - other))
  end
  if other > 0 then table.insert(parts, "non2xx3xx=" .. other) end
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.0f errors=%d statuses=%s expected=full bytes_per_response=%.0f min_bytes=%d\n",
    n, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ","), average, min))
end
