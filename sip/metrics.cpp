#include "sip/metrics.hpp"

#include <algorithm>
#include <iterator>

#include <arpa/inet.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <prometheus/text_serializer.h>

#include "core/input_error.hpp"

namespace switchboard::sip {

namespace {

template <class Builder>
auto& family(Builder builder, const char* name, const char* help, prometheus::Registry& registry) {
  return builder.Name(name).Help(help).Register(registry);
}

prometheus::Labels to_labels(const MetricLabels& labels) { return {labels.begin(), labels.end()}; }

}  // namespace

Metrics::Metrics(const Scenario& scenario, const std::string& bind)
    : registry_(std::make_shared<prometheus::Registry>()),
      layout_(scenario),
      requests_(family(prometheus::BuildCounter(), "switchboard_sip_requests_total", "SIP requests received, by method (retransmissions apart)", *registry_)),
      responses_(family(prometheus::BuildCounter(), "switchboard_sip_responses_total", "SIP responses sent, by status code (retransmissions apart)", *registry_)),
      retransmissions_(family(prometheus::BuildCounter(), "switchboard_sip_retransmissions_total",
                              "SIP messages repeating an earlier one (same start line, Via branch and CSeq), by direction", *registry_)),
      retransmissions_sent_(retransmissions_.Add({{"direction", "sent"}})),
      retransmissions_received_(retransmissions_.Add({{"direction", "received"}})),
      invite_answer_(prometheus::BuildHistogram()
                         .Name("switchboard_sip_invite_answer_seconds")
                         .Help("Wall time from receiving an INVITE to sending its 200 OK")
                         .Register(*registry_)
                         .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                           0.25, 0.5, 1, 2.5, 5})),
      dialogs_(family(prometheus::BuildGauge(), "switchboard_sip_dialogs_active", "SIP dialogs with callers now", *registry_).Add({})),
      auth_failures_(family(prometheus::BuildCounter(), "switchboard_sip_auth_failures_total",
                            "REGISTER requests refused for their credentials (403), throttled ones included", *registry_).Add({})),
      connect_failures_(family(prometheus::BuildCounter(), "switchboard_sip_connect_failures_total",
                               "Connect re-INVITEs to callers that got no 2xx (refused, unanswered, unreachable)", *registry_).Add({})),
      dialogs_gone_(family(prometheus::BuildCounter(), "switchboard_sip_dialogs_gone_total",
                           "Callers' dialogs ended because the in-dialog OPTIONS probe got 408, 481 or no answer", *registry_).Add({})),
      rtp_streams_(family(prometheus::BuildGauge(), "switchboard_rtp_streams_active", "RTP prompt streams being sent now (--media rtp)", *registry_).Add({})),
      cpu_seconds_(family(prometheus::BuildCounter(), "process_cpu_seconds_total", "User and system CPU time of the server", *registry_).Add({})),
      resident_bytes_(family(prometheus::BuildGauge(), "process_resident_memory_bytes", "Resident memory of the server", *registry_).Add({})) {
  std::vector<void*> families;
  for (const MetricFamily& f : layout_.families()) {
    switch (f.type) {
      case MetricType::counter: families.push_back(&family(prometheus::BuildCounter(), f.name.c_str(), f.help.c_str(), *registry_)); break;
      case MetricType::gauge: families.push_back(&family(prometheus::BuildGauge(), f.name.c_str(), f.help.c_str(), *registry_)); break;
      case MetricType::histogram: families.push_back(&family(prometheus::BuildHistogram(), f.name.c_str(), f.help.c_str(), *registry_)); break;
    }
  }
  const prometheus::Histogram::BucketBoundaries buckets(std::begin(kWaitBuckets), std::end(kWaitBuckets));
  for (const MetricSeries& s : layout_.series()) {
    const prometheus::Labels labels = to_labels(s.labels);
    void* f = families[s.family];
    switch (layout_.families()[s.family].type) {
      case MetricType::counter: handles_.emplace_back(&static_cast<prometheus::Family<Counter>*>(f)->Add(labels)); break;
      case MetricType::gauge: handles_.emplace_back(&static_cast<prometheus::Family<prometheus::Gauge>*>(f)->Add(labels)); break;
      case MetricType::histogram:
        handles_.emplace_back(&static_cast<prometheus::Family<prometheus::Histogram>*>(f)->Add(labels, buckets));
        break;
    }
  }
  published_.assign(layout_.size(), 0.0);
  bucket_increments_.assign(std::size(kWaitBuckets) + 1, 0.0);
  if (bind.empty()) return;
  const auto colon = bind.rfind(':');
  in_addr address{};
  const std::string port = colon == std::string::npos ? "" : bind.substr(colon + 1);
  if (colon == std::string::npos || inet_pton(AF_INET, bind.substr(0, colon).c_str(), &address) != 1 || port.empty() ||
      port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535)
    throw InputError(Problem{"", 0, 0, "--metrics", "expected IPv4-ADDRESS:PORT such as 127.0.0.1:9464, or none; got '" + bind + "'"});
  bind_ = bind;
}

void Metrics::serve() {
  if (bind_.empty() || exposer_ != nullptr) return;
  const std::string& bind = bind_;
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(bind);
  } catch (const std::exception& e) {
    throw InputError(Problem{"", 0, 0, "--metrics",
                             "cannot serve metrics on " + bind + ": the port is in use or the address is not this machine's (" +
                                 std::string(e.what()) + ")"});
  }
  exposer_->RegisterCollectable(registry_);
}

void Metrics::advance(Counter& c, double value) {
  const double delta = value - c.Value();
  if (delta > 0) c.Increment(delta);
}

void Metrics::publish_process() {
  // /proc/self/stat: utime and stime are fields 14 and 15, after the
  // parenthesised command name (which may hold spaces).
  std::ifstream stat("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(text.substr(close + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) fields >> skip;  // state .. cmajflt
    double utime = 0, stime = 0;
    if (fields >> utime >> stime) advance(cpu_seconds_, (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK)));
  }
  std::ifstream statm("/proc/self/statm");
  double pages = 0, resident = 0;
  if (statm >> pages >> resident) resident_bytes_.Set(resident * static_cast<double>(sysconf(_SC_PAGESIZE)));
}

void Metrics::publish(const CallCenter& core, double now) {
  publish_process();
  layout_.fill(core, now, values_);
  const auto& series = layout_.series();
  for (std::size_t i = 0; i < series.size(); ++i) {
    const std::size_t at = series[i].slot;
    if (auto* c = std::get_if<Counter*>(&handles_[i])) {
      advance(**c, values_[at]);
    } else if (auto* g = std::get_if<prometheus::Gauge*>(&handles_[i])) {
      (*g)->Set(values_[at]);
    } else {
      // The core keeps cumulative bucket counts; prometheus-cpp takes the
      // new observations per bucket. Counts only grow (see advance).
      const std::size_t buckets = bucket_increments_.size();
      bool grew = false;
      for (std::size_t b = 0; b < buckets; ++b) {
        const double cumulative = values_[at + b] - published_[at + b];
        const double below = b == 0 ? 0.0 : values_[at + b - 1] - published_[at + b - 1];
        bucket_increments_[b] = std::max(0.0, cumulative - below);
        grew = grew || bucket_increments_[b] > 0;
      }
      if (!grew) continue;
      std::get<prometheus::Histogram*>(handles_[i])->ObserveMultiple(bucket_increments_, values_[at + buckets] - published_[at + buckets]);
      std::copy(values_.begin() + at, values_.begin() + at + buckets + 1, published_.begin() + at);
    }
  }
}

void Metrics::forecast(const std::vector<ForecastInterval>& day, double now, double day_length) {
  auto gauge = [&](const char* name, const char* help) -> prometheus::Gauge& {
    return family(prometheus::BuildGauge(), name, help, *registry_).Add({});
  };
  if (!forecast_)
    forecast_.reset(new ForecastGauges{
        gauge("switchboard_forecast_calls_next_2h", "Calls forecast for the intervals of the next two hours (serve --forecast)"),
        gauge("switchboard_forecast_agents_short_next_2h",
              "Agents required (Erlang A) less agents planned, at the worst interval of the next two hours; <= 0: none short"),
        gauge("switchboard_forecast_calls", "Calls forecast for the current interval"),
        gauge("switchboard_forecast_agents_required", "Agents required (Erlang A) for the current interval's forecast"),
        gauge("switchboard_forecast_agents_planned", "Agents the scenario's staffing plans for the current interval")});
  const double t = day_length > 0 && std::isfinite(day_length) ? std::fmod(now, day_length) : now;
  const Outlook next = outlook(day, t, 7200);
  forecast_->calls_next_2h.Set(next.calls);
  forecast_->short_next_2h.Set(next.most_short);
  for (const ForecastInterval& f : day)
    if (f.start <= t && t < f.start + f.length) {
      forecast_->calls_interval.Set(f.calls);
      forecast_->required_interval.Set(f.required);
      forecast_->planned_interval.Set(f.planned);
    }
}

std::string Metrics::text() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void Metrics::sip_request(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"INVITE", "ACK",    "BYE",     "CANCEL", "INFO",   "REGISTER", "OPTIONS",
                                                "UPDATE", "PRACK",  "REFER",   "NOTIFY", "SUBSCRIBE", "MESSAGE", "PUBLISH"};
  if (std::find(std::begin(kKnown), std::end(kKnown), method) == std::end(kKnown)) method = "other";
  auto it = request_counters_.find(method);
  if (it == request_counters_.end())
    it = request_counters_.emplace(std::string(method), &requests_.Add({{"method", std::string(method)}})).first;
  it->second->Increment();
}

void Metrics::sip_response(int code) {
  Counter*& c = response_counters_[code];
  if (c == nullptr) c = &responses_.Add({{"code", std::to_string(code)}});
  c->Increment();
}

void Metrics::invite_answered(double seconds) { invite_answer_.Observe(seconds); }
void Metrics::dialogs(int active) { dialogs_.Set(active); }

}  // namespace switchboard::sip
