-- GET one list page (50 rows) of /api/v1/contacts with the query in TANDEM_QUERY.
local token = os.getenv("TANDEM_TOKEN")
local query = os.getenv("TANDEM_QUERY") or ""
local path = "/api/v1/contacts?limit=50" .. (query ~= "" and "&" .. query or "")
local headers = { ["Authorization"] = "Bearer " .. token }

function request()
  return wrk.format("GET", path, headers)
end

function response(status, hdrs, body)
  if status ~= 200 then
    wrk.thread:stop()
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
