// Forecasting: recovers a known weekly pattern, beats the baselines on the
// real bank data, re-forecasts a day in progress, and the CLI contract.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/input_error.hpp"
#include "core/interval_series.hpp"
#include "support/test_support.hpp"
#include "wfm/forecast.hpp"

using namespace switchboard;

namespace {

constexpr std::int64_t kDay = 86400;

// Six weeks of weekdays 08:00-10:00 in 15-minute intervals, each weekday a
// fixed multiple of 100 calls per interval, no noise.
IntervalSeries synthetic(double monday_boost = 1.5) {
  IntervalSeries s;
  s.step = 900;
  std::int64_t first;
  parse_date("2024-01-01", first);  // a Monday
  for (int d = 0; d < 42; ++d) {
    const std::int64_t day = first + d * kDay;
    const int wd = weekday(day);
    if (wd >= 5) continue;
    for (int k = 0; k < 8; ++k) {
      s.start.push_back(day + 8 * 3600 + k * 900);
      s.calls.push_back(100 * (wd == 0 ? monday_boost : 1.0 + 0.1 * wd));
    }
  }
  return s;
}

std::string csv_of(const IntervalSeries& s) {
  std::string text = "timestamp,calls\n";
  for (std::size_t i = 0; i < s.start.size(); ++i) text += format_timestamp(s.start[i]) + "," + std::to_string(s.calls[i]) + "\n";
  return text;
}

}  // namespace

TEST(Forecast, RecoversAKnownWeeklyPattern) {
  const wfm::History h = wfm::make_history(synthetic());
  ASSERT_EQ(h.slots.size(), 8u);
  ASSERT_EQ(h.days.size(), 30u);
  std::int64_t monday, wednesday;
  parse_date("2024-02-12", monday);
  parse_date("2024-02-14", wednesday);
  for (double v : wfm::forecast_day(h, h.days.size(), monday)) EXPECT_NEAR(v, 150, 1e-6);
  for (double v : wfm::forecast_day(h, h.days.size(), wednesday)) EXPECT_NEAR(v, 120, 1e-6);
}

TEST(Forecast, BeatsTheBaselinesOnTheBankData) {
  const wfm::History h = wfm::make_history(read_interval_series((test::data_dir() / "bank_calls_train.csv").string()));
  ASSERT_EQ(h.days.size(), 130u);
  ASSERT_EQ(h.slots.size(), 169u);
  const wfm::Backtest b = wfm::backtest(h, 20);
  const double best_baseline = std::min(b.seasonal_naive.wape, b.mean_last_8.wape);
  EXPECT_LE(b.model.wape, 0.9 * best_baseline) << "model " << b.model.wape << ", best baseline " << best_baseline;
  EXPECT_LT(b.model.mape, std::min(b.seasonal_naive.mape, b.mean_last_8.mape));
  EXPECT_GT(b.model.wape, 0.01);  // a real error: the test data is not leaking into the fit
}

TEST(Forecast, IntradayScalesTheRestOfTheDay) {
  const std::vector<double> plan{10, 10, 10, 10};
  const auto r = wfm::reforecast_intraday(plan, {15, 15, 0, 0}, 2);
  EXPECT_EQ(r, (std::vector<double>{15, 15, 15, 15}));
}

TEST(Forecast, HistoryWithADayOffTheGridIsRejected) {
  IntervalSeries s = synthetic();
  s.start.resize(8 * 3);
  s.calls.resize(8 * 3);
  s.start[16] += 900;  // the third day starts 15 minutes late ... and so has 8 intervals to 10:15
  for (int k = 17; k < 24; ++k) s.start[k] += 900;
  s.source = "h.csv";
  try {
    wfm::make_history(s);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems()[0].line, 18);
    EXPECT_NE(e.problems()[0].message.find("expected the intraday grid of the first day"), std::string::npos);
  }
}

TEST(ForecastCli, NextDaysOnTheGridSkippingWeekendsAndHolidays) {
  test::TempDir dir;
  test::write_file(dir / "h.csv", csv_of(synthetic()));
  const auto r = test::run_cli("forecast --history " + (dir / "h.csv").string() +
                               " --start 2024-02-12 --days 7 --holidays 2024-02-13 --out " + (dir / "f.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string f = test::read_file(dir / "f.csv");
  std::istringstream lines(f);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "timestamp,calls");
  std::vector<std::string> days;
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    const std::string day = line.substr(0, 10);
    if (days.empty() || days.back() != day) days.push_back(day);
  }
  EXPECT_EQ(rows, 4 * 8);  // Mon, Wed, Thu, Fri: Tuesday is a holiday, no weekend in the history
  EXPECT_EQ(days, (std::vector<std::string>{"2024-02-12", "2024-02-14", "2024-02-15", "2024-02-16"}));
  EXPECT_NE(f.find("2024-02-12T08:00:00Z,150\n"), std::string::npos) << f.substr(0, 200);
  // Same input, same bytes.
  const auto again = test::run_cli("forecast --history " + (dir / "h.csv").string() +
                                   " --start 2024-02-12 --days 7 --holidays 2024-02-13 --out " + (dir / "g.csv").string());
  EXPECT_EQ(test::read_file(dir / "g.csv"), f);
}

TEST(ForecastCli, BacktestJsonAndIntradayAlerts) {
  const std::string bank = (test::data_dir() / "bank_calls_train.csv").string();
  const auto b = test::run_cli("forecast --history " + bank + " --backtest 20 --json");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto j = nlohmann::json::parse(b.out);
  EXPECT_LT(j["model"]["wape"].get<double>(), j["mean_last_8_weekdays"]["wape"].get<double>());
  test::TempDir dir;
  // The morning of the next Monday at twice the usual volume.
  test::write_file(dir / "today.csv", "timestamp,calls\n2003-09-08T07:00:00Z,400\n2003-09-08T07:05:00Z,400\n2003-09-08T07:10:00Z,400\n");
  const auto r = test::run_cli("forecast --history " + bank + " --intraday-until 07:15 --actuals " + (dir / "today.csv").string() +
                               " --alert-above 300 --out " + (dir / "rest.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string rest = test::read_file(dir / "rest.csv");
  EXPECT_EQ(rest.rfind("timestamp,calls,alert\n2003-09-08T07:00:00Z,400,1\n", 0), 0u) << rest.substr(0, 120);
  EXPECT_NE(r.err.find("alert: 2003-09-08T"), std::string::npos);
  EXPECT_EQ(std::count(rest.begin(), rest.end(), '\n'), 170);
}

TEST(ForecastCli, BadInputExitsTwoAndWritesNothing) {
  test::TempDir dir;
  test::write_file(dir / "h.csv", csv_of(synthetic()));
  test::write_file(dir / "dup.csv", "timestamp,calls\n2024-01-01T08:00:00Z,1\n2024-01-01T08:00:00Z,2\n");
  test::write_file(dir / "short.csv", "timestamp,calls\n2024-01-01T08:00:00Z,1\n2024-01-02T08:00:00Z,2\n");
  const std::string h = (dir / "h.csv").string();
  const std::string out = " --out " + (dir / "never.csv").string();
  struct Case {
    std::string args, message;
  };
  for (const Case& c : {Case{"--history " + h + " --start 2024-01-10 --days 3", "--start: expected a day after the history"},
                        Case{"--history " + h + " --start 2024-02-12 --days 0", "--days"},
                        Case{"--history " + h + " --start 2024-13-40 --days 3", "--start"},
                        Case{"--history " + h + " --backtest 100", "--backtest"},
                        Case{"--history " + (dir / "dup.csv").string() + " --start 2024-02-12 --days 3", "dup.csv:3:1: timestamp: duplicate of line 2"},
                        Case{"--history " + (dir / "short.csv").string() + " --start 2024-02-12 --days 3", "at least two weeks"},
                        Case{"--history " + h + " --start 2024-02-12 --days 3 --alert-above -1", "--alert-above"},
                        Case{"--history " + h + " --days 3 --backtest 5", "one of"}}) {
    const auto r = test::run_cli("forecast " + c.args + out);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "never.csv"));
  }
}
