// In-dialog requests over a TCP peer's own connection (issue 15, "TCP"): a
// caller over TCP whose Contact names a port where nobody listens (behind
// NAT, or a phone that does not listen) still gets the connect re-INVITE,
// the dialog probe and the server's BYE, over the connection its INVITE
// came on; the same for an agent registered over TCP and its INVITE.
// On 127.0.0.1, bounded in time.
#include <gtest/gtest.h>

#include <re/re.h>

#include <thread>

#include "sip/agent_registration.hpp"
#include "sip/in_dialog_requests.hpp"
#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using switchboard::test::RawCaller;
using switchboard::test::RawTcpCaller;
using switchboard::test::expect_the_agents_call;
using switchboard::test::register_with_digest;
using switchboard::test::expect_the_calls_requests;
using switchboard::test::next_request_of;

namespace {

// A TCP port on 127.0.0.1 bound but not listening while this lives: a
// connection to it is refused.
class DeadPort {
 public:
  DeadPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~DeadPort() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

}  // namespace

TEST(ServeTcpFlow, ACallerIsReachedOverItsOwnConnection) {
  const int tcp_port = base_port() + 8;
  DeadPort dead;
  // Agents answer at once and talk 10 scenario s (2.5 s at --time-scale 4).
  Server server("straight-to-queue.yaml",
                "--time-scale 4 --dialog-probe 1 --sip tcp:127.0.0.1:" + std::to_string(tcp_port));
  RawTcpCaller caller(tcp_port, "tcp-flow-1");
  ASSERT_TRUE(caller.socket().connected());
  caller.set_contact_port(dead.port());
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);

  // The Request-URI stays the Contact; the requests come over the connection.
  expect_the_calls_requests(caller, "sip:caller@127.0.0.1:" + std::to_string(dead.port()) + ";transport=tcp");
  if (HasFatalFailure()) return;

  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_sip_connect_failures_total"), 0);
  EXPECT_EQ(server.value("switchboard_sip_dialogs_gone_total"), 0);
  EXPECT_EQ(server.stop(), 0);
}

TEST(ServeTcpFlow, AnAgentRegisteredOverTcpIsCalledOverThatConnection) {
  const int tcp_port = base_port() + 8;
  DeadPort dead;
  Server server("sip-agents.yaml", "--agents sip --connect-signal none --sip tcp:127.0.0.1:" + std::to_string(tcp_port));
  RawTcpCaller alice(tcp_port, "alice-registration", "alice");
  ASSERT_TRUE(alice.socket().connected());
  alice.set_contact_port(dead.port());  // her phone takes calls only over this connection
  const std::string registered =
      register_with_digest(alice, "alice", "wonderland", "Contact: " + alice.contact() + "\r\nExpires: 3600\r\n");
  ASSERT_EQ(registered.rfind("SIP/2.0 200 ", 0), 0u) << registered;
  // Within libre's 900 s idle limit of a TCP connection: she re-registers before it closes.
  EXPECT_NE(RawTcpCaller::header(registered, "Contact:").find("expires=600"), std::string::npos) << registered;

  const std::string contact_uri = alice.contact().substr(1, alice.contact().size() - 2);  // the Request-URI stays her Contact
  expect_the_agents_call(server, alice, contact_uri, alice.contact(), "alice's registration connection");
  if (HasFatalFailure()) return;
  EXPECT_EQ(server.stop(), 0);
}
