#include "sim/behaviour.hpp"

#include <cmath>
#include <limits>

namespace switchboard::sim {

double sample_other(const Distribution& d, RandomStream& rng) {
  switch (d.kind) {
    case DistKind::none: return std::numeric_limits<double>::infinity();
    case DistKind::constant: return d.value;
    case DistKind::exponential: return rng.exponential(d.mean);  // sample() draws it inline
    case DistKind::lognormal: {
      // Parameters of the underlying normal from the lognormal's mean and sd.
      const double s2 = std::log1p((d.sd * d.sd) / (d.mean * d.mean));
      const double mu = std::log(d.mean) - s2 / 2;
      return std::exp(mu + std::sqrt(s2) * rng.normal());
    }
    case DistKind::gamma: {
      const double shape = (d.mean * d.mean) / (d.sd * d.sd);
      return rng.gamma(shape, d.mean / shape);
    }
    case DistKind::weibull: return d.scale * std::pow(rng.standard_exponential(), 1.0 / d.shape);
    case DistKind::empirical: {
      const auto n = d.samples.size();
      auto i = static_cast<std::size_t>(rng.uniform() * static_cast<double>(n));
      return d.samples[i < n ? i : n - 1];
    }
  }
  return 0;
}

Callers::Callers(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication)
    : scenario_(scenario), self_service_(seed, replication, Stream::self_service, 0) {
  for (std::uint32_t t = 0; t < scenario.call_types.size(); ++t) {
    types_.push_back(TypeStreams{RandomStream(seed, replication, Stream::patience, t),
                                 RandomStream(seed, replication, Stream::menu, t),
                                 RandomStream(seed, replication, Stream::tags, t),
                                 RandomStream(seed, replication, Stream::redial, t),
                                 RandomStream(seed, replication, Stream::callback, t)});
  }
}

std::uint32_t Callers::tags(int call_type) {
  std::uint32_t tags = 0;
  for (const auto& tp : scenario_.call_types[call_type].tags)
    if (types_[call_type].tags.bernoulli(tp.probability)) tags |= 1u << tp.tag;
  return tags;
}

Callers::Key Callers::menu_key(int call_type, int node) {
  const CallType& type = scenario_.call_types[call_type];
  RandomStream& rng = types_[call_type].menu;
  Key key;
  bool described = false;
  for (const auto& m : type.menus) {
    if (m.node != node) continue;
    described = true;
    const int i = choose(m.choices, [](const DigitChoice& c) { return c.probability; }, rng);
    if (i >= 0) key.digit = m.choices[i].digit;
  }
  if (!described) {
    // No behaviour given for this menu: each option equally likely.
    const auto& options = scenario_.ivr[node].options;
    key.digit = options[static_cast<std::size_t>(rng.uniform() * options.size()) % options.size()].digit;
  }
  if (key.digit != 0 && type.menu_response.kind != DistKind::none) key.after = sample(type.menu_response, rng);
  return key;
}

double Callers::patience(int call_type) {
  const Distribution& patience = scenario_.call_types[call_type].patience;
  if (patience.kind == DistKind::none) return std::numeric_limits<double>::infinity();
  return sample(patience, types_[call_type].patience);
}

bool Callers::accepts_callback(int call_type) {
  return types_[call_type].callback.bernoulli(scenario_.call_types[call_type].callback_accept);
}

Callers::Redialing Callers::redial(int call_type) {
  const Redial& r = scenario_.call_types[call_type].redial;
  RandomStream& rng = types_[call_type].redial;
  if (r.probability <= 0 || !rng.bernoulli(r.probability)) return {};
  return {true, r.delay.kind == DistKind::none ? 0 : sample(r.delay, rng)};
}

Callers::SelfService Callers::self_service(int node) {
  const IvrNode& n = scenario_.ivr[node];
  SelfService s;
  s.duration = n.service_time.kind == DistKind::none ? 0 : sample(n.service_time, self_service_);
  s.success = self_service_.bernoulli(n.success_probability);
  return s;
}

void Callers::skip_self_service(int node, std::uint64_t visits) {
  for (std::uint64_t v = 0; v < visits; ++v) self_service(node);  // the same draws the day made
}

BackOffice::BackOffice(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication)
    : scenario_(scenario), work_(seed, replication, Stream::ticket_work, 0) {}

double BackOffice::ticket_work(int category) { return sample(scenario_.ticket_categories[category].work_time, work_); }

}  // namespace switchboard::sim
