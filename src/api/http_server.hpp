// An HTTP/1.1 server (Boost.Beast and Asio with C++20 coroutines) that hands every request to
// an HttpHandler. All Beast and Asio code lives in http_server.cpp, so including this header
// costs nothing.
//
//   api::HttpServer server(api, api::HttpServerSettings{.host = "127.0.0.1", .port = 0});
//   auto port = server.Start();   // the bound port (port 0 picks a free one)
//   ...
//   server.Stop();                // or let the destructor do it
//
// Behaviour:
//  * `threads` I/O threads run the connections; the handler runs synchronously on them (keep
//    it short: database calls are). Keep-alive is honoured, TCP_NODELAY is set.
//  * A body larger than `max_body_bytes` is answered 413 (before it is read when the
//    Content-Length says so); headers larger than `max_header_bytes` 431; anything that is not
//    HTTP/1.x 400. Those answers close the connection after draining what the client still
//    sends, so the client reads the answer instead of a reset.
//  * A connection idle longer than `idle_timeout` (also the time allowed to send one request or
//    to read one response) is closed.
//  * A handler that throws is answered 500 and logged; the connection goes on.
//  * Stop() stops accepting, lets requests in progress finish and closes idle connections;
//    connections still busy after `shutdown_grace` are cut. Start and Stop are for one
//    controlling thread; Stop may be called more than once.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "core/error.hpp"

namespace tandem::api {

struct HttpServerSettings {
  std::string host = "127.0.0.1";  // an IP address or a name ("localhost"); "0.0.0.0" or "::"
  unsigned short port = 8080;      // 0: any free port
  int threads = 0;                 // I/O threads; 0: one per core, at least 2
  std::size_t max_body_bytes = 1 << 20;
  // POST to this path (file uploads: "/api/v1/imports") may carry up to max_upload_bytes.
  std::string upload_path;
  std::size_t max_upload_bytes = 64 << 20;
  std::size_t max_header_bytes = 16 << 10;
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds shutdown_grace = std::chrono::seconds(5);
  // Where the server logs failures (a handler's exception, an accept error); default spdlog.
  std::function<void(std::string_view)> log_error;
};

class HttpServer {
 public:
  // `handler` must outlive the server.
  HttpServer(HttpHandler& handler, HttpServerSettings settings);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads. Returns the bound port; kUnavailable when the
  // address cannot be bound (in use, not local), kInvalidArgument for a host that does not
  // resolve, kFailedPrecondition when already started.
  core::Result<unsigned short> Start();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::api
