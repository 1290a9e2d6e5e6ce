// `switchboard erlang b|c|a`: the Erlang calculators from the command line.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "wfm/erlang.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {

const char* kUsage = R"(usage: switchboard erlang b --traffic E --lines N [--json]
       switchboard erlang c --arrival-rate R --aht S --agents N --answer-within T [--json]
       switchboard erlang a --arrival-rate R --aht S --agents N --answer-within T --patience P [--json]

  b  M/M/N/N: blocking, the share of calls that find all N lines busy
  c  M/M/N: p_wait (share of calls that queue), service_level = P(wait <= T),
     asa_seconds (mean wait), occupancy. Needs the offered load R*S/3600
     below N: otherwise the queue grows without bound (exit status 2).
  a  M/M/N+M: waiting callers hang up after an exponential patience of mean
     P seconds; solved exactly, stable at any load: p_wait, service_level =
     answered within T / offered (abandoned calls count as missed),
     asa_seconds (mean wait of answered calls), occupancy, p_abandon
     (abandoned / offered)
R is in calls per hour; S, T and P in seconds.)";

constexpr int kMaxServers = 1'000'000;

// Text keeps 12 significant digits; JSON numbers round-trip exactly.
void print(const std::vector<std::pair<const char*, double>>& values, bool json) {
  if (json) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : values) j[k] = v;
    std::cout << j.dump() << "\n";
  } else {
    for (const auto& [k, v] : values) std::cout << fmt::format("{} {:.12g}\n", k, v);
  }
}

}  // namespace

int erlang(const Args& args) {
  return guarded("erlang", [&] {
    std::string model;
    double traffic = -1, rate = -1, aht = -1, within = -1, patience = -1;
    int lines = -1, agents = -1;
    po::options_description options("options");
    options.add_options()
      ("model", po::value(&model)->required(), "b, c or a")
      ("traffic", po::value(&traffic), "b: offered traffic in Erlangs")
      ("lines", po::value(&lines), "b: lines or trunk channels")
      ("arrival-rate", po::value(&rate), "c, a: calls per hour")
      ("aht", po::value(&aht), "c, a: average handle time, seconds")
      ("agents", po::value(&agents), "c, a: agents")
      ("answer-within", po::value(&within), "c, a: service-level threshold T, seconds")
      ("patience", po::value(&patience), "a: mean patience, seconds (exponential)")
      ("json", "one JSON object with the results as numbers");
    po::positional_options_description positional;
    positional.add("model", 1);
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, positional, vm)) return kExitOk;
    const bool json = vm.count("json") > 0;
    require_flag(model == "b" || model == "c" || model == "a", "model", "b, c or a");
    // A flag of another model is a mistake, not something to ignore silently.
    const std::vector<std::string> own = model == "b"   ? std::vector<std::string>{"traffic", "lines"}
                                         : model == "c" ? std::vector<std::string>{"arrival-rate", "aht", "agents", "answer-within"}
                                                        : std::vector<std::string>{"arrival-rate", "aht", "agents", "answer-within", "patience"};
    for (const char* flag : {"traffic", "lines", "arrival-rate", "aht", "agents", "answer-within", "patience"})
      if (vm.count(flag) && std::find(own.begin(), own.end(), flag) == own.end())
        throw InputError(Problem{"", 0, 0, std::string("--") + flag,
                                 model == "c" && std::string(flag) == "patience"
                                     ? "Erlang C has no patience: callers who hang up are Erlang A (switchboard erlang a)"
                                     : "not a flag of erlang " + model + " (see --help)"});
    for (const std::string& flag : own)
      if (!vm.count(flag)) throw InputError(Problem{"", 0, 0, "--" + flag, "missing: erlang " + model + " needs --" + flag + " (see --help)"});
    if (model == "b") {
      require_flag(vm.count("traffic") && std::isfinite(traffic) && traffic >= 0, "--traffic", "Erlangs, a number >= 0");
      require_flag(vm.count("lines") && lines >= 1 && lines <= kMaxServers, "--lines", "a whole number of lines from 1 to 1000000");
      print({{"blocking", wfm::erlang_b(traffic, lines)}}, json);
      return kExitOk;
    }
    require_flag(vm.count("arrival-rate") && std::isfinite(rate) && rate > 0, "--arrival-rate", "calls per hour, > 0");
    require_flag(vm.count("aht") && std::isfinite(aht) && aht > 0, "--aht", "seconds, > 0");
    require_flag(vm.count("agents") && agents >= 1 && agents <= kMaxServers, "--agents", "a whole number of agents from 1 to 1000000");
    require_flag(vm.count("answer-within") && std::isfinite(within) && within >= 0, "--answer-within", "seconds, >= 0");
    const double per_second = rate / 3600;
    if (model == "c") {
      const double load = per_second * aht;
      require_flag(load < agents, "--agents",
                   fmt::format("more agents than the offered load: {} agents for {:.6g} Erlangs is an unstable queue "
                               "(p_wait = 1: every caller waits and the queue grows without bound, so Erlang C has "
                               "no answer; add agents, or use erlang a with --patience for callers who hang up)",
                               agents, load));
      const auto m = wfm::erlang_c(per_second, aht, agents, within);
      print({{"p_wait", m.p_wait}, {"service_level", m.service_level}, {"asa_seconds", m.asa}, {"occupancy", m.occupancy}}, json);
      return kExitOk;
    }
    require_flag(vm.count("patience") && std::isfinite(patience) && patience > 0, "--patience", "mean patience in seconds, > 0");
    wfm::QueueMetrics m;
    try {
      m = wfm::erlang_a(per_second, aht, agents, patience, within);
    } catch (const std::domain_error& e) {
      std::string why = e.what();
      if (why.rfind("erlang_a: ", 0) == 0) why.erase(0, 10);
      throw InputError(Problem{"", 0, 0, "--patience", why});
    }
    print({{"p_wait", m.p_wait}, {"service_level", m.service_level}, {"asa_seconds", m.asa}, {"occupancy", m.occupancy},
           {"p_abandon", m.p_abandon}}, json);
    return kExitOk;
  });
}

}  // namespace switchboard::cli
