#include "sip/media_session.hpp"

#include <netinet/in.h>

#include <cmath>
#include <sstream>

#include <strings.h>
#include <stdexcept>

namespace switchboard::sip {

namespace {
constexpr std::size_t kSamplesPerPacket = 160;  // 20 ms at 8000 Hz
constexpr std::uint8_t kUlawSilence = 0xff;
}  // namespace

MediaClock::MediaClock() { tmr_init(&tick_); }

MediaClock::~MediaClock() { tmr_cancel(&tick_); }

void MediaClock::add(MediaSession* session) {
  session->clock_index_ = sessions_.size();
  sessions_.push_back(session);
  if (sessions_.size() == 1) {
    next_ms_ = tmr_jiffies() + kPacketMs;
    tmr_start(&tick_, kPacketMs, &MediaClock::on_tick, this);
  }
}

void MediaClock::remove(MediaSession* session) {
  const std::size_t at = session->clock_index_;
  sessions_[at] = sessions_.back();
  sessions_[at]->clock_index_ = at;
  sessions_.pop_back();
  if (sessions_.empty()) tmr_cancel(&tick_);
}

void MediaClock::on_tick(void* arg) {
  auto* self = static_cast<MediaClock*>(arg);
  for (std::size_t i = 0; i < self->sessions_.size(); ++i) self->sessions_[i]->tick();
  self->next_ms_ += kPacketMs;
  const std::uint64_t now = tmr_jiffies();
  if (self->next_ms_ + 5 * kPacketMs < now) self->next_ms_ = now;  // stalled: do not burst to catch up
  tmr_start(&self->tick_, self->next_ms_ > now ? self->next_ms_ - now : 0, &MediaClock::on_tick, self);
}

MediaSession::MediaSession(MediaClock& clock, const std::string& local_ip, DigitHandler on_digit, void* arg)
    : clock_(clock), on_digit_(on_digit), arg_(arg) {
  struct sa ip;
  if (sa_set_str(&ip, local_ip.c_str(), 0) != 0 ||
      rtp_listen(&rtp_, IPPROTO_UDP, &ip, 16384, 32767, false, &MediaSession::on_rtp, nullptr, this) != 0)
    throw std::runtime_error("no RTP port free on " + local_ip);
  if (telev_alloc(&telev_rx_, MediaClock::kPacketMs) != 0 || telev_alloc(&telev_tx_, MediaClock::kPacketMs) != 0) {
    mem_deref(telev_rx_);
    mem_deref(rtp_);
    throw std::runtime_error("cannot allocate RFC 4733 state");
  }
  packet_ = mbuf_alloc(RTP_HEADER_SIZE + kSamplesPerPacket);
  timestamp_ = static_cast<std::uint32_t>(rand_u32());
  clock_.add(this);
}

MediaSession::~MediaSession() {
  clock_.remove(this);
  mem_deref(packet_);
  mem_deref(telev_tx_);
  mem_deref(telev_rx_);
  mem_deref(rtp_);
}

int MediaSession::local_port() const { return sa_port(rtp_local(rtp_)); }

void MediaSession::set_remote(const std::string& ip, int port, int telephone_event) {
  has_remote_ = sa_set_str(&remote_, ip.c_str(), static_cast<std::uint16_t>(port)) == 0 && port > 0;
  if (telephone_event >= 96 && telephone_event <= 127) telephone_event_ = static_cast<std::uint8_t>(telephone_event);
}

void MediaSession::play(const std::vector<std::uint8_t>* ulaw, double seconds) {
  audio_ = ulaw;
  offset_ = 0;
  packets_left_ = seconds > 0 ? static_cast<std::uint64_t>(std::ceil(seconds * 1000 / MediaClock::kPacketMs)) : 0;
  talkspurt_ = true;
}

void MediaSession::send_digit(char digit) {
  const int code = telev_digit2code(digit);
  if (code < 0) return;
  telev_send(telev_tx_, code, false);
  telev_send(telev_tx_, 0, true);
}

// One 20 ms step: a telephone-event packet if one is due, else a prompt packet.
void MediaSession::tick() {
  if (!has_remote_) return;
  timestamp_ += kSamplesPerPacket;
  packet_->pos = packet_->end = RTP_HEADER_SIZE;
  bool marker = false;
  if (telev_poll(telev_tx_, &marker, packet_) == 0) {
    // RFC 4733: every packet of an event carries the event's start time, and
    // the next event a later one (receivers drop a repeat of a timestamp).
    if (marker) event_timestamp_ = timestamp_;
    packet_->pos = RTP_HEADER_SIZE;
    rtp_send(rtp_, &remote_, false, marker, telephone_event_, event_timestamp_, packet_);
    talkspurt_ = true;  // audio after the event resumes as a new talkspurt
    ++packets_sent_;
    return;
  }
  if (packets_left_ == 0) return;
  --packets_left_;
  for (std::size_t i = 0; i < kSamplesPerPacket; ++i) {
    std::uint8_t sample = kUlawSilence;
    if (audio_ != nullptr && !audio_->empty()) {
      sample = (*audio_)[offset_];
      offset_ = (offset_ + 1) % audio_->size();
    }
    mbuf_write_u8(packet_, sample);
  }
  packet_->pos = RTP_HEADER_SIZE;
  rtp_send(rtp_, &remote_, false, talkspurt_, kPcmu, timestamp_, packet_);
  talkspurt_ = false;
  ++packets_sent_;
}

// A key is reported when its event starts, or at its end if the start was lost.
void MediaSession::on_rtp(const struct sa*, const struct rtp_header* hdr, struct mbuf* mb, void* arg) {
  auto* self = static_cast<MediaSession*>(arg);
  if (hdr->pt != self->telephone_event_) return;
  int event = -1;
  bool end = false;
  if (telev_recv(self->telev_rx_, mb, &event, &end) != 0) return;
  const bool report = !end || !self->digit_open_;
  self->digit_open_ = !end;
  const int digit = telev_code2digit(event);
  if (report && digit > 0) self->on_digit_(static_cast<char>(digit), self->arg_);
}

// The caller's offer, read with libre's SDP decoder: one local audio stream
// offering PCMU and telephone-event, matched against the offer's first
// audio stream (its own c= or the session's, IPv4 or IPv6).
std::optional<MediaOffer> MediaSession::read_offer(const std::string& sdp) {
  struct sa unset;
  sa_init(&unset, AF_INET);
  struct sdp_session* session = nullptr;
  if (sdp_session_alloc(&session, &unset) != 0) return std::nullopt;
  std::optional<MediaOffer> offer;
  struct sdp_media* audio = nullptr;
  struct mbuf* mb = mbuf_alloc(sdp.size() + 1);
  if (mb != nullptr && sdp_media_add(&audio, session, "audio", 9, "RTP/AVP") == 0 &&
      sdp_format_add(nullptr, audio, false, "0", "PCMU", 8000, 1, nullptr, nullptr, nullptr, false, nullptr) == 0 &&
      sdp_format_add(nullptr, audio, false, "101", "telephone-event", 8000, 1, nullptr, nullptr, nullptr, false, nullptr) == 0 &&
      mbuf_write_mem(mb, reinterpret_cast<const uint8_t*>(sdp.data()), sdp.size()) == 0) {
    mbuf_set_pos(mb, 0);
    const struct sa* address = sdp_decode(session, mb, true) == 0 ? sdp_media_raddr(audio) : nullptr;
    char ip[64] = {};
    if (address != nullptr && sdp_media_rport(audio) != 0 && sa_isset(address, SA_ADDR) &&
        sa_ntop(address, ip, sizeof ip) == 0) {
      offer = MediaOffer{};
      offer->ip = ip;
      offer->port = sdp_media_rport(audio);
      // PCMU by its static payload type 0 (an offer need not map it) or by name.
      offer->pcmu = sdp_media_format(audio, false, "0", -1, nullptr, -1, -1) != nullptr || sdp_media_rformat(audio, "PCMU") != nullptr;
      if (const struct sdp_format* event = sdp_media_rformat(audio, "telephone-event")) offer->telephone_event = event->pt;
    }
  }
  mem_deref(mb);
  mem_deref(audio);
  mem_deref(session);
  return offer;
}

}  // namespace switchboard::sip
