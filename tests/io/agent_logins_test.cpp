// SIP agents' logins from the scenario and from a CSV file: the same checks.
#include <gtest/gtest.h>

#include <fstream>

#include "io/agent_logins.hpp"
#include "io/scenario_loader.hpp"
#include "support/test_support.hpp"

using namespace switchboard;

namespace {

const char* kScenario = R"(name: logins
horizon: {length: 1h}
skills: [s]
agent_groups:
  - {name: sales, skills: [s], agents: 2}
  - {name: support, skills: [s], agents: 1}
queues:
  - {name: q, skill: s}
call_types:
  - {name: c, arrivals: {process: poisson, rate: 10}, handle_time: {dist: exponential, mean: 3m}, entry: {queue: q}}
)";

std::string messages(const InputError& e) {
  std::string out;
  for (const Problem& p : e.problems()) out += p.format() + "\n";
  return out;
}

std::vector<AgentGroup> two_groups() {
  AgentGroup sales, support;
  sales.name = "sales";
  support.name = "support";
  return {sales, support};
}

}  // namespace

TEST(AgentLogins, ScenarioSectionNamesUserPasswordAndGroup) {
  const Scenario s = parse_scenario(std::string(kScenario) +
                                        "agent_logins:\n  - {user: alice, password: s3cret, group: support}\n"
                                        "  - {user: bob.1, password: pw, group: sales}\n",
                                    "logins.yaml", ".");
  ASSERT_EQ(s.agent_logins.size(), 2u);
  EXPECT_EQ(s.agent_logins[0].user, "alice");
  EXPECT_EQ(s.agent_logins[0].password, "s3cret");
  EXPECT_EQ(s.agent_logins[0].group, 1);
  EXPECT_EQ(s.agent_logins[1].group, 0);
}

TEST(AgentLogins, ScenarioSectionReportsEveryMistakeWithItsPlace) {
  try {
    parse_scenario(std::string(kScenario) +
                       "agent_logins:\n  - {user: alice, password: a, group: support}\n"
                       "  - {user: alice, password: b, group: nowhere}\n"
                       "  - {user: 'bad user', group: sales}\n",
                   "logins.yaml", ".");
    FAIL() << "accepted bad logins";
  } catch (const InputError& e) {
    const std::string m = messages(e);
    EXPECT_NE(m.find("logins.yaml:14:"), std::string::npos) << m;
    EXPECT_NE(m.find("agent_logins[1].user: duplicate user 'alice'"), std::string::npos) << m;
    EXPECT_NE(m.find("agent_logins[1].group"), std::string::npos) << m;
    EXPECT_NE(m.find("nowhere"), std::string::npos) << m;
    EXPECT_NE(m.find("agent_logins[2].user: expected a SIP user name"), std::string::npos) << m;
    EXPECT_NE(m.find("agent_logins[2].password: expected the agent's password"), std::string::npos) << m;
  }
}

TEST(AgentLogins, CsvFileReadsEachAgent) {
  test::TempDir dir;
  const std::string path = (dir / "agents.csv").string();
  std::ofstream(path) << "user,password,group\r\nalice,pw1,support\r\nbob,pw,2,sales\n";
  try {
    read_agent_logins(path, two_groups());
    FAIL() << "accepted a line with four fields";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u) << messages(e);
    EXPECT_EQ(e.problems()[0].line, 3);
    EXPECT_NE(e.problems()[0].message.find("expected 3 fields"), std::string::npos);
  }
  std::ofstream(path) << "user,password,group\nalice,pw1,support\nbob,pw2,sales\n\n";
  const std::vector<AgentLogin> logins = read_agent_logins(path, two_groups());
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[0].user, "alice");
  EXPECT_EQ(logins[0].group, 1);
  EXPECT_EQ(logins[1].password, "pw2");
  EXPECT_EQ(logins[1].group, 0);
}

TEST(AgentLogins, CsvFileMistakesNameFileLineAndField) {
  test::TempDir dir;
  const std::string path = (dir / "agents.csv").string();
  std::ofstream(path) << "user,pass,group\nal ice,,sales\nbob,x,marketing\nbob,y,sales\n";
  try {
    read_agent_logins(path, two_groups());
    FAIL() << "accepted a bad file";
  } catch (const InputError& e) {
    const std::string m = messages(e);
    EXPECT_NE(m.find(path + ":1: header: expected 'user,password,group'"), std::string::npos) << m;
    EXPECT_NE(m.find(path + ":2: user: expected a SIP user name"), std::string::npos) << m;
    EXPECT_NE(m.find(path + ":2: password: expected a password"), std::string::npos) << m;
    EXPECT_NE(m.find(path + ":3: group: unknown group 'marketing' (known: sales, support)"), std::string::npos) << m;
    EXPECT_NE(m.find(path + ":4: user: duplicate user 'bob'"), std::string::npos) << m;
  }
  EXPECT_THROW(read_agent_logins((dir / "missing.csv").string(), two_groups()), InputError);
}
