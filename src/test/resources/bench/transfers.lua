-- POST /api/v1/blockchain/transfers out of the benchmark's accounts, 0.01 each, to the run's sink:
--   wrk -s transfers.lua <url> -- <run prefix> <account prefix> <accounts> keys|nokeys
-- With "keys" every request carries its own Idempotency-Key, as a client that retries safely does.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function init(args)
  prefix = args[1]
  account_prefix = args[2]
  accounts = tonumber(args[3])
  keys = args[4] == "keys"
  counter = 0
end

function request()
  counter = counter + 1
  local sender = string.format("%s-%d", account_prefix, (thread_number * 7 + counter) % accounts)
  local body = string.format('{"sender_account_id":"%s","receiver_account_id":"%s-sink","amount":"0.01"}', sender,
    prefix)
  local h = headers_for("application/json")
  if keys then
    h["Idempotency-Key"] = string.format("%s-%d-%d", prefix, thread_number, counter)
  end
  return wrk.format("POST", "/api/v1/blockchain/transfers", h, body)
end
