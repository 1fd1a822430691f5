-- POST /api/v1/trades with a new trade id per request: wrk -s trades.lua <url> -- <run prefix>
-- Ids are <prefix>-<thread>-<n>, so the benchmark can count the stored rows of its run.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function request()
  counter = counter + 1
  local body = string.format('{"trade_id":"%s-%d-%d","version":1,"counter_party_id":"CP-1","book_id":"B%d",'
    .. '"maturity_date":"2099-12-31"}', prefix, thread_number, counter, counter % 20)
  return wrk.format("POST", "/api/v1/trades", headers_for("application/json"), body)
end
