// What a saved view's query string may contain (docs/dashboard.md, "Saved views"): the
// parameters of GET /api/v1/contacts, checked by the list's own declarations and parser, plus
// `columns`. Shared by the views API and `tandem views create`, so both refuse the same views.
#pragma once

#include <string>

#include "core/error.hpp"

namespace tandem::api {

// kInvalidArgument with field "query" naming the parameter at fault.
core::Result<void> CheckViewQuery(const std::string& query);

}  // namespace tandem::api
