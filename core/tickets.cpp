#include "core/tickets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace switchboard {

namespace {
using ticketing::Status;
const std::string kSystem = "system";           // who acts in the simulated back office
const std::string kCustomer = "simulated caller";
// The model calls a ticket overdue once its due time is past (not at it).
double just_after(double due) { return std::nextafter(due, std::numeric_limits<double>::infinity()); }
}  // namespace

TicketBook::TicketBook(const Scenario& scenario, Driver& driver) : scenario_(scenario), driver_(driver) {
  if (scenario.back_office.empty()) return;
  rules_ = ticketing::rules_from(scenario);
  tag_names_ = scenario.tags;
  for (const BackOfficeGroup& bo : scenario.back_office) {
    Group g;
    g.agent_group = bo.group;
    g.spec = &bo;
    const int most = bo.staffing.empty() ? 0 : *std::max_element(bo.staffing.begin(), bo.staffing.end());
    for (int w = most; w >= 1; --w) g.off.push_back(w - 1);  // worker 0 comes on duty first
    for (int w = 1; w <= most; ++w) g.worker_names.push_back(scenario.groups[bo.group].name + "/" + std::to_string(w));
    groups_.push_back(std::move(g));
  }
  interval_.assign(static_cast<std::size_t>(std::max(0, scenario.horizon.intervals())), TicketCounters{});
}

TicketId TicketBook::allocate() {
  TicketId id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<TicketId>(tickets_.size());
    tickets_.emplace_back();
    if (has_back_office()) orders_.emplace_back();
  }
  ++open_;
  return id;
}

void TicketBook::release(TicketId id) {
  tickets_[id].state = TicketState::free;
  --open_;
  free_.push_back(id);
}

Ticket& TicketBook::at(TicketId id, TicketState expected) {
  if (id >= tickets_.size() || tickets_[id].state != expected)
    throw std::logic_error("ticket " + std::to_string(id) + " is not in the state this transition needs");
  return tickets_[id];
}

TicketId TicketBook::open(double now, int category, int interval, std::uint32_t tags) {
  const TicketId id = allocate();
  const TicketCategory& c = scenario_.ticket_categories[category];
  tickets_[id] = Ticket{TicketState::open, category, c.owner_group, interval, now, now + c.sla, 0};
  if (!has_back_office()) {
    // A delay: straight to the owning group, worked in parallel with every other.
    at(id, TicketState::open).state = TicketState::assigned;
    at(id, TicketState::assigned).state = TicketState::in_progress;
    driver_.ticket_opened(id, category);
    return id;
  }
  Order& o = orders_[id];
  ticketing::OpenRequest request{kCustomer, c.name, {}, {}, ""};
  for (std::size_t t = 0; t < tag_names_.size() && t < 32; ++t)
    if (tags & (1u << t)) request.tags.push_back(tag_names_[t]);
  o.model = ticketing::open(rules_, request, now, kSystem);
  o.category = category;
  o.group = group_of(o.model.group);
  o.worker = -1;
  ++o.token;
  integrate(now);
  backlog_changed(o.group, +1);
  record(now, o.group, [](TicketCounters& k) { ++k.created; });
  if (o.model.escalated) {  // an escalation tag: counted in the group the rules gave it first
    int from = o.group;
    for (const ticketing::Change& ch : o.model.history)
      if (ch.field == "group") from = group_of(ch.from);
    record(now, from, [](TicketCounters& k) { ++k.escalated; });
  } else {
    driver_.start_timer(just_after(o.model.first_response_due), TimerRef{TimerKind::ticket_first_response, id, o.token});
  }
  driver_.start_timer(just_after(o.model.resolution_due), TimerRef{TimerKind::ticket_resolution, id, o.token});
  enqueue(id);
  serve_queue(now, o.group);
  return id;
}

int TicketBook::group_of(const std::string& name) const {
  for (std::size_t g = 0; g < groups_.size(); ++g)
    if (scenario_.groups[groups_[g].agent_group].name == name) return static_cast<int>(g);
  // The scenario loader refuses a ticket group without a back office.
  throw std::logic_error("agent group '" + name + "' has no back office");
}

void TicketBook::enqueue(TicketId id) {
  const Order& o = orders_[id];
  groups_[o.group].queue.push(Waiting{o.model.priority, o.model.created, id, o.queued});
}

void TicketBook::serve_queue(double now, int g) {
  Group& grp = groups_[g];
  while (!grp.idle.empty() && !grp.queue.empty()) {
    const Waiting w = grp.queue.top();
    grp.queue.pop();
    Order& o = orders_[w.id];
    if (tickets_[w.id].state != TicketState::open || o.queued != w.token || o.group != g) continue;  // stale
    const int worker = grp.idle.back();
    grp.idle.pop_back();
    ++grp.busy;
    ++o.queued;
    o.worker = worker;
    ticketing::assign(o.model, grp.worker_names[worker], now, kSystem);
    ticketing::move(o.model, Status::in_progress, now, kSystem);
    at(w.id, TicketState::open).state = TicketState::assigned;
    at(w.id, TicketState::assigned).state = TicketState::in_progress;
    driver_.ticket_opened(w.id, o.category);
  }
}

void TicketBook::work_done(double now, TicketId id) {
  Ticket& t = at(id, TicketState::in_progress);
  t.state = TicketState::resolved;
  t.resolved = now;
  if (t.interval >= 0) {
    ++resolved_;
    if (now <= t.due) ++within_sla_;
  }
  if (!has_back_office()) {
    at(id, TicketState::resolved).state = TicketState::closed;  // closing needs no further work
    release(id);
    return;
  }
  Order& o = orders_[id];
  ticketing::move(o.model, Status::resolved, now, kSystem);
  ticketing::move(o.model, Status::closed, now, kSystem);
  ++o.token;  // its due timers are now stale
  integrate(now);
  const double age = now - o.model.created;
  const bool within = ticketing::resolved_within_sla(o.model);
  record(now, o.group, [&](TicketCounters& k) {
    ++k.resolved;
    if (within) ++k.resolved_within_sla;
    k.age_sum += age;
    k.ages.push_back(age);
  });
  backlog_changed(o.group, -1);
  const int g = o.group;
  const int worker = o.worker;
  at(id, TicketState::resolved).state = TicketState::closed;
  release(id);
  worker_free(now, g, worker);
}

void TicketBook::worker_free(double now, int g, int worker) {
  Group& grp = groups_[g];
  --grp.busy;
  if (grp.leaving > 0) {  // the interval's staffing is lower now: this worker goes off duty
    --grp.leaving;
    grp.off.push_back(worker);
    return;
  }
  grp.idle.push_back(worker);
  serve_queue(now, g);
}

void TicketBook::on_timer(double now, TimerRef ref) {
  if (ref.target >= orders_.size()) return;
  Order& o = orders_[ref.target];
  if (o.token != ref.token) return;
  if (ref.kind == TimerKind::ticket_resolution) {
    if (!ticketing::is_open(o.model.status)) return;
    integrate(now);
    record(now, o.group, [](TicketCounters& k) { ++k.breached; });
    return;
  }
  // First response due and still waiting in its group's queue: escalate.
  const int from = o.group;
  if (!ticketing::escalate_if_due(o.model, rules_, now, kSystem)) return;
  integrate(now);
  record(now, from, [](TicketCounters& k) { ++k.escalated; });
  o.group = group_of(o.model.group);
  if (o.group != from) {
    backlog_changed(from, -1);
    backlog_changed(o.group, +1);
  }
  ++o.queued;  // the old queue entry is stale
  enqueue(ref.target);
  serve_queue(now, o.group);
}

void TicketBook::on_interval(double now, int index) {
  if (!has_back_office()) return;
  integrate(now);
  if (current_interval_ >= 0) interval_[current_interval_].backlog_end = unresolved_;
  const int intervals = static_cast<int>(interval_.size());
  if (index >= intervals) {
    total_.backlog_end = unresolved_;
    for (Group& g : groups_) g.total.backlog_end = g.unresolved;
  }
  current_interval_ = index >= 0 && index < intervals ? index : -1;
  const int staffing_interval = std::clamp(index, 0, std::max(0, intervals - 1));
  if (index >= intervals && intervals > 0) return;  // after the horizon the last interval's staffing holds
  for (int g = 0; g < static_cast<int>(groups_.size()); ++g) staff(now, g, groups_[g].spec->staffed_at(staffing_interval));
}

void TicketBook::staff(double now, int g, int workers) {
  Group& grp = groups_[g];
  int on_duty = static_cast<int>(grp.idle.size()) + grp.busy - grp.leaving;
  while (on_duty < workers && grp.leaving > 0) {  // a busy worker who was to leave stays
    --grp.leaving;
    ++on_duty;
  }
  while (on_duty < workers && !grp.off.empty()) {
    grp.idle.push_back(grp.off.back());
    grp.off.pop_back();
    ++on_duty;
  }
  while (on_duty > workers && !grp.idle.empty()) {
    grp.off.push_back(grp.idle.back());
    grp.idle.pop_back();
    --on_duty;
  }
  grp.leaving += on_duty - workers;  // the rest finish their ticket first
  serve_queue(now, g);
}

int TicketBook::counted_interval(double now) const {
  const Horizon& h = scenario_.horizon;
  if (now < 0 || now >= h.length) return -1;
  return std::min(static_cast<int>(now / h.interval), static_cast<int>(interval_.size()) - 1);
}

template <class Update>
void TicketBook::record(double now, int g, Update&& update) {
  const int interval = counted_interval(now);
  if (interval < 0) return;  // warm-up or after the horizon: not counted, like calls
  update(total_);
  update(interval_[interval]);
  update(groups_[g].total);
}

// The backlog integrals up to `now` (only time inside the horizon counts).
void TicketBook::integrate(double now) {
  const double from = std::max(since_, 0.0);
  const double to = std::min(now, scenario_.horizon.length);
  if (current_interval_ >= 0 && to > from) {
    const double dt = to - from;
    interval_[current_interval_].backlog_integral += dt * unresolved_;
    interval_[current_interval_].seconds += dt;
    total_.backlog_integral += dt * unresolved_;
    total_.seconds += dt;
    for (Group& g : groups_) {
      g.total.backlog_integral += dt * g.unresolved;
      g.total.seconds += dt;
    }
  }
  since_ = now;
}

void TicketBook::backlog_changed(int g, int delta) {
  unresolved_ += delta;
  groups_[g].unresolved += delta;
}

// At the end of a run (the book is not used after it).
void TicketBook::report(double now, KpiReport& r) {
  if (!has_back_office()) return;
  integrate(now);
  if (now < scenario_.horizon.length) {  // a run stopped inside the horizon: the backlog now
    if (current_interval_ >= 0) interval_[current_interval_].backlog_end = unresolved_;
    total_.backlog_end = unresolved_;
    for (Group& g : groups_) g.total.backlog_end = g.unresolved;
  }
  r.has_back_office = true;
  r.back_office_total = derive(total_);
  for (const TicketCounters& k : interval_) r.back_office_interval.push_back(derive(k));
  for (const Group& g : groups_) r.back_office_group.push_back(derive(g.total));
}

}  // namespace switchboard
