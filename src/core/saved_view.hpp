// Saved views of a list (docs/dashboard.md, "Saved views"): a name, the list's filters, sort and
// columns as a query string, the user who owns it, and whether everybody sees it.
//
// The core checks the shape only (a name of 1..100 characters that is not blank, a query string
// of at most kMaxViewQuery bytes without a leading '?'); what the query string may contain is
// the list's own parameters, checked where they are parsed (the API layer).
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

inline constexpr std::size_t kMaxViewName = 100;
inline constexpr std::size_t kMaxViewQuery = 2000;

struct SavedView {
  Id id = 0;
  std::string name;
  std::string query;  // "stage=mql&owner=none&sort=-created_at&columns=name,email"
  Id owner_id = 0;
  bool shared = false;  // true: every signed-in user sees it; false: only its owner
  Instant created_at{};
  Instant updated_at{};
};

// kInvalidArgument naming "name" or "query".
Result<void> Validate(const SavedView& v);

}  // namespace tandem::core
