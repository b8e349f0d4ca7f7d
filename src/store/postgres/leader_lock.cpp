#include "store/postgres/leader_lock.hpp"

namespace tandem::store::postgres {

using core::Error;
using core::Fail;

namespace {

// libpq's side: a silent server is given up on within about 10 s.
const std::vector<std::pair<std::string, std::string>> kClientOptions = {
    {"keepalives", "1"},
    {"keepalives_idle", "5"},
    {"keepalives_interval", "2"},
    {"keepalives_count", "3"},
    {"tcp_user_timeout", "10000"},
    {"connect_timeout", "10"},
    {"application_name", "tandem leader lock"}};

// The server's side: the session of a silent leader ends within about 10 s, releasing the lock.
constexpr const char* kServerSettings =
    "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; "
    "SET tcp_keepalives_count = 3; SET tcp_user_timeout = 10000";

constexpr const char* kTryLock = "SELECT pg_try_advisory_lock($1::bigint)";
constexpr const char* kHeld =
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND "
    "granted AND objsubid = 1 AND classid = ($1::bigint >> 32)::oid AND objid = ($1::bigint & "
    "4294967295)::oid";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock($1::bigint)";

}  // namespace

Result<std::unique_ptr<PostgresLeaderLock>> PostgresLeaderLock::Open(const std::string& url) {
  std::unique_ptr<PostgresLeaderLock> lock(new PostgresLeaderLock(url));
  TANDEM_TRY(lock->Connect());
  return lock;
}

PostgresLeaderLock::~PostgresLeaderLock() {
  Release();
}

Result<void> PostgresLeaderLock::Connect() {
  held_ = false;
  conn_.reset();
  TANDEM_ASSIGN(auto conn, Connection::Open(url_, kClientOptions));
  TANDEM_TRY(conn->Exec(kServerSettings));
  conn_ = std::move(conn);
  return {};
}

Result<bool> PostgresLeaderLock::Hold() {
  if (!conn_ || !conn_->Healthy()) {
    // The session is gone, and the lock with it (if it was held): a new session asks afresh.
    TANDEM_TRY(Connect());
  }
  auto ask = [&](const char* sql) -> Result<bool> {
    TANDEM_ASSIGN(auto stmt, conn_->Prepare(sql));
    stmt.Bind(kLeaderLockKey);
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return Fail(Error::Internal("the leader lock query returned no row"));
    const auto v = stmt.TextView(0);
    return v == "t" || v == "1";
  };
  Result<bool> answer = held_ ? ask(kHeld) : ask(kTryLock);
  if (!answer) {
    // Whatever this session held is to be taken as lost; the next Hold connects again.
    held_ = false;
    conn_.reset();
    return answer;
  }
  if (held_ && !*answer) {
    // Released behind Tandem's back (the session lives on): ask for it again at once.
    answer = ask(kTryLock);
    if (!answer) {
      conn_.reset();
      return answer;
    }
  }
  held_ = *answer;
  return held_;
}

void PostgresLeaderLock::Release() {
  if (held_ && conn_ && conn_->Healthy()) {
    if (auto stmt = conn_->Prepare(kUnlock)) {
      stmt->Bind(kLeaderLockKey);
      (void)stmt->Run();
    }
  }
  held_ = false;
}

}  // namespace tandem::store::postgres
