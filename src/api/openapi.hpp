// The OpenAPI 3.0 document of the API, generated from the route table (internal to src/api).
//
// Every route of the table becomes an operation under its pattern, with its path and query
// parameters, its request body schema, its success reply and the error replies it can give;
// every schema of the table becomes a component. Nothing is written by hand, so an endpoint
// cannot be added without appearing here.
#pragma once

#include <boost/json/object.hpp>

#include "api/router.hpp"

namespace tandem::api {

boost::json::object OpenApiDocument(const RouteTable& table);

}  // namespace tandem::api
