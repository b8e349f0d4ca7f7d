// Saved views (migration 0012).
#include <string>

#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::SavedView;

namespace {

constexpr const char* kColumns = "id, owner_id, name, query, shared, created_at, updated_at";

SavedView ViewFrom(const Stmt& s) {
  SavedView v;
  v.id = s.Int(0);
  v.owner_id = s.Int(1);
  v.name = s.Text(2);
  v.query = s.Text(3);
  v.shared = s.Int(4) != 0;
  v.created_at = core::FromMillis(s.Int(5));
  v.updated_at = core::FromMillis(s.Int(6));
  return v;
}

// The unique (owner_id, name) key names its second column: the name is what to change.
Result<void> NameTaken(Result<void> r, const SavedView& v) {
  if (!r && r.error().code == core::ErrorCode::kAlreadyExists) {
    return core::Fail(core::Error{core::ErrorCode::kAlreadyExists,
                                  "you already have a view called \"" + v.name + "\"", "name"});
  }
  return r;
}

}  // namespace

Result<core::Id> SqliteSavedViewRepo::Insert(const SavedView& v) {
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", v.owner_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("INSERT INTO saved_views (owner_id, name, query, "
                                             "shared, created_at, updated_at) "
                                             "VALUES (?, ?, ?, ?, ?, ?)"));
  stmt.Bind(v.owner_id)
      .Bind(v.name)
      .Bind(v.query)
      .Bind(v.shared ? 1 : 0)
      .Bind(core::ToMillis(v.created_at))
      .Bind(core::ToMillis(v.updated_at));
  TANDEM_TRY(NameTaken(stmt.Run(), v));
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteSavedViewRepo::Update(const SavedView& v) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE saved_views SET name = ?, query = ?, "
                                             "shared = ?, updated_at = ? WHERE id = ?"));
  stmt.Bind(v.name)
      .Bind(v.query)
      .Bind(v.shared ? 1 : 0)
      .Bind(core::ToMillis(v.updated_at))
      .Bind(v.id);
  TANDEM_TRY(NameTaken(stmt.Run(), v));
  return CheckChanged(ctx_.conn, "saved view", v.id);
}

Result<void> SqliteSavedViewRepo::Delete(core::Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM saved_views WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "saved view", id);
}

Result<std::optional<SavedView>> SqliteSavedViewRepo::Get(core::Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(std::string("SELECT ") + kColumns +
                                             " FROM saved_views WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<SavedView>();
  return std::optional<SavedView>(ViewFrom(stmt));
}

Result<std::vector<SavedView>> SqliteSavedViewRepo::Visible(core::Id user_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(std::string("SELECT ") + kColumns +
                                             " FROM saved_views WHERE owner_id = ? OR shared = 1 "
                                             "ORDER BY name, id"));
  stmt.Bind(user_id);
  std::vector<SavedView> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ViewFrom(stmt));
  }
  return out;
}

}  // namespace tandem::store::sqlite
