// The saved views repository (store/view_repo.hpp, migration 0012), written once for both
// backends over the backend's `Db` (store/common/sql_repo.hpp); each backend compiles it once.
#pragma once

#include <string>

#include "store/common/rows.hpp"
#include "store/common/sql_repo.hpp"
#include "store/view_repo.hpp"

namespace tandem::store::common {

inline constexpr std::string_view kSavedViewColumns =
    "id, owner_id, name, query, shared, created_at, updated_at";

template <class R>
core::Result<core::SavedView> ReadSavedView(const R& s) {
  core::SavedView v;
  v.id = s.Int(0);
  v.owner_id = s.Int(1);
  v.name = s.Text(2);
  v.query = s.Text(3);
  v.shared = s.Int(4) != 0;
  v.created_at = core::FromMillis(s.Int(5));
  v.updated_at = core::FromMillis(s.Int(6));
  return v;
}

template <class Db>
class SavedViewRepoOn final : public SavedViewRepo {
 public:
  using Stmt = typename Db::Stmt;
  using Id = core::Id;
  template <class T>
  using Result = core::Result<T>;

  explicit SavedViewRepoOn(Db db) : db_(db) {}

  Result<Id> Insert(const core::SavedView& v) override {
    TANDEM_TRY(db_.CheckReference("owner_id", v.owner_id, "users", "user"));
    static const std::string sql = Db::InsertSql(
        "INSERT INTO saved_views (owner_id, name, query, shared, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(v.owner_id)
        .Bind(v.name)
        .Bind(v.query)
        .Bind(v.shared ? 1 : 0)
        .Bind(core::ToMillis(v.created_at))
        .Bind(core::ToMillis(v.updated_at));
    return NameTaken(db_.RunInsert(stmt), v);
  }

  Result<void> Update(const core::SavedView& v) override {
    static const std::string sql = Db::Sql(
        "UPDATE saved_views SET name = ?, query = ?, shared = ?, updated_at = ? WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(v.name)
        .Bind(v.query)
        .Bind(v.shared ? 1 : 0)
        .Bind(core::ToMillis(v.updated_at))
        .Bind(v.id);
    return NameTaken(db_.RunUpdate(stmt, "saved view", v.id), v);
  }

  Result<void> Delete(Id id) override {
    static const std::string sql = Db::Sql("DELETE FROM saved_views WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(id);
    return db_.RunUpdate(stmt, "saved view", id);
  }

  Result<std::optional<core::SavedView>> Get(Id id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kSavedViewColumns) + " FROM saved_views WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(id);
    return rows::ReadOptional(stmt, ReadSavedView<Stmt>);
  }

  Result<std::vector<core::SavedView>> Visible(Id user_id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kSavedViewColumns) +
                " FROM saved_views WHERE owner_id = ? OR shared = 1 ORDER BY name, id");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(user_id);
    return ReadAll(stmt, ReadSavedView<Stmt>);
  }

 private:
  // The unique (owner_id, name) key: the name is what to change, whichever column the backend
  // names.
  template <class T>
  static Result<T> NameTaken(Result<T> r, const core::SavedView& v) {
    if (!r && r.error().code == core::ErrorCode::kAlreadyExists) {
      return core::Fail(core::Error{core::ErrorCode::kAlreadyExists,
                                    "you already have a view called \"" + v.name + "\"", "name"});
    }
    return r;
  }

  Db db_;
};

}  // namespace tandem::store::common
