-- A login POST that goes round <count> spaces (banc1..banc<count>@espacepro.test, made by
-- clone_spaces.py), so that no space has more than one guess in flight: the throttle counts
-- each guess on its space before the hash, and one space replayed from many connections is
-- refused, not logged in. Statuses are counted as in status.lua.
-- With a <devices> file (bench/code_login.py devices: line n is space n's recognised-browser
-- cookie), each space's login comes from a browser the space recognises: the password step
-- ends on the home page, with no « code de sécurité ».
-- Usage: wrk ... -s bench/lua/logins.lua <url> -- <expected> <path> <body with __N__> <cookie> <count> [<devices>]
dofile("bench/lua/status.lua")
local status_init = init
local template, count, shared, devices, n

function init(args)
  status_init(args)
  template, count, shared = args[3], tonumber(args[5]), args[4] or ""
  if args[6] and args[6] ~= "" then
    devices = {}
    for line in io.lines(args[6]) do table.insert(devices, line) end
    assert(#devices >= count, "fewer recognised-browser cookies than spaces in " .. args[6])
  end
  n = 0
end

function request()
  n = n % count + 1
  local headers = nil
  if devices then
    headers = { ["Content-Type"] = "application/x-www-form-urlencoded",
                ["Cookie"] = (shared ~= "" and shared .. "; " or "") .. devices[n] }
  end
  return wrk.format(nil, nil, headers, (template:gsub("__N__", tostring(n))))
end
