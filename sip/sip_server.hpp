// `switchboard serve`: the core on real SIP, in real time, on libre.
// Callers are SIP user agents (SIPp, softphones, trunks); agents are
// virtual: they live in the server and act as the scenario's behaviour
// models say (answer delay, talk time, wrap-up), so a load test needs only
// callers. With `sip_agents`, agents are SIP user agents instead: they
// register with the scenario's agent_logins and are INVITEd (sip/agent_lines.hpp).
// libre's main loop is the reactor; the core's timers and the
// virtual agents' next actions wait in one list ordered by time, with one
// libre timer armed for the earliest.
//
// libre keeps its main loop in process-global state: one server per process.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/forecast_outlook.hpp"
#include "core/scenario.hpp"

namespace switchboard::store {
class ServedTickets;
}

namespace switchboard::sip {

struct ServeOptions {
  std::vector<std::string> listen = {"udp:127.0.0.1:5060"};  // transport:address:port
  std::string metrics = "127.0.0.1:9464";                    // empty: no metrics endpoint
  double time_scale = 1;                                     // scenario seconds per wall second
  int max_calls = 10000;                                     // concurrent dialogs; beyond: 503
  double answer_after = 0;                                   // ring this long (scenario seconds) before 200 OK
  std::string log_dir;                                       // event log and CDR; empty: none
  double grace = 30;                                         // SIGTERM: wall seconds to let calls finish
  std::uint64_t seed = 1;                                    // behaviour streams: virtual agents, bot, back office, tags
  // Per call type: the simulated day's calls that arrived before the served
  // part (loadtest --window): the virtual agents' talk times continue the
  // day's streams after theirs (sim::VirtualAgents::skip_calls). Empty: from the day's start.
  std::vector<std::uint64_t> calls_before;
  // Per IVR node: self-service visits of the day before the served part; the
  // bot's draws continue after them (sim::Callers::skip_self_service).
  std::vector<std::uint64_t> self_service_before;
  double clock = -1;                                         // scenario time of day at start (s after midnight); < 0: the local wall clock's
  double duration = 0;                                       // wall seconds, then drain and stop; 0: until SIGTERM
  double dialog_probe = 30;                                  // wall seconds between in-dialog OPTIONS to a caller; 0: none
  bool sip_agents = false;                                   // agents REGISTER and are INVITEd (else virtual)
  std::vector<std::string> agent_networks;                   // CIDRs a SIP agent's Contact may be in; empty: loopback + the listeners' subnets
  bool media_rtp = false;                                    // stream prompts, hear RFC 4733 (else signalling only)
  bool connect_reinvite = false;                             // re-INVITE the caller when an agent answers (else no signal)
  std::string prompts_dir;                                   // DIR/<ivr node id>.wav; empty: silence
  std::vector<ForecastInterval> forecast;                    // --forecast: exported as the 2-hour outlook; empty: none
  // --tickets-db: the call center's tickets, ticket_status lookups and
  // promised callbacks are stored there (sip/sip_server_tickets.cpp); null: none.
  store::ServedTickets* tickets = nullptr;
};

class Server;

// Runs until SIGTERM/SIGINT (or `duration`), then drains. Returns the
// process exit status. Throws InputError for a bad listen or metrics address.
int serve(const Scenario& scenario, const ServeOptions& options);

}  // namespace switchboard::sip
