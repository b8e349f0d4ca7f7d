// Signing in and proving who you are: password logins creating sessions, bearer tokens,
// cookie sessions with a CSRF token, and API keys with scopes.
//
// Secrets are random 256-bit tokens given to the client once: sessions look like
// "tnd_s_<43 chars>", API keys "tnd_k_<43 chars>". Only their BLAKE2b hashes are stored, so a
// copy of the database does not let anyone sign in. Sessions expire after `session_ttl`.
// Thread-safety: safe to share between threads.
#pragma once

#include <chrono>
#include <optional>
#include <string>
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

 private:
  Result<Authenticated> Resolve(store::Tx& tx, std::string_view token);

  store::Store& store_;
  const base::Clock& clock_;
  const PasswordHasher& hasher_;
  AuthSettings settings_;
};

}  // namespace tandem::app
