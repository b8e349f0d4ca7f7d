// Faults of the server database as the API answers them (issue 7, "Bad input and faults";
// docs/postgres.md): connections dropped by the server are reconnected unnoticed; while the
// database is away every request is 503 with the reason, and the same process serves again once
// it is back; a full disk (SQLSTATE 53100) is 503 saying so. PostgreSQL only: these tests skip
// in the SQLite run of the API suite.
#include "api/api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

namespace testdb = store::postgres::testdb;

class PostgresFaultsApiTest : public ApiTest {
 protected:
  void SetUp() override {
    if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only (TANDEM_API_BACKEND=postgresql)";
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto* scratch = dynamic_cast<testdb::ScratchStore*>(store_.get());
    ASSERT_NE(scratch, nullptr);
    database_ = scratch->database();
    admin_conn_ = testdb::Admin();
    ASSERT_NE(admin_conn_, nullptr);
  }

  // Closes every connection the store has to its database (a restart or failover would).
  void TerminateBackends() {
    auto kill = admin_conn_->Prepare(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1");
    ASSERT_TRUE(kill);
    kill->Bind(database_);
    ASSERT_TRUE(kill->Step().value_or(false));
    EXPECT_GT(kill->Int(0), 0);
  }

  void AllowConnections(bool allow) {
    auto r = admin_conn_->Exec("ALTER DATABASE " + database_ + " ALLOW_CONNECTIONS " +
                               (allow ? "true" : "false"));
    ASSERT_TRUE(r) << r.error().message;
  }

  // Runs `sql` in the test's database, as an operator would.
  void InDatabase(const std::string& sql) {
    auto conn = store::postgres::Connection::Open(testdb::DatabaseUrl(database_));
    ASSERT_TRUE(conn) << conn.error().message;
    auto r = (*conn)->Exec(sql);
    ASSERT_TRUE(r) << sql << ": " << r.error().message;
  }

  std::string database_;
  std::unique_ptr<store::postgres::Connection> admin_conn_;
};

TEST_F(PostgresFaultsApiTest, DroppedConnectionsAreReconnectedUnnoticed) {
  const core::Id id = NewContact("before@example.com");
  ASSERT_GT(id, 0);
  TerminateBackends();
  auto got = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(id));
  EXPECT_EQ(got.status(), 200) << got;
  EXPECT_GT(NewContact("after@example.com"), 0);
}

TEST_F(PostgresFaultsApiTest, TheDatabaseAwayIs503WithTheReasonAndServesAgainOnceBack) {
  const core::Id id = NewContact("kept@example.com");
  ASSERT_GT(id, 0);
  AllowConnections(false);
  TerminateBackends();
  auto read = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(id));
  EXPECT_EQ(read.status(), 503) << read;
  if (read.status() == 503) {
    EXPECT_EQ(read.ErrorCode(), "unavailable");
    EXPECT_NE(read.ErrorMessage().find("PostgreSQL"), std::string::npos) << read;
  }
  auto write = As(manager_, "POST", "/api/v1/contacts",
                  WriteJson(json::object{{"email", "during@example.com"}}));
  EXPECT_EQ(write.status(), 503) << write;
  auto health = Send("GET", "/healthz");
  EXPECT_EQ(health.status(), 503) << health;
  EXPECT_FALSE(logged_.empty());  // the reason is logged for the operator too

  AllowConnections(true);
  auto again = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(id));
  EXPECT_EQ(again.status(), 200) << again;
  EXPECT_GT(NewContact("after@example.com"), 0);
  EXPECT_EQ(Send("GET", "/healthz").status(), 200);
}

TEST_F(PostgresFaultsApiTest, AFullDiskIs503SayingSo) {
  // The server's own error for a full disk (SQLSTATE 53100), raised where an insert would meet it.
  InDatabase(
      "CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = "
      "'disk_full'; END $$; CREATE TRIGGER test_disk_full BEFORE INSERT ON contacts FOR EACH ROW "
      "EXECUTE FUNCTION test_disk_full()");
  auto full = As(manager_, "POST", "/api/v1/contacts",
                 WriteJson(json::object{{"email", "full@example.com"}}));
  EXPECT_EQ(full.status(), 503) << full;
  if (full.status() == 503) {
    EXPECT_EQ(full.ErrorCode(), "unavailable");
    EXPECT_NE(full.ErrorMessage().find("the database's disk is full"), std::string::npos) << full;
  }
  // Reads still work, and writes again once space is back.
  EXPECT_EQ(As(manager_, "GET", "/api/v1/contacts").status(), 200);
  InDatabase("DROP TRIGGER test_disk_full ON contacts");
  EXPECT_GT(NewContact("full@example.com"), 0);
}

}  // namespace
}  // namespace tandem::api::apitest
