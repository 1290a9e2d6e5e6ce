// What `switchboard forecast` and `switchboard staff` do with the model:
// choose the days to forecast, lay the rows out with their quantiles,
// re-forecast a day in progress from its actuals, and read one column
// (the mean or a quantile) of a forecast file back as demand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/interval_series.hpp"
#include "wfm/forecast.hpp"

namespace switchboard::wfm {

struct ForecastRequest {
  std::int64_t start = 0;                    // first calendar day (midnight), after the history
  int days = 0;                              // calendar days from `start`
  std::vector<std::int64_t> holidays;        // closed days (no rows; the days after get the catch-up)
  std::vector<double> quantiles{0.1, 0.5, 0.9};
  ForecastModel model;
};

struct ForecastTable {
  std::vector<std::int64_t> start;           // interval starts
  std::vector<double> calls;                 // mean forecast
  std::vector<double> quantiles;             // levels, e.g. 0.1, 0.5, 0.9
  std::vector<std::vector<double>> values;   // [quantile][row]
  std::vector<std::string> notes;            // for the planner (e.g. a federal holiday forecast as open)
};

// "p10", "p50", "p97.5": the column of quantile q.
std::string quantile_column(double q);
bool valid_quantile(double q);  // strictly inside (0, 1)

// The days from `start` for `days` calendar days that fall on a weekday the
// history covers and are not holidays.
std::vector<std::int64_t> days_to_forecast(const History& h, std::int64_t start, int days,
                                           const std::vector<std::int64_t>& holidays);

// The furthest calendar day after the history a forecast may reach: as far
// ahead as the history reaches back (its span in calendar days).
std::int64_t furthest_forecast_day(const History& h);

// Throws InputError naming the flag (--start, --days, --quantiles) when the
// request does not fit the history.
ForecastTable forecast_range(const History& h, const ForecastRequest& r);

// The actuals' day re-forecast from its intervals before `until` (seconds
// after midnight): known intervals kept, the rest scaled. Throws InputError
// naming the actuals file when it is not one day after the history, on the
// history's grid, with every interval before `until`.
ForecastTable reforecast_day(const History& h, const IntervalSeries& actuals, std::int64_t until,
                             const ForecastModel& m = {});

// `timestamp,calls[,pNN...][,alert]`; alert (1 when calls > alert_above)
// only when alert_above >= 0.
std::string forecast_csv(const ForecastTable& t, double alert_above = -1);

// Demand from a forecast (or any interval) file: the `calls` column, or
// with `quantile` the column quantile_column(*quantile). Throws InputError
// (field --quantile) for a quantile outside (0, 1), and naming the file's
// header when the column is missing.
IntervalSeries read_demand(const std::string& path, std::optional<double> quantile);

}  // namespace switchboard::wfm
