// Server transactions after their final response, kept small (why and how:
// completed_transactions.hpp).
#include "sip/completed_transactions.hpp"

#include <dlfcn.h>
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace switchboard::sip {


// libre's own sip_strans_reply, looked up in libre itself (the object that
// defines sip_strans_alloc), whatever the order objects were loaded in.
StransReply libre_strans_reply() {
  static const StransReply real = [] {
    void* f = nullptr;
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&sip_strans_alloc), &info) != 0 && info.dli_fname != nullptr) {
      if (void* libre = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD); libre != nullptr) f = dlsym(libre, "sip_strans_reply");
    }
    if (f == nullptr) f = dlsym(RTLD_NEXT, "sip_strans_reply");
    if (f == nullptr) {
      std::fputs("switchboard: libre's sip_strans_reply not found\n", stderr);
      std::abort();
    }
    return reinterpret_cast<StransReply>(f);
  }();
  return real;
}

namespace {

// The stacks with a CompletedTransactions, on this thread (libre is used per thread).
thread_local std::vector<CompletedTransactions*> bindings;

// Hashes parts (each with its length before it) under `key`; false when
// they do not fit the buffer.
class Hasher {
 public:
  bool add(const struct pl& part) { return add(part.p, part.l); }
  bool add(const void* data, std::size_t size) {
    if (size > sizeof buffer_ - used_ - sizeof(std::uint32_t)) return false;
    const auto length = static_cast<std::uint32_t>(size);
    std::memcpy(buffer_ + used_, &length, sizeof length);
    if (size > 0) std::memcpy(buffer_ + used_ + sizeof length, data, size);
    used_ += sizeof length + size;
    return true;
  }
  std::uint64_t hash(const std::array<unsigned char, 16>& key) const {
    std::uint64_t h = 0;
    static_assert(crypto_shorthash_BYTES == sizeof h && crypto_shorthash_KEYBYTES == 16);
    crypto_shorthash(reinterpret_cast<unsigned char*>(&h), buffer_, used_, key.data());
    return h;
  }

 private:
  unsigned char buffer_[512];
  std::size_t used_ = 0;
};

std::string_view text(const struct pl& p) { return {p.p, p.l}; }

}  // namespace

CompletedTransactions::CompletedTransactions(struct sip* sip, std::uint64_t lifetime_ms, std::size_t max_records)
    : sip_(sip), lifetime_(lifetime_ms), max_records_(16) {
  while (max_records_ < max_records) max_records_ *= 2;  // the ring's capacity is a power of two
  if (sodium_init() < 0) throw std::runtime_error("cannot initialise libsodium");
  randombytes_buf(key_.data(), key_.size());
  tmr_init(&expiry_);
  if (sip_listen(&listener_, sip_, true, &CompletedTransactions::on_request, this) != 0)
    throw std::runtime_error("cannot listen on the SIP stack");
  bindings.push_back(this);
}

CompletedTransactions::~CompletedTransactions() {
  bindings.erase(std::remove(bindings.begin(), bindings.end(), this), bindings.end());
  tmr_cancel(&expiry_);
  mem_deref(listener_);
  for (std::uint32_t s = head_; s != tail_; ++s) mem_deref(ring_[s & (ring_.size() - 1)].response);
}

CompletedTransactions* CompletedTransactions::of(const struct sip* sip) {
  for (CompletedTransactions* t : bindings)
    if (t->sip_ == sip) return t;
  return nullptr;
}

bool CompletedTransactions::identity(const struct sip_msg* msg, std::uint64_t& id) const {
  Hasher h;
  if (!h.add(msg->via.branch) || !h.add(msg->via.sentby)) return false;
  id = h.hash(key_);
  return true;
}

bool CompletedTransactions::merge_identity(const struct sip_msg* msg, std::uint64_t& merge) const {
  Hasher h;
  const std::uint32_t cseq = msg->cseq.num;
  if (!h.add(msg->callid) || !h.add(msg->from.tag) || !h.add(&cseq, sizeof cseq) || !h.add(msg->cseq.met) || !h.add(msg->ruri))
    return false;
  merge = h.hash(key_);
  return merge != 0;  // 0 means "none"
}

const CompletedTransactions::Hashes& CompletedTransactions::hashes(const struct sip_msg* msg, bool arriving) {
  if (!arriving && last_.msg == msg && last_.mb == msg->mb && last_.branch == msg->via.branch.p) return last_;
  last_.msg = msg;
  last_.mb = msg->mb;
  last_.branch = msg->via.branch.p;
  last_.has_id = identity(msg, last_.id);
  last_.has_merge = !pl_isset(&msg->to.tag) && merge_identity(msg, last_.merge);
  return last_;
}

bool CompletedTransactions::alive(std::uint32_t seq, std::uint64_t now) const {
  return static_cast<std::uint32_t>(seq - head_) < static_cast<std::uint32_t>(tail_ - head_) &&
         ring_[seq & (ring_.size() - 1)].expires > now;
}

template <class Fits>
const CompletedTransactions::Record* CompletedTransactions::find(std::uint64_t hash, bool merge, std::uint64_t now,
                                                                 Fits fits) const {
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = 0; i < kProbe; ++i) {
    const std::uint32_t seq = slots_[(hash + i) & mask];
    if (!alive(seq, now)) continue;
    const Record& r = ring_[seq & (ring_.size() - 1)];
    if ((merge ? r.merge : r.id) == hash && fits(r)) return &r;
  }
  return nullptr;
}

std::size_t CompletedTransactions::free_slot(std::uint64_t hash, std::size_t taken) {
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t now = tmr_jiffies();
  for (std::size_t i = 0; i < kProbe; ++i) {
    const std::size_t s = (hash + i) & mask;
    // A slot naming a record no longer alive is free.
    if (s != taken && !alive(slots_[s], now)) return s;
  }
  return static_cast<std::size_t>(-1);
}

void CompletedTransactions::grow() {
  const std::size_t capacity = std::min(max_records_, std::max<std::size_t>(1024, ring_.size() * 2));
  std::vector<Record> ring(capacity);
  for (std::uint32_t s = head_; s != tail_; ++s) ring[s & (capacity - 1)] = ring_[s & (ring_.size() - 1)];
  ring_.swap(ring);
  // Four slots a record (up to two used: its id and its merge id): the
  // probe rarely finds its 16 slots taken.
  slots_.assign(capacity * 4, head_ - 1);  // a record already gone: every slot free
  const std::uint64_t now = tmr_jiffies();
  for (std::uint32_t s = head_; s != tail_; ++s) {
    const Record& r = ring_[s & (capacity - 1)];
    if (r.expires <= now) continue;
    for (const std::uint64_t h : {r.id, r.merge}) {
      if (h == 0) continue;
      const std::size_t slot = free_slot(h, static_cast<std::size_t>(-1));
      if (slot != static_cast<std::size_t>(-1)) slots_[slot] = s;  // else unfindable: as if expired early (never seen at load 1/2)
    }
  }
}

void CompletedTransactions::expire(std::uint64_t now) {
  while (head_ != tail_) {
    Record& r = ring_[head_ & (ring_.size() - 1)];
    if (r.expires > now) break;
    r.response = static_cast<struct mbuf*>(mem_deref(r.response));
    ++head_;
  }
}

void CompletedTransactions::arm() {
  if (head_ == tail_ || tmr_isrunning(&expiry_)) return;
  const std::uint64_t now = tmr_jiffies();
  const std::uint64_t at = ring_[head_ & (ring_.size() - 1)].expires;
  tmr_start(&expiry_, at > now ? at - now : 1, &CompletedTransactions::on_expiry, this);
}

void CompletedTransactions::on_expiry(void* arg) {
  auto* self = static_cast<CompletedTransactions*>(arg);
  self->expire(tmr_jiffies());
  self->arm();
}

int CompletedTransactions::reply(struct sip_strans** stp, const struct sip_msg* msg, const struct sa* dst,
                                 std::uint16_t scode, struct mbuf* mb) {
  const StransReply real = libre_strans_reply();
  if (msg == nullptr || dst == nullptr || mb == nullptr) return real(stp, sip_, msg, dst, scode, mb);
  const bool invite = pl_strcmp(&msg->met, "INVITE") == 0;
  // The states that linger: Accepted (an INVITE's 2xx) and a non-INVITE's
  // Completed over UDP (over TCP libre ends it at once).
  const bool lingers = invite ? scode >= 200 && scode < 300 : scode >= 200 && msg->tp == SIP_TRANSP_UDP;  // libre: every other transport is reliable
  if (!lingers) return real(stp, sip_, msg, dst, scode, mb);
  Record r;
  const Hashes& h = hashes(msg, false);
  const bool fits = msg->met.l <= r.method.size() && h.has_id && (pl_isset(&msg->to.tag) || h.has_merge);
  r.id = h.id;
  r.merge = h.has_merge ? h.merge : 0;
  const std::uint64_t now = tmr_jiffies();
  expire(now);
  if (fits && size() == ring_.size() && ring_.size() < max_records_) grow();
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t id_slot = kNone, merge_slot = kNone;
  if (fits && size() < ring_.size()) {
    id_slot = free_slot(r.id, kNone);
    if (id_slot != kNone && r.merge != 0) {
      merge_slot = free_slot(r.merge, id_slot);
      if (merge_slot == kNone) id_slot = kNone;
    }
  }
  if (id_slot == kNone) {  // full: libre keeps this one as it would
    ++left_;
    return real(stp, sip_, msg, dst, scode, mb);
  }
  mbuf_trim(mb);  // 1,024 bytes allocated for some 400 (libre's sip_treplyf)
  struct sip_strans* st = stp != nullptr ? *stp : nullptr;
  if (st == nullptr && sip_strans_alloc(&st, sip_, msg, nullptr, nullptr) != 0) return real(stp, sip_, msg, dst, scode, mb);
  struct sip_strans* libres = st;
  const int err = real(&st, sip_, msg, dst, scode, mb);  // sends the response; a final one leaves st null
  if (stp != nullptr) *stp = nullptr;
  if (err != 0) return err;  // libre has ended its transaction
  mem_deref(libres);          // its lingering copy of the request and response: the record below replaces it
  r.expires = now + lifetime_;
  r.tag = msg->tag;
  r.dst = *dst;
  if (!invite) r.response = static_cast<struct mbuf*>(mem_ref(mb));
  std::memcpy(r.method.data(), msg->met.p, msg->met.l);
  r.method_length = static_cast<std::uint8_t>(msg->met.l);
  ring_[tail_ & (ring_.size() - 1)] = r;
  slots_[id_slot] = tail_;
  if (r.merge != 0) slots_[merge_slot] = tail_;
  ++tail_;
  ++taken_;
  arm();
  return 0;
}

bool CompletedTransactions::on_request(const struct sip_msg* msg, void* arg) {
  return static_cast<CompletedTransactions*>(arg)->answer(msg);
}

// As libre's server transactions answer a request that is theirs (its
// strans.c request_handler): a retransmission gets the response again
// (non-INVITE) or is absorbed (an INVITE after its 2xx); a request without
// a To tag that copies one by another path gets 482; a CANCEL of one gets
// 200 (too late to cancel anything). ACKs go on to the session layer.
bool CompletedTransactions::answer(const struct sip_msg* msg) {
  if (pl_strcmp(&msg->met, "ACK") == 0) return false;
  // Hashed for every request that passes (the reply to it finds them here).
  const Hashes& h = hashes(msg, true);
  if (head_ == tail_) return false;
  const std::uint64_t now = tmr_jiffies();
  const std::string_view method = text(msg->met);
  const std::uint64_t id = h.id;
  const bool has_id = h.has_id;
  if (has_id) {
    if (const Record* r = find(id, false, now, [&](const Record& x) { return x.method_text() == method; })) {
      if (r->response != nullptr) sip_send(sip_, msg->sock, msg->tp, &r->dst, r->response);
      return true;
    }
  }
  if (h.has_merge && find(h.merge, true, now, [](const Record&) { return true; })) {
    sip_reply(sip_, msg, 482, "Loop Detected");
    return true;
  }
  if (has_id && method == "CANCEL") {
    if (const Record* r = find(id, false, now, [](const Record& x) { return x.method_text() != "CANCEL"; })) {
      const_cast<struct sip_msg*>(msg)->tag = r->tag;  // the 200's To tag, as libre does
      sip_reply(sip_, msg, 200, "OK");
      return true;
    }
  }
  return false;
}

}  // namespace switchboard::sip

// libre's declaration (re_sip.h), defined here for libre's own calls too.
extern "C" int sip_strans_reply(struct sip_strans** stp, struct sip* sip, const struct sip_msg* msg, const struct sa* dst,
                                uint16_t scode, struct mbuf* mb) {
  using switchboard::sip::CompletedTransactions;
  if (CompletedTransactions* t = CompletedTransactions::of(sip)) return t->reply(stp, msg, dst, scode, mb);
  return switchboard::sip::libre_strans_reply()(stp, sip, msg, dst, scode, mb);
}
