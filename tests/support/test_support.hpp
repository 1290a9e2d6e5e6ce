// Helpers shared by the test executables: run the CLI, read files, temp dirs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace switchboard::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;   // stdout
  std::string err;   // stderr
};

// Runs the built `switchboard` with the given arguments (a shell-quoted string).
CommandResult run_cli(const std::string& args);

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
// The file's lines, without their newlines.
std::vector<std::string> read_lines(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);
std::filesystem::path source_dir();   // repository root
std::filesystem::path data_dir();     // data/ (the data the project ships)

}  // namespace switchboard::test
