// The one exported symbol of a module (cli/modules.hpp), compiled into each
// module with SWITCHBOARD_MODULE_FUNCTION naming the function it hands out.
#include "cli/commands.hpp"
#include "sim/simgrid/simgrid_replications.hpp"

#ifndef SWITCHBOARD_MODULE_FUNCTION
#error "SWITCHBOARD_MODULE_FUNCTION names the function this module hands out"
#endif

extern "C" __attribute__((visibility("default"))) const void* switchboard_module_entry() {
  return reinterpret_cast<const void*>(&SWITCHBOARD_MODULE_FUNCTION);
}
