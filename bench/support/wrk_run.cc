#include "wrk_run.h"

#include <cstdio>
#include <algorithm>
#include <fstream>
#include <sstream>

namespace cloudstate::bench {
namespace {

// Each wrk thread has its own Lua state: counters are per thread, summed in done() from setup()'s
// list of threads. One RESULT line carries everything back.
constexpr char kScript[] = R"lua(
local threads = {}
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end
function init(args)
  prefix, keys = args[1], tonumber(args[2])
  ok, failed, sent = 0, 0, 0
  math.randomseed(os.time() * 1000 + id)
end
function request()
  sent = sent + 1
  local path = "/counter/" .. prefix .. math.random(1, keys) .. "/add"
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, '{"by":1}')
end
function response(status)
  if status == 200 then ok = ok + 1 else failed = failed + 1 end
end
function done(summary, latency, requests)
  local ok, failed, sent = 0, 0, 0
  for _, t in ipairs(threads) do
    ok, failed, sent = ok + t:get("ok"), failed + t:get("failed"), sent + t:get("sent")
  end
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %.1f %.1f %d\n", ok, failed, sent, summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout))
end
)lua";

}  // namespace

Result<WrkResult> RunWrk(const WrkLoad& load) {
  const std::string script = load.scratch_dir + "/counter_add.lua";
  std::ofstream(script) << kScript;
  std::ostringstream command;
  command << load.wrk << " -t" << std::min(load.threads, load.connections) << " -c" << load.connections << " -d"
          << load.duration.count() << "s --timeout 10s -s " << script << " " << load.url << " -- " << load.key_prefix
          << " " << load.keys << " 2>&1";
  FILE* pipe = ::popen(command.str().c_str(), "r");
  if (pipe == nullptr) return Status::Unavailable("cannot run " + load.wrk);
  std::string output;
  char chunk[4096];
  while (size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) output.append(chunk, n);
  int exit_status = ::pclose(pipe);
  size_t at = output.find("RESULT ");
  if (exit_status != 0 || at == std::string::npos) {
    return Status::Unavailable("wrk failed (is it installed? Debian package wrk): " + output);
  }
  std::istringstream line(output.substr(at + 7));
  long sent = 0, requests = 0, duration_us = 0;
  WrkResult result;
  line >> result.ok >> result.failed >> sent >> requests >> duration_us >> result.p50_us >> result.p99_us >>
      result.socket_errors;
  if (!line || duration_us <= 0) return Status::Internal("cannot read wrk's result: " + output);
  result.requests_per_second = static_cast<double>(requests) / (static_cast<double>(duration_us) / 1e6);
  result.unanswered = sent - result.ok - result.failed;
  return result;
}

}  // namespace cloudstate::bench
