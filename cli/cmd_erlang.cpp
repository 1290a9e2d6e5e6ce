// `switchboard erlang b|c|a`: the Erlang calculators from the command line.
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "wfm/erlang.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {

const char* kUsage = R"(usage: switchboard erlang b --traffic E --lines N [--json]
       switchboard erlang c --arrival-rate R --aht S --agents N --answer-within T [--json]
       switchboard erlang a --arrival-rate R --aht S --agents N --answer-within T --patience P [--json]

  b  blocking probability of N lines (trunk channels) offered E Erlangs (M/M/N/N)
  c  M/M/N: p_wait, service_level = P(wait <= T), asa_seconds, occupancy
  a  M/M/N+M (exponential patience, mean P seconds), solved exactly:
     p_wait, service_level = answered within T / offered, asa_seconds (mean
     wait of answered calls), occupancy, p_abandon
R is in calls per hour; S, T and P in seconds.)";

void print(const std::vector<std::pair<const char*, double>>& values, bool json) {
  if (json) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : values) j[k] = v;
    std::cout << j.dump() << "\n";
  } else {
    for (const auto& [k, v] : values) std::cout << k << " " << v << "\n";
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
    std::cout.precision(12);
    if (!parse_args(kUsage, args, options, positional, vm)) return kExitOk;
    const bool json = vm.count("json") > 0;
    require_flag(model == "b" || model == "c" || model == "a", "model", "b, c or a");
    if (model == "b") {
      require_flag(vm.count("traffic") && std::isfinite(traffic) && traffic >= 0, "--traffic", "Erlangs, a number >= 0");
      require_flag(vm.count("lines") && lines >= 0 && lines <= 1000000, "--lines", "a whole number of lines >= 0");
      print({{"blocking", wfm::erlang_b(traffic, lines)}}, json);
      return kExitOk;
    }
    require_flag(vm.count("arrival-rate") && std::isfinite(rate) && rate > 0, "--arrival-rate", "calls per hour, > 0");
    require_flag(vm.count("aht") && std::isfinite(aht) && aht > 0, "--aht", "seconds, > 0");
    require_flag(vm.count("agents") && agents >= 1 && agents <= 1000000, "--agents", "a whole number of agents >= 1");
    require_flag(vm.count("answer-within") && std::isfinite(within) && within >= 0, "--answer-within", "seconds, >= 0");
    const double per_second = rate / 3600;
    if (model == "c") {
      require_flag(!vm.count("patience"), "--patience", "no patience for Erlang C (use erlang a)");
      const double load = per_second * aht;
      require_flag(load < agents, "--agents",
                   "more agents than the offered load (" + std::to_string(load) +
                       " Erlangs): with fewer, an M/M/N queue without abandonment grows without bound");
      const auto m = wfm::erlang_c(per_second, aht, agents, within);
      print({{"p_wait", m.p_wait}, {"service_level", m.service_level}, {"asa_seconds", m.asa}, {"occupancy", m.occupancy}}, json);
      return kExitOk;
    }
    require_flag(vm.count("patience") && std::isfinite(patience) && patience > 0, "--patience", "mean patience in seconds, > 0");
    const auto m = wfm::erlang_a(per_second, aht, agents, patience, within);
    print({{"p_wait", m.p_wait}, {"service_level", m.service_level}, {"asa_seconds", m.asa}, {"occupancy", m.occupancy},
           {"p_abandon", m.p_abandon}}, json);
    return kExitOk;
  });
}

}  // namespace switchboard::cli
