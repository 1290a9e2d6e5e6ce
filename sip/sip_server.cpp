#include "sip/sip_server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

#include <re/re.h>

#include "core/call_center.hpp"
#include "core/input_error.hpp"
#include "sim/behaviour.hpp"
#include "sim/event_list.hpp"
#include "sim/virtual_agents.hpp"
#include "sip/agent_lines.hpp"
#include "sip/call_log.hpp"
#include "sip/media_session.hpp"
#include "sip/metrics.hpp"
#include "sip/prompt_audio.hpp"
#include "sip/retransmissions.hpp"

namespace switchboard::sip {

namespace {

// The media description the server answers with, and the one it sends in the
// re-INVITE when an agent is connected (a different port and session version:
// the signal a load generator waits for). No media flows with --media none.
std::string sdp(const char* address, int port, int version) {
  char text[512];
  std::snprintf(text, sizeof text,
                "v=0\r\no=switchboard 1 %d IN IP4 %s\r\ns=switchboard\r\nc=IN IP4 %s\r\nt=0 0\r\n"
                "m=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                "a=fmtp:101 0-16\r\na=sendrecv\r\n",
                version, address, address, port);
  return text;
}

struct mbuf* to_mbuf(const std::string& text) {
  struct mbuf* mb = mbuf_alloc(text.size());
  mbuf_write_str(mb, text.c_str());
  mbuf_set_pos(mb, 0);
  return mb;
}

std::string str(const struct pl& p) { return std::string(p.p ? p.p : "", p.l); }

constexpr double kForever = 1e12;  // serve runs until stopped: one very long interval
constexpr double kCallbackOfferSeconds = 10;  // scenario seconds to answer a callback offer

}  // namespace

class Server final : public Driver, public AgentLines::Events {
 public:
  Server(const Scenario& scenario, const ServeOptions& options)
      : day_(scenario),
        scenario_(serving(scenario, options.sip_agents)),
        options_(options),
        log_(options.log_dir),
        metrics_(scenario_, options.metrics),
        core_(scenario_, *this, CallCenterOptions{options.sip_agents, options.sip_agents}),
        agents_(scenario_, options.seed, 0) {}

  ~Server() override {
    tmr_cancel(&timer_);
    tmr_cancel(&staffing_timer_);
    tmr_cancel(&late_answer_timer_);
    tmr_cancel(&publish_timer_);
    tmr_cancel(&stop_timer_);
    agent_lines_.reset();
    mem_deref(sock_);
    mem_deref(lsnr_);
    if (sip_ != nullptr) sip_close(sip_, true);
    mem_deref(sip_);
  }

  // Virtual agents: the scenario's next planning interval begins; after
  // the horizon's last interval the day starts again.
  static void on_staffing_interval(void* arg) {
    auto* self = static_cast<Server*>(arg);
    const Horizon& h = self->day_.horizon;
    self->interval_ = (self->interval_ + 1) % h.intervals();
    const double t = self->now();
    for (int g = 0; g < static_cast<int>(self->day_.groups.size()); ++g)
      self->core_.set_staffing(t, g, self->day_.groups[g].staffed_at(self->interval_));
    self->log_.event(t, "", "interval", std::to_string(self->interval_));
    self->arm_staffing_interval();
  }
  void arm_staffing_interval() {
    const double wall = day_.horizon.interval / options_.time_scale;
    tmr_start(&staffing_timer_, static_cast<std::uint64_t>(std::llround(wall * 1000)), &Server::on_staffing_interval, this);
  }

  void start() {
    tmr_init(&timer_);
    tmr_init(&staffing_timer_);
    tmr_init(&late_answer_timer_);
    tmr_init(&publish_timer_);
    tmr_init(&stop_timer_);
    if (options_.media_rtp) {
      if (!options_.prompts_dir.empty()) prompts_ = PromptAudio::load(options_.prompts_dir, scenario_.ivr);
      media_clock_ = std::make_unique<MediaClock>();
    }
    start_ms_ = tmr_jiffies();
    int err = sip_alloc(&sip_, nullptr, 32768, 32768, 32768, "switchboard", nullptr, this);
    if (err != 0) throw std::runtime_error("cannot start the SIP stack");
    sip_set_trace_handler(sip_, &Server::on_trace);
    for (const std::string& spec : options_.listen) listen_on(spec);
    sip_listen(&lsnr_, sip_, true, &Server::on_request, this);
    sipsess_listen(&sock_, sip_, 32768, &Server::on_invite, this);
    if (options_.sip_agents) {
      // Login i works in its group's next seat: the core's agent ids run group by group.
      std::vector<AgentId> agent_of_login;
      std::vector<AgentId> next_seat(scenario_.groups.size());
      for (std::size_t g = 0; g < next_seat.size(); ++g) next_seat[g] = core_.agents().first_of(static_cast<int>(g));
      for (const AgentLogin& l : scenario_.agent_logins) agent_of_login.push_back(next_seat[l.group]++);
      agent_lines_ = std::make_unique<AgentLines>(sip_, sock_, scenario_.agent_logins, agent_of_login,
                                                  "sip:switchboard@" + local_hostport_, *this);
    }
    core_.start(0);
    if (!options_.sip_agents) {
      const bool varies = std::any_of(day_.groups.begin(), day_.groups.end(),
                                      [](const AgentGroup& g) { return g.staffing.size() > 1; });
      if (varies) arm_staffing_interval();
    }
    tmr_start(&publish_timer_, 200, &Server::on_publish, this);
    if (options_.duration > 0) tmr_start(&stop_timer_, static_cast<std::uint64_t>(options_.duration * 1000), &Server::on_duration, this);
  }

  // SIGTERM: no new calls (503), calls in progress may finish within the grace period.
  void drain() {
    if (draining_) return;
    draining_ = true;
    std::fprintf(stderr, "switchboard serve: draining %d call(s)\n", active_);
    if (active_ == 0) {
      re_cancel();
      return;
    }
    tmr_start(&stop_timer_, static_cast<std::uint64_t>(options_.grace * 1000), [](void*) { re_cancel(); }, this);
  }

  void finish() {
    metrics_.publish(core_);
    log_.flush();
  }

  // Driver
  void start_timer(double at, TimerRef ref) override {
    schedule(at, sim::EventKind::timer, static_cast<std::uint32_t>(ref.kind), ref.target, ref.token);
  }
  void collect_digit(CallHandle, int, int) override {}     // the caller's digits come as SIP INFO
  void caller_waiting(CallHandle call, int) override {
    Leg* leg = leg_of(call);
    if (leg == nullptr) return;
    stop_ringing(leg);  // back in the queue after a ring-no-answer
    log_.event(now(), leg->id, "queued");
  }
  void run_self_service(CallHandle call, int, int node) override {
    const IvrNode& n = scenario_.ivr[node];
    const double duration = n.service_time.kind == DistKind::none ? 0 : sim::sample(n.service_time, bot_);
    schedule(now() + duration, sim::EventKind::self_service, call.slot, call.generation, bot_.bernoulli(n.success_probability));
  }
  // The caller may take the offer within kCallbackOfferSeconds by pressing 1
  // (another digit declines); silence declines (docs/serve.md).
  void offer_callback(CallHandle call, int) override {
    Leg* leg = leg_of(call);
    if (leg == nullptr) return;
    leg->callback_offer_until = now() + kCallbackOfferSeconds;
    log_.event(now(), leg->id, "callback-offered");
    schedule(leg->callback_offer_until, sim::EventKind::callback_answer, call.slot, call.generation, 0);
  }
  void ring_agent(CallHandle call, int, AgentId agent, bool) override {
    Leg* leg = leg_of(call);
    if (leg != nullptr) log_.event(now(), leg->id, "offered", "agent " + agent_name(agent) + (leg->closed ? " (callback)" : ""));
    if (agent_lines_ != nullptr) {
      stop_ringing(leg);
      // A callback: the caller is off the line; the agent is told whom to call.
      const std::string headers = leg != nullptr && leg->closed ? "X-Switchboard-Callback: <" + leg->caller_uri + ">\r\n" : "";
      if (leg != nullptr && agent_lines_->ring(agent, call, leg->offer, headers)) leg->ringing_agent = static_cast<int>(agent);
      else schedule(now(), sim::EventKind::ring_failed, call.slot, call.generation, agent);
      return;
    }
    const sim::VirtualAgents::Answer a = agents_.ring(core_.agents()[agent].group);
    if (a.answers) schedule(now() + a.delay, sim::EventKind::answered, call.slot, call.generation, agent);
  }
  void bridge(CallHandle call, int call_type, AgentId agent) override {
    Leg* leg = leg_of(call);
    if (leg != nullptr) {
      leg->agent = static_cast<int>(agent);
      leg->ringing_agent = -1;
      leg->answered = now();
      if (leg->media != nullptr) leg->media->stop();  // the agent's media takes over
      log_.event(now(), leg->id, "answered", "agent " + agent_name(agent));
      // The caller's dialog is re-INVITEd with the agent's media: connected.
      if (leg->sess != nullptr && !leg->closed) {
        struct mbuf* mb = to_mbuf(agent_lines_ != nullptr && !answering_sdp_.empty()
                                      ? answering_sdp_
                                      : sdp(local_address_.c_str(), 20000 + 2 * static_cast<int>(agent % 10000), 2));
        const int err = sipsess_modify(leg->sess, mb);
        mem_deref(mb);
        if (err != 0) log_.event(now(), leg->id, "connect-signal-failed", std::to_string(err));
      }
    }
    if (agent_lines_ != nullptr) return;  // the conversation ends with a BYE from either side
    const sim::VirtualAgents::Conversation c = agents_.talk(call_type);
    if (talk_seq_.size() <= agent) talk_seq_.resize(agent + 1, 0);
    schedule(now() + c.talk, sim::EventKind::talk_ended, agent, ++talk_seq_[agent], static_cast<std::uint32_t>(c.disposition + 1));
  }
  void start_wrap_up(AgentId agent, int group) override {
    schedule(now() + agents_.wrap_up(group), sim::EventKind::wrap_up_ended, agent, 0, 0);
  }
  void release(CallHandle call, int, EndReason reason) override {
    Leg* leg = leg_of(call);
    if (leg == nullptr) return;
    static constexpr const char* kReasons[] = {"handled", "abandoned", "contained", "busy", "closed", "callback"};
    const char* why = kReasons[static_cast<int>(reason)];
    if (reason == EndReason::callback) {  // the caller hangs up; the call keeps its place
      log_.event(now(), leg->id, "callback-accepted");
      end_dialog(leg);
      return;
    }
    log_.event(now(), leg->id, "ended", why);
    log_.cdr(leg->id, scenario_.call_types[leg->call_type].name, leg->arrived, leg->answered, now(), why, leg->agent);
    stop_ringing(leg);
    if (agent_lines_ != nullptr && leg->agent >= 0) agent_lines_->hang_up(static_cast<AgentId>(leg->agent));
    legs_[call.slot] = nullptr;
    leg->in_core = false;
    if (leg == held_) {
      released_while_held_ = true;  // the handler on the stack deletes it when done
      return;
    }
    hang_up(leg);
  }
  void play_prompt(CallHandle call, int node, double seconds) override {
    Leg* leg = leg_of(call);
    if (leg != nullptr && leg->media != nullptr) leg->media->play(prompts_.find(node), seconds / options_.time_scale);
  }
  void ticket_opened(TicketId ticket, int category) override {
    schedule(now() + sim::sample(scenario_.ticket_categories[category].work_time, bot_), sim::EventKind::ticket_resolved, ticket, 0, 0);
  }

 private:
  struct Leg {
    Server* server = nullptr;
    struct sipsess* sess = nullptr;
    std::string id;           // Call-ID
    int call_type = 0;
    CallHandle call;
    bool in_core = false;     // the core knows the call
    bool closed = false;      // the dialog is over (BYE, CANCEL, error)
    int agent = -1;           // the agent who answered
    int ringing_agent = -1;   // a SIP agent being INVITEd for this call
    std::string offer;        // the caller's SDP, offered to SIP agents
    std::string caller_uri;   // the caller's From, for a callback
    double callback_offer_until = -1;  // scenario time; -1: no offer open
    std::unique_ptr<MediaSession> media;  // --media rtp
    std::uint32_t last_info_cseq = 0;
    double invited_wall = 0;  // seconds, for the INVITE -> 200 latency
    double arrived = 0, answered = -1;
    struct tmr answer_timer;
  };

  // Serving runs until stopped: one interval as long as forever, the first
  // interval's staffing throughout (docs/serve.md).
  // The core counts KPIs in one interval as long as forever; virtual agents'
  // staffing still follows the scenario's intervals (on_staffing_interval),
  // each group's pool sized for its largest interval.
  static Scenario serving(Scenario s, bool sip_agents) {
    s.horizon.length = s.horizon.interval = kForever;
    s.horizon.warmup = 0;
    if (sip_agents) {  // a seat per login; who is in is up to the registrations
      for (auto& g : s.groups) g.staffing = {0};
      for (const AgentLogin& l : s.agent_logins) ++s.groups[l.group].staffing[0];
    }
    for (auto& t : s.call_types) t.arrivals = ArrivalSpec{};
    return s;
  }

  double now() const { return static_cast<double>(tmr_jiffies() - start_ms_) / 1000.0 * options_.time_scale; }
  double wall() const { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

  void listen_on(const std::string& spec) {
    const auto first = spec.find(':');
    const auto last = spec.rfind(':');
    const std::string proto = spec.substr(0, first);
    struct sa laddr;
    const std::string port = last == std::string::npos ? "" : spec.substr(last + 1);
    const bool port_ok = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
                         std::stoi(port) >= 1 && std::stoi(port) <= 65535;
    const bool ok = first != std::string::npos && last > first && (proto == "udp" || proto == "tcp") && port_ok &&
                    sa_set_str(&laddr, spec.substr(first + 1, last - first - 1).c_str(), static_cast<uint16_t>(std::stoi(port))) == 0;
    if (!ok) throw InputError(Problem{"", 0, 0, "--sip", "expected udp:ADDRESS:PORT or tcp:ADDRESS:PORT, got '" + spec + "'"});
    if (sip_transp_add(sip_, proto == "udp" ? SIP_TRANSP_UDP : SIP_TRANSP_TCP, &laddr) != 0)
      throw InputError(Problem{"", 0, 0, "--sip", "cannot listen on " + spec + " (in use, or not a local address)"});
    local_address_ = spec.substr(first + 1, last - first - 1);
    if (local_hostport_.empty()) local_hostport_ = spec.substr(first + 1) + (proto == "tcp" ? ";transport=tcp" : "");
  }

  void schedule(double at, sim::EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    events_.push(at, kind, a, b, c);
    if (events_.top().time == at && events_.top().kind == kind) arm();
  }

  // One libre timer for the earliest event of the core or a virtual agent.
  void arm() {
    if (events_.empty()) return;
    const double delay = std::max(0.0, (events_.top().time - now()) / options_.time_scale);
    tmr_start(&timer_, static_cast<std::uint64_t>(std::ceil(delay * 1000)), &Server::on_timer, this);
  }

  static void on_timer(void* arg) {
    auto* self = static_cast<Server*>(arg);
    const double t = self->now();
    while (!self->events_.empty() && self->events_.top().time <= t + 1e-9) self->dispatch(self->events_.pop(), t);
    self->arm();
  }

  void dispatch(const sim::Event& e, double t) {
    const CallHandle call{e.a, e.b};
    switch (e.kind) {
      case sim::EventKind::timer: core_.on_timer(t, TimerRef{static_cast<TimerKind>(e.a), e.b, e.c}); break;
      case sim::EventKind::answered: core_.on_agent_answered(t, e.c, call); break;
      case sim::EventKind::talk_ended:
        // A caller who hung up ended this talk already; a later call's talk is not this one.
        if (e.a < talk_seq_.size() && talk_seq_[e.a] == e.b) core_.on_talk_ended(t, e.a, static_cast<int>(e.c) - 1);
        break;
      case sim::EventKind::wrap_up_ended: core_.on_wrap_up_ended(t, e.a); break;
      case sim::EventKind::self_service: core_.on_self_service_done(t, call, e.c != 0); break;
      case sim::EventKind::callback_answer:
        if (Leg* leg = leg_of(call); leg != nullptr && leg->callback_offer_until >= 0) {
          leg->callback_offer_until = -1;
          log_.event(t, leg->id, "callback-declined", "no answer");
        }
        core_.on_callback_answer(t, call, e.c != 0);
        break;
      case sim::EventKind::ticket_resolved: core_.on_ticket_resolved(t, e.a); break;
      case sim::EventKind::ring_failed: core_.on_ring_failed(t, e.c, call); break;
      case sim::EventKind::digit:
        if (Leg* leg = leg_of(call)) deliver_digits(leg, std::string(1, static_cast<char>(e.c)));
        break;
      default: break;
    }
  }

  Leg* leg_of(CallHandle h) {
    if (h.slot < legs_.size() && legs_[h.slot] != nullptr && legs_[h.slot]->call == h) return legs_[h.slot];
    if (arriving_ != nullptr) {  // the core acts on a call inside on_call_arrived
      arriving_->call = h;
      if (legs_.size() <= h.slot) legs_.resize(h.slot + 1, nullptr);
      legs_[h.slot] = arriving_;
      return arriving_;
    }
    return nullptr;
  }

  std::string agent_name(AgentId agent) const {
    return agent_lines_ != nullptr ? agent_lines_->user_of(agent) : std::to_string(agent);
  }

  // The core moved the call on (another agent, the queue, the end): the SIP
  // agent it was ringing gets a CANCEL.
  void stop_ringing(Leg* leg) {
    if (leg == nullptr || leg->ringing_agent < 0 || agent_lines_ == nullptr) return;
    agent_lines_->cancel_ring(static_cast<AgentId>(leg->ringing_agent), leg->call);
    leg->ringing_agent = -1;
  }

  // AgentLines::Events: SIP agents' signalling, told to the core.
  void agent_registered(AgentId agent, bool registered) override {
    log_.event(now(), agent_lines_->user_of(agent), registered ? "agent-registered" : "agent-unregistered");
    if (registered) core_.on_agent_login(now(), agent);
    else core_.on_agent_logout(now(), agent);
  }
  void agent_answered(AgentId agent, CallHandle call, const std::string& agent_sdp) override {
    answering_sdp_ = agent_sdp;
    core_.on_agent_answered(now(), agent, call);
    answering_sdp_.clear();
    const Agent& a = core_.agents()[agent];
    if (a.state != AgentState::talking || !(a.call == call)) {
      // Answered a call the core had moved on from (the 200 crossed our
      // CANCEL): hang up once libre has finished with this response.
      late_answers_.push_back(agent);
      tmr_start(&late_answer_timer_, 0, &Server::on_late_answers, this);
    }
  }
  static void on_late_answers(void* arg) {
    auto* self = static_cast<Server*>(arg);
    for (AgentId agent : self->late_answers_) {
      const Agent& a = self->core_.agents()[agent];
      if (a.state != AgentState::talking) self->agent_lines_->hang_up(agent);
    }
    self->late_answers_.clear();
  }
  void agent_ring_failed(AgentId agent, CallHandle call) override {
    if (Leg* leg = leg_of(call); leg != nullptr && leg->ringing_agent == static_cast<int>(agent)) leg->ringing_agent = -1;
    core_.on_ring_failed(now(), agent, call);
  }
  void agent_hung_up(AgentId agent) override { core_.on_talk_ended(now(), agent); }

  // The caller's dialog ends (BYE on an established one); the leg may live
  // on as the record of a call waiting for its callback.
  void end_dialog(Leg* leg) {
    if (!leg->closed) {
      leg->closed = true;
      --active_;
    }
    tmr_cancel(&leg->answer_timer);
    leg->media.reset();
    leg->sess = static_cast<struct sipsess*>(mem_deref(leg->sess));
    metrics_.dialogs(active_);
    if (draining_ && active_ == 0) re_cancel();
  }

  void hang_up(Leg* leg) {
    end_dialog(leg);
    delete leg;
  }

  // Every request is counted; unknown in-dialog requests get 481.
  // Every SIP datagram in and out passes here (libre's trace hook).
  static void on_trace(bool sent, enum sip_transp, const struct sa*, const struct sa*, const uint8_t* pkt, size_t len,
                       void* arg) {
    auto* self = static_cast<Server*>(arg);
    if (self->retransmissions_.repeat(reinterpret_cast<const char*>(pkt), len, tmr_jiffies()))
      self->metrics_.retransmission(sent);
  }

  static bool on_request(const struct sip_msg* msg, void* arg) {
    auto* self = static_cast<Server*>(arg);
    self->metrics_.sip_request(str(msg->met));
    if (pl_strcmp(&msg->met, "REGISTER") != 0) return false;  // the session layer (or libre's defaults) handles it
    if (self->agent_lines_ != nullptr) {
      self->metrics_.sip_response(self->agent_lines_->on_register(msg));
    } else {
      sip_replyf(self->sip_, msg, 405, "Method Not Allowed", "Allow: INVITE, ACK, BYE, CANCEL, INFO\r\nContent-Length: 0\r\n\r\n");
      self->metrics_.sip_response(405);
    }
    return true;
  }

  static void on_invite(const struct sip_msg* msg, void* arg) {
    auto* self = static_cast<Server*>(arg);
    self->accept(msg);
  }

  void accept(const struct sip_msg* msg) {
    if (draining_ || active_ >= options_.max_calls) {
      sip_treplyf(nullptr, nullptr, sip_, msg, false, 503, "Service Unavailable", "Retry-After: 5\r\nContent-Length: 0\r\n\r\n");
      metrics_.sip_response(503);
      return;
    }
    const std::string user = str(msg->uri.user);
    const auto it = std::find_if(scenario_.call_types.begin(), scenario_.call_types.end(),
                                 [&](const CallType& t) { return t.name == user; });
    if (it == scenario_.call_types.end()) {
      sip_treply(nullptr, sip_, msg, 404, "Not Found");
      metrics_.sip_response(404);
      return;
    }
    std::string media_ip;
    int media_port = 0;
    if (media_clock_ != nullptr) {
      bool pcmu = false;
      const std::string offer(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
      if (!MediaSession::remote_from_sdp(offer, media_ip, media_port, pcmu) || !pcmu) {
        sip_treply(nullptr, sip_, msg, 488, "Not Acceptable Here");  // we stream PCMU only
        metrics_.sip_response(488);
        return;
      }
    }
    auto* leg = new Leg;
    leg->server = this;
    if (media_clock_ != nullptr) {
      try {
        leg->media = std::make_unique<MediaSession>(*media_clock_, local_address_, &Server::on_media_digit, leg);
      } catch (const std::runtime_error&) {
        delete leg;
        sip_treplyf(nullptr, nullptr, sip_, msg, false, 503, "Service Unavailable", "Retry-After: 5\r\nContent-Length: 0\r\n\r\n");
        metrics_.sip_response(503);
        return;
      }
      leg->media->set_remote(media_ip, media_port);
    }
    leg->id = str(msg->callid);
    leg->call_type = static_cast<int>(it - scenario_.call_types.begin());
    leg->invited_wall = wall();
    if (agent_lines_ != nullptr) {  // kept only for the INVITE to a SIP agent
      leg->offer.assign(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
      leg->caller_uri = str(msg->from.auri);
    }
    tmr_init(&leg->answer_timer);
    const int err = sipsess_accept(&leg->sess, sock_, msg, 180, "Ringing", "switchboard", "application/sdp", nullptr, nullptr,
                                   nullptr, false, &Server::on_offer, &Server::on_answer, &Server::on_established,
                                   &Server::on_info, nullptr, &Server::on_close, leg, "Allow: INVITE, ACK, BYE, CANCEL, INFO\r\n");
    if (err != 0) {
      delete leg;
      sip_treply(nullptr, sip_, msg, 500, "Server Internal Error");
      metrics_.sip_response(500);
      return;
    }
    ++active_;
    metrics_.sip_response(180);
    metrics_.dialogs(active_);
    if (options_.answer_after > 0)
      tmr_start(&leg->answer_timer, static_cast<std::uint64_t>(options_.answer_after / options_.time_scale * 1000), &Server::on_answer_timer, leg);
    else
      answer(leg);
  }

  static void on_answer_timer(void* arg) {
    auto* leg = static_cast<Leg*>(arg);
    leg->server->answer(leg);
  }

  void answer(Leg* leg) {
    struct mbuf* mb = to_mbuf(sdp(local_address_.c_str(), leg->media != nullptr ? leg->media->local_port() : 10000, 1));
    if (sipsess_answer(leg->sess, 200, "OK", mb, nullptr) == 0) {
      metrics_.sip_response(200);
      metrics_.invite_answered(wall() - leg->invited_wall);
    }
    mem_deref(mb);
  }

  static int on_offer(struct mbuf** descp, const struct sip_msg*, void*) {
    *descp = nullptr;  // re-INVITEs from the caller: keep the session as it is
    return 0;
  }
  static int on_answer(const struct sip_msg*, void*) { return 0; }

  // The ACK: the call enters the call center.
  static void on_established(const struct sip_msg*, void* arg) {
    auto* leg = static_cast<Leg*>(arg);
    Server* self = leg->server;
    if (leg->in_core) return;  // the ACK of our re-INVITE
    leg->in_core = true;
    leg->arrived = self->now();
    self->log_.event(leg->arrived, leg->id, "arrived", self->scenario_.call_types[leg->call_type].name);
    self->arriving_ = self->held_ = leg;
    const CallHandle h = self->core_.on_call_arrived(leg->arrived, leg->call_type, 0);
    self->arriving_ = self->held_ = nullptr;
    if (self->released_while_held_) {  // the core ended it at once (closed, full, contained)
      self->released_while_held_ = false;
      self->hang_up(leg);
      return;
    }
    if (self->legs_.size() <= h.slot) self->legs_.resize(h.slot + 1, nullptr);
    leg->call = h;
    self->legs_[h.slot] = leg;
  }

  // DTMF as SIP INFO: application/dtmf-relay ("Signal=5") or application/dtmf ("5").
  static void on_info(struct sip* sip, const struct sip_msg* msg, void* arg) {
    auto* leg = static_cast<Leg*>(arg);
    Server* self = leg->server;
    const std::string body(reinterpret_cast<const char*>(mbuf_buf(msg->mb)), mbuf_get_left(msg->mb));
    std::string digits;
    if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf-relay")) {
      const auto at = body.find("Signal=");
      if (at != std::string::npos) {
        std::size_t i = at + 7;
        while (i < body.size() && body[i] == ' ') ++i;
        if (i < body.size()) digits = body.substr(i, 1);
      }
    } else if (msg_ctype_cmp(&msg->ctyp, "application", "dtmf")) {
      for (char c : body)
        if ((c >= '0' && c <= '9') || c == '*' || c == '#') digits += c;
    } else {
      sip_treply(nullptr, sip, msg, 415, "Unsupported Media Type");
      self->metrics_.sip_response(415);
      return;
    }
    // Stateless: a server transaction would keep each INFO and its answer for
    // 32 s (Timer J), 16,000 of them at 500 calls/s; a retransmitted INFO is
    // recognised by its CSeq instead and answered again.
    sip_reply(sip, msg, 200, "OK");
    self->metrics_.sip_response(200);
    if (msg->cseq.num <= leg->last_info_cseq) return;
    leg->last_info_cseq = msg->cseq.num;
    self->deliver_digits(leg, digits);
  }

  // Keys the caller pressed (SIP INFO or RFC 4733): the answer to an open
  // callback offer, else the IVR's.
  void deliver_digits(Leg* leg, const std::string& digits) {
    held_ = leg;
    for (char d : digits) {
      if (!leg->in_core || leg->closed) break;
      const double t = now();
      log_.event(t, leg->id, "digit", std::string(1, d));
      if (leg->callback_offer_until >= t) {
        leg->callback_offer_until = -1;
        if (d != '1') log_.event(t, leg->id, "callback-declined", std::string(1, d));
        core_.on_callback_answer(t, leg->call, d == '1');
      } else {
        core_.on_digit(t, leg->call, d);
      }
    }
    held_ = nullptr;
    if (released_while_held_) {
      released_while_held_ = false;
      hang_up(leg);
    }
  }

  // An RFC 4733 key from a caller's RTP: handled from the event list, not
  // inside libre's RTP receive path (the call may end and its socket go).
  static void on_media_digit(char digit, void* arg) {
    auto* leg = static_cast<Leg*>(arg);
    if (!leg->in_core) return;
    leg->server->schedule(leg->server->now(), sim::EventKind::digit, leg->call.slot, leg->call.generation,
                          static_cast<std::uint32_t>(static_cast<unsigned char>(digit)));
  }

  // The caller hung up (BYE), cancelled (CANCEL: libre answers 487), or the dialog failed.
  static void on_close(int, const struct sip_msg*, void* arg) {
    auto* leg = static_cast<Leg*>(arg);
    Server* self = leg->server;
    leg->closed = true;
    --self->active_;
    if (leg->in_core) {
      const double t = self->now();
      if (leg->agent >= 0 && self->core_.agents()[leg->agent].state == AgentState::talking &&
          self->core_.agents()[leg->agent].call == leg->call) {
        if (static_cast<std::size_t>(leg->agent) < self->talk_seq_.size())
          ++self->talk_seq_[leg->agent];  // a virtual agent's scheduled end of this talk no longer applies
        self->core_.on_talk_ended(t, static_cast<AgentId>(leg->agent));
      } else {
        self->core_.on_caller_hangup(t, leg->call);
      }
      return;  // release() freed the leg
    }
    self->log_.event(self->now(), leg->id, "ended", "cancelled before answer");
    self->hang_up(leg);
  }

  static void on_publish(void* arg) {
    auto* self = static_cast<Server*>(arg);
    self->metrics_.publish(self->core_);
    self->log_.flush();
    tmr_start(&self->publish_timer_, 200, &Server::on_publish, self);
  }

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
  sim::VirtualAgents agents_;
  sim::RandomStream bot_{1, 0, sim::Stream::self_service, 0};
  std::vector<std::uint32_t> talk_seq_;
  std::vector<Leg*> legs_;
  Leg* arriving_ = nullptr;            // inside on_call_arrived: not yet in legs_
  Leg* held_ = nullptr;                // a handler on the stack still uses it
  bool released_while_held_ = false;
  struct sip* sip_ = nullptr;
  struct sipsess_sock* sock_ = nullptr;
  struct sip_lsnr* lsnr_ = nullptr;
  struct tmr timer_, publish_timer_, stop_timer_;
  std::uint64_t start_ms_ = 0;
  std::string local_address_ = "127.0.0.1";
  std::string local_hostport_;        // first listener, for our From URI
  std::unique_ptr<AgentLines> agent_lines_;  // with SIP agents
  std::string answering_sdp_;         // the agent's SDP while the core bridges
  std::vector<AgentId> late_answers_;
  RetransmissionDetector retransmissions_;
  PromptAudio prompts_;                // --media rtp
  std::unique_ptr<MediaClock> media_clock_;
  struct tmr late_answer_timer_;
  int active_ = 0;
  bool draining_ = false;
};

namespace {
// libre delivers SIGTERM/SIGINT to a plain function: the one server of the
// process (libre's loop is process-wide) is reached through this pointer.
Server* g_signal_target = nullptr;
void on_signal(int) {
  if (g_signal_target != nullptr) g_signal_target->drain();
}
}  // namespace

int serve(const Scenario& scenario, const ServeOptions& options) {
  if (libre_init() != 0) throw std::runtime_error("cannot initialise libre");
  int status = 0;
  {
    Server server(scenario, options);
    try {
      server.start();
    } catch (...) {
      libre_close();
      throw;
    }
    g_signal_target = &server;
    std::fprintf(stderr, "switchboard serve: listening on %s\n", options.listen.front().c_str());
    status = re_main(&on_signal) == 0 ? 0 : 1;
    g_signal_target = nullptr;
    server.finish();
  }
  libre_close();
  return status;
}

}  // namespace switchboard::sip
