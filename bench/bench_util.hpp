// What the benchmarks that run Tandem over HTTP share: environment knobs, fatal checks, CPU
// clocks (process, thread, a named thread of the server), percentiles, a keep-alive libcurl
// client, and a local webhook receiver.
#pragma once

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/metrics.hpp"
#include "core/error.hpp"

namespace tandem::bench {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

inline std::int64_t Env(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoll(v) : fallback;
}

// The write-ahead log's checkpoints during the run, from the store's metrics (none when SQLite
// checkpoints inside the commits).
inline void PrintCheckpoints(base::Metrics& metrics) {
  auto& count = metrics.GetCounter("tandem_db_checkpoints_total");
  auto& pages = metrics.GetCounter("tandem_db_checkpoint_pages_total");
  auto& timing = metrics.GetHistogram("tandem_db_checkpoint_seconds");
  std::printf(
      "checkpoints on their own thread: %llu, %llu pages copied, %.1f ms each on average\n",
      static_cast<unsigned long long>(count.Value()),
      static_cast<unsigned long long>(pages.Value()),
      timing.Count() > 0 ? 1000.0 * timing.Sum() / static_cast<double>(timing.Count()) : 0.0);
}

inline void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, what.c_str());
    std::exit(1);
  }
}

template <class T>
T Must(core::Result<T> r, const char* what) {
  Check(r.has_value(), std::string(what) + ": " + (r ? "" : r.error().message));
  return std::move(*r);
}

inline std::string Uuid(std::mt19937_64& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t a = rng(), b = rng();
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    std::uint64_t word = i < 16 ? a : b;
    int nibble = static_cast<int>((word >> ((i % 16) * 4)) & 0xf);
    if (i == 12) nibble = 4;  // version 4
    out.push_back(kHex[nibble]);
  }
  return out;
}

inline double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

inline double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// CPU seconds (user + system) of this process's thread called `name`, from /proc; 0 if none.
inline double NamedThreadCpuSeconds(const std::string& name) {
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
    std::FILE* f = std::fopen((task.path() / "comm").c_str(), "r");
    if (!f) continue;
    char comm[64] = {0};
    const bool ok = std::fgets(comm, sizeof comm, f) != nullptr;
    std::fclose(f);
    if (!ok || std::string(comm) != name + "\n") continue;
    f = std::fopen((task.path() / "stat").c_str(), "r");
    if (!f) continue;
    char buf[1024] = {0};
    const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    std::string stat(buf, n);
    // Fields after the closing parenthesis of comm: state is field 3; utime 14, stime 15.
    std::size_t pos = stat.rfind(')');
    if (pos == std::string::npos) continue;
    std::vector<std::string> fields;
    std::size_t i = pos + 2;
    while (i < stat.size()) {
      std::size_t j = stat.find(' ', i);
      if (j == std::string::npos) j = stat.size();
      fields.push_back(stat.substr(i, j - i));
      i = j + 1;
    }
    if (fields.size() < 13) continue;
    return (std::atof(fields[11].c_str()) + std::atof(fields[12].c_str())) / tick;
  }
  return 0;
}

inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct Http {
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  std::string out;
  explicit Http(const std::string& key) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + key).c_str());
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(
        curl, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* u) {
          static_cast<std::string*>(u)->append(p, s * n);
          return s * n;
        });
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
  }
  ~Http() {
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
  }
  long Post(const std::string& url, const std::string& body) {
    out.clear();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    return Perform();
  }
  long Get(const std::string& url) {
    out.clear();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    return Perform();
  }
  long Perform() {
    long status = 0;
    if (curl_easy_perform(curl) != CURLE_OK) return -1;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    return status;
  }
};

inline std::string LoadAverage() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return "?";
  char buf[128] = {0};
  const bool ok = std::fgets(buf, sizeof buf, f) != nullptr;
  std::fclose(f);
  std::string s = ok ? buf : "?";
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// A webhook receiver on 127.0.0.1 (port 0, keep-alive): answers every request with 200, one
// thread per connection, and hands each request body to `on_body` when one is set.
class Receiver {
 public:
  explicit Receiver(std::function<void(std::string_view body)> on_body = {})
      : on_body_(std::move(on_body)) {
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
      if (on_body_) on_body_(std::string_view(buf).substr(head + 4, length));
      buf.erase(0, head + 4 + length);
      ++count_;
      ::send(c, kReply.data(), kReply.size(), MSG_NOSIGNAL);
    }
  }

  std::function<void(std::string_view)> on_body_;
  int fd_;
  int port_ = 0;
  std::thread accept_;
  std::atomic<long> count_{0};
};

}  // namespace tandem::bench
