// The composition root: from a database location, build the clock, the metrics registry, the
// store and every application service, in that order, and own them.
//
// `tandem serve` adds the HTTP API and the scheduler on top (see serve.hpp); the other CLI
// commands use a Runtime alone. Database locations: a file path or "sqlite:PATH" for the
// embedded database (the default); "postgresql://..." is reserved for the PostgreSQL backend.
// Thread-safety: the objects it owns are thread-safe; the Runtime itself is built once.
#pragma once

#include <memory>
#include <string>

#include "app/services.hpp"
#include "base/clock.hpp"
#include "base/file_clock.hpp"
#include "base/metrics.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace tandem::server {

struct RuntimeSettings {
  std::string db = "tandem.db";
  app::PasswordSettings passwords;
  app::AuthSettings auth;
  int read_connections = 4;
  // Tests and tools may give their own clock; otherwise the system clock is used.
  const base::Clock* clock = nullptr;
  // When set (and `clock` is not): time is read from this file (base::FileClock), so a test
  // can move a real server process through time (`--clock-file`, tests/crash).
  std::string clock_file;
};

class Runtime {
 public:
  static core::Result<std::unique_ptr<Runtime>> Open(const RuntimeSettings& settings);

  base::Metrics& metrics() { return *metrics_; }
  const base::Clock& clock() const { return *clock_; }
  store::Store& store() { return *store_; }
  app::Services& services() { return *services_; }

 private:
  Runtime() = default;

  std::unique_ptr<base::Metrics> metrics_;
  std::unique_ptr<base::SystemClock> system_clock_;
  std::unique_ptr<base::FileClock> file_clock_;
  const base::Clock* clock_ = nullptr;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Services> services_;
};

// The SQLite file path of a database location, or an error for an unsupported scheme.
core::Result<std::string> SqlitePathOf(const std::string& db);

}  // namespace tandem::server
