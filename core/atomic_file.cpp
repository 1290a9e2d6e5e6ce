#include "core/atomic_file.hpp"

#include <fstream>
#include <random>

#include "core/input_error.hpp"

namespace switchboard {

void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  std::random_device rd;
  const auto tmp = path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(rd()) + std::to_string(rd()));
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw InputError(Problem{path.string(), 0, 0, "", "cannot write the file"});
    }
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace switchboard
