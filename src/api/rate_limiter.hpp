// A token bucket per client key (the client's IP address for logins).
//
// Each key holds up to `burst` tokens and regains `per_minute` tokens a minute, continuously.
// Time comes only from the Clock, so tests drive it with a FakeClock. Memory is bounded: past
// `max_keys` keys, buckets that have refilled completely (and so hold no information) are
// dropped by a sweep of the whole table, at most once per refill period (so a client inventing a
// new key per request cannot make every request walk the table); and the table never holds more
// than twice `max_keys`: past that, a new key evicts an arbitrary one (that key then starts again
// with a full bucket, the only leniency, and only under such a flood). Thread-safe.
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

  // How many keys the table holds now (tests: the memory bound).
  std::size_t Size();

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
  const std::int64_t refill_ms_;  // an empty bucket's time to fill: the sweep's period
  std::mutex mu_;
  std::int64_t last_sweep_ms_ = INT64_MIN;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tandem::api
