#include "api/http_server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace tandem::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// What a refused request may still send us before we close: enough for any honest client.
constexpr std::size_t kDrainLimit = 16u << 20;
constexpr auto kDrainTime = std::chrono::seconds(2);

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  // Touched only on the connection's strand.
  bool idle = false;  // waiting for the next request: Stop may close it at once
  bool stop = false;  // Stop was called: finish the request in hand, then close
};

// The peer went away or the connection timed out: nothing to answer.
bool Gone(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == beast::error::timeout ||
         ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor ||
         ec == asio::error::not_connected;
}

}  // namespace

struct HttpServer::Impl {
  Impl(HttpHandler& handler, HttpServerSettings settings)
      : handler(handler), settings(std::move(settings)) {}

  void Log(const std::string& line) const {
    if (settings.log_error) {
      settings.log_error(line);
    } else {
      spdlog::error("{}", line);
    }
  }

  int ThreadCount() const {
    if (settings.threads > 0) return settings.threads;
    return std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  }

  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(std::shared_ptr<Connection> c);
  asio::awaitable<void> Refuse(Connection& c, int status, std::string_view code,
                               std::string message);
  Response Call(http::request<http::string_body>& req, const std::string& remote);
  // Sends a response whose body has a stream, in chunks; false when the connection must close.
  asio::awaitable<bool> Stream(Connection& c, Response& r, unsigned version, bool keep);

  HttpHandler& handler;
  const HttpServerSettings settings;
  std::mutex mu;
  std::condition_variable cv;
  std::unordered_set<std::shared_ptr<Connection>> connections;  // guarded by mu
  std::atomic<bool> stopping{false};
  bool started = false;
  bool stopped = false;
  // Declared after what its pending handlers touch, so it is destroyed before them.
  asio::io_context ioc;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
};

Response HttpServer::Impl::Call(http::request<http::string_body>& req, const std::string& remote) {
  HeaderList headers;
  for (const auto& f : req) headers.emplace_back(f.name_string(), f.value());
  auto request = MakeRequest(std::string(req.method_string()), req.target(), std::move(req.body()),
                             std::move(headers), remote);
  if (!request) {
    return ErrorResponse(400, "bad_request", request.error().message, request.error().field);
  }
  try {
    return handler.Handle(*request);
  } catch (const std::exception& e) {
    Log("handler failed on " + request->method + " " + request->path + ": " + e.what());
  } catch (...) {
    Log("handler failed on " + request->method + " " + request->path);
  }
  return ErrorResponse(500, "internal", "an internal error occurred; it has been logged");
}

asio::awaitable<bool> HttpServer::Impl::Stream(Connection& c, Response& r, unsigned version,
                                               bool keep) {
  http::response<http::buffer_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  for (auto& [k, v] : r.headers) res.insert(k, v);
  res.keep_alive(keep);
  res.chunked(true);
  res.body().data = nullptr;
  res.body().more = true;
  http::response_serializer<http::buffer_body> sr{res};
  c.stream.expires_after(settings.idle_timeout);
  {
    auto [ec, n] = co_await http::async_write_header(c.stream, sr, kTuple);
    if (ec) co_return false;
  }
  std::string piece = std::move(r.body);
  bool more = true;
  while (more) {
    if (piece.empty()) {
      auto next = r.stream(piece);
      if (!next) {
        Log("a streamed body failed: " + next.error().message);
        co_return false;  // no closing chunk: the client sees the transfer cut short
      }
      more = *next;
    }
    if (piece.empty()) continue;
    res.body().data = piece.data();
    res.body().size = piece.size();
    res.body().more = true;
    c.stream.expires_after(settings.idle_timeout);
    auto [ec, n] = co_await http::async_write(c.stream, sr, kTuple);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return false;
    piece.clear();
  }
  res.body().data = nullptr;
  res.body().size = 0;
  res.body().more = false;
  c.stream.expires_after(settings.idle_timeout);
  auto [ec, n] = co_await http::async_write(c.stream, sr, kTuple);
  co_return !ec;
}

asio::awaitable<void> HttpServer::Impl::Refuse(Connection& c, int status, std::string_view code,
                                               std::string message) {
  Response r = ErrorResponse(status, code, message);
  AddSecurityHeaders(r);
  http::response<http::string_body> res;
  res.version(11);
  res.result(static_cast<unsigned>(status));
  for (auto& [k, v] : r.headers) res.insert(k, v);
  res.body() = std::move(r.body);
  res.keep_alive(false);
  res.prepare_payload();
  c.stream.expires_after(settings.idle_timeout);
  co_await http::async_write(c.stream, res, kTuple);
  // Read what the client still sends before closing: closing with unread bytes would send a
  // reset, and the client could lose the answer.
  error_code ec;
  c.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16384> sink;
  std::size_t total = 0;
  c.stream.expires_after(kDrainTime);
  while (total < kDrainLimit) {
    auto [rec, n] = co_await c.stream.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    total += n;
  }
}

asio::awaitable<void> HttpServer::Impl::Serve(std::shared_ptr<Connection> c) {
  struct Unregister {
    Impl* self;
    std::shared_ptr<Connection> c;
    ~Unregister() {
      error_code ec;
      c->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      c->stream.socket().close(ec);
      std::lock_guard lock(self->mu);
      self->connections.erase(c);
      self->cv.notify_all();
    }
  } unregister{this, c};

  std::string remote;
  {
    error_code ec;
    auto ep = c->stream.socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  beast::flat_buffer buffer;
  for (;;) {
    if (c->stop || stopping.load()) co_return;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(settings.max_header_bytes));
    // The larger limit until the target is known (see below).
    const std::size_t most = settings.upload_path.empty()
                                 ? settings.max_body_bytes
                                 : std::max(settings.max_body_bytes, settings.max_upload_bytes);
    parser.body_limit(most);
    // The limit of this request, once its header is read: uploads to the upload path may be
    // larger than any other body.
    auto limit_for = [&](const http::request_parser<http::string_body>& p) {
      const auto target = p.get().target();
      const auto path = target.substr(0, target.find('?'));
      if (!settings.upload_path.empty() && p.get().method() == http::verb::post &&
          path == settings.upload_path) {
        return settings.max_upload_bytes;
      }
      return settings.max_body_bytes;
    };

    c->idle = true;
    c->stream.expires_after(settings.idle_timeout);
    auto [ec, n] = co_await http::async_read_header(c->stream, buffer, parser, kTuple);
    c->idle = false;
    if (ec) {
      if (Gone(ec)) co_return;
      if (ec == http::error::body_limit) {
        // The Content-Length alone is over the limit: refused before the body is sent.
        co_await Refuse(*c, 413, "payload_too_large",
                        "the body exceeds " + std::to_string(limit_for(parser)) + " bytes");
      } else if (ec == http::error::header_limit) {
        co_await Refuse(*c, 431, "header_too_large", "the request headers are too large");
      } else {
        co_await Refuse(*c, 400, "bad_request", "malformed HTTP request: " + ec.message());
      }
      co_return;
    }
    const std::size_t limit = limit_for(parser);
    if (auto length = parser.content_length(); length && *length > limit) {
      co_await Refuse(*c, 413, "payload_too_large",
                      "the body exceeds " + std::to_string(limit) + " bytes");
      co_return;
    }
    parser.body_limit(limit);
    if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
      auto [wec, wn] = co_await http::async_write(c->stream, go_on, kTuple);
      if (wec) co_return;
    }
    if (!parser.is_done()) {
      c->stream.expires_after(settings.idle_timeout);
      auto [rec, rn] = co_await http::async_read(c->stream, buffer, parser, kTuple);
      if (rec == http::error::body_limit) {
        co_await Refuse(*c, 413, "payload_too_large",
                        "the body exceeds " + std::to_string(limit) + " bytes");
        co_return;
      }
      if (rec) {
        if (!Gone(rec)) co_await Refuse(*c, 400, "bad_request", "malformed HTTP request body");
        co_return;
      }
    }

    auto req = parser.release();
    const bool head = req.method() == http::verb::head;
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive();
    Response r = Call(req, remote);
    AddSecurityHeaders(r);
    const bool keep_streamed = keep_alive && !c->stop && !stopping.load();
    if (r.stream && !head) {
      if (!co_await Stream(*c, r, version, keep_streamed)) co_return;
      if (!keep_streamed) co_return;
      continue;
    }

    http::response<http::string_body> res;
    res.version(version);
    res.result(static_cast<unsigned>(r.status));
    for (auto& [k, v] : r.headers) res.insert(k, v);
    const std::size_t length = r.body.size();
    res.body() = std::move(r.body);
    const bool keep = keep_alive && !c->stop && !stopping.load();
    res.keep_alive(keep);
    res.prepare_payload();
    if (head) {
      res.body().clear();
      res.content_length(length);
    }
    c->stream.expires_after(settings.idle_timeout);
    auto [wec, wn] = co_await http::async_write(c->stream, res, kTuple);
    if (wec || !keep) co_return;
  }
}

asio::awaitable<void> HttpServer::Impl::Accept() {
  for (;;) {
    tcp::socket socket(asio::make_strand(ioc));
    auto [ec] = co_await acceptor->async_accept(socket, kTuple);
    if (stopping.load() || !acceptor->is_open()) co_return;
    if (ec) {
      // Out of file descriptors or similar: wait a little instead of spinning.
      Log("accepting a connection failed: " + ec.message());
      asio::steady_timer pause(acceptor->get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto c = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(mu);
      connections.insert(c);
    }
    asio::co_spawn(c->stream.get_executor(), Serve(c), [this](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        Log(std::string("connection failed: ") + ex.what());
      } catch (...) {
        Log("connection failed");
      }
    });
  }
}

HttpServer::HttpServer(HttpHandler& handler, HttpServerSettings settings)
    : impl_(std::make_unique<Impl>(handler, std::move(settings))) {}

HttpServer::~HttpServer() {
  Stop();
}

core::Result<unsigned short> HttpServer::Start() {
  Impl& s = *impl_;
  if (s.started) return core::Fail(core::Error::Precondition("the server is already started"));
  const std::string where = s.settings.host + ":" + std::to_string(s.settings.port);
  error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(s.settings.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, s.settings.port);
  } else {
    tcp::resolver resolver(s.ioc);
    auto results = resolver.resolve(s.settings.host, std::to_string(s.settings.port), ec);
    if (ec || results.empty()) {
      return core::Fail(core::Error::Invalid("host", "cannot resolve " + s.settings.host));
    }
    endpoint = results.begin()->endpoint();
  }
  auto unavailable = [&](const error_code& e) {
    return core::Fail(core::Error{core::ErrorCode::kUnavailable,
                                  "cannot listen on " + where + ": " + e.message(), "listen"});
  };
  s.acceptor.emplace(asio::make_strand(s.ioc));
  if (s.acceptor->open(endpoint.protocol(), ec); ec) return unavailable(ec);
  s.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (s.acceptor->bind(endpoint, ec); ec) return unavailable(ec);
  if (s.acceptor->listen(asio::socket_base::max_listen_connections, ec); ec) {
    return unavailable(ec);
  }
  const unsigned short port = s.acceptor->local_endpoint(ec).port();
  if (ec) return unavailable(ec);

  asio::co_spawn(s.acceptor->get_executor(), s.Accept(), [&s](std::exception_ptr e) {
    if (e) s.Log("the accept loop stopped on an exception");
  });
  const int n = s.ThreadCount();
  for (int i = 0; i < n; ++i) {
    s.threads.emplace_back([&s] {
      for (;;) {
        try {
          s.ioc.run();
          return;
        } catch (const std::exception& e) {
          s.Log(std::string("an I/O thread caught: ") + e.what());
        }
      }
    });
  }
  s.started = true;
  return port;
}

void HttpServer::Stop() {
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.stopping.store(true);
  asio::post(s.acceptor->get_executor(), [&s] {
    error_code ec;
    s.acceptor->close(ec);
  });
  std::unique_lock lock(s.mu);
  for (const auto& c : s.connections) {
    asio::post(c->stream.get_executor(), [c] {
      c->stop = true;
      if (c->idle) {
        error_code ec;
        c->stream.socket().cancel(ec);
      }
    });
  }
  s.cv.wait_for(lock, s.settings.shutdown_grace, [&s] { return s.connections.empty(); });
  lock.unlock();
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  // The posted close may not have run before the stop; with the threads gone it is safe here.
  error_code ec;
  s.acceptor->close(ec);
}

}  // namespace tandem::api
