// The outbox and its consumers' cursors.
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::FromMillis;
using core::OutboxMessage;
using core::ToMillis;

Result<Id> PostgresOutboxRepo::Append(const OutboxMessage& m) {
  TANDEM_ASSIGN(
      auto stmt,
      ctx_.conn.Prepare("INSERT INTO outbox (event_type, contact_id, "
                        "user_id, payload, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"));
  stmt.Bind(m.event_type)
      .Bind(m.contact_id)
      .Bind(m.user_id)
      .Bind(m.payload)
      .Bind(ToMillis(m.created_at));
  TANDEM_TRY(stmt.Step());
  if (ctx_.effects != nullptr) ctx_.effects->outbox_appended = true;
  return stmt.Int(0);
}

Result<std::vector<OutboxMessage>> PostgresOutboxRepo::ListAfter(Id after, int limit) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT id, event_type, contact_id, user_id, payload, "
                                             "created_at FROM outbox WHERE id > $1 "
                                             "ORDER BY id LIMIT $2"));
  stmt.Bind(after).Bind(limit);
  std::vector<OutboxMessage> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    OutboxMessage m;
    m.id = stmt.Int(0);
    m.event_type = stmt.Text(1);
    m.contact_id = stmt.OptInt(2);
    m.user_id = stmt.OptInt(3);
    m.payload = stmt.Text(4);
    m.created_at = FromMillis(stmt.Int(5));
    out.push_back(std::move(m));
  }
  return out;
}

Result<Id> PostgresOutboxRepo::GetCursor(std::string_view consumer) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT last_id FROM outbox_cursors WHERE consumer = $1"));
  stmt.Bind(consumer);
  TANDEM_ASSIGN(bool row, stmt.Step());
  return row ? stmt.Int(0) : Id{0};
}

Result<void> PostgresOutboxRepo::SetCursor(std::string_view consumer, Id last_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("INSERT INTO outbox_cursors (consumer, last_id) "
                                             "VALUES ($1, $2) ON CONFLICT (consumer) "
                                             "DO UPDATE SET last_id = excluded.last_id"));
  stmt.Bind(consumer).Bind(last_id);
  return stmt.Run();
}

}  // namespace tandem::store::postgres
