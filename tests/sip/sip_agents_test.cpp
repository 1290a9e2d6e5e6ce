// `switchboard serve --agents sip` against SIPp: agents register with digest
// credentials, SIPp phones answer or let ring, callers are bridged to them.
// Fixture: tests/sip/fixtures/sip-agents.yaml (alice and bob in group desk,
// ring timeout 2 s, 10 minutes out of rotation after a missed ring).
#include <gtest/gtest.h>

#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;

namespace {

// Local port offsets (base_port() + 2 + offset) of this file's SIPp runs.
constexpr int kCallers = 0, kAlicePhone = 3, kBobPhone = 4, kRegistrations = 5;

const char* kAgents = "switchboard_agents{group=\"desk\",state=";

}  // namespace

TEST(SipAgents, RegisteredAgentAnswersAndHangsUpEachCall) {
  Server server("sip-agents.yaml", "--agents sip");
  auto alice = server.phone("agent-answer.xml", "-m 5 -d 300", kAlicePhone);
  ASSERT_EQ(server.register_agent("alice", "wonderland", kAlicePhone, 600, kRegistrations), 0);
  EXPECT_EQ(wait_for(server, std::string(kAgents) + "\"available\"}", 1), 1);
  // Five callers one after the other: each is connected (the re-INVITE with
  // alice's SDP), alice hangs up after 300 ms, the server BYEs the caller.
  EXPECT_EQ(server.sipp("caller-ivr.xml", "-s customers -key digit 1 -d 1200 -m 5 -r 1 -l 1", kCallers), 0);
  EXPECT_EQ(alice->wait(), 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 5), 5);
  EXPECT_EQ(server.value("switchboard_calls_abandoned_total{queue=\"service\"}"), 0);
  EXPECT_EQ(server.value(std::string(kAgents) + "\"offline\"}"), 1);  // bob never registered
  EXPECT_EQ(server.value("switchboard_sip_responses_total{code=\"401\"}"), 1);
}

TEST(SipAgents, AgentWhoLetsItRingIsCancelledAndTheNextOneAnswers) {
  Server server("sip-agents.yaml", "--agents sip");
  auto alice = server.phone("agent-no-answer.xml", "-m 1", kAlicePhone);
  auto bob = server.phone("agent-answer.xml", "-m 1 -d 300", kBobPhone);
  // alice registers first: she has been available longest and is rung first.
  ASSERT_EQ(server.register_agent("alice", "wonderland", kAlicePhone, 600, kRegistrations), 0);
  std::this_thread::sleep_for(100ms);
  ASSERT_EQ(server.register_agent("bob", "builder", kBobPhone, 600, kRegistrations), 0);
  EXPECT_EQ(wait_for(server, std::string(kAgents) + "\"available\"}", 2), 2);
  EXPECT_EQ(server.sipp("caller-ivr.xml", "-s customers -key digit 1 -d 1200 -m 1", kCallers), 0);
  EXPECT_EQ(alice->wait(), 0);  // rang, then CANCEL after the 2 s ring timeout
  EXPECT_EQ(bob->wait(), 0);    // answered and hung up
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 1), 1);
  EXPECT_EQ(server.value(std::string(kAgents) + "\"away\"}"), 1);  // alice: out of rotation for 10 minutes
}

TEST(SipAgents, RegistrationNeedsAKnownUserAndTheRightPassword) {
  Server server("sip-agents.yaml", "--agents sip");
  EXPECT_NE(server.register_agent("alice", "not-her-password", kAlicePhone, 600, kRegistrations), 0);
  EXPECT_NE(server.register_agent("mallory", "anything", kAlicePhone, 600, kRegistrations), 0);
  // mallory has no login, and is answered exactly as alice with a wrong password.
  EXPECT_EQ(wait_for(server, "switchboard_sip_responses_total{code=\"403\"}", 2), 2);
  EXPECT_EQ(server.value("switchboard_sip_responses_total{code=\"401\"}"), 2);
  EXPECT_EQ(server.value("switchboard_sip_responses_total{code=\"404\"}"), -1);  // none sent
  EXPECT_EQ(server.value("switchboard_sip_auth_failures_total"), 2);
  EXPECT_EQ(server.value(std::string(kAgents) + "\"offline\"}"), 2);
  // Then the right password logs alice in, and Expires: 0 logs her out.
  EXPECT_EQ(server.register_agent("alice", "wonderland", kAlicePhone, 600, kRegistrations), 0);
  EXPECT_EQ(wait_for(server, std::string(kAgents) + "\"available\"}", 1), 1);
  EXPECT_EQ(server.register_agent("alice", "wonderland", kAlicePhone, 0, kRegistrations), 0);
  EXPECT_EQ(wait_for(server, std::string(kAgents) + "\"offline\"}", 2), 2);
}

TEST(SipAgents, CallerWhoHangsUpWhileTheAgentRingsCancelsTheAgent) {
  Server server("sip-agents.yaml", "--agents sip");
  auto alice = server.phone("agent-no-answer.xml", "-m 1", kAlicePhone);
  ASSERT_EQ(server.register_agent("alice", "wonderland", kAlicePhone, 600, kRegistrations), 0);
  // caller-abandon.xml hangs up (BYE) 1.5 s after the digit: alice still rings (timeout 2 s).
  EXPECT_EQ(server.sipp("caller-abandon.xml", "-s customers -key digit 1 -d 1200 -m 1", kCallers), 0);
  EXPECT_EQ(alice->wait(), 0);  // got the CANCEL
  EXPECT_EQ(wait_for(server, "switchboard_calls_abandoned_total{queue=\"service\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_calls_handled_total{queue=\"service\"}"), 0);
}

TEST(SipAgents, WithVirtualAgentsRegisterIsNotAllowed) {
  Server server("sip-agents.yaml", "");
  EXPECT_NE(server.register_agent("alice", "wonderland", kAlicePhone, 600, kRegistrations), 0);
  EXPECT_EQ(wait_for(server, "switchboard_sip_responses_total{code=\"405\"}", 1), 1);
}

TEST(SipAgents, CallerTakesACallbackAndTheAgentIsToldWhomToCall) {
  switchboard::test::TempDir logs;
  Server server("sip-agents-callback.yaml", "--agents sip --log-dir " + logs.path().string());
  // Nobody is logged in: the expected wait is unbounded, so the queue offers
  // a callback; the caller presses 1 and is hung up on.
  EXPECT_EQ(server.sipp("caller-callback.xml", "-s customers -key digit 1 -d 1200 -m 1", kCallers), 0);
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_active", 0), 0);
  // alice logs in later and calls the customer back.
  auto alice = server.phone("agent-answer.xml", "-m 1 -d 300", kAlicePhone);
  ASSERT_EQ(server.register_agent("alice", "wonderland", kAlicePhone, 600, kRegistrations), 0);
  EXPECT_EQ(alice->wait(), 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_calls_abandoned_total{queue=\"service\"}"), 0);
  server.stop();
  const std::string events = switchboard::test::read_file(logs / "events.jsonl");
  EXPECT_NE(events.find("\"event\":\"callback-offered\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"event\":\"callback-accepted\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"detail\":\"agent alice (callback)\""), std::string::npos) << events;
  const std::string cdr = switchboard::test::read_file(logs / "cdr.csv");
  EXPECT_NE(cdr.find(",handled,alice\n"), std::string::npos) << cdr;  // the agent column names the SIP agent
}

TEST(SipAgents, UnansweredCallbackOfferLapsesAndTheCallerStaysInQueue) {
  switchboard::test::TempDir logs;
  Server server("sip-agents-callback.yaml", "--agents sip --time-scale 10 --log-dir " + logs.path().string());
  // caller-abandon.xml presses the menu digit, then stays 1.5 s (15 scenario
  // seconds) in queue without answering the offer and hangs up: the offer
  // lapses after 10 scenario seconds and the call is an abandon.
  EXPECT_EQ(server.sipp("caller-abandon.xml", "-s customers -key digit 1 -d 300 -m 1", kCallers), 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_abandoned_total{queue=\"service\"}", 1), 1);
  server.stop();
  const std::string events = switchboard::test::read_file(logs / "events.jsonl");
  EXPECT_NE(events.find("\"event\":\"callback-offered\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"detail\":\"no answer\",\"event\":\"callback-declined\""), std::string::npos) << events;
  EXPECT_EQ(events.find("\"event\":\"callback-accepted\""), std::string::npos) << events;
}
