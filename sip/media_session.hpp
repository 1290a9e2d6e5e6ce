// RTP for `switchboard serve --media rtp`: a caller's media stream, on
// libre's RTP sockets and main loop. The server streams the IVR's prompts
// as G.711 µ-law (payload type 0, 20 ms packets) and hears the caller's
// RFC 4733 telephone events (payload type 101, libre's telev) as digits.
//
// Pacing: one MediaClock ticks every 20 ms for all sessions, so thousands of
// calls cost one timer; each session reuses one packet buffer (nothing is
// allocated per packet).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <re/re.h>

namespace switchboard::sip {

class MediaSession;

// What a caller's SDP offer says of its first audio stream.
struct MediaOffer {
  std::string ip;
  int port = 0;
  bool pcmu = false;         // payload type 0 offered
  int telephone_event = -1;  // payload type of telephone-event/8000, -1 if not offered
};

class MediaClock {
 public:
  static constexpr std::uint64_t kPacketMs = 20;
  MediaClock();
  ~MediaClock();
  MediaClock(const MediaClock&) = delete;
  MediaClock& operator=(const MediaClock&) = delete;

  void add(MediaSession* session);
  void remove(MediaSession* session);
  std::size_t streams() const { return sessions_.size(); }  // prompts being streamed now

 private:
  static void on_tick(void* arg);
  std::vector<MediaSession*> sessions_;
  struct tmr tick_;
  std::uint64_t next_ms_ = 0;  // on the 20 ms grid: late ticks do not drift
};

class MediaSession {
 public:
  using DigitHandler = void (*)(char digit, void* arg);
  static constexpr std::uint8_t kPcmu = 0;
  static constexpr std::uint8_t kTelephoneEvent = 101;

  // Binds an RTP port (even, 16384-32766) on `local_ip`; throws
  // std::runtime_error when none is free.
  MediaSession(MediaClock& clock, const std::string& local_ip, DigitHandler on_digit, void* arg);
  ~MediaSession();
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;

  int local_port() const;
  // Where to send, and the payload type the caller uses for RFC 4733.
  void set_remote(const std::string& ip, int port, int telephone_event = kTelephoneEvent);

  // Streams `ulaw` (looped, or silence when nullptr) for `seconds`.
  void play(const std::vector<std::uint8_t>* ulaw, double seconds);
  void stop() { packets_left_ = 0; }
  bool playing() const { return packets_left_ > 0; }
  // Sends an RFC 4733 event for a key ('0'-'9', '*', '#', 'A'-'D').
  void send_digit(char digit);
  std::uint64_t packets_sent() const { return packets_sent_; }

  // The offer's first audio stream (its c=, m=audio and a=rtpmap lines);
  // nullopt if there is none or it has no address.
  static std::optional<MediaOffer> read_offer(const std::string& sdp);

 private:
  friend class MediaClock;
  void tick();
  static void on_rtp(const struct sa* src, const struct rtp_header* hdr, struct mbuf* mb, void* arg);

  MediaClock& clock_;
  std::size_t clock_index_ = 0;  // position in the clock's list
  struct rtp_sock* rtp_ = nullptr;
  struct telev* telev_rx_ = nullptr;
  struct telev* telev_tx_ = nullptr;
  struct mbuf* packet_ = nullptr;
  struct sa remote_ {};
  bool has_remote_ = false;
  std::uint8_t telephone_event_ = kTelephoneEvent;
  DigitHandler on_digit_;
  void* arg_;
  const std::vector<std::uint8_t>* audio_ = nullptr;
  std::size_t offset_ = 0;
  std::uint64_t packets_left_ = 0;
  std::uint64_t packets_sent_ = 0;
  std::uint32_t timestamp_ = 0;        // advances 160 every tick: the stream's sampling clock
  std::uint32_t event_timestamp_ = 0;  // the telephone event being sent started here
  bool talkspurt_ = true;   // the next audio packet starts one (marker bit)
  bool digit_open_ = false; // a telephone event started and not yet ended
};

}  // namespace switchboard::sip
