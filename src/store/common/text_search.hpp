// Word search for contact and company lists, the same on every backend: the user's text becomes
// words, each matched as a prefix of a word of the record (names, email, company name; company
// name and domain).
//
// Words are cut and folded by SQLite's FTS5 unicode61 tokenizer (remove_diacritics 2), used here
// as a Unicode library from a private in-memory SQLite handle, so "Zoë", "ZOE" and "zoe" are one
// word, and punctuation (@ . - ' ") only separates words: the user's text is never query syntax.
// A text with no word at all ("@", "--") is no filter. The SQLite backend indexes with the same
// tokenizer (its FTS5 tables); the PostgreSQL backend stores the words DocumentWords gives as a
// tsvector (docs/postgres.md, "Text search"), so both find the same records for the same text.
//
// Ownership: a WordTokenizer owns its handle and tokenizer. Thread-safety: none (the tokenizer
// keeps a buffer): one per connection, used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

struct sqlite3;
struct fts5_tokenizer;
struct Fts5Tokenizer;

namespace tandem::store {

// At most this many words of a search text are used; the rest are ignored.
inline constexpr std::size_t kMaxSearchWords = 8;

class WordTokenizer {
 public:
  // Opens the private in-memory handle and creates the unicode61 tokenizer on it. kInternal
  // when this SQLite has no FTS5.
  static core::Result<std::unique_ptr<WordTokenizer>> Open();
  ~WordTokenizer();
  WordTokenizer(const WordTokenizer&) = delete;
  WordTokenizer& operator=(const WordTokenizer&) = delete;

  // The distinct folded words of a search text, in order of appearance, at most
  // kMaxSearchWords.
  std::vector<std::string> SearchWords(std::string_view text) const;
  // Appends the distinct folded words of a record's text to `out` (no limit; words already in
  // `out` are not repeated).
  void DocumentWords(std::string_view text, std::vector<std::string>& out) const;
  // Whether each word is a prefix of some word of the texts.
  bool AllMatch(const std::vector<std::string_view>& words,
                const std::vector<std::string_view>& texts) const;

 private:
  WordTokenizer(sqlite3* db, std::unique_ptr<fts5_tokenizer> api, Fts5Tokenizer* tokenizer);

  sqlite3* db_;
  std::unique_ptr<fts5_tokenizer> api_;
  Fts5Tokenizer* tokenizer_;
};

// "w1 w2": words joined by single spaces (words never contain a space).
std::string JoinWords(const std::vector<std::string>& words);

}  // namespace tandem::store
