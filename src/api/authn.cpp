#include "api/authn.hpp"

#include <algorithm>
#include <cctype>

namespace tandem::api {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = Trim(header.substr(0, semi));
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) {
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

std::string Attributes(bool secure) {
  return std::string("; HttpOnly; SameSite=Strict; Path=/") + (secure ? "; Secure" : "");
}

}  // namespace

core::Result<std::optional<Credential>> ReadCredential(const Request& request) {
  if (const std::string* auth = request.Header("authorization")) {
    std::string_view value = Trim(*auth);
    const auto space = value.find(' ');
    if (space == std::string_view::npos || !IEquals(value.substr(0, space), "bearer")) {
      return core::Fail(core::Error::Unauthenticated(
          "the Authorization header must be \"Bearer <token or API key>\""));
    }
    std::string_view token = Trim(value.substr(space + 1));
    if (token.empty()) {
      return core::Fail(core::Error::Unauthenticated("the bearer token is empty"));
    }
    return std::optional<Credential>(Credential{std::string(token), false});
  }
  for (const auto& [name, value] : request.headers) {
    if (name != "cookie") continue;
    if (auto token = CookieValue(value, kSessionCookie); token && !token->empty()) {
      return std::optional<Credential>(Credential{std::move(*token), true});
    }
  }
  return std::optional<Credential>();
}

std::string SessionCookie(std::string_view token, std::int64_t max_age_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(token) + Attributes(secure) +
         "; Max-Age=" + std::to_string(std::max<std::int64_t>(max_age_seconds, 0));
}

std::string ExpiredSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=" + Attributes(secure) + "; Max-Age=0";
}

bool ChangesState(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool SafeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

}  // namespace tandem::api
