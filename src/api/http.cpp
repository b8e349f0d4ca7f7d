#include "api/http.hpp"

#include <algorithm>

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "api/json_io.hpp"

namespace tandem::api {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void SetDefault(Response& r, std::string_view name, std::string value) {
  if (!r.Header(name)) r.headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace

const std::string* Request::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return &v;
  }
  return nullptr;
}

const std::string* Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return &v;
  }
  return nullptr;
}

void Response::SetHeader(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& kv) { return IEquals(kv.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
}

Response Response::Json(int status, std::string body) {
  return Text(status, std::move(body), "application/json");
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", std::move(content_type));
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

void AddSecurityHeaders(Response& response) {
  SetDefault(response, "X-Content-Type-Options", "nosniff");
  SetDefault(response, "Cache-Control", "no-store");
  SetDefault(response, "Referrer-Policy", "no-referrer");
  SetDefault(response, "X-Frame-Options", "DENY");
  SetDefault(response, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

std::string ErrorBody(std::string_view code, std::string_view message, std::string_view field) {
  std::string out = "{\"error\":{\"code\":";
  AppendJsonString(out, code);
  out += ",\"message\":";
  AppendJsonString(out, message);
  out += ",\"field\":";
  AppendJsonString(out, field);
  out += "}}";
  return out;
}

Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view field) {
  return Response::Json(status, ErrorBody(code, message, field));
}

core::Result<Request> MakeRequest(std::string method, std::string_view target, std::string body,
                                  HeaderList headers, std::string remote_ip) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) {
    return core::Fail(core::Error::Invalid("target", "the request target is not a valid path"));
  }
  Request r;
  r.method = std::move(method);
  r.target = std::string(target);
  r.path = url->path();
  for (auto param : url->params(boost::urls::encoding_opts(true))) {
    // Empty segments ("?a=1&" or "?&a=1") carry nothing; clients build such URLs routinely.
    if (param.key.empty() && !param.has_value) continue;
    r.query.emplace_back(param.key, param.value);
  }
  for (auto& [k, v] : headers) {
    std::transform(k.begin(), k.end(), k.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  r.headers = std::move(headers);
  r.body = std::move(body);
  r.remote_ip = std::move(remote_ip);
  return r;
}

}  // namespace tandem::api
