// A clock read from a file, for tests that drive a real `tandem serve` process through time
// (`--clock-file PATH`, tests/crash). Production uses the system clock.
//
// The file holds one instant as text ("2026-11-25T09:00:00Z", anything core::ParseInstant
// takes). Now() returns it, reading the file again whenever its modification time or size
// changed, so a test moves the server's time by rewriting the file (write a temporary file and
// rename it over, so no reader sees half a line). Time stands still between rewrites: nothing
// that waits for the clock moves until the test says so. A file that cannot be read or parsed
// after the first read leaves the last instant in force.
// Thread-safety: Now() may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/clock.hpp"
#include "core/error.hpp"

namespace tandem::base {

class FileClock final : public Clock {
 public:
  // Fails (field "clock_file") when the file is missing or does not hold an instant.
  static core::Result<std::unique_ptr<FileClock>> Open(const std::string& path);

  core::Instant Now() const override;

 private:
  explicit FileClock(std::string path) : path_(std::move(path)) {}
  // Reads the file when it changed since the last read; false when it cannot be read.
  bool Refresh() const;

  std::string path_;
  mutable std::mutex mu_;
  mutable core::Instant now_{};
  mutable std::int64_t stamp_ns_ = -1;  // modification time of the last read
  mutable std::int64_t size_ = -1;
};

}  // namespace tandem::base
