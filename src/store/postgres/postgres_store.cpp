#include "store/postgres/postgres_store.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "store/not_ported.hpp"
#include "store/postgres/connection.hpp"
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
};

Result<std::unique_ptr<Session>> OpenSession(const std::string& url) {
  auto session = std::make_unique<Session>();
  TANDEM_ASSIGN(session->conn, Connection::Open(url));
  TANDEM_ASSIGN(session->words, WordTokenizer::Open());
  session->tx = std::make_unique<PostgresTx>(
      TxContext{*session->conn, *session->words, &session->effects, &session->event_months});
  return session;
}

// Runs `fn` between `begin` and COMMIT on `s`; rolls back on an error or an exception. Runs it
// again when the server reports a serialization failure or a deadlock.
Result<void> RunTx(Session& s, const char* begin, const TxFn& fn) {
  Result<void> result;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
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
        result = fn(*s.tx);
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

class PostgresStore final : public Store {
 public:
  PostgresStore(std::vector<std::unique_ptr<Session>> sessions, int version, base::Metrics* metrics)
      : sessions_(std::move(sessions)), version_(version) {
    for (auto& s : sessions_) free_.push_back(s.get());
    if (metrics != nullptr) {
      const std::string help = "Duration of database transactions";
      read_timing_ = &metrics->GetHistogram("tandem_db_seconds", {{"kind", "read"}}, help);
      write_timing_ = &metrics->GetHistogram("tandem_db_seconds", {{"kind", "write"}}, help);
    }
  }

  Result<void> Write(const TxFn& fn) override {
    bool announced = false;
    Result<void> result;
    {
      // One writer per process at a time: the others wait here rather than holding a pooled
      // connection while they wait for the advisory lock.
      std::lock_guard lock(write_mu_);
      result = Run(kBeginWrite, fn, write_timing_, &announced);
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

  Result<void> Read(const TxFn& fn) override { return Run(kBeginRead, fn, read_timing_, nullptr); }

  void SetOutboxListener(std::function<void()> listener) override {
    std::lock_guard lock(listener_mu_);
    outbox_listener_ = std::move(listener);
  }

  std::string_view Backend() const override { return "postgresql"; }
  int SchemaVersion() const override { return version_; }

 private:
  Result<void> Run(const char* begin, const TxFn& fn, base::Histogram* timing, bool* announced) {
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
    auto result = RunTx(*s, begin, fn);
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
  const int version_;
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
  return std::unique_ptr<Store>(new PostgresStore(std::move(sessions), version, settings.metrics));
}

}  // namespace tandem::store::postgres
