#include "store/sqlite/text_search.hpp"

#include <sqlite3.h>

namespace tandem::store::sqlite {

namespace {

void WordsMatchFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  const auto* tokenizer = static_cast<const WordTokenizer*>(sqlite3_user_data(ctx));
  const auto* joined = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  std::string_view all = joined ? std::string_view(joined, sqlite3_value_bytes(argv[0])) : "";
  std::vector<std::string_view> words;
  while (!all.empty()) {
    auto space = all.find(' ');
    if (space != 0) words.push_back(all.substr(0, space));
    if (space == std::string_view::npos) break;
    all.remove_prefix(space + 1);
  }
  std::vector<std::string_view> texts;
  for (int i = 1; i < argc; ++i) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_value_text(argv[i]));
    if (t != nullptr) texts.emplace_back(t, static_cast<std::size_t>(sqlite3_value_bytes(argv[i])));
  }
  sqlite3_result_int(ctx, tokenizer->AllMatch(words, texts) ? 1 : 0);
}

}  // namespace

Result<void> InstallWordsMatch(Connection& conn, const WordTokenizer& tokenizer) {
  sqlite3* db = conn.handle();
  int rc = sqlite3_create_function_v2(
      db, "tandem_words_match", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
      const_cast<WordTokenizer*>(&tokenizer), WordsMatchFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return core::Fail(ErrorFromSqlite(db, rc, "registering tandem_words_match"));
  return {};
}

std::string MatchExpression(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += " AND ";
    out += '"' + w + "\"*";
  }
  return out;
}

}  // namespace tandem::store::sqlite
