// An agent's phone made of hand-written messages (a RawCaller or
// RawTcpCaller whose user is the agent's login): the digest REGISTER, the
// 200 to the server's INVITE, and a whole call to the agent as the flow
// tests (TCP, UDP behind NAT) check it. The registrar's tests use the
// digest too.
#pragma once

#include <re/re.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "sip/in_dialog_requests.hpp"
#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"

namespace switchboard::test {

inline std::string hex_md5(const std::string& text) {
  std::uint8_t digest[16];
  md5(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), digest);
  char out[33];
  for (int i = 0; i < 16; ++i) std::snprintf(out + 2 * i, 3, "%02x", digest[i]);
  return out;
}

// The value of `name="..."` in a header line.
inline std::string quoted_param(const std::string& header, const std::string& name) {
  const auto at = header.find(name + "=\"");
  if (at == std::string::npos) return {};
  const auto from = at + name.size() + 2;
  return header.substr(from, header.find('"', from) - from);
}

// REGISTER as `user` with `headers` (its Contact and Expires lines), the
// challenge answered with `password`: the final response to the second
// REGISTER (or the first's, if it was not a challenge).
template <class Phone>
std::string register_with_digest(Phone& phone, const std::string& user, const std::string& password,
                                 const std::string& headers) {
  phone.send(phone.request("REGISTER", 1, headers));
  const std::string challenge = phone.final_response();
  if (challenge.rfind("SIP/2.0 401 ", 0) != 0) return challenge;
  const std::string nonce = quoted_param(Phone::header(challenge, "WWW-Authenticate:"), "nonce");
  const std::string uri = "sip:" + user + "@127.0.0.1";
  const std::string response = hex_md5(hex_md5(user + ":switchboard:" + password) + ":" + nonce + ":00000001:c0ffee:auth:" +
                                       hex_md5("REGISTER:" + uri));
  phone.send(phone.request("REGISTER", 2,
                           headers + "Authorization: Digest username=\"" + user + "\", realm=\"switchboard\", nonce=\"" + nonce +
                               "\", uri=\"" + uri + "\", response=\"" + response +
                               "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c0ffee\"\r\n"));
  return phone.final_response();
}

// A 200 to a request of the server's (its INVITE), with a To tag of ours
// (a new dialog), `contact` as our Contact and `body` as the SDP answer.
template <class Phone>
std::string answer(const std::string& request, const std::string& contact, const std::string& body) {
  std::string m = "SIP/2.0 200 OK\r\n";
  for (const char* name : {"Via:", "From:"}) m += name + Phone::header(request, name) + "\r\n";
  m += "To:" + Phone::header(request, "To:") + ";tag=agent1\r\n";
  for (const char* name : {"Call-ID:", "CSeq:"}) m += name + Phone::header(request, name) + "\r\n";
  m += "Contact: " + contact + "\r\nContent-Type: application/sdp\r\nContent-Length: " + std::to_string(body.size()) +
       "\r\n\r\n" + body;
  return m;
}

// A caller on sip-agents.yaml is put through to the registered `agent`
// (desk group, queue service): the INVITE reaches `agent` with
// `request_uri`, and is answered 200 with `contact`; the ACK reaches it; the
// caller's BYE makes the server's BYE reach it. `where` names where the
// requests must arrive, for the failure messages.
template <class Phone>
void expect_the_agents_call(const serve::Server& server, Phone& agent, const std::string& request_uri,
                            const std::string& contact, const std::string& where) {
  RawCaller caller(server.sip_port(), "caller-for-agent");  // over UDP
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);
  caller.send(caller.request("INFO", 2, "", "Signal=1\r\nDuration=100\r\n", "application/dtmf-relay"));  // typed ahead for the menu

  const std::string invite = next_request_of(agent, "INVITE", 4000);
  ASSERT_FALSE(invite.empty()) << "no INVITE at " << where;
  EXPECT_EQ(invite.rfind("INVITE " + request_uri + " SIP/2.0", 0), 0u) << invite;
  agent.send(answer<Phone>(invite, contact, RawCaller::kOffer));
  EXPECT_FALSE(next_request_of(agent, "ACK", 2000).empty()) << "no ACK at " << where;
  EXPECT_EQ(serve::wait_for(server, "switchboard_agents{group=\"desk\",state=\"talking\"}", 1), 1);

  caller.send(caller.request("BYE", 3));  // the caller hangs up: the server hangs up the agent
  const std::string bye = next_request_of(agent, "BYE", 3000);
  ASSERT_FALSE(bye.empty()) << "no BYE at " << where;
  agent.reply(bye, 200);
  EXPECT_EQ(serve::wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 1), 1);
}

}  // namespace switchboard::test
