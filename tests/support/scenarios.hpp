// Scenarios built in code for tests and benchmarks: the queueing-theory
// references whose answers are known.
#pragma once

#include "core/scenario.hpp"

namespace switchboard::test {

// M/M/c (+M when patience_mean > 0): one queue, one group of `agents`,
// Poisson arrivals at `calls_per_hour`, exponential talk time of mean `aht`.
Scenario mmc(double calls_per_hour, double aht, int agents, double patience_mean, double hours,
             double warmup_hours = 0);

}  // namespace switchboard::test
