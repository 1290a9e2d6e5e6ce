#include <gtest/gtest.h>

#include "support/test_support.hpp"

using switchboard::test::run_cli;

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

TEST(CliDispatch, HelpListsEveryCommand) {
  const auto r = run_cli("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"simulate", "erlang", "staff", "forecast", "schedule"})
    EXPECT_NE(r.out.find(c), std::string::npos) << c;
}
