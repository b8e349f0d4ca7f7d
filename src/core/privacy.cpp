#include "core/privacy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <utility>

namespace tandem::core {

namespace {

constexpr std::array<std::pair<ConsentSource, std::string_view>, 4> kSources = {{
    {ConsentSource::kForm, "form"},
    {ConsentSource::kImport, "import"},
    {ConsentSource::kApi, "api"},
    {ConsentSource::kUser, "user"},
}};

constexpr std::string_view kTombstoneDomain = "@erased.invalid";

std::string Lower(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out(s.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view ToString(ConsentSource s) {
  for (const auto& [v, name] : kSources) {
    if (v == s) return name;
  }
  return "api";
}

std::optional<ConsentSource> ConsentSourceFromString(std::string_view text) {
  for (const auto& [v, name] : kSources) {
    if (name == text) return v;
  }
  return std::nullopt;
}

Result<void> ValidateConsent(const Consent& c) {
  if (c.purpose.empty()) {
    return Fail(Error::Invalid("purpose", "purpose is required: what the person agreed to"));
  }
  if (c.purpose.size() > kMaxConsentPurpose) {
    return Fail(Error::Invalid("purpose", "purpose must be at most 200 characters"));
  }
  if (c.text.size() > kMaxConsentText) {
    return Fail(Error::Invalid("text", "text must be at most 4000 bytes"));
  }
  return {};
}

Result<bool> ParseConsentCell(std::string_view cell) {
  const std::string v = Lower(cell);
  static constexpr std::array<std::string_view, 9> kYes = {
      "yes", "y", "true", "1", "granted", "opt-in", "opt in", "opted in", "opted-in"};
  static constexpr std::array<std::string_view, 10> kNo = {
      "", "no", "n", "false", "0", "denied", "opt-out", "opt out", "opted out", "opted-out"};
  if (std::find(kYes.begin(), kYes.end(), v) != kYes.end()) return true;
  if (std::find(kNo.begin(), kNo.end(), v) != kNo.end()) return false;
  return Fail(Error::Invalid(
      "consent",
      "consent must be yes, y, true, 1, granted, opt-in or opted in (given) or no, n, false, "
      "0, denied, opt-out, opted out or empty (not given), not \"" +
          std::string(cell.substr(0, 40)) + "\""));
}

std::string TombstoneEmail(Id contact_id) {
  return "erased-" + std::to_string(contact_id) + std::string(kTombstoneDomain);
}

bool IsTombstoneEmail(std::string_view email) {
  return email.starts_with("erased-") && email.ends_with(kTombstoneDomain);
}

Result<Instant> RetentionCutoff(Instant now, int months) {
  if (months < 1 || months > 1200) {
    return Fail(Error::Invalid("months", "event retention must be 1 to 1200 months"));
  }
  using namespace std::chrono;
  const auto day = floor<days>(now);
  const auto time_of_day = now - day;
  year_month_day ymd{day};
  year_month_day back = ymd - std::chrono::months(months);
  // The 31st of a month back in a shorter month is its last day.
  if (!back.ok()) back = year_month_day{back.year() / back.month() / last};
  return Instant(sys_days(back)) + time_of_day;
}

}  // namespace tandem::core
