// Parts of the command whose libraries are heavy to load — SimGrid (and its
// ns-3 libraries), COIN-OR CBC, libre — are built as shared modules beside
// the executable (lib/switchboard-NAME.so) and loaded only by the commands
// that use them, so `switchboard erlang` or an event-list `simulate` start in
// milliseconds and stay small (docs/performance.md).
#pragma once

#include <string>

namespace switchboard::cli {

// The function module `name` exports (cli/module_entry.cpp), loaded on first
// use. `Function` is its pointer type, e.g. decltype(&sim::run_simgrid_replications):
// decltype names the function without linking it in. Throws std::runtime_error
// naming the module's file when it cannot be loaded (a broken installation).
template <class Function>
Function module_function(const std::string& name);

// Every module exports this C symbol; it returns the address of the module's function.
inline constexpr const char* kModuleEntry = "switchboard_module_entry";
const void* module_entry(const std::string& name);

template <class Function>
Function module_function(const std::string& name) {
  return reinterpret_cast<Function>(const_cast<void*>(module_entry(name)));
}

}  // namespace switchboard::cli
