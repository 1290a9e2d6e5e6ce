// In-dialog requests over the peer's own connection. A TCP caller (or an
// agent registered over TCP) is reached over the connection its INVITE (or
// REGISTER) came in on, not over a new one to its Contact: a phone behind
// NAT, or one that does not listen, would never get the server's
// re-INVITE, OPTIONS probe or BYE otherwise (RFC 5626's "flow"; Asterisk's
// rewrite_contact does the same). A UDP caller or agent behind NAT
// likewise, at the address its datagrams come from (follows_flow; the
// registrar's rule for agents is in sip/registrar.cpp). The Request-URI
// stays the Contact.
//
// How: libre's TCP transport finds a connection by its peer address
// (conn_find in src/sip/transp.c), and every in-dialog request goes to the
// address of the dialog's route (sip_drequestf). A pinned dialog's route is
// the peer's source address with its transport. libre 1.1.0 has no setter
// for it (nor has libre 3.x): sip_dialog_route() (exported, declared only in
// libre's internal src/sip/sip.h) gives the route, a struct uri held by
// value in the dialog, which we overwrite with one decoded from text of
// ours. libre leaves it alone on a target refresh (sip_dialog_update touches
// the route only while it is the remote target) but rebuilds it from a UAC
// dialog's 2xx (sip_dialog_create): pin a UAC dialog again in the answer
// handler, which runs before the ACK is sent.
//
// The text must live as long as the dialog, which libre may keep after we
// let the session go (its BYE's transaction): each pin holds a reference to
// its dialog and is dropped once that reference is the last one.
#pragma once

#include <sys/socket.h>

#include <deque>
#include <memory>
#include <string>

#include <re/re.h>

namespace switchboard::sip {

// A peer's connection: its address (the source of what it sent) and transport.
struct Flow {
  struct sa peer;
  enum sip_transp tp = SIP_TRANSP_NONE;
};

class FlowPins {
 public:
  FlowPins() = default;
  ~FlowPins();
  FlowPins(const FlowPins&) = delete;
  FlowPins& operator=(const FlowPins&) = delete;

  // Connection-oriented transports have flows.
  static bool has_flow(enum sip_transp tp) { return tp == SIP_TRANSP_TCP || tp == SIP_TRANSP_TLS; }
  // Whether the dialog `msg` (a caller's INVITE) opens must follow its flow
  // rather than its Contact: always over TCP or TLS; over UDP when it came
  // straight from the caller (one Via, no Record-Route) from an address its
  // Contact does not name — the caller is behind NAT and its Contact names
  // an address of its own network (what Asterisk's rewrite_contact and
  // Kamailio's fix_nated_contact do). A request relayed by a proxy keeps
  // the Contact: the proxy did not ask to stay in the dialog.
  static bool follows_flow(const struct sip_msg* msg);
  // "sip:ADDRESS:PORT;transport=tcp": a route to the flow's peer over its
  // transport (for sipsess_connect's route set, too).
  static std::string route(const Flow& flow);

  // The dialog's requests go over `flow` from now on. False (the route
  // unchanged) if its address cannot be a route.
  bool pin(struct sip_dialog* dialog, const Flow& flow);
  std::size_t size() const { return pins_.size(); }

 private:
  struct Pin {
    ~Pin() { mem_deref(dialog); }
    struct sip_dialog* dialog = nullptr;  // our reference
    char text[96] = {};                   // what the dialog's route points into
  };
  // Drops up to a few pins whose dialog only we still hold: amortised
  // constant work per pin, the list no longer than the live dialogs plus a few.
  void sweep();

  std::deque<std::unique_ptr<Pin>> pins_;
};

}  // namespace switchboard::sip
