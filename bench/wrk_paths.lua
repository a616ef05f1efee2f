-- wrk: the paths of WRK_PATHS (space-separated) in turn, then wrk_report.lua's JSON line.
dofile("bench/wrk_report.lua")
local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "/", "[^ ]+") do table.insert(paths, path) end
local next_path = 0
request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
