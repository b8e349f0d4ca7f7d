// Event batches on PostgreSQL: 10,000 events written in one transaction row by row (EventRepo::
// Append, the ingest path), as multi-row INSERT statements, and through COPY into a staging
// table (docs/postgres.md, "Events: batches"; figures in docs/performance.md).
//
// Usage: pg_events_bench [URL] [runs]   (URL defaults to $TANDEM_TEST_PG_URL: a server where the
// user may create databases; a scratch database is created and dropped).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/repos.hpp"

using namespace tandem;
using store::postgres::EventBatchPath;

namespace {

constexpr int kBatch = 10'000;

// A batch like a day of tracker traffic: page views and form views of anonymous visitors and
// known contacts, random-looking ids, a JSON body of a few properties.
std::vector<core::Event> Batch(int run, const std::vector<core::Id>& contacts) {
  std::vector<core::Event> out;
  out.reserve(kBatch);
  const std::int64_t day = 1'780'000'000'000 + std::int64_t{run} * 86'400'000;
  for (int i = 0; i < kBatch; ++i) {
    core::Event e;
    char id[64];
    std::snprintf(id, sizeof id, "%08x-%04x-4%03x-a%03x-%012x", run * 7919 + i, i & 0xffff,
                  i % 4096, (i * 31) % 4096, i * 2654435761u);
    e.event_id = id;
    e.type = i % 5 == 0 ? "form_view" : "page_view";
    e.occurred_at = core::FromMillis(day + std::int64_t{i} * 8'000);
    e.received_at = e.occurred_at + std::chrono::milliseconds(40);
    if (i % 3 == 0) {
      e.contact_id = contacts[static_cast<std::size_t>(i) % contacts.size()];
      e.email = "c" + std::to_string(i % contacts.size()) + "@example.com";
    } else {
      e.anonymous_id = "v-" + std::to_string(run) + "-" + std::to_string(i % 2000);
    }
    e.utm_source = i % 4 == 0 ? "google" : "";
    e.utm_medium = i % 4 == 0 ? "cpc" : "";
    e.utm_campaign = i % 4 == 0 ? "spring" : "";
    e.properties = R"({"url":"https://acme.example/pricing?plan=team","ref":"search","n":)" +
                   std::to_string(i) + "}";
    out.push_back(std::move(e));
  }
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const char* env = std::getenv("TANDEM_TEST_PG_URL");
  const std::string url = argc > 1 ? argv[1] : (env ? env : "");
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  if (url.empty() || runs < 1) {
    std::fprintf(stderr, "usage: pg_events_bench URL [runs] (or set TANDEM_TEST_PG_URL)\n");
    return 2;
  }
  const std::string db = "tandem_events_bench_" + std::to_string(getpid());
  auto admin = store::postgres::Connection::Open(url);
  if (!admin || !(*admin)->Exec("CREATE DATABASE " + db)) {
    std::fprintf(stderr, "cannot create the scratch database\n");
    return 1;
  }
  int rc = 0;
  {
    auto opened =
        store::postgres::OpenPostgresStore({store::postgres::UrlWithDatabase(url, db), 2, nullptr});
    if (!opened) {
      std::fprintf(stderr, "%s\n", opened.error().message.c_str());
      return 1;
    }
    store::Store& st = **opened;
    std::vector<core::Id> contacts;
    auto made = st.Write([&](store::Tx& tx) -> core::Result<void> {
      for (int i = 0; i < 500; ++i) {
        core::Contact c;
        c.email = "c" + std::to_string(i) + "@example.com";
        c.created_at = c.updated_at = c.stage_entered_at = core::FromMillis(0);
        TANDEM_ASSIGN(auto id, tx.contacts().Insert(c));
        contacts.push_back(id);
      }
      return {};
    });
    if (!made) return 1;
    struct Way {
      const char* name;
      int kind;  // 0 row by row, 1 VALUES, 2 COPY
      std::vector<double> ms;
    };
    std::vector<Way> ways = {{"row by row (Append)", 0, {}},
                             {"multi-row INSERT (512 rows per statement)", 1, {}},
                             {"COPY into a staging table + INSERT ... SELECT", 2, {}}};
    int run = 0;
    for (int r = 0; r < runs + 1; ++r) {  // the first round warms up and is not counted
      for (auto& way : ways) {
        const auto batch = Batch(++run, contacts);
        const auto start = std::chrono::steady_clock::now();
        std::size_t stored = 0;
        auto done = st.Write([&](store::Tx& tx) -> core::Result<void> {
          if (way.kind == 0) {
            for (const auto& e : batch) {
              TANDEM_ASSIGN(auto id, tx.events().Append(e));
              stored += id ? 1 : 0;
            }
            return {};
          }
          auto& repo = dynamic_cast<store::postgres::PostgresEventRepo&>(tx.events());
          TANDEM_ASSIGN(auto ids, repo.AppendBatch(batch, way.kind == 1 ? EventBatchPath::kValues
                                                                        : EventBatchPath::kCopy));
          for (const auto& id : ids) stored += id ? 1 : 0;
          return {};
        });
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        if (!done || stored != static_cast<std::size_t>(kBatch)) {
          std::fprintf(stderr, "%s failed: %s (%zu stored)\n", way.name,
                       done ? "" : done.error().message.c_str(), stored);
          rc = 1;
        }
        if (r > 0) way.ms.push_back(ms);
      }
    }
    const double reference = Median(ways[0].ms);
    std::printf("PostgreSQL event batches of %d events, one transaction each, median of %d runs\n",
                kBatch, runs);
    for (const auto& way : ways) {
      const double ms = Median(way.ms);
      std::printf("  %-48s %8.1f ms  %9.0f events/s  %5.2fx row by row\n", way.name, ms,
                  kBatch / (ms / 1000.0), reference / ms);
    }
  }
  (void)(*admin)->Exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  return rc;
}
