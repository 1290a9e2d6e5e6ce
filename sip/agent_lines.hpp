// The agent side of `switchboard serve --agents sip`: agents register
// (sip/registrar.hpp), a chosen agent's contact gets an INVITE carrying the
// caller's SDP offer, and that leg's fate goes back to the core: answered
// (200), failed (an error response or no contact), or hung up (the agent's
// BYE). The server cancels a ring the core has moved on from and hangs up
// an agent whose caller left.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <re/re.h>

#include "core/driver.hpp"
#include "core/scenario.hpp"
#include "sip/flow_pins.hpp"
#include "sip/registrar.hpp"

namespace switchboard::sip {

class AgentLines {
 public:
  // What the agents' signalling means for the core; the server implements it.
  class Events {
   public:
    virtual ~Events() = default;
    virtual void agent_registered(AgentId agent, bool registered) = 0;
    virtual void agent_answered(AgentId agent, CallHandle call, const std::string& agent_sdp) = 0;
    virtual void agent_ring_failed(AgentId agent, CallHandle call) = 0;
    virtual void agent_hung_up(AgentId agent) = 0;
  };

  // `agent_of_login[i]`: the core's agent id for login i.
  // `agent_networks`: where the server may call a registered agent (sip/networks.hpp).
  // `flows`: an agent registered over TCP is called over that connection,
  // one registered over UDP from behind NAT at the REGISTER's source.
  AgentLines(struct sip* stack, struct sipsess_sock* sock, const std::vector<AgentLogin>& logins,
             std::vector<AgentId> agent_of_login, std::vector<Network> agent_networks, std::string local_uri, Events& events,
             FlowPins& flows);
  ~AgentLines();
  AgentLines(const AgentLines&) = delete;
  AgentLines& operator=(const AgentLines&) = delete;

  int on_register(const struct sip_msg* msg) { return registrar_.handle(msg); }
  std::uint64_t auth_failures() const { return registrar_.auth_failures(); }

  // INVITEs the agent's registered contact with the caller's SDP offer and
  // `headers` (CRLF-terminated lines); false (nothing sent) when the agent
  // has no binding.
  bool ring(AgentId agent, CallHandle call, const std::string& caller_sdp, const std::string& headers = "");
  // The agent's leg for `call`, if it still rings: CANCEL it.
  void cancel_ring(AgentId agent, CallHandle call);
  // Ends the agent's leg (CANCEL if ringing, BYE if answered).
  void hang_up(AgentId agent);
  bool has_leg(AgentId agent) const { return agent < legs_.size() && legs_[agent] != nullptr; }
  const std::string& user_of(AgentId agent) const;

 private:
  struct Leg {
    AgentLines* owner = nullptr;
    AgentId agent = 0;
    CallHandle call;
    struct sipsess* sess = nullptr;
    bool answered = false;
    std::string sdp;  // the agent's answer
    Flow flow;        // where its registration came from (tp NONE: the Contact is called)
  };

  static int on_offer(struct mbuf** descp, const struct sip_msg* msg, void* arg);
  static int on_answer(const struct sip_msg* msg, void* arg);
  static void on_progress(const struct sip_msg* msg, void* arg);
  static void on_established(const struct sip_msg* msg, void* arg);
  static void on_close(int err, const struct sip_msg* msg, void* arg);
  void drop(AgentId agent);

  struct sipsess_sock* sock_;
  std::vector<AgentId> agent_of_login_;
  std::vector<int> login_of_agent_;  // -1: a seat no login uses
  std::string local_uri_;             // From of our INVITEs
  Events& events_;
  FlowPins& flows_;
  std::vector<std::unique_ptr<Leg>> legs_;  // by agent id
  Registrar registrar_;
};

}  // namespace switchboard::sip
