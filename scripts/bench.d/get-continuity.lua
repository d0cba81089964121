-- wrk: GET /v1/clients/{id}/continuity for client ids read from BENCH_IDS (one per line).
local ids = {}
local token = os.getenv("BENCH_TOKEN")
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local i = 0
function request()
  i = i + 1
  local id = ids[(i * 7919) % #ids + 1]
  return wrk.format("GET", "/v1/clients/" .. id .. "/continuity", {["Authorization"] = "Bearer " .. token})
end
