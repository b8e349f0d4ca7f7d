// The goals repository (store.hpp's GoalRepo, migration 0011), written once for both backends
// over the backend's `Db` (store/common/sql_repo.hpp); each backend compiles it once.
#pragma once

#include <string>

#include "store/common/rows.hpp"
#include "store/common/sql_repo.hpp"
#include "store/store.hpp"

namespace tandem::store::common {

inline constexpr std::string_view kGoalColumns =
    "id, name, metric, target, currency, from_day, to_day, source, campaign, created_at, "
    "created_by";

template <class R>
core::Result<core::Goal> ReadGoal(const R& s) {
  core::Goal g;
  g.id = s.Int(0);
  g.name = s.Text(1);
  auto m = core::GoalMetricFromString(s.TextView(2));
  if (!m) return core::Fail(core::Error::Internal("goal " + std::to_string(g.id) + ": bad metric"));
  g.metric = *m;
  g.target = s.Int(3);
  g.currency = s.Text(4);
  auto from = core::ParseDate(s.TextView(5));
  auto to = core::ParseDate(s.TextView(6));
  if (!from || !to) {
    return core::Fail(core::Error::Internal("goal " + std::to_string(g.id) + ": bad dates"));
  }
  g.from = *from;
  g.to = *to;
  if (!s.IsNull(7)) g.source = s.Text(7);
  if (!s.IsNull(8)) g.campaign = s.Text(8);
  g.created_at = core::FromMillis(s.Int(9));
  g.created_by = s.IsNull(10) ? 0 : s.Int(10);
  return g;
}

// Binds name, metric, target, currency, from_day, to_day, source, campaign (8 parameters).
template <class B>
void BindGoal(B& stmt, const core::Goal& g) {
  stmt.Bind(g.name)
      .Bind(core::ToString(g.metric))
      .Bind(g.target)
      .Bind(g.currency)
      .Bind(core::FormatDate(g.from))
      .Bind(core::FormatDate(g.to));
  for (const auto* v : {&g.source, &g.campaign}) {
    if (*v) {
      stmt.Bind(**v);
    } else {
      stmt.BindNull();
    }
  }
}

template <class Db>
class GoalRepoOn final : public GoalRepo {
 public:
  using Stmt = typename Db::Stmt;
  using Id = core::Id;
  template <class T>
  using Result = core::Result<T>;

  explicit GoalRepoOn(Db db) : db_(db) {}

  Result<Id> Insert(const core::Goal& g) override {
    if (g.created_by > 0) {
      TANDEM_TRY(db_.CheckReference("created_by", g.created_by, "users", "user"));
    }
    static const std::string sql = Db::InsertSql(
        "INSERT INTO goals (name, metric, target, currency, from_day, to_day, "
        "source, campaign, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    BindGoal(stmt, g);
    stmt.Bind(core::ToMillis(g.created_at));
    if (g.created_by > 0) {
      stmt.Bind(g.created_by);
    } else {
      stmt.BindNull();
    }
    core::Goal stored = g;
    TANDEM_ASSIGN(stored.id, db_.RunInsert(stmt));
    TANDEM_TRY(WriteParts(stored));
    return stored.id;
  }

  Result<void> Update(const core::Goal& g) override {
    static const std::string sql = Db::Sql(
        "UPDATE goals SET name = ?, metric = ?, target = ?, currency = ?, from_day = ?, "
        "to_day = ?, source = ?, campaign = ? WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    BindGoal(stmt, g);
    stmt.Bind(g.id);
    TANDEM_TRY(db_.RunUpdate(stmt, "goal", g.id));
    return WriteParts(g);
  }

  Result<void> Delete(Id id) override {
    static const std::string sql = Db::Sql("DELETE FROM goals WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(id);
    return db_.RunUpdate(stmt, "goal", id);
  }

  Result<std::optional<core::Goal>> Get(Id id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kGoalColumns) + " FROM goals WHERE id = ?");
    std::optional<core::Goal> g;
    {
      TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
      stmt.Bind(id);
      TANDEM_ASSIGN(g, rows::ReadOptional(stmt, ReadGoal<Stmt>));
    }
    if (g) TANDEM_TRY(ReadParts(*g));
    return g;
  }

  Result<std::vector<core::Goal>> List() override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kGoalColumns) + " FROM goals ORDER BY id");
    std::vector<core::Goal> out;
    {
      TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
      TANDEM_ASSIGN(out, ReadAll(stmt, ReadGoal<Stmt>));
    }
    for (core::Goal& g : out) TANDEM_TRY(ReadParts(g));
    return out;
  }

 private:
  // Replaces the goal's owners and rates.
  Result<void> WriteParts(const core::Goal& g) {
    static const std::string del_owners = Db::Sql("DELETE FROM goal_owners WHERE goal_id = ?");
    static const std::string del_rates = Db::Sql("DELETE FROM goal_rates WHERE goal_id = ?");
    static const std::string ins_owner =
        Db::Sql("INSERT INTO goal_owners (goal_id, user_id) VALUES (?, ?)");
    static const std::string ins_rate =
        Db::Sql("INSERT INTO goal_rates (goal_id, step, rate) VALUES (?, ?, ?)");
    for (const std::string* sql : {&del_owners, &del_rates}) {
      TANDEM_ASSIGN(auto del, db_.Prepare(*sql));
      del.Bind(g.id);
      TANDEM_TRY(del.Run());
    }
    for (Id owner : g.owners) {
      TANDEM_TRY(db_.CheckReference("owners", owner, "users", "user"));
      TANDEM_ASSIGN(auto ins, db_.Prepare(ins_owner));
      ins.Bind(g.id).Bind(owner);
      TANDEM_TRY(ins.Run());
    }
    for (const auto& [step, rate] : g.rates) {
      TANDEM_ASSIGN(auto ins, db_.Prepare(ins_rate));
      ins.Bind(g.id).Bind(core::ToString(step)).BindReal(rate);
      TANDEM_TRY(ins.Run());
    }
    return {};
  }

  // Reads the goal's owners (by id) and rates.
  Result<void> ReadParts(core::Goal& g) {
    static const std::string owners_sql =
        Db::Sql("SELECT user_id FROM goal_owners WHERE goal_id = ? ORDER BY user_id");
    static const std::string rates_sql =
        Db::Sql("SELECT step, rate FROM goal_rates WHERE goal_id = ?");
    {
      TANDEM_ASSIGN(auto s, db_.Prepare(owners_sql));
      s.Bind(g.id);
      TANDEM_ASSIGN(g.owners, ReadAll(s, [](const Stmt& r) -> Result<Id> { return r.Int(0); }));
    }
    TANDEM_ASSIGN(auto s, db_.Prepare(rates_sql));
    s.Bind(g.id);
    while (true) {
      TANDEM_ASSIGN(bool row, s.Step());
      if (!row) return {};
      auto step = core::FunnelStepFromString(s.TextView(0));
      if (step) g.rates[*step] = s.Real(1);
    }
  }

  Db db_;
};

}  // namespace tandem::store::common
