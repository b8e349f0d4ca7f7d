// SLA compliance over a large base: ComplianceService::Report against a hand-written SQL
// statement of the first-touch on-time share per rep, in the same run and process.
//
//   compliance_bench DB [RUNS]
//
// DB is a Tandem SQLite file, e.g. a COPY of the 1M-contact demo (never the original: the
// bench writes into it). Opening it applies pending migrations. When it holds no contract, the
// documented example contract is activated, in force from a day before the first MQL. When it
// holds no assignment, one is made for every move into `mql` of the stage history (the demo's
// 1M base has about 300,000): the owner is one of the sales reps (by contact id), assigned
// 200 ms after qualifying, with the contract's three clocks (due times on its default
// calendar) and outcomes drawn from a fixed seed: 85% touched after an exponential delay (mean
// 3 business hours), 1-4 attempts, 70% accepted or rejected after up to 30 business hours;
// breaches at the due time, clocks still open when due after "now" (a day after the last MQL).
//
// Timed (median of RUNS, default 5, warm cache; wall and this process's CPU): the report over
// the last 90 days by rep, by team and by week and over the whole history (at most 366 days)
// by rep; the store's two reads alone; and the reference statement over the same 90 days.
// The reference's counts are checked against the report's total. Prints a Markdown table.
#include <sqlite3.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "app/contract_file.hpp"
#include "app/demo_setup.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "core/handoff.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace tandem;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

template <class T>
T Must(core::Result<T> r, const char* what) {
  if (!r) {
    std::cerr << what << ": " << r.error().message << "\n";
    std::exit(1);
  }
  return std::move(*r);
}

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::cerr << sql << ": " << (err ? err : "?") << "\n";
    std::exit(1);
  }
}

std::int64_t Scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  std::int64_t v = 0;
  if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

struct Timing {
  double wall_ms = 0;
  double cpu_ms = 0;
};

template <class F>
Timing Measure(int runs, F f) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < runs; ++i) {
    const double c0 = CpuMs();
    const auto t0 = Steady::now();
    f();
    wall.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
    cpu.push_back(CpuMs() - c0);
  }
  return {Median(wall), Median(cpu)};
}

// One assignment and its three clocks for every MQL, as the bench's header describes.
std::int64_t Populate(sqlite3* db, const core::Contract& contract, core::Id version,
                      core::Instant now) {
  auto cal = Must(contract.calendar.Build(), "calendar");
  std::vector<std::pair<core::Id, std::string>> reps;
  {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT id, email FROM users WHERE role = 'sales' ORDER BY id", -1, &s,
                       nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      reps.emplace_back(sqlite3_column_int64(s, 0),
                        reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    }
    sqlite3_finalize(s);
  }
  if (reps.empty()) {
    std::cerr << "no sales rep in the database\n";
    std::exit(1);
  }
  std::vector<std::pair<core::Id, std::int64_t>> mqls;
  {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(
        db, "SELECT contact_id, at FROM stage_history WHERE to_stage = 'mql' ORDER BY at, id", -1,
        &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      mqls.emplace_back(sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1));
    }
    sqlite3_finalize(s);
  }
  sqlite3_stmt* ins_a = nullptr;
  sqlite3_prepare_v2(
      db,
      "INSERT INTO handoff_assignments (contact_id, owner_id, owner_email, rule, code, text, "
      "contract_version_id, qualified_at, assigned_at, status, first_touch_at, attempts, ended_at) "
      "VALUES (?, ?, ?, 'round_robin', 'round_robin', 'bench', ?, ?, ?, ?, ?, ?, ?)",
      -1, &ins_a, nullptr);
  sqlite3_stmt* ins_c = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO sla_clocks (contact_id, assignment_id, owner_id, obligation, "
                     "contract_version_id, started_at, due_at, target, progress, met_at, "
                     "breached_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     -1, &ins_c, nullptr);
  auto bind_opt = [](sqlite3_stmt* s, int i, const std::optional<core::Instant>& t) {
    if (t) {
      sqlite3_bind_int64(s, i, core::ToMillis(*t));
    } else {
      sqlite3_bind_null(s, i);
    }
  };
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0, 1);
  std::exponential_distribution<double> delay(1.0 / 180.0);  // business minutes
  Exec(db, "BEGIN");
  for (const auto& [contact, at] : mqls) {
    const auto& [owner, email] = reps[static_cast<std::size_t>(contact) % reps.size()];
    const core::Instant assigned = core::FromMillis(at + 200);
    auto clocks = core::PlanSlaClocks(contract.sales, cal, assigned);
    std::optional<core::Instant> touch;
    int attempts = 0;
    if (u(rng) < 0.85) {
      touch = cal.Add(assigned, milliseconds(static_cast<std::int64_t>(delay(rng) * 60000)));
      if (*touch > now) touch.reset();
    }
    if (touch) attempts = 1 + static_cast<int>(rng() % 4);
    std::optional<core::Instant> disposed;
    if (u(rng) < 0.7) {
      disposed = cal.Add(assigned, milliseconds(static_cast<std::int64_t>(u(rng) * 30 * 3600000)));
      if (*disposed > now) disposed.reset();
    }
    sqlite3_bind_int64(ins_a, 1, contact);
    sqlite3_bind_int64(ins_a, 2, owner);
    sqlite3_bind_text(ins_a, 3, email.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins_a, 4, version);
    sqlite3_bind_int64(ins_a, 5, at);
    sqlite3_bind_int64(ins_a, 6, core::ToMillis(assigned));
    sqlite3_bind_text(ins_a, 7, disposed ? "accepted" : "open", -1, SQLITE_STATIC);
    bind_opt(ins_a, 8, touch);
    sqlite3_bind_int(ins_a, 9, attempts);
    bind_opt(ins_a, 10, disposed);
    if (sqlite3_step(ins_a) != SQLITE_DONE) {
      std::cerr << "insert assignment: " << sqlite3_errmsg(db) << "\n";
      std::exit(1);
    }
    sqlite3_reset(ins_a);
    const std::int64_t assignment = sqlite3_last_insert_rowid(db);
    for (const auto& c : clocks) {
      std::optional<core::Instant> met;
      int progress = 0;
      switch (c.obligation) {
        case core::SlaObligation::kFirstTouch:
          met = touch;
          progress = touch ? 1 : 0;
          break;
        case core::SlaObligation::kAttempts:
          progress = attempts;
          if (attempts >= c.target) met = *touch + std::chrono::hours(attempts);
          break;
        case core::SlaObligation::kDisposition:
          met = disposed;
          progress = disposed ? 1 : 0;
          break;
      }
      std::optional<core::Instant> breached;
      if ((!met || *met > c.due_at) && c.due_at <= now) {
        breached = c.due_at;
        met.reset();  // a clock met after its breach stays breached
      }
      if (met && *met > now) met.reset();
      const char* state = met ? "met" : breached ? "breached" : "open";
      sqlite3_bind_int64(ins_c, 1, contact);
      sqlite3_bind_int64(ins_c, 2, assignment);
      sqlite3_bind_int64(ins_c, 3, owner);
      sqlite3_bind_text(ins_c, 4, std::string(core::ToString(c.obligation)).c_str(), -1,
                        SQLITE_TRANSIENT);
      sqlite3_bind_int64(ins_c, 5, version);
      sqlite3_bind_int64(ins_c, 6, core::ToMillis(assigned));
      sqlite3_bind_int64(ins_c, 7, core::ToMillis(c.due_at));
      sqlite3_bind_int(ins_c, 8, c.target);
      sqlite3_bind_int(ins_c, 9, progress);
      bind_opt(ins_c, 10, met);
      bind_opt(ins_c, 11, breached);
      sqlite3_bind_text(ins_c, 12, state, -1, SQLITE_STATIC);
      if (sqlite3_step(ins_c) != SQLITE_DONE) {
        std::cerr << "insert clock: " << sqlite3_errmsg(db) << "\n";
        std::exit(1);
      }
      sqlite3_reset(ins_c);
    }
  }
  Exec(db, "COMMIT");
  sqlite3_finalize(ins_a);
  sqlite3_finalize(ins_c);
  return static_cast<std::int64_t>(mqls.size());
}

// The reference: first-touch on time and missed per rep, written by hand.
constexpr const char* kReference =
    "SELECT a.owner_id, "
    "SUM(k.breached_at IS NULL AND k.met_at IS NOT NULL AND k.met_at <= k.due_at), "
    "SUM(k.breached_at IS NOT NULL OR (k.met_at IS NOT NULL AND k.met_at > k.due_at) OR "
    "(k.met_at IS NULL AND ((k.cancelled_at IS NOT NULL AND k.cancelled_at >= k.due_at) OR "
    "(k.cancelled_at IS NULL AND k.due_at <= ?3)))) "
    "FROM handoff_assignments a JOIN sla_clocks k ON k.assignment_id = a.id "
    "AND k.obligation = 'first_touch' "
    "WHERE a.assigned_at >= ?1 AND a.assigned_at < ?2 AND a.owner_id IS NOT NULL "
    "GROUP BY a.owner_id";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: compliance_bench DB [RUNS]\n";
    return 2;
  }
  const std::string path = argv[1];
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;

  auto store =
      Must(store::sqlite::OpenSqliteStore(store::sqlite::SqliteSettings{.path = path}), "open");
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::cerr << "cannot open " << path << "\n";
    return 1;
  }
  sqlite3_busy_timeout(db, 60000);
  const std::int64_t first_mql =
      Scalar(db, "SELECT MIN(at) FROM stage_history WHERE to_stage = 'mql'");
  const std::int64_t last_mql =
      Scalar(db, "SELECT MAX(at) FROM stage_history WHERE to_stage = 'mql'");
  const core::Instant now = core::FromMillis(last_mql) + std::chrono::hours(24);
  base::FakeClock clock(core::FromMillis(first_mql) - std::chrono::hours(24));
  app::Services services(*store, clock, app::PasswordSettings::Fastest());

  const auto contract = [] {
    auto parsed = app::ParseContract(app::ExampleContract());
    if (!parsed) {
      std::cerr << "the example contract does not parse\n";
      std::exit(1);
    }
    return *parsed;
  }();
  core::Id version = Scalar(db, "SELECT MIN(id) FROM contract_versions");
  if (version == 0) {
    version = Must(services.contracts.ActivateAsOperator(app::ExampleContract(), std::nullopt,
                                                         std::nullopt),
                   "activate")
                  .id;
  }
  clock.Set(now);
  std::int64_t assignments = Scalar(db, "SELECT COUNT(*) FROM handoff_assignments");
  if (assignments == 0) {
    const auto t0 = Steady::now();
    assignments = Populate(db, contract, version, now);
    std::cerr << "made " << assignments << " assignments with their clocks in "
              << std::chrono::duration<double>(Steady::now() - t0).count() << " s\n";
    Exec(db, "ANALYZE");
  }
  const std::int64_t clocks = Scalar(db, "SELECT COUNT(*) FROM sla_clocks");

  const core::Principal admin{0, "bench", core::Role::kAdmin, std::nullopt};
  const core::Date last_day = std::chrono::floor<std::chrono::days>(now - std::chrono::hours(24));
  const core::Date from90 = last_day - std::chrono::days(89);
  const core::Date from_all =
      std::max(std::chrono::floor<std::chrono::days>(core::FromMillis(first_mql)),
               last_day - std::chrono::days(365));

  app::ComplianceView view;
  auto report = [&](core::Date from, core::ComplianceBreakdown by) {
    view = Must(services.compliance.Report(admin, from, last_day, by), "report");
  };
  report(from90, core::ComplianceBreakdown::kRep);  // warms the cache and the parsed terms
  const app::ComplianceView v90 = view;

  struct Line {
    std::string what;
    Timing t;
  };
  std::vector<Line> lines;
  lines.push_back({"Tandem report, 90 days, by rep",
                   Measure(runs, [&] { report(from90, core::ComplianceBreakdown::kRep); })});
  lines.push_back({"Tandem report, 90 days, by team",
                   Measure(runs, [&] { report(from90, core::ComplianceBreakdown::kTeam); })});
  lines.push_back({"Tandem report, 90 days, by week",
                   Measure(runs, [&] { report(from90, core::ComplianceBreakdown::kWeek); })});
  lines.push_back({"Tandem report, whole history, by rep",
                   Measure(runs, [&] { report(from_all, core::ComplianceBreakdown::kRep); })});
  const app::ComplianceView vall = view;
  std::size_t read_leads = 0, read_mqls = 0;
  lines.push_back({"store reads alone (ComplianceLeads + MqlsBetween), 90 days", Measure(runs, [&] {
                     (void)store->Read([&](store::Tx& tx) -> core::Result<void> {
                       TANDEM_ASSIGN(auto leads,
                                     tx.handoff().ComplianceLeads(v90.start, v90.end, {}));
                       TANDEM_ASSIGN(auto mqls, tx.handoff().MqlsBetween(v90.start, v90.end));
                       read_leads = leads.size();
                       read_mqls = mqls.size();
                       return {};
                     });
                   })});

  std::int64_t ref_on_time = 0, ref_missed = 0;
  sqlite3_stmt* ref = nullptr;
  if (sqlite3_prepare_v2(db, kReference, -1, &ref, nullptr) != SQLITE_OK) {
    std::cerr << "reference: " << sqlite3_errmsg(db) << "\n";
    return 1;
  }
  lines.push_back(
      {"reference: hand-written SQL, first-touch on time per rep, 90 days", Measure(runs, [&] {
         ref_on_time = ref_missed = 0;
         sqlite3_bind_int64(ref, 1, core::ToMillis(v90.start));
         sqlite3_bind_int64(ref, 2, core::ToMillis(v90.end));
         sqlite3_bind_int64(ref, 3, core::ToMillis(now));
         while (sqlite3_step(ref) == SQLITE_ROW) {
           ref_on_time += sqlite3_column_int64(ref, 1);
           ref_missed += sqlite3_column_int64(ref, 2);
         }
         sqlite3_reset(ref);
       })});
  sqlite3_finalize(ref);

  const auto& ft = v90.sales.total.first_touch;
  const bool same = ft.on_time == ref_on_time && ft.missed == ref_missed;
  std::printf("\nDB %s: %lld assignments, %lld clocks; now = %s; %d runs (median)\n", path.c_str(),
              static_cast<long long>(assignments), static_cast<long long>(clocks),
              core::FormatInstant(now).c_str(), runs);
  std::printf(
      "90 days %s..%s (%s): %lld leads, %zu MQLs read, first touch on time %lld / missed "
      "%lld (%.1f%%), p50 %.0f / p90 %.0f business minutes; marketing %lld MQLs, "
      "attainment %.2f\n",
      core::FormatDate(v90.from).c_str(), core::FormatDate(v90.to).c_str(), v90.time_zone.c_str(),
      static_cast<long long>(v90.sales.total.leads), read_mqls, static_cast<long long>(ft.on_time),
      static_cast<long long>(ft.missed), ft.share.value_or(0) * 100,
      v90.sales.total.response_p50_minutes.value_or(-1),
      v90.sales.total.response_p90_minutes.value_or(-1), static_cast<long long>(v90.marketing.mqls),
      v90.marketing.attainment.value_or(-1));
  std::printf("whole history %s..%s: %lld leads\n", core::FormatDate(vall.from).c_str(),
              core::FormatDate(vall.to).c_str(), static_cast<long long>(vall.sales.total.leads));
  std::printf(
      "cross-check against the reference: %s (reference %lld on time, %lld missed; "
      "store read %zu leads)\n\n",
      same ? "same counts" : "DIFFERENT COUNTS", static_cast<long long>(ref_on_time),
      static_cast<long long>(ref_missed), read_leads);
  std::printf("| what | wall ms | CPU ms |\n| --- | ---: | ---: |\n");
  for (const auto& l : lines) {
    std::printf("| %s | %.1f | %.1f |\n", l.what.c_str(), l.t.wall_ms, l.t.cpu_ms);
  }
  const double ref_wall = lines.back().t.wall_ms;
  std::printf("\nratio Tandem (90 days, by rep) / reference: wall %.2f, CPU %.2f\n",
              lines[0].t.wall_ms / ref_wall, lines[0].t.cpu_ms / lines.back().t.cpu_ms);
  sqlite3_close(db);
  return same ? 0 : 1;
}
