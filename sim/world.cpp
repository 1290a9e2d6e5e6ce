#include "sim/world.hpp"

#include <cmath>
#include <string>

#include "core/input_error.hpp"
#include "sim/behaviour.hpp"

namespace switchboard::sim {

namespace {
RandomStream stream(const RunOptions& o, Stream s, std::uint32_t index) {
  return RandomStream(o.seed, o.replication, s, index);
}
}  // namespace

World::World(const Scenario& scenario, RunOptions options, EventSink& sink)
    : scenario_(scenario),
      options_(options),
      sink_(sink),
      horizon_end_(scenario.horizon.length),
      behaviour_(scenario, options.seed, options.replication),
      core_(scenario, *this) {
  const double start = -scenario.horizon.warmup;
  for (std::uint32_t t = 0; t < scenario.call_types.size(); ++t)
    arrivals_.emplace_back(scenario.call_types[t].arrivals, scenario.horizon, start, stream(options, Stream::arrivals, t));
}

void World::start() {
  now_ = -scenario_.horizon.warmup;
  core_.start(now_);
  for (std::uint32_t t = 0; t < arrivals_.size(); ++t) {
    const double at = arrivals_[t].next();
    if (std::isfinite(at)) {
      push(at, EventKind::arrival, t);
      ++arrival_chains_;
    }
  }
}

bool World::finished() const {
  return now_ >= horizon_end_ && arrival_chains_ == 0 && redials_pending_ == 0 &&
         core_.calls_in_system() == 0;
}

KpiReport World::report(double end) {
  stats_.end_time = std::max(end, scenario_.horizon.length);
  return core_.report(stats_.end_time);
}

void World::dispatch(double now, const Event& e) {
  now_ = now;
  ++stats_.events;
  const CallHandle call{e.a, e.b};
  if (e.kind == EventKind::arrival) {
    const double at = arrivals_[e.a].next();
    if (std::isfinite(at)) push(at, EventKind::arrival, e.a);
    else --arrival_chains_;
  }
  switch (e.kind) {
    case EventKind::redial:
      --redials_pending_;
      [[fallthrough]];
    case EventKind::arrival: {
      ++stats_.calls;
      const int type = static_cast<int>(e.a);
      const bool needs_ivr = scenario_.call_types[type].entry_node != kNone;
      const std::uint32_t tags = behaviour_.callers.tags(type);  // drawn either way: streams stay aligned
      if (core_.calls_in_system() >= capacity_.trunk_channels || (needs_ivr && core_.calls_in_ivr() >= capacity_.ivr_ports))
        core_.on_call_refused(now_, type);
      else
        core_.on_call_arrived(now_, type, tags);
      // Only an arrival adds a call: the peak is followed here, not after every event.
      if (core_.calls_in_system() > stats_.peak_calls_in_system) {
        stats_.peak_calls_in_system = core_.calls_in_system();
        if (stats_.peak_calls_in_system > kMaxCallsInSystem) [[unlikely]]
          runaway();
      }
      return;
    }
    case EventKind::timer:
      core_.on_timer(now_, TimerRef{static_cast<TimerKind>(e.a), e.b, e.c});
      return;
    case EventKind::digit: core_.on_digit(now_, call, static_cast<char>(e.c)); return;
    case EventKind::self_service: core_.on_self_service_done(now_, call, e.c != 0); return;
    case EventKind::hangup: core_.on_caller_hangup(now_, call); return;
    case EventKind::callback_answer: core_.on_callback_answer(now_, call, e.c != 0); return;
    case EventKind::answered: core_.on_agent_answered(now_, e.c, call); return;
    case EventKind::talk_ended: core_.on_talk_ended(now_, AgentHandle{e.a, e.b}, static_cast<int>(e.c) - 1); return;
    case EventKind::wrap_up_ended: core_.on_wrap_up_ended(now_, AgentHandle{e.a, e.b}); return;
    case EventKind::ticket_resolved: core_.on_ticket_resolved(now_, e.a); return;
    case EventKind::group_lost: core_.on_group_lost(now_, static_cast<int>(e.a)); return;
    case EventKind::ring_failed: core_.on_ring_failed(now_, e.c, call); return;
  }
}

// Calls that arrive faster than they leave, without bound, would take the
// machine's memory (1e15 calls an hour took 3 GB in 8 s): stop and say so.
void World::runaway() const {
  throw InputError(Problem{"", 0, 0, "call_types",
                           "more than " + std::to_string(kMaxCallsInSystem) + " calls in the system at once in '" + scenario_.name +
                               "', at t = " + std::to_string(static_cast<long long>(now_)) +
                               " s (0: the horizon's start, after any warm-up): calls arrive faster than they are served or leave, without bound; expected arrival rates "
                               "the agents can serve, or callers with patience"});
}

void World::start_timer(double at, TimerRef ref) {
  push(at, EventKind::timer, static_cast<std::uint32_t>(ref.kind), ref.target, ref.token);
}

void World::collect_digit(CallHandle call, int call_type, int node) {
  const Callers::Key key = behaviour_.callers.menu_key(call_type, node);
  if (key.digit == 0) return;  // the caller presses nothing; the menu times out
  push(now_ + key.after, EventKind::digit, call.slot, call.generation, static_cast<unsigned char>(key.digit));
}

void World::run_self_service(CallHandle call, int, int node) {
  const Callers::SelfService s = behaviour_.callers.self_service(node);
  push(now_ + s.duration, EventKind::self_service, call.slot, call.generation, s.success);
}

void World::caller_waiting(CallHandle call, int call_type) {
  const double patience = behaviour_.callers.patience(call_type);
  if (!std::isfinite(patience)) return;
  if (!take_back_patience_) {
    push(now_ + patience, EventKind::hangup, call.slot, call.generation);
    return;
  }
  if (call.slot >= patience_.size()) patience_.resize(call.slot + 1, EventList::kNoHandle);
  patience_[call.slot] = sink_.schedule_cancellable(now_ + patience, EventKind::hangup, call.slot, call.generation, 0);
}

void World::offer_callback(CallHandle call, int call_type) {
  push(now_, EventKind::callback_answer, call.slot, call.generation, behaviour_.callers.accepts_callback(call_type));
}

void World::ring_agent(CallHandle call, int, AgentId agent, bool) {
  const VirtualAgents::Answer a = behaviour_.agents.ring(core_.agents()[agent].group);
  if (!a.answers) return;  // the phone rings on until the core's ring timeout
  if (a.delay == 0 && answer_at_once_) {
    ++stats_.events;
    core_.on_agent_answered(now_, agent, call);  // the core rings last in each of its steps
  } else {
    push(now_ + a.delay, EventKind::answered, call.slot, call.generation, agent);
  }
}

void World::bridge(CallHandle call, int call_type, AgentHandle talk) {
  if (call.slot < patience_.size()) {  // answered: the caller's patience no longer matters
    sink_.cancel(patience_[call.slot]);
    patience_[call.slot] = EventList::kNoHandle;
  }
  const VirtualAgents::Conversation c = behaviour_.agents.talk(call_type);
  push(now_ + c.talk, EventKind::talk_ended, talk.agent, talk.token, static_cast<std::uint32_t>(c.disposition + 1));
}

void World::start_wrap_up(AgentHandle wrap_up, int group) {
  push(now_ + behaviour_.agents.wrap_up(group), EventKind::wrap_up_ended, wrap_up.agent, wrap_up.token);
}

void World::release(CallHandle, int call_type, EndReason reason) {
  if (reason != EndReason::abandoned) return;
  const Callers::Redialing r = behaviour_.callers.redial(call_type);
  if (!r.redials) return;
  const double at = now_ + r.after;
  if (at >= scenario_.horizon.length) return;  // the day is over: the redial falls outside it
  ++redials_pending_;
  push(at, EventKind::redial, static_cast<std::uint32_t>(call_type));
}

void World::ticket_opened(TicketId ticket, int category) {
  push(now_ + behaviour_.back_office.ticket_work(category), EventKind::ticket_resolved, ticket);
}

}  // namespace switchboard::sim
