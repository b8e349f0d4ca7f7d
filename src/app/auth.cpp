#include "app/auth.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;

namespace {

constexpr std::string_view kSessionPrefix = "tnd_s_";
constexpr std::string_view kKeyPrefix = "tnd_k_";

Error BadLogin() {
  return Error::Unauthenticated("invalid email or password");
}
Error BadToken() {
  return Error::Unauthenticated("the token is invalid or has expired");
}

core::AuditEntry Entry(core::Instant at, const core::Actor& actor, std::string entity, core::Id id,
                       core::AuditAction action) {
  core::AuditEntry e;
  e.at = at;
  e.actor = actor;
  e.entity = std::move(entity);
  e.entity_id = id;
  e.action = action;
  return e;
}

}  // namespace

Result<LoginResult> AuthService::Login(std::string_view email, std::string_view password,
                                       core::SessionKind kind) {
  auto normalized = core::NormalizeEmail(email);
  std::optional<core::User> user;
  std::string hash;
  if (normalized) {
    TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(user, tx.users().FindByEmail(*normalized));
      if (user) {
        TANDEM_ASSIGN(hash, tx.users().GetPasswordHash(user->id));
      }
      return {};
    }));
  }
  // Verifying even when there is no user keeps a wrong email as slow as a wrong password.
  static const std::string kDummy = hasher_.Hash("tandem-dummy-password").value_or("");
  const bool ok = hasher_.Verify(hash.empty() ? kDummy : hash, password) && !hash.empty();
  if (!ok || !user || !user->active) return Fail(BadLogin());

  LoginResult out;
  out.user = *user;
  out.token = std::string(kSessionPrefix) + RandomToken();
  const auto now = clock_.Now();
  out.session.token_hash = HashSecret(out.token);
  out.session.user_id = user->id;
  out.session.kind = kind;
  out.session.csrf_token = kind == core::SessionKind::kCookie ? RandomToken(24) : std::string();
  out.session.created_at = now;
  out.session.expires_at = now + settings_.session_ttl;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(tx.auth().InsertSession(out.session));
    auto e = Entry(now, core::Actor::User(user->id, user->email), "user", user->id,
                   core::AuditAction::kLogin);
    e.changes.push_back({"session", "", std::string(core::ToString(kind))});
    TANDEM_TRY(tx.audit().Append(e));
    return {};
  }));
  return out;
}

Result<Authenticated> AuthService::Resolve(store::Tx& tx, std::string_view token) {
  const bool is_key = token.substr(0, kKeyPrefix.size()) == kKeyPrefix;
  const bool is_session = token.substr(0, kSessionPrefix.size()) == kSessionPrefix;
  if (!is_key && !is_session) return Fail(BadToken());
  const std::string hash = HashSecret(token);
  Authenticated out;
  core::Id user_id = 0;
  if (is_session) {
    TANDEM_ASSIGN(auto session, tx.auth().FindSession(hash));
    if (!session || session->expires_at <= clock_.Now()) return Fail(BadToken());
    user_id = session->user_id;
    out.session = std::move(session);
  } else {
    TANDEM_ASSIGN(auto key, tx.auth().FindApiKeyBySecretHash(hash));
    if (!key || key->revoked_at) return Fail(BadToken());
    user_id = key->user_id;
    out.principal.scopes = key->scopes;
  }
  TANDEM_ASSIGN(auto user, tx.users().Get(user_id));
  if (!user || !user->active) return Fail(BadToken());
  out.principal.user_id = user->id;
  out.principal.email = user->email;
  out.principal.role = user->role;
  return out;
}

Result<Authenticated> AuthService::Authenticate(std::string_view token) {
  const auto now = clock_.Now();
  const bool cacheable = settings_.credential_cache_ttl.count() > 0 &&
                         (token.starts_with(kSessionPrefix) || token.starts_with(kKeyPrefix));
  std::string hash;
  if (cacheable) {
    hash = HashSecret(token);
    if (auto hit = CachedFor(hash, now)) return std::move(*hit);
  }
  const std::uint64_t generation = Generation();
  Authenticated out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, Resolve(tx, token));
    return {};
  }));
  if (cacheable) Remember(hash, out, now, generation);
  return out;
}

std::optional<Authenticated> AuthService::CachedFor(const std::string& hash,
                                                    core::Instant now) const {
  std::shared_lock lock(cache_mutex_);
  auto it = cache_.find(hash);
  if (it == cache_.end() || it->second.valid_until <= now) return std::nullopt;
  return it->second.who;
}

std::uint64_t AuthService::Generation() const {
  std::shared_lock lock(cache_mutex_);
  return generation_;
}

void AuthService::Remember(const std::string& hash, const Authenticated& who, core::Instant now,
                           std::uint64_t generation) {
  core::Instant until = now + settings_.credential_cache_ttl;
  if (who.session) until = std::min(until, who.session->expires_at);
  std::unique_lock lock(cache_mutex_);
  if (generation != generation_) return;
  // Bounded: when full, start again rather than track recency; refills cost one read each.
  if (cache_.size() >= settings_.credential_cache_entries) cache_.clear();
  cache_.insert_or_assign(hash, Cached{who, until});
}

void AuthService::ForgetCredentials() {
  std::unique_lock lock(cache_mutex_);
  cache_.clear();
  ++generation_;
}

Result<void> AuthService::Logout(std::string_view token) {
  auto done = store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto who, Resolve(tx, token));
    if (!who.session) return Fail(Error::Invalid("token", "API keys are revoked, not logged out"));
    TANDEM_TRY(tx.auth().DeleteSession(who.session->token_hash));
    TANDEM_TRY(tx.audit().Append(Entry(clock_.Now(), who.principal.AsActor(), "user",
                                       who.principal.user_id, core::AuditAction::kLogout)));
    return {};
  });
  if (done) ForgetCredentials();
  return done;
}

Result<NewApiKey> AuthService::CreateApiKey(const Principal& p, std::string name,
                                            std::vector<core::Scope> scopes) {
  TANDEM_TRY(core::Authorize(p, core::Verb::kCreate, core::Resource::kApiKey));
  return IssueApiKey(p.AsActor(), p.user_id, std::move(name), std::move(scopes));
}

Result<NewApiKey> AuthService::IssueApiKey(const core::Actor& actor, core::Id user_id,
                                           std::string name, std::vector<core::Scope> scopes) {
  if (name.empty() || name.size() > core::kShortTextMax) {
    return Fail(Error::Invalid("name", "is required (at most 256 bytes)"));
  }
  if (scopes.empty()) return Fail(Error::Invalid("scopes", "at least one scope is required"));
  NewApiKey out;
  out.secret = std::string(kKeyPrefix) + RandomToken();
  out.key.name = std::move(name);
  out.key.user_id = user_id;
  out.key.prefix = out.secret.substr(0, kKeyPrefix.size() + 6);
  out.key.scopes = std::move(scopes);
  out.key.created_at = clock_.Now();
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto user, tx.users().Get(user_id));
    if (!user) {
      return Fail(Error::Invalid("user_id", "user " + std::to_string(user_id) + " does not exist"));
    }
    TANDEM_ASSIGN(out.key.id, tx.auth().InsertApiKey(out.key, HashSecret(out.secret)));
    auto e = Entry(out.key.created_at, actor, "api_key", out.key.id, core::AuditAction::kKeyCreate);
    e.changes.push_back({"name", "", out.key.name});
    e.changes.push_back({"user_id", "", std::to_string(user_id)});
    e.changes.push_back({"scopes", "", core::JoinScopes(out.key.scopes)});
    TANDEM_TRY(tx.audit().Append(e));
    return {};
  }));
  return out;
}

Result<std::vector<core::ApiKey>> AuthService::ListApiKeys(const Principal& p) {
  TANDEM_TRY(core::Authorize(p, core::Verb::kUpdate, core::Resource::kApiKey));
  std::vector<core::ApiKey> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.auth().ListApiKeys());
    return {};
  }));
  return out;
}

Result<void> AuthService::RevokeApiKey(const Principal& p, core::Id id) {
  TANDEM_TRY(core::Authorize(p, core::Verb::kDelete, core::Resource::kApiKey));
  auto done = store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto key, tx.auth().GetApiKey(id));
    if (!key) return Fail(Error::NotFound("API key " + std::to_string(id) + " does not exist"));
    if (key->revoked_at) return {};
    const auto now = clock_.Now();
    TANDEM_TRY(tx.auth().RevokeApiKey(id, now));
    TANDEM_TRY(
        tx.audit().Append(Entry(now, p.AsActor(), "api_key", id, core::AuditAction::kKeyRevoke)));
    return {};
  });
  // After the commit: the cache is keyed by secret hash, which a key's id does not give.
  if (done) ForgetCredentials();
  return done;
}

Result<std::int64_t> AuthService::PurgeExpiredSessions() {
  std::int64_t n = 0;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(n, tx.auth().DeleteSessionsExpiredBefore(clock_.Now()));
    return {};
  }));
  return n;
}

}  // namespace tandem::app
