// serve --tickets-db: the call center's tickets stored with the caller's
// number and the Call-ID, the IVR's ticket_status lookups, and callbacks
// kept as promises in the store (store/served_tickets.hpp) so that a
// restart, kill -9 included, still calls the customers back.
#include <chrono>
#include <cstdio>

#include "core/utf8.hpp"
#include "sip/sip_server_impl.hpp"
#include "store/served_tickets.hpp"

namespace switchboard::sip {

namespace {
double unix_now() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

int index_of(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return kNone;
}
}  // namespace

std::string Server::caller_number(const std::string& uri) {
  // sip:+4930123@host;params -> +4930123; a URI without a user part is its own name.
  std::size_t from = uri.find(':');
  from = from == std::string::npos ? 0 : from + 1;
  const std::size_t at = uri.find('@', from);
  const std::string number = at == std::string::npos || at == from ? uri : uri.substr(from, at - from);
  // A From of bytes that are not UTF-8 still gets its ticket, under a
  // customer spelled readably (the store's text and JSON are UTF-8).
  return is_utf8(number) ? number : escape_unprintable(number);
}

std::vector<std::string> Server::tag_names(std::uint32_t tags) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scenario_.tags.size(); ++i)
    if ((tags >> i) & 1u) out.push_back(scenario_.tags[i]);
  return out;
}

std::optional<ticketing::Status> Server::open_ticket_state(CallHandle call) {
  const Leg* leg = leg_of(call);
  if (leg == nullptr || options_.tickets == nullptr) return std::nullopt;
  try {
    const auto state = options_.tickets->open_ticket_state(caller_number(leg->caller_uri));
    log_.event(now(), leg->id, "ticket-status", state ? std::string(ticketing::status_name(*state)) : "none");
    return state;
  } catch (const std::exception& e) {  // the store is away: the caller hears the no-ticket branch
    log_.event(now(), leg->id, "ticket-status", std::string("lookup failed: ") + e.what());
    return std::nullopt;
  }
}

// Who opened a disposition's ticket: a SIP agent's login, else the event
// log's name of a virtual agent ("agent 3").
std::string Server::opener(AgentId agent) const {
  return agent_lines_ != nullptr ? agent_name(agent) : "agent " + agent_name(agent);
}

void Server::store_ticket(CallHandle call, int category, int agent) {
  const Leg* leg = leg_of(call);
  if (leg == nullptr || options_.tickets == nullptr) return;
  options_.tickets->open_for_call(caller_number(leg->caller_uri), scenario_.ticket_categories[category].name,
                                  tag_names(core_.placement(call).tags), leg->id,
                                  agent == kNone ? "ivr" : opener(static_cast<AgentId>(agent)));
}

void Server::promise_callback(Leg* leg) {
  if (options_.tickets == nullptr) return;
  const CallCenter::Placement p = core_.placement(leg->call);
  store::PromisedCallback c;
  c.call_id = leg->id;
  c.caller = leg->caller_uri;
  c.call_type = scenario_.call_types[leg->call_type].name;
  c.queue = p.queue != kNone ? scenario_.queues[p.queue].name : "";
  c.priority = p.priority;
  c.tags = tag_names(p.tags);
  c.promised = unix_now();
  try {
    leg->callback_id = options_.tickets->promise_callback(c);
  } catch (const std::exception& e) {  // kept in memory only: said in the event log
    log_.event(now(), leg->id, "callback-not-stored", e.what());
  }
}

void Server::callback_done(Leg* leg, const char* outcome) {
  if (options_.tickets == nullptr || leg == nullptr || leg->callback_id == 0) return;
  options_.tickets->callback_done(leg->callback_id, outcome);
  log_.event(now(), leg->id, "callback-done", outcome);
  leg->callback_id = 0;
}

void Server::restore_callbacks() {
  if (options_.tickets == nullptr) return;
  ticket_metrics_ = std::make_unique<TicketMetrics>(metrics_.registry(), *options_.tickets);
  std::vector<std::string> queue_names, type_names;
  for (const Queue& q : scenario_.queues) queue_names.push_back(q.name);
  for (const CallType& t : scenario_.call_types) type_names.push_back(t.name);
  for (const store::PromisedCallback& c : options_.tickets->pending_callbacks()) {
    const int type = index_of(type_names, c.call_type);
    const int queue = index_of(queue_names, c.queue);
    if (type == kNone || queue == kNone) {  // the scenario changed: kept pending, said on stderr
      std::fprintf(stderr, "switchboard serve: callback %lld (call %s) not restored: no call type '%s' or queue '%s' in the scenario\n",
                   static_cast<long long>(c.id), c.call_id.c_str(), c.call_type.c_str(), c.queue.c_str());
      continue;
    }
    std::uint32_t tags = 0;
    for (const std::string& name : c.tags)
      if (const int t = index_of(scenario_.tags, name); t != kNone) tags |= 1u << t;
    auto* leg = new Leg;
    leg->server = this;
    leg->id = c.call_id;
    leg->caller_uri = c.caller;
    leg->call_type = type;
    leg->closed = true;  // the caller is off the line: an agent calls back
    leg->in_core = true;
    leg->callback_id = c.id;
    leg->arrived = now();
    tmr_init(&leg->answer_timer);
    tmr_init(&leg->connect_timer);
    tmr_init(&leg->probe_timer);
    list_append(&legs_open_, &leg->open, leg);
    log_.event(now(), leg->id, "callback-restored", c.queue);
    arriving_ = held_ = leg;
    const CallHandle h = core_.restore_callback(now(), type, queue, c.priority, tags);
    arriving_ = held_ = nullptr;
    if (released_while_held_) {  // the core ended it at once (the queue closed or full)
      released_while_held_ = false;
      hang_up(leg);
      continue;
    }
    if (legs_.size() <= h.slot) legs_.resize(h.slot + 1, nullptr);
    leg->call = h;
    legs_[h.slot] = leg;
  }
}

}  // namespace switchboard::sip
