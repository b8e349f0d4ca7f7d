// The PostgreSQL LeaderLock (store/leadership.hpp): a session-level advisory lock taken on a
// connection of its own. PostgreSQL releases a session lock when the session ends, so a leader
// that dies (or whose machine or network does) lets the lock go without anyone's help:
//  * a killed process: its socket closes at once and the server ends the session;
//  * a lost machine or network: the connection is set up so that both ends give up on a silent
//    peer within about 10 s: TCP keepalives after 5 s idle, every 2 s, 3 probes, and a
//    10 s TCP user timeout for data left unacknowledged, asked of libpq (client side) and set
//    in the session (server side: tcp_keepalives_*, tcp_user_timeout).
// Hold confirms the lock by asking pg_locks whether this session holds it (not only whether the
// connection answers), so a lock released behind Tandem's back (pg_advisory_unlock_all, an
// administrator's pg_terminate_backend) is noticed at the next Hold.
// Internal to the PostgreSQL backend; PostgresStore::OpenLeaderLock hands it out.
#pragma once

#include <memory>
#include <string>

#include "store/leadership.hpp"
#include "store/postgres/connection.hpp"

namespace tandem::store::postgres {

// The lock's key ('tandlead' in ASCII), a bigint: pg_locks shows it as classid (high 32 bits)
// and objid (low 32 bits) with objsubid 1.
inline constexpr std::int64_t kLeaderLockKey = 8386105358734942564;

class PostgresLeaderLock final : public LeaderLock {
 public:
  // Connects to `url` (the store's URL) with the keepalive settings above.
  static Result<std::unique_ptr<PostgresLeaderLock>> Open(const std::string& url);
  ~PostgresLeaderLock() override;

  Result<bool> Hold() override;
  void Release() override;

 private:
  explicit PostgresLeaderLock(std::string url) : url_(std::move(url)) {}
  Result<void> Connect();

  std::string url_;
  std::unique_ptr<Connection> conn_;
  bool held_ = false;
};

}  // namespace tandem::store::postgres
