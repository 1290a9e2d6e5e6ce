#include "sip/sip_server_impl.hpp"

#include <algorithm>

#include "sim/behaviour.hpp"
#include "sip/networks.hpp"
#include "sip/sdp_text.hpp"

namespace switchboard::sip {

namespace {
// "vip, complaint" -> the scenario's tag bits; the first unknown name, if any, in `unknown`.
std::uint32_t tag_bits(const std::string& list, const std::vector<std::string>& names, std::string& unknown) {
  std::uint32_t bits = 0;
  std::size_t from = 0;
  while (from <= list.size()) {
    std::size_t to = list.find(',', from);
    if (to == std::string::npos) to = list.size();
    std::size_t a = from, b = to;
    while (a < b && (list[a] == ' ' || list[a] == '\t')) ++a;
    while (b > a && (list[b - 1] == ' ' || list[b - 1] == '\t')) --b;
    if (a < b) {
      const std::string name = list.substr(a, b - a);
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) {
        unknown = name.substr(0, 64);  // quoted in a Warning header: no quote or backslash in it
        for (char& c : unknown)
          if (c == '"' || c == '\\') c = '?';
        return 0;
      }
      bits |= 1u << (it - names.begin());
    }
    from = to + 1;
  }
  return bits;
}
}  // namespace

void Server::caller_waiting(CallHandle call, int) {
  Leg* leg = leg_of(call);
  if (leg == nullptr) return;
  stop_ringing(leg);  // back in the queue after a ring-no-answer
  if (leg->queued < 0) leg->queued = now();
  leg->at_plain_prompt = false;
  leg->typeahead.clear();  // out of the IVR: no menu will take them
  log_.event(now(), leg->id, "queued");
}

void Server::run_self_service(CallHandle call, int, int node) {
  const sim::Callers::SelfService s = behaviour_.callers.self_service(node);
  schedule(now() + s.duration, sim::EventKind::self_service, call.slot, call.generation, s.success);
}

void Server::offer_callback(CallHandle call, int) {
  Leg* leg = leg_of(call);
  if (leg == nullptr) return;
  leg->callback_offer_until = now() + kCallbackOfferSeconds;
  log_.event(now(), leg->id, "callback-offered");
  schedule(leg->callback_offer_until, sim::EventKind::callback_answer, call.slot, call.generation, 0);
}

void Server::release(CallHandle call, int, EndReason reason) {
  Leg* leg = leg_of(call);
  if (leg == nullptr) return;
  static constexpr const char* kReasons[] = {"handled", "abandoned", "contained", "busy", "closed", "callback"};
  if (leg->connecting && leg->ending == nullptr) {  // the talk ended before the caller took the connect re-INVITE
    leg->ending = "connect-failed";
    metrics_.connect_failure();
  }
  const char* why = shutting_down_ ? "shutdown" : leg->ending != nullptr ? leg->ending : kReasons[static_cast<int>(reason)];
  if (reason == EndReason::callback) {  // the caller hangs up; the call keeps its place
    promise_callback(leg);
    log_.event(now(), leg->id, "callback-accepted");
    end_dialog(leg);
    return;
  }
  if (reason != EndReason::handled && !shutting_down_) callback_done(leg, why);  // a promise that cannot be kept
  log_.event(now(), leg->id, "ended", why);
  log_.cdr(leg->id, scenario_.call_types[leg->call_type].name, leg->arrived, leg->queued, leg->answered, now(), why,
           leg->agent >= 0 ? agent_name(static_cast<AgentId>(leg->agent)) : std::string());
  stop_ringing(leg);
  if (agent_lines_ != nullptr && leg->agent >= 0) agent_lines_->hang_up(static_cast<AgentId>(leg->agent));
  legs_[call.slot] = nullptr;
  leg->in_core = false;
  if (leg == held_) {
    released_while_held_ = true;  // the handler on the stack deletes it when done
    return;
  }
  hang_up(leg);
}

void Server::play_prompt(CallHandle call, int node, double seconds) {
  Leg* leg = leg_of(call);
  if (leg == nullptr) return;
  if (leg->media != nullptr) leg->media->play(prompts_.find(node), seconds / options_.time_scale);
  leg->at_plain_prompt = scenario_.ivr[node].kind == IvrKind::prompt;
  if (scenario_.ivr[node].kind == IvrKind::menu && !leg->typeahead.empty()) {
    // A key typed ahead answers this menu (from the event list: the core is on the stack).
    schedule(now(), sim::EventKind::digit, call.slot, call.generation, static_cast<unsigned char>(leg->typeahead.front()));
    leg->typeahead.erase(0, 1);
  }
}

void Server::ticket_opened(TicketId ticket, int category) {
  schedule(now() + behaviour_.back_office.ticket_work(category), sim::EventKind::ticket_resolved, ticket, 0, 0);
}

Server::Leg* Server::leg_of(CallHandle h) {
  if (h.slot < legs_.size() && legs_[h.slot] != nullptr && legs_[h.slot]->call == h) return legs_[h.slot];
  if (arriving_ != nullptr) {  // the core acts on a call inside on_call_arrived
    arriving_->call = h;
    if (legs_.size() <= h.slot) legs_.resize(h.slot + 1, nullptr);
    legs_[h.slot] = arriving_;
    return arriving_;
  }
  return nullptr;
}

void Server::end_dialog(Leg* leg) {
  tmr_cancel(&leg->connect_timer);
  tmr_cancel(&leg->probe_timer);
  leg->probe = static_cast<struct sip_request*>(mem_deref(leg->probe));  // its answer no longer comes to us
  // libre would hold its BYE until the pending re-INVITE's transaction ends
  // (up to 32 s): the caller gets one at once.
  if (leg->connecting && !leg->closed && leg->sess != nullptr) send_bye_now(leg);
  leg->connecting = false;
  if (!leg->closed) {
    leg->closed = true;
    --active_;
  }
  tmr_cancel(&leg->answer_timer);
  leg->media.reset();
  leg->sess = static_cast<struct sipsess*>(mem_deref(leg->sess));
  metrics_.dialogs(active_);
  if (draining_ && active_ == 0 && !shutting_down_) re_cancel();
}

void Server::hang_up(Leg* leg) {
  end_dialog(leg);
  delete leg;
}

// Overload, draining or no RTP port left: the caller may try again later.
void Server::reply_unavailable(const struct sip_msg* msg) {
  sip_treplyf(nullptr, nullptr, sip_, msg, false, 503, "Service Unavailable", "Retry-After: 5\r\nContent-Length: 0\r\n\r\n");
}

namespace {

// The edge: a Call-ID is written to the event log and the CDR, so it must be
// visible ASCII (RFC 3261 25.1: word ["@" word]; we are more lenient, but
// never accept control characters or bytes beyond ASCII).
bool plain_call_id(const struct pl& id) {
  if (id.l == 0) return false;
  for (std::size_t i = 0; i < id.l; ++i)
    if (static_cast<unsigned char>(id.p[i]) < 0x21 || static_cast<unsigned char>(id.p[i]) > 0x7e) return false;
  return true;
}

bool dtmf_key(char c) { return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D'); }

}  // namespace

void Server::accept(const struct sip_msg* msg) {
  if (!plain_call_id(msg->callid)) {
    sip_treply(nullptr, sip_, msg, 400, "Bad Call-ID");
    return;
  }
  if (sip_msg_hdr(msg, SIP_HDR_CONTACT) == nullptr) {  // RFC 3261 8.1.1.8: an INVITE must name its Contact
    sip_treply(nullptr, sip_, msg, 400, "Missing Contact");
    return;
  }
  if (draining_ || active_ >= options_.max_calls) {
    reply_unavailable(msg);
    return;
  }
  const std::string user = str(msg->uri.user);
  const auto it = std::find_if(scenario_.call_types.begin(), scenario_.call_types.end(),
                               [&](const CallType& t) { return t.name == user; });
  if (it == scenario_.call_types.end()) {
    sip_treply(nullptr, sip_, msg, 404, "Not Found");
    return;
  }
  // The caller's tags, when its INVITE names them (else drawn on arrival from the call type's tag probabilities).
  std::optional<std::uint32_t> tags;
  if (const struct sip_hdr* h = sip_msg_xhdr(msg, "X-Switchboard-Tags"); h != nullptr) {
    std::string unknown;
    tags = tag_bits(str(h->val), scenario_.tags, unknown);
    if (!unknown.empty()) {
      sip_treplyf(nullptr, nullptr, sip_, msg, false, 400, "Unknown Tag",
                  "Warning: 399 switchboard \"X-Switchboard-Tags: no tag '%s' in the scenario\"\r\nContent-Length: 0\r\n\r\n",
                  unknown.c_str());
      return;
    }
  }
  std::string offer;  // the caller's SDP: read only when media or SIP agents need it
  if (media_clock_ != nullptr || agent_lines_ != nullptr)
    offer.assign(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
  char here[64] = {};
  // The address the INVITE came to (a listener on 0.0.0.0 has several): our SDP's.
  std::string local_address = sa_ntop(&msg->dst, here, sizeof here) == 0 && sa_isset(&msg->dst, SA_ADDR) ? here : local_address_;
  std::optional<MediaOffer> caller_media;
  if (media_clock_ != nullptr) {
    caller_media = MediaSession::read_offer(offer);
    // We stream PCMU only; media of the other family than the INVITE's
    // comes from our address on the route to the caller's.
    if (caller_media && (caller_media->ip.find(':') != std::string::npos) != (sa_af(&msg->dst) == AF_INET6))
      local_address = local_address_towards(caller_media->ip);
    if (!caller_media || !caller_media->pcmu || local_address.empty()) {
      sip_treply(nullptr, sip_, msg, 488, "Not Acceptable Here");
      return;
    }
  }
  auto* leg = new Leg;
  list_append(&legs_open_, &leg->open, leg);
  leg->server = this;
  leg->local_address = local_address;
  if (media_clock_ != nullptr) {
    try {
      leg->media = std::make_unique<MediaSession>(*media_clock_, leg->local_address, &Server::on_media_digit, leg);
    } catch (const std::runtime_error&) {
      delete leg;
      reply_unavailable(msg);
      return;
    }
    if (caller_media->telephone_event >= 0) leg->telephone_event = caller_media->telephone_event;
    leg->media->set_remote(caller_media->ip, caller_media->port, leg->telephone_event);
  }
  leg->id = str(msg->callid);
  leg->call_type = static_cast<int>(it - scenario_.call_types.begin());
  leg->tags = tags;
  leg->invited_wall = wall();
  if (agent_lines_ != nullptr) leg->offer = offer;  // kept only for the INVITE to a SIP agent
  // Whom a callback calls; the customer of the call's tickets (--tickets-db).
  if (agent_lines_ != nullptr || options_.tickets != nullptr) leg->caller_uri = str(msg->from.auri);
  tmr_init(&leg->answer_timer);
  tmr_init(&leg->connect_timer);
  tmr_init(&leg->probe_timer);
  const int err = sipsess_accept(&leg->sess, sock_, msg, 180, "Ringing", "switchboard", "application/sdp", nullptr, nullptr,
                                 nullptr, false, &Server::on_offer, &Server::on_answer, &Server::on_established,
                                 &Server::on_info, nullptr, &Server::on_close, leg, "Allow: %s\r\n", kAllow);
  if (err != 0) {
    delete leg;
    sip_treply(nullptr, sip_, msg, 500, "Server Internal Error");
    return;
  }
  // A TCP caller, or a UDP one behind NAT, gets our re-INVITE, probe and BYE over its own flow.
  if (FlowPins::follows_flow(msg)) flows_.pin(sipsess_dialog(leg->sess), Flow{msg->src, msg->tp});
  ++active_;
  metrics_.dialogs(active_);
  if (options_.answer_after > 0)
    tmr_start(&leg->answer_timer, static_cast<std::uint64_t>(options_.answer_after / options_.time_scale * 1000), &Server::on_answer_timer, leg);
  else
    answer(leg);
}

void Server::answer(Leg* leg) {
  leg->sent_sdp = sdp(leg->local_address.c_str(), leg->media != nullptr ? leg->media->local_port() : 10000, leg->sdp_version,
                      leg->telephone_event);
  struct mbuf* mb = to_mbuf(leg->sent_sdp);
  if (sipsess_answer(leg->sess, 200, "OK", mb, nullptr) == 0) {
    metrics_.invite_answered(wall() - leg->invited_wall);
    arm_probe(leg);
  }
  mem_deref(mb);
}

void Server::on_established(const struct sip_msg*, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  Server* self = leg->server;
  if (leg->in_core) return;  // the ACK of our re-INVITE
  leg->in_core = true;
  leg->arrived = self->now();
  self->log_.event(leg->arrived, leg->id, "arrived", self->scenario_.call_types[leg->call_type].name);
  self->arriving_ = self->held_ = leg;
  const std::uint32_t tags = leg->tags ? *leg->tags : self->behaviour_.callers.tags(leg->call_type);
  const CallHandle h = self->core_.on_call_arrived(leg->arrived, leg->call_type, tags);
  self->arriving_ = self->held_ = nullptr;
  if (self->released_while_held_) {  // the core ended it at once (closed, full, contained)
    self->released_while_held_ = false;
    self->hang_up(leg);
    return;
  }
  if (self->legs_.size() <= h.slot) self->legs_.resize(h.slot + 1, nullptr);
  leg->call = h;
  self->legs_[h.slot] = leg;
}

void Server::on_info(struct sip* sip, const struct sip_msg* msg, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  Server* self = leg->server;
  // Read in place (no copy per INFO): the body as it sits in libre's buffer.
  const std::string_view body(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
  char keys[16];
  std::size_t n = 0;
  if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf-relay")) {
    const auto at = body.find("Signal=");
    if (at != std::string_view::npos) {
      std::size_t i = at + 7;
      while (i < body.size() && body[i] == ' ') ++i;
      if (i < body.size()) keys[n++] = body[i];
    }
    if (n == 0 || !dtmf_key(keys[0])) {  // RFC 4733's keys only; anything else never reaches the core or the log
      sip_reply(sip, msg, 400, "Bad Signal");
      return;
    }
  } else if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf")) {
    for (char c : body)  // the first 16 keys of one INFO (a person presses one)
      if (dtmf_key(c) && n < sizeof keys) keys[n++] = c;
  } else {
    sip_treply(nullptr, sip, msg, 415, "Unsupported Media Type");
    return;
  }
  // Stateless: a server transaction would keep each INFO and its answer for
  // 32 s (Timer J), 16,000 of them at 500 calls/s; a retransmitted INFO is
  // recognised by its CSeq instead and answered again.
  sip_reply(sip, msg, 200, "OK");
  if (msg->cseq.num <= leg->last_info_cseq) return;
  leg->last_info_cseq = msg->cseq.num;
  self->deliver_digits(leg, std::string_view(keys, n));
}

void Server::deliver_digits(Leg* leg, std::string_view digits) {
  held_ = leg;
  const double t = now();  // the keys of one message arrive together
  for (char d : digits) {
    if (!leg->in_core || leg->closed) break;
    log_.event(t, leg->id, "digit", std::string(1, d));
    if (leg->at_plain_prompt && leg->callback_offer_until < t) {
      if (leg->typeahead.size() < kTypeaheadKeys) leg->typeahead += d;
      continue;
    }
    if (leg->callback_offer_until >= t) {
      leg->callback_offer_until = -1;
      if (d != '1') log_.event(t, leg->id, "callback-declined", std::string(1, d));
      core_.on_callback_answer(t, leg->call, d == '1');
    } else {
      core_.on_digit(t, leg->call, d);
    }
  }
  held_ = nullptr;
  if (released_while_held_) {
    released_while_held_ = false;
    hang_up(leg);
  }
}

void Server::on_media_digit(char digit, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  if (!leg->in_core) return;
  leg->server->schedule(leg->server->now(), sim::EventKind::digit, leg->call.slot, leg->call.generation,
                        static_cast<std::uint32_t>(static_cast<unsigned char>(digit)));
}

int Server::on_offer(struct mbuf** descp, const struct sip_msg* msg, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  const std::string offer(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
  if (leg->media != nullptr && !offer.empty()) {  // the caller's media may have moved (resume from another port)
    if (const std::optional<MediaOffer> o = MediaSession::read_offer(offer)) leg->media->set_remote(o->ip, o->port, leg->telephone_event);
  }
  leg->sent_sdp = with_direction(with_origin(leg->sent_sdp, ++leg->sdp_version), offer.empty() ? "sendrecv" : answer_direction(offer));
  *descp = to_mbuf(leg->sent_sdp);  // libre sends it in the 200 (or the ACK) and frees it
  return 0;
}

int Server::on_answer(const struct sip_msg*, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  if (leg->connecting) {
    leg->connecting = false;
    tmr_cancel(&leg->connect_timer);
  }
  return 0;
}

void Server::on_connect_timeout(void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  Server* self = leg->server;
  if (!leg->connecting || leg->closed) return;
  self->log_.event(self->now(), leg->id, "connect-failed", "no 2xx to the re-INVITE");
  self->metrics_.connect_failure();
  self->send_bye_now(leg);
  leg->connecting = false;
  leg->ending = "connect-failed";
  on_close(0, nullptr, leg);  // the call ends as if the caller had hung up
}

void Server::arm_probe(Leg* leg) {
  if (options_.dialog_probe > 0 && !forever(options_.dialog_probe))
    tmr_start(&leg->probe_timer, wall_ms(options_.dialog_probe), &Server::on_probe_timer, leg);
}

void Server::on_probe_timer(void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  if (leg->closed || leg->sess == nullptr || leg->probe != nullptr) return;
  if (sip_drequestf(&leg->probe, leg->server->sip_, true, "OPTIONS", sipsess_dialog(leg->sess), 0, nullptr, nullptr,
                    &Server::on_probe_response, leg, "Accept: application/sdp\r\nContent-Length: 0\r\n\r\n") != 0)
    leg->server->arm_probe(leg);
}

void Server::on_probe_response(int err, const struct sip_msg* msg, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  Server* self = leg->server;
  leg->probe = nullptr;  // libre is done with it
  if (msg != nullptr && msg->scode < 200) return;
  const bool gone = err != 0 || msg == nullptr || msg->scode == 408 || msg->scode == 481;
  if (!gone) {  // any other answer (200, 405, 501, ...): someone is there
    self->arm_probe(leg);
    return;
  }
  if (leg->closed) return;
  self->log_.event(self->now(), leg->id, "dialog-gone", msg != nullptr ? std::to_string(msg->scode) : "no answer");
  self->metrics_.dialogs_gone();
  on_close(0, nullptr, leg);  // the call ends as if the caller had hung up
}

void Server::send_bye_now(Leg* leg) {
  sip_drequestf(nullptr, sip_, true, "BYE", sipsess_dialog(leg->sess), 0, nullptr, nullptr, nullptr, nullptr,
                "Content-Length: 0\r\n\r\n");
}

void Server::on_close(int, const struct sip_msg* msg, void* arg) {
  auto* leg = static_cast<Leg*>(arg);
  Server* self = leg->server;
  // libre ends the dialog on a 408/481 to the connect re-INVITE, or when it times out.
  if (leg->connecting && (msg == nullptr || !msg->req)) {
    leg->ending = "connect-failed";
    self->metrics_.connect_failure();
  }
  leg->closed = true;
  --self->active_;
  if (leg->in_core) {
    const double t = self->now();
    if (leg->agent >= 0 && self->core_.agents()[leg->agent].state == AgentState::talking &&
        self->core_.agents()[leg->agent].call == leg->call) {
      self->core_.on_talk_ended(t, leg->talk);  // a virtual agent's scheduled end of it is stale from now on
    } else {
      self->core_.on_caller_hangup(t, leg->call);
    }
    return;  // release() freed the leg
  }
  self->log_.event(self->now(), leg->id, "ended", "cancelled before answer");
  self->hang_up(leg);
}

}  // namespace switchboard::sip
