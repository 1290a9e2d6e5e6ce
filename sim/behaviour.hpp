// Behaviour models: what callers and agents do. One place samples every
// distribution of the scenario, so the simulators, the server's virtual
// agents and the load generator run the same experiment.
#pragma once

#include "core/scenario.hpp"
#include "sim/random.hpp"

namespace switchboard::sim {

// A draw from `d`; `none` draws +infinity (never happens: infinite patience).
double sample(const Distribution& d, RandomStream& rng);

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

}  // namespace switchboard::sim
