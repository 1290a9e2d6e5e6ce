// The server's Prometheus endpoint. Call KPIs are copied from the core's own
// accounting (core/kpi_book.hpp, defined in docs/kpis.md), never recounted
// here; the SIP layer's counters are the server's own.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "core/call_center.hpp"
#include "core/forecast_outlook.hpp"
#include "core/kpi_metrics.hpp"

namespace switchboard::sip {

class Metrics {
 public:
  // `bind`: "127.0.0.1:9464" (checked here, served from serve()); empty:
  // metrics are kept but not served.
  Metrics(const Scenario& scenario, const std::string& bind);
  // Opens the endpoint. The server calls it once its SIP listeners are up:
  // a /metrics that answers is the sign that the server takes calls (tests
  // and `loadtest --serve` wait for it).
  void serve();

  // Copies the core's KPI series (core/kpi_metrics.hpp) at scenario time `now`.
  void publish(const CallCenter& core, double now);
  // Where other parts of the server add their series (sip/ticket_metrics.hpp).
  prometheus::Registry& registry() { return *registry_; }
  // The exposition text of every metric (what GET /metrics answers).
  std::string text() const;

  // One SIP message on the wire (first time seen; retransmissions are
  // counted apart): a request by method (methods outside RFC 3261 and its
  // common extensions count as "other", so junk cannot grow the label set),
  // a response by status code.
  void sip_request(std::string_view method);
  void sip_response(int code);
  void invite_answered(double seconds);
  // A datagram repeating an earlier one (sip/retransmissions.hpp): sent by
  // the server's SIP stack, or received from a peer.
  void retransmission(bool sent) { (sent ? retransmissions_sent_ : retransmissions_received_).Increment(); }
  void dialogs(int active);
  // REGISTERs refused for bad credentials so far (sip/registrar.hpp).
  void auth_failures(double total) { advance(auth_failures_, total); }
  // A connect re-INVITE the caller refused, never answered or could not get.
  void connect_failure() { connect_failures_.Increment(); }
  // A caller's dialog found dead by the in-dialog probe.
  void dialogs_gone() { dialogs_gone_.Increment(); }
  void rtp_streams(int active) { rtp_streams_.Set(active); }
  // The peak early warning (serve --forecast): what the next two hours of
  // `day` hold at scenario time `now` (the day repeats every `day_length`).
  void forecast(const std::vector<ForecastInterval>& day, double now, double day_length);

 private:
  using Counter = prometheus::Counter;
  // Moves a counter up to `value` (the core's count only grows).
  static void advance(Counter& c, double value);

  std::shared_ptr<prometheus::Registry> registry_;
  std::string bind_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  // The core's series, in KpiLayout order; one handle per series (kind by
  // the family's type), and the values last published.
  KpiLayout layout_;
  std::vector<std::variant<Counter*, prometheus::Gauge*, prometheus::Histogram*>> handles_;
  std::vector<double> values_, published_;
  std::vector<double> bucket_increments_;
  prometheus::Family<Counter>& requests_;
  prometheus::Family<Counter>& responses_;
  prometheus::Family<Counter>& retransmissions_;
  Counter& retransmissions_sent_;
  Counter& retransmissions_received_;
  prometheus::Histogram& invite_answer_;
  prometheus::Gauge& dialogs_;
  Counter& auth_failures_;
  Counter& connect_failures_;
  Counter& dialogs_gone_;
  prometheus::Gauge& rtp_streams_;
  // The process itself (Prometheus' standard names), read from /proc.
  Counter& cpu_seconds_;
  prometheus::Gauge& resident_bytes_;
  void publish_process();
  struct ForecastGauges {
    prometheus::Gauge& calls_next_2h;
    prometheus::Gauge& short_next_2h;
    prometheus::Gauge& calls_interval;
    prometheus::Gauge& required_interval;
    prometheus::Gauge& planned_interval;
  };
  std::unique_ptr<ForecastGauges> forecast_;  // registered with the first forecast
  std::map<std::string, Counter*, std::less<>> request_counters_;
  std::map<int, Counter*> response_counters_;
};

}  // namespace switchboard::sip
