// Forecasting: recovers a known weekly pattern, quantiles around it,
// re-forecasts a day in progress, and the CLI contract (forecast, backtest,
// staff --quantile, bad input). The backtest's own tests and the held-out
// bank origins are in forecast_backtest_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <sstream>

#include "core/input_error.hpp"
#include "io/interval_series.hpp"
#include "support/test_support.hpp"
#include "wfm/forecast.hpp"
#include "wfm/forecast_plan.hpp"

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
  const wfm::Forecaster f(h, h.days.size(), wfm::closed_days(h));
  for (double v : f.day(monday).mean) EXPECT_NEAR(v, 150, 1e-6);
  for (double v : f.day(wednesday).mean) EXPECT_NEAR(v, 120, 1e-6);
  // Six weeks are too few for the inner backtest (it needs 25 days to learn
  // from and 10 errors): the band is the wide default (+-12% on the day and
  // the interval's Poisson noise), in order, centred on the mean.
  const auto d = f.day(wednesday);
  const auto p10 = f.quantile(d, 0.1), p50 = f.quantile(d, 0.5), p90 = f.quantile(d, 0.9);
  EXPECT_LT(f.errors().samples[0], 10);
  for (std::size_t s = 0; s < d.mean.size(); ++s) {
    EXPECT_NEAR(p50[s], 120, 1e-6);
    EXPECT_NEAR(p10[s], 120 * std::exp(-1.2815515655446004 * std::sqrt(0.12 * 0.12 / (1.2815515655446004 * 1.2815515655446004) + 1.0 / 120)), 1e-6);
    EXPECT_GT(p90[s], p50[s]);
  }
}

TEST(Forecast, CalendarEffectsAreLearnedNotCarriedIntoTheLevel) {
  // Every first business day of a month at +30%: the effect is learned, and
  // the level a week after a month start is the plain one.
  std::int64_t first;
  parse_date("2024-01-01", first);
  IntervalSeries longer;
  longer.step = 900;
  for (int d = 0; d < 120; ++d) {
    const std::int64_t day = first + d * kDay;
    if (weekday(day) >= 5) continue;
    const bool month_start = (wfm::BusinessCalendar({}).effects(day) >> wfm::kMonthStart1) & 1u;
    for (int k = 0; k < 8; ++k) {
      longer.start.push_back(day + 8 * 3600 + k * 900);
      longer.calls.push_back(100 * (month_start ? 1.3 : 1.0));
    }
  }
  const wfm::History h = wfm::make_history(longer);
  const wfm::Forecaster f(h, h.days.size(), {});
  EXPECT_NEAR(std::exp(f.day_model().effect[wfm::kMonthStart1]), 1.3, 0.06);
  std::int64_t may1, may8;
  parse_date("2024-05-01", may1);
  parse_date("2024-05-08", may8);
  EXPECT_NEAR(f.day(may8).total(), 800, 8);
  EXPECT_GT(f.day(may1).total(), 1.2 * 800);
}

TEST(Forecast, AutoHalfLifeFollowsALastingLevelShift) {
  // 100 calls an interval for 16 weeks, then 130 for 6 weeks: a lasting
  // shift. The inner backtest's errors favour the shortest half-life, and
  // the fixed default (20 business days) lags behind it.
  IntervalSeries s;
  s.step = 900;
  std::int64_t first;
  parse_date("2024-01-01", first);
  for (int d = 0; d < 22 * 7; ++d) {
    const std::int64_t day = first + d * kDay;
    if (weekday(day) >= 5) continue;
    for (int k = 0; k < 8; ++k) {
      s.start.push_back(day + 8 * 3600 + k * 900);
      s.calls.push_back(d < 16 * 7 ? 100 : 130);
    }
  }
  const wfm::History h = wfm::make_history(s);
  wfm::ForecastModel automatic;
  automatic.select_halflife = true;
  const wfm::Forecaster chosen(h, h.days.size(), {}, automatic), fixed(h, h.days.size(), {});
  EXPECT_EQ(chosen.day_model().halflife_short, 5);
  EXPECT_EQ(fixed.day_model().halflife_short, 20);
  const std::int64_t next = h.days.back() + 3 * kDay;  // the Monday after
  EXPECT_NEAR(chosen.day(next).total(), 8 * 130, 8 * 130 * 0.02);
  EXPECT_LT(fixed.day(next).total(), chosen.day(next).total());
}

// The second forecaster of the combination beyond a week: the mean log
// total of the last 8 same weekdays, each one's calendar effects (as
// fitted) taken out and the target's put in. No noise: every day has 800
// calls except the first business day of each month (+30%). Of the last 8
// Wednesdays before 2024-04-29 only 3 April carries an effect (the third
// business day of April), so the mean is log 800 - e(3rd day) / 8.
TEST(Forecast, WeekdayMeanTakesCalendarEffectsOutAndPutsTheTargetsIn) {
  std::int64_t first;
  parse_date("2024-01-01", first);
  IntervalSeries s;
  s.step = 900;
  for (int d = 0; d < 120; ++d) {
    const std::int64_t day = first + d * kDay;
    if (weekday(day) >= 5) continue;
    const bool month_start = (wfm::BusinessCalendar({}).effects(day) >> wfm::kMonthStart1) & 1u;
    for (int k = 0; k < 8; ++k) {
      s.start.push_back(day + 8 * 3600 + k * 900);
      s.calls.push_back(100 * (month_start ? 1.3 : 1.0));
    }
  }
  const wfm::History h = wfm::make_history(s);
  ASSERT_EQ(format_date(h.days.back()), "2024-04-29");
  const wfm::BusinessCalendar cal({});
  const wfm::DayModel fit = wfm::fit_day_model(h, h.days.size(), cal, wfm::ForecastModel{});
  const double e1 = fit.effect[wfm::kMonthStart1], e3 = fit.effect[wfm::kMonthStart3];
  ASSERT_GT(e1, 0.2);  // learned: the test below would pass with no effects at all otherwise
  std::int64_t may1, may8, may11;
  parse_date("2024-05-01", may1);  // a Wednesday, the first business day of May
  parse_date("2024-05-08", may8);
  parse_date("2024-05-11", may11);  // a Saturday: the history has none
  EXPECT_NEAR(wfm::weekday_mean_log_total(h, h.days.size(), may8, fit, cal, 8), std::log(800.0) - e3 / 8, 1e-9);
  EXPECT_NEAR(wfm::weekday_mean_log_total(h, h.days.size(), may1, fit, cal, 8), std::log(800.0) - e3 / 8 + e1, 1e-9);
  // Two weeks: 24 April and 17 April, no effect on either.
  EXPECT_NEAR(wfm::weekday_mean_log_total(h, h.days.size(), may8, fit, cal, 2), std::log(800.0), 1e-9);
  EXPECT_TRUE(std::isnan(wfm::weekday_mean_log_total(h, h.days.size(), may11, fit, cal, 8)));
}

// Beyond a week the day total is the model's combined with that weekday
// mean, weighted by their inner-backtest errors. Mondays run at 100 calls
// an interval for 14 weeks, then at 130 for the last 8 (the other weekdays
// at 100 throughout, no noise): the weekday factor, learned over the whole
// history, lags behind Mondays' new level, and the mean of the last 8
// Mondays has it. The combined forecast of a Monday two weeks ahead is
// (1 - w) x the model's + w x the mean's on the log scale, closer to 130;
// leads of up to a week are the model's own; combine_weeks = 0 is the
// model alone.
TEST(Forecast, BeyondAWeekTheDayTotalCombinesTheWeekdayMean) {
  IntervalSeries s;
  s.step = 900;
  std::int64_t first;
  parse_date("2024-01-01", first);  // a Monday
  for (int d = 0; d < 22 * 7; ++d) {
    const std::int64_t day = first + d * kDay;
    if (weekday(day) >= 5) continue;
    for (int k = 0; k < 8; ++k) {
      s.start.push_back(day + 8 * 3600 + k * 900);
      s.calls.push_back(weekday(day) == 0 && d >= 14 * 7 ? 130 : 100);
    }
  }
  const wfm::History h = wfm::make_history(s);
  wfm::ForecastModel alone, eight;
  ASSERT_EQ(alone.combine_weeks, 0);  // the default: off
  eight.combine_weeks = 8;
  const wfm::Forecaster combined(h, h.days.size(), {}, eight), model(h, h.days.size(), {}, alone);
  EXPECT_EQ(model.errors().combine_weight, 0);
  const double w = combined.errors().combine_weight;
  EXPECT_GT(w, 0.05);
  EXPECT_LT(w, 0.95);
  const std::int64_t next_monday = h.days.back() + 3 * kDay, later_monday = next_monday + 14 * kDay;
  EXPECT_EQ(combined.day(next_monday).total(), model.day(next_monday).total());  // lead 3: the model's
  const double mean_y = wfm::weekday_mean_log_total(h, h.days.size(), later_monday, combined.day_model(), combined.calendar(), 8);
  EXPECT_NEAR(mean_y, std::log(8 * 130.0), 1e-9);
  const double model_y = std::log(model.day(later_monday).total());
  EXPECT_LT(model_y, std::log(8 * 125.0));  // the lag the combination is for
  EXPECT_NEAR(std::log(combined.day(later_monday).total()), (1 - w) * model_y + w * mean_y, 1e-9);
  EXPECT_GT(combined.day(later_monday).total(), model.day(later_monday).total());
}

// The intraday profile keeps a weekday's own shape (Mondays front-loaded
// by up to 40% here, the other weekdays not) with less noise than that
// weekday's own last 12 days: 20 weeks on a 5-minute grid, 30 calls an
// interval on average, Poisson counts, a fixed seed. The statistics are L1
// distances to Monday's true shares: over seeds 1-20 the profile's was
// 0.012-0.017 (mean 0.0145, sd 0.0015), the raw mean of the last 12
// Mondays' 0.034-0.045 and the all-weekday shape's 0.18; profile / raw
// was 0.31-0.43 (mean 0.37, sd 0.03). The bounds (0.6 of the raw mean's,
// 0.15 of the common shape's) are over 7 sd away: the chance that either
// fails on a correct profile is negligible (Bonferroni: 2 x p < 1e-9).
TEST(Forecast, IntradayProfileKeepsAWeekdaysOwnShapeWithLessNoise) {
  constexpr int kSlots = 120;
  auto truth = [](int wd, int s) {
    const double x = (s + 0.5) / kSlots, common = 0.5 + std::sin(M_PI * x);
    return wd == 0 ? common * (1 + 0.4 * std::cos(M_PI * x)) : common;
  };
  IntervalSeries s;
  s.source = "synthetic";
  s.step = 300;
  std::mt19937_64 rng(1);
  std::int64_t first;
  parse_date("2024-01-01", first);  // a Monday
  for (int d = 0; d < 20 * 7; ++d) {
    const std::int64_t day = first + d * kDay;
    if (weekday(day) >= 5) continue;
    for (int k = 0; k < kSlots; ++k) {
      s.start.push_back(day + 8 * 3600 + k * 300);
      s.calls.push_back(static_cast<double>(std::poisson_distribution<int>(30 * truth(weekday(day), k))(rng)));
    }
  }
  const wfm::History h = wfm::make_history(s);
  const std::vector<double> profile = wfm::intraday_profile(h, h.days.size(), 0, wfm::ForecastModel{});
  std::vector<double> monday(kSlots), own(kSlots, 0.0), common(kSlots, 0.0);
  for (int k = 0; k < kSlots; ++k) monday[k] = truth(0, k);
  const double norm = std::accumulate(monday.begin(), monday.end(), 0.0);
  for (auto& v : monday) v /= norm;
  int own_days = 0, all_days = 0;
  for (std::size_t d = h.days.size(); d-- > 0 && all_days < 60;) {
    const double total = std::accumulate(h.calls[d].begin(), h.calls[d].end(), 0.0);
    const bool is_monday = weekday(h.days[d]) == 0 && own_days < 12;
    for (int k = 0; k < kSlots; ++k) {
      common[k] += h.calls[d][k] / total / 60;
      if (is_monday) own[k] += h.calls[d][k] / total / 12;
    }
    own_days += is_monday ? 1 : 0;
    ++all_days;
  }
  ASSERT_EQ(own_days, 12);
  auto distance = [&](const std::vector<double>& p) {
    double e = 0;
    for (int k = 0; k < kSlots; ++k) e += std::abs(p[k] - monday[k]);
    return e;
  };
  EXPECT_NEAR(std::accumulate(profile.begin(), profile.end(), 0.0), 1.0, 1e-9);
  EXPECT_LT(distance(profile), 0.6 * distance(own));
  EXPECT_LT(distance(profile), 0.15 * distance(common));
}

TEST(Forecast, IntradayScalesTheRestOfTheDayByWhatItTrusts) {
  const std::vector<double> plan{10, 10, 10, 10};
  EXPECT_EQ(wfm::reforecast_intraday(plan, {15, 15, 0, 0}, 2, 0), (std::vector<double>{15, 15, 15, 15}));
  // Half the day seen: weight 0.5 / (0.5 + 0.5) on the ratio 1.5.
  EXPECT_EQ(wfm::reforecast_intraday(plan, {15, 15, 0, 0}, 2, 0.5), (std::vector<double>{15, 15, 12.5, 12.5}));
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
  EXPECT_EQ(line, "timestamp,calls,p10,p50,p90");
  std::vector<std::string> days;
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    const std::string day = line.substr(0, 10);
    if (days.empty() || days.back() != day) days.push_back(day);
  }
  EXPECT_EQ(rows, 4 * 8);  // Mon, Wed, Thu, Fri: Tuesday is a holiday, no weekend in the history
  EXPECT_EQ(days, (std::vector<std::string>{"2024-02-12", "2024-02-14", "2024-02-15", "2024-02-16"}));
  EXPECT_NE(f.find("2024-02-12T08:00:00Z,150,"), std::string::npos) << f.substr(0, 200);
  // Same input, same bytes.
  const auto again = test::run_cli("forecast --history " + (dir / "h.csv").string() +
                                   " --start 2024-02-12 --days 7 --holidays 2024-02-13 --out " + (dir / "g.csv").string());
  EXPECT_EQ(test::read_file(dir / "g.csv"), f);
}

TEST(ForecastCli, BacktestJsonAndIntradayAlerts) {
  const std::string bank = (test::data_dir() / "bank_calls_train.csv").string();
  const auto b = test::run_cli("forecast --history " + bank + " --backtest 4 --horizons 1,7,28 --json");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto j = nlohmann::json::parse(b.out);
  EXPECT_EQ(j["scored_from"], "2003-08-11");
  ASSERT_EQ(j["horizons"].size(), 3u);
  EXPECT_EQ(j["horizons"][2]["horizon_days"], 28);
  for (const auto& h : j["horizons"]) {
    EXPECT_EQ(h["methods"].size(), 10u);  // the model, seasonal naive, mean and median of 4, 8, 12, 20
    EXPECT_TRUE(h["methods"]["model"].contains("coverage_p10_p90"));
    EXPECT_FALSE(h["methods"]["median_last_20_weekdays"].contains("coverage_p10_p90"));
  }
  EXPECT_EQ(j["intraday"][0]["until"], "08:00");
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

TEST(ForecastCli, StaffPlansOnAQuantileColumn) {
  test::TempDir dir;
  test::write_file(dir / "h.csv", csv_of(synthetic()));
  const auto f = test::run_cli("forecast --history " + (dir / "h.csv").string() + " --start 2024-02-12 --days 1 --quantiles 0.5,0.9 --out " +
                               (dir / "f.csv").string());
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_EQ(test::read_file(dir / "f.csv").rfind("timestamp,calls,p50,p90\n", 0), 0u);
  const std::string staff = "staff --arrivals " + (dir / "f.csv").string() + " --aht 180 --target-sl 0.8 --json";
  const auto mean = test::run_cli(staff), p90 = test::run_cli(staff + " --quantile 0.9");
  ASSERT_EQ(mean.exit_code, 0) << mean.err;
  ASSERT_EQ(p90.exit_code, 0) << p90.err;
  const auto jm = nlohmann::json::parse(mean.out), jq = nlohmann::json::parse(p90.out);
  ASSERT_EQ(jm["intervals"].size(), 8u);
  ASSERT_EQ(jq["intervals"].size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_GT(jq["intervals"][i]["calls"].get<double>(), jm["intervals"][i]["calls"].get<double>());
    EXPECT_GE(jq["intervals"][i]["agents_required"].get<int>(), jm["intervals"][i]["agents_required"].get<int>());
  }
  // Same rows through wfm::read_demand.
  const IntervalSeries q = wfm::read_demand((dir / "f.csv").string(), 0.9);
  EXPECT_NEAR(q.calls[0], jq["intervals"][0]["calls"].get<double>(), 1e-3);
  EXPECT_EQ(wfm::quantile_column(0.975), "p97.5");
}

TEST(ForecastCli, BadInputExitsTwoAndWritesNothing) {
  test::TempDir dir;
  const IntervalSeries good = synthetic();
  test::write_file(dir / "h.csv", csv_of(good));
  test::write_file(dir / "dup.csv", "timestamp,calls\n2024-01-01T08:00:00Z,1\n2024-01-01T08:00:00Z,2\n");
  test::write_file(dir / "short.csv", "timestamp,calls\n2024-01-01T08:00:00Z,1\n2024-01-02T08:00:00Z,2\n");
  test::write_file(dir / "gap.csv", "timestamp,calls\n2024-01-01T08:00:00Z,1\n2024-01-01T08:15:00Z,2\n2024-01-01T08:45:00Z,2\n");
  test::write_file(dir / "negative.csv", "timestamp,calls\n2024-01-01T08:00:00Z,1\n2024-01-01T08:15:00Z,-3\n");
  test::write_file(dir / "order.csv", "timestamp,calls\n2024-01-02T08:00:00Z,1\n2024-01-01T08:00:00Z,2\n");
  test::write_file(dir / "text.csv", "timestamp,calls\n2024-01-01T08:00:00Z,1\n2024-01-01T08:15:00Z,many\n");
  IntervalSeries regrid = good;  // from the third day on, the day starts 15 minutes later
  for (std::size_t i = 16; i < regrid.start.size(); ++i) regrid.start[i] += 900;
  test::write_file(dir / "regrid.csv", csv_of(regrid));
  IntervalSeries coarser = good;  // from the third day on, 30-minute intervals (4 a day)
  coarser.start.clear();
  coarser.calls.clear();
  for (std::size_t i = 0; i < good.start.size(); ++i)
    if (i < 16 || i % 2 == 0) {
      coarser.start.push_back(good.start[i]);
      coarser.calls.push_back(good.calls[i]);
    }
  test::write_file(dir / "coarser.csv", csv_of(coarser));
  IntervalSeries gap_days;  // the second and third weeks absent: 9 weekdays missing in a row (and Martin Luther King Day)
  for (std::size_t i = 0; i < good.start.size(); ++i)
    if (good.start[i] < good.start[0] + 7 * kDay || good.start[i] >= good.start[0] + 21 * kDay) {
      gap_days.start.push_back(good.start[i]);
      gap_days.calls.push_back(good.calls[i]);
    }
  test::write_file(dir / "gapdays.csv", csv_of(gap_days));
  // The actuals of a day in progress: off the history's grid, inside the history, too far past it.
  test::write_file(dir / "offgrid.csv", "timestamp,calls\n2024-02-12T08:00:00Z,100\n2024-02-12T08:20:00Z,100\n");
  test::write_file(dir / "inside.csv", "timestamp,calls\n2024-02-05T08:00:00Z,100\n2024-02-05T08:15:00Z,100\n");
  test::write_file(dir / "later.csv", "timestamp,calls\n2024-06-03T08:00:00Z,100\n2024-06-03T08:15:00Z,100\n");
  const std::string h = (dir / "h.csv").string();
  const std::string out = " --out " + (dir / "never.csv").string();
  struct Case {
    std::string args, message;
  };
  for (const Case& c : {Case{"forecast --history " + h + " --start 2024-01-10 --days 3", "--start: expected a day after the history"},
                        Case{"forecast --history " + h + " --start 2024-02-12 --days 0", "--days"},
                        Case{"forecast --history " + h + " --start 2024-02-12 --days 60", "--days: expected a forecast ending by 2024-03-20"},
                        Case{"forecast --history " + h + " --start 2024-13-40 --days 3", "--start"},
                        Case{"forecast --history " + h + " --start 2024-02-12 --days 3 --quantiles 0,0.5", "--quantiles"},
                        Case{"forecast --history " + h + " --start 2024-02-12 --days 3 --quantiles 0.5,1.2", "--quantiles"},
                        Case{"forecast --history " + h + " --backtest 100", "--backtest: expected"},
                        Case{"forecast --history " + h + " --backtest 1 --horizons 1,35", "--horizons: expected horizon 35 days"},
                        Case{"forecast --history " + (dir / "dup.csv").string() + " --start 2024-02-12 --days 3", "dup.csv:3:1: timestamp: duplicate of line 2"},
                        Case{"forecast --history " + (dir / "gap.csv").string() + " --start 2024-02-12 --days 3", "gap.csv:4:1: timestamp: gap inside a day"},
                        Case{"forecast --history " + (dir / "negative.csv").string() + " --start 2024-02-12 --days 3", "negative.csv:3:22: calls: expected a number of calls >= 0"},
                        Case{"forecast --history " + (dir / "regrid.csv").string() + " --start 2024-02-12 --days 3", "regrid.csv:18:1: timestamp: 2024-01-03 has 8 intervals from 08:15"},
                        Case{"forecast --history " + (dir / "coarser.csv").string() + " --start 2024-02-12 --days 3", "coarser.csv:19:1: timestamp: gap inside a day: expected 2024-01-03T08:15:00Z"},
                        Case{"forecast --history " + (dir / "order.csv").string() + " --start 2024-02-12 --days 3", "order.csv:3:1: timestamp: out of order"},
                        Case{"forecast --history " + (dir / "text.csv").string() + " --start 2024-02-12 --days 3", "text.csv:3:22: calls: expected a number of calls >= 0, got 'many'"},
                        Case{"forecast --history " + (dir / "gapdays.csv").string() + " --start 2024-02-12 --days 3", "gapdays.csv:42:1: timestamp: 2024-01-22 follows 2024-01-05 with 9 weekdays missing between them (not US federal holidays)"},
                        Case{"forecast --history " + (dir / "gapdays.csv").string() + " --backtest 2", "gapdays.csv:42:1: timestamp:"},
                        Case{"forecast --history " + h + " --start 2024-02-12 --days 3 --quantiles 0.5,1", "--quantiles"},
                        Case{"forecast --history " + h + " --start 2024-02-12 --days 3 --quantiles -0.1", "--quantiles"},
                        Case{"forecast --history " + h + " --start 2024-02-12 --days 3 --quantiles 0.1,high", "--quantiles"},
                        Case{"forecast --history " + h + " --backtest 1 --horizons 0", "--horizons: expected horizons from 1 to 366 days, got 0"},
                        Case{"forecast --history " + h + " --intraday-until 08:30 --actuals " + (dir / "offgrid.csv").string(), "offgrid.csv:3:1: timestamp:"},
                        Case{"forecast --history " + h + " --intraday-until 08:30 --actuals " + (dir / "inside.csv").string(), "inside.csv:2:1: timestamp: expected a day after the history's last day (2024-02-09)"},
                        Case{"forecast --history " + h + " --intraday-until 08:30 --actuals " + (dir / "later.csv").string(), "later.csv:2:1: timestamp: expected a day by 2024-03-20"},
                        Case{"staff --arrivals " + h + " --aht 180 --target-sl 0.8 --quantile 0", "--quantile: expected a level strictly between 0 and 1"},
                        Case{"forecast --history " + (dir / "short.csv").string() + " --start 2024-02-12 --days 3", "at least two weeks"},
                        Case{"forecast --history " + h + " --start 2024-02-12 --days 3 --alert-above -1", "--alert-above"},
                        Case{"forecast --history " + h + " --days 3 --backtest 5", "one of"},
                        Case{"forecast --history " + h + " --backtest 2 --origin-weekday sat", "--origin-weekday: expected one of mon, tue"},
                        Case{"forecast --history " + h + " --backtest 2 --next-day-carry 1.5", "--next-day-carry: expected a share from 0 to 1"},
                        Case{"forecast --history " + h + " --backtest 2 --combine-weeks 60", "--combine-weeks: expected a number of weeks from 0 to 52"},
                        Case{"forecast --history " + h + " --backtest 2 --combine-weeks -1", "--combine-weeks: expected a number of weeks from 0 to 52"},
                        Case{"forecast --history " + h + " --start 2024-02-12 --days 3 --origin-weekday wed", "--origin-weekday: expected a weekday mon..fri, with --backtest"},
                        Case{"staff --arrivals " + h + " --aht 180 --target-sl 0.8 --quantile 1.5", "--quantile: expected a level strictly between 0 and 1"},
                        Case{"staff --arrivals " + h + " --aht 180 --target-sl 0.8 --quantile 0.9", "h.csv:1:1: header: expected a column p90"}}) {
    const auto r = test::run_cli(c.args + out);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "never.csv"));
    EXPECT_EQ(r.out, "") << c.args;  // no table, no rows on stdout either
    // An output file already there is left as it was.
    test::write_file(dir / "kept.csv", "earlier\n");
    EXPECT_EQ(test::run_cli(c.args + " --out " + (dir / "kept.csv").string()).exit_code, 2) << c.args;
    EXPECT_EQ(test::read_file(dir / "kept.csv"), "earlier\n") << c.args;
  }
}
