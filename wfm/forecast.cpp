#include "wfm/forecast.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/input_error.hpp"

namespace switchboard::wfm {

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t midnight_of(std::int64_t t) { return t - ((t % kDay) + kDay) % kDay; }

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  const double hi = v[mid];
  if (v.size() % 2) return hi;
  return 0.5 * (hi + *std::max_element(v.begin(), v.begin() + mid));
}

// Type-7 (linear interpolation) sample quantile.
double sample_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double log_total_of(const std::vector<double>& calls) { return std::log(std::max(sum(calls), 1.0)); }

}  // namespace

namespace {

// Triangular moving average of half-width `k` (k = 1: weights 1/4, 1/2,
// 1/4), the ends repeated.
std::vector<double> triangular_smooth(const std::vector<double>& v, int k) {
  const long n = static_cast<long>(v.size());
  std::vector<double> out(v.size());
  for (long s = 0; s < n; ++s) {
    double a = 0, w = 0;
    for (long j = -k; j <= k; ++j) {
      const double weight = k + 1 - std::abs(j);
      a += weight * v[static_cast<std::size_t>(std::clamp(s + j, 0L, n - 1))];
      w += weight;
    }
    out[static_cast<std::size_t>(s)] = a / w;
  }
  return out;
}

}  // namespace

// The common shape of the last profile_weeks weeks' days (every weekday:
// many days, little noise), times the weekday's own departure from it (its
// last profile_weeks days' shares over the common ones), smoothed over
// weekday_shape_minutes either side: what differs between weekdays is
// smooth over the day (a busier Monday morning), and the interval-to-
// interval wiggles of a dozen days are noise. Sums to 1.
std::vector<double> intraday_profile(const History& h, std::size_t use_days, int wd, const ForecastModel& m) {
  const std::size_t slots = h.slots.size();
  auto shares = [&](bool only_weekday) {
    std::vector<double> p(slots, 0.0);
    std::size_t used = 0;
    const std::size_t limit = static_cast<std::size_t>(m.profile_weeks) * (only_weekday ? 1 : 5);
    for (std::size_t d = use_days; d-- > 0 && used < limit;) {
      if (only_weekday && weekday(h.days[d]) != wd) continue;
      const double t = sum(h.calls[d]);
      if (t <= 0) continue;
      for (std::size_t s = 0; s < slots; ++s) p[s] += h.calls[d][s] / t;
      ++used;
    }
    if (used > 0)
      for (auto& v : p) v /= static_cast<double>(used);
    return std::make_pair(p, used);
  };
  const auto [common, common_n] = shares(false);
  const auto [own, own_n] = shares(true);
  std::vector<double> profile = triangular_smooth(common, 1);
  if (own_n > 0) {
    std::vector<double> departure(slots, 1.0);
    for (std::size_t s = 0; s < slots; ++s)
      if (common[s] > 0) departure[s] = own[s] / common[s];
    const int k = h.step > 0 ? static_cast<int>(std::lround(m.weekday_shape_minutes * 60 / static_cast<double>(h.step))) : 0;
    departure = triangular_smooth(departure, std::max(k, 0));
    for (std::size_t s = 0; s < slots; ++s) profile[s] *= departure[s];
  }
  const double norm = sum(profile);
  for (auto& v : profile) v = norm > 0 ? v / norm : 0;
  return profile;
}

History make_history(const IntervalSeries& s) {
  History h;
  h.source = s.source;
  h.step = s.step;
  std::vector<std::vector<std::int64_t>> day_slots;
  std::vector<std::size_t> first_row;
  for (std::size_t i = 0; i < s.start.size(); ++i) {
    const std::int64_t day = midnight_of(s.start[i]);
    if (h.days.empty() || h.days.back() != day) {
      h.days.push_back(day);
      h.calls.emplace_back();
      day_slots.emplace_back();
      first_row.push_back(i);
    }
    h.calls.back().push_back(s.calls[i]);
    day_slots.back().push_back(s.start[i] - day);
  }
  if (h.days.empty()) return h;
  // A few absent weekdays are missing data (or holidays); a longer run is
  // not a history to learn a level and a weekly pattern from.
  for (std::size_t d = 1; d < h.days.size(); ++d) {
    int missing = 0;
    for (std::int64_t x = h.days[d - 1] + kDay; x < h.days[d]; x += kDay)
      if (weekday(x) < 5 && !is_us_federal_holiday(x)) ++missing;
    if (missing > kMaxMissingWeekdays)
      throw InputError(Problem{s.source, static_cast<int>(first_row[d]) + 2, 1, "timestamp",
                               format_date(h.days[d]) + " follows " + format_date(h.days[d - 1]) + " with " +
                                   std::to_string(missing) + " weekdays missing between them (not US federal holidays); expected at most " +
                                   std::to_string(kMaxMissingWeekdays) + " in a row"});
  }
  h.slots = day_slots.front();
  for (std::size_t d = 1; d < h.days.size(); ++d) {
    if (day_slots[d] != h.slots)
      throw InputError(Problem{s.source, static_cast<int>(first_row[d]) + 2, 1, "timestamp",
                               format_date(h.days[d]) + " has " + std::to_string(day_slots[d].size()) +
                                   " intervals from " + format_timestamp(h.days[d] + day_slots[d].front()).substr(11, 5) +
                                   "; expected the intraday grid of the first day (" + std::to_string(h.slots.size()) +
                                   " intervals from " + format_timestamp(h.days[0] + h.slots.front()).substr(11, 5) + ")"});
  }
  return h;
}

History truncated(const History& h, std::size_t use_days) {
  History t = h;
  t.days.resize(std::min(use_days, h.days.size()));
  t.calls.resize(t.days.size());
  return t;
}

std::set<std::int64_t> closed_days(const History& h, const std::vector<std::int64_t>& extra) {
  std::set<std::int64_t> out(extra.begin(), extra.end());
  if (h.days.empty()) return out;
  std::size_t next = 0;
  for (std::int64_t d = h.days.front(); d <= h.days.back(); d += kDay) {
    while (next < h.days.size() && h.days[next] < d) ++next;
    const bool absent = next >= h.days.size() || h.days[next] != d;
    if (absent && weekday(d) < 5 && is_us_federal_holiday(d)) out.insert(d);
  }
  return out;
}

std::int64_t previous_weekday(std::int64_t day) {
  std::int64_t d = day - kDay;
  while (weekday(d) >= 5) d -= kDay;
  return d;
}

int lead_bucket(int lead_days) { return std::clamp((lead_days - 1) / 7, 0, kLeadBuckets - 1); }

double DayModel::log_total(std::int64_t day, int lead_days, const BusinessCalendar& cal) const {
  double y = (lead_days <= 7 ? level_short : level_long) + weekday[weekday_index(day)] + (day == carry_day ? carry : 0.0);
  const unsigned flags = cal.effects(day);
  for (int k = 0; k < kCalendarEffects; ++k)
    if (flags & (1u << k)) y += effect[k];
  return y;
}

int DayModel::weekday_index(std::int64_t day) { return switchboard::weekday(day); }

DayModel fit_day_model(const History& h, std::size_t n, const BusinessCalendar& cal, const ForecastModel& m) {
  DayModel out;
  if (n == 0) return out;
  std::vector<double> y(n), lvl(n), r(n);
  std::vector<unsigned> flags(n);
  std::vector<int> wd(n);
  for (std::size_t d = 0; d < n; ++d) {
    y[d] = log_total_of(h.calls[d]);
    flags[d] = cal.effects(h.days[d]);
    wd[d] = weekday(h.days[d]);
  }
  auto effects_of = [&](std::size_t d, int skip) {
    double e = 0;
    for (int k = 0; k < kCalendarEffects; ++k)
      if (k != skip && (flags[d] & (1u << k))) e += out.effect[k];
    return e;
  };
  // Backfitting: a local (centred, two-sided) level, then the weekday and
  // calendar factors as mean log ratios against it, repeated until stable.
  // The local level absorbs slow swings, so a factor is measured against
  // the weeks around its own days, not against the whole season.
  const std::size_t half = static_cast<std::size_t>(std::max(1, m.factor_window));
  for (int pass = 0; pass < 12; ++pass) {
    for (std::size_t d = 0; d < n; ++d) r[d] = y[d] - out.weekday[wd[d]] - effects_of(d, -1);
    // The local level stands on ordinary days (no calendar effect) where
    // the window has any: an effect measured against a level its own days
    // have raised would come out too small.
    std::vector<double> prefix(n + 1, 0.0), plain(n + 1, 0.0), plain_n(n + 1, 0.0);
    for (std::size_t d = 0; d < n; ++d) {
      prefix[d + 1] = prefix[d] + r[d];
      plain[d + 1] = plain[d] + (flags[d] ? 0 : r[d]);
      plain_n[d + 1] = plain_n[d] + (flags[d] ? 0 : 1);
    }
    for (std::size_t d = 0; d < n; ++d) {
      const std::size_t lo = d >= half ? d - half : 0, hi = std::min(n, d + half + 1);
      const double ordinary = plain_n[hi] - plain_n[lo];
      lvl[d] = ordinary > 0 ? (plain[hi] - plain[lo]) / ordinary : (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo);
    }
    std::array<double, 7> ws{}, wn{};
    for (std::size_t d = 0; d < n; ++d) {
      ws[wd[d]] += y[d] - lvl[d] - effects_of(d, -1);
      wn[wd[d]] += 1;
    }
    double mean = 0, seen = 0;
    for (int k = 0; k < 7; ++k)
      if (wn[k] > 0) {
        out.weekday[k] = ws[k] / wn[k];
        mean += out.weekday[k];
        seen += 1;
      }
    for (int k = 0; k < 7; ++k)
      if (wn[k] > 0) out.weekday[k] -= mean / seen;
    for (int k = 0; k < kCalendarEffects; ++k) {
      double es = 0, en = 0;
      for (std::size_t d = 0; d < n; ++d)
        if (flags[d] & (1u << k)) {
          es += y[d] - lvl[d] - out.weekday[wd[d]] - effects_of(d, k);
          en += 1;
        }
      out.effect[k] = en + m.effect_prior > 0 ? es / (en + m.effect_prior) : 0;  // shrunk towards no effect
    }
  }
  // The level: deseasonalised log totals, clipped at 3 robust deviations
  // from the local level (an unexplained spike moves it little), averaged
  // with exponential weights by age in business days.
  std::vector<double> dev(n);
  for (std::size_t d = 0; d < n; ++d) {
    r[d] = y[d] - out.weekday[wd[d]] - effects_of(d, -1);
    dev[d] = std::abs(r[d] - lvl[d]);
  }
  const double limit = 3 * 1.4826 * std::max(median(dev), 1e-6);
  auto level = [&](double halflife) {
    double s = 0, w = 0;
    for (std::size_t d = 0; d < n; ++d) {
      const double x = std::clamp(r[d], lvl[d] - limit, lvl[d] + limit);
      const double weight = std::pow(0.5, static_cast<double>(n - 1 - d) / std::max(halflife, 0.1));
      s += weight * x;
      w += weight;
    }
    return s / w;
  };
  out.level_short = level(m.level_halflife_short);
  out.level_long = level(m.level_halflife_long);
  // The last days' deviation from the level persists into the next
  // business day when it follows at once; over a weekend or a closure it
  // did not (docs/forecast.md, "How the parameters were chosen").
  const std::int64_t next = h.days[n - 1] + kDay;
  if (m.carry_weight > 0 && cal.is_business_day(next)) {
    double s = 0, w = 0;
    for (std::size_t d = 0; d < n; ++d) {
      const double x = std::clamp(r[d], lvl[d] - limit, lvl[d] + limit);
      const double weight = std::pow(0.5, static_cast<double>(n - 1 - d) / std::max(m.carry_halflife, 0.1));
      s += weight * (x - out.level_short);
      w += weight;
    }
    out.carry = m.carry_weight * s / w;
    out.carry_day = next;
  }
  out.halflife_short = m.level_halflife_short;
  out.halflife_long = m.level_halflife_long;
  for (double hl : m.level_halflife_candidates) out.candidate_levels.push_back(level(hl));
  out.fitted = true;
  return out;
}

namespace {

double effects_sum(const DayModel& fit, unsigned flags) {
  double e = 0;
  for (int k = 0; k < kCalendarEffects; ++k)
    if (flags & (1u << k)) e += fit.effect[k];
  return e;
}

}  // namespace

double weekday_mean_log_total(const History& h, std::size_t use_days, std::int64_t day, const DayModel& fit,
                              const BusinessCalendar& cal, int weeks) {
  const int wd = weekday(day);
  double s = 0;
  int n = 0;
  for (std::size_t d = std::min(use_days, h.days.size()); d-- > 0 && n < weeks;)
    if (weekday(h.days[d]) == wd) {
      s += log_total_of(h.calls[d]) - effects_sum(fit, cal.effects(h.days[d]));
      ++n;
    }
  return n > 0 ? s / n + effects_sum(fit, cal.effects(day)) : std::numeric_limits<double>::quiet_NaN();
}

double DayForecast::total() const { return sum(mean); }

Forecaster::Forecaster(const History& h, std::size_t use_days, std::set<std::int64_t> closed, const ForecastModel& m)
    : h_(h), use_days_(std::min(use_days, h.days.size())), m_(m), calendar_(std::move(closed)) {
  if (use_days_ == 0) return;
  origin_ = h.days[use_days_ - 1] + kDay;
  model_ = fit_day_model(h, use_days_, calendar_, m_);
  // The error model: the day model's own rolling backtest on the days
  // learned from, one origin at the start of each week.
  // errors[c][b]: log errors at lead bucket b with the level of candidate
  // half-life c; the last entry is the fixed pair.
  const std::size_t candidates = m_.level_halflife_candidates.size();
  std::vector<std::array<std::vector<double>, kLeadBuckets>> by_candidate(candidates + 1);
  // The same-weekday mean's errors beyond a week, in the same order.
  std::array<std::vector<double>, kLeadBuckets> weekday_mean_errors;
  const std::size_t first = static_cast<std::size_t>(std::max(m_.min_train_days, 1));
  // The next-day carry's own errors: in each week one more origin, on
  // Tuesday to Friday in turn, scored on its carry day only.
  std::vector<double> carry_errors;
  int week = 0;
  for (std::size_t i = first; i < use_days_; ++i) {
    if (weekday(h.days[i]) > weekday(h.days[i - 1]) && h.days[i] - h.days[i - 1] < 7 * kDay) continue;  // not a new week
    const std::size_t k = i + static_cast<std::size_t>(week++ % 4) + 1;
    if (m_.carry_weight > 0 && k < use_days_ && weekday(h.days[k]) > weekday(h.days[i])) {
      const DayModel fit = fit_day_model(h, k, calendar_, m_);
      if (fit.carry_day == h.days[k]) carry_errors.push_back(log_total_of(h.calls[k]) - fit.log_total(h.days[k], 1, calendar_));
    }
    const DayModel fit = fit_day_model(h, i, calendar_, m_);
    const std::int64_t origin = h.days[i - 1] + kDay;
    for (std::size_t j = i; j < use_days_; ++j) {
      const int lead = static_cast<int>((h.days[j] - origin) / kDay) + 1;
      if (lead > 7 * kLeadBuckets) break;
      const double y = log_total_of(h.calls[j]);
      const double seasonal = fit.log_total(h.days[j], lead, calendar_) - (lead <= 7 ? fit.level_short : fit.level_long);
      for (std::size_t c = 0; c < candidates; ++c) by_candidate[c][lead_bucket(lead)].push_back(y - seasonal - fit.candidate_levels[c]);
      const double model_y = fit.log_total(h.days[j], lead, calendar_);
      by_candidate[candidates][lead_bucket(lead)].push_back(y - model_y);
      if (lead > 7 && m_.combine_weeks > 0) {
        const double mean_y = weekday_mean_log_total(h, i, h.days[j], fit, calendar_, m_.combine_weeks);
        weekday_mean_errors[lead_bucket(lead)].push_back(y - (std::isnan(mean_y) ? model_y : mean_y));
      }
    }
  }
  // The half-life with the smallest mean absolute log error, per lead
  // group, once the inner backtest has enough errors to tell.
  std::size_t short_choice = candidates, long_choice = candidates;
  if (m_.select_halflife && candidates > 0) {
    auto best = [&](int from_bucket, int to_bucket) {
      std::size_t choice = candidates;
      double best_error = 0;
      for (std::size_t c = 0; c < candidates; ++c) {
        double e = 0, n = 0;
        for (int b = from_bucket; b <= to_bucket; ++b)
          for (double x : by_candidate[c][b]) {
            e += std::abs(x);
            n += 1;
          }
        if (n < 10) return candidates;
        if (choice == candidates || e / n < best_error) {
          choice = c;
          best_error = e / n;
        }
      }
      return choice;
    };
    short_choice = best(0, 0);
    long_choice = best(1, kLeadBuckets - 1);
    if (long_choice == candidates) long_choice = short_choice;
  }
  if (short_choice < candidates) {
    model_.level_short = model_.candidate_levels[short_choice];
    model_.halflife_short = m_.level_halflife_candidates[short_choice];
  }
  if (long_choice < candidates) {
    model_.level_long = model_.candidate_levels[long_choice];
    model_.halflife_long = m_.level_halflife_candidates[long_choice];
  }
  std::array<std::vector<double>, kLeadBuckets> errors;
  for (int b = 0; b < kLeadBuckets; ++b) errors[b] = by_candidate[b == 0 ? short_choice : long_choice][b];
  // Beyond a week: Bates-Granger's weight on the same-weekday mean, from
  // both forecasters' inner errors (inverse mean squared error; the
  // covariance is left out, as its estimate is noisy). On the log scale the
  // combination's error is the same combination of the two errors, so the
  // quantiles below are those of the combined forecast.
  if (m_.combine_weeks > 0) {
    double model_sq = 0, mean_sq = 0;
    std::size_t n = 0;
    for (int b = 1; b < kLeadBuckets; ++b)
      for (std::size_t e = 0; e < errors[b].size(); ++e) {
        model_sq += errors[b][e] * errors[b][e];
        mean_sq += weekday_mean_errors[b][e] * weekday_mean_errors[b][e];
        ++n;
      }
    if (n >= 10 && model_sq + mean_sq > 0) errors_.combine_weight = model_sq / (model_sq + mean_sq);
    const double w = errors_.combine_weight;
    for (int b = 1; b < kLeadBuckets; ++b)
      for (std::size_t e = 0; e < errors[b].size(); ++e) errors[b][e] = (1 - w) * errors[b][e] + w * weekday_mean_errors[b][e];
  }
  std::vector<double> pooled;
  double lo_prev = 0, hi_prev = 0;
  for (int b = 0; b < kLeadBuckets; ++b) {
    pooled.insert(pooled.end(), errors[b].begin(), errors[b].end());
    // Few samples (a short history, the longest leads): the bucket borrows
    // the shorter leads' errors too.
    const std::vector<double>& use = errors[b].size() >= 10 ? errors[b] : pooled;
    errors_.samples[b] = static_cast<int>(use.size());
    if (use.size() >= 10) {
      errors_.q10[b] = sample_quantile(use, 0.1);
      errors_.q50[b] = sample_quantile(use, 0.5);
      errors_.q90[b] = sample_quantile(use, 0.9);
    } else {  // no backtest to speak of: a wide, symmetric guess
      errors_.q10[b] = -0.12;
      errors_.q50[b] = 0;
      errors_.q90[b] = 0.12;
    }
    // Uncertainty does not shrink with the lead.
    const double lo = std::max(errors_.q50[b] - errors_.q10[b], lo_prev), hi = std::max(errors_.q90[b] - errors_.q50[b], hi_prev);
    errors_.q10[b] = errors_.q50[b] - lo;
    errors_.q90[b] = errors_.q50[b] + hi;
    lo_prev = lo;
    hi_prev = hi;
  }
  errors_.carry_samples = static_cast<int>(carry_errors.size());
  if (carry_errors.size() >= 10) {
    errors_.carry_q10 = sample_quantile(carry_errors, 0.1);
    errors_.carry_q50 = sample_quantile(carry_errors, 0.5);
    errors_.carry_q90 = sample_quantile(carry_errors, 0.9);
  }
  // Overdispersion of interval counts around the day's own total spread by
  // the profile (Poisson: 1), out of sample: each of the last four weeks'
  // days against the profile of the days before it, so the profile's own
  // error is in it too.
  double dispersion = 0, cells = 0;
  for (std::size_t d = use_days_ > 20 ? use_days_ - 20 : 1; d < use_days_; ++d) {
    const auto p = intraday_profile(h, d, weekday(h.days[d]), m_);
    const double t = sum(h.calls[d]);
    for (std::size_t s = 0; s < h.slots.size(); ++s) {
      const double e = p[s] * t;
      if (e <= 0.5) continue;
      dispersion += (h.calls[d][s] - e) * (h.calls[d][s] - e) / e;
      cells += 1;
    }
  }
  errors_.overdispersion = cells > 0 ? std::max(1.0, dispersion / cells) : 1.0;
}

DayForecast Forecaster::day(std::int64_t midnight) const {
  DayForecast f;
  f.day = midnight;
  f.lead = static_cast<int>((midnight - origin_) / kDay) + 1;
  f.mean.assign(h_.slots.size(), 0.0);
  if (!model_.fitted) return f;
  double log_total = model_.log_total(midnight, f.lead, calendar_);
  if (f.lead > 7 && errors_.combine_weight > 0) {
    const double mean_y = weekday_mean_log_total(h_, use_days_, midnight, model_, calendar_, m_.combine_weeks);
    if (!std::isnan(mean_y)) log_total = (1 - errors_.combine_weight) * log_total + errors_.combine_weight * mean_y;
  }
  const double total = std::exp(log_total);
  const auto p = intraday_profile(h_, use_days_, weekday(midnight), m_);
  for (std::size_t s = 0; s < p.size(); ++s) f.mean[s] = total * p[s];
  return f;
}

std::vector<double> Forecaster::quantile(const DayForecast& f, double q) const {
  const int b = lead_bucket(f.lead);
  const double z = boost::math::quantile(boost::math::normal(), q);
  // The day's error (empirical, each side its own spread) and the
  // interval's own noise (overdispersed Poisson) added on the log scale.
  // The carry day has its own, narrower errors once there are enough.
  const bool carried = f.day == model_.carry_day && errors_.carry_samples >= 10;
  const double q10 = carried ? errors_.carry_q10 : errors_.q10[b], q50 = carried ? errors_.carry_q50 : errors_.q50[b],
               q90 = carried ? errors_.carry_q90 : errors_.q90[b];
  const double side = q < 0.5 ? q50 - q10 : q90 - q50;
  const double day_sd = side / 1.2815515655446004;
  std::vector<double> out(f.mean.size());
  for (std::size_t s = 0; s < out.size(); ++s) {
    const double sd = std::sqrt(day_sd * day_sd + errors_.overdispersion / std::max(f.mean[s], 0.5));
    out[s] = f.mean[s] * std::exp(q50 + z * sd);
  }
  return out;
}

std::vector<double> reforecast_intraday(const std::vector<double>& forecast, const std::vector<double>& actual,
                                        std::size_t known, double trust) {
  double f = 0, a = 0;
  for (std::size_t s = 0; s < known && s < forecast.size(); ++s) {
    f += forecast[s];
    a += actual[s];
  }
  // The ratio so far is noisy early in the day and only partly persists:
  // its weight grows with the share of the day's forecast already seen.
  const double seen = sum(forecast) > 0 ? f / sum(forecast) : 0;
  const double weight = seen + trust > 0 ? seen / (seen + trust) : 1;
  const double scale = f > 0 ? 1 + weight * (a / f - 1) : 1;
  std::vector<double> out = forecast;
  for (std::size_t s = 0; s < out.size(); ++s) out[s] = s < known ? actual[s] : forecast[s] * scale;
  return out;
}

}  // namespace switchboard::wfm
