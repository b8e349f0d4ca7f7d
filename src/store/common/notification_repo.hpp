// The in-app notifications repository (store.hpp's NotificationRepo, migration 0010), written
// once for both backends over the backend's `Db` (store/common/sql_repo.hpp); each backend
// compiles it once.
#pragma once

#include <string>
#include <vector>

#include "store/common/rows.hpp"
#include "store/common/sql_repo.hpp"
#include "store/store.hpp"

namespace tandem::store::common {

inline constexpr std::string_view kNotificationColumns =
    "id, user_id, outbox_id, event_type, title, payload, contact_id, created_at, read_at";

template <class R>
core::Result<core::Notification> ReadNotification(const R& s) {
  core::Notification n;
  n.id = s.Int(0);
  n.user_id = s.Int(1);
  n.outbox_id = s.Int(2);
  n.event_type = s.Text(3);
  n.title = s.Text(4);
  n.payload = s.Text(5);
  n.contact_id = s.OptInt(6);
  n.created_at = core::FromMillis(s.Int(7));
  n.read_at = OptInstant(s, 8);
  return n;
}

template <class Db>
class NotificationRepoOn final : public NotificationRepo {
 public:
  using Stmt = typename Db::Stmt;
  using Id = core::Id;
  template <class T>
  using Result = core::Result<T>;

  explicit NotificationRepoOn(Db db) : db_(db) {}

  Result<Id> Insert(const core::Notification& n) override {
    TANDEM_TRY(db_.CheckReference("user_id", std::optional<Id>(n.user_id), "users", "user"));
    static const std::string seen_sql =
        Db::Sql("SELECT 1 FROM notifications WHERE outbox_id = ? AND user_id = ?");
    static const std::string sql = Db::InsertSql(
        "INSERT INTO notifications (user_id, outbox_id, event_type, title, payload, contact_id, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    {
      TANDEM_ASSIGN(auto seen, db_.Prepare(seen_sql));
      seen.Bind(n.outbox_id).Bind(n.user_id);
      TANDEM_ASSIGN(bool found, seen.Step());
      if (found) {
        return core::Fail(
            core::Error::Conflict("outbox_id", "user " + std::to_string(n.user_id) +
                                                   " already has a notification for message " +
                                                   std::to_string(n.outbox_id)));
      }
    }
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(n.user_id)
        .Bind(n.outbox_id)
        .Bind(n.event_type)
        .Bind(n.title)
        .Bind(n.payload)
        .Bind(n.contact_id)
        .Bind(core::ToMillis(n.created_at));
    return db_.RunInsert(stmt);
  }

  Result<std::vector<core::Notification>> List(Id user_id, const std::optional<Position>& after,
                                               int limit) override {
    // Order: is_read ascending, id descending. After (r, i): rows with is_read > r, or the same
    // is_read and a smaller id.
    static const std::string first_sql =
        Db::Sql("SELECT " + std::string(kNotificationColumns) +
                " FROM notifications WHERE user_id = ? ORDER BY is_read, id DESC LIMIT ?");
    static const std::string after_sql =
        Db::Sql("SELECT " + std::string(kNotificationColumns) +
                " FROM notifications WHERE user_id = ? AND "
                "(is_read > ? OR (is_read = ? AND id < ?)) ORDER BY is_read, id DESC LIMIT ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(after ? after_sql : first_sql));
    stmt.Bind(user_id);
    if (after) {
      const int read = after->read ? 1 : 0;
      stmt.Bind(read).Bind(read).Bind(after->id);
    }
    stmt.Bind(limit);
    return ReadAll(stmt, ReadNotification<Stmt>);
  }

  Result<core::Notification> MarkRead(Id user_id, Id id, core::Instant at) override {
    static const std::string mark_sql = Db::Sql(
        "UPDATE notifications SET is_read = 1, read_at = ? "
        "WHERE id = ? AND user_id = ? AND is_read = 0");
    static const std::string sql = Db::Sql("SELECT " + std::string(kNotificationColumns) +
                                           " FROM notifications WHERE id = ? AND user_id = ?");
    {
      TANDEM_ASSIGN(auto stmt, db_.Prepare(mark_sql));
      stmt.Bind(core::ToMillis(at)).Bind(id).Bind(user_id);
      TANDEM_TRY(stmt.Run());
    }
    TANDEM_ASSIGN(auto read, db_.Prepare(sql));
    read.Bind(id).Bind(user_id);
    TANDEM_ASSIGN(auto found, rows::ReadOptional(read, ReadNotification<Stmt>));
    if (!found) {
      return core::Fail(
          core::Error::NotFound("notification " + std::to_string(id) + " does not exist"));
    }
    return std::move(*found);
  }

  Result<std::int64_t> MarkAllRead(Id user_id, core::Instant at) override {
    static const std::string sql = Db::Sql(
        "UPDATE notifications SET is_read = 1, read_at = ? WHERE user_id = ? AND is_read = 0");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(core::ToMillis(at)).Bind(user_id);
    return db_.RunChanges(stmt);
  }

  Result<std::int64_t> CountUnread(Id user_id) override {
    static const std::string sql =
        Db::Sql("SELECT count(*) FROM notifications WHERE user_id = ? AND is_read = 0");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(user_id);
    TANDEM_ASSIGN(bool row, stmt.Step());
    return row ? stmt.Int(0) : 0;
  }

 private:
  Db db_;
};

}  // namespace tandem::store::common
