#include "core/calendar.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace tandem::core {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using LocalMs = date::local_time<milliseconds>;

constexpr int kDayMinutes = 24 * 60;
constexpr int kWeekMinutes = 7 * kDayMinutes;

// Converts between UTC instants and local civil times of one zone. The zone's current period
// (offset and validity range) is cached: most conversions of a walk fall inside one period,
// and the cache answers them without the library's search. A local time is answered from the
// cache only when it maps at least a day away from either end of the period, where no other
// period can claim it, so ambiguous and nonexistent times always take the library's path.
class Converter {
 public:
  explicit Converter(const date::time_zone* zone) : zone_(zone) {}

  LocalMs ToLocal(Instant t) {
    if (!(t >= begin_ && t < end_)) Refresh(t);
    return LocalMs{t.time_since_epoch() + offset_};
  }

  Instant ToSys(LocalMs lt, bool earliest) {
    const Instant candidate{lt.time_since_epoch() - offset_};
    if (candidate >= safe_begin_ && candidate < safe_end_) return candidate;
    const auto sys = zone_->to_sys(lt, earliest ? date::choose::earliest : date::choose::latest);
    const Instant result = std::chrono::time_point_cast<milliseconds>(sys);
    Refresh(result);
    return result;
  }

 private:
  void Refresh(Instant t) {
    const auto info = zone_->get_info(t);
    offset_ = std::chrono::duration_cast<milliseconds>(info.offset);
    // Periods without an end in sight are bounded far away so the arithmetic cannot overflow.
    static const Instant kFarPast{std::chrono::sys_days{std::chrono::year{1000} / 1 / 1}};
    static const Instant kFarFuture{std::chrono::sys_days{std::chrono::year{9000} / 1 / 1}};
    const Instant b = info.begin <= kFarPast ? kFarPast : Instant{info.begin};
    const Instant e = info.end >= kFarFuture ? kFarFuture : Instant{info.end};
    begin_ = b;
    end_ = e;
    safe_begin_ = b + days{1};
    safe_end_ = e - days{1};
  }

  const date::time_zone* zone_;
  milliseconds offset_{0};
  Instant begin_ = Instant::max();
  Instant end_ = Instant::min();
  Instant safe_begin_ = Instant::max();
  Instant safe_end_ = Instant::min();
};

Date LocalDay(LocalMs lt) {
  return Date{std::chrono::floor<days>(lt.time_since_epoch())};
}

LocalMs LocalAt(Date day, int minute) {
  return LocalMs{day.time_since_epoch() + minutes{minute}};
}

}  // namespace

int IsoWeekdayIndex(Date d) {
  return static_cast<int>(std::chrono::weekday{d}.iso_encoding()) - 1;
}

const char* WeekdayName(int iso_index) {
  static constexpr const char* kNames[] = {"monday", "tuesday",  "wednesday", "thursday",
                                           "friday", "saturday", "sunday"};
  return iso_index >= 0 && iso_index < 7 ? kNames[iso_index] : "?";
}

std::string FormatDayInterval(const DayInterval& i) {
  char buf[64];
  const int end = i.end_minute > kDayMinutes ? i.end_minute - kDayMinutes : i.end_minute;
  std::snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", i.start_minute / 60, i.start_minute % 60,
                end / 60, end % 60);
  return buf;
}

Result<BusinessCalendar> BusinessCalendar::Create(const date::time_zone* zone, WeeklyHours hours,
                                                  std::vector<Date> holidays) {
  if (zone == nullptr) return Fail(Error::Invalid("time_zone", "a calendar needs a time zone"));
  // Each interval as a span of minutes of the week; a span past Sunday midnight wraps to Monday.
  std::vector<std::pair<int, int>> spans;
  for (int d = 0; d < 7; ++d) {
    auto& list = hours.days[static_cast<std::size_t>(d)];
    for (const auto& i : list) {
      const std::string where = std::string(WeekdayName(d)) + " " + FormatDayInterval(i);
      if (i.start_minute < 0 || i.start_minute >= kDayMinutes) {
        return Fail(Error::Invalid("hours", where + ": start must be within 00:00-23:59"));
      }
      if (i.end_minute <= i.start_minute) {
        return Fail(Error::Invalid("hours", where + ": an interval must end after it starts"));
      }
      if (i.end_minute - i.start_minute > kDayMinutes) {
        return Fail(Error::Invalid("hours", where + ": an interval lasts at most 24 hours"));
      }
      const int s = d * kDayMinutes + i.start_minute;
      const int e = d * kDayMinutes + i.end_minute;
      if (e <= kWeekMinutes) {
        spans.emplace_back(s, e);
      } else {
        spans.emplace_back(s, kWeekMinutes);
        spans.emplace_back(0, e - kWeekMinutes);
      }
    }
    std::sort(list.begin(), list.end(), [](const DayInterval& a, const DayInterval& b) {
      return a.start_minute < b.start_minute;
    });
  }
  if (spans.empty()) {
    return Fail(Error::Invalid("hours", "a calendar needs at least one business interval"));
  }
  std::sort(spans.begin(), spans.end());
  for (std::size_t k = 1; k < spans.size(); ++k) {
    if (spans[k].first < spans[k - 1].second) {
      const int d = spans[k].first / kDayMinutes;
      const DayInterval at{spans[k].first % kDayMinutes, spans[k].first % kDayMinutes};
      return Fail(Error::Invalid("hours", std::string("business intervals overlap on ") +
                                              WeekdayName(d) + " at " +
                                              FormatDayInterval(at).substr(0, 5)));
    }
  }
  std::sort(holidays.begin(), holidays.end());
  holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());

  BusinessCalendar c;
  c.zone_ = zone;
  c.hours_ = std::move(hours);
  c.holidays_ = std::move(holidays);
  return c;
}

bool BusinessCalendar::IsHoliday(Date local_day) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), local_day);
}

namespace {

// Walks the business intervals that end after `from`, in time order, as UTC [start, end).
// `visit(start, end)` returns false to stop. Intervals never overlap once converted: a start
// is raised to the previous end (two passes of an ambiguous hour are counted once).
template <class Visit>
void Walk(const BusinessCalendar& cal, Instant from, Visit&& visit) {
  Converter conv(cal.zone());
  // The previous day may own an overnight interval still running at `from`.
  Date day = LocalDay(conv.ToLocal(from)) - days{1};
  Instant cursor = Instant::min();
  for (;;) {
    if (!cal.IsHoliday(day)) {
      for (const auto& i : cal.hours().days[static_cast<std::size_t>(IsoWeekdayIndex(day))]) {
        Instant s = conv.ToSys(LocalAt(day, i.start_minute), /*earliest=*/true);
        const Instant e = conv.ToSys(LocalAt(day, i.end_minute), /*earliest=*/false);
        s = std::max(s, cursor);
        if (e <= s) continue;
        cursor = e;
        if (e <= from) continue;
        if (!visit(s, e)) return;
      }
    }
    day += days{1};
  }
}

}  // namespace

Instant BusinessCalendar::Add(Instant start, BusinessDuration d) const {
  if (d <= BusinessDuration::zero()) return start;
  Instant result = start;
  BusinessDuration remaining = d;
  Walk(*this, start, [&](Instant s, Instant e) {
    s = std::max(s, start);
    const auto len = e - s;
    if (len >= remaining) {
      result = s + remaining;
      return false;
    }
    remaining -= std::chrono::duration_cast<BusinessDuration>(len);
    return true;
  });
  return result;
}

BusinessDuration BusinessCalendar::Between(Instant from, Instant to) const {
  if (to < from) return -Between(to, from);
  BusinessDuration total{0};
  if (to == from) return total;
  Walk(*this, from, [&](Instant s, Instant e) {
    if (s >= to) return false;
    total += std::chrono::duration_cast<BusinessDuration>(std::min(e, to) - std::max(s, from));
    return e < to;
  });
  return total;
}

bool BusinessCalendar::IsOpen(Instant t) const {
  bool open = false;
  Walk(*this, t, [&](Instant s, Instant) {
    open = s <= t;
    return false;
  });
  return open;
}

Instant BusinessCalendar::NextOpen(Instant t) const {
  Instant next = t;
  Walk(*this, t, [&](Instant s, Instant) {
    next = std::max(s, t);
    return false;
  });
  return next;
}

Instant BusinessCalendar::AddBusinessDays(Instant start, int n) const {
  Converter conv(zone_);
  Date day = LocalDay(conv.ToLocal(start));
  if (n < 1) n = 1;
  for (int counted = 0;;) {
    day += days{1};
    const auto& list = hours_.days[static_cast<std::size_t>(IsoWeekdayIndex(day))];
    if (list.empty() || IsHoliday(day)) continue;
    if (++counted == n) {
      int close = 0;
      for (const auto& i : list) close = std::max(close, i.end_minute);
      return conv.ToSys(LocalAt(day, close), /*earliest=*/false);
    }
  }
}

}  // namespace tandem::core
