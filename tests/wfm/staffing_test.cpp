// Staffing: the fewest agents that meet every target, monotone in load;
// the simulation method meets its targets in simulation; the CLI contract.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support/test_support.hpp"
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

bool meets(const wfm::QueueMetrics& m, const wfm::StaffingTargets& t) {
  return (!t.service_level || m.service_level >= *t.service_level) && (!t.asa || m.asa <= *t.asa) &&
         (!t.max_abandon || m.p_abandon <= *t.max_abandon) && (!t.max_occupancy || m.occupancy <= *t.max_occupancy);
}

}  // namespace

TEST(Staffing, FewestAgentsMeetingTargetsErlangCAndA) {
  for (auto method : {wfm::StaffingMethod::erlang_c, wfm::StaffingMethod::erlang_a}) {
    auto p = problem(method == wfm::StaffingMethod::erlang_a ? std::optional<double>(180) : std::nullopt);
    p.targets.asa = 15;
    p.targets.max_occupancy = 0.9;
    if (p.patience) p.targets.max_abandon = 0.03;
    for (double calls : {1.0, 10.0, 90.0, 400.0, 3000.0}) {
      const auto s = wfm::staff_interval(calls, p, method);
      EXPECT_TRUE(meets(s.expected, p.targets)) << calls;
      EXPECT_FALSE(meets(wfm::metrics_at(calls, s.required - 1, p, method), p.targets)) << calls;
      EXPECT_DOUBLE_EQ(s.workload, calls * 240 / 900);
    }
  }
}

TEST(Staffing, MonotoneInLoad) {
  const auto p = problem(std::nullopt);
  int previous = 0;
  for (double calls = 0; calls <= 2000; calls += 37) {
    const int n = wfm::staff_interval(calls, p, wfm::StaffingMethod::erlang_c).required;
    EXPECT_GE(n, previous) << calls;
    previous = n;
  }
  EXPECT_EQ(wfm::staff_interval(0, p, wfm::StaffingMethod::erlang_c).required, 0);
}

TEST(Staffing, ShrinkageRoundsUp) {
  EXPECT_EQ(wfm::scheduled_agents(10, 0.2), 13);  // 12.5 -> 13
  EXPECT_EQ(wfm::scheduled_agents(8, 0.2), 10);   // exactly 10
  EXPECT_EQ(wfm::scheduled_agents(7, 0), 7);
}

TEST(Staffing, InfeasibleTargetsAreRejected) {
  auto p = problem(120);
  p.targets.service_level = 1.0;
  EXPECT_THROW(wfm::check_feasible(p, wfm::StaffingMethod::erlang_a), std::invalid_argument);
  p.targets.service_level = 0.8;
  p.targets.max_abandon = 0;
  EXPECT_THROW(wfm::check_feasible(p, wfm::StaffingMethod::erlang_a), std::invalid_argument);
  auto c = problem(std::nullopt);
  c.targets.max_abandon = 0.05;
  EXPECT_THROW(wfm::check_feasible(c, wfm::StaffingMethod::erlang_c), std::invalid_argument);
}

TEST(Staffing, SimulationMeetsTargetsWithCarryOver) {
  auto p = problem(300);
  const std::vector<double> calls{100, 300, 300, 100};
  std::vector<int> start;
  for (double c : calls) start.push_back(wfm::staff_interval(c, p, wfm::StaffingMethod::erlang_a).required);
  const auto plan = wfm::staff_by_simulation(calls, p, start, wfm::SimulationSettings{3, 8, 2, 200});
  EXPECT_GE(plan.rounds, 2);
  ASSERT_EQ(plan.required.size(), calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_GE(plan.expected[i].service_level, 0.8) << i;
    // Within a few agents of the analytic answer.
    EXPECT_NEAR(plan.required[i], start[i], 8) << i;
  }
  // The fewest: one agent less in any interval misses a target somewhere
  // (in that interval or, through the queue it leaves behind, a later one).
  for (std::size_t i = 0; i < calls.size(); ++i) {
    auto fewer = plan.required;
    --fewer[i];
    const auto metrics = wfm::simulate_plan(calls, p, fewer, wfm::SimulationSettings{3, 8, 2, 200});
    bool missed = false;
    for (const auto& m : metrics) missed = missed || m.service_level < 0.8;
    EXPECT_TRUE(missed) << "interval " << i << " could spare an agent";
  }
}

TEST(StaffCli, CsvContractAndScheduledAfterShrinkage) {
  test::TempDir dir;
  test::write_file(dir / "a.csv", "timestamp,calls\n2003-03-03T07:00:00Z,100\n2003-03-03T07:15:00Z,0\n2003-03-03T07:30:00Z,250\n");
  const auto r = test::run_cli("staff --arrivals " + (dir / "a.csv").string() +
                               " --aht 240 --target-sl 0.8 --answer-within 20 --shrinkage 0.25");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, first, second, third;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  std::getline(lines, third);
  EXPECT_EQ(header, "timestamp,calls,workload_erlangs,agents_required,agents_scheduled,service_level,asa_seconds,p_abandon");
  const int required = wfm::staff_interval(100, problem(std::nullopt), wfm::StaffingMethod::erlang_c).required;
  EXPECT_EQ(first.rfind("2003-03-03T07:00:00Z,100,26.6667," + std::to_string(required) + "," +
                            std::to_string(wfm::scheduled_agents(required, 0.25)) + ",", 0), 0u) << first;
  EXPECT_EQ(second.rfind("2003-03-03T07:15:00Z,0,0,0,0,", 0), 0u) << second;
}

TEST(StaffCli, JsonAndOutFileAndSimulationRounds) {
  test::TempDir dir;
  test::write_file(dir / "a.csv", "timestamp,calls\n2003-03-03T07:00:00Z,100\n2003-03-03T07:15:00Z,200\n");
  const auto j = test::run_cli("staff --arrivals " + (dir / "a.csv").string() + " --aht 240 --patience 200 --target-sl 0.8 --format json");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["method"], "erlang-a");
  EXPECT_EQ(doc["intervals"].size(), 2u);
  const auto sim = test::run_cli("staff --arrivals " + (dir / "a.csv").string() +
                                 " --aht 240 --patience 200 --target-sl 0.8 --method simulation --reps 4 --out " +
                                 (dir / "plan.csv").string());
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  EXPECT_NE(sim.err.find("settled in"), std::string::npos);
  EXPECT_EQ(test::read_file(dir / "plan.csv").rfind("timestamp,calls,", 0), 0u);
}

TEST(StaffCli, BadInputExitsTwo) {
  test::TempDir dir;
  test::write_file(dir / "a.csv", "timestamp,calls\n2003-03-03T07:00:00Z,100\n");
  test::write_file(dir / "gap.csv", "timestamp,calls\n2003-03-03T07:00:00Z,1\n2003-03-03T07:15:00Z,1\n2003-03-03T07:45:00Z,1\n");
  test::write_file(dir / "neg.csv", "timestamp,calls\n2003-03-03T07:00:00Z,-1\n");
  const std::string a = (dir / "a.csv").string();
  struct Case {
    std::string args, message;
  };
  for (const Case& c : {Case{"--arrivals " + a + " --target-sl 0.8", "--aht"},
                        Case{"--arrivals " + a + " --aht 240", "no target"},
                        Case{"--arrivals " + a + " --aht 240 --target-sl 1", "infeasible"},
                        Case{"--arrivals " + a + " --aht 240 --patience 60 --max-abandon 0", "infeasible"},
                        Case{"--arrivals " + a + " --aht -3 --target-sl 0.8", "--aht"},
                        Case{"--arrivals " + a + " --aht 240 --target-sl 0.8 --shrinkage 1", "--shrinkage"},
                        Case{"--arrivals " + a + " --aht 240 --target-sl 0.8 --method guess", "--method"},
                        Case{"--arrivals " + (dir / "gap.csv").string() + " --aht 240 --target-sl 0.8", "gap.csv:4:1: timestamp: gap inside a day"},
                        Case{"--arrivals " + (dir / "neg.csv").string() + " --aht 240 --target-sl 0.8", "neg.csv:2:22: calls"}}) {
    const auto r = test::run_cli("staff " + c.args + " --out " + (dir / "never.csv").string());
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "never.csv"));
  }
}
