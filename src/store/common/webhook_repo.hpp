// The webhook repository (store.hpp's WebhookRepo: subscriptions with their event types, and
// the deliveries made from the outbox; migration 0010), written once for both backends over the
// backend's `Db` (store/common/sql_repo.hpp); each backend compiles it once.
#pragma once

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "store/common/rows.hpp"
#include "store/common/sql_repo.hpp"
#include "store/store.hpp"

namespace tandem::store::common {

inline constexpr std::string_view kSubscriptionColumns =
    "s.id, s.url, s.secret, s.description, s.active, s.created_at, s.created_by, s.deleted_at";

template <class R>
core::Result<core::WebhookSubscription> ReadSubscription(const R& s) {
  core::WebhookSubscription w;
  w.id = s.Int(0);
  w.url = s.Text(1);
  w.secret = s.Text(2);
  w.description = s.Text(3);
  w.active = s.Int(4) != 0;
  w.created_at = core::FromMillis(s.Int(5));
  w.created_by = s.OptInt(6);
  w.deleted_at = OptInstant(s, 7);
  return w;
}

inline constexpr std::string_view kDeliveryColumns =
    "id, uid, channel, outbox_id, subscription_id, user_id, target, event_type, subject, body, "
    "status, attempts, next_attempt_at, last_attempt_at, last_status, last_error, created_at, "
    "delivered_at";

template <class R>
core::Result<core::Delivery> ReadDelivery(const R& s) {
  core::Delivery d;
  d.id = s.Int(0);
  d.uid = s.Text(1);
  auto channel = core::DeliveryChannelFromString(s.TextView(2));
  if (!channel) return core::Fail(core::Error::Internal("unknown delivery channel stored"));
  d.channel = *channel;
  d.outbox_id = s.Int(3);
  d.subscription_id = s.OptInt(4);
  d.user_id = s.OptInt(5);
  d.target = s.Text(6);
  d.event_type = s.Text(7);
  d.subject = s.Text(8);
  d.body = s.Text(9);
  auto status = core::DeliveryStatusFromString(s.TextView(10));
  if (!status) return core::Fail(core::Error::Internal("unknown delivery status stored"));
  d.status = *status;
  d.attempts = static_cast<int>(s.Int(11));
  d.next_attempt_at = core::FromMillis(s.Int(12));
  d.last_attempt_at = OptInstant(s, 13);
  if (auto code = s.OptInt(14)) d.last_status = static_cast<int>(*code);
  d.last_error = s.Text(15);
  d.created_at = core::FromMillis(s.Int(16));
  d.delivered_at = OptInstant(s, 17);
  return d;
}

template <class Db>
class WebhookRepoOn final : public WebhookRepo {
 public:
  using Stmt = typename Db::Stmt;
  using Id = core::Id;
  template <class T>
  using Result = core::Result<T>;

  explicit WebhookRepoOn(Db db) : db_(db) {}

  Result<Id> Insert(const core::WebhookSubscription& s) override {
    TANDEM_TRY(db_.CheckReference("created_by", s.created_by, "users", "user"));
    static const std::string sql = Db::InsertSql(
        "INSERT INTO webhook_subscriptions (url, secret, description, active, "
        "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)");
    static const std::string ev_sql = Db::Sql(
        "INSERT INTO webhook_subscription_events (subscription_id, event_type) VALUES (?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(s.url)
        .Bind(s.secret)
        .Bind(s.description)
        .Bind(s.active ? 1 : 0)
        .Bind(core::ToMillis(s.created_at))
        .Bind(s.created_by);
    TANDEM_ASSIGN(Id id, db_.RunInsert(stmt));
    std::vector<std::string> types = s.event_types;
    std::sort(types.begin(), types.end());
    types.erase(std::unique(types.begin(), types.end()), types.end());
    for (const auto& t : types) {
      TANDEM_ASSIGN(auto ev, db_.Prepare(ev_sql));
      ev.Bind(id).Bind(t);
      TANDEM_TRY(ev.Run());
    }
    return id;
  }

  Result<std::optional<core::WebhookSubscription>> Get(Id id) override {
    static const std::string sql = Db::Sql("SELECT " + std::string(kSubscriptionColumns) +
                                           " FROM webhook_subscriptions s WHERE s.id = ?");
    TANDEM_ASSIGN(auto found, Subscriptions(sql, [id](Stmt& s) { s.Bind(id); }));
    if (found.empty()) return std::optional<core::WebhookSubscription>();
    return std::optional<core::WebhookSubscription>(std::move(found[0]));
  }

  Result<std::vector<core::WebhookSubscription>> List() override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kSubscriptionColumns) +
                " FROM webhook_subscriptions s WHERE s.deleted_at IS NULL ORDER BY s.id");
    return Subscriptions(sql, [](Stmt&) {});
  }

  Result<void> Remove(Id id, core::Instant at) override {
    static const std::string sql = Db::Sql(
        "UPDATE webhook_subscriptions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(core::ToMillis(at)).Bind(id);
    return db_.RunUpdate(stmt, "webhook subscription", id);
  }

  Result<std::vector<core::WebhookSubscription>> ListFor(std::string_view event_type) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kSubscriptionColumns) +
                " FROM webhook_subscription_events e JOIN webhook_subscriptions s "
                "ON s.id = e.subscription_id WHERE e.event_type = ? AND s.active = 1 "
                "AND s.deleted_at IS NULL ORDER BY s.id");
    return Subscriptions(sql, [event_type](Stmt& s) { s.Bind(event_type); });
  }

  Result<Id> InsertDelivery(const core::Delivery& d) override {
    static const std::string sql = Db::InsertSql(
        "INSERT INTO deliveries (uid, channel, outbox_id, subscription_id, user_id, target, "
        "event_type, subject, body, status, attempts, next_attempt_at, last_attempt_at, "
        "last_status, last_error, created_at, delivered_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(d.uid)
        .Bind(core::ToString(d.channel))
        .Bind(d.outbox_id)
        .Bind(d.subscription_id)
        .Bind(d.user_id)
        .Bind(d.target)
        .Bind(d.event_type)
        .Bind(d.subject)
        .Bind(d.body);
    BindState(stmt, d);
    stmt.Bind(core::ToMillis(d.created_at)).Bind(OptMillis(d.delivered_at));
    return db_.RunInsert(stmt);
  }

  Result<std::optional<core::Delivery>> GetDelivery(Id id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kDeliveryColumns) + " FROM deliveries WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(id);
    return rows::ReadOptional(stmt, ReadDelivery<Stmt>);
  }

  Result<void> UpdateDelivery(const core::Delivery& d) override {
    static const std::string sql = Db::Sql(
        "UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, "
        "last_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ? WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    BindState(stmt, d);
    stmt.Bind(OptMillis(d.delivered_at)).Bind(d.id);
    return db_.RunUpdate(stmt, "delivery", d.id);
  }

  Result<std::vector<core::Delivery>> ListDue(core::Instant now, int limit) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kDeliveryColumns) + " FROM deliveries d WHERE " +
                std::string(kPendingNotRemoved) +
                " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(core::ToMillis(now)).Bind(limit);
    return ReadAll(stmt, ReadDelivery<Stmt>);
  }

  Result<std::optional<core::Instant>> NextDue() override {
    static const std::string sql =
        Db::Sql("SELECT next_attempt_at FROM deliveries d WHERE " +
                std::string(kPendingNotRemoved) + " ORDER BY next_attempt_at LIMIT 1");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return std::optional<core::Instant>();
    return std::optional<core::Instant>(core::FromMillis(stmt.Int(0)));
  }

  Result<std::vector<core::Delivery>> ListDeliveries(Id subscription_id, Id before,
                                                     int limit) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kDeliveryColumns) +
                " FROM deliveries WHERE subscription_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(subscription_id)
        .Bind(before > 0 ? before : std::numeric_limits<Id>::max())
        .Bind(limit);
    return ReadAll(stmt, ReadDelivery<Stmt>);
  }

 private:
  // Pending deliveries `d` whose subscription, if any, is not removed.
  static constexpr std::string_view kPendingNotRemoved =
      "d.status = 'pending' AND NOT EXISTS (SELECT 1 FROM webhook_subscriptions s "
      "WHERE s.id = d.subscription_id AND s.deleted_at IS NOT NULL)";

  // Binds status, attempts, next_attempt_at, last_attempt_at, last_status, last_error.
  static void BindState(Stmt& stmt, const core::Delivery& d) {
    stmt.Bind(core::ToString(d.status))
        .Bind(d.attempts)
        .Bind(core::ToMillis(d.next_attempt_at))
        .Bind(OptMillis(d.last_attempt_at))
        .Bind(d.last_status ? std::optional<std::int64_t>(*d.last_status) : std::nullopt)
        .Bind(d.last_error);
  }

  // The subscriptions `sql` selects (parameters bound by `bind`), each with its event types.
  template <class BindFn>
  Result<std::vector<core::WebhookSubscription>> Subscriptions(const std::string& sql,
                                                               BindFn bind) {
    static const std::string types_sql = Db::Sql(
        "SELECT event_type FROM webhook_subscription_events WHERE subscription_id = ? "
        "ORDER BY event_type");
    std::vector<core::WebhookSubscription> out;
    {
      TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
      bind(stmt);
      TANDEM_ASSIGN(out, ReadAll(stmt, ReadSubscription<Stmt>));
    }
    for (auto& w : out) {
      TANDEM_ASSIGN(auto stmt, db_.Prepare(types_sql));
      stmt.Bind(w.id);
      TANDEM_ASSIGN(w.event_types,
                    ReadAll(stmt, [](const Stmt& s) -> Result<std::string> { return s.Text(0); }));
    }
    return out;
  }

  Db db_;
};

}  // namespace tandem::store::common
