#include "api/cursor.hpp"

#include <charconv>

namespace tandem::api {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

core::Error Bad(std::string why) {
  return core::Error::Invalid("cursor", std::move(why));
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 |
                       static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[v >> 18 & 63]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    out.push_back(kAlphabet[v >> 6 & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[v >> 18 & 63]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    if (rest == 2) out.push_back(kAlphabet[v >> 6 & 63]);
  }
  return out;
}

bool Base64UrlDecode(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 4 == 1) return false;
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = Value(c);
    if (v < 0) return false;
    acc = (acc << 6 | static_cast<unsigned>(v)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>(acc >> bits & 0xff));
    }
  }
  // Leftover bits must be zero, or two texts would decode to the same bytes.
  return (acc & ((1u << bits) - 1)) == 0;
}

std::string EncodeCursor(std::string_view list, const core::Cursor& cursor) {
  std::string raw(list);
  raw += '\n';
  raw += std::to_string(cursor.id);
  raw += '\n';
  raw += cursor.key;
  return Base64UrlEncode(raw);
}

core::Result<core::Cursor> DecodeCursor(std::string_view list, std::string_view text) {
  std::string raw;
  if (text.size() > 4096 || !Base64UrlDecode(text, raw)) {
    return core::Fail(Bad("is not a cursor returned by this API"));
  }
  const auto first = raw.find('\n');
  const auto second = first == std::string::npos ? first : raw.find('\n', first + 1);
  if (second == std::string::npos) return core::Fail(Bad("is not a cursor returned by this API"));
  if (std::string_view(raw).substr(0, first) != list) {
    return core::Fail(Bad("belongs to another list or sort order"));
  }
  core::Cursor c;
  const char* begin = raw.data() + first + 1;
  const char* end = raw.data() + second;
  auto [ptr, ec] = std::from_chars(begin, end, c.id);
  if (ec != std::errc() || ptr != end || c.id <= 0) {
    return core::Fail(Bad("is not a cursor returned by this API"));
  }
  c.key = raw.substr(second + 1);
  return c;
}

}  // namespace tandem::api
