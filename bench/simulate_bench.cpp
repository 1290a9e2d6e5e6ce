// Simulated calls per second of the event-list engine: the M/M/c+M
// reference of the issue (c = 100, load 0.95, exponential patience) and the
// same at c = 10,000, the multi-skill scenarios of scenarios/, and
// replications on one thread against two.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <time.h>

#include <cmath>
#include <string>

#include "io/scenario_loader.hpp"
#include "sim/replications.hpp"
#include "sim/simulator.hpp"
#include "support/scenarios.hpp"

namespace {

using namespace switchboard;

// c agents, AHT 300 s, offered load 0.95 c Erlangs, mean patience 600 s.
Scenario reference(int agents, double hours) {
  return test::mmc(0.95 * agents * 3600 / 300, 300, agents, 600, hours);
}

// Runs one replication per iteration (seeds 1, 2, ...) and reports calls per
// second (CPU time); the cost of a call at c = 10,000 against c = 100 is the
// inverse ratio of their figures (issue 14: within 1.2x).
void run_replications_of(benchmark::State& state, const Scenario& s) {
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

// Arg: agents. About 114,000 calls per iteration at c = 100 (100 simulated
// hours); at c = 10,000 two hours (228,000 calls), the first few minutes of
// which fill the empty center.
void BM_EventListMmcPlusM(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  run_replications_of(state, reference(agents, agents >= 10000 ? 2 : 100));
}
BENCHMARK(BM_EventListMmcPlusM)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// The two sizes of BM_EventListMmcPlusM side by side: each iteration runs
// one replication of each, the two taking turns at going first (ABBA:
// c = 100 first on even seeds), timed in the thread's CPU
// time, so that a machine whose speed drifts from one second to the next
// (a shared one) weighs on both alike. cost_ratio is the CPU time of a call
// at c = 10,000 over that of one at c = 100 (issue 14: within 1.2).
void BM_AgentsSideBySide(benchmark::State& state) {
  const Scenario small = reference(100, 100), large = reference(10000, 2);
  double seconds[2] = {0, 0}, calls[2] = {0, 0};
  std::uint64_t seed = 1;
  for (auto _ : state) {
    sim::RunOptions o;
    o.seed = seed;
    for (int k = 0; k < 2; ++k) {
      const int which = static_cast<int>((seed + k) % 2);  // 0: c = 100, 1: c = 10,000
      sim::RunStats stats;
      const double t0 = thread_cpu_seconds();
      benchmark::DoNotOptimize(sim::simulate_once(which == 0 ? small : large, o, &stats));
      seconds[which] += thread_cpu_seconds() - t0;
      calls[which] += static_cast<double>(stats.calls);
    }
    ++seed;
  }
  state.counters["c100_calls_per_second"] = calls[0] / seconds[0];
  state.counters["c10000_calls_per_second"] = calls[1] / seconds[1];
  state.counters["cost_ratio"] = (seconds[1] / calls[1]) / (seconds[0] / calls[0]);
}
BENCHMARK(BM_AgentsSideBySide)->Iterations(20)->Unit(benchmark::kMillisecond);

// The multi-skill scenarios as shipped (skills, priorities, overflow, IVR,
// callbacks): calls per second beside the single-queue reference.
void BM_EventListScenario(benchmark::State& state, const char* file) {
  run_replications_of(state, load_scenario(std::string(SWITCHBOARD_SOURCE_DIR) + "/scenarios/" + file));
}
BENCHMARK_CAPTURE(BM_EventListScenario, multiskill_vip, "multiskill-vip.yaml")->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(BM_EventListScenario, bank_day, "bank-day.yaml")->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Eight replications of the c = 100 reference (20 simulated hours each) on
// `jobs` threads, wall-clock: the speed-up of --jobs 2 is the ratio of the
// two calls_per_second figures (issue 14: >= 1.8 on 2 cores; meaningful only
// on an otherwise idle machine).
void BM_Replications(benchmark::State& state) {
  const Scenario s = reference(100, 20);
  double calls = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const sim::ReplicationPlan plan{seed++, 8, static_cast<int>(state.range(0))};
    const sim::ReplicationResults r = sim::run_replications(s, plan);
    for (const auto& stats : r.stats) calls += static_cast<double>(stats.calls);
  }
  state.counters["calls_per_second"] = benchmark::Counter(calls, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Replications)->ArgName("jobs")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace


namespace {

// One replication of 10 million calls of the same reference, reporting the
// process's peak resident set size. Reporting intervals are a day long: the
// KPI book keeps one row per interval, the simulation state itself follows
// the calls in the system. Run it alone for a clean figure:
//   switchboard_bench --benchmark_filter=TenMillion
void BM_EventListTenMillionCallsPeakRss(benchmark::State& state) {
  Scenario s = reference(100, 1);
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
