#include "sim/simulator.hpp"

#include <cmath>

#include "sim/behaviour.hpp"

namespace switchboard::sim {

namespace {
RandomStream stream(const RunOptions& o, Stream s, std::uint32_t index) {
  return RandomStream(o.seed, o.replication, s, index);
}
}  // namespace

Simulator::Simulator(const Scenario& scenario, RunOptions options)
    : scenario_(scenario),
      options_(options),
      self_service_(stream(options, Stream::self_service, 0)),
      ticket_work_(stream(options, Stream::ticket_work, 0)),
      core_(scenario, *this) {
  const double start = -scenario.horizon.warmup;
  for (std::uint32_t t = 0; t < scenario.call_types.size(); ++t) {
    types_.push_back(TypeStreams{
        ArrivalProcess(scenario.call_types[t].arrivals, scenario.horizon, start, stream(options, Stream::arrivals, t)),
        stream(options, Stream::patience, t), stream(options, Stream::handle_time, t),
        stream(options, Stream::menu, t), stream(options, Stream::tags, t), stream(options, Stream::redial, t),
        stream(options, Stream::callback, t), stream(options, Stream::disposition, t)});
  }
  for (std::uint32_t g = 0; g < scenario.groups.size(); ++g) {
    wrap_up_.push_back(stream(options, Stream::wrap_up, g));
    answer_.push_back(stream(options, Stream::answer, g));
  }
}

KpiReport Simulator::run() {
  now_ = -scenario_.horizon.warmup;
  core_.start(now_);
  for (std::uint32_t t = 0; t < types_.size(); ++t) {
    const double at = types_[t].arrivals.next();
    if (std::isfinite(at)) events_.push(at, EventKind::arrival, t);
  }
  const double hard_stop = scenario_.horizon.length + options_.drain_limit;
  std::size_t pending_arrivals = types_.size();  // upper bound: arrival chains not yet ended
  while (!events_.empty()) {
    const Event e = events_.pop();
    if (e.time > hard_stop) break;
    now_ = e.time;
    if (e.kind == EventKind::arrival) {
      const double at = types_[e.a].arrivals.next();
      if (std::isfinite(at)) events_.push(at, EventKind::arrival, e.a);
      else --pending_arrivals;
    }
    dispatch(e);
    ++stats_.events;
    if (core_.calls_in_system() > stats_.peak_calls_in_system) stats_.peak_calls_in_system = core_.calls_in_system();
    if (events_.size() > stats_.peak_event_list) stats_.peak_event_list = events_.size();
    // Past the horizon, with no caller left and none to come, the day is over.
    if (now_ >= scenario_.horizon.length && pending_arrivals == 0 && core_.calls_in_system() == 0 &&
        redials_pending_ == 0)
      break;
  }
  stats_.end_time = std::max(now_, scenario_.horizon.length);
  return core_.report(stats_.end_time);
}

void Simulator::dispatch(const Event& e) {
  const CallHandle call{e.a, e.b};
  switch (e.kind) {
    case EventKind::redial:
      --redials_pending_;
      [[fallthrough]];
    case EventKind::arrival:
      ++stats_.calls;
      core_.on_call_arrived(now_, static_cast<int>(e.a), draw_tags(static_cast<int>(e.a)));
      return;
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
  }
}

std::uint32_t Simulator::draw_tags(int call_type) {
  std::uint32_t tags = 0;
  for (const auto& tp : scenario_.call_types[call_type].tags)
    if (types_[call_type].tags.bernoulli(tp.probability)) tags |= 1u << tp.tag;
  return tags;
}

void Simulator::start_timer(double at, TimerRef ref) {
  events_.push(at, EventKind::timer, static_cast<std::uint32_t>(ref.kind), ref.target, ref.token);
}

void Simulator::collect_digit(CallHandle call, int call_type, int node) {
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
  events_.push(now_ + response, EventKind::digit, call.slot, call.generation, static_cast<unsigned char>(digit));
}

void Simulator::run_self_service(CallHandle call, int, int node) {
  const IvrNode& n = scenario_.ivr[node];
  const double duration = n.service_time.kind == DistKind::none ? 0 : sample(n.service_time, self_service_);
  const bool success = self_service_.bernoulli(n.success_probability);
  events_.push(now_ + duration, EventKind::self_service, call.slot, call.generation, success);
}

void Simulator::caller_waiting(CallHandle call, int call_type) {
  const Distribution& patience = scenario_.call_types[call_type].patience;
  if (patience.kind == DistKind::none) return;
  events_.push(now_ + sample(patience, types_[call_type].patience), EventKind::hangup, call.slot, call.generation);
}

void Simulator::offer_callback(CallHandle call, int call_type) {
  const bool accepted = types_[call_type].callback.bernoulli(scenario_.call_types[call_type].callback_accept);
  events_.push(now_, EventKind::callback_answer, call.slot, call.generation, accepted);
}

void Simulator::ring_agent(CallHandle call, int, AgentId agent, bool) {
  const int group = core_.agents()[agent].group;
  const AgentGroup& g = scenario_.groups[group];
  RandomStream& rng = answer_[group];
  if (g.no_answer_probability > 0 && rng.bernoulli(g.no_answer_probability)) return;  // ring timeout follows
  const double delay = g.answer_delay.kind == DistKind::none ? 0 : sample(g.answer_delay, rng);
  events_.push(now_ + delay, EventKind::answered, call.slot, call.generation, agent);
}

void Simulator::bridge(CallHandle, int call_type, AgentId agent) {
  const CallType& type = scenario_.call_types[call_type];
  TypeStreams& s = types_[call_type];
  const double talk = sample(type.handle_time, s.handle_time);
  int disposition = kNone;
  if (!type.dispositions.empty()) {
    double u = s.disposition.uniform();
    for (const auto& d : type.dispositions) {
      if (u < d.probability) {
        disposition = d.category;
        break;
      }
      u -= d.probability;
    }
  }
  events_.push(now_ + talk, EventKind::talk_ended, agent, 0, static_cast<std::uint32_t>(disposition + 1));
}

void Simulator::start_wrap_up(AgentId agent, int group) {
  events_.push(now_ + sample(scenario_.groups[group].wrap_up, wrap_up_[group]), EventKind::wrap_up_ended, agent);
}

void Simulator::release(CallHandle, int call_type, EndReason reason) {
  if (reason != EndReason::abandoned) return;
  const Redial& r = scenario_.call_types[call_type].redial;
  TypeStreams& s = types_[call_type];
  if (r.probability <= 0 || !s.redial.bernoulli(r.probability)) return;
  const double at = now_ + (r.delay.kind == DistKind::none ? 0 : sample(r.delay, s.redial));
  if (at >= scenario_.horizon.length) return;  // the day is over: the redial falls outside it
  ++redials_pending_;
  events_.push(at, EventKind::redial, static_cast<std::uint32_t>(call_type));
}

void Simulator::ticket_opened(TicketId ticket, int category) {
  const double work = sample(scenario_.ticket_categories[category].work_time, ticket_work_);
  events_.push(now_ + work, EventKind::ticket_resolved, ticket);
}

KpiReport simulate_once(const Scenario& scenario, const RunOptions& options, RunStats* stats) {
  Simulator sim(scenario, options);
  KpiReport report = sim.run();
  if (stats != nullptr) *stats = sim.stats();
  return report;
}

}  // namespace switchboard::sim
