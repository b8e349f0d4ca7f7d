#include "store/sqlite/text_search.hpp"

#include <sqlite3.h>

#include <algorithm>

namespace tandem::store::sqlite {

using core::Error;
using core::Fail;

namespace {

struct Collect {
  std::vector<std::string>* out;
};

int CollectToken(void* ctx, int, const char* token, int size, int, int) {
  auto* c = static_cast<Collect*>(ctx);
  std::string word(token, static_cast<std::size_t>(size));
  if (std::find(c->out->begin(), c->out->end(), word) == c->out->end()) {
    c->out->push_back(std::move(word));
  }
  return c->out->size() >= kMaxSearchWords ? SQLITE_DONE : SQLITE_OK;
}

struct Matcher {
  const std::vector<std::string_view>* words;
  std::vector<bool> found;
  std::size_t missing;
};

int MatchToken(void* ctx, int, const char* token, int size, int, int) {
  auto* m = static_cast<Matcher*>(ctx);
  std::string_view t(token, static_cast<std::size_t>(size));
  for (std::size_t i = 0; i < m->words->size(); ++i) {
    if (!m->found[i] && t.starts_with((*m->words)[i])) {
      m->found[i] = true;
      --m->missing;
    }
  }
  return m->missing == 0 ? SQLITE_DONE : SQLITE_OK;
}

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

WordTokenizer::WordTokenizer(std::unique_ptr<fts5_tokenizer> api, Fts5Tokenizer* tokenizer)
    : api_(std::move(api)), tokenizer_(tokenizer) {}

WordTokenizer::~WordTokenizer() {
  api_->xDelete(tokenizer_);
}

Result<std::unique_ptr<WordTokenizer>> WordTokenizer::Install(Connection& conn) {
  sqlite3* db = conn.handle();
  fts5_api* fts = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
    return Fail(Error::Internal("this SQLite has no FTS5 module"));
  }
  sqlite3_bind_pointer(stmt, 1, &fts, "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (fts == nullptr) return Fail(Error::Internal("this SQLite has no FTS5 API"));

  auto api = std::make_unique<fts5_tokenizer>();
  void* user_data = nullptr;
  if (fts->xFindTokenizer(fts, "unicode61", &user_data, api.get()) != SQLITE_OK) {
    return Fail(Error::Internal("the FTS5 unicode61 tokenizer is missing"));
  }
  const char* args[] = {"remove_diacritics", "2"};
  Fts5Tokenizer* tokenizer = nullptr;
  if (api->xCreate(user_data, args, 2, &tokenizer) != SQLITE_OK) {
    return Fail(Error::Internal("cannot create the unicode61 tokenizer"));
  }
  std::unique_ptr<WordTokenizer> out(new WordTokenizer(std::move(api), tokenizer));
  int rc = sqlite3_create_function_v2(db, "tandem_words_match", -1,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                      out.get(), WordsMatchFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Fail(ErrorFromSqlite(db, rc, "registering tandem_words_match"));
  return out;
}

std::vector<std::string> WordTokenizer::SearchWords(std::string_view text) const {
  std::vector<std::string> out;
  Collect c{&out};
  api_->xTokenize(tokenizer_, &c, FTS5_TOKENIZE_QUERY, text.data(), static_cast<int>(text.size()),
                  CollectToken);
  return out;
}

bool WordTokenizer::AllMatch(const std::vector<std::string_view>& words,
                             const std::vector<std::string_view>& texts) const {
  Matcher m{&words, std::vector<bool>(words.size(), false), words.size()};
  for (std::string_view text : texts) {
    if (m.missing == 0) break;
    api_->xTokenize(tokenizer_, &m, FTS5_TOKENIZE_DOCUMENT, text.data(),
                    static_cast<int>(text.size()), MatchToken);
  }
  return m.missing == 0;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
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
