// The server's Prometheus endpoint. Call KPIs are copied from the core's own
// accounting (core/kpi_book.hpp, defined in docs/kpis.md), never recounted
// here; the SIP layer's counters are the server's own.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "core/call_center.hpp"

namespace switchboard::sip {

class Metrics {
 public:
  // `bind`: "127.0.0.1:9464"; empty: metrics are kept but not served.
  Metrics(const Scenario& scenario, const std::string& bind);

  // Copies the core's KPI counters and live states into the metrics.
  void publish(const CallCenter& core);

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

 private:
  using Counter = prometheus::Counter;
  // Moves a counter up to `value` (the core's count only grows).
  static void advance(Counter& c, double value);

  const Scenario& scenario_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<Counter>& offered_;
  prometheus::Family<Counter>& handled_;
  prometheus::Family<Counter>& abandoned_;
  prometheus::Family<Counter>& short_abandoned_;
  prometheus::Family<Counter>& contained_;
  prometheus::Family<Counter>& blocked_;
  prometheus::Family<Counter>& sl_numerator_;
  prometheus::Family<Counter>& sl_denominator_;
  prometheus::Family<Counter>& wait_seconds_;
  prometheus::Family<Counter>& handle_seconds_;
  prometheus::Family<Counter>& tickets_;
  prometheus::Family<prometheus::Gauge>& waiting_;
  prometheus::Family<prometheus::Gauge>& agents_;
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
  std::map<std::string, Counter*, std::less<>> request_counters_;
  std::map<int, Counter*> response_counters_;
};

}  // namespace switchboard::sip
