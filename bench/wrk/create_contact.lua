-- POST /api/v1/contacts with a new address every request (unique per thread and run).
local token = os.getenv("TANDEM_TOKEN")
local run = os.getenv("TANDEM_RUN") or "0"
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
local threads, counter = 0, 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"email":"bench.%s.%d.%d@load-test.example","first_name":"Bench","last_name":"Person %d",' ..
    '"source":"webinar","country":"DE"}', run, tid, counter, counter)
  return wrk.format("POST", "/api/v1/contacts", headers, body)
end

function response(status, hdrs, body)
  if status ~= 201 then
    wrk.thread:stop()
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
