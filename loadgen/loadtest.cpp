#include "loadgen/loadtest.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "core/input_error.hpp"
#include "loadgen/assertions.hpp"
#include "loadgen/caller_plan.hpp"
#include "loadgen/child_process.hpp"
#include "loadgen/metrics_scrape.hpp"
#include "loadgen/prediction.hpp"
#include "loadgen/report.hpp"
#include "loadgen/report_html.hpp"
#include "loadgen/served_scenario.hpp"
#include "loadgen/sipp_injection.hpp"
#include "loadgen/sipp_results.hpp"
#include "loadgen/sipp_scenarios.hpp"

namespace fs = std::filesystem;

namespace switchboard::loadgen {

namespace {

constexpr double kScrapeEvery = 2;      // wall seconds between /metrics scrapes
constexpr double kReadyTimeout = 10;    // wall seconds for --serve to answer /metrics
// One SIPp process is single-threaded: at 10,000 calls at once its own
// latency shows in the INVITE->200 tail (loadgen/load-10k.yaml: p99 28 and
// 52 ms with one process, 16 and 28 ms with two, docs/performance.md).
constexpr std::size_t kCallersPerSipp = 10000;

int default_sipp_processes(std::size_t callers) {
  const auto cores = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(std::clamp<std::size_t>((callers + kCallersPerSipp - 1) / kCallersPerSipp, 1, cores));
}

// Ctrl-C or SIGTERM: the run stops its children and writes what it has.
// A signal handler can only reach a flag; this one is the process's.
volatile sig_atomic_t g_interrupted = 0;
void on_interrupt(int) { g_interrupted = 1; }

class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

[[noreturn]] void bad(const std::string& field, const std::string& message) { throw InputError(Problem{"", 0, 0, field, message}); }

struct HostPort {
  std::string host;
  int port = 0;
};

HostPort parse_host_port(const std::string& text, const std::string& flag, const std::string& expected) {
  const auto colon = text.rfind(':');
  HostPort hp;
  if (colon != std::string::npos) {
    hp.host = text.substr(0, colon);
    const std::string port = text.substr(colon + 1);
    if (!port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos) hp.port = std::stoi(port);
  }
  if (hp.host.empty() || hp.port < 1 || hp.port > 65535) bad(flag, "expected " + expected + ", got '" + text + "'");
  return hp;
}

// The directory the report goes to must be writable (or creatable) before
// anything runs: a run is not thrown away for want of a place to put it.
void check_out_dir(const fs::path& out) {
  std::error_code ec;
  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) bad("--out", "expected a directory, but '" + out.string() + "' is a file");
    if (access(out.c_str(), W_OK) != 0) bad("--out", "cannot write into '" + out.string() + "'");
    return;
  }
  fs::path parent = fs::absolute(out, ec).parent_path();
  while (!parent.empty() && !fs::exists(parent, ec)) parent = parent.parent_path();
  if (parent.empty() || access(parent.c_str(), W_OK) != 0) bad("--out", "cannot create '" + out.string() + "'");
}

std::string tail_of(const fs::path& file, std::size_t bytes = 600) {
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

double unix_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A scratch directory for SIPp's files and the server's logs, removed at the end.
class WorkDir {
 public:
  WorkDir() {
    std::string pattern = (fs::temp_directory_path() / "switchboard-loadtest-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
    path_ = pattern;
  }
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

// Is anyone answering SIP at the target? One OPTIONS through SIPp.
bool answers_options(const WorkDir& work, const HostPort& target) {
  write_text(work.path() / "options-probe.xml", kOptionsProbeXml);
  ChildProcess probe({"sipp", "-sf", "options-probe.xml", "-m", "1", fmt::format("{}:{}", target.host, target.port), "-i", "127.0.0.1",
                      "-p", std::to_string(free_port(true)), "-nostdin", "-recv_timeout", "2000", "-timeout", "5s"},
                     work.path().string(), (work.path() / "probe.out").string(), (work.path() / "probe.err").string());
  if (!probe.wait_for(8)) return false;
  return probe.exit_status() == 0;
}

class ProgressLine {
 public:
  explicit ProgressLine(bool wanted) : enabled_(wanted && isatty(STDERR_FILENO) != 0) {}
  void show(double elapsed, std::size_t placed, std::size_t total, double active, double failed, double rate) {
    if (!enabled_) return;
    std::fprintf(stderr, "\r%7.1fs  placed %zu/%zu  active %.0f  failed %.0f  rate %.1f/s   ", elapsed, placed, total, active, failed,
                 rate);
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

// A large run holds many calls and sockets in SIPp and the server: raise
// this process's soft limit on open files to its hard limit (the children
// inherit it). Never above the hard limit, never system-wide: no root needed.
void raise_open_files_limit() {
  struct rlimit rl {};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// Appends `flag NAME=N,...` for the nonzero counts (the form serve's
// --calls-before and --self-service-before read), or nothing when all are 0.
template <class NameOf>
void push_counts(std::vector<std::string>& argv, const char* flag, const std::vector<std::uint64_t>& counts, NameOf name_of) {
  std::string list;
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (counts[i] > 0) list += fmt::format("{}{}={}", list.empty() ? "" : ",", name_of(i), counts[i]);
  if (list.empty()) return;
  argv.push_back(flag);
  argv.push_back(list);
}

}  // namespace

int run_loadtest(const Scenario& scenario, const LoadtestOptions& o) {
  // Everything the user can get wrong is checked before anything starts.
  std::vector<Assertion> assertions;
  for (const auto& text : o.assertions) assertions.push_back(parse_assertion(text, scenario));
  const bool serve = !o.serve_command.empty();
  if (serve == !o.target.empty()) bad("--target", "expected either --target udp:HOST:PORT or --serve");
  HostPort target;
  if (!serve) {
    if (o.target.rfind("udp:", 0) != 0) bad("--target", "expected udp:HOST:PORT (SIPp places the calls over UDP), got '" + o.target + "'");
    target = parse_host_port(o.target.substr(4), "--target", "udp:HOST:PORT");
  }
  check_dialable(scenario);
  const PlanWindow window = o.window.empty() ? PlanWindow{0, scenario.horizon.length} : parse_window(o.window, scenario.horizon);
  const Plan plan = plan_calls(scenario, o.seed, window);
  if (plan.calls.empty())
    bad(o.window.empty() ? "scenario" : "--window", "no call arrives in the window: the scenario's traffic there is zero");
  if (!on_path("sipp")) bad("sipp", "SIPp is not installed (Debian package sip-tester; scripts/install-deps installs it)");
  check_out_dir(o.out_dir);

  raise_open_files_limit();
  WorkDir work;
  InterruptGuard interrupts;
  RunRecord run;
  run.time_scale = o.time_scale;
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };

  std::unique_ptr<ChildProcess> server;
  HostPort metrics;
  if (!o.metrics.empty()) metrics = parse_host_port(o.metrics, "--metrics", "HOST:PORT of the target's /metrics");
  const int parts = o.sipp_processes > 0 ? std::clamp(o.sipp_processes, 1, 64) : default_sipp_processes(plan.calls.size());
  const double lead = 1.0 + static_cast<double>(plan.calls.size()) / parts / 2000.0;  // time for SIPp to create its calls
  // Where the window starts on the wall clock (Unix ms). With a served
  // scenario whose staffing varies, at a boundary of the server's intervals,
  // so its agents change shift when the callers' day does.
  double window_epoch_ms = 0;
  if (serve) {
    target = {"127.0.0.1", free_port(true)};
    metrics = {"127.0.0.1", free_port(false)};
    const double interval_wall = scenario.horizon.interval / o.time_scale;
    const IntervalRange range = window_intervals(scenario.horizon, window);
    const bool align = staffing_varies(scenario);
    const int server_interval = align ? static_cast<int>(std::ceil((3 + lead) / interval_wall)) : 0;
    write_text(work.path() / "scenario.yaml", served_scenario_yaml(o.scenario_path, range.first, server_interval));
    std::vector<std::string> argv = o.serve_command;
    for (const std::string& a : {(work.path() / "scenario.yaml").string(), std::string("--sip"), fmt::format("udp:127.0.0.1:{}", target.port),
                                 std::string("--metrics"), fmt::format("127.0.0.1:{}", metrics.port), std::string("--time-scale"),
                                 fmt::format("{:g}", o.time_scale), std::string("--seed"), std::to_string(o.seed), std::string("--max-calls"),
                                 std::to_string(plan.calls.size() + 1000), std::string("--grace"), std::string("5")})
      argv.push_back(a);
    // The server's day starts where the scenario's does (its interval 0 at
    // start), whatever the time of day: queue hours and staffing then follow
    // the same clock as the callers' plan.
    const int day_start = static_cast<int>(std::lround(std::fmod(scenario.horizon.start_clock, 86400)));
    // The callers learn that an agent answered from the connect re-INVITE
    // (loadgen/caller-plan.xml): their patience runs only while they wait.
    argv.push_back("--connect-signal");
    argv.push_back("reinvite");
    // The window's calls get the talk times the simulated day gives them
    // (sim::VirtualAgents::skip_calls): the day's earlier calls had theirs.
    push_counts(argv, "--calls-before", plan.calls_before, [&](std::size_t t) { return scenario.call_types[t].name; });
    // The bot's outcomes the plan told the callers (caller_plan.hpp) are the
    // server's draws only when its bot starts where the plan's did.
    push_counts(argv, "--self-service-before", plan.self_service_before, [&](std::size_t n) { return scenario.ivr[n].id; });
    argv.push_back("--clock");
    argv.push_back(fmt::format("{:02}:{:02}:{:02}", day_start / 3600, day_start / 60 % 60, day_start % 60));
    server = std::make_unique<ChildProcess>(argv, work.path().string(), (work.path() / "serve.out").string(),
                                            (work.path() / "serve.err").string());
    while (!fetch_metrics(metrics.host, metrics.port, 0.5)) {
      if (!server->running())
        bad("--serve", "switchboard serve stopped at start (status " + std::to_string(server->exit_status()) + "): " +
                           tail_of(work.path() / "serve.err"));
      if (elapsed() > kReadyTimeout) bad("--serve", "switchboard serve did not answer /metrics within 10 s");
      if (g_interrupted) bad("--serve", "interrupted while waiting for the server");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // The server's interval clock starts right after its metrics endpoint
    // opens (sip::Server constructs the exposer, then starts): the first
    // answer is the best estimate of it, within one poll.
    const double started_ms = unix_ms();
    if (align) {
      window_epoch_ms = started_ms + (server_interval * interval_wall + (window.start - range.first * scenario.horizon.interval) / o.time_scale) * 1000;
      if (window_epoch_ms < unix_ms() + lead * 1000) bad("--serve", "switchboard serve took too long to start for the window's first interval");
    }
  } else if (!answers_options(work, target)) {
    bad("--target", fmt::format("no SIP server answers OPTIONS at {}:{} (unreachable, or not a SIP server)", target.host, target.port));
  }
  if (window_epoch_ms == 0) window_epoch_ms = unix_ms() + lead * 1000;
  run.target = fmt::format("udp:{}:{}", target.host, target.port);
  const bool have_metrics = metrics.port != 0;
  ProcessUsage server_usage;
  double server_usage_at = elapsed();
  auto scrape = [&] {
    if (server && server->running()) {  // the served server's CPU and memory, for the report
      const ProcessUsage u = usage_of(server->pid());
      const double now = elapsed();
      const double cpu = now > server_usage_at ? 100 * (u.cpu_seconds - server_usage.cpu_seconds) / (now - server_usage_at) : 0;
      run.server.push_back({now, cpu, u.rss_mb});
      server_usage = u;
      server_usage_at = now;
    }
    if (!have_metrics) return;
    if (auto text = fetch_metrics(metrics.host, metrics.port)) {
      Scrape s = parse_metrics(*text);
      s.wall = elapsed();
      run.scrapes.push_back(std::move(s));
    }
  };
  scrape();

  // SIPp: every call created at once; each waits for its row's instant.
  write_text(work.path() / "caller-plan.xml", kCallerPlanXml);
  run.lead = elapsed() + (window_epoch_ms - unix_ms()) / 1000;
  const InjectionTiming timing{window_epoch_ms, o.time_scale};
  const double window_wall = (std::min(window.end, scenario.horizon.length) - window.start) / o.time_scale;
  const double deadline = run.lead + window_wall + o.drain;
  std::vector<std::unique_ptr<ChildProcess>> sipps;
  std::vector<int> counts;
  for (int p = 0; p < parts; ++p) {
    const std::string inf = fmt::format("calls-{}.csv", p);
    write_text(work.path() / inf, injection_file(scenario, plan, timing, static_cast<std::size_t>(p), static_cast<std::size_t>(parts)));
    const std::size_t n = (plan.calls.size() - static_cast<std::size_t>(p) + parts - 1) / parts;
    if (n == 0) continue;
    counts.push_back(static_cast<int>(n));
    sipps.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{"sipp", "-sf", "caller-plan.xml", "-inf", inf, "-m", std::to_string(n), "-r", "2000", "-rp", "1000", "-l",
                                 std::to_string(n), fmt::format("{}:{}", target.host, target.port), "-i", "127.0.0.1", "-p",
                                 std::to_string(free_port(true)), "-mp", std::to_string(free_port(true)), "-nostdin", "-trace_stat",
                                 "-stf", fmt::format("stat-{}.csv", p), "-fd", "1", "-trace_rtt", "-rtt_freq", "1", "-trace_err", "-error_file",
                                 fmt::format("errors-{}.log", p), "-timeout",
                                 fmt::format("{:.0f}s", deadline + 5), "-max_socket", "65000",
                                 // a bigger socket buffer where the system allows it (the kernel caps it at
                                 // net.core.rmem_max/wmem_max; loadtest changes no system setting)
                                 "-buff_size", "4194304"},
        work.path().string(), (work.path() / fmt::format("sipp-{}.out", p)).string(),
        (work.path() / fmt::format("sipp-{}.err", p)).string()));
  }

  ProgressLine progress(o.progress);
  double next_scrape = elapsed() + kScrapeEvery, next_progress = 0;
  auto sipp_counts = [&] {
    SippCounts total;
    for (std::size_t p = 0; p < sipps.size(); ++p) total.add(read_sipp_stats((work.path() / fmt::format("stat-{}.csv", p)).string()));
    return total;
  };
  auto placed_by = [&](double wall) {  // calls whose arrival instant has come
    const double now_ms = timing.epoch_ms + (wall - run.lead) * 1000;
    std::size_t n = 0;
    for (const auto& c : plan.calls)
      if (timing.epoch_ms + (c.arrival - window.start) * 1000 / o.time_scale <= now_ms) ++n;
    return n;
  };
  for (;;) {
    bool any = false;
    for (auto& s : sipps) any = s->running() || any;
    if (!any) break;
    if (g_interrupted) {
      run.complete = false;
      run.stopped_because = "interrupted (SIGINT/SIGTERM)";
      break;
    }
    if (elapsed() > deadline) {
      run.complete = false;
      run.stopped_because = fmt::format("calls still in progress {:.0f} s after the last arrival (--drain)", o.drain);
      break;
    }
    if (server && !server->running()) {
      run.complete = false;
      run.stopped_because = "the server stopped during the run: " + tail_of(work.path() / "serve.err", 300);
      break;
    }
    const double now = elapsed();
    if (now >= next_scrape) {
      scrape();
      next_scrape = now + kScrapeEvery;
    }
    if (now >= next_progress) {
      const SippCounts c = sipp_counts();
      const std::size_t placed = placed_by(now);
      const double ended = c.successful + c.failed;
      progress.show(now, placed, plan.calls.size(), std::max(0.0, static_cast<double>(placed) - ended), c.failed,
                    static_cast<double>(placed - placed_by(now - 5)) / 5);
      next_progress = now + 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Stop what still runs: SIPp first (SIGINT: it writes its statistics and
  // quits), then the server, drained with SIGTERM.
  for (auto& s : sipps) s->signal(SIGINT);
  for (auto& s : sipps)
    if (!s->wait_for(3)) s->signal(SIGKILL);
  for (auto& s : sipps) s->wait_for(2);
  progress.finish();
  scrape();
  if (server) {
    server->signal(SIGTERM);
    if (!server->wait_for(10)) server->signal(SIGKILL);
  }
  run.wall_seconds = elapsed();
  run.sipp = sipp_counts();
  for (std::size_t p = 0; p < sipps.size(); ++p) {
    const auto rtt = work.path() / fmt::format("caller-plan_{}_rtt.csv", sipps[p]->pid());
    const auto times = read_sipp_response_times(rtt.string());
    run.invite_ms.insert(run.invite_ms.end(), times.begin(), times.end());
    for (const auto& [k, v] : read_sipp_unexpected((work.path() / fmt::format("errors-{}.log", p)).string())) run.unexpected[k] += v;
  }

  // The simulator's prediction, the verdicts, the report.
  const Prediction prediction = predict(scenario, o.seed, window, o.replications);
  std::vector<Verdict> verdicts;
  bool missed = false;
  for (const Assertion& a : assertions) {
    verdicts.push_back(check(a, [&](const std::string& m, const std::string& q) { return measure_for_assertion(scenario, run, m, q); }));
    missed = missed || !verdicts.back().passed;
  }
  std::vector<Agreement> agreements;
  if (o.agreement) {
    if (run.scrapes.size() < 2) {
      missed = true;
      std::fprintf(stderr, "switchboard loadtest: --agreement needs the server's /metrics (--serve, or --metrics HOST:PORT)\n");
    } else {
      const Scrape &a = run.scrapes.front(), &b = run.scrapes.back();
      auto add = [&](const std::string& queue, const std::array<Predicted, kWindowKpis>& p) {
        const WindowKpis k = measured(a, b, queue);
        const double calls = k[static_cast<int>(WindowKpi::offered)];
        for (WindowKpi kpi : {WindowKpi::sl, WindowKpi::asa, WindowKpi::abandon_rate, WindowKpi::handled})
          agreements.push_back(compare(kpi, queue, k[static_cast<int>(kpi)], p[static_cast<int>(kpi)], calls));
      };
      add("", prediction.total);
      for (std::size_t q = 0; q < prediction.queue.size(); ++q) add(scenario.queues[q].name, prediction.queue[q]);
      for (const Agreement& g : agreements) missed = missed || !g.agrees;
    }
  }
  const nlohmann::json report = report_json(ReportInputs{scenario, o.seed, plan, run, prediction, verdicts, agreements});
  fs::create_directories(o.out_dir);
  write_file_atomically(fs::path(o.out_dir) / "report.html", report_html(report));
  write_file_atomically(fs::path(o.out_dir) / "report.json", report.dump(2) + "\n");

  // One summary on stdout; the verdicts that failed on stderr.
  const auto& measured_total = report["measured"].contains("total") ? report["measured"]["total"] : nlohmann::json();
  std::printf("%s: %zu calls placed over %.1f s (window %s-%s, time scale %g): %.0f failed", scenario.name.c_str(), plan.calls.size(),
              run.wall_seconds, report["window"]["start"].get<std::string>().c_str(),
              report["window"]["end"].get<std::string>().c_str(), o.time_scale, run.sipp.failed);
  if (!measured_total.is_null())
    std::printf(", SL %.3f (simulator %.3f), ASA %.1f s (%.1f), abandoned %.3f (%.3f)", measured_total["sl"].get<double>(),
                prediction.total[static_cast<int>(WindowKpi::sl)].mean, measured_total["asa"].get<double>(),
                prediction.total[static_cast<int>(WindowKpi::asa)].mean, measured_total["abandon_rate"].get<double>(),
                prediction.total[static_cast<int>(WindowKpi::abandon_rate)].mean);
  std::printf("\nreport: %s (and report.html)\n", (fs::path(o.out_dir) / "report.json").c_str());
  for (const Verdict& v : verdicts)
    if (!v.passed) std::fprintf(stderr, "switchboard loadtest: threshold %s\n", v.message.c_str());
  for (const Agreement& g : agreements)
    if (!g.agrees)
      std::fprintf(stderr, "switchboard loadtest: disagrees with the simulator: %s%s measured %g, simulator's 99%% run interval [%g, %g] +- %g\n",
                   g.kpi.c_str(), g.queue.empty() ? "" : ("{queue=" + g.queue + "}").c_str(), g.measured, g.low, g.high, g.tolerance);
  if (!run.complete) {
    std::fprintf(stderr, "switchboard loadtest: incomplete: %s\n", run.stopped_because.c_str());
    return g_interrupted ? 130 : 1;
  }
  return missed ? 1 : 0;
}

}  // namespace switchboard::loadgen
