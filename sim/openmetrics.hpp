// A simulated day as OpenMetrics text with timestamps: the series /metrics
// publishes (core/kpi_metrics.hpp, same names and meaning), sampled at each
// interval boundary and at the end of the run, labelled source="simulation"
// and scenario="NAME", the scenario's clock placed on a chosen date (UTC).
// `promtool tsdb create-blocks-from openmetrics` turns it into Prometheus
// blocks, so the dashboards show the simulated day (docs/dashboards.md).
#pragma once

#include <string>
#include <vector>

#include "core/kpi.hpp"
#include "core/scenario.hpp"

namespace switchboard::sim {

// Unix time of 00:00 UTC on "YYYY-MM-DD"; throws InputError naming `flag`.
double midnight_utc(const std::string& date, const std::string& flag);

// With several replications every number is the mean across them (so a
// ratio over the day is the ratio of mean counts); with one it is the
// replication's own. `midnight` is the Unix time of the date's 00:00.
std::string to_openmetrics(const Scenario& scenario, const std::vector<KpiReport>& reports, double midnight);

}  // namespace switchboard::sim
