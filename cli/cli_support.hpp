// What every subcommand shares: turning bad input into one clear message and
// exit status 2, and writing output files so that nothing is half-written.
#pragma once

#include <boost/program_options.hpp>

#include "core/atomic_file.hpp"
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace switchboard::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitThresholdMissed = 1;
inline constexpr int kExitBadInput = 2;

// Runs `body`; InputError, program_options errors and bad flag values become a
// message on stderr ("switchboard NAME: ...") and exit status 2.
int guarded(const std::string& command, const std::function<int()>& body);

// Parses `args` against `options` (positional names in `positional`), stores
// into `vm`. Returns false when --help was asked for (help already printed).
bool parse_args(const std::string& usage, const std::vector<std::string>& args,
                const boost::program_options::options_description& options,
                const boost::program_options::positional_options_description& positional,
                boost::program_options::variables_map& vm);

// Throws InputError for the flag when `ok` is false: "--flag: expected ...".
void require_flag(bool ok, const std::string& flag, const std::string& expected);

using switchboard::write_file_atomically;  // core/atomic_file.hpp

// Writes several files into `dir` as one step: all go to a fresh sibling
// directory first and are renamed in only when every one was written.
// Files already in `dir` that are not being written are kept.
void write_files_atomically(const std::filesystem::path& dir,
                            const std::vector<std::pair<std::string, std::string>>& files);

// While alive, the process's stdout goes to /dev/null: for libraries that
// print progress with printf whatever their log level (CBC's driver).
class SilencedStdout {
 public:
  explicit SilencedStdout(bool active = true);
  ~SilencedStdout();
  SilencedStdout(const SilencedStdout&) = delete;
  SilencedStdout& operator=(const SilencedStdout&) = delete;

 private:
  int saved_ = -1;
};

}  // namespace switchboard::cli
