#include "sim/world.hpp"

#include <cmath>

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
      agents_(scenario, options.seed, options.replication),
      self_service_(stream(options, Stream::self_service, 0)),
      ticket_work_(stream(options, Stream::ticket_work, 0)),
      core_(scenario, *this) {
  const double start = -scenario.horizon.warmup;
  for (std::uint32_t t = 0; t < scenario.call_types.size(); ++t) {
    types_.push_back(TypeStreams{
        ArrivalProcess(scenario.call_types[t].arrivals, scenario.horizon, start, stream(options, Stream::arrivals, t)),
        stream(options, Stream::patience, t), stream(options, Stream::menu, t), stream(options, Stream::tags, t),
        stream(options, Stream::redial, t), stream(options, Stream::callback, t)});
  }
}

void World::start() {
  now_ = -scenario_.horizon.warmup;
  core_.start(now_);
  for (std::uint32_t t = 0; t < types_.size(); ++t) {
    const double at = types_[t].arrivals.next();
    if (std::isfinite(at)) {
      push(at, EventKind::arrival, t);
      ++arrival_chains_;
    }
  }
}

bool World::finished() const {
  return now_ >= scenario_.horizon.length && arrival_chains_ == 0 && redials_pending_ == 0 &&
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
    const double at = types_[e.a].arrivals.next();
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
      const std::uint32_t tags = draw_tags(type);  // drawn either way: streams stay aligned
      if (core_.calls_in_system() >= capacity_.trunk_channels || (needs_ivr && core_.calls_in_ivr() >= capacity_.ivr_ports))
        core_.on_call_refused(now_, type);
      else
        core_.on_call_arrived(now_, type, tags);
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
    case EventKind::talk_ended: core_.on_talk_ended(now_, e.a, static_cast<int>(e.c) - 1); return;
    case EventKind::wrap_up_ended: core_.on_wrap_up_ended(now_, e.a); return;
    case EventKind::ticket_resolved: core_.on_ticket_resolved(now_, e.a); return;
    case EventKind::group_lost: core_.on_group_lost(now_, static_cast<int>(e.a)); return;
    case EventKind::ring_failed: core_.on_ring_failed(now_, e.c, call); return;
  }
}

std::uint32_t World::draw_tags(int call_type) {
  std::uint32_t tags = 0;
  for (const auto& tp : scenario_.call_types[call_type].tags)
    if (types_[call_type].tags.bernoulli(tp.probability)) tags |= 1u << tp.tag;
  return tags;
}

void World::start_timer(double at, TimerRef ref) {
  push(at, EventKind::timer, static_cast<std::uint32_t>(ref.kind), ref.target, ref.token);
}

void World::collect_digit(CallHandle call, int call_type, int node) {
  const CallType& type = scenario_.call_types[call_type];
  RandomStream& rng = types_[call_type].menu;
  char digit = 0;
  bool described = false;
  for (const auto& m : type.menus) {
    if (m.node != node) continue;
    described = true;
    const int i = choose(m.choices, [](const DigitChoice& c) { return c.probability; }, rng);
    if (i >= 0) digit = m.choices[i].digit;
  }
  if (!described) {
    // No behaviour given for this menu: each option equally likely.
    const auto& options = scenario_.ivr[node].options;
    digit = options[static_cast<std::size_t>(rng.uniform() * options.size()) % options.size()].digit;
  }
  if (digit == 0) return;  // the caller presses nothing; the menu times out
  const double response = type.menu_response.kind == DistKind::none ? 0 : sample(type.menu_response, rng);
  push(now_ + response, EventKind::digit, call.slot, call.generation, static_cast<unsigned char>(digit));
}

void World::run_self_service(CallHandle call, int, int node) {
  const IvrNode& n = scenario_.ivr[node];
  const double duration = n.service_time.kind == DistKind::none ? 0 : sample(n.service_time, self_service_);
  const bool success = self_service_.bernoulli(n.success_probability);
  push(now_ + duration, EventKind::self_service, call.slot, call.generation, success);
}

void World::caller_waiting(CallHandle call, int call_type) {
  const Distribution& patience = scenario_.call_types[call_type].patience;
  if (patience.kind == DistKind::none) return;
  push(now_ + sample(patience, types_[call_type].patience), EventKind::hangup, call.slot, call.generation);
}

void World::offer_callback(CallHandle call, int call_type) {
  const bool accepted = types_[call_type].callback.bernoulli(scenario_.call_types[call_type].callback_accept);
  push(now_, EventKind::callback_answer, call.slot, call.generation, accepted);
}

void World::ring_agent(CallHandle call, int, AgentId agent, bool) {
  const VirtualAgents::Answer a = agents_.ring(core_.agents()[agent].group);
  if (a.answers) push(now_ + a.delay, EventKind::answered, call.slot, call.generation, agent);
  // else: the phone rings on until the core's ring timeout
}

void World::bridge(CallHandle, int call_type, AgentId agent) {
  const VirtualAgents::Conversation c = agents_.talk(call_type);
  push(now_ + c.talk, EventKind::talk_ended, agent, 0, static_cast<std::uint32_t>(c.disposition + 1));
}

void World::start_wrap_up(AgentId agent, int group) {
  push(now_ + agents_.wrap_up(group), EventKind::wrap_up_ended, agent);
}

void World::release(CallHandle, int call_type, EndReason reason) {
  if (reason != EndReason::abandoned) return;
  const Redial& r = scenario_.call_types[call_type].redial;
  TypeStreams& s = types_[call_type];
  if (r.probability <= 0 || !s.redial.bernoulli(r.probability)) return;
  const double at = now_ + (r.delay.kind == DistKind::none ? 0 : sample(r.delay, s.redial));
  if (at >= scenario_.horizon.length) return;  // the day is over: the redial falls outside it
  ++redials_pending_;
  push(at, EventKind::redial, static_cast<std::uint32_t>(call_type));
}

void World::ticket_opened(TicketId ticket, int category) {
  const double work = sample(scenario_.ticket_categories[category].work_time, ticket_work_);
  push(now_ + work, EventKind::ticket_resolved, ticket);
}

}  // namespace switchboard::sim
