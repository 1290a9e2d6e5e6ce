#include "sip/registrar.hpp"

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "sip/pl_text.hpp"

namespace switchboard::sip {

namespace {

// "Expires" of the Contact (;expires=) or the request, else an hour.
std::uint32_t requested_expires(const struct sip_msg* msg, const struct sip_addr& contact) {
  struct pl value;
  if (msg_param_decode(&contact.params, "expires", &value) == 0) return pl_u32(&value);
  if (msg->expires.p != nullptr) return pl_u32(&msg->expires);
  return Registrar::kMaxExpires;
}

}  // namespace

Registrar::Registrar(struct sip* stack, const std::vector<AgentLogin>& logins, Changed changed)
    : sip_(stack), logins_(logins), changed_(std::move(changed)), secret_(rand_u64()) {
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

// The nonce carries the time it was issued and a keyed hash of that time, so
// it needs no state and cannot be forged or kept alive past its lifetime.
std::string Registrar::nonce(std::uint64_t issued_ms) const {
  std::uint8_t mac[16];
  md5_printf(mac, "%" PRIu64 ":%" PRIu64, issued_ms, secret_);
  char out[64];
  int n = std::snprintf(out, sizeof out, "%016" PRIx64, issued_ms);
  for (std::uint8_t byte : mac) n += std::snprintf(out + n, sizeof out - n, "%02x", byte);
  return out;
}

bool Registrar::nonce_fresh(const struct pl& value, bool& stale) const {
  stale = false;
  if (value.l != 48) return false;
  std::uint64_t issued = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    const char c = value.p[i];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    issued = issued * 16 + static_cast<std::uint64_t>(ch_hex(c));
  }
  if (nonce(issued) != str(value)) return false;
  stale = tmr_jiffies() > issued + kNonceLifetimeMs;
  return !stale;
}

int Registrar::challenge(const struct sip_msg* msg, bool stale) {
  sip_replyf(sip_, msg, 401, "Unauthorized",
             "WWW-Authenticate: Digest realm=\"%s\", nonce=\"%s\", algorithm=MD5, qop=\"auth\"%s\r\n"
             "Content-Length: 0\r\n\r\n",
             kRealm, nonce(tmr_jiffies()).c_str(), stale ? ", stale=true" : "");
  return 401;
}

int Registrar::handle(const struct sip_msg* msg) {
  const std::string aor_user = str(msg->to.uri.user);
  int login = -1;
  for (int i = 0; i < static_cast<int>(logins_.size()); ++i)
    if (logins_[i].user == aor_user) login = i;
  if (login < 0) {
    sip_reply(sip_, msg, 404, "Not Found");
    return 404;
  }
  const struct sip_hdr* auth = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);
  if (auth == nullptr) return challenge(msg, false);
  struct httpauth_digest_resp resp;
  if (httpauth_digest_response_decode(&resp, &auth->val) != 0) {
    sip_reply(sip_, msg, 400, "Bad Request");
    return 400;
  }
  if (pl_strcmp(&resp.realm, kRealm) != 0) return challenge(msg, false);
  bool stale = false;
  if (!nonce_fresh(resp.nonce, stale)) return challenge(msg, stale);
  const AgentLogin& who = logins_[login];
  std::uint8_t ha1[16];
  md5_printf(ha1, "%s:%s:%s", who.user.c_str(), kRealm, who.password.c_str());
  if (str(resp.username) != who.user || httpauth_digest_response_auth(&resp, &msg->met, ha1) != 0) {
    sip_reply(sip_, msg, 403, "Forbidden");
    return 403;
  }

  Binding& b = *bindings_[login];
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
    if (!star) {
      sip_reply(sip_, msg, 400, "Bad Request");
      return 400;
    }
    unbind(b);  // "Contact: *" with Expires: 0 removes every binding
    sip_reply(sip_, msg, 200, "OK");
    return 200;
  }
  const std::uint32_t expires = std::min(requested_expires(msg, contact), kMaxExpires);
  if (expires == 0) {
    unbind(b);
    sip_reply(sip_, msg, 200, "OK");
    return 200;
  }
  const bool was_registered = !b.contact.empty();
  b.contact = str(contact.auri);
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
