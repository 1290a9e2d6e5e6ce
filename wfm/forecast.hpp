// Call-volume forecasting on an intraday grid (docs/forecast.md).
//
// A day's total = level × weekday factor × calendar effects (catch-up after
// a closure, first business days and last business day of the month), all
// multiplicative and learned from the history; the total is spread over the
// day by an intraday profile averaged over many weeks. The level is a
// robust, exponentially weighted mean of the deseasonalised totals with a
// half-life of four weeks of business days, so one busy month end does not
// carry into the weeks that follow. Beyond a week the total is combined
// (log scale) with the calendar-adjusted mean of the last 8 same weekdays.
// Quantiles come from the model's own rolling backtest on the history
// before the forecast origin.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "io/interval_series.hpp"
#include "wfm/forecast_calendar.hpp"

namespace switchboard::wfm {

// A history cut into whole days on one intraday grid.
struct History {
  std::string source;                     // file it was read from
  std::int64_t step = 0;                  // seconds between intervals
  std::vector<std::int64_t> slots;        // interval starts, seconds after midnight
  std::vector<std::int64_t> days;         // midnights, ascending
  std::vector<std::vector<double>> calls; // [day][slot]
};

// Throws InputError (naming the file and line) when a day's intervals are
// not the grid of the first day, or when more than kMaxMissingWeekdays
// weekdays in a row (US federal holidays aside) are absent.
inline constexpr int kMaxMissingWeekdays = 5;
History make_history(const IntervalSeries& series);

// The history's first `use_days` days (a forecast origin's view of it).
History truncated(const History& h, std::size_t use_days);

// Closed weekdays: weekdays absent from the history that are US federal
// holidays (other absent weekdays are missing data, not closures), plus
// `extra` (the planner's --holidays).
std::set<std::int64_t> closed_days(const History& h, const std::vector<std::int64_t>& extra = {});

struct ForecastModel {
  // Chosen on the early part of the bank data only (docs/forecast.md, "How
  // the parameters were chosen"); the later origins report.
  // With select_halflife, the level's half-life (business days) is chosen
  // per lead group (up to a week, beyond) among the candidates by the inner
  // rolling backtest at each fit; otherwise (the default: it did worse on
  // the early part of the bank data) the two fixed values below are used.
  std::vector<double> level_halflife_candidates{5, 10, 20, 40, 80};
  bool select_halflife = false;
  double level_halflife_short = 20;  // leads of up to 7 calendar days
  double level_halflife_long = 20;   // leads beyond a week (40 did slightly worse on the tuning weeks)
  int factor_window = 10;            // half-window (business days) of the local level the factors are measured against
  double effect_prior = 0.5;         // pseudo-days at "no effect" behind each calendar effect
  int profile_weeks = 12;            // weeks of history in the intraday profile
  double weekday_shape_minutes = 40; // a weekday's departure from the common intraday shape, smoothed this far either side
  int min_train_days = 25;           // fewest days a fit (and the inner backtest) learns from
  double carry_weight = 0.75;        // share of the last days' deviation from the level carried into the next day
  double carry_halflife = 0.5;       // business days: how fast that deviation forgets older days
  // Beyond a week the day total is combined, on the log scale, with a
  // second forecaster: the mean of the last combine_weeks same weekdays'
  // log totals, calendar effects taken out and the target day's put in
  // (weekday_mean_log_total). Its weight is Bates-Granger's inverse mean
  // squared error, both measured by the inner backtest at each fit
  // (ErrorModel::combine_weight). 0, the default, turns it off: on the
  // tuning weeks 8 gained 0.0001-0.0007 WAPE, 4 and 12 lost (docs/forecast.md).
  int combine_weeks = 0;
};

// Leads (calendar days from the origin's midnight, 1 = the origin day) are
// grouped by week for the error model: 1-7, 8-14, 15-21, 22-28, 29 and more.
inline constexpr int kLeadBuckets = 5;
int lead_bucket(int lead_days);

// Log-scale error of a day total by lead bucket, from a rolling backtest:
// quantiles 10/50/90 of log(actual / forecast).
struct ErrorModel {
  std::array<double, kLeadBuckets> q10{}, q50{}, q90{};
  std::array<int, kLeadBuckets> samples{};
  double carry_q10 = 0, carry_q50 = 0, carry_q90 = 0;  // the next-day carry's day (DayModel::carry_day), when carry_samples >= 10
  int carry_samples = 0;
  double overdispersion = 1;  // variance / mean of interval counts around the day's own profile
  // Weight of the same-weekday mean (ForecastModel::combine_weeks) in the
  // day totals beyond a week: mse_model / (mse_model + mse_mean) over the
  // inner backtest's leads of more than 7 days; 0 with fewer than 10 errors.
  double combine_weight = 0;
};

// Daily totals: the log factors and level of one fit.
struct DayModel {
  std::array<double, 7> weekday{};               // log factors, mean 0 over the weekdays seen
  std::array<double, kCalendarEffects> effect{};  // log factors
  double level_short = 0, level_long = 0;         // log levels used (leads up to a week, beyond)
  std::vector<double> candidate_levels;           // log level for each of level_halflife_candidates
  double halflife_short = 0, halflife_long = 0;   // the half-lives behind level_short, level_long
  double carry = 0;            // log deviation of the last days, added to carry_day only
  std::int64_t carry_day = -1; // the business day right after the last day learned from (none after a weekend or closure)
  bool fitted = false;
  double log_total(std::int64_t day, int lead_days, const BusinessCalendar& cal) const;
  static int weekday_index(std::int64_t day);  // `weekday` is the member above
};

DayModel fit_day_model(const History& h, std::size_t use_days, const BusinessCalendar& cal, const ForecastModel& m);

// The mean log total of the last `weeks` days on `day`'s weekday among the
// first `use_days`, each day's calendar effects (as fitted in `fit`) taken
// out, plus `day`'s own effects: a forecast of `day`'s log total that sees
// only its own weekday's recent weeks. NaN when no such day.
double weekday_mean_log_total(const History& h, std::size_t use_days, std::int64_t day, const DayModel& fit,
                              const BusinessCalendar& cal, int weeks);

// Shares of a `weekday`'s calls per interval (sum 1) from the first
// `use_days` days: the common shape of the last profile_weeks weeks (all
// weekdays, lightly smoothed across neighbouring intervals) times that
// weekday's own departure from it over the same weeks, smoothed over
// weekday_shape_minutes either side.
std::vector<double> intraday_profile(const History& h, std::size_t use_days, int weekday, const ForecastModel& m);

// One day's forecast per interval: the mean and any quantile.
struct DayForecast {
  std::int64_t day = 0;
  int lead = 0;
  std::vector<double> mean;
  double total() const;
};

class Forecaster {
 public:
  // Learns from the first `use_days` days of `h` (kept by reference: `h`
  // must outlive the forecaster); `closed` are the closed weekdays known at
  // the origin (past and planned).
  Forecaster(const History& h, std::size_t use_days, std::set<std::int64_t> closed, const ForecastModel& m = {});
  // Forecast origin: the day after the last day learned from.
  std::int64_t origin() const { return origin_; }
  DayForecast day(std::int64_t midnight) const;
  // Quantile q in (0, 1) of each interval's calls.
  std::vector<double> quantile(const DayForecast& f, double q) const;
  const DayModel& day_model() const { return model_; }
  const ErrorModel& errors() const { return errors_; }
  const BusinessCalendar& calendar() const { return calendar_; }

 private:
  const History& h_;
  std::size_t use_days_;
  ForecastModel m_;
  BusinessCalendar calendar_;
  std::int64_t origin_ = 0;
  DayModel model_;
  ErrorModel errors_;
};

// The weekday before `day` (Friday for a Monday).
std::int64_t previous_weekday(std::int64_t day);

// Scales the rest of a day by (actual so far) / (forecast so far), trusting
// the ratio more the more of the day has been seen: weight = seen / (seen +
// trust), seen = the share of the day's forecast already past. `actual`
// holds the day's first `known` intervals. trust = 0 scales fully.
inline constexpr double kIntradayTrust = 0.15;
std::vector<double> reforecast_intraday(const std::vector<double>& forecast, const std::vector<double>& actual,
                                        std::size_t known, double trust = kIntradayTrust);

}  // namespace switchboard::wfm
