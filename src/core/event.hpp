// Tracking events: what a website, an email tool or a form tells Tandem a person did, and the
// rules an event must pass before it is stored.
//
// An event has a type (one of the built-in types below or a custom name), the instant it
// happened, who did it (an email, an anonymous visitor id, or both), its UTM source, medium
// and campaign, free-form properties, and an `event_id` chosen by the sender: sending the
// same event again (same event_id, same occurred_at) is a replay, stored once.
// The API layer turns the properties object into compact JSON text before it reaches the
// core; the core only checks that text's size and encoding.
// Decisions (docs/events.md): event_id is required (1..128 printable ASCII characters);
// occurred_at must lie in [1970-01-01, now + kMaxEventSkew]; custom type names are
// [a-z][a-z0-9_.:-]{0,63}; anonymous ids are [A-Za-z0-9._:-]{1,128}.
// Pure functions: no I/O, no clock (callers pass `now`).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class EventType : std::uint8_t {
  kPageView,
  kEmailOpen,
  kEmailClick,
  kFormSubmit,
  kContentDownload,
  kWebinar,
  kDemoRequest,
  kCustom,  // any other name matching the custom pattern
};
// The built-in name ("page_view", ...); "custom" for kCustom.
std::string_view ToString(EventType t);
// The built-in type of a name, kCustom for a valid custom name, nothing for an invalid name.
std::optional<EventType> EventTypeFromString(std::string_view name);

// How far ahead of the server's clock an event may be dated (senders' clocks drift).
inline constexpr std::chrono::minutes kMaxEventSkew{10};
inline constexpr std::size_t kMaxEventIdBytes = 128;
inline constexpr std::size_t kMaxAnonymousIdBytes = 128;
inline constexpr std::size_t kMaxEventTypeBytes = 64;
inline constexpr std::size_t kMaxUtmBytes = 256;
// The properties object as compact JSON text.
inline constexpr std::size_t kMaxEventPropertiesBytes = 16 * 1024;

struct Event {
  Id id = 0;             // given by the store
  std::string event_id;  // the sender's idempotency key
  std::string type;      // a built-in name or a custom name
  Instant occurred_at{};
  Instant received_at{};         // set by Tandem when it stores the event
  std::string email;             // normalised, or empty
  std::string anonymous_id;      // or empty; at least one of email and anonymous_id is set
  std::optional<Id> contact_id;  // the contact it belongs to, once known
  std::string utm_source;
  std::string utm_medium;
  std::string utm_campaign;
  std::string properties = "{}";  // a JSON object's compact text
};

// Normalises (email lower-cased, UTM fields trimmed) and checks an event received at `now`.
// Errors are kInvalidArgument naming the field: event_id, type, occurred_at, email,
// anonymous_id (also when neither identity is given), utm_source, utm_medium, utm_campaign,
// properties.
Result<void> NormalizeEvent(Event& e, Instant now);

// Whether `id` has the shape of an anonymous visitor id.
bool IsValidAnonymousId(std::string_view id);

// The source recorded on a contact created from an event: the UTM source, lower-cased, or
// "event" when the event has none.
std::string ContactSourceFromEvent(const Event& e);

}  // namespace tandem::core
