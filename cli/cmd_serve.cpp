// `switchboard serve SCENARIO`: the call center on real SIP.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "io/agent_logins.hpp"
#include "io/clock_text.hpp"
#include "io/interval_series.hpp"
#include "io/scenario_loader.hpp"
#include "sip/sip_server.hpp"
#include "store/served_tickets.hpp"
#include "wfm/early_warning.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {
const char* kUsage = R"(usage: switchboard serve SCENARIO.yaml [--sip udp:127.0.0.1:5060] [--sip tcp:...] [--metrics 127.0.0.1:9464]
                          [--agents virtual|sip] [--agent-logins FILE] [--time-scale K] [--max-calls N]
                          [--media none|rtp] [--prompts DIR] [--seed N] [--clock HH:MM]
                          [--tickets-db FILE|postgresql://...|none] [--tickets-sync normal|full]
                          [--api 127.0.0.1:PORT --api-tokens FILE]
                          [--ticket-webhook http://HOST:PORT/PATH] [options]

Runs the scenario's call center on SIP in real time: callers dial
sip:CALLTYPE@ADDRESS (the user part names the scenario's call type), the
IVR runs (prompts are timed; DTMF as SIP INFO), calls queue and agents
answer them: virtual agents as the scenario's behaviour models say, or (with
--agents sip) SIP phones that REGISTER with the scenario's agent_logins or
--agent-logins FILE (user,password,group) and are INVITEd. When an agent is
connected the server can re-INVITE the caller with the agent's media
(--connect-signal reinvite; the default none suits SIPp's stock uac). SIGTERM
drains: new INVITEs get 503, calls in progress may finish within --grace
seconds. Tickets the call center opens, the IVR's ticket_status lookups and
promised callbacks live in --tickets-db (default DIR/tickets.db with
--log-dir DIR, else ./tickets.db); --api serves the ticket API (docs/tickets.md)
beside the SIP server. docs/serve.md has the details and the metrics.)";
// Where --tickets-db points: "none", a postgresql:// URL, or a file (by
// default DIR/tickets.db with --log-dir DIR, else ./tickets.db).
std::string tickets_location(const std::string& flag, const std::string& log_dir) {
  if (!flag.empty()) return flag;
  return log_dir.empty() ? "tickets.db" : (std::filesystem::path(log_dir) / "tickets.db").string();
}

bool is_file_location(const std::string& location) { return location != "none" && location.rfind("postgres", 0) != 0; }

// The ticket store serve keeps (--tickets-db, --api, --ticket-webhook), every
// flag checked before anything is opened; null with --tickets-db none.
std::unique_ptr<store::ServedTickets> open_tickets(const Scenario& scenario, const std::string& location, const std::string& log_dir,
                                                   const std::string& sync, bool sync_given, const std::string& api,
                                                   const std::string& api_tokens, const std::string& webhook) {
  const auto parsed_sync = store::parse_sync(sync);
  require_flag(parsed_sync.has_value(), "--tickets-sync", "normal or full; got '" + sync + "'");
  require_flag(!sync_given || is_file_location(location), "--tickets-sync",
               "a SQLite --tickets-db (PostgreSQL keeps its own fsync and synchronous_commit settings)");
  if (location == "none") {
    require_flag(api.empty(), "--api", "a --tickets-db (the API serves the tickets stored there), not none");
    require_flag(webhook.empty(), "--ticket-webhook", "a --tickets-db (the changes of its tickets are posted), not none");
    return nullptr;
  }
  store::ServedTicketsOptions t;
  t.location = location;
  t.sync = *parsed_sync;
  if (!api.empty()) {
    const HostPort hp = host_port_flag(api.find(':') == std::string::npos ? "127.0.0.1:" + api : api, "--api");
    t.api_host = hp.host;
    t.api_port = hp.port;
    require_flag(!api_tokens.empty(), "--api-tokens", "the file of bearer tokens the API accepts (NAME SECRET [read|write] a line)");
    t.api_tokens = store::load_api_tokens(api_tokens, "--api-tokens");
  }
  require_flag(!api_tokens.empty() ? !api.empty() : true, "--api-tokens", "only with --api");
  if (!webhook.empty()) {
    require_flag(store::parse_webhook_url(webhook).has_value(), "--ticket-webhook",
                 "an http://HOST[:PORT][/PATH] URL (https is not supported); got '" + webhook + "'");
    t.webhook_url = webhook;
  }
  // serve writes its log files into --log-dir: the tickets may go there too.
  if (!log_dir.empty() && is_file_location(location)) {
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
  }
  auto clock = [] { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); };
  try {
    return std::make_unique<store::ServedTickets>(scenario, t, clock);
  } catch (const store::ApiListenError& e) {
    throw InputError(Problem{"", 0, 0, "--api", e.what()});
  } catch (const store::StoreError& e) {
    throw InputError(Problem{"", 0, 0, "--tickets-db", e.what()});
  }
}

const std::string& name_of(const CallType& t) { return t.name; }
const std::string& name_of(const IvrNode& n) { return n.id; }

// --calls-before CALLTYPE=N[,...] (a count per call type) and
// --self-service-before NODE=N[,...] (per IVR node): counts by name.
template <class Items>
std::vector<std::uint64_t> counts_flag(const std::string& text, const Items& items, const std::string& flag, const std::string& what) {
  std::vector<std::uint64_t> counts;
  if (text.empty()) return counts;
  counts.assign(items.size(), 0);
  for (std::size_t from = 0, to; from <= text.size(); from = to + 1) {
    to = std::min(text.find(',', from), text.size());
    const std::string item = text.substr(from, to - from);
    const auto eq = item.find('=');
    const std::string name = item.substr(0, eq), number = eq == std::string::npos ? "" : item.substr(eq + 1);
    const auto it = std::find_if(items.begin(), items.end(), [&](const auto& i) { return name_of(i) == name; });
    require_flag(it != items.end() && !number.empty() && number.size() <= 12 && number.find_first_not_of("0123456789") == std::string::npos,
                 flag, what + "=N[," + what + "=N...] with a " + (flag == "--calls-before" ? "call type" : "self-service node") +
                           " of the scenario and a whole number, got '" + item + "'");
    counts[static_cast<std::size_t>(it - items.begin())] = std::stoull(number);
  }
  return counts;
}

}  // namespace

int serve(const Args& args) {
  return guarded("serve", [&] {
    std::string scenario_path, agents = "virtual", media = "none", logins_file, clock_text, connect_signal = "none", forecast_file;
    std::string tickets_db, tickets_sync, api, api_tokens, webhook, calls_before, self_service_before;
    std::vector<std::string> listen, networks;
    sip::ServeOptions o;
    po::options_description options("options");
    options.add_options()
      ("scenario", po::value(&scenario_path)->required(), "scenario file (YAML)")
      ("sip", po::value(&listen)->composing(), "transport:address:port to listen on (repeatable); default udp:127.0.0.1:5060")
      ("metrics", po::value(&o.metrics)->default_value("127.0.0.1:9464"), "address:port of the Prometheus endpoint; 'none' to disable")
      ("agents", po::value(&agents)->default_value("virtual"), "virtual: agents simulated inside the server; sip: SIP phones that register")
      ("agent-logins", po::value(&logins_file), "CSV user,password,group of the SIP agents (instead of the scenario's agent_logins)")
      ("agent-networks", po::value(&networks)->composing(), "CIDRs (comma-separated, repeatable) a SIP agent's Contact may be in; default loopback and the listeners' subnets")
      ("time-scale", po::value(&o.time_scale)->default_value(1), "every scenario duration divided by K (60: an hour in a minute)")
      ("max-calls", po::value(&o.max_calls)->default_value(10000), "concurrent calls; beyond, INVITEs get 503 with Retry-After")
      ("media", po::value(&media)->default_value("none"), "none: signalling only; rtp: prompts as G.711 RTP, DTMF also as RFC 4733")
      ("connect-signal", po::value(&connect_signal)->default_value("none"),
       "none: nothing tells the caller an agent answered; reinvite: a re-INVITE with the agent's media (loadgen/caller-ivr.xml waits for it)")
      ("prompts", po::value(&o.prompts_dir), "with --media rtp: DIR/<ivr node id>.wav for each prompt and menu (else silence)")
      ("answer-after", po::value(&o.answer_after)->default_value(0), "ring this many scenario seconds before answering an INVITE")
      ("log-dir", po::value(&o.log_dir), "write events.jsonl and cdr.csv here")
      ("grace", po::value(&o.grace)->default_value(30), "on SIGTERM, wall seconds to let calls finish, then hang up the rest; inf: no limit")
      ("duration", po::value(&o.duration)->default_value(0), "stop (draining) after this many wall seconds; 0 or inf: run until SIGTERM")
      ("dialog-probe", po::value(&o.dialog_probe)->default_value(30),
       "wall seconds between in-dialog OPTIONS to each caller; a 408/481 or silence ends the call; 0: never")
      ("seed", po::value(&o.seed)->default_value(1), "seed of the behaviour streams (virtual agents, self-service, tickets, tags)")
      ("calls-before", po::value(&calls_before),
       "CALLTYPE=N[,CALLTYPE=N...]: the simulated day's calls of each type before the served part (loadtest --window passes it): "
       "the virtual agents' talk times continue the day's streams after theirs")
      ("self-service-before", po::value(&self_service_before),
       "NODE=N[,NODE=N...]: the simulated day's visits to each self-service node before the served part (loadtest --window passes it): "
       "the bot's draws continue the day's stream after theirs")
      ("clock", po::value(&clock_text), "scenario time of day at start, HH:MM or HH:MM:SS (default: the local time of day)")
      ("forecast", po::value(&forecast_file), "timestamp,calls forecast of the day: /metrics exports the next two hours against the plan")
      ("tickets-db", po::value(&tickets_db),
       "SQLite file or postgresql:// URI of the tickets and promised callbacks; default DIR/tickets.db with --log-dir DIR, "
       "else ./tickets.db; none: keep nothing")
      ("tickets-sync", po::value(&tickets_sync)->default_value("normal"),
       "SQLite: normal: a committed ticket or callback survives a crash of serve (kill -9); "
       "full: also a power loss or an OS crash (each commit waits for an fsync)")
      ("api", po::value(&api), "HOST:PORT (or PORT, on 127.0.0.1) of the ticket HTTP API; port 0: a free one")
      ("api-tokens", po::value(&api_tokens), "with --api: the bearer tokens file (NAME SECRET [read|write] a line)")
      ("ticket-webhook", po::value(&webhook), "http://HOST[:PORT][/PATH] to POST every ticket change to (JSON)");
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, positional, vm)) return kExitOk;
    if (!listen.empty()) o.listen = listen;
    if (o.metrics == "none") o.metrics.clear();
    require_flag(agents == "virtual" || agents == "sip", "--agents", "virtual or sip");
    require_flag(logins_file.empty() || agents == "sip", "--agent-logins", "only with --agents sip");
    o.sip_agents = agents == "sip";
    require_flag(networks.empty() || o.sip_agents, "--agent-networks", "only with --agents sip");
    for (const std::string& list : networks)
      for (std::size_t from = 0, to; from <= list.size(); from = to + 1) {
        to = std::min(list.find(',', from), list.size());
        o.agent_networks.push_back(list.substr(from, to - from));
      }
    require_flag(media == "none" || media == "rtp", "--media", "none or rtp");
    require_flag(o.prompts_dir.empty() || media == "rtp", "--prompts", "only with --media rtp");
    o.media_rtp = media == "rtp";
    require_flag(connect_signal == "none" || connect_signal == "reinvite", "--connect-signal", "none or reinvite");
    o.connect_reinvite = connect_signal == "reinvite";
    require_flag(std::isfinite(o.time_scale) && o.time_scale > 0 && o.time_scale <= 10000, "--time-scale", "a factor > 0");
    require_flag(o.max_calls >= 1 && o.max_calls <= 1000000, "--max-calls", "a whole number >= 1");
    require_flag(o.answer_after >= 0, "--answer-after", "seconds >= 0");
    require_flag(o.grace >= 0, "--grace", "seconds >= 0 (inf: no limit)");  // NaN fails too
    require_flag(o.dialog_probe >= 0, "--dialog-probe", "seconds >= 0 (0: no probe)");
    require_flag(o.duration >= 0, "--duration", "seconds >= 0 (0 or inf: until SIGTERM)");
    if (vm.count("clock")) {
      const std::optional<double> clock = parse_clock(clock_text);
      require_flag(clock && *clock < 86400, "--clock", "a clock time HH:MM or HH:MM:SS before 24:00");
      o.clock = *clock;
    }
    Scenario scenario = load_scenario(scenario_path);
    o.calls_before = counts_flag(calls_before, scenario.call_types, "--calls-before", "CALLTYPE");
    o.self_service_before = counts_flag(self_service_before, scenario.ivr, "--self-service-before", "NODE");
    for (std::size_t n = 0; n < o.self_service_before.size(); ++n)
      require_flag(o.self_service_before[n] == 0 || scenario.ivr[n].kind == IvrKind::self_service, "--self-service-before",
                   "self-service nodes only, got '" + scenario.ivr[n].id + "'");
    if (!logins_file.empty()) scenario.agent_logins = read_agent_logins(logins_file, scenario.groups);
    require_flag(!o.sip_agents || !scenario.agent_logins.empty(), "--agents",
                 "sip with agent logins: the scenario's agent_logins section or --agent-logins FILE");
    if (!forecast_file.empty()) o.forecast = wfm::plan_ahead(scenario, read_interval_series(forecast_file), "--forecast");
    const std::string location = tickets_location(tickets_db, o.log_dir);
    const bool created_here = is_file_location(location) && !std::filesystem::exists(location);
    std::unique_ptr<store::ServedTickets> tickets =
        open_tickets(scenario, location, o.log_dir, tickets_sync, !vm["tickets-sync"].defaulted(), api, api_tokens, webhook);
    o.tickets = tickets.get();
    try {
      return sip::serve(scenario, o);
    } catch (const InputError&) {
      // Refused before it took a call (a --sip address in use, say): a
      // database this run created is not left behind.
      tickets.reset();
      std::error_code ec;
      if (created_here)
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(location + suffix, ec);
      throw;
    }
  });
}

}  // namespace switchboard::cli
