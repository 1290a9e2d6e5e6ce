#include "sip/sip_server_impl.hpp"

#include "sip/sdp_text.hpp"

namespace switchboard::sip {

void Server::ring_agent(CallHandle call, int, AgentId agent, bool) {
  if (shutting_down_) return;  // an agent freed by the shutdown takes no new call
  Leg* leg = leg_of(call);
  if (leg != nullptr && leg->queued < 0) leg->queued = now();  // offered at once: the wait starts here (docs/kpis.md)
  if (leg != nullptr) log_.event(now(), leg->id, "offered", "agent " + agent_name(agent) + (leg->closed ? " (callback)" : ""));
  if (agent_lines_ != nullptr) {
    stop_ringing(leg);
    // A callback: the caller is off the line; the agent is told whom to call.
    const std::string headers = leg != nullptr && leg->closed ? "X-Switchboard-Callback: <" + leg->caller_uri + ">\r\n" : "";
    if (leg != nullptr && agent_lines_->ring(agent, call, leg->offer, headers)) leg->ringing_agent = static_cast<int>(agent);
    else schedule(now(), sim::EventKind::ring_failed, call.slot, call.generation, agent);
    return;
  }
  const sim::VirtualAgents::Answer a = behaviour_.agents.ring(core_.agents()[agent].group);
  if (a.answers) schedule(now() + a.delay, sim::EventKind::answered, call.slot, call.generation, agent);
}

void Server::bridge(CallHandle call, int call_type, AgentHandle talk) {
  const AgentId agent = talk.agent;
  Leg* leg = leg_of(call);
  if (leg != nullptr) {
    leg->agent = static_cast<int>(agent);
    leg->talk = talk;
    leg->ringing_agent = -1;
    leg->answered = now();
    if (leg->media != nullptr) leg->media->stop();  // the agent's media takes over
    log_.event(now(), leg->id, "answered", "agent " + agent_name(agent));
    callback_done(leg, "placed");
    // The caller's dialog is re-INVITEd with the agent's media: connected
    // (the origin stays the server's, its version counts up).
    if (options_.connect_reinvite && leg->sess != nullptr && !leg->closed) {
      leg->sent_sdp = agent_lines_ != nullptr && !answering_sdp_.empty()
                          ? with_origin(answering_sdp_, ++leg->sdp_version)
                          : sdp(leg->local_address.c_str(), 20000 + 2 * static_cast<int>(agent % 10000), ++leg->sdp_version);
      struct mbuf* mb = to_mbuf(leg->sent_sdp);
      const int err = sipsess_modify(leg->sess, mb);
      mem_deref(mb);
      if (err != 0) {
        log_.event(now(), leg->id, "connect-signal-failed", std::to_string(err));
      } else {
        leg->connecting = true;
        tmr_start(&leg->connect_timer, kConnectTimeoutMs, &Server::on_connect_timeout, leg);
      }
    }
  }
  if (agent_lines_ != nullptr) return;  // the conversation ends with a BYE from either side
  const sim::VirtualAgents::Conversation c = behaviour_.agents.talk(call_type);
  schedule(now() + c.talk, sim::EventKind::talk_ended, talk.agent, talk.token, static_cast<std::uint32_t>(c.disposition + 1));
}

void Server::start_wrap_up(AgentHandle wrap_up, int group) {
  schedule(now() + behaviour_.agents.wrap_up(group), sim::EventKind::wrap_up_ended, wrap_up.agent, wrap_up.token, 0);
}

std::string Server::agent_name(AgentId agent) const {
  return agent_lines_ != nullptr ? agent_lines_->user_of(agent) : std::to_string(agent);
}

void Server::stop_ringing(Leg* leg) {
  if (leg == nullptr || leg->ringing_agent < 0 || agent_lines_ == nullptr) return;
  agent_lines_->cancel_ring(static_cast<AgentId>(leg->ringing_agent), leg->call);
  leg->ringing_agent = -1;
}

void Server::agent_registered(AgentId agent, bool registered) {
  log_.event(now(), agent_lines_->user_of(agent), registered ? "agent-registered" : "agent-unregistered");
  if (registered) core_.on_agent_login(now(), agent);
  else core_.on_agent_logout(now(), agent);
}

void Server::agent_answered(AgentId agent, CallHandle call, const std::string& agent_sdp) {
  answering_sdp_ = agent_sdp;
  core_.on_agent_answered(now(), agent, call);
  answering_sdp_.clear();
  const Agent& a = core_.agents()[agent];
  if (a.state != AgentState::talking || !(a.call == call)) {
    // Answered a call the core had moved on from (the 200 crossed our
    // CANCEL): hang up once libre has finished with this response.
    late_answers_.push_back(agent);
    tmr_start(&late_answer_timer_, 0, &Server::on_late_answers, this);
  }
}

void Server::on_late_answers(void* arg) {
  auto* self = static_cast<Server*>(arg);
  for (AgentId agent : self->late_answers_) {
    const Agent& a = self->core_.agents()[agent];
    if (a.state != AgentState::talking) self->agent_lines_->hang_up(agent);
  }
  self->late_answers_.clear();
}

void Server::agent_ring_failed(AgentId agent, CallHandle call) {
  if (Leg* leg = leg_of(call); leg != nullptr && leg->ringing_agent == static_cast<int>(agent)) leg->ringing_agent = -1;
  core_.on_ring_failed(now(), agent, call);
}

}  // namespace switchboard::sip
