// A fresh in-memory SQLite store and the application services over a FakeClock, with one user
// per role, for the application-service tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <ostream>
#include <string>

#include "app/services.hpp"
#include "base/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::app::apptest {

using namespace std::chrono_literals;

inline const core::Instant kT0 = core::FromMillis(1'790'000'000'000);
inline constexpr std::chrono::milliseconds kSessionTtl = std::chrono::hours(12);
inline constexpr std::string_view kPassword = "correct horse battery";

inline core::Principal PrincipalOf(const core::User& u) {
  return core::Principal{u.id, u.email, u.role, std::nullopt};
}

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::OpenSqliteStore(store::sqlite::SqliteSettings{.path = ":memory:"});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    services_ = std::make_unique<Services>(*store_, clock_, PasswordSettings::Fastest(),
                                           AuthSettings{.session_ttl = kSessionTtl});

    core::User admin;
    admin.email = "admin@acme.example";
    admin.name = "Ada Admin";
    admin.role = core::Role::kAdmin;
    auto a = services_->users.Bootstrap(admin, kPassword);
    ASSERT_TRUE(a) << a.error().message;
    admin_ = *a;
    manager_ = MakeUser("manager@acme.example", core::Role::kManager);
    marketer_ = MakeUser("marketer@acme.example", core::Role::kMarketing);
    rep1_ = MakeUser("rep1@acme.example", core::Role::kSales);
    rep2_ = MakeUser("rep2@acme.example", core::Role::kSales);
  }

  Services& svc() { return *services_; }

  core::User MakeUser(const std::string& email, core::Role role,
                      std::string_view password = kPassword) {
    core::User u;
    u.email = email;
    u.name = email.substr(0, email.find('@'));
    u.role = role;
    auto r = services_->users.Create(PrincipalOf(admin_), u, password);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(core::User{});
  }

  core::Principal admin() const { return PrincipalOf(admin_); }
  core::Principal manager() const { return PrincipalOf(manager_); }
  core::Principal marketer() const { return PrincipalOf(marketer_); }
  core::Principal rep1() const { return PrincipalOf(rep1_); }
  core::Principal rep2() const { return PrincipalOf(rep2_); }

  // A contact created by the manager (so any owner may be given).
  core::Contact NewContact(const std::string& email, core::Stage stage = core::Stage::kLead,
                           std::optional<core::Id> owner = std::nullopt) {
    core::Contact c;
    c.email = email;
    c.first_name = "First";
    c.last_name = "Last";
    c.stage = stage;
    c.owner_id = owner;
    auto r = services_->contacts.Create(manager(), c);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(core::Contact{});
  }

  core::Contact GetContact(core::Id id) {
    auto r = services_->contacts.Get(admin(), id);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(core::Contact{});
  }

  std::vector<core::StageChange> HistoryOf(core::Id contact_id) {
    auto r = services_->contacts.History(admin(), contact_id);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(std::vector<core::StageChange>{});
  }

  // The audit entries about one record, newest first.
  std::vector<core::AuditEntry> AuditOf(const std::string& entity, core::Id id) {
    core::AuditQuery q;
    q.entity = entity;
    q.entity_id = id;
    q.page.limit = core::kMaxPageSize;
    auto r = services_->audit.List(admin(), q);
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->items : std::vector<core::AuditEntry>{};
  }

  base::FakeClock clock_{kT0};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Services> services_;
  core::User admin_, manager_, marketer_, rep1_, rep2_;
};

// Asserts that `r` failed with `code` (and, when given, on `field`).
template <class R>
::testing::AssertionResult FailsWith(const R& r, core::ErrorCode code,
                                     std::string_view field = {}) {
  if (r) return ::testing::AssertionFailure() << "succeeded; expected " << core::ToString(code);
  if (r.error().code != code) {
    return ::testing::AssertionFailure()
           << "failed with " << core::ToString(r.error().code) << " (" << r.error().message
           << "), expected " << core::ToString(code);
  }
  if (!field.empty() && r.error().field != field) {
    return ::testing::AssertionFailure() << "failed on field '" << r.error().field << "' ("
                                         << r.error().message << "), expected '" << field << "'";
  }
  return ::testing::AssertionSuccess();
}

inline const core::FieldChange* FindChange(const core::AuditEntry& e, std::string_view field) {
  for (const auto& c : e.changes) {
    if (c.field == field) return &c;
  }
  return nullptr;
}

// The change of `field` in `e`, or a change named "<missing field>" when there is none.
inline core::FieldChange ChangeOf(const core::AuditEntry& e, std::string_view field) {
  const core::FieldChange* c = FindChange(e, field);
  return c ? *c : core::FieldChange{"<missing " + std::string(field) + ">", "", ""};
}

}  // namespace tandem::app::apptest

// Readable failure messages for core values (found by argument-dependent lookup).
namespace tandem::core {
inline void PrintTo(const FieldChange& c, std::ostream* os) {
  *os << "{" << c.field << ": '" << c.before << "' -> '" << c.after << "'}";
}
inline void PrintTo(Stage s, std::ostream* os) {
  *os << ToString(s);
}
}  // namespace tandem::core
