#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "support/test_support.hpp"

using switchboard::test::run_cli;
using switchboard::test::source_dir;

namespace {

// The commands the usage text lists: the lines of its `commands:` section.
std::set<std::string> listed_commands(const std::string& usage) {
  std::set<std::string> names;
  std::istringstream in(usage.substr(usage.find("commands:")));
  std::string line;
  std::getline(in, line);
  const std::regex entry("^  ([a-z]+) +\\S.*");
  for (std::smatch m; std::getline(in, line) && !line.empty();)
    if (std::regex_match(line, m, entry)) names.insert(m[1]);
  return names;
}

}  // namespace

TEST(CliDispatch, UnknownCommandIsBadInput) {
  const auto r = run_cli("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST(CliDispatch, NoCommandIsBadInput) {
  const auto r = run_cli("");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage: switchboard COMMAND"), std::string::npos);
}

// The list of commands is derived, so that it cannot drift: every
// cli/cmd_NAME.cpp is a command, the help lists exactly those, and each one
// listed answers its own --help.
TEST(CliDispatch, HelpListsEveryCommand) {
  std::set<std::string> sources;
  for (const auto& f : std::filesystem::directory_iterator(source_dir() / "cli")) {
    const std::string name = f.path().filename().string();
    if (name.rfind("cmd_", 0) == 0 && f.path().extension() == ".cpp") sources.insert(name.substr(4, name.size() - 8));
  }
  ASSERT_GE(sources.size(), 6u);
  const auto r = run_cli("--help");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(listed_commands(r.out), sources) << r.out;
  for (const auto& c : sources) {
    const auto help = run_cli(c + " --help");
    EXPECT_EQ(help.exit_code, 0) << c;
    EXPECT_NE(help.out.find("usage: switchboard " + c), std::string::npos) << c << ": " << help.out;
  }
}

TEST(CliDispatch, VersionIsTheProjectVersion) {
  const auto r = run_cli("--version");
  EXPECT_EQ(r.exit_code, 0);
  // The version CMake's project() declares.
  const std::string cmake = switchboard::test::read_file(source_dir() / "CMakeLists.txt");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(cmake, m, std::regex("project\\(switchboard VERSION ([0-9.]+)")));
  EXPECT_EQ(r.out, "switchboard " + m[1].str() + "\n");
}
