#include "app/pay.hpp"

#include <algorithm>
#include <set>

#include "core/goal.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Kpi;
using core::KpiMeasure;
using core::KpiUnit;
using core::Result;

namespace {

// The services' own reads: every figure of the company, whoever asks (the payouts shown are
// narrowed afterwards).
const core::Principal kSystem{0, "system", core::Role::kAdmin, std::nullopt};

KpiMeasure Clocks(Kpi kpi, const core::ShareFigure& f, std::string what) {
  KpiMeasure m;
  m.kpi = kpi;
  m.unit = KpiUnit::kCount;
  m.basis = what + " on time against " + what + " decided (on time + missed)";
  const auto decided = f.on_time + f.missed;
  if (decided == 0) {
    m.no_data = "no " + what + " decided in the period";
    return m;
  }
  m.actual = static_cast<double>(f.on_time);
  m.target = static_cast<double>(decided);
  return m;
}

KpiMeasure Quality(const core::MarketingCompliance& mk) {
  KpiMeasure m;
  m.kpi = Kpi::kMqlQuality;
  m.unit = KpiUnit::kShare;
  std::optional<double> best_ratio;
  auto consider = [&](const std::optional<double>& share, const std::optional<int>& min,
                      const char* what) {
    if (!share || !min || *min <= 0) return;
    const double target = *min / 100.0;
    const double ratio = *share / target;
    if (!best_ratio || ratio < *best_ratio) {
      best_ratio = ratio;
      m.actual = *share;
      m.target = target;
      m.basis = std::string("share of the MQLs ") + what + " against the contract's minimum " +
                "(the lower of the quality ratios)";
    }
  };
  consider(mk.grade_ab_share, mk.min_grade_ab_percent, "graded A or B");
  consider(mk.persona_share, mk.min_persona_match_percent, "matching a persona");
  if (!best_ratio) {
    m.no_data = mk.mqls == 0 ? "no MQL in the period" : "the contract sets no quality minimum";
  }
  return m;
}

}  // namespace

Result<core::Id> PayService::UserIdOf(std::string_view email) {
  TANDEM_ASSIGN(auto normal, core::NormalizeEmail(email));
  std::optional<core::User> u;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(u, tx.users().FindByEmail(normal));
    return {};
  }));
  if (!u) return Fail(Error::NotFound("no user with email " + normal));
  return u->id;
}

Result<PayView> PayService::Statement(const core::Principal& p, core::Date from, core::Date to,
                                      std::optional<core::Id> user_id) {
  if (to < from) return Fail(Error::Invalid("to", "must not be before from"));
  if ((to - from).count() + 1 > kMaxDays) {
    return Fail(
        Error::Invalid("to", "the period may span at most " + std::to_string(kMaxDays) + " days"));
  }
  const core::Instant utc_end{to + date::days(1)};
  TANDEM_ASSIGN(auto in_force, contracts_.InForceAt(utc_end - std::chrono::milliseconds(1)));
  if (!in_force) {
    return Fail(Error::Precondition("no contract is in force at the end of " + core::FormatDate(to),
                                    "contract"));
  }
  const core::Contract& contract = in_force->contract;
  if (!contract.compensation) {
    return Fail(Error::Precondition("the contract in force (version " +
                                        std::to_string(in_force->version.id) +
                                        ") has no [compensation] terms",
                                    "contract"));
  }
  bool is_head = false;
  for (const auto& party : contract.parties) is_head |= party.head_email == p.email;
  TANDEM_ASSIGN(auto only, core::PayStatementsOf(p, is_head && p.user_id != 0, user_id));

  PayView v;
  v.from = from;
  v.to = to;
  v.as_of = clock_.Now();
  v.terms = *contract.compensation;
  v.contract_version_id = in_force->version.id;
  v.time_zone = contract.calendar.time_zone;
  v.start = core::StartOfLocalDay(contract.calendar.zone, from);
  v.end = core::StartOfLocalDay(contract.calendar.zone, to + date::days(1));
  v.only_user = only;

  // The SLA figures of both sides, over the whole company.
  TANDEM_ASSIGN(auto sla, compliance_.Report(kSystem, from, to, core::ComplianceBreakdown::kTeam));

  std::set<std::string> party_teams;
  std::set<std::string> heads;
  for (const auto& party : contract.parties) {
    party_teams.insert(party.team);
    heads.insert(party.head_email);
  }
  std::vector<core::PayParticipant> participants;
  std::vector<core::Goal> goals;
  std::optional<core::User> asked;
  std::int64_t revenue = 0;
  std::optional<core::FunnelCounts> counts;
  const core::Goal* goal = nullptr;
  std::int64_t overlap_days = 0;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    if (user_id) {
      TANDEM_ASSIGN(asked, tx.users().Get(*user_id));
      if (!asked) return Fail(Error::Invalid("user_id", "no user with this id"));
    }
    TANDEM_ASSIGN(auto teams, tx.teams().List());
    std::set<core::Id> team_ids;
    for (const auto& t : teams) {
      if (party_teams.count(t.name)) team_ids.insert(t.id);
    }
    core::UserQuery q;
    q.active = true;
    q.page.limit = 500;
    while (true) {
      TANDEM_ASSIGN(auto page, tx.users().List(q));
      for (const auto& u : page.items) {
        if ((u.team_id && team_ids.count(*u.team_id)) || heads.count(u.email)) {
          participants.push_back({u.id, u.email});
        }
      }
      if (!page.next) break;
      q.page.after = page.next;
    }
    TANDEM_ASSIGN(goals, tx.goals().List());
    for (const auto& g : goals) {
      if (g.metric != core::GoalMetric::kRevenue || g.currency != v.terms.currency) continue;
      const auto lo = std::max(g.from, from);
      const auto hi = std::min(g.to, to);
      const std::int64_t days = hi < lo ? 0 : (hi - lo).count() + 1;
      if (days > overlap_days) {
        overlap_days = days;
        goal = &g;
      }
    }
    if (goal) {
      TANDEM_ASSIGN(revenue, tx.analytics().GoalMetricValue(*goal, v.start, v.end));
    }
    core::FunnelQuery fq;
    fq.view = core::FunnelView::kCohort;
    fq.from = v.start;
    fq.to = v.end;
    TANDEM_ASSIGN(auto funnel, tx.analytics().Funnel(fq));
    if (!funnel.empty()) counts = funnel.front();
    return {};
  }));
  std::sort(participants.begin(), participants.end(),
            [](const auto& a, const auto& b) { return a.user_id < b.user_id; });

  std::vector<KpiMeasure> measures;
  {
    KpiMeasure m;
    m.kpi = Kpi::kMqlQuotaAttainment;
    m.unit = KpiUnit::kCount;
    m.basis = "MQLs handed over against the quota pro-rated to the period";
    m.actual = static_cast<double>(sla.marketing.mqls);
    m.target = sla.marketing.expected;
    if (!m.target) m.no_data = "no MQL quota in force";
    measures.push_back(m);
  }
  measures.push_back(Quality(sla.marketing));
  measures.push_back(Clocks(Kpi::kFirstTouchOnTime, sla.sales.total.first_touch, "first touches"));
  measures.push_back(Clocks(Kpi::kAttemptsOnTime, sla.sales.total.attempts, "attempt clocks"));
  measures.push_back(Clocks(Kpi::kDispositionOnTime, sla.sales.total.disposition, "dispositions"));
  {
    KpiMeasure m;
    m.kpi = Kpi::kRevenueAttainment;
    m.unit = KpiUnit::kMoneyMinor;
    if (goal) {
      v.goal_id = goal->id;
      v.goal_name = goal->name;
      m.actual = static_cast<double>(revenue);
      m.target = static_cast<double>(goal->target) * static_cast<double>(overlap_days) /
                 static_cast<double>(core::GoalDays(*goal));
      m.basis = "won revenue of the period against goal '" + goal->name + "' pro-rated to " +
                std::to_string(overlap_days) + " of its " + std::to_string(core::GoalDays(*goal)) +
                " days";
    } else {
      m.no_data = "no revenue goal in " + v.terms.currency + " covers the period";
    }
    measures.push_back(m);
  }
  {
    KpiMeasure m;
    m.kpi = Kpi::kSqlConversion;
    m.unit = KpiUnit::kShare;
    const auto mql = static_cast<std::size_t>(core::Stage::kMql);
    const auto sql = static_cast<std::size_t>(core::Stage::kSql);
    std::optional<double> planned;
    if (goal) {
      auto a = goal->rates.find(core::FunnelStep::kMqlSal);
      auto b = goal->rates.find(core::FunnelStep::kSalSql);
      if (a != goal->rates.end() && b != goal->rates.end()) planned = a->second * b->second;
    }
    if (!counts || counts->reached[mql] == 0) {
      m.no_data = "no contact reached mql in the period";
    } else if (!planned) {
      m.no_data = "no planned mql_sal and sal_sql rates in a revenue goal of the period";
    } else {
      m.actual =
          static_cast<double>(counts->reached[sql]) / static_cast<double>(counts->reached[mql]);
      m.target = planned;
      m.basis =
          "contacts reaching sql per contact reaching mql in the period, against the "
          "goal's planned mql_sal x sal_sql";
    }
    measures.push_back(m);
  }

  const std::int64_t pool = core::PoolForPeriod(v.terms, from, to);
  v.computation = core::ComputePay(v.terms, pool, measures, participants);

  for (const auto& po : v.computation.payouts) {
    if (only && po.user_id != *only) continue;
    v.payouts.push_back({po, true});
  }
  if (only && v.payouts.empty()) {
    core::Payout none{*only, asked ? asked->email : p.email, 0};
    v.payouts.push_back({none, false});
  }
  return v;
}

}  // namespace tandem::app
