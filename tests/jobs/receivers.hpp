// Real local receivers for the delivery tests, on port 0 of 127.0.0.1: an HTTP/1.1 server that
// answers every POST with a chosen status (or never answers: a hanging receiver), and a
// minimal SMTP server speaking the line protocol libcurl needs. Written for the tests only:
// one connection at a time, blocking sockets, a thread each.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tandem::jobs::testing {

class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~Listener() { Close(); }
  void Close() {
    int fd = fd_.exchange(-1);
    if (fd >= 0) {
      ::shutdown(fd, SHUT_RDWR);
      ::close(fd);
    }
  }
  // A connection, with a receive timeout as a safety net so a test can never hang forever.
  int Accept() {
    int c = fd_ >= 0 ? ::accept(fd_, nullptr, nullptr) : -1;
    if (c >= 0) {
      timeval tv{30, 0};
      ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    return c;
  }
  int port() const { return port_; }

 private:
  std::atomic<int> fd_{-1};
  int port_ = 0;
};

inline bool SendAll(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

class HttpReceiver {
 public:
  explicit HttpReceiver(int status = 200) : status_(status) {
    thread_ = std::thread([this] { Run(); });
  }
  ~HttpReceiver() {
    stop_ = true;
    listener_.Close();
    int c = client_.exchange(-1);
    if (c >= 0) ::shutdown(c, SHUT_RDWR);
    thread_.join();
  }
  int port() const { return listener_.port(); }
  std::string Url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }
  void SetStatus(int status) { status_ = status; }
  // Reads requests and never answers them.
  void SetHang(bool hang) { hang_ = hang; }
  std::vector<ReceivedRequest> Received() {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  void Run() {
    while (!stop_) {
      int c = listener_.Accept();
      if (c < 0) return;
      client_ = c;
      Serve(c);
      client_ = -1;
      ::close(c);
    }
  }

  void Serve(int c) {
    std::string buf;
    char chunk[8192];
    while (!stop_) {
      std::size_t head_end;
      while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buf.append(chunk, static_cast<std::size_t>(n));
      }
      ReceivedRequest r;
      std::string head = buf.substr(0, head_end);
      std::size_t line_end = head.find("\r\n");
      std::string first = head.substr(0, line_end);
      r.method = first.substr(0, first.find(' '));
      r.target = first.substr(first.find(' ') + 1);
      r.target = r.target.substr(0, r.target.find(' '));
      std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
      while (pos < head.size()) {
        std::size_t e = head.find("\r\n", pos);
        if (e == std::string::npos) e = head.size();
        std::string line = head.substr(pos, e - pos);
        std::size_t colon = line.find(':');
        if (colon != std::string::npos) {
          std::string name = line.substr(0, colon);
          std::transform(name.begin(), name.end(), name.begin(),
                         [](unsigned char ch) { return std::tolower(ch); });
          std::string value = line.substr(colon + 1);
          value.erase(0, value.find_first_not_of(' '));
          r.headers[name] = value;
        }
        pos = e + 2;
      }
      std::size_t length =
          r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
      buf.erase(0, head_end + 4);
      while (buf.size() < length) {
        ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buf.append(chunk, static_cast<std::size_t>(n));
      }
      r.body = buf.substr(0, length);
      buf.erase(0, length);
      {
        std::lock_guard lock(mu_);
        received_.push_back(r);
      }
      if (hang_) {
        // Wait for the client to give up and close.
        while (::recv(c, chunk, sizeof chunk, 0) > 0) {
        }
        return;
      }
      int status = status_;
      if (!SendAll(c, "HTTP/1.1 " + std::to_string(status) +
                          " X\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")) {
        return;
      }
    }
  }

  Listener listener_;
  std::atomic<int> status_;
  std::atomic<bool> hang_{false};
  std::atomic<bool> stop_{false};
  std::atomic<int> client_{-1};
  std::mutex mu_;
  std::vector<ReceivedRequest> received_;
  std::thread thread_;
};

struct ReceivedMail {
  std::string from;
  std::vector<std::string> to;
  std::string data;
};

class SmtpReceiver {
 public:
  SmtpReceiver() {
    thread_ = std::thread([this] { Run(); });
  }
  ~SmtpReceiver() {
    listener_.Close();
    int c = client_.exchange(-1);
    if (c >= 0) ::shutdown(c, SHUT_RDWR);
    thread_.join();
  }
  std::string Url() const { return "smtp://127.0.0.1:" + std::to_string(listener_.port()); }
  // Answers DATA's end with this code (250 accepts, 4xx/5xx refuse).
  void SetFinalCode(int code) { final_code_ = code; }
  std::vector<ReceivedMail> Received() {
    std::lock_guard lock(mu_);
    return mail_;
  }

 private:
  void Run() {
    while (true) {
      int c = listener_.Accept();
      if (c < 0) return;
      client_ = c;
      Serve(c);
      client_ = -1;
      ::close(c);
    }
  }

  bool ReadLine(int c, std::string& buf, std::string& line) {
    char chunk[4096];
    std::size_t e;
    while ((e = buf.find("\r\n")) == std::string::npos) {
      ssize_t n = ::recv(c, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buf.append(chunk, static_cast<std::size_t>(n));
    }
    line = buf.substr(0, e);
    buf.erase(0, e + 2);
    return true;
  }

  void Serve(int c) {
    std::string buf, line;
    ReceivedMail mail;
    if (!SendAll(c, "220 test ESMTP\r\n")) return;
    while (ReadLine(c, buf, line)) {
      std::string verb = line.substr(0, 4);
      std::transform(verb.begin(), verb.end(), verb.begin(),
                     [](unsigned char ch) { return std::toupper(ch); });
      if (verb == "EHLO" || verb == "HELO") {
        SendAll(c, "250 test\r\n");
      } else if (verb == "MAIL") {
        mail.from = line.substr(line.find(':') + 1);
        SendAll(c, "250 ok\r\n");
      } else if (verb == "RCPT") {
        mail.to.push_back(line.substr(line.find(':') + 1));
        SendAll(c, "250 ok\r\n");
      } else if (verb == "DATA") {
        SendAll(c, "354 go on\r\n");
        std::string data;
        while (ReadLine(c, buf, line) && line != ".") data += line + "\r\n";
        mail.data = data;
        int code = final_code_;
        if (code == 250) {
          std::lock_guard lock(mu_);
          mail_.push_back(mail);
        }
        SendAll(c, std::to_string(code) + (code == 250 ? " queued\r\n" : " refused\r\n"));
        mail = ReceivedMail{};
      } else if (verb == "QUIT") {
        SendAll(c, "221 bye\r\n");
        return;
      } else {
        SendAll(c, "250 ok\r\n");
      }
    }
  }

  Listener listener_;
  std::atomic<int> final_code_{250};
  std::atomic<int> client_{-1};
  std::mutex mu_;
  std::vector<ReceivedMail> mail_;
  std::thread thread_;
};

}  // namespace tandem::jobs::testing
