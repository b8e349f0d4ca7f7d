-- POST /t/e page views as /t.js sends them (text/plain JSON, Origin of the site), from
-- rotating visitors and client addresses (see form_post.lua).
local key = os.getenv("TANDEM_SITE_KEY")
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
    ["Content-Type"] = "text/plain;charset=UTF-8",
    ["Origin"] = "https://www.acme.example",
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", tid, math.floor(n / 256), n % 256),
  }
  local body = string.format(
    '{"key":"%s","type":"page_view","event_id":"pv-%s-%d-%d","anonymous_id":"v%s.%d.%d",' ..
    '"url":"https://www.acme.example/pricing","title":"Pricing"}', key, run, tid, counter, run,
    tid, n)
  return wrk.format("POST", "/t/e", headers, body)
end

function response(status, hdrs, body)
  if status ~= 204 then
    wrk.thread:stop()
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
