#include "core/saved_view.hpp"

#include <algorithm>

namespace tandem::core {

Result<void> Validate(const SavedView& v) {
  const bool blank = std::all_of(v.name.begin(), v.name.end(), [](char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
  });
  if (blank) return Fail(Error::Invalid("name", "give the view a name"));
  if (v.name.size() > kMaxViewName) {
    return Fail(
        Error::Invalid("name", "is longer than " + std::to_string(kMaxViewName) + " characters"));
  }
  if (v.query.size() > kMaxViewQuery) {
    return Fail(
        Error::Invalid("query", "is longer than " + std::to_string(kMaxViewQuery) + " bytes"));
  }
  if (!v.query.empty() && v.query.front() == '?') {
    return Fail(Error::Invalid("query", "give the query string without its leading '?'"));
  }
  return {};
}

}  // namespace tandem::core
