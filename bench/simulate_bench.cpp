// Simulated calls per second of the event-list engine on the M/M/c+M
// reference of the issue: c = 100, load 0.95, exponential patience.
#include <benchmark/benchmark.h>

#include "sim/simulator.hpp"
#include "support/scenarios.hpp"

namespace {

using namespace switchboard;

// c = 100 agents, AHT 300 s, offered load 95 Erlangs, mean patience 600 s.
Scenario reference(double hours) { return test::mmc(0.95 * 100 * 3600 / 300, 300, 100, 600, hours); }

void BM_EventListMmcPlusM(benchmark::State& state) {
  const Scenario s = reference(static_cast<double>(state.range(0)));
  std::uint64_t calls = 0, events = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    sim::RunOptions o;
    o.seed = seed++;
    sim::RunStats stats;
    benchmark::DoNotOptimize(sim::simulate_once(s, o, &stats));
    calls += stats.calls;
    events += stats.events;
  }
  state.counters["calls_per_second"] = benchmark::Counter(static_cast<double>(calls), benchmark::Counter::kIsRate);
  state.counters["events_per_call"] = static_cast<double>(events) / static_cast<double>(calls);
}
BENCHMARK(BM_EventListMmcPlusM)->Arg(100)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

