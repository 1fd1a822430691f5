-- GET requests for the read-path benchmark: wrk -s reads.lua <url> -- <prefix> id <count>   (a random
-- existing trade by id, ids <prefix>-<9 digits>) or wrk -s reads.lua <url> -- <prefix> path <path>.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

function init(args)
  prefix = args[1]
  mode = args[2]
  target = args[3]
  counter = 0
  math.randomseed(os.time() + thread_number * 7919)
end

function request()
  if mode == "id" then
    return wrk.format("GET", string.format("/api/v1/trades/%s-%09d", prefix, math.random(0, tonumber(target) - 1)),
      headers_for(nil))
  end
  -- reads need a token too, as the service ships (AUTH_READS=token)
  return wrk.format("GET", target, headers_for(nil))
end
