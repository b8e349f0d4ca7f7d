#include "base/file_clock.hpp"

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace tandem::base {

core::Result<std::unique_ptr<FileClock>> FileClock::Open(const std::string& path) {
  std::unique_ptr<FileClock> clock(new FileClock(path));
  if (!clock->Refresh()) {
    return core::Fail(core::Error::Invalid(
        "clock_file", path + " must exist and hold one instant, e.g. 2026-11-25T09:00:00Z"));
  }
  return clock;
}

bool FileClock::Refresh() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return false;
  const std::int64_t stamp =
      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  if (stamp == stamp_ns_ && st.st_size == size_) return true;
  std::ifstream in(path_);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  auto t = core::ParseInstant(s);
  if (!t) return false;
  now_ = *t;
  stamp_ns_ = stamp;
  size_ = st.st_size;
  return true;
}

core::Instant FileClock::Now() const {
  std::lock_guard lock(mu_);
  Refresh();
  return now_;
}

}  // namespace tandem::base
