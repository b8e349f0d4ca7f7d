-- POST /f/{form} as a website's fetch would: urlencoded, Accept: application/json, a new email
-- every request (unique per thread and run), from a rotating client address (the server runs
-- with --behind-proxy, so X-Forwarded-For picks the rate-limit bucket: 20,000 addresses per
-- thread keep each one far below the per-address limit, as real visitors would be).
local form = os.getenv("TANDEM_FORM")
local run = os.getenv("TANDEM_RUN") or "0"
local threads, counter = 0, 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local n = counter % 20000
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Origin"] = "https://www.acme.example",
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", tid, math.floor(n / 256), n % 256),
  }
  local body = string.format(
    "email=bench.%s.%d.%d%%40load-test.example&first_name=Bench&last_name=Person+%d" ..
    "&company=Load+Test+GmbH&job=Engineer&consent=on", run, tid, counter, counter)
  return wrk.format("POST", "/f/" .. form, headers, body)
end

function response(status, hdrs, body)
  if status ~= 200 then
    wrk.thread:stop()
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
