// JSON text in and out of the API (internal to src/api).
//
// Parsing is strict: one JSON document, RFC 8259 syntax (no comments, no trailing commas),
// valid UTF-8, at most 32 levels deep, no duplicate key in an object, no non-finite number.
// Writing is Tandem's own serializer over boost::json::value because Boost.JSON prints
// doubles in exponent form ("1.25005E4"); ours prints the shortest exact decimal ("12500.5")
// and escapes <, >, & and U+2028/2029 as \uXXXX, so JSON echoed into an HTML page cannot
// close a script element.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace tandem::api {

// kInvalidArgument (field "") naming the problem and the byte offset: "the body is not valid
// JSON: syntax error at byte 17", "duplicate key \"email\" at byte 40".
core::Result<boost::json::value> ParseJson(std::string_view text);

struct JsonParseOptions {
  // Strings may hold ill-formed UTF-8, for callers that refuse it themselves with a precise
  // reason (event ingest rejects one event of a batch rather than the whole body).
  bool allow_invalid_utf8 = false;
};
core::Result<boost::json::value> ParseJson(std::string_view text, const JsonParseOptions& options);

std::string WriteJson(const boost::json::value& value);
// Appends `value` written as by WriteJson to `out`.
void AppendJson(std::string& out, const boost::json::value& value);
// Appends `text` as a quoted, escaped JSON string.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace tandem::api
