// The simulator's back office (docs/tickets.md, "The back office in the
// simulator"): tickets through the one ticket model, worked by the scenario's
// back-office workers.
//
// Queueing theory: tickets opened at Poisson instants (an IVR ticket node at
// each call's arrival), exponential work, c workers taking them first come
// first served is M/M/c. Escalation at the first-response due time (= the
// SLA here) raises the priority of exactly the oldest waiting tickets, so the
// order stays first come first served. Three checks against the exact
// values: the time-average backlog L = lambda (Wq + 1/mu), the share resolved
// within the SLA P(W + S <= SLA), and the mean age at resolution Wq + 1/mu.
// Error control: the three checks are one family at a family-wise error rate
// of 0.001, Bonferroni (each two-sided at 0.001 / 3, Student t over 30
// replications), so a correct simulator fails it with probability at most
// 0.001. Seeds are fixed: a result is reproducible. Power: the same checks
// reject a back office whose work is 10% slower than the model's.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "io/scenario_loader.hpp"
#include "sim/check_family.hpp"
#include "sim/replications.hpp"
#include "sim/summary_io.hpp"
#include "wfm/erlang.hpp"

using namespace switchboard;

namespace {

constexpr double kFwer = 0.001;
constexpr int kChecks = 3;
constexpr int kReps = 30;

double k(const TicketKpis& v, TicketKpi kpi) { return v[static_cast<int>(kpi)]; }

// Tickets at `per_hour` (Poisson), work exponential with mean `work_hours`,
// `workers` of group back; SLA and first response `sla_hours`.
std::string mmc_back_office(double per_hour, double work_hours, int workers, double sla_hours, double hours,
                            double warmup_hours, int intervals = 1) {
  return "name: back office m/m/c\n"
         "horizon: {length: " + std::to_string(hours) + "h, interval: " + std::to_string(hours / intervals) +
         "h, warmup: " + std::to_string(warmup_hours) + "h}\n"
         "skills: [s]\n"
         "agent_groups:\n"
         "  - {name: front, skills: [s], agents: 1}\n"
         "  - {name: back, skills: [s], agents: 1}\n"
         "queues: [{name: q, skill: s}]\n"
         "ivr:\n"
         "  - {id: open, type: ticket, category: repair, next: bye}\n"
         "  - {id: bye, type: hangup}\n"
         "tickets:\n"
         "  - {name: repair, group: back, sla: " + std::to_string(sla_hours) + "h, work_time: {dist: exponential, mean: " +
         std::to_string(work_hours) + "h}}\n"
         "back_office:\n"
         "  - {group: back, workers: " + std::to_string(workers) + "}\n"
         "call_types:\n"
         "  - {name: c, arrivals: {process: poisson, rate: " + std::to_string(per_hour) +
         "}, handle_time: {dist: constant, value: 1m}, entry: {ivr: open}}\n";
}

Scenario parse(const std::string& yaml) { return parse_scenario(yaml, "back-office-test.yaml", "."); }

// P(W + S <= t) for M/M/c FCFS: W is 0 with probability 1 - C, else
// exponential at theta = c mu - lambda; S exponential at mu.
double sojourn_within(double lambda, double mu, int c, double p_wait, double t) {
  const double theta = c * mu - lambda;
  const double both_exceed = (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
  return 1 - ((1 - p_wait) * std::exp(-mu * t) + p_wait * both_exceed);
}

struct Observed {
  std::vector<double> backlog, within, age;
};

Observed run(const Scenario& s, int reps) {
  const auto results = sim::run_replications(s, sim::ReplicationPlan{2026, reps, 2});
  Observed o;
  for (const auto& r : results.reports) {
    EXPECT_TRUE(r.has_back_office);
    o.backlog.push_back(k(r.back_office_total, TicketKpi::mean_backlog));
    o.within.push_back(k(r.back_office_total, TicketKpi::resolved_within_sla));
    o.age.push_back(k(r.back_office_total, TicketKpi::mean_age));
  }
  return o;
}

// lambda 2.4 per hour, 1 h of work, 3 workers: load 0.8; SLA 3 h.
constexpr double kPerHour = 2.4, kWorkHours = 1, kSlaHours = 3;
constexpr int kWorkers = 3;

struct Exact {
  double backlog, within, age;
};
Exact exact() {
  const double lambda = kPerHour / 3600, mu = 1 / (kWorkHours * 3600);
  const wfm::QueueMetrics m = wfm::erlang_c(lambda, kWorkHours * 3600, kWorkers, 0);
  const double wq = m.mean_wait;  // every ticket is answered: mean wait of all
  return {lambda * (wq + 1 / mu), sojourn_within(lambda, mu, kWorkers, m.p_wait, kSlaHours * 3600), wq + 1 / mu};
}

}  // namespace

TEST(BackOffice, MmcTicketFlowAgreesWithQueueingTheory) {
  const Exact e = exact();
  const Observed o = run(parse(mmc_back_office(kPerHour, kWorkHours, kWorkers, kSlaHours, 2000, 100)), kReps);
  test::CheckFamily family(kChecks, kFwer);
  family.expect_mean(o.backlog, e.backlog, "time-average backlog L");
  family.expect_mean(o.within, e.within, "share resolved within SLA");
  family.expect_mean(o.age, e.age, "mean age at resolution (W + 1/mu), s");
}

TEST(BackOffice, TenPercentSlowerWorkFails) {
  const Exact e = exact();
  const Observed o = run(parse(mmc_back_office(kPerHour, kWorkHours * 1.1, kWorkers, kSlaHours, 2000, 100)), kReps);
  EXPECT_TRUE(test::family_rejects(kChecks, kFwer, o.backlog, e.backlog));
  EXPECT_TRUE(test::family_rejects(kChecks, kFwer, o.within, e.within));
  EXPECT_TRUE(test::family_rejects(kChecks, kFwer, o.age, e.age));
}

TEST(BackOffice, TooSmallABackOfficeBreachesMoreAndMoreAndItsBacklogGrows) {
  // Twice the tickets one worker can do: the backlog grows by ~1 an hour.
  const auto small = sim::summarize(
      sim::run_replications(parse(mmc_back_office(2, 1, 1, 2, 12, 0, 12)), sim::ReplicationPlan{7, 20, 2}).reports);
  const auto enough = sim::summarize(
      sim::run_replications(parse(mmc_back_office(2, 1, 6, 2, 12, 0, 12)), sim::ReplicationPlan{7, 20, 2}).reports);
  auto sum = [](const std::vector<sim::TicketEstimates>& rows, std::size_t from, std::size_t to, TicketKpi kpi) {
    double s = 0;
    for (std::size_t i = from; i < to; ++i) s += rows[i][static_cast<int>(kpi)].mean;
    return s;
  };
  const auto& rows = small.back_office_interval;
  ASSERT_EQ(rows.size(), 12u);
  // No ticket can breach in the first 2 h (the SLA); afterwards more every few hours.
  EXPECT_EQ(sum(rows, 0, 2, TicketKpi::breached), 0);
  EXPECT_LT(sum(rows, 2, 6, TicketKpi::breached) / 4, sum(rows, 6, 12, TicketKpi::breached) / 6) << "breaches per hour";
  EXPECT_LT(rows[3][static_cast<int>(TicketKpi::backlog)].mean + 2, rows[11][static_cast<int>(TicketKpi::backlog)].mean);
  EXPECT_LT(small.back_office_total[static_cast<int>(TicketKpi::resolved_within_sla)].mean, 0.6);
  // Six workers for two tickets an hour: hardly anyone waits, so only work
  // longer than the SLA breaches (e^-2, 13.5% of the tickets).
  const double small_breached = small.back_office_total[static_cast<int>(TicketKpi::breached)].mean;
  const double enough_breached = enough.back_office_total[static_cast<int>(TicketKpi::breached)].mean;
  EXPECT_GT(small_breached, 3 * enough_breached);
  EXPECT_GT(enough.back_office_total[static_cast<int>(TicketKpi::resolved_within_sla)].mean, 0.8);
}

namespace {
// Group back has one worker for two tickets an hour; tickets nobody has
// started 30 minutes after opening move to the seniors, and so does every
// complaint at once.
const char* kEscalating = R"(name: escalation
horizon: {length: 8h, interval: 1h}
skills: [s]
tags: [complaint]
agent_groups:
  - {name: front, skills: [s], agents: 1}
  - {name: back, skills: [s], agents: 1}
  - {name: seniors, skills: [s], agents: 1}
queues: [{name: q, skill: s}]
ivr:
  - {id: open, type: ticket, category: repair, next: bye}
  - {id: bye, type: hangup}
tickets:
  - {name: repair, group: back, sla: 4h, first_response: 30m, work_time: {dist: exponential, mean: 1h}, senior_group: seniors}
back_office:
  - {group: back, workers: 1}
  - {group: seniors, workers: 3}
call_types:
  - {name: c, arrivals: {process: poisson, rate: 2}, handle_time: {dist: constant, value: 1m}, entry: {ivr: open}}
  - {name: complaints, arrivals: {process: poisson, rate: 0.5}, handle_time: {dist: constant, value: 1m}, entry: {ivr: open}, tags: {complaint: 1}}
)";
}  // namespace

TEST(BackOffice, EscalationMovesTicketsToTheSeniorGroup) {
  const auto results = sim::run_replications(parse(kEscalating), sim::ReplicationPlan{3, 10, 2});
  double escalated = 0, senior_created = 0;
  for (const KpiReport& r : results.reports) {
    ASSERT_EQ(r.back_office_group.size(), 2u);
    const TicketKpis& back = r.back_office_group[0];
    const TicketKpis& seniors = r.back_office_group[1];
    // Every ticket the seniors hold came from back: by a complaint tag at
    // opening (created there) or past its first-response due time.
    EXPECT_EQ(k(seniors, TicketKpi::escalated), 0);
    EXPECT_EQ(k(back, TicketKpi::escalated),
              k(seniors, TicketKpi::resolved) + k(seniors, TicketKpi::backlog))
        << "what back escalated is what the seniors resolved or still hold";
    escalated += k(back, TicketKpi::escalated);
    senior_created += k(seniors, TicketKpi::created);
    EXPECT_EQ(k(r.back_office_total, TicketKpi::created), k(back, TicketKpi::created) + k(seniors, TicketKpi::created));
  }
  // Complaints (0.5 an hour, 8 h, 10 runs: ~40) are created at the seniors;
  // the overdue ones (back is overloaded) add many more.
  EXPECT_GT(senior_created, 20);
  EXPECT_GT(escalated, senior_created + 20);
}

TEST(BackOffice, SameScenarioAndSeedGiveTheSameNumbers) {
  const Scenario s = parse(kEscalating);
  const auto a = sim::summarize(sim::run_replications(s, sim::ReplicationPlan{5, 4, 1}).reports);
  const auto b = sim::summarize(sim::run_replications(s, sim::ReplicationPlan{5, 4, 2}).reports);
  EXPECT_EQ(sim::to_json(s, {}, a).dump(), sim::to_json(s, {}, b).dump());
  EXPECT_TRUE(sim::to_json(s, {}, a)["totals"].contains("back_office"));
}
