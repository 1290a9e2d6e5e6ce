// SIPVicious (Debian sipvicious) against `switchboard serve --agents sip` on
// 127.0.0.1: svwar must not list the agents, svcrack must not find a
// password that comes after 30 wrong guesses. Each has a control that shows
// the tool works here: svwar finds a call type by INVITE (documented:
// call types are no secret), svcrack finds the password when it is its
// second guess (before any lockout). The tools must be installed
// (scripts/install-deps): a missing one fails the test.
#include <gtest/gtest.h>

#include <fstream>

#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using switchboard::test::TempDir;

namespace {

std::string run(const std::string& tool, const std::string& args, const Server& server, int local_offset) {
  return capture("timeout 40 " + tool + " -b 127.0.0.1 -P " + std::to_string(base_port() + 2 + local_offset) + " -p " +
                 std::to_string(server.sip_port()) + " " + args + " 127.0.0.1 2>&1; echo exit=$?");
}

}  // namespace

TEST(SipVicious, SvwarListsNoAgent) {
  ASSERT_NE(capture("command -v svwar"), "") << "svwar missing: run scripts/install-deps";
  TempDir dir;
  std::ofstream(dir / "users.txt") << "alice\nbob\nmallory\nadmin\n100\n1000\ncustomers\n";
  Server server("sip-agents.yaml", "--agents sip");
  for (const std::string force : {"", "--force"}) {
    const std::string out = run("svwar", "-d " + (dir / "users.txt").string() + " " + force, server, 0);
    EXPECT_NE(out.find("found nothing"), std::string::npos) << out;
    EXPECT_EQ(out.find("| alice"), std::string::npos) << out;
    EXPECT_EQ(out.find("| bob"), std::string::npos) << out;
  }
  // Control: by INVITE svwar does find the call type (each probe that is
  // answered counts as an offered call; docs/serve.md).
  const std::string invite = run("svwar", "-m INVITE -d " + (dir / "users.txt").string(), server, 1);
  EXPECT_NE(invite.find("customers"), std::string::npos) << invite;
}

TEST(SipVicious, SvcrackFindsNoPasswordBehindTheLockout) {
  ASSERT_NE(capture("command -v svcrack"), "") << "svcrack missing: run scripts/install-deps";
  TempDir dir;
  {
    std::ofstream early(dir / "early.txt");
    early << "guess0\nwonderland\nguess1\n";
    std::ofstream late(dir / "late.txt");
    for (int i = 0; i < 30; ++i) late << "guess" << i << "\n";
    late << "wonderland\nguess99\n";
  }
  // svcrack registers a Contact at 1.1.1.1: allow it, so that only the
  // password decides.
  {
    Server server("sip-agents.yaml", "--agents sip --agent-networks 0.0.0.0/0");
    const std::string out = run("svcrack", "-u alice -d " + (dir / "early.txt").string(), server, 0);
    EXPECT_NE(out.find("wonderland"), std::string::npos) << out;  // the control: found at once
  }
  Server server("sip-agents.yaml", "--agents sip --agent-networks 0.0.0.0/0");
  const std::string out = run("svcrack", "-u alice -d " + (dir / "late.txt").string(), server, 1);
  EXPECT_NE(out.find("found nothing"), std::string::npos) << out;
  EXPECT_EQ(out.find("| alice"), std::string::npos) << out;
  EXPECT_GE(wait_for(server, "switchboard_sip_auth_failures_total", 31), 31);
}
