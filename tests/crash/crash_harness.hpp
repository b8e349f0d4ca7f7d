// What the crash tests share: a real `tandem serve` process on a temporary SQLite database,
// started and SIGKILLed at will, an HTTP client (libcurl), a webhook receiver that can hold a
// request unanswered, and direct reads of the database file while the server is down.
//
// Nothing here waits for time to pass: the server's clock is a file (`--clock-file`) the tests
// rewrite, and every wait is for an event (a line from the server, a request at the receiver,
// a state read back from the server or the database) with a bound after which the test fails.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

namespace tandem::crash {

// How long any single wait for an event may take before the test fails (a loaded CI machine
// can be slow; nothing here depends on the value being reached).
inline constexpr auto kPatience = std::chrono::seconds(120);

std::string Slurp(const std::filesystem::path& p);

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes `instant` ("2026-11-25T09:00:00Z") to `file` atomically (temporary file + rename).
void SetClock(const std::filesystem::path& file, const std::string& instant);

// Runs `tandem ARGS...` to completion; returns its exit status, output in `out`.
int RunTandem(const std::vector<std::string>& args, std::string* out = nullptr);

// `tandem serve` as a child process. Its stdout (the URL line, then the log) is drained by a
// thread into a buffer tests can wait on.
class ServerProcess {
 public:
  ServerProcess(std::filesystem::path db, std::filesystem::path clock_file,
                std::filesystem::path log_file);
  ~ServerProcess();

  // Arguments added to `tandem serve`'s (e.g. "--leader-check-ms", "200").
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  // Starts the server and waits for the line naming its URL.
  void Start();
  void Kill(int sig);  // sends `sig` and waits for the process to end; returns at once if down
  // SIGTERM, then the exit status (0 for an orderly stop).
  int Stop();
  void Signal(int sig) const { ::kill(pid_, sig); }
  bool running() const { return pid_ > 0; }
  const std::string& url() const { return url_; }
  // Waits until the log of the current run holds a line containing `needle`; returns it.
  std::optional<std::string> WaitForLog(const std::string& needle);

 private:
  void Drain(int fd);

  std::filesystem::path db_, clock_file_, log_file_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  std::string url_;
  std::thread drain_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string log_;
  bool eof_ = false;
};

struct HttpReply {
  long status = 0;  // 0: no answer (connection refused or reset: the server is down)
  std::string body;
  boost::json::value Json() const;
};

// One libcurl handle; one per thread.
class HttpClient {
 public:
  explicit HttpClient(std::string base_url, std::string token = "");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpReply Send(const std::string& method, const std::string& path, const std::string& body = "",
                 const std::string& content_type = "application/json");
  HttpReply Get(const std::string& path) { return Send("GET", path); }
  HttpReply Post(const std::string& path, const boost::json::value& body) {
    return Send("POST", path, boost::json::serialize(body));
  }
  void set_token(std::string token) { token_ = std::move(token); }
  void set_base_url(std::string url) { base_ = std::move(url); }

 private:
  std::string base_, token_;
  void* curl_;
};

// Signs in and returns a session token.
std::string Login(const std::string& base_url, const std::string& email,
                  const std::string& password);

// A read-write connection to the database file (the server must be down, or only reading).
class Db {
 public:
  explicit Db(const std::filesystem::path& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  // The first column of the first row as text ("" when there is no row).
  std::string Text(const std::string& sql);
  std::int64_t Int(const std::string& sql);
  // Every row, each as its columns' text.
  std::vector<std::vector<std::string>> Rows(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

// A webhook receiver on 127.0.0.1:PORT. In hold mode it reads a request and keeps the
// connection open without answering (the sender is waiting when the test kills the server);
// otherwise it answers 200. Every request is recorded with its Tandem-Delivery id.
class WebhookReceiver {
 public:
  struct Request {
    std::string delivery_id;
    std::string body;
    bool answered = false;
  };
  WebhookReceiver();
  ~WebhookReceiver();
  int port() const { return port_; }
  void set_hold(bool hold);
  // Waits until at least `n` requests arrived; false on timeout.
  bool WaitForRequests(std::size_t n);
  std::vector<Request> requests();
  // Closes the connections held unanswered.
  void DropHeld();

 private:
  void Loop();

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool hold_ = false;
  std::vector<Request> requests_;
  std::vector<int> held_;
};

// Polls `done` (which asks the server or the database) until it holds, at most kPatience.
bool Eventually(const std::function<bool()>& done);
// The same with its own bound (a whole import on a loaded machine takes minutes).
bool Eventually(std::chrono::seconds bound, const std::function<bool()>& done);

}  // namespace tandem::crash
