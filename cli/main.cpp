// `switchboard SUBCOMMAND ...`: dispatches to one function per subcommand,
// and is the one last-resort handler of every command: whatever escapes a
// command (a bug, never a user's mistake: those are exit 2 in guarded())
// becomes one line on stderr and exit status 3, never std::terminate.
#include <fmt/format.h>

#include <exception>
#include <iostream>
#include <string>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/modules.hpp"

namespace {

using switchboard::cli::Args;

struct Command {
  const char* name;
  int (*run)(const Args&);
  const char* summary;
};

// The one list of commands: dispatch and the usage text both come from it.
constexpr Command kCommands[] = {
    {"simulate", switchboard::cli::simulate, "run a scenario in the discrete-event simulator (KPIs with confidence intervals)"},
    {"erlang", switchboard::cli::erlang, "Erlang B / C / A calculators"},
    {"staff", switchboard::cli::staff, "agents required per interval to meet service targets"},
    {"forecast", switchboard::cli::forecast, "forecast call volumes per interval from history"},
    // These live in modules: they need CBC, libre, or SQLite, libpq and cpp-httplib (cli/modules.hpp).
    {"schedule", [](const Args& a) { return switchboard::cli::module_function<decltype(&switchboard::cli::schedule)>("schedule")(a); },
     "build a shift roster that covers the requirements"},
    {"serve", [](const Args& a) { return switchboard::cli::module_function<decltype(&switchboard::cli::serve)>("serve")(a); },
     "run the call center on real SIP (virtual agents, Prometheus metrics)"},
    {"tickets", [](const Args& a) { return switchboard::cli::module_function<decltype(&switchboard::cli::tickets)>("tickets")(a); },
     "the ticket store: create, move, show, list, stats, export tickets; the ticket API"},
    {"loadtest", switchboard::cli::loadtest, "the scenario's callers on real SIP with SIPp, judged against the simulator"},
};

std::string usage() {
  std::string text = "usage: switchboard COMMAND [ARGS...]\n       switchboard --version\n\ncommands:\n";
  for (const auto& c : kCommands) text += fmt::format("  {:<10} {}\n", c.name, c.summary);
  text += "\n`switchboard COMMAND --help` describes each command's flags.\n"
          "Exit status: 0 ok, 1 an asserted threshold missed, 2 bad input, 3 internal error.";
  return text;
}

int dispatch(const std::string& name, const Args& args) {
  using namespace switchboard::cli;
  if (name == "--help" || name == "-h" || name == "help") {
    std::cout << usage() << "\n";
    return kExitOk;
  }
  if (name == "--version") {
    std::cout << "switchboard " << version() << "\n";
    return kExitOk;
  }
  for (const auto& c : kCommands)
    if (name == c.name) return c.run(args);
  std::cerr << "switchboard: unknown command '" << name << "'\n" << usage() << "\n";
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace switchboard::cli;
  if (argc < 2) {
    std::cerr << usage() << "\n";
    return kExitBadInput;
  }
  const std::string name = argv[1];
  try {
    return dispatch(name, Args(argv + 2, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "switchboard " << name << ": internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "switchboard " << name << ": internal error (unknown exception)\n";
  }
  return kExitInternalError;
}
