// In-app notifications.
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Error;
using core::Fail;
using core::FromMillis;
using core::Notification;
using core::ToMillis;

namespace {

constexpr std::string_view kColumns =
    "id, user_id, outbox_id, event_type, title, payload, contact_id, created_at, read_at";

Notification ReadNotification(const Stmt& s) {
  Notification n;
  n.id = s.Int(0);
  n.user_id = s.Int(1);
  n.outbox_id = s.Int(2);
  n.event_type = s.Text(3);
  n.title = s.Text(4);
  n.payload = s.Text(5);
  n.contact_id = s.OptInt(6);
  n.created_at = FromMillis(s.Int(7));
  if (auto r = s.OptInt(8)) n.read_at = FromMillis(*r);
  return n;
}

Result<std::vector<Notification>> ReadAll(Stmt& stmt) {
  std::vector<Notification> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadNotification(stmt));
  }
  return out;
}

}  // namespace

Result<Id> SqliteNotificationRepo::Insert(const Notification& n) {
  TANDEM_TRY(CheckReference(ctx_.conn, "user_id", std::optional<Id>(n.user_id), "users", "user"));
  {
    TANDEM_ASSIGN(auto seen, ctx_.conn.Prepare("SELECT 1 FROM notifications "
                                               "WHERE outbox_id = ? AND user_id = ?"));
    seen.Bind(n.outbox_id).Bind(n.user_id);
    TANDEM_ASSIGN(bool found, seen.Step());
    if (found) {
      return Fail(Error::Conflict("outbox_id", "user " + std::to_string(n.user_id) +
                                                   " already has a notification for message " +
                                                   std::to_string(n.outbox_id)));
    }
  }
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("INSERT INTO notifications (user_id, outbox_id, "
                                             "event_type, title, payload, contact_id, "
                                             "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(n.user_id)
      .Bind(n.outbox_id)
      .Bind(n.event_type)
      .Bind(n.title)
      .Bind(n.payload)
      .Bind(n.contact_id)
      .Bind(ToMillis(n.created_at));
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<std::vector<Notification>> SqliteNotificationRepo::List(Id user_id,
                                                               const std::optional<Position>& after,
                                                               int limit) {
  // Order: is_read ascending, id descending. After (r, i): rows with is_read > r, or the same
  // is_read and a smaller id.
  if (!after) {
    static const std::string sql = "SELECT " + std::string(kColumns) +
                                   " FROM notifications WHERE user_id = ? "
                                   "ORDER BY is_read, id DESC LIMIT ?";
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
    stmt.Bind(user_id).Bind(limit);
    return ReadAll(stmt);
  }
  static const std::string sql = "SELECT " + std::string(kColumns) +
                                 " FROM notifications WHERE user_id = ? AND "
                                 "(is_read > ? OR (is_read = ? AND id < ?)) "
                                 "ORDER BY is_read, id DESC LIMIT ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  int read = after->read ? 1 : 0;
  stmt.Bind(user_id).Bind(read).Bind(read).Bind(after->id).Bind(limit);
  return ReadAll(stmt);
}

Result<Notification> SqliteNotificationRepo::MarkRead(Id user_id, Id id, core::Instant at) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE notifications SET is_read = 1, read_at = ? "
                                             "WHERE id = ? AND user_id = ? AND is_read = 0"));
  stmt.Bind(ToMillis(at)).Bind(id).Bind(user_id);
  TANDEM_TRY(stmt.Run());
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM notifications WHERE id = ? AND user_id = ?";
  TANDEM_ASSIGN(auto read, ctx_.conn.Prepare(sql));
  read.Bind(id).Bind(user_id);
  TANDEM_ASSIGN(auto found, ReadAll(read));
  if (found.empty()) {
    return Fail(Error::NotFound("notification " + std::to_string(id) + " does not exist"));
  }
  return std::move(found[0]);
}

Result<std::int64_t> SqliteNotificationRepo::MarkAllRead(Id user_id, core::Instant at) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE notifications SET is_read = 1, read_at = ? "
                                             "WHERE user_id = ? AND is_read = 0"));
  stmt.Bind(ToMillis(at)).Bind(user_id);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.Changes();
}

Result<std::int64_t> SqliteNotificationRepo::CountUnread(Id user_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT count(*) FROM notifications "
                                             "WHERE user_id = ? AND is_read = 0"));
  stmt.Bind(user_id);
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

}  // namespace tandem::store::sqlite
