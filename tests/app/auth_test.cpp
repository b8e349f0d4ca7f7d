#include "app/auth.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app_fixture.hpp"

namespace tandem::app::apptest {
namespace {

using core::ErrorCode;
using core::Scope;
using core::SessionKind;

class AuthServiceTest : public AppTest {};

TEST_F(AuthServiceTest, LoginIssuesASessionToken) {
  clock_.Advance(1min);
  auto r = svc().auth.Login(" Rep1@ACME.example ", kPassword, SessionKind::kBearer);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->token.rfind("tnd_s_", 0), 0u);
  EXPECT_EQ(r->token.size(), 6u + 43u);
  EXPECT_EQ(r->user.id, rep1_.id);
  EXPECT_EQ(r->session.user_id, rep1_.id);
  EXPECT_EQ(r->session.kind, SessionKind::kBearer);
  EXPECT_EQ(r->session.created_at, kT0 + 1min);
  EXPECT_EQ(r->session.expires_at, kT0 + 1min + kSessionTtl);
  EXPECT_TRUE(r->session.csrf_token.empty());
  // Only a hash is kept, never the token.
  EXPECT_NE(r->session.token_hash, r->token);
  EXPECT_EQ(r->session.token_hash, HashSecret(r->token));

  const auto audit = AuditOf("user", rep1_.id);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].action, core::AuditAction::kLogin);
  EXPECT_EQ(audit[0].at, kT0 + 1min);
}

TEST_F(AuthServiceTest, EveryLoginGetsItsOwnToken) {
  auto a = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kBearer);
  auto b = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kBearer);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->token, b->token);
  EXPECT_TRUE(svc().auth.Authenticate(a->token));
  EXPECT_TRUE(svc().auth.Authenticate(b->token));
}

TEST_F(AuthServiceTest, CookieSessionsCarryACsrfToken) {
  auto r = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kCookie);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->session.kind, SessionKind::kCookie);
  EXPECT_FALSE(r->session.csrf_token.empty());
  auto who = svc().auth.Authenticate(r->token);
  ASSERT_TRUE(who);
  ASSERT_TRUE(who->session);
  EXPECT_EQ(who->session->csrf_token, r->session.csrf_token);
}

TEST_F(AuthServiceTest, LoginFailuresAreIndistinguishable) {
  MakeUser("nopass@acme.example", core::Role::kSales, "");
  auto inactive = MakeUser("gone@acme.example", core::Role::kSales);
  UserPatch off;
  off.active = false;
  ASSERT_TRUE(svc().users.Update(admin(), inactive.id, off));

  struct Attempt {
    std::string email, password, what;
  };
  const std::vector<Attempt> attempts = {
      {"nobody@acme.example", std::string(kPassword), "unknown email"},
      {"rep1@acme.example", "wrong password!", "wrong password"},
      {"rep1@acme.example", "", "empty password"},
      {"nopass@acme.example", std::string(kPassword), "user without a password"},
      {"gone@acme.example", std::string(kPassword), "inactive user"},
      {"not an email", std::string(kPassword), "malformed email"},
      {"", "", "nothing"},
  };
  const auto audit_before = AuditOf("user", rep1_.id).size();
  for (const auto& a : attempts) {
    auto r = svc().auth.Login(a.email, a.password, SessionKind::kBearer);
    ASSERT_FALSE(r) << a.what;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << a.what;
    EXPECT_EQ(r.error().message, "invalid email or password") << a.what;
    EXPECT_TRUE(r.error().field.empty()) << a.what;
  }
  EXPECT_EQ(AuditOf("user", rep1_.id).size(), audit_before);
}

TEST_F(AuthServiceTest, AuthenticateResolvesTheSessionsUser) {
  auto login = svc().auth.Login("marketer@acme.example", kPassword, SessionKind::kBearer);
  ASSERT_TRUE(login);
  auto who = svc().auth.Authenticate(login->token);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->principal.user_id, marketer_.id);
  EXPECT_EQ(who->principal.email, "marketer@acme.example");
  EXPECT_EQ(who->principal.role, core::Role::kMarketing);
  EXPECT_EQ(who->principal.scopes, std::nullopt);
  ASSERT_TRUE(who->session);
  EXPECT_EQ(who->session->user_id, marketer_.id);
}

TEST_F(AuthServiceTest, UnknownAndForgedTokensAreRejected) {
  auto login = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kBearer);
  ASSERT_TRUE(login);
  std::string tampered = login->token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  for (const std::string& t :
       {std::string(), std::string("tnd_s_"), std::string("tnd_s_") + std::string(43, 'A'),
        std::string("tnd_k_") + std::string(43, 'A'), login->token.substr(6), tampered,
        "Bearer " + login->token, login->session.token_hash}) {
    EXPECT_TRUE(FailsWith(svc().auth.Authenticate(t), ErrorCode::kUnauthenticated)) << t;
  }
}

TEST_F(AuthServiceTest, SessionsExpireAfterTheTtl) {
  auto login = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kBearer);
  ASSERT_TRUE(login);
  clock_.Advance(kSessionTtl - 1ms);
  EXPECT_TRUE(svc().auth.Authenticate(login->token));
  clock_.Advance(1ms);  // exactly at expires_at: expired
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(login->token), ErrorCode::kUnauthenticated));
  clock_.Advance(24h);
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(login->token), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(FailsWith(svc().auth.Logout(login->token), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, LogoutEndsOnlyThatSession) {
  auto a = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kBearer);
  auto b = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kCookie);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(svc().auth.Logout(a->token));
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(a->token), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(svc().auth.Authenticate(b->token));
  EXPECT_TRUE(FailsWith(svc().auth.Logout(a->token), ErrorCode::kUnauthenticated));
  const auto audit = AuditOf("user", rep1_.id);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].action, core::AuditAction::kLogout);
}

TEST_F(AuthServiceTest, PurgeDeletesOnlyExpiredSessions) {
  auto early1 = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kBearer);
  auto early2 = svc().auth.Login("rep2@acme.example", kPassword, SessionKind::kCookie);
  clock_.Advance(6h);
  auto late = svc().auth.Login("manager@acme.example", kPassword, SessionKind::kBearer);
  ASSERT_TRUE(early1 && early2 && late);

  auto none = svc().auth.PurgeExpiredSessions();
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);

  clock_.Set(kT0 + kSessionTtl + 1ms);
  auto purged = svc().auth.PurgeExpiredSessions();
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(*purged, 2);
  EXPECT_TRUE(svc().auth.Authenticate(late->token));
  auto again = svc().auth.PurgeExpiredSessions();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);

  clock_.Set(kT0 + 6h + kSessionTtl + 1ms);
  auto last = svc().auth.PurgeExpiredSessions();
  ASSERT_TRUE(last);
  EXPECT_EQ(*last, 1);
}

// ----- API keys ------------------------------------------------------------------------------

TEST_F(AuthServiceTest, ApiKeySecretIsShownOnceAndIdentifiedByItsPrefix) {
  clock_.Advance(1h);
  auto k = svc().auth.CreateApiKey(admin(), "zapier", {Scope::kRead, Scope::kWrite});
  ASSERT_TRUE(k) << k.error().message;
  EXPECT_EQ(k->secret.rfind("tnd_k_", 0), 0u);
  EXPECT_EQ(k->secret.size(), 6u + 43u);
  EXPECT_EQ(k->key.prefix, k->secret.substr(0, 12));
  EXPECT_GT(k->key.id, 0);
  EXPECT_EQ(k->key.user_id, admin_.id);
  EXPECT_EQ(k->key.name, "zapier");
  EXPECT_EQ(k->key.created_at, kT0 + 1h);
  EXPECT_EQ(k->key.revoked_at, std::nullopt);

  auto list = svc().auth.ListApiKeys(admin());
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, k->key.id);
  EXPECT_EQ((*list)[0].prefix, k->key.prefix);
  EXPECT_EQ((*list)[0].scopes, (std::vector<Scope>{Scope::kRead, Scope::kWrite}));

  const auto audit = AuditOf("api_key", k->key.id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kKeyCreate);
  for (const auto& c : audit[0].changes) {
    EXPECT_EQ(c.after.find(k->secret), std::string::npos) << c.field;
  }
  EXPECT_EQ(ChangeOf(audit[0], "scopes").after, "read,write");
}

TEST_F(AuthServiceTest, ApiKeyAuthenticatesWithItsScopes) {
  auto k = svc().auth.CreateApiKey(admin(), "reporting", {Scope::kRead});
  ASSERT_TRUE(k);
  auto who = svc().auth.Authenticate(k->secret);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->principal.user_id, admin_.id);
  EXPECT_EQ(who->principal.role, core::Role::kAdmin);
  EXPECT_EQ(who->principal.scopes, (std::vector<Scope>{Scope::kRead}));
  EXPECT_FALSE(who->session);

  // The scopes narrow what the key may do through the services.
  EXPECT_TRUE(svc().contacts.List(who->principal, core::ContactQuery{}));
  core::Contact draft;
  draft.email = "via-key@example.com";
  EXPECT_TRUE(
      FailsWith(svc().contacts.Create(who->principal, draft), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().auth.CreateApiKey(who->principal, "escalate", {Scope::kAdmin}),
                        ErrorCode::kPermissionDenied));
}

TEST_F(AuthServiceTest, RevokedKeyIsRejected) {
  auto k = svc().auth.CreateApiKey(admin(), "old", {Scope::kIngest});
  ASSERT_TRUE(k);
  ASSERT_TRUE(svc().auth.Authenticate(k->secret));
  clock_.Advance(2h);
  ASSERT_TRUE(svc().auth.RevokeApiKey(admin(), k->key.id));
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(k->secret), ErrorCode::kUnauthenticated));
  auto list = svc().auth.ListApiKeys(admin());
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].revoked_at, kT0 + 2h);
  // Revoking again is harmless and not audited twice.
  clock_.Advance(1h);
  EXPECT_TRUE(svc().auth.RevokeApiKey(admin(), k->key.id));
  EXPECT_EQ(svc().auth.ListApiKeys(admin())->at(0).revoked_at, kT0 + 2h);
  const auto audit = AuditOf("api_key", k->key.id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kKeyRevoke);
  EXPECT_TRUE(FailsWith(svc().auth.RevokeApiKey(admin(), 9999), ErrorCode::kNotFound));
}

TEST_F(AuthServiceTest, OnlyAdminsManageKeys) {
  for (const auto& p : {manager(), marketer(), rep1()}) {
    EXPECT_TRUE(FailsWith(svc().auth.CreateApiKey(p, "mine", {Scope::kRead}),
                          ErrorCode::kPermissionDenied));
    EXPECT_TRUE(FailsWith(svc().auth.ListApiKeys(p), ErrorCode::kPermissionDenied));
  }
  auto k = svc().auth.CreateApiKey(admin(), "k", {Scope::kRead});
  ASSERT_TRUE(k);
  EXPECT_TRUE(
      FailsWith(svc().auth.RevokeApiKey(manager(), k->key.id), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(svc().auth.Authenticate(k->secret));
}

TEST_F(AuthServiceTest, KeyNeedsANameAndScopes) {
  EXPECT_TRUE(FailsWith(svc().auth.CreateApiKey(admin(), "", {Scope::kRead}),
                        ErrorCode::kInvalidArgument, "name"));
  EXPECT_TRUE(FailsWith(svc().auth.CreateApiKey(admin(), std::string(257, 'n'), {Scope::kRead}),
                        ErrorCode::kInvalidArgument, "name"));
  EXPECT_TRUE(FailsWith(svc().auth.CreateApiKey(admin(), "noscope", {}),
                        ErrorCode::kInvalidArgument, "scopes"));
  auto list = svc().auth.ListApiKeys(admin());
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
}

TEST_F(AuthServiceTest, IssuedKeyActsWithItsUsersRole) {
  auto k =
      svc().auth.IssueApiKey(core::Actor::System("cli"), rep1_.id, "rep import", {Scope::kWrite});
  ASSERT_TRUE(k) << k.error().message;
  auto who = svc().auth.Authenticate(k->secret);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->principal.user_id, rep1_.id);
  EXPECT_EQ(who->principal.role, core::Role::kSales);
  EXPECT_EQ(who->principal.scopes, (std::vector<Scope>{Scope::kWrite}));
  const auto audit = AuditOf("api_key", k->key.id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_TRUE(audit[0].actor.is_system());

  EXPECT_TRUE(
      FailsWith(svc().auth.IssueApiKey(core::Actor::System("cli"), 4242, "ghost", {Scope::kRead}),
                ErrorCode::kInvalidArgument, "user_id"));
}

TEST_F(AuthServiceTest, DeactivatedUsersKeysStopWorking) {
  auto k = svc().auth.IssueApiKey(core::Actor::System("cli"), rep1_.id, "k", {Scope::kRead});
  ASSERT_TRUE(k);
  UserPatch off;
  off.active = false;
  ASSERT_TRUE(svc().users.Update(admin(), rep1_.id, off));
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(k->secret), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, KeysAreRevokedNotLoggedOut) {
  auto k = svc().auth.CreateApiKey(admin(), "k", {Scope::kRead});
  ASSERT_TRUE(k);
  EXPECT_TRUE(FailsWith(svc().auth.Logout(k->secret), ErrorCode::kInvalidArgument, "token"));
  EXPECT_TRUE(svc().auth.Authenticate(k->secret));
}

TEST_F(AuthServiceTest, ChangesMadeHereTakeEffectAtOnceDespiteTheCredentialCache) {
  auto login = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kBearer);
  auto key = svc().auth.IssueApiKey(core::Actor::System("cli"), rep2_.id, "k", {Scope::kRead});
  ASSERT_TRUE(login && key);
  ASSERT_TRUE(svc().auth.Authenticate(login->token));  // both now cached
  ASSERT_TRUE(svc().auth.Authenticate(key->secret));

  UserPatch promote;
  promote.role = core::Role::kManager;
  ASSERT_TRUE(svc().users.Update(admin(), rep1_.id, promote));
  auto who = svc().auth.Authenticate(login->token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->principal.role, core::Role::kManager);

  ASSERT_TRUE(svc().auth.RevokeApiKey(admin(), key->key.id));
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(key->secret), ErrorCode::kUnauthenticated));
  ASSERT_TRUE(svc().auth.Logout(login->token));
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(login->token), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, ChangesMadeElsewhereAreSeenWithinTheCacheTtl) {
  // Another server on the same database ends a session: this one trusts its cache for at
  // most credential_cache_ttl, then asks the store again.
  auto login = svc().auth.Login("rep1@acme.example", kPassword, SessionKind::kBearer);
  ASSERT_TRUE(login);
  ASSERT_TRUE(svc().auth.Authenticate(login->token));
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
    return tx.auth().DeleteSession(login->session.token_hash);
  }));
  const auto ttl = AuthSettings{}.credential_cache_ttl;
  clock_.Advance(ttl - 1ms);
  EXPECT_TRUE(svc().auth.Authenticate(login->token));
  clock_.Advance(1ms);
  EXPECT_TRUE(FailsWith(svc().auth.Authenticate(login->token), ErrorCode::kUnauthenticated));
}

TEST_F(AuthServiceTest, AZeroCacheTtlAsksTheStoreEveryTime) {
  AuthService uncached(*store_, clock_, svc().hasher,
                       AuthSettings{.session_ttl = kSessionTtl, .credential_cache_ttl = 0ms});
  auto login = uncached.Login("rep1@acme.example", kPassword, SessionKind::kBearer);
  ASSERT_TRUE(login);
  ASSERT_TRUE(uncached.Authenticate(login->token));
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
    return tx.auth().DeleteSession(login->session.token_hash);
  }));
  EXPECT_TRUE(FailsWith(uncached.Authenticate(login->token), ErrorCode::kUnauthenticated));
}

}  // namespace
}  // namespace tandem::app::apptest
