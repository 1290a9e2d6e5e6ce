// Rolling-origin evaluation of the forecaster and of baselines, the way a
// planner uses a forecast: one forecast made at the start of a week (from
// the days before it) for the weeks ahead, scored at several horizons on
// the same days. See docs/forecast.md for the definitions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wfm/forecast.hpp"

namespace switchboard::wfm {

struct BacktestOptions {
  int weeks = 10;                          // the history's last N calendar weeks are scored
  std::vector<int> horizons{1, 7, 28};     // calendar days; see target_leads()
  ForecastModel model;
  int origin_weekday = 0;                  // the origins' weekday, 0 = Monday .. 4 = Friday (robustness checks)
  bool intraday = true;                    // also evaluate the intraday re-forecast
  double intraday_trust = kIntradayTrust;
};

// Horizon H scores the days H-6 .. H days ahead (1 .. H when H < 7): the
// origin day (a Monday unless origin_weekday says otherwise) is lead 1, so H = 1 is the next day, H = 7 the
// week ahead, H = 28 the fourth week ahead.
std::pair<int, int> target_leads(int horizon);

// Fewest days a forecast origin must have behind it in the backtest.
inline constexpr std::size_t kMinOriginDays = 20;

// Empty when `o` fits `h`; otherwise what is wrong (a horizon the history
// cannot support with that many weeks scored, ...).
std::string backtest_problem(const History& h, const BacktestOptions& o);

struct Score {
  double wape = 0;        // sum |actual - forecast| / sum actual, over intervals
  double mape_daily = 0;  // mean over days of |day actual - day forecast| / day actual
  double bias = 0;        // sum forecast / sum actual - 1
  int days = 0;
  // Quantile checks over intervals (the model only; NaN for baselines).
  double coverage_p10_p90 = 0, below_p10 = 0, below_p90 = 0;
  bool has_quantiles = false;
};

struct MethodScore {
  std::string method;  // "model", "seasonal_naive", "mean_last_4_weekdays", "median_last_20_weekdays", ...
  Score score;
};

struct HorizonResult {
  int horizon = 0;
  int origins = 0;
  std::vector<MethodScore> methods;  // the model first
  const MethodScore& best_baseline() const;
};

// Re-forecast of the rest of the day when the day has run until `until`
// (seconds after midnight): WAPE of the rest of the day.
struct IntradayResult {
  std::int64_t until = 0;
  int days = 0;
  double wape_plan = 0;        // the day-ahead forecast, not updated
  double wape_reforecast = 0;  // reforecast_intraday with the model's trust
  double wape_full_scale = 0;  // scaled by the whole ratio so far (trust 0)
};

struct RollingBacktest {
  std::int64_t scored_from = 0, scored_to = 0;  // first and last scored day
  int weeks = 0;
  int origin_weekday = 0;
  std::vector<HorizonResult> horizons;
  std::vector<IntradayResult> intraday;
};

// Throws std::invalid_argument with backtest_problem() when it is not empty.
RollingBacktest rolling_backtest(const History& h, const BacktestOptions& o = {});

// The baselines' forecast of `day` from the first `use_days` days: the last
// same weekday (seasonal naive) or the per-interval mean / median of the
// last k same weekdays (fewer when the history has fewer).
std::vector<double> seasonal_naive(const History& h, std::size_t use_days, std::int64_t day);
std::vector<double> mean_of_last_weekdays(const History& h, std::size_t use_days, std::int64_t day, int k);
std::vector<double> median_of_last_weekdays(const History& h, std::size_t use_days, std::int64_t day, int k);

}  // namespace switchboard::wfm
