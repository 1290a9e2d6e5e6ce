// `switchboard forecast`: volumes per interval for the next days, a
// backtest against baselines, and an intraday re-forecast with alerts.
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "core/interval_series.hpp"
#include "wfm/forecast.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {

const char* kUsage = R"(usage: switchboard forecast --history FILE.csv --start YYYY-MM-DD --days N --out FILE.csv [--holidays D,...] [--alert-above CALLS]
       switchboard forecast --history FILE.csv --backtest K [--json]
       switchboard forecast --history FILE.csv --intraday-until HH:MM --actuals FILE.csv [--out FILE.csv] [--alert-above CALLS]

History and output are `timestamp,calls` CSVs on the history's intraday grid.
The forecast covers every day from --start for --days calendar days that
falls on a weekday the history covers, except --holidays (closed days); the
weekday after a holiday gets the after-holiday uplift learned from the
history. --backtest K forecasts each of the last K days from the days before
it and prints WAPE and MAPE of the model and of two baselines (seasonal
naive: the same weekday a week before; the mean of the last 8 same
weekdays). --intraday-until re-forecasts the rest of the actuals' day from
how it has run so far. --alert-above adds a column `alert` (1 when the
forecast exceeds CALLS) and lists those intervals on stderr.)";

constexpr std::int64_t kDay = 86400;

std::string number(double v) { return fmt::format("{:.6g}", v); }

std::string series_csv(const std::vector<std::int64_t>& start, const std::vector<double>& calls, double alert_above) {
  std::string text = alert_above >= 0 ? "timestamp,calls,alert\n" : "timestamp,calls\n";
  for (std::size_t i = 0; i < start.size(); ++i) {
    text += format_timestamp(start[i]) + "," + number(calls[i]);
    if (alert_above >= 0) text += calls[i] > alert_above ? ",1" : ",0";
    text += "\n";
  }
  return text;
}

void report_alerts(const std::vector<std::int64_t>& start, const std::vector<double>& calls, double alert_above) {
  if (alert_above < 0) return;
  int n = 0;
  for (std::size_t i = 0; i < start.size(); ++i)
    if (calls[i] > alert_above) {
      std::cerr << "alert: " << format_timestamp(start[i]) << " forecast " << number(calls[i]) << " > " << number(alert_above) << "\n";
      ++n;
    }
  std::cerr << "switchboard forecast: " << n << " interval(s) above " << number(alert_above) << "\n";
}

}  // namespace

int forecast(const Args& args) {
  return guarded("forecast", [&] {
    std::string history_path, start_text, out, actuals_path, until_text, holidays_text;
    int days = 0, backtest_days = 0;
    double alert_above = -1;
    po::options_description options("options");
    options.add_options()
      ("history", po::value(&history_path)->required(), "timestamp,calls CSV of past volumes")
      ("start", po::value(&start_text), "first day to forecast, YYYY-MM-DD (after the history)")
      ("days", po::value(&days), "calendar days to forecast (1-366)")
      ("out", po::value(&out), "output CSV (written atomically); stdout when absent")
      ("holidays", po::value(&holidays_text), "closed days, comma-separated YYYY-MM-DD")
      ("backtest", po::value(&backtest_days), "backtest over the last K days of history")
      ("json", "backtest: print JSON")
      ("intraday-until", po::value(&until_text), "re-forecast the actuals' day from its intervals before HH:MM")
      ("actuals", po::value(&actuals_path), "the day so far, timestamp,calls")
      ("alert-above", po::value(&alert_above), "flag intervals whose forecast exceeds this many calls");
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, po::positional_options_description(), vm)) return kExitOk;
    if (!out.empty()) check_output_file(out, "--out");
    require_flag(!vm.count("alert-above") || (std::isfinite(alert_above) && alert_above >= 0), "--alert-above", "a number of calls >= 0");
    const int modes = (vm.count("start") || vm.count("days") ? 1 : 0) + (vm.count("backtest") ? 1 : 0) + (vm.count("intraday-until") ? 1 : 0);
    require_flag(modes == 1, "--start", "one of: --start with --days, --backtest K, or --intraday-until with --actuals");

    const IntervalSeries series = read_interval_series(history_path);
    const wfm::History history = wfm::make_history(series);
    if (history.days.size() < 10)
      throw InputError(Problem{history_path, 0, 0, "", "expected at least two weeks of history (10 weekdays); the file has " +
                                                           std::to_string(history.days.size()) + " days"});

    if (vm.count("backtest")) {
      require_flag(backtest_days >= 1 && static_cast<std::size_t>(backtest_days) + 14 <= history.days.size(), "--backtest",
                   "a number of days from 1 to " + std::to_string(history.days.size() - 14) + " (the history keeps two weeks to learn from)");
      const wfm::Backtest b = wfm::backtest(history, backtest_days);
      if (vm.count("json")) {
        auto acc = [](const wfm::Accuracy& a) { return nlohmann::json{{"wape", a.wape}, {"mape", a.mape}}; };
        std::cout << nlohmann::json{{"days", b.days}, {"model", acc(b.model)}, {"seasonal_naive", acc(b.seasonal_naive)},
                                    {"mean_last_8_weekdays", acc(b.mean_last_8)}}.dump(2) << "\n";
      } else {
        std::cout << fmt::format("backtest over the last {} days (each forecast from the days before it)\n", b.days);
        std::cout << fmt::format("{:<24} {:>8} {:>8}\n", "", "WAPE", "MAPE");
        std::cout << fmt::format("{:<24} {:>8.4f} {:>8.4f}\n", "model", b.model.wape, b.model.mape);
        std::cout << fmt::format("{:<24} {:>8.4f} {:>8.4f}\n", "seasonal naive", b.seasonal_naive.wape, b.seasonal_naive.mape);
        std::cout << fmt::format("{:<24} {:>8.4f} {:>8.4f}\n", "mean of last 8 weekdays", b.mean_last_8.wape, b.mean_last_8.mape);
      }
      return kExitOk;
    }

    std::vector<std::int64_t> out_start;
    std::vector<double> out_calls;
    if (vm.count("intraday-until")) {
      require_flag(vm.count("actuals") > 0, "--actuals", "the day so far (timestamp,calls) with --intraday-until");
      int hh = -1, mm = -1;
      char tail = 0;
      require_flag(std::sscanf(until_text.c_str(), "%d:%d%c", &hh, &mm, &tail) == 2 && hh >= 0 && hh < 24 && mm >= 0 && mm < 60,
                   "--intraday-until", "a clock time HH:MM");
      const IntervalSeries actual = read_interval_series(actuals_path);
      const std::int64_t day = actual.start.front() - ((actual.start.front() % kDay) + kDay) % kDay;
      if (actual.start.back() >= day + kDay)
        throw InputError(Problem{actuals_path, 0, 0, "timestamp", "expected the intervals of one day only"});
      if (day <= history.days.back())
        throw InputError(Problem{actuals_path, 2, 1, "timestamp", "expected a day after the history's last day (" + format_date(history.days.back()) + ")"});
      const std::int64_t until = day + hh * 3600 + mm * 60;
      std::vector<double> known(history.slots.size(), 0.0);
      std::size_t count = 0;
      for (std::size_t s = 0; s < history.slots.size() && day + history.slots[s] < until; ++s) {
        const auto it = std::find(actual.start.begin(), actual.start.end(), day + history.slots[s]);
        if (it == actual.start.end())
          throw InputError(Problem{actuals_path, 0, 0, "timestamp", "expected the interval " + format_timestamp(day + history.slots[s]) +
                                                                        " (every interval before --intraday-until)"});
        known[s] = actual.calls[it - actual.start.begin()];
        count = s + 1;
      }
      const auto plan = wfm::forecast_day(history, history.days.size(), day);
      out_calls = wfm::reforecast_intraday(plan, known, count);
      for (auto slot : history.slots) out_start.push_back(day + slot);
    } else {
      std::int64_t start = 0;
      require_flag(vm.count("start") && parse_date(start_text, start), "--start", "a date YYYY-MM-DD");
      require_flag(start > history.days.back(), "--start", "a day after the history's last day (" + format_date(history.days.back()) + ")");
      require_flag(vm.count("days") && days >= 1 && days <= 366, "--days", "a number of days from 1 to 366");
      require_flag(!out.empty(), "--out", "the output file");
      std::vector<std::int64_t> holidays;
      if (!holidays_text.empty()) {
        std::stringstream list(holidays_text);
        std::string item;
        while (std::getline(list, item, ',')) {
          std::int64_t d = 0;
          require_flag(parse_date(item, d), "--holidays", "comma-separated dates YYYY-MM-DD, got '" + item + "'");
          holidays.push_back(d);
        }
      }
      std::set<int> weekdays;
      for (auto d : history.days) weekdays.insert(weekday(d));
      for (int k = 0; k < days; ++k) {
        const std::int64_t day = start + k * kDay;
        if (!weekdays.count(weekday(day)) || std::find(holidays.begin(), holidays.end(), day) != holidays.end()) continue;
        const auto f = wfm::forecast_day(history, history.days.size(), day, {}, holidays);
        for (std::size_t s = 0; s < f.size(); ++s) {
          out_start.push_back(day + history.slots[s]);
          out_calls.push_back(f[s]);
        }
      }
    }
    const std::string text = series_csv(out_start, out_calls, vm.count("alert-above") ? alert_above : -1);
    if (out.empty()) std::cout << text;
    else write_file_atomically(out, text);
    report_alerts(out_start, out_calls, vm.count("alert-above") ? alert_above : -1);
    return kExitOk;
  });
}

}  // namespace switchboard::cli
