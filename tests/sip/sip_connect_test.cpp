// The connect signal (issue 15, issue 9's "Also"): the re-INVITE that tells
// a caller an agent answered, its failure, and a caller's own re-INVITEs
// (hold/resume). Raw datagrams and SIPp on 127.0.0.1, bounded in time.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "sip/csv_row.hpp"
#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using switchboard::test::RawCaller;
using switchboard::test::TempDir;

namespace {

std::string last_cdr_outcome(const std::filesystem::path& file) {
  std::istringstream in(switchboard::test::read_file(file));
  std::string line, last;
  while (std::getline(in, line)) last = line;
  const auto row = switchboard::test::csv_row(last);
  return row.size() == 8 ? row[6] : "";
}

// The next request of `method` the server sends within `ms` (others skipped).
std::string next(RawCaller& c, const std::string& method, int ms) {
  for (int waited = 0; waited < ms; waited += 250) {
    const std::string m = c.next_request(250);
    if (m.rfind(method + " ", 0) == 0) return m;
  }
  return {};
}

}  // namespace

TEST(ServeConnect, ARejectedReinviteEndsTheCallAsConnectFailed) {
  TempDir logs;
  Server server("straight-to-queue.yaml", "--log-dir " + logs.path().string());
  RawCaller caller(server.sip_port(), "reject-reinvite");
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);
  const std::string reinvite = next(caller, "INVITE", 2000);
  ASSERT_FALSE(reinvite.empty());
  caller.reply(reinvite, 488);
  const std::string bye = next(caller, "BYE", 8000);  // within the server's 5 s for a 2xx
  ASSERT_FALSE(bye.empty());
  caller.reply(bye, 200);
  EXPECT_EQ(wait_for(server, "switchboard_sip_connect_failures_total", 1), 1);
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_active", 0), 0);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(last_cdr_outcome(logs / "cdr.csv"), "connect-failed");
}

TEST(ServeConnect, AByeIsNotHeldBehindAnUnansweredReinvite) {
  TempDir logs;
  Server server("straight-to-queue.yaml", "--log-dir " + logs.path().string());
  RawCaller caller(server.sip_port(), "silent-reinvite");
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);
  ASSERT_FALSE(next(caller, "INVITE", 2000).empty());
  // Never answered (its retransmissions neither): the BYE comes after the
  // 5 s connect timeout, not after the re-INVITE's 32 s transaction.
  const auto start = std::chrono::steady_clock::now();
  const std::string bye = next(caller, "BYE", 8000);
  ASSERT_FALSE(bye.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
  caller.reply(bye, 200);
  EXPECT_EQ(wait_for(server, "switchboard_sip_connect_failures_total", 1), 1);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(last_cdr_outcome(logs / "cdr.csv"), "connect-failed");
}

TEST(ServeConnect, HoldAndResumeAreAnsweredWithSdpOfOneOrigin) {
  Server server("ivr-two-queues.yaml", "");
  RawCaller caller(server.sip_port(), "hold-1");
  const std::string ok = caller.call();
  ASSERT_EQ(ok.rfind("SIP/2.0 200 ", 0), 0u);
  const std::string first = RawCaller::body(ok);
  EXPECT_NE(first.find("o=switchboard 1 1 IN IP4 127.0.0.1"), std::string::npos) << first;
  const std::string held = std::string(RawCaller::kOffer) + "a=sendonly\r\n";
  caller.send(caller.request("INVITE", 2, "Contact: <sip:caller@127.0.0.1:" + std::to_string(caller.port()) + ">\r\n", held));
  const std::string hold = caller.final_response();
  ASSERT_EQ(hold.rfind("SIP/2.0 200 ", 0), 0u) << hold;
  caller.send(caller.request("ACK", 2));
  const std::string hold_sdp = RawCaller::body(hold);
  EXPECT_NE(hold_sdp.find("o=switchboard 1 2 IN IP4 127.0.0.1"), std::string::npos) << hold_sdp;
  EXPECT_NE(hold_sdp.find("a=recvonly"), std::string::npos) << hold_sdp;
  EXPECT_EQ(hold_sdp.find("a=sendrecv"), std::string::npos) << hold_sdp;
  EXPECT_NE(hold_sdp.find("m=audio 10000 RTP/AVP 0 101"), std::string::npos) << hold_sdp;
  caller.send(caller.request("INVITE", 3, "Contact: <sip:caller@127.0.0.1:" + std::to_string(caller.port()) + ">\r\n", RawCaller::kOffer));
  const std::string resume = caller.final_response();
  ASSERT_EQ(resume.rfind("SIP/2.0 200 ", 0), 0u) << resume;
  caller.send(caller.request("ACK", 3));
  EXPECT_NE(RawCaller::body(resume).find("o=switchboard 1 3 IN IP4 127.0.0.1"), std::string::npos);
  EXPECT_NE(RawCaller::body(resume).find("a=sendrecv"), std::string::npos);
}

TEST(ServeConnect, TheConnectReinviteKeepsTheOrigin) {
  Server server("straight-to-queue.yaml", "");
  RawCaller caller(server.sip_port(), "origin-1");
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);
  const std::string reinvite = next(caller, "INVITE", 2000);
  ASSERT_FALSE(reinvite.empty());
  EXPECT_NE(RawCaller::body(reinvite).find("o=switchboard 1 2 "), std::string::npos) << reinvite;
  caller.reply(reinvite, 200, RawCaller::kOffer);
}

// SIPp's stock uac (INVITE, ACK, pause, BYE) expects no re-INVITE: with the
// default connect signal (none) every call succeeds, connected or not.
TEST(ServeConnect, StockSippUacSucceedsWithTheDefault) {
  EXPECT_NE(capture(std::string(SWITCHBOARD_CLI) + " serve --help").find("--connect-signal arg (=none)"), std::string::npos);
  Server server("straight-to-queue.yaml", "--connect-signal none");
  const std::string command = "timeout 60 sipp -sn uac -s customers 127.0.0.1:" + std::to_string(server.sip_port()) +
                              " -i 127.0.0.1 -p " + std::to_string(base_port() + 2) +
                              " -d 1000 -m 5 -r 5 -nostdin -timeout 30s -timeout_error >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 5), 5);  // hung up mid-talk
  EXPECT_EQ(server.value("switchboard_sip_responses_total{code=\"200\"}"), 10);  // INVITEs and BYEs: no re-INVITE of ours answered
}
