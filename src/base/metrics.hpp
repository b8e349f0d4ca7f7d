// Process metrics in the Prometheus text exposition format (written by hand: no Prometheus
// client library is packaged for Debian 12).
//
// A Metrics registry owns counters and histograms identified by name plus a label set.
// Lookups take a mutex; updates are lock-free atomics, so a hot path should keep the reference
// it got. References stay valid for the registry's lifetime. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tandem::base {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Fixed buckets in seconds, from 100 microseconds to 10 seconds.
class Histogram {
 public:
  static constexpr std::array<double, 14> kBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 10.0};
  void Observe(double seconds);
  std::uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  double Sum() const;
  std::uint64_t Bucket(std::size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size()> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

class Metrics {
 public:
  Counter& GetCounter(const std::string& name, const Labels& labels = {},
                      const std::string& help = "");
  Histogram& GetHistogram(const std::string& name, const Labels& labels = {},
                          const std::string& help = "");
  // A value read when the registry is rendered (memory in use, say), shown as a gauge. `read` is
  // called under the registry's lock: it must be cheap, thread-safe, and must not use the
  // registry. A second call with the same name replaces the first.
  void SetGauge(const std::string& name, const std::string& help, std::function<double()> read);

  // The whole registry in Prometheus text format 0.0.4.
  std::string Render() const;

 private:
  struct Family {
    std::string help;
    bool histogram = false;
    std::map<std::string, std::unique_ptr<Counter>> counters;      // by rendered label set
    std::map<std::string, std::unique_ptr<Histogram>> histograms;  // by rendered label set
    std::function<double()> gauge;  // set for a gauge family (no counters nor histograms)
  };
  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

}  // namespace tandem::base
