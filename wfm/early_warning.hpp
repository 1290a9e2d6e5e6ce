// The peak early warning's plan: a forecast (`switchboard forecast`'s
// timestamp,calls, on the scenario's interval or a step dividing it) turned
// into calls, agents required (Erlang A with the scenario's AHT, patience
// and targets) and agents planned, per interval of the scenario's horizon.
// `switchboard serve --forecast` exports its outlook (core/forecast_outlook.hpp).
#pragma once

#include <vector>

#include "core/forecast_outlook.hpp"
#include "io/interval_series.hpp"
#include "core/scenario.hpp"

namespace switchboard::wfm {

// The forecast's first day, placed on the horizon by its clock time: a row
// at 09:15 falls into the interval at clock 09:15. Throws InputError naming
// `flag` when the step does not divide the scenario's interval, or when no
// row falls inside the horizon.
std::vector<ForecastInterval> plan_ahead(const Scenario& scenario, const IntervalSeries& forecast, const std::string& flag);

}  // namespace switchboard::wfm
