// Placeholder until the forecast command lands: says so honestly and exits 2.
#include <iostream>

#include "cli/commands.hpp"

namespace switchboard::cli {

int forecast(const Args&) {
  std::cerr << "switchboard forecast: not available in this build yet\n";
  return 2;
}

}  // namespace switchboard::cli
