#include "core/calendar.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tandem::core {
namespace {

using namespace std::chrono;

const date::time_zone* Zone(const char* name) {
  return date::locate_zone(name);
}

// Local civil time in `zone` -> UTC instant (the test's own conversion, through the library).
Instant At(const char* zone, int y, unsigned mo, unsigned d, int h, int mi) {
  const auto lt =
      date::local_days{date::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi};
  return time_point_cast<milliseconds>(Zone(zone)->to_sys(lt, date::choose::earliest));
}

DayInterval H(int sh, int sm, int eh, int em) {
  return {sh * 60 + sm, eh * 60 + em};
}

WeeklyHours Weekdays(std::vector<DayInterval> day) {
  WeeklyHours w;
  for (int d = 0; d < 5; ++d) w.days[static_cast<std::size_t>(d)] = day;
  return w;
}

Date Day(int y, unsigned m, unsigned d) {
  return sys_days{year{y} / m / d};
}

BusinessCalendar Make(const char* zone, WeeklyHours w, std::vector<Date> holidays = {}) {
  auto c = BusinessCalendar::Create(Zone(zone), std::move(w), std::move(holidays));
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
  return *c;
}

// The example: Paris, Mon-Fri 09:00-18:00, assigned Friday 17:30, 4 business hours.
TEST(BusinessCalendarTest, FridayEveningPlusFourHoursIsMondayNoon) {
  const auto cal = Make("Europe/Paris", Weekdays({H(9, 0, 18, 0)}));
  const Instant friday = At("Europe/Paris", 2026, 11, 27, 17, 30);
  EXPECT_EQ(cal.Add(friday, hours{4}), At("Europe/Paris", 2026, 11, 30, 12, 30));
  EXPECT_EQ(cal.Between(friday, At("Europe/Paris", 2026, 11, 30, 12, 30)), hours{4});
}

TEST(BusinessCalendarTest, HolidayMondayPushesTheDueTimeToTuesday) {
  const auto cal = Make("Europe/Paris", Weekdays({H(9, 0, 18, 0)}), {Day(2026, 11, 30)});
  const Instant friday = At("Europe/Paris", 2026, 11, 27, 17, 30);
  EXPECT_EQ(cal.Add(friday, hours{4}), At("Europe/Paris", 2026, 12, 1, 12, 30));
  EXPECT_FALSE(cal.IsOpen(At("Europe/Paris", 2026, 11, 30, 10, 0)));
  EXPECT_TRUE(cal.IsHoliday(Day(2026, 11, 30)));
}

TEST(BusinessCalendarTest, ReachingTheEndOfAnIntervalStopsThere) {
  const auto cal = Make("Europe/Paris", Weekdays({H(9, 0, 18, 0)}));
  const Instant friday = At("Europe/Paris", 2026, 11, 27, 17, 30);
  EXPECT_EQ(cal.Add(friday, minutes{30}), At("Europe/Paris", 2026, 11, 27, 18, 0));
  EXPECT_EQ(cal.Add(friday, minutes{31}), At("Europe/Paris", 2026, 11, 30, 9, 1));
  EXPECT_EQ(cal.Add(friday, milliseconds{0}), friday);
}

TEST(BusinessCalendarTest, StartOutsideHoursBeginsAtTheNextOpening) {
  const auto cal = Make("Europe/Paris", Weekdays({H(9, 0, 18, 0)}));
  const Instant saturday = At("Europe/Paris", 2026, 11, 28, 11, 0);
  EXPECT_EQ(cal.Add(saturday, hours{1}), At("Europe/Paris", 2026, 11, 30, 10, 0));
  EXPECT_EQ(cal.NextOpen(saturday), At("Europe/Paris", 2026, 11, 30, 9, 0));
  EXPECT_EQ(cal.Between(saturday, At("Europe/Paris", 2026, 11, 29, 23, 0)), milliseconds{0});
}

TEST(BusinessCalendarTest, SeveralIntervalsPerDaySkipTheLunchBreak) {
  const auto cal = Make("Europe/Paris", Weekdays({H(9, 0, 12, 30), H(13, 30, 18, 0)}));
  const Instant monday_noon = At("Europe/Paris", 2026, 11, 30, 12, 0);
  EXPECT_EQ(cal.Add(monday_noon, hours{1}), At("Europe/Paris", 2026, 11, 30, 14, 0));
  EXPECT_EQ(
      cal.Between(At("Europe/Paris", 2026, 11, 30, 0, 0), At("Europe/Paris", 2026, 12, 1, 0, 0)),
      hours{8});
  EXPECT_FALSE(cal.IsOpen(At("Europe/Paris", 2026, 11, 30, 13, 0)));
}

TEST(BusinessCalendarTest, CountsRealTimeAcrossTheSpringDstChange) {
  // Paris skips 02:00-03:00 on Sunday 2027-03-28: a Sunday shift 01:00-05:00 lasts 3 real hours.
  WeeklyHours w;
  w.days[6] = {H(1, 0, 5, 0)};
  const auto cal = Make("Europe/Paris", w);
  const Instant start = At("Europe/Paris", 2027, 3, 28, 0, 0);
  EXPECT_EQ(cal.Between(start, start + hours{24}), hours{3});
  EXPECT_EQ(cal.Add(start, hours{2}), At("Europe/Paris", 2027, 3, 28, 4, 0));
  // An ordinary Sunday lasts 4 hours.
  const Instant before = At("Europe/Paris", 2027, 3, 21, 0, 0);
  EXPECT_EQ(cal.Between(before, before + hours{24}), hours{4});
}

TEST(BusinessCalendarTest, CountsBothPassesOfTheAutumnHour) {
  // Paris repeats 02:00-03:00 on Sunday 2026-10-25: a shift 01:00-05:00 lasts 5 real hours.
  WeeklyHours w;
  w.days[6] = {H(1, 0, 5, 0)};
  const auto cal = Make("Europe/Paris", w);
  const Instant start = At("Europe/Paris", 2026, 10, 25, 0, 0);
  EXPECT_EQ(cal.Between(start, start + hours{25}), hours{5});
  // An interval ending inside the repeated hour runs to the end's second occurrence.
  WeeklyHours short_night;
  short_night.days[6] = {H(1, 30, 2, 30)};
  const auto cal2 = Make("Europe/Paris", short_night);
  EXPECT_EQ(cal2.Between(start, start + hours{25}), hours{2});
}

TEST(BusinessCalendarTest, WeekOverDstKeepsLocalOpeningHours) {
  // New York moves to summer time on 2027-03-14; Monday still opens at 09:00 local.
  const auto cal = Make("America/New_York", Weekdays({H(9, 0, 17, 0)}));
  const Instant friday = At("America/New_York", 2027, 3, 12, 16, 0);
  EXPECT_EQ(cal.Add(friday, hours{2}), At("America/New_York", 2027, 3, 15, 10, 0));
}

TEST(BusinessCalendarTest, OvernightShiftBelongsToTheDayItStarts) {
  WeeklyHours w;
  w.days[4] = {H(22, 0, 24 + 6, 0)};  // Friday 22:00 to Saturday 06:00
  const auto cal = Make("Europe/Paris", w);
  const Instant friday = At("Europe/Paris", 2026, 11, 27, 23, 0);
  EXPECT_TRUE(cal.IsOpen(friday));
  EXPECT_TRUE(cal.IsOpen(At("Europe/Paris", 2026, 11, 28, 5, 0)));
  EXPECT_EQ(cal.Add(friday, hours{7}), At("Europe/Paris", 2026, 11, 28, 6, 0));
  EXPECT_EQ(cal.Add(friday, hours{8}), At("Europe/Paris", 2026, 12, 4, 23, 0));
  // A holiday on the Saturday does not cancel Friday night's shift; one on the Friday does.
  const auto sat_off = Make("Europe/Paris", w, {Day(2026, 11, 28)});
  EXPECT_TRUE(sat_off.IsOpen(At("Europe/Paris", 2026, 11, 28, 5, 0)));
  const auto fri_off = Make("Europe/Paris", w, {Day(2026, 11, 27)});
  EXPECT_FALSE(fri_off.IsOpen(At("Europe/Paris", 2026, 11, 28, 5, 0)));
}

TEST(BusinessCalendarTest, SundayNightShiftRunsIntoMonday) {
  WeeklyHours w;
  w.days[6] = {H(20, 0, 24 + 2, 0)};
  w.days[0] = {H(2, 0, 4, 0)};  // touches, does not overlap
  const auto cal = Make("UTC", w);
  const Instant sunday = At("UTC", 2026, 11, 29, 21, 0);
  EXPECT_EQ(cal.Add(sunday, hours{6}), At("UTC", 2026, 11, 30, 3, 0));
  EXPECT_EQ(cal.Add(sunday, hours{7}), At("UTC", 2026, 11, 30, 4, 0));
}

TEST(BusinessCalendarTest, AddBusinessDaysEndsAtClosingTime) {
  const auto cal = Make("Europe/Paris", Weekdays({H(9, 0, 18, 0)}), {Day(2026, 11, 30)});
  const Instant friday = At("Europe/Paris", 2026, 11, 27, 17, 30);
  // Monday is a holiday: the first business day after Friday is Tuesday.
  EXPECT_EQ(cal.AddBusinessDays(friday, 1), At("Europe/Paris", 2026, 12, 1, 18, 0));
  EXPECT_EQ(cal.AddBusinessDays(friday, 2), At("Europe/Paris", 2026, 12, 2, 18, 0));
  EXPECT_EQ(cal.AddBusinessDays(friday, 5), At("Europe/Paris", 2026, 12, 7, 18, 0));
}

TEST(BusinessCalendarTest, RejectsImpossibleHours) {
  const auto* paris = Zone("Europe/Paris");
  EXPECT_FALSE(BusinessCalendar::Create(paris, WeeklyHours{}, {}));
  EXPECT_FALSE(BusinessCalendar::Create(nullptr, Weekdays({H(9, 0, 18, 0)}), {}));
  EXPECT_FALSE(BusinessCalendar::Create(paris, Weekdays({H(18, 0, 9, 0)}), {}));
  EXPECT_FALSE(BusinessCalendar::Create(paris, Weekdays({H(9, 0, 9, 0)}), {}));
  EXPECT_FALSE(BusinessCalendar::Create(paris, Weekdays({{9 * 60, 9 * 60 + 1441}}), {}));
  EXPECT_FALSE(BusinessCalendar::Create(paris, Weekdays({{24 * 60, 25 * 60}}), {}));
  auto overlap = BusinessCalendar::Create(paris, Weekdays({H(9, 0, 13, 0), H(12, 0, 18, 0)}), {});
  ASSERT_FALSE(overlap);
  EXPECT_NE(overlap.error().message.find("overlap on monday at 12:00"), std::string::npos)
      << overlap.error().message;
  // An overnight Friday shift running into a Saturday morning interval.
  WeeklyHours w;
  w.days[4] = {H(22, 0, 24 + 6, 0)};
  w.days[5] = {H(5, 0, 10, 0)};
  EXPECT_FALSE(BusinessCalendar::Create(paris, w, {}));
}

// ---- Properties over many random instants (seeded, so a failure reproduces) ----

// Open by definition, computed instant by instant straight from the library: t is open when
// some non-holiday day's interval runs from the earliest occurrence of its local start to the
// latest occurrence of its local end around t. The oracle the walking code is checked against.
bool OracleOpen(const date::time_zone* z, const WeeklyHours& w, const std::vector<Date>& hol,
                Instant t) {
  const auto day = floor<days>(z->to_local(t).time_since_epoch());
  for (int back = -1; back <= 2; ++back) {
    const Date d{day - days{back}};
    if (std::binary_search(hol.begin(), hol.end(), d)) continue;
    for (const auto& i : w.days[static_cast<std::size_t>(IsoWeekdayIndex(d))]) {
      const date::local_seconds ls{d.time_since_epoch() + minutes{i.start_minute}};
      const date::local_seconds le{d.time_since_epoch() + minutes{i.end_minute}};
      if (t >= z->to_sys(ls, date::choose::earliest) && t < z->to_sys(le, date::choose::latest)) {
        return true;
      }
    }
  }
  return false;
}

struct Case {
  const char* zone;
  WeeklyHours hours;
  std::vector<Date> holidays;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  cases.push_back({"Europe/Paris", Weekdays({H(9, 0, 18, 0)}), {Day(2027, 1, 1), Day(2027, 4, 5)}});
  cases.push_back({"America/New_York", Weekdays({H(8, 30, 12, 0), H(13, 0, 17, 30)}), {}});
  WeeklyHours night;
  for (int d = 0; d < 7; ++d) night.days[static_cast<std::size_t>(d)] = {H(22, 0, 24 + 1, 0)};
  night.days[6].push_back(H(1, 30, 2, 30));  // Sunday, inside the DST hours of Paris
  cases.push_back({"Europe/Paris", night, {Day(2026, 12, 24)}});
  WeeklyHours lord_howe = Weekdays({H(1, 0, 3, 0), H(9, 0, 17, 0)});
  cases.push_back({"Australia/Lord_Howe", lord_howe, {}});  // a 30-minute DST shift
  return cases;
}

class CalendarPropertyTest : public ::testing::TestWithParam<int> {};

TEST_P(CalendarPropertyTest, AddAndBetweenAgree) {
  const auto c = Cases()[static_cast<std::size_t>(GetParam())];
  const auto cal = Make(c.zone, c.hours, c.holidays);
  std::mt19937_64 rng(20261127 + static_cast<unsigned>(GetParam()));
  const std::int64_t lo = ToMillis(Instant{sys_days{year{2026} / 1 / 1}});
  const std::int64_t span = 2LL * 366 * 24 * 3600 * 1000;
  std::uniform_int_distribution<std::int64_t> when(0, span);
  std::uniform_int_distribution<std::int64_t> dur(0, 60LL * 3600 * 1000);
  for (int k = 0; k < 3000; ++k) {
    const Instant t = FromMillis(lo + when(rng));
    const milliseconds d{dur(rng)};
    const Instant r = cal.Add(t, d);
    ASSERT_EQ(cal.Between(t, r), d) << FormatInstant(t) << " + " << d.count();
    ASSERT_GE(r, t);
    if (d > milliseconds{0}) {
      // Inside business hours, or exactly at the (exclusive) end of an interval.
      ASSERT_TRUE(cal.IsOpen(r - milliseconds{1})) << FormatInstant(r);
    }
    // Monotonic in the duration and in the start.
    const milliseconds more = d + milliseconds{dur(rng) / 7};
    ASSERT_LE(r, cal.Add(t, more));
    ASSERT_LE(r, cal.Add(t + milliseconds{when(rng) % 100'000'000}, d));
    // Additive and antisymmetric.
    const Instant u = FromMillis(lo + when(rng));
    const Instant m = std::min(t, u) + (std::max(t, u) - std::min(t, u)) / 2;
    ASSERT_EQ(cal.Between(std::min(t, u), m) + cal.Between(m, std::max(t, u)),
              cal.Between(std::min(t, u), std::max(t, u)));
    ASSERT_EQ(cal.Between(t, u), -cal.Between(u, t));
  }
}

TEST_P(CalendarPropertyTest, BetweenMatchesAMinuteByMinuteOracle) {
  const auto c = Cases()[static_cast<std::size_t>(GetParam())];
  auto holidays = c.holidays;
  std::sort(holidays.begin(), holidays.end());
  const auto cal = Make(c.zone, c.hours, holidays);
  const auto* z = Zone(c.zone);
  std::mt19937_64 rng(77 + static_cast<unsigned>(GetParam()));
  // Minute-aligned starts around the year's DST changes and holidays, spans up to 4 days.
  const std::int64_t lo = ToMillis(Instant{sys_days{year{2026} / 1 / 1}}) / 60000;
  std::uniform_int_distribution<std::int64_t> when(0, 2LL * 366 * 24 * 60);
  std::uniform_int_distribution<int> len(0, 4 * 24 * 60);
  for (int k = 0; k < 150; ++k) {
    const Instant a = FromMillis((lo + when(rng)) * 60000);
    const int n = len(rng);
    std::int64_t open = 0;
    for (int i = 0; i < n; ++i) {
      const Instant t = a + minutes{i};
      const bool o = OracleOpen(z, c.hours, holidays, t);
      open += o;
      if (i % 97 == 0) ASSERT_EQ(cal.IsOpen(t), o) << FormatInstant(t);
    }
    ASSERT_EQ(cal.Between(a, a + minutes{n}), minutes{open}) << FormatInstant(a) << " +" << n;
  }
  // Every DST change of 2026-2027 gets its own window.
  for (Instant t = Instant{sys_days{year{2026} / 1 / 1}};
       t < Instant{sys_days{year{2028} / 1 / 1}};) {
    const auto info = z->get_info(t);
    const Instant change = time_point_cast<milliseconds>(info.end);
    if (change >= Instant{sys_days{year{2028} / 1 / 1}}) break;
    const Instant a = change - hours{30};
    std::int64_t open = 0;
    for (int i = 0; i < 60 * 60; ++i) open += OracleOpen(z, c.hours, holidays, a + minutes{i});
    ASSERT_EQ(cal.Between(a, a + hours{60}), minutes{open}) << FormatInstant(change);
    t = change;
  }
}

INSTANTIATE_TEST_SUITE_P(Calendars, CalendarPropertyTest, ::testing::Range(0, 4));

}  // namespace
}  // namespace tandem::core
