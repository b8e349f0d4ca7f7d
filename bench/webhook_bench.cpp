// Webhook delivery throughput to a local receiver (docs/performance.md, issue 4).
//
// A receiver on 127.0.0.1 (port 0, keep-alive, answers 200) gets N deliveries of contact.mql:
// the outbox messages are written and fanned out first (not timed), then the DeliveryWorker
// sends them (timed: the store read of due deliveries, the target check, the signature, the
// POST through libcurl, the outcome's write per delivery). The reference, in the same run, is
// the raw loop: the same bodies POSTed with one reused curl handle and nothing else.
// Prints deliveries per second and CPU microseconds per delivery for both, median of runs.
//
//   webhook_bench [N=5000] [RUNS=5]
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "app/outbox.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "bench_util.hpp"
#include "jobs/delivery.hpp"
#include "store/sqlite/sqlite_store.hpp"

using namespace tandem;

namespace {

struct Figure {
  double per_second = 0;
  double cpu_us = 0;
};

size_t Discard(char*, size_t size, size_t n, void*) {
  return size * n;
}

Figure RawCurlLoop(const std::string& url, const std::vector<std::string>& bodies) {
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  auto t0 = std::chrono::steady_clock::now();
  double c0 = bench::ProcessCpuSeconds();
  for (const auto& b : bodies) {
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, b.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(b.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_perform(curl) != CURLE_OK) std::abort();
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Figure f{bodies.size() / secs, (bench::ProcessCpuSeconds() - c0) * 1e6 / bodies.size()};
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return f;
}

Figure WorkerRun(const std::string& url, int n, std::vector<std::string>* bodies) {
  base::SystemClock clock;
  auto opened = store::sqlite::OpenSqliteStore(store::sqlite::SqliteSettings{.path = ":memory:"});
  if (!opened) std::abort();
  auto& st = **opened;
  app::Services services(st, clock, app::PasswordSettings::Fastest());
  services.webhooks.SetSettings({.allow_private_targets = true});
  core::Principal admin{0, "bench", core::Role::kAdmin, std::nullopt};
  if (!services.webhooks.Create(admin, url, {"contact.mql"}, "bench")) std::abort();
  for (int written = 0; written < n;) {
    auto w = st.Write([&](store::Tx& tx) -> core::Result<void> {
      for (int i = 0; i < 500 && written < n; ++i, ++written) {
        auto payload = app::Payload()
                           .Int("contact_id", written + 1)
                           .Str("email", "lead" + std::to_string(written) + "@example.com")
                           .Str("stage", "mql")
                           .Str("cause", "mql_rule")
                           .Done();
        TANDEM_TRY(app::Announce(tx, core::kEventContactMql, written + 1, std::nullopt, payload,
                                 clock.Now()));
      }
      return {};
    });
    if (!w) std::abort();
  }
  while (true) {
    auto d = services.dispatcher.DispatchPending();
    if (!d) std::abort();
    if (*d == 0) break;
  }
  if (bodies) {
    auto r = st.Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(auto due, tx.webhooks().ListDue(clock.Now() + std::chrono::hours(1), n));
      for (const auto& d : due) bodies->push_back(d.body);
      return {};
    });
    if (!r) std::abort();
  }
  jobs::CurlHttpSender http;
  jobs::DeliverySettings ds;
  ds.allow_private_targets = true;
  jobs::DeliveryWorker worker(st, http, nullptr, services.resolver, ds);
  auto t0 = std::chrono::steady_clock::now();
  double c0 = bench::ProcessCpuSeconds();
  int sent = 0;
  while (sent < n) {
    auto r = worker.RunDue(clock.Now());
    if (!r || *r == 0) std::abort();
    sent += *r;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {n / secs, (bench::ProcessCpuSeconds() - c0) * 1e6 / n};
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 5000;
  int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  bench::Receiver receiver;
  std::vector<double> worker_rate, worker_cpu, raw_rate, raw_cpu;
  for (int run = 0; run < runs; ++run) {
    std::vector<std::string> bodies;
    auto w = WorkerRun(receiver.Url(), n, &bodies);
    auto r = RawCurlLoop(receiver.Url(), bodies);
    std::printf("run %d: worker %.0f/s %.1f us CPU each; raw curl loop %.0f/s %.1f us CPU each\n",
                run + 1, w.per_second, w.cpu_us, r.per_second, r.cpu_us);
    worker_rate.push_back(w.per_second);
    worker_cpu.push_back(w.cpu_us);
    raw_rate.push_back(r.per_second);
    raw_cpu.push_back(r.cpu_us);
  }
  double wr = bench::Percentile(worker_rate, 0.5), rr = bench::Percentile(raw_rate, 0.5);
  std::printf(
      "median of %d runs, %d deliveries each:\n"
      "  delivery worker   %8.0f deliveries/s  %6.1f us CPU per delivery (whole process)\n"
      "  raw curl loop     %8.0f POSTs/s       %6.1f us CPU per POST\n"
      "  worker / raw      %8.2f\n"
      "receiver got %ld requests\n",
      runs, n, wr, bench::Percentile(worker_cpu, 0.5), rr, bench::Percentile(raw_cpu, 0.5), wr / rr,
      receiver.Count());
  return 0;
}
