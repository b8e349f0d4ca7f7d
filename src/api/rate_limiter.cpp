#include "api/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace tandem::api {

RateLimiter::RateLimiter(const base::Clock& clock, int per_minute, int burst, std::size_t max_keys)
    : clock_(clock),
      per_ms_(std::max(per_minute, 1) / 60000.0),
      burst_(std::max(burst, 1)),
      max_keys_(std::max<std::size_t>(max_keys, 1)),
      refill_ms_(static_cast<std::int64_t>(std::ceil(burst_ / per_ms_))) {}

void RateLimiter::Refill(Bucket& b, std::int64_t now_ms) const {
  if (now_ms > b.at_ms) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ms - b.at_ms) * per_ms_);
    b.at_ms = now_ms;
  }
}

RateLimiter::Decision RateLimiter::Take(std::string_view key) {
  const std::int64_t now = core::ToMillis(clock_.Now());
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_ &&
        (last_sweep_ms_ == INT64_MIN || now - last_sweep_ms_ >= refill_ms_)) {
      last_sweep_ms_ = now;
      for (auto i = buckets_.begin(); i != buckets_.end();) {
        Refill(i->second, now);
        i = i->second.tokens >= burst_ ? buckets_.erase(i) : std::next(i);
      }
    }
    if (buckets_.size() >= 2 * max_keys_) buckets_.erase(buckets_.begin());
    it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  const double wait_ms = (1.0 - b.tokens) / per_ms_;
  const auto secs = static_cast<std::int64_t>(std::ceil(wait_ms / 1000.0));
  return {false, std::chrono::seconds(std::max<std::int64_t>(secs, 1))};
}

std::size_t RateLimiter::Size() {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace tandem::api
