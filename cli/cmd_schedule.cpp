// Placeholder until the schedule command lands: says so honestly and exits 2.
#include <iostream>

#include "cli/commands.hpp"

namespace switchboard::cli {

int schedule(const Args&) {
  std::cerr << "switchboard schedule: not available in this build yet\n";
  return 2;
}

}  // namespace switchboard::cli
