// Error values shared by every layer of Tandem.
//
// Expected failures (bad input, missing records, conflicts, forbidden actions) travel as
// values: `Result<T>` holds either a T or an `Error`. The set of codes is closed; the API
// layer maps each code to one HTTP status in a single table (see api/errors.cpp).
// Exceptions are reserved for broken invariants and are caught once, at the HTTP boundary.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace tandem::core {

enum class ErrorCode {
  kInvalidArgument,     // input is malformed or violates a rule of the field
  kNotFound,            // the named record does not exist (or is not visible)
  kAlreadyExists,       // a unique key (e.g. normalised email) is taken
  kFailedPrecondition,  // the record's state forbids the action (e.g. a lifecycle jump)
  kPermissionDenied,    // authenticated, but the role or scope does not allow it
  kUnauthenticated,     // missing, expired or forged credentials
  kResourceExhausted,   // a rate limit or quota was hit
  kUnavailable,         // a dependency (database) is away; retrying may succeed
  kInternal,            // a bug or an unexpected failure below us
};

std::string_view ToString(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;  // the offending input field, empty when not about one field

  static Error Invalid(std::string field, std::string message) {
    return {ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
  }
  static Error NotFound(std::string message) {
    return {ErrorCode::kNotFound, std::move(message), {}};
  }
  static Error Conflict(std::string field, std::string message) {
    return {ErrorCode::kAlreadyExists, std::move(message), std::move(field)};
  }
  static Error Precondition(std::string message, std::string field = {}) {
    return {ErrorCode::kFailedPrecondition, std::move(message), std::move(field)};
  }
  static Error Forbidden(std::string message) {
    return {ErrorCode::kPermissionDenied, std::move(message), {}};
  }
  static Error Unauthenticated(std::string message) {
    return {ErrorCode::kUnauthenticated, std::move(message), {}};
  }
  static Error Internal(std::string message) {
    return {ErrorCode::kInternal, std::move(message), {}};
  }
};

template <class T>
using Result = tl::expected<T, Error>;

// Shorthand for returning an error from a function whose result is Result<T>.
inline tl::unexpected<Error> Fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

}  // namespace tandem::core

// Returns the error of a Result-returning expression from the enclosing function.
#define TANDEM_TRY(expr)                                      \
  do {                                                        \
    if (auto tandem_r_ = (expr); !tandem_r_) {                \
      return ::tandem::core::Fail(std::move(tandem_r_.error())); \
    }                                                         \
  } while (0)

#define TANDEM_CONCAT_INNER_(a, b) a##b
#define TANDEM_CONCAT_(a, b) TANDEM_CONCAT_INNER_(a, b)
#define TANDEM_ASSIGN_IMPL_(tmp, lhs, expr)                 \
  auto tmp = (expr);                                        \
  if (!tmp) return ::tandem::core::Fail(std::move(tmp.error())); \
  lhs = std::move(*tmp)
// `TANDEM_ASSIGN(auto x, F());` declares x from F()'s value or returns F()'s error.
#define TANDEM_ASSIGN(lhs, expr) TANDEM_ASSIGN_IMPL_(TANDEM_CONCAT_(tandem_a_, __LINE__), lhs, expr)
