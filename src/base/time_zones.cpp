#include "base/time_zones.hpp"

#include <chrono>
#include <exception>
#include <string>

namespace tandem::base {

core::Result<const date::time_zone*> LocateZone(std::string_view name) {
  const std::string key(name);
  if (key.empty() || key.find("..") != std::string::npos || key.front() == '/') {
    return core::Fail(core::Error::Invalid("time_zone", "unknown time zone '" + key + "'"));
  }
  try {
    const date::time_zone* zone = date::locate_zone(key);
    // Loads the zone's transitions now, so that no later call reads the file system.
    (void)zone->get_info(std::chrono::sys_seconds{});
    return zone;
  } catch (const std::exception&) {
    return core::Fail(core::Error::Invalid("time_zone", "unknown time zone '" + key + "'"));
  }
}

}  // namespace tandem::base
