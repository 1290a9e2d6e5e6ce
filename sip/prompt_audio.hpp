// The IVR's recorded prompts for `switchboard serve --media rtp`: one WAV
// file per prompt or menu node, `DIR/<node id>.wav`, held as G.711 µ-law
// (PCMU), what the server streams. Read with librem's aufile (WAV: 16-bit
// PCM, µ-law or A-law) and converted with its G.711 tables.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/scenario.hpp"

namespace switchboard::sip {

class PromptAudio {
 public:
  PromptAudio() = default;

  // Loads DIR/<id>.wav for every prompt and menu node that has one; a node
  // without a file plays silence. A file that is not 8000 Hz mono PCM16,
  // µ-law or A-law WAV, or a DIR that is not a directory: InputError naming
  // the file and what was expected, every bad file at once.
  static PromptAudio load(const std::string& dir, const std::vector<IvrNode>& ivr);

  // The node's µ-law samples (8000 a second), or nullptr: silence.
  const std::vector<std::uint8_t>* find(int node) const;
  std::size_t files() const;

 private:
  std::vector<std::vector<std::uint8_t>> by_node_;  // empty: no file
};

}  // namespace switchboard::sip
