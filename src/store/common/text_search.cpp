#include "store/common/text_search.hpp"

#include <sqlite3.h>

#include <algorithm>

namespace tandem::store {

using core::Error;
using core::Fail;

namespace {

struct Collect {
  std::vector<std::string>* out;
  std::size_t max;
};

int CollectToken(void* ctx, int, const char* token, int size, int, int) {
  auto* c = static_cast<Collect*>(ctx);
  std::string word(token, static_cast<std::size_t>(size));
  if (std::find(c->out->begin(), c->out->end(), word) == c->out->end()) {
    c->out->push_back(std::move(word));
  }
  return c->out->size() >= c->max ? SQLITE_DONE : SQLITE_OK;
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

}  // namespace

WordTokenizer::WordTokenizer(sqlite3* db, std::unique_ptr<fts5_tokenizer> api,
                             Fts5Tokenizer* tokenizer)
    : db_(db), api_(std::move(api)), tokenizer_(tokenizer) {}

WordTokenizer::~WordTokenizer() {
  api_->xDelete(tokenizer_);
  sqlite3_close(db_);
}

core::Result<std::unique_ptr<WordTokenizer>> WordTokenizer::Open() {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(db);
    return Fail(Error::Internal("cannot open the in-memory SQLite handle of the word tokenizer"));
  }
  auto fail = [db](const char* what) {
    sqlite3_close(db);
    return Fail(Error::Internal(what));
  };
  fts5_api* fts = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
    return fail("this SQLite has no FTS5 module");
  }
  sqlite3_bind_pointer(stmt, 1, &fts, "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (fts == nullptr) return fail("this SQLite has no FTS5 API");

  auto api = std::make_unique<fts5_tokenizer>();
  void* user_data = nullptr;
  if (fts->xFindTokenizer(fts, "unicode61", &user_data, api.get()) != SQLITE_OK) {
    return fail("the FTS5 unicode61 tokenizer is missing");
  }
  const char* args[] = {"remove_diacritics", "2"};
  Fts5Tokenizer* tokenizer = nullptr;
  if (api->xCreate(user_data, args, 2, &tokenizer) != SQLITE_OK) {
    return fail("cannot create the unicode61 tokenizer");
  }
  return std::unique_ptr<WordTokenizer>(new WordTokenizer(db, std::move(api), tokenizer));
}

std::vector<std::string> WordTokenizer::SearchWords(std::string_view text) const {
  std::vector<std::string> out;
  Collect c{&out, kMaxSearchWords};
  api_->xTokenize(tokenizer_, &c, FTS5_TOKENIZE_QUERY, text.data(), static_cast<int>(text.size()),
                  CollectToken);
  return out;
}

void WordTokenizer::DocumentWords(std::string_view text, std::vector<std::string>& out) const {
  Collect c{&out, static_cast<std::size_t>(-1)};
  api_->xTokenize(tokenizer_, &c, FTS5_TOKENIZE_DOCUMENT, text.data(),
                  static_cast<int>(text.size()), CollectToken);
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

}  // namespace tandem::store
