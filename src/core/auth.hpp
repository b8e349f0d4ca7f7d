// Credentials Tandem keeps: login sessions and API keys (secrets are held only as hashes).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/permissions.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class SessionKind : std::uint8_t { kBearer, kCookie };
std::string_view ToString(SessionKind k);
std::optional<SessionKind> SessionKindFromString(std::string_view text);

// A login. The token itself is given to the client once; only its hash is stored.
struct Session {
  std::string token_hash;  // hex of a keyed hash of the token
  Id user_id = 0;
  SessionKind kind = SessionKind::kBearer;
  std::string csrf_token;  // cookie sessions: the value the dashboard echoes in X-CSRF-Token
  Instant created_at{};
  Instant expires_at{};
};

// A long-lived key acting for `user_id`, narrowed by `scopes`.
struct ApiKey {
  Id id = 0;
  std::string name;
  Id user_id = 0;
  std::string prefix;  // first characters of the key, shown in lists to tell keys apart
  std::vector<Scope> scopes;
  Instant created_at{};
  std::optional<Instant> revoked_at;
};

// "read,write" <-> {kRead, kWrite}; unknown names are an kInvalidArgument on field "scopes".
std::string JoinScopes(const std::vector<Scope>& scopes);
Result<std::vector<Scope>> ParseScopes(std::string_view text);

}  // namespace tandem::core
