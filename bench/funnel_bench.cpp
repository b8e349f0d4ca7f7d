// The funnel with a breakdown over a large base, against the same counts written by hand and
// run through the `sqlite3` shell, in the same run.
//
//   funnel_bench DB [RUNS]
//
// DB is a Tandem SQLite file (e.g. from `tandem demo --contacts 1000000 --db DB`); opening it
// applies pending migrations (0007 builds contact_reach from the history once). The period is
// the last 90 days of the history. Each figure is the median of RUNS (default 7) runs, warm
// cache. Prints a Markdown table.
//
// With TANDEM_BENCH_PG_URL (postgresql://user@host:port/db, a user who may create databases),
// the same data is then moved into a fresh database on that server, as `tandem migrate-data
// --from sqlite:DB --to URL` does (app::MoveData: every table copied, contact_reach built from
// the history, checked, ANALYZEd; the move is timed), and the same funnel requests run on the
// PostgreSQL store, with the same hand-written counts as their reference (one statement sent
// through libpq on its own connection, the rows read and dropped: no process start to
// subtract). Prints a second table; the database is dropped at the end.
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
#include "app/migrate_data.hpp"
#include "base/clock.hpp"
#include "sqlite_shell.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/table_target.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/table_source.hpp"

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

// The load averages of /proc/loadavg (1, 5, 15 minutes): how busy the shared machine was.
std::string LoadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string one, five, fifteen;
  f >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

void PgAdmin(const std::string& url, const std::string& sql) {
  auto admin = store::postgres::Connection::Open(url);
  if (!admin) {
    std::cerr << admin.error().message << "\n";
    std::exit(1);
  }
  if (auto r = (*admin)->Exec(sql); !r) {
    std::cerr << sql << ": " << r.error().message << "\n";
    std::exit(1);
  }
}

// The four funnel requests of the table, each the median of `runs` (wall and this process's
// CPU, in ms).
struct Timing {
  double wall = 0, cpu = 0;
};
struct FunnelTimes {
  Timing cohort_source, cohort_none, cohort_week, period_source;
  app::FunnelReport report;  // cohort by source
};

FunnelTimes MeasureFunnels(store::Store& store, std::int64_t from, std::int64_t to, int runs) {
  base::SystemClock clock;
  app::AnalyticsService svc(store, clock);
  const core::Principal manager{1, "bench", core::Role::kManager, std::nullopt};
  FunnelTimes out;
  auto run = [&](core::FunnelView view, core::FunnelBreakdown by, app::FunnelReport* keep) {
    app::FunnelRequest req;
    req.query.view = view;
    req.query.by = by;
    req.query.from = core::FromMillis(from);
    req.query.to = core::FromMillis(to);
    req.deal_size_minor = 10'000'00;
    req.planned = {{core::FunnelStep::kMqlSal, 0.6}};
    std::vector<double> t, cpu;
    for (int i = 0; i < runs; ++i) {
      const double c0 = CpuMs();
      t.push_back(TimeMs([&] {
        auto r = svc.Funnel(manager, req);
        if (!r) {
          std::cerr << r.error().message << "\n";
          std::exit(1);
        }
        if (keep) *keep = std::move(*r);
      }));
      cpu.push_back(CpuMs() - c0);
    }
    return Timing{Median(t), Median(cpu)};
  };
  using V = core::FunnelView;
  using B = core::FunnelBreakdown;
  out.cohort_source = run(V::kCohort, B::kSource, &out.report);
  out.cohort_none = run(V::kCohort, B::kNone, nullptr);
  out.cohort_week = run(V::kCohort, B::kWeek, nullptr);
  out.period_source = run(V::kPeriod, B::kSource, nullptr);
  return out;
}

// The cohort counts with a source breakdown written by hand over contact_reach, as one
// statement: per stage the contacts reaching it in the period, per step those passing within
// the window (what Tandem counts, less the hour histograms it also keeps). `postgres`: counted
// with FILTER (PostgreSQL has no SUM of a boolean).
std::string HandStatement(std::int64_t from, std::int64_t to, bool postgres) {
  const std::string fs = std::to_string(from);
  const std::string ts = std::to_string(to);
  auto count = [&](const std::string& cond) {
    return postgres ? ", count(*) FILTER (WHERE " + cond + ")" : ", SUM(" + cond + ")";
  };
  std::string hand = "SELECT c.source";
  for (int k = 0; k < 7; ++k) {
    const std::string rk = "f.r" + std::to_string(k);
    hand += count(rk + " >= " + fs + " AND " + rk + " < " + ts);
    if (k < 6) {
      const std::string rn = "f.r" + std::to_string(k + 1);
      hand += count(rk + " >= " + fs + " AND " + rk + " < " + ts + " AND " + rn +
                    " IS NOT NULL AND " + rn + " - " + rk + " <= 7776000000");
    }
  }
  hand += " FROM contact_reach f JOIN contacts c ON c.id = f.contact_id WHERE f.r0 < " + ts +
          " AND coalesce(f.r6, f.r5, f.r4, f.r3, f.r2, f.r1, f.r0) >= " + fs + " GROUP BY 1;\n";
  return hand;
}

// PostgreSQL beside SQLite: the data of `db` moved into a fresh database on the server of
// `admin_url`, then the same requests and the hand-written reference.
int RunOnPostgres(const std::string& admin_url, const std::string& db, std::int64_t from,
                  std::int64_t to, int runs, const FunnelTimes& sqlite) {
  const std::string name = "tandem_funnel_bench_" + std::to_string(::getpid());
  const std::string url = store::postgres::UrlWithDatabase(admin_url, name);
  PgAdmin(admin_url, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  PgAdmin(admin_url, "CREATE DATABASE " + name);
  int rc = 0;
  const double move_ms = TimeMs([&] {
    auto source = store::sqlite::OpenTableSource(db);
    if (!source) {
      std::cerr << source.error().message << "\n";
      rc = 1;
      return;
    }
    auto target = store::postgres::OpenTableTarget(url);
    if (!target) {
      std::cerr << target.error().message << "\n";
      rc = 1;
      return;
    }
    auto report = app::MoveData(**source, **target,
                                [](std::string_view, const std::string&, std::int64_t) {});
    if (!report || !report->committed) {
      std::cerr << "the move failed: " << (report ? "tables differ" : report.error().message)
                << "\n";
      rc = 1;
    }
  });
  if (rc == 0) {
    auto opened = store::postgres::OpenPostgresStore({.url = url, .connections = 2});
    if (!opened) {
      std::cerr << opened.error().message << "\n";
      rc = 1;
    } else {
      const FunnelTimes pg = MeasureFunnels(**opened, from, to, runs);
      opened->reset();
      // The reference: the hand-written statement sent as it is on one connection (the rows,
      // one per source, read by libpq and dropped).
      const std::string hand = HandStatement(from, to, true);
      std::vector<double> by_hand;
      auto conn = store::postgres::Connection::Open(url);
      for (int i = 0; conn && i < runs; ++i) {
        by_hand.push_back(TimeMs([&] {
          if (auto r = (*conn)->Exec(hand); !r) {
            std::cerr << "the hand-written statement failed: " << r.error().message << "\n";
            std::exit(1);
          }
        }));
      }
      if (!conn) {
        std::cerr << conn.error().message << "\n";
        std::exit(1);
      }
      conn->reset();
      const double hand_ms = Median(by_hand);
      std::printf("\nPostgreSQL (%s): the data moved in by app::MoveData in %.1f s\n\n",
                  name.c_str(), move_ms / 1000);
      std::printf(
          "| query | PostgreSQL wall ms | this process's CPU ms | SQLite wall ms (above) | "
          "PostgreSQL / SQLite |\n| --- | ---: | ---: | ---: | ---: |\n");
      auto line = [](const char* what, const Timing& p, const Timing& s) {
        std::printf("| %s | %.1f | %.1f | %.1f | %.2f |\n", what, p.wall, p.cpu, s.wall,
                    p.wall / std::max(0.1, s.wall));
      };
      line("Tandem funnel, cohort, by source", pg.cohort_source, sqlite.cohort_source);
      line("Tandem funnel, cohort, no breakdown", pg.cohort_none, sqlite.cohort_none);
      line("Tandem funnel, cohort, by week", pg.cohort_week, sqlite.cohort_week);
      line("Tandem funnel, period, by source", pg.period_source, sqlite.period_source);
      std::printf("| libpq: same cohort counts by hand, one statement | %.1f | - | - | - |\n",
                  hand_ms);
      std::printf("\nratio Tandem cohort by source / hand-written statement: wall %.2f\n",
                  pg.cohort_source.wall / std::max(0.1, hand_ms));
      std::printf("summary: %s\nload average: %s\n", pg.report.summary.c_str(),
                  LoadAverage().c_str());
      const auto& a = sqlite.report.total.steps[2];
      const auto& b = pg.report.total.steps[2];
      std::printf("MQL -> SAL: %lld of %lld (SQLite: %lld of %lld)\n",
                  static_cast<long long>(b.passed), static_cast<long long>(b.base),
                  static_cast<long long>(a.passed), static_cast<long long>(a.base));
      if (a.passed != b.passed || a.base != b.base) {
        std::cerr << "the two backends count differently\n";
        rc = 1;
      }
    }
  }
  PgAdmin(admin_url, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  return rc;
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

  const std::string hand = HandStatement(from, to, false);
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

  const FunnelTimes t = MeasureFunnels(*store, from, to, runs);
  const app::FunnelReport& report = t.report;

  std::printf("contacts: %lld; period: last 90 days of history; runs: %d (median, warm)\n",
              static_cast<long long>(contacts), runs);
  std::printf("open (migrations included): %.0f ms; load average %s\n\n", open_ms,
              LoadAverage().c_str());
  std::printf("| query | wall ms | CPU ms |\n| --- | ---: | ---: |\n");
  std::printf("| Tandem funnel, cohort, by source | %.1f | %.1f |\n", t.cohort_source.wall,
              t.cohort_source.cpu);
  std::printf("| Tandem funnel, cohort, no breakdown | %.1f | %.1f |\n", t.cohort_none.wall,
              t.cohort_none.cpu);
  std::printf("| Tandem funnel, cohort, by week | %.1f | %.1f |\n", t.cohort_week.wall,
              t.cohort_week.cpu);
  std::printf("| Tandem funnel, period, by source | %.1f | %.1f |\n", t.period_source.wall,
              t.period_source.cpu);
  std::printf("| sqlite3 shell: same cohort counts by hand, one statement | %.1f | %.1f |\n",
              Median(shell_hand), Median(cpu_hand));
  std::printf("| sqlite3 shell: one step by GROUP BY over the whole history | %.1f | - |\n",
              Median(shell_naive));
  std::printf("| sqlite3 shell: `SELECT 1` (process start) | %.1f | %.1f |\n", Median(shell_empty),
              Median(cpu_empty));
  std::printf("\nratio Tandem / hand-written shell (start subtracted): wall %.2f, CPU %.2f\n",
              t.cohort_source.wall / std::max(0.1, Median(shell_hand) - Median(shell_empty)),
              t.cohort_source.cpu / std::max(0.1, Median(cpu_hand) - Median(cpu_empty)));
  std::printf("summary: %s\n", report.summary.c_str());
  std::printf("MQL -> SAL: %lld of %lld\n", static_cast<long long>(report.total.steps[2].passed),
              static_cast<long long>(report.total.steps[2].base));
  store.reset();
  const char* pg = std::getenv("TANDEM_BENCH_PG_URL");
  if (pg != nullptr && *pg != '\0') return RunOnPostgres(pg, db, from, to, runs, t);
  return 0;
}
