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
#include "jobs/delivery.hpp"
#include "store/sqlite/sqlite_store.hpp"

using namespace tandem;

namespace {

// Answers every request on a connection with 200; one thread per connection.
class Receiver {
 public:
  Receiver() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 64);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    accept_ = std::thread([this] {
      while (true) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::thread([this, c] { Serve(c); }).detach();
      }
    });
  }
  ~Receiver() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    accept_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  long Count() const { return count_; }

 private:
  void Serve(int c) {
    std::string buf;
    char chunk[16384];
    static const std::string kReply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    while (true) {
      std::size_t head;
      while ((head = buf.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) {
          ::close(c);
          return;
        }
        buf.append(chunk, static_cast<std::size_t>(n));
      }
      std::size_t length = 0;
      auto cl = buf.find("Content-Length: ");
      if (cl == std::string::npos) cl = buf.find("content-length: ");
      if (cl != std::string::npos && cl < head)
        length = std::strtoul(buf.c_str() + cl + 16, nullptr, 10);
      while (buf.size() < head + 4 + length) {
        ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) {
          ::close(c);
          return;
        }
        buf.append(chunk, static_cast<std::size_t>(n));
      }
      buf.erase(0, head + 4 + length);
      ++count_;
      ::send(c, kReply.data(), kReply.size(), MSG_NOSIGNAL);
    }
  }

  int fd_;
  int port_ = 0;
  std::thread accept_;
  std::atomic<long> count_{0};
};

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

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
  double c0 = CpuSeconds();
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
  Figure f{bodies.size() / secs, (CpuSeconds() - c0) * 1e6 / bodies.size()};
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
  double c0 = CpuSeconds();
  int sent = 0;
  while (sent < n) {
    auto r = worker.RunDue(clock.Now());
    if (!r || *r == 0) std::abort();
    sent += *r;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {n / secs, (CpuSeconds() - c0) * 1e6 / n};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 5000;
  int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Receiver receiver;
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
  double wr = Median(worker_rate), rr = Median(raw_rate);
  std::printf(
      "median of %d runs, %d deliveries each:\n"
      "  delivery worker   %8.0f deliveries/s  %6.1f us CPU per delivery (whole process)\n"
      "  raw curl loop     %8.0f POSTs/s       %6.1f us CPU per POST\n"
      "  worker / raw      %8.2f\n"
      "receiver got %ld requests\n",
      runs, n, wr, Median(worker_cpu), rr, Median(raw_cpu), wr / rr, receiver.Count());
  return 0;
}
