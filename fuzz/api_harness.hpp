// What the API fuzz targets share: Tandem's HTTP API in-process (Api::Handle, as the tests call
// it) over a fresh in-memory SQLite store, the real application services and a FakeClock, with
// a signed-in admin and a few records for the routes' {id}s to find.
//
// The rule every target checks besides the sanitizers: no input is answered 500. Hostile or
// malformed input must be refused with a 4xx naming what is wrong; a 500 means an exception or
// an internal error escaped a handler, which is a bug (the program aborts with the route, the
// input's answer and the logged cause, and libFuzzer keeps the input).
//
// State builds up as the fuzzer posts (contacts, deals, ...): every `kRunsPerStore` runs the
// harness starts over on a new store, so memory stays bounded and a long run still reaches the
// routes' "not found" and "found" paths alike.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/http.hpp"
#include "api/json_io.hpp"
#include "api/rate_limiter.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "base/metrics.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::fuzz {

namespace json = boost::json;

inline void Die(const std::string& what) {
  std::fprintf(stderr, "tandem fuzz: %s\n", what.c_str());
  std::abort();
}

class ApiHarness {
 public:
  static constexpr int kRunsPerStore = 20000;

  ApiHarness() {
    auto opened = store::sqlite::OpenSqliteStore(
        store::sqlite::SqliteSettings{.path = ":memory:", .metrics = &metrics_});
    if (!opened) Die("cannot open the store: " + opened.error().message);
    store_ = std::move(*opened);
    services_ = std::make_unique<app::Services>(*store_, clock_, app::PasswordSettings::Fastest());
    api::ApiSettings settings;
    // No limit a fuzzer would run into: every post reaches the code under test.
    settings.login_per_minute = settings.login_burst = 1 << 30;
    settings.form_per_minute = settings.form_burst = 1 << 30;
    settings.track_per_minute = settings.track_burst = 1 << 30;
    settings.chromium = "/nonexistent/chromium";  // the weekly PDF fails fast, no browser runs
    settings.log_error = [this](std::string_view line) { last_log_ = std::string(line); };
    api_ = std::make_unique<api::Api>(*services_, metrics_, clock_, settings);
    // The same routes as the Api's, in a table of their own to walk (its handlers never run).
    settings_ = settings;
    limiter_ = std::make_unique<api::RateLimiter>(clock_, 1 << 30, 1 << 30);
    api::AddAllRoutes(table_,
                      api::Deps{*services_, metrics_, clock_, settings_, *limiter_, table_});

    core::User admin;
    admin.email = "admin@acme.example";
    admin.name = "Ada Admin";
    admin.role = core::Role::kAdmin;
    auto a = services_->users.Bootstrap(admin, "correct horse battery");
    if (!a) Die("cannot create the admin: " + a.error().message);
    auto login =
        Send("POST", "/api/v1/auth/login",
             R"({"email":"admin@acme.example","password":"correct horse battery"})", "", "json");
    auto doc = api::ParseJson(login.body);
    if (login.status != 200 || !doc) Die("cannot sign in: " + login.body);
    token_ = std::string(doc->at("token").as_string());

    // Records for the routes' {id} placeholders (all "1").
    Expect(Send("POST", "/api/v1/contacts",
                R"({"email":"ann@globex.example","first_name":"Ann","last_name":"Lee"})", token_),
           201);
    Expect(
        Send("POST", "/api/v1/companies", R"({"name":"Globex","domain":"globex.example"})", token_),
        201);
    auto form = Send("POST", "/api/v1/forms",
                     R"({"name":"Demo request","fields":[)"
                     R"({"name":"email","property":"email"},)"
                     R"({"name":"first_name","property":"first_name"},)"
                     R"({"name":"company","property":"company"},)"
                     R"({"name":"size","property":"custom.team_size"}],)"
                     R"("consent_text":"Acme may contact me.",)"
                     R"("allowed_origins":["https://www.acme.example"]})",
                     token_);
    Expect(form, 201);
    form_public_id_ = std::string(api::ParseJson(form.body)->at("public_id").as_string());
  }

  // One request. `token`: sent as a bearer credential when not empty. `type`: "json", "form"
  // (urlencoded), or a full media type; none when empty. Aborts on a 500 answer.
  api::Response Send(const std::string& method, std::string_view target, std::string body,
                     const std::string& token, std::string_view type = "json") {
    api::HeaderList headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (type == "json") {
      headers.emplace_back("Content-Type", "application/json");
    } else if (type == "form") {
      headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    } else if (!type.empty()) {
      headers.emplace_back("Content-Type", std::string(type));
    }
    auto request =
        api::MakeRequest(method, target, std::move(body), std::move(headers), "203.0.113.7");
    if (!request) {
      api::Response refused;
      refused.status = 400;  // what the server answers a target it cannot parse
      return refused;
    }
    last_log_.clear();
    api::Response r = api_->Handle(*request);
    if (r.stream) {
      // A streamed body (the CSV export): drain it as the server would, a page at a time.
      std::string out;
      for (int pages = 0; pages < 1000; ++pages) {
        auto more = r.stream(out);
        if (!more || !*more) break;
        out.clear();
      }
    }
    if (r.status >= 500 && r.status != 503) {
      Die("answered " + std::to_string(r.status) + " to " + method + " " + std::string(target) +
          "\n  body: " + r.body + "\n  logged: " + last_log_);
    }
    return r;
  }

  // Every route of the API (router.hpp), as the Api has them.
  const std::vector<api::Route>& routes() const { return table_.routes(); }
  const std::string& token() const { return token_; }
  const std::string& form_public_id() const { return form_public_id_; }

 private:
  static void Expect(const api::Response& r, int status) {
    if (r.status != status) Die("setup answered " + std::to_string(r.status) + ": " + r.body);
  }

  base::FakeClock clock_{core::FromMillis(1'790'000'000'000)};
  base::Metrics metrics_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Services> services_;
  std::unique_ptr<api::Api> api_;
  api::ApiSettings settings_;
  std::unique_ptr<api::RateLimiter> limiter_;
  api::RouteTable table_;
  std::string token_;
  std::string form_public_id_;
  std::string last_log_;
};

// The harness of this process, started over every kRunsPerStore calls.
inline ApiHarness& Harness() {
  static std::unique_ptr<ApiHarness> h;
  static int runs = 0;
  if (!h || ++runs % ApiHarness::kRunsPerStore == 0) {
    h.reset();
    h = std::make_unique<ApiHarness>();
  }
  return *h;
}

// A route's pattern with every {placeholder} replaced by "1".
inline std::string Target(std::string_view pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i);
      if (close == std::string_view::npos) break;
      out += '1';
      i = close;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

// A route as the fuzz targets pick it (copied: a harness and its route table are replaced
// every kRunsPerStore runs).
struct RouteName {
  std::string method;
  std::string pattern;
};

// Inputs are "METHOD /pattern\n<rest>": the first line picks one of `routes` by name (so the
// seed corpora stay valid when routes are added), or, when it names none, by its hash.
inline const RouteName& PickRoute(const std::vector<RouteName>& routes,
                                  std::string_view first_line) {
  if (routes.empty()) Die("no route to fuzz");
  for (const auto& r : routes) {
    if (first_line.size() == r.method.size() + 1 + r.pattern.size() &&
        first_line.starts_with(r.method) && first_line[r.method.size()] == ' ' &&
        first_line.ends_with(r.pattern)) {
      return r;
    }
  }
  return routes[std::hash<std::string_view>{}(first_line) % routes.size()];
}

// Splits an input at its first newline: (first line, rest).
inline std::pair<std::string_view, std::string_view> SplitFirstLine(std::string_view input) {
  const auto nl = input.find('\n');
  if (nl == std::string_view::npos) return {input, {}};
  return {input.substr(0, nl), input.substr(nl + 1)};
}

}  // namespace tandem::fuzz
