-- wrk: POST /v1/contacts with a unique id per request (thread prefix + counter).
local counter = 0
local prefix = ""
local token = os.getenv("BENCH_TOKEN")
function setup(thread)
  thread:set("prefix", string.format("b%d-%d", os.time(), math.random(1, 1e9)))
end
function init(args)
  prefix = prefix ~= "" and prefix or string.format("b%d", math.random(1, 1e9))
end
function request()
  counter = counter + 1
  local minute = counter % 600
  local body = string.format(
    '{"id":"%s-%d","client_id":"bench-client","professional_id":"bench-prof","occurred_at":"2026-11-%02dT%02d:%02d:00+01:00","mode":"home_visit"}',
    prefix, counter, 1 + counter % 20, 8 + (minute // 60) % 9, minute % 60)
  return wrk.format("POST", "/v1/contacts",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
