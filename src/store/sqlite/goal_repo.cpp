#include <algorithm>
#include <string>

#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Goal;

namespace {

void BindOptText(Stmt& stmt, const std::optional<std::string>& v) {
  if (v) {
    stmt.Bind(*v);
  } else {
    stmt.BindNull();
  }
}

constexpr const char* kColumns =
    "id, name, metric, target, currency, from_day, to_day, source, campaign, created_at, "
    "created_by";

Result<Goal> GoalFrom(const Stmt& s) {
  Goal g;
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

}  // namespace

Result<void> SqliteGoalRepo::WriteParts(const Goal& g) {
  {
    TANDEM_ASSIGN(auto del, ctx_.conn.Prepare("DELETE FROM goal_owners WHERE goal_id = ?"));
    del.Bind(g.id);
    TANDEM_TRY(del.Run());
  }
  {
    TANDEM_ASSIGN(auto del, ctx_.conn.Prepare("DELETE FROM goal_rates WHERE goal_id = ?"));
    del.Bind(g.id);
    TANDEM_TRY(del.Run());
  }
  for (core::Id owner : g.owners) {
    TANDEM_TRY(CheckReference(ctx_.conn, "owners", owner, "users", "user"));
    TANDEM_ASSIGN(auto ins,
                  ctx_.conn.Prepare("INSERT INTO goal_owners (goal_id, user_id) VALUES (?, ?)"));
    ins.Bind(g.id).Bind(owner);
    TANDEM_TRY(ins.Run());
  }
  for (const auto& [step, rate] : g.rates) {
    TANDEM_ASSIGN(auto ins, ctx_.conn.Prepare(
                                "INSERT INTO goal_rates (goal_id, step, rate) VALUES (?, ?, ?)"));
    ins.Bind(g.id).Bind(core::ToString(step)).BindReal(rate);
    TANDEM_TRY(ins.Run());
  }
  return {};
}

Result<void> SqliteGoalRepo::ReadParts(Goal& g) {
  {
    TANDEM_ASSIGN(
        auto s,
        ctx_.conn.Prepare("SELECT user_id FROM goal_owners WHERE goal_id = ? ORDER BY user_id"));
    s.Bind(g.id);
    while (true) {
      TANDEM_ASSIGN(bool row, s.Step());
      if (!row) break;
      g.owners.push_back(s.Int(0));
    }
  }
  TANDEM_ASSIGN(auto s, ctx_.conn.Prepare("SELECT step, rate FROM goal_rates WHERE goal_id = ?"));
  s.Bind(g.id);
  while (true) {
    TANDEM_ASSIGN(bool row, s.Step());
    if (!row) break;
    auto step = core::FunnelStepFromString(s.TextView(0));
    if (step) g.rates[*step] = s.Real(1);
  }
  return {};
}

Result<core::Id> SqliteGoalRepo::Insert(const Goal& g) {
  if (g.created_by > 0) {
    TANDEM_TRY(CheckReference(ctx_.conn, "created_by", g.created_by, "users", "user"));
  }
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO goals (name, metric, target, currency, from_day, "
                                  "to_day, source, campaign, created_at, created_by) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(g.name)
      .Bind(core::ToString(g.metric))
      .Bind(g.target)
      .Bind(g.currency)
      .Bind(core::FormatDate(g.from))
      .Bind(core::FormatDate(g.to));
  BindOptText(stmt, g.source);
  BindOptText(stmt, g.campaign);
  stmt.Bind(core::ToMillis(g.created_at));
  if (g.created_by > 0) {
    stmt.Bind(g.created_by);
  } else {
    stmt.BindNull();
  }
  TANDEM_TRY(stmt.Run());
  Goal stored = g;
  stored.id = ctx_.conn.LastInsertId();
  TANDEM_TRY(WriteParts(stored));
  return stored.id;
}

Result<void> SqliteGoalRepo::Update(const Goal& g) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "UPDATE goals SET name = ?, metric = ?, target = ?, currency = ?, "
                               "from_day = ?, to_day = ?, source = ?, campaign = ? WHERE id = ?"));
  stmt.Bind(g.name)
      .Bind(core::ToString(g.metric))
      .Bind(g.target)
      .Bind(g.currency)
      .Bind(core::FormatDate(g.from))
      .Bind(core::FormatDate(g.to));
  BindOptText(stmt, g.source);
  BindOptText(stmt, g.campaign);
  stmt.Bind(g.id);
  TANDEM_TRY(stmt.Run());
  TANDEM_TRY(CheckChanged(ctx_.conn, "goal", g.id));
  return WriteParts(g);
}

Result<void> SqliteGoalRepo::Delete(core::Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM goals WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "goal", id);
}

Result<std::optional<Goal>> SqliteGoalRepo::Get(core::Id id) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare(std::string("SELECT ") + kColumns + " FROM goals WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Goal>{};
  TANDEM_ASSIGN(Goal g, GoalFrom(stmt));
  TANDEM_TRY(ReadParts(g));
  return std::optional<Goal>{std::move(g)};
}

Result<std::vector<Goal>> SqliteGoalRepo::List() {
  std::vector<Goal> out;
  {
    TANDEM_ASSIGN(auto stmt,
                  ctx_.conn.Prepare(std::string("SELECT ") + kColumns + " FROM goals ORDER BY id"));
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) break;
      TANDEM_ASSIGN(Goal g, GoalFrom(stmt));
      out.push_back(std::move(g));
    }
  }
  for (Goal& g : out) TANDEM_TRY(ReadParts(g));
  return out;
}

}  // namespace tandem::store::sqlite
