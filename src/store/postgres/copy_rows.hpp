// COPY ... FROM STDIN in COPY's text format (docs/postgres.md, "Bulk mode" and "Events:
// batches"): rows built through the same binder interface as a Stmt (Bind ..., BindNull), so the
// row mappings of store/common (BindEvent, BindContact, BindStageChange) fill a COPY row as they
// fill a statement's parameters. Columns are separated by tabs, rows end with a newline; in a
// value a backslash, tab, newline and carriage return are escaped (\\, \t, \n, \r) and NULL is
// \N, so any text (the bytes are passed through, the server checks them as UTF-8) goes in as it is.
// Thread-safety: none needed (a value type over the caller's buffer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tandem::store::postgres {

// Appends `text` to `out` with COPY's text-format escapes.
inline void AppendCopyText(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

// One row of a COPY in text format, appended to `out` column by column; End() ends the row.
class CopyRow {
 public:
  explicit CopyRow(std::string& out) : out_(out) {}
  CopyRow& Bind(std::int64_t v) {
    Next();
    out_ += std::to_string(v);
    return *this;
  }
  CopyRow& Bind(int v) { return Bind(static_cast<std::int64_t>(v)); }
  CopyRow& Bind(std::string_view v) {
    Next();
    AppendCopyText(out_, v);
    return *this;
  }
  CopyRow& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  CopyRow& Bind(const char* v) { return Bind(std::string_view(v)); }
  CopyRow& Bind(const std::optional<std::int64_t>& v) { return v ? Bind(*v) : BindNull(); }
  CopyRow& BindNull() {
    Next();
    out_ += "\\N";
    return *this;
  }
  void End() { out_ += '\n'; }

 private:
  void Next() {
    if (columns_++ > 0) out_ += '\t';
  }
  std::string& out_;
  int columns_ = 0;
};

// `words` (space-separated, as JoinIndexableWords gives them) as a tsvector's input text: each
// word quoted, a quote or backslash in it doubled or escaped, so the vector holds the words as
// they are, exactly as array_to_tsvector(string_to_array(words, ' ')) does (no parser, no
// dictionary; the server sorts and removes duplicates either way).
inline std::string TsVectorText(std::string_view words) {
  std::string out;
  out.reserve(words.size() + 8);
  std::size_t at = 0;
  while (at < words.size()) {
    std::size_t end = words.find(' ', at);
    if (end == std::string_view::npos) end = words.size();
    if (end > at) {
      if (!out.empty()) out += ' ';
      out += '\'';
      for (char c : words.substr(at, end - at)) {
        if (c == '\'') out += '\'';
        if (c == '\\') out += '\\';
        out += c;
      }
      out += '\'';
    }
    at = end + 1;
  }
  return out;
}

}  // namespace tandem::store::postgres
