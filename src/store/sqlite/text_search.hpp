// Word search on SQLite: the words come from the shared tokenizer (store/common/text_search.hpp),
// the same unicode61 tokenizer the contacts_fts and companies_fts tables index with.
//
// The same folding also runs row by row: the SQL function
//   tandem_words_match(words, text1, text2, ...)
// is 1 when every word of `words` (space-separated, as made by JoinWords) is a prefix of a word
// of one of the texts, with the same semantics as the FTS5 query MatchExpression(words). The
// list queries use it where walking an index in sort order and testing each row is cheaper than
// collecting every match from the full-text index (see sqlite_store.hpp).
//
// Ownership: the tokenizer must outlive the connection it is installed on.
#pragma once

#include <string>
#include <vector>

#include "store/common/text_search.hpp"
#include "store/sqlite/connection.hpp"

namespace tandem::store::sqlite {

using store::JoinWords;
using store::kMaxSearchWords;
using store::WordTokenizer;

// Registers tandem_words_match on `conn`, matching with `tokenizer`.
Result<void> InstallWordsMatch(Connection& conn, const WordTokenizer& tokenizer);

// "\"w1\"* AND \"w2\"*": an FTS5 query matching rows that have a word starting with each word.
// Words never contain a double quote (the tokenizer treats it as a separator).
std::string MatchExpression(const std::vector<std::string>& words);

}  // namespace tandem::store::sqlite
