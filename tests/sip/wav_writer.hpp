// Small WAV files for the media tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace switchboard::test {

inline void put16(std::string& s, std::uint16_t v) { s += static_cast<char>(v & 0xff); s += static_cast<char>(v >> 8); }
inline void put32(std::string& s, std::uint32_t v) { put16(s, v & 0xffff); put16(s, v >> 16); }

// A WAV file: format tag 1 (PCM), 6 (A-law) or 7 (mu-law).
inline void write_wav(const std::filesystem::path& path, std::uint16_t tag, std::uint16_t channels, std::uint32_t rate,
               std::uint16_t bits, const std::string& data) {
  std::string fmt;
  put16(fmt, tag);
  put16(fmt, channels);
  put32(fmt, rate);
  put32(fmt, rate * channels * bits / 8);
  put16(fmt, static_cast<std::uint16_t>(channels * bits / 8));
  put16(fmt, bits);
  std::string wav = "RIFF";
  put32(wav, static_cast<std::uint32_t>(4 + 8 + fmt.size() + 8 + data.size()));
  wav += "WAVEfmt ";
  put32(wav, static_cast<std::uint32_t>(fmt.size()));
  wav += fmt + "data";
  put32(wav, static_cast<std::uint32_t>(data.size()));
  wav += data;
  std::ofstream(path, std::ios::binary) << wav;
}

}  // namespace switchboard::test
