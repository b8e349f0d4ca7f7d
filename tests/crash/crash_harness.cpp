#include "crash/crash_harness.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace tandem::crash {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "tandem-crash-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!std::getenv("TANDEM_CRASH_KEEP")) fs::remove_all(path_, ec);
}

void SetClock(const fs::path& file, const std::string& instant) {
  fs::path tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << instant << "\n";
  }
  fs::rename(tmp, file);
}

namespace {

// fork + exec of the tandem binary with stdout (and stderr) on `out_fd`.
pid_t Spawn(const std::vector<std::string>& args, int out_fd) {
  std::vector<char*> argv;
  std::string bin = TANDEM_BINARY;
  argv.push_back(bin.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(out_fd, STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, STDIN_FILENO);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

int RunTandem(const std::vector<std::string>& args, std::string* out) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  pid_t pid = Spawn(args, fds[1]);
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ServerProcess::ServerProcess(fs::path db, fs::path clock_file, fs::path log_file)
    : db_(std::move(db)), clock_file_(std::move(clock_file)), log_file_(std::move(log_file)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill(SIGKILL);
}

void ServerProcess::Start() {
  ASSERT_LE(pid_, 0) << "already running";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    std::lock_guard lock(mu_);
    log_.clear();
    eof_ = false;
    url_.clear();
  }
  std::vector<std::string> args = {
      "serve",     "--db", db_.string(),   "--listen",           "127.0.0.1:0",
      "--threads", "8",    "--clock-file", clock_file_.string(), "--allow-private-webhooks"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = Spawn(args, fds[1]);
  ::close(fds[1]);
  drain_ = std::thread([this, fd = fds[0]] { Drain(fd); });
  auto line = WaitForLog("Tandem is serving ");
  ASSERT_TRUE(line) << "the server printed no URL:\n" << log_;
  auto at = line->find("http://");
  ASSERT_NE(at, std::string::npos) << *line;
  url_ = line->substr(at);
  while (!url_.empty() && (url_.back() == '/' || url_.back() == '\n')) url_.pop_back();
}

void ServerProcess::Drain(int fd) {
  std::ofstream copy(log_file_, std::ios::app);
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
    copy.write(buf, n);
    copy.flush();
    std::lock_guard lock(mu_);
    log_.append(buf, n);
    cv_.notify_all();
  }
  ::close(fd);
  std::lock_guard lock(mu_);
  eof_ = true;
  cv_.notify_all();
}

std::optional<std::string> ServerProcess::WaitForLog(const std::string& needle) {
  std::unique_lock lock(mu_);
  std::optional<std::string> found;
  cv_.wait_for(lock, kPatience, [&] {
    auto at = log_.find(needle);
    if (at != std::string::npos) {
      auto begin = log_.rfind('\n', at);
      begin = begin == std::string::npos ? 0 : begin + 1;
      auto end = log_.find('\n', at);
      if (end == std::string::npos) return false;  // the rest of the line is on its way
      found = log_.substr(begin, end - begin);
      return true;
    }
    return eof_;
  });
  return found;
}

void ServerProcess::Kill(int sig) {
  if (pid_ <= 0) return;
  ::kill(pid_, sig);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (drain_.joinable()) drain_.join();
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (drain_.joinable()) drain_.join();
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

boost::json::value HttpReply::Json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) return nullptr;
  return v;
}

namespace {
std::size_t Append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
}  // namespace

HttpClient::HttpClient(std::string base_url, std::string token)
    : base_(std::move(base_url)), token_(std::move(token)), curl_(curl_easy_init()) {}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpReply HttpClient::Send(const std::string& method, const std::string& path,
                           const std::string& body, const std::string& content_type) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  HttpReply r;
  std::string url = base_ + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_slist* headers = nullptr;
  if (!token_.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token_).c_str());
  if (method != "GET") {
    headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (curl_easy_perform(c) == CURLE_OK) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  } else {
    r.status = 0;
  }
  curl_slist_free_all(headers);
  return r;
}

std::string Login(const std::string& base_url, const std::string& email,
                  const std::string& password) {
  HttpClient http(base_url);
  auto r = http.Post("/api/v1/auth/login", {{"email", email}, {"password", password}});
  if (r.status != 200) {
    ADD_FAILURE() << "login of " << email << " answered " << r.status << ": " << r.body;
    return "";
  }
  return std::string(r.Json().at("token").as_string());
}

Db::Db(const fs::path& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
  }
  sqlite3_busy_timeout(db_, 10000);
}

Db::~Db() {
  sqlite3_close(db_);
}

std::vector<std::vector<std::string>> Db::Rows(const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    return rows;
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      auto* t = sqlite3_column_text(st, i);
      row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
  sqlite3_finalize(st);
  return rows;
}

std::string Db::Text(const std::string& sql) {
  auto rows = Rows(sql);
  return rows.empty() || rows[0].empty() ? "" : rows[0][0];
}

std::int64_t Db::Int(const std::string& sql) {
  auto t = Text(sql);
  return t.empty() ? 0 : std::stoll(t);
}

WebhookReceiver::WebhookReceiver() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(listen_fd_, 16);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Loop(); });
}

WebhookReceiver::~WebhookReceiver() {
  stop_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
  DropHeld();
}

void WebhookReceiver::set_hold(bool hold) {
  std::lock_guard lock(mu_);
  hold_ = hold;
}

void WebhookReceiver::DropHeld() {
  std::lock_guard lock(mu_);
  for (int fd : held_) ::close(fd);
  held_.clear();
}

bool WebhookReceiver::WaitForRequests(std::size_t n) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, kPatience, [&] { return requests_.size() >= n; });
}

std::vector<WebhookReceiver::Request> WebhookReceiver::requests() {
  std::lock_guard lock(mu_);
  return requests_;
}

namespace {
// Reads one HTTP request (headers and a Content-Length body); false when the peer went away.
bool ReadRequest(int fd, std::string& head, std::string& body) {
  std::string data;
  char buf[8192];
  std::size_t header_end = std::string::npos;
  std::size_t length = 0;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(kPatience.count() * 1000)) <= 0) return false;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    data.append(buf, n);
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      head = data.substr(0, header_end);
      std::string lower = head;
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      auto at = lower.find("content-length:");
      if (at != std::string::npos) length = std::stoul(lower.substr(at + 15));
    }
    if (data.size() >= header_end + 4 + length) {
      body = data.substr(header_end + 4, length);
      return true;
    }
  }
}

std::string Header(const std::string& head, const std::string& name) {
  std::string lower = head, want = name;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (auto& ch : want) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto at = lower.find("\r\n" + want + ":");
  if (at == std::string::npos) return "";
  auto start = at + 3 + want.size();
  auto end = head.find("\r\n", start);
  std::string v = head.substr(start, end - start);
  while (!v.empty() && v.front() == ' ') v.erase(v.begin());
  return v;
}
}  // namespace

void WebhookReceiver::Loop() {
  while (!stop_) {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    std::string head, body;
    if (!ReadRequest(fd, head, body)) {
      ::close(fd);
      continue;
    }
    std::unique_lock lock(mu_);
    Request r{Header(head, "Tandem-Delivery"), body, !hold_};
    if (hold_) {
      held_.push_back(fd);
    } else {
      static const std::string ok =
          "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)!::write(fd, ok.data(), ok.size());
      ::close(fd);
    }
    requests_.push_back(std::move(r));
    cv_.notify_all();
  }
}

bool Eventually(const std::function<bool()>& done) {
  return Eventually(kPatience, done);
}

bool Eventually(std::chrono::seconds bound, const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // between polls, not a timing
  }
  return done();
}

}  // namespace tandem::crash
