-- The wrk script behind every row of the benchmark (bench/driver). The driver describes the row's
-- requests in the environment, so a new row needs no new script:
--   BENCH_STEPS          how many requests the row has: 1, or 2 for a pair (default 1)
--   BENCH_METHOD_<i>     HTTP method of request i, counted from 1 (default GET)
--   BENCH_PATH_<i>       its path, e.g. /integrations/github
--   BENCH_BODY_<i>       its body (empty: no body)
--   BENCH_HEADERS_<i>    its extra headers, one "Name: value" per line
--   BENCH_CAPTURE_1      a pair's JSON field whose value the second request takes as `{id}`
--   BENCH_COUNTER_BASE   the first value of {n} (default 0)
--   BENCH_THREADS        wrk's thread count (-t), so that no two threads use the same {n}
--
-- `{n}` in a path, a body or a header becomes a counter, so that a sequence such as "create a
-- record, then delete it" works on a record of its own every time round.
--
-- A row of one request without `{n}` is static: wrk sends the same bytes over and over and runs
-- no Lua per request. A row of one request with `{n}` takes the next value of the counter each time.
--
-- A row of two requests is a pair, such as "create a record, then delete it": the first request
-- names, in BENCH_CAPTURE_1, a JSON field of its answer ("unique_key", "id"), and the second uses
-- that field's text value as `{id}`. Each wrk thread keeps the values its answers carried in a
-- queue; a connection ready to send sends the second request for the oldest value waiting, else a
-- first request. So every second request acts on a record a first one made (whichever connection
-- made it), the two run in turn, one request at a time per connection (never pipelined), and each
-- request is a latency sample of its own. The value is the first `"field": "text"` in the body.
--
-- When the run ends, `done` prints one machine-readable line that the driver parses:
--   BENCH_RESULT requests=N duration_us=N p99_us=N non2xx=N connect=N read=N write=N timeout=N
-- `non2xx` is the counter wrk prints as "Non-2xx or 3xx responses" (statuses of 400 and more).

local COUNTER = "{n}"

local function headers_of(text)
  local headers = {}
  for line in string.gmatch(text, "[^\n]+") do
    local name, value = string.match(line, "^%s*([^:]-)%s*:%s*(.-)%s*$")
    if name and name ~= "" then
      headers[name] = value
    end
  end
  return headers
end

local function has_counter(text)
  return text ~= nil and string.find(text, COUNTER, 1, true) ~= nil
end

local steps = {}
local dynamic = false
local count = tonumber(os.getenv("BENCH_STEPS") or "") or 1
for i = 1, count do
  local body = os.getenv("BENCH_BODY_" .. i) or ""
  local step = {
    method = os.getenv("BENCH_METHOD_" .. i) or "GET",
    path = os.getenv("BENCH_PATH_" .. i) or "/",
    body = body ~= "" and body or nil,
    headers = headers_of(os.getenv("BENCH_HEADERS_" .. i) or ""),
  }
  dynamic = dynamic or has_counter(step.path) or has_counter(step.body)
  for _, value in pairs(step.headers) do
    dynamic = dynamic or has_counter(value)
  end
  steps[i] = step
end
dynamic = dynamic or count > 1

if not dynamic then
  local step = steps[1]
  wrk.method = step.method
  wrk.path = step.path
  wrk.body = step.body
  for name, value in pairs(step.headers) do
    wrk.headers[name] = value
  end
else
  local base = tonumber(os.getenv("BENCH_COUNTER_BASE") or "") or 0
  local stride = tonumber(os.getenv("BENCH_THREADS") or "") or 1
  local threads_set_up = 0

  -- Runs in wrk's main Lua state, once per thread, before that thread's `init`.
  function setup(thread)
    thread:set("bench_thread_index", threads_set_up)
    threads_set_up = threads_set_up + 1
  end

  local round = 0
  local function fill(text, n)
    if text == nil or n == nil then
      return text
    end
    return (string.gsub(text, COUNTER, n))
  end

  local function format(step, n, id)
    -- wrk.headers holds the Host header that wrk.init set up.
    local headers = {}
    for name, value in pairs(wrk.headers) do
      headers[name] = value
    end
    local function fill_all(text)
      text = fill(text, n)
      if text ~= nil and id ~= nil then
        text = (string.gsub(text, "{id}", (string.gsub(id, "%%", "%%%%"))))
      end
      return text
    end
    for name, value in pairs(step.headers) do
      headers[name] = fill_all(value)
    end
    return wrk.format(step.method, fill_all(step.path), headers, fill_all(step.body))
  end

  local function next_counter()
    local n = string.format("%.0f", base + round * stride + (bench_thread_index or 0))
    round = round + 1
    return n
  end

  local field = os.getenv("BENCH_CAPTURE_1") or ""
  if count == 2 and field ~= "" then
    local pattern = '"' .. field .. '"%s*:%s*"([^"]*)"'
    local waiting, first, last = {}, 1, 0

    function request()
      if last >= first then
        local id = waiting[first]
        waiting[first] = nil
        first = first + 1
        return format(steps[2], nil, id)
      end
      return format(steps[1], next_counter(), nil)
    end

    function response(status, headers, body)
      if body ~= nil then
        local id = string.match(body, pattern)
        if id ~= nil then
          last = last + 1
          waiting[last] = id
        end
      end
    end
  else
    function request()
      return format(steps[1], next_counter(), nil)
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%.0f duration_us=%.0f p99_us=%.0f non2xx=%.0f connect=%.0f read=%.0f write=%.0f timeout=%.0f\n",
    summary.requests, summary.duration, latency:percentile(99.0),
    e.status, e.connect, e.read, e.write, e.timeout))
end
