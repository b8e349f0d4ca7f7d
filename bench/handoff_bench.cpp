// The handoff end to end: routing decisions per second through the store, and the SLA
// scheduler with many open clocks (start-up rebuild, cost per due item).
//
// Part 1, routing. A temporary SQLite file (WAL) with the handoff contract (6 reps, round
// robin), TANDEM_BENCH_LEADS leads (default 20,000) created beforehand. Timed: each lead moved
// to mql by a manager through ContactService::ChangeStage, one transaction each: the stage
// change, its history and audit, the routing decision over the live roster (users, teams,
// absences, open loads, persisted cursors), the assignment, the owner change and its audit,
// and three SLA clocks. Reference in the same run: core::Router::Route alone (the pure
// decision, no store) over the same roster.
//
// Part 2, scheduler. TANDEM_BENCH_CLOCKS open clocks (default 1,000,000) inserted in
// transactions of 10,000 with due times spread uniformly over 30 days. Timed: SlaScheduler
// Rebuild (walks the open-clock index), then RunDue with a fake clock moved so that exactly
// TANDEM_BENCH_DUE clocks (default 1,000) are due: each is breached and its escalation chain
// planned (one step, notify owner after 0 h, which then runs too). The same is measured on a
// database holding only TANDEM_BENCH_SMALL open clocks (default 10,000): the cost per due item
// does not depend on how many clocks are not due. A RunDue with nothing due is timed as well.
// Reference in the same run: reading every clock's (due_at, id) from the table (a full scan,
// NOT INDEXED), what a scheduler without the partial index would read at start-up.
//
//   ./build-release/bench/handoff_bench
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "base/clock.hpp"
#include "jobs/sla_scheduler.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace tandem;
using Clock = std::chrono::steady_clock;

long EnvOr(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v ? std::atol(v) : fallback;
}

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void Check(const core::Result<void>& r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
}
template <class T>
T Must(core::Result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
  return std::move(*r);
}

std::string Contract(int reps, bool escalation) {
  std::string s = R"(name = "Bench"
[[parties]]
side = "marketing"
team = "Marketing"
head = "marketer@bench.example"
[[parties]]
side = "sales"
team = "Sales"
head = "manager@bench.example"
[mql]
rule = "grade A or B"
[marketing]
mql_quota = 10
quota_period = "week"
[sales]
first_touch_hours = 4
attempts = 3
attempts_within_days = 5
disposition_days = 2
[routing]
strategy = "round_robin"
)";
  for (int i = 0; i < reps; ++i) {
    s += "[[routing.reps]]\nemail = \"rep" + std::to_string(i) + "@bench.example\"\n";
  }
  s += R"([[rejection_reasons]]
code = "bad_timing"
label = "Bad timing"
next = "recycled"
)";
  if (escalation) s += "[[escalation]]\nafter_hours = 0\naction = \"notify_owner\"\n";
  s += R"([calendar]
time_zone = "Europe/Paris"
[calendar.hours]
monday = ["09:00-18:00"]
tuesday = ["09:00-18:00"]
wednesday = ["09:00-18:00"]
thursday = ["09:00-18:00"]
friday = ["09:00-18:00"]
)";
  return s;
}

struct World {
  std::filesystem::path path;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<base::FakeClock> clock;
  std::unique_ptr<app::Services> services;
  core::Principal admin, manager;
  std::vector<core::Id> reps;
};

World Open(const std::string& name, int reps, core::Instant t0) {
  World w;
  w.path = std::filesystem::temp_directory_path() /
           ("tandem-handoff-bench-" + std::to_string(::getpid()) + "-" + name + ".db");
  std::filesystem::remove(w.path);
  w.store =
      Must(store::sqlite::OpenSqliteStore(store::sqlite::SqliteSettings{.path = w.path.string()}),
           "open");
  w.clock = std::make_unique<base::FakeClock>(t0);
  w.services =
      std::make_unique<app::Services>(*w.store, *w.clock, app::PasswordSettings::Fastest());
  core::User admin;
  admin.email = "admin@bench.example";
  admin.name = "Admin";
  admin.role = core::Role::kAdmin;
  auto a = Must(w.services->users.Bootstrap(admin, "correct horse battery"), "admin");
  w.admin = {a.id, a.email, a.role, std::nullopt};
  auto make = [&](const std::string& email, core::Role role) {
    core::User u;
    u.email = email;
    u.name = "User";
    u.role = role;
    return Must(w.services->users.Create(w.admin, u, "correct horse battery"), "user");
  };
  auto m = make("manager@bench.example", core::Role::kManager);
  w.manager = {m.id, m.email, m.role, std::nullopt};
  for (int i = 0; i < reps; ++i) {
    w.reps.push_back(make("rep" + std::to_string(i) + "@bench.example", core::Role::kSales).id);
  }
  return w;
}

void Close(World& w) {
  w.services.reset();
  w.store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(w.path.string() + suffix);
  }
}

// ---------------------------------------------------------------------------------------------

void RoutingPart(long leads) {
  const core::Instant t0 = *core::ParseInstant("2026-11-23T09:00:00Z");
  World w = Open("routing", 6, t0);
  Must(w.services->contracts.ActivateAsOperator(Contract(6, true), std::nullopt, std::nullopt),
       "contract");
  std::vector<core::Id> ids;
  ids.reserve(leads);
  for (long i = 0; i < leads; ++i) {
    core::Contact c;
    c.email = "lead" + std::to_string(i) + "@client.example";
    ids.push_back(Must(w.services->contacts.Create(w.manager, c), "contact").id);
  }
  auto start = Clock::now();
  double cpu0 = CpuSeconds();
  for (core::Id id : ids) {
    w.clock->Advance(std::chrono::milliseconds(1));
    Must(w.services->contacts.ChangeStage(w.manager, id, core::Stage::kMql, ""), "mql");
  }
  double wall = Since(start), cpu = CpuSeconds() - cpu0;

  // Reference: the core decision alone over the same roster.
  std::vector<core::RepStatus> roster;
  core::RoutingConfig config;
  config.strategy = core::RoutingStrategy::kRoundRobin;
  for (int i = 0; i < 6; ++i) {
    std::string email = "rep" + std::to_string(i) + "@bench.example";
    config.reps.push_back({email, 1, std::nullopt});
    roster.push_back({w.reps[i], email, "", true, {}, 0});
  }
  core::Router router(config, roster);
  core::RoutingState state;
  core::RoutingRequest req;
  const core::Date today = *core::ParseDate("2026-11-23");
  const long ref_n = leads * 50;
  auto rstart = Clock::now();
  std::size_t sink = 0;
  for (long i = 0; i < ref_n; ++i) {
    req.contact_id = i;
    sink += router.Route(req, today, state).code.size();
  }
  double ref_wall = Since(rstart);
  std::printf(
      "routing end to end: %ld MQLs in %.2f s wall, %.2f s CPU: %.0f decisions/s wall, "
      "%.0f/s per CPU second (%.1f us CPU each)\n",
      leads, wall, cpu, leads / wall, leads / cpu, cpu / leads * 1e6);
  std::printf("reference, core Router::Route alone: %.0f decisions/s (%.2f us each; sink %zu)\n",
              ref_n / ref_wall, ref_wall / ref_n * 1e6, sink);
  std::printf("ratio end to end / core alone: %.4f\n", (leads / wall) / (ref_n / ref_wall));
  Close(w);
}

// ---------------------------------------------------------------------------------------------

struct SchedulerFigures {
  double insert_s = 0, rebuild_wall = 0, rebuild_cpu = 0, run_wall = 0, run_cpu = 0;
  double idle_ns = 0, scan_wall = 0;
  std::size_t pending = 0;
  int fired = 0;
};

SchedulerFigures SchedulerPart(const std::string& name, long clocks, long due) {
  SchedulerFigures f;
  const core::Instant t0 = *core::ParseInstant("2026-11-23T09:00:00Z");
  World w = Open(name, 1, t0);
  auto version =
      Must(w.services->contracts.ActivateAsOperator(Contract(1, true), std::nullopt, std::nullopt),
           "contract");
  core::Contact lead;
  lead.email = "lead@client.example";
  const core::Id contact = Must(w.services->contacts.Create(w.manager, lead), "contact").id;
  core::Id assignment = 0;
  Check(w.store->Write([&](store::Tx& tx) -> core::Result<void> {
    core::Assignment a;
    a.contact_id = contact;
    a.owner_id = w.reps[0];
    a.owner_email = "rep0@bench.example";
    a.rule = core::RoutingRule::kRoundRobin;
    a.code = "round_robin";
    a.contract_version_id = version.id;
    a.qualified_at = a.assigned_at = t0;
    TANDEM_ASSIGN(assignment, tx.handoff().InsertAssignment(a));
    return {};
  }),
        "assignment");
  // Due times uniform over 30 days after t0 + 1 h, sorted so that the first `due` are known.
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> spread(0, 30LL * 24 * 3600 * 1000);
  std::vector<std::int64_t> dues(clocks);
  for (auto& d : dues) d = core::ToMillis(t0 + std::chrono::hours(1)) + spread(rng);
  auto istart = Clock::now();
  for (long i = 0; i < clocks; i += 10'000) {
    Check(w.store->Write([&](store::Tx& tx) -> core::Result<void> {
      for (long j = i; j < std::min(clocks, i + 10'000); ++j) {
        core::SlaClock c;
        c.contact_id = contact;
        c.assignment_id = assignment;
        c.owner_id = w.reps[0];
        c.obligation = core::SlaObligation::kFirstTouch;
        c.contract_version_id = version.id;
        c.started_at = t0;
        c.due_at = core::FromMillis(dues[j]);
        TANDEM_TRY(tx.handoff().InsertClock(c));
      }
      return {};
    }),
          "clocks");
  }
  f.insert_s = Since(istart);
  std::vector<std::int64_t> sorted = dues;
  std::sort(sorted.begin(), sorted.end());

  // Reference: every clock's (due_at, id) read from the table itself.
  {
    sqlite3* db = nullptr;
    sqlite3_open_v2(w.path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT due_at, id FROM sla_clocks NOT INDEXED WHERE state = 'open'", -1,
                       &st, nullptr);
    auto s = Clock::now();
    std::int64_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) n += sqlite3_column_int64(st, 1) > 0;
    f.scan_wall = Since(s);
    sqlite3_finalize(st);
    if (name == "large") {
      sqlite3_prepare_v2(db,
                         "EXPLAIN QUERY PLAN SELECT due_at, id FROM sla_clocks INDEXED BY "
                         "sla_clocks_open_by_due WHERE state = 'open' AND (due_at, id) > (?, ?) "
                         "ORDER BY due_at, id LIMIT ?",
                         -1, &st, nullptr);
      while (sqlite3_step(st) == SQLITE_ROW) {
        std::printf("rebuild query plan: %s\n", sqlite3_column_text(st, 3));
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
  }

  jobs::SlaScheduler sched(w.services->handoff, *w.clock);
  w.services->handoff.SetDueListener(&sched);
  auto rstart = Clock::now();
  double rcpu = CpuSeconds();
  f.pending = Must(sched.Rebuild(), "rebuild");
  f.rebuild_wall = Since(rstart);
  f.rebuild_cpu = CpuSeconds() - rcpu;

  // Nothing due: what a wake-up costs.
  w.clock->Set(core::FromMillis(sorted.front() - 1));
  auto idle = Clock::now();
  for (int i = 0; i < 100'000; ++i) Must(sched.RunDue(), "idle");
  f.idle_ns = Since(idle) / 100'000 * 1e9;

  w.clock->Set(core::FromMillis(sorted[due - 1]));
  auto run = Clock::now();
  double cpu0 = CpuSeconds();
  f.fired = Must(sched.RunDue(), "run").fired;
  f.run_wall = Since(run);
  f.run_cpu = CpuSeconds() - cpu0;
  w.services->handoff.SetDueListener(nullptr);
  Close(w);
  return f;
}

void Print(const char* label, long clocks, long due, const SchedulerFigures& f) {
  std::printf(
      "%s: %ld open clocks inserted in %.1f s; rebuild %.3f s wall, %.3f s CPU (%zu items, "
      "%.0f ns each); full-table read of the same (reference) %.3f s; RunDue with nothing due "
      "%.0f ns; %ld due -> %d actions (breach + notify-owner step each) in %.3f s wall, %.3f s "
      "CPU: %.1f us wall, %.1f us CPU per due clock\n",
      label, clocks, f.insert_s, f.rebuild_wall, f.rebuild_cpu, f.pending,
      f.rebuild_wall / std::max<std::size_t>(1, f.pending) * 1e9, f.scan_wall, f.idle_ns, due,
      f.fired, f.run_wall, f.run_cpu, f.run_wall / due * 1e6, f.run_cpu / due * 1e6);
}

}  // namespace

int main() {
  const long leads = EnvOr("TANDEM_BENCH_LEADS", 20'000);
  const long clocks = EnvOr("TANDEM_BENCH_CLOCKS", 1'000'000);
  const long small = EnvOr("TANDEM_BENCH_SMALL", 10'000);
  const long due = EnvOr("TANDEM_BENCH_DUE", 1'000);
  RoutingPart(leads);
  auto s = SchedulerPart("small", small, due);
  Print("scheduler (small)", small, due, s);
  auto l = SchedulerPart("large", clocks, due);
  Print("scheduler (large)", clocks, due, l);
  std::printf("per due clock, large / small: %.2f (1.00 = independent of the clocks not due)\n",
              (l.run_cpu / due) / (s.run_cpu / due));
  return 0;
}
