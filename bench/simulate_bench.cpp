// Simulated calls per second of the event-list engine on the M/M/c+M
// reference of the issue: c = 100, load 0.95, exponential patience.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cmath>

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


namespace {

// One replication of 10 million calls of the same reference, reporting the
// process's peak resident set size. Reporting intervals are a day long: the
// KPI book keeps one row per interval, the simulation state itself follows
// the calls in the system. Run it alone for a clean figure:
//   switchboard_bench --benchmark_filter=TenMillion
void BM_EventListTenMillionCallsPeakRss(benchmark::State& state) {
  Scenario s = reference(1);
  const double per_hour = s.call_types[0].arrivals.rate_per_hour[0];
  s.horizon.length = std::ceil(10'000'000 / per_hour) * 3600;
  s.horizon.interval = 86400;
  for (auto _ : state) {
    sim::RunStats stats;
    benchmark::DoNotOptimize(sim::simulate_once(s, sim::RunOptions{}, &stats));
    state.counters["calls"] = static_cast<double>(stats.calls);
    state.counters["peak_calls_in_system"] = static_cast<double>(stats.peak_calls_in_system);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mb"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_EventListTenMillionCallsPeakRss)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
