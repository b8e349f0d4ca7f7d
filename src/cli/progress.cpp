#include "cli/progress.hpp"

#include <fmt/format.h>

namespace tandem::cli {

std::string Thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

ProgressBar::ProgressBar(std::ostream& out, std::string unit, bool is_terminal)
    : out_(out), unit_(std::move(unit)), terminal_(is_terminal),
      start_(std::chrono::steady_clock::now()) {}

void ProgressBar::Update(std::int64_t done, std::int64_t total) {
  done_ = done;
  total_ = total;
  const double frac = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const auto now = std::chrono::steady_clock::now();
  const double secs = std::chrono::duration<double>(now - start_).count();
  if (terminal_) {
    if (done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(frac * kWidth);
    out_ << fmt::format("\r[{}{}] {:3.0f}%  {}/{} {}  {:.1f} s", std::string(filled, '#'),
                        std::string(kWidth - filled, '.'), frac * 100, Thousands(done),
                        Thousands(total), unit_, secs)
         << std::flush;
    return;
  }
  const int tenth = static_cast<int>(frac * 10);
  if (tenth == last_tenth_) return;
  last_tenth_ = tenth;
  out_ << fmt::format("{:3d}%  {}/{} {}  {:.1f} s\n", tenth * 10, Thousands(done),
                      Thousands(total), unit_, secs);
}

void ProgressBar::Finish() {
  last_draw_ = {};
  Update(total_, total_);
  if (terminal_) out_ << "\n";
}

}  // namespace tandem::cli
