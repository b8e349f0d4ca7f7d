#include "core/auth.hpp"

#include <algorithm>

namespace tandem::core {

std::string_view ToString(SessionKind k) { return k == SessionKind::kCookie ? "cookie" : "bearer"; }

std::optional<SessionKind> SessionKindFromString(std::string_view text) {
  if (text == "cookie") return SessionKind::kCookie;
  if (text == "bearer") return SessionKind::kBearer;
  return std::nullopt;
}

std::string JoinScopes(const std::vector<Scope>& scopes) {
  std::string out;
  for (Scope s : scopes) {
    if (!out.empty()) out += ',';
    out += ToString(s);
  }
  return out;
}

Result<std::vector<Scope>> ParseScopes(std::string_view text) {
  std::vector<Scope> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view name = text.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) {
      auto s = ScopeFromString(name);
      if (!s) {
        return Fail(Error::Invalid("scopes", "unknown scope '" + std::string(name) +
                                                 "'; scopes are read, write, ingest, admin"));
      }
      if (std::find(out.begin(), out.end(), *s) == out.end()) out.push_back(*s);
    }
    start = end + 1;
  }
  if (out.empty()) return Fail(Error::Invalid("scopes", "at least one scope is required"));
  return out;
}

}  // namespace tandem::core
