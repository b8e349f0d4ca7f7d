// The weekly pack over a large base, against the same figures written by hand and run through
// the `sqlite3` shell, in the same run.
//
//   weekly_bench DB [RUNS]
//
// DB is a Tandem SQLite file: a copy of the 1M-contact demo with touch events
// (bench/loop_touches.sql) and the SLA assignments and clocks compliance_bench adds (run it on
// the copy first). The clock is one day after the last MQL; the week is the last complete ISO
// week before it. A goal ("MQLs this quarter", planned mql_sal) is added when the base has
// none. Each figure is the median of RUNS (default 3) runs, warm cache; wall and CPU time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "base/clock.hpp"
#include "sqlite_shell.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace tandem;

using bench::ChildCpuMs;
using bench::CpuMs;
using bench::Median;
using bench::TimeMs;

struct Timing {
  double wall = 0;
  double cpu = 0;
};

template <class F>
Timing Measure(int runs, F f) {
  std::vector<double> t, cpu;
  for (int i = 0; i < runs; ++i) {
    const double c0 = CpuMs();
    t.push_back(TimeMs(f));
    cpu.push_back(CpuMs() - c0);
  }
  return {Median(t), Median(cpu)};
}

Timing MeasureShell(int runs, const std::string& db, const std::string& sql, std::string* out) {
  std::vector<double> t, cpu;
  for (int i = 0; i < runs; ++i) {
    const double c0 = ChildCpuMs();
    t.push_back(bench::Shell(db, sql, out, "/tmp/tandem_weekly_bench.sql"));
    cpu.push_back(ChildCpuMs() - c0);
  }
  return {Median(t), Median(cpu)};
}

template <class T>
T Must(core::Result<T> r, const char* what) {
  if (!r) {
    std::cerr << what << ": " << r.error().message << "\n";
    std::exit(1);
  }
  return std::move(*r);
}

std::int64_t First(const std::string& out) {
  return std::atoll(out.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: weekly_bench DB [RUNS]\n";
    return 2;
  }
  const std::string db = argv[1];
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  auto store = Must(store::sqlite::OpenSqliteStore({db, 2, nullptr}), "open");
  std::string out;
  bench::Shell(db, "SELECT max(at) FROM stage_history WHERE to_stage = 'mql';", &out,
               "/tmp/tandem_weekly_bench.sql");
  const core::Instant now = core::FromMillis(First(out)) + std::chrono::hours(24);
  base::FakeClock clock(now);
  app::Services services(*store, clock, app::PasswordSettings::Fastest());
  const core::Principal admin{0, "bench", core::Role::kAdmin, std::nullopt};

  // The last complete ISO week before now, in the contract's zone (Europe/Paris).
  const core::Date today = std::chrono::floor<std::chrono::days>(now);
  const core::IsoWeek week = core::IsoWeekOf(today - std::chrono::days(7));

  bench::Shell(db, "SELECT COUNT(*) FROM goals;", &out, "/tmp/tandem_weekly_bench.sql");
  if (First(out) == 0) {
    bench::Shell(db, "SELECT email FROM users ORDER BY id LIMIT 1;", &out,
                 "/tmp/tandem_weekly_bench.sql");
    core::Goal g;
    g.name = "MQLs this quarter";
    g.metric = core::GoalMetric::kMqls;
    g.target = 20000;
    g.from = core::MondayOf(week) - std::chrono::days(28);
    g.to = core::MondayOf(week) + std::chrono::days(62);
    g.rates = {{core::FunnelStep::kMqlSal, 0.95}};
    Must(services.goals.Create(admin, g, {out.substr(0, out.find('\n'))}), "goal");
  }

  app::WeeklyPack pack;
  auto build = [&] { pack = Must(services.weekly.Build(admin, week), "pack"); };
  build();  // warms the cache and the parsed contract terms
  const Timing tandem = Measure(runs, build);

  const std::string fs = std::to_string(core::ToMillis(pack.start));
  const std::string ts = std::to_string(core::ToMillis(pack.end));
  const std::string now_ms = std::to_string(core::ToMillis(now));
  // By hand, the same figures: the cohort funnel's counts, the goal's metric (to date and in
  // the week), sales' first-touch clocks per rep, marketing's MQLs with their grade and
  // persona, the rejections by reason, and the linear pipeline per campaign of the week's
  // open deals with exact cents.
  std::string hand = "SELECT 'funnel'";
  for (int k = 0; k < 7; ++k) {
    const std::string rk = "f.r" + std::to_string(k);
    hand += ", SUM(" + rk + " >= " + fs + " AND " + rk + " < " + ts + ")";
    if (k < 6) {
      const std::string rn = "f.r" + std::to_string(k + 1);
      hand += ", SUM(" + rk + " >= " + fs + " AND " + rk + " < " + ts + " AND " + rn +
              " IS NOT NULL AND " + rn + " - " + rk + " <= 7776000000)";
    }
  }
  hand += " FROM contact_reach f WHERE f.r0 < " + ts +
          " AND coalesce(f.r6, f.r5, f.r4, f.r3, f.r2, f.r1, f.r0) >= " + fs + ";\n";
  for (const auto& g : pack.goals) {
    const std::string gs = std::to_string(core::ToMillis(core::GoalStart(g.goal)));
    const std::string ge =
        std::to_string(core::ToMillis(std::min(pack.end, core::GoalEnd(g.goal))));
    const std::string ws = std::to_string(
        std::max(core::ToMillis(pack.start), core::ToMillis(core::GoalStart(g.goal))));
    hand += "SELECT 'goal', SUM(r2 >= " + gs + " AND r2 < " + ge + "), SUM(r2 >= " + ws +
            " AND r2 < " + ge + ") FROM contact_reach WHERE r2 >= " + gs + " AND r2 < " + ge +
            ";\n";
  }
  hand +=
      "SELECT 'sales', a.owner_id, COUNT(*), "
      "SUM(k.breached_at IS NULL AND k.met_at IS NOT NULL AND k.met_at <= k.due_at), "
      "SUM(k.breached_at IS NOT NULL OR (k.met_at IS NOT NULL AND k.met_at > k.due_at) OR "
      "(k.met_at IS NULL AND ((k.cancelled_at IS NOT NULL AND k.cancelled_at >= k.due_at) OR "
      "(k.cancelled_at IS NULL AND k.due_at <= " +
      now_ms +
      ")))) FROM handoff_assignments a JOIN sla_clocks k ON k.assignment_id = a.id "
      "AND k.obligation = 'first_touch' WHERE a.assigned_at >= " +
      fs + " AND a.assigned_at < " + ts + " AND a.owner_id IS NOT NULL GROUP BY a.owner_id;\n";
  hand +=
      "SELECT 'mqls', COUNT(*), SUM(s.grade IN ('A', 'B')), SUM(s.persona_id IS NOT NULL) "
      "FROM stage_history h LEFT JOIN contact_scores s ON s.contact_id = h.contact_id "
      "WHERE h.to_stage = 'mql' AND h.at >= " +
      fs + " AND h.at < " + ts + ";\n";
  hand +=
      "SELECT 'reasons', h.reason, COUNT(*) FROM stage_history h WHERE h.from_stage = 'mql' "
      "AND h.cause = 'rejected' AND h.at >= " +
      fs + " AND h.at < " + ts + " GROUP BY h.reason ORDER BY 3 DESC LIMIT 5;\n";
  hand +=
      "WITH d AS (SELECT id, contact_id, amount_minor AS amt, created_at FROM deals WHERE "
      "currency = '" +
      pack.attribution.query.currency + "' AND stage = 'open' AND created_at >= " + fs +
      " AND created_at < " + ts +
      "), tt AS (SELECT d.amt, e.utm_campaign AS k, ROW_NUMBER() OVER (PARTITION BY d.id ORDER "
      "BY e.occurred_at, e.id) AS rn, COUNT(*) OVER (PARTITION BY d.id) AS n FROM d JOIN events "
      "e ON e.contact_id = d.contact_id AND e.occurred_at <= d.created_at AND (e.utm_campaign "
      "<> '' OR e.utm_source <> '')) SELECT 'pipeline', SUM(amt / n + (rn <= amt % n)) FROM "
      "tt;\n";

  const Timing shell_empty = MeasureShell(runs, db, "SELECT 1;\n", nullptr);
  std::string hand_out;
  const Timing shell = MeasureShell(runs, db, hand, &hand_out);

  // Cross-checks: the week's MQLs and the credited pipeline by hand equal Tandem's.
  std::int64_t hand_mqls = -1, hand_pipeline = -1;
  for (std::size_t pos = 0; pos < hand_out.size();) {
    const std::size_t end = hand_out.find('\n', pos);
    const std::string line = hand_out.substr(pos, end - pos);
    if (line.rfind("mqls|", 0) == 0) hand_mqls = std::atoll(line.c_str() + 5);
    if (line.rfind("pipeline|", 0) == 0) hand_pipeline = std::atoll(line.c_str() + 9);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  std::int64_t tandem_pipeline = 0;
  for (const auto& r : pack.attribution.result.rows) tandem_pipeline += r.pipeline_minor;
  const bool equal = hand_mqls == pack.sla.marketing.mqls && hand_pipeline == tandem_pipeline;

  bench::Shell(db, "SELECT COUNT(*) FROM contacts;", &out, "/tmp/tandem_weekly_bench.sql");
  const std::string contacts = out.substr(0, out.find('\n'));
  bench::Shell(db, "SELECT max(id) FROM events;", &out, "/tmp/tandem_weekly_bench.sql");
  const std::string events = out.substr(0, out.find('\n'));
  std::printf("contacts: %s; events: %s; week %s (%s to %s, %s); runs: %d (median, warm)\n",
              contacts.c_str(), events.c_str(), core::FormatIsoWeek(week).c_str(),
              core::FormatDate(pack.monday).c_str(), core::FormatDate(pack.sunday).c_str(),
              pack.time_zone.c_str(), runs);
  std::printf(
      "pack: %s; %zu goals, %zu reps, %lld MQLs, %zu reasons, %zu campaigns, %zu "
      "actions\n\n",
      pack.summary.c_str(), pack.goals.size(), pack.sla.sales.rows.size(),
      static_cast<long long>(pack.sla.marketing.mqls), pack.top_reasons.size(),
      pack.best_campaigns.size(), pack.actions.size());
  std::printf("| query | wall ms | CPU ms |\n| --- | ---: | ---: |\n");
  std::printf("| Tandem weekly pack (every block) | %.1f | %.1f |\n", tandem.wall, tandem.cpu);
  std::printf("| sqlite3 shell: the same figures by hand (7 statements) | %.1f | %.1f |\n",
              shell.wall, shell.cpu);
  std::printf("| sqlite3 shell: `SELECT 1` (process start) | %.1f | %.1f |\n", shell_empty.wall,
              shell_empty.cpu);
  std::printf("\nratio Tandem / hand-written shell (start subtracted): wall %.2f, CPU %.2f\n",
              tandem.wall / std::max(0.1, shell.wall - shell_empty.wall),
              tandem.cpu / std::max(0.1, shell.cpu - shell_empty.cpu));
  std::printf(
      "MQLs: Tandem %lld, by hand %lld; pipeline credited: Tandem %lld, by hand %lld "
      "(%s)\n",
      static_cast<long long>(pack.sla.marketing.mqls), static_cast<long long>(hand_mqls),
      static_cast<long long>(tandem_pipeline), static_cast<long long>(hand_pipeline),
      equal ? "equal" : "DIFFERENT");
  return equal ? 0 : 1;
}
