-- POST /records with a new record id per request: wrk -s records.lua <url> -- <run prefix>
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function request()
  counter = counter + 1
  local body = string.format('{"recordId":"%s-%d-%d","time":"2025-08-01T10:00:00Z","sourceId":"S1",'
    .. '"destinationId":"D%d","type":"positive","value":"%d.25","unit":"EUR","reference":"R%d"}',
    prefix, thread_number, counter, counter % 50, counter % 900, counter % 7)
  return wrk.format("POST", "/records", headers_for("application/json"), body)
end
