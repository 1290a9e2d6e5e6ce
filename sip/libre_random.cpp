// libre's random number API on a fast-key-erasure ChaCha20 generator.
//
// Why: libre 1.1.0 built with OpenSSL (Debian's) makes every rand_u32() one
// RAND_bytes() call and every rand_u64() two; it draws for each message it
// decodes (the message's tag), each transaction's branch, each dialog's
// tag, hash and CSeq. Under the 10,000-call load perf put 9% of the
// server's CPU in RAND_bytes (docs/performance.md).
//
// How: as for the timers (sip/libre_timers.cpp), the executable defines
// rand_u16, rand_u32, rand_u64 and rand_bytes, and the dynamic linker binds
// libre's own calls (rand_str and rand_char call rand_bytes) to them. The
// numbers stay unpredictable, as SIP tags and branches must be (RFC 3261
// 19.3): ChaCha20's keystream under a 256-bit key drawn from the kernel
// (libsodium's randombytes_buf); each refill of the 512-byte buffer takes
// its first 32 bytes as the next key and wipes them (fast key erasure, as
// OpenBSD's arc4random), so an earlier output cannot be recomputed from the
// generator's state.
//
// State: one generator per thread (thread_local), as libre is used per thread.
#include "sip/libre_random.hpp"

#include <sodium.h>

#include <cstddef>
#include <cstring>
#include <stdexcept>

namespace {

class Generator {
 public:
  void fill(std::uint8_t* out, std::size_t size) {
    drawn_ += size;
    while (size > 0) {
      if (next_ == sizeof buffer_) refill();
      const std::size_t n = std::min(size, sizeof buffer_ - next_);
      std::memcpy(out, buffer_ + next_, n);
      sodium_memzero(buffer_ + next_, n);  // handed out: not kept
      next_ += n;
      out += n;
      size -= n;
    }
  }
  template <class T>
  T draw() {
    T v;
    fill(reinterpret_cast<std::uint8_t*>(&v), sizeof v);
    return v;
  }
  std::uint64_t drawn() const { return drawn_; }

 private:
  void refill() {
    if (!seeded_) {
      if (sodium_init() < 0) throw std::runtime_error("cannot initialise libsodium");
      randombytes_buf(key_, sizeof key_);
      seeded_ = true;
    }
    static constexpr unsigned char kNonce[crypto_stream_chacha20_NONCEBYTES] = {};  // each key is used once
    crypto_stream_chacha20(buffer_, sizeof buffer_, kNonce, key_);
    std::memcpy(key_, buffer_, sizeof key_);
    sodium_memzero(buffer_, sizeof key_);
    next_ = sizeof key_;
  }

  unsigned char key_[crypto_stream_chacha20_KEYBYTES] = {};
  unsigned char buffer_[512] = {};
  std::size_t next_ = sizeof buffer_;
  bool seeded_ = false;
  std::uint64_t drawn_ = 0;
};

thread_local Generator generator;

}  // namespace

namespace switchboard::sip {
std::uint64_t random_bytes_drawn() { return generator.drawn(); }
}  // namespace switchboard::sip

// libre's declarations (re_sys.h), defined here for libre's own calls too.
extern "C" {
uint16_t rand_u16(void) { return generator.draw<std::uint16_t>(); }
uint32_t rand_u32(void) { return generator.draw<std::uint32_t>(); }
uint64_t rand_u64(void) { return generator.draw<std::uint64_t>(); }
void rand_bytes(uint8_t* p, size_t size) {
  if (p != nullptr) generator.fill(p, size);
}
}
