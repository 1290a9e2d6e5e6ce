// Placeholder until the erlang command lands: says so honestly and exits 2.
#include <iostream>

#include "cli/commands.hpp"

namespace switchboard::cli {

int erlang(const Args&) {
  std::cerr << "switchboard erlang: not available in this build yet\n";
  return 2;
}

}  // namespace switchboard::cli
