// Every command on PostgreSQL (`--db postgresql://...`, docs/postgres.md): the location parsed
// (pool_size, passwords kept out of output), the schema created by `migrate`, users added and
// listed, SQLite-only commands refused, and a repository not on PostgreSQL yet answered with a
// clear error. The tests that need a server skip without TANDEM_TEST_PG_URL (and fail with
// TANDEM_TEST_PG_REQUIRED=1), as the store suite does.
#include <gtest/gtest.h>

#include "cli/cli_fixture.hpp"
#include "server/runtime.hpp"
#include "store/postgres/migrations.hpp"
#include "support/pg_test_db.hpp"

namespace tandem::cli {
namespace {

namespace testdb = store::postgres::testdb;
using server::DbLocation;
using server::ParseDbLocation;

TEST(DbLocationTest, SqlitePathsAndPostgresUrlsAreTold) {
  auto file = ParseDbLocation("tandem.db");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->kind, DbLocation::Kind::kSqlite);
  EXPECT_EQ(file->target, "tandem.db");
  auto prefixed = ParseDbLocation("sqlite:/var/lib/tandem/t.db");
  ASSERT_TRUE(prefixed);
  EXPECT_EQ(prefixed->kind, DbLocation::Kind::kSqlite);
  EXPECT_EQ(prefixed->target, "/var/lib/tandem/t.db");
  for (const char* url : {"postgresql://u@db.example:5432/tandem", "postgres://u@db/tandem"}) {
    auto pg = ParseDbLocation(url);
    ASSERT_TRUE(pg) << url;
    EXPECT_EQ(pg->kind, DbLocation::Kind::kPostgres) << url;
    EXPECT_EQ(pg->target, url);
    EXPECT_EQ(pg->pool_size, 0);
  }
  auto empty = ParseDbLocation("sqlite:");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field, "db");
}

TEST(DbLocationTest, PoolSizeIsTandemsParameterAndLeavesTheRestToLibpq) {
  auto only = ParseDbLocation("postgresql://u@h/db?pool_size=12");
  ASSERT_TRUE(only);
  EXPECT_EQ(only->pool_size, 12);
  EXPECT_EQ(only->target, "postgresql://u@h/db");
  auto among = ParseDbLocation("postgresql://u@h/db?sslmode=require&pool_size=3&connect_timeout=5");
  ASSERT_TRUE(among);
  EXPECT_EQ(among->pool_size, 3);
  EXPECT_EQ(among->target, "postgresql://u@h/db?sslmode=require&connect_timeout=5");
  for (const char* bad : {"0", "1", "101", "", "4x", "-3", "eight"}) {
    auto r = ParseDbLocation(std::string("postgresql://u@h/db?pool_size=") + bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "db") << bad;
    EXPECT_NE(r.error().message.find("pool_size"), std::string::npos) << r.error().message;
  }
}

TEST(DbLocationTest, PasswordsAreNotPrinted) {
  EXPECT_EQ(server::DisplayDb("postgresql://tandem:s3cret@db.example:5432/crm"),
            "postgresql://tandem:***@db.example:5432/crm");
  EXPECT_EQ(server::DisplayDb("postgresql://tandem@db.example/crm?password=s3cret&sslmode=require"),
            "postgresql://tandem@db.example/crm?password=***&sslmode=require");
  EXPECT_EQ(server::DisplayDb("postgresql://db.example/crm"), "postgresql://db.example/crm");
  EXPECT_EQ(server::DisplayDb("tandem.db"), "tandem.db");
}

TEST(DbLocationTest, SqliteOnlyCommandsPointToPgDump) {
  auto r = server::SqlitePathOf("postgresql://u@h/db");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "db");
  EXPECT_NE(r.error().message.find("pg_dump"), std::string::npos) << r.error().message;
  EXPECT_EQ(server::SqlitePathOf("sqlite:t.db").value_or(""), "t.db");
}

class PostgresCliTest : public clitest::CliFixture {
 protected:
  void SetUp() override {
    if (auto reason = testdb::NoServerReason(); !reason.empty()) GTEST_SKIP() << reason;
    clitest::CliFixture::SetUp();
  }
};

TEST_F(PostgresCliTest, MigrateCreatesTheSchemaAndUsersAreAddedAndListed) {
  testdb::ScratchDatabase db(/*migrated=*/false);
  ASSERT_TRUE(db.ok());
  const std::string url = db.url() + "?pool_size=2";
  auto migrate = Tandem({"migrate", "--db", url});
  ASSERT_EQ(migrate.code, 0) << migrate.err;
  const int latest = store::postgres::EmbeddedMigrations().back().version;
  EXPECT_NE(migrate.out.find("schema version " + std::to_string(latest)), std::string::npos)
      << migrate.out;
  auto add = Tandem({"user", "add", "--db", url, "--email", " Ada@Example.COM ", "--name",
                     "Ada Lovelace", "--role", "admin"},
                    "correct horse battery\n");
  ASSERT_EQ(add.code, 0) << add.err;
  auto list = Tandem({"user", "list", "--db", db.url()});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("ada@example.com"), std::string::npos) << list.out;
  // The same email again: the unique key, as on SQLite.
  auto again = Tandem({"user", "add", "--db", url, "--email", "ada@example.com", "--name", "Ada",
                       "--role", "sales"},
                      "correct horse battery\n");
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("email"), std::string::npos) << again.err;
}

TEST_F(PostgresCliTest, SqliteOnlyCommandsRefuseAPostgresUrl) {
  testdb::ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  auto backup = Tandem({"backup", "--db", db.url(), "--to", (dir_ / "b.db").string()});
  EXPECT_EQ(backup.code, 1);
  EXPECT_NE(backup.err.find("pg_dump"), std::string::npos) << backup.err;
  auto restore = Tandem({"restore", "--db", db.url(), "--from", (dir_ / "b.db").string()});
  EXPECT_EQ(restore.code, 1);
  EXPECT_NE(restore.err.find("pg_restore"), std::string::npos) << restore.err;
}

TEST_F(PostgresCliTest, ABadPoolSizeIsRefusedBeforeConnecting) {
  testdb::ScratchDatabase db;
  ASSERT_TRUE(db.ok());
  auto r = Tandem({"migrate", "--db", db.url() + "?pool_size=1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error: db: pool_size"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tandem::cli
