#include "sim/simgrid/report_codec.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <tuple>

namespace switchboard::sim {

namespace {

// The parts of a KpiReport, in the order the bytes carry them: the one list
// that encoding and decoding both follow. The checks below fail the build
// when a member is added to KpiReport or a counter to CallCounters without
// being added here, so nothing is silently left behind in the child process.
constexpr auto kReportParts =
    std::make_tuple(&KpiReport::total, &KpiReport::total_queue, &KpiReport::interval, &KpiReport::interval_queue,
                    &KpiReport::queue, &KpiReport::queue_time, &KpiReport::group, &KpiReport::interval_group,
                    &KpiReport::counters, &KpiReport::in_system_at_end, &KpiReport::tickets_open_at_end,
                    &KpiReport::tickets_resolved, &KpiReport::tickets_within_sla, &KpiReport::back_office_interval,
                    &KpiReport::back_office_group, &KpiReport::back_office_total, &KpiReport::has_back_office,
                    &KpiReport::events, &KpiReport::timeline);
// The counters' scalars: kCallCounterScalars (core/kpi.hpp); their wait
// histogram stays behind (reports carry its quantile).
constexpr auto kCounterParts = kCallCounterScalars;
constexpr auto kTimelineParts = std::make_tuple(&KpiTimeline::times, &KpiTimeline::values);

template <class C, class T>
T member_type(T C::*);
template <class M>
constexpr std::size_t padded_size(M m) {
  return (sizeof(decltype(member_type(m))) + 7) / 8 * 8;
}
template <class Parts>
constexpr std::size_t size_of_parts(const Parts& parts) {
  return std::apply([](auto... m) { return (padded_size(m) + ... + 0); }, parts);
}
// Every member is 8-aligned (a bool is padded to 8), so the members' padded
// sizes add up to the struct's exactly.
static_assert(size_of_parts(kReportParts) == sizeof(KpiReport), "a KpiReport member is missing from kReportParts");
static_assert(size_of_parts(kCounterParts) + sizeof(WaitHistogram) == sizeof(CallCounters),
              "a CallCounters counter is missing from kCounterParts");
static_assert(size_of_parts(kTimelineParts) == sizeof(KpiTimeline), "a KpiTimeline member is missing from kTimelineParts");

template <class Object, class Parts, class F>
void each_part(Object& object, const Parts& parts, F&& f) {
  std::apply([&](auto... m) { (f(object.*m), ...); }, parts);
}

class Writer {
 public:
  void put(double v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void put(std::uint64_t n) { put(static_cast<double>(n)); }
  void put(bool b) { put(b ? 1.0 : 0.0); }
  template <std::size_t N>
  void put(const std::array<double, N>& a) {
    for (double v : a) put(v);
  }
  template <class T>
  void put(const std::vector<T>& v) {
    put(static_cast<double>(v.size()));
    for (const auto& a : v) put(a);
  }
  void put(const CallCounters& c) {
    each_part(c, kCounterParts, [&](double v) { put(v); });
  }
  void put(const KpiTimeline& t) {
    each_part(t, kTimelineParts, [&](const auto& part) { put(part); });
  }
  std::string bytes_;
};

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  void get(double& v) {
    if (at_ + sizeof(double) > bytes_.size()) throw std::runtime_error("replication result truncated");
    std::memcpy(&v, bytes_.data() + at_, sizeof v);
    at_ += sizeof v;
  }
  void get(std::uint64_t& n) {
    double v = 0;
    get(v);
    n = static_cast<std::uint64_t>(v);
  }
  void get(bool& b) {
    double v = 0;
    get(v);
    b = v != 0;
  }
  template <std::size_t N>
  void get(std::array<double, N>& a) {
    for (double& v : a) get(v);
  }
  template <class T>
  void get(std::vector<T>& v) {
    double n = 0;
    get(n);
    if (n < 0 || n > 1e8) throw std::runtime_error("replication result malformed");
    v.resize(static_cast<std::size_t>(n));
    for (auto& a : v) get(a);
  }
  void get(CallCounters& c) {
    each_part(c, kCounterParts, [&](double& v) { get(v); });
  }
  void get(KpiTimeline& t) {
    each_part(t, kTimelineParts, [&](auto& part) { get(part); });
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  std::size_t at_ = 0;
};

}  // namespace

std::string encode_report(const KpiReport& r) {
  Writer w;
  each_part(r, kReportParts, [&](const auto& part) { w.put(part); });
  return w.bytes_;
}

KpiReport decode_report(const std::string& bytes) {
  Reader in(bytes);
  KpiReport r;
  each_part(r, kReportParts, [&](auto& part) { in.get(part); });
  if (!in.done()) throw std::runtime_error("replication result has trailing bytes");
  return r;
}

}  // namespace switchboard::sim
