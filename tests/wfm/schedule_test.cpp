// Shift scheduling: optimal on small cases (checked by enumerating every
// roster), shortfall reported instead of failing, closed hours never
// staffed, breaks inside their windows, and the CLI contract.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>

#include "io/interval_series.hpp"
#include "support/test_support.hpp"
#include "wfm/schedule.hpp"
#include "wfm/shift_policy.hpp"

using namespace switchboard;

namespace {

constexpr std::int64_t kHour = 3600;

wfm::Requirements hourly(const std::string& date, int first_hour, const std::vector<int>& agents) {
  std::int64_t day;
  parse_date(date, day);
  wfm::Requirements r;
  r.step = kHour;
  for (std::size_t i = 0; i < agents.size(); ++i) {
    r.start.push_back(day + (first_hour + static_cast<std::int64_t>(i)) * kHour);
    r.agents.push_back(agents[i]);
  }
  return r;
}

wfm::ShiftPolicy simple_policy() {
  wfm::ShiftPolicy p;
  p.days = {0, 1, 2, 3, 4, 5, 6};
  p.starts = {8 * 3600.0, 9 * 3600.0, 10 * 3600.0};
  p.lengths = {2 * 3600.0, 3 * 3600.0};
  p.cost_per_hour = 10;
  p.short_penalty = 1000;
  return p;
}

// The cheapest cost by trying every count 0..3 of every shift that fits.
double brute_force(const wfm::Requirements& req, const wfm::ShiftPolicy& p) {
  struct Shift {
    std::vector<int> covers;
    double cost;
  };
  std::vector<Shift> shifts;
  const std::int64_t day = req.start[0] - req.start[0] % 86400;
  for (double s : p.starts)
    for (double l : p.lengths) {
      Shift shift{{}, l / 3600 * p.cost_per_hour};
      bool fits = true;
      for (double t = s; t < s + l; t += 3600) {
        const auto it = std::find(req.start.begin(), req.start.end(), day + static_cast<std::int64_t>(t));
        if (it == req.start.end()) fits = false;
        else shift.covers.push_back(static_cast<int>(it - req.start.begin()));
      }
      if (fits) shifts.push_back(shift);
    }
  double best = 1e300;
  std::vector<int> x(shifts.size(), 0);
  std::function<void(std::size_t)> go = [&](std::size_t k) {
    if (k == shifts.size()) {
      std::vector<int> cover(req.agents.size(), 0);
      double cost = 0;
      for (std::size_t j = 0; j < shifts.size(); ++j) {
        cost += x[j] * shifts[j].cost;
        for (int r : shifts[j].covers) cover[r] += x[j];
      }
      for (std::size_t r = 0; r < cover.size(); ++r)
        if (cover[r] < req.agents[r]) return;
      best = std::min(best, cost);
      return;
    }
    for (x[k] = 0; x[k] <= 3; ++x[k]) go(k + 1);
  };
  go(0);
  return best;
}

}  // namespace

TEST(Schedule, OptimalOnSmallCasesCheckedByEnumeration) {
  for (const auto& agents : {std::vector<int>{1, 2, 2, 1}, std::vector<int>{2, 0, 1, 3}, std::vector<int>{3, 3, 1, 1},
                             std::vector<int>{0, 1, 3, 2}}) {
    const auto req = hourly("2024-01-01", 8, agents);
    const auto p = simple_policy();
    const auto s = wfm::solve_schedule(req, p, wfm::SolverLimits{30, 0, false, {}});
    EXPECT_TRUE(s.optimal);
    EXPECT_DOUBLE_EQ(s.cost, brute_force(req, p)) << agents[0] << agents[1] << agents[2] << agents[3];
    EXPECT_EQ(s.intervals_short, 0);
    for (std::size_t r = 0; r < agents.size(); ++r) EXPECT_GE(s.scheduled[r], agents[r]);
  }
}

TEST(Schedule, ReportsShortfallWhenAgentsAreCapped) {
  auto p = simple_policy();
  p.max_agents = 1;
  // One agent: 08:00+3h leaves 08:00 and 09:00 one short; any other shift leaves more.
  const auto req = hourly("2024-01-01", 8, {2, 2, 1, 0});
  const auto s = wfm::solve_schedule(req, p);
  EXPECT_EQ(s.intervals_short, 2);
  EXPECT_EQ(s.short_by, (std::vector<int>{1, 1, 0, 0}));
  int total = 0;
  for (const auto& line : s.roster) total += line.agents;
  EXPECT_EQ(total, 1);
}

TEST(Schedule, NeverStaffsClosedHours) {
  // Open 08:00-10:00 only: a 3 h shift would reach a closed hour, so only
  // the 2 h shift starting at 08:00 may be used.
  auto p = simple_policy();
  const auto req = hourly("2024-01-01", 8, {1, 1});
  const auto s = wfm::solve_schedule(req, p);
  ASSERT_EQ(s.roster.size(), 1u);
  EXPECT_EQ(s.roster[0].start, 8 * 3600);
  EXPECT_EQ(s.roster[0].length, 2 * 3600);
  p.starts = {9 * 3600.0};
  EXPECT_THROW(wfm::solve_schedule(req, p), std::invalid_argument);
}

TEST(Schedule, BreaksStayInTheirWindowsAndDoNotCover) {
  wfm::ShiftPolicy p;
  p.days = {0};
  p.starts = {8 * 3600.0};
  p.lengths = {4 * 3600.0};
  p.breaks = {wfm::BreakRule{3600, false, 3600, 2 * 3600, 0}};  // a 1 h unpaid break starting 1-2 h in
  p.cost_per_hour = 10;
  p.short_penalty = 1000;
  const auto req = hourly("2024-01-01", 8, {1, 1, 1, 1});
  const auto s = wfm::solve_schedule(req, p, wfm::SolverLimits{30, 0, false, {}});
  // One agent cannot cover all four hours around a break: two are needed.
  int agents = 0;
  for (const auto& line : s.roster) {
    agents += line.agents;
    ASSERT_EQ(line.breaks.size(), 1u);
    EXPECT_GE(line.breaks[0].start, 9 * 3600);
    EXPECT_LE(line.breaks[0].start, 10 * 3600);
    EXPECT_DOUBLE_EQ(line.paid_hours(), 3);
  }
  EXPECT_EQ(agents, 2);
  EXPECT_DOUBLE_EQ(s.cost, 2 * 3 * 10);
}

TEST(ScheduleCli, RosterCoverageAndSummary) {
  test::TempDir dir;
  test::write_file(dir / "plan.csv",
                   "timestamp,calls,workload_erlangs,agents_required,agents_scheduled,service_level,asa_seconds,p_abandon\n"
                   "2024-01-01T08:00:00Z,10,1,1,1,0.9,1,0\n2024-01-01T09:00:00Z,10,1,2,2,0.9,1,0\n"
                   "2024-01-01T10:00:00Z,10,1,2,2,0.9,1,0\n2024-01-01T11:00:00Z,10,1,1,1,0.9,1,0\n");
  test::write_file(dir / "p.yaml", "days: [mon]\nstarts: [\"08:00\", \"09:00\", \"10:00\"]\nlengths: [2h, 3h]\ncost_per_hour: 10\n");
  const auto r = test::run_cli("schedule --requirements " + (dir / "plan.csv").string() + " --policy " + (dir / "p.yaml").string() +
                               " --out " + (dir / "roster.csv").string() + " --coverage " + (dir / "cov.csv").string() + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // 6 paid hours is the least that gives 1, 2, 2, 1 (e.g. 08:00+3h and 09:00+3h).
  EXPECT_DOUBLE_EQ(j["cost"].get<double>(), 60);
  EXPECT_DOUBLE_EQ(j["paid_hours"].get<double>(), 6);
  EXPECT_EQ(j["intervals_short"], 0);
  const std::string roster = test::read_file(dir / "roster.csv");
  EXPECT_EQ(roster.rfind("day,shift,start,end,breaks,agents\n2024-01-01,08:00+", 0), 0u) << roster;
  EXPECT_EQ(test::read_file(dir / "cov.csv").rfind("timestamp,required,scheduled,short\n2024-01-01T08:00:00Z,1,", 0), 0u);
}

TEST(ScheduleCli, BadInputExitsTwoAndWritesNothing) {
  test::TempDir dir;
  const std::string header = "timestamp,calls,workload_erlangs,agents_required,agents_scheduled,service_level,asa_seconds,p_abandon\n";
  test::write_file(dir / "plan.csv", header + "2024-01-01T08:00:00Z,10,1,1,1,0.9,1,0\n2024-01-01T09:00:00Z,10,1,2,2,0.9,1,0\n");
  test::write_file(dir / "neg.csv", header + "2024-01-01T08:00:00Z,10,1,1,-1,0.9,1,0\n");
  test::write_file(dir / "dup.csv", header + "2024-01-01T08:00:00Z,10,1,1,1,0.9,1,0\n2024-01-01T08:00:00Z,10,1,1,1,0.9,1,0\n");
  test::write_file(dir / "ok.yaml", "starts: [\"08:00\"]\nlengths: [2h]\n");
  test::write_file(dir / "typo.yaml", "starts: [\"08:00\"]\nlenghts: [2h]\n");
  test::write_file(dir / "long.yaml", "starts: [\"08:00\"]\nlengths: [3h]\n");
  test::write_file(dir / "minmax.yaml", "starts: [\"08:00\"]\nlengths: [2h]\nmin_agents: 5\nmax_agents: 2\n");
  test::write_file(dir / "break.yaml", "starts: [\"08:00\"]\nlengths: [2h]\nbreaks: [{length: 30m, window: {from: 1h, to: 3h}}]\n");
  struct Case {
    std::string plan, policy, message;
  };
  for (const Case& c : {Case{"neg.csv", "ok.yaml", "neg.csv:2:29: agents_scheduled: expected a number of agents_scheduled >= 0"},
                        Case{"dup.csv", "ok.yaml", "dup.csv:3:1: timestamp: duplicate of line 2"},
                        Case{"plan.csv", "typo.yaml", "typo.yaml:2:1: lenghts: unknown key"},
                        Case{"plan.csv", "long.yaml", "impossible: no allowed shift fits"},
                        Case{"plan.csv", "minmax.yaml", "min_agents: expected at most max_agents"},
                        Case{"plan.csv", "break.yaml", "breaks[0]: the break can end after"},
                        Case{"plan.csv", "missing.yaml", "cannot read the shift policy file"}}) {
    const auto r = test::run_cli("schedule --requirements " + (dir / c.plan).string() + " --policy " + (dir / c.policy).string() +
                                 " --out " + (dir / "never.csv").string());
    EXPECT_EQ(r.exit_code, 2) << c.plan << " " << c.policy;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.plan << " " << c.policy << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "never.csv"));
  }
}

namespace {

const char* kPlanHeader = "timestamp,calls,workload_erlangs,agents_required,agents_scheduled,service_level,asa_seconds,p_abandon\n";

// One bank weekday on the 5-minute grid, 07:00-21:00, rising to 160 agents at midday.
std::string bank_day_plan() {
  std::string text = kPlanHeader;
  for (int k = 0; k < 14 * 12; ++k) {
    const int minutes = 7 * 60 + 5 * k;
    const int agents = static_cast<int>(std::lround(40 + 120 * std::sin(3.14159265358979 * k / 168)));
    text += fmt::format("2003-09-08T{:02}:{:02}:00Z,{},1,{},{},0.9,1,0\n", minutes / 60, minutes % 60, 2 * agents, agents, agents);
  }
  return text;
}

std::string bank_policy() { return (test::source_dir() / "scenarios/shifts/bank-weekdays.yaml").string(); }

}  // namespace

TEST(ScheduleCli, TheTimeLimitGivesTheBestRosterSoFarNotAnAbort) {
  // Far too little time to solve a bank day: before, CBC had no roster when
  // its limit passed and the command aborted. Now the trivial roster (no
  // shift, every interval short) is CBC's start, so there is always one.
  test::TempDir dir;
  test::write_file(dir / "plan.csv", bank_day_plan());
  const auto r = test::run_cli("schedule --requirements " + (dir / "plan.csv").string() + " --policy " + bank_policy() +
                               " --out " + (dir / "roster.csv").string() + " --coverage " + (dir / "cov.csv").string() +
                               " --time-limit 0.001 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["time_limit_hit"].get<bool>());
  EXPECT_FALSE(j["optimal"].get<bool>());
  EXPECT_NE(r.err.find("time limit reached"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("switchboard schedule: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" s: a roster costing "), std::string::npos) << r.err;  // the progress line
  EXPECT_EQ(test::read_file(dir / "roster.csv").rfind("day,shift,start,end,breaks,agents\n", 0), 0u);
  // The coverage adds up: scheduled + short covers every requirement.
  const std::string cov = test::read_file(dir / "cov.csv");
  std::istringstream in(cov);
  std::string line;
  std::getline(in, line);
  int rows = 0;
  for (; std::getline(in, line); ++rows) {
    int required = 0, scheduled = 0, short_by = 0;
    ASSERT_EQ(std::sscanf(line.c_str() + line.find(',') + 1, "%d,%d,%d", &required, &scheduled, &short_by), 3) << line;
    EXPECT_EQ(short_by, std::max(0, required - scheduled)) << line;
  }
  EXPECT_EQ(rows, 168);
}

TEST(Schedule, SameInputSameRoster) {
  // One thread and fixed seeds: two solves of a bank day that stop on the
  // gap give the same roster, line for line.
  test::TempDir dir;
  test::write_file(dir / "plan.csv", bank_day_plan());
  const wfm::Requirements req = [&] {
    const IntervalSeries plan = read_interval_column((dir / "plan.csv").string(), "agents_scheduled");
    wfm::Requirements r;
    r.step = plan.step;
    r.start = plan.start;
    for (double a : plan.calls) r.agents.push_back(static_cast<int>(a));
    return r;
  }();
  const wfm::ShiftPolicy policy = wfm::load_shift_policy(bank_policy());
  const wfm::SolverLimits limits{300, 0.005, false, {}};
  const auto a = wfm::solve_schedule(req, policy, limits);
  const auto b = wfm::solve_schedule(req, policy, limits);
  ASSERT_FALSE(a.time_limit_hit);
  EXPECT_EQ(a.scheduled, b.scheduled);
  EXPECT_DOUBLE_EQ(a.cost, b.cost);
  ASSERT_EQ(a.roster.size(), b.roster.size());
  for (std::size_t i = 0; i < a.roster.size(); ++i) {
    EXPECT_EQ(a.roster[i].start, b.roster[i].start);
    EXPECT_EQ(a.roster[i].agents, b.roster[i].agents);
    ASSERT_EQ(a.roster[i].breaks.size(), b.roster[i].breaks.size());
    for (std::size_t k = 0; k < a.roster[i].breaks.size(); ++k) EXPECT_EQ(a.roster[i].breaks[k].start, b.roster[i].breaks[k].start);
  }
}

TEST(ScheduleCli, VerifyChecksEveryInputBeforeSolving) {
  // A plan without `calls` is refused before the solver runs: no roster, no
  // coverage written (before, the roster was solved and written first).
  test::TempDir dir;
  test::write_file(dir / "plan.csv", "timestamp,agents_scheduled\n2024-01-01T08:00:00Z,1\n2024-01-01T09:00:00Z,2\n");
  test::write_file(dir / "p.yaml", "starts: [\"08:00\"]\nlengths: [2h]\n");
  const auto r = test::run_cli("schedule --requirements " + (dir / "plan.csv").string() + " --policy " + (dir / "p.yaml").string() +
                               " --out " + (dir / "roster.csv").string() + " --coverage " + (dir / "cov.csv").string() +
                               " --verify --aht 200");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("plan.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("calls"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("solved in"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "roster.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "cov.csv"));
  // Flags that only --verify reads are a mistake without it.
  const auto stray = test::run_cli("schedule --requirements " + (dir / "plan.csv").string() + " --policy " +
                                   (dir / "p.yaml").string() + " --out " + (dir / "roster.csv").string() + " --aht 200");
  EXPECT_EQ(stray.exit_code, 2);
  EXPECT_NE(stray.err.find("--aht"), std::string::npos) << stray.err;
}

TEST(ScheduleCli, VerifyPrintsTheSummaryAndAssertExitsOne) {
  // 360 calls an hour at AHT 240 s (24 Erlangs); the plan asks 30 agents but
  // a policy capped at 20 agents a day leaves the queue overloaded (20 < 24
  // Erlangs): the simulated service level is far below 0.8 in every hour.
  test::TempDir dir;
  std::string plan = kPlanHeader;
  for (int h = 8; h < 12; ++h) plan += fmt::format("2024-01-01T{:02}:00:00Z,360,24,30,30,0.8,10,0\n", h);
  test::write_file(dir / "plan.csv", plan);
  test::write_file(dir / "capped.yaml", "starts: [\"08:00\"]\nlengths: [4h]\nmax_agents: 20\n");
  test::write_file(dir / "open.yaml", "starts: [\"08:00\"]\nlengths: [4h]\n");
  const std::string base = "schedule --requirements " + (dir / "plan.csv").string() + " --out " + (dir / "roster.csv").string() +
                           " --verify --aht 240 --reps 4 --seed 3 --policy ";
  const auto capped = test::run_cli(base + (dir / "capped.yaml").string() + " --assert-sl 0.8");
  EXPECT_EQ(capped.exit_code, 1) << capped.err;
  EXPECT_NE(capped.out.find("verify: mean service level "), std::string::npos) << capped.out;
  EXPECT_NE(capped.out.find("over 4 intervals, 4 under 0.8"), std::string::npos) << capped.out;
  EXPECT_NE(capped.err.find("below --assert-sl"), std::string::npos) << capped.err;
  // 30 agents for 24 Erlangs: Erlang C gives SL 0.895 at 20 s; the roster
  // meets the target on average, so the assert holds.
  const auto open = test::run_cli(base + (dir / "open.yaml").string() + " --assert-sl 0.8");
  EXPECT_EQ(open.exit_code, 0) << open.err << open.out;
  EXPECT_NE(open.out.find("over 4 intervals"), std::string::npos) << open.out;
}

TEST(ScheduleCli, RunningOutOfMemoryIsOneLineAndExitThreeNotAnAbort) {
  // The last-resort handler of every command (cli/main.cpp): whatever a
  // command lets escape becomes one line and exit status 3, never
  // std::terminate (exit 134 before). Here: std::bad_alloc, by capping the
  // address space at 110 MB — enough to load the program (about 70 MB),
  // not to build a bank day's integer program (about 165 MB) — and no
  // roster is left behind.
  test::TempDir dir;
  test::write_file(dir / "plan.csv", bank_day_plan());
  const std::string command = "ulimit -v 110000; " + std::string(SWITCHBOARD_CLI) + " schedule --requirements " +
                              (dir / "plan.csv").string() + " --policy " + bank_policy() + " --out " +
                              (dir / "roster.csv").string() + " >" + (dir / "out").string() + " 2>" + (dir / "err").string();
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  const std::string err = test::read_file(dir / "err");
  EXPECT_EQ(err, "switchboard schedule: internal error: std::bad_alloc\n");
  EXPECT_TRUE(test::read_file(dir / "out").empty());
  EXPECT_FALSE(std::filesystem::exists(dir / "roster.csv"));
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"err", "out", "plan.csv"}));  // no hidden temporary either
}
