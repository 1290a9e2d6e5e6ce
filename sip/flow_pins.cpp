#include "sip/flow_pins.hpp"

#include <cstdio>

// Exported by libre.so but declared only in its internal src/sip/sip.h
// (sip/flow_pins.hpp says why we use it).
extern "C" const struct uri* sip_dialog_route(const struct sip_dialog* dlg);

namespace switchboard::sip {

FlowPins::~FlowPins() = default;

std::string FlowPins::route(const Flow& flow) {
  const struct sa& peer = flow.peer;
  char address[64] = {};
  if (sa_ntop(&peer, address, sizeof address) != 0) return {};
  char text[96];
  const bool v6 = sa_af(&peer) == AF_INET6;
  std::snprintf(text, sizeof text, "sip:%s%s%s:%u%s", v6 ? "[" : "", address, v6 ? "]" : "", sa_port(&peer),
                sip_transp_param(flow.tp));
  return text;
}

bool FlowPins::follows_flow(const struct sip_msg* msg) {
  if (has_flow(msg->tp)) return true;
  if (msg->tp != SIP_TRANSP_UDP || sip_msg_hdr_count(msg, SIP_HDR_VIA) != 1 || sip_msg_hdr(msg, SIP_HDR_RECORD_ROUTE) != nullptr)
    return false;
  const struct sip_hdr* h = sip_msg_hdr(msg, SIP_HDR_CONTACT);
  struct sip_addr contact;
  if (h == nullptr || sip_addr_decode(&contact, &h->val) != 0) return false;
  struct sa named;
  // A host name, not an address: the source is the address known to work.
  if (sa_set(&named, &contact.uri.host, contact.uri.port != 0 ? contact.uri.port : static_cast<uint16_t>(SIP_PORT)) != 0) return true;
  return !sa_cmp(&named, &msg->src, SA_ALL);
}

bool FlowPins::pin(struct sip_dialog* dialog, const Flow& flow) {
  sweep();
  const std::string text = route(flow);
  auto p = std::make_unique<Pin>();
  if (dialog == nullptr || text.empty() || text.size() >= sizeof p->text) return false;
  text.copy(p->text, text.size());
  struct pl pl;
  pl_set_str(&pl, p->text);
  struct uri decoded;
  if (uri_decode(&decoded, &pl) != 0) return false;
  p->dialog = static_cast<struct sip_dialog*>(mem_ref(dialog));
  // The dialog is libre's heap object, not a const one: writing its route is sound.
  *const_cast<struct uri*>(sip_dialog_route(dialog)) = decoded;
  pins_.push_back(std::move(p));
  return true;
}

void FlowPins::sweep() {
  for (int looked = 0; looked < 2 && !pins_.empty(); ++looked) {
    std::unique_ptr<Pin> oldest = std::move(pins_.front());
    pins_.pop_front();
    if (mem_nrefs(oldest->dialog) > 1) pins_.push_back(std::move(oldest));  // still libre's: look again later
  }
}

}  // namespace switchboard::sip
