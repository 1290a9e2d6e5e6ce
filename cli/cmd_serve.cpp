// `switchboard serve SCENARIO`: the call center on real SIP.
#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "io/agent_logins.hpp"
#include "io/clock_text.hpp"
#include "io/interval_series.hpp"
#include "io/scenario_loader.hpp"
#include "sip/sip_server.hpp"
#include "wfm/early_warning.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {
const char* kUsage = R"(usage: switchboard serve SCENARIO.yaml [--sip udp:127.0.0.1:5060] [--sip tcp:...] [--metrics 127.0.0.1:9464]
                          [--agents virtual|sip] [--agent-logins FILE] [--time-scale K] [--max-calls N]
                          [--media none|rtp] [--prompts DIR] [--seed N] [--clock HH:MM] [options]

Runs the scenario's call center on SIP in real time: callers dial
sip:CALLTYPE@ADDRESS (the user part names the scenario's call type), the
IVR runs (prompts are timed; DTMF as SIP INFO), calls queue and agents
answer them: virtual agents as the scenario's behaviour models say, or (with
--agents sip) SIP phones that REGISTER with the scenario's agent_logins or
--agent-logins FILE (user,password,group) and are INVITEd. When an agent is
connected the server can re-INVITE the caller with the agent's media
(--connect-signal reinvite; the default none suits SIPp's stock uac). SIGTERM
drains: new INVITEs get 503, calls in progress may finish within --grace
seconds. docs/serve.md has the details and the metrics.)";
}  // namespace

int serve(const Args& args) {
  return guarded("serve", [&] {
    std::string scenario_path, agents = "virtual", media = "none", logins_file, clock_text, connect_signal = "none", forecast_file;
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
      ("clock", po::value(&clock_text), "scenario time of day at start, HH:MM or HH:MM:SS (default: the local time of day)")
      ("forecast", po::value(&forecast_file), "timestamp,calls forecast of the day: /metrics exports the next two hours against the plan");
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
    if (!logins_file.empty()) scenario.agent_logins = read_agent_logins(logins_file, scenario.groups);
    require_flag(!o.sip_agents || !scenario.agent_logins.empty(), "--agents",
                 "sip with agent logins: the scenario's agent_logins section or --agent-logins FILE");
    if (!forecast_file.empty()) o.forecast = wfm::plan_ahead(scenario, read_interval_series(forecast_file), "--forecast");
    return sip::serve(scenario, o);
  });
}

}  // namespace switchboard::cli
