#include "server/runtime.hpp"

#include <charconv>
#include <string_view>
#include <vector>

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::server {
namespace {

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Splits "a=1&b=2" into its parameters, in order.
std::vector<std::string> SplitQuery(const std::string& query) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= query.size()) {
    const auto amp = query.find('&', start);
    const auto end = amp == std::string::npos ? query.size() : amp;
    if (end > start) out.push_back(query.substr(start, end - start));
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

}  // namespace

bool IsPostgresUrl(const std::string& db) {
  return StartsWith(db, "postgresql://") || StartsWith(db, "postgres://");
}

core::Result<DbLocation> ParseDbLocation(const std::string& db) {
  DbLocation loc;
  if (!IsPostgresUrl(db)) {
    loc.target = StartsWith(db, "sqlite:") ? db.substr(7) : db;
    if (loc.target.empty()) {
      return core::Fail(core::Error::Invalid("db", "the database path is empty"));
    }
    return loc;
  }
  loc.kind = DbLocation::Kind::kPostgres;
  const auto q = db.find('?');
  if (q == std::string::npos) {
    loc.target = db;
    return loc;
  }
  // pool_size is Tandem's own parameter: libpq refuses parameters it does not know.
  std::string kept;
  for (const auto& param : SplitQuery(db.substr(q + 1))) {
    if (!StartsWith(param, "pool_size=")) {
      kept += (kept.empty() ? "" : "&") + param;
      continue;
    }
    const std::string value = param.substr(10);
    int n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || n < 2 ||
        n > DbLocation::kMaxPool) {
      return core::Fail(core::Error::Invalid(
          "db", "pool_size must be a whole number of connections from 2 to " +
                    std::to_string(DbLocation::kMaxPool) + ", not \"" + value + "\""));
    }
    loc.pool_size = n;
  }
  loc.target = db.substr(0, q) + (kept.empty() ? "" : "?" + kept);
  return loc;
}

core::Result<std::string> SqlitePathOf(const std::string& db) {
  if (IsPostgresUrl(db)) {
    return core::Fail(core::Error::Invalid(
        "db",
        "this command works on a SQLite database only (it uses SQLite's online backup); back a "
        "PostgreSQL database up with pg_dump and restore it with pg_restore (docs/deploy.md)"));
  }
  TANDEM_ASSIGN(auto loc, ParseDbLocation(db));
  return loc.target;
}

std::string DisplayDb(const std::string& db) {
  if (!IsPostgresUrl(db)) return db;
  std::string out = db;
  const auto authority = out.find("://") + 3;
  const auto authority_end = out.find_first_of("/?", authority);
  const auto at = out.rfind('@', authority_end == std::string::npos ? out.size() : authority_end);
  if (at != std::string::npos && at >= authority) {
    const auto colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // A password given as a parameter.
  for (auto p = out.find("password=", 0); p != std::string::npos; p = out.find("password=", p)) {
    if (p > 0 && out[p - 1] != '?' && out[p - 1] != '&') {
      p += 9;
      continue;
    }
    const auto end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
    p += 12;
  }
  return out;
}

core::Result<std::unique_ptr<Runtime>> Runtime::Open(const RuntimeSettings& settings) {
  TANDEM_ASSIGN(DbLocation loc, ParseDbLocation(settings.db));
  int pool = settings.db_pool > 0 ? settings.db_pool
                                  : (loc.pool_size > 0 ? loc.pool_size : DbLocation::kDefaultPool);
  if (loc.kind == DbLocation::Kind::kPostgres && (pool < 2 || pool > DbLocation::kMaxPool)) {
    return core::Fail(core::Error::Invalid(
        "db_pool", "must be from 2 to " + std::to_string(DbLocation::kMaxPool) + " connections"));
  }
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
  if (loc.kind == DbLocation::Kind::kPostgres) {
    store::postgres::PostgresSettings ps;
    ps.url = loc.target;
    ps.connections = pool;
    ps.metrics = rt->metrics_.get();
    auto opened = store::postgres::OpenPostgresStore(ps);
    if (!opened) {
      core::Error e = std::move(opened.error());
      if (e.field == "url") e.field = "db";
      return core::Fail(std::move(e));
    }
    rt->store_ = std::move(*opened);
  } else {
    store::sqlite::SqliteSettings ss;
    ss.path = loc.target;
    ss.read_connections = settings.read_connections;
    ss.metrics = rt->metrics_.get();
    TANDEM_ASSIGN(rt->store_, store::sqlite::OpenSqliteStore(ss));
  }
  rt->services_ =
      std::make_unique<app::Services>(*rt->store_, *rt->clock_, settings.passwords, settings.auth);
  return rt;
}

}  // namespace tandem::server
