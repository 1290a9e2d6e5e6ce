#include "sip/sip_server_impl.hpp"

#include <ifaddrs.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "core/input_error.hpp"

namespace switchboard::sip {

namespace {

// Every address of `family` on this host's interfaces, with `port`,
// IPv6 link-local ones left out (they need a scope).
std::vector<struct sa> interface_addresses(int family, std::uint16_t port) {
  std::vector<struct sa> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != family) continue;
    struct sa a;
    sa_init(&a, family);
    if (sa_set_sa(&a, i->ifa_addr) != 0 || sa_is_linklocal(&a)) continue;
    sa_set_port(&a, port);
    out.push_back(a);
  }
  freeifaddrs(list);
  return out;
}

// libre does not hand out the sockets of its SIP transports: a listener's
// socket is found among the process's descriptors by its type and address.
template <class F>
void for_each_socket_bound_to(const struct sa& address, int type, F f) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::atoi(entry.path().filename().c_str());
    int socket_type = 0;
    socklen_t size = sizeof socket_type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &socket_type, &size) != 0 || socket_type != type) continue;
    struct sa bound;
    sa_init(&bound, AF_UNSPEC);
    bound.len = sizeof bound.u;
    if (getsockname(fd, &bound.u.sa, &bound.len) == 0 && sa_cmp(&bound, &address, SA_ALL)) f(fd);
  }
}

// libre's TCP listeners have a backlog of 5: a burst of callers connecting
// at once loses most of them. listen(2) again on the same socket raises it (Linux).
void raise_tcp_backlog(const struct sa& address) {
  for_each_socket_bound_to(address, SOCK_STREAM, [](int fd) {
    int listening = 0;
    socklen_t size = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening != 0) ::listen(fd, SOMAXCONN);
  });
}

// Every caller's INVITE, ACK, INFO and BYE arrive on the one UDP socket: a
// burst (loadgen/load-10k.yaml: 1,000 calls/s) queues up while the server
// is busy, and the default receive buffer (net.core.rmem_default, 212,992
// bytes on Debian) drops what does not fit, to come back as a 500 ms
// retransmission in the INVITE->200 tail. Asked for 4 MiB; the kernel caps
// it at net.core.rmem_max (the default 212,992 again) without a word, and
// serve changes no system setting: returns what the socket got (0: none found).
constexpr int kUdpReceiveBuffer = 4 << 20;

int enlarge_udp_receive_buffer(const struct sa& address) {
  int got = 0;
  for_each_socket_bound_to(address, SOCK_DGRAM, [&](int fd) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kUdpReceiveBuffer, sizeof kUdpReceiveBuffer);
    int size = 0;
    socklen_t length = sizeof size;
    if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &length) == 0) got = size / 2;  // Linux reports twice the size set (its bookkeeping)
  });
  return got;
}

}  // namespace

Server::~Server() {
  tmr_cancel(&timer_);
  tmr_cancel(&staffing_timer_);
  tmr_cancel(&late_answer_timer_);
  tmr_cancel(&publish_timer_);
  tmr_cancel(&stop_timer_);
  agent_lines_.reset();
  mem_deref(sock_);
  mem_deref(lsnr_);
  completed_.reset();
  if (sip_ != nullptr) sip_close(sip_, true);
  mem_deref(sip_);
}

double Server::start_clock(const ServeOptions& options) {
  if (options.clock >= 0) return options.clock;
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return local.tm_hour * 3600.0 + local.tm_min * 60.0 + local.tm_sec;
}

std::pair<int, double> Server::staffing_interval(double t) const {
  // The day's plan from its start time on, repeating every horizon length:
  // a server started inside the horizon's hours staffs as the plan says for
  // that time; after the horizon's end the plan starts again.
  const Horizon& h = day_.horizon;
  double into = std::fmod(scenario_.horizon.start_clock + t - h.start_clock, h.length);
  if (into < 0) into += h.length;
  const int k = std::min(static_cast<int>(into / h.interval), h.intervals() - 1);
  return {k, std::min((k + 1) * h.interval, h.length) - into};
}

void Server::on_staffing_interval(void* arg) {
  auto* self = static_cast<Server*>(arg);
  const double t = self->now();
  const int interval = self->staffing_interval(t).first;
  if (interval != self->interval_) {
    self->interval_ = interval;
    for (int g = 0; g < static_cast<int>(self->day_.groups.size()); ++g)
      self->core_.set_staffing(t, g, self->day_.groups[g].staffed_at(interval));
    self->log_.event(t, "", "interval", std::to_string(interval));
  }
  self->arm_staffing_interval();
}

void Server::arm_staffing_interval() {
  const double wall = staffing_interval(now()).second / options_.time_scale;
  tmr_start(&staffing_timer_, static_cast<std::uint64_t>(std::max<long long>(1, std::llround(wall * 1000))),
            &Server::on_staffing_interval, this);
}

void Server::start() {
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
  completed_ = std::make_unique<CompletedTransactions>(sip_);  // its listener right behind libre's transactions
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
    std::vector<Network> networks;
    for (const std::string& n : options_.agent_networks) networks.push_back(parse_network(n));
    if (options_.agent_networks.empty()) networks = default_agent_networks(listen_addresses_);
    agent_lines_ = std::make_unique<AgentLines>(sip_, sock_, scenario_.agent_logins, agent_of_login, std::move(networks),
                                                "sip:switchboard@" + local_hostport_, *this, flows_);
  }
  core_.start(0);
  if (!options_.sip_agents) {
    const bool varies = std::any_of(day_.groups.begin(), day_.groups.end(),
                                    [](const AgentGroup& g) { return g.staffing.size() > 1; });
    if (varies) on_staffing_interval(this);  // the interval of the time of day, then each change
  }
  restore_callbacks();
  tmr_start(&publish_timer_, 200, &Server::on_publish, this);
  if (options_.duration > 0 && !forever(options_.duration))
    tmr_start(&stop_timer_, wall_ms(options_.duration), &Server::on_duration, this);
  metrics_.publish(core_, now());  // the first scrape already sees the center's series
  metrics_.serve();
}

void Server::drain() {
  if (draining_) return;
  draining_ = true;
  std::fprintf(stderr, "switchboard serve: draining %d call(s)\n", active_);
  if (active_ == 0) {
    re_cancel();
    return;
  }
  if (forever(options_.grace)) {
    tmr_cancel(&stop_timer_);  // --grace inf: wait for the last call, however long
    return;
  }
  tmr_start(&stop_timer_, wall_ms(options_.grace), [](void* arg) { static_cast<Server*>(arg)->shut_down(); }, this);
}

void Server::shut_down() {
  shutting_down_ = true;
  std::vector<Leg*> open;
  for (struct le* le = legs_open_.head; le != nullptr; le = le->next) open.push_back(static_cast<Leg*>(le->data));
  if (!open.empty()) std::fprintf(stderr, "switchboard serve: grace period over: hanging up %zu call(s)\n", open.size());
  const double t = now();
  for (Leg* leg : open) {
    if (!leg->in_core) {  // not answered or not acknowledged yet: never reached the center
      log_.event(t, leg->id, "ended", "shutdown");
      if (leg->sess != nullptr)  // a ringing INVITE: refused as while draining (no-op once answered)
        sipsess_reject(leg->sess, 503, "Service Unavailable", "Retry-After: 5\r\nContent-Length: 0\r\n\r\n");
      hang_up(leg);
    } else if (leg->closed) {  // a callback waiting for its agent: the caller is off the line
      core_.on_caller_hangup(t, leg->call);
    } else {
      on_close(0, nullptr, leg);  // as if the caller hung up; release() records `shutdown` and sends the BYE
    }
  }
  // The BYEs are sent; give their 200s (or one retransmission) a moment.
  tmr_start(&stop_timer_, kLingerMs, [](void*) { re_cancel(); }, this);
}

Scenario Server::serving(Scenario s, bool sip_agents, double clock) {
  s.horizon.length = s.horizon.interval = kForever;
  s.horizon.warmup = 0;
  s.horizon.start_clock = clock;
  if (sip_agents) {  // a seat per login; who is in is up to the registrations
    for (auto& g : s.groups) g.staffing = {0};
    for (const AgentLogin& l : s.agent_logins) ++s.groups[l.group].staffing[0];
  }
  for (auto& t : s.call_types) t.arrivals = ArrivalSpec{};
  return s;
}

void Server::listen_on(const std::string& spec) {
  const auto first = spec.find(':');
  const auto last = spec.rfind(':');
  const std::string proto = spec.substr(0, first);
  struct sa laddr;
  const std::string port = last == std::string::npos ? "" : spec.substr(last + 1);
  std::string address = first == std::string::npos || last <= first ? "" : spec.substr(first + 1, last - first - 1);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);  // [::1]
  const bool port_ok = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
                       std::stoi(port) >= 1 && std::stoi(port) <= 65535;
  const bool ok = !address.empty() && (proto == "udp" || proto == "tcp") && port_ok &&
                  sa_set_str(&laddr, address.c_str(), static_cast<uint16_t>(std::stoi(port))) == 0;
  if (!ok)
    throw InputError(Problem{"", 0, 0, "--sip", "expected udp:ADDRESS:PORT or tcp:ADDRESS:PORT ([ADDRESS] for IPv6), got '" + spec + "'"});
  // libre listens on given addresses only: 0.0.0.0 (or ::) is every local
  // address of that family at start.
  std::vector<struct sa> addresses;
  if (sa_is_any(&laddr)) addresses = interface_addresses(sa_af(&laddr), sa_port(&laddr));
  else addresses.push_back(laddr);
  for (const struct sa& a : addresses) {
    if (sip_transp_add(sip_, proto == "udp" ? SIP_TRANSP_UDP : SIP_TRANSP_TCP, &a) != 0)
      throw InputError(Problem{"", 0, 0, "--sip", "cannot listen on " + spec + " (in use, or not a local address)"});
    if (proto == "tcp") raise_tcp_backlog(a);
    else if (const int got = enlarge_udp_receive_buffer(a); got > 0 && got < kUdpReceiveBuffer)
      std::fprintf(stderr, "switchboard serve: the UDP receive buffer of %s is %d bytes, not %d: net.core.rmem_max caps it\n",
                   spec.c_str(), got, kUdpReceiveBuffer);
  }
  if (addresses.empty()) throw InputError(Problem{"", 0, 0, "--sip", "no local address to listen on for " + spec});
  if (sa_is_any(&laddr)) {  // our own URI and SDP need one real address
    char text[64] = {};
    sa_ntop(&addresses.front(), text, sizeof text);
    address = text;
  }
  listen_addresses_.push_back(spec.substr(first + 1, last - first - 1));
  if (local_hostport_.empty()) {
    local_address_ = address;
    local_hostport_ = (address.find(':') != std::string::npos ? "[" + address + "]" : address) + ":" + port +
                      (proto == "tcp" ? ";transport=tcp" : "");
  }
}

void Server::schedule(double at, sim::EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  events_.push(at, kind, a, b, c);
  if (events_.top().time == at && events_.top().kind == kind) arm();
}

void Server::arm() {
  if (events_.empty()) return;
  const double delay = std::max(0.0, (events_.top().time - now()) / options_.time_scale);
  tmr_start(&timer_, static_cast<std::uint64_t>(std::ceil(delay * 1000)), &Server::on_timer, this);
}

void Server::on_timer(void* arg) {
  auto* self = static_cast<Server*>(arg);
  const double t = self->now();
  while (!self->events_.empty() && self->events_.top().time <= t + 1e-9) self->dispatch(self->events_.pop(), t);
  self->arm();
}

void Server::dispatch(const sim::Event& e, double t) {
  const CallHandle call{e.a, e.b};
  switch (e.kind) {
    case sim::EventKind::timer: core_.on_timer(t, TimerRef{static_cast<TimerKind>(e.a), e.b, e.c}); break;
    case sim::EventKind::answered: core_.on_agent_answered(t, e.c, call); break;
    case sim::EventKind::talk_ended: core_.on_talk_ended(t, AgentHandle{e.a, e.b}, static_cast<int>(e.c) - 1); break;
    case sim::EventKind::wrap_up_ended: core_.on_wrap_up_ended(t, AgentHandle{e.a, e.b}); break;
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
      if (Leg* leg = leg_of(call)) {
        const char key = static_cast<char>(e.c);
        deliver_digits(leg, std::string_view(&key, 1));
      }
      break;
    default: break;
  }
}

void Server::on_trace(bool sent, enum sip_transp, const struct sa*, const struct sa*, const uint8_t* pkt, size_t len,
                      void* arg) {
  auto* self = static_cast<Server*>(arg);
  const std::string_view message(reinterpret_cast<const char*>(pkt), len);
  if (self->retransmissions_.repeat(message.data(), message.size(), tmr_jiffies())) {
    self->metrics_.retransmission(sent);
    return;
  }
  // libre parsed it (received) or built it (sent): the start line is sound.
  if (message.rfind("SIP/2.0 ", 0) == 0) {
    if (sent && message.size() >= 11)
      self->metrics_.sip_response((message[8] - '0') * 100 + (message[9] - '0') * 10 + (message[10] - '0'));
  } else if (!sent) {
    self->metrics_.sip_request(message.substr(0, message.find(' ')));
  }
}

bool Server::on_request(const struct sip_msg* msg, void* arg) {
  auto* self = static_cast<Server*>(arg);
  if (pl_strcmp(&msg->met, "OPTIONS") == 0) {  // a trunk's or SBC's keepalive, in a dialog or not (RFC 3261 11.2)
    sip_replyf(self->sip_, msg, 200, "OK",
               "Allow: %s\r\nAccept: application/sdp, application/dtmf-relay, application/dtmf\r\nContent-Length: 0\r\n\r\n",
               self->agent_lines_ != nullptr ? (std::string(kAllow) + ", REGISTER").c_str() : kAllow);
    return true;
  }
  if (pl_strcmp(&msg->met, "REGISTER") != 0) return false;  // the session layer (or libre's defaults) handles it
  if (self->agent_lines_ != nullptr) {
    self->agent_lines_->on_register(msg);
    self->metrics_.auth_failures(static_cast<double>(self->agent_lines_->auth_failures()));
  } else {
    sip_replyf(self->sip_, msg, 405, "Method Not Allowed", "Allow: %s\r\nContent-Length: 0\r\n\r\n", kAllow);
  }
  return true;
}

void Server::on_publish(void* arg) {
  auto* self = static_cast<Server*>(arg);
  self->metrics_.publish(self->core_, self->now());
  if (!self->options_.forecast.empty()) self->metrics_.forecast(self->options_.forecast, self->now(), self->day_.horizon.length);
  self->metrics_.rtp_streams(self->media_clock_ ? static_cast<int>(self->media_clock_->streams()) : 0);
  tmr_start(&self->publish_timer_, 200, &Server::on_publish, self);
}

namespace {
// libre delivers SIGTERM/SIGINT to a plain function: the one server of the
// process (libre's loop is process-wide) is reached through this pointer.
Server* g_signal_target = nullptr;
void on_signal(int) {
  if (g_signal_target != nullptr) g_signal_target->drain();
}

// libre's poller watches at most 1,024 descriptors unless told otherwise;
// every TCP caller and every RTP stream takes one. Raise the process's open
// files to its hard limit and let libre watch as many, up to 65,536: libre
// zeroes a table of 36 bytes per descriptor at start (its handlers and
// epoll's events), 36 MB resident for the 1,048,576 a container's limit
// often allows.
void allow_many_descriptors() {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) != 0) return;
  if (files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    getrlimit(RLIMIT_NOFILE, &files);
  }
  const rlim_t most = std::min<rlim_t>(files.rlim_cur, 1 << 16);
  fd_setsize(static_cast<int>(most));
}

}  // namespace

int serve(const Scenario& scenario, const ServeOptions& options) {
  if (libre_init() != 0) throw std::runtime_error("cannot initialise libre");
  allow_many_descriptors();
  int status = 0;
  try {  // the server's sockets are released (its destructor) before libre closes
    Server server(scenario, options);
    server.start();
    g_signal_target = &server;
    std::fprintf(stderr, "switchboard serve: listening on %s\n", options.listen.front().c_str());
    status = re_main(&on_signal) == 0 ? 0 : 1;
    g_signal_target = nullptr;
    server.finish();
  } catch (...) {
    g_signal_target = nullptr;
    libre_close();
    throw;
  }
  libre_close();
  return status;
}

}  // namespace switchboard::sip
