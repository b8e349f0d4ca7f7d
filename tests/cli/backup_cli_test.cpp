// `tandem backup` and `tandem restore` (docs/reliability.md).
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_fixture.hpp"

namespace tandem::cli {
namespace {

namespace fs = std::filesystem;
using BackupCliTest = clitest::CliFixture;

TEST_F(BackupCliTest, BacksUpAndRestoresADatabaseRoundTrip) {
  auto add = Tandem({"user", "add", "--db", db_, "--email", "ada@example.com", "--name", "Ada",
                     "--role", "admin"},
                    "correct horse battery\n");
  ASSERT_EQ(add.code, 0) << add.err;
  const std::string copy = (dir_ / "backup.db").string();
  auto backup = Tandem({"backup", "--db", db_, "--to", copy});
  ASSERT_EQ(backup.code, 0) << backup.err;
  EXPECT_NE(backup.out.find("backed up " + db_ + " to " + copy), std::string::npos) << backup.out;
  EXPECT_NE(backup.out.find("schema version"), std::string::npos);
  EXPECT_TRUE(fs::exists(copy));

  // A later change, then the restore takes it away again.
  ASSERT_EQ(Tandem({"user", "add", "--db", db_, "--email", "bo@example.com", "--name", "Bo"},
                   "correct horse battery\n")
                .code,
            0);
  auto restore = Tandem({"restore", "--db", db_, "--from", copy});
  ASSERT_EQ(restore.code, 0) << restore.err;
  EXPECT_NE(restore.out.find("restored " + db_ + " from " + copy), std::string::npos)
      << restore.out;
  // The backup is at this build's version: nothing to migrate, so nothing is announced.
  EXPECT_EQ(restore.out.find("migrated"), std::string::npos) << restore.out;
  auto users = Tandem({"user", "list", "--db", db_});
  ASSERT_EQ(users.code, 0) << users.err;
  EXPECT_NE(users.out.find("ada@example.com"), std::string::npos) << users.out;
  EXPECT_EQ(users.out.find("bo@example.com"), std::string::npos) << users.out;

  // Restoring into a database that does not exist yet creates it.
  const std::string fresh = (dir_ / "fresh.db").string();
  ASSERT_EQ(Tandem({"restore", "--db", "sqlite:" + fresh, "--from", copy}).code, 0);
  auto fresh_users = Tandem({"user", "list", "--db", fresh});
  EXPECT_NE(fresh_users.out.find("ada@example.com"), std::string::npos) << fresh_users.out;
}

TEST_F(BackupCliTest, BadInputIsAClearErrorAndChangesNothing) {
  ASSERT_EQ(Tandem({"migrate", "--db", db_}).code, 0);
  const std::string copy = (dir_ / "backup.db").string();
  ASSERT_EQ(Tandem({"backup", "--db", db_, "--to", copy}).code, 0);
  auto again = Tandem({"backup", "--db", db_, "--to", copy});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("error: to: "), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  EXPECT_EQ(Tandem({"backup", "--db", db_, "--to", copy, "--force"}).code, 0);

  auto missing = Tandem({"backup", "--db", (dir_ / "none.db").string(), "--to", copy + "2"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
  auto pg = Tandem({"backup", "--db", "postgresql://localhost/t", "--to", copy + "3"});
  EXPECT_EQ(pg.code, 1);
  EXPECT_NE(pg.err.find("error: db: "), std::string::npos) << pg.err;
  EXPECT_EQ(Tandem({"backup", "--db", db_}).code, 2);  // --to is required

  auto no_backup = Tandem({"restore", "--db", db_, "--from", (dir_ / "none.db").string()});
  EXPECT_EQ(no_backup.code, 1);
  EXPECT_NE(no_backup.err.find("does not exist"), std::string::npos) << no_backup.err;
  EXPECT_EQ(Tandem({"restore", "--db", db_}).code, 2);  // --from is required
}

}  // namespace
}  // namespace tandem::cli
