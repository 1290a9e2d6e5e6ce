// Staffing: the fewest agents that meet every target (and one fewer does
// not), monotone in load, a published Erlang C staffing figure, infeasible
// targets refused; the simulation method meets its targets in simulation;
// the `switchboard staff` contract (CSV columns, JSON keys, scenario input,
// exit status 2 and no output file on each bad input).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <algorithm>

#include "io/scenario_loader.hpp"
#include "support/test_support.hpp"
#include "wfm/scenario_demand.hpp"
#include "wfm/staffing.hpp"
#include "wfm/staffing_simulation.hpp"

using namespace switchboard;

namespace {

wfm::StaffingProblem problem(std::optional<double> patience) {
  wfm::StaffingProblem p;
  p.interval = 900;
  p.aht = 240;
  p.patience = patience;
  p.targets.service_level = 0.8;
  p.targets.answer_within = 20;
  return p;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) fields.push_back(f);
  return fields;
}

// Each interval's Erlang A staffing: where simulation staffing starts.
std::vector<int> erlang_a_start(const std::vector<double>& calls, const wfm::StaffingProblem& p) {
  std::vector<int> start;
  for (double c : calls) start.push_back(wfm::staff_interval(c, p, wfm::StaffingMethod::erlang_a).required);
  return start;
}

const char* kHeader = "timestamp,calls,workload_erlangs,agents_required,agents_scheduled,service_level,asa_seconds,p_abandon";

}  // namespace

TEST(Staffing, PublishedErlangCFigure) {
  // jonesthenet.com, "Erlang uplift" (budgeting/service-levels-erlang): 250
  // calls an hour with a 330 s AHT need 28 advisors to answer 80% within 30 s.
  wfm::StaffingTargets t;
  t.service_level = 0.8;
  t.answer_within = 30;
  EXPECT_EQ(wfm::fewest_agents(250.0 / 3600, 330, std::nullopt, t, wfm::StaffingMethod::erlang_c), 28);
}

TEST(Staffing, FewestAgentsMeetingEachTargetErlangCAndA) {
  struct Targets {
    std::optional<double> sl, asa, abandon, occupancy;
  };
  const std::vector<Targets> sets{{0.8, {}, {}, {}},   {0.95, {}, {}, {}},  {{}, 15.0, {}, {}}, {{}, {}, {}, 0.85},
                                  {{}, {}, 0.02, {}},  {0.8, 15.0, 0.03, 0.9}};
  for (auto method : {wfm::StaffingMethod::erlang_c, wfm::StaffingMethod::erlang_a}) {
    const bool a = method == wfm::StaffingMethod::erlang_a;
    for (const Targets& set : sets) {
      if (set.abandon && !a) continue;
      wfm::StaffingTargets t;
      t.service_level = set.sl;
      t.asa = set.asa;
      t.max_abandon = set.abandon;
      t.max_occupancy = set.occupancy;
      for (double erlangs : {0.05, 1.0, 8.0, 26.7, 200.0, 3000.0, 15000.0}) {
        const double aht = 240, rate = erlangs / aht;
        const std::optional<double> patience = a ? std::optional<double>(180) : std::nullopt;
        const int n = wfm::fewest_agents(rate, aht, patience, t, method);
        ASSERT_GE(n, 1);
        EXPECT_TRUE(wfm::meets_targets(wfm::queue_metrics(rate, aht, patience, n, 20, method), t)) << erlangs;
        if (n > 1) {
          EXPECT_FALSE(wfm::meets_targets(wfm::queue_metrics(rate, aht, patience, n - 1, 20, method), t))
              << erlangs << " Erlangs could do with " << n - 1;
        }
        if (!a) {
          EXPECT_GT(n, erlangs);  // Erlang C never staffs at or below the load
        }
      }
    }
  }
}

TEST(Staffing, MonotoneInLoad) {
  for (auto method : {wfm::StaffingMethod::erlang_c, wfm::StaffingMethod::erlang_a}) {
    auto p = problem(method == wfm::StaffingMethod::erlang_a ? std::optional<double>(120) : std::nullopt);
    p.targets.asa = 20;
    int previous = 0;
    for (double calls = 0; calls <= 3000; calls += 23) {
      const int n = wfm::staff_interval(calls, p, method).required;
      EXPECT_GE(n, previous) << calls;
      previous = n;
    }
  }
  EXPECT_EQ(wfm::staff_interval(0, problem(std::nullopt), wfm::StaffingMethod::erlang_c).required, 0);
}

TEST(Staffing, IntervalRowIsConsistent) {
  auto p = problem(200);
  p.shrinkage = 0.3;
  const auto s = wfm::staff_interval(334.37, p, wfm::StaffingMethod::erlang_a);
  EXPECT_DOUBLE_EQ(s.workload, 334.37 * 240 / 900);
  EXPECT_EQ(s.scheduled, wfm::scheduled_agents(s.required, 0.3));
  const auto at = wfm::erlang_a(334.37 / 900, 240, s.required, 200, 20);
  EXPECT_DOUBLE_EQ(s.expected.service_level, at.service_level);
  EXPECT_DOUBLE_EQ(s.expected.p_abandon, at.p_abandon);
  EXPECT_GE(s.expected.service_level, 0.8);
}

TEST(Staffing, ErlangCUnstableIsReportedNotThrown) {
  const auto m = wfm::queue_metrics(0.1, 240, std::nullopt, 24, 20, wfm::StaffingMethod::erlang_c);
  EXPECT_EQ(m.p_wait, 1);
  EXPECT_EQ(m.service_level, 0);
  EXPECT_TRUE(std::isinf(m.asa));
  wfm::StaffingTargets only_occupancy;
  only_occupancy.max_occupancy = 1;
  EXPECT_FALSE(wfm::meets_targets(m, only_occupancy));  // an unstable queue meets nothing
  EXPECT_EQ(wfm::fewest_agents(0.1, 240, std::nullopt, only_occupancy, wfm::StaffingMethod::erlang_c), 25);
}

TEST(Staffing, ShrinkageRoundsUp) {
  EXPECT_EQ(wfm::scheduled_agents(10, 0.2), 13);  // 12.5 -> 13
  EXPECT_EQ(wfm::scheduled_agents(8, 0.2), 10);   // exactly 10
  EXPECT_EQ(wfm::scheduled_agents(7, 0), 7);
  EXPECT_EQ(wfm::scheduled_agents(0, 0.5), 0);
}

TEST(Staffing, InfeasibleTargetsAreRejected) {
  auto expect_infeasible = [](const wfm::StaffingProblem& p, wfm::StaffingMethod m, const std::string& why) {
    try {
      wfm::check_feasible(p, m);
      ADD_FAILURE() << "accepted: " << why;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  };
  auto p = problem(120);
  p.targets.service_level = 1.0;
  p.targets.answer_within = 0;
  expect_infeasible(p, wfm::StaffingMethod::erlang_a, "service level of 1");
  expect_infeasible(p, wfm::StaffingMethod::erlang_c, "service level of 1");
  p = problem(120);
  p.targets.max_abandon = 0;
  expect_infeasible(p, wfm::StaffingMethod::erlang_a, "no abandonment");
  p.targets.max_abandon = 0.05;
  expect_infeasible(p, wfm::StaffingMethod::erlang_c, "Erlang C has no abandonment");
  auto c = problem(std::nullopt);
  c.targets.max_abandon = 0.05;
  expect_infeasible(c, wfm::StaffingMethod::erlang_c, "--patience");
  expect_infeasible(problem(std::nullopt), wfm::StaffingMethod::erlang_a, "erlang-a needs --patience");
  c = problem(std::nullopt);
  c.targets.max_occupancy = 0;
  expect_infeasible(c, wfm::StaffingMethod::erlang_c, "occupancy of 0");
  c = problem(std::nullopt);
  c.targets.service_level.reset();
  expect_infeasible(c, wfm::StaffingMethod::erlang_c, "no target");
  EXPECT_NO_THROW(wfm::check_feasible(problem(120), wfm::StaffingMethod::erlang_a));
  // A target reachable in principle but not within 4 A + 1000 agents.
  wfm::StaffingTargets absurd;
  absurd.max_occupancy = 1e-6;
  EXPECT_THROW(wfm::fewest_agents(1, 100, std::nullopt, absurd, wfm::StaffingMethod::erlang_c), std::invalid_argument);
}

TEST(Staffing, SimulationMeetsTargetsWithCarryOver) {
  auto p = problem(300);
  const std::vector<double> calls{100, 300, 300, 100};
  const std::vector<int> start = erlang_a_start(calls, p);
  const wfm::SimulationSettings settings{3, 8, 2, 200};
  const auto plan = wfm::staff_by_simulation(calls, p, start, settings);
  EXPECT_GE(plan.rounds, 2);
  ASSERT_EQ(plan.required.size(), calls.size());
  // Every interval meets its target with confidence (the lower end of its
  // 95% interval), and the plan stays near the analytic one.
  const auto at_plan = wfm::evaluate_plan(calls, p, plan.required, settings);
  EXPECT_TRUE(at_plan.all_met);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_TRUE(at_plan.met[i]) << i;
    EXPECT_GE(at_plan.metrics[i].service_level, *p.targets.service_level) << i;
    EXPECT_NEAR(plan.required[i], start[i], 8) << i;
  }
  // The fewest under the rule: one agent less in any interval leaves some
  // interval (that one or, through the queue it leaves behind, a later one)
  // without the confidence of meeting its target.
  for (std::size_t i = 0; i < calls.size(); ++i) {
    auto fewer = plan.required;
    --fewer[i];
    const auto e = wfm::evaluate_plan(calls, p, fewer, settings);
    EXPECT_FALSE(e.all_met) << "interval " << i << " could spare an agent";
  }
}

TEST(Staffing, SimulationKeepsAStationaryLoadFlat) {
  // M/M/c at 24 Erlangs (0.1 calls/s, AHT 240 s) for 8 hours, 80% within
  // 20 s: Erlang C gives 29 agents (SL 0.840; 28 agents give 0.761, hand
  // computed from the Erlang B recursion). Started in steady state (one
  // hour of warm-up), every hour is the same queue, so the plan must be 29
  // in every hour whatever the seed: noise of the replications may not
  // shape it. Each seed's plan is one trial; all must be flat (this checks
  // 3 seeds x 8 intervals). 29 agents are 0.04 above the target and 28 are
  // 0.04 below: an interval's 95% interval that straddles the target gets
  // more replications until it does not, so each hour is decided.
  auto p = problem(std::nullopt);
  p.interval = 3600;
  const std::vector<double> calls(8, 360);
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto plan = wfm::staff_by_simulation(calls, p, std::vector<int>(8, 29),
                                               wfm::SimulationSettings{seed, 10, 2, 200, 3600});
    EXPECT_EQ(plan.required, std::vector<int>(8, 29)) << "seed " << seed;
  }
}

// A trial that lowers agents and then gives every one of them back is the
// plan the search already judged feasible; judged again on the
// replications asked for since, its verdict could fall the other way, and
// the search stopped with "lost a feasible plan" (exit 3 from `staff`).
// Over 40 seeds of the CLI's two-interval case the search must end with a
// plan every time, one that meets the targets when judged afresh; before
// the fix (f85ec4f) seeds 1, 30 and 38 threw.
TEST(Staffing, SimulationSearchEndsWithAPlanOnEverySeed) {
  const auto p = problem(200);
  const std::vector<double> calls{100, 200};
  const std::vector<int> start = erlang_a_start(calls, p);
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const wfm::SimulationSettings settings{seed, 4, 1, 500};
    wfm::SimulatedStaffing plan;
    EXPECT_NO_THROW(plan = wfm::staff_by_simulation(calls, p, start, settings)) << "seed " << seed;
    EXPECT_EQ(plan.required.size(), calls.size()) << "seed " << seed;
    if (plan.required.size() != calls.size()) continue;
    EXPECT_TRUE(wfm::evaluate_plan(calls, p, plan.required, settings).all_met) << "seed " << seed;
  }
}

TEST(StaffCli, CsvContractAndScheduledAfterShrinkage) {
  test::TempDir dir;
  test::write_file(dir / "a.csv", "timestamp,calls\n2003-03-03T07:00:00Z,100\n2003-03-03T07:15:00Z,0\n2003-03-03T07:30:00Z,250.5\n");
  const auto r = test::run_cli("staff --arrivals " + (dir / "a.csv").string() +
                               " --aht 240 --target-sl 0.8 --answer-within 20 --shrinkage 0.25");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], kHeader);
  // Hand-computed Erlang C (Erlang B recursion, then C = N B / (N - A (1 - B)),
  // SL = 1 - C exp(-(N - A) T / AHT)): A = 100 x 240 / 900 = 26.67 Erlangs;
  // 31 agents give SL 0.777, 32 give 0.849: 32 required, ceil(32 / 0.75) = 43.
  EXPECT_EQ(lines[1].rfind("2003-03-03T07:00:00Z,100,26.6667,32,43,0.848512,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2], "2003-03-03T07:15:00Z,0,0,0,0,1,0,0");
  const auto third = fields_of(lines[3]);
  ASSERT_EQ(third.size(), 8u);
  EXPECT_EQ(third[1], "250.5");  // calls as given
  EXPECT_EQ(third[3], "74");     // 66.8 Erlangs: 73 agents give SL 0.789, 74 give 0.840 (hand computed)
  EXPECT_EQ(third[4], "99");     // ceil(74 / 0.75)
  EXPECT_EQ(third[7], "0");      // Erlang C: nobody abandons
}

TEST(StaffCli, JsonHasExactlyTheCsvColumnsPerInterval) {
  test::TempDir dir;
  test::write_file(dir / "a.csv", "timestamp,calls\n2003-03-03T07:00:00Z,100\n2003-03-03T07:15:00Z,200\n");
  const std::string base = "staff --arrivals " + (dir / "a.csv").string() + " --aht 240 --patience 200 --target-sl 0.8";
  const auto j = test::run_cli(base + " --json");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["method"], "erlang-a");
  EXPECT_EQ(doc["interval_seconds"], 900);
  EXPECT_EQ(doc["aht_seconds"], 240);
  ASSERT_EQ(doc["intervals"].size(), 2u);
  const std::vector<std::string> columns{"timestamp",        "calls",         "workload_erlangs", "agents_required",
                                         "agents_scheduled", "service_level", "asa_seconds",      "p_abandon"};
  for (const auto& row : doc["intervals"]) {
    EXPECT_EQ(row.size(), columns.size());
    for (const auto& c : columns) EXPECT_TRUE(row.contains(c)) << c;
    EXPECT_TRUE(row["timestamp"].is_string());
    EXPECT_TRUE(row["agents_required"].is_number_integer());
    EXPECT_GE(row["service_level"].get<double>(), 0.8);
  }
  // The JSON holds the very numbers of the CSV of the same run.
  const auto csv = lines_of(test::run_cli(base).out);
  ASSERT_EQ(csv.size(), 3u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto f = fields_of(csv[i + 1]);
    const auto& row = doc["intervals"][i];
    EXPECT_EQ(f[0], row["timestamp"].get<std::string>());
    EXPECT_EQ(f[3], std::to_string(row["agents_required"].get<int>()));
    EXPECT_NEAR(std::stod(f[5]), row["service_level"].get<double>(), 1e-5);
    EXPECT_NEAR(std::stod(f[7]), row["p_abandon"].get<double>(), 1e-6);
  }
  const auto same = test::run_cli(base + " --format json");
  EXPECT_EQ(same.out, j.out);  // --format json is the older spelling
}

TEST(StaffCli, OutFileAndSimulationRounds) {
  test::TempDir dir;
  test::write_file(dir / "a.csv", "timestamp,calls\n2003-03-03T07:00:00Z,100\n2003-03-03T07:15:00Z,200\n");
  const auto plain = test::run_cli("staff --arrivals " + (dir / "a.csv").string() + " --aht 240 --target-sl 0.8 --out " +
                                   (dir / "plan.csv").string());
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(plain.out.empty());
  EXPECT_EQ(lines_of(test::read_file(dir / "plan.csv")).at(0), kHeader);
  const auto sim = test::run_cli("staff --arrivals " + (dir / "a.csv").string() +
                                 " --aht 240 --patience 200 --target-sl 0.8 --method simulation --reps 4 --out " +
                                 (dir / "sim.csv").string());
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  EXPECT_NE(sim.err.find("settled in"), std::string::npos);
  EXPECT_EQ(lines_of(test::read_file(dir / "sim.csv")).size(), 3u);
}

TEST(StaffCli, ScenarioPoolsCallTypesWithTheirGroupsWrapUp) {
  test::TempDir dir;
  // Two call types, each to its own queue and group: sales (talk 200 s,
  // wrap-up 40 s) at 360 calls/h, support (talk 300 s, wrap-up 60 s) at 120
  // then 240 calls/h. Pooled AHT = (720 * 240 + 360 * 360) / 1080 = 280 s.
  test::write_file(dir / "two.yaml", R"(name: two
horizon: {start: "09:00", length: 1h, interval: 30m}
targets: {answer_within: 15s, service_level: 0.9}
skills: [sales, support]
agent_groups:
  - {name: sellers, skills: [sales], agents: 10, wrap_up: {dist: constant, value: 40s}}
  - {name: helpers, skills: [support], agents: 10, wrap_up: {dist: exponential, mean: 60s}}
queues:
  - {name: sales, skill: sales}
  - {name: support, skill: support}
call_types:
  - name: buyers
    arrivals: {process: poisson, rate: 360}
    handle_time: {dist: exponential, mean: 200s}
    entry: {queue: sales}
  - name: users
    arrivals: {process: poisson, rates: [120, 240]}
    handle_time: {dist: exponential, mean: 300s}
    entry: {queue: support}
)");
  const auto r = test::run_cli("staff " + (dir / "two.yaml").string() + " --date 2024-05-06 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["method"], "erlang-c");  // not every type has a patience
  EXPECT_DOUBLE_EQ(doc["aht_seconds"].get<double>(), 280);
  EXPECT_EQ(doc["interval_seconds"], 1800);
  ASSERT_EQ(doc["intervals"].size(), 2u);
  EXPECT_EQ(doc["intervals"][0]["timestamp"], "2024-05-06T09:00:00Z");
  EXPECT_EQ(doc["intervals"][1]["timestamp"], "2024-05-06T09:30:00Z");
  EXPECT_DOUBLE_EQ(doc["intervals"][0]["calls"].get<double>(), 240);
  EXPECT_DOUBLE_EQ(doc["intervals"][1]["calls"].get<double>(), 300);
  // The scenario's targets, 90% within 15 s, by hand-computed Erlang C at
  // AHT 280 s: 240 calls in 30 min (37.3 Erlangs) need 46 agents (45: SL
  // 0.894, 46: 0.925); 300 calls (46.7 Erlangs) need 56 (55: 0.893, 56: 0.922).
  EXPECT_EQ(doc["intervals"][0]["agents_required"], 46);
  EXPECT_EQ(doc["intervals"][1]["agents_required"], 56);
  // Flags override the scenario; the shipped M/M/c reference staffs 24 Erlangs.
  const auto ref = test::run_cli("staff " + (test::source_dir() / "scenarios/erlang-c.yaml").string() +
                                 " --target-sl 0.8 --answer-within 20");
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  const auto rows = lines_of(ref.out);
  ASSERT_GE(rows.size(), 2u);
  // 24 Erlangs, 80% within 20 s: 29 agents (28: SL 0.761, 29: 0.840).
  EXPECT_EQ(fields_of(rows[1]).at(3), "29");
}

TEST(StaffCli, BadInputExitsTwoAndWritesNothing) {
  test::TempDir dir;
  test::write_file(dir / "a.csv", "timestamp,calls\n2003-03-03T07:00:00Z,100\n");
  test::write_file(dir / "gap.csv", "timestamp,calls\n2003-03-03T07:00:00Z,1\n2003-03-03T07:15:00Z,1\n2003-03-03T07:45:00Z,1\n");
  test::write_file(dir / "neg.csv", "timestamp,calls\n2003-03-03T07:00:00Z,-1\n");
  const std::string a = "--arrivals " + (dir / "a.csv").string();
  struct Case {
    std::string args, message;
  };
  for (const Case& c : {
           Case{a + " --target-sl 0.8", "--aht"},
           Case{a + " --aht 240", "no target"},
           Case{a + " --aht 240 --target-sl 1", "infeasible"},
           Case{a + " --aht 240 --target-sl 1 --answer-within 0", "service level of 1"},
           Case{a + " --aht 240 --target-sl 0", "--target-sl"},
           Case{a + " --aht 240 --target-sl 1.5", "--target-sl"},
           Case{a + " --aht 240 --target-sl abc", "target-sl"},
           Case{a + " --aht 240 --target-sl 0.8 --answer-within -1", "--answer-within"},
           Case{a + " --aht 240 --patience 60 --max-abandon 0", "infeasible"},
           Case{a + " --aht 240 --patience 60 --max-abandon -0.1", "--max-abandon"},
           Case{a + " --aht 240 --patience 60 --max-abandon 2", "--max-abandon"},
           Case{a + " --aht 240 --max-abandon 0.05", "--patience"},
           Case{a + " --aht 240 --patience 60 --max-abandon 0.05 --method erlang-c", "Erlang C has no abandonment"},
           Case{a + " --aht 240 --max-occupancy 0", "occupancy of 0"},
           Case{a + " --aht 240 --max-occupancy 1.2", "--max-occupancy"},
           Case{a + " --aht 240 --target-asa 0", "--target-asa"},
           Case{a + " --aht 240 --target-asa -3", "--target-asa"},
           Case{a + " --aht -3 --target-sl 0.8", "--aht"},
           Case{a + " --aht 0 --target-sl 0.8", "--aht"},
           Case{a + " --aht 240 --patience 0 --target-sl 0.8", "--patience"},
           Case{a + " --aht 240 --patience -1 --target-sl 0.8", "--patience"},
           Case{a + " --aht 240 --target-sl 0.8 --shrinkage 1", "--shrinkage"},
           Case{a + " --aht 240 --target-sl 0.8 --shrinkage -0.1", "--shrinkage"},
           Case{a + " --aht 240 --target-sl 0.8 --method guess", "--method"},
           Case{a + " --aht 240 --target-sl 0.8 --method erlang-a", "erlang-a needs --patience"},
           Case{a + " --aht 240 --target-sl 0.8 --format xml", "--format"},
           Case{a + " --aht 240 --target-sl 0.8 --bogus", "bogus"},
           Case{"--aht 240 --target-sl 0.8", "--arrivals"},
           Case{a + " " + (dir / "x.yaml").string() + " --aht 240 --target-sl 0.8", "not both"},
           Case{"--arrivals " + (dir / "missing.csv").string() + " --aht 240 --target-sl 0.8", "missing.csv"},
           Case{"--arrivals " + (dir / "gap.csv").string() + " --aht 240 --target-sl 0.8", "gap.csv:4:1: timestamp: gap inside a day"},
           Case{"--arrivals " + (dir / "neg.csv").string() + " --aht 240 --target-sl 0.8", "neg.csv:2:22: calls"},
           Case{(dir / "missing.yaml").string(), "missing.yaml"},
       }) {
    const auto r = test::run_cli("staff " + c.args + " --out " + (dir / "never.csv").string());
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "never.csv")) << c.args;
    EXPECT_TRUE(r.out.empty()) << c.args;
  }
}

TEST(StaffCli, SimulationOnAStationaryScenarioIsFlat) {
  // scenarios/erlang-c.yaml: 24 Erlangs every hour after an hour of warm-up;
  // Erlang C (hand computed, see above) staffs 29 in every hour, and so must
  // the simulation: with the mean as its rule it planned 27 to 29 agents
  // around the noise of 10 replications, and with the lower confidence
  // bound at a fixed 10 replications 29 to 32.
  const auto r = test::run_cli("staff " + (test::source_dir() / "scenarios/erlang-c.yaml").string() +
                               " --target-sl 0.8 --method simulation --reps 10 --seed 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines_of(r.out);
  ASSERT_EQ(rows.size(), 9u);
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(fields_of(rows[i]).at(3), "29") << rows[i];
}

TEST(ScenarioDemand, IvrCallersPoolTheWrapUpOfEveryQueueTheyCanReach) {
  // scenarios/multiskill-vip.yaml: both call types enter the IVR, whose menu
  // leads to the billing, tech and cards queues. The groups with one of those
  // skills: billing_team (wrap-up 20 s), tech_team (45 s), cards_team (none):
  // mean wrap-up 65 / 3 s. Per 30 minutes, 100 balance calls (talk 150 s,
  // patience 240 s) and 130 service calls (talk 300 s, Weibull patience of
  // shape 1.5 and scale 300 s: mean 300 x Gamma(5/3)).
  const Scenario s = load_scenario((test::source_dir() / "scenarios/multiskill-vip.yaml").string());
  for (const auto& t : s.call_types) {
    auto queues = wfm::queues_reached(s, t);
    std::sort(queues.begin(), queues.end());
    EXPECT_EQ(queues, (std::vector<int>{0, 1, 2})) << t.name;
  }
  const auto d = wfm::demand_of(s, 0);
  ASSERT_EQ(d.demand.calls.size(), 16u);
  EXPECT_NEAR(d.demand.calls[0], 230, 1e-9);
  EXPECT_EQ(d.demand.start[0], 8 * 3600);
  EXPECT_EQ(d.demand.start[1], 8 * 3600 + 1800);
  const double wrap = 65.0 / 3;
  EXPECT_NEAR(d.aht, (100 * (150 + wrap) + 130 * (300 + wrap)) / 230, 1e-9);
  ASSERT_TRUE(d.patience.has_value());
  EXPECT_NEAR(*d.patience, (100 * 240 + 130 * 300 * std::tgamma(5.0 / 3)) / 230, 1e-6);
}
