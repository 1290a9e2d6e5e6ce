// Faults from outside: an agent site lost with its agents. The calls they
// held go back to their place in the queue; a call that was already talking
// has its answer taken back, so that it is counted once, when it is
// answered again, and gets new patience if its first ran out meanwhile.
#include "core/call_center.hpp"

namespace switchboard {

void CallCenter::on_group_lost(double now, int group) {
  ++events_;
  if (group_lost_[group]) return;
  group_lost_[group] = true;
  const AgentId first = agents_.first_of(group);
  for (AgentId id = first; id < first + agents_.size_of(group); ++id) {
    Agent& a = agents_[id];
    if (a.state == AgentState::ringing || a.state == AgentState::talking) requeue_after_loss(now, id);
    a.logout_pending = false;
    if (a.state != AgentState::offline) agents_.set_state(now, id, AgentState::offline);
  }
}

void CallCenter::requeue_after_loss(double now, AgentId agent) {
  Agent& a = agents_[agent];
  Call* c = find(a.call);
  if (c == nullptr) return;
  const std::uint32_t slot = a.call.slot;
  if (a.state == AgentState::talking) {
    const double wait = a.talk_start - c->wait_start;
    const double threshold = scenario_.targets.answer_within;
    const bool callback = c->callback;
    kpis_.record(c->interval, c->first_queue, [=](CallCounters& k) {
      --k.handled;
      --k.queued;
      ++k.requeued;
      if (wait > 0) --k.delayed;
      if (callback) return;
      k.wait_sum -= wait;
      k.waits.remove(wait);
      k.wait_answered_sum -= wait;
      --k.wait_answered_count;
      if (wait <= threshold) --k.answered_within;
    });
    --calls_talking_;
    // A caller whose patience ran out while it talked waits anew with fresh
    // patience; one whose patience is still running keeps its deadline.
    if (c->patience_spent) {
      c->patience_running = false;
      c->patience_spent = false;
    }
  } else {
    kpis_.record(c->interval, c->first_queue, [](CallCounters& k) { ++k.requeued; });
  }
  agents_.set_state(now, agent, AgentState::offline);
  // Back to its place: the queue orders by the time it first waited.
  if (!offer_to_idle_agent(now, slot)) wait_in_queue(now, slot);
}

}  // namespace switchboard
