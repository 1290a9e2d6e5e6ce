#include "sim/simgrid/report_codec.hpp"

#include <cstring>
#include <stdexcept>

namespace switchboard::sim {

namespace {

class Writer {
 public:
  void number(double v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void count(std::size_t n) { number(static_cast<double>(n)); }
  template <std::size_t N>
  void array(const std::array<double, N>& a) {
    for (double v : a) number(v);
  }
  template <class T>
  void list(const std::vector<T>& v) {
    count(v.size());
    for (const auto& a : v) array(a);
  }
  std::string bytes_;
};

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  double number() {
    if (at_ + sizeof(double) > bytes_.size()) throw std::runtime_error("replication result truncated");
    double v;
    std::memcpy(&v, bytes_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::size_t count() {
    const double n = number();
    if (n < 0 || n > 1e8) throw std::runtime_error("replication result malformed");
    return static_cast<std::size_t>(n);
  }
  template <std::size_t N>
  void array(std::array<double, N>& a) {
    for (double& v : a) v = number();
  }
  template <class T>
  void list(std::vector<T>& v) {
    v.resize(count());
    for (auto& a : v) array(a);
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  std::size_t at_ = 0;
};

// The counters' scalars (their histogram stays behind: reports carry its quantile).
template <class F>
void each_counter(CallCounters& c, F f) {
  for (double* v : {&c.offered, &c.handled, &c.abandoned, &c.short_abandoned, &c.contained, &c.blocked,
                    &c.answered_within, &c.callbacks_offered, &c.callbacks_accepted, &c.callbacks_handled,
                    &c.overflows, &c.tickets_created, &c.queued, &c.delayed, &c.wait_answered_sum,
                    &c.wait_answered_count, &c.wait_sum, &c.wait_max, &c.handle_sum, &c.handle_count, &c.requeued})
    f(*v);
}

}  // namespace

std::string encode_report(const KpiReport& r) {
  Writer w;
  w.array(r.total);
  w.array(r.total_queue);
  w.list(r.interval);
  w.list(r.interval_queue);
  w.list(r.queue);
  w.list(r.queue_time);
  w.list(r.group);
  w.count(r.interval_group.size());
  for (const auto& row : r.interval_group) w.list(row);
  CallCounters counters = r.counters;
  each_counter(counters, [&](double& v) { w.number(v); });
  for (double v : {r.in_system_at_end, r.tickets_open_at_end, r.tickets_resolved, r.tickets_within_sla,
                   static_cast<double>(r.events)})
    w.number(v);
  w.number(r.has_back_office ? 1 : 0);
  w.array(r.back_office_total);
  w.list(r.back_office_interval);
  w.list(r.back_office_group);
  return w.bytes_;
}

KpiReport decode_report(const std::string& bytes) {
  Reader in(bytes);
  KpiReport r;
  in.array(r.total);
  in.array(r.total_queue);
  in.list(r.interval);
  in.list(r.interval_queue);
  in.list(r.queue);
  in.list(r.queue_time);
  in.list(r.group);
  r.interval_group.resize(in.count());
  for (auto& row : r.interval_group) in.list(row);
  each_counter(r.counters, [&](double& v) { v = in.number(); });
  r.in_system_at_end = in.number();
  r.tickets_open_at_end = in.number();
  r.tickets_resolved = in.number();
  r.tickets_within_sla = in.number();
  r.events = static_cast<std::uint64_t>(in.number());
  r.has_back_office = in.number() != 0;
  in.array(r.back_office_total);
  in.list(r.back_office_interval);
  in.list(r.back_office_group);
  if (!in.done()) throw std::runtime_error("replication result has trailing bytes");
  return r;
}

}  // namespace switchboard::sim
