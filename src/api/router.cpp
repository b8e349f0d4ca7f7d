#include "api/router.hpp"

#include <cstdio>
#include <cstdlib>

namespace tandem::api {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  if (path.empty() || path[0] != '/') return out;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    out.emplace_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool IsPlaceholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::vector<std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (IsPlaceholder(pattern[i])) {
      if (path[i].empty()) return false;
      if (params) params->push_back(path[i]);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::vector<std::string> PlaceholderNames(std::string_view pattern) {
  std::vector<std::string> out;
  for (const auto& s : Split(pattern)) {
    if (IsPlaceholder(s)) out.push_back(s.substr(1, s.size() - 2));
  }
  return out;
}

void RouteTable::Add(Route route) {
  for (const auto& r : routes_) {
    if (r.method == route.method && r.pattern == route.pattern) {
      std::fprintf(stderr, "duplicate route %s %s\n", route.method.c_str(), route.pattern.c_str());
      std::abort();
    }
  }
  segments_.push_back(Split(route.pattern));
  routes_.push_back(std::move(route));
}

void RouteTable::AddSchema(Schema schema) {
  schemas_.push_back(std::move(schema));
}

const Schema* RouteTable::FindSchema(std::string_view name) const {
  for (const auto& s : schemas_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

RouteTable::Match RouteTable::Find(std::string_view method, std::string_view path) const {
  Match m;
  const auto segments = Split(path);
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (!Matches(segments_[i], segments, nullptr)) continue;
    if (routes_[i].method == method) {
      m.route = &routes_[i];
      Matches(segments_[i], segments, &m.params);
      m.allowed.clear();
      return m;
    }
    m.allowed.push_back(routes_[i].method);
  }
  return m;
}

}  // namespace tandem::api
