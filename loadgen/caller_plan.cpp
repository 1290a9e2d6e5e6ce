#include "loadgen/caller_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/input_error.hpp"
#include "io/clock_text.hpp"
#include "sim/arrivals.hpp"
#include "sim/behaviour.hpp"
#include "sim/random.hpp"

namespace switchboard::loadgen {

namespace {

// '?' in the behaviour model is a key the menu does not offer: the first such one.
char invalid_key(const IvrNode& menu) {
  for (char c : std::string("0123456789*#"))
    if (std::none_of(menu.options.begin(), menu.options.end(), [c](const MenuOption& o) { return o.digit == c; })) return c;
  return '#';
}

// Walks the caller through the IVR as the core will (core/call_center_ivr.cpp):
// its tags choose a lookup's branch, each menu visit asks the callers'
// component for a key (as World::collect_digit does), self-service takes its
// mean duration and continues on its failure branch (the server's bot
// decides; on success the server ends the call itself).
void walk_ivr(const Scenario& s, int call_type, sim::Callers& callers, CallerAttempt& call) {
  const CallType& type = s.call_types[call_type];
  double t = 0;
  int node = type.entry_node;
  for (int step = 0; step < 10000 && node != kNone; ++step) {
    const IvrNode& n = s.ivr[node];
    switch (n.kind) {
      case IvrKind::prompt: t += n.duration; node = n.next; break;
      case IvrKind::lookup: {
        const bool tagged = n.tag != kNone && ((call.tags >> n.tag) & 1u) != 0;
        node = (tagged && n.tagged_next != kNone) ? n.tagged_next : n.next;
        break;
      }
      case IvrKind::ticket: node = n.next; break;
      case IvrKind::ticket_status: node = n.next; break;  // the load's callers have no tickets: a miss
      case IvrKind::self_service:
        if (call.self_service == kNone) {
          call.self_service = node;
          call.self_service_entry = t;
        }
        t += n.service_time.expected();
        node = n.on_fail != kNone ? n.on_fail : kNone;
        break;
      case IvrKind::hangup: node = kNone; break;
      case IvrKind::queue:
        call.queue = n.queue;
        call.queue_entry = t;
        return;
      case IvrKind::menu: {
        int next = n.on_fail;
        for (int attempt = 0; attempt <= n.retries; ++attempt) {
          t += n.duration;  // the menu's prompt, then the digit is collected
          const sim::Callers::Key k = callers.menu_key(call_type, node);
          if (k.digit == 0) {
            t += n.timeout;
            continue;
          }
          const char key = k.digit == '?' ? invalid_key(n) : k.digit;
          t += k.after;
          call.digits.push_back(DigitPress{key, t});
          const auto o = std::find_if(n.options.begin(), n.options.end(), [key](const MenuOption& m) { return m.digit == key; });
          if (o != n.options.end()) {
            next = o->next;
            break;
          }
        }
        node = next;
        break;
      }
    }
  }
}

// One call of a caller, drawn in the order the world draws for a call:
// tags on arrival, keys through the IVR, patience on reaching the queue,
// callback acceptance where the queue offers it; then, for a caller who may
// abandon (queued, finite patience), whether it redials.
CallerAttempt draw_attempt(const Scenario& s, int call_type, sim::Callers& callers) {
  const CallType& type = s.call_types[call_type];
  CallerAttempt call;
  call.tags = callers.tags(call_type);
  if (type.entry_node != kNone) {
    walk_ivr(s, call_type, callers, call);
  } else {
    call.queue = type.entry_queue;
    call.queue_entry = 0;
  }
  if (call.queue != kNone) {
    call.patience = callers.patience(call_type);
    if (s.queues[call.queue].callback.enabled) call.accepts_callback = callers.accepts_callback(call_type);
  }
  return call;
}

// The caller arriving at `at`: its first call and, while each one could
// abandon and the model redials before `end`, its redials. A redial is
// placed where it would arrive if the call before abandoned at its patience.
PlannedCall draw_caller(const Scenario& s, int call_type, double at, double end, sim::Callers& callers) {
  PlannedCall caller;
  static_cast<CallerAttempt&>(caller) = draw_attempt(s, call_type, callers);
  caller.arrival = at;
  caller.call_type = call_type;
  CallerAttempt* last = &caller;
  double arrival = at;
  for (std::size_t n = 1; last->queue != kNone && std::isfinite(last->patience); ++n) {
    const sim::Callers::Redialing r = callers.redial(call_type);
    if (!r.redials) break;
    const double redial_at = arrival + last->queue_entry + last->patience + r.after;
    if (n >= kMaxAttempts || redial_at >= end) break;  // the world drops redials after the horizon too
    last->redial_after = r.after;
    caller.redials.push_back(draw_attempt(s, call_type, callers));
    last = &caller.redials.back();
    arrival = redial_at;
  }
  return caller;
}

// The bot's outcome for each first call of the window, as the server will
// draw it: its behaviour continued after the day's visits before the window
// (sim::Behaviour, as serve --self-service-before builds it), asked caller
// by caller in the order they enter the bot (the server's and the
// simulator's order). The caller then knows when it is queued: queue_entry
// moves from the bot's mean duration to the drawn one.
void draw_self_service(const Scenario& s, std::uint64_t seed, Plan& plan, const std::vector<std::uint64_t>& before_window) {
  plan.self_service_before = before_window;
  sim::Behaviour bot(s, seed, 0, {}, before_window);
  std::vector<std::size_t> visitors;
  for (std::size_t i = 0; i < plan.calls.size(); ++i)
    if (plan.calls[i].self_service != kNone) visitors.push_back(i);
  auto entry = [&](std::size_t i) { return plan.calls[i].arrival + plan.calls[i].self_service_entry; };
  std::stable_sort(visitors.begin(), visitors.end(), [&](std::size_t a, std::size_t b) { return entry(a) < entry(b); });
  for (std::size_t i : visitors) {
    PlannedCall& c = plan.calls[i];
    const sim::Callers::SelfService drawn = bot.callers.self_service(c.self_service);
    c.self_service_duration = drawn.duration;
    c.self_service_success = drawn.success;
    if (c.queue != kNone && c.queue_entry > c.self_service_entry)
      c.queue_entry += drawn.duration - s.ivr[c.self_service].service_time.expected();
  }
}

}  // namespace

PlanWindow parse_window(const std::string& text, const Horizon& horizon, const std::string& flag) {
  // Up to 48:59: a day that starts in the evening may run past midnight.
  const std::size_t dash = text.find('-');
  const std::optional<double> from = dash == std::string::npos ? std::nullopt : parse_clock(std::string_view(text).substr(0, dash));
  const std::optional<double> to = dash == std::string::npos ? std::nullopt : parse_clock(std::string_view(text).substr(dash + 1));
  if (!from || !to || *from >= 49 * 3600 || *to >= 49 * 3600)
    throw InputError(Problem{"", 0, 0, flag, "expected HH:MM-HH:MM such as 09:00-11:00, got '" + text + "'"});
  PlanWindow w{*from - horizon.start_clock, *to - horizon.start_clock};
  auto clock = [&](double t) {
    const int minutes = static_cast<int>(std::lround((t + horizon.start_clock) / 60));
    char out[16];
    std::snprintf(out, sizeof out, "%02d:%02d", minutes / 60, minutes % 60);
    return std::string(out);
  };
  if (!(w.start < w.end) || w.start < 0 || w.end > horizon.length + 1e-9)
    throw InputError(Problem{"", 0, 0, flag,
                             "expected a window inside the scenario's horizon " + clock(0) + "-" + clock(horizon.length) +
                                 " with its start before its end, got '" + text + "'"});
  return w;
}

Plan plan_calls(const Scenario& s, std::uint64_t seed, const PlanWindow& window) {
  Plan plan;
  plan.window = window;
  plan.calls_before.assign(s.call_types.size(), 0);
  std::vector<std::uint64_t> before_window(s.ivr.size(), 0);
  sim::Callers callers(s, seed, 0);  // the simulator's replication 0
  const double end = std::min(window.end, s.horizon.length);
  for (std::uint32_t t = 0; t < s.call_types.size(); ++t) {
    sim::ArrivalProcess arrivals(s.call_types[t].arrivals, s.horizon, -s.horizon.warmup,
                                 sim::RandomStream(seed, 0, sim::Stream::arrivals, t));
    for (double at = arrivals.next(); std::isfinite(at) && at < window.end; at = arrivals.next()) {
      PlannedCall caller = draw_caller(s, static_cast<int>(t), at, end, callers);
      if (at >= window.start) {
        plan.calls.push_back(std::move(caller));
      } else {
        ++plan.calls_before[t];
        if (caller.self_service != kNone) ++before_window[caller.self_service];
      }
    }
  }
  std::stable_sort(plan.calls.begin(), plan.calls.end(),
                   [](const PlannedCall& a, const PlannedCall& b) { return a.arrival < b.arrival; });
  draw_self_service(s, seed, plan, before_window);
  return plan;
}

}  // namespace switchboard::loadgen
