// The server behind `switchboard serve` (sip_server.hpp): one object that is
// the core's Driver on libre's main loop. Internal to sip/; its methods live
// in three files by concern:
//   sip_server.cpp          start, drain, the event list and its one timer,
//                           virtual agents' staffing by interval, the SIP
//                           trace hook and request counting, serve()
//   sip_server_callers.cpp  callers' dialogs: INVITE, answer, ACK, DTMF
//                           (INFO and RFC 4733), BYE/CANCEL, prompts,
//                           callback offers, the end of a call
//   sip_server_agents.cpp   agents: ringing (virtual or SIP), connecting the
//                           caller, wrap-up, SIP agents' events
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>  // before libre: its headers define false and true
#include <string>
#include <string_view>
#include <vector>

#include <re/re.h>

#include "core/call_center.hpp"
#include "sim/event_list.hpp"
#include "sim/behaviour.hpp"
#include "sip/agent_lines.hpp"
#include "sip/call_log.hpp"
#include "sip/completed_transactions.hpp"
#include "sip/flow_pins.hpp"
#include "sip/media_session.hpp"
#include "sip/metrics.hpp"
#include "sip/pl_text.hpp"
#include "sip/prompt_audio.hpp"
#include "sip/retransmissions.hpp"
#include "sip/sip_server.hpp"
#include "sip/ticket_metrics.hpp"

namespace switchboard::sip {

// The media description the server answers with, and the one it sends in the
// re-INVITE when a virtual agent is connected (a different port and session
// version: the signal a load generator waits for). `event` is the payload
// type of telephone-event: the caller's, when its offer names one.
inline std::string sdp(const char* address, int port, int version, int event = MediaSession::kTelephoneEvent) {
  char text[512];
  const char* family = std::strchr(address, ':') != nullptr ? "IP6" : "IP4";
  std::snprintf(text, sizeof text,
                "v=0\r\no=switchboard 1 %d IN %s %s\r\ns=switchboard\r\nc=IN %s %s\r\nt=0 0\r\n"
                "m=audio %d RTP/AVP 0 %d\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:%d telephone-event/8000\r\n"
                "a=fmtp:%d 0-16\r\na=sendrecv\r\n",
                version, family, address, family, address, port, event, event, event);
  return text;
}

inline struct mbuf* to_mbuf(const std::string& text) {
  struct mbuf* mb = mbuf_alloc(text.size());
  mbuf_write_str(mb, text.c_str());
  mbuf_set_pos(mb, 0);
  return mb;
}

// The methods the server serves, for Allow in 405s, OPTIONS and its dialogs.
inline constexpr const char* kAllow = "INVITE, ACK, BYE, CANCEL, INFO, OPTIONS";
inline constexpr double kForever = 1e12;              // serve runs until stopped: one endless interval
inline constexpr std::uint64_t kLingerMs = 1000;      // after the shutdown's BYEs, before exiting
inline constexpr std::uint64_t kConnectTimeoutMs = 5000;  // wall: the caller's 200 to the connect re-INVITE

// Wall seconds beyond a century (or infinite) mean "no limit": a libre
// timer takes milliseconds in 64 bits, and 1e30 s would overflow them.
inline bool forever(double seconds) { return !(seconds < 3.2e9); }
inline std::uint64_t wall_ms(double seconds) { return static_cast<std::uint64_t>(std::ceil(seconds * 1000)); }
inline constexpr double kCallbackOfferSeconds = 10;
inline constexpr std::size_t kTypeaheadKeys = 16;       // the most keys kept for coming menus   // scenario seconds to answer a callback offer

class Server final : public Driver, public AgentLines::Events, public TicketLookup {
 public:
  Server(const Scenario& scenario, const ServeOptions& options)
      : day_(scenario),
        scenario_(serving(scenario, options.sip_agents, start_clock(options))),
        options_(options),
        log_(options.log_dir),
        metrics_(scenario_, options.metrics),
        core_(scenario_, *this, CallCenterOptions{options.sip_agents, options.sip_agents, options.tickets != nullptr ? this : nullptr}),
        behaviour_(scenario_, options.seed, 0, options.calls_before, options.self_service_before) {}
  ~Server() override;

  // Virtual agents: the staffing plan's interval for the scenario clock's
  // time of day (staffing_interval) begins; after the horizon's last
  // interval the day starts again.
  static void on_staffing_interval(void* arg);
  void arm_staffing_interval();
  void start();

  // SIGTERM: no new calls (503), calls in progress may finish within the grace period.
  void drain();
  // The grace period is over: every call still open is hung up (BYE, or a
  // final response to an unanswered INVITE) and recorded with the ending
  // `shutdown`; the server exits a moment later, when the BYEs are out.
  void shut_down();
  void finish() { metrics_.publish(core_, now()); }

  // Driver
  void start_timer(double at, TimerRef ref) override {
    schedule(at, sim::EventKind::timer, static_cast<std::uint32_t>(ref.kind), ref.target, ref.token);
  }
  void collect_digit(CallHandle, int, int) override {}     // the caller's digits come as SIP INFO
  void caller_waiting(CallHandle call, int) override;
  void run_self_service(CallHandle call, int, int node) override;

  // The caller may take the offer within kCallbackOfferSeconds by pressing 1
  // (another digit declines); silence declines (docs/serve.md).
  void offer_callback(CallHandle call, int) override;
  void ring_agent(CallHandle call, int, AgentId agent, bool) override;
  void bridge(CallHandle call, int call_type, AgentHandle talk) override;
  void start_wrap_up(AgentHandle wrap_up, int group) override;
  void release(CallHandle call, int, EndReason reason) override;
  void play_prompt(CallHandle call, int node, double seconds) override;
  void ticket_opened(TicketId ticket, int category) override;
  void ticket_opened_for_call(CallHandle call, int category, int agent) override {
    store_ticket(call, category, agent);
  }

  // TicketLookup (sip/sip_server_tickets.cpp): the caller's number, looked up in --tickets-db.
  std::optional<ticketing::Status> open_ticket_state(CallHandle call) override;

 private:
  struct Leg {
    ~Leg() { list_unlink(&open); }
    struct le open = LE_INIT;  // in Server::legs_open_ while the object lives
    Server* server = nullptr;
    struct sipsess* sess = nullptr;
    std::string id;           // Call-ID
    std::string local_address;  // where the caller reached us: our SDP's address
    int call_type = 0;
    CallHandle call;
    bool in_core = false;     // the core knows the call
    bool closed = false;      // the dialog is over (BYE, CANCEL, error)
    int agent = -1;           // the agent who answered
    AgentHandle talk;         // the conversation with that agent (Driver::bridge)
    int ringing_agent = -1;   // a SIP agent being INVITEd for this call
    std::string offer;        // the caller's SDP, offered to SIP agents
    std::string caller_uri;   // the caller's From, for a callback
    std::optional<std::uint32_t> tags;  // from X-Switchboard-Tags; none: drawn on arrival
    double callback_offer_until = -1;  // scenario time; -1: no offer open
    std::unique_ptr<MediaSession> media;  // --media rtp
    int telephone_event = MediaSession::kTelephoneEvent;  // RFC 4733 payload type, the caller's if offered
    std::uint32_t last_info_cseq = 0;
    // Keys pressed while a plain prompt plays (the core ignores them there):
    // kept for the next menu, one per menu (type-ahead).
    bool at_plain_prompt = false;
    std::string typeahead;
    double invited_wall = 0;  // seconds, for the INVITE -> 200 latency
    double arrived = 0, queued = -1, answered = -1;  // scenario times; -1: not (yet)
    struct tmr answer_timer;
    // The connect re-INVITE (--connect-signal reinvite): sent, no 2xx yet.
    bool connecting = false;
    struct tmr connect_timer;
    // Is the caller still there? An in-dialog OPTIONS every --dialog-probe s.
    struct tmr probe_timer;
    struct sip_request* probe = nullptr;
    const char* ending = nullptr;  // overrides the core's reason in the records (connect-failed)
    std::string sent_sdp;          // the session as we last described it
    int sdp_version = 1;           // its o= version: one origin, counting up
    std::int64_t callback_id = 0;  // its promise in --tickets-db (0: none stored)
  };

  // --tickets-db (sip/sip_server_tickets.cpp). The caller's number: the
  // user part of its From URI.
  static std::string caller_number(const std::string& uri);
  std::vector<std::string> tag_names(std::uint32_t tags) const;
  // The callback just accepted is stored before the caller is hung up.
  void promise_callback(Leg* leg);
  // The promise is kept (placed: an agent took it) or ended otherwise.
  void callback_done(Leg* leg, const char* outcome);
  // At start: every callback still pending in the store waits in its queue again.
  void restore_callbacks();
  // A ticket the core opened for the call, stored with the caller's number
  // and the Call-ID, opened by `agent` (its disposition) or by `ivr` (kNone).
  void store_ticket(CallHandle call, int category, int agent);
  std::string opener(AgentId agent) const;

  // The core counts KPIs in one interval as long as forever; virtual agents'
  // staffing still follows the scenario's intervals (on_staffing_interval),
  // each group's pool sized for its largest interval.
  // The served scenario's clock starts at `clock` (seconds after midnight),
  // so queue hours follow the time of day (docs/serve.md, "Clock").
  static Scenario serving(Scenario s, bool sip_agents, double clock);
  static double start_clock(const ServeOptions& options);
  // The day's planning interval at scenario time `t` (its time of day) and
  // the scenario seconds until that changes.
  std::pair<int, double> staffing_interval(double t) const;
  double now() const { return static_cast<double>(tmr_jiffies() - start_ms_) / 1000.0 * options_.time_scale; }
  double wall() const { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
  void listen_on(const std::string& spec);
  void schedule(double at, sim::EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c);

  // One libre timer for the earliest event of the core or a virtual agent.
  void arm();
  static void on_timer(void* arg);
  void dispatch(const sim::Event& e, double t);
  Leg* leg_of(CallHandle h);
  std::string agent_name(AgentId agent) const;

  // The core moved the call on (another agent, the queue, the end): the SIP
  // agent it was ringing gets a CANCEL.
  void stop_ringing(Leg* leg);

  // AgentLines::Events: SIP agents' signalling, told to the core.
  void agent_registered(AgentId agent, bool registered) override;
  void agent_answered(AgentId agent, CallHandle call, const std::string& agent_sdp) override;
  static void on_late_answers(void* arg);
  void agent_ring_failed(AgentId agent, CallHandle call) override;
  void agent_hung_up(AgentId agent) override { core_.on_talk_ended(now(), core_.current(agent)); }

  // The caller's dialog ends (BYE on an established one); the leg may live
  // on as the record of a call waiting for its callback.
  void end_dialog(Leg* leg);
  void hang_up(Leg* leg);

  // Every SIP message in and out passes here (libre's trace hook): counted
  // by method or status code, retransmissions apart.
  static void on_trace(bool sent, enum sip_transp, const struct sa*, const struct sa*, const uint8_t* pkt, size_t len,
                       void* arg);

  // REGISTER is the registrar's (SIP agents) or 405; other requests go on to
  // the session layer (an in-dialog request for an unknown dialog: 481).
  static bool on_request(const struct sip_msg* msg, void* arg);
  static void on_invite(const struct sip_msg* msg, void* arg) {
    auto* self = static_cast<Server*>(arg);
    self->accept(msg);
  }
  void accept(const struct sip_msg* msg);
  void reply_unavailable(const struct sip_msg* msg);
  static void on_answer_timer(void* arg) {
    auto* leg = static_cast<Leg*>(arg);
    leg->server->answer(leg);
  }
  void answer(Leg* leg);
  // A caller's re-INVITE (hold, resume, a new address): answered with the
  // session as it is, the direction mirrored (RFC 3264 8.4), the version up.
  static int on_offer(struct mbuf** descp, const struct sip_msg* msg, void* arg);
  // The caller's 2xx to the connect re-INVITE.
  static int on_answer(const struct sip_msg*, void* arg);
  // No 2xx to the connect re-INVITE in time (rejected, unanswered, unreachable).
  static void on_connect_timeout(void* arg);
  void send_bye_now(Leg* leg);
  // The dialog probe: a 408/481 or no answer at all ends the call as if
  // the caller had hung up (callers that vanish hold no slot forever).
  static void on_probe_timer(void* arg);
  static void on_probe_response(int err, const struct sip_msg* msg, void* arg);
  void arm_probe(Leg* leg);

  // The ACK: the call enters the call center.
  static void on_established(const struct sip_msg*, void* arg);

  // DTMF as SIP INFO: application/dtmf-relay ("Signal=5") or application/dtmf ("5").
  static void on_info(struct sip* sip, const struct sip_msg* msg, void* arg);

  // Keys the caller pressed (SIP INFO or RFC 4733): the answer to an open
  // callback offer, else the IVR's.
  void deliver_digits(Leg* leg, std::string_view digits);

  // An RFC 4733 key from a caller's RTP: handled from the event list, not
  // inside libre's RTP receive path (the call may end and its socket go).
  static void on_media_digit(char digit, void* arg);

  // The caller hung up (BYE), cancelled (CANCEL: libre answers 487), or the dialog failed.
  static void on_close(int, const struct sip_msg*, void* arg);
  static void on_publish(void* arg);
  static void on_duration(void* arg) { static_cast<Server*>(arg)->drain(); }
  Scenario day_;        // as given: its intervals' staffing
  Scenario scenario_;   // as served: one endless interval
  ServeOptions options_;
  int interval_ = 0;    // the scenario's planning interval now (virtual agents)
  struct tmr staffing_timer_;
  CallLog log_;
  Metrics metrics_;
  CallCenter core_;
  sim::EventList events_;
  sim::Behaviour behaviour_;  // virtual agents, the self-service bot, the back office; seeded by --seed
  std::vector<Leg*> legs_;
  struct list legs_open_ = LIST_INIT;  // every Leg, in the core or not yet (shut_down)
  Leg* arriving_ = nullptr;            // inside on_call_arrived: not yet in legs_
  Leg* held_ = nullptr;                // a handler on the stack still uses it
  bool released_while_held_ = false;
  struct sip* sip_ = nullptr;
  std::unique_ptr<CompletedTransactions> completed_;  // libre's lingering server transactions, kept small
  struct sipsess_sock* sock_ = nullptr;
  struct sip_lsnr* lsnr_ = nullptr;
  struct tmr timer_, publish_timer_, stop_timer_;
  std::uint64_t start_ms_ = 0;
  std::string local_address_ = "127.0.0.1";
  std::string local_hostport_;        // first listener, for our From URI
  std::vector<std::string> listen_addresses_;  // every listener's address (default agent networks)
  std::unique_ptr<AgentLines> agent_lines_;  // with SIP agents
  std::unique_ptr<TicketMetrics> ticket_metrics_;  // with --tickets-db
  std::string answering_sdp_;         // the agent's SDP while the core bridges
  std::vector<AgentId> late_answers_;
  RetransmissionDetector retransmissions_;
  FlowPins flows_;                     // TCP peers' dialogs pinned to their connections
  PromptAudio prompts_;                // --media rtp
  std::unique_ptr<MediaClock> media_clock_;
  struct tmr late_answer_timer_;
  int active_ = 0;
  bool draining_ = false;
  bool shutting_down_ = false;
};

}  // namespace switchboard::sip
