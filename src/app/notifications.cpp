#include "app/notifications.hpp"

#include "app/outbox.hpp"
#include "app/webhooks.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;

std::string NotificationTitle(std::string_view event_type, const core::Contact* contact) {
  std::string who;
  if (contact) {
    std::string name = contact->first_name;
    if (!contact->last_name.empty()) name += (name.empty() ? "" : " ") + contact->last_name;
    who = name.empty() ? contact->email : name + " <" + contact->email + ">";
  }
  std::string what;
  if (event_type == core::kEventContactMql) {
    what = "New MQL";
  } else if (event_type == core::kEventLeadAssigned) {
    what = "Lead assigned to you";
  } else if (event_type == core::kEventLeadUnassigned) {
    what = "MQL left unassigned";
  } else if (event_type == core::kEventLeadAccepted) {
    what = "Lead accepted";
  } else if (event_type == core::kEventLeadRejected) {
    what = "Lead rejected";
  } else if (event_type == core::kEventSlaBreached) {
    what = "SLA breached";
  } else if (event_type == core::kEventSlaEscalated) {
    what = "SLA escalated";
  } else {
    what = std::string(event_type);
  }
  return who.empty() ? what : what + ": " + who;
}

std::string WebhookEnvelope(const core::OutboxMessage& m) {
  return Payload()
      .Str("id", "evt_" + std::to_string(m.id))
      .Str("type", m.event_type)
      .Time("created_at", m.created_at)
      .Raw("data", m.payload)
      .Done();
}

namespace {

std::string EmailText(const std::string& title, const core::OutboxMessage& m,
                      const core::Contact* contact) {
  std::string text = title + "\r\n\r\n";
  if (contact) {
    text += "Contact: " + std::to_string(contact->id) + "\r\n";
    text += "Stage: " + std::string(core::ToString(contact->stage)) + "\r\n";
  }
  text += "Event: " + m.event_type + " at " + core::FormatInstant(m.created_at) + "\r\n\r\n";
  text += "Details: " + m.payload + "\r\n";
  return text;
}

}  // namespace

Result<int> NotificationDispatcher::DispatchPending() {
  bool pending = false;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(Id cursor, tx.outbox().GetCursor(kDispatcherCursor));
    TANDEM_ASSIGN(auto messages, tx.outbox().ListAfter(cursor, 1));
    pending = !messages.empty();
    return {};
  }));
  if (!pending) return 0;
  int handled = 0;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(handled, DispatchIn(tx));
    return {};
  }));
  return handled;
}

Result<int> NotificationDispatcher::DispatchIn(store::Tx& tx) {
  int handled = 0;
  const auto now = clock_.Now();
  {
    TANDEM_ASSIGN(Id cursor, tx.outbox().GetCursor(kDispatcherCursor));
    TANDEM_ASSIGN(auto messages, tx.outbox().ListAfter(cursor, settings_.batch));
    for (const auto& m : messages) {
      std::optional<core::Contact> contact;
      if (m.contact_id) {
        TANDEM_ASSIGN(contact, tx.contacts().Get(*m.contact_id));
      }
      const core::Contact* c = contact ? &*contact : nullptr;

      TANDEM_ASSIGN(auto subscriptions, tx.webhooks().ListFor(m.event_type));
      if (!subscriptions.empty()) {
        std::string body = WebhookEnvelope(m);
        for (const auto& s : subscriptions) {
          core::Delivery d;
          d.uid = NewDeliveryUid();
          d.channel = core::DeliveryChannel::kWebhook;
          d.outbox_id = m.id;
          d.subscription_id = s.id;
          d.target = s.url;
          d.event_type = m.event_type;
          d.body = body;
          d.next_attempt_at = now;
          d.created_at = now;
          TANDEM_TRY(tx.webhooks().InsertDelivery(d));
        }
      }

      if (m.user_id) {
        TANDEM_ASSIGN(auto user, tx.users().Get(*m.user_id));
        if (user && user->active) {
          std::string title = NotificationTitle(m.event_type, c);
          core::Notification n;
          n.user_id = user->id;
          n.outbox_id = m.id;
          n.event_type = m.event_type;
          n.title = title;
          n.payload = m.payload;
          n.contact_id = m.contact_id;
          n.created_at = now;
          TANDEM_TRY(tx.notifications().Insert(n));
          if (settings_.email_enabled && !user->email.empty()) {
            core::Delivery d;
            d.uid = NewDeliveryUid();
            d.channel = core::DeliveryChannel::kEmail;
            d.outbox_id = m.id;
            d.user_id = user->id;
            d.target = user->email;
            d.event_type = m.event_type;
            d.subject = title;
            d.body = EmailText(title, m, c);
            d.next_attempt_at = now;
            d.created_at = now;
            TANDEM_TRY(tx.webhooks().InsertDelivery(d));
          }
        }
      }
      cursor = m.id;
      ++handled;
    }
    if (handled > 0) TANDEM_TRY(tx.outbox().SetCursor(kDispatcherCursor, cursor));
  }
  return handled;
}

Result<NotificationPage> NotificationService::List(
    const Principal& p, const std::optional<store::NotificationRepo::Position>& after, int limit) {
  TANDEM_TRY(core::CheckVerbScope(p, core::Verb::kRead));
  if (limit < 1 || limit > core::kMaxPageSize) {
    return Fail(Error::Invalid("limit", "must be 1.." + std::to_string(core::kMaxPageSize)));
  }
  NotificationPage page;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(page.items, tx.notifications().List(p.user_id, after, limit + 1));
    TANDEM_ASSIGN(page.unread, tx.notifications().CountUnread(p.user_id));
    return {};
  }));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    const auto& last = page.items.back();
    page.next = store::NotificationRepo::Position{last.read_at.has_value(), last.id};
  }
  return page;
}

Result<core::Notification> NotificationService::MarkRead(const Principal& p, Id id) {
  TANDEM_TRY(core::CheckVerbScope(p, core::Verb::kUpdate));
  core::Notification out;
  const auto now = clock_.Now();
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.notifications().MarkRead(p.user_id, id, now));
    return {};
  }));
  return out;
}

Result<std::int64_t> NotificationService::MarkAllRead(const Principal& p) {
  TANDEM_TRY(core::CheckVerbScope(p, core::Verb::kUpdate));
  std::int64_t n = 0;
  const auto now = clock_.Now();
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(n, tx.notifications().MarkAllRead(p.user_id, now));
    return {};
  }));
  return n;
}

}  // namespace tandem::app
