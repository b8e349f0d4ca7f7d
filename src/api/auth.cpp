// /api/v1/auth/login, /api/v1/auth/logout and /api/v1/me.
#include "api/authn.hpp"
#include "api/dto.hpp"
#include "api/errors.hpp"
#include "api/handlers.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

Schema LoginSchema() {
  return {"Login",
          "Email and password. A bearer session returns the token to send as "
          "`Authorization: Bearer <token>`; a cookie session sets the HttpOnly tandem_session "
          "cookie instead (the token is not in the body) and returns the csrf_token to echo "
          "in X-CSRF-Token on every POST, PATCH, PUT and DELETE.",
          {TextField("email", "").Required(), TextField("password", "").Required(),
           EnumField("session", {"bearer", "cookie"}, "Default bearer.")}};
}

Response TooManyLogins(std::chrono::seconds retry_after) {
  Response r = ErrorFrom({core::ErrorCode::kResourceExhausted,
                          "too many login attempts from this address; retry in " +
                              std::to_string(retry_after.count()) + " s",
                          ""});
  r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return r;
}

}  // namespace

void AddAuthRoutes(RouteTable& t, const Deps& d) {
  app::Services& services = d.services;
  const base::Clock& clock = d.clock;
  const bool secure = d.settings.secure_cookies;
  RateLimiter& limiter = d.login_limiter;

  t.Add({.method = "POST",
         .pattern = "/api/v1/auth/login",
         .operation_id = "login",
         .summary = "Sign in with email and password",
         .tag = "auth",
         .access = Access::kPublic,
         .body = LoginSchema(),
         .reply = {.schema = "Session",
                   .doc = "Signed in. 401 for a wrong email or password alike; 429 with "
                          "Retry-After past the per-address rate limit."},
         .fn = [&services, &clock, &limiter, secure](const Call& c) -> core::Result<Response> {
           if (auto decision = limiter.Take(c.request.remote_ip); !decision.allowed) {
             return TooManyLogins(decision.retry_after);
           }
           const auto kind =
               core::SessionKindFromString(c.body.OptText("session").value_or("bearer"));
           TANDEM_ASSIGN(auto login,
                         services.auth.Login(c.body.Text("email"), c.body.Text("password"), *kind));
           const bool cookie = login.session.kind == core::SessionKind::kCookie;
           json::object body;
           body["token"] = cookie ? json::value(nullptr) : json::value(login.token);
           body["expires_at"] = core::FormatInstant(login.session.expires_at);
           body["user"] = UserJson(login.user);
           body["csrf_token"] =
               cookie ? json::value(login.session.csrf_token) : json::value(nullptr);
           Response r = JsonReply(200, body);
           if (cookie) {
             const auto ttl = std::chrono::duration_cast<std::chrono::seconds>(
                 login.session.expires_at - clock.Now());
             r.headers.emplace_back("Set-Cookie", SessionCookie(login.token, ttl.count(), secure));
           }
           return r;
         }});
  t.Add({.method = "POST",
         .pattern = "/api/v1/auth/logout",
         .operation_id = "logout",
         .summary = "End the session that signs this request",
         .tag = "auth",
         .reply = {.status = 204, .doc = "Signed out; a cookie session's cookie is expired."},
         .fn = [&services, secure](const Call& c) -> core::Result<Response> {
           if (!c.auth->session) {
             return core::Fail(core::Error::Invalid(
                 "", "API keys are revoked with DELETE /api/v1/api-keys/{id}, not logged out"));
           }
           TANDEM_TRY(services.auth.Logout(c.token));
           Response r = Response::NoContent();
           if (c.cookie) r.headers.emplace_back("Set-Cookie", ExpiredSessionCookie(secure));
           return r;
         }});
  t.Add({.method = "GET",
         .pattern = "/api/v1/me",
         .operation_id = "getMe",
         .summary = "Who is calling: the user, how they signed in, the key's scopes",
         .tag = "auth",
         .reply = {.schema = "Me"},
         .fn = [&services](const Call& c) -> core::Result<Response> {
           // Anyone may read their own user, whatever their key's scopes.
           core::Principal self = c.principal();
           self.scopes.reset();
           TANDEM_ASSIGN(auto user, services.users.Get(self, self.user_id));
           json::object body;
           body["user"] = UserJson(user);
           if (!c.auth->session) {
             body["credential"] = "api_key";
             json::array scopes;
             for (auto s : *c.principal().scopes) scopes.emplace_back(core::ToString(s));
             body["scopes"] = std::move(scopes);
             body["csrf_token"] = nullptr;
           } else {
             body["credential"] = core::ToString(c.auth->session->kind);
             body["scopes"] = nullptr;
             // A reloaded dashboard page learns its session's CSRF token here: only a
             // same-origin script can read this answer, so it proves nothing to an attacker.
             const bool cookie = c.auth->session->kind == core::SessionKind::kCookie;
             body["csrf_token"] =
                 cookie ? json::value(c.auth->session->csrf_token) : json::value(nullptr);
           }
           return JsonReply(200, body);
         }});

  t.AddSchema(
      {"Session",
       "A new session.",
       {TextField("token", "The bearer token; null for cookie sessions.").Nullable().Required(),
        InstantField("expires_at", "").Required(), ObjectField("user", "User", "").Required(),
        TextField("csrf_token", "Cookie sessions: echo it in X-CSRF-Token; else null.")
            .Nullable()
            .Required()}});
  t.AddSchema({"Me",
               "The caller.",
               {ObjectField("user", "User", "").Required(),
                EnumField("credential", {"bearer", "cookie", "api_key"}, "").Required(),
                EnumListField("scopes", ScopeNames(), "An API key's scopes; null for sessions.")
                    .Nullable()
                    .Required(),
                TextField("csrf_token",
                          "Cookie sessions: the token to echo in X-CSRF-Token (so a reloaded "
                          "page can keep writing); else null.")
                    .Nullable()
                    .Required()}});
}

}  // namespace tandem::api
