// Every route of Tandem's API (internal to src/api): what Api registers, in order. Also for
// programs that walk every endpoint with what it takes: the fuzz targets in fuzz/ send each
// route's request schema its own inputs.
#pragma once

#include "api/handlers.hpp"
#include "api/router.hpp"

namespace tandem::api {

// Adds the shared output schemas and every resource's routes to `table` (deps.table).
void AddAllRoutes(RouteTable& table, const Deps& deps);

}  // namespace tandem::api
