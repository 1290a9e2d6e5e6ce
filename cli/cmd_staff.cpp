// Placeholder until the staff command lands: says so honestly and exits 2.
#include <iostream>

#include "cli/commands.hpp"

namespace switchboard::cli {

int staff(const Args&) {
  std::cerr << "switchboard staff: not available in this build yet\n";
  return 2;
}

}  // namespace switchboard::cli
