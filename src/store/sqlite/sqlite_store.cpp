#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "store/sqlite/bulk_load.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/repos.hpp"
#include "store/sqlite/text_search.hpp"

namespace tandem::store::sqlite {

using core::Error;
using core::Fail;

namespace {

constexpr int kWriterCacheKib = 256 * 1024;
constexpr int kReaderCacheKib = 16 * 1024;
// Address space only; SQLite caps it at its compile-time SQLITE_MAX_MMAP_SIZE.
constexpr std::int64_t kMmapBytes = std::int64_t{64} << 30;

// A connection with what a transaction on it needs. Members are destroyed in reverse order:
// the Tx and the tokenizer go before the connection they use.
struct Session {
  std::unique_ptr<Connection> conn;
  std::unique_ptr<WordTokenizer> words;
  std::unique_ptr<SqliteTx> tx;
  TxEffects effects;
  bool bulk = false;  // within Store::WriteBulk
};

Result<std::unique_ptr<Session>> OpenSession(const std::string& path,
                                             const ConnectionOptions& options) {
  auto session = std::make_unique<Session>();
  TANDEM_ASSIGN(session->conn, Connection::Open(path, options));
  TANDEM_ASSIGN(session->words, WordTokenizer::Open());
  TANDEM_TRY(InstallWordsMatch(*session->conn, *session->words));
  session->tx = std::make_unique<SqliteTx>(
      TxContext{*session->conn, *session->words, &session->effects, &session->bulk});
  return session;
}

// Runs `fn` between `begin` and COMMIT on `s`; rolls back on an error or an exception.
Result<void> RunTx(Session& s, const char* begin, const TxFn& fn, base::Histogram* timing) {
  const auto start = std::chrono::steady_clock::now();
  auto observe = [&] {
    if (timing != nullptr) {
      timing->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  };
  if (auto r = s.conn->Exec(begin); !r) {
    observe();
    return r;
  }
  Result<void> result;
  try {
    result = fn(*s.tx);
  } catch (...) {
    (void)s.conn->Exec("ROLLBACK");
    observe();
    throw;
  }
  if (result) result = s.conn->Exec("COMMIT");
  // A failed statement may already have ended the transaction; a second ROLLBACK is harmless.
  if (!result) (void)s.conn->Exec("ROLLBACK");
  observe();
  return result;
}

// The writer's lock, taken in arrival order. A plain mutex lets the thread that just released
// it take it again before a woken waiter runs: ingest's writer thread, committing group after
// group, would keep the notification thread (or an API write) waiting for several commits.
class FifoLock {
 public:
  void lock() {
    std::unique_lock guard(mu_);
    const std::uint64_t ticket = next_++;
    turn_.wait(guard, [&] { return serving_ == ticket; });
  }
  void unlock() {
    {
      std::lock_guard guard(mu_);
      ++serving_;
    }
    turn_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable turn_;
  std::uint64_t next_ = 0;
  std::uint64_t serving_ = 0;
};

class SqliteStore final : public Store, public BulkStore {
 public:
  SqliteStore(std::unique_ptr<Session> writer, std::vector<std::unique_ptr<Session>> readers,
              bool memory, int version, base::Metrics* metrics)
      : writer_(std::move(writer)),
        readers_(std::move(readers)),
        memory_(memory),
        version_(version) {
    for (auto& r : readers_) free_.push_back(r.get());
    if (metrics != nullptr) {
      const std::string help = "Duration of database transactions";
      read_timing_ = &metrics->GetHistogram("tandem_db_seconds", {{"kind", "read"}}, help);
      write_timing_ = &metrics->GetHistogram("tandem_db_seconds", {{"kind", "write"}}, help);
      // SQLite's own heap (page caches, statements, schemas: every connection of the process),
      // so a rise in the process's memory can be told apart from the caches filling up.
      metrics->SetGauge("tandem_sqlite_memory_bytes",
                        "Memory SQLite holds (page caches, prepared statements), in bytes",
                        [] { return static_cast<double>(sqlite3_memory_used()); });
    }
  }

  ~SqliteStore() override {
    // Lets SQLite refresh statistics the planner found stale during this run.
    (void)writer_->conn->Exec("PRAGMA optimize");
    // Before the connections close: the last one to close checkpoints the rest itself.
    if (checkpointer_) checkpointer_->Stop();
  }

  void SetCheckpointer(std::unique_ptr<Checkpointer> c) { checkpointer_ = std::move(c); }

  Result<void> Write(const TxFn& fn) override {
    bool announced = false;
    Result<void> result;
    {
      std::lock_guard lock(write_mu_);
      std::unique_lock<std::shared_mutex> memory_lock(memory_mu_, std::defer_lock);
      if (memory_) {
        // Holding the turnstile while waiting keeps new readers out, so a stream of reads
        // cannot starve the writer.
        std::lock_guard turn(memory_turnstile_);
        memory_lock.lock();
      }
      writer_->effects = {};
      result = RunTx(*writer_, "BEGIN IMMEDIATE", fn, write_timing_);
      announced = result && writer_->effects.outbox_appended;
    }
    if (announced) {
      std::function<void()> listener;
      {
        std::lock_guard lock(listener_mu_);
        listener = outbox_listener_;
      }
      if (listener) listener();
    }
    return result;
  }

  Result<void> WriteBulk(const BulkFn& fn) override {
    bool announced = false;
    Result<void> result;
    {
      std::lock_guard lock(write_mu_);
      std::unique_lock<std::shared_mutex> memory_lock(memory_mu_, std::defer_lock);
      if (memory_) {
        std::lock_guard turn(memory_turnstile_);
        memory_lock.lock();
      }
      writer_->effects = {};
      Session& w = *writer_;
      result = RunTx(
          w, "BEGIN IMMEDIATE", [&](Tx& tx) { return RunBulk(*w.conn, w.bulk, tx, fn); },
          write_timing_);
      announced = result && writer_->effects.outbox_appended;
    }
    if (announced) {
      std::function<void()> listener;
      {
        std::lock_guard lock(listener_mu_);
        listener = outbox_listener_;
      }
      if (listener) listener();
    }
    return result;
  }

  void SetOutboxListener(std::function<void()> listener) override {
    std::lock_guard lock(listener_mu_);
    outbox_listener_ = std::move(listener);
  }

  Result<void> Read(const TxFn& fn) override {
    Session* reader = Acquire();
    Result<void> result;
    try {
      std::shared_lock<std::shared_mutex> memory_lock(memory_mu_, std::defer_lock);
      if (memory_) {
        std::lock_guard turn(memory_turnstile_);
        memory_lock.lock();
      }
      result = RunTx(*reader, "BEGIN DEFERRED", fn, read_timing_);
    } catch (...) {
      Release(reader);
      throw;
    }
    Release(reader);
    return result;
  }

  std::string_view Backend() const override { return "sqlite"; }
  int SchemaVersion() const override { return version_; }

 private:
  Session* Acquire() {
    std::unique_lock lock(pool_mu_);
    pool_cv_.wait(lock, [this] { return !free_.empty(); });
    Session* s = free_.back();
    free_.pop_back();
    return s;
  }

  void Release(Session* s) {
    {
      std::lock_guard lock(pool_mu_);
      free_.push_back(s);
    }
    pool_cv_.notify_one();
  }

  std::unique_ptr<Session> writer_;
  FifoLock write_mu_;
  std::vector<std::unique_ptr<Session>> readers_;
  std::vector<Session*> free_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  const bool memory_;
  // In-memory databases only (no WAL there): reads and writes take turns.
  std::shared_mutex memory_mu_;
  std::mutex memory_turnstile_;
  const int version_;
  base::Histogram* read_timing_ = nullptr;
  base::Histogram* write_timing_ = nullptr;
  std::mutex listener_mu_;
  std::function<void()> outbox_listener_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteSettings& settings) {
  if (settings.path.empty()) return Fail(Error::Invalid("path", "a database path is required"));
  if (settings.read_connections < 1) {
    return Fail(Error::Invalid("read_connections", "must be at least 1"));
  }
  if (settings.checkpoint_pages < 0) {
    return Fail(Error::Invalid("checkpoint_pages", "must be 0 or more"));
  }
  const bool memory = settings.path == ":memory:";
  std::string path = settings.path;
  if (memory) {
    // Shared-cache names are process-wide; a counter keeps each store's database its own.
    static std::atomic<std::uint64_t> next_memory_db{0};
    path = "file:tandem-mem-" + std::to_string(next_memory_db.fetch_add(1)) +
           "?mode=memory&cache=shared";
  }
  ConnectionOptions options;
  options.uri = memory;
  options.wal = !memory;
  options.cache_kib = kWriterCacheKib;
  options.mmap_bytes = memory ? 0 : kMmapBytes;
  TANDEM_ASSIGN(auto writer, OpenSession(path, options));
  TANDEM_ASSIGN(int version, ApplyMigrations(*writer->conn, EmbeddedMigrations()));
  TANDEM_TRY(writer->conn->Exec("PRAGMA analysis_limit = 1000; ANALYZE"));

  options.read_only = true;
  options.wal = false;
  options.cache_kib = kReaderCacheKib;
  std::vector<std::unique_ptr<Session>> readers;
  for (int i = 0; i < settings.read_connections; ++i) {
    TANDEM_ASSIGN(auto reader, OpenSession(path, options));
    readers.push_back(std::move(reader));
  }
  std::unique_ptr<Checkpointer> checkpointer;
  if (!memory && settings.checkpoint_pages > 0) {
    // A log that grew long while a reader held old pages is cut back when it starts over.
    TANDEM_TRY(writer->conn->Exec("PRAGMA journal_size_limit = 67108864"));
    TANDEM_ASSIGN(checkpointer, Checkpointer::Start(path, *writer->conn, settings.checkpoint_pages,
                                                    settings.metrics));
  }
  // Nothing fails from here: the checkpointer's hook on the writer ends with the store.
  auto store = std::make_unique<SqliteStore>(std::move(writer), std::move(readers), memory, version,
                                             settings.metrics);
  store->SetCheckpointer(std::move(checkpointer));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tandem::store::sqlite
