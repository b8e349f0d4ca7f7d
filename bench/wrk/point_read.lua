-- GET /api/v1/contacts/{id} for random ids in 1..TANDEM_MAX_ID with a bearer token.
local token = os.getenv("TANDEM_TOKEN")
local max_id = tonumber(os.getenv("TANDEM_MAX_ID"))
local headers = { ["Authorization"] = "Bearer " .. token }

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", "/api/v1/contacts/" .. math.random(1, max_id), headers)
end

function response(status, hdrs, body)
  if status ~= 200 then
    wrk.thread:stop()
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
