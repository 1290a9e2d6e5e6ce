// Placeholder until the simulate command lands: says so honestly and exits 2.
#include <iostream>

#include "cli/commands.hpp"

namespace switchboard::cli {

int simulate(const Args&) {
  std::cerr << "switchboard simulate: not available in this build yet\n";
  return 2;
}

}  // namespace switchboard::cli
