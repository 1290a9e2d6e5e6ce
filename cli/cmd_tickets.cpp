// `switchboard tickets --db FILE COMMAND`: the ticket store for people and
// scripts. Parses flags and prints; the work is store/ticket_desk (rules +
// store) and store/ticket_store. Every change is one transaction, so a
// refused request leaves the store as it was.
#include <fmt/format.h>

#include <signal.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "core/ticket_rules.hpp"
#include "store/ticket_api.hpp"
#include "store/ticket_desk.hpp"
#include "store/ticket_http.hpp"
#include "store/ticket_json.hpp"
#include "store/ticket_store.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {

using ticketing::Status;
using ticketing::Ticket;

const char* kUsage = R"(usage: switchboard tickets --db FILE [--sync normal|full] [--scenario FILE] COMMAND [ARGS...]

commands:
  create --customer C --category X [--tag T]... [--call ID]... [--note TEXT]
             open a ticket by the scenario's rules (priority, group, due times,
             escalation tags) and give it to the least-loaded agent who fits
  move ID --to STATE [--agent A] [--note TEXT] [--expect-version V]
             move a ticket through its lifecycle; --to assigned without
             --agent picks the least-loaded agent
  show ID [--format table|json]
  list [--state S] [--category C] [--customer C] [--group G] [--agent A]
       [--open] [--breaching] [--after ID] [--limit N] [--format table|json]
  stats [--format table|json]
             backlog by state and category, age of open tickets, SLA figures
  export [--format json|csv] [--out FILE]
             every ticket (json: with its history)
  escalate   escalate tickets past their first-response due time
  api --tokens FILE [--listen 127.0.0.1:8080]
             serve the HTTP JSON API (docs/tickets.md) until SIGINT/SIGTERM;
             port 0 picks a free one (the first line printed says which)

--db is a SQLite file (created if missing), a postgresql:// URI, or :memory:
(a throwaway store: shows what the rules do without keeping anything).
--sync (SQLite): normal, the default: a committed change survives a crash of
the process; full: also a power loss (each commit waits for an fsync).
States: new, assigned, in_progress, waiting_for_customer, resolved, closed,
cancelled. Times print in UTC; --now sets the time of a change and of the
SLA figures (default: the clock).)";

const std::vector<std::string> kCommands = {"create", "move", "show", "list", "stats", "export", "escalate", "api"};

// The flags each command takes beyond --db, --sync, --scenario, --now and --by.
const std::map<std::string, std::set<std::string>> kOwnFlags = {
    {"create", {"customer", "category", "tag", "call", "note", "format"}},
    {"move", {"id", "to", "agent", "note", "expect-version", "format"}},
    {"show", {"id", "format"}},
    {"list", {"state", "category", "customer", "group", "agent", "open", "breaching", "after", "limit", "format"}},
    {"stats", {"format"}},
    {"export", {"format", "out"}},
    {"escalate", {}},
    {"api", {"listen", "tokens"}},
};

std::string utc(double t) {
  const auto secs = static_cast<std::time_t>(std::floor(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string utc(const std::optional<double>& t) { return t ? utc(*t) : "-"; }

// "2026-12-01T08:00:00Z" (the Z optional) or Unix seconds.
double parse_time(const std::string& text) {
  std::tm tm{};
  char z = 0;
  int n = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &z, &n) >= 6) {
    const bool ends_ok = (z == 0) || (z == 'Z' && n == static_cast<int>(text.size()));
    if (ends_ok && tm.tm_mon >= 1 && tm.tm_mon <= 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 && tm.tm_hour < 24 &&
        tm.tm_min < 60 && tm.tm_sec < 61) {
      tm.tm_year -= 1900;
      tm.tm_mon -= 1;
      return static_cast<double>(timegm(&tm));
    }
  }
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  require_flag(used == text.size() && !text.empty() && std::isfinite(v) && v >= 0, "--now",
               "a UTC time like 2026-12-01T08:00:00Z, or Unix seconds");
  return v;
}

std::string age(double seconds) {
  if (seconds < 3600) return fmt::format("{:.0f}m", seconds / 60);
  if (seconds < 2 * 86400) return fmt::format("{:.1f}h", seconds / 3600);
  return fmt::format("{:.1f}d", seconds / 86400);
}

std::string joined(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string summary(const Ticket& t) {
  return fmt::format("ticket {}: {}{} in {}, priority {}, first response due {}, resolution due {}{}", t.id,
                     ticketing::status_name(t.status), t.agent.empty() ? "" : " to " + t.agent, t.group, t.priority,
                     utc(t.first_response_due), utc(t.resolution_due), t.escalated ? " (escalated)" : "");
}

void show(const Ticket& t) {
  std::cout << fmt::format("ticket {} (version {})\n", t.id, t.version);
  auto row = [](const char* k, const std::string& v) { std::cout << fmt::format("  {:<20} {}\n", k, v); };
  row("customer", t.customer);
  row("category", t.category);
  row("state", std::string(ticketing::status_name(t.status)));
  row("priority", std::to_string(t.priority) + (t.escalated ? " (escalated)" : ""));
  row("group", t.group);
  row("agent", t.agent.empty() ? "-" : t.agent);
  row("tags", t.tags.empty() ? "-" : joined(t.tags));
  row("calls", t.calls.empty() ? "-" : joined(t.calls));
  row("created", utc(t.created));
  row("first response due", utc(t.first_response_due));
  row("first response", utc(t.first_response));
  row("resolution due", utc(t.resolution_due));
  row("resolved", utc(t.resolved));
  std::cout << "history\n";
  for (const auto& c : t.history) {
    std::string what = c.field;
    if (c.field == "created") what += " as " + c.to;
    else if (!c.from.empty() || !c.to.empty()) what += " " + (c.from.empty() ? "-" : c.from) + " -> " + (c.to.empty() ? "-" : c.to);
    std::cout << fmt::format("  {}  {}  {}{}\n", utc(c.at), c.who, what, c.note.empty() ? "" : ": " + c.note);
  }
}

void list_table(const std::vector<Ticket>& tickets) {
  std::cout << fmt::format("{:>6}  {:<20}  {:>3}  {:<12}  {:<16}  {:<10}  {:<10}  {}\n", "id", "state", "pri", "category",
                           "customer", "group", "agent", "resolution due");
  for (const Ticket& t : tickets)
    std::cout << fmt::format("{:>6}  {:<20}  {:>3}  {:<12}  {:<16}  {:<10}  {:<10}  {}\n", t.id,
                             ticketing::status_name(t.status), t.priority, t.category, t.customer, t.group,
                             t.agent.empty() ? "-" : t.agent, utc(t.resolution_due));
}

void stats_table(const store::TicketStats& s) {
  std::cout << "by state:";
  for (int i = 0; i < ticketing::kStatusCount; ++i) {
    const std::string name(ticketing::status_name(static_cast<Status>(i)));
    std::cout << " " << name << " " << s.by_state.at(name);
  }
  std::cout << "\n";
  std::cout << fmt::format("open {} (mean age {}, oldest {}); past resolution due {}; first response overdue {}\n",
                           s.open, age(s.mean_open_age), age(s.max_open_age), s.breaching, s.first_response_breaching);
  std::cout << fmt::format("resolved {}, within SLA {}{}\n", s.resolved, s.resolved_within_sla,
                           s.resolved ? fmt::format(" ({:.1f}%)", 100.0 * s.resolved_within_sla / s.resolved) : "");
  std::cout << fmt::format("{:<16}  {:>6}  {:>9}  {:>8}  {:>10}\n", "category", "open", "breaching", "resolved",
                           "within_sla");
  for (const auto& [name, c] : s.by_category)
    std::cout << fmt::format("{:<16}  {:>6}  {:>9}  {:>8}  {:>10}\n", name, c.open, c.breaching, c.resolved,
                             c.resolved_within_sla);
}

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string export_csv(const std::vector<Ticket>& tickets) {
  std::string out =
      "id,version,customer,category,priority,tags,calls,group,agent,state,escalated,created,first_response_due,"
      "resolution_due,first_response,resolved\n";
  auto time = [](const std::optional<double>& t) { return t ? fmt::format("{}", *t) : std::string(); };
  for (const Ticket& t : tickets)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", t.id, t.version, csv_field(t.customer),
                       csv_field(t.category), t.priority, csv_field(joined(t.tags, ";")), csv_field(joined(t.calls, ";")),
                       csv_field(t.group), csv_field(t.agent), ticketing::status_name(t.status), t.escalated ? 1 : 0,
                       t.created, t.first_response_due, t.resolution_due, time(t.first_response), time(t.resolved));
  return out;
}

std::vector<Ticket> everything(store::TicketStore& db) {
  std::vector<Ticket> all;
  store::TicketQuery q;
  q.limit = 1000;
  q.with_history = true;
  for (;;) {
    auto page = db.list(q);
    all.insert(all.end(), page.begin(), page.end());
    if (page.size() < static_cast<std::size_t>(q.limit)) return all;
    q.after_id = all.back().id;
  }
}

// The flag a model field came from, for messages.
std::string flag_of(const std::string& field) {
  static const std::map<std::string, std::string> flags = {
      {"category", "--category"}, {"customer", "--customer"}, {"tags", "--tag"},    {"calls", "--call"},
      {"state", "--to"},          {"agent", "--agent"},       {"who", "--by"},      {"note", "--note"},
      {"escalated", "ID"}};
  const auto it = flags.find(field);
  return it == flags.end() ? field : it->second;
}

Status status_flag(const std::string& text, const char* flag) {
  const auto s = ticketing::parse_status(text);
  require_flag(s.has_value(), flag, "a state: " + ticketing::status_list() + "; got '" + text + "'");
  return *s;
}

int run(const po::variables_map& vm, const std::string& command) {
  const std::string location = vm["db"].as<std::string>();
  const auto sync = store::parse_sync(vm["sync"].as<std::string>());
  require_flag(sync.has_value(), "--sync", "normal or full; got '" + vm["sync"].as<std::string>() + "'");
  require_flag(vm["sync"].defaulted() || !store::is_postgresql(location), "--sync",
               "a SQLite --db (PostgreSQL keeps its own fsync and synchronous_commit settings)");
  const bool json = vm.count("format") && vm["format"].as<std::string>() == "json";
  const std::string format = vm.count("format") ? vm["format"].as<std::string>() : (command == "export" ? "json" : "table");
  if (command == "export") require_flag(format == "json" || format == "csv", "--format", "json or csv");
  else require_flag(format == "json" || format == "table", "--format", "table or json");
  const double now = vm.count("now") ? parse_time(vm["now"].as<std::string>())
                                     : std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string who = vm["by"].as<std::string>();
  std::optional<std::int64_t> id;
  if (kOwnFlags.at(command).count("id")) {
    require_flag(vm.count("id") > 0, "ID", "the ticket's id after '" + command + "'");
    const std::string text = vm["id"].as<std::string>();
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    require_flag(used == text.size() && v > 0, "ID", "a ticket id (a whole number > 0); got '" + text + "'");
    id = v;
  }
  require_flag(command != "create" || vm.count("scenario"), "--scenario",
               "the scenario whose ticket categories and agents the new ticket follows");
  require_flag(command != "escalate" || vm.count("scenario"), "--scenario", "the scenario whose escalation rules apply");
  // Everything the user gave is checked before the store is opened: a bad
  // flag never creates a database file.
  std::optional<Scenario> scenario;
  if (vm.count("scenario")) scenario = load_scenario(vm["scenario"].as<std::string>());
  std::optional<Status> to, state;
  if (command == "move") {
    require_flag(vm.count("to") > 0, "--to", "the state to move the ticket to (" + ticketing::status_list() + ")");
    to = status_flag(vm["to"].as<std::string>(), "--to");
  }
  if (vm.count("state")) state = status_flag(vm["state"].as<std::string>(), "--state");
  if (vm.count("limit")) require_flag(vm["limit"].as<int>() >= 1 && vm["limit"].as<int>() <= 100000, "--limit", "1 to 100000");
  if (vm.count("after")) require_flag(vm["after"].as<long long>() >= 0, "--after", "a ticket id >= 0");
  auto text_of = [&](const char* flag) { return vm.count(flag) ? vm[flag].as<std::string>() : std::string(); };
  std::string api_host;
  int api_port = 0;
  std::vector<store::ApiToken> tokens;
  if (command == "api") {
    const HostPort listen = host_port_flag(vm.count("listen") ? vm["listen"].as<std::string>() : "127.0.0.1:8080", "--listen");
    api_host = listen.host;
    api_port = listen.port;
    require_flag(vm.count("tokens") > 0, "--tokens", "the file of bearer tokens the API accepts (NAME SECRET [read|write] a line)");
    tokens = store::load_api_tokens(vm["tokens"].as<std::string>());
  }
  auto list_of = [&](const char* flag) { return vm.count(flag) ? vm[flag].as<std::vector<std::string>>() : std::vector<std::string>{}; };

  const ticketing::Rules rules = scenario ? ticketing::rules_from(*scenario) : ticketing::Rules{};
  const ticketing::OpenRequest request{text_of("customer"), text_of("category"), list_of("tag"), list_of("call"),
                                       text_of("note")};
  if (command == "create") ticketing::open(rules, request, now, who);  // refuses a bad request before any file is made

  std::unique_ptr<store::TicketStore> db;
  try {
    db = store::TicketStore::open(location, *sync);
  } catch (const store::StoreError& e) {
    throw InputError(Problem{"", 0, 0, "--db", e.what()});
  }
  const auto agents = scenario ? ticketing::candidates_from(*scenario, [](const std::string&) { return 0; })
                               : std::vector<ticketing::AgentCandidate>{};
  store::TicketDesk desk(*db, rules, agents);
  auto print = [&](const Ticket& t) {
    if (json) std::cout << store::ticket_json(t).dump() << "\n";
    else std::cout << summary(t) << "\n";
  };

  if (command == "create") {
    print(desk.create(request, now, who));
  } else if (command == "move") {
    std::optional<std::int64_t> expected;
    if (vm.count("expect-version")) expected = vm["expect-version"].as<long long>();
    print(desk.move(*id, *to, text_of("agent"), now, who, text_of("note"), expected));
  } else if (command == "show") {
    const auto t = db->get(*id);
    if (!t) throw store::NoSuchTicket(*id);
    if (json) std::cout << store::ticket_json(*t).dump(2) << "\n";
    else show(*t);
  } else if (command == "list") {
    store::TicketQuery q;
    q.state = state;
    q.category = text_of("category");
    q.customer = text_of("customer");
    q.group = text_of("group");
    q.agent = text_of("agent");
    q.open_only = vm.count("open") > 0;
    if (vm.count("breaching")) q.breaching_at = now;
    if (vm.count("after")) q.after_id = vm["after"].as<long long>();
    if (vm.count("limit")) q.limit = vm["limit"].as<int>();
    const auto tickets = db->list(q);
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& t : tickets) out.push_back(store::ticket_json(t, false));
      std::cout << out.dump() << "\n";
    } else {
      list_table(tickets);
    }
  } else if (command == "stats") {
    const auto s = db->stats(now);
    if (json) std::cout << store::stats_json(s).dump(2) << "\n";
    else stats_table(s);
  } else if (command == "export") {
    const auto all = everything(*db);
    std::string text;
    if (format == "csv") {
      text = export_csv(all);
    } else {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& t : all) out.push_back(store::ticket_json(t));
      text = out.dump(2) + "\n";
    }
    if (vm.count("out")) write_file_atomically(vm["out"].as<std::string>(), text);
    else std::cout << text;
  } else if (command == "api") {
    // The server's threads inherit this mask, so the signals reach sigwait here.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    auto clock = [] { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); };
    store::TicketApi api(*db, desk, tokens, clock);
    api.serve_reads_from([location, sync] { return store::TicketStore::open(location, *sync, store::Integrity::header); });
    std::unique_ptr<store::TicketHttpServer> server;
    try {
      server = std::make_unique<store::TicketHttpServer>(api, api_host, api_port);
    } catch (const store::StoreError& e) {
      throw InputError(Problem{"", 0, 0, "--listen", e.what()});
    }
    std::cout << "ticket API on http://" << api_host << ":" << server->port() << std::endl;
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server->stop();
  } else if (command == "escalate") {
    const auto done = desk.escalate_overdue(now, who);
    std::cout << fmt::format("escalated {} ticket{}", done.size(), done.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < done.size(); ++i) std::cout << (i ? ", " : ": ") << done[i];
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

int tickets(const Args& args) {
  return guarded("tickets", [&] {
    po::options_description options("options");
    options.add_options()
      ("command", po::value<std::string>()->required(), "create, move, show, list, stats, export, escalate or api")
      ("id", po::value<std::string>(), "ticket id (move, show)")
      ("db", po::value<std::string>()->required(), "SQLite file or postgresql:// URI")
      ("sync", po::value<std::string>()->default_value("normal"),
       "SQLite: normal (a commit survives a crash of the process) or full (also a power loss)")
      ("scenario", po::value<std::string>(), "scenario with the ticket categories and agents")
      ("now", po::value<std::string>(), "time of the change / of the SLA figures (UTC ISO 8601 or Unix seconds)")
      ("by", po::value<std::string>()->default_value("cli"), "who makes the change")
      ("customer", po::value<std::string>(), "create: caller number or customer id; list: filter")
      ("category", po::value<std::string>(), "create: ticket category; list: filter")
      ("tag", po::value<std::vector<std::string>>(), "create: a tag (repeatable)")
      ("call", po::value<std::vector<std::string>>(), "create: a linked call id (repeatable)")
      ("note", po::value<std::string>(), "create, move: a note for the history")
      ("to", po::value<std::string>(), "move: the new state")
      ("agent", po::value<std::string>(), "move --to assigned: the agent; list: filter")
      ("expect-version", po::value<long long>(), "move: refuse unless the ticket is at this version")
      ("state", po::value<std::string>(), "list: filter by state")
      ("group", po::value<std::string>(), "list: filter by owning group")
      ("open", "list: open tickets only")
      ("breaching", "list: open tickets past their resolution due time")
      ("after", po::value<long long>(), "list: ids above this one (paging)")
      ("limit", po::value<int>(), "list: at most this many (default 100)")
      ("format", po::value<std::string>(), "table or json (export: json or csv)")
      ("out", po::value<std::string>(), "export: write to this file (atomically) instead of stdout")
      ("listen", po::value<std::string>(), "api: HOST:PORT to listen on (default 127.0.0.1:8080)")
      ("tokens", po::value<std::string>(), "api: bearer tokens file");
    po::positional_options_description positional;
    positional.add("command", 1).add("id", 1);
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, positional, vm)) return kExitOk;
    const std::string command = vm["command"].as<std::string>();
    require_flag(std::find(kCommands.begin(), kCommands.end(), command) != kCommands.end(), "COMMAND",
                 "one of create, move, show, list, stats, export, escalate, api; got '" + command + "'");
    // A flag of another command is a mistake, not something to ignore silently.
    for (const auto& [flag, value] : vm) {
      if (flag == "command" || flag == "db" || flag == "sync" || flag == "scenario" || flag == "now" || flag == "by") continue;
      if (value.defaulted()) continue;
      if (!kOwnFlags.at(command).count(flag))
        throw InputError(Problem{"", 0, 0, flag == "id" ? "ID" : "--" + flag,
                                 flag == "id" ? "'" + command + "' takes no ticket id" : "not a flag of tickets " + command + " (see --help)"});
    }
    try {
      return run(vm, command);
    } catch (const ticketing::TicketError& e) {
      const std::string what = e.what();
      throw InputError(Problem{"", 0, 0, flag_of(e.field()), what.substr(e.field().size() + 2)});
    } catch (const store::NoSuchTicket& e) {
      throw InputError(Problem{"", 0, 0, "ID", e.what()});
    } catch (const store::StaleVersion& e) {
      throw InputError(Problem{"", 0, 0, "--expect-version", e.what()});
    } catch (const store::StoreError& e) {
      throw InputError(Problem{"", 0, 0, "--db", e.what()});
    }
  });
}

}  // namespace switchboard::cli
