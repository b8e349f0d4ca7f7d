// The store contract on SQLite (in memory and in a file), plus what only SQLite has: PRAGMAs,
// migrations, file errors, reader/writer concurrency and metrics.
#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <random>
#include <thread>

#include "store/sqlite/connection.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/store_contract.hpp"

namespace tandem::store::sqlite {
namespace {

namespace fs = std::filesystem;
using contract::AnalyticsContractTest;
using contract::At;
using contract::AttributionContractTest;
using contract::FeedbackContractTest;
using contract::kT0;
using contract::PrivacyContractTest;
using contract::StoreContractTest;
using contract::StoreFactory;
using core::ErrorCode;

// A directory of its own under the test temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "tandem-store-XXXXXX";
    path_ = mkdtemp(pattern.data()) ? fs::path(pattern) : fs::path();
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// A store in a file of its own, deleted when the store is.
class FileStore final : public Store, public BulkStore {
 public:
  explicit FileStore(std::unique_ptr<Store> inner, std::unique_ptr<TempDir> dir)
      : dir_(std::move(dir)), inner_(std::move(inner)) {}
  Result<void> Write(const TxFn& fn) override { return inner_->Write(fn); }
  Result<void> Read(const TxFn& fn) override { return inner_->Read(fn); }
  Result<void> WriteBulk(const BulkFn& fn) override { return BulkOf(*inner_)->WriteBulk(fn); }
  void SetOutboxListener(std::function<void()> listener) override {
    inner_->SetOutboxListener(std::move(listener));
  }
  std::string_view Backend() const override { return inner_->Backend(); }
  int SchemaVersion() const override { return inner_->SchemaVersion(); }

 private:
  std::unique_ptr<TempDir> dir_;  // destroyed after the store
  std::unique_ptr<Store> inner_;
};

std::unique_ptr<Store> OpenOrDie(const SqliteSettings& settings) {
  auto store = OpenSqliteStore(settings);
  EXPECT_TRUE(store) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

std::unique_ptr<Store> MemoryStore() {
  return OpenOrDie({":memory:", 2, nullptr});
}

std::unique_ptr<Store> TempFileStore() {
  auto dir = std::make_unique<TempDir>();
  auto store = OpenOrDie({dir->File("tandem.db"), 3, nullptr});
  if (!store) return nullptr;
  return std::make_unique<FileStore>(std::move(store), std::move(dir));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(StoreFactory{"memory", MemoryStore},
                                           StoreFactory{"file", TempFileStore}),
                         contract::StoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Sqlite, AnalyticsContractTest,
                         ::testing::Values(StoreFactory{"memory", MemoryStore},
                                           StoreFactory{"file", TempFileStore}),
                         contract::StoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Sqlite, FeedbackContractTest,
                         ::testing::Values(StoreFactory{"memory", MemoryStore},
                                           StoreFactory{"file", TempFileStore}),
                         contract::StoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Sqlite, PrivacyContractTest,
                         ::testing::Values(StoreFactory{"memory", MemoryStore},
                                           StoreFactory{"file", TempFileStore}),
                         contract::StoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Sqlite, AttributionContractTest,
                         ::testing::Values(StoreFactory{"memory", MemoryStore},
                                           StoreFactory{"file", TempFileStore}),
                         contract::StoreFactoryName);

// Runs one SQL statement on a separate raw connection and returns the first column of the first
// row as text ("" when no row), or the error message prefixed with "error: ".
std::string RawQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    out = std::string("error: ") + sqlite3_errmsg(db);
  } else {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    } else if (rc != SQLITE_DONE) {
      out = std::string("error: ") + sqlite3_errmsg(db);
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  return out;
}

ConnectionOptions PlainMemory() {
  ConnectionOptions options;
  options.wal = false;
  return options;
}

Result<Id> InsertContact(Tx& tx, const std::string& email, const std::string& campaign = "") {
  core::Contact c;
  c.email = email;
  c.campaign = campaign;
  c.stage_entered_at = c.created_at = c.updated_at = kT0;
  return tx.contacts().Insert(c);
}

TEST(SqliteStoreTest, ConnectionsUseWalForeignKeysAndTheChosenPragmas) {
  TempDir dir;
  ConnectionOptions options;
  auto conn = Connection::Open(dir.File("p.db"), options);
  ASSERT_TRUE(conn) << conn.error().message;
  auto pragma = [&](const char* sql) {
    auto stmt = (*conn)->Prepare(sql);
    EXPECT_TRUE(stmt);
    EXPECT_TRUE(stmt->Step().value_or(false));
    return stmt->Text(0);
  };
  EXPECT_EQ(pragma("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(pragma("PRAGMA foreign_keys"), "1");
  EXPECT_EQ(pragma("PRAGMA synchronous"), "1");  // NORMAL
  EXPECT_EQ(pragma("PRAGMA busy_timeout"), "5000");
  EXPECT_EQ(pragma("PRAGMA query_only"), "0");

  options.read_only = true;
  auto reader = Connection::Open(dir.File("p.db"), options);
  ASSERT_TRUE(reader);
  auto query_only = (*reader)->Prepare("PRAGMA query_only");
  ASSERT_TRUE(query_only && query_only->Step().value_or(false));
  EXPECT_EQ(query_only->Int(0), 1);
  auto write = (*reader)->Exec("CREATE TABLE t (x)");
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error().code, ErrorCode::kInternal);
}

TEST(SqliteStoreTest, StoreFileIsInWalMode) {
  TempDir dir;
  auto store = OpenOrDie({dir.File("w.db"), 1, nullptr});
  ASSERT_TRUE(store);
  EXPECT_EQ(RawQuery(dir.File("w.db"), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(store->Backend(), "sqlite");
}

TEST(SqliteStoreTest, StatementCacheServesNestedUseOfTheSameSql) {
  auto conn = Connection::Open(":memory:", PlainMemory());
  ASSERT_TRUE(conn);
  ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)"));
  auto outer = (*conn)->Prepare("SELECT x FROM t ORDER BY x");
  ASSERT_TRUE(outer && outer->Step().value_or(false));
  {
    auto inner = (*conn)->Prepare("SELECT x FROM t ORDER BY x");
    ASSERT_TRUE(inner && inner->Step().value_or(false));
    EXPECT_EQ(inner->Int(0), 1);
  }
  ASSERT_TRUE(outer->Step().value_or(false));
  EXPECT_EQ(outer->Int(0), 2);
}

TEST(SqliteStoreTest, MigrationsApplyOnceAndReopeningIsIdempotent) {
  const auto migrations = EmbeddedMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().version, 1);
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    EXPECT_LT(migrations[i - 1].version, migrations[i].version);
  }
  TempDir dir;
  const std::string path = dir.File("m.db");
  for (int round = 0; round < 3; ++round) {
    auto store = OpenOrDie({path, 1, nullptr});
    ASSERT_TRUE(store);
    EXPECT_EQ(store->SchemaVersion(), migrations.back().version);
    if (round == 0) {
      ASSERT_TRUE(store->Write([](Tx& tx) -> Result<void> {
        auto id = InsertContact(tx, "kept@example.com");
        if (!id) return core::Fail(id.error());
        return {};
      }));
    }
    auto found = Result<bool>(false);
    ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
      auto c = tx.contacts().FindByEmail("kept@example.com");
      if (!c) return core::Fail(c.error());
      found = c->has_value();
      return {};
    }));
    EXPECT_TRUE(*found);
  }
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM schema_migrations"),
            std::to_string(migrations.size()));
  EXPECT_EQ(RawQuery(path, "SELECT name FROM schema_migrations WHERE version = 1"), "0001_init");
}

TEST(SqliteStoreTest, MigrationFailureLeavesThePreviousVersion) {
  auto conn = Connection::Open(":memory:", PlainMemory());
  ASSERT_TRUE(conn);
  const Migration good[] = {{1, "0001_a", "CREATE TABLE a (x)"}};
  ASSERT_EQ(ApplyMigrations(**conn, good).value_or(-1), 1);
  const Migration bad[] = {{1, "0001_a", "CREATE TABLE a (x)"},
                           {2, "0002_b", "CREATE TABLE b (x); CREATE TABLE a (y)"}};
  auto r = ApplyMigrations(**conn, bad);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("0002_b"), std::string::npos);
  EXPECT_EQ(AppliedVersion(**conn).value_or(-1), 1);
  auto b = (*conn)->Prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'b'");
  ASSERT_TRUE(b && b->Step().value_or(false));
  EXPECT_EQ(b->Int(0), 0);  // rolled back with its migration
}

TEST(SqliteStoreTest, AMigrationNumberedBelowTheAppliedOnesIsStillApplied) {
  // Two lines of work each add a migration; the database saw the higher number first.
  auto conn = Connection::Open(":memory:", PlainMemory());
  ASSERT_TRUE(conn);
  const Migration first[] = {{1, "0001_a", "CREATE TABLE a (x)"},
                             {3, "0003_c", "CREATE TABLE c (x)"}};
  ASSERT_EQ(ApplyMigrations(**conn, first).value_or(-1), 3);
  const Migration merged[] = {{1, "0001_a", "CREATE TABLE a (x)"},
                              {2, "0002_b", "CREATE TABLE b (x)"},
                              {3, "0003_c", "CREATE TABLE c (x)"}};
  ASSERT_EQ(ApplyMigrations(**conn, merged).value_or(-1), 3);
  auto b = (*conn)->Prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'b'");
  ASSERT_TRUE(b && b->Step().value_or(false));
  EXPECT_EQ(b->Int(0), 1);
  // And nothing runs twice.
  ASSERT_EQ(ApplyMigrations(**conn, merged).value_or(-1), 3);
}

TEST(SqliteStoreTest, NewerSchemaIsRefused) {
  TempDir dir;
  const std::string path = dir.File("new.db");
  ASSERT_TRUE(OpenOrDie({path, 1, nullptr}));
  EXPECT_EQ(RawQuery(path, "INSERT INTO schema_migrations VALUES (999, '0999_future', 'x')"), "");
  auto store = OpenSqliteStore({path, 1, nullptr});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(store.error().message.find("999"), std::string::npos);
}

TEST(SqliteStoreTest, UnopenablePathsAreErrorsNotCrashes) {
  auto missing_dir = OpenSqliteStore({"/nonexistent-tandem-dir/sub/x.db", 1, nullptr});
  ASSERT_FALSE(missing_dir);
  EXPECT_EQ(missing_dir.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(missing_dir.error().message.find("/nonexistent-tandem-dir/sub/x.db"),
            std::string::npos);

  TempDir dir;
  const std::string garbage = dir.File("garbage.db");
  {
    std::ofstream out(garbage);
    out << std::string(8192, 'G');
  }
  auto not_db = OpenSqliteStore({garbage, 1, nullptr});
  ASSERT_FALSE(not_db);
  EXPECT_EQ(not_db.error().code, ErrorCode::kInternal);

  fs::create_directory(dir.File("a-directory"));
  auto directory = OpenSqliteStore({dir.File("a-directory"), 1, nullptr});
  ASSERT_FALSE(directory);
  EXPECT_TRUE(directory.error().code == ErrorCode::kUnavailable ||
              directory.error().code == ErrorCode::kInternal)
      << directory.error().message;

  EXPECT_EQ(OpenSqliteStore({"", 1, nullptr}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(OpenSqliteStore({":memory:", 0, nullptr}).error().code, ErrorCode::kInvalidArgument);
}

TEST(SqliteStoreTest, ResultCodesMapToCoreErrors) {
  auto full = ErrorFromSqlite(nullptr, SQLITE_FULL, "committing");
  EXPECT_EQ(full.code, ErrorCode::kUnavailable);
  EXPECT_NE(full.message.find("disk full"), std::string::npos);
  auto io = ErrorFromSqlite(nullptr, SQLITE_IOERR_WRITE, "committing");
  EXPECT_EQ(io.code, ErrorCode::kUnavailable);
  EXPECT_NE(io.message.find("I/O error"), std::string::npos);
  EXPECT_EQ(ErrorFromSqlite(nullptr, SQLITE_BUSY, "x").code, ErrorCode::kUnavailable);
  EXPECT_EQ(ErrorFromSqlite(nullptr, SQLITE_READONLY, "x").code, ErrorCode::kInternal);
  EXPECT_EQ(ErrorFromSqlite(nullptr, SQLITE_CORRUPT, "x").code, ErrorCode::kInternal);
}

TEST(SqliteStoreTest, SchemaEnforcesCodesAndAppendOnlyHistory) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto store = OpenOrDie({path, 1, nullptr});
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Write([](Tx& tx) -> Result<void> {
    auto id = InsertContact(tx, "c@example.com");
    if (!id) return core::Fail(id.error());
    core::StageChange ch;
    ch.contact_id = *id;
    ch.at = kT0;
    auto appended = tx.stages().Append(ch);
    if (!appended) return core::Fail(appended.error());
    return {};
  }));
  EXPECT_NE(RawQuery(path, "UPDATE contacts SET stage = 'bogus'").find("CHECK"), std::string::npos);
  EXPECT_NE(RawQuery(path, "UPDATE stage_history SET reason = 'x'").find("append-only"),
            std::string::npos);
  EXPECT_EQ(RawQuery(path, "SELECT stage FROM contacts"), "lead");
}

TEST(SqliteStoreTest, MetricsRecordReadAndWriteTimings) {
  base::Metrics metrics;
  auto store = OpenOrDie({":memory:", 1, &metrics});
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Write([](Tx&) -> Result<void> { return {}; }));
  ASSERT_TRUE(store->Read([](Tx&) -> Result<void> { return {}; }));
  ASSERT_TRUE(store->Read([](Tx&) -> Result<void> { return {}; }));
  EXPECT_EQ(metrics.GetHistogram("tandem_db_seconds", {{"kind", "write"}}).Count(), 1u);
  EXPECT_EQ(metrics.GetHistogram("tandem_db_seconds", {{"kind", "read"}}).Count(), 2u);
  EXPECT_NE(metrics.Render().find("tandem_db_seconds"), std::string::npos);
}

TEST(SqliteStoreTest, InMemoryStoresAreSeparate) {
  auto a = MemoryStore();
  auto b = MemoryStore();
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->Write([](Tx& tx) -> Result<void> {
    auto id = InsertContact(tx, "only-a@example.com");
    if (!id) return core::Fail(id.error());
    return {};
  }));
  std::int64_t count = -1;
  ASSERT_TRUE(b->Read([&](Tx& tx) -> Result<void> {
    auto n = tx.contacts().CountAll();
    if (!n) return core::Fail(n.error());
    count = *n;
    return {};
  }));
  EXPECT_EQ(count, 0);
}

// A read transaction keeps its snapshot while a write commits beside it (WAL).
TEST(SqliteStoreTest, ReadKeepsItsSnapshotWhileAWriteCommits) {
  auto store = TempFileStore();
  ASSERT_TRUE(store);
  std::promise<void> reading;
  std::promise<void> written;
  std::int64_t before = -1, after = -1, outside = -1;
  std::thread reader([&] {
    auto r = store->Read([&](Tx& tx) -> Result<void> {
      auto n = tx.contacts().CountAll();
      if (!n) return core::Fail(n.error());
      before = *n;
      reading.set_value();
      written.get_future().wait();
      auto m = tx.contacts().CountAll();
      if (!m) return core::Fail(m.error());
      after = *m;
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
  });
  reading.get_future().wait();
  ASSERT_TRUE(store->Write([](Tx& tx) -> Result<void> {
    auto id = InsertContact(tx, "new@example.com");
    if (!id) return core::Fail(id.error());
    return {};
  }));
  written.set_value();
  reader.join();
  ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
    auto n = tx.contacts().CountAll();
    if (!n) return core::Fail(n.error());
    outside = *n;
    return {};
  }));
  EXPECT_EQ(before, 0);
  EXPECT_EQ(after, 0);
  EXPECT_EQ(outside, 1);
}

// Each write adds a batch of kBatch contacts of one campaign; readers running meanwhile must
// always see whole batches, in every query of their transaction.
void ReadersSeeWholeTransactions(Store& store) {
  constexpr int kBatches = 40;
  constexpr int kBatch = 10;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::atomic<int> torn{0};
  std::atomic<int> attempts{0};  // reads finished, failed ones too
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      // At least one read each, and (below) no write before a first read has finished: without
      // them a busy machine could run all the writes before any reader got a turn.
      do {
        auto status = store.Read([&](Tx& tx) -> Result<void> {
          auto n = tx.contacts().CountAll();
          if (!n) return core::Fail(n.error());
          core::ContactQuery q;
          q.page.limit = core::kMaxPageSize;
          auto page = tx.contacts().List(q);
          if (!page) return core::Fail(page.error());
          auto m = tx.contacts().CountAll();
          if (!m) return core::Fail(m.error());
          std::map<std::string, int> per_campaign;
          for (const auto& c : page->items) ++per_campaign[c.campaign];
          bool whole = *n % kBatch == 0 && *n == *m &&
                       static_cast<std::int64_t>(page->items.size()) ==
                           std::min<std::int64_t>(*n, core::kMaxPageSize);
          for (const auto& [campaign, count] : per_campaign) whole = whole && count == kBatch;
          if (!whole) ++torn;
          ++reads;
          return {};
        });
        EXPECT_TRUE(status) << status.error().message;
        ++attempts;
      } while (!done.load());
    });
  }
  while (attempts.load() == 0) std::this_thread::yield();
  for (int b = 0; b < kBatches; ++b) {
    auto w = store.Write([&](Tx& tx) -> Result<void> {
      for (int i = 0; i < kBatch; ++i) {
        auto id = InsertContact(tx, "b" + std::to_string(b) + "-" + std::to_string(i) + "@x.com",
                                "batch" + std::to_string(b));
        if (!id) return core::Fail(id.error());
      }
      return {};
    });
    ASSERT_TRUE(w) << w.error().message;
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

TEST(SqliteStoreTest, ConcurrentReadersSeeWholeTransactionsInAFile) {
  auto store = TempFileStore();
  ASSERT_TRUE(store);
  ReadersSeeWholeTransactions(*store);
}

TEST(SqliteStoreTest, ConcurrentReadersSeeWholeTransactionsInMemory) {
  auto store = MemoryStore();
  ASSERT_TRUE(store);
  ReadersSeeWholeTransactions(*store);
}

TEST(SqliteStoreTest, ReadersSeeWholeTransactionsWhileTheLogIsCheckpointedBehindThem) {
  TempDir dir;
  base::Metrics metrics;
  SqliteSettings settings{dir.File("c.db"), 3, &metrics};
  settings.checkpoint_pages = 4;  // a checkpoint every few commits
  {
    auto store = OpenOrDie(settings);
    ASSERT_TRUE(store);
    ReadersSeeWholeTransactions(*store);
  }
  // Every commit past the threshold asked for a checkpoint; one still asked for runs before the
  // store closes, so at least one ran whatever the threads' timing.
  EXPECT_GE(metrics.GetCounter("tandem_db_checkpoints_total").Value(), 1u);
  EXPECT_GE(metrics.GetCounter("tandem_db_checkpoint_pages_total").Value(), 1u);
  EXPECT_EQ(metrics.GetHistogram("tandem_db_checkpoint_seconds").Count(),
            metrics.GetCounter("tandem_db_checkpoints_total").Value());
  EXPECT_EQ(RawQuery(dir.File("c.db"), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(RawQuery(dir.File("c.db"), "SELECT count(*) FROM contacts"), "400");
}

TEST(SqliteStoreTest, CheckpointsStayWithSqliteWhenTheThreadIsOff) {
  TempDir dir;
  base::Metrics metrics;
  SqliteSettings settings{dir.File("o.db"), 1, &metrics};
  settings.checkpoint_pages = 0;
  {
    auto store = OpenOrDie(settings);
    ASSERT_TRUE(store);
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
        auto id = InsertContact(tx, "o" + std::to_string(i) + "@x.com");
        if (!id) return core::Fail(id.error());
        return {};
      }));
    }
  }
  EXPECT_EQ(metrics.Render().find("tandem_db_checkpoints_total"), std::string::npos);
  EXPECT_EQ(RawQuery(dir.File("o.db"), "SELECT count(*) FROM contacts"), "20");

  settings.checkpoint_pages = -1;
  auto refused = OpenSqliteStore(settings);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().field, "checkpoint_pages");
}

// Every cohort figure recomputed by an independent query straight over the stage history (no
// contact_reach), on a seeded random base of journeys along the allowed transitions.
TEST(SqliteAnalyticsTest, CohortFiguresMatchAnIndependentQueryOverTheHistory) {
  TempDir dir;
  const std::string path = dir.File("funnel.db");
  auto store = OpenOrDie({path, 1, nullptr});
  ASSERT_NE(store, nullptr);
  std::mt19937 rng(20261127);
  constexpr std::int64_t kHour = 3'600'000;
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
    for (int i = 0; i < 300; ++i) {
      core::Contact c;
      c.email = "p" + std::to_string(i) + "@example.com";
      c.source = (i % 3 == 0) ? "web" : "ads";
      c.created_at = c.updated_at = c.stage_entered_at = kT0;
      TANDEM_ASSIGN(const Id id, tx.contacts().Insert(c));
      std::optional<core::Stage> from;
      core::Stage at_stage = core::Stage::kVisitor;
      std::int64_t hour = static_cast<std::int64_t>(rng() % 400) - 100;
      for (int move = 0; move < 6; ++move) {
        std::vector<core::Stage> next =
            from ? core::AllowedTransitions(*from)
                 : std::vector<core::Stage>{core::Stage::kVisitor, core::Stage::kLead,
                                            core::Stage::kSql};
        if (next.empty()) break;
        at_stage = next[rng() % std::min<std::size_t>(next.size(), 3)];
        core::StageChange ch;
        ch.contact_id = id;
        ch.from = from;
        ch.to = at_stage;
        ch.at = At(hour * kHour);
        if (core::RequiresReason(at_stage)) ch.reason = "r";
        TANDEM_TRY(tx.stages().Append(ch));
        from = at_stage;
        hour += static_cast<std::int64_t>(rng() % 200);
      }
    }
    return {};
  }));
  core::FunnelQuery q;
  q.from = At(0);
  q.to = At(200 * kHour);
  q.window_ms = 72 * kHour;
  std::vector<core::FunnelCounts> f;
  ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(f, tx.analytics().Funnel(q));
    return {};
  }));
  ASSERT_EQ(f.size(), 1u);
  const char* kAtOrAfter[] = {"'visitor','lead','mql','sal','sql','opportunity','customer'",
                              "'lead','mql','sal','sql','opportunity','customer'",
                              "'mql','sal','sql','opportunity','customer'",
                              "'sal','sql','opportunity','customer'",
                              "'sql','opportunity','customer'",
                              "'opportunity','customer'",
                              "'customer'"};
  std::int64_t total_base = 0;
  for (std::size_t k = 0; k < 6; ++k) {
    const std::string sql =
        "WITH h AS (SELECT contact_id, MIN(CASE WHEN to_stage IN (" + std::string(kAtOrAfter[k]) +
        ") THEN at END) AS a, MIN(CASE WHEN to_stage IN (" + std::string(kAtOrAfter[k + 1]) +
        ") THEN at END) AS b FROM stage_history GROUP BY contact_id) "
        "SELECT COUNT(*) || '/' || ifnull(SUM(b IS NOT NULL AND b - a <= " +
        std::to_string(q.window_ms) +
        "), 0) FROM h WHERE a >= " + std::to_string(core::ToMillis(q.from)) + " AND a < " +
        std::to_string(core::ToMillis(q.to));
    EXPECT_EQ(RawQuery(path, sql),
              std::to_string(f[0].base[k]) + "/" + std::to_string(f[0].passed[k]))
        << "step " << k;
    total_base += f[0].base[k];
  }
  EXPECT_GT(total_base, 100);  // the base is not trivially empty

  // Each goal count metric, scoped to source web, against the same independent query.
  const std::pair<core::GoalMetric, std::size_t> kMetrics[] = {
      {core::GoalMetric::kLeads, 1},         {core::GoalMetric::kMqls, 2},
      {core::GoalMetric::kSals, 3},          {core::GoalMetric::kSqls, 4},
      {core::GoalMetric::kOpportunities, 5}, {core::GoalMetric::kNewCustomers, 6}};
  for (const auto& [metric, k] : kMetrics) {
    core::Goal g;
    g.metric = metric;
    g.source = "web";
    std::int64_t value = -1;
    ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(value, tx.analytics().GoalMetricValue(g, q.from, q.to));
      return {};
    }));
    const std::string sql =
        "WITH h AS (SELECT contact_id, MIN(CASE WHEN to_stage IN (" + std::string(kAtOrAfter[k]) +
        ") THEN at END) AS a FROM stage_history GROUP BY contact_id) SELECT COUNT(*) FROM h "
        "JOIN contacts c ON c.id = h.contact_id WHERE c.source = 'web' AND a >= " +
        std::to_string(core::ToMillis(q.from)) + " AND a < " + std::to_string(core::ToMillis(q.to));
    EXPECT_EQ(RawQuery(path, sql), std::to_string(value)) << core::ToString(metric);
  }
}

}  // namespace
}  // namespace tandem::store::sqlite

namespace tandem::store::sqlite {
namespace {

// Migration 0012 builds handoff_assignments again (to allow rule 'manual'): a database with
// assignments and clocks from before keeps every row, the clocks still belong to their
// assignments (and go with them), and ids continue after the old ones.
TEST(SqliteMigrationTest, HandoffAssignmentsRebuiltBy0012KeepTheirRowsClocksAndIds) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  std::vector<Migration> before;
  for (const Migration& m : EmbeddedMigrations()) {
    if (m.version != 12) before.push_back(m);
  }
  {
    auto conn = Connection::Open(path, ConnectionOptions{});
    ASSERT_TRUE(conn) << conn.error().message;
    ASSERT_TRUE(ApplyMigrations(**conn, before));
    ASSERT_TRUE((*conn)->Exec(
        "INSERT INTO users (id, email, name, role, active, created_at, updated_at) "
        "  VALUES (1, 'rep@example.com', 'Rep', 'sales', 1, 0, 0);"
        "INSERT INTO contract_versions (id, name, text, hash, effective_at, activated_at, "
        "  activated_by_label) VALUES (1, 'c', 't', printf('%064d', 0), 0, 0, 'test');"
        "INSERT INTO contacts (id, email, stage, stage_entered_at, created_at, updated_at) "
        "  VALUES (1, 'lead@example.com', 'mql', 0, 0, 0);"
        "INSERT INTO handoff_assignments (id, contact_id, owner_id, owner_email, rule, code, "
        "  text, qualified_at, assigned_at, status) "
        "  VALUES (5, 1, 1, 'rep@example.com', 'round_robin', 'round_robin', 't', 0, 0, 'open');"
        "INSERT INTO handoff_assignments (id, contact_id, owner_id, owner_email, rule, code, "
        "  text, qualified_at, assigned_at, status) "
        "  VALUES (9, 1, 1, 'rep@example.com', 'territory', 'territory:DE', 't', 0, 0, 'closed');"
        "DELETE FROM handoff_assignments WHERE id = 9;"
        "INSERT INTO sla_clocks (id, contact_id, assignment_id, owner_id, obligation, "
        "  contract_version_id, started_at, due_at, target, state) "
        "  VALUES (1, 1, 5, 1, 'first_touch', 1, 0, 10, 1, 'open');"));
  }
  auto store = OpenOrDie({path, 1, nullptr});
  ASSERT_TRUE(store);
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sla_clocks"), "1");
  EXPECT_EQ(RawQuery(path, "SELECT rule || ',' || status FROM handoff_assignments"),
            "round_robin,open");
  EXPECT_EQ(RawQuery(path,
                     "SELECT \"table\" FROM pragma_foreign_key_list('sla_clocks') "
                     "WHERE \"from\" = 'assignment_id'"),
            "handoff_assignments");
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_0012'"), "0");
  EXPECT_EQ(RawQuery(path, "PRAGMA foreign_key_check"), "");
  EXPECT_EQ(RawQuery(path,
                     "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                     "tbl_name = 'handoff_assignments'"),
            "3");
  // A manual assignment is stored, with an id after every id the old table gave.
  core::Assignment a;
  a.contact_id = 1;
  a.owner_id = 1;
  a.owner_email = "rep@example.com";
  a.rule = core::RoutingRule::kManual;
  a.code = "manual";
  a.status = core::AssignmentStatus::kOpen;
  Id id = 0;
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(id, tx.handoff().InsertAssignment(a));
    return {};
  }));
  EXPECT_EQ(id, 10);
  // Deleting the contact still takes its assignments and their clocks: the store's writer has
  // its foreign keys on again after the migration.
  ASSERT_TRUE(store->Write([&](Tx& tx) { return tx.contacts().Delete(1); }));
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM sla_clocks"), "0");
  EXPECT_EQ(RawQuery(path, "SELECT count(*) FROM handoff_assignments"), "0");
}

}  // namespace
}  // namespace tandem::store::sqlite
