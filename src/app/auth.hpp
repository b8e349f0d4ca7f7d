// Signing in and proving who you are: password logins creating sessions, bearer tokens,
// cookie sessions with a CSRF token, and API keys with scopes.
//
// Secrets are random 256-bit tokens given to the client once: sessions look like
// "tnd_s_<43 chars>", API keys "tnd_k_<43 chars>". Only their BLAKE2b hashes are stored, so a
// copy of the database does not let anyone sign in. Sessions expire after `session_ttl`.
// Thread-safety: safe to share between threads.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/passwords.hpp"
#include "base/clock.hpp"
#include "core/auth.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Principal;
using core::Result;

struct AuthSettings {
  std::chrono::milliseconds session_ttl = std::chrono::hours(12);
  // How long a resolved credential is trusted without asking the store again. Logout, key
  // revocation and user changes made through this process take effect at once; a change made
  // by another process (a second server on the same database) within this bound. 0 disables.
  std::chrono::milliseconds credential_cache_ttl = std::chrono::seconds(5);
  std::size_t credential_cache_entries = 10'000;
};

struct LoginResult {
  std::string token;  // give to the client; never stored
  core::Session session;
  core::User user;
};

struct NewApiKey {
  std::string secret;  // shown once
  core::ApiKey key;
};

// Who a presented credential belongs to.
struct Authenticated {
  Principal principal;
  std::optional<core::Session> session;  // empty for API keys
};

class AuthService {
 public:
  AuthService(store::Store& store, const base::Clock& clock, const PasswordHasher& hasher,
              AuthSettings settings = {})
      : store_(store), clock_(clock), hasher_(hasher), settings_(settings) {}

  // kUnauthenticated "invalid email or password" for an unknown email, a wrong password, an
  // inactive user or a user without a password, alike.
  Result<LoginResult> Login(std::string_view email, std::string_view password,
                            core::SessionKind kind);
  // A session token or an API key. kUnauthenticated when unknown, expired, revoked, or when
  // the user has been deactivated.
  Result<Authenticated> Authenticate(std::string_view token);
  Result<void> Logout(std::string_view token);

  Result<NewApiKey> CreateApiKey(const Principal& p, std::string name,
                                 std::vector<core::Scope> scopes);
  // Issues a key for `user_id` without a role check: for operators at the command line, who
  // already hold the database. The key acts with that user's role, narrowed by `scopes`.
  Result<NewApiKey> IssueApiKey(const core::Actor& actor, core::Id user_id, std::string name,
                                std::vector<core::Scope> scopes);
  Result<std::vector<core::ApiKey>> ListApiKeys(const Principal& p);
  Result<void> RevokeApiKey(const Principal& p, core::Id id);

  // Deletes expired sessions; run periodically by the scheduler.
  Result<std::int64_t> PurgeExpiredSessions();

  // Drops every cached credential: called when users change (role, activity, password).
  void ForgetCredentials();

 private:
  struct Cached {
    Authenticated who;
    core::Instant valid_until;
  };

  Result<Authenticated> Resolve(store::Tx& tx, std::string_view token);
  std::optional<Authenticated> CachedFor(const std::string& hash, core::Instant now) const;
  std::uint64_t Generation() const;
  void Remember(const std::string& hash, const Authenticated& who, core::Instant now,
                std::uint64_t generation);

  store::Store& store_;
  const base::Clock& clock_;
  const PasswordHasher& hasher_;
  AuthSettings settings_;
  mutable std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, Cached> cache_;  // by token hash
  // Bumped after every change that may invalidate a credential; a lookup that began before
  // the bump does not fill the cache, so a stale snapshot is never remembered.
  std::uint64_t generation_ = 0;
};

}  // namespace tandem::app
