// Call lifecycle, timers, endings and accounting. The IVR flow is in
// call_center_ivr.cpp, queueing and routing in call_center_acd.cpp.
#include "core/call_center.hpp"

#include <cmath>

namespace switchboard {

CallCenter::CallCenter(const Scenario& scenario, Driver& driver, CallCenterOptions options)
    : scenario_(scenario),
      driver_(driver),
      options_(options),
      kpis_(scenario),
      kpi_layout_(scenario),
      waiting_(scenario),
      agents_(scenario, kpis_),
      tickets_(scenario, driver),
      queue_aht_(scenario.queues.size(), 0),
      round_robin_(scenario.queues.size(), 0),
      group_lost_(scenario.groups.size(), false) {
  for (int g = 0; g < static_cast<int>(scenario.groups.size()); ++g) group_alone_.push_back({GroupLevel{g, 1}});
  for (const AgentGroup& g : scenario.groups)
    may_not_answer_.push_back(options_.always_ring_timeout || g.no_answer_probability > 0 || g.answer_delay.kind != DistKind::none);
  // Seed the expected-wait estimate with what the scenario says a call takes.
  double aht = 0;
  for (const auto& t : scenario.call_types) aht += t.handle_time.expected();
  if (!scenario.call_types.empty()) aht /= static_cast<double>(scenario.call_types.size());
  for (auto& q : queue_aht_) q = aht;
}

CallCenter::Call* CallCenter::find(CallHandle h) {
  if (h.slot >= calls_.size()) return nullptr;
  Call& c = calls_[h.slot];
  return (c.state != CallState::free && c.generation == h.generation) ? &c : nullptr;
}

void CallCenter::set_state(Call& c, CallState state) {
  // The IVR's states as bits of one mask: a shift and an and rather than
  // three comparisons, twice per change of state.
  constexpr unsigned kIvr = 1u << static_cast<int>(CallState::ivr_prompt) | 1u << static_cast<int>(CallState::ivr_menu) |
                            1u << static_cast<int>(CallState::ivr_self_service);
  auto ivr = [](CallState s) { return static_cast<std::size_t>(kIvr >> static_cast<int>(s) & 1u); };
  calls_in_ivr_ += ivr(state) - ivr(c.state);
  c.state = state;
}

void CallCenter::on_call_refused(double now, int call_type) {
  ++events_;
  (void)call_type;
  kpis_.record(scenario_.horizon.interval_at(now), kNone, [](CallCounters& k) {
    ++k.offered;
    ++k.blocked;
  });
}

CallHandle CallCenter::allocate_call() {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(calls_.size());
    calls_.emplace_back();
    waiting_.reserve(calls_.size());
  }
  Call& c = calls_[slot];
  // Generation and timer token survive reuse so that no stale event or timer
  // of the slot's previous call can match the new one.
  const std::uint32_t generation = c.generation + 1;
  const std::uint32_t token = c.token;
  c = Call{};
  c.generation = generation;
  c.token = token;
  ++calls_in_system_;
  return {slot, generation};
}

void CallCenter::free_call(std::uint32_t slot) {
  set_state(calls_[slot], CallState::free);
  free_slots_.push_back(slot);
  --calls_in_system_;
}

void CallCenter::arm_call_timer(std::uint32_t slot, double at) {
  Call& c = calls_[slot];
  driver_.start_timer(at, TimerRef{TimerKind::call_step, slot, ++c.token});
}

void CallCenter::start(double now) {
  kpis_.start_interval(now, scenario_.horizon.interval_at(now));
  if (now >= 0) sample_kpis(now);
  apply_staffing(now, 0);
  tickets_.on_interval(now, scenario_.horizon.interval_at(now));
  const int next = now < 0 ? 0 : static_cast<int>(now / scenario_.horizon.interval) + 1;
  if (next <= scenario_.horizon.intervals())
    driver_.start_timer(std::min(next * scenario_.horizon.interval, scenario_.horizon.length),
                        TimerRef{TimerKind::interval, static_cast<std::uint32_t>(next), 0});
}

void CallCenter::on_interval(double now, int index) {
  const Horizon& h = scenario_.horizon;
  const int intervals = h.intervals();
  kpis_.start_interval(now, index < intervals ? index : -1);
  sample_kpis(now);
  tickets_.on_interval(now, index);
  if (index < intervals) {
    apply_staffing(now, index);
    const double at = std::min((index + 1) * h.interval, h.length);
    driver_.start_timer(at, TimerRef{TimerKind::interval, static_cast<std::uint32_t>(index + 1), 0});
  }
}

void CallCenter::apply_staffing(double now, int interval) {
  if (options_.roster_by_driver) return;
  for (int g = 0; g < static_cast<int>(scenario_.groups.size()); ++g) set_staffing(now, g, scenario_.groups[g].staffed_at(interval));
}

void CallCenter::set_staffing(double now, int group, int agents) {
  agents_.staff(now, group, group_lost_[group] ? 0 : agents);
  serve_waiting_calls(now, group);
}

// Agents who just logged in take waiting calls at once: the call with the
// longest weighted wait first, each going to the agent its queue's routing
// policy picks among the group's idle agents.
void CallCenter::serve_waiting_calls(double now, int g) {
  const std::vector<GroupLevel>& only = group_alone_[g];
  while (agents_.idle(g) > 0) {
    const std::uint32_t call = waiting_.best_for_group(g, now);
    if (call == kNil) break;
    const int queue = calls_[call].queue;
    offer(now, call, agents_.pick(scenario_.queues[queue].routing, only, now, round_robin_[queue]));
  }
}

void CallCenter::on_agent_login(double now, AgentId agent) {
  ++events_;
  Agent& a = agents_[agent];
  a.logout_pending = false;
  if (a.state != AgentState::offline || group_lost_[a.group]) return;
  agents_.set_state(now, agent, AgentState::idle);
  serve_waiting_calls(now, a.group);
}

void CallCenter::on_agent_logout(double now, AgentId agent) {
  ++events_;
  Agent& a = agents_[agent];
  if (a.state == AgentState::idle || a.state == AgentState::away) agents_.set_state(now, agent, AgentState::offline);
  else if (a.state != AgentState::offline) a.logout_pending = true;
}

void CallCenter::on_ring_failed(double now, AgentId agent, CallHandle h) {
  ++events_;
  Call* c = find(h);
  if (c == nullptr || c->state != CallState::ringing || c->agent != agent) return;
  ring_no_answer(now, h.slot);
}

CallHandle CallCenter::on_call_arrived(double now, int call_type, std::uint32_t tags) {
  ++events_;
  const CallHandle h = allocate_call();
  Call& c = calls_[h.slot];
  const CallType& type = scenario_.call_types[call_type];
  set_state(c, CallState::ivr_prompt);
  c.call_type = call_type;
  c.priority = static_cast<std::int16_t>(type.priority);
  c.tags = tags;
  c.interval = scenario_.horizon.interval_at(now);
  c.counted = c.interval >= 0;
  kpis_.record(c.interval, kNone, [](CallCounters& k) { ++k.offered; });
  if (type.entry_queue != kNone) enter_queue(now, h.slot, type.entry_queue, c.priority);
  else enter_node(now, h.slot, type.entry_node);
  return h;
}

void CallCenter::on_timer(double now, TimerRef ref) {
  ++events_;
  switch (ref.kind) {
    case TimerKind::interval:
      on_interval(now, static_cast<int>(ref.target));
      return;
    case TimerKind::ticket_first_response:
    case TimerKind::ticket_resolution:
      tickets_.on_timer(now, ref);
      return;
    case TimerKind::agent_return: {
      Agent& a = agents_[ref.target];
      if (a.token == ref.token && a.state == AgentState::away) agent_available(now, ref.target);
      return;
    }
    case TimerKind::call_step: {
      if (ref.target >= calls_.size()) return;
      Call& c = calls_[ref.target];
      if (c.state == CallState::free || c.token != ref.token) return;
      if (c.state == CallState::queued) take_overflow_step(now, ref.target);
      else if (c.state == CallState::ringing) ring_no_answer(now, ref.target);
      else on_call_step(now, ref.target);
      return;
    }
  }
}

void CallCenter::on_caller_hangup(double now, CallHandle h) {
  ++events_;
  Call* c = find(h);
  if (c == nullptr || c->callback) return;  // gone, or off the line waiting for a callback
  switch (c->state) {
    case CallState::talking:
      c->patience_spent = true;  // matters only if the call is re-queued (requeue_after_loss)
      return;                    // a conversation ends through on_talk_ended
    case CallState::free:
      return;
    case CallState::ringing:
      agent_available(now, c->agent);  // the ring is withdrawn
      [[fallthrough]];
    case CallState::queued: {
      leave_waiting(now, h.slot);
      const double wait = now - c->wait_start;
      record_outcome(h.slot, wait, false);
      break;
    }
    case CallState::ivr_prompt:
    case CallState::ivr_menu:
    case CallState::ivr_self_service:
      kpis_.record(c->interval, c->first_queue, [](CallCounters& k) { ++k.abandoned; });
      break;
  }
  end_call(now, h.slot, EndReason::abandoned);
}

void CallCenter::on_callback_answer(double now, CallHandle h, bool accepted) {
  ++events_;
  Call* c = find(h);
  if (c == nullptr || !accepted || c->callback || c->state != CallState::queued) return;
  c->callback = true;
  kpis_.record(c->interval, c->first_queue, [](CallCounters& k) { ++k.callbacks_accepted; });
  (void)now;
  driver_.release(h, c->call_type, EndReason::callback);
}

CallHandle CallCenter::restore_callback(double now, int call_type, int queue, int priority, std::uint32_t tags) {
  ++events_;
  const CallHandle h = allocate_call();
  Call& c = calls_[h.slot];
  set_state(c, CallState::ivr_prompt);  // not yet queued: enter_queue places it
  c.call_type = call_type;
  c.priority = static_cast<std::int16_t>(priority);
  c.tags = tags;
  c.interval = scenario_.horizon.interval_at(now);
  c.counted = c.interval >= 0;
  c.callback = true;
  c.callback_offered = true;
  kpis_.record(c.interval, kNone, [](CallCounters& k) { ++k.offered; });
  enter_queue(now, h.slot, queue, priority);
  return h;
}

void CallCenter::on_agent_answered(double now, AgentId agent, CallHandle h) {
  ++events_;
  Call* c = find(h);
  if (c == nullptr || c->state != CallState::ringing || c->agent != agent) return;
  const double wait = now - c->wait_start;
  record_outcome(h.slot, wait, true);
  Agent& a = agents_[agent];
  agents_.set_state(now, agent, AgentState::talking);
  a.call = h;
  a.call_type = static_cast<std::int16_t>(c->call_type);
  a.interval = c->interval;
  a.queue = static_cast<std::int16_t>(c->first_queue);
  a.callback = c->callback;
  a.talk_start = now;
  set_state(*c, CallState::talking);
  ++c->token;
  ++calls_talking_;
  driver_.bridge(h, c->call_type, current(agent));
}

void CallCenter::on_talk_ended(double now, AgentHandle talk, int disposition) {
  ++events_;
  const AgentId agent = talk.agent;
  if (agent >= agents_.size()) return;
  Agent& a = agents_[agent];
  if (a.state != AgentState::talking || a.token != talk.token) return;
  Call* c = find(a.call);
  if (c != nullptr && c->state == CallState::talking) {
    if (disposition != kNone) open_ticket(now, a.call.slot, disposition, static_cast<int>(agent));
    if (c->callback) kpis_.record(c->interval, c->first_queue, [](CallCounters& k) { ++k.callbacks_handled; });
    --calls_talking_;
    end_call(now, a.call.slot, EndReason::handled);
  }
  const AgentGroup& group = scenario_.groups[a.group];
  if (group.wrap_up.kind != DistKind::none) {
    agents_.set_state(now, agent, AgentState::wrap_up);
    driver_.start_wrap_up(current(agent), a.group);
  } else {
    finish_handling(now, agent);
  }
}

void CallCenter::on_wrap_up_ended(double now, AgentHandle wrap_up) {
  ++events_;
  if (wrap_up.agent >= agents_.size()) return;
  const Agent& a = agents_[wrap_up.agent];
  if (a.state != AgentState::wrap_up || a.token != wrap_up.token) return;
  finish_handling(now, wrap_up.agent);
}

void CallCenter::finish_handling(double now, AgentId agent) {
  Agent& a = agents_[agent];
  const double handle = now - a.talk_start;
  kpis_.record(a.interval, a.queue, [handle](CallCounters& k) {
    k.handle_sum += handle;
    ++k.handle_count;
  });
  if (a.queue != kNone) queue_aht_[a.queue] += 0.05 * (handle - queue_aht_[a.queue]);
  agent_available(now, agent);
}

void CallCenter::on_ticket_resolved(double now, TicketId ticket) {
  ++events_;
  tickets_.work_done(now, ticket);
}

void CallCenter::open_ticket(double now, std::uint32_t slot, int category, int agent) {
  const Call& c = calls_[slot];
  kpis_.record(c.interval, c.first_queue, [](CallCounters& k) { ++k.tickets_created; });
  tickets_.open(now, category, c.interval, c.tags);
  driver_.ticket_opened_for_call(handle(slot), category, agent);
}

// Once per call that reached a queue, when it is answered (handled) or its
// caller hangs up waiting (abandoned), into its two scopes (its interval,
// its queue; the run's total is their sum, KpiBook::total()): what depends
// only on the wait and the outcome (its histogram bin, whether it was
// delayed, within the threshold, a short abandon) is worked out once, and
// each scope adds it in one pass without a branch (adding 0 leaves a
// counter as it is; the counts are whole numbers, exact in a double).
void CallCenter::record_outcome(std::uint32_t slot, double wait, bool answered) {
  const Call& c = calls_[slot];
  const double delayed = wait > 0 ? 1 : 0;
  const double handled = answered ? 1 : 0, abandoned = 1 - handled;
  const double short_abandoned = !answered && wait < scenario_.targets.short_abandon ? 1 : 0;
  if (c.callback) {  // a callback's wait is not a caller's wait on the line
    kpis_.record(c.interval, c.first_queue, [=](CallCounters& k) {
      ++k.queued;
      k.delayed += delayed;
      k.handled += handled;
      k.abandoned += abandoned;
      k.short_abandoned += short_abandoned;
    });
    return;
  }
  const int bin = WaitHistogram::bin(wait);
  // An abandoned caller's wait adds 0 to the answered ones' sums (x + 0.0 is x).
  const double answered_wait = answered ? wait : 0;
  const double within = answered && wait <= scenario_.targets.answer_within ? 1 : 0;
  kpis_.record(c.interval, c.first_queue, [=](CallCounters& k) {
    ++k.queued;
    k.delayed += delayed;
    k.wait_sum += wait;
    k.wait_max = std::max(k.wait_max, wait);
    k.waits.add_to_bin(bin);
    k.wait_answered_sum += answered_wait;
    k.wait_answered_count += handled;
    k.answered_within += within;
    k.handled += handled;
    k.abandoned += abandoned;
    k.short_abandoned += short_abandoned;
  });
}

void CallCenter::end_call(double now, std::uint32_t slot, EndReason reason) {
  Call& c = calls_[slot];
  if (reason == EndReason::contained)
    kpis_.record(c.interval, c.first_queue, [](CallCounters& k) { ++k.contained; });
  else if (reason == EndReason::busy || reason == EndReason::closed)
    kpis_.record(c.interval, c.first_queue, [](CallCounters& k) { ++k.blocked; });
  leave_waiting(now, slot);
  driver_.release(handle(slot), c.call_type, reason);
  free_call(slot);
}

void CallCenter::sample_kpis(double now) {
  timeline_.times.push_back(now);
  const std::size_t at = timeline_.values.size();
  timeline_.values.resize(at + kpi_layout_.size());
  kpi_layout_.fill(*this, now, timeline_.values.data() + at);
}

KpiReport CallCenter::report(double now) {
  KpiReport r = kpis_.report(now);
  if (timeline_.times.empty() || timeline_.times.back() < now) sample_kpis(now);
  r.timeline = timeline_;
  r.in_system_at_end = static_cast<double>(calls_in_system_ - calls_talking_);
  r.tickets_open_at_end = static_cast<double>(tickets_.open_count());
  r.tickets_resolved = tickets_.resolved_count();
  r.tickets_within_sla = tickets_.resolved_within_sla();
  tickets_.report(now, r);
  r.events = events_;
  return r;
}

}  // namespace switchboard
