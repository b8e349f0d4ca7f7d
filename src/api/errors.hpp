// The one table from Tandem's error codes to HTTP statuses, and the error responses of the
// transport (internal to src/api).
//
// Every error answer has the body {"error":{"code":...,"message":...,"field":...}} with all
// three keys: `field` names the offending input (a body field, a query parameter, "id" for
// the path, "cursor") and is "" when the error is not about one input. `code` is the core
// code for application errors (invalid_argument, not_found, ...) and one of
// payload_too_large, unsupported_media_type, method_not_allowed, header_too_large,
// bad_request for transport errors.
//
//   invalid_argument 400      failed_precondition 422   not_found 404   already_exists 409
//   permission_denied 403     unauthenticated 401       resource_exhausted 429
//   unavailable 503           internal 500
//   transport: 400 bad_request (malformed HTTP), 404 not_found (no such route),
//   405 method_not_allowed (with Allow), 413 payload_too_large, 415 unsupported_media_type,
//   431 header_too_large
#pragma once

#include "api/http.hpp"
#include "core/error.hpp"

namespace tandem::api {

int HttpStatus(core::ErrorCode code);

// The answer to an application error. 401s carry WWW-Authenticate: Bearer.
Response ErrorFrom(const core::Error& error);

}  // namespace tandem::api
