// libre's random numbers (re_sys.h: rand_u16/u32/u64, rand_bytes and so
// rand_str and rand_char) from a buffered ChaCha20 generator instead of
// one OpenSSL RAND_bytes call per number (sip/libre_random.cpp says why).
#pragma once

#include <cstdint>

namespace switchboard::sip {

// Bytes this thread's generator has handed out so far: the tests check that
// libre's own calls (sip_msg_decode's message tag) come here.
std::uint64_t random_bytes_drawn();

}  // namespace switchboard::sip
