#include "core/time.hpp"

#include <cstdio>

namespace tandem::core {
namespace {

using namespace std::chrono;

// Reads exactly `n` digits at `pos`; advances `pos` on success.
bool Digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  out = v;
  return true;
}

bool Expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<Date> ParseYmd(std::string_view s, std::size_t& pos) {
  int y = 0, m = 0, d = 0;
  if (!Digits(s, pos, 4, y) || !Expect(s, pos, '-') || !Digits(s, pos, 2, m) ||
      !Expect(s, pos, '-') || !Digits(s, pos, 2, d)) {
    return std::nullopt;
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

}  // namespace

namespace {

// Writes `value` as exactly `width` decimal digits (zero-padded) at `p`; returns the end.
char* PutDigits(char* p, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return p + width;
}

}  // namespace

std::string FormatInstant(Instant t) {
  auto day_point = floor<days>(t);
  year_month_day ymd{day_point};
  hh_mm_ss<milliseconds> tod{t - day_point};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {  // outside ISO 8601's four digits: rare, keep it general
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                  static_cast<int>(tod.seconds().count()),
                  static_cast<int>(tod.subseconds().count()));
    return buf;
  }
  std::string out(24, '\0');  // YYYY-MM-DDTHH:MM:SS.mmmZ
  char* p = out.data();
  p = PutDigits(p, static_cast<unsigned>(year), 4);
  *p++ = '-';
  p = PutDigits(p, static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  p = PutDigits(p, static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  p = PutDigits(p, static_cast<unsigned>(tod.hours().count()), 2);
  *p++ = ':';
  p = PutDigits(p, static_cast<unsigned>(tod.minutes().count()), 2);
  *p++ = ':';
  p = PutDigits(p, static_cast<unsigned>(tod.seconds().count()), 2);
  *p++ = '.';
  p = PutDigits(p, static_cast<unsigned>(tod.subseconds().count()), 3);
  *p = 'Z';
  return out;
}

std::optional<Instant> ParseInstant(std::string_view s) {
  std::size_t pos = 0;
  auto date = ParseYmd(s, pos);
  if (!date) return std::nullopt;
  if (pos == s.size()) return Instant{*date};
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
  ++pos;
  int hh = 0, mm = 0, ss = 0, ms = 0;
  if (!Digits(s, pos, 2, hh) || !Expect(s, pos, ':') || !Digits(s, pos, 2, mm)) return std::nullopt;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!Digits(s, pos, 2, ss)) return std::nullopt;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      int scale = 100, n = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        ms += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
        ++n;
      }
      if (n == 0) return std::nullopt;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  if (ss == 60) ss = 59;  // a leap second is clamped, not rejected
  int offset_min = 0;
  if (pos < s.size()) {
    char c = s[pos];
    if (c == 'Z' || c == 'z') {
      ++pos;
    } else if (c == '+' || c == '-') {
      ++pos;
      int oh = 0, om = 0;
      if (!Digits(s, pos, 2, oh)) return std::nullopt;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!Digits(s, pos, 2, om)) return std::nullopt;
      if (oh > 23 || om > 59) return std::nullopt;
      offset_min = (oh * 60 + om) * (c == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;
  return Instant{*date} + hours{hh} + minutes{mm} + seconds{ss} + milliseconds{ms} -
         minutes{offset_min};
}

std::string FormatDate(Date d) {
  year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<Date> ParseDate(std::string_view s) {
  std::size_t pos = 0;
  auto d = ParseYmd(s, pos);
  if (!d || pos != s.size()) return std::nullopt;
  return d;
}

}  // namespace tandem::core
