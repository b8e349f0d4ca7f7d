#include "core/event.hpp"

#include <algorithm>
#include <cctype>

namespace tandem::core {
namespace {

constexpr std::pair<EventType, std::string_view> kTypes[] = {
    {EventType::kPageView, "page_view"},
    {EventType::kEmailOpen, "email_open"},
    {EventType::kEmailClick, "email_click"},
    {EventType::kFormSubmit, "form_submit"},
    {EventType::kContentDownload, "content_download"},
    {EventType::kWebinar, "webinar"},
    {EventType::kDemoRequest, "demo_request"},
};

bool IsCustomName(std::string_view name) {
  if (name.empty() || name.size() > kMaxEventTypeBytes) return false;
  if (name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
           c == '-';
  });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Result<void> CheckUtm(std::string& value, const char* field) {
  value = std::string(Trim(value));
  if (value.size() > kMaxUtmBytes) {
    return Fail(Error::Invalid(field, "is longer than " + std::to_string(kMaxUtmBytes) + " bytes"));
  }
  if (!IsCleanText(value)) {
    return Fail(Error::Invalid(field, "must be UTF-8 text without control characters"));
  }
  return {};
}

}  // namespace

std::string_view ToString(EventType t) {
  for (const auto& [v, name] : kTypes) {
    if (v == t) return name;
  }
  return "custom";
}

std::optional<EventType> EventTypeFromString(std::string_view name) {
  for (const auto& [v, n] : kTypes) {
    if (n == name) return v;
  }
  if (IsCustomName(name)) return EventType::kCustom;
  return std::nullopt;
}

bool IsValidAnonymousId(std::string_view id) {
  if (id.empty() || id.size() > kMaxAnonymousIdBytes) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
}

Result<void> NormalizeEvent(Event& e, Instant now) {
  if (e.event_id.empty()) return Fail(Error::Invalid("event_id", "is required"));
  if (e.event_id.size() > kMaxEventIdBytes) {
    return Fail(Error::Invalid(
        "event_id", "is longer than " + std::to_string(kMaxEventIdBytes) + " characters"));
  }
  if (!std::all_of(e.event_id.begin(), e.event_id.end(),
                   [](char c) { return c > 0x20 && c < 0x7f; })) {
    return Fail(Error::Invalid("event_id", "must be printable ASCII without spaces"));
  }
  if (e.type.empty()) return Fail(Error::Invalid("type", "is required"));
  if (!EventTypeFromString(e.type)) {
    return Fail(Error::Invalid(
        "type",
        "must be a built-in type (page_view, email_open, email_click, form_submit, "
        "content_download, webinar, demo_request) or a custom name of lower-case "
        "letters, digits, '_', '.', ':' and '-' starting with a letter, at most 64"));
  }
  if (ToMillis(e.occurred_at) < 0) {
    return Fail(Error::Invalid("occurred_at", "is before 1970-01-01"));
  }
  if (e.occurred_at > now + kMaxEventSkew) {
    return Fail(Error::Invalid(
        "occurred_at",
        "is more than " + std::to_string(kMaxEventSkew.count()) + " minutes in the future"));
  }
  if (e.email.empty() && e.anonymous_id.empty()) {
    return Fail(Error::Invalid("anonymous_id", "an event needs an email or an anonymous_id"));
  }
  if (!e.email.empty()) {
    auto email = NormalizeEmail(e.email);
    if (!email) return Fail(Error::Invalid("email", email.error().message));
    e.email = std::move(*email);
  }
  if (!e.anonymous_id.empty() && !IsValidAnonymousId(e.anonymous_id)) {
    return Fail(
        Error::Invalid("anonymous_id", "must be 1 to 128 letters, digits, '.', '_', ':' or '-'"));
  }
  TANDEM_TRY(CheckUtm(e.utm_source, "utm_source"));
  TANDEM_TRY(CheckUtm(e.utm_medium, "utm_medium"));
  TANDEM_TRY(CheckUtm(e.utm_campaign, "utm_campaign"));
  if (e.properties.empty()) e.properties = "{}";
  if (e.properties.size() > kMaxEventPropertiesBytes) {
    return Fail(Error::Invalid(
        "properties",
        "is larger than " + std::to_string(kMaxEventPropertiesBytes) + " bytes as JSON"));
  }
  if (e.properties.front() != '{' || e.properties.back() != '}') {
    return Fail(Error::Invalid("properties", "must be a JSON object"));
  }
  if (!IsCleanText(e.properties, true)) {
    return Fail(Error::Invalid("properties", "must be UTF-8 text"));
  }
  return {};
}

std::string ContactSourceFromEvent(const Event& e) {
  if (e.utm_source.empty()) return "event";
  std::string out = e.utm_source.substr(0, kShortTextMax);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace tandem::core
