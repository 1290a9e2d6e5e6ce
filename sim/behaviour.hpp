// Behaviour models: what callers, agents and the back office do. One place
// samples every distribution of the scenario, from one seeded stream per
// component (sim/random.hpp), so that the simulators, the SIP server's
// virtual agents and bot, and a load generator's callers run the same
// experiment: built from (scenario, seed, replication), a component gives
// the same draws whichever driver asks.
#pragma once

#include <cstdint>
#include <vector>

#include "core/scenario.hpp"
#include "sim/random.hpp"
#include "sim/virtual_agents.hpp"

namespace switchboard::sim {

// A draw from `d`; `none` draws +infinity (never happens: infinite patience).
// Exponential, the commonest (handle times, patience: two draws a call),
// is drawn inline; the others out of line.
double sample_other(const Distribution& d, RandomStream& rng);
inline double sample(const Distribution& d, RandomStream& rng) {
  return d.kind == DistKind::exponential ? rng.exponential(d.mean) : sample_other(d, rng);
}

// Index into `weights` drawn with those probabilities (they sum to 1).
template <class Range, class Weight>
int choose(const Range& items, Weight weight, RandomStream& rng) {
  double u = rng.uniform();
  int i = 0;
  int last = -1;
  for (const auto& item : items) {
    const double w = weight(item);
    if (w > 0) last = i;
    if (u < w) return i;
    u -= w;
    ++i;
  }
  return last;  // rounding left a sliver: the last possible choice
}

// What callers do. Per call type, one stream each for tags, menu keys,
// patience, callback acceptance and redials; one stream for self-service
// (the IVR's bot, whoever the caller). Each method draws from its own
// stream only, so asking for one thing never shifts another.
class Callers {
 public:
  Callers(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication);

  // The caller's tags (bit t: scenario tag t), one Bernoulli draw per tag
  // probability of the call type.
  std::uint32_t tags(int call_type);

  struct Key {
    char digit = 0;       // 0: the caller presses nothing (the menu times out)
    double after = 0;     // seconds after the menu's prompt
  };
  // The key pressed at menu `node`: the call type's choice probabilities for
  // it, or, when it gives none, each of the menu's options equally likely.
  Key menu_key(int call_type, int node);

  // Seconds the caller waits in queue before hanging up; +infinity: never.
  double patience(int call_type);
  bool accepts_callback(int call_type);

  struct Redialing {
    bool redials = false;
    double after = 0;     // seconds after the abandon
  };
  // After an abandon: whether and when the caller calls again.
  Redialing redial(int call_type);

  struct SelfService {
    double duration = 0;  // seconds in the node
    bool success = false; // contained, else on to the node's failure path
  };
  SelfService self_service(int node);
  // Continue a day part-way through: `visits` callers have been through
  // self-service node `node` (drawn and dropped), so the next
  // self_service(node) is the day's next one (exact when the day's visits
  // before were all to this node or came in this order; see Behaviour).
  void skip_self_service(int node, std::uint64_t visits);

  // (A load generator that must tell each caller its script before the
  // call, loadgen/caller_plan.cpp, asks these same methods caller by
  // caller, following the caller's path: a key per menu visit, patience
  // only for a caller who reaches a queue, a redial only for one who could
  // abandon, as the world asks them.)

 private:
  struct TypeStreams {
    RandomStream patience, menu, tags, redial, callback;
  };
  const Scenario& scenario_;
  std::vector<TypeStreams> types_;
  RandomStream self_service_;
};

// The back office: how long a ticket takes from creation to resolution.
class BackOffice {
 public:
  BackOffice(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication);
  double ticket_work(int category);

 private:
  const Scenario& scenario_;
  RandomStream work_;
};

// Every behaviour model of a run, seeded together.
struct Behaviour {
  Behaviour(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication)
      : callers(scenario, seed, replication), agents(scenario, seed, replication), back_office(scenario, seed, replication) {}
  // A day continued part-way through (a served window of the day): the
  // first calls_before[t] calls of call type t, warm-up included, have been
  // answered (VirtualAgents::skip_calls), and self_service_before[n]
  // callers have been through self-service node n (Callers::skip_self_service,
  // node by node in index order). A shorter list skips none of the rest.
  // serve --calls-before/--self-service-before and the load test's plan
  // (which must know the bot's outcomes the server will draw) both start here.
  Behaviour(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication, const std::vector<std::uint64_t>& calls_before,
            const std::vector<std::uint64_t>& self_service_before = {})
      : Behaviour(scenario, seed, replication) {
    for (std::size_t t = 0; t < calls_before.size() && t < scenario.call_types.size(); ++t)
      agents.skip_calls(static_cast<int>(t), calls_before[t]);
    for (std::size_t n = 0; n < self_service_before.size() && n < scenario.ivr.size(); ++n)
      callers.skip_self_service(static_cast<int>(n), self_service_before[n]);
  }
  Callers callers;
  VirtualAgents agents;
  BackOffice back_office;
};

}  // namespace switchboard::sim
