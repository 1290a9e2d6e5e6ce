// What the server sends inside a caller's dialog, seen from the caller: the
// next request of a method, and the whole exchange of a call on
// straight-to-queue.yaml with the connect signal and the dialog probe on
// (re-INVITE, OPTIONS, the BYE at the talk's end), each answered 200. The
// flow tests (TCP, UDP behind NAT) check where these arrive.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "sip/raw_caller.hpp"

namespace switchboard::test {

// The next request of `method` within `ms` (others skipped).
template <class Caller>
std::string next_request_of(Caller& c, const std::string& method, int ms) {
  for (int waited = 0; waited < ms; waited += 250) {
    const std::string m = c.next_request(250);
    if (m.rfind(method + " ", 0) == 0) return m;
  }
  return {};
}

// The connect re-INVITE, the dialog probe and the BYE reach `caller`, their
// Request-URI its Contact (`contact_uri`); each is answered 200.
template <class Caller>
void expect_the_calls_requests(Caller& caller, const std::string& contact_uri) {
  const std::string reinvite = next_request_of(caller, "INVITE", 3000);  // the connect signal
  ASSERT_FALSE(reinvite.empty()) << "no re-INVITE reached the caller";
  EXPECT_EQ(reinvite.rfind("INVITE " + contact_uri + " SIP/2.0", 0), 0u) << reinvite;
  caller.reply(reinvite, 200, RawCaller::kOffer);

  const std::string probe = next_request_of(caller, "OPTIONS", 3000);
  ASSERT_FALSE(probe.empty()) << "no dialog probe reached the caller";
  caller.reply(probe, 200);

  const std::string bye = next_request_of(caller, "BYE", 6000);  // the talk's end
  ASSERT_FALSE(bye.empty()) << "no BYE reached the caller";
  EXPECT_EQ(bye.rfind("BYE " + contact_uri + " SIP/2.0", 0), 0u) << bye;
  caller.reply(bye, 200);
}

}  // namespace switchboard::test
