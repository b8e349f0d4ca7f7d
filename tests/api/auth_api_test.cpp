// Signing in and proving it: bearer and cookie sessions, CSRF, expiry, forgery, the login rate
// limit and API keys with scopes, through Api::Handle.
#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

std::string LoginBody(const std::string& email, const std::string& password,
                      const std::string& session = "") {
  json::object o{{"email", email}, {"password", password}};
  if (!session.empty()) o["session"] = session;
  return WriteJson(o);
}

class AuthApiTest : public ApiTest {
 protected:
  Reply LoginFrom(const std::string& ip, const std::string& body) {
    return Send("POST", "/api/v1/auth/login", body, {{"Content-Type", "application/json"}}, ip);
  }
  Reply WithCookie(const std::string& cookie, std::string method, std::string target,
                   std::string body = {}, const std::string* csrf = nullptr) {
    HeaderList h = {{"Cookie", "theme=dark; tandem_session=" + cookie}};
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    if (csrf) h.emplace_back("X-CSRF-Token", *csrf);
    return Send(std::move(method), std::move(target), std::move(body), std::move(h));
  }
  void ExpectUnauthenticated(const Reply& r) {
    EXPECT_EQ(r.status(), 401) << r;
    EXPECT_EQ(r.ErrorCode(), "unauthenticated") << r;
    EXPECT_EQ(r.Header("WWW-Authenticate").rfind("Bearer", 0), 0u) << r;
  }
  // The token of a cookie login, read from its Set-Cookie header.
  static std::string CookieToken(const Reply& r) {
    const std::string c = r.Header("Set-Cookie");
    const auto start = c.find('=') + 1;
    return c.substr(start, c.find(';') - start);
  }
};

TEST_F(AuthApiTest, BearerLoginReturnsATokenThatSignsRequests) {
  auto r = LoginFrom("10.0.0.5", LoginBody(" Rep1@ACME.example ", kPassword));
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("token").rfind("tnd_s_", 0), 0u);
  EXPECT_EQ(r.Str("expires_at"), core::FormatInstant(kT0 + kSessionTtl));
  EXPECT_EQ(S(r.body.at("user").at("email")), "rep1@acme.example");
  EXPECT_TRUE(r.body.at("csrf_token").is_null());
  EXPECT_TRUE(r.Header("Set-Cookie").empty());
  auto me = As(r.Str("token"), "GET", "/api/v1/me");
  ASSERT_EQ(me.status(), 200) << me;
  EXPECT_EQ(me.body.at("user").at("id").as_int64(), rep1_id_);
  EXPECT_EQ(me.Str("credential"), "bearer");
  EXPECT_TRUE(me.body.at("scopes").is_null());
  EXPECT_TRUE(me.body.at("csrf_token").is_null());
}

TEST_F(AuthApiTest, WrongPasswordAndUnknownEmailLookAlike) {
  auto wrong = LoginFrom("10.0.0.6", LoginBody("rep1@acme.example", "not the password"));
  auto unknown = LoginFrom("10.0.0.6", LoginBody("nobody@acme.example", kPassword));
  ExpectUnauthenticated(wrong);
  ExpectUnauthenticated(unknown);
  EXPECT_EQ(wrong.raw.body, unknown.raw.body);
  EXPECT_EQ(LoginFrom("10.0.0.6", R"({"email":"a@b.co"})").ErrorField(), "password");
  EXPECT_EQ(LoginFrom("10.0.0.6", LoginBody("a@b.co", "x", "jwt")).ErrorField(), "session");
}

TEST_F(AuthApiTest, MissingForgedAndMalformedCredentialsAre401) {
  ExpectUnauthenticated(Send("GET", "/api/v1/contacts"));
  ExpectUnauthenticated(As("tnd_s_" + std::string(43, 'A'), "GET", "/api/v1/contacts"));
  ExpectUnauthenticated(As("tnd_k_" + std::string(43, 'A'), "GET", "/api/v1/contacts"));
  ExpectUnauthenticated(As("' OR 1=1 --", "GET", "/api/v1/contacts"));
  std::string tampered = manager_;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  ExpectUnauthenticated(As(tampered, "GET", "/api/v1/contacts"));
  ExpectUnauthenticated(Send("GET", "/api/v1/contacts", "", {{"Authorization", "Basic YTpi"}}));
  ExpectUnauthenticated(Send("GET", "/api/v1/contacts", "", {{"Authorization", "Bearer"}}));
  ExpectUnauthenticated(Send("POST", "/api/v1/contacts", R"({"email":"a@b.co"})",
                             {{"Content-Type", "application/json"}}));
  EXPECT_EQ(As(manager_, "GET", "/api/v1/contacts").status(), 200);  // still serving
}

TEST_F(AuthApiTest, ExpiredSessionsAre401) {
  clock_.Advance(kSessionTtl - 1ms);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/me").status(), 200);
  clock_.Advance(1ms);
  ExpectUnauthenticated(As(rep1_, "GET", "/api/v1/me"));
  const std::string fresh = Login("rep1@acme.example");
  EXPECT_EQ(As(fresh, "GET", "/api/v1/me").status(), 200);
}

TEST_F(AuthApiTest, LogoutEndsTheSession) {
  const std::string token = Login("rep2@acme.example");
  EXPECT_EQ(As(token, "POST", "/api/v1/auth/logout").status(), 204);
  ExpectUnauthenticated(As(token, "GET", "/api/v1/me"));
  ExpectUnauthenticated(As(token, "POST", "/api/v1/auth/logout"));
  EXPECT_EQ(As(rep2_, "GET", "/api/v1/me").status(), 200);  // other sessions live on
}

TEST_F(AuthApiTest, CookieSessionsSetAStrictHttpOnlyCookieAndNeedCsrfToChangeThings) {
  auto login = LoginFrom("10.0.0.7", LoginBody("rep1@acme.example", kPassword, "cookie"));
  ASSERT_EQ(login.status(), 200) << login;
  EXPECT_TRUE(login.body.at("token").is_null());  // the token stays in the HttpOnly cookie
  const std::string csrf = login.Str("csrf_token");
  EXPECT_FALSE(csrf.empty());
  const std::string set_cookie = login.Header("Set-Cookie");
  EXPECT_EQ(set_cookie.rfind("tandem_session=tnd_s_", 0), 0u) << set_cookie;
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos);
  EXPECT_NE(set_cookie.find("; Max-Age=43200"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);
  const std::string cookie = CookieToken(login);

  auto me = WithCookie(cookie, "GET", "/api/v1/me");
  ASSERT_EQ(me.status(), 200) << me;
  EXPECT_EQ(me.Str("credential"), "cookie");
  EXPECT_EQ(me.Str("csrf_token"), csrf);  // a reloaded page learns the token it must echo

  const std::string body = R"({"email":"csrf@x.example"})";
  auto missing = WithCookie(cookie, "POST", "/api/v1/contacts", body);
  EXPECT_EQ(missing.status(), 403) << missing;
  EXPECT_EQ(missing.ErrorCode(), "permission_denied");
  EXPECT_EQ(missing.ErrorField(), "X-CSRF-Token");
  const std::string wrong = csrf + "x";
  EXPECT_EQ(WithCookie(cookie, "POST", "/api/v1/contacts", body, &wrong).status(), 403);
  const std::string other = login.Str("csrf_token").substr(1);
  EXPECT_EQ(WithCookie(cookie, "POST", "/api/v1/contacts", body, &other).status(), 403);
  auto created = WithCookie(cookie, "POST", "/api/v1/contacts", body, &csrf);
  ASSERT_EQ(created.status(), 201) << created;
  const std::string path = "/api/v1/contacts/" + std::to_string(created.Int("id"));
  EXPECT_EQ(WithCookie(cookie, "DELETE", path).status(), 403);
  EXPECT_EQ(WithCookie(cookie, "PATCH", path, R"({"title":"x"})").status(), 403);
  EXPECT_EQ(WithCookie(cookie, "PATCH", path, R"({"title":"x"})", &csrf).status(), 200);

  // Logging out needs the CSRF token too, and expires the cookie.
  EXPECT_EQ(WithCookie(cookie, "POST", "/api/v1/auth/logout").status(), 403);
  auto out = WithCookie(cookie, "POST", "/api/v1/auth/logout", "", &csrf);
  EXPECT_EQ(out.status(), 204) << out;
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  ExpectUnauthenticated(WithCookie(cookie, "GET", "/api/v1/me"));
}

TEST_F(AuthApiTest, ABearerTokenIsNotACookieSession) {
  // A bearer session carries no CSRF token, so it must not be accepted from a cookie.
  ExpectUnauthenticated(WithCookie(rep1_, "GET", "/api/v1/me"));
  const std::string none;
  ExpectUnauthenticated(
      WithCookie(rep1_, "POST", "/api/v1/contacts", R"({"email":"a@b.co"})", &none));
}

class SecureCookieApiTest : public AuthApiTest {
 protected:
  ApiSettings Settings() override {
    ApiSettings s;
    s.secure_cookies = true;
    return s;
  }
};

TEST_F(SecureCookieApiTest, BehindTlsTheCookieIsSecure) {
  auto login = LoginFrom("10.0.0.8", LoginBody("rep1@acme.example", kPassword, "cookie"));
  ASSERT_EQ(login.status(), 200) << login;
  EXPECT_NE(login.Header("Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(AuthApiTest, LoginsAreRateLimitedPerClientAddress) {
  const std::string bad = LoginBody("rep1@acme.example", "wrong password!");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(LoginFrom("203.0.113.9", bad).status(), 401) << i;
  auto limited = LoginFrom("203.0.113.9", LoginBody("rep1@acme.example", kPassword));
  EXPECT_EQ(limited.status(), 429) << limited;
  EXPECT_EQ(limited.ErrorCode(), "resource_exhausted");
  EXPECT_EQ(limited.Header("Retry-After"), "6");
  // Other addresses and signed-in users are not affected.
  EXPECT_EQ(LoginFrom("203.0.113.10", LoginBody("rep1@acme.example", kPassword)).status(), 200);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/me").status(), 200);
  clock_.Advance(5s);
  EXPECT_EQ(LoginFrom("203.0.113.9", bad).status(), 429);
  clock_.Advance(7s);
  EXPECT_EQ(LoginFrom("203.0.113.9", LoginBody("rep1@acme.example", kPassword)).status(), 200);
}

TEST_F(AuthApiTest, ApiKeysAreShownOnceAndNarrowedByScopes) {
  auto created =
      As(admin_, "POST", "/api/v1/api-keys", R"({"name":"reporting","scopes":["read"]})");
  ASSERT_EQ(created.status(), 201) << created;
  const std::string secret = created.Str("secret");
  EXPECT_EQ(secret.rfind("tnd_k_", 0), 0u);
  EXPECT_EQ(secret.rfind(created.Str("prefix"), 0), 0u);
  EXPECT_EQ(created.Header("Location"), "/api/v1/api-keys/" + std::to_string(created.Int("id")));
  EXPECT_EQ(created.body.at("scopes"), (json::array{"read"}));
  auto listed = As(admin_, "GET", "/api/v1/api-keys");
  ASSERT_EQ(listed.status(), 200) << listed;
  ASSERT_EQ(listed.items().size(), 1u);
  EXPECT_FALSE(listed.items()[0].as_object().contains("secret"));
  EXPECT_EQ(listed.raw.body.find(secret), std::string::npos);
  auto one = As(admin_, "GET", created.Header("Location"));
  ASSERT_EQ(one.status(), 200) << one;
  EXPECT_FALSE(one.obj().contains("secret"));

  // A read-only key reads but cannot write.
  EXPECT_EQ(As(secret, "GET", "/api/v1/contacts").status(), 200);
  auto post = As(secret, "POST", "/api/v1/contacts", R"({"email":"key@x.example"})");
  EXPECT_EQ(post.status(), 403) << post;
  EXPECT_NE(post.ErrorMessage().find("scope"), std::string::npos);
  auto me = As(secret, "GET", "/api/v1/me");
  ASSERT_EQ(me.status(), 200) << me;
  EXPECT_EQ(me.Str("credential"), "api_key");
  EXPECT_EQ(me.body.at("scopes"), (json::array{"read"}));
  EXPECT_EQ(As(secret, "POST", "/api/v1/auth/logout").status(), 400);

  // An ingest-only key cannot read contacts.
  auto ingest = As(admin_, "POST", "/api/v1/api-keys", R"({"name":"forms","scopes":["ingest"]})");
  ASSERT_EQ(ingest.status(), 201);
  auto read = As(ingest.Str("secret"), "GET", "/api/v1/contacts");
  EXPECT_EQ(read.status(), 403) << read;
  EXPECT_EQ(As(ingest.Str("secret"), "GET", "/api/v1/me").status(), 200);

  // A write key writes; once revoked, nothing.
  auto writer = As(admin_, "POST", "/api/v1/api-keys", R"({"name":"sync","scopes":["write"]})");
  EXPECT_EQ(
      As(writer.Str("secret"), "POST", "/api/v1/contacts", R"({"email":"w@x.example"})").status(),
      201);
  const std::string key_path = "/api/v1/api-keys/" + std::to_string(writer.Int("id"));
  EXPECT_EQ(As(admin_, "DELETE", key_path).status(), 204);
  ExpectUnauthenticated(As(writer.Str("secret"), "GET", "/api/v1/contacts"));
  auto revoked = As(admin_, "GET", key_path);
  EXPECT_FALSE(revoked.body.at("revoked_at").is_null());
  EXPECT_EQ(As(admin_, "DELETE", "/api/v1/api-keys/9999").status(), 404);
  EXPECT_EQ(As(admin_, "GET", "/api/v1/api-keys/9999").status(), 404);
}

TEST_F(AuthApiTest, OnlyAdminsManageKeysAndKeyRequestsAreChecked) {
  for (const std::string* token : {&manager_, &rep1_, &marketer_}) {
    auto r = As(*token, "POST", "/api/v1/api-keys", R"({"name":"mine","scopes":["read"]})");
    EXPECT_EQ(r.status(), 403) << r;
    EXPECT_EQ(As(*token, "GET", "/api/v1/api-keys").status(), 403);
  }
  EXPECT_EQ(
      As(admin_, "POST", "/api/v1/api-keys", R"({"name":"x","scopes":["root"]})").ErrorField(),
      "scopes");
  EXPECT_EQ(As(admin_, "POST", "/api/v1/api-keys", R"({"name":"x","scopes":[]})").ErrorField(),
            "scopes");
  EXPECT_EQ(As(admin_, "POST", "/api/v1/api-keys", R"({"scopes":["read"]})").ErrorField(), "name");
  EXPECT_EQ(As(admin_, "GET", "/api/v1/me").status(), 200);
}

}  // namespace
}  // namespace tandem::api::apitest
