// The shared pay statement as JSON text, exactly as GET /api/v1/pay answers it, for the command
// line's `tandem pay --json` (JSON stays inside src/api).
#pragma once

#include <string>

#include "app/pay.hpp"

namespace tandem::api {

std::string PayJsonText(const app::PayView& view);

}  // namespace tandem::api
