// What every subcommand shares: turning bad input into one clear message and
// exit status 2, and writing output files so that nothing is half-written.
#pragma once

#include <boost/program_options.hpp>

#include "io/atomic_file.hpp"
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace switchboard::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitThresholdMissed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternalError = 3;  // a bug: main()'s last-resort handler

// The project version from CMake (`switchboard --version`).
const char* version();

// Runs `body`; InputError, program_options errors and bad flag values become a
// message on stderr ("switchboard NAME: ...") and exit status 2.
int guarded(const std::string& command, const std::function<int()>& body);

// Parses `args` against `options` (positional names in `positional`), stores
// into `vm`. Returns false when --help was asked for (help already printed).
// Flags are matched exactly (no prefix guessing: --rep is not --reps), and a
// negative value of an unsigned flag (--seed -1) is refused rather than
// wrapped around.
bool parse_args(const std::string& usage, const std::vector<std::string>& args,
                const boost::program_options::options_description& options,
                const boost::program_options::positional_options_description& positional,
                boost::program_options::variables_map& vm);

// Throws InputError for the flag when `ok` is false: "--flag: expected ...".
void require_flag(bool ok, const std::string& flag, const std::string& expected);

// "HOST:PORT" (port 0..65535; 0: a free one) for `flag`; InputError otherwise.
struct HostPort {
  std::string host;
  int port = 0;
};
HostPort host_port_flag(const std::string& text, const std::string& flag);

// io/atomic_file.hpp: output targets are checked before any work starts,
// then written whole or not at all.
using switchboard::check_output_dir;
using switchboard::check_output_file;
using switchboard::write_file_atomically;
using switchboard::write_files_atomically;

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
