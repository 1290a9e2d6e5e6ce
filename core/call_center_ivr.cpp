// The IVR flow: prompts, menus with retries, self-service, customer lookup,
// tickets, the caller's ticket status, and the hand-off to a queue. Nodes
// that take no time (lookup, ticket, ticket_status) are followed at once;
// validation rejects flows that cannot end.
#include <stdexcept>

#include "core/call_center.hpp"

namespace switchboard {

namespace {
// Instant nodes in a row before we call the flow broken (validation should
// have caught a loop; this keeps a bad flow from hanging a driver).
constexpr int kMaxInstantSteps = 10000;
}  // namespace

void CallCenter::enter_node(double now, std::uint32_t slot, int node) {
  for (int step = 0; step < kMaxInstantSteps; ++step) {
    Call& c = calls_[slot];
    const IvrNode& n = scenario_.ivr[node];
    c.node = node;
    switch (n.kind) {
      case IvrKind::prompt:
        set_state(c, CallState::ivr_prompt);
        arm_call_timer(slot, now + n.duration);
        driver_.play_prompt(handle(slot), node, n.duration);
        return;
      case IvrKind::menu:
        c.retries_left = static_cast<std::int8_t>(n.retries);
        menu_prompt(now, slot);
        return;
      case IvrKind::self_service:
        set_state(c, CallState::ivr_self_service);
        ++c.token;
        driver_.run_self_service(handle(slot), c.call_type, node);
        return;
      case IvrKind::lookup: {
        const bool tagged = n.tag != kNone && ((c.tags >> n.tag) & 1u) != 0;
        if (tagged && n.tagged_priority != kNone) c.priority = static_cast<std::int16_t>(n.tagged_priority);
        node = (tagged && n.tagged_next != kNone) ? n.tagged_next : n.next;
        continue;
      }
      case IvrKind::queue:
        enter_queue(now, slot, n.queue, n.priority != kNone ? n.priority : c.priority);
        return;
      case IvrKind::ticket:
        open_ticket(now, slot, n.category);
        node = n.next;
        continue;
      case IvrKind::hangup:
        end_call(now, slot, EndReason::contained);
        return;
      case IvrKind::ticket_status: {
        // The driver answers from the calling number; no lookup: a miss.
        const auto state = options_.ticket_lookup ? options_.ticket_lookup->open_ticket_state(handle(slot)) : std::nullopt;
        const auto i = state ? static_cast<std::size_t>(*state) : n.state_next.size();
        node = i < n.state_next.size() && n.state_next[i] != kNone ? n.state_next[i] : n.next;
        continue;
      }
    }
  }
  throw std::logic_error("IVR flow loops through instant nodes at '" + scenario_.ivr[node].id + "'");
}

void CallCenter::menu_prompt(double now, std::uint32_t slot) {
  Call& c = calls_[slot];
  set_state(c, CallState::ivr_prompt);
  const double duration = scenario_.ivr[c.node].duration;
  arm_call_timer(slot, now + duration);
  driver_.play_prompt(handle(slot), c.node, duration);
}

// A prompt (or a menu's prompt) finished, or a menu waited long enough.
void CallCenter::on_call_step(double now, std::uint32_t slot) {
  Call& c = calls_[slot];
  const IvrNode& n = scenario_.ivr[c.node];
  if (c.state == CallState::ivr_menu) {
    menu_failed(now, slot);
  } else if (n.kind == IvrKind::menu) {
    set_state(c, CallState::ivr_menu);
    arm_call_timer(slot, now + n.timeout);
    driver_.collect_digit(handle(slot), c.call_type, c.node);
  } else {
    enter_node(now, slot, n.next);
  }
}

void CallCenter::menu_failed(double now, std::uint32_t slot) {
  Call& c = calls_[slot];
  if (c.retries_left > 0) {
    --c.retries_left;
    menu_prompt(now, slot);
  } else {
    enter_node(now, slot, scenario_.ivr[c.node].on_fail);
  }
}

void CallCenter::on_digit(double now, CallHandle h, char digit) {
  ++events_;
  Call* c = find(h);
  if (c == nullptr) return;
  const bool at_menu = c->state == CallState::ivr_menu ||
                       (c->state == CallState::ivr_prompt && scenario_.ivr[c->node].kind == IvrKind::menu);
  if (!at_menu) return;  // digits outside a menu are ignored, as on a real IVR
  for (const MenuOption& o : scenario_.ivr[c->node].options) {
    if (o.digit == digit) {
      enter_node(now, h.slot, o.next);
      return;
    }
  }
  menu_failed(now, h.slot);
}

void CallCenter::on_self_service_done(double now, CallHandle h, bool success) {
  ++events_;
  Call* c = find(h);
  if (c == nullptr || c->state != CallState::ivr_self_service) return;
  const IvrNode& n = scenario_.ivr[c->node];
  if (!success) enter_node(now, h.slot, n.on_fail);
  else if (n.next != kNone) enter_node(now, h.slot, n.next);
  else end_call(now, h.slot, EndReason::contained);
}

}  // namespace switchboard
