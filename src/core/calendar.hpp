// The business calendar: when a team is at work, and how SLA clocks count time.
//
// A calendar is a time zone, weekly opening hours (any number of intervals per weekday, in
// local civil time) and holidays (local dates). `Add` moves an instant forward by a business
// duration; `Between` measures the business time between two instants. Both count real
// elapsed time inside business intervals, so DST changes are honoured: an interval that
// contains a clock change lasts what the wall clock says it lasts in reality.
//
// Definitions the rest of Tandem relies on:
//  * An interval of a non-holiday day runs, in real time, from the first occurrence of its
//    local start to the last occurrence of its local end; an instant is *open* when it lies in
//    one. On an ordinary day that is exactly "the local time is within [start, end)". In a DST
//    gap a nonexistent local time maps to the transition instant (a 01:00-05:00 shift lasts
//    3 real hours that night); in a DST overlap the interval covers both passes of the
//    repeated hour (01:00-05:00 lasts 5 hours, and 01:30-02:30 lasts 2: it ends at the second
//    02:30). Clock changes happen at night, so ordinary office hours never meet these cases.
//  * An overnight interval (22:00-06:00, end at or before start) belongs to the day it starts
//    on: a holiday on that day removes it, a holiday on the next day does not. Overnight
//    intervals exist only when the contract declares them (the contract parser checks the
//    declaration; the core only requires that intervals are at most 24 h long and that no two
//    intervals of the week overlap).
//  * `Add(t, 0) == t`. For d > 0 the result is the instant where d of business time has
//    elapsed after t: always open, or the exclusive end of an interval (17:30 + 30 min with
//    hours 09:00-18:00 is 18:00 the same day, not 09:00 the next).
//  * `Between(a, b)` is the business time inside [a, b); it is negative when b < a.
//
// The zone is a `const date::time_zone*` obtained by the caller (see base/time_zones.hpp,
// which loads the zone's data from the system tzdata before handing it over): the core
// performs no lookup and no I/O. Zones of the date library live as long as the program.
//
// Thread-safety: a BusinessCalendar is immutable after Create; any number of threads may use
// one at once.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <date/tz.h>

#include "core/error.hpp"
#include "core/time.hpp"

namespace tandem::core {

using BusinessDuration = std::chrono::milliseconds;

// One opening interval of a weekday, in minutes after local midnight. `end_minute` may be
// past 1440 for an interval that runs past midnight (22:00-06:00 is 1320..1800); at most 24 h.
struct DayInterval {
  int start_minute = 0;
  int end_minute = 0;
  bool operator==(const DayInterval&) const = default;
};

// Index 0 is Monday, 6 is Sunday (ISO order, as contracts and people write a week).
struct WeeklyHours {
  std::array<std::vector<DayInterval>, 7> days;
  bool operator==(const WeeklyHours&) const = default;
};

// ISO weekday index (Monday 0 ... Sunday 6) of a date.
int IsoWeekdayIndex(Date d);

// "monday" ... "sunday".
const char* WeekdayName(int iso_index);

// "09:00-18:00"; an overnight interval prints as "22:00-06:00".
std::string FormatDayInterval(const DayInterval& i);

class BusinessCalendar {
 public:
  // Checks the hours: each interval starts in [00:00, 24:00), is not empty and lasts at most
  // 24 h; intervals of the week (overnight ones included, Sunday night running into Monday)
  // do not overlap; at least one interval exists. `zone` must not be null. Holidays may come
  // in any order and may repeat.
  [[nodiscard]] static Result<BusinessCalendar> Create(const date::time_zone* zone,
                                                       WeeklyHours hours,
                                                       std::vector<Date> holidays);

  // The instant at which `d` of business time has elapsed after `start`. `d` must be >= 0
  // (a negative `d` is treated as 0).
  Instant Add(Instant start, BusinessDuration d) const;

  // Business time inside [from, to); negative when to < from.
  BusinessDuration Between(Instant from, Instant to) const;

  // The close of the n-th business day after the local day of `start` (n >= 1): the end of
  // that day's last interval. A business day is a non-holiday day with at least one interval.
  // Used for obligations stated in business days ("accept or reject within 2 business days":
  // assigned Monday 10:00, due Wednesday at closing time).
  Instant AddBusinessDays(Instant start, int n) const;

  bool IsOpen(Instant t) const;
  // t itself when open, otherwise the start of the next interval.
  Instant NextOpen(Instant t) const;

  bool IsHoliday(Date local_day) const;
  const date::time_zone* zone() const { return zone_; }
  const WeeklyHours& hours() const { return hours_; }
  const std::vector<Date>& holidays() const { return holidays_; }

 private:
  BusinessCalendar() = default;

  const date::time_zone* zone_ = nullptr;
  WeeklyHours hours_;
  std::vector<Date> holidays_;  // sorted, unique
};

}  // namespace tandem::core
