// The SLA compliance report as JSON text, exactly as GET /api/v1/sla/compliance answers it, for
// the command line's `tandem sla compliance --json` (JSON stays inside src/api).
#pragma once

#include <string>

#include "app/compliance.hpp"

namespace tandem::api {

std::string ComplianceJsonText(const app::ComplianceView& view);

}  // namespace tandem::api
