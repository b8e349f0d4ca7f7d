#include "base/metrics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace tandem::base {
namespace {

// The lines of `text` that start with `prefix`.
std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
    pos = end + 1;
  }
  return out;
}

TEST(CounterTest, AddsOneOrMore) {
  Counter c;
  EXPECT_EQ(c.Value(), 0u);
  c.Add();
  c.Add(41);
  EXPECT_EQ(c.Value(), 42u);
}

TEST(MetricsTest, EmptyRegistryRendersNothing) {
  Metrics m;
  EXPECT_EQ(m.Render(), "");
}

TEST(MetricsTest, SameNameAndLabelsGiveTheSameCounter) {
  Metrics m;
  Counter& a = m.GetCounter("tandem_requests_total", {{"route", "/contacts"}});
  Counter& b = m.GetCounter("tandem_requests_total", {{"route", "/contacts"}});
  Counter& other = m.GetCounter("tandem_requests_total", {{"route", "/deals"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
  a.Add(2);
  EXPECT_EQ(b.Value(), 2u);
  EXPECT_EQ(other.Value(), 0u);
}

TEST(MetricsTest, RendersCountersWithHelpTypeAndLabels) {
  Metrics m;
  m.GetCounter("tandem_requests_total", {{"route", "/deals"}, {"status", "200"}}, "Requests.")
      .Add(3);
  m.GetCounter("tandem_requests_total", {{"route", "/contacts"}, {"status", "200"}}).Add(5);
  m.GetCounter("tandem_events_total").Add(7);
  EXPECT_EQ(m.Render(),
            "# TYPE tandem_events_total counter\n"
            "tandem_events_total 7\n"
            "# HELP tandem_requests_total Requests.\n"
            "# TYPE tandem_requests_total counter\n"
            "tandem_requests_total{route=\"/contacts\",status=\"200\"} 5\n"
            "tandem_requests_total{route=\"/deals\",status=\"200\"} 3\n");
}

TEST(MetricsTest, FirstNonEmptyHelpIsKept) {
  Metrics m;
  m.GetCounter("c_total");
  m.GetCounter("c_total", {}, "Counts c.");
  m.GetCounter("c_total", {}, "Ignored.");
  EXPECT_EQ(LinesStartingWith(m.Render(), "# HELP"),
            std::vector<std::string>{"# HELP c_total Counts c."});
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics m;
  m.GetCounter("c_total", {{"path", "a\"b\\c\nd"}}).Add();
  EXPECT_EQ(LinesStartingWith(m.Render(), "c_total"),
            std::vector<std::string>{"c_total{path=\"a\\\"b\\\\c\\nd\"} 1"});
}

TEST(MetricsTest, EscapesHelpText) {
  // The exposition format escapes backslash and line feed in HELP; a raw newline would end
  // the comment and leave the rest as a malformed sample line.
  Metrics m;
  m.GetCounter("c_total", {}, "first line\nsecond \\ part").Add();
  const std::string text = m.Render();
  EXPECT_EQ(LinesStartingWith(text, "# HELP"),
            std::vector<std::string>{"# HELP c_total first line\\nsecond \\\\ part"});
  EXPECT_EQ(LinesStartingWith(text, "second").size(), 0u);
}

TEST(HistogramTest, PutsEachObservationInTheFirstBucketThatHoldsIt) {
  Histogram h;
  h.Observe(0.0001);  // exactly on the first bound: le is inclusive
  h.Observe(0.0003);  // 0.0005
  h.Observe(0.0005);  // 0.0005
  h.Observe(0.3);     // 0.5
  h.Observe(10.0);    // last bound
  h.Observe(25.0);    // beyond every bound: only +Inf
  EXPECT_EQ(h.Count(), 6u);
  EXPECT_EQ(h.Bucket(0), 1u);
  EXPECT_EQ(h.Bucket(1), 0u);
  EXPECT_EQ(h.Bucket(2), 2u);
  EXPECT_EQ(h.Bucket(11), 1u);
  EXPECT_EQ(h.Bucket(13), 1u);
  std::uint64_t in_buckets = 0;
  for (std::size_t i = 0; i < Histogram::kBounds.size(); ++i) in_buckets += h.Bucket(i);
  EXPECT_EQ(in_buckets, 5u);
}

TEST(HistogramTest, SumsObservationsToTheMicrosecond) {
  // 0.0157 * 1e6 is 15699.999... in binary floating point: truncating would drop 1us each time.
  Histogram h;
  h.Observe(0.0157);
  h.Observe(0.000249);
  h.Observe(1.25);
  EXPECT_DOUBLE_EQ(h.Sum(), 1.265949);
  Histogram many;
  for (int i = 0; i < 1000; ++i) many.Observe(0.0157);
  EXPECT_DOUBLE_EQ(many.Sum(), 15.7);
}

TEST(HistogramTest, NegativeObservationDoesNotCorruptTheSum) {
  // A duration measured across a clock step can come out negative; it counts as zero.
  Histogram h;
  h.Observe(0.5);
  h.Observe(-2.0);
  EXPECT_EQ(h.Count(), 2u);
  EXPECT_DOUBLE_EQ(h.Sum(), 0.5);
  EXPECT_EQ(h.Bucket(0), 1u);
}

TEST(MetricsTest, RendersHistogramBucketsCumulatively) {
  Metrics m;
  Histogram& h = m.GetHistogram("tandem_http_seconds", {}, "Request latency.");
  h.Observe(0.0001);
  h.Observe(0.003);
  h.Observe(0.003);
  h.Observe(0.7);
  h.Observe(42.0);
  EXPECT_EQ(m.Render(),
            "# HELP tandem_http_seconds Request latency.\n"
            "# TYPE tandem_http_seconds histogram\n"
            "tandem_http_seconds_bucket{le=\"0.0001\"} 1\n"
            "tandem_http_seconds_bucket{le=\"0.00025\"} 1\n"
            "tandem_http_seconds_bucket{le=\"0.0005\"} 1\n"
            "tandem_http_seconds_bucket{le=\"0.001\"} 1\n"
            "tandem_http_seconds_bucket{le=\"0.0025\"} 1\n"
            "tandem_http_seconds_bucket{le=\"0.005\"} 3\n"
            "tandem_http_seconds_bucket{le=\"0.01\"} 3\n"
            "tandem_http_seconds_bucket{le=\"0.025\"} 3\n"
            "tandem_http_seconds_bucket{le=\"0.05\"} 3\n"
            "tandem_http_seconds_bucket{le=\"0.1\"} 3\n"
            "tandem_http_seconds_bucket{le=\"0.25\"} 3\n"
            "tandem_http_seconds_bucket{le=\"0.5\"} 3\n"
            "tandem_http_seconds_bucket{le=\"1\"} 4\n"
            "tandem_http_seconds_bucket{le=\"10\"} 4\n"
            "tandem_http_seconds_bucket{le=\"+Inf\"} 5\n"
            "tandem_http_seconds_sum 42.7061\n"
            "tandem_http_seconds_count 5\n");
}

TEST(MetricsTest, HistogramLabelsComeBeforeLe) {
  Metrics m;
  m.GetHistogram("lat_seconds", {{"route", "/x\"y"}}).Observe(0.02);
  const std::string text = m.Render();
  const auto buckets = LinesStartingWith(text, "lat_seconds_bucket");
  ASSERT_EQ(buckets.size(), Histogram::kBounds.size() + 1);
  EXPECT_EQ(buckets.front(), "lat_seconds_bucket{route=\"/x\\\"y\",le=\"0.0001\"} 0");
  EXPECT_EQ(buckets[7], "lat_seconds_bucket{route=\"/x\\\"y\",le=\"0.025\"} 1");
  EXPECT_EQ(buckets.back(), "lat_seconds_bucket{route=\"/x\\\"y\",le=\"+Inf\"} 1");
  EXPECT_EQ(LinesStartingWith(text, "lat_seconds_sum"),
            std::vector<std::string>{"lat_seconds_sum{route=\"/x\\\"y\"} 0.02"});
  EXPECT_EQ(LinesStartingWith(text, "lat_seconds_count"),
            std::vector<std::string>{"lat_seconds_count{route=\"/x\\\"y\"} 1"});
}

TEST(MetricsTest, BucketsNeverDecrease) {
  Metrics m;
  Histogram& h = m.GetHistogram("h_seconds");
  for (int i = 0; i < 200; ++i) h.Observe(0.00005 * i * i);
  std::uint64_t last = 0;
  for (const auto& line : LinesStartingWith(m.Render(), "h_seconds_bucket")) {
    const std::uint64_t v = std::stoull(line.substr(line.rfind(' ') + 1));
    EXPECT_GE(v, last) << line;
    last = v;
  }
  EXPECT_EQ(last, 200u);
}

TEST(MetricsTest, CountsFromManyThreadsAddUp) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 5000; ++i) {
        m.GetCounter("hits_total", {{"shard", std::to_string(t % 2)}}).Add();
        m.GetHistogram("work_seconds").Observe(0.001);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(m.GetCounter("hits_total", {{"shard", "0"}}).Value(), 10000u);
  EXPECT_EQ(m.GetCounter("hits_total", {{"shard", "1"}}).Value(), 10000u);
  EXPECT_EQ(m.GetHistogram("work_seconds").Count(), 20000u);
  EXPECT_EQ(m.GetHistogram("work_seconds").Bucket(3), 20000u);
}

TEST(MetricsTest, GaugesAreReadWhenRenderedAndReplacedByName) {
  Metrics m;
  double value = 1.5;
  m.SetGauge("memory_bytes", "Memory in use", [&value] { return value; });
  EXPECT_EQ(m.Render(),
            "# HELP memory_bytes Memory in use\n# TYPE memory_bytes gauge\nmemory_bytes 1.5\n");
  value = 2048;
  EXPECT_EQ(LinesStartingWith(m.Render(), "memory_bytes"),
            std::vector<std::string>{"memory_bytes 2048"});
  m.SetGauge("memory_bytes", "Memory in use", [] { return 7.0; });
  EXPECT_EQ(LinesStartingWith(m.Render(), "memory_bytes"),
            std::vector<std::string>{"memory_bytes 7"});
}

}  // namespace
}  // namespace tandem::base
