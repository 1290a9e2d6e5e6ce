// libre's timers on a heap (see libre_timers.cpp): linking switchboard_sip
// replaces libre 1.1.0's O(n) timer list for the whole process.
#pragma once

#include <cstddef>

namespace switchboard::sip {

// Timers running on this thread's heap; a test's proof that libre's own
// calls reach the heap.
std::size_t libre_timers_running();

}  // namespace switchboard::sip
