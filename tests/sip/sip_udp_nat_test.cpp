// In-dialog requests to a UDP caller behind NAT: a caller whose INVITE comes
// straight from it (one Via) from an address its Contact does not name gets
// the connect re-INVITE, the dialog probe and the server's BYE at the
// address its datagrams came from, not at its Contact (which names an
// address of its own network, unreachable from the server). An INVITE a
// proxy relayed (two Vias) keeps the Contact. On 127.0.0.1, bounded in time.
#include <gtest/gtest.h>

#include "sip/loopback_udp.hpp"
#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using switchboard::test::LoopbackUdp;
using switchboard::test::RawCaller;

namespace {

// The next request of `method` within `ms` (others skipped).
std::string next(RawCaller& c, const std::string& method, int ms) {
  for (int waited = 0; waited < ms; waited += 250) {
    const std::string m = c.next_request(250);
    if (m.rfind(method + " ", 0) == 0) return m;
  }
  return {};
}

}  // namespace

TEST(ServeUdpNat, ACallerBehindNatIsReachedWhereItsDatagramsCameFrom) {
  const LoopbackUdp unreachable;  // what the Contact names: bound, never read
  // Agents answer at once and talk 10 scenario s (2.5 s at --time-scale 4).
  Server server("straight-to-queue.yaml", "--time-scale 4 --dialog-probe 1");
  RawCaller caller(server.sip_port(), "udp-nat-1");
  caller.set_contact_port(unreachable.port());
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);

  const std::string contact_uri = "sip:caller@127.0.0.1:" + std::to_string(unreachable.port());
  const std::string reinvite = next(caller, "INVITE", 3000);  // the connect signal
  ASSERT_FALSE(reinvite.empty()) << "no re-INVITE at the caller's source address";
  EXPECT_EQ(reinvite.rfind("INVITE " + contact_uri + " SIP/2.0", 0), 0u) << reinvite;  // the Request-URI stays the Contact
  caller.reply(reinvite, 200, RawCaller::kOffer);

  const std::string probe = next(caller, "OPTIONS", 3000);
  ASSERT_FALSE(probe.empty()) << "no dialog probe at the caller's source address";
  caller.reply(probe, 200);

  const std::string bye = next(caller, "BYE", 6000);  // the talk's end
  ASSERT_FALSE(bye.empty()) << "no BYE at the caller's source address";
  EXPECT_EQ(bye.rfind("BYE " + contact_uri + " SIP/2.0", 0), 0u) << bye;
  caller.reply(bye, 200);

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

  const std::string probe = next(phone, "OPTIONS", 3000);
  ASSERT_FALSE(probe.empty()) << "no dialog probe at the Contact";
  phone.reply(probe, 200);
  const std::string bye = next(phone, "BYE", 6000);
  ASSERT_FALSE(bye.empty()) << "no BYE at the Contact";
  phone.reply(bye, 200);

  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_sip_dialogs_gone_total"), 0);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_TRUE(proxy.next_request(200).empty());  // nothing went to the proxy
}
