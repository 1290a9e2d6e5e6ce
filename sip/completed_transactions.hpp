// Server transactions after their final response, kept small.
//
// Why: libre 1.1.0 keeps a server transaction for 64*T1 = 32 s after its
// final response — Timer J for a non-INVITE over UDP (each retransmitted
// request gets the response again), Timer L for an INVITE's 2xx (RFC 6026:
// retransmitted INVITEs are absorbed; the session layer itself repeats the
// 2xx until the ACK) — and with it the request as decoded (the message,
// its headers, their hash table and the datagram: about 3.2 KB) and the
// response's buffer (1 KB allocated). At 500 calls/s that is some 32,000
// INVITEs and callers' BYEs of calls already over, most of the server's
// memory at 10,000 calls (docs/performance.md).
//
// What those states use is kept here instead: the transaction's identity
// (top Via branch and sent-by, and the method: RFC 3261 17.2.3), the merge
// identity of a request without a To tag (8.2.2.2: 482 to a copy that
// arrives by another path), the To tag libre gave its responses (for the
// 200 to a CANCEL), where the response went, and for a non-INVITE the
// response's bytes (trimmed to their length): about 100 bytes and the
// response instead of about 4 KB.
//
// How: as for the timers (sip/libre_timers.cpp), the executable defines
// sip_strans_reply, which libre's own replies call (sip_treplyf,
// sip_treply, the session layer's 2xx). For a final response that would
// leave a transaction lingering — non-INVITE over UDP, an INVITE's 2xx —
// it lets libre's own function send the response, ends libre's transaction
// at once and keeps the compact record; anything else (provisional
// responses, an INVITE's 3xx-6xx, which libre retransmits until the ACK,
// stacks without a CompletedTransactions) goes to libre's function as it
// is. Retransmitted requests reach the record through a listener placed
// right behind libre's own transaction layer: construct this right after
// sip_alloc, before any other sip_listen or sipsess_listen.
//
// Bounds: records live exactly as long as libre's would; the table grows
// by doubling up to `max_records`, and a transaction that finds it full
// (or whose identity is longer than the hash buffer) stays libre's, so
// nothing changes for it but its size.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <re/re.h>

namespace switchboard::sip {

using StransReply = int (*)(struct sip_strans**, struct sip*, const struct sip_msg*, const struct sa*, uint16_t, struct mbuf*);
// libre's own sip_strans_reply (the one this file's definition stands in front of).
StransReply libre_strans_reply();

class CompletedTransactions {
 public:
  static constexpr std::uint64_t kLifetimeMs = 64 * 500;  // 64*T1, libre's SIP_T1 = 500 ms
  static constexpr std::size_t kMaxRecords = 1u << 18;

  // Binds itself to `sip` (this thread) and listens on it; `lifetime_ms` is
  // shorter, and `max_records` (rounded up to a power of two) smaller, in tests only.
  explicit CompletedTransactions(struct sip* sip, std::uint64_t lifetime_ms = kLifetimeMs,
                                 std::size_t max_records = kMaxRecords);
  ~CompletedTransactions();
  CompletedTransactions(const CompletedTransactions&) = delete;
  CompletedTransactions& operator=(const CompletedTransactions&) = delete;

  // Transactions kept now.
  std::size_t size() const { return static_cast<std::size_t>(tail_ - head_); }
  // Transactions ever taken over from libre, and those left to libre
  // because the table was full (or their identity too long).
  std::uint64_t taken() const { return taken_; }
  std::uint64_t left_to_libre() const { return left_; }

  // The binding for `sip` on this thread, or null (sip_strans_reply's look-up).
  static CompletedTransactions* of(const struct sip* sip);
  // sip_strans_reply for a stack with a binding (completed_transactions.cpp).
  int reply(struct sip_strans** stp, const struct sip_msg* msg, const struct sa* dst, std::uint16_t scode,
            struct mbuf* mb);

 private:
  struct Record {
    std::uint64_t id = 0;       // branch and sent-by
    std::uint64_t merge = 0;    // Call-ID, From tag, CSeq, method, Request-URI; 0: the request had a To tag
    std::uint64_t expires = 0;  // libre's jiffies (ms)
    std::uint64_t tag = 0;      // the To tag of libre's responses to it (sip_msg::tag)
    struct sa dst;              // where the response went
    struct mbuf* response = nullptr;  // non-INVITE: sent again to a retransmission; INVITE 2xx: none
    std::array<char, 15> method{};
    std::uint8_t method_length = 0;
    std::string_view method_text() const { return {method.data(), method_length}; }
  };
  static constexpr std::size_t kProbe = 16;

  // A request's hashes, computed once: by the listener when the request
  // arrives (every request passes it, before any transaction user sees
  // it), then found again when its final response is sent. The latest
  // arrival is the one kept: a message answered later is alive, so the
  // message at its address is still the one hashed when it arrived, unless
  // a later arrival replaced the cache (then they are computed again).
  struct Hashes {
    const struct sip_msg* msg = nullptr;
    const struct mbuf* mb = nullptr;
    const char* branch = nullptr;
    bool has_id = false, has_merge = false;
    std::uint64_t id = 0, merge = 0;
  };
  const Hashes& hashes(const struct sip_msg* msg, bool arriving);

  static bool on_request(const struct sip_msg* msg, void* arg);
  static void on_expiry(void* arg);
  bool answer(const struct sip_msg* msg);
  // The hashes of `msg`; false when a part does not fit the hash buffer.
  bool identity(const struct sip_msg* msg, std::uint64_t& id) const;
  bool merge_identity(const struct sip_msg* msg, std::uint64_t& merge) const;
  // A record alive at `now` with this id (or merge id) whose method `fits`.
  template <class Fits>
  const Record* find(std::uint64_t hash, bool merge, std::uint64_t now, Fits fits) const;
  // A probe slot for `hash` that names no live record (and is not `taken`); npos: none.
  std::size_t free_slot(std::uint64_t hash, std::size_t taken);
  bool alive(std::uint32_t seq, std::uint64_t now) const;
  void expire(std::uint64_t now);
  void grow();
  void arm();

  struct sip* sip_;
  std::uint64_t lifetime_;
  std::size_t max_records_;
  std::array<unsigned char, 16> key_;  // SipHash key, random per table
  struct sip_lsnr* listener_ = nullptr;
  struct tmr expiry_;
  // Records in the order they were made (all live equally long): a ring
  // indexed by sequence number; head_..tail_ are alive.
  std::vector<Record> ring_;
  std::uint32_t head_ = 0, tail_ = 0;
  // Open addressing, a probe of kProbe slots, each the sequence number of
  // a record; a slot naming one no longer alive is free.
  std::vector<std::uint32_t> slots_;
  std::uint64_t taken_ = 0, left_ = 0;
  Hashes last_;
};

}  // namespace switchboard::sip
