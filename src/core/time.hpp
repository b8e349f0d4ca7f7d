// Instants and calendar dates as Tandem stores and exchanges them.
//
// An `Instant` is a UTC point in time with millisecond precision; it is stored as the integer
// count of milliseconds since the Unix epoch and exchanged as ISO 8601 text. A `Date` is a
// civil date without a zone (a deal's expected close date). The core never reads a clock:
// callers pass `now`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tandem::core {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;
using Date = std::chrono::sys_days;

inline std::int64_t ToMillis(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromMillis(std::int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }

// "2026-11-26T23:01:32.123Z" (always UTC, always milliseconds).
std::string FormatInstant(Instant t);

// Accepts "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z", "+HH:MM", "-HH:MM", "+HHMM" or nothing
// (taken as UTC); a space may replace the "T"; a bare "YYYY-MM-DD" is midnight UTC.
// Returns nothing for anything else, including impossible dates such as 2026-02-30.
std::optional<Instant> ParseInstant(std::string_view text);

// "2026-11-26".
std::string FormatDate(Date d);
// Exactly "YYYY-MM-DD" with a real calendar date.
std::optional<Date> ParseDate(std::string_view text);

}  // namespace tandem::core
