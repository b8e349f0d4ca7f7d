// Durable event ingest through HTTP, against the raw SQLite insert loop of the same rows.
//
// One process: a temporary SQLite file (WAL) with TANDEM_BENCH_CONTACTS contacts (default
// 20,000), the real composition (services, Api, Beast HttpServer on 127.0.0.1, 8 I/O threads),
// and TANDEM_BENCH_CLIENTS client threads (default 4), each with one keep-alive libcurl
// connection, POSTing batches of TANDEM_BENCH_BATCH events (default 500) to /api/v1/events with
// an ingest-scoped API key until TANDEM_BENCH_EVENTS events (default 1,000,000) are sent.
// The request bodies are generated before the clock starts: random UUID event ids, 85% known
// contacts' emails, 14% anonymous visitors (a pool of 50,000), 1% new emails (new leads), the
// seven built-in types, UTM fields and a small properties object; instants spread over the
// last hour.
//
// In the same run, while the load runs, a probe thread measures "event to visible through the
// API": it POSTs one event for a probe contact and then GETs the contact's events until the
// event is listed; the latency is from the POST's start to that answer. With scoring wired in
// (an EventSink that moves contacts to mql), the probe sends a demo_request and waits for the
// contact's stage to read mql instead (TANDEM_BENCH_MQL=1).
//
// Reference, same run: the rows the server stored are read back and inserted again with a
// plain sqlite3 prepared-statement loop into a fresh database with the same schema (same
// migrations, same indexes), in transactions of the same batch size, with the same PRAGMAs.
// Reported: events/s through HTTP, rows/s for the raw loop, their ratio, p50/p99 request
// latency and the probe's p50/p99.
//
// With TANDEM_BENCH_PG_URL (postgresql://user@host:port/db, a user who may create databases and
// is a superuser, as the tests' throw-away cluster's) the same load runs against a server on
// PostgreSQL instead: a fresh database on that server (dropped at the end), the store's pool of
// 8 connections as `tandem serve` opens it. The reference is then raw libpq: the stored rows read
// back and inserted again into a second fresh database of the same schema (same migrations,
// same indexes, the months' partitions made before the clock starts), one multi-row
// `INSERT ... VALUES ... ON CONFLICT DO NOTHING` of the batch's rows per transaction, with
// foreign keys not checked (session_replication_role = replica), as the SQLite reference runs
// with foreign_keys=OFF. The CPU time of the PostgreSQL backends (from /proc: the server runs on
// the same machine) is reported beside the bench process's.
//
//   TANDEM_BENCH_EVENTS=1000000 ./build-release/bench/ingest_bench
//   TANDEM_BENCH_PG_URL=postgresql://postgres@127.0.0.1:PORT/postgres ./build/bench/ingest_bench
#include <curl/curl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/api.hpp"
#include "api/http_server.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "base/metrics.hpp"
#include "bench_util.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::bench {
namespace {

const char* kTypes[] = {"page_view",   "page_view",        "page_view", "email_open",
                        "email_click", "content_download", "webinar",   "form_submit"};
const char* kSources[] = {"google", "linkedin", "newsletter", "partner", "bing", ""};
const char* kMediums[] = {"cpc", "paid_social", "email", "referral", "organic", ""};
const char* kPages[] = {"/",          "/pricing", "/blog/smarketing-sla", "/product",
                        "/customers", "/demo",    "/docs/getting-started"};

struct Row {
  std::int64_t id;
  std::string event_id, type;
  std::int64_t occurred_at, received_at;
  std::optional<std::int64_t> contact_id;
  std::string email, anonymous_id, src, med, camp, props;
};

// The raw reference: the same rows into a fresh database of the same schema, batch by batch.
struct RawResult {
  double rows_per_second = 0;
  double cpu_seconds = 0;
};

RawResult RawInsert(const std::string& path, const std::vector<Row>& rows, std::size_t batch) {
  {
    // The same schema, through the store's migrations; then closed.
    auto store = Must(store::sqlite::OpenSqliteStore({.path = path}), "open reference store");
  }
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db) == SQLITE_OK, "open reference db");
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF; "
               "PRAGMA cache_size=-262144; PRAGMA mmap_size=1073741824; PRAGMA temp_store=MEMORY",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  Check(sqlite3_prepare_v3(db,
                           "INSERT INTO events (event_id, type, occurred_at, received_at, "
                           "contact_id, email, anonymous_id, utm_source, utm_medium, "
                           "utm_campaign, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT (occurred_at, event_id) DO NOTHING",
                           -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) == SQLITE_OK,
        "prepare reference insert");
  const auto start = Steady::now();
  const double cpu0 = ThreadCpuSeconds();
  for (std::size_t i = 0; i < rows.size(); i += batch) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (std::size_t j = i; j < std::min(rows.size(), i + batch); ++j) {
      const Row& r = rows[j];
      sqlite3_bind_text(st, 1, r.event_id.data(), static_cast<int>(r.event_id.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(st, 2, r.type.data(), static_cast<int>(r.type.size()), SQLITE_STATIC);
      sqlite3_bind_int64(st, 3, r.occurred_at);
      sqlite3_bind_int64(st, 4, r.received_at);
      if (r.contact_id) {
        sqlite3_bind_int64(st, 5, *r.contact_id);
      } else {
        sqlite3_bind_null(st, 5);
      }
      sqlite3_bind_text(st, 6, r.email.data(), static_cast<int>(r.email.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 7, r.anonymous_id.data(), static_cast<int>(r.anonymous_id.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(st, 8, r.src.data(), static_cast<int>(r.src.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 9, r.med.data(), static_cast<int>(r.med.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 10, r.camp.data(), static_cast<int>(r.camp.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 11, r.props.data(), static_cast<int>(r.props.size()), SQLITE_STATIC);
      Check(sqlite3_step(st) == SQLITE_DONE, "reference insert");
      sqlite3_reset(st);
    }
    Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK, "reference commit");
  }
  const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
  const double cpu = ThreadCpuSeconds() - cpu0;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return {static_cast<double>(rows.size()) / seconds, cpu};
}

std::vector<Row> ReadBack(const std::string& path) {
  sqlite3* db = nullptr;
  Check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK,
        "open for read-back");
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT id, event_id, type, occurred_at, received_at, contact_id, email, "
                     "anonymous_id, utm_source, utm_medium, utm_campaign, properties FROM events "
                     "ORDER BY id",
                     -1, &st, nullptr);
  std::vector<Row> rows;
  auto text = [&](int c) {
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c)),
                       static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
  };
  while (sqlite3_step(st) == SQLITE_ROW) {
    Row r;
    r.id = sqlite3_column_int64(st, 0);
    r.event_id = text(1);
    r.type = text(2);
    r.occurred_at = sqlite3_column_int64(st, 3);
    r.received_at = sqlite3_column_int64(st, 4);
    if (sqlite3_column_type(st, 5) != SQLITE_NULL) r.contact_id = sqlite3_column_int64(st, 5);
    r.email = text(6);
    r.anonymous_id = text(7);
    r.src = text(8);
    r.med = text(9);
    r.camp = text(10);
    r.props = text(11);
    rows.push_back(std::move(r));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

// PostgreSQL (TANDEM_BENCH_PG_URL). Drops and creates database `db` on the server of `url`.
void FreshPgDatabase(const std::string& url, const std::string& db) {
  auto admin = Must(store::postgres::Connection::Open(url), "connect to PostgreSQL");
  for (const std::string& sql :
       {"DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db}) {
    auto done = admin->Exec(sql);
    Check(done.has_value(), sql + ": " + (done ? "" : done.error().message));
  }
}

void DropPgDatabase(const std::string& url, const std::string& db) {
  if (auto admin = store::postgres::Connection::Open(url)) {
    (void)(*admin)->Exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  }
}

using PgConn = std::unique_ptr<PGconn, void (*)(PGconn*)>;

PgConn PgConnect(const std::string& url) {
  PgConn c(PQconnectdb(url.c_str()), &PQfinish);
  Check(PQstatus(c.get()) == CONNECTION_OK,
        std::string("connect to PostgreSQL: ") + PQerrorMessage(c.get()));
  return c;
}

void PgExec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const auto status = PQresultStatus(r);
  const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  PQclear(r);
  Check(ok, sql.substr(0, 80) + ": " + PQerrorMessage(c));
}

// CPU seconds (user + system) of process `pid` (a PostgreSQL backend on this machine); 0 once it
// is gone.
double PidCpuSeconds(int pid) {
  std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (!f) return 0;
  char buf[1024] = {0};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  const std::string stat(buf, n);
  std::size_t i = stat.rfind(')');
  if (i == std::string::npos) return 0;
  // Fields after the command's closing parenthesis: state is field 3; utime 14, stime 15.
  i += 2;
  for (int field = 3; field < 14 && i < stat.size(); ++field) i = stat.find(' ', i) + 1;
  const double utime = std::strtod(stat.c_str() + i, nullptr);
  const double stime = std::strtod(stat.c_str() + stat.find(' ', i) + 1, nullptr);
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The summed CPU seconds of the server processes serving database `db` (its backends).
double PgBackendsCpuSeconds(const std::string& url, const std::string& db) {
  PgConn c = PgConnect(url);
  PGresult* r =
      PQexec(c.get(), ("SELECT pid FROM pg_stat_activity WHERE datname = '" + db + "'").c_str());
  double sum = 0;
  if (PQresultStatus(r) == PGRES_TUPLES_OK) {
    for (int i = 0; i < PQntuples(r); ++i) sum += PidCpuSeconds(std::atoi(PQgetvalue(r, i, 0)));
  }
  PQclear(r);
  return sum;
}

std::vector<Row> PgReadBack(const std::string& url) {
  PgConn c = PgConnect(url);
  PGresult* r = PQexec(c.get(),
                       "SELECT id, event_id, type, occurred_at, received_at, contact_id, email, "
                       "anonymous_id, utm_source, utm_medium, utm_campaign, properties FROM events "
                       "ORDER BY id");
  Check(PQresultStatus(r) == PGRES_TUPLES_OK, std::string("read back: ") + PQerrorMessage(c.get()));
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(PQntuples(r)));
  for (int i = 0; i < PQntuples(r); ++i) {
    auto text = [&](int col) { return std::string(PQgetvalue(r, i, col)); };
    Row row;
    row.id = std::atoll(PQgetvalue(r, i, 0));
    row.event_id = text(1);
    row.type = text(2);
    row.occurred_at = std::atoll(PQgetvalue(r, i, 3));
    row.received_at = std::atoll(PQgetvalue(r, i, 4));
    if (!PQgetisnull(r, i, 5)) row.contact_id = std::atoll(PQgetvalue(r, i, 5));
    row.email = text(6);
    row.anonymous_id = text(7);
    row.src = text(8);
    row.med = text(9);
    row.camp = text(10);
    row.props = text(11);
    rows.push_back(std::move(row));
  }
  PQclear(r);
  return rows;
}

// The PostgreSQL reference: the rows into database `db` (fresh, migrated here) of the server of
// `admin_url`, one multi-row INSERT per batch, one transaction each.
RawResult PgRawInsert(const std::string& admin_url, const std::string& db,
                      const std::vector<Row>& rows, std::size_t batch) {
  constexpr int kColumns = 11;
  Check(batch * kColumns <= 65535, "TANDEM_BENCH_BATCH too large for one statement");
  FreshPgDatabase(admin_url, db);
  const std::string url = store::postgres::UrlWithDatabase(admin_url, db);
  {
    // The same schema, through the store's migrations; then closed.
    Must(store::postgres::OpenPostgresStore({.url = url, .connections = 2}),
         "open reference store");
  }
  PgConn conn = PgConnect(url);
  PGconn* c = conn.get();
  PgExec(c, "SET session_replication_role = replica");
  // The months' partitions, as the store makes them before its first insert into a month.
  std::set<std::int64_t> days;
  for (const Row& r : rows) days.insert(r.occurred_at / 86'400'000);
  for (std::int64_t day : days) {
    PgExec(c, "SELECT tandem_events_partition(" + std::to_string(day * 86'400'000) + ")");
  }
  auto sql = [&](std::size_t n) {
    std::string out =
        "INSERT INTO events (event_id, type, occurred_at, received_at, contact_id, email, "
        "anonymous_id, utm_source, utm_medium, utm_campaign, properties) VALUES ";
    int p = 0;
    for (std::size_t r = 0; r < n; ++r) {
      out += r ? ", (" : "(";
      for (int k = 0; k < kColumns; ++k) out += (k ? ", $" : "$") + std::to_string(++p);
      out += ')';
    }
    return out + " ON CONFLICT (occurred_at, event_id) DO NOTHING";
  };
  const std::size_t tail = rows.size() % batch;
  for (const auto& [name, n] :
       {std::pair<const char*, std::size_t>{"full", batch}, {"tail", tail}}) {
    if (n == 0) continue;
    PGresult* r = PQprepare(c, name, sql(n).c_str(), 0, nullptr);
    Check(PQresultStatus(r) == PGRES_COMMAND_OK, std::string("prepare: ") + PQerrorMessage(c));
    PQclear(r);
  }
  const int backend = PQbackendPID(c);
  const double backend_cpu0 = PidCpuSeconds(backend);
  const auto start = Steady::now();
  const double cpu0 = ThreadCpuSeconds();
  std::vector<std::string> ints;
  std::vector<const char*> values;
  for (std::size_t i = 0; i < rows.size(); i += batch) {
    const std::size_t end = std::min(rows.size(), i + batch);
    ints.assign((end - i) * 3, std::string());
    values.clear();
    for (std::size_t j = i; j < end; ++j) {
      const Row& r = rows[j];
      std::string* n = &ints[(j - i) * 3];
      n[0] = std::to_string(r.occurred_at);
      n[1] = std::to_string(r.received_at);
      if (r.contact_id) n[2] = std::to_string(*r.contact_id);
      for (const char* v :
           {r.event_id.c_str(), r.type.c_str(), n[0].c_str(), n[1].c_str(),
            r.contact_id ? n[2].c_str() : nullptr, r.email.c_str(), r.anonymous_id.c_str(),
            r.src.c_str(), r.med.c_str(), r.camp.c_str(), r.props.c_str()}) {
        values.push_back(v);
      }
    }
    PgExec(c, "BEGIN");
    PGresult* r =
        PQexecPrepared(c, end - i == batch ? "full" : "tail", static_cast<int>(values.size()),
                       values.data(), nullptr, nullptr, 0);
    Check(PQresultStatus(r) == PGRES_COMMAND_OK,
          std::string("reference insert: ") + PQerrorMessage(c));
    PQclear(r);
    PgExec(c, "COMMIT");
  }
  const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
  const double cpu = ThreadCpuSeconds() - cpu0 + PidCpuSeconds(backend) - backend_cpu0;
  conn.reset();
  DropPgDatabase(admin_url, db);
  return {static_cast<double>(rows.size()) / seconds, cpu};
}

int Main() {
  const std::int64_t contacts = Env("TANDEM_BENCH_CONTACTS", 20'000);
  const std::int64_t total = Env("TANDEM_BENCH_EVENTS", 1'000'000);
  const auto batch = static_cast<std::size_t>(Env("TANDEM_BENCH_BATCH", 500));
  const int clients = static_cast<int>(Env("TANDEM_BENCH_CLIENTS", 4));
  const int io_threads = static_cast<int>(Env("TANDEM_BENCH_IO_THREADS", 8));
  const bool mql = Env("TANDEM_BENCH_MQL", 0) != 0;

  const fs::path dir = fs::temp_directory_path() / ("tandem-ingest-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "ingest.db").string();
  curl_global_init(CURL_GLOBAL_DEFAULT);

  base::SystemClock clock;
  base::Metrics metrics;
  const char* pg_env = std::getenv("TANDEM_BENCH_PG_URL");
  const std::string pg_admin = pg_env ? pg_env : "";
  const bool pg = !pg_admin.empty();
  const std::string pg_db = "tandem_ingest_bench_" + std::to_string(getpid());
  const std::string pg_url = pg ? store::postgres::UrlWithDatabase(pg_admin, pg_db) : "";
  std::unique_ptr<store::Store> store;
  if (pg) {
    std::printf("backend: PostgreSQL, database %s\n", pg_db.c_str());
    FreshPgDatabase(pg_admin, pg_db);
    store = Must(
        store::postgres::OpenPostgresStore({.url = pg_url, .connections = 8, .metrics = &metrics}),
        "open store");
  } else {
    // TANDEM_BENCH_CHECKPOINT_PAGES=0 leaves checkpoints to SQLite, inside the writer's commits.
    const auto checkpoint_pages = static_cast<int>(
        Env("TANDEM_BENCH_CHECKPOINT_PAGES", store::sqlite::SqliteSettings{}.checkpoint_pages));
    std::printf("backend: SQLite; write-ahead log checkpoints: %s\n",
                checkpoint_pages > 0
                    ? ("own thread, every " + std::to_string(checkpoint_pages) + " pages").c_str()
                    : "SQLite's, in the commit");
    store = Must(store::sqlite::OpenSqliteStore(
                     {.path = path, .metrics = &metrics, .checkpoint_pages = checkpoint_pages}),
                 "open store");
  }
  auto services = std::make_unique<app::Services>(*store, clock, app::PasswordSettings::Fastest());
  core::User admin;
  admin.email = "admin@bench.example";
  admin.name = "Admin";
  admin.role = core::Role::kAdmin;
  admin = Must(services->users.Bootstrap(admin, "correct horse battery"), "bootstrap");
  const core::Principal root{admin.id, admin.email, admin.role, std::nullopt};
  const std::string key =
      Must(services->auth.CreateApiKey(root, "site", {core::Scope::kIngest}), "api key").secret;
  const std::string reader =
      Must(services->auth.CreateApiKey(root, "probe", {core::Scope::kRead}), "api key").secret;

  // Contacts, loaded straight through the store in large transactions.
  std::vector<std::string> emails;
  const core::Instant now = clock.Now();
  for (std::int64_t i = 0; i < contacts; i += 10'000) {
    Check(store
              ->Write([&](store::Tx& tx) -> core::Result<void> {
                for (std::int64_t j = i; j < std::min(contacts, i + 10'000); ++j) {
                  core::Contact c;
                  c.email = "person" + std::to_string(j) + "@company" + std::to_string(j % 997) +
                            ".example";
                  c.first_name = "Person";
                  c.last_name = std::to_string(j);
                  c.stage = core::Stage::kLead;
                  c.created_at = c.updated_at = c.stage_entered_at = now;
                  TANDEM_ASSIGN(c.id, tx.contacts().Insert(c));
                  emails.push_back(c.email);
                }
                return {};
              })
              .has_value(),
          "load contacts");
  }

  // Request bodies.
  std::mt19937_64 rng(20261127);
  const std::size_t requests = static_cast<std::size_t>(
      (total + static_cast<std::int64_t>(batch) - 1) / static_cast<std::int64_t>(batch));
  std::vector<std::string> bodies;
  bodies.reserve(requests);
  const std::int64_t now_ms = core::ToMillis(now);
  std::int64_t sent = 0;
  for (std::size_t r = 0; r < requests; ++r) {
    std::string body = "{\"events\":[";
    for (std::size_t i = 0; i < batch && sent < total; ++i, ++sent) {
      if (i) body += ',';
      const std::uint64_t roll = rng() % 100;
      std::string who;
      if (roll < 85) {
        who = "\"email\":\"" + emails[rng() % emails.size()] + "\"";
      } else if (roll < 99) {
        who = "\"anonymous_id\":\"v-" + std::to_string(rng() % 50'000) + "\"";
      } else {
        who = "\"email\":\"new" + std::to_string(sent) + "@fresh.example\"";
      }
      const std::int64_t at = now_ms - 3'600'000 +
                              (sent * 3'600'000) / std::max<std::int64_t>(1, total) +
                              static_cast<std::int64_t>(rng() % 1000);
      body += "{\"event_id\":\"" + Uuid(rng) + "\",\"type\":\"" + kTypes[rng() % 8] +
              "\",\"occurred_at\":\"" + core::FormatInstant(core::FromMillis(at)) + "\"," + who +
              ",\"utm_source\":\"" + kSources[rng() % 6] + "\",\"utm_medium\":\"" +
              kMediums[rng() % 6] + "\",\"utm_campaign\":\"q4-" + std::to_string(rng() % 20) +
              "\",\"properties\":{\"url\":\"" + kPages[rng() % 7] +
              "\",\"session\":" + std::to_string(rng() % 100000) + "}}";
    }
    body += "]}";
    bodies.push_back(std::move(body));
  }
  std::size_t bytes = 0;
  for (const auto& b : bodies) bytes += b.size();

  api::Api api(*services, metrics, clock);
  api::HttpServerSettings http;
  http.host = "127.0.0.1";
  http.port = 0;
  http.threads = io_threads;
  http.max_body_bytes = 8u << 20;
  api::HttpServer server(api, http);
  const unsigned short port = Must(server.Start(), "start server");
  const std::string base = "http://127.0.0.1:" + std::to_string(port);

  // The probe contact.
  std::int64_t probe_id = 0;
  {
    Http h(key);
    Check(h.Post(base + "/api/v1/events",
                 "{\"event_id\":\"probe-0\",\"type\":\"page_view\",\"occurred_at\":\"" +
                     core::FormatInstant(clock.Now()) + "\",\"email\":\"probe@bench.example\"}") ==
              200,
          "probe setup: " + h.out);
    Check(store->Read([&](store::Tx& tx) -> core::Result<void> {
                 TANDEM_ASSIGN(auto c, tx.contacts().FindByEmail("probe@bench.example"));
                 probe_id = c ? c->id : 0;
                 return {};
               }).has_value() &&
              probe_id > 0,
          "probe contact");
  }

  std::atomic<std::size_t> next{0};
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::mutex mu;
  std::vector<double> latencies_ms, probe_ms;
  std::string first_error;
  double client_cpu = 0;  // guarded by mu
  const double writer_cpu0 = NamedThreadCpuSeconds("tandem-ingest");
  const double backends_cpu0 = pg ? PgBackendsCpuSeconds(pg_admin, pg_db) : 0;
  const double process_cpu0 = ProcessCpuSeconds();
  const auto start = Steady::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      Http h(key);
      std::vector<double> mine;
      for (;;) {
        const std::size_t i = next.fetch_add(1);
        if (i >= bodies.size()) break;
        const auto t0 = Steady::now();
        const long status = h.Post(base + "/api/v1/events", bodies[i]);
        mine.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
        if (status != 200 || h.out.find("\"rejected\":0") == std::string::npos) {
          std::lock_guard lock(mu);
          if (first_error.empty())
            first_error = std::to_string(status) + " " + h.out.substr(0, 300);
          ++errors;
        }
      }
      std::lock_guard lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      client_cpu += ThreadCpuSeconds();
    });
  }
  std::thread probe([&] {
    Http post(key);
    Http get(reader);
    const std::string contact_url = base + "/api/v1/contacts/" + std::to_string(probe_id);
    for (int n = 1; !done.load(); ++n) {
      const std::string id = "probe-" + std::to_string(n);
      const auto t0 = Steady::now();
      const long status =
          post.Post(base + "/api/v1/events",
                    std::string("{\"event_id\":\"") + id + "\",\"type\":\"" +
                        (mql ? "demo_request" : "page_view") + "\",\"occurred_at\":\"" +
                        core::FormatInstant(clock.Now()) + "\",\"email\":\"probe@bench.example\"}");
      if (status != 200) {
        ++errors;
        continue;
      }
      for (int tries = 0; tries < 1000; ++tries) {
        if (mql) {
          if (get.Get(contact_url) == 200 &&
              get.out.find("\"stage\":\"mql\"") != std::string::npos) {
            break;
          }
        } else if (get.Get(contact_url + "/events?limit=1") == 200 &&
                   get.out.find(id + "\"") != std::string::npos) {
          break;
        }
      }
      probe_ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::lock_guard lock(mu);
    client_cpu += ThreadCpuSeconds();
  });
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
  done = true;
  probe.join();
  const double writer_cpu = NamedThreadCpuSeconds("tandem-ingest") - writer_cpu0;
  const double server_cpu = ProcessCpuSeconds() - process_cpu0 - client_cpu;
  const double backends_cpu = pg ? PgBackendsCpuSeconds(pg_admin, pg_db) - backends_cpu0 : 0;
  const auto group = services->ingest.stats();
  server.Stop();
  if (errors.load() > 0)
    std::fprintf(stderr, "errors: %d, first: %s\n", errors.load(), first_error.c_str());

  services.reset();
  store.reset();
  auto rows = pg ? PgReadBack(pg_url) : ReadBack(path);
  if (pg) DropPgDatabase(pg_admin, pg_db);
  const double http_rate = static_cast<double>(total) / seconds;
  const std::string ref_path = (dir / "reference.db").string();
  // Only the load's rows (not the probe's), in the order they were stored.
  std::vector<Row> load_rows;
  load_rows.reserve(rows.size());
  for (auto& r : rows) {
    if (r.email != "probe@bench.example") load_rows.push_back(std::move(r));
  }
  char backends_note[64] = "";
  if (pg) {
    std::snprintf(backends_note, sizeof backends_note, ", PostgreSQL backends %.2f us",
                  backends_cpu / static_cast<double>(total) * 1e6);
  }
  const RawResult raw = pg ? PgRawInsert(pg_admin, pg_db + "_ref", load_rows, batch)
                           : RawInsert(ref_path, load_rows, batch);
  const double raw_rate = raw.rows_per_second;
  const double n = static_cast<double>(total);
  std::printf(
      "events=%lld stored=%zu contacts=%lld batch=%zu clients=%d io_threads=%d body_MiB=%.1f\n"
      "http: %.2f s, %.0f events/s, request p50 %.1f ms p99 %.1f ms\n"
      "%s (same rows, same schema, batches of %zu): %.0f rows/s\n"
      "ratio http/raw: %.2f\n"
      "event to %s through the API under load: p50 %.1f ms, p99 %.1f ms (%zu probes)\n"
      "cpu per event: server %.2f us (writer thread %.2f us)%s, raw loop %.2f us per row\n"
      "cpu-bound capacity: writer alone %.0f events/s; server on 2 dedicated cores %.0f "
      "events/s; raw loop %.0f rows/s; writer/raw cpu ratio %.2f\n"
      "group commit: %llu transactions, %.0f events each on average\n"
      "load average at the end: %s\n"
      "errors: %d\n",
      static_cast<long long>(total), load_rows.size(), static_cast<long long>(contacts), batch,
      clients, io_threads, static_cast<double>(bytes) / (1 << 20), seconds, http_rate,
      Percentile(latencies_ms, 0.5), Percentile(latencies_ms, 0.99),
      pg ? "raw libpq multi-row INSERT, PostgreSQL backend's CPU included"
         : "raw sqlite insert loop",
      batch, raw_rate, http_rate / raw_rate, mql ? "MQL visible" : "visible",
      Percentile(probe_ms, 0.5), Percentile(probe_ms, 0.99), probe_ms.size(), server_cpu / n * 1e6,
      writer_cpu / n * 1e6, backends_note, raw.cpu_seconds / n * 1e6, n / writer_cpu,
      std::min(n / writer_cpu, 2 * n / server_cpu), n / raw.cpu_seconds,
      writer_cpu / raw.cpu_seconds, static_cast<unsigned long long>(group.commits),
      group.commits ? static_cast<double>(group.events) / static_cast<double>(group.commits) : 0.0,
      LoadAverage().c_str(), errors.load());
  if (!pg) PrintCheckpoints(metrics);
  fs::remove_all(dir);
  curl_global_cleanup();
  return errors.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace tandem::bench

int main() {
  return tandem::bench::Main();
}
