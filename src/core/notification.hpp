// Notifications in the domain: the outbox message every service appends in the transaction of
// the change it announces, the event types Tandem emits, and (below) the values the delivery
// side works with. See docs/notifications.md for the payload of each event type.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

// The event types Tandem emits. Webhook subscriptions name them; an unknown name is refused.
inline constexpr std::string_view kEventContactMql = "contact.mql";
inline constexpr std::string_view kEventLeadAssigned = "lead.assigned";
inline constexpr std::string_view kEventLeadUnassigned = "lead.unassigned";
inline constexpr std::string_view kEventLeadAccepted = "lead.accepted";
inline constexpr std::string_view kEventLeadRejected = "lead.rejected";
inline constexpr std::string_view kEventSlaBreached = "sla.breached";
inline constexpr std::string_view kEventSlaEscalated = "sla.escalated";

// Every event type above, in that order.
std::span<const std::string_view> EventTypes();
bool IsEventType(std::string_view name);

// One announced change. `payload` is a JSON object written by the app layer (the core and the
// store keep it as text); `contact_id` is the contact the change is about and `user_id` the
// user it is addressed to (the new owner of a lead, the owner whose SLA was breached): the
// dispatcher gives that user an in-app notification and an email.
struct OutboxMessage {
  Id id = 0;
  std::string event_type;
  std::optional<Id> contact_id;
  std::optional<Id> user_id;
  std::string payload;
  Instant created_at{};
};

// --- Delivery -------------------------------------------------------------------------------

enum class DeliveryChannel : std::uint8_t { kWebhook, kEmail };
enum class DeliveryStatus : std::uint8_t { kPending, kDelivered, kDead };
std::string_view ToString(DeliveryChannel c);
std::optional<DeliveryChannel> DeliveryChannelFromString(std::string_view s);
std::string_view ToString(DeliveryStatus s);
std::optional<DeliveryStatus> DeliveryStatusFromString(std::string_view s);

// A receiver of webhook POSTs for some event types. `secret` signs every delivery; it is shown
// once, when the subscription is created.
struct WebhookSubscription {
  Id id = 0;
  std::string url;
  std::vector<std::string> event_types;  // sorted, distinct, each one of EventTypes()
  std::string secret;
  std::string description;
  bool active = true;
  Instant created_at{};
  std::optional<Id> created_by;
  std::optional<Instant> deleted_at;
};

// One message to send on one channel: a webhook POST (target = the URL, body = the JSON
// envelope) or an email (target = the address, subject and body = the text). `uid` is the
// delivery id receivers see (the Tandem-Delivery header), stable across retries.
struct Delivery {
  Id id = 0;
  std::string uid;
  DeliveryChannel channel = DeliveryChannel::kWebhook;
  Id outbox_id = 0;
  std::optional<Id> subscription_id;  // webhooks only
  std::optional<Id> user_id;          // emails only
  std::string target;
  std::string event_type;
  std::string subject;
  std::string body;
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;
  Instant next_attempt_at{};
  std::optional<Instant> last_attempt_at;
  std::optional<int> last_status;  // the HTTP status (webhooks) or SMTP reply code (email)
  std::string last_error;
  Instant created_at{};
  std::optional<Instant> delivered_at;
};

// An in-app notification of one user.
struct Notification {
  Id id = 0;
  Id user_id = 0;
  Id outbox_id = 0;
  std::string event_type;
  std::string title;
  std::string payload;  // the outbox message's JSON payload
  std::optional<Id> contact_id;
  Instant created_at{};
  std::optional<Instant> read_at;
};

// Retries: after the n-th failed attempt (n >= 1) the next one waits a random time in
// [0, min(cap, base * 2^(n-1))] ("full jitter"), so receivers that failed together do not
// retry together; after `max_attempts` failed attempts the delivery is dead.
struct RetryPolicy {
  int max_attempts = 8;
  std::chrono::milliseconds base{std::chrono::seconds(30)};
  std::chrono::milliseconds cap{std::chrono::hours(1)};
};

// The wait after `failed_attempts` failures with `unit` drawn uniformly from [0, 1).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failed_attempts, double unit);
// The upper bound of that wait: min(cap, base * 2^(failed_attempts-1)).
std::chrono::milliseconds BackoffCeiling(const RetryPolicy& policy, int failed_attempts);

// --- Webhook targets ------------------------------------------------------------------------

// A webhook URL as Tandem accepts it: http or https, a host (name, IPv4 or [IPv6]), an
// optional port, an optional path and query; no user information, no fragment.
struct WebhookUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 literal without its brackets
  int port = 0;        // explicit or the scheme's default
  bool host_is_ip = false;
};

// Parses and checks `text` (at most 2048 bytes). kInvalidArgument (field `field`) naming what
// is wrong. Written by hand because the core may not use the URL library of the API layer; the
// grammar accepted is a strict subset of RFC 3986.
Result<WebhookUrl> ParseWebhookUrl(std::string_view text, std::string_view field = "url");

// An IPv4 (4 bytes used) or IPv6 address.
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  std::string ToString() const;
};

// Parses a dotted IPv4 or an IPv6 literal (without brackets).
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// True for addresses a webhook must not reach unless an admin allows it: loopback,
// unspecified, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16,
// fe80::/10), carrier-grade NAT (100.64/10), multicast and reserved ranges, benchmarking
// (198.18/15), documentation ranges, and IPv4 mapped or translated in IPv6 by the IPv4 rule.
bool IsPrivateAddress(const IpAddress& a);

}  // namespace tandem::core
