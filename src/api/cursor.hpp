// Opaque page cursors (internal to src/api).
//
// A cursor is base64url (no padding) of "<list>\n<id>\n<key>", where <list> names the list and
// its sort order ("contacts:-created_at"), and <id>/<key> are the core::Cursor of the last row
// of the page. The list name is checked on the way back, so a cursor from one list or sort
// order cannot be replayed against another. Clients must treat cursors as opaque.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/query.hpp"

namespace tandem::api {

std::string EncodeCursor(std::string_view list, const core::Cursor& cursor);
// kInvalidArgument on field "cursor" for anything EncodeCursor(list, ...) did not produce.
core::Result<core::Cursor> DecodeCursor(std::string_view list, std::string_view text);

std::string Base64UrlEncode(std::string_view bytes);
bool Base64UrlDecode(std::string_view text, std::string& out);

}  // namespace tandem::api
