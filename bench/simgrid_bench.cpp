// Simulated calls per second on both engines, side by side in one run, on
// the M/M/c+M reference (c = 100, load 0.95, exponential patience), ideal
// platform. SimGrid allows one engine per process, so its replication runs in
// a child process (the fork costs well under a millisecond of the run).
#include <benchmark/benchmark.h>

#include <chrono>

#include "sim/replications.hpp"
#include "sim/simgrid/simgrid_replications.hpp"
#include "support/scenarios.hpp"

namespace {

using namespace switchboard;

void BM_EnginesSideBySide(benchmark::State& state) {
  const Scenario s = test::mmc(0.95 * 100 * 3600 / 300, 300, 100, 600, 200);
  double event_list_seconds = 0, simgrid_seconds = 0, calls = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const sim::ReplicationPlan plan{seed++, 1, 1};
    const auto t0 = std::chrono::steady_clock::now();
    const auto a = sim::run_replications(s, plan);
    const auto t1 = std::chrono::steady_clock::now();
    const auto b = sim::run_simgrid_replications(s, "", plan);
    const auto t2 = std::chrono::steady_clock::now();
    event_list_seconds += std::chrono::duration<double>(t1 - t0).count();
    simgrid_seconds += std::chrono::duration<double>(t2 - t1).count();
    calls += a.reports[0].counters.offered;
    benchmark::DoNotOptimize(b);
  }
  state.counters["event_list_calls_per_second"] = calls / event_list_seconds;
  state.counters["simgrid_calls_per_second"] = calls / simgrid_seconds;
  state.counters["simgrid_slowdown"] = simgrid_seconds / event_list_seconds;
}
BENCHMARK(BM_EnginesSideBySide)->Iterations(5)->Unit(benchmark::kSecond);

}  // namespace
