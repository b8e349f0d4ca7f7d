// Webhook subscriptions with their event types, and deliveries.
#include <algorithm>

#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Delivery;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::ToMillis;
using core::WebhookSubscription;

namespace {

std::optional<core::Instant> OptInstant(const Stmt& s, int col) {
  auto v = s.OptInt(col);
  if (!v) return std::nullopt;
  return FromMillis(*v);
}

std::optional<std::int64_t> OptMillis(const std::optional<core::Instant>& t) {
  if (!t) return std::nullopt;
  return ToMillis(*t);
}

constexpr std::string_view kSubscriptionColumns =
    "id, url, secret, description, active, created_at, created_by, deleted_at";

WebhookSubscription ReadSubscription(const Stmt& s) {
  WebhookSubscription w;
  w.id = s.Int(0);
  w.url = s.Text(1);
  w.secret = s.Text(2);
  w.description = s.Text(3);
  w.active = s.Int(4) != 0;
  w.created_at = FromMillis(s.Int(5));
  w.created_by = s.OptInt(6);
  w.deleted_at = OptInstant(s, 7);
  return w;
}

Result<void> LoadEventTypes(Connection& conn, WebhookSubscription& w) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare("SELECT event_type FROM webhook_subscription_events "
                                        "WHERE subscription_id = ? ORDER BY event_type"));
  stmt.Bind(w.id);
  w.event_types.clear();
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    w.event_types.push_back(stmt.Text(0));
  }
  return {};
}

Result<std::vector<WebhookSubscription>> ReadSubscriptions(Connection& conn, Stmt& stmt) {
  std::vector<WebhookSubscription> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadSubscription(stmt));
  }
  for (auto& w : out) TANDEM_TRY(LoadEventTypes(conn, w));
  return out;
}

constexpr std::string_view kDeliveryColumns =
    "id, uid, channel, outbox_id, subscription_id, user_id, target, event_type, subject, body, "
    "status, attempts, next_attempt_at, last_attempt_at, last_status, last_error, created_at, "
    "delivered_at";

Result<Delivery> ReadDelivery(const Stmt& s) {
  Delivery d;
  d.id = s.Int(0);
  d.uid = s.Text(1);
  auto channel = core::DeliveryChannelFromString(s.TextView(2));
  if (!channel) return Fail(Error::Internal("unknown delivery channel stored"));
  d.channel = *channel;
  d.outbox_id = s.Int(3);
  d.subscription_id = s.OptInt(4);
  d.user_id = s.OptInt(5);
  d.target = s.Text(6);
  d.event_type = s.Text(7);
  d.subject = s.Text(8);
  d.body = s.Text(9);
  auto status = core::DeliveryStatusFromString(s.TextView(10));
  if (!status) return Fail(Error::Internal("unknown delivery status stored"));
  d.status = *status;
  d.attempts = static_cast<int>(s.Int(11));
  d.next_attempt_at = FromMillis(s.Int(12));
  d.last_attempt_at = OptInstant(s, 13);
  if (auto code = s.OptInt(14)) d.last_status = static_cast<int>(*code);
  d.last_error = s.Text(15);
  d.created_at = FromMillis(s.Int(16));
  d.delivered_at = OptInstant(s, 17);
  return d;
}

Result<std::vector<Delivery>> ReadDeliveries(Stmt& stmt) {
  std::vector<Delivery> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto d, ReadDelivery(stmt));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

Result<Id> SqliteWebhookRepo::Insert(const WebhookSubscription& s) {
  TANDEM_TRY(CheckReference(ctx_.conn, "created_by", s.created_by, "users", "user"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("INSERT INTO webhook_subscriptions (url, secret, "
                                             "description, active, created_at, created_by) "
                                             "VALUES (?, ?, ?, ?, ?, ?)"));
  stmt.Bind(s.url)
      .Bind(s.secret)
      .Bind(s.description)
      .Bind(s.active ? 1 : 0)
      .Bind(ToMillis(s.created_at))
      .Bind(s.created_by);
  TANDEM_TRY(stmt.Run());
  Id id = ctx_.conn.LastInsertId();
  std::vector<std::string> types = s.event_types;
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  for (const auto& t : types) {
    TANDEM_ASSIGN(auto ev, ctx_.conn.Prepare("INSERT INTO webhook_subscription_events "
                                             "(subscription_id, event_type) VALUES (?, ?)"));
    ev.Bind(id).Bind(t);
    TANDEM_TRY(ev.Run());
  }
  return id;
}

Result<std::optional<WebhookSubscription>> SqliteWebhookRepo::Get(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kSubscriptionColumns) + " FROM webhook_subscriptions WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(auto found, ReadSubscriptions(ctx_.conn, stmt));
  if (found.empty()) return std::optional<WebhookSubscription>();
  return std::optional<WebhookSubscription>(std::move(found[0]));
}

Result<std::vector<WebhookSubscription>> SqliteWebhookRepo::List() {
  static const std::string sql = "SELECT " + std::string(kSubscriptionColumns) +
                                 " FROM webhook_subscriptions WHERE deleted_at IS NULL "
                                 "ORDER BY id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  return ReadSubscriptions(ctx_.conn, stmt);
}

Result<void> SqliteWebhookRepo::Remove(Id id, core::Instant at) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE webhook_subscriptions SET deleted_at = ? "
                                             "WHERE id = ? AND deleted_at IS NULL"));
  stmt.Bind(ToMillis(at)).Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "webhook subscription", id);
}

Result<std::vector<WebhookSubscription>> SqliteWebhookRepo::ListFor(std::string_view event_type) {
  static const std::string sql =
      "SELECT s.id, s.url, s.secret, s.description, s.active, s.created_at, s.created_by, "
      "s.deleted_at FROM webhook_subscription_events e JOIN webhook_subscriptions s "
      "ON s.id = e.subscription_id WHERE e.event_type = ? AND s.active = 1 "
      "AND s.deleted_at IS NULL ORDER BY s.id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(event_type);
  return ReadSubscriptions(ctx_.conn, stmt);
}

Result<Id> SqliteWebhookRepo::InsertDelivery(const Delivery& d) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO deliveries (uid, channel, outbox_id, "
                                  "subscription_id, user_id, target, event_type, subject, body, "
                                  "status, attempts, next_attempt_at, last_attempt_at, "
                                  "last_status, last_error, created_at, delivered_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(d.uid)
      .Bind(core::ToString(d.channel))
      .Bind(d.outbox_id)
      .Bind(d.subscription_id)
      .Bind(d.user_id)
      .Bind(d.target)
      .Bind(d.event_type)
      .Bind(d.subject)
      .Bind(d.body)
      .Bind(core::ToString(d.status))
      .Bind(d.attempts)
      .Bind(ToMillis(d.next_attempt_at))
      .Bind(OptMillis(d.last_attempt_at))
      .Bind(d.last_status ? std::optional<std::int64_t>(*d.last_status) : std::nullopt)
      .Bind(d.last_error)
      .Bind(ToMillis(d.created_at))
      .Bind(OptMillis(d.delivered_at));
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<std::optional<Delivery>> SqliteWebhookRepo::GetDelivery(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kDeliveryColumns) + " FROM deliveries WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(auto found, ReadDeliveries(stmt));
  if (found.empty()) return std::optional<Delivery>();
  return std::optional<Delivery>(std::move(found[0]));
}

Result<void> SqliteWebhookRepo::UpdateDelivery(const Delivery& d) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE deliveries SET status = ?, attempts = ?, "
                                             "next_attempt_at = ?, last_attempt_at = ?, "
                                             "last_status = ?, last_error = ?, delivered_at = ? "
                                             "WHERE id = ?"));
  stmt.Bind(core::ToString(d.status))
      .Bind(d.attempts)
      .Bind(ToMillis(d.next_attempt_at))
      .Bind(OptMillis(d.last_attempt_at))
      .Bind(d.last_status ? std::optional<std::int64_t>(*d.last_status) : std::nullopt)
      .Bind(d.last_error)
      .Bind(OptMillis(d.delivered_at))
      .Bind(d.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "delivery", d.id);
}

Result<std::vector<Delivery>> SqliteWebhookRepo::ListDue(core::Instant now, int limit) {
  static const std::string sql =
      "SELECT " + std::string(kDeliveryColumns) +
      " FROM deliveries d WHERE status = 'pending' AND next_attempt_at <= ? AND NOT EXISTS "
      "(SELECT 1 FROM webhook_subscriptions s WHERE s.id = d.subscription_id AND "
      "s.deleted_at IS NOT NULL) ORDER BY next_attempt_at, id LIMIT ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(ToMillis(now)).Bind(limit);
  return ReadDeliveries(stmt);
}

Result<std::optional<core::Instant>> SqliteWebhookRepo::NextDue() {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT next_attempt_at FROM deliveries d WHERE status = "
                                  "'pending' AND NOT EXISTS (SELECT 1 FROM webhook_subscriptions s "
                                  "WHERE s.id = d.subscription_id AND s.deleted_at IS NOT NULL) "
                                  "ORDER BY next_attempt_at LIMIT 1"));
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<core::Instant>();
  return std::optional<core::Instant>(FromMillis(stmt.Int(0)));
}

Result<std::vector<Delivery>> SqliteWebhookRepo::ListDeliveries(Id subscription_id, Id before,
                                                                int limit) {
  static const std::string sql = "SELECT " + std::string(kDeliveryColumns) +
                                 " FROM deliveries WHERE subscription_id = ? AND id < ? "
                                 "ORDER BY id DESC LIMIT ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(subscription_id).Bind(before > 0 ? before : std::numeric_limits<Id>::max()).Bind(limit);
  return ReadDeliveries(stmt);
}

}  // namespace tandem::store::sqlite
