// Arrival processes, one per call type, generated lazily: the simulator holds
// only the next arrival of each type, never the day's list.
#pragma once

#include <cstddef>
#include <limits>

#include "core/scenario.hpp"
#include "sim/random.hpp"

namespace switchboard::sim {

class ArrivalProcess {
 public:
  // Arrivals on [start, horizon.length); `start` is minus the warm-up, which
  // runs at the first interval's rate.
  ArrivalProcess(const ArrivalSpec& spec, const Horizon& horizon, double start, RandomStream rng);

  // The next arrival instant, or +infinity when there are no more.
  double next();

 private:
  double rate_at(int interval) const;  // calls per second
  double next_poisson();
  double next_deterministic();
  double next_replayed_count();

  const ArrivalSpec& spec_;
  const Horizon& horizon_;
  RandomStream rng_;
  double now_;
  double factor_ = 1;           // day busyness (poisson_gamma) times scale
  std::size_t index_ = 0;       // replay position: bin or timestamp
  double bin_left_ = 0;         // calls still to place in the current bin
  double bin_position_ = 0;     // last placed order statistic in [0, 1]
  // Poisson: the stretch of constant rate of the last arrival (an interval,
  // or the warm-up), where it starts and ends and its calls per second. An
  // arrival inside it needs no division to find its interval (none yet:
  // the empty stretch [0, 0)).
  double stretch_start_ = 0;
  double stretch_end_ = 0;
  double stretch_rate_ = 0;
};

}  // namespace switchboard::sim
