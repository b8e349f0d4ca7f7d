#include "support/pg_test_db.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "store/postgres/migrations.hpp"
#include "store/postgres/postgres_store.hpp"

namespace tandem::store::postgres::testdb {
namespace {

// Serialises the test processes that build the template ('tandem' 'tmpl' ...).
constexpr const char* kTemplateLock = "7809644331890189426";

bool Exec(Connection& conn, const std::string& sql) {
  auto r = conn.Exec(sql);
  EXPECT_TRUE(r) << sql << ": " << r.error().message;
  return static_cast<bool>(r);
}

// Creates the template once per cluster (test processes run in parallel: an advisory lock
// serialises them, and the template appears under its name only once fully migrated).
bool EnsureTemplate(Connection& admin) {
  const std::string name = TemplateName();
  if (!Exec(admin, std::string("SELECT pg_advisory_lock(") + kTemplateLock + ")")) return false;
  auto unlock = [&] {
    (void)admin.Exec(std::string("SELECT pg_advisory_unlock(") + kTemplateLock + ")");
  };
  auto exists = admin.Prepare("SELECT count(*) FROM pg_database WHERE datname = $1");
  if (!exists) return unlock(), false;
  exists->Bind(name);
  auto row = exists->Step();
  if (!row || !*row) return unlock(), false;
  if (exists->Int(0) == 0) {
    const std::string building = name + "_building";
    (void)admin.Exec("DROP DATABASE IF EXISTS " + building);
    if (!Exec(admin, "CREATE DATABASE " + building)) return unlock(), false;
    {
      auto store = OpenPostgresStore({WithDatabase(ServerUrl(), building), 2, nullptr});
      EXPECT_TRUE(store) << store.error().message;
      if (!store) return unlock(), false;
    }
    if (!Exec(admin, "ALTER DATABASE " + building + " RENAME TO " + name)) return unlock(), false;
  }
  unlock();
  return true;
}

}  // namespace

std::string ServerUrl() {
  const char* url = std::getenv("TANDEM_TEST_PG_URL");
  return url ? url : "";
}

bool Required() {
  const char* required = std::getenv("TANDEM_TEST_PG_REQUIRED");
  return required != nullptr && std::string(required) == "1";
}

std::string NoServerReason() {
  if (!ServerUrl().empty() || Required()) return "";
  return "TANDEM_TEST_PG_URL is not set: no PostgreSQL server to test against (scripts/test.sh "
         "starts one)";
}

std::string WithDatabase(const std::string& url, const std::string& database) {
  return UrlWithDatabase(url, database);
}

std::unique_ptr<Connection> Admin() {
  auto conn = Connection::Open(ServerUrl());
  EXPECT_TRUE(conn) << conn.error().message;
  return conn ? std::move(*conn) : nullptr;
}

std::string TemplateName() {
  std::uint64_t h = 1469598103934665603ULL;
  for (const auto& m : EmbeddedMigrations()) {
    for (char c : m.sql) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string("tandem_template_") + buf;
}

std::string NewDatabase(bool migrated) {
  if (ServerUrl().empty()) {
    ADD_FAILURE() << "TANDEM_TEST_PG_REQUIRED=1 but TANDEM_TEST_PG_URL is not set";
    return "";
  }
  auto admin = Admin();
  if (!admin || (migrated && !EnsureTemplate(*admin))) return "";
  static std::atomic<int> next{0};
  const std::string name =
      "tandem_test_" + std::to_string(getpid()) + "_" + std::to_string(next.fetch_add(1));
  (void)admin->Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  const std::string create =
      "CREATE DATABASE " + name + (migrated ? " TEMPLATE " + TemplateName() : std::string());
  if (!Exec(*admin, create)) return "";
  return name;
}

std::string DatabaseUrl(const std::string& name) {
  return WithDatabase(ServerUrl(), name);
}

void DropDatabase(const std::string& name) {
  if (auto admin = Admin()) (void)admin->Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

std::unique_ptr<ScratchStore> NewStore(int connections, base::Metrics* metrics,
                                       bool bulk_drop_indexes) {
  const std::string name = NewDatabase();
  if (name.empty()) return nullptr;
  auto store = OpenPostgresStore({DatabaseUrl(name), connections, metrics, bulk_drop_indexes});
  EXPECT_TRUE(store) << store.error().message;
  if (!store) {
    DropDatabase(name);
    return nullptr;
  }
  return std::make_unique<ScratchStore>(std::move(*store), name);
}

}  // namespace tandem::store::postgres::testdb
