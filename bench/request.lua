-- One request, repeated: the wrk script behind every row of bench/run.sh.
--
-- The request is described by environment variables, so a new row needs no
-- new script:
--   BENCH_METHOD   HTTP method (default GET)
--   BENCH_PATH     request path, e.g. /integrations/github
--   BENCH_BODY     request body (empty: no body)
--   BENCH_HEADERS  extra headers, one "Name: value" per line
--
-- When the run ends, `done` prints one machine-readable line that run.sh
-- parses:
--   BENCH_RESULT requests=N duration_us=N p99_us=N non2xx=N connect=N read=N write=N timeout=N
-- `non2xx` is the counter wrk prints as "Non-2xx or 3xx responses".

wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.path = os.getenv("BENCH_PATH") or "/"

local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then
  wrk.body = body
end

local headers = os.getenv("BENCH_HEADERS") or ""
for line in string.gmatch(headers, "[^\n]+") do
  local name, value = string.match(line, "^%s*([^:]-)%s*:%s*(.-)%s*$")
  if name and name ~= "" then
    wrk.headers[name] = value
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%.0f duration_us=%.0f p99_us=%.0f non2xx=%.0f connect=%.0f read=%.0f write=%.0f timeout=%.0f\n",
    summary.requests, summary.duration, latency:percentile(99.0),
    e.status, e.connect, e.read, e.write, e.timeout))
end
