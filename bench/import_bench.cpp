// CSV import benchmark: `tandem import contacts` of HubSpot-shaped rows against sqlite3's own
// `.import` of the same file, measured in the same run.
//
// Writes TANDEM_BENCH_ROWS rows (default 1,000,000) shaped like a HubSpot contacts export
// (record id, names, email, phone, owner, lifecycle stage, lead status, create date, the
// "Became a ... Date" columns, company, source, country) to a temporary CSV; then, for each
// of TANDEM_BENCH_RUNS runs (default 3):
//   1. the import `tandem import contacts FILE --db fresh.db` runs (app::ContactImporter over
//      the file read in 1 MiB blocks, default options), in process, into a fresh SQLite file
//      holding 20 users (the owners named in the file);
//   2. the same with --dry-run on that database (read, parse, check, look up, no write);
//   3. `sqlite3 fresh2.db` with `.mode csv` and `.import FILE contacts` (an unindexed table of
//      text columns), run as a child process.
// Prints each run and the medians: rows/s for each and the ratio import / sqlite3.
//
// With TANDEM_BENCH_PG_URL (postgresql://user@host:port/db, a user who may create databases)
// each run also, on the same file:
//   4. imports it into a fresh PostgreSQL database holding the same 20 users (the same
//      importer, bulk mode with the indexes kept: the store's default);
//   5. the same with the store's bulk_drop_indexes (the indexes dropped and built again), unless
//      TANDEM_BENCH_PG_DROP=0;
//   6. `psql -c "\copy contacts from FILE csv header"` into a plain table of the file's 15
//      columns (text, no index) of a fresh database, as a child process: the reference.
// and prints their medians (wall clock: the server's work is in another process) with the ratios
// against psql \copy and against the SQLite import. TANDEM_BENCH_SQLITE=0 leaves the SQLite steps
// (1 to 3) out: PostgreSQL's import against psql \copy alone.
//
//   TANDEM_BENCH_ROWS=1000000 ./build-release/bench/import_bench
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "app/importer.hpp"
#include "base/clock.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const char* kFirst[] = {"James", "Mary",  "John", "Patricia", "Robert", "Jennifer", "Michael",
                        "Linda", "David", "Zoë",  "Carlos",   "Ana",    "Noah",     "Sofia",
                        "Liam",  "Emma",  "Yuki", "Li",       "Fatima", "Omar",     "Ingrid"};
const char* kSyllables[] = {"ka",  "lo",  "mi",  "ren", "sto", "vel", "an",  "dor", "ber", "tin",
                            "gar", "son", "ley", "mor", "qu",  "zel", "fen", "ri",  "wal", "ton"};
const char* kStages[] = {
    "subscriber",         "lead",        "lead",     "lead", "marketingqualifiedlead",
    "salesqualifiedlead", "opportunity", "customer", "Lead", "Marketing Qualified Lead"};
const char* kStatus[] = {"NEW", "OPEN", "IN_PROGRESS", "ATTEMPTED_TO_CONTACT", "CONNECTED", ""};
const char* kSources[] = {"Organic Search", "Paid Search",    "Paid Social",     "Email Marketing",
                          "Referrals",      "Direct Traffic", "Offline Sources", "Social Media"};
const char* kCountries[] = {"US", "GB", "DE", "FR", "SE", "United States", "Germany", ""};
constexpr int kUsers = 20;

std::int64_t EnvInt(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::max<std::int64_t>(1, std::atoll(v)) : fallback;
}

std::string Date(std::int64_t epoch_s) {
  std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

void WriteCsv(const std::string& path, std::int64_t rows) {
  std::mt19937_64 rng(7);
  std::ofstream f(path, std::ios::binary);
  std::string buf;
  buf.reserve(1 << 22);
  buf +=
      "Record ID,First Name,Last Name,Email,Phone Number,Contact owner,Lifecycle Stage,"
      "Lead Status,Create Date,Became a Lead Date,Became a Marketing Qualified Lead Date,"
      "Associated Company,Original Source,Country/Region,Marketing contact status\r\n";
  const std::int64_t base = 1'650'000'000;  // spring 2022
  for (std::int64_t i = 0; i < rows; ++i) {
    std::string last;
    for (int k = 0, n = 2 + static_cast<int>(rng() % 2); k < n; ++k) {
      last += kSyllables[rng() % std::size(kSyllables)];
    }
    last[0] = static_cast<char>(last[0] - 'a' + 'A');
    const std::string first = kFirst[rng() % std::size(kFirst)];
    const std::int64_t created = base + static_cast<std::int64_t>(rng() % (3 * 365 * 86400));
    const char* stage = kStages[rng() % std::size(kStages)];
    const bool qualified = std::string_view(stage).find("ualified") != std::string_view::npos ||
                           std::string_view(stage) == "opportunity" ||
                           std::string_view(stage) == "customer";
    const std::int64_t company = static_cast<std::int64_t>(rng() % 20000);
    buf += std::to_string(100000 + i);
    buf += ',';
    buf += first;
    buf += ',';
    buf += last;
    buf += ',';
    buf += first + "." + last + "." + std::to_string(i) + "@" +
           (rng() % 3 == 0 ? std::string("gmail.com")
                           : "company" + std::to_string(company) + ".example");
    buf += ",+1 555 " + std::to_string(1000000 + rng() % 9000000);
    buf += ",owner" + std::to_string(rng() % kUsers) + "@tandem.example,";
    buf += stage;
    buf += ',';
    buf += kStatus[rng() % std::size(kStatus)];
    buf += ',' + Date(created) + ',' + Date(created) + ',';
    if (qualified) buf += Date(created + static_cast<std::int64_t>(rng() % (60 * 86400)));
    buf += ",\"Company " + std::to_string(company) + ", Inc.\",";
    buf += kSources[rng() % std::size(kSources)];
    buf += ',';
    buf += kCountries[rng() % std::size(kCountries)];
    buf += rng() % 2 ? ",Marketing contact\r\n" : ",Non-marketing contact\r\n";
    if (buf.size() > (1 << 22) - 4096) {
      f << buf;
      buf.clear();
    }
  }
  f << buf;
}

core::Result<void> AddUsers(store::Store& store) {
  return store.Write([](store::Tx& tx) -> core::Result<void> {
    for (int i = 0; i < kUsers; ++i) {
      core::User u;
      u.email = "owner" + std::to_string(i) + "@tandem.example";
      u.name = "Owner " + std::to_string(i);
      u.role = core::Role::kSales;
      TANDEM_TRY(tx.users().Insert(u, ""));
    }
    return {};
  });
}

bool PrepareDb(const std::string& db) {
  auto store = store::sqlite::OpenSqliteStore(store::sqlite::SqliteSettings{.path = db});
  if (!store) {
    std::cerr << store.error().message << "\n";
    return false;
  }
  return AddUsers(**store).has_value();
}

// What `tandem import contacts FILE [--dry-run]` does, timed from opening the database to the
// last commit.
using StoreOpener = std::function<core::Result<std::unique_ptr<store::Store>>()>;

double TimeImportInto(const std::string& csv, const StoreOpener& open, bool dry_run);

double TimeImport(const std::string& csv, const std::string& db, bool dry_run) {
  return TimeImportInto(
      csv,
      [&] { return store::sqlite::OpenSqliteStore(store::sqlite::SqliteSettings{.path = db}); },
      dry_run);
}

double TimeImportInto(const std::string& csv, const StoreOpener& open, bool dry_run) {
  const auto start = Clock::now();
  auto store = open();
  if (!store) {
    std::cerr << store.error().message << "\n";
    std::exit(1);
  }
  base::SystemClock clock;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(csv.c_str(), "rb"), &std::fclose);
  std::vector<char> buffer(1 << 20);
  app::ChunkSource source = [&]() -> core::Result<std::string_view> {
    return std::string_view(buffer.data(), std::fread(buffer.data(), 1, buffer.size(), file.get()));
  };
  app::ImportOptions options;
  options.dry_run = dry_run;
  options.file_name = csv;
  // As `tandem import contacts` does: bulk mode chosen from the file's size (TANDEM_BENCH_BULK
  // = auto, the default, on or off).
  const char* bulk = std::getenv("TANDEM_BENCH_BULK");
  options.bulk = app::BulkModeFromString(bulk ? bulk : "auto").value_or(app::BulkMode::kAuto);
  options.size_hint = fs::file_size(csv);
  app::ContactImporter importer(**store, clock);
  auto summary =
      importer.Run(core::Principal{0, "bench", core::Role::kAdmin, std::nullopt}, source, options);
  store->reset();
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  if (!summary) {
    std::cerr << "import failed: " << summary.error().message << "\n";
    std::exit(1);
  }
  const auto& c = summary->counts;
  std::cout << "    " << (dry_run ? "dry run" : "import ") << (summary->bulk ? " (bulk mode)" : "")
            << ": rows " << c.rows << ", created " << c.created << ", updated " << c.updated
            << ", unchanged " << c.unchanged << ", skipped " << c.skipped << ", warnings "
            << c.warnings << "\n";
  return s;
}

double TimeSqlite3(const std::string& csv, const std::string& db) {
  const std::string cmd = "sqlite3 '" + db + "' '.mode csv' '.import " + csv + " contacts'";
  const auto start = Clock::now();
  int rc = std::system(cmd.c_str());
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  if (rc != 0) {
    std::cerr << "sqlite3 .import failed\n";
    std::exit(1);
  }
  return s;
}

// CPU seconds (user + system) of this process or of its waited-for children: on a shared
// machine the wall clock also counts the time other work held the cores.
double CpuSeconds(int who) {
  rusage u{};
  getrusage(who, &u);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

// The load averages of /proc/loadavg (1, 5, 15 minutes): how busy the shared machine was.
std::string LoadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string one, five, fifteen;
  f >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void RemoveDb(const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
}

// PostgreSQL (TANDEM_BENCH_PG_URL): `url` with its database replaced by `db`.
std::string WithDatabase(const std::string& url, const std::string& db) {
  const std::size_t query = url.find('?');
  const std::size_t slash = url.rfind('/', query);
  return url.substr(0, slash + 1) + db + (query == std::string::npos ? "" : url.substr(query));
}

// Drops and creates database `db` through the server of `url`.
void FreshPgDatabase(const std::string& url, const std::string& db) {
  auto admin = store::postgres::Connection::Open(url);
  if (!admin) {
    std::cerr << admin.error().message << "\n";
    std::exit(1);
  }
  for (const std::string& sql :
       {"DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db}) {
    if (auto r = (*admin)->Exec(sql); !r) {
      std::cerr << sql << ": " << r.error().message << "\n";
      std::exit(1);
    }
  }
}

void DropPgDatabase(const std::string& url, const std::string& db) {
  if (auto admin = store::postgres::Connection::Open(url)) {
    (void)(*admin)->Exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  }
}

// The Tandem import into a fresh database (migrated and holding the 20 users before the clock
// starts; the clock then runs from opening the store, as for SQLite).
double TimePgImport(const std::string& csv, const std::string& url, const std::string& db,
                    bool drop_indexes) {
  FreshPgDatabase(url, db);
  store::postgres::PostgresSettings settings;
  settings.url = WithDatabase(url, db);
  settings.bulk_drop_indexes = drop_indexes;
  {
    auto store = store::postgres::OpenPostgresStore(settings);
    if (!store || !AddUsers(**store)) {
      std::cerr << "cannot prepare the PostgreSQL database\n";
      std::exit(1);
    }
  }
  const double s = TimeImportInto(
      csv, [&] { return store::postgres::OpenPostgresStore(settings); }, false);
  DropPgDatabase(url, db);
  return s;
}

// psql's \copy of the file into a plain table of its columns, in a fresh database; the table is
// created before the clock starts.
double TimePsqlCopy(const std::string& csv, const std::string& url, const std::string& db) {
  FreshPgDatabase(url, db);
  const std::string target = WithDatabase(url, db);
  const std::string create =
      "psql -q -v ON_ERROR_STOP=1 '" + target +
      "' -c 'CREATE TABLE contacts (record_id text, first_name text, last_name text, email "
      "text, phone text, owner text, lifecycle_stage text, lead_status text, create_date text, "
      "became_lead text, became_mql text, company text, source text, country text, "
      "marketing_status text)'";
  if (std::system(create.c_str()) != 0) {
    std::cerr << "psql: creating the table failed\n";
    std::exit(1);
  }
  const std::string cmd = "psql -q -v ON_ERROR_STOP=1 '" + target +
                          "' -c \"\\copy contacts from '" + csv + "' csv header\"";
  const auto start = Clock::now();
  const int rc = std::system(cmd.c_str());
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  if (rc != 0) {
    std::cerr << "psql \\copy failed\n";
    std::exit(1);
  }
  DropPgDatabase(url, db);
  return s;
}

}  // namespace
}  // namespace tandem::bench

int main() {
  using namespace tandem::bench;
  std::cout << std::unitbuf;  // progress shows while a long run goes
  const std::int64_t rows = EnvInt("TANDEM_BENCH_ROWS", 1'000'000);
  const std::int64_t runs = EnvInt("TANDEM_BENCH_RUNS", 3);
  const fs::path dir =
      fs::temp_directory_path() / ("tandem-import-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string csv = (dir / "hubspot-crm-exports-all-contacts-2026-11-27.csv").string();
  auto t0 = Clock::now();
  WriteCsv(csv, rows);
  std::cout << "wrote " << rows << " rows, " << fs::file_size(csv) / (1 << 20) << " MiB in "
            << std::chrono::duration<double>(Clock::now() - t0).count() << " s: " << csv << "\n";

  std::vector<double> tandem_s, dry_s, sqlite_s, tandem_cpu, dry_cpu, sqlite_cpu;
  // TANDEM_BENCH_SQLITE=0 (with TANDEM_BENCH_PG_URL): PostgreSQL's import and psql \copy only.
  const char* sqlite_env = std::getenv("TANDEM_BENCH_SQLITE");
  const bool with_sqlite = sqlite_env == nullptr || std::string(sqlite_env) != "0";
  const char* pg_env = std::getenv("TANDEM_BENCH_PG_URL");
  const std::string pg_url = pg_env ? pg_env : "";
  const char* drop_env = std::getenv("TANDEM_BENCH_PG_DROP");
  const bool pg_drop = drop_env == nullptr || std::string(drop_env) != "0";
  const std::string pg_db = "tandem_import_bench_" + std::to_string(::getpid());
  std::vector<double> pg_s, pg_drop_s, psql_s;
  for (std::int64_t run = 0; run < runs; ++run) {
    const std::string db = (dir / "tandem.db").string();
    const std::string raw = (dir / "sqlite3.db").string();
    RemoveDb(db);
    RemoveDb(raw);
    if (!PrepareDb(db)) return 1;
    std::cout << "run " << run + 1 << " (load average " << LoadAverage() << "):\n";
    if (with_sqlite) {
      double cpu = CpuSeconds(RUSAGE_SELF);
      tandem_s.push_back(TimeImport(csv, db, false));
      tandem_cpu.push_back(CpuSeconds(RUSAGE_SELF) - cpu);
      cpu = CpuSeconds(RUSAGE_SELF);
      dry_s.push_back(TimeImport(csv, db, true));
      dry_cpu.push_back(CpuSeconds(RUSAGE_SELF) - cpu);
      cpu = CpuSeconds(RUSAGE_CHILDREN);
      sqlite_s.push_back(TimeSqlite3(csv, raw));
      sqlite_cpu.push_back(CpuSeconds(RUSAGE_CHILDREN) - cpu);
      std::cout << "    wall (cpu) s: tandem import " << tandem_s.back() << " ("
                << tandem_cpu.back() << "), dry run " << dry_s.back() << " (" << dry_cpu.back()
                << "), sqlite3 .import " << sqlite_s.back() << " (" << sqlite_cpu.back() << ")\n";
      RemoveDb(db);
      RemoveDb(raw);
    }
    if (!pg_url.empty()) {
      pg_s.push_back(TimePgImport(csv, pg_url, pg_db, false));
      if (pg_drop) pg_drop_s.push_back(TimePgImport(csv, pg_url, pg_db, true));
      psql_s.push_back(TimePsqlCopy(csv, pg_url, pg_db));
      std::cout << "    wall s: PostgreSQL import " << pg_s.back();
      if (pg_drop) std::cout << ", with the indexes dropped " << pg_drop_s.back();
      std::cout << ", psql \\copy " << psql_s.back() << "\n";
    }
  }
  const auto per_s = [&](double s) { return static_cast<long long>(rows / s); };
  auto line = [&](const char* what, const std::vector<double>& wall,
                  const std::vector<double>& cpu) {
    const double w = Median(wall), c = Median(cpu);
    std::printf("  %-26s wall %7.2f s %9lld rows/s   cpu %7.2f s %9lld rows/s\n", what, w, per_s(w),
                c, per_s(c));
  };
  std::printf("median of %lld runs, %lld rows (load average at the end %s):\n",
              static_cast<long long>(runs), static_cast<long long>(rows), LoadAverage().c_str());
  if (with_sqlite) {
    line("tandem import contacts", tandem_s, tandem_cpu);
    line("tandem import --dry-run", dry_s, dry_cpu);
    line("sqlite3 .import", sqlite_s, sqlite_cpu);
    std::printf("  ratio import / sqlite3     wall %.2f   cpu %.2f\n",
                Median(sqlite_s) / Median(tandem_s), Median(sqlite_cpu) / Median(tandem_cpu));
  }
  if (!pg_url.empty()) {
    auto pg_line = [&](const char* what, const std::vector<double>& wall) {
      const double w = Median(wall);
      std::printf("  %-34s wall %7.2f s %9lld rows/s   / psql \\copy %.2f   / SQLite import %.2f\n",
                  what, w, per_s(w), Median(psql_s) / w, with_sqlite ? Median(tandem_s) / w : 0.0);
    };
    pg_line("PostgreSQL import (indexes kept)", pg_s);
    if (pg_drop) pg_line("PostgreSQL import (indexes dropped)", pg_drop_s);
    pg_line("psql \\copy (reference)", psql_s);
  }
  fs::remove_all(dir);
  return 0;
}
