// How every command parses its flags (cli/cli_support.cpp): names match
// exactly, unsigned values refuse a sign.
#include <gtest/gtest.h>

#include "support/test_support.hpp"

using switchboard::test::run_cli;
using switchboard::test::source_dir;

namespace {
std::string scenario(const std::string& name) { return (source_dir() / "scenarios" / name).string(); }
}  // namespace

TEST(CliFlags, APrefixOfAFlagIsNotThatFlag) {
  // Boost's default guesses --rep means --reps; a typo must be an error.
  for (const std::string& args : {"simulate " + scenario("erlang-c.yaml") + " --rep 2",
                                 "staff " + scenario("erlang-c.yaml") + " --target 0.8",
                                 std::string("erlang c --arrival 360 --aht 240 --agents 30 --answer-within 20")}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("unrecognised option"), std::string::npos) << args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
  }
}

TEST(CliFlags, ANegativeSeedIsRefusedNotWrapped) {
  for (const std::string& args : {"simulate " + scenario("erlang-c.yaml") + " --reps 2 --seed -1 --format json",
                                 "staff " + scenario("erlang-c.yaml") + " --method simulation --seed -1",
                                 "simulate " + scenario("erlang-c.yaml") + " --reps 2 --seed=-5"}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("--seed: expected a whole number >= 0"), std::string::npos) << args << ": " << r.err;
    EXPECT_EQ(r.out.find("18446744073709551615"), std::string::npos) << args;
  }
  const auto ok = run_cli("simulate " + scenario("erlang-c.yaml") + " --reps 2 --seed 0 --format json");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(CliFlags, AMissingErlangFlagIsNamedAsMissing) {
  for (const auto& [args, flag] : std::vector<std::pair<std::string, std::string>>{
           {"erlang c --arrival-rate 100 --aht 180 --agents 10", "--answer-within"},
           {"erlang a --arrival-rate 100 --aht 180 --agents 10 --answer-within 20", "--patience"},
           {"erlang b --traffic 5", "--lines"}}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(flag + ": missing: erlang "), std::string::npos) << args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
  }
}
