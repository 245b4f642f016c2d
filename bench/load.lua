-- Weighted mix of public requests for wrk (driven by bench/load.py).
--
-- Usage: wrk -t2 -c64 -d60s --latency -s bench/load.lua http://127.0.0.1:PORT -- FILE
--
-- FILE has one request class per line, "class<TAB>weight<TAB>path<TAB>path...",
-- paths already percent-encoded.  A path may be followed by a space and an ETag
-- ("path W/\"…\""): the request then carries it as If-None-Match, as a browser or
-- a CDN revalidating its copy (the conditional run of bench/load.py).  Each request picks a class by weight, then one of
-- its paths at random (fixed seed per thread, so runs compare).  Every request says
-- it came through TLS at the load balancer (X-Forwarded-Proto: https), as in a
-- production deployment, so SECURE_SSL_REDIRECT stays on.
--
-- done() prints one line "LOADRESULT {json}" with the totals, wrk's error counters,
-- latency percentiles (microseconds), the status codes seen and the requests sent
-- per class.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

local function split(line, sep)
  local parts = {}
  for part in string.gmatch(line, "([^" .. sep .. "]+)") do
    table.insert(parts, part)
  end
  return parts
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  classes = {}
  total_weight = 0
  for line in file:lines() do
    local parts = split(line, "\t")
    if #parts >= 3 then
      local paths = {}
      for i = 3, #parts do
        local path, etag = string.match(parts[i], "^(%S+) (.+)$")
        table.insert(paths, {path = path or parts[i], etag = etag})
      end
      total_weight = total_weight + tonumber(parts[2])
      table.insert(classes, {name = parts[1], cumulative = total_weight, paths = paths})
    end
  end
  file:close()
  math.randomseed(20261126 + thread_id * 7919)
  statuses = {}
  sent = {}
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
end

function request()
  local r = math.random() * total_weight
  local class = classes[#classes]
  for _, candidate in ipairs(classes) do
    if r < candidate.cumulative then
      class = candidate
      break
    end
  end
  sent[class.name] = (sent[class.name] or 0) + 1
  local entry = class.paths[math.random(#class.paths)]
  if entry.etag then
    local headers = {}
    for name, value in pairs(wrk.headers) do
      headers[name] = value
    end
    headers["If-None-Match"] = entry.etag
    return wrk.format("GET", entry.path, headers)
  end
  return wrk.format("GET", entry.path)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

local function merge(into, from)
  for key, value in pairs(from or {}) do
    into[key] = (into[key] or 0) + value
  end
end

local function object(tbl)
  local parts = {}
  for key, value in pairs(tbl) do
    table.insert(parts, string.format("%q:%d", key, value))
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local all_statuses, all_sent = {}, {}
  for _, thread in ipairs(threads) do
    merge(all_statuses, thread:get("statuses"))
    merge(all_sent, thread:get("sent"))
  end
  local e = summary.errors
  io.write(string.format(
    "LOADRESULT {\"duration_us\":%d,\"requests\":%d,\"bytes\":%d," ..
    "\"errors\":{\"connect\":%d,\"read\":%d,\"write\":%d,\"status\":%d,\"timeout\":%d}," ..
    "\"latency_us\":{\"p50\":%d,\"p95\":%d,\"p99\":%d,\"max\":%d,\"mean\":%.1f}," ..
    "\"statuses\":%s,\"sent\":%s}\n",
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean,
    object(all_statuses), object(all_sent)))
end
