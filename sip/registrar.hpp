// The registrar for SIP agents (`--agents sip`): REGISTER with digest
// authentication (RFC 3261 22, RFC 2617 via libre's httpauth) against the
// scenario's agent logins, one binding per agent with its expiry. The server
// only ever calls a contact bound here: it is not an open relay.
//
//   no Authorization            401 + WWW-Authenticate (Digest, MD5, qop=auth)
//   To: a user with no login    404 Not Found
//   nonce older than 5 minutes  401 with stale=true
//   wrong user or password      403 Forbidden
//   malformed credentials       400 Bad Request
//   Expires 0 (or ;expires=0)   the binding is removed: the agent logs out
//   otherwise                   200 OK, binding kept min(expires, 3600) s
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <re/re.h>

#include "core/scenario.hpp"

namespace switchboard::sip {

class Registrar {
 public:
  // Told when an agent's binding appears or goes (unregistered or expired);
  // `login` indexes the logins given to the constructor.
  using Changed = std::function<void(int login, bool registered)>;

  Registrar(struct sip* stack, const std::vector<AgentLogin>& logins, Changed changed);
  ~Registrar();
  Registrar(const Registrar&) = delete;
  Registrar& operator=(const Registrar&) = delete;

  // Answers a REGISTER request; returns the status code sent.
  int handle(const struct sip_msg* msg);

  // The URI to INVITE for this agent, or nullptr if it is not registered.
  const std::string* contact(int login) const;
  const AgentLogin& login(int index) const { return logins_[index]; }

  static constexpr const char* kRealm = "switchboard";
  static constexpr std::uint32_t kMaxExpires = 3600;
  static constexpr std::uint64_t kNonceLifetimeMs = 300000;

 private:
  struct Binding {
    Registrar* owner = nullptr;
    int login = 0;
    std::string contact;  // empty: not registered
    struct tmr expiry;
  };

  int challenge(const struct sip_msg* msg, bool stale);
  std::string nonce(std::uint64_t issued_ms) const;
  bool nonce_fresh(const struct pl& nonce, bool& stale) const;
  static void on_expired(void* arg);
  void unbind(Binding& b);

  struct sip* sip_;
  std::vector<AgentLogin> logins_;
  Changed changed_;
  std::vector<std::unique_ptr<Binding>> bindings_;
  std::uint64_t secret_;
};

}  // namespace switchboard::sip
