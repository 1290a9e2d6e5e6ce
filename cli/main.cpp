// `switchboard SUBCOMMAND ...`: dispatches to one function per subcommand.
#include <iostream>
#include <map>
#include <string>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"

namespace {

const char* kUsage = R"(usage: switchboard COMMAND [ARGS...]

commands:
  simulate   run a scenario in the discrete-event simulator (KPIs with confidence intervals)
  erlang     Erlang B / C / A calculators
  staff      agents required per interval to meet service targets
  forecast   forecast call volumes per interval from history
  schedule   build a shift roster that covers the requirements
  serve      run the call center on real SIP (virtual agents, Prometheus metrics)
  loadtest   the scenario's callers on real SIP with SIPp, judged against the simulator

`switchboard COMMAND --help` describes each command's flags.)";

}  // namespace

int main(int argc, char** argv) {
  using namespace switchboard::cli;
  const std::map<std::string, int (*)(const Args&)> commands = {
      {"simulate", simulate}, {"erlang", erlang},     {"staff", staff},
      {"forecast", forecast}, {"schedule", schedule}, {"serve", serve},
      {"loadtest", loadtest},
  };
  if (argc < 2) {
    std::cerr << kUsage << "\n";
    return kExitBadInput;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    std::cout << kUsage << "\n";
    return kExitOk;
  }
  const auto it = commands.find(name);
  if (it == commands.end()) {
    std::cerr << "switchboard: unknown command '" << name << "'\n" << kUsage << "\n";
    return kExitBadInput;
  }
  return it->second(Args(argv + 2, argv + argc));
}
