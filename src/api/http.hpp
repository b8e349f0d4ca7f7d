// Plain HTTP request and response values, and the handler interface the server calls.
//
// These types carry no Beast or Asio: `api::HttpServer` (http_server.hpp) turns the bytes on a
// socket into a `Request`, calls an `HttpHandler`, and writes the `Response` back; tests build
// a `Request` with `MakeRequest` and call the handler in-process, without sockets.
//
// Conventions:
//  * `path` is the percent-decoded path of the target, without the query ("/api/v1/contacts").
//  * `query` holds the decoded query parameters in their order ('+' decodes to a space); a
//    name may repeat, and a parameter without '=' has an empty value.
//  * header names are lower-cased; values are kept verbatim. A repeated header appears twice.
//  * `remote_ip` is the TCP peer's address as text ("127.0.0.1", "::1"); proxies are not
//    trusted, so X-Forwarded-For is ignored.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace tandem::api {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST", ... as sent (upper case for the standard methods)
  std::string target;  // the raw request target: "/api/v1/contacts?stage=mql"
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  HeaderList headers;  // lower-cased names
  std::string body;
  std::string remote_ip;

  // The first value of header `lower_name`, or nullptr when absent.
  const std::string* Header(std::string_view lower_name) const;
};

// A body produced piece by piece while it is sent (a CSV export of a million rows): each call
// appends the next piece to `out` and returns whether more follow. An error after the first
// piece cannot change the status any more: the server then ends the connection without the
// closing chunk, so the client sees a truncated transfer, never a complete-looking file.
using BodySource = std::function<core::Result<bool>(std::string& out)>;

struct Response {
  int status = 200;
  HeaderList headers;  // names as they should be written ("Content-Type")
  std::string body;
  // When set, the body is `body` followed by what `stream` produces, sent with chunked
  // transfer encoding (no Content-Length).
  BodySource stream;

  // The first value of `name` compared case-insensitively, or nullptr.
  const std::string* Header(std::string_view name) const;
  // Replaces every header called `name` (case-insensitively) by one with `value`.
  void SetHeader(std::string_view name, std::string value);

  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body, std::string content_type);
  static Response NoContent();
};

// Adds the headers every response carries unless the handler chose its own value:
// X-Content-Type-Options: nosniff, Cache-Control: no-store, Referrer-Policy: no-referrer,
// X-Frame-Options: DENY, and a Content-Security-Policy that allows nothing (HTML handlers set
// a looser one themselves).
void AddSecurityHeaders(Response& response);

// The one error body of Tandem: {"error":{"code":...,"message":...,"field":...}}. `field` is
// always present and is "" when the error is not about one input field.
std::string ErrorBody(std::string_view code, std::string_view message, std::string_view field);
Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view field = {});

// Builds a Request from a method and a target as a client would send them, decoding the path
// and the query as the server does. kInvalidArgument (field "target") when the target is not
// an origin-form URL ("/path?query").
core::Result<Request> MakeRequest(std::string method, std::string_view target,
                                  std::string body = {}, HeaderList headers = {},
                                  std::string remote_ip = "127.0.0.1");

// What the server calls for every request. Implementations must be safe to call from several
// I/O threads at once, must not block for long (they run on the I/O threads), and should not
// throw: the server answers 500 if one does.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual Response Handle(const Request& request) = 0;
};

}  // namespace tandem::api
