// Word search for contact and company lists: the user's text becomes words, each matched as a
// prefix of a word of the record (names, email, company name; company name and domain).
//
// Words are cut and folded by SQLite's own FTS5 unicode61 tokenizer (remove_diacritics 2), the
// one the contacts_fts and companies_fts tables index with, so "Zoë", "ZOE" and "zoe" are one
// word, and punctuation (@ . - ' ") only separates words: the user's text is never FTS syntax.
// A text with no word at all ("@", "--") is no filter.
//
// The same folding also runs row by row: the SQL function
//   tandem_words_match(words, text1, text2, ...)
// is 1 when every word of `words` (space-separated, as made by JoinWords) is a prefix of a word
// of one of the texts, with the same semantics as the FTS5 query MatchExpression(words). The
// list queries use it where walking an index in sort order and testing each row is cheaper than
// collecting every match from the full-text index (see sqlite_store.hpp).
//
// Ownership: a WordTokenizer belongs to one connection, and must be destroyed before it;
// thread-safety follows the connection's (one thread at a time).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/sqlite/connection.hpp"

struct fts5_tokenizer;
struct Fts5Tokenizer;

namespace tandem::store::sqlite {

// At most this many words of a search text are used; the rest are ignored.
inline constexpr std::size_t kMaxSearchWords = 8;

class WordTokenizer {
 public:
  // Creates the tokenizer from `conn`'s FTS5 module and registers tandem_words_match on it.
  static Result<std::unique_ptr<WordTokenizer>> Install(Connection& conn);
  ~WordTokenizer();
  WordTokenizer(const WordTokenizer&) = delete;
  WordTokenizer& operator=(const WordTokenizer&) = delete;

  // The distinct folded words of `text`, in order of appearance, at most kMaxSearchWords.
  std::vector<std::string> SearchWords(std::string_view text) const;
  // Whether each word is a prefix of some word of the texts.
  bool AllMatch(const std::vector<std::string_view>& words,
                const std::vector<std::string_view>& texts) const;

 private:
  WordTokenizer(std::unique_ptr<fts5_tokenizer> api, Fts5Tokenizer* tokenizer);

  std::unique_ptr<fts5_tokenizer> api_;
  Fts5Tokenizer* tokenizer_;
};

// "w1 w2": the form tandem_words_match takes.
std::string JoinWords(const std::vector<std::string>& words);
// "\"w1\"* AND \"w2\"*": an FTS5 query matching rows that have a word starting with each word.
// Words never contain a double quote (the tokenizer treats it as a separator).
std::string MatchExpression(const std::vector<std::string>& words);

}  // namespace tandem::store::sqlite
