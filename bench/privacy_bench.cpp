// Erasing one person (docs/privacy.md) in a large database: a contact given `--events` tracking
// events (half of them campaign touches, which erasure keeps anonymous) is erased through
// PrivacyService, as `tandem privacy erase` does; its export is timed first. The reference, in
// the same run on another contact with the same events: deleting the contact outright (the
// foreign keys' cascade), which keeps nothing for the reports.
//
//   privacy_bench --db COPY_OF_A_DEMO.db [--runs 7] [--events 1000]
//
// Work on a copy: the contacts it uses are erased and deleted. Prints each run and the medians.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/privacy.hpp"
#include "base/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

using namespace tandem;

namespace {

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

[[noreturn]] void Die(const std::string& what, const core::Error& e) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), e.message.c_str());
  std::exit(1);
}

// Gives `contact` `n` events an hour apart before `now`, every other one with a campaign.
void AddEvents(store::Store& store, core::Id contact, const std::string& email, int n,
               core::Instant now) {
  auto r = store.Write([&](store::Tx& tx) -> core::Result<void> {
    for (int i = 0; i < n; ++i) {
      core::Event e;
      e.event_id = "privacy-bench-" + std::to_string(contact) + "-" + std::to_string(i);
      e.type = i % 2 == 0 ? "page_view" : "email_click";
      e.occurred_at = now - std::chrono::hours(i + 1);
      e.received_at = e.occurred_at;
      e.email = email;
      e.contact_id = contact;
      if (i % 2 == 1) {
        e.utm_source = "newsletter";
        e.utm_campaign = "spring";
      }
      e.properties = R"({"path":"/pricing","title":"Pricing"})";
      TANDEM_TRY(tx.events().Append(e));
    }
    return {};
  });
  if (!r) Die("adding events", r.error());
}

}  // namespace

int main(int argc, char** argv) {
  std::string db;
  int runs = 7;
  int events = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--db") db = argv[i + 1];
    if (flag == "--runs") runs = std::atoi(argv[i + 1]);
    if (flag == "--events") events = std::atoi(argv[i + 1]);
  }
  if (db.empty() || runs < 1 || events < 1) {
    std::fprintf(stderr, "usage: privacy_bench --db COPY.db [--runs 7] [--events 1000]\n");
    return 2;
  }
  base::SystemClock clock;
  const auto open_start = std::chrono::steady_clock::now();
  auto opened = store::sqlite::OpenSqliteStore({.path = db});
  if (!opened) Die("opening " + db, opened.error());
  store::Store& store = **opened;
  std::printf("opened %s (schema %d) in %.0f ms\n", db.c_str(), store.SchemaVersion(),
              Ms(std::chrono::steady_clock::now() - open_start));
  app::PrivacyService privacy(store, clock);

  // Contacts spread over the base, two per run: one erased, one deleted.
  std::int64_t total = 0;
  std::vector<core::Contact> people;
  auto picked = store.Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(total, tx.contacts().CountAll());
    const core::Id step = std::max<core::Id>(1, total / (2 * runs + 1));
    for (int i = 1; i <= 2 * runs; ++i) {
      TANDEM_ASSIGN(auto ids, tx.scoring().ContactIdsAfter(step * i, 1));
      if (ids.empty()) break;
      TANDEM_ASSIGN(auto c, tx.contacts().Get(ids[0]));
      if (c) people.push_back(*c);
    }
    return {};
  });
  if (!picked) Die("picking contacts", picked.error());
  if (static_cast<int>(people.size()) < 2 * runs) {
    std::fprintf(stderr, "not enough contacts\n");
    return 1;
  }
  std::printf("%lld contacts; %d runs; %d events per person\n", static_cast<long long>(total), runs,
              events);

  std::vector<double> export_ms, erase_ms, delete_ms;
  for (int run = 0; run < runs; ++run) {
    const core::Contact& erased = people[2 * run];
    const core::Contact& deleted = people[2 * run + 1];
    AddEvents(store, erased.id, erased.email, events, clock.Now());
    AddEvents(store, deleted.id, deleted.email, events, clock.Now());

    auto t0 = std::chrono::steady_clock::now();
    auto data = privacy.ExportAsOperator(erased.email);
    if (!data) Die("export", data.error());
    auto t1 = std::chrono::steady_clock::now();
    auto r = privacy.EraseAsOperator(erased.email, erased.email);
    if (!r) Die("erase", r.error());
    auto t2 = std::chrono::steady_clock::now();
    auto d = store.Write([&](store::Tx& tx) { return tx.contacts().Delete(deleted.id); });
    if (!d) Die("delete", d.error());
    auto t3 = std::chrono::steady_clock::now();

    export_ms.push_back(Ms(t1 - t0));
    erase_ms.push_back(Ms(t2 - t1));
    delete_ms.push_back(Ms(t3 - t2));
    std::printf(
        "run %d: contact %lld export %.1f ms (%zu tables); erase %.1f ms (%lld events deleted, "
        "%lld kept anonymous); reference: delete contact %lld %.1f ms\n",
        run + 1, static_cast<long long>(erased.id), export_ms.back(), data->records.tables.size(),
        erase_ms.back(), static_cast<long long>(r->counts.events_deleted),
        static_cast<long long>(r->counts.events_kept_anonymous), static_cast<long long>(deleted.id),
        delete_ms.back());
  }
  const double erase = Median(erase_ms);
  const double reference = Median(delete_ms);
  std::printf(
      "median: export %.1f ms, erase %.1f ms, delete (reference) %.1f ms, erase/delete %.2f\n",
      Median(export_ms), erase, reference, reference > 0 ? erase / reference : 0.0);
  return 0;
}
