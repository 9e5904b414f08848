-- Counts response statuses per thread and prints them at the end, so that a run where the
-- session was lost (302 to /connexion) or a login failed (200 with an error) is visible.
-- Usage: wrk ... -s status.lua [-- <expected status> [<path> <urlencoded body> <cookie>]]
-- (WRK_HISTOGRAM=1 in the environment: also a HISTOGRAM line, see done())
-- With a body, every request is that POST (login: a real anti-forgery token and its cookie,
-- obtained by a GET first; the same token is valid for every request of the run).
local threads = {}
expected = "200"

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  if args[1] then expected = args[1] end
  if args[2] and args[3] then
    wrk.method = "POST"
    wrk.path = args[2]
    wrk.body = args[3]
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    if args[4] and args[4] ~= "" then wrk.headers["Cookie"] = args[4] end
  end
end

function response(status, headers, body)
  local key = tostring(status)
  local location = headers["Location"] or headers["location"]
  if status == 302 and location then
    key = key .. ">" .. location:gsub("%?.*", "")
  end
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  expected = threads[1] and threads[1]:get("expected") or expected
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, k .. "=" .. v) end
  table.sort(parts)
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.0f errors=%d statuses=%s expected=%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ","), expected))
  -- With WRK_HISTOGRAM set, every latency seen and its count (microseconds:count), so that
  -- runs measured in slices merge into exact percentiles (merge_slices.py).
  if os.getenv("WRK_HISTOGRAM") then
    local values = {}
    for i = 1, #latency do
      local value, count = latency(i)
      values[i] = string.format("%d:%d", value, count)
    end
    io.write("HISTOGRAM " .. table.concat(values, " ") .. "\n")
  end
end
