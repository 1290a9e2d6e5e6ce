#include "sip/metrics.hpp"

#include <algorithm>
#include <iterator>

#include <arpa/inet.h>

#include "core/input_error.hpp"

namespace switchboard::sip {

namespace {

template <class Builder>
auto& family(Builder builder, const char* name, const char* help, prometheus::Registry& registry) {
  return builder.Name(name).Help(help).Register(registry);
}

const char* state_name(AgentState s) {
  switch (s) {
    case AgentState::offline: return "offline";
    case AgentState::idle: return "available";
    case AgentState::ringing: return "ringing";
    case AgentState::talking: return "talking";
    case AgentState::wrap_up: return "wrap_up";
    case AgentState::away: return "away";
  }
  return "unknown";
}

}  // namespace

Metrics::Metrics(const Scenario& scenario, const std::string& bind)
    : scenario_(scenario),
      registry_(std::make_shared<prometheus::Registry>()),
      offered_(family(prometheus::BuildCounter(), "switchboard_calls_offered_total",
                      "Calls that reached the call center (accepted INVITEs), by the first queue they entered; queue=\"none\": ended without queueing", *registry_)),
      handled_(family(prometheus::BuildCounter(), "switchboard_calls_handled_total", "Calls answered by an agent, by queue", *registry_)),
      abandoned_(family(prometheus::BuildCounter(), "switchboard_calls_abandoned_total", "Calls whose caller hung up before an agent answered, by queue", *registry_)),
      short_abandoned_(family(prometheus::BuildCounter(), "switchboard_calls_short_abandoned_total", "Abandons within the short-abandon threshold, by queue", *registry_)),
      contained_(family(prometheus::BuildCounter(), "switchboard_calls_contained_total", "Calls finished in the IVR", *registry_)),
      blocked_(family(prometheus::BuildCounter(), "switchboard_calls_blocked_total", "Calls refused by a full or closed queue, by queue", *registry_)),
      sl_numerator_(family(prometheus::BuildCounter(), "switchboard_service_level_answered_within_total",
                           "Service level numerator: answered within the threshold (docs/kpis.md), by queue", *registry_)),
      sl_denominator_(family(prometheus::BuildCounter(), "switchboard_service_level_calls_total",
                             "Service level denominator: queued calls answered or abandoned, less short abandons and callbacks", *registry_)),
      wait_seconds_(family(prometheus::BuildCounter(), "switchboard_answered_wait_seconds_total",
                           "Sum of the waits of answered calls (ASA = this / answered count), by queue", *registry_)),
      handle_seconds_(family(prometheus::BuildCounter(), "switchboard_handle_seconds_total", "Sum of talk + wrap-up of handled calls, by queue", *registry_)),
      tickets_(family(prometheus::BuildCounter(), "switchboard_tickets_created_total", "Tickets opened", *registry_)),
      waiting_(family(prometheus::BuildGauge(), "switchboard_calls_waiting", "Calls waiting in queue now, by queue", *registry_)),
      agents_(family(prometheus::BuildGauge(), "switchboard_agents", "Agents by group and state", *registry_)),
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
                           "Callers' dialogs ended because the in-dialog OPTIONS probe got 408, 481 or no answer", *registry_).Add({})) {
  if (bind.empty()) return;
  const auto colon = bind.rfind(':');
  in_addr address{};
  const std::string port = colon == std::string::npos ? "" : bind.substr(colon + 1);
  if (colon == std::string::npos || inet_pton(AF_INET, bind.substr(0, colon).c_str(), &address) != 1 || port.empty() ||
      port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535)
    throw InputError(Problem{"", 0, 0, "--metrics", "expected IPv4-ADDRESS:PORT such as 127.0.0.1:9464, or none; got '" + bind + "'"});
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(bind);
  } catch (const std::exception& e) {
    throw InputError(Problem{"", 0, 0, "--metrics", "expected an address:port to serve metrics on (" + std::string(e.what()) + ")"});
  }
  exposer_->RegisterCollectable(registry_);
}

void Metrics::advance(Counter& c, double value) {
  const double delta = value - c.Value();
  if (delta > 0) c.Increment(delta);
}

void Metrics::publish(const CallCenter& core) {
  const KpiBook& book = core.kpis();
  // A call is counted under the first queue it entered, once it entered it;
  // calls that ended without ever queueing (contained, hung up in the IVR,
  // refused) are counted under queue="none" when they end. Every series only
  // grows, as a counter must; calls still in the IVR are in none yet.
  CallCounters none = book.total();
  for (std::size_t q = 0; q < scenario_.queues.size(); ++q) {
    const CallCounters& c = book.queue(static_cast<int>(q));
    none.contained -= c.contained;
    none.blocked -= c.blocked;
    none.abandoned -= c.abandoned;
    const prometheus::Labels labels{{"queue", scenario_.queues[q].name}};
    advance(offered_.Add(labels), c.offered);
    advance(contained_.Add(labels), c.contained);
    advance(blocked_.Add(labels), c.blocked);
    advance(abandoned_.Add(labels), c.abandoned);
    advance(handled_.Add(labels), c.handled);
    advance(short_abandoned_.Add(labels), c.short_abandoned);
    advance(sl_numerator_.Add(labels), c.answered_within);
    advance(sl_denominator_.Add(labels), c.queued - c.short_abandoned - c.callbacks_accepted);
    advance(wait_seconds_.Add(labels), c.wait_answered_sum);
    advance(handle_seconds_.Add(labels), c.handle_sum);
    waiting_.Add(labels).Set(core.waiting_in_queue(static_cast<int>(q)));
  }
  const prometheus::Labels unqueued{{"queue", "none"}};
  advance(offered_.Add(unqueued), none.contained + none.blocked + none.abandoned);
  advance(contained_.Add(unqueued), none.contained);
  advance(blocked_.Add(unqueued), none.blocked);
  advance(abandoned_.Add(unqueued), none.abandoned);
  advance(tickets_.Add({}), book.total().tickets_created);
  for (std::size_t g = 0; g < scenario_.groups.size(); ++g)
    for (AgentState s : {AgentState::offline, AgentState::idle, AgentState::ringing, AgentState::talking, AgentState::wrap_up, AgentState::away})
      agents_.Add({{"group", scenario_.groups[g].name}, {"state", state_name(s)}}).Set(core.agents().count(static_cast<int>(g), s));
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
