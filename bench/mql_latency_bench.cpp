// MQL to assigned-and-notified latency under ingest load (issue 4, docs/performance.md).
//
// One process, the server's real composition: a temporary SQLite file with the demo company
// (TANDEM_BENCH_CONTACTS contacts, default 20,000; its personas, scoring rules with the MQL rule
// "grade >= B and engagement >= 40" and the example contract with its routing), every contact
// scored; the Api on a Beast HttpServer on 127.0.0.1; the notification thread (dispatcher and
// delivery worker) woken by the store after each commit that wrote to the outbox, as in
// `tandem serve`; a webhook subscription for `lead.assigned` pointing at a local receiver.
//
// Load: TANDEM_BENCH_CLIENTS client threads (default 4) POST batches of 500 events (page views,
// opens, clicks, downloads, webinars; 85% to the demo's contacts, the rest anonymous) to
// /api/v1/events with an ingest key, without pause, from a warm-up (TANDEM_BENCH_WARMUP_SECONDS,
// default 15: the first seconds qualify a burst of contacts at once) to the last probe. Some of
// them qualify contacts, which are routed and announced like the probes.
//
// Probes: TANDEM_BENCH_PROBES contacts (default 400) of grade A or B that are still leads with
// an engagement score of 0 or more (the demo's tracked history gives most some; below the
// rule's 40, or they would be MQLs already), kept out of the load. One at a time, 20 ms apart, a
// probe POSTs an email click and a demo request (5 + 40 points, above the rule's 40 even after the
// decay of the milliseconds until they are scored: one request qualifies the contact); the latency
// is from the start of that POST to the moment the receiver has the `lead.assigned` webhook naming
// the probe's email. That covers the HTTP request, the group commit that stores the event, scores
// it, moves the contact to mql and routes it (assignment, SLA clocks, outbox message in the same
// transaction), the wake-up of the notification thread, the fan-out, the signature and the POST
// to the receiver.
//
// Reference, same run: the same probe with no load (TANDEM_BENCH_IDLE_PROBES, default 100,
// first), so the figure under load can be read against what the path costs on its own.
//
//   TANDEM_BENCH_CONTACTS=20000 ./build-release/bench/mql_latency_bench
#include <sqlite3.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/api.hpp"
#include "api/http_server.hpp"
#include "app/demo.hpp"
#include "app/demo_setup.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "base/metrics.hpp"
#include "bench_util.hpp"
#include "jobs/delivery.hpp"
#include "jobs/notification_worker.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::bench {
namespace {

const char* kLoadTypes[] = {"page_view",   "page_view",        "page_view", "email_open",
                            "email_click", "content_download", "webinar"};

// What the receiver has been told: for each lead.assigned, by email, when it arrived and how
// long after the MQL it was (the message's created_at is the instant of the move to mql and of
// the assignment, in one transaction); lead.unassigned (nobody could take the lead) is counted.
struct Arrival {
  Steady::time_point at;
  double since_mql_ms = 0;
};

class Arrivals {
 public:
  void Add(std::string_view body) {
    const auto at = Steady::now();
    const auto wall = std::chrono::system_clock::now();
    if (body.find("\"type\":\"lead.unassigned\"") != std::string_view::npos) {
      std::lock_guard lock(mu_);
      ++unassigned_;
      return;  // a probe waiting for it misses
    }
    const auto key = body.find("\"email\":\"");
    if (key == std::string_view::npos) return;
    const auto from = key + 9;
    const auto to = body.find('"', from);
    if (to == std::string_view::npos) return;
    Arrival arrival{at, -1};
    if (const auto c = body.find("\"created_at\":\""); c != std::string_view::npos) {
      const auto end = body.find('"', c + 14);
      if (auto created = core::ParseInstant(body.substr(c + 14, end - c - 14))) {
        arrival.since_mql_ms = std::chrono::duration<double, std::milli>(wall - *created).count();
      }
    }
    {
      std::lock_guard lock(mu_);
      seen_.emplace(std::string(body.substr(from, to - from)), arrival);
      ++count_;
    }
    cv_.notify_all();
  }
  // When `email`'s webhook arrived, waiting up to `timeout`; nullopt if it did not.
  std::optional<Arrival> Wait(const std::string& email, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    const bool ok = cv_.wait_for(lock, timeout, [&] { return seen_.find(email) != seen_.end(); });
    if (!ok) return std::nullopt;
    return seen_[email];
  }
  long Count() {
    std::lock_guard lock(mu_);
    return count_;
  }
  long Unassigned() {
    std::lock_guard lock(mu_);
    return unassigned_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Arrival> seen_;
  long count_ = 0;
  long unassigned_ = 0;
};

// Grade A/B leads with no engagement: each qualifies on one demo_request.
std::vector<std::string> ProbeEmails(const std::string& path, std::size_t n) {
  sqlite3* db = nullptr;
  Check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK,
        "open for probes");
  sqlite3_stmt* st = nullptr;
  Check(sqlite3_prepare_v2(db,
                           "SELECT c.email FROM contacts c JOIN contact_scores s ON "
                           "s.contact_id = c.id WHERE c.stage = 'lead' AND s.grade IN ('A', 'B') "
                           "AND s.engagement >= 0 ORDER BY c.id LIMIT ?",
                           -1, &st, nullptr) == SQLITE_OK,
        "prepare probe query");
  sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(n));
  std::vector<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::vector<std::string> AllEmails(const std::string& path) {
  sqlite3* db = nullptr;
  Check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK,
        "open for emails");
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT email FROM contacts ORDER BY id", -1, &st, nullptr);
  std::vector<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

struct ProbeFigures {
  std::vector<double> notified_ms;  // POST start -> webhook received
  std::vector<double> mql_ms;       // the move to mql (and assignment) -> webhook received
  std::vector<double> ack_ms;       // POST start -> 200 answer (the event is durable)
  int missed = 0;
};

// Sends one demo_request per email, one at a time, `gap` apart.
void RunProbes(const std::string& base, const std::string& key, base::Clock& clock,
               Arrivals& arrivals, std::vector<std::string>::const_iterator first,
               std::vector<std::string>::const_iterator last, ProbeFigures& out) {
  Http post(key);
  int n = 0;
  for (auto it = first; it != last; ++it, ++n) {
    const std::string at = core::FormatInstant(clock.Now());
    const std::string body = "{\"events\":[{\"event_id\":\"probe-click-" + *it +
                             "\",\"type\":\"email_click\",\"occurred_at\":\"" + at +
                             "\",\"email\":\"" + *it + "\"},{\"event_id\":\"probe-" + *it +
                             "\",\"type\":\"demo_request\",\"occurred_at\":\"" + at +
                             "\",\"email\":\"" + *it + "\"}]}";
    const auto t0 = Steady::now();
    const long status = post.Post(base + "/api/v1/events", body);
    const auto acked = Steady::now();
    if (status != 200 || post.out.find("\"accepted\":2") == std::string::npos) {
      std::fprintf(stderr, "probe %s: %ld %s\n", it->c_str(), status, post.out.c_str());
      ++out.missed;
      continue;
    }
    auto arrived = arrivals.Wait(*it, std::chrono::seconds(10));
    if (!arrived) {
      std::fprintf(stderr, "probe %s: no lead.assigned within 10 s\n", it->c_str());
      ++out.missed;
      continue;
    }
    out.ack_ms.push_back(std::chrono::duration<double, std::milli>(acked - t0).count());
    out.notified_ms.push_back(std::chrono::duration<double, std::milli>(arrived->at - t0).count());
    out.mql_ms.push_back(arrived->since_mql_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int Main() {
  const std::int64_t contacts = Env("TANDEM_BENCH_CONTACTS", 20'000);
  const int clients = static_cast<int>(Env("TANDEM_BENCH_CLIENTS", 4));
  const auto probes = static_cast<std::size_t>(Env("TANDEM_BENCH_PROBES", 400));
  const auto idle_probes = static_cast<std::size_t>(Env("TANDEM_BENCH_IDLE_PROBES", 100));
  constexpr std::size_t kBatch = 500;

  const fs::path dir = fs::temp_directory_path() / ("tandem-mql-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "mql.db").string();
  curl_global_init(CURL_GLOBAL_DEFAULT);

  base::SystemClock clock;
  base::Metrics metrics;
  // TANDEM_BENCH_CHECKPOINT_PAGES=0 leaves checkpoints to SQLite, inside the writer's commits.
  const auto checkpoint_pages = static_cast<int>(
      Env("TANDEM_BENCH_CHECKPOINT_PAGES", store::sqlite::SqliteSettings{}.checkpoint_pages));
  std::printf("write-ahead log checkpoints: %s\n",
              checkpoint_pages > 0
                  ? ("own thread, every " + std::to_string(checkpoint_pages) + " pages").c_str()
                  : "SQLite's, in the commit");
  auto store = Must(store::sqlite::OpenSqliteStore(
                        {.path = path, .metrics = &metrics, .checkpoint_pages = checkpoint_pages}),
                    "open store");
  auto services = std::make_unique<app::Services>(*store, clock, app::PasswordSettings::Fastest());

  // The demo company, configured and scored.
  app::DemoSettings demo;
  demo.contacts = contacts;
  demo.days = 90;
  demo.now = clock.Now();
  demo.password = "bench-password";
  const auto summary =
      Must(app::GenerateDemo(*store, services->hasher, demo), "generate the demo company");
  Must(app::ConfigureDemo(*services), "configure the demo company");
  // The demo contract caps each rep at 40 open leads; nobody accepts during the run, so the
  // caps would fill up and later MQLs would stay unassigned. The measure is of the path, so the
  // same contract is activated again without the caps.
  {
    std::string contract(app::ExampleContract());
    for (const std::string from : {"default_capacity = 40", "capacity = 25"}) {
      const auto at = contract.find(from);
      Check(at != std::string::npos, "the example contract has no '" + from + "'");
      contract.replace(at, from.size(), from.substr(0, from.find('=') + 2) + "100000");
    }
    Must(services->contracts.ActivateAsOperator(contract, std::nullopt, std::nullopt),
         "activate the contract without capacity caps");
  }
  while (Must(services->scoring.RunJobBatch(), "re-score")) {
  }
  const auto& admin_login = summary.logins.at(0);
  core::Principal admin;
  Check(store->Read([&](store::Tx& tx) -> core::Result<void> {
               TANDEM_ASSIGN(auto u, tx.users().FindByEmail(admin_login.email));
               if (u) admin = core::Principal{u->id, u->email, u->role, std::nullopt};
               return {};
             }).has_value() &&
            admin.user_id != 0,
        "admin user");
  const std::string key =
      Must(services->auth.CreateApiKey(admin, "site", {core::Scope::kIngest}), "api key").secret;

  // The receiver and the subscription.
  Arrivals arrivals;
  Receiver receiver([&arrivals](std::string_view body) { arrivals.Add(body); });
  services->webhooks.SetSettings({.allow_private_targets = true});
  Must(services->webhooks.Create(admin, receiver.Url(), {"lead.assigned", "lead.unassigned"},
                                 "bench"),
       "webhook");

  // The notification thread, as `tandem serve` runs it.
  jobs::CurlHttpSender sender;
  jobs::DeliverySettings delivery;
  delivery.allow_private_targets = true;
  jobs::DeliveryWorker deliveries(*store, sender, nullptr, services->resolver, delivery);
  jobs::NotificationWorker notifier(services->dispatcher, deliveries, clock);
  // What the MQLs of the demo's history announced already is not part of the measure.
  while (Must(services->dispatcher.DispatchPending(), "dispatch") > 0) {
  }
  notifier.Start();
  store->SetOutboxListener([&notifier] { notifier.Wake(); });

  api::Api api(*services, metrics, clock);
  api::HttpServerSettings http;
  http.host = "127.0.0.1";
  http.port = 0;
  http.threads = 8;
  http.max_body_bytes = 8u << 20;
  api::HttpServer server(api, http);
  const unsigned short port = Must(server.Start(), "start server");
  const std::string base = "http://127.0.0.1:" + std::to_string(port);

  std::fprintf(stderr, "demo company of %lld contacts ready, scored, server on %s\n",
               static_cast<long long>(contacts), base.c_str());
  const auto probe_emails = ProbeEmails(path, idle_probes + probes);
  Check(probe_emails.size() == idle_probes + probes,
        "only " + std::to_string(probe_emails.size()) +
            " grade A/B leads with an engagement of 0 or more");
  std::vector<std::string> load_emails;
  {
    const std::set<std::string> excluded(probe_emails.begin(), probe_emails.end());
    for (auto& e : AllEmails(path)) {
      if (!excluded.contains(e)) load_emails.push_back(std::move(e));
    }
  }

  // The reference: the probe path alone.
  ProbeFigures idle;
  RunProbes(base, key, clock, arrivals, probe_emails.begin(),
            probe_emails.begin() + static_cast<std::ptrdiff_t>(idle_probes), idle);

  // The load, generated as it goes (cheap next to the server's work).
  std::atomic<bool> done{false};
  std::atomic<long> events{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      Http h(key);
      std::mt19937_64 rng(20261127 + t);
      while (!done.load()) {
        std::string body = "{\"events\":[";
        const std::int64_t now_ms = core::ToMillis(clock.Now());
        for (std::size_t i = 0; i < kBatch; ++i) {
          if (i) body += ',';
          const bool known = rng() % 100 < 85;
          const std::string who =
              known ? "\"email\":\"" + load_emails[rng() % load_emails.size()] + "\""
                    : "\"anonymous_id\":\"v-" + std::to_string(rng() % 50'000) + "\"";
          body += "{\"event_id\":\"" + Uuid(rng) + "\",\"type\":\"" + kLoadTypes[rng() % 7] +
                  "\",\"occurred_at\":\"" +
                  core::FormatInstant(
                      core::FromMillis(now_ms - static_cast<std::int64_t>(rng() % 60'000))) +
                  "\"," + who + ",\"utm_source\":\"google\",\"utm_campaign\":\"q4-" +
                  std::to_string(rng() % 20) + "\"}";
        }
        body += "]}";
        const long status = h.Post(base + "/api/v1/events", body);
        if (status == 200) {
          events += static_cast<long>(kBatch);
        } else {
          ++errors;
        }
      }
    });
  }
  // The first seconds of load qualify a burst of the demo's contacts at once (every grade A/B
  // lead a few events short of the rule); the measure is of steady load, after that burst.
  const auto warmup = std::chrono::seconds(Env("TANDEM_BENCH_WARMUP_SECONDS", 15));
  std::this_thread::sleep_for(warmup);
  const long assigned_before = arrivals.Count();
  const long events_before = events.load();
  const auto load_start = Steady::now();
  ProbeFigures loaded;
  RunProbes(base, key, clock, arrivals,
            probe_emails.begin() + static_cast<std::ptrdiff_t>(idle_probes), probe_emails.end(),
            loaded);
  done = true;
  for (auto& t : threads) t.join();
  const double load_seconds = std::chrono::duration<double>(Steady::now() - load_start).count();
  const long assigned_under_load = arrivals.Count() - assigned_before;
  store->SetOutboxListener({});
  server.Stop();
  notifier.Stop();

  auto line = [](const char* name, const std::vector<double>& v) {
    std::printf("  %-44s p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n", name, Percentile(v, 0.5),
                Percentile(v, 0.99), Percentile(v, 1.0));
  };
  std::printf("machine: load average %s at the end\n", LoadAverage().c_str());
  std::printf(
      "demo: %lld contacts; %ld webhooks received while probing under load (%ld lead.unassigned "
      "in all)\n",
      static_cast<long long>(contacts), assigned_under_load, arrivals.Unassigned());
  std::printf(
      "load: %d clients, %.0f events/s accepted over %.1f s after a %lld s warm-up, %ld failed "
      "requests\n",
      clients, static_cast<double>(events.load() - events_before) / load_seconds, load_seconds,
      static_cast<long long>(warmup.count()), errors.load());
  std::printf("no load (reference), %zu probes, %d missed:\n", idle.mql_ms.size(), idle.missed);
  line("MQL -> assigned and notified (webhook in)", idle.mql_ms);
  line("request start -> event acknowledged", idle.ack_ms);
  line("request start -> webhook in", idle.notified_ms);
  std::printf("under load, %zu probes, %d missed:\n", loaded.mql_ms.size(), loaded.missed);
  line("MQL -> assigned and notified (webhook in)", loaded.mql_ms);
  line("request start -> event acknowledged", loaded.ack_ms);
  line("request start -> webhook in", loaded.notified_ms);
  std::printf("MQL -> notified p99, under load / without: %.2f\n",
              Percentile(loaded.mql_ms, 0.99) / std::max(0.001, Percentile(idle.mql_ms, 0.99)));
  PrintCheckpoints(metrics);
  services.reset();
  store.reset();
  if (Env("TANDEM_BENCH_KEEP", 0) != 0) {
    std::fprintf(stderr, "database kept: %s\n", path.c_str());
  } else {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return idle.missed + loaded.missed > 0 ? 1 : 0;
}

}  // namespace
}  // namespace tandem::bench

int main() {
  return tandem::bench::Main();
}
