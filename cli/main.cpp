// `switchboard SUBCOMMAND ...`: dispatches to one function per subcommand.
#include <iostream>
#include <map>
#include <string>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/modules.hpp"

namespace {

const char* kUsage = R"(usage: switchboard COMMAND [ARGS...]

commands:
  simulate   run a scenario in the discrete-event simulator (KPIs with confidence intervals)
  erlang     Erlang B / C / A calculators
  staff      agents required per interval to meet service targets
  forecast   forecast call volumes per interval from history
  schedule   build a shift roster that covers the requirements
  serve      run the call center on real SIP (virtual agents, Prometheus metrics)

`switchboard COMMAND --help` describes each command's flags.)";

}  // namespace

int main(int argc, char** argv) {
  using namespace switchboard::cli;
  const std::map<std::string, int (*)(const Args&)> commands = {
      {"simulate", simulate}, {"erlang", erlang},     {"staff", staff},
      {"forecast", forecast},
      // In modules: they need CBC and libre (cli/modules.hpp).
      {"schedule", [](const Args& a) { return module_function<decltype(&schedule)>("schedule")(a); }},
      {"serve", [](const Args& a) { return module_function<decltype(&serve)>("serve")(a); }},
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
