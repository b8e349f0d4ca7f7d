#include "server/runtime.hpp"

#include "store/sqlite/sqlite_store.hpp"

namespace tandem::server {

core::Result<std::string> SqlitePathOf(const std::string& db) {
  if (db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0) {
    return core::Fail(core::Error::Invalid(
        "db", "PostgreSQL is not available in this build of Tandem yet; use a SQLite path"));
  }
  std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
  if (path.empty()) return core::Fail(core::Error::Invalid("db", "the database path is empty"));
  return path;
}

core::Result<std::unique_ptr<Runtime>> Runtime::Open(const RuntimeSettings& settings) {
  TANDEM_ASSIGN(std::string path, SqlitePathOf(settings.db));
  std::unique_ptr<Runtime> rt(new Runtime());
  rt->metrics_ = std::make_unique<base::Metrics>();
  if (settings.clock) {
    rt->clock_ = settings.clock;
  } else if (!settings.clock_file.empty()) {
    TANDEM_ASSIGN(rt->file_clock_, base::FileClock::Open(settings.clock_file));
    rt->clock_ = rt->file_clock_.get();
  } else {
    rt->system_clock_ = std::make_unique<base::SystemClock>();
    rt->clock_ = rt->system_clock_.get();
  }
  store::sqlite::SqliteSettings ss;
  ss.path = path;
  ss.read_connections = settings.read_connections;
  ss.metrics = rt->metrics_.get();
  TANDEM_ASSIGN(rt->store_, store::sqlite::OpenSqliteStore(ss));
  rt->services_ =
      std::make_unique<app::Services>(*rt->store_, *rt->clock_, settings.passwords, settings.auth);
  return rt;
}

}  // namespace tandem::server
