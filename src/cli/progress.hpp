// A terminal progress bar for long CLI work (demo generation, imports), written by hand: no
// progress-bar library is packaged for Debian 12.
//
// On a terminal it redraws one line ("[#####.....]  45%  9,000/20,000 contacts  2.1 s");
// elsewhere (CI logs, pipes) it prints a line at each tenth so logs stay short.
// Not thread-safe: call from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace tandem::cli {

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, std::string unit, bool is_terminal);
  void Update(std::int64_t done, std::int64_t total);
  // Draws the final state and ends the line.
  void Finish();

 private:
  std::ostream& out_;
  std::string unit_;
  bool terminal_;
  std::int64_t done_ = 0, total_ = 0;
  int last_tenth_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

// "1234567" -> "1,234,567".
std::string Thousands(std::int64_t n);

}  // namespace tandem::cli
