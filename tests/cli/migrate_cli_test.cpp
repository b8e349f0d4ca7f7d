// `tandem migrate-data`: a demo company moved from SQLite into an empty PostgreSQL database and
// checked; a non-empty target and a target lacking a table refused; a row changed on the target
// found by --check-only; the PostgreSQL store reading the same contacts and funnel as SQLite's.
//
// They need a server: TANDEM_TEST_PG_URL (a database on a server where the user may create
// databases); without it they skip, unless TANDEM_TEST_PG_REQUIRED=1 (scripts/test.sh), then
// they fail. Each test moves into a database of its own, dropped afterwards.
#include <unistd.h>

#include <cstdlib>
#include <map>

#include "cli_fixture.hpp"
#include "core/lifecycle.hpp"
#include "core/time.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::cli::clitest {
namespace {

using store::postgres::Connection;

std::string ServerUrl() {
  const char* url = std::getenv("TANDEM_TEST_PG_URL");
  return url ? url : "";
}

bool Required() {
  const char* required = std::getenv("TANDEM_TEST_PG_REQUIRED");
  return required != nullptr && std::string(required) == "1";
}

// Whether this build's PostgreSQL schema has every table SQLite's has: until PostgreSQL's
// migration 0018 (privacy: consents, contacts.erased_at) lands, migrate-data refuses every
// current SQLite database, naming `consents` (tested below by RefusesATargetLackingATable).
bool PostgresHasPrivacy() {
  for (const auto& m : store::postgres::EmbeddedMigrations()) {
    if (m.version == 18) return true;
  }
  return false;
}

class MigrateDataTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    if (ServerUrl().empty()) {
      if (Required()) FAIL() << "TANDEM_TEST_PG_REQUIRED=1 but TANDEM_TEST_PG_URL is not set";
      GTEST_SKIP() << "TANDEM_TEST_PG_URL is not set: no PostgreSQL server to test against "
                      "(scripts/test.sh starts one)";
    }
    auto admin = Connection::Open(ServerUrl());
    ASSERT_TRUE(admin) << admin.error().message;
    admin_ = std::move(*admin);
    static int next = 0;
    database_ = "tandem_migrate_" + std::to_string(::getpid()) + "_" + std::to_string(next++);
    (void)admin_->Exec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    ASSERT_TRUE(admin_->Exec("CREATE DATABASE " + database_));
    url_ = store::postgres::UrlWithDatabase(ServerUrl(), database_);
  }

  void TearDown() override {
    if (admin_) (void)admin_->Exec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    CliFixture::TearDown();
  }

  void Demo(int contacts = 400) {
    auto r = Tandem({"demo", "--db", db_, "--contacts", std::to_string(contacts), "--days", "90",
                     "--seed", "7"});
    ASSERT_EQ(r.code, 0) << r.err;
  }

  Output Move(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"migrate-data", "--from", "sqlite:" + db_, "--to", url_};
    args.insert(args.end(), extra.begin(), extra.end());
    return Tandem(args);
  }

  // Runs `sql` on the target database.
  void OnTarget(const std::string& sql) {
    auto conn = Connection::Open(url_);
    ASSERT_TRUE(conn) << conn.error().message;
    auto r = (*conn)->Exec(sql);
    ASSERT_TRUE(r) << sql << ": " << r.error().message;
  }

  std::unique_ptr<Connection> admin_;
  std::string database_;
  std::string url_;
};

// The line of `table` in the check's table.
std::string CheckLine(const std::string& out, const std::string& table) {
  std::size_t at = 0;
  while ((at = out.find("\n" + table + " ", at)) != std::string::npos) {
    const std::size_t end = out.find('\n', at + 1);
    std::string line = out.substr(at + 1, end - at - 1);
    if (line.find(" ok") != std::string::npos || line.find("DIFFERENT") != std::string::npos) {
      return line;
    }
    at = end;
  }
  return "";
}

// What a store's repositories answer, written out: contacts page by page in two orders, counts
// per stage, a word search, the funnel's reach per main-path stage, and a few histories.
std::string Readings(store::Store& s) {
  std::string out;
  auto r = s.Read([&](store::Tx& tx) -> core::Result<void> {
    auto contacts = [&](core::ContactQuery q) -> core::Result<void> {
      q.page.limit = core::kMaxPageSize;
      while (true) {
        TANDEM_ASSIGN(auto page, tx.contacts().List(q));
        for (const auto& c : page.items) {
          out += std::to_string(c.id) + " " + c.email + " " + c.first_name + " " + c.last_name +
                 " " + std::string(core::ToString(c.stage)) + " " +
                 std::to_string(c.company_id.value_or(0)) + " " +
                 std::to_string(c.owner_id.value_or(0)) + " " +
                 std::to_string(core::ToMillis(c.created_at)) + " " +
                 std::to_string(core::ToMillis(c.stage_entered_at)) + " " +
                 core::EncodeCustomFields(c.custom) + "\n";
        }
        if (!page.next) break;
        q.page.after = page.next;
      }
      return {};
    };
    TANDEM_TRY(contacts({}));
    core::ContactQuery by_name;
    by_name.sort = core::ContactSort::kLastName;
    by_name.dir = core::SortDir::kAsc;
    TANDEM_TRY(contacts(by_name));
    core::ContactQuery search;
    search.text = "ma";
    TANDEM_TRY(contacts(search));
    TANDEM_ASSIGN(auto stages, tx.contacts().CountByStage());
    for (auto& [stage, n] : stages) {
      out += std::string(core::ToString(stage)) + "=" + std::to_string(n) + "\n";
    }
    TANDEM_ASSIGN(auto all, tx.contacts().CountAll());
    out += "all=" + std::to_string(all) + "\n";
    for (core::Stage stage :
         {core::Stage::kVisitor, core::Stage::kLead, core::Stage::kMql, core::Stage::kSal,
          core::Stage::kSql, core::Stage::kOpportunity, core::Stage::kCustomer}) {
      core::ContactQuery reached;
      reached.reached = core::ReachFilter{
          stage, core::FromMillis(0), core::FromMillis(4'000'000'000'000LL), {}, {}};
      out += "reached " + std::string(core::ToString(stage)) + ":\n";
      TANDEM_TRY(contacts(reached));
    }
    for (core::Id id : {1, 2, 3, 50, 399}) {
      TANDEM_ASSIGN(auto history, tx.stages().ListForContact(id));
      for (const auto& h : history) {
        out += std::to_string(h.contact_id) + " " + std::string(core::ToString(h.to)) + " " +
               std::to_string(core::ToMillis(h.at)) + "\n";
      }
    }
    return {};
  });
  EXPECT_TRUE(r) << r.error().message;
  return out;
}

TEST_F(MigrateDataTest, MovesTheDemoCompanyChecksEveryTableAndTheStoresReadTheSame) {
  if (!PostgresHasPrivacy()) GTEST_SKIP() << "PostgreSQL has no migration 0018 (consents) yet";
  Demo();
  auto r = Move();
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("every table the same on both sides"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("DIFFERENT"), std::string::npos) << r.out;
  for (const char* table : {"contacts", "companies", "stage_history", "contact_reach", "events",
                            "users", "teams", "deals", "activities", "audit_log"}) {
    EXPECT_NE(CheckLine(r.out, table).find(" ok"), std::string::npos) << table << "\n" << r.out;
  }
  // Progress per table as it is copied, each table after those it references: teams and users
  // (which reference each other) before contacts, which wait for them and must not be the ones
  // written with empty references and patched row by row.
  const auto copied = [&](const std::string& table) { return r.out.find("\n" + table + " "); };
  EXPECT_NE(r.out.find("rows copied"), std::string::npos);
  EXPECT_LT(copied("users"), copied("contacts")) << r.out;
  EXPECT_LT(copied("teams"), copied("contacts")) << r.out;
  EXPECT_LT(copied("companies"), copied("contacts")) << r.out;
  EXPECT_LT(copied("contacts"), copied("stage_history")) << r.out;

  auto sqlite = store::sqlite::OpenSqliteStore({db_, 1, nullptr});
  ASSERT_TRUE(sqlite) << sqlite.error().message;
  auto pg = store::postgres::OpenPostgresStore({url_, 2, nullptr});
  ASSERT_TRUE(pg) << pg.error().message;
  const std::string want = Readings(**sqlite);
  EXPECT_GT(want.size(), 10'000u);
  EXPECT_EQ(Readings(**pg), want);

  // Ids go on past the moved ones: a new contact takes the next id, no collision.
  auto conn = Connection::Open(url_);
  ASSERT_TRUE(conn);
  auto max = (*conn)->Prepare("SELECT max(id) FROM contacts");
  ASSERT_TRUE(max);
  ASSERT_TRUE(max->Step());
  const core::Id max_id = max->Int(0);
  core::Id new_id = 0;
  auto w = (*pg)->Write([&](store::Tx& tx) -> core::Result<void> {
    core::Contact c;
    c.email = "new.after.move@example.com";
    c.stage = core::Stage::kLead;
    TANDEM_ASSIGN(new_id, tx.contacts().Insert(c));
    return {};
  });
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(new_id, max_id + 1);

  // Every index is there again, valid, on every events partition too (they are dropped during
  // the copy and built after it), as on a database migrated empty.
  auto valid_indexes = [](Connection& c) {
    std::map<std::string, std::int64_t> count;
    auto stmt = c.Prepare(
        "SELECT t.relname, count(*) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' "
        "AND i.indisvalid AND t.relname NOT LIKE 'events\\_2%' GROUP BY t.relname");
    EXPECT_TRUE(stmt);
    while (stmt && stmt->Step().value_or(false)) count[stmt->Text(0)] = stmt->Int(1);
    return count;
  };
  const std::string empty_db = database_ + "_empty";
  (void)admin_->Exec("DROP DATABASE IF EXISTS " + empty_db);
  ASSERT_TRUE(admin_->Exec("CREATE DATABASE " + empty_db));
  {
    auto empty = store::postgres::OpenPostgresStore(
        {store::postgres::UrlWithDatabase(ServerUrl(), empty_db), 2, nullptr});
    ASSERT_TRUE(empty) << empty.error().message;
  }
  auto empty_conn = Connection::Open(store::postgres::UrlWithDatabase(ServerUrl(), empty_db));
  ASSERT_TRUE(empty_conn);
  auto want_indexes = valid_indexes(**empty_conn);
  empty_conn->reset();
  (void)admin_->Exec("DROP DATABASE IF EXISTS " + empty_db + " WITH (FORCE)");
  auto moved_indexes = valid_indexes(**conn);
  EXPECT_EQ(moved_indexes, want_indexes);
  EXPECT_EQ(moved_indexes["events_default"], moved_indexes["events"]);
  auto partition = (*conn)->Prepare(
      "SELECT count(*) FROM pg_indexes WHERE tablename = (SELECT max(relname) FROM pg_class "
      "WHERE relname LIKE 'events\\_2%' AND relkind = 'r')");
  ASSERT_TRUE(partition);
  ASSERT_TRUE(partition->Step().value_or(false));
  EXPECT_EQ(partition->Int(0), moved_indexes["events"]);
}

TEST_F(MigrateDataTest, RefusesATargetThatIsNotEmptyNamingATable) {
  if (!PostgresHasPrivacy()) GTEST_SKIP() << "PostgreSQL has no migration 0018 (consents) yet";
  Demo(100);
  ASSERT_EQ(Move().code, 0);
  auto again = Move();
  EXPECT_NE(again.code, 0);
  EXPECT_NE(again.err.find("not empty: table "), std::string::npos) << again.err;
  // Nothing was written twice: the check still finds both sides the same.
  EXPECT_EQ(Move({"--check-only"}).code, 0);
}

TEST_F(MigrateDataTest, CheckOnlyFindsARowChangedOnTheTarget) {
  if (!PostgresHasPrivacy()) GTEST_SKIP() << "PostgreSQL has no migration 0018 (consents) yet";
  Demo(100);
  ASSERT_EQ(Move().code, 0);
  auto same = Move({"--check-only"});
  ASSERT_EQ(same.code, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("every table the same"), std::string::npos);

  OnTarget("UPDATE contacts SET last_name = last_name || 'x' WHERE id = 7");
  auto changed = Move({"--check-only"});
  EXPECT_EQ(changed.code, 1);
  EXPECT_NE(CheckLine(changed.out, "contacts").find("DIFFERENT"), std::string::npos) << changed.out;
  EXPECT_NE(CheckLine(changed.out, "companies").find(" ok"), std::string::npos) << changed.out;
  EXPECT_NE(changed.err.find("differ"), std::string::npos);

  // A row more (same values elsewhere) is a difference of counts too.
  OnTarget("UPDATE contacts SET last_name = left(last_name, length(last_name) - 1) WHERE id = 7");
  ASSERT_EQ(Move({"--check-only"}).code, 0);
  OnTarget("DELETE FROM contact_scores WHERE contact_id = 3");
  auto fewer = Move({"--check-only"});
  EXPECT_EQ(fewer.code, 1);
  EXPECT_NE(CheckLine(fewer.out, "contact_scores").find("DIFFERENT"), std::string::npos)
      << fewer.out;
}

TEST_F(MigrateDataTest, RefusesATargetLackingATableAndWritesNothing) {
  Demo(50);
  // A target whose schema lacks a table the source has (here by dropping one).
  {
    auto pg = store::postgres::OpenPostgresStore({url_, 2, nullptr});
    ASSERT_TRUE(pg) << pg.error().message;
  }
  OnTarget("DROP TABLE saved_views");
  auto r = Move();
  EXPECT_NE(r.code, 0);
  const std::string lacking = PostgresHasPrivacy() ? "saved_views" : "consents";
  EXPECT_NE(r.err.find("has no table " + lacking), std::string::npos) << r.err;
  auto conn = Connection::Open(url_);
  ASSERT_TRUE(conn);
  auto count = (*conn)->Prepare("SELECT count(*) FROM contacts");
  ASSERT_TRUE(count);
  ASSERT_TRUE(count->Step());
  EXPECT_EQ(count->Int(0), 0);
}

TEST_F(MigrateDataTest, RefusesALaterSourceColumnTheTargetLacks) {
  if (!PostgresHasPrivacy()) GTEST_SKIP() << "PostgreSQL has no migration 0018 (consents) yet";
  Demo(50);
  {
    auto pg = store::postgres::OpenPostgresStore({url_, 2, nullptr});
    ASSERT_TRUE(pg) << pg.error().message;
  }
  OnTarget("ALTER TABLE deals DROP COLUMN lost_reason");
  auto r = Move();
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("table deals has no column lost_reason"), std::string::npos) << r.err;
}

TEST_F(MigrateDataTest, RefusesASourceThatIsNotSqliteOrATargetThatIsNotPostgres) {
  auto from = Tandem({"migrate-data", "--from", db_, "--to", url_});
  EXPECT_NE(from.code, 0);
  EXPECT_NE(from.err.find("sqlite:PATH"), std::string::npos) << from.err;
  auto to = Tandem({"migrate-data", "--from", "sqlite:" + db_, "--to", "sqlite:" + db_});
  EXPECT_NE(to.code, 0);
  EXPECT_NE(to.err.find("postgresql://"), std::string::npos) << to.err;
  auto missing =
      Tandem({"migrate-data", "--from", "sqlite:" + (dir_ / "none.db").string(), "--to", url_});
  EXPECT_NE(missing.code, 0);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "none.db"));  // read-only: never created
}

}  // namespace
}  // namespace tandem::cli::clitest
