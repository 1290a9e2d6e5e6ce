// Automatic call distribution: entering a queue (hours, capacity, callback
// offer), choosing an idle agent by the queue's policy, an agent choosing the
// waiting call with the longest weighted wait, overflow steps and
// ring-no-answer.
#include <cmath>
#include <limits>

#include "core/call_center.hpp"

namespace switchboard {

namespace {
// Queue-to-queue routing (when full, when closed) stops after this many hops
// so that two queues routing to each other cannot bounce a call forever.
constexpr int kMaxHops = 8;
}  // namespace

bool CallCenter::queue_open(double now, int queue) const {
  const OpenHours& h = scenario_.queues[queue].hours;
  if (h.always) return true;
  double clock = std::fmod(scenario_.horizon.start_clock + now, 86400.0);
  if (clock < 0) clock += 86400.0;
  return clock >= h.open && clock < h.close;
}

// For a call about to join the queue: the calls ahead of it, plus itself,
// served by the queue's logged-in agents at the running handle time.
double CallCenter::expected_wait(int queue) const {
  int agents = 0;
  for (const auto& gl : waiting_.groups_for(waiting_.slot(queue, 0))) agents += agents_.logged_in(gl.group);
  if (agents == 0) return std::numeric_limits<double>::infinity();
  return (waiting_.waiting_in_queue(queue) + 1) * queue_aht_[queue] / agents;
}

void CallCenter::enter_queue(double now, std::uint32_t slot, int queue, int priority) {
  Call& c = calls_[slot];
  const Queue& q = scenario_.queues[queue];
  if (c.first_queue == kNone) {
    c.first_queue = queue;
    c.wait_start = now;
    kpis_.first_queued(c.interval, queue);
  }
  const bool closed = !queue_open(now, queue);
  const bool full = q.max_length >= 0 && waiting_.waiting_in_queue(queue) >= q.max_length;
  if (closed || full) {
    const int next = closed ? q.when_closed_queue : q.when_full_queue;
    if (next != kNone && c.hops < kMaxHops) {
      ++c.hops;
      enter_queue(now, slot, next, priority);
    } else {
      end_call(now, slot, closed ? EndReason::closed : EndReason::busy);
    }
    return;
  }
  c.queue = queue;
  c.priority = static_cast<std::int16_t>(priority);
  c.stage = 0;
  c.queue_entry = now;
  if (offer_to_idle_agent(now, slot)) return;
  const bool offer_callback =
      q.callback.enabled && !c.callback_offered && expected_wait(queue) > q.callback.offer_above_wait;
  wait_in_queue(now, slot);
  if (offer_callback) {
    c.callback_offered = true;
    kpis_.record(c.interval, c.first_queue, [](CallCounters& k) { ++k.callbacks_offered; });
    driver_.offer_callback(handle(slot), c.call_type);
  }
}

void CallCenter::wait_in_queue(double now, std::uint32_t slot) {
  Call& c = calls_[slot];
  set_state(c, CallState::queued);
  waiting_.insert(slot, waiting_.slot(c.queue, c.stage), c.priority, c.wait_start);
  kpis_.queue_length_changed(now, c.queue, waiting_.waiting_in_queue(c.queue));
  arm_overflow(now, slot);
  if (!c.patience_running) {
    c.patience_running = true;
    driver_.caller_waiting(handle(slot), c.call_type);
  }
}

void CallCenter::leave_waiting(double now, std::uint32_t slot) {
  if (!waiting_.waiting(slot)) return;
  waiting_.remove(slot);
  const int queue = calls_[slot].queue;
  kpis_.queue_length_changed(now, queue, waiting_.waiting_in_queue(queue));
}

void CallCenter::arm_overflow(double now, std::uint32_t slot) {
  Call& c = calls_[slot];
  const auto& steps = scenario_.queues[c.queue].overflow;
  if (c.stage < static_cast<int>(steps.size())) arm_call_timer(slot, std::max(now, c.queue_entry + steps[c.stage].after));
  else ++c.token;  // no timer of an earlier state may fire now
}

void CallCenter::take_overflow_step(double now, std::uint32_t slot) {
  Call& c = calls_[slot];
  const OverflowStep& step = scenario_.queues[c.queue].overflow[c.stage];
  kpis_.record(c.interval, c.first_queue, [](CallCounters& k) { ++k.overflows; });
  leave_waiting(now, slot);
  if (step.move_to_queue != kNone) {
    enter_queue(now, slot, step.move_to_queue, c.priority);
    return;
  }
  ++c.stage;  // more agents may take the call now
  if (!offer_to_idle_agent(now, slot)) wait_in_queue(now, slot);
}

bool CallCenter::offer_to_idle_agent(double now, std::uint32_t slot) {
  Call& c = calls_[slot];
  const auto& groups = waiting_.groups_for(waiting_.slot(c.queue, c.stage));
  const AgentId agent = agents_.pick(scenario_.queues[c.queue].routing, groups, now, round_robin_[c.queue]);
  if (agent == kNoAgent) return false;
  offer(now, slot, agent);
  return true;
}

void CallCenter::offer(double now, std::uint32_t slot, AgentId agent) {
  leave_waiting(now, slot);
  Call& c = calls_[slot];
  Agent& a = agents_[agent];
  agents_.set_state(now, agent, AgentState::ringing);
  a.call = handle(slot);
  set_state(c, CallState::ringing);
  c.agent = agent;
  if (may_not_answer_[a.group]) arm_call_timer(slot, now + scenario_.groups[a.group].ring_timeout);
  else ++c.token;
  driver_.ring_agent(handle(slot), c.call_type, agent, c.callback);
}

void CallCenter::agent_available(double now, AgentId agent) {
  Agent& a = agents_[agent];
  if (a.logout_pending) {
    agents_.set_state(now, agent, AgentState::offline);
    return;
  }
  const std::uint32_t call = waiting_.best_for_group(a.group, now);
  if (call != kNil) offer(now, call, agent);
  else agents_.set_state(now, agent, AgentState::idle);
}

void CallCenter::ring_no_answer(double now, std::uint32_t slot) {
  Call& c = calls_[slot];
  const AgentId agent = c.agent;
  const AgentGroup& group = scenario_.groups[agents_[agent].group];
  // The agent is out of rotation for a while; the call goes back to its place.
  if (agents_[agent].logout_pending) {
    agents_.set_state(now, agent, AgentState::offline);
  } else if (group.no_answer_pause > 0) {
    agents_.set_state(now, agent, AgentState::away);
    driver_.start_timer(now + group.no_answer_pause,
                        TimerRef{TimerKind::agent_return, agent, agents_[agent].token});
  } else {
    agents_.set_state(now, agent, AgentState::idle);
  }
  if (!offer_to_idle_agent(now, slot)) wait_in_queue(now, slot);
}

}  // namespace switchboard
