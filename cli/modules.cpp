#include "cli/modules.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <stdexcept>

namespace switchboard::cli {

namespace {
// Modules sit in lib/ beside the executable, wherever it was built or installed.
std::filesystem::path module_path(const std::string& name) {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find the switchboard executable's folder: " + ec.message());
  return exe.parent_path() / "lib" / ("switchboard-" + name + ".so");
}
}  // namespace

const void* module_entry(const std::string& name) {
  const std::filesystem::path path = module_path(name);
  // RTLD_LOCAL: a module's libraries stay its own (libre's timers bind to
  // sip/libre_timers.cpp inside the serve module, docs/performance.md).
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) throw std::runtime_error(std::string("cannot load a part of switchboard: ") + dlerror());
  using Entry = const void* (*)();
  auto* entry = reinterpret_cast<Entry>(dlsym(handle, kModuleEntry));
  if (entry == nullptr) throw std::runtime_error(path.string() + " is not a switchboard module");
  return entry();  // the module stays loaded until the process ends
}

}  // namespace switchboard::cli
