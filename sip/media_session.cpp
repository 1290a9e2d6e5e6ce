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

std::optional<MediaOffer> MediaSession::read_offer(const std::string& sdp) {
  std::istringstream in(sdp);
  std::string line, session_ip, media_ip;
  MediaOffer offer;
  bool in_audio = false, found = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("m=", 0) == 0) {
      if (found) break;  // only the first audio stream
      in_audio = line.rfind("m=audio ", 0) == 0;
      if (!in_audio) continue;
      std::istringstream m(line.substr(8));
      std::string proto, format;
      m >> offer.port >> proto;
      while (m >> format) offer.pcmu = offer.pcmu || format == "0";
      found = m.eof() && offer.port > 0 && offer.port < 65536;
    } else if (line.rfind("c=IN IP4 ", 0) == 0) {
      (in_audio ? media_ip : session_ip) = line.substr(9);
    } else if (in_audio && line.rfind("a=rtpmap:", 0) == 0) {
      std::istringstream a(line.substr(9));
      int payload = -1;
      std::string encoding;
      a >> payload >> encoding;
      if (encoding.size() >= 15 && strncasecmp(encoding.c_str(), "telephone-event", 15) == 0) offer.telephone_event = payload;
    }
  }
  offer.ip = media_ip.empty() ? session_ip : media_ip;
  if (!found || offer.ip.empty()) return std::nullopt;
  return offer;
}

}  // namespace switchboard::sip
