#include "sip/registrar.hpp"

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "sip/pl_text.hpp"

namespace switchboard::sip {

namespace {

// Over TCP the agent is called over its REGISTER's connection. Over UDP
// only a phone visibly behind NAT is called at the REGISTER's source: one
// that sent it straight (FlowPins::follows_flow: one Via, no Record-Route,
// from an address and port the Contact does not name) with a Contact naming
// a private address (Kamailio's nat_uac_test does the same). Any other
// Contact is called as it is: a registration made on a phone's behalf, from
// another socket or program, names where the phone listens.
bool pinned_to_source(const struct sip_msg* msg, const struct sip_addr& contact) {
  if (FlowPins::has_flow(msg->tp)) return true;
  struct sa named;
  return FlowPins::follows_flow(msg) && sa_set(&named, &contact.uri.host, 0) == 0 && is_private_address(named);
}

// "Expires" of the Contact (;expires=) or the request, else an hour.
std::uint32_t requested_expires(const struct sip_msg* msg, const struct sip_addr& contact) {
  struct pl value;
  if (msg_param_decode(&contact.params, "expires", &value) == 0) return pl_u32(&value);
  if (msg->expires.p != nullptr) return pl_u32(&msg->expires);
  return Registrar::kMaxExpires;
}

}  // namespace

Registrar::Registrar(struct sip* stack, const std::vector<AgentLogin>& logins, std::vector<Network> agent_networks,
                     Changed changed)
    : sip_(stack), logins_(logins), changed_(std::move(changed)), agent_networks_(std::move(agent_networks)), secret_(rand_u64()) {
  for (int i = 0; i < static_cast<int>(logins_.size()); ++i) {
    auto b = std::make_unique<Binding>();
    b->owner = this;
    b->login = i;
    tmr_init(&b->expiry);
    bindings_.push_back(std::move(b));
  }
}

Registrar::~Registrar() {
  for (auto& b : bindings_) tmr_cancel(&b->expiry);
}

const std::string* Registrar::contact(int login) const {
  const Binding& b = *bindings_[login];
  return b.contact.empty() ? nullptr : &b.contact;
}

const Flow* Registrar::flow(int login) const {
  const Binding& b = *bindings_[login];
  return b.contact.empty() || b.flow.tp == SIP_TRANSP_NONE ? nullptr : &b.flow;
}

// The nonce carries the time it was issued, a serial number (two challenges
// in one millisecond differ) and a keyed hash of both and the request's
// Call-ID: it needs no state, cannot be forged, kept alive past its
// lifetime or used in another dialog.
std::string Registrar::nonce(std::uint64_t issued_ms, std::uint32_t serial, const struct pl& call_id) const {
  std::uint8_t mac[16];
  md5_printf(mac, "%" PRIu64 ":%u:%r:%" PRIu64, issued_ms, serial, &call_id, secret_);
  char out[64];
  int n = std::snprintf(out, sizeof out, "%016" PRIx64 "%08" PRIx32, issued_ms, serial);
  for (std::uint8_t byte : mac) n += std::snprintf(out + n, sizeof out - n, "%02x", byte);
  return out;
}

Registrar::Nonce Registrar::check_nonce(const struct pl& value, const struct pl& call_id) const {
  if (value.l != 56) return Nonce::foreign;
  std::uint64_t issued = 0;
  std::uint32_t serial = 0;
  for (std::size_t i = 0; i < 24; ++i) {
    const char c = value.p[i];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return Nonce::foreign;
    if (i < 16) issued = issued * 16 + static_cast<std::uint64_t>(ch_hex(c));
    else serial = serial * 16 + static_cast<std::uint32_t>(ch_hex(c));
  }
  if (nonce(issued, serial, call_id) != str(value)) return Nonce::foreign;
  return tmr_jiffies() > issued + kNonceLifetimeMs ? Nonce::stale : Nonce::fresh;
}

int Registrar::challenge(const struct sip_msg* msg, bool stale) {
  sip_replyf(sip_, msg, 401, "Unauthorized",
             "WWW-Authenticate: Digest realm=\"%s\", nonce=\"%s\", algorithm=MD5, qop=\"auth\"%s\r\n"
             "Content-Length: 0\r\n\r\n",
             kRealm, nonce(tmr_jiffies(), ++serial_, msg->callid).c_str(), stale ? ", stale=true" : "");
  return 401;
}

int Registrar::refuse(const struct sip_msg* msg, const std::string& source, const std::string& user) {
  const std::uint64_t now = tmr_jiffies();
  by_source_.failed(source, now);
  by_user_.failed(user, now);
  ++auth_failures_;
  sip_reply(sip_, msg, 403, "Forbidden");
  return 403;
}

int Registrar::handle(const struct sip_msg* msg) {
  const std::string aor_user = str(msg->to.uri.user);
  int login = -1;
  for (int i = 0; i < static_cast<int>(logins_.size()); ++i)
    if (logins_[i].user == aor_user) login = i;
  // A user with no login is challenged and refused exactly like one with a
  // wrong password: the answers never tell which users exist.
  const struct sip_hdr* auth = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);
  if (auth == nullptr) return challenge(msg, false);
  struct httpauth_digest_resp resp;
  if (httpauth_digest_response_decode(&resp, &auth->val) != 0) {
    sip_reply(sip_, msg, 400, "Bad Request");
    return 400;
  }
  if (pl_strcmp(&resp.realm, kRealm) != 0) return challenge(msg, false);
  const Nonce n = check_nonce(resp.nonce, msg->callid);
  if (n != Nonce::fresh) return challenge(msg, n == Nonce::stale);
  char source[64] = {};
  re_snprintf(source, sizeof source, "%j", &msg->src);
  if (by_source_.locked(source, tmr_jiffies()) || by_user_.locked(aor_user, tmr_jiffies()))
    return refuse(msg, source, aor_user);  // the password is not even looked at
  std::uint8_t ha1[16];
  const std::string& password = login >= 0 ? logins_[login].password : aor_user;  // the same work either way
  md5_printf(ha1, "%s:%s:%s", aor_user.c_str(), kRealm, password.c_str());
  const bool good = httpauth_digest_response_auth(&resp, &msg->met, ha1) == 0;
  if (login < 0 || !good || str(resp.username) != aor_user) return refuse(msg, source, aor_user);

  Binding& b = *bindings_[login];
  // The same nonce and count again: a replayed request (RFC 2617 3.2.2: nc only grows).
  const std::uint32_t nc = resp.nc.p != nullptr ? pl_x32(&resp.nc) : 0;
  if (b.last_nonce == str(resp.nonce) && nc <= b.last_nc) return challenge(msg, true);
  by_user_.succeeded(aor_user);
  b.last_nonce = str(resp.nonce);
  b.last_nc = nc;

  const struct sip_hdr* contact_hdr = sip_msg_hdr(msg, SIP_HDR_CONTACT);
  if (contact_hdr == nullptr) {  // a query: the current binding
    if (b.contact.empty()) sip_reply(sip_, msg, 200, "OK");
    else sip_replyf(sip_, msg, 200, "OK", "Contact: <%s>;expires=%" PRIu64 "\r\nContent-Length: 0\r\n\r\n",
                    b.contact.c_str(), tmr_get_expire(&b.expiry) / 1000);
    return 200;
  }
  struct sip_addr contact;
  if (sip_addr_decode(&contact, &contact_hdr->val) != 0) {
    const bool star = pl_strcmp(&contact_hdr->val, "*") == 0;
    // "Contact: *" removes every binding, and only with Expires: 0 (RFC 3261 10.3).
    if (!star || msg->expires.p == nullptr || pl_u32(&msg->expires) != 0) {
      sip_reply(sip_, msg, 400, "Bad Request");
      return 400;
    }
    unbind(b);
    sip_reply(sip_, msg, 200, "OK");
    return 200;
  }
  const bool pinned = pinned_to_source(msg, contact);
  const std::uint32_t expires = std::min(requested_expires(msg, contact), pinned ? kMaxFlowExpires : kMaxExpires);
  if (expires == 0) {
    unbind(b);
    sip_reply(sip_, msg, 200, "OK");
    return 200;
  }
  // The address the server would INVITE must be on the agent networks: the
  // source when pinned, else the Contact's (a name is refused: it could
  // resolve anywhere).
  struct sa called = msg->src;
  const bool an_address = pinned || sa_set(&called, &contact.uri.host, 0) == 0;
  if (!an_address || !allowed(agent_networks_, called)) {
    sip_reply(sip_, msg, 403, pinned ? "Source Not On The Agent Networks" : "Contact Not On The Agent Networks");
    return 403;
  }
  const bool was_registered = !b.contact.empty();
  b.contact = str(contact.auri);
  b.flow = Flow{msg->src, pinned ? msg->tp : SIP_TRANSP_NONE};
  tmr_start(&b.expiry, static_cast<std::uint64_t>(expires) * 1000, &Registrar::on_expired, &b);
  sip_replyf(sip_, msg, 200, "OK", "Contact: <%s>;expires=%u\r\nContent-Length: 0\r\n\r\n", b.contact.c_str(), expires);
  if (!was_registered) changed_(login, true);
  return 200;
}

void Registrar::unbind(Binding& b) {
  tmr_cancel(&b.expiry);
  if (b.contact.empty()) return;
  b.contact.clear();
  changed_(b.login, false);
}

void Registrar::on_expired(void* arg) {
  auto* b = static_cast<Binding*>(arg);
  b->owner->unbind(*b);
}

}  // namespace switchboard::sip
