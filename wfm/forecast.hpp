// Call-volume forecasting on an intraday grid: a day's total from a
// smoothed level times a day-of-week factor, spread over the day by an
// intraday profile averaged over many weeks. Baselines (seasonal naive, mean
// of the last 8 same weekdays) and a refitting backtest measure it; an
// intraday re-forecast scales the rest of a day by how it has run so far.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/interval_series.hpp"

namespace switchboard::wfm {

// A history cut into whole days on one intraday grid.
struct History {
  std::int64_t step = 0;                  // seconds between intervals
  std::vector<std::int64_t> slots;        // interval starts, seconds after midnight
  std::vector<std::int64_t> days;         // midnights, ascending
  std::vector<std::vector<double>> calls; // [day][slot]
};

// Throws InputError (naming the file and line) when a day's intervals are
// not the grid of the first day.
History make_history(const IntervalSeries& series);

struct ForecastModel {
  // Chosen on the bank data's backtest (docs/forecast.md): the level follows
  // recent days closely; the intraday shape is stable over two months.
  double level_smoothing = 0.5;    // weight of the newest day in the level
  double weekday_profile = 0.6;    // weekday-specific share of the intraday profile (rest: all weekdays)
  int profile_weeks = 8;           // weeks of history in the profile
};

// Forecast of one day (midnight `day`) from the first `use_days` days of
// history. `holidays`: midnights of closed weekdays; the weekday after one
// carries the calls that could not be made (a factor learned from the
// history's own holidays: weekdays missing between its first and last day).
std::vector<double> forecast_day(const History& h, std::size_t use_days, std::int64_t day, const ForecastModel& m = {},
                                 const std::vector<std::int64_t>& holidays = {});

// Weekdays (Monday-Friday) absent from the history between its first and last day.
std::vector<std::int64_t> missing_weekdays(const History& h, std::size_t use_days);
// The weekday before `day` (Friday for a Monday).
std::int64_t previous_weekday(std::int64_t day);
std::vector<double> seasonal_naive(const History& h, std::size_t use_days, std::int64_t day);
std::vector<double> mean_of_last_weekdays(const History& h, std::size_t use_days, std::int64_t day, int weeks = 8);

struct Accuracy {
  double wape = 0;  // sum |actual - forecast| / sum actual
  double mape = 0;  // mean |actual - forecast| / actual over intervals with actual > 0
};

struct Backtest {
  int days = 0;
  Accuracy model, seasonal_naive, mean_last_8;
};

// The last `days` days of history, each forecast from the days before it.
Backtest backtest(const History& h, int days, const ForecastModel& m = {});

// Scales the rest of a day by (actual so far) / (forecast so far): `actual`
// holds the day's first `known` intervals.
std::vector<double> reforecast_intraday(const std::vector<double>& forecast, const std::vector<double>& actual,
                                        std::size_t known);

}  // namespace switchboard::wfm
