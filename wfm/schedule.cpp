#include "wfm/schedule.hpp"

#include <CbcEventHandler.hpp>
#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>

#include "io/interval_series.hpp"

namespace switchboard::wfm {

namespace {

constexpr std::int64_t kDay = 86400;

// One column of the program: a shift with its breaks placed, on one day.
struct Candidate {
  std::size_t day_index;
  RosterLine line;
  int kind;                      // (start, length) index, for max_per_shift
  std::vector<int> covers;       // requirement rows it covers
};

// Every way to place the breaks that apply to a shift of `length`, each at
// a multiple of the interval inside its window, breaks not overlapping.
void place_breaks(const std::vector<BreakRule>& rules, double length, double start, double step, std::size_t next,
                  std::vector<BreakPlacement>& current, std::vector<std::vector<BreakPlacement>>& out) {
  if (next == rules.size()) {
    out.push_back(current);
    return;
  }
  const BreakRule& rule = rules[next];
  if (length < rule.min_shift) {
    place_breaks(rules, length, start, step, next + 1, current, out);
    return;
  }
  for (double offset = std::ceil(rule.earliest / step) * step; offset <= rule.latest + 1e-9; offset += step) {
    const BreakPlacement b{start + offset, rule.length, rule.paid};
    const bool overlaps = std::any_of(current.begin(), current.end(), [&](const BreakPlacement& o) {
      return b.start < o.start + o.length && o.start < b.start + b.length;
    });
    if (overlaps) continue;
    current.push_back(b);
    place_breaks(rules, length, start, step, next + 1, current, out);
    current.pop_back();
  }
}

// Reports each better roster as CBC finds it, and stops the search once the
// wall-clock limit has passed (CBC checks its own limit only between phases).
class ProgressHandler : public CbcEventHandler {
 public:
  ProgressHandler(std::chrono::steady_clock::time_point t0, double limit,
                  const std::function<void(const SolverProgress&)>* progress)
      : t0_(t0), limit_(limit), progress_(progress) {}
  CbcEventHandler* clone() const override { return new ProgressHandler(*this); }
  CbcAction event(CbcEvent) override {
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    if (progress_ && *progress_ && model_ != nullptr) {
      // CBC's incumbent is DBL_MAX until it has one; report each better one, at most every 2 s.
      const double best = model_->getObjValue();
      if (best < 1e50 && best < reported_ - 1e-6 && now >= last_ + 2) {
        (*progress_)(SolverProgress{now, best, model_->getBestPossibleObjValue()});
        reported_ = best;
        last_ = now;
      }
    }
    return now > limit_ ? stop : noAction;
  }

 private:
  std::chrono::steady_clock::time_point t0_;
  double limit_;
  const std::function<void(const SolverProgress&)>* progress_;
  double reported_ = 1e300;
  double last_ = -1e300;
};

}  // namespace

double RosterLine::paid_hours() const {
  double unpaid = 0;
  for (const auto& b : breaks)
    if (!b.paid) unpaid += b.length;
  return (length - unpaid) / 3600.0;
}

Schedule solve_schedule(const Requirements& req, const ShiftPolicy& policy, const SolverLimits& limits) {
  const auto t0 = std::chrono::steady_clock::now();
  const double step = static_cast<double>(req.step);
  // Days and their open intervals (the requirement rows).
  std::vector<std::int64_t> days;
  std::map<std::int64_t, std::map<std::int64_t, int>> open;  // day -> seconds after midnight -> row
  for (std::size_t i = 0; i < req.start.size(); ++i) {
    const std::int64_t day = req.start[i] - ((req.start[i] % kDay) + kDay) % kDay;
    if (days.empty() || days.back() != day) days.push_back(day);
    open[day][req.start[i] - day] = static_cast<int>(i);
  }
  // Candidates: shifts lying wholly in open intervals of a day the policy covers.
  std::vector<Candidate> candidates;
  int kinds = 0;
  std::vector<std::size_t> kind_day;
  for (std::size_t d = 0; d < days.size(); ++d) {
    if (std::find(policy.days.begin(), policy.days.end(), weekday(days[d])) == policy.days.end()) continue;
    const auto& rows = open[days[d]];
    for (double start : policy.starts) {
      for (double length : policy.lengths) {
        std::vector<int> span;
        bool fits = std::fmod(start, step) == 0 && std::fmod(length, step) == 0;
        for (double t = start; fits && t < start + length - 1e-9; t += step) {
          const auto it = rows.find(static_cast<std::int64_t>(t));
          if (it == rows.end()) fits = false;
          else span.push_back(it->second);
        }
        if (!fits) continue;
        std::vector<std::vector<BreakPlacement>> placements;
        std::vector<BreakPlacement> current;
        const double break_step = policy.break_every > 0 ? std::max(step, std::ceil(policy.break_every / step) * step) : step;
        place_breaks(policy.breaks, length, start, break_step, 0, current, placements);
        const int kind = kinds++;
        kind_day.push_back(d);
        for (auto& breaks : placements) {
          Candidate c{d, RosterLine{days[d], start, length, breaks, 0}, kind, {}};
          for (std::size_t k = 0; k < span.size(); ++k) {
            const double t = start + static_cast<double>(k) * step;
            const bool on_break = std::any_of(breaks.begin(), breaks.end(), [&](const BreakPlacement& b) {
              return t >= b.start - 1e-9 && t < b.start + b.length - 1e-9;
            });
            if (!on_break) c.covers.push_back(span[k]);
          }
          candidates.push_back(std::move(c));
        }
      }
    }
  }
  const int rows = static_cast<int>(req.start.size());
  if (candidates.empty() && rows > 0)
    throw std::invalid_argument("no allowed shift fits inside the open intervals of any day the policy covers");

  // Columns: candidates (integer), then one shortage per interval (continuous).
  const int n_cand = static_cast<int>(candidates.size());
  const int n_cols = n_cand + rows;
  std::vector<double> cost(n_cols), col_lb(n_cols, 0.0), col_ub(n_cols, COIN_DBL_MAX);
  for (int j = 0; j < n_cand; ++j) {
    cost[j] = candidates[j].line.paid_hours() * policy.cost_per_hour;
    col_ub[j] = policy.max_per_shift;
  }
  // Shortfall costs far more than any shift unless the policy says otherwise.
  const double penalty = policy.short_penalty > 0 ? policy.short_penalty : 100 * std::max(policy.cost_per_hour, 1.0);
  for (int i = 0; i < rows; ++i) cost[n_cand + i] = penalty * step / 3600.0;
  CoinPackedMatrix matrix(false, 0, 0);
  matrix.setDimensions(0, n_cols);
  std::vector<double> row_lb, row_ub;
  // Coverage: sum of covering shifts + short >= max(required, min_agents).
  std::vector<std::vector<int>> covering(rows);
  for (int j = 0; j < n_cand; ++j)
    for (int r : candidates[j].covers) covering[r].push_back(j);
  for (int r = 0; r < rows; ++r) {
    CoinPackedVector v;
    for (int j : covering[r]) v.insert(j, 1.0);
    v.insert(n_cand + r, 1.0);
    matrix.appendRow(v);
    row_lb.push_back(std::max(req.agents[r], policy.min_agents));
    row_ub.push_back(COIN_DBL_MAX);
  }
  // At most max_agents shifts a day, and max_per_shift agents on one kind of shift.
  for (std::size_t d = 0; d < days.size(); ++d) {
    CoinPackedVector v;
    for (int j = 0; j < n_cand; ++j)
      if (candidates[j].day_index == d) v.insert(j, 1.0);
    if (v.getNumElements() == 0) continue;
    matrix.appendRow(v);
    row_lb.push_back(-COIN_DBL_MAX);
    row_ub.push_back(policy.max_agents);
  }
  if (policy.max_per_shift < 1000000) {
    for (int k = 0; k < kinds; ++k) {
      CoinPackedVector v;
      for (int j = 0; j < n_cand; ++j)
        if (candidates[j].kind == k) v.insert(j, 1.0);
      matrix.appendRow(v);
      row_lb.push_back(-COIN_DBL_MAX);
      row_ub.push_back(policy.max_per_shift);
    }
  }
  OsiClpSolverInterface solver;
  solver.setIntParam(OsiNameDiscipline, 1);  // names for the MIP start below
  solver.loadProblem(matrix, col_lb.data(), col_ub.data(), cost.data(), row_lb.data(), row_ub.data());
  for (int j = 0; j < n_cand; ++j) solver.setInteger(j);
  std::vector<std::pair<std::string, double>> start;  // the trivial roster: no shift, every interval short
  for (int j = 0; j < n_cols; ++j) {
    const std::string name = (j < n_cand ? "x" : "s") + std::to_string(j);
    solver.setColName(j, name);
    start.emplace_back(name, j < n_cand ? 0.0 : row_lb[j - n_cand]);
  }
  solver.messageHandler()->setLogLevel(limits.verbose ? 1 : 0);
  // CBC's standard driver sets up the cut generators and primal heuristics
  // the bare CbcModel lacks (without them a week of shifts finds nothing).
  CbcModel model(solver);
  model.setMIPStart(start);
  ProgressHandler handler(t0, limits.seconds, &limits.progress);
  model.passInEventHandler(&handler);
  CbcSolverUsefulData data;
  CbcMain0(model, data);
  // Deterministic: one thread, fixed seeds for CBC and CLP; the time limit
  // counts wall-clock seconds, not CPU seconds.
  const std::string seconds = std::to_string(limits.seconds), ratio = std::to_string(limits.relative_gap);
  const char* log = limits.verbose ? "1" : "0";
  const char* argv[] = {"switchboard", "-log", log, "-slog", log, "-threads", "0", "-randomCbcSeed", "1", "-randomSeed",
                        "1234567", "-timeMode", "elapsed", "-sec", seconds.c_str(), "-ratioGap", ratio.c_str(), "-solve", "-quit"};
  CbcMain1(static_cast<int>(std::size(argv)), argv, model, [](CbcModel*, int) { return 0; }, data);
  // CBC always has the trivial roster; were it to lose it, that roster is the answer.
  std::vector<double> trivial(n_cols, 0.0);
  for (int r = 0; r < rows; ++r) trivial[n_cand + r] = row_lb[r];
  const double* x = model.bestSolution() != nullptr ? model.bestSolution() : trivial.data();

  Schedule s;
  s.scheduled.assign(rows, 0);
  s.short_by.assign(rows, 0);
  for (int j = 0; j < n_cand; ++j) {
    const int agents = static_cast<int>(std::lround(x[j]));
    if (agents <= 0) continue;
    RosterLine line = candidates[j].line;
    line.agents = agents;
    s.paid_hours += agents * line.paid_hours();
    for (int r : candidates[j].covers) s.scheduled[r] += agents;
    s.roster.push_back(line);
  }
  s.cost = s.paid_hours * policy.cost_per_hour;
  for (int r = 0; r < rows; ++r) {
    s.short_by[r] = std::max(0, std::max(req.agents[r], policy.min_agents) - s.scheduled[r]);
    if (s.short_by[r] > 0) ++s.intervals_short;
  }
  const double best = model.getObjValue(), bound = model.getBestPossibleObjValue();
  s.gap = model.bestSolution() == nullptr ? 1.0 : best > 0 ? std::max(0.0, (best - bound) / best) : 0;
  s.optimal = model.isProvenOptimal();
  s.time_limit_hit = !s.optimal && s.gap > limits.relative_gap;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::sort(s.roster.begin(), s.roster.end(), [](const RosterLine& a, const RosterLine& b) {
    return std::tie(a.day, a.start, a.length) < std::tie(b.day, b.start, b.length);
  });
  return s;
}

}  // namespace switchboard::wfm
