#include "cli/cli_support.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>

#include "core/input_error.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

int guarded(const std::string& command, const std::function<int()>& body) {
  try {
    return body();
  } catch (const InputError& e) {
    for (const auto& p : e.problems()) std::cerr << "switchboard " << command << ": " << p.format() << "\n";
    return kExitBadInput;
  } catch (const po::error& e) {
    std::cerr << "switchboard " << command << ": " << e.what() << " (see --help)\n";
    return kExitBadInput;
  }
}

bool parse_args(const std::string& usage, const std::vector<std::string>& args,
                const po::options_description& options,
                const po::positional_options_description& positional, po::variables_map& vm) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::cout << usage << "\n\n" << all << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

void require_flag(bool ok, const std::string& flag, const std::string& expected) {
  if (!ok) throw InputError(Problem{"", 0, 0, flag, "expected " + expected});
}

namespace {
std::string unique_suffix() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(rd());
}
}  // namespace

void write_files_atomically(const std::filesystem::path& dir,
                            const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw InputError(Problem{dir.string(), 0, 0, "--out", "expected a directory that can be created"});
  const auto staging = dir / (".staging-" + unique_suffix());
  std::filesystem::create_directory(staging);
  try {
    for (const auto& [name, text] : files) {
      std::ofstream out(staging / name, std::ios::binary);
      out << text;
      out.flush();
      if (!out) throw InputError(Problem{(dir / name).string(), 0, 0, "--out", "cannot write the file"});
    }
  } catch (...) {
    std::filesystem::remove_all(staging, ec);
    throw;
  }
  for (const auto& [name, text] : files) std::filesystem::rename(staging / name, dir / name);
  std::filesystem::remove_all(staging, ec);
}

SilencedStdout::SilencedStdout(bool active) {
  if (!active) return;
  std::fflush(stdout);
  std::cout.flush();
  saved_ = dup(STDOUT_FILENO);
  const int null = open("/dev/null", O_WRONLY);
  if (saved_ >= 0 && null >= 0) dup2(null, STDOUT_FILENO);
  if (null >= 0) close(null);
}

SilencedStdout::~SilencedStdout() {
  if (saved_ < 0) return;
  std::fflush(stdout);
  dup2(saved_, STDOUT_FILENO);
  close(saved_);
}

}  // namespace switchboard::cli
