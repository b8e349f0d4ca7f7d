// Privacy documents as JSON text, exactly as the API answers them, for the command line's
// `tandem privacy export` and `erase` (JSON stays inside src/api).
#pragma once

#include <string>

#include "app/privacy.hpp"

namespace tandem::api {

std::string PersonalDataJsonText(const app::PersonalData& d);
std::string ErasureJsonText(const app::ErasureResult& r);

}  // namespace tandem::api
