// libre's timer API (re_tmr.h) on an indexed binary heap instead of libre
// 1.1.0's sorted linked list.
//
// Why: libre inserts a timer by walking its list from the latest deadline
// back. Under load the SIP transactions hold one 32-second timer per call
// (Timer L of each answered INVITE), and every retransmission timer (500 ms)
// walks past all of them: at 500 calls/s that walk took 70% of the server's
// CPU and the 10,000-call load test lost calls (docs/performance.md). Here a
// start, a cancel and an expiry cost O(log n).
//
// How: the executable defines tmr_start, tmr_cancel, tmr_poll,
// tmr_next_timeout, tmr_get_expire, tmr_init, tmr_status and tmr_debug;
// the dynamic linker binds libre's own calls (through its PLT, as for
// malloc) to these, so libre's transactions, sessions and main loop all use
// this heap and libre's list stays empty. The behaviour is libre's: a timer
// runs while its handler `th` is set (tmr_isrunning), handlers run in
// deadline order, first started first among equal deadlines, and a timer
// started from a handler with no delay runs in the same poll.
// tests/sip/libre_timers_test.cpp checks both the semantics and that libre
// really uses this heap.
//
// State: one heap per thread, as libre keeps one timer list per thread.
#include <sys/socket.h>

#include <cstdint>
#include <cstdio>
#include <vector>

#include <re/re.h>

#include "sip/libre_timers.hpp"

namespace {

struct Entry {
  std::uint64_t jfs;
  std::uint64_t seq;  // start order: ties run first started, first run
  struct tmr* timer;
};

class TimerHeap {
 public:
  std::size_t size() const { return heap_.size(); }
  const Entry* top() const { return heap_.empty() ? nullptr : &heap_.front(); }

  void push(struct tmr* t) {
    heap_.push_back(Entry{t->jfs, next_seq_++, t});
    up(heap_.size() - 1);
  }

  void remove(struct tmr* t) {
    const std::size_t at = position(t);
    if (at >= heap_.size() || heap_[at].timer != t) return;  // not ours: never started here
    const std::size_t last = heap_.size() - 1;
    if (at != last) {
      place(at, heap_[last]);
      heap_.pop_back();
      if (at > 0 && before(heap_[at], heap_[(at - 1) / 2]))
        up(at);
      else
        down(at);
    } else {
      heap_.pop_back();
    }
  }

 private:
  static std::size_t position(const struct tmr* t) { return reinterpret_cast<std::uintptr_t>(t->le.data); }
  static bool before(const Entry& a, const Entry& b) { return a.jfs != b.jfs ? a.jfs < b.jfs : a.seq < b.seq; }

  // The entry's index lives in the timer's unused list element: the heap
  // finds a timer to cancel without searching.
  void place(std::size_t at, const Entry& e) {
    heap_[at] = e;
    e.timer->le.data = reinterpret_cast<void*>(static_cast<std::uintptr_t>(at));
  }

  void up(std::size_t at) {
    const Entry e = heap_[at];
    while (at > 0) {
      const std::size_t parent = (at - 1) / 2;
      if (!before(e, heap_[parent])) break;
      place(at, heap_[parent]);
      at = parent;
    }
    place(at, e);
  }

  void down(std::size_t at) {
    const Entry e = heap_[at];
    const std::size_t n = heap_.size();
    for (;;) {
      std::size_t child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], e)) break;
      place(at, heap_[child]);
      at = child;
    }
    place(at, e);
  }

  std::vector<Entry> heap_;
  std::uint64_t next_seq_ = 0;
};

thread_local TimerHeap heap;

}  // namespace

namespace switchboard::sip {
std::size_t libre_timers_running() { return heap.size(); }
}  // namespace switchboard::sip

extern "C" {

void tmr_init(struct tmr* tmr) {
  if (tmr != nullptr) *tmr = {};
}

void tmr_start(struct tmr* tmr, uint64_t delay, tmr_h* th, void* arg) {
  if (tmr == nullptr) return;
  if (tmr->th != nullptr) heap.remove(tmr);
  tmr->th = th;
  tmr->arg = arg;
  if (th == nullptr) return;
  tmr->jfs = delay + tmr_jiffies();
  heap.push(tmr);
}

void tmr_cancel(struct tmr* tmr) { tmr_start(tmr, 0, nullptr, nullptr); }

void tmr_poll(struct list*) {
  const uint64_t now = tmr_jiffies();
  for (;;) {
    const Entry* e = heap.top();
    if (e == nullptr || e->jfs > now) return;
    struct tmr* tmr = e->timer;
    tmr_h* th = tmr->th;
    void* arg = tmr->arg;
    heap.remove(tmr);
    tmr->th = nullptr;
    if (th != nullptr) th(arg);
  }
}

// libre's contract: 0 when no timer runs (wait for I/O only), else the
// milliseconds to the earliest deadline, at least 1.
uint64_t tmr_next_timeout(struct list*) {
  const Entry* e = heap.top();
  if (e == nullptr) return 0;
  const uint64_t now = tmr_jiffies();
  return e->jfs <= now ? 1 : e->jfs - now;
}

uint64_t tmr_get_expire(const struct tmr* tmr) {
  if (tmr == nullptr || tmr->th == nullptr) return 0;
  const uint64_t now = tmr_jiffies();
  return tmr->jfs > now ? tmr->jfs - now : 0;
}

int tmr_status(struct re_printf* pf, void*) {
  return re_hprintf(pf, "Timers (%zu)\n", heap.size());
}

void tmr_debug(void) {
  if (heap.size() > 0) std::fprintf(stderr, "Timers (%zu)\n", heap.size());
}

}  // extern "C"
