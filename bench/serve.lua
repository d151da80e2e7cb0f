-- wrk script for `bench/serve.sh`: POST the file named by BODY_FILE with the bearer token in
-- TOKEN, to the path wrk was given; counts non-200 answers.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"

local bad = 0
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  io.stderr:write(string.format("non-200 answers: %d\n", bad))
end
