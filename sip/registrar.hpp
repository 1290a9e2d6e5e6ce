// The registrar for SIP agents (`--agents sip`): REGISTER with digest
// authentication (RFC 3261 22, RFC 2617 via libre's httpauth) against the
// scenario's agent logins, one binding per agent with its expiry. The server
// only ever calls a contact bound here, and only on the agent networks: it
// is not an open relay.
//
//   no Authorization            401 + WWW-Authenticate (Digest, MD5, qop=auth)
//                               for every user, known or not (no enumeration)
//   nonce of another Call-ID,   401 (a new challenge)
//     or forged
//   nonce older than 30 s, or   401 with stale=true
//     its nonce count reused
//   wrong user or password      403 Forbidden (a user with no login too)
//   too many failures           403 without looking at the password
//     (sip/auth_throttle.hpp)     (by source address and by user)
//   malformed credentials       400 Bad Request
//   Contact: * with Expires≠0   400 Bad Request (RFC 3261 10.3)
//   the address to be called    403 Source (or Contact) Not On The Agent
//     off the networks            Networks (--agent-networks)
//   Expires 0 (or ;expires=0)   the binding is removed: the agent logs out
//   otherwise                   200 OK, binding kept min(expires, 3600) s
//                               (600 s when pinned: see kMaxFlowExpires)
//
// A REGISTER over TCP also binds its connection (the flow): the agent's
// INVITEs go over it, not over a new connection to the Contact. So does a
// REGISTER over UDP straight from a phone (one Via, no Record-Route) whose
// Contact names a private address (sip/networks.hpp) other than the
// REGISTER's source: the phone is behind NAT, and is called at the source.
// A pinned binding's source must be on the agent networks, any other's
// Contact.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <re/re.h>

#include "core/scenario.hpp"
#include "sip/auth_throttle.hpp"
#include "sip/flow_pins.hpp"
#include "sip/networks.hpp"

namespace switchboard::sip {

class Registrar {
 public:
  // Told when an agent's binding appears or goes (unregistered or expired);
  // `login` indexes the logins given to the constructor.
  using Changed = std::function<void(int login, bool registered)>;

  Registrar(struct sip* stack, const std::vector<AgentLogin>& logins, std::vector<Network> agent_networks, Changed changed);
  ~Registrar();
  Registrar(const Registrar&) = delete;
  Registrar& operator=(const Registrar&) = delete;

  // Answers a REGISTER request; returns the status code sent.
  int handle(const struct sip_msg* msg);

  // The URI to INVITE for this agent, or nullptr if it is not registered.
  const std::string* contact(int login) const;
  // Where the agent's last REGISTER came from, if it is pinned there (over
  // TCP, or over UDP from behind NAT): its INVITEs go there; nullptr if the
  // Contact is called (or it is not registered).
  const Flow* flow(int login) const;
  const AgentLogin& login(int index) const { return logins_[index]; }
  // REGISTERs refused for their credentials (403), throttled ones included.
  std::uint64_t auth_failures() const { return auth_failures_; }

  static constexpr const char* kRealm = "switchboard";
  static constexpr std::uint32_t kMaxExpires = 3600;
  // libre closes a TCP connection after 900 s without a message from the
  // peer: an agent on a flow re-registers before that, keeping it open (and
  // one behind NAT refreshes its NAT's binding at least that often).
  static constexpr std::uint32_t kMaxFlowExpires = 600;
  static constexpr std::uint64_t kNonceLifetimeMs = 30000;
  static constexpr int kFreeFailuresPerSource = 20;  // several agents may share one address (NAT)

 private:
  struct Binding {
    Registrar* owner = nullptr;
    int login = 0;
    std::string contact;  // empty: not registered
    Flow flow;            // the REGISTER's source, if pinned there (else tp NONE)
    struct tmr expiry;
    std::string last_nonce;    // the nonce of the last accepted credentials
    std::uint32_t last_nc = 0; // and its nonce count: a replay repeats it
  };
  enum class Nonce { fresh, stale, foreign };

  int challenge(const struct sip_msg* msg, bool stale);
  int refuse(const struct sip_msg* msg, const std::string& source, const std::string& user);
  // Bound to the Call-ID: a captured nonce is no use in another dialog.
  std::string nonce(std::uint64_t issued_ms, std::uint32_t serial, const struct pl& call_id) const;
  Nonce check_nonce(const struct pl& nonce, const struct pl& call_id) const;
  static void on_expired(void* arg);
  void unbind(Binding& b);

  struct sip* sip_;
  std::vector<AgentLogin> logins_;
  Changed changed_;
  std::vector<std::unique_ptr<Binding>> bindings_;
  std::vector<Network> agent_networks_;
  AuthThrottle by_source_{kFreeFailuresPerSource};
  AuthThrottle by_user_;
  std::uint64_t secret_;
  std::uint64_t auth_failures_ = 0;
  std::uint32_t serial_ = 0;  // of the challenges sent
};

}  // namespace switchboard::sip
