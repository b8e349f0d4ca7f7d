// Store benchmarks on the SQLite backend: bulk load, point reads, list pages (first and deep)
// for every filter kind and sort, text search with rare and common words, and insert batches.
//
// The store is built once per process in a temporary file (WAL) with TANDEM_BENCH_CONTACTS
// contacts (default 1,000,000), 50 users and one company per 50 contacts, then reopened so the
// planner statistics describe it; the file is deleted at exit. Latency benchmarks report p50
// and p99 (microseconds) as counters beside Google Benchmark's mean.
//
//   TANDEM_BENCH_CONTACTS=1000000 ./build/bench/store_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace tandem::bench {
namespace {

namespace fs = std::filesystem;
using core::Contact;
using core::Id;
using core::Result;
using Clock = std::chrono::steady_clock;

constexpr int kUsers = 50;
constexpr int kContactsPerCompany = 50;
constexpr int kLoadBatch = 50'000;
const core::Instant kStart = core::FromMillis(1'700'000'000'000);  // late 2023

const char* kFirst[] = {"james",   "mary",  "john",   "patricia",  "robert",  "jennifer",
                        "michael", "linda", "david",  "elizabeth", "william", "barbara",
                        "richard", "susan", "joseph", "jessica",   "thomas",  "sarah",
                        "carlos",  "zoë",   "ana",    "noah",      "sofia",   "liam",
                        "emma",    "yuki",  "li",     "fatima",    "omar",    "ingrid"};
const char* kSyllables[] = {"ka",  "lo",  "mi",  "ren", "sto", "vel", "an",  "dor", "ber", "tin",
                            "gar", "son", "ley", "mor", "qu",  "zel", "fen", "ri",  "wal", "ton"};
const char* kSources[] = {"organic_search", "paid_search", "paid_social", "email",
                          "event",          "referral",    "direct",      "partner"};
const core::Stage kStages[] = {
    core::Stage::kVisitor,  core::Stage::kLead,    core::Stage::kLead, core::Stage::kLead,
    core::Stage::kMql,      core::Stage::kSal,     core::Stage::kSql,  core::Stage::kOpportunity,
    core::Stage::kCustomer, core::Stage::kRecycled};

std::int64_t ContactCount() {
  const char* env = std::getenv("TANDEM_BENCH_CONTACTS");
  return env ? std::max<std::int64_t>(1000, std::atoll(env)) : 1'000'000;
}

// Realistic random people: last names from syllables (a long tail), emails at a few webmail
// domains or at the company's domain, unique by a base-36 suffix.
class People {
 public:
  explicit People(std::uint64_t seed) : rng_(seed) {}

  std::string LastName() {
    std::string out;
    int n = 2 + static_cast<int>(rng_() % 2);
    for (int i = 0; i < n; ++i) out += kSyllables[rng_() % std::size(kSyllables)];
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
  }

  Contact Make(std::int64_t n, std::int64_t companies, std::int64_t total) {
    Contact c;
    c.first_name = kFirst[rng_() % std::size(kFirst)];
    c.last_name = LastName();
    std::string domain;
    std::uint64_t r = rng_() % 100;
    if (r < 30) {
      domain = "gmail.com";
    } else if (r < 40) {
      domain = "yahoo.com";
    } else {
      c.company_id = 1 + static_cast<Id>(rng_() % static_cast<std::uint64_t>(companies));
      domain = "co" + std::to_string(*c.company_id) + ".example";
    }
    std::string local = c.first_name + "." + c.last_name;
    std::transform(local.begin(), local.end(), local.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    c.email = local + "." + Base36(n) + "@" + domain;
    if (rng_() % 5 != 0) c.owner_id = 1 + static_cast<Id>(rng_() % kUsers);
    c.stage = kStages[rng_() % std::size(kStages)];
    c.source = kSources[rng_() % std::size(kSources)];
    if (rng_() % 2) c.campaign = "campaign-" + std::to_string(rng_() % 200);
    c.country = rng_() % 2 ? "US" : "DE";
    // Three years of sign-ups, roughly in id order with jitter.
    const std::int64_t span = 3LL * 365 * 24 * 3600 * 1000;
    std::int64_t at = span / total * n + static_cast<std::int64_t>(rng_() % 3'600'000);
    c.created_at = kStart + std::chrono::milliseconds(at);
    c.updated_at = c.created_at + std::chrono::milliseconds(rng_() % 1'000'000'000);
    c.stage_entered_at = c.updated_at;
    return c;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  static std::string Base36(std::int64_t n) {
    std::string out;
    do {
      out.insert(out.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36]);
      n /= 36;
    } while (n > 0);
    return out;
  }
  std::mt19937_64 rng_;
};

std::string TempPath() {
  return (fs::temp_directory_path() / ("tandem-store-bench-" + std::to_string(getpid()) + ".db"))
      .string();
}

std::unique_ptr<store::Store> Open(const std::string& path) {
  auto s = store::sqlite::OpenSqliteStore({path, 2, nullptr});
  if (!s) {
    std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), s.error().message.c_str());
    std::exit(1);
  }
  return std::move(*s);
}

void Check(const Result<void>& r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "%s failed: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
}

// The shared 1M-contact store, built on first use.
struct BigStore {
  std::string path = TempPath();
  std::int64_t contacts = ContactCount();
  std::int64_t companies = std::max<std::int64_t>(1, contacts / kContactsPerCompany);
  double load_seconds = 0;
  std::unique_ptr<store::Store> store;
  std::int64_t next_email = 0;

  BigStore() {
    auto s = Open(path);
    People people(42);
    Check(s->Write([&](store::Tx& tx) -> Result<void> {
      for (int u = 1; u <= kUsers; ++u) {
        core::User user;
        user.email = "rep" + std::to_string(u) + "@tandem.example";
        user.name = "Rep " + std::to_string(u);
        user.created_at = user.updated_at = kStart;
        if (auto r = tx.users().Insert(user, ""); !r) return core::Fail(r.error());
      }
      for (std::int64_t c = 1; c <= companies; ++c) {
        core::Company co;
        co.name = people.LastName() + (c % 3 ? " Inc" : " GmbH");
        co.domain = "co" + std::to_string(c) + ".example";
        co.industry = c % 2 ? "Software" : "Manufacturing";
        co.created_at = co.updated_at = kStart;
        if (auto r = tx.companies().Insert(co); !r) return core::Fail(r.error());
      }
      return {};
    }),
          "seeding users and companies");
    const auto start = Clock::now();
    for (std::int64_t done = 0; done < contacts; done += kLoadBatch) {
      Check(s->Write([&](store::Tx& tx) -> Result<void> {
        for (std::int64_t i = done; i < std::min(contacts, done + kLoadBatch); ++i) {
          if (auto r = tx.contacts().Insert(people.Make(i, companies, contacts)); !r) {
            return core::Fail(r.error());
          }
        }
        return {};
      }),
            "bulk load");
    }
    load_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    next_email = contacts;
    std::fprintf(stderr, "loaded %lld contacts in %.1f s (%.0f contacts/s, batches of %d)\n",
                 static_cast<long long>(contacts), load_seconds, contacts / load_seconds,
                 kLoadBatch);
    s.reset();
    store = Open(path);  // reopened: ANALYZE now describes the full tables
  }

  ~BigStore() {
    store.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  }

  // The (created_at, id) of the row at `offset` in a default-sorted list filtered by `where`,
  // for deep-page cursors (read once with plain SQL, outside the measurement).
  core::Cursor CursorAt(const std::string& where, std::int64_t offset) const {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    std::string sql = "SELECT created_at, id FROM contacts " + where +
                      " ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?";
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    sqlite3_bind_int64(stmt, 1, offset);
    core::Cursor cursor{"0", 0};
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      cursor = {std::to_string(sqlite3_column_int64(stmt, 0)), sqlite3_column_int64(stmt, 1)};
    }
    sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
    return cursor;
  }
};

BigStore& Big() {
  static BigStore big;
  return big;
}

// Records each iteration's latency and reports p50/p99 in microseconds.
class Latencies {
 public:
  void Add(Clock::duration d) {
    us_.push_back(std::chrono::duration<double, std::micro>(d).count());
  }
  void Report(benchmark::State& state) {
    if (us_.empty()) return;
    std::sort(us_.begin(), us_.end());
    auto at = [&](double q) { return us_[static_cast<std::size_t>(q * (us_.size() - 1))]; };
    state.counters["p50_us"] = at(0.50);
    state.counters["p99_us"] = at(0.99);
    state.counters["max_us"] = us_.back();
  }

 private:
  std::vector<double> us_;
};

void BM_BulkLoad(benchmark::State& state) {
  auto& big = Big();
  for (auto _ : state) state.SetIterationTime(big.load_seconds);
  state.counters["contacts"] = static_cast<double>(big.contacts);
  state.counters["contacts_per_s"] = big.contacts / big.load_seconds;
}
BENCHMARK(BM_BulkLoad)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

void BM_GetContactById(benchmark::State& state) {
  auto& big = Big();
  std::mt19937_64 rng(7);
  Latencies lat;
  for (auto _ : state) {
    const Id id = 1 + static_cast<Id>(rng() % static_cast<std::uint64_t>(big.contacts));
    const auto start = Clock::now();
    Check(big.store->Read([&](store::Tx& tx) -> Result<void> {
      auto c = tx.contacts().Get(id);
      if (!c || !*c) return core::Fail(core::Error::Internal("missing contact"));
      benchmark::DoNotOptimize(c->value().email.data());
      return {};
    }),
          "get");
    lat.Add(Clock::now() - start);
  }
  lat.Report(state);
}
BENCHMARK(BM_GetContactById)->Unit(benchmark::kMicrosecond);

enum Filter : int {
  kNone,
  kStage,
  kOwner,
  kUnowned,
  kSource,
  kCampaign,
  kCompany,
  kCreatedRange,
  kStageByLastName,
  kOwnerByEmail,
  kTextRare,
  kTextCommon,
  kTextCommonByLastName,
  kTextPrefix2,
  kTextTwoWords
};

const char* FilterName(int f) {
  static const char* names[] = {"none",
                                "stage",
                                "owner",
                                "unowned",
                                "source",
                                "campaign",
                                "company",
                                "created_range",
                                "stage+sort_last_name",
                                "owner+sort_email",
                                "text_rare",
                                "text_common",
                                "text_common+sort_last_name",
                                "text_prefix2",
                                "text_two_words"};
  return names[f];
}

// The query of a filter kind, with values drawn at random, and its SQL WHERE for deep cursors.
core::ContactQuery QueryFor(int filter, std::mt19937_64& rng, const BigStore& big,
                            std::string* where) {
  core::ContactQuery q;
  *where = "";
  switch (filter) {
    case kNone: break;
    case kStage:
    case kStageByLastName:
      q.stage = core::Stage::kMql;
      *where = "WHERE stage = 'mql'";
      if (filter == kStageByLastName) {
        q.sort = core::ContactSort::kLastName;
        q.dir = core::SortDir::kAsc;
      }
      break;
    case kOwner:
    case kOwnerByEmail: {
      Id owner = 1 + static_cast<Id>(rng() % kUsers);
      q.owner_id = owner;
      *where = "WHERE owner_id = " + std::to_string(owner);
      if (filter == kOwnerByEmail) {
        q.sort = core::ContactSort::kEmail;
        q.dir = core::SortDir::kAsc;
      }
      break;
    }
    case kUnowned:
      q.unowned = true;
      *where = "WHERE owner_id IS NULL";
      break;
    case kSource: {
      std::string s = kSources[rng() % std::size(kSources)];
      q.source = s;
      *where = "WHERE source = '" + s + "'";
      break;
    }
    case kCampaign: {
      std::string c = "campaign-" + std::to_string(rng() % 200);
      q.campaign = c;
      *where = "WHERE campaign = '" + c + "'";
      break;
    }
    case kCompany: {
      Id company = 1 + static_cast<Id>(rng() % static_cast<std::uint64_t>(big.companies));
      q.company_id = company;
      *where = "WHERE company_id = " + std::to_string(company);
      break;
    }
    case kCreatedRange: {
      auto from = kStart + std::chrono::hours(24 * static_cast<int>(rng() % 900));
      q.created_from = from;
      q.created_to = from + std::chrono::hours(24 * 30);
      *where = "WHERE created_at >= " + std::to_string(core::ToMillis(from)) +
               " AND created_at < " + std::to_string(core::ToMillis(*q.created_to));
      break;
    }
    case kTextRare: {
      People people(rng());
      q.text = people.LastName() + " " + kFirst[rng() % std::size(kFirst)];
      break;
    }
    case kTextCommon: q.text = "gmail"; break;
    case kTextCommonByLastName:
      q.text = "gmail";
      q.sort = core::ContactSort::kLastName;
      q.dir = core::SortDir::kAsc;
      break;
    case kTextPrefix2: q.text = "ka"; break;
    case kTextTwoWords: q.text = "james gmail"; break;
  }
  return q;
}

// range(0): filter kind; range(1): 0 = first page, 1 = a page half-way through the list.
void BM_ListContacts(benchmark::State& state) {
  auto& big = Big();
  const int filter = static_cast<int>(state.range(0));
  const bool deep = state.range(1) != 0;
  std::mt19937_64 rng(11);
  // Deep cursors for a handful of random filter values, computed before timing.
  struct Prepared {
    core::ContactQuery q;
  };
  std::vector<Prepared> queries;
  for (int i = 0; i < 16; ++i) {
    std::string where;
    core::ContactQuery q = QueryFor(filter, rng, big, &where);
    if (deep) {
      if (filter >= kStageByLastName) {
        // Non-default sorts and searches: walk 20 pages for a genuine cursor.
        q.page.limit = core::kMaxPageSize;
        for (int p = 0; p < 20; ++p) {
          std::optional<core::Cursor> next;
          Check(big.store->Read([&](store::Tx& tx) -> Result<void> {
            auto page = tx.contacts().List(q);
            if (!page) return core::Fail(page.error());
            next = page->next;
            return {};
          }),
                "walking");
          if (!next) break;
          q.page.after = next;
        }
        q.page.limit = core::kDefaultPageSize;
      } else {
        sqlite3* probe = nullptr;
        sqlite3_open_v2(big.path.c_str(), &probe, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(probe, ("SELECT count(*) FROM contacts " + where).c_str(), -1, &stmt,
                           nullptr);
        sqlite3_step(stmt);
        std::int64_t n = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        sqlite3_close_v2(probe);
        q.page.after = big.CursorAt(where, n / 2);
      }
    }
    queries.push_back({q});
  }
  Latencies lat;
  std::size_t i = 0;
  std::int64_t rows = 0;
  for (auto _ : state) {
    const auto& q = queries[i++ % queries.size()].q;
    const auto start = Clock::now();
    Check(big.store->Read([&](store::Tx& tx) -> Result<void> {
      auto page = tx.contacts().List(q);
      if (!page) return core::Fail(page.error());
      rows += static_cast<std::int64_t>(page->items.size());
      return {};
    }),
          "list");
    lat.Add(Clock::now() - start);
  }
  lat.Report(state);
  state.counters["rows_per_page"] =
      static_cast<double>(rows) /
      static_cast<double>(std::max<std::int64_t>(1, state.iterations()));
  state.SetLabel(std::string(FilterName(filter)) + (deep ? " deep" : " first"));
}
BENCHMARK(BM_ListContacts)
    ->ArgsProduct({benchmark::CreateDenseRange(kNone, kTextTwoWords, 1), {0, 1}})
    ->Unit(benchmark::kMicrosecond);

void BM_CountAll(benchmark::State& state) {
  auto& big = Big();
  for (auto _ : state) {
    Check(big.store->Read([&](store::Tx& tx) -> Result<void> {
      auto n = tx.contacts().CountAll();
      if (!n) return core::Fail(n.error());
      benchmark::DoNotOptimize(*n);
      return {};
    }),
          "count");
  }
}
BENCHMARK(BM_CountAll)->Unit(benchmark::kMicrosecond);

// Write transactions of 500 new contacts into the big store (random emails, FTS included).
void BM_InsertBatch500(benchmark::State& state) {
  auto& big = Big();
  People people(99);
  Latencies lat;
  for (auto _ : state) {
    const auto start = Clock::now();
    Check(big.store->Write([&](store::Tx& tx) -> Result<void> {
      for (int i = 0; i < 500; ++i) {
        auto r = tx.contacts().Insert(people.Make(big.next_email++, big.companies, big.contacts));
        if (!r) return core::Fail(r.error());
      }
      return {};
    }),
          "insert batch");
    lat.Add(Clock::now() - start);
  }
  lat.Report(state);
  state.SetItemsProcessed(state.iterations() * 500);
}
BENCHMARK(BM_InsertBatch500)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace
}  // namespace tandem::bench

BENCHMARK_MAIN();
