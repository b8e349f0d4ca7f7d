// The weekly pack as JSON text, exactly as GET /api/v1/reports/weekly answers it, for the
// command line's `tandem report weekly --format json` (JSON stays inside src/api).
#pragma once

#include <string>

#include "app/weekly_report.hpp"

namespace tandem::api {

std::string WeeklyJsonText(const app::WeeklyPack& pack);

}  // namespace tandem::api
