#include "store/postgres/postgres_store.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "store/bulk.hpp"
#include "store/leadership.hpp"
#include "store/not_ported.hpp"
#include "store/postgres/bulk_load.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/leader_lock.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::Error;
using core::Fail;

namespace {

// Held by every write transaction ('tandem' 'writ' in ASCII).
constexpr const char* kBeginWrite =
    "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(7809644331890455156)";
constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
constexpr int kAttempts = 3;

// A connection with the repositories of a transaction on it.
struct Session {
  std::unique_ptr<Connection> conn;
  std::unique_ptr<WordTokenizer> words;
  std::unique_ptr<PostgresTx> tx;
  TxEffects effects;
  std::unordered_set<std::int64_t> event_months;
  bool bulk = false;  // within BulkStore::WriteBulk
};

Result<std::unique_ptr<Session>> OpenSession(const std::string& url) {
  auto session = std::make_unique<Session>();
  TANDEM_ASSIGN(session->conn, Connection::Open(url));
  TANDEM_ASSIGN(session->words, WordTokenizer::Open());
  session->tx = std::make_unique<PostgresTx>(TxContext{
      *session->conn, *session->words, &session->effects, &session->event_months, &session->bulk});
  return session;
}

using SessionFn = std::function<Result<void>(Session&)>;

// Runs `fn` between `begin` and COMMIT on `s`; rolls back on an error or an exception. Runs it
// again when the server reports a serialization failure or a deadlock, up to `attempts` times.
Result<void> RunTx(Session& s, const char* begin, const SessionFn& fn, int attempts) {
  Result<void> result;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    s.conn->ClearState();
    s.effects = {};
    result = s.conn->Exec(begin);
    if (!result && !s.conn->Healthy()) {
      // The server dropped the connection (a restart, a failover, an idle timeout) before the
      // transaction began: nothing ran, so reconnecting and beginning again is safe.
      TANDEM_TRY(s.conn->Reset());
      s.conn->ClearState();
      result = s.conn->Exec(begin);
    }
    if (result) {
      try {
        result = fn(s);
      } catch (const NotPortedError& e) {
        // A repository this backend does not have yet: the request is refused, not the server
        // failed (store/not_ported.hpp).
        s.event_months.clear();
        (void)s.conn->Exec("ROLLBACK");
        return Fail(Error{core::ErrorCode::kUnavailable, e.what(), {}});
      } catch (...) {
        s.event_months.clear();
        (void)s.conn->Exec("ROLLBACK");
        throw;
      }
      if (result) result = s.conn->Exec("COMMIT");
    }
    if (result) return result;
    // A partition of events created in the transaction went with it.
    s.event_months.clear();
    // After a failed statement the transaction is aborted: ROLLBACK ends it (and is harmless
    // when COMMIT already ended it).
    if (s.conn->Healthy()) (void)s.conn->Exec("ROLLBACK");
    if (!IsRetryableState(s.conn->last_state())) return result;
  }
  return result;
}

class PostgresStore final : public Store, public BulkStore, public SharedStore {
 public:
  PostgresStore(std::vector<std::unique_ptr<Session>> sessions, int version,
                const PostgresSettings& settings)
      : sessions_(std::move(sessions)),
        url_(settings.url),
        version_(version),
        bulk_drop_indexes_(settings.bulk_drop_indexes) {
    base::Metrics* metrics = settings.metrics;
    for (auto& s : sessions_) free_.push_back(s.get());
    if (metrics != nullptr) {
      const std::string help = "Duration of database transactions";
      read_timing_ = &metrics->GetHistogram("tandem_db_seconds", {{"kind", "read"}}, help);
      write_timing_ = &metrics->GetHistogram("tandem_db_seconds", {{"kind", "write"}}, help);
    }
  }

  Result<void> Write(const TxFn& fn) override {
    return WriteSession([&](Session& s) { return fn(*s.tx); }, kAttempts);
  }

  // One transaction, never run again (`fn` may read a file once): bulk_load.hpp says what
  // changes for its duration.
  Result<void> WriteBulk(const BulkFn& fn) override {
    return WriteSession(
        [&](Session& s) {
          return RunBulk(BulkContext{*s.conn, s.bulk, s.event_months, bulk_drop_indexes_}, *s.tx,
                         fn);
        },
        1);
  }

  Result<void> WriteSession(const SessionFn& fn, int attempts) {
    bool announced = false;
    Result<void> result;
    {
      // One writer per process at a time: the others wait here rather than holding a pooled
      // connection while they wait for the advisory lock.
      std::lock_guard lock(write_mu_);
      result = Run(kBeginWrite, fn, attempts, write_timing_, &announced);
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

  Result<void> Read(const TxFn& fn) override {
    return Run(
        kBeginRead, [&](Session& s) { return fn(*s.tx); }, kAttempts, read_timing_, nullptr);
  }

  void SetOutboxListener(std::function<void()> listener) override {
    std::lock_guard lock(listener_mu_);
    outbox_listener_ = std::move(listener);
  }

  std::string_view Backend() const override { return "postgresql"; }

  Result<std::unique_ptr<LeaderLock>> OpenLeaderLock() override {
    TANDEM_ASSIGN(auto lock, PostgresLeaderLock::Open(url_));
    return std::unique_ptr<LeaderLock>(std::move(lock));
  }
  int SchemaVersion() const override { return version_; }

 private:
  Result<void> Run(const char* begin, const SessionFn& fn, int attempts, base::Histogram* timing,
                   bool* announced) {
    const auto start = std::chrono::steady_clock::now();
    Session* s = Acquire();
    struct Finally {
      PostgresStore* store;
      Session* s;
      base::Histogram* timing;
      std::chrono::steady_clock::time_point start;
      ~Finally() {
        store->Release(s);
        if (timing != nullptr) {
          timing->Observe(
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
      }
    } finally{this, s, timing, start};
    if (!s->conn->Healthy()) TANDEM_TRY(s->conn->Reset());
    auto result = RunTx(*s, begin, fn, attempts);
    if (result && announced != nullptr) *announced = s->effects.outbox_appended;
    return result;
  }

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

  std::vector<std::unique_ptr<Session>> sessions_;
  std::vector<Session*> free_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::mutex write_mu_;
  const std::string url_;
  const int version_;
  const bool bulk_drop_indexes_;
  base::Histogram* read_timing_ = nullptr;
  base::Histogram* write_timing_ = nullptr;
  std::mutex listener_mu_;
  std::function<void()> outbox_listener_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresSettings& settings) {
  if (settings.url.empty()) return Fail(Error::Invalid("url", "a database URL is required"));
  if (settings.connections < 2) {
    return Fail(Error::Invalid("connections", "must be at least 2"));
  }
  std::vector<std::unique_ptr<Session>> sessions;
  TANDEM_ASSIGN(auto first, OpenSession(settings.url));
  TANDEM_ASSIGN(int version, ApplyMigrations(*first->conn, EmbeddedMigrations()));
  sessions.push_back(std::move(first));
  for (int i = 1; i < settings.connections; ++i) {
    TANDEM_ASSIGN(auto s, OpenSession(settings.url));
    sessions.push_back(std::move(s));
  }
  return std::unique_ptr<Store>(new PostgresStore(std::move(sessions), version, settings));
}

}  // namespace tandem::store::postgres
