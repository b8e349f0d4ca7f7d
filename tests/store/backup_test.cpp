// Online backup and restore of the SQLite database (store/sqlite/backup.hpp).
#include "store/sqlite/backup.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/sqlite/sqlite_store.hpp"

namespace tandem::store::sqlite {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;

const core::Instant kT0 = core::FromMillis(1'790'000'000'000);

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "tandem-backup-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    db_ = File("tandem.db");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string File(const std::string& name) const { return (dir_ / name).string(); }

  static std::unique_ptr<Store> Open(const std::string& path) {
    auto s = OpenSqliteStore({path, 2, nullptr});
    EXPECT_TRUE(s) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }

  static Result<Id> Insert(Store& store, const std::string& email) {
    Id id = 0;
    TANDEM_TRY(store.Write([&](Tx& tx) -> Result<void> {
      core::Contact c;
      c.email = email;
      c.first_name = "Ana";
      c.stage_entered_at = c.created_at = c.updated_at = kT0;
      TANDEM_ASSIGN(id, tx.contacts().Insert(c));
      return {};
    }));
    return id;
  }

  static std::int64_t Count(Store& store) {
    std::int64_t n = -1;
    EXPECT_TRUE(store.Read([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(n, tx.contacts().CountAll());
      return {};
    }));
    return n;
  }

  // The number of contacts a text search for the common first name finds: the search index
  // must agree with the table in a consistent copy.
  static std::int64_t Searchable(Store& store) {
    std::int64_t n = 0;
    EXPECT_TRUE(store.Read([&](Tx& tx) -> Result<void> {
      core::ContactQuery q;
      q.text = "ana";
      q.page.limit = core::kMaxPageSize;
      std::optional<core::Cursor> after;
      for (;;) {
        q.page.after = after;
        TANDEM_ASSIGN(auto page, tx.contacts().List(q));
        n += static_cast<std::int64_t>(page.items.size());
        if (!page.next) break;
        after = page.next;
      }
      return {};
    }));
    return n;
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(BackupTest, ACopyTakenWhileWritesGoOnIsOneConsistentCommitAndRestoresRoundTrip) {
  auto store = Open(db_);
  ASSERT_TRUE(store);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(Insert(*store, "seed" + std::to_string(i) + "@a.io"));

  // A writer keeps committing during the whole backup.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      if (!Insert(*store, "live" + std::to_string(i) + "@a.io")) break;
      ++written;
    }
  });
  while (written.load() < 20) std::this_thread::yield();
  const std::string copy = File("copy.db");
  auto r = BackupDatabase(db_, copy, false);
  const int during = written.load();
  stop = true;
  writer.join();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GT(r->pages, 0);
  EXPECT_GT(r->bytes, 0);
  EXPECT_GT(r->schema_version, 0);
  EXPECT_FALSE(fs::exists(copy + ".partial"));
  const std::int64_t final_count = Count(*store);
  EXPECT_GT(final_count, 220);

  std::int64_t in_copy = 0;
  {
    auto backup = Open(copy);
    ASSERT_TRUE(backup);
    in_copy = Count(*backup);
    EXPECT_GE(in_copy, 220);
    EXPECT_LE(in_copy, 200 + during + 1);
    EXPECT_EQ(Searchable(*backup), in_copy);  // table and search index from the same commit
  }

  // Restore: the database goes back to the copy's content, and works as a store.
  store.reset();
  auto restored = RestoreDatabase(copy, db_);
  ASSERT_TRUE(restored) << restored.error().message;
  auto again = Open(db_);
  ASSERT_TRUE(again);
  EXPECT_EQ(Count(*again), in_copy);
  EXPECT_EQ(Searchable(*again), in_copy);
  ASSERT_TRUE(Insert(*again, "after-restore@a.io"));
  EXPECT_EQ(Count(*again), in_copy + 1);
}

TEST_F(BackupTest, RefusesToOverwriteWithoutForceAndNamesTheField) {
  {
    auto store = Open(db_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(Insert(*store, "a@a.io"));
  }
  const std::string copy = File("copy.db");
  ASSERT_TRUE(BackupDatabase(db_, copy, false));
  auto twice = BackupDatabase(db_, copy, false);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(twice.error().field, "to");
  EXPECT_TRUE(BackupDatabase(db_, copy, true));
  auto onto_itself = BackupDatabase(db_, db_, true);
  ASSERT_FALSE(onto_itself);
  EXPECT_EQ(onto_itself.error().field, "to");
  auto missing = BackupDatabase(File("nope.db"), File("x.db"), false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(File("x.db")));
  EXPECT_EQ(BackupDatabase(":memory:", File("m.db"), false).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(BackupTest, ABackupOfSomethingThatIsNotADatabaseLeavesNoFileBehind) {
  const std::string junk = File("junk.db");
  std::ofstream(junk) << std::string(8192, 'x');
  const std::string copy = File("copy.db");
  auto r = BackupDatabase(junk, copy, false);
  ASSERT_FALSE(r);
  EXPECT_FALSE(fs::exists(copy));
  EXPECT_FALSE(fs::exists(copy + ".partial"));
}

TEST_F(BackupTest, RestoreIsRefusedWhileTheDatabaseIsOpenAndLeavesItUntouched) {
  const std::string copy = File("copy.db");
  {
    auto store = Open(db_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(Insert(*store, "a@a.io"));
    ASSERT_TRUE(BackupDatabase(db_, copy, false));
  }
  auto running = Open(db_);  // as `tandem serve` would have it
  ASSERT_TRUE(running);
  ASSERT_TRUE(Insert(*running, "b@a.io"));
  auto r = RestoreDatabase(copy, db_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().field, "db");
  EXPECT_NE(r.error().message.find("in use"), std::string::npos) << r.error().message;
  EXPECT_EQ(Count(*running), 2);
  ASSERT_TRUE(Insert(*running, "c@a.io"));  // and the running store still writes
  EXPECT_EQ(Count(*running), 3);
}

TEST_F(BackupTest, RestoreChecksTheBackupFirstAndNeverTouchesTheDatabaseForABadOne) {
  {
    auto store = Open(db_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(Insert(*store, "a@a.io"));
  }
  // A SQLite file that is not Tandem's.
  const std::string foreign = File("foreign.db");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(foreign.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto r = RestoreDatabase(foreign, db_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not a Tandem database"), std::string::npos)
      << r.error().message;
  // Not a database at all.
  const std::string junk = File("junk.db");
  std::ofstream(junk) << std::string(8192, 'x');
  EXPECT_FALSE(RestoreDatabase(junk, db_));
  // Missing.
  auto missing = RestoreDatabase(File("nope.db"), db_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  auto store = Open(db_);
  ASSERT_TRUE(store);
  EXPECT_EQ(Count(*store), 1);
}

TEST_F(BackupTest, RestoreRefusesABackupNewerThanThisBuild) {
  const std::string copy = File("copy.db");
  {
    auto store = Open(db_);
    ASSERT_TRUE(store);
    ASSERT_TRUE(BackupDatabase(db_, copy, false));
  }
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(copy.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                           "(9999, '9999_future', '2026-11-27');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto r = RestoreDatabase(copy, db_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("newer than this build"), std::string::npos);
}

}  // namespace
}  // namespace tandem::store::sqlite
