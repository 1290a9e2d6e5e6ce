#include "wfm/forecast_backtest.hpp"

#include <algorithm>
#include <cmath>
#include <array>
#include <functional>
#include <set>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace switchboard::wfm {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr int kBaselineWeeks[] = {4, 8, 12, 20};

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// The days before `use_days` that fall on `weekday`, newest first.
std::vector<std::size_t> same_weekday(const History& h, std::size_t use_days, int wd) {
  std::vector<std::size_t> out;
  for (std::size_t d = use_days; d-- > 0;)
    if (weekday(h.days[d]) == wd) out.push_back(d);
  return out;
}

std::vector<double> per_interval(const History& h, std::size_t use_days, std::int64_t day, int k,
                                 const std::function<double(std::vector<double>&)>& reduce) {
  auto same = same_weekday(h, use_days, weekday(day));
  same.resize(std::min<std::size_t>(same.size(), static_cast<std::size_t>(k)));
  std::vector<double> out(h.slots.size(), 0.0);
  if (same.empty()) return out;
  std::vector<double> values(same.size());
  for (std::size_t s = 0; s < out.size(); ++s) {
    for (std::size_t i = 0; i < same.size(); ++i) values[i] = h.calls[same[i]][s];
    out[s] = reduce(values);
  }
  return out;
}

// The Monday of the week of `day`.
std::int64_t monday_of(std::int64_t day) { return day - weekday(day) * kDay; }

struct Accumulator {
  double abs_err = 0, actual = 0, forecast = 0, ape_days = 0;
  int days = 0;
  double cells = 0, in_band = 0, below10 = 0, below90 = 0;
  bool quantiles = false;

  void add(const std::vector<double>& a, const std::vector<double>& f) {
    double fa = 0, aa = 0;
    for (std::size_t s = 0; s < a.size(); ++s) {
      abs_err += std::abs(a[s] - f[s]);
      aa += a[s];
      fa += f[s];
    }
    actual += aa;
    forecast += fa;
    if (aa > 0) ape_days += std::abs(aa - fa) / aa;
    ++days;
  }
  void add_quantiles(const std::vector<double>& a, const std::vector<double>& p10, const std::vector<double>& p90) {
    quantiles = true;
    for (std::size_t s = 0; s < a.size(); ++s) {
      cells += 1;
      below10 += a[s] < p10[s] ? 1 : 0;
      below90 += a[s] <= p90[s] ? 1 : 0;
      in_band += a[s] >= p10[s] && a[s] <= p90[s] ? 1 : 0;
    }
  }
  Score score() const {
    Score s;
    s.days = days;
    s.wape = actual > 0 ? abs_err / actual : 0;
    s.mape_daily = days > 0 ? ape_days / days : 0;
    s.bias = actual > 0 ? forecast / actual - 1 : 0;
    s.has_quantiles = quantiles;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    s.coverage_p10_p90 = quantiles && cells > 0 ? in_band / cells : nan;
    s.below_p10 = quantiles && cells > 0 ? below10 / cells : nan;
    s.below_p90 = quantiles && cells > 0 ? below90 / cells : nan;
    return s;
  }
};

std::size_t days_before(const History& h, std::int64_t midnight) {
  return static_cast<std::size_t>(std::lower_bound(h.days.begin(), h.days.end(), midnight) - h.days.begin());
}

// The first scored day: the origin weekday of the week `weeks` - 1 weeks
// before the last one that has it on or before the history's last day.
std::int64_t scored_from_of(const History& h, int weeks, int origin_weekday) {
  std::int64_t last = monday_of(h.days.back()) + origin_weekday * kDay;
  if (last > h.days.back()) last -= 7 * kDay;
  return last - (weeks - 1) * 7 * kDay;
}

std::int64_t first_origin(std::int64_t scored_from, int horizon) {
  return scored_from - 7 * kDay * ((target_leads(horizon).first - 1) / 7);
}

}  // namespace

std::pair<int, int> target_leads(int horizon) { return {std::max(1, horizon - 6), horizon}; }

std::string backtest_problem(const History& h, const BacktestOptions& o) {
  if (h.days.empty()) return "the history has no days";
  if (o.weeks < 1) return "at least one week to score";
  if (o.horizons.empty()) return "at least one horizon";
  if (o.origin_weekday < 0 || o.origin_weekday > 4) return "an origin weekday from Monday (0) to Friday (4)";
  const std::int64_t scored_from = scored_from_of(h, o.weeks, o.origin_weekday);
  for (int horizon : o.horizons) {
    if (horizon < 1 || horizon > 366) return "horizons from 1 to 366 days, got " + std::to_string(horizon);
    const std::int64_t origin = first_origin(scored_from, horizon);
    if (days_before(h, origin) < kMinOriginDays) {
      // The most weeks this horizon allows: its first origin keeps kMinOriginDays behind it.
      int fit = o.weeks;
      while (fit > 0 && days_before(h, first_origin(scored_from_of(h, fit, o.origin_weekday), horizon)) < kMinOriginDays) --fit;
      return "horizon " + std::to_string(horizon) + " days with " + std::to_string(o.weeks) +
             " weeks scored needs a forecast origin on " + format_date(origin) + " with at least " +
             std::to_string(kMinOriginDays) + " days of history before it; the history starts " + format_date(h.days.front()) +
             (fit > 0 ? " (at most " + std::to_string(fit) + " weeks for this horizon)" : " (too short for this horizon)");
    }
  }
  return "";
}

const MethodScore& HorizonResult::best_baseline() const {
  const MethodScore* best = nullptr;
  for (const auto& m : methods)
    if (m.method != "model" && (!best || m.score.wape < best->score.wape)) best = &m;
  return best ? *best : methods.front();
}

std::vector<double> seasonal_naive(const History& h, std::size_t use_days, std::int64_t day) {
  return per_interval(h, use_days, day, 1, [](std::vector<double>& v) { return v.front(); });
}

std::vector<double> mean_of_last_weekdays(const History& h, std::size_t use_days, std::int64_t day, int k) {
  return per_interval(h, use_days, day, k, [](std::vector<double>& v) { return sum(v) / static_cast<double>(v.size()); });
}

std::vector<double> median_of_last_weekdays(const History& h, std::size_t use_days, std::int64_t day, int k) {
  return per_interval(h, use_days, day, k, [](std::vector<double>& v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  });
}

RollingBacktest rolling_backtest(const History& h, const BacktestOptions& o) {
  if (const std::string problem = backtest_problem(h, o); !problem.empty()) throw std::invalid_argument(problem);
  RollingBacktest out;
  out.weeks = o.weeks;
  out.origin_weekday = o.origin_weekday;
  out.scored_from = scored_from_of(h, o.weeks, o.origin_weekday);
  out.scored_to = h.days.back();
  const std::set<std::int64_t> closed = closed_days(h);  // the holiday calendar is known ahead

  std::vector<std::string> names{"model", "seasonal_naive"};
  for (int k : kBaselineWeeks) {
    names.push_back("mean_last_" + std::to_string(k) + "_weekdays");
    names.push_back("median_last_" + std::to_string(k) + "_weekdays");
  }
  std::vector<std::vector<Accumulator>> acc(o.horizons.size(), std::vector<Accumulator>(names.size()));
  std::vector<int> origins(o.horizons.size(), 0);
  const int max_horizon = *std::max_element(o.horizons.begin(), o.horizons.end());
  const std::int64_t earliest = first_origin(out.scored_from, max_horizon);
  for (std::int64_t origin = earliest; origin <= out.scored_to; origin += 7 * kDay) {
    const std::size_t use = days_before(h, origin);
    if (use < kMinOriginDays) continue;
    const Forecaster model(h, use, closed, o.model);
    std::vector<bool> counted(o.horizons.size(), false);
    for (std::size_t j = use; j < h.days.size(); ++j) {
      const std::int64_t day = h.days[j];
      if (day < out.scored_from) continue;
      const int lead = static_cast<int>((day - origin) / kDay) + 1;
      if (lead > max_horizon) break;
      std::vector<std::vector<double>> forecasts;
      const DayForecast f = model.day(day);
      forecasts.push_back(f.mean);
      forecasts.push_back(seasonal_naive(h, use, day));
      for (int k : kBaselineWeeks) {
        forecasts.push_back(mean_of_last_weekdays(h, use, day, k));
        forecasts.push_back(median_of_last_weekdays(h, use, day, k));
      }
      const auto p10 = model.quantile(f, 0.1), p90 = model.quantile(f, 0.9);
      for (std::size_t k = 0; k < o.horizons.size(); ++k) {
        const auto [lo, hi] = target_leads(o.horizons[k]);
        if (lead < lo || lead > hi) continue;
        if (!counted[k]) ++origins[k];
        counted[k] = true;
        for (std::size_t m = 0; m < names.size(); ++m) acc[k][m].add(h.calls[j], forecasts[m]);
        acc[k][0].add_quantiles(h.calls[j], p10, p90);
      }
    }
  }
  for (std::size_t k = 0; k < o.horizons.size(); ++k) {
    HorizonResult r;
    r.horizon = o.horizons[k];
    r.origins = origins[k];
    for (std::size_t m = 0; m < names.size(); ++m) r.methods.push_back(MethodScore{names[m], acc[k][m].score()});
    out.horizons.push_back(r);
  }

  if (o.intraday) {
    // Each scored day forecast from the days before it, then re-forecast at
    // every full hour inside the day.
    std::vector<IntradayResult> hours;
    for (std::int64_t t = (h.slots.front() / 3600 + 1) * 3600; t <= h.slots.back(); t += 3600) hours.push_back(IntradayResult{t});
    std::vector<std::array<double, 4>> sums(hours.size(), std::array<double, 4>{});  // actual, plan, reforecast, full
    for (std::size_t j = days_before(h, out.scored_from); j < h.days.size(); ++j) {
      const Forecaster model(h, j, closed, o.model);
      const auto plan = model.day(h.days[j]).mean;
      const auto& actual = h.calls[j];
      for (std::size_t k = 0; k < hours.size(); ++k) {
        std::size_t known = 0;
        while (known < h.slots.size() && h.slots[known] < hours[k].until) ++known;
        const auto re = reforecast_intraday(plan, actual, known, o.intraday_trust);
        const auto full = reforecast_intraday(plan, actual, known, 0);
        for (std::size_t s = known; s < actual.size(); ++s) {
          sums[k][0] += actual[s];
          sums[k][1] += std::abs(actual[s] - plan[s]);
          sums[k][2] += std::abs(actual[s] - re[s]);
          sums[k][3] += std::abs(actual[s] - full[s]);
        }
        ++hours[k].days;
      }
    }
    for (std::size_t k = 0; k < hours.size(); ++k) {
      const double a = sums[k][0] > 0 ? sums[k][0] : 1;
      hours[k].wape_plan = sums[k][1] / a;
      hours[k].wape_reforecast = sums[k][2] / a;
      hours[k].wape_full_scale = sums[k][3] / a;
    }
    out.intraday = hours;
  }
  return out;
}

}  // namespace switchboard::wfm
