#include "sip/agent_lines.hpp"

#include <algorithm>

namespace switchboard::sip {

AgentLines::AgentLines(struct sip* stack, struct sipsess_sock* sock, const std::vector<AgentLogin>& logins,
                       std::vector<AgentId> agent_of_login, std::vector<Network> agent_networks, std::string local_uri,
                       Events& events, FlowPins& flows)
    : sock_(sock),
      agent_of_login_(std::move(agent_of_login)),
      local_uri_(std::move(local_uri)),
      events_(events),
      flows_(flows),
      registrar_(stack, logins, std::move(agent_networks), [this](int login, bool registered) {
        events_.agent_registered(agent_of_login_[login], registered);
      }) {
  const AgentId seats = agent_of_login_.empty() ? 0 : *std::max_element(agent_of_login_.begin(), agent_of_login_.end()) + 1;
  login_of_agent_.assign(seats, -1);
  legs_.resize(seats);
  for (std::size_t i = 0; i < agent_of_login_.size(); ++i) login_of_agent_[agent_of_login_[i]] = static_cast<int>(i);
}

AgentLines::~AgentLines() {
  for (auto& leg : legs_)
    if (leg != nullptr) mem_deref(leg->sess);
}

const std::string& AgentLines::user_of(AgentId agent) const { return registrar_.login(login_of_agent_[agent]).user; }

bool AgentLines::ring(AgentId agent, CallHandle call, const std::string& caller_sdp, const std::string& headers) {
  if (agent >= legs_.size() || login_of_agent_[agent] < 0) return false;
  const std::string* contact = registrar_.contact(login_of_agent_[agent]);
  if (contact == nullptr) return false;  // never an address that did not register
  hang_up(agent);
  auto leg = std::make_unique<Leg>();
  leg->owner = this;
  leg->agent = agent;
  leg->call = call;
  // Registered over TCP, or over UDP from behind NAT: the INVITE goes to
  // where the REGISTER came from (its route set names it: the agent, a UAS,
  // ignores the Route header; RFC 3261 8.2).
  const Flow* flow = registrar_.flow(login_of_agent_[agent]);
  const std::string route = flow != nullptr ? FlowPins::route(*flow) : std::string();
  const char* routev[] = {route.c_str()};
  if (flow != nullptr) leg->flow = *flow;
  struct mbuf* offer = mbuf_alloc(caller_sdp.size() + 1);
  mbuf_write_str(offer, caller_sdp.c_str());
  mbuf_set_pos(offer, 0);
  const int err = sipsess_connect(&leg->sess, sock_, contact->c_str(), "switchboard", local_uri_.c_str(), "switchboard",
                                  route.empty() ? nullptr : routev, route.empty() ? 0 : 1, "application/sdp", offer, nullptr,
                                  nullptr, false, &AgentLines::on_offer, &AgentLines::on_answer, &AgentLines::on_progress,
                                  &AgentLines::on_established, nullptr, nullptr, &AgentLines::on_close, leg.get(),
                                  "Allow: INVITE, ACK, BYE, CANCEL\r\n%s", headers.c_str());
  mem_deref(offer);
  if (err != 0) return false;
  legs_[agent] = std::move(leg);
  return true;
}

void AgentLines::cancel_ring(AgentId agent, CallHandle call) {
  if (!has_leg(agent) || legs_[agent]->answered || !(legs_[agent]->call == call)) return;
  hang_up(agent);
}

// libre sends CANCEL for an unanswered INVITE and BYE for an established
// dialog when the session is released; it does not call our close handler.
void AgentLines::hang_up(AgentId agent) {
  if (!has_leg(agent)) return;
  mem_deref(legs_[agent]->sess);
  legs_[agent].reset();
}

void AgentLines::drop(AgentId agent) { legs_[agent].reset(); }

int AgentLines::on_offer(struct mbuf** descp, const struct sip_msg*, void*) {
  *descp = nullptr;  // an agent's re-INVITE: keep the session as it is
  return 0;
}

int AgentLines::on_answer(const struct sip_msg* msg, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  leg->sdp.assign(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
  // libre rebuilt the route from the 2xx (its Contact): back to the flow,
  // before the ACK goes out (sip/flow_pins.hpp).
  if (leg->flow.tp != SIP_TRANSP_NONE) leg->owner->flows_.pin(sipsess_dialog(leg->sess), leg->flow);
  return 0;
}

void AgentLines::on_progress(const struct sip_msg*, void*) {}

void AgentLines::on_established(const struct sip_msg*, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  leg->answered = true;
  leg->owner->events_.agent_answered(leg->agent, leg->call, leg->sdp);
}

// The agent declined, could not be reached, or hung up.
void AgentLines::on_close(int, const struct sip_msg*, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  AgentLines* self = leg->owner;
  const AgentId agent = leg->agent;
  const CallHandle call = leg->call;
  const bool answered = leg->answered;
  mem_deref(leg->sess);
  self->drop(agent);  // frees leg
  if (answered) self->events_.agent_hung_up(agent);
  else self->events_.agent_ring_failed(agent, call);
}

}  // namespace switchboard::sip
