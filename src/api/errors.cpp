#include "api/errors.hpp"

namespace tandem::api {

int HttpStatus(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidArgument: return 400;
    case core::ErrorCode::kNotFound: return 404;
    case core::ErrorCode::kAlreadyExists: return 409;
    // The request is well formed but the record's state forbids it (a lifecycle jump):
    // 422 tells clients that retrying the same body cannot succeed.
    case core::ErrorCode::kFailedPrecondition: return 422;
    case core::ErrorCode::kPermissionDenied: return 403;
    case core::ErrorCode::kUnauthenticated: return 401;
    case core::ErrorCode::kResourceExhausted: return 429;
    case core::ErrorCode::kUnavailable: return 503;
    case core::ErrorCode::kInternal: return 500;
  }
  return 500;
}

Response ErrorFrom(const core::Error& error) {
  Response r =
      ErrorResponse(HttpStatus(error.code), core::ToString(error.code), error.message, error.field);
  if (error.code == core::ErrorCode::kUnauthenticated) {
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"tandem\"");
  }
  return r;
}

}  // namespace tandem::api
