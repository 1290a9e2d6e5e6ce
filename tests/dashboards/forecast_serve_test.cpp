// serve --forecast: /metrics carries the early warning's outlook — for the
// bank's peak day (data/bank_calls_train.csv, 2003-09-03, as a perfect
// forecast) against scenarios/bank-day.yaml's plan, what wfm::plan_ahead
// computes for the first two hours — and a forecast that cannot be placed
// on the scenario's intervals exits 2 naming the file.
#include <gtest/gtest.h>

#include "io/interval_series.hpp"
#include "io/scenario_loader.hpp"
#include "sip/serve_harness.hpp"
#include "wfm/early_warning.hpp"

using namespace switchboard;
using namespace switchboard::test;

namespace {
std::string peak_day(const TempDir& dir) {
  const IntervalSeries all = read_interval_series((data_dir() / "bank_calls_train.csv").string());
  std::string csv = "timestamp,calls\n";
  for (std::size_t i = 0; i < all.start.size(); ++i)
    if (format_date(all.start[i]) == "2003-09-03") csv += format_timestamp(all.start[i]) + "," + std::to_string(all.calls[i]) + "\n";
  const auto path = dir / "peak.csv";
  write_file(path, csv);
  return path.string();
}
}  // namespace

TEST(ForecastServe, MetricsCarryTheOutlookOfTheNextTwoHours) {
  TempDir dir;
  const std::string forecast = peak_day(dir);
  const Scenario plan = load_scenario((source_dir() / "scenarios/bank-day.yaml").string());
  const auto day = wfm::plan_ahead(plan, read_interval_series(forecast), "--forecast");
  const Outlook expected = outlook(day, 1, 7200);  // the server reads its first seconds: intervals 0..8 overlap [t, t + 2 h)
  serve::Server server("../../../scenarios/bank-day.yaml", "--forecast " + forecast);
  EXPECT_EQ(serve::wait_for(server, "switchboard_forecast_agents_short_next_2h", expected.most_short), expected.most_short);
  EXPECT_GT(expected.most_short, 5);  // the alert's bound: it fires on this day
  EXPECT_DOUBLE_EQ(server.value("switchboard_forecast_calls_next_2h"), expected.calls);
  EXPECT_EQ(server.value("switchboard_forecast_agents_planned"), day[0].planned);
  EXPECT_EQ(server.value("switchboard_forecast_agents_required"), day[0].required);
}

TEST(ForecastServe, AForecastOffTheScenariosIntervalsExitsTwo) {
  TempDir dir;
  write_file(dir / "seven.csv", "timestamp,calls\n2003-09-03T07:00:00Z,5\n2003-09-03T07:07:00Z,5\n");
  write_file(dir / "night.csv", "timestamp,calls\n2003-09-03T01:00:00Z,5\n");
  write_file(dir / "broken.csv", "timestamp,calls\n2003-09-03T07:00:00Z,many\n");
  const std::string scenario = (source_dir() / "scenarios/bank-day.yaml").string();
  for (const char* file : {"seven.csv", "night.csv", "broken.csv", "missing.csv"}) {
    const auto r = run_cli("serve " + scenario + " --duration 1 --metrics none --forecast " + (dir / file).string());
    EXPECT_EQ(r.exit_code, 2) << file;
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
  }
}
