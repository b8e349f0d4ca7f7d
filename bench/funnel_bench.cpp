// The funnel with a breakdown over a large base, against the same counts written by hand and
// run through the `sqlite3` shell, in the same run.
//
//   funnel_bench DB [RUNS]
//
// DB is a Tandem SQLite file (e.g. from `tandem demo --contacts 1000000 --db DB`); opening it
// applies pending migrations (0007 builds contact_reach from the history once). The period is
// the last 90 days of the history. Each figure is the median of RUNS (default 7) runs, warm
// cache. Prints a Markdown table.
#include <sys/resource.h>
#include <time.h>
#include <algorithm>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "app/analytics.hpp"
#include "base/clock.hpp"
#include "sqlite_shell.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace tandem;

using bench::ChildCpuMs;
using bench::CpuMs;
using bench::Median;
using bench::TimeMs;

// Runs `sql` through the sqlite3 shell (read-only); returns the wall time in ms.
double Shell(const std::string& db, const std::string& sql, std::string* output) {
  return bench::Shell(db, sql, output, "/tmp/tandem_funnel_bench.sql");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: funnel_bench DB [RUNS]\n";
    return 2;
  }
  const std::string db = argv[1];
  const int runs = argc > 2 ? std::atoi(argv[2]) : 7;
  std::unique_ptr<store::Store> store;
  const double open_ms = TimeMs([&] {
    auto s = store::sqlite::OpenSqliteStore({db, 2, nullptr});
    if (!s) {
      std::cerr << s.error().message << "\n";
      std::exit(1);
    }
    store = std::move(*s);
  });
  std::int64_t last_ms = 0;
  std::int64_t contacts = 0;
  (void)store->Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(contacts, tx.contacts().CountAll());
    return {};
  });
  {
    std::string out;
    Shell(db, "SELECT max(at) FROM stage_history;", &out);
    last_ms = std::atoll(out.c_str());
  }
  const std::int64_t to = last_ms + 1;
  const std::int64_t from = to - 90LL * 24 * 3600 * 1000;
  base::SystemClock clock;
  app::AnalyticsService svc(*store, clock);
  const core::Principal manager{1, "bench", core::Role::kManager, std::nullopt};

  std::map<int, double> cpu_of;
  auto run = [&](core::FunnelView view, core::FunnelBreakdown by) {
    app::FunnelRequest req;
    req.query.view = view;
    req.query.by = by;
    req.query.from = core::FromMillis(from);
    req.query.to = core::FromMillis(to);
    req.deal_size_minor = 10'000'00;
    req.planned = {{core::FunnelStep::kMqlSal, 0.6}};
    app::FunnelReport report;
    std::vector<double> t, cpu;
    for (int i = 0; i < runs; ++i) {
      const double c0 = CpuMs();
      t.push_back(TimeMs([&] {
        auto r = svc.Funnel(manager, req);
        if (!r) {
          std::cerr << r.error().message << "\n";
          std::exit(1);
        }
        report = std::move(*r);
      }));
      cpu.push_back(CpuMs() - c0);
    }
    cpu_of[static_cast<int>(view) * 10 + static_cast<int>(by)] = Median(cpu);
    return std::make_pair(Median(t), report);
  };

  // The cohort counts with a source breakdown written by hand over contact_reach, as one
  // statement: per stage the contacts reaching it in the period, per step those passing
  // within the window (what Tandem counts, less the hour histograms it also keeps).
  const std::string fs = std::to_string(from);
  const std::string ts = std::to_string(to);
  std::string hand = "SELECT c.source";
  for (int k = 0; k < 7; ++k) {
    const std::string rk = "f.r" + std::to_string(k);
    hand += ", SUM(" + rk + " >= " + fs + " AND " + rk + " < " + ts + ")";
    if (k < 6) {
      const std::string rn = "f.r" + std::to_string(k + 1);
      hand += ", SUM(" + rk + " >= " + fs + " AND " + rk + " < " + ts + " AND " + rn +
              " IS NOT NULL AND " + rn + " - " + rk + " <= 7776000000)";
    }
  }
  hand += " FROM contact_reach f JOIN contacts c ON c.id = f.contact_id WHERE f.r0 < " + ts +
          " AND coalesce(f.r6, f.r5, f.r4, f.r3, f.r2, f.r1, f.r0) >= " + fs + " GROUP BY 1;\n";
  // The same counts without the kept reach row: a GROUP BY over the whole history.
  std::string naive =
      "WITH h AS (SELECT contact_id, "
      "MIN(CASE WHEN to_stage IN ('mql','sal','sql','opportunity','customer') THEN at END) AS a, "
      "MIN(CASE WHEN to_stage IN ('sal','sql','opportunity','customer') THEN at END) AS b "
      "FROM stage_history GROUP BY contact_id) "
      "SELECT c.source, COUNT(*), SUM(b IS NOT NULL AND b - a <= 7776000000) FROM h JOIN "
      "contacts c ON c.id = h.contact_id WHERE a >= " +
      std::to_string(from) + " AND a < " + std::to_string(to) + " GROUP BY 1;\n";

  std::vector<double> shell_empty, shell_hand, shell_naive, cpu_empty, cpu_hand;
  for (int i = 0; i < runs; ++i) {
    const double c0 = ChildCpuMs();
    shell_empty.push_back(Shell(db, "SELECT 1;", nullptr));
    cpu_empty.push_back(ChildCpuMs() - c0);
  }
  for (int i = 0; i < runs; ++i) {
    const double c0 = ChildCpuMs();
    shell_hand.push_back(Shell(db, hand, nullptr));
    cpu_hand.push_back(ChildCpuMs() - c0);
  }
  for (int i = 0; i < std::max(1, runs / 2); ++i) shell_naive.push_back(Shell(db, naive, nullptr));

  const auto [cohort_source_ms, report] =
      run(core::FunnelView::kCohort, core::FunnelBreakdown::kSource);
  const auto [cohort_none_ms, r2] = run(core::FunnelView::kCohort, core::FunnelBreakdown::kNone);
  const auto [cohort_week_ms, r3] = run(core::FunnelView::kCohort, core::FunnelBreakdown::kWeek);
  const auto [period_source_ms, r4] =
      run(core::FunnelView::kPeriod, core::FunnelBreakdown::kSource);

  std::printf("contacts: %lld; period: last 90 days of history; runs: %d (median, warm)\n",
              static_cast<long long>(contacts), runs);
  std::printf("open (migrations included): %.0f ms\n\n", open_ms);
  auto cpu = [&](core::FunnelView v, core::FunnelBreakdown b) {
    return cpu_of[static_cast<int>(v) * 10 + static_cast<int>(b)];
  };
  using V = core::FunnelView;
  using B = core::FunnelBreakdown;
  std::printf("| query | wall ms | CPU ms |\n| --- | ---: | ---: |\n");
  std::printf("| Tandem funnel, cohort, by source | %.1f | %.1f |\n", cohort_source_ms,
              cpu(V::kCohort, B::kSource));
  std::printf("| Tandem funnel, cohort, no breakdown | %.1f | %.1f |\n", cohort_none_ms,
              cpu(V::kCohort, B::kNone));
  std::printf("| Tandem funnel, cohort, by week | %.1f | %.1f |\n", cohort_week_ms,
              cpu(V::kCohort, B::kWeek));
  std::printf("| Tandem funnel, period, by source | %.1f | %.1f |\n", period_source_ms,
              cpu(V::kPeriod, B::kSource));
  std::printf("| sqlite3 shell: same cohort counts by hand, one statement | %.1f | %.1f |\n",
              Median(shell_hand), Median(cpu_hand));
  std::printf("| sqlite3 shell: one step by GROUP BY over the whole history | %.1f | - |\n",
              Median(shell_naive));
  std::printf("| sqlite3 shell: `SELECT 1` (process start) | %.1f | %.1f |\n", Median(shell_empty),
              Median(cpu_empty));
  std::printf("\nratio Tandem / hand-written shell (start subtracted): wall %.2f, CPU %.2f\n",
              cohort_source_ms / std::max(0.1, Median(shell_hand) - Median(shell_empty)),
              cpu(V::kCohort, B::kSource) / std::max(0.1, Median(cpu_hand) - Median(cpu_empty)));
  std::printf("summary: %s\n", report.summary.c_str());
  std::printf("MQL -> SAL: %lld of %lld\n", static_cast<long long>(report.total.steps[2].passed),
              static_cast<long long>(report.total.steps[2].base));
  return 0;
}
