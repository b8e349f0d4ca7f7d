// The tracker script served at GET /t.js (internal to src/api; see docs/capture.md).
#pragma once

#include <string_view>

namespace tandem::api {

// The script's text, UTF-8 (ASCII in fact), valid for the program's lifetime.
std::string_view TrackerScript();

}  // namespace tandem::api
