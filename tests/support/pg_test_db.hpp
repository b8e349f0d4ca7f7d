// Databases of their own for tests against PostgreSQL (the store suite, the API suite on
// PostgreSQL, the CLI): each a copy of a migrated template (CREATE DATABASE ... TEMPLATE, tens of
// milliseconds), or an empty database for tests of the migrations themselves.
//
// TANDEM_TEST_PG_URL names a database on a server where the user may create databases
// (scripts/test.sh starts a throw-away cluster and sets it). Without it the tests skip, saying
// why (NoServerReason), unless TANDEM_TEST_PG_REQUIRED=1 (set by scripts/test.sh, so CI never
// skips them silently): then NewDatabase fails the test.
#pragma once

#include <memory>
#include <string>

#include "base/metrics.hpp"

#include "store/bulk.hpp"
#include "store/leadership.hpp"
#include "store/postgres/connection.hpp"
#include "store/store.hpp"

namespace tandem::store::postgres::testdb {

// TANDEM_TEST_PG_URL, or "".
std::string ServerUrl();

// TANDEM_TEST_PG_REQUIRED=1.
bool Required();

// Why the PostgreSQL tests cannot run here; empty when they can (or must, and will fail).
std::string NoServerReason();

// `url` with its database replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database);

// A connection to ServerUrl() (a test failure and null when it cannot be made).
std::unique_ptr<Connection> Admin();

// The name of the migrated template for this build's migrations: FNV-1a of their text, so a
// cluster reused across builds never hands out a stale schema.
std::string TemplateName();

// A new database (a copy of the migrated template, or empty when `migrated` is false); its
// name, or "" after a test failure.
std::string NewDatabase(bool migrated = true);

// The URL of database `name` on the test server.
std::string DatabaseUrl(const std::string& name);

// Drops `name`, closing whatever connections it still has.
void DropDatabase(const std::string& name);

// A database of its own for the lifetime of this object, dropped afterwards.
class ScratchDatabase {
 public:
  explicit ScratchDatabase(bool migrated = true) : name_(NewDatabase(migrated)) {}
  ~ScratchDatabase() {
    if (!name_.empty()) DropDatabase(name_);
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  bool ok() const { return !name_.empty(); }
  const std::string& name() const { return name_; }
  std::string url() const { return DatabaseUrl(name_); }

 private:
  std::string name_;
};

// A store on a database of its own, dropped with the store.
class ScratchStore final : public Store, public BulkStore, public SharedStore {
 public:
  ScratchStore(std::unique_ptr<Store> inner, std::string database)
      : inner_(std::move(inner)), database_(std::move(database)) {}
  ~ScratchStore() override {
    inner_.reset();
    DropDatabase(database_);
  }
  Result<void> Write(const TxFn& fn) override { return inner_->Write(fn); }
  Result<void> Read(const TxFn& fn) override { return inner_->Read(fn); }
  Result<void> WriteBulk(const BulkFn& fn) override { return BulkOf(*inner_)->WriteBulk(fn); }
  Result<std::unique_ptr<LeaderLock>> OpenLeaderLock() override {
    return SharedOf(*inner_)->OpenLeaderLock();
  }
  void SetOutboxListener(std::function<void()> listener) override {
    inner_->SetOutboxListener(std::move(listener));
  }
  std::string_view Backend() const override { return inner_->Backend(); }
  int SchemaVersion() const override { return inner_->SchemaVersion(); }
  const std::string& database() const { return database_; }

 private:
  std::unique_ptr<Store> inner_;
  std::string database_;
};

// A PostgreSQL store (`connections` pooled, `metrics` may be null, bulk mode dropping the indexes
// when asked) on a new copy of the migrated template, dropped with it; null after a test failure.
std::unique_ptr<ScratchStore> NewStore(int connections = 3, base::Metrics* metrics = nullptr,
                                       bool bulk_drop_indexes = false);

}  // namespace tandem::store::postgres::testdb
