// A mistake in something the user gave us (scenario, CSV, flag). Carries every
// problem found, each with where it is, so the CLI can print them all and exit 2.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace switchboard {

struct Problem {
  std::string file;    // empty for command-line flags
  int line = 0;        // 1-based; 0 when unknown
  int column = 0;      // 1-based; 0 when unknown
  std::string field;   // e.g. "queues[2].overflow[0].after" or "--reps"
  std::string message; // what was expected

  // "file:line:column: field: message" (parts that are unknown are left out)
  std::string format() const;
};

class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Problem> problems);
  explicit InputError(Problem problem);
  const std::vector<Problem>& problems() const { return problems_; }

 private:
  std::vector<Problem> problems_;
};

}  // namespace switchboard
