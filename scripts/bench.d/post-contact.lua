-- wrk: POST /v1/contacts with a unique id per request, spread over the clients listed in
-- BENCH_IDS (one id per line), led by BENCH_PROFESSIONAL, on day BENCH_DAY (YYYY-MM-DD).
local counter = 0
local token = os.getenv("BENCH_TOKEN")
local professional = os.getenv("BENCH_PROFESSIONAL")
local day = os.getenv("BENCH_DAY")
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local prefix = string.format("b%d-%d", os.time(), math.random(1, 1e9))
function request()
  counter = counter + 1
  local minute = counter % 540
  local body = string.format(
    '{"id":"%s-%d","client_id":"%s","professional_id":"%s","occurred_at":"%sT%02d:%02d:00+01:00","mode":"home_visit"}',
    prefix, counter, ids[(counter * 7919) % #ids + 1], professional, day, 8 + math.floor(minute / 60), minute % 60)
  return wrk.format("POST", "/v1/contacts",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
