#include "sip/prompt_audio.hpp"

#include <sys/socket.h>

#include <filesystem>
#include <fstream>

#include <re/re.h>
#include <rem/rem.h>

#include "core/input_error.hpp"

namespace switchboard::sip {

namespace {

const char* kExpected = "expected a WAV file of 8000 Hz mono 16-bit PCM, mu-law or A-law";

std::string format_name(const aufile_prm& prm) {
  return std::to_string(prm.srate) + " Hz, " + std::to_string(prm.channels) + " channel(s), " + aufmt_name(prm.fmt);
}

// What a file librem cannot open holds, for the error message: its WAV
// format if the header says, else that it is not a WAV file.
std::string describe_unreadable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char header[36] = {};
  in.read(header, sizeof header);
  if (in.gcount() < 36 || std::string(header, 4) != "RIFF" || std::string(header + 8, 8) != "WAVEfmt ")
    return "got a file that is not RIFF/WAVE with a leading fmt chunk";
  const auto u16 = [&](int at) { return static_cast<unsigned>(static_cast<unsigned char>(header[at]) | static_cast<unsigned char>(header[at + 1]) << 8); };
  const auto u32 = [&](int at) { return u16(at) | u16(at + 2) << 16; };
  const unsigned tag = u16(20), channels = u16(22), rate = u32(24), bits = u16(34);
  const std::string kind = tag == 1 ? "PCM" : tag == 3 ? "float" : tag == 6 ? "A-law" : tag == 7 ? "mu-law" : "format " + std::to_string(tag);
  return "got " + std::to_string(bits) + "-bit " + kind + ", " + std::to_string(rate) + " Hz, " + std::to_string(channels) +
         " channel(s), or a damaged file";
}

// The file's samples as µ-law, or a problem.
std::vector<std::uint8_t> read_ulaw(const std::string& path, std::vector<Problem>& problems) {
  struct aufile* file = nullptr;
  struct aufile_prm prm {};
  if (aufile_open(&file, &prm, path.c_str(), AUFILE_READ) != 0) {
    problems.push_back(Problem{path, 0, 0, "", std::string(kExpected) + ", " + describe_unreadable(path)});
    return {};
  }
  std::vector<std::uint8_t> ulaw;
  const bool supported = prm.srate == 8000 && prm.channels == 1 &&
                         (prm.fmt == AUFMT_S16LE || prm.fmt == AUFMT_PCMU || prm.fmt == AUFMT_PCMA);
  if (!supported) {
    problems.push_back(Problem{path, 0, 0, "", std::string(kExpected) + ", got " + format_name(prm)});
  } else {
    std::uint8_t buffer[4096];
    for (;;) {
      std::size_t size = sizeof buffer;
      if (aufile_read(file, buffer, &size) != 0 || size == 0) break;
      if (prm.fmt == AUFMT_PCMU) {
        ulaw.insert(ulaw.end(), buffer, buffer + size);
      } else if (prm.fmt == AUFMT_PCMA) {
        for (std::size_t i = 0; i < size; ++i) ulaw.push_back(g711_pcm2ulaw(g711_alaw2pcm(buffer[i])));
      } else {
        for (std::size_t i = 0; i + 1 < size; i += 2)
          ulaw.push_back(g711_pcm2ulaw(static_cast<std::int16_t>(buffer[i] | (buffer[i + 1] << 8))));
      }
    }
    if (ulaw.empty()) problems.push_back(Problem{path, 0, 0, "", std::string(kExpected) + ", got no samples"});
  }
  mem_deref(file);
  return ulaw;
}

}  // namespace

PromptAudio PromptAudio::load(const std::string& dir, const std::vector<IvrNode>& ivr) {
  if (!std::filesystem::is_directory(dir)) throw InputError(Problem{"", 0, 0, "--prompts", "expected a directory of WAV files, got '" + dir + "'"});
  PromptAudio audio;
  audio.by_node_.resize(ivr.size());
  std::vector<Problem> problems;
  for (std::size_t i = 0; i < ivr.size(); ++i) {
    if (ivr[i].kind != IvrKind::prompt && ivr[i].kind != IvrKind::menu) continue;
    const std::filesystem::path path = std::filesystem::path(dir) / (ivr[i].id + ".wav");
    if (std::filesystem::exists(path)) audio.by_node_[i] = read_ulaw(path.string(), problems);
  }
  if (!problems.empty()) throw InputError(problems);
  return audio;
}

const std::vector<std::uint8_t>* PromptAudio::find(int node) const {
  if (node < 0 || static_cast<std::size_t>(node) >= by_node_.size() || by_node_[node].empty()) return nullptr;
  return &by_node_[node];
}

std::size_t PromptAudio::files() const {
  std::size_t n = 0;
  for (const auto& samples : by_node_) n += !samples.empty();
  return n;
}

}  // namespace switchboard::sip
