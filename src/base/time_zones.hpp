// Time-zone lookup: the one place that reads the system tz database (/usr/share/zoneinfo).
//
// The core's business calendar works on a `const date::time_zone*` and must not do I/O; the
// date library, built with USE_OS_TZDB, reads a zone's file lazily on its first use. So the
// lookup lives here: `LocateZone` finds the zone by its IANA name and forces its data to load
// before returning it, so later arithmetic in the core only reads memory. Zone objects live
// as long as the program. Thread-safe (the library guards its loading with call_once).
#pragma once

#include <string_view>

#include <date/tz.h>

#include "core/error.hpp"

namespace tandem::base {

// The zone named `name` ("Europe/Paris", "UTC"), or kInvalidArgument "unknown time zone".
[[nodiscard]] core::Result<const date::time_zone*> LocateZone(std::string_view name);

}  // namespace tandem::base
