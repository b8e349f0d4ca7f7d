// The API over a fresh store, real application services and a FakeClock, called in-process
// through Api::Handle, with one signed-in user per role.
//
// The store is SQLite in memory, or, when TANDEM_API_BACKEND=postgresql (the ctest entries
// labelled api_pg, tests/CMakeLists.txt), PostgreSQL: a database of its own per test, copied
// from a migrated template (tests/support/pg_test_db.hpp; TANDEM_TEST_PG_URL, skipped without
// it unless TANDEM_TEST_PG_REQUIRED=1). Every API test runs on both backends.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "api/api.hpp"
#include "api/json_io.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "base/metrics.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/pg_test_db.hpp"

namespace tandem::api::apitest {

namespace json = boost::json;
using namespace std::chrono_literals;

inline const core::Instant kT0 = core::FromMillis(1'790'000'000'000);
inline constexpr std::chrono::milliseconds kSessionTtl = std::chrono::hours(12);
inline constexpr const char* kPassword = "correct horse battery";

// A JSON string's text (empty when `v` is not a string).
inline std::string S(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : std::string();
}

// One answer, with its body parsed when it is JSON.
struct Reply {
  Response raw;
  json::value body;  // null when the body is empty or not JSON

  int status() const { return raw.status; }
  std::string Header(std::string_view name) const {
    const std::string* v = raw.Header(name);
    return v ? *v : std::string();
  }
  const json::object& obj() const { return body.as_object(); }
  const json::array& items() const { return body.at("items").as_array(); }
  std::string Str(std::string_view key) const { return std::string(body.at(key).as_string()); }
  std::int64_t Int(std::string_view key) const { return body.at(key).as_int64(); }
  std::string ErrorCode() const { return std::string(body.at("error").at("code").as_string()); }
  std::string ErrorField() const { return std::string(body.at("error").at("field").as_string()); }
  std::string ErrorMessage() const {
    return std::string(body.at("error").at("message").as_string());
  }
};

inline std::ostream& operator<<(std::ostream& os, const Reply& r) {
  return os << r.raw.status << " " << r.raw.body;
}

// True when the API tests run on PostgreSQL (TANDEM_API_BACKEND=postgresql).
inline bool OnPostgres() {
  const char* backend = std::getenv("TANDEM_API_BACKEND");
  return backend != nullptr && std::string(backend) == "postgresql";
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (OnPostgres()) {
      if (auto reason = store::postgres::testdb::NoServerReason(); !reason.empty()) {
        GTEST_SKIP() << reason;
      }
      auto pg = store::postgres::testdb::NewStore(4, &metrics_);
      ASSERT_NE(pg, nullptr);
      store_ = std::move(pg);
    } else {
      auto opened = store::sqlite::OpenSqliteStore(
          store::sqlite::SqliteSettings{.path = ":memory:", .metrics = &metrics_});
      ASSERT_TRUE(opened) << opened.error().message;
      store_ = std::move(*opened);
    }
    services_ = std::make_unique<app::Services>(*store_, clock_, app::PasswordSettings::Fastest(),
                                                app::AuthSettings{.session_ttl = kSessionTtl});
    ApiSettings settings = Settings();
    settings.log_error = [this](std::string_view line) { logged_.emplace_back(line); };
    api_ = std::make_unique<Api>(*services_, metrics_, clock_, settings);

    core::User admin;
    admin.email = "admin@acme.example";
    admin.name = "Ada Admin";
    admin.role = core::Role::kAdmin;
    auto a = services_->users.Bootstrap(admin, kPassword);
    ASSERT_TRUE(a) << a.error().message;
    admin_id_ = a->id;
    admin_ = Login("admin@acme.example");
    manager_id_ = MakeUser("manager@acme.example", "manager");
    marketer_id_ = MakeUser("marketer@acme.example", "marketing");
    rep1_id_ = MakeUser("rep1@acme.example", "sales");
    rep2_id_ = MakeUser("rep2@acme.example", "sales");
    manager_ = Login("manager@acme.example");
    marketer_ = Login("marketer@acme.example");
    rep1_ = Login("rep1@acme.example");
    rep2_ = Login("rep2@acme.example");
  }

  virtual ApiSettings Settings() { return {}; }

  // A request exactly as given (no credentials added).
  Reply Send(std::string method, std::string target, std::string body = {}, HeaderList headers = {},
             std::string ip = "10.0.0.1") {
    auto req = MakeRequest(std::move(method), target, std::move(body), std::move(headers), ip);
    EXPECT_TRUE(req) << target;
    Reply r;
    r.raw = api_->Handle(*req);
    if (!r.raw.body.empty() && r.raw.body[0] != '#') {
      auto parsed = ParseJson(r.raw.body);
      if (parsed) r.body = std::move(*parsed);
    }
    return r;
  }

  // With `Authorization: Bearer <token>`, and a JSON content type when there is a body.
  Reply As(const std::string& token, std::string method, std::string target,
           std::string body = {}) {
    HeaderList h = {{"Authorization", "Bearer " + token}};
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return Send(std::move(method), std::move(target), std::move(body), std::move(h));
  }

  std::string Login(const std::string& email, const std::string& password = kPassword) {
    auto r = Send("POST", "/api/v1/auth/login",
                  WriteJson(json::object{{"email", email}, {"password", password}}),
                  {{"Content-Type", "application/json"}}, "10.9.9.9");
    EXPECT_EQ(r.status(), 200) << r;
    return r.status() == 200 ? r.Str("token") : std::string();
  }

  core::Id MakeUser(const std::string& email, const std::string& role) {
    auto r = As(admin_, "POST", "/api/v1/users",
                WriteJson(json::object{{"email", email},
                                       {"name", email.substr(0, email.find('@'))},
                                       {"role", role},
                                       {"password", kPassword}}));
    EXPECT_EQ(r.status(), 201) << r;
    return r.status() == 201 ? r.Int("id") : 0;
  }

  // POSTs `body` to `path` as `token` and returns the new record's id (0 on failure).
  core::Id Create(const std::string& token, const std::string& path, const json::object& body) {
    auto r = As(token, "POST", path, WriteJson(body));
    EXPECT_EQ(r.status(), 201) << path << " " << r;
    return r.status() == 201 ? r.Int("id") : 0;
  }

  core::Id NewContact(const std::string& email, json::object extra = {},
                      const std::string* token = nullptr) {
    extra["email"] = email;
    return Create(token ? *token : manager_, "/api/v1/contacts", extra);
  }

  base::FakeClock clock_{kT0};
  base::Metrics metrics_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Services> services_;
  std::unique_ptr<Api> api_;
  std::vector<std::string> logged_;

  core::Id admin_id_ = 0, manager_id_ = 0, marketer_id_ = 0, rep1_id_ = 0, rep2_id_ = 0;
  std::string admin_, manager_, marketer_, rep1_, rep2_;  // bearer tokens
};

}  // namespace tandem::api::apitest
