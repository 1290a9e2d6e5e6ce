// `switchboard forecast`: volumes per interval for the next days with
// quantiles, a rolling-origin backtest against baselines, and an intraday
// re-forecast with alerts. Flags only; the work is in wfm/forecast*.
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "io/clock_text.hpp"
#include "io/interval_series.hpp"
#include "wfm/forecast.hpp"
#include "wfm/forecast_backtest.hpp"
#include "wfm/forecast_plan.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {

const char* kUsage = R"(usage: switchboard forecast --history FILE.csv --start YYYY-MM-DD --days N --out FILE.csv
                           [--holidays D,...] [--quantiles Q,...] [--alert-above CALLS]
       switchboard forecast --history FILE.csv --backtest WEEKS [--horizons H,...] [--json] [--origin-weekday mon..fri]
       switchboard forecast --history FILE.csv --intraday-until HH:MM --actuals FILE.csv [--out FILE.csv] [--alert-above CALLS]

History and output are `timestamp,calls` CSVs on the history's intraday grid
(docs/forecast.md). The forecast covers every day from --start for --days
calendar days that falls on a weekday the history covers, except --holidays
(closed days; the days after them get the catch-up learned from the
history). Each row carries the mean (`calls`) and the quantiles asked for
(columns p10,p50,p90 by default), calibrated by the model's own backtest.
--backtest WEEKS scores the last WEEKS weeks of history: a forecast made
every Monday from the days before it, at each horizon (calendar days; 1 =
the next day, 7 = the week ahead, 28 = the fourth week ahead), for the model
and the baselines (seasonal naive; mean and median of the last 4, 8, 12, 20
same weekdays): WAPE, MAPE of daily totals, bias, p10-p90 coverage; and the
intraday re-forecast by the hour it is made. --intraday-until re-forecasts
the rest of the actuals' day from how it has run so far. --alert-above adds
a column `alert` (1 when the forecast exceeds CALLS) and lists those
intervals on stderr.)";

constexpr const char* kWeekdayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};

std::string number(double v) { return fmt::format("{:.6g}", v); }

void report_alerts(const wfm::ForecastTable& t, double alert_above) {
  if (alert_above < 0) return;
  int n = 0;
  for (std::size_t i = 0; i < t.start.size(); ++i)
    if (t.calls[i] > alert_above) {
      std::cerr << "alert: " << format_timestamp(t.start[i]) << " forecast " << number(t.calls[i]) << " > " << number(alert_above) << "\n";
      ++n;
    }
  std::cerr << "switchboard forecast: " << n << " interval(s) above " << number(alert_above) << "\n";
}

// "a,b,c" -> values; false when an item is not a number.
template <typename T>
bool parse_list(const std::string& text, std::vector<T>& out) {
  std::stringstream list(text);
  std::string item;
  out.clear();
  while (std::getline(list, item, ',')) {
    std::istringstream in(item);
    T v{};
    char tail = 0;
    if (!(in >> v) || (in >> tail)) return false;
    out.push_back(v);
  }
  return !out.empty();
}

nlohmann::json score_json(const wfm::Score& s) {
  nlohmann::json j{{"wape", s.wape}, {"mape_daily", s.mape_daily}, {"bias", s.bias}, {"days", s.days}};
  if (s.has_quantiles) {
    j["coverage_p10_p90"] = s.coverage_p10_p90;
    j["below_p10"] = s.below_p10;
    j["below_p90"] = s.below_p90;
  }
  return j;
}

std::string horizon_name(int h) {
  if (h % 7 == 0) return h == 7 ? "1 week" : std::to_string(h / 7) + " weeks";
  return h == 1 ? "1 day" : std::to_string(h) + " days";
}

void print_backtest(const wfm::RollingBacktest& b, bool json) {
  if (json) {
    nlohmann::json j{{"scored_from", format_date(b.scored_from)}, {"scored_to", format_date(b.scored_to)}, {"weeks", b.weeks},
                     {"origin_weekday", kWeekdayNames[b.origin_weekday]}};
    j["horizons"] = nlohmann::json::array();
    for (const auto& h : b.horizons) {
      nlohmann::json methods;
      for (const auto& m : h.methods) methods[m.method] = score_json(m.score);
      j["horizons"].push_back({{"horizon_days", h.horizon}, {"origins", h.origins}, {"best_baseline", h.best_baseline().method},
                               {"methods", methods}});
    }
    j["intraday"] = nlohmann::json::array();
    for (const auto& r : b.intraday)
      j["intraday"].push_back({{"until", format_timestamp(r.until).substr(11, 5)}, {"days", r.days}, {"wape_plan", r.wape_plan},
                               {"wape_reforecast", r.wape_reforecast}, {"wape_full_scale", r.wape_full_scale}});
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << fmt::format("rolling origins: a forecast every {}; scored {} to {} ({} weeks)\n", kWeekdayNames[b.origin_weekday],
                           format_date(b.scored_from), format_date(b.scored_to), b.weeks);
  std::cout << fmt::format("{:<9} {:<26} {:>7} {:>7} {:>7} {:>8}\n", "horizon", "method", "WAPE", "MAPE-d", "bias", "p10-p90");
  for (const auto& h : b.horizons) {
    const std::string best = h.best_baseline().method;
    for (const auto& m : h.methods) {
      std::string row = fmt::format("{:<9} {:<26} {:>7.4f} {:>7.4f} {:>+7.4f}", horizon_name(h.horizon),
                                    m.method + (m.method == best ? " *" : ""), m.score.wape, m.score.mape_daily, m.score.bias);
      if (m.score.has_quantiles) row += fmt::format(" {:>8.3f}", m.score.coverage_p10_p90);
      std::cout << row << "\n";
    }
  }
  std::cout << "* best baseline at that horizon\n";
  if (!b.intraday.empty()) {
    std::cout << fmt::format("intraday re-forecast, WAPE of the rest of the day ({} days)\n", b.intraday.front().days);
    std::cout << fmt::format("{:<6} {:>8} {:>10} {:>11}\n", "until", "plan", "reforecast", "full-scale");
    for (const auto& r : b.intraday)
      std::cout << fmt::format("{:<6} {:>8.4f} {:>10.4f} {:>11.4f}\n", format_timestamp(r.until).substr(11, 5), r.wape_plan,
                               r.wape_reforecast, r.wape_full_scale);
  }
}

}  // namespace

int forecast(const Args& args) {
  return guarded("forecast", [&] {
    std::string history_path, start_text, out, actuals_path, until_text, holidays_text, horizons_text = "1,7,28",
                quantiles_text = "0.1,0.5,0.9", history_until, halflife_text, origin_weekday_text = "mon";
    int days = 0, backtest_weeks = 0, combine_weeks = -1;
    double alert_above = -1, effect_prior = -1, next_day_carry = -1;
    po::options_description options("options");
    options.add_options()
      ("history", po::value(&history_path)->required(), "timestamp,calls CSV of past volumes")
      ("start", po::value(&start_text), "first day to forecast, YYYY-MM-DD (after the history)")
      ("days", po::value(&days), "calendar days to forecast")
      ("out", po::value(&out), "output CSV (written atomically); stdout when absent")
      ("holidays", po::value(&holidays_text), "closed days, comma-separated YYYY-MM-DD")
      ("quantiles", po::value(&quantiles_text), "quantile columns, comma-separated levels in (0, 1) (default 0.1,0.5,0.9)")
      ("backtest", po::value(&backtest_weeks), "rolling-origin backtest over the last WEEKS weeks of history")
      ("horizons", po::value(&horizons_text), "backtest horizons, comma-separated calendar days (default 1,7,28)")
      ("json", "backtest: print JSON")
      ("history-until", po::value(&history_until), "backtest: use only the history before this day (YYYY-MM-DD)")
      ("origin-weekday", po::value(&origin_weekday_text), "backtest: the origins' weekday, mon..fri (default mon; other days check robustness)")
      ("level-halflife", po::value(&halflife_text), "model: level half-lives in business days, SHORT,LONG (leads up to / beyond a week; default 20,20), or auto: chosen at each fit by its own backtest")
      ("effect-prior", po::value(&effect_prior), "model: pseudo-days at no effect behind each calendar effect (shrinkage)")
      ("next-day-carry", po::value(&next_day_carry), "model: share of the last days' deviation from the level carried into the next business day when it follows at once (default 0.75)")
      ("combine-weeks", po::value(&combine_weeks), "model: beyond a week, combine the day total with the mean of the last K same weekdays (weights from its own backtest; default 0: off)")
      ("intraday-until", po::value(&until_text), "re-forecast the actuals' day from its intervals before HH:MM")
      ("actuals", po::value(&actuals_path), "the day so far, timestamp,calls")
      ("alert-above", po::value(&alert_above), "flag intervals whose forecast exceeds this many calls");
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, po::positional_options_description(), vm)) return kExitOk;
    if (!out.empty()) check_output_file(out, "--out");
    require_flag(!vm.count("alert-above") || (std::isfinite(alert_above) && alert_above >= 0), "--alert-above", "a number of calls >= 0");
    const int modes = (vm.count("start") || vm.count("days") ? 1 : 0) + (vm.count("backtest") ? 1 : 0) + (vm.count("intraday-until") ? 1 : 0);
    require_flag(!vm.count("origin-weekday") || vm.count("backtest"), "--origin-weekday", "a weekday mon..fri, with --backtest");
    require_flag(modes == 1, "--start", "one of: --start with --days, --backtest WEEKS, or --intraday-until with --actuals");
    std::vector<double> quantiles;
    require_flag(parse_list(quantiles_text, quantiles) &&
                     std::all_of(quantiles.begin(), quantiles.end(), [](double q) { return wfm::valid_quantile(q); }),
                 "--quantiles", "comma-separated levels strictly between 0 and 1, e.g. 0.1,0.5,0.9");
    wfm::ForecastModel model;
    if (vm.count("level-halflife") && halflife_text == "auto") {
      model.select_halflife = true;
    } else if (vm.count("level-halflife")) {
      std::vector<double> hl;
      require_flag(parse_list(halflife_text, hl) && hl.size() == 2 && hl[0] > 0 && hl[1] > 0 && std::isfinite(hl[0]) && std::isfinite(hl[1]),
                   "--level-halflife", "two half-lives in business days > 0, SHORT,LONG, or auto");
      model.level_halflife_short = hl[0];
      model.level_halflife_long = hl[1];
    }
    if (vm.count("next-day-carry")) {
      require_flag(std::isfinite(next_day_carry) && next_day_carry >= 0 && next_day_carry <= 1, "--next-day-carry", "a share from 0 to 1");
      model.carry_weight = next_day_carry;
    }
    if (vm.count("combine-weeks")) {
      require_flag(combine_weeks >= 0 && combine_weeks <= 52, "--combine-weeks", "a number of weeks from 0 to 52");
      model.combine_weeks = combine_weeks;
    }
    if (vm.count("effect-prior")) {
      require_flag(std::isfinite(effect_prior) && effect_prior >= 0, "--effect-prior", "a number of days >= 0");
      model.effect_prior = effect_prior;
    }

    wfm::History history = wfm::make_history(read_interval_series(history_path));
    if (vm.count("history-until")) {
      std::int64_t until = 0;
      require_flag(vm.count("backtest") && parse_date(history_until, until), "--history-until", "a day YYYY-MM-DD, with --backtest");
      history = wfm::truncated(history, static_cast<std::size_t>(std::lower_bound(history.days.begin(), history.days.end(), until) -
                                                                 history.days.begin()));
    }
    if (history.days.size() < 10)
      throw InputError(Problem{history_path, 0, 0, "", "expected at least two weeks of history (10 weekdays); the file has " +
                                                           std::to_string(history.days.size()) + " days"});

    if (vm.count("backtest")) {
      wfm::BacktestOptions o;
      o.model = model;
      o.weeks = backtest_weeks;
      const std::vector<std::string> weekdays{"mon", "tue", "wed", "thu", "fri"};
      const auto wd = std::find(weekdays.begin(), weekdays.end(), origin_weekday_text);
      require_flag(wd != weekdays.end(), "--origin-weekday", "one of mon, tue, wed, thu, fri");
      o.origin_weekday = static_cast<int>(wd - weekdays.begin());
      require_flag(parse_list(horizons_text, o.horizons), "--horizons", "comma-separated horizons in calendar days, e.g. 1,7,28");
      require_flag(backtest_weeks >= 1, "--backtest", "a number of weeks >= 1");
      // Too many weeks for even the next day names --backtest; else the horizon.
      wfm::BacktestOptions next_day = o;
      next_day.horizons = {1};
      const std::string weeks_problem = wfm::backtest_problem(history, next_day);
      require_flag(weeks_problem.empty(), "--backtest", weeks_problem);
      const std::string problem = wfm::backtest_problem(history, o);
      require_flag(problem.empty(), "--horizons", problem);
      print_backtest(wfm::rolling_backtest(history, o), vm.count("json") > 0);
      return kExitOk;
    }

    wfm::ForecastTable table;
    if (vm.count("intraday-until")) {
      require_flag(vm.count("actuals") > 0, "--actuals", "the day so far (timestamp,calls) with --intraday-until");
      const std::optional<double> until = parse_clock(until_text);
      require_flag(until && *until < 86400, "--intraday-until", "a clock time HH:MM");
      table = wfm::reforecast_day(history, read_interval_series(actuals_path), static_cast<std::int64_t>(*until), model);
    } else {
      wfm::ForecastRequest request;
      request.model = model;
      request.quantiles = quantiles;
      require_flag(vm.count("start") && parse_date(start_text, request.start), "--start", "a date YYYY-MM-DD");
      require_flag(vm.count("days") && days >= 1 && days <= 366, "--days", "a number of days from 1 to 366");
      request.days = days;
      require_flag(!out.empty(), "--out", "the output file");
      if (!holidays_text.empty()) {
        std::stringstream list(holidays_text);
        std::string item;
        while (std::getline(list, item, ',')) {
          std::int64_t d = 0;
          require_flag(parse_date(item, d), "--holidays", "comma-separated dates YYYY-MM-DD, got '" + item + "'");
          request.holidays.push_back(d);
        }
      }
      table = wfm::forecast_range(history, request);
      for (const auto& note : table.notes) std::cerr << "switchboard forecast: note: " << note << "\n";
    }
    const double alert = vm.count("alert-above") ? alert_above : -1;
    const std::string text = wfm::forecast_csv(table, alert);
    if (out.empty()) std::cout << text;
    else write_file_atomically(out, text);
    report_alerts(table, alert);
    return kExitOk;
  });
}

}  // namespace switchboard::cli
