#include "loadgen/caller_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/input_error.hpp"
#include "sim/arrivals.hpp"
#include "sim/behaviour.hpp"
#include "sim/random.hpp"

namespace switchboard::loadgen {

namespace {

// The simulator world's streams of one call type (sim/world.cpp builds the
// same ones, replication 0): the one place to point at a shared behaviour
// component.
struct CallerStreams {
  CallerStreams(const Scenario& s, std::uint64_t seed, std::uint32_t type)
      : arrivals(s.call_types[type].arrivals, s.horizon, -s.horizon.warmup,
                 sim::RandomStream(seed, 0, sim::Stream::arrivals, type)),
        menu(seed, 0, sim::Stream::menu, type),
        patience(seed, 0, sim::Stream::patience, type),
        callback(seed, 0, sim::Stream::callback, type) {}
  sim::ArrivalProcess arrivals;
  sim::RandomStream menu, patience, callback;
};

// The digit a caller presses at `node`, as World::collect_digit draws it
// (0: nothing, the menu times out), and how long it takes to press it.
struct Press {
  char digit = 0;
  double response = 0;
};

Press draw_press(const Scenario& s, const CallType& type, int node, sim::RandomStream& rng) {
  Press p;
  bool described = false;
  for (const auto& m : type.menus) {
    if (m.node != node) continue;
    described = true;
    const int i = sim::choose(m.choices, [](const DigitChoice& c) { return c.probability; }, rng);
    if (i >= 0) p.digit = m.choices[i].digit;
  }
  if (!described) {
    const auto& options = s.ivr[node].options;
    p.digit = options[static_cast<std::size_t>(rng.uniform() * options.size()) % options.size()].digit;
  }
  if (p.digit == 0) return p;
  p.response = type.menu_response.kind == DistKind::none ? 0 : sim::sample(type.menu_response, rng);
  return p;
}

// '?' in the behaviour model is a key the menu does not offer: the first such one.
char invalid_key(const IvrNode& menu) {
  for (char c : std::string("0123456789*#"))
    if (std::none_of(menu.options.begin(), menu.options.end(), [c](const MenuOption& o) { return o.digit == c; })) return c;
  return '#';
}

// Walks the caller through the IVR as the core will (core/call_center_ivr.cpp),
// with the server's view of the caller: no tags (lookups take their untagged
// branch) and self-service at its mean duration, continuing on its failure
// branch (on success the server ends the call itself).
void walk_ivr(const Scenario& s, const CallType& type, sim::RandomStream& menu_rng, PlannedCall& call) {
  double t = 0;
  int node = type.entry_node;
  for (int step = 0; step < 10000 && node != kNone; ++step) {
    const IvrNode& n = s.ivr[node];
    switch (n.kind) {
      case IvrKind::prompt: t += n.duration; node = n.next; break;
      case IvrKind::lookup:
      case IvrKind::ticket: node = n.next; break;
      case IvrKind::ticket_status: node = n.next; break;  // the load's callers have no tickets: a miss
      case IvrKind::self_service:
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
          const Press p = draw_press(s, type, node, menu_rng);
          if (p.digit == 0) {
            t += n.timeout;
            continue;
          }
          const char key = p.digit == '?' ? invalid_key(n) : p.digit;
          t += p.response;
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

}  // namespace

PlanWindow parse_window(const std::string& text, const Horizon& horizon, const std::string& flag) {
  int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
  char tail = 0;
  const bool shaped = std::sscanf(text.c_str(), "%d:%d-%d:%d%c", &h1, &m1, &h2, &m2, &tail) == 4 && h1 >= 0 && h1 <= 48 &&
                      h2 >= 0 && h2 <= 48 && m1 >= 0 && m1 < 60 && m2 >= 0 && m2 < 60;
  if (!shaped) throw InputError(Problem{"", 0, 0, flag, "expected HH:MM-HH:MM such as 09:00-11:00, got '" + text + "'"});
  PlanWindow w{(h1 * 60 + m1) * 60.0 - horizon.start_clock, (h2 * 60 + m2) * 60.0 - horizon.start_clock};
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
  for (std::uint32_t t = 0; t < s.call_types.size(); ++t) {
    const CallType& type = s.call_types[t];
    CallerStreams streams(s, seed, t);
    for (double at = streams.arrivals.next(); std::isfinite(at) && at < window.end; at = streams.arrivals.next()) {
      PlannedCall call;
      call.arrival = at;
      call.call_type = static_cast<int>(t);
      if (type.entry_node != kNone) {
        walk_ivr(s, type, streams.menu, call);
      } else {
        call.queue = type.entry_queue;
        call.queue_entry = 0;
      }
      if (call.queue != kNone) {
        if (type.patience.kind != DistKind::none) call.patience = sim::sample(type.patience, streams.patience);
        if (s.queues[call.queue].callback.enabled) call.accepts_callback = streams.callback.bernoulli(type.callback_accept);
      }
      if (at >= window.start) plan.calls.push_back(std::move(call));
    }
  }
  std::stable_sort(plan.calls.begin(), plan.calls.end(),
                   [](const PlannedCall& a, const PlannedCall& b) { return a.arrival < b.arrival; });
  return plan;
}

}  // namespace switchboard::loadgen
