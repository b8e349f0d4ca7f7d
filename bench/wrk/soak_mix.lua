-- The soak's mixed traffic (bench/soak.sh): per 10 requests of a wrk thread,
--   4 reads: a contact by a random id (3) and a page of the MQL list (1);
--   4 event ingests: one page_view or email_open each, with a unique event_id, dated now;
--   2 steps of a lead's life: create a contact, move it to MQL (routing, SLA clocks, outbox),
--     then accept it or reject it with a reason (every other lead), as a rep's manager would.
-- Every answer must be 2xx: anything else is printed (the first 20) and counted by wrk as a
-- "Non-2xx" answer, which soak.sh reports as an error.
local token = os.getenv("TANDEM_TOKEN")
local run = os.getenv("TANDEM_RUN") or "0"
local max_id = tonumber(os.getenv("TANDEM_MAX_ID") or "1000")
local auth = { ["Authorization"] = "Bearer " .. token }
local json = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter, leads, shown = 0, 0, 0
local to_qualify, to_decide = {}, {}

function init(args)
  math.randomseed(tid * 7919 + os.time())
end

local function lead_step()
  if #to_decide > 0 then
    local id = table.remove(to_decide, 1)
    if id % 2 == 0 then
      return wrk.format("POST", "/api/v1/contacts/" .. id .. "/accept", json, "{}")
    end
    return wrk.format("POST", "/api/v1/contacts/" .. id .. "/reject", json,
                      '{"reason":"bad_timing","note":"soak"}')
  end
  if #to_qualify > 0 then
    local id = table.remove(to_qualify, 1)
    return wrk.format("POST", "/api/v1/contacts/" .. id .. "/stage", json, '{"stage":"mql"}')
  end
  leads = leads + 1
  return wrk.format("POST", "/api/v1/contacts", json, string.format(
    '{"email":"soak.%s.%d.%d@load-test.example","first_name":"Soak","last_name":"Lead %d",' ..
    '"source":"webinar","country":"DE"}', run, tid, leads, leads))
end

function request()
  counter = counter + 1
  local k = counter % 10
  if k < 3 then
    return wrk.format("GET", "/api/v1/contacts/" .. math.random(1, max_id), auth)
  elseif k == 3 then
    return wrk.format("GET", "/api/v1/contacts?stage=mql&limit=50", auth)
  elseif k < 8 then
    local body = string.format(
      '{"event_id":"soak-%s-%d-%d","type":"%s","occurred_at":"%s",' ..
      '"email":"visitor%d@load-test.example","utm_source":"newsletter"}',
      run, tid, counter, (counter % 3 == 0) and "email_open" or "page_view",
      os.date("!%Y-%m-%dT%H:%M:%SZ"), math.random(1, 5000))
    return wrk.format("POST", "/api/v1/events", json, body)
  end
  return lead_step()
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    if shown < 20 then
      shown = shown + 1
      io.stderr:write("soak: unexpected status " .. status .. ": " .. body:sub(1, 300) .. "\n")
    end
    return
  end
  -- A contact's answer: queue the next step of its life by the stage it reached.
  -- Only the soak's own contacts (ids above the demo's, never read at random) are queued.
  local id = tonumber(body:match('^{"id":(%d+)') or "0")
  if id <= max_id or not body:find('"email":"soak%.') then return end
  local stage = body:match('"stage":"(%a+)"')
  if status == 201 then
    table.insert(to_qualify, id)
  elseif stage == "mql" then
    table.insert(to_decide, id)
  end
end
