// In-dialog requests to a UDP caller behind NAT: a caller whose INVITE comes
// straight from it (one Via) from an address its Contact does not name gets
// the connect re-INVITE, the dialog probe and the server's BYE at the
// address its datagrams came from, not at its Contact (which names an
// address of its own network, unreachable from the server). An INVITE a
// proxy relayed (two Vias) keeps the Contact. An agent registered over UDP
// from behind NAT (a Contact naming a private address) is called at the
// address its REGISTER came from. On 127.0.0.1, bounded in time.
#include <gtest/gtest.h>

#include "sip/agent_registration.hpp"
#include "sip/in_dialog_requests.hpp"
#include "sip/loopback_udp.hpp"
#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using switchboard::test::LoopbackUdp;
using switchboard::test::RawCaller;
using switchboard::test::expect_the_agents_call;
using switchboard::test::register_with_digest;
using switchboard::test::expect_the_calls_requests;
using switchboard::test::next_request_of;

TEST(ServeUdpNat, ACallerBehindNatIsReachedWhereItsDatagramsCameFrom) {
  const LoopbackUdp unreachable;  // what the Contact names: bound, never read
  // Agents answer at once and talk 10 scenario s (2.5 s at --time-scale 4).
  Server server("straight-to-queue.yaml", "--time-scale 4 --dialog-probe 1");
  RawCaller caller(server.sip_port(), "udp-nat-1");
  caller.set_contact_port(unreachable.port());
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);

  // The Request-URI stays the Contact; the requests come to the source address.
  expect_the_calls_requests(caller, "sip:caller@127.0.0.1:" + std::to_string(unreachable.port()));
  if (HasFatalFailure()) return;

  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_sip_connect_failures_total"), 0);
  EXPECT_EQ(server.value("switchboard_sip_dialogs_gone_total"), 0);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_TRUE(unreachable.receive(0).empty());
}

TEST(ServeUdpNat, AnInviteAProxyRelayedKeepsTheContact) {
  Server server("straight-to-queue.yaml", "--time-scale 4 --dialog-probe 1 --connect-signal none");
  RawCaller proxy(server.sip_port(), "udp-nat-2");
  RawCaller phone(server.sip_port(), "udp-nat-2");  // the caller behind the proxy: where its Contact points
  proxy.set_contact_port(phone.port());
  ASSERT_EQ(proxy.call("Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(phone.port()) + ";branch=z9hG4bK-phone1\r\n")
                .rfind("SIP/2.0 200 ", 0),
            0u);

  const std::string probe = next_request_of(phone, "OPTIONS", 3000);
  ASSERT_FALSE(probe.empty()) << "no dialog probe at the Contact";
  phone.reply(probe, 200);
  const std::string bye = next_request_of(phone, "BYE", 6000);
  ASSERT_FALSE(bye.empty()) << "no BYE at the Contact";
  phone.reply(bye, 200);

  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_sip_dialogs_gone_total"), 0);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_TRUE(proxy.next_request(200).empty());  // nothing went to the proxy
}

// Her Contact names her home network's address (192.168.1.20), which the
// server cannot reach: it calls her where her REGISTER came from, the
// Request-URI still her Contact. Nothing is sent to 192.168.1.20 even if
// this regresses: off the agent networks, that Contact would be refused
// (403) before any call.
TEST(ServeUdpNat, AnAgentBehindNatIsCalledWhereItsRegisterCameFrom) {
  Server server("sip-agents.yaml", "--agents sip --connect-signal none");
  RawCaller alice(server.sip_port(), "alice-behind-nat", "alice");
  const std::string contact = "<sip:alice@192.168.1.20:5060>";
  const std::string registered = register_with_digest(alice, "alice", "wonderland", "Contact: " + contact + "\r\nExpires: 3600\r\n");
  ASSERT_EQ(registered.rfind("SIP/2.0 200 ", 0), 0u) << registered;
  // Pinned to her NAT's binding, she re-registers within 10 minutes (and so refreshes it).
  EXPECT_NE(RawCaller::header(registered, "Contact:").find("expires=600"), std::string::npos) << registered;

  expect_the_agents_call(server, alice, "sip:alice@192.168.1.20:5060", contact, "the address alice registered from");
  if (HasFatalFailure()) return;
  EXPECT_EQ(server.stop(), 0);
}
