#include "api/json_io.hpp"

#include <array>

#include <charconv>
#include <cmath>
#include <unordered_set>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parser.hpp>

namespace tandem::api {
namespace json = boost::json;

namespace {

// A validating pass that keeps no values, only the keys of the open objects: Boost.JSON's
// value parser keeps the last of duplicate keys silently, and a body where two readers could
// see two different values is refused instead.
class DuplicateKeyCheck {
 public:
  static constexpr std::size_t max_array_size = -1;
  static constexpr std::size_t max_object_size = -1;
  static constexpr std::size_t max_string_size = -1;
  static constexpr std::size_t max_key_size = -1;

  std::string duplicate;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    keys_.pop_back();
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key_.append(s.data(), s.size());
    if (!keys_.back().insert(key_).second) {
      duplicate = std::move(key_);
      key_.clear();
      ec = json::error::syntax;
      return false;
    }
    key_.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double d, json::string_view, json::error_code& ec) {
    if (std::isfinite(d)) return true;
    non_finite = true;
    ec = json::error::syntax;
    return false;
  }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  bool non_finite = false;

 private:
  std::vector<std::unordered_set<std::string>> keys_;
  std::string key_;
};

core::Error Malformed(std::string what, std::size_t at) {
  return core::Error::Invalid(
      "", "the body is not valid JSON: " + what + " at byte " + std::to_string(at));
}

// The length of the well-formed UTF-8 sequence starting `s` (which starts with a byte >= 0x80),
// or 0 when it is not one (stray continuation, overlong form, surrogate, beyond U+10FFFF).
std::size_t Utf8Length(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](std::size_t i) { return i < s.size() && (b(i) & 0xc0) == 0x80; };
  const unsigned char c = b(0);
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xe0 && b(1) < 0xa0) return 0;
    if (c == 0xed && b(1) >= 0xa0) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xf0 && b(1) < 0x90) return 0;
    if (c == 0xf4 && b(1) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

void AppendNumber(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, end);
}

void Write(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; return;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
    case json::kind::int64: out += std::to_string(v.get_int64()); return;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); return;
    case json::kind::double_: AppendNumber(out, v.get_double()); return;
    case json::kind::string: {
      const auto& s = v.get_string();
      AppendJsonString(out, std::string_view(s.data(), s.size()));
      return;
    }
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        Write(out, item);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(out, std::string_view(kv.key().data(), kv.key().size()));
        out.push_back(':');
        Write(out, kv.value());
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

core::Result<json::value> ParseJson(std::string_view text) {
  return ParseJson(text, JsonParseOptions{});
}

core::Result<json::value> ParseJson(std::string_view text, const JsonParseOptions& options) {
  json::parse_options opts;  // strict defaults: no comments, no trailing commas, UTF-8 only
  opts.max_depth = 32;
  opts.allow_invalid_utf8 = options.allow_invalid_utf8;
  {
    json::basic_parser<DuplicateKeyCheck> check(opts);
    json::error_code ec;
    std::size_t n = check.write_some(false, text.data(), text.size(), ec);
    if (check.handler().non_finite) return core::Fail(Malformed("a number out of range", n));
    if (!check.handler().duplicate.empty()) {
      std::string key;
      AppendJsonString(key, check.handler().duplicate);
      return core::Fail(Malformed("duplicate key " + key, n));
    }
    if (ec) return core::Fail(Malformed(ec.message(), n));
    if (n != text.size()) return core::Fail(Malformed("extra data after the document", n));
  }
  json::parser p(json::storage_ptr(), opts);
  json::error_code ec;
  std::size_t n = p.write(text.data(), text.size(), ec);
  if (ec) return core::Fail(Malformed(ec.message(), n));
  return p.release();
}

std::string WriteJson(const json::value& value) {
  std::string out;
  Write(out, value);
  return out;
}

void AppendJson(std::string& out, const json::value& value) {
  Write(out, value);
}

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Bytes copied as they are: printable ASCII other than the escaped ones.
  static constexpr auto kPlain = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x7f; ++c) t[c] = true;
    for (char c : {'"', '\\', '<', '>', '&'}) t[static_cast<unsigned char>(c)] = false;
    return t;
  }();
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    std::size_t run = i;
    while (run < text.size() && kPlain[static_cast<unsigned char>(text[run])]) ++run;
    if (run > i) {
      out.append(text.data() + i, run - i);
      i = run;
      if (i == text.size()) break;
    }
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      case '\b':
        out += "\\b";
        ++i;
        continue;
      case '\f':
        out += "\\f";
        ++i;
        continue;
      case '<':
        out += "\\u003c";
        ++i;
        continue;
      case '>':
        out += "\\u003e";
        ++i;
        continue;
      case '&':
        out += "\\u0026";
        ++i;
        continue;
      default: break;
    }
    if (c < 0x80) {  // the other control characters and DEL
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
      ++i;
      continue;
    }
    const std::size_t n = Utf8Length(text.substr(i));
    if (n == 0) {
      // Text from imports may not be UTF-8; the output stays valid JSON all the same.
      out += "\\ufffd";
      ++i;
      continue;
    }
    // U+2028 and U+2029 (E2 80 A8/A9) end a line in JavaScript source.
    if (n == 3 && c == 0xe2 && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) & 0xfe) == 0xa8) {
      out += static_cast<unsigned char>(text[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  out.push_back('"');
}

}  // namespace tandem::api
