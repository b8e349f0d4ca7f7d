// Writing to the outbox (docs/notifications.md): how a service announces a change.
//
// A service calls `Announce` inside its write transaction, right after the change; the message
// commits or rolls back with it. The payload is a JSON object built with `Payload`, the small
// writer below: JSON libraries are confined to src/api, and an outbox payload is a flat object
// of numbers, strings, instants and nulls, which needs nothing more than correct escaping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/handoff.hpp"
#include "core/lifecycle.hpp"
#include "core/model.hpp"
#include "core/notification.hpp"
#include "store/store.hpp"

namespace tandem::app {

class NotificationDispatcher;

using core::Id;
using core::Result;

// Builds one JSON object, member by member, in the order written. Keys are written as given
// (they are literals in our code); string values are escaped per RFC 8259.
class Payload {
 public:
  Payload& Str(std::string_view key, std::string_view value);
  Payload& Int(std::string_view key, std::int64_t value);
  Payload& Int(std::string_view key, const std::optional<std::int64_t>& value);  // null if empty
  Payload& Bool(std::string_view key, bool value);
  Payload& Time(std::string_view key, core::Instant value);  // ISO 8601, UTC, milliseconds
  Payload& Time(std::string_view key, const std::optional<core::Instant>& value);
  // `json` must already be JSON (an object or array written by another Payload).
  Payload& Raw(std::string_view key, std::string_view json);
  Payload& Null(std::string_view key);
  std::string Done() const { return text_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string text_ = "{";
};

// Appends `value` to `out` as a JSON string literal (quotes included).
void AppendJsonString(std::string& out, std::string_view value);

// The common members of a payload about a contact: contact_id, email, first_name, last_name,
// company_id, owner_id, stage.
Payload ContactPayload(const core::Contact& c);

// Appends one outbox message in the open transaction `tx`.
Result<Id> Announce(store::Tx& tx, std::string_view event_type, std::optional<Id> contact_id,
                    std::optional<Id> user_id, std::string payload, core::Instant now);

// `contact.mql` for a contact that has just entered mql (from `from`, by `cause`): called by
// every use case that moves a contact to mql, in the same transaction.
Result<void> AnnounceMql(store::Tx& tx, const core::Contact& c, std::optional<core::Stage> from,
                         std::string_view cause, std::string_view reason, core::Instant now);

// Writes the handoff's notifications (`lead.assigned`, `lead.unassigned`, `lead.accepted`,
// `lead.rejected`, `sla.breached`, `sla.escalated`) to the outbox, in the transaction of the
// change: the contact's members first (as it is after the change), then the event's own fields
// (members named `*_id` holding a number are written as numbers), then `at`.
class OutboxHandoffNotifier final : public HandoffNotifier {
 public:
  // With a dispatcher, each message is also fanned out (deliveries, in-app notifications) in
  // the same transaction, so sending it never waits for the store's writer again: under a
  // saturating ingest load the notification thread would otherwise queue behind a whole
  // group commit (docs/notifications.md). Services sets it; null keeps fan-out to the
  // notification thread.
  void SetDispatcher(NotificationDispatcher* dispatcher) { dispatcher_ = dispatcher; }
  Result<void> Publish(store::Tx& tx, const HandoffEvent& e) override;

 private:
  NotificationDispatcher* dispatcher_ = nullptr;
};

}  // namespace tandem::app
