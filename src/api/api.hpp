// Tandem's HTTP API as one handler: routing, authentication, validation, the resources'
// handlers over app::Services, errors, security headers, metrics, and (optionally) the
// dashboard's static files.
//
// Usage (the composition root):
//   api::Api api(services, metrics, clock, api::ApiSettings{...});
//   api::HttpServer server(api, api::HttpServerSettings{host, port, threads, max_body_bytes});
//   auto port = server.Start();  ...  server.Stop();
// Tests call `Handle` in-process with requests built by api::MakeRequest.
//
// What every response guarantees:
//  * JSON bodies, errors as {"error":{"code","message","field"}} (see errors.hpp for the
//    status table); security headers (nosniff, no-store, a deny-all CSP on API responses).
//  * Every /api/v1 route except POST /api/v1/auth/login and GET /api/v1/openapi.json needs
//    `Authorization: Bearer <session token or API key>` or the `tandem_session` cookie; a
//    cookie session must echo its CSRF token in X-CSRF-Token on POST, PATCH, PUT and DELETE.
//    GET /healthz and GET /metrics need nothing.
//  * Logins are limited per client IP by a token bucket (429 with Retry-After).
//  * Any exception thrown below is caught here once, logged with the route, and answered 500.
//
// Ownership: the Api keeps references to the services, metrics and clock, which must outlive
// it. Thread-safety: Handle may be called from any number of threads at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "base/metrics.hpp"

namespace tandem::api {

struct ApiSettings {
  // Behind TLS: add `Secure` to the session cookie.
  bool secure_cookies = false;
  // A folder with the built dashboard (index.html and assets), served for GET requests
  // outside /api, /healthz and /metrics; unknown paths without a file extension get
  // index.html (client-side routing). Empty: no static files.
  std::string web_root;
  // Login attempts per client IP: `login_burst` at once, then `login_per_minute` a minute.
  int login_per_minute = 10;
  int login_burst = 10;
  // Web capture (docs/capture.md), per client IP and form: `form_burst` posts at once, then
  // `form_per_minute` a minute; per client IP and tracker site key for /t/e.
  int form_per_minute = 30;
  int form_burst = 10;
  int track_per_minute = 300;
  int track_burst = 60;
  // Behind a reverse proxy: the client IP of public capture requests is the last address of
  // X-Forwarded-For (the one the proxy appended). Off: the header is ignored (a client could
  // write anything in it and escape its rate limit).
  bool trust_forwarded_for = false;
  // The weekly pack's PDF (GET /api/v1/reports/weekly?format=pdf) is printed by this browser.
  std::string chromium = "/usr/bin/chromium";
  // Whether this server leads (runs the SLA scheduler and outbox delivery; jobs/leader.hpp),
  // told by GET /healthz. Unset: it always leads (one server on the database).
  std::function<bool()> leading;
  // Where errors are logged (500s, failures below the API); default: spdlog's logger.
  std::function<void(std::string_view)> log_error;
};

class Api final : public HttpHandler {
 public:
  Api(app::Services& services, base::Metrics& metrics, const base::Clock& clock,
      ApiSettings settings = {});
  ~Api() override;
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  Response Handle(const Request& request) override;

  // Every route as (method, pattern), e.g. ("GET", "/api/v1/contacts/{id}").
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::api
