// Reading credentials from requests and writing the session cookie (internal to src/api).
//
// A request proves who it is with `Authorization: Bearer <token>` (a session token "tnd_s_..."
// or an API key "tnd_k_...") or with the `tandem_session` cookie set at a cookie login. The
// header wins when both are present. The cookie is HttpOnly, SameSite=Strict, Path=/, with
// Max-Age equal to the session's remaining life, and Secure when the server is behind TLS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "core/error.hpp"

namespace tandem::api {

inline constexpr std::string_view kSessionCookie = "tandem_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

struct Credential {
  std::string token;
  bool cookie = false;  // from the session cookie, not the Authorization header
};

// Nothing when the request carries no credential; kUnauthenticated for an Authorization
// header that is not "Bearer <token>".
core::Result<std::optional<Credential>> ReadCredential(const Request& request);

std::string SessionCookie(std::string_view token, std::int64_t max_age_seconds, bool secure);
// The same cookie, expired: makes the browser forget the session.
std::string ExpiredSessionCookie(bool secure);

// POST, PUT, PATCH and DELETE: the methods a cookie session must guard with its CSRF token.
bool ChangesState(std::string_view method);
// Compares in time independent of where the texts differ.
bool SafeEquals(std::string_view a, std::string_view b);

}  // namespace tandem::api
