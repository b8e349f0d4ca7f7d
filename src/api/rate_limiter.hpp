// A token bucket per client key (the client's IP address for logins).
//
// Each key holds up to `burst` tokens and regains `per_minute` tokens a minute, continuously.
// Time comes only from the Clock, so tests drive it with a FakeClock. Memory is bounded: past
// `max_keys` keys, buckets that have refilled completely (and so hold no information) are
// dropped. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.hpp"

namespace tandem::api {

class RateLimiter {
 public:
  RateLimiter(const base::Clock& clock, int per_minute, int burst, std::size_t max_keys = 100000);

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when refused: until one token is back (>= 1 s)
  };
  // Takes one token from `key`'s bucket if it has one.
  Decision Take(std::string_view key);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t at_ms = 0;
  };
  void Refill(Bucket& b, std::int64_t now_ms) const;

  const base::Clock& clock_;
  const double per_ms_;
  const double burst_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tandem::api
