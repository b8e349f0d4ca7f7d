#include "core/time.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::core {
namespace {

using namespace std::chrono;

// 2026-11-26T23:01:32.123Z, computed independently of the code under test.
const Instant kSample = Instant{sys_days{year{2026} / November / 26}} + hours{23} + minutes{1} +
                        seconds{32} + milliseconds{123};

TEST(TimeTest, MillisRoundTrip) {
  EXPECT_EQ(ToMillis(FromMillis(0)), 0);
  EXPECT_EQ(ToMillis(FromMillis(1'790'000'000'123)), 1'790'000'000'123);
  EXPECT_EQ(ToMillis(FromMillis(-1)), -1);
}

TEST(TimeTest, FormatsInstantAsUtcWithMilliseconds) {
  EXPECT_EQ(FormatInstant(kSample), "2026-11-26T23:01:32.123Z");
  EXPECT_EQ(FormatInstant(FromMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatInstant(FromMillis(5)), "1970-01-01T00:00:00.005Z");
  EXPECT_EQ(FormatInstant(FromMillis(951'782'400'000 + 86'399'999)), "2000-02-29T23:59:59.999Z");
  EXPECT_EQ(FormatInstant(FromMillis(253'402'300'799'999)), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatInstant(FromMillis(253'402'300'800'000)), "10000-01-01T00:00:00.000Z");
}

TEST(TimeTest, FormatsInstantBeforeTheEpoch) {
  EXPECT_EQ(FormatInstant(FromMillis(-1)), "1969-12-31T23:59:59.999Z");
}

TEST(TimeTest, ParsesWhatItFormats) {
  for (std::int64_t ms : {0LL, 1LL, 999LL, 86'399'999LL, 951'782'400'000LL /*2000-02-29*/,
                          1'790'000'000'123LL, 4'102'444'799'999LL /*2099-12-31T23:59:59.999*/}) {
    auto t = FromMillis(ms);
    auto parsed = ParseInstant(FormatInstant(t));
    ASSERT_TRUE(parsed) << FormatInstant(t);
    EXPECT_EQ(*parsed, t) << FormatInstant(t);
  }
}

TEST(TimeTest, ParsesEveryAcceptedShape) {
  struct Case {
    std::string text;
    Instant want;
  };
  const Instant midnight{sys_days{year{2026} / November / 26}};
  const std::vector<Case> cases = {
      {"2026-11-26T23:01:32.123Z", kSample},
      {"2026-11-26t23:01:32.123z", kSample},
      {"2026-11-26 23:01:32.123Z", kSample},
      {"2026-11-26T23:01:32.123", kSample},  // no zone: UTC
      {"2026-11-26T23:01:32Z", kSample - milliseconds{123}},
      {"2026-11-26T23:01Z", kSample - seconds{32} - milliseconds{123}},
      {"2026-11-26T23:01", kSample - seconds{32} - milliseconds{123}},
      {"2026-11-26", midnight},
      {"2026-11-26T23:01:32.1Z", kSample - milliseconds{23}},
      {"2026-11-26T23:01:32.12Z", kSample - milliseconds{3}},
      {"2026-11-26T23:01:32,123Z", kSample},
      // Digits beyond milliseconds are dropped (truncated, not rounded).
      {"2026-11-26T23:01:32.123999Z", kSample},
      {"2026-11-27T01:01:32.123+02:00", kSample},
      {"2026-11-27T01:01:32.123+0200", kSample},
      {"2026-11-26T18:31:32.123-04:30", kSample},
      {"2026-11-26T18:31:32.123-0430", kSample},
      {"2026-11-26T23:01:32.123+00:00", kSample},
  };
  for (const auto& c : cases) {
    auto got = ParseInstant(c.text);
    ASSERT_TRUE(got) << c.text;
    EXPECT_EQ(*got, c.want) << c.text << " parsed as " << FormatInstant(*got);
  }
}

TEST(TimeTest, OffsetCanCrossTheDateLine) {
  auto t = ParseInstant("2026-01-01T00:30:00+01:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatInstant(*t), "2025-12-31T23:30:00.000Z");
}

TEST(TimeTest, LeapSecondIsClampedNotRejected) {
  auto t = ParseInstant("2016-12-31T23:59:60Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatInstant(*t), "2016-12-31T23:59:59.000Z");
}

TEST(TimeTest, LeapDayOnlyInLeapYears) {
  EXPECT_TRUE(ParseInstant("2024-02-29T12:00:00Z"));
  EXPECT_TRUE(ParseInstant("2000-02-29"));
  EXPECT_FALSE(ParseInstant("2026-02-29T12:00:00Z"));
  EXPECT_FALSE(ParseInstant("1900-02-29"));
}

TEST(TimeTest, RejectsEverythingElse) {
  const std::vector<std::string> bad = {
      "",
      "2026",
      "2026-11",
      "2026-1-26",
      "26-11-2026",
      "2026/11/26",
      "2026-02-30",
      "2026-13-01",
      "2026-00-10",
      "2026-11-00",
      "2026-11-31",
      "2026-11-26T",
      "2026-11-26T23",
      "2026-11-26T23:1",
      "2026-11-26T24:00:00Z",
      "2026-11-26T23:60:00Z",
      "2026-11-26T23:01:61Z",
      "2026-11-26T23:01:32.Z",
      "2026-11-26T23:01:32.123ZZ",
      "2026-11-26T23:01:32.123Q",
      "2026-11-26T23:01:32.123+24:00",
      "2026-11-26T23:01:32.123+02:60",
      "2026-11-26T23:01:32.123+2:00",
      "2026-11-26X23:01:32Z",
      " 2026-11-26T23:01:32Z",
      "2026-11-26T23:01:32Z ",
      "2026-11-26 ",
      "2026-11-26junk",
      "abcd-ef-gh",
  };
  for (const auto& s : bad) EXPECT_FALSE(ParseInstant(s)) << "accepted '" << s << "'";
}

TEST(TimeTest, RejectsOffsetsNotInTheListedShapes) {
  // Only "+HH:MM", "-HH:MM" and "+HHMM" are offsets; these are truncated forms of them.
  for (std::string s :
       {"2026-11-26T23:01:32+02", "2026-11-26T23:01:32+02:", "2026-11-26T23:01:32+02:0",
        "2026-11-26T23:01:32+020", "2026-11-26T23:01:32-05"}) {
    EXPECT_FALSE(ParseInstant(s)) << "accepted '" << s << "'";
  }
}

TEST(TimeTest, FormatsDate) {
  EXPECT_EQ(FormatDate(sys_days{year{2026} / November / 26}), "2026-11-26");
  EXPECT_EQ(FormatDate(sys_days{year{999} / January / 2}), "0999-01-02");
}

TEST(TimeTest, ParsesExactlyYearMonthDay) {
  EXPECT_EQ(ParseDate("2026-11-26"), sys_days{year{2026} / November / 26});
  EXPECT_EQ(ParseDate("2024-02-29"), sys_days{year{2024} / February / 29});
  for (std::string s : {"", "2026-02-30", "2026-11-26T00:00", "2026-11-26Z", "2026-11-6",
                        "2026-11-26 ", " 2026-11-26", "20261126", "2026-13-01"}) {
    EXPECT_FALSE(ParseDate(s)) << "accepted '" << s << "'";
  }
}

TEST(TimeTest, DateRoundTripsOverYears) {
  // Every day of 2023-2025 (includes a leap year) formats and parses back to itself.
  for (sys_days d = sys_days{year{2023} / January / 1}; d < sys_days{year{2026} / January / 1};
       d += days{1}) {
    auto back = ParseDate(FormatDate(d));
    ASSERT_TRUE(back) << FormatDate(d);
    EXPECT_EQ(*back, d);
  }
}

}  // namespace
}  // namespace tandem::core
