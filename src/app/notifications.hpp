// In-app notifications and the dispatcher that fans the outbox out (docs/notifications.md).
//
// `NotificationDispatcher` reads outbox messages after its cursor, in id order, and for each
// one, in ONE write transaction together with the cursor's move: a webhook delivery per active
// subscription of the message's type, and for the user the message is addressed to, an in-app
// notification and (when email is on and the user is active) an email delivery. A crash before
// the commit redoes the whole batch; after it, nothing is redone: fan-out is exactly once.
// Sending is the delivery worker's (jobs/delivery_worker.hpp), at least once.
//
// `NotificationService` serves a user's own notifications: list (unread first, then newest
// first), mark one read, mark all read.
// Thread-safety: both are safe to share; DispatchPending calls are serialised by the store's
// single writer, so two dispatchers never hand out the same message twice.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "core/notification.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Id;
using core::Principal;
using core::Result;

// The outbox consumer name the dispatcher keeps its cursor under.
inline constexpr std::string_view kDispatcherCursor = "notifications";

struct DispatchSettings {
  bool email_enabled = false;
  int batch = 200;  // messages per transaction
};

// The one-line title of a message about `contact` (may be null), for the in-app list and the
// email subject.
std::string NotificationTitle(std::string_view event_type, const core::Contact* contact);

// The webhook body: {"id":"evt_<outbox id>","type":...,"created_at":...,"data":<payload>}.
std::string WebhookEnvelope(const core::OutboxMessage& m);

class NotificationDispatcher {
 public:
  NotificationDispatcher(store::Store& store, const base::Clock& clock,
                         DispatchSettings settings = {})
      : store_(store), clock_(clock), settings_(settings) {}
  void SetSettings(DispatchSettings settings) { settings_ = settings; }

  // Handles up to one batch of messages; returns how many were handled (0 when caught up).
  // Looks first in a read transaction, so a caught-up dispatcher never waits for the writer.
  Result<int> DispatchPending();

  // The same, inside the caller's open write transaction: what the handoff calls right after
  // announcing a message, so the message's deliveries commit with the change that caused it
  // (the notification thread then only sends). Handles up to one batch after the cursor.
  Result<int> DispatchIn(store::Tx& tx);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  DispatchSettings settings_;
};

struct NotificationPage {
  std::vector<core::Notification> items;
  std::optional<store::NotificationRepo::Position> next;  // where the next page starts
  std::int64_t unread = 0;
};

class NotificationService {
 public:
  NotificationService(store::Store& store, const base::Clock& clock)
      : store_(store), clock_(clock) {}

  // The caller's notifications. `limit` 1..500.
  Result<NotificationPage> List(const Principal& p,
                                const std::optional<store::NotificationRepo::Position>& after,
                                int limit);
  // kNotFound for another user's notification.
  Result<core::Notification> MarkRead(const Principal& p, Id id);
  // Returns how many were unread.
  Result<std::int64_t> MarkAllRead(const Principal& p);

 private:
  store::Store& store_;
  const base::Clock& clock_;
};

}  // namespace tandem::app
