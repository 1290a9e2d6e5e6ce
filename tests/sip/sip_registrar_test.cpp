// The registrar under attack (issue 15), with hand-made REGISTERs on
// 127.0.0.1: answers that do not tell which users exist, nonces that cannot
// be replayed or moved to another dialog, back-off for password guessing,
// and contacts only on the agent networks.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <cstdio>
#include <optional>
#include <thread>

#include <re/re.h>

#include "sip/agent_registration.hpp"
#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using switchboard::test::LoopbackUdp;
using switchboard::test::RawCaller;
using switchboard::test::hex_md5;

namespace {

// One agent's phone registering by hand.
class Registration {
 public:
  Registration(int server_port, std::string user, std::string call_id)
      : server_port_(server_port), user_(std::move(user)), call_id_(std::move(call_id)) {}

  std::string request(int cseq, const std::string& headers, const std::string& contact = "") const {
    const std::string p = std::to_string(udp_.port());
    return "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + p + ";branch=z9hG4bK-r" + std::to_string(cseq) + "-" +
           std::to_string(++branch_) + "\r\nFrom: <sip:" + user_ + "@127.0.0.1>;tag=r1\r\nTo: <sip:" + user_ +
           "@127.0.0.1>\r\nCall-ID: " + call_id_ + "\r\nCSeq: " + std::to_string(cseq) + " REGISTER\r\nContact: " +
           (contact.empty() ? "<sip:" + user_ + "@127.0.0.1:" + p + ">" : contact) + "\r\nMax-Forwards: 70\r\n" + headers +
           "Content-Length: 0\r\n\r\n";
  }
  std::string send(const std::string& m) const {
    udp_.send_to(server_port_, m);
    return udp_.receive(2000);
  }
  // The challenge's nonce (a REGISTER without credentials).
  std::string challenge(int cseq) {
    const std::string answer = send(request(cseq, ""));
    last_challenge_ = answer;
    const std::string value = RawCaller::header(answer, "WWW-Authenticate:");
    const auto at = value.find("nonce=\"");
    return at == std::string::npos ? "" : value.substr(at + 7, value.find('"', at + 7) - at - 7);
  }
  std::string authorization(const std::string& nonce, const std::string& password, int nc) const {
    char count[9];
    std::snprintf(count, sizeof count, "%08x", nc);
    const std::string ha1 = hex_md5(user_ + ":switchboard:" + password);
    const std::string ha2 = hex_md5("REGISTER:sip:127.0.0.1");
    const std::string response = hex_md5(ha1 + ":" + nonce + ":" + count + ":c0ffee:auth:" + ha2);
    return "Authorization: Digest username=\"" + user_ + "\", realm=\"switchboard\", nonce=\"" + nonce +
           "\", uri=\"sip:127.0.0.1\", response=\"" + response + "\", algorithm=MD5, cnonce=\"c0ffee\", qop=auth, nc=" + count +
           "\r\n";
  }
  // A whole login: challenge, then credentials; the final status line.
  std::string login(const std::string& password, int cseq, const std::string& headers = "", const std::string& contact = "") {
    const std::string nonce = challenge(cseq);
    return status(send(request(cseq + 1, authorization(nonce, password, 1) + headers, contact)));
  }
  static std::string status(const std::string& m) { return m.substr(0, m.find("\r\n")); }
  const std::string& last_challenge() const { return last_challenge_; }

 private:
  int server_port_;
  std::string user_, call_id_, last_challenge_;
  mutable int branch_ = 0;
  LoopbackUdp udp_;
};

}  // namespace

TEST(Registrar, UnknownAndKnownUsersGetTheSameAnswers) {
  Server server("sip-agents.yaml", "--agents sip");
  Registration alice(server.sip_port(), "alice", "enum-a"), mallory(server.sip_port(), "mallory", "enum-m");
  const std::string a = alice.send(alice.request(1, "")), m = mallory.send(mallory.request(1, ""));
  EXPECT_EQ(Registration::status(a), "SIP/2.0 401 Unauthorized");
  EXPECT_EQ(Registration::status(m), "SIP/2.0 401 Unauthorized");
  EXPECT_NE(RawCaller::header(m, "WWW-Authenticate:").find("Digest realm=\"switchboard\""), std::string::npos);
  EXPECT_EQ(alice.login("guess", 2), "SIP/2.0 403 Forbidden");
  EXPECT_EQ(mallory.login("guess", 2), "SIP/2.0 403 Forbidden");
  EXPECT_EQ(wait_for(server, "switchboard_sip_auth_failures_total", 2), 2);
}

TEST(Registrar, ACapturedAuthorizationCannotBeReplayed) {
  Server server("sip-agents.yaml", "--agents sip");
  Registration alice(server.sip_port(), "alice", "replay-1");
  const std::string nonce = alice.challenge(1);
  const std::string credentials = alice.authorization(nonce, "wonderland", 1);
  EXPECT_EQ(Registration::status(alice.send(alice.request(2, credentials))), "SIP/2.0 200 OK");
  // The same Authorization again, pointing the binding elsewhere: refused as
  // stale (the nonce count did not grow), the binding stays.
  const std::string replay = alice.send(alice.request(3, credentials, "<sip:alice@127.0.0.2:5999>"));
  EXPECT_EQ(Registration::status(replay), "SIP/2.0 401 Unauthorized");
  EXPECT_NE(RawCaller::header(replay, "WWW-Authenticate:").find("stale=true"), std::string::npos) << replay;
  // The phone's next refresh counts on (nc=2) and is accepted.
  EXPECT_EQ(Registration::status(alice.send(alice.request(4, alice.authorization(nonce, "wonderland", 2)))), "SIP/2.0 200 OK");
  // In another dialog (Call-ID) the same nonce is worth nothing.
  Registration thief(server.sip_port(), "alice", "replay-2");
  const std::string moved = thief.send(thief.request(1, thief.authorization(nonce, "wonderland", 3)));
  EXPECT_EQ(Registration::status(moved), "SIP/2.0 401 Unauthorized");
  EXPECT_EQ(RawCaller::header(moved, "WWW-Authenticate:").find("stale=true"), std::string::npos) << moved;
  EXPECT_EQ(wait_for(server, "switchboard_agents{group=\"desk\",state=\"available\"}", 1), 1);
}

TEST(Registrar, GuessingPasswordsIsSlowedDownAndCounted) {
  Server server("sip-agents.yaml", "--agents sip");
  Registration alice(server.sip_port(), "alice", "guess-1");
  for (int i = 0; i < 6; ++i) EXPECT_EQ(alice.login("guess" + std::to_string(i), 2 * i + 1), "SIP/2.0 403 Forbidden") << i;
  // Locked out: even the right password is refused, without being looked at.
  EXPECT_EQ(alice.login("wonderland", 20), "SIP/2.0 403 Forbidden");
  EXPECT_EQ(wait_for(server, "switchboard_sip_auth_failures_total", 7), 7);
  // Another user from the same address is not locked (a source may serve
  // several agents); bob logs in.
  Registration bob(server.sip_port(), "bob", "guess-2");
  EXPECT_EQ(bob.login("builder", 1), "SIP/2.0 200 OK");
  // The lock lapses (2 s after the 7th failure): alice's right password works.
  std::this_thread::sleep_for(std::chrono::milliseconds(2300));
  EXPECT_EQ(alice.login("wonderland", 30), "SIP/2.0 200 OK");
}

TEST(Registrar, ContactsOnlyOnTheAgentNetworks) {
  {
    Server server("sip-agents.yaml", "--agents sip");
    Registration alice(server.sip_port(), "alice", "net-1");
    EXPECT_EQ(alice.login("wonderland", 1, "", "<sip:alice@203.0.113.5:5060>"), "SIP/2.0 403 Contact Not On The Agent Networks");
    EXPECT_EQ(alice.login("wonderland", 3, "", "<sip:alice@gateway.example:5060>"), "SIP/2.0 403 Contact Not On The Agent Networks");
    EXPECT_EQ(wait_for(server, "switchboard_agents{group=\"desk\",state=\"offline\"}", 2), 2);
    EXPECT_EQ(alice.login("wonderland", 5), "SIP/2.0 200 OK");  // loopback: in the default networks
    // Behind NAT (straight from the phone, a private Contact not its
    // source): called at the source, which is on the networks.
    EXPECT_EQ(alice.login("wonderland", 7, "", "<sip:alice@192.168.1.20:5060>"), "SIP/2.0 200 OK");
    // Relayed by a proxy (a second Via): the Contact is called, and it is off the networks.
    EXPECT_EQ(alice.login("wonderland", 9, "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-proxy9\r\n", "<sip:alice@192.168.1.20:5060>"),
              "SIP/2.0 403 Contact Not On The Agent Networks");
  }
  {
    Server server("sip-agents.yaml", "--agents sip --agent-networks 203.0.113.0/24,fd00::/8");
    Registration alice(server.sip_port(), "alice", "net-2");
    EXPECT_EQ(alice.login("wonderland", 1, "", "<sip:alice@203.0.113.5:5060>"), "SIP/2.0 200 OK");
    EXPECT_EQ(alice.login("wonderland", 3, "", "<sip:alice@127.0.0.1:5060>"), "SIP/2.0 403 Contact Not On The Agent Networks");
    // Behind NAT she would be called at her source, 127.0.0.1: off these networks.
    EXPECT_EQ(alice.login("wonderland", 5, "", "<sip:alice@192.168.1.20:5060>"), "SIP/2.0 403 Source Not On The Agent Networks");
  }
}

TEST(Registrar, ContactStarNeedsExpiresZero) {
  Server server("sip-agents.yaml", "--agents sip");
  Registration alice(server.sip_port(), "alice", "star-1");
  EXPECT_EQ(alice.login("wonderland", 1), "SIP/2.0 200 OK");
  EXPECT_EQ(alice.login("wonderland", 3, "Expires: 3600\r\n", "*"), "SIP/2.0 400 Bad Request");
  EXPECT_EQ(wait_for(server, "switchboard_agents{group=\"desk\",state=\"available\"}", 1), 1);
  EXPECT_EQ(alice.login("wonderland", 5, "Expires: 0\r\n", "*"), "SIP/2.0 200 OK");
  EXPECT_EQ(wait_for(server, "switchboard_agents{group=\"desk\",state=\"available\"}", 0), 0);
}
