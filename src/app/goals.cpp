#include "app/goals.hpp"

#include <algorithm>
#include <chrono>

namespace tandem::app {

using core::Error;
using core::Fail;

namespace {

Result<void> CanRead(const core::Principal& p) {
  if (p.scopes && !p.HasScope(core::Scope::kRead) && !p.HasScope(core::Scope::kWrite) &&
      !p.HasScope(core::Scope::kAdmin)) {
    return Fail(Error::Forbidden("this API key has no read scope"));
  }
  return {};
}

Result<void> CanWrite(const core::Principal& p) {
  if (p.role != core::Role::kAdmin && p.role != core::Role::kManager) {
    return Fail(Error::Forbidden("only admins and managers set goals"));
  }
  if (p.scopes && !p.HasScope(core::Scope::kWrite) && !p.HasScope(core::Scope::kAdmin)) {
    return Fail(Error::Forbidden("this API key has no write scope"));
  }
  return {};
}

Result<std::vector<core::Id>> OwnerIds(store::Tx& tx, const std::vector<std::string>& emails) {
  std::vector<core::Id> out;
  for (const std::string& raw : emails) {
    auto email = core::NormalizeEmail(raw);
    if (!email) return Fail(Error::Invalid("owners", "\"" + raw + "\" is not an email address"));
    TANDEM_ASSIGN(auto user, tx.users().FindByEmail(*email));
    if (!user) return Fail(Error::Invalid("owners", "no user " + *email));
    if (std::find(out.begin(), out.end(), user->id) != out.end()) {
      return Fail(Error::Invalid("owners", *email + " is named twice"));
    }
    out.push_back(user->id);
  }
  return out;
}

core::Date DayOf(core::Instant t) {
  return std::chrono::floor<std::chrono::days>(t);
}

}  // namespace

Result<std::vector<std::string>> GoalService::Emails(store::Tx& tx, const core::Goal& g) {
  std::vector<std::string> out;
  for (core::Id id : g.owners) {
    TANDEM_ASSIGN(auto user, tx.users().Get(id));
    out.push_back(user ? user->email : std::to_string(id));
  }
  return out;
}

Result<GoalView> GoalService::View(store::Tx& tx, core::Goal g) {
  GoalView out;
  const core::Instant now = clock_.Now();
  core::SmartInputs in;
  in.today = DayOf(now);
  // Comparable past periods: the goal's length, back to back, ending at the earlier of the
  // goal's start and today (a period not over yet is not a past period).
  const std::int64_t days = core::GoalDays(g);
  core::Date end = std::min(g.from, in.today);
  for (int i = 0; i < core::kComparablePeriods; ++i) {
    const core::Date start = end - std::chrono::days{days};
    const auto ms = [](core::Date d) {
      return core::Instant{
          std::chrono::duration_cast<std::chrono::milliseconds>(d.time_since_epoch())};
    };
    TANDEM_ASSIGN(std::int64_t v, tx.analytics().GoalMetricValue(g, ms(start), ms(end)));
    in.past.emplace_back(start, v);
    end = start;
  }
  core::FunnelQuery q;
  q.view = core::FunnelView::kCohort;
  q.to = now;
  q.from = now - std::chrono::milliseconds(std::int64_t{kTrailingDays} * 86'400'000);
  q.window_ms = std::int64_t{kTrailingDays} * 86'400'000;
  q.source = g.source;
  q.campaign = g.campaign;
  TANDEM_ASSIGN(auto counts, tx.analytics().Funnel(q));
  for (const auto& c : counts) {
    for (std::size_t i = 0; i < core::kStepCount; ++i) {
      in.base[i] += c.base[i];
      in.passed[i] += c.passed[i];
    }
  }
  out.smart = core::CheckSmart(g, in);
  TANDEM_ASSIGN(out.owner_emails, Emails(tx, g));
  out.past = in.past;
  out.goal = std::move(g);
  return out;
}

Result<GoalView> GoalService::Create(const core::Principal& p, core::Goal g,
                                     const std::vector<std::string>& owner_emails) {
  TANDEM_TRY(CanWrite(p));
  TANDEM_TRY(core::ValidateGoal(g));
  g.created_at = clock_.Now();
  g.created_by = p.user_id;
  GoalView out;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(g.owners, OwnerIds(tx, owner_emails));
    TANDEM_ASSIGN(g.id, tx.goals().Insert(g));
    TANDEM_ASSIGN(auto stored, tx.goals().Get(g.id));
    TANDEM_ASSIGN(out, View(tx, std::move(*stored)));
    return {};
  }));
  return out;
}

Result<GoalView> GoalService::Get(const core::Principal& p, core::Id id) {
  TANDEM_TRY(CanRead(p));
  GoalView out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto g, tx.goals().Get(id));
    if (!g) return Fail(Error::NotFound("goal " + std::to_string(id) + " does not exist"));
    TANDEM_ASSIGN(out, View(tx, std::move(*g)));
    return {};
  }));
  return out;
}

Result<std::vector<GoalView>> GoalService::List(const core::Principal& p) {
  TANDEM_TRY(CanRead(p));
  std::vector<GoalView> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto goals, tx.goals().List());
    for (auto& g : goals) {
      GoalView v;
      TANDEM_ASSIGN(v.owner_emails, Emails(tx, g));
      v.goal = std::move(g);
      out.push_back(std::move(v));
    }
    return {};
  }));
  return out;
}

Result<GoalView> GoalService::Update(const core::Principal& p, core::Goal g,
                                     const std::vector<std::string>& owner_emails) {
  TANDEM_TRY(CanWrite(p));
  TANDEM_TRY(core::ValidateGoal(g));
  GoalView out;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(g.owners, OwnerIds(tx, owner_emails));
    TANDEM_TRY(tx.goals().Update(g));
    TANDEM_ASSIGN(auto stored, tx.goals().Get(g.id));
    TANDEM_ASSIGN(out, View(tx, std::move(*stored)));
    return {};
  }));
  return out;
}

Result<void> GoalService::Delete(const core::Principal& p, core::Id id) {
  TANDEM_TRY(CanWrite(p));
  return store_.Write([&](store::Tx& tx) { return tx.goals().Delete(id); });
}

Result<GoalProgressView> GoalService::Progress(const core::Principal& p, core::Id id,
                                               std::optional<std::uint64_t> seed, int trials) {
  TANDEM_TRY(CanRead(p));
  GoalProgressView out;
  core::ProgressInputs in;
  const core::Instant now = clock_.Now();
  out.measured_at = now;
  in.today = DayOf(now);
  in.trials = trials;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto g, tx.goals().Get(id));
    if (!g) return Fail(Error::NotFound("goal " + std::to_string(id) + " does not exist"));
    out.goal = std::move(*g);
    const core::Goal& goal = out.goal;
    in.seed = seed.value_or(static_cast<std::uint64_t>(goal.id));
    const core::Instant start = core::GoalStart(goal);
    const core::Instant end = std::clamp(now, start, core::GoalEnd(goal));
    TANDEM_ASSIGN(in.actual, tx.analytics().GoalMetricValue(goal, start, end));
    // Each stage's count to date: the same count as the stage's metric.
    constexpr std::array<std::pair<core::Stage, core::GoalMetric>, 6> kStageMetrics = {
        {{core::Stage::kLead, core::GoalMetric::kLeads},
         {core::Stage::kMql, core::GoalMetric::kMqls},
         {core::Stage::kSal, core::GoalMetric::kSals},
         {core::Stage::kSql, core::GoalMetric::kSqls},
         {core::Stage::kOpportunity, core::GoalMetric::kOpportunities},
         {core::Stage::kCustomer, core::GoalMetric::kNewCustomers}}};
    for (const auto& [stage, metric] : kStageMetrics) {
      core::Goal as = goal;
      as.metric = metric;
      TANDEM_ASSIGN(in.reached[static_cast<std::size_t>(stage)],
                    tx.analytics().GoalMetricValue(as, start, end));
    }
    TANDEM_ASSIGN(in.open, tx.analytics().CurrentStageCounts(goal));
    core::FunnelQuery q;
    q.view = core::FunnelView::kCohort;
    q.to = now;
    q.from = now - std::chrono::milliseconds(std::int64_t{kTrailingDays} * 86'400'000);
    q.window_ms = std::int64_t{kTrailingDays} * 86'400'000;
    q.source = goal.source;
    q.campaign = goal.campaign;
    TANDEM_ASSIGN(auto counts, tx.analytics().Funnel(q));
    core::FunnelCounts total;
    for (const auto& c : counts) {
      for (std::size_t i = 0; i < core::kStepCount; ++i) {
        total.base[i] += c.base[i];
        total.passed[i] += c.passed[i];
        total.hours[i].insert(total.hours[i].end(), c.hours[i].begin(), c.hours[i].end());
      }
    }
    const core::FunnelFigures f = core::ComputeFigures(total);
    for (std::size_t i = 0; i < core::kStepCount; ++i) {
      in.base[i] = total.base[i];
      in.passed[i] = total.passed[i];
      if (f.steps[i].p50_hours)
        in.median_days[i] = static_cast<double>(*f.steps[i].p50_hours) / 24.0;
    }
    if (goal.metric == core::GoalMetric::kRevenue) {
      TANDEM_ASSIGN(auto won, tx.analytics().WonDeals(q.from, q.to, goal.currency));
      if (won.count > 0) {
        out.deal_size_minor = (won.amount_minor + won.count / 2) / won.count;
        in.deal_size_minor = *out.deal_size_minor;
      }
    }
    return {};
  }));
  TANDEM_ASSIGN(out.progress, core::ComputeProgress(out.goal, in));
  return out;
}

}  // namespace tandem::app
