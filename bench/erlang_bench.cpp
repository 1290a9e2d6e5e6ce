// The Erlang calculators at the sizes staffing asks of them: one evaluation
// per bisection step, about 2 log2(N) per interval, 96 intervals a day.
#include <benchmark/benchmark.h>

#include "wfm/erlang.hpp"
#include "wfm/staffing.hpp"

namespace {

using namespace switchboard;

constexpr double kAht = 300;

void BM_ErlangB(benchmark::State& state) {
  const int lines = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(wfm::erlang_b(0.9 * lines, lines));
}
BENCHMARK(BM_ErlangB)->Arg(50)->Arg(1000)->Arg(20000);

void BM_ErlangC(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(wfm::erlang_c(0.9 * agents / kAht, kAht, agents, 20));
}
BENCHMARK(BM_ErlangC)->Arg(50)->Arg(1000)->Arg(20000);

// Arguments: agents, offered load in percent of the agents, patience in seconds.
void BM_ErlangA(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  const double load = static_cast<double>(state.range(1)) / 100 * agents;
  const double patience = static_cast<double>(state.range(2));
  for (auto _ : state) benchmark::DoNotOptimize(wfm::erlang_a(load / kAht, kAht, agents, patience, 20));
}
BENCHMARK(BM_ErlangA)
    ->Args({50, 90, 180})
    ->Args({1000, 100, 180})
    ->Args({15000, 100, 200})
    ->Args({5000, 150, 600})  // deep overload: ~5,000 callers waiting
    ->Unit(benchmark::kMicrosecond);

// One interval's staffing search for 80% within 20 s.
void BM_FewestAgents(benchmark::State& state) {
  const double erlangs = static_cast<double>(state.range(0));
  const bool patient = state.range(1) != 0;
  wfm::StaffingTargets t;
  t.service_level = 0.8;
  const auto method = patient ? wfm::StaffingMethod::erlang_a : wfm::StaffingMethod::erlang_c;
  const std::optional<double> patience = patient ? std::optional<double>(200) : std::nullopt;
  for (auto _ : state) benchmark::DoNotOptimize(wfm::fewest_agents(erlangs / kAht, kAht, patience, t, method));
}
BENCHMARK(BM_FewestAgents)->Args({50, 0})->Args({50, 1})->Args({15000, 0})->Args({15000, 1})->Unit(benchmark::kMicrosecond);

}  // namespace
