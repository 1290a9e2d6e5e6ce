#include "cli/cli_support.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

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

const char* version() { return SWITCHBOARD_VERSION; }

namespace {

// Boost parses "-1" into an unsigned flag as 2^64 - 1; refuse a sign instead.
void refuse_negative_unsigned(const po::parsed_options& parsed, const po::options_description& options) {
  for (const auto& o : parsed.options) {
    const auto* d = options.find_nothrow(o.string_key, false);
    if (d == nullptr) continue;
    const auto* semantic = d->semantic().get();
    const bool is_unsigned = dynamic_cast<const po::typed_value<std::uint64_t>*>(semantic) != nullptr ||
                             dynamic_cast<const po::typed_value<unsigned>*>(semantic) != nullptr;
    if (!is_unsigned) continue;
    for (const auto& token : o.value)
      if (token.find('-') != std::string::npos)
        throw InputError(Problem{"", 0, 0, "--" + o.string_key, "expected a whole number >= 0, got '" + token + "'"});
  }
}

}  // namespace

bool parse_args(const std::string& usage, const std::vector<std::string>& args,
                const po::options_description& options,
                const po::positional_options_description& positional, po::variables_map& vm) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  namespace style = po::command_line_style;
  const auto parsed = po::command_line_parser(args)
                          .options(all)
                          .positional(positional)
                          .style(style::default_style & ~style::allow_guessing)
                          .run();
  refuse_negative_unsigned(parsed, all);
  po::store(parsed, vm);
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

HostPort host_port_flag(const std::string& text, const std::string& flag) {
  const auto colon = text.rfind(':');
  std::size_t used = 0;
  int port = -1;
  try {
    if (colon != std::string::npos) port = std::stoi(text.substr(colon + 1), &used);
  } catch (const std::exception&) {
    used = 0;
  }
  require_flag(colon != std::string::npos && colon > 0 && used == text.size() - colon - 1 && port >= 0 && port <= 65535, flag,
               "HOST:PORT, e.g. 127.0.0.1:8080 (port 0: a free one); got '" + text + "'");
  return {text.substr(0, colon), port};
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
