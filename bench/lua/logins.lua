-- A login POST that goes round <count> spaces (banc1..banc<count>@espacepro.test, made by
-- clone_spaces.py), so that no space has more than one guess in flight: the throttle counts
-- each guess on its space before the hash, and one space replayed from many connections is
-- refused, not logged in. Statuses are counted as in status.lua.
-- Usage: wrk ... -s bench/lua/logins.lua <url> -- <expected> <path> <body with __N__> <cookie> <count>
dofile("bench/lua/status.lua")
local status_init = init
local template, count, n

function init(args)
  status_init(args)
  template, count = args[3], tonumber(args[5])
  n = 0
end

function request()
  n = n % count + 1
  return wrk.format(nil, nil, nil, (template:gsub("__N__", tostring(n))))
end
