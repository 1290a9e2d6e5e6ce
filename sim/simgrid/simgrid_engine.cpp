#include "sim/simgrid/simgrid_engine.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/input_error.hpp"
#include "sim/event_list.hpp"
#include "sim/simgrid/platform_model.hpp"

namespace sg4 = simgrid::s4u;

namespace switchboard::sim {

namespace {

std::vector<std::string> split_names(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

double number_property(const char* text, const std::string& file, const std::string& what) {
  char* end = nullptr;
  const double v = text ? std::strtod(text, &end) : 0;
  if (!text || end == text || *end != '\0' || !(v >= 0))
    throw InputError(Problem{file, 0, 0, what, "expected a number >= 0, got '" + std::string(text ? text : "") + "'"});
  return v;
}

// Reads the call center out of a loaded platform (see platform_model.hpp).
PlatformModel read_model(const sg4::Engine& engine, const Scenario& scenario, const std::string& file) {
  PlatformModel m;
  m.file = file;
  sg4::Host* core = engine.host_by_name_or_null("core");
  if (core == nullptr) throw InputError(Problem{file, 0, 0, "host", "expected a host named 'core': where the call center runs"});
  m.core_speed = core->get_speed();
  if (const char* flops = core->get_property("switchboard.event_flops"))
    m.event_flops = number_property(flops, file, "core: switchboard.event_flops");
  m.groups.assign(scenario.groups.size(), GroupSite{"core", 0, {}});
  std::vector<bool> placed(scenario.groups.size(), false);
  std::vector<Problem> problems;
  sg4::Host* everyone_else = nullptr;  // the host whose switchboard.groups is "*"
  auto place = [&](std::size_t g, sg4::Host* host) {
    placed[g] = true;
    GroupSite& site = m.groups[g];
    site.host = host->get_name();
    std::vector<sg4::Link*> links;
    double latency = 0;
    if (host != core) core->route_to(host, links, &latency);
    site.latency = latency;
    for (sg4::Link* link : links)
      if (const char* at = link->get_property("switchboard.fail_at"))
        site.fails_at.push_back(number_property(at, file, "link " + link->get_name() + ": switchboard.fail_at"));
  };
  for (sg4::Host* host : engine.get_all_hosts()) {
    const char* groups = host->get_property("switchboard.groups");
    if (groups == nullptr) continue;
    if (std::string(groups) == "*") {
      if (everyone_else != nullptr) problems.push_back(Problem{file, 0, 0, "host " + host->get_name(), "only one host may take switchboard.groups=\"*\""});
      everyone_else = host;
      continue;
    }
    for (const std::string& name : split_names(groups)) {
      const auto it = std::find_if(scenario.groups.begin(), scenario.groups.end(), [&](const AgentGroup& g) { return g.name == name; });
      if (it == scenario.groups.end()) {
        problems.push_back(Problem{file, 0, 0, "host " + host->get_name() + ": switchboard.groups",
                                   "unknown agent group '" + name + "' (the scenario has no such group)"});
        continue;
      }
      const std::size_t g = static_cast<std::size_t>(it - scenario.groups.begin());
      if (placed[g]) problems.push_back(Problem{file, 0, 0, "host " + host->get_name(), "agent group '" + name + "' is placed on two hosts"});
      place(g, host);
    }
  }
  for (std::size_t g = 0; g < placed.size(); ++g)
    if (!placed[g] && everyone_else != nullptr) place(g, everyone_else);
  auto whole = [&](const char* text, const std::string& what) {
    const double v = number_property(text, file, what);
    if (v < 1 || v != std::floor(v)) problems.push_back(Problem{file, 0, 0, what, "expected a whole number >= 1"});
    return static_cast<std::size_t>(v);
  };
  if (sg4::Host* trunk = engine.host_by_name_or_null("trunk")) {
    std::vector<sg4::Link*> links;
    trunk->route_to(core, links, &m.trunk_latency);
    if (const char* channels = trunk->get_property("switchboard.channels"))
      m.trunk_channels = whole(channels, "trunk: switchboard.channels");
  }
  for (sg4::Host* host : engine.get_all_hosts())
    if (const char* ports = host->get_property("switchboard.ivr_ports")) m.ivr_ports = whole(ports, "host " + host->get_name() + ": switchboard.ivr_ports");
  for (std::size_t g = 0; g < placed.size(); ++g)
    if (!placed[g])
      problems.push_back(Problem{file, 0, 0, "switchboard.groups",
                                 "agent group '" + scenario.groups[g].name + "' is on no host: give some host the property switchboard.groups"});
  if (!problems.empty()) throw InputError(problems);
  return m;
}

// SimGrid's parser reports a malformed file on stderr and may stop the
// process: check that the file is there and is XML before handing it over.
void check_platform_file(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw InputError(Problem{file, 0, 0, "", "cannot read the platform file"});
  std::string head;
  std::getline(in, head, '>');
  if (head.find("<?xml") == std::string::npos && head.find("<platform") == std::string::npos)
    throw InputError(Problem{file, 1, 1, "", "expected a SimGrid platform (XML starting with <?xml or <platform)"});
}

class SimGridRun final : public EventSink {
 public:
  SimGridRun(const Scenario& scenario, const RunOptions& options, PlatformModel model)
      : model_(std::move(model)), offset_(scenario.horizon.warmup), world_(scenario, options, *this) {}

  void schedule(double at, EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) override {
    // A call from the carrier reaches the core across the trunk's route.
    if (kind == EventKind::arrival || kind == EventKind::redial) at += model_.trunk_latency;
    // The ring goes out to the agent's site and the answer comes back: the
    // caller hears the agent two route latencies later.
    if (kind == EventKind::answered) at += 2 * model_.groups[world_.core().agents()[c].group].latency;
    events_.push(at, kind, a, b, c);
  }
  // Only a caller's patience (World::take_back_patience), which crosses no route.
  std::uint64_t schedule_cancellable(double at, EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) override {
    return events_.push_cancellable(at, kind, a, b, c);
  }
  void cancel(std::uint64_t handle) override { events_.cancel(handle); }

  void start() {
    world_.set_capacity(Capacity{model_.trunk_channels, model_.ivr_ports});
    // In clock mode (no CPU time per event) the world may skip what the
    // event-list engine skips, where the platform changes nothing of it:
    // answers that cross no latency, patience where no site can be lost.
    if (model_.event_flops <= 0) {
      bool answers_cross_latency = false, sites_fail = false;
      for (const auto& g : model_.groups) {
        answers_cross_latency |= g.latency > 0;
        sites_fail |= !g.fails_at.empty();
      }
      if (!answers_cross_latency) world_.answer_at_once();
      if (!sites_fail) world_.take_back_patience();
    }
    world_.start();
    for (std::uint32_t g = 0; g < model_.groups.size(); ++g)
      for (double t : model_.groups[g].fails_at) events_.push(t, EventKind::group_lost, g, 0, 0);
  }

  // Without CPU cost the core never falls behind, and nothing in the run
  // reads SimGrid's clock or state between events: the platform's routes,
  // latencies, capacities and failure times were read once (read_model).
  // So the events are dispatched at their times and the kernel is run once,
  // to the last of them, rather than stopped at every event time: each stop
  // cost about 1,500 instructions, more than the core spends on the event,
  // and changed no number (docs/performance.md, SimGrid engine).
  void run_by_clock(const sg4::Engine& engine, SimGridStats& stats) {
    while (!events_.empty() && events_.top().time <= world_.hard_stop() && !world_.finished()) {
      events_.pop(event_);
      dispatch(event_, event_.time);
    }
    engine.run_until(last_ + offset_);
    finish(stats);
  }

  // With a CPU cost per event, the core is an actor executing that work on
  // its host: a saturated core falls behind its events.
  // An exception must not leave an actor (SimGrid would abort the process):
  // it is kept and rethrown once the engine has returned.
  void run_as_actor(SimGridStats& stats) {
    try {
      run_events_as_actor(stats);
    } catch (...) {
      failure_ = std::current_exception();
    }
  }
  void rethrow_failure() const {
    if (failure_) std::rethrow_exception(failure_);
  }

  void run_events_as_actor(SimGridStats& stats) {
    const double cpu = model_.event_flops;
    double now = 0;
    while (!events_.empty()) {
      events_.pop(event_);
      const Event& e = event_;
      if (e.time > world_.hard_stop()) break;
      if (e.time + offset_ > sg4::Engine::get_clock()) sg4::this_actor::sleep_until(e.time + offset_);
      now = e.time;
      if (cpu > 0) {
        const double before = sg4::Engine::get_clock();
        sg4::this_actor::execute(cpu);
        stats.core_busy_seconds += sg4::Engine::get_clock() - before;
        now = std::max(e.time, sg4::Engine::get_clock() - offset_);
        stats.max_core_lag = std::max(stats.max_core_lag, now - e.time);
      }
      dispatch(e, now);
      if (world_.finished()) break;
    }
    finish(stats);
  }

  KpiReport& report() { return report_; }

 private:
  void dispatch(const Event& e, double now) {
    last_ = now;
    world_.dispatch(now, e);  // the world follows the peak of calls in the system
  }
  void finish(SimGridStats& stats) {
    report_ = world_.report(last_);
    stats.run = world_.stats();
    stats.run.peak_event_list = events_.peak_size();
  }
  double last_ = 0;
  std::exception_ptr failure_;
  PlatformModel model_;
  double offset_;  // SimGrid's clock starts at 0, the horizon's at -warmup
  EventList events_;
  Event event_;  // the one being dispatched (EventList::pop(Event&) says why)
  World world_;
  KpiReport report_;
};

}  // namespace

KpiReport simulate_on_simgrid(const Scenario& scenario, const std::string& platform, const RunOptions& options,
                              SimGridStats* stats) {
  if (!platform.empty()) check_platform_file(platform);
  int argc = 2;
  char name[] = "switchboard";
  char quiet[] = "--log=root.thresh:critical";
  char* argv[] = {name, quiet, nullptr};
  sg4::Engine engine(&argc, argv);
  if (platform.empty()) {
    auto* zone = sg4::create_full_zone("ideal");
    zone->create_host("core", 1e9);
    zone->seal();
  } else {
    try {
      engine.load_platform(platform);
    } catch (const std::exception& e) {
      throw InputError(Problem{platform, 0, 0, "", std::string("the platform does not parse: ") + e.what()});
    }
  }
  PlatformModel model;
  if (platform.empty()) {
    model.groups.assign(scenario.groups.size(), GroupSite{"core", 0, {}});
    model.core_speed = 1e9;
  } else {
    model = read_model(engine, scenario, platform);
  }
  SimGridRun run(scenario, options, model);
  SimGridStats local;
  run.start();
  if (model.event_flops > 0) {
    sg4::Actor::create("core", engine.host_by_name("core"), [&] { run.run_as_actor(local); });
    engine.run();
    run.rethrow_failure();
  } else {
    run.run_by_clock(engine, local);
  }
  if (stats != nullptr) *stats = local;
  return std::move(run.report());
}

}  // namespace switchboard::sim
