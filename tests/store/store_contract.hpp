// The store contract suite: what every backend of store::Store must do (see store/store.hpp).
//
// A backend's test file instantiates it with a factory producing an empty store:
//
//   INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
//       ::testing::Values(StoreFactory{"postgres", [] { return OpenTestPostgres(); }}),
//       StoreFactoryName);
//
// Include this header from exactly one .cpp per test binary (it defines the tests). Every test
// gets a new empty store, uses fixed instants (no clock) and no sleeps.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "store/bulk.hpp"
#include "store/privacy_repo.hpp"
#include "store/store.hpp"

namespace tandem::store::contract {

using core::Activity;
using core::ActivityType;
using core::AuditAction;
using core::AuditEntry;
using core::Company;
using core::Contact;
using core::Cursor;
using core::Deal;
using core::DealStage;
using core::ErrorCode;
using core::FromMillis;
using core::Id;
using core::Instant;
using core::Result;
using core::SortDir;
using core::Stage;
using core::Team;
using core::User;

struct StoreFactory {
  std::string name;
  std::function<std::unique_ptr<Store>()> make;
  // When set: the reason to skip the named test ("ContactRoundTripsEveryField") on this
  // backend, empty to run it. A backend being built repository by repository skips the tests
  // of the repositories it does not have yet (see docs/postgres.md).
  std::function<std::string(const std::string& test)> skip = nullptr;
};

inline std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

inline void PrintTo(const StoreFactory& f, std::ostream* os) {
  *os << f.name;
}

inline const Instant kT0 = FromMillis(1'790'000'000'123);
inline Instant At(std::int64_t offset_ms) {
  return kT0 + std::chrono::milliseconds(offset_ms);
}

// Text that must be stored byte for byte.
inline const std::string kTricky = "O'Brien \"Ünïcödé\" 名前 '; DROP TABLE contacts;-- \\ %_";

// ---------------------------------------------------------------------------------------------
// Field-by-field comparisons (the core types define no equality).

inline void ExpectSame(const Contact& a, const Contact& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.first_name, b.first_name);
  EXPECT_EQ(a.last_name, b.last_name);
  EXPECT_EQ(a.phone, b.phone);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.company_id, b.company_id);
  EXPECT_EQ(a.owner_id, b.owner_id);
  EXPECT_EQ(a.stage, b.stage);
  EXPECT_EQ(a.stage_entered_at, b.stage_entered_at);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.campaign, b.campaign);
  EXPECT_EQ(a.country, b.country);
  EXPECT_EQ(a.custom, b.custom);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

inline void ExpectSame(const Company& a, const Company& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.domain, b.domain);
  EXPECT_EQ(a.industry, b.industry);
  EXPECT_EQ(a.employees, b.employees);
  EXPECT_EQ(a.country, b.country);
  EXPECT_EQ(a.owner_id, b.owner_id);
  EXPECT_EQ(a.custom, b.custom);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

inline void ExpectSame(const Deal& a, const Deal& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.contact_id, b.contact_id);
  EXPECT_EQ(a.company_id, b.company_id);
  EXPECT_EQ(a.owner_id, b.owner_id);
  EXPECT_EQ(a.amount_minor, b.amount_minor);
  EXPECT_EQ(a.currency, b.currency);
  EXPECT_EQ(a.stage, b.stage);
  EXPECT_EQ(a.expected_close, b.expected_close);
  EXPECT_EQ(a.closed_at, b.closed_at);
  EXPECT_EQ(a.lost_reason, b.lost_reason);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

inline void ExpectSame(const Activity& a, const Activity& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.contact_id, b.contact_id);
  EXPECT_EQ(a.deal_id, b.deal_id);
  EXPECT_EQ(a.owner_id, b.owner_id);
  EXPECT_EQ(a.occurred_at, b.occurred_at);
  EXPECT_EQ(a.subject, b.subject);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.duration_minutes, b.duration_minutes);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

inline void ExpectSame(const User& a, const User& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.team_id, b.team_id);
  EXPECT_EQ(a.active, b.active);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

inline void ExpectSame(const Team& a, const Team& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.function, b.function);
  EXPECT_EQ(a.manager_id, b.manager_id);
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

template <class T>
std::vector<Id> IdsOf(const std::vector<T>& items) {
  std::vector<Id> out;
  for (const auto& i : items) out.push_back(i.id);
  return out;
}

// ---------------------------------------------------------------------------------------------

class StoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    if (GetParam().skip) {
      std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      test = test.substr(0, test.find('/'));
      if (auto reason = GetParam().skip(test); !reason.empty()) GTEST_SKIP() << reason;
    }
    store_ = GetParam().make();
    ASSERT_NE(store_, nullptr);
  }

  // Runs `f(tx)` in a write (or read) transaction and returns its result.
  template <class F>
  auto Run(bool write, F f) -> std::invoke_result_t<F, Tx&> {
    using R = std::invoke_result_t<F, Tx&>;
    std::optional<R> out;
    auto body = [&](Tx& tx) -> Result<void> {
      out = f(tx);
      if (!*out) return core::Fail(out->error());
      return {};
    };
    auto status = write ? store_->Write(body) : store_->Read(body);
    if (!out) return core::Fail(status.error());
    if (*out && !status) return core::Fail(status.error());
    return std::move(*out);
  }
  template <class F>
  auto W(F f) {
    return Run(true, std::move(f));
  }
  template <class F>
  auto R(F f) {
    return Run(false, std::move(f));
  }

  // Inserts and returns ids; failures stop the test.
  Id AddUser(const std::string& email, core::Role role = core::Role::kSales,
             std::optional<Id> team = std::nullopt) {
    User u;
    u.email = email;
    u.name = "User " + email;
    u.role = role;
    u.team_id = team;
    u.created_at = u.updated_at = kT0;
    auto id = W([&](Tx& tx) { return tx.users().Insert(u, "hash-" + email); });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  Id AddCompany(const std::string& name, const std::string& domain = "",
                std::optional<Id> owner = std::nullopt, const std::string& industry = "",
                const std::string& country = "", Instant created = kT0) {
    Company c;
    c.name = name;
    c.domain = domain;
    c.owner_id = owner;
    c.industry = industry;
    c.country = country;
    c.created_at = c.updated_at = created;
    auto id = W([&](Tx& tx) { return tx.companies().Insert(c); });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  static Contact NewContact(const std::string& email, Instant created = kT0) {
    Contact c;
    c.email = email;
    c.first_name = "First";
    c.last_name = "Last";
    c.stage = Stage::kLead;
    c.stage_entered_at = created;
    c.created_at = c.updated_at = created;
    return c;
  }

  Id AddContact(Contact c) {
    auto id = W([&](Tx& tx) { return tx.contacts().Insert(c); });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  Id AddDeal(Deal d) {
    auto id = W([&](Tx& tx) { return tx.deals().Insert(d); });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  Id AddActivity(Activity a) {
    auto id = W([&](Tx& tx) { return tx.activities().Insert(a); });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  }

  std::optional<Contact> GetContact(Id id) {
    auto c = R([&](Tx& tx) { return tx.contacts().Get(id); });
    EXPECT_TRUE(c) << c.error().message;
    return c ? *c : std::nullopt;
  }

  // Every page of a contact list, following cursors; fails the test on a repeated cursor.
  std::vector<Id> WalkContacts(core::ContactQuery q) {
    std::vector<Id> out;
    std::set<std::pair<std::string, Id>> seen;
    for (int pages = 0; pages < 10'000; ++pages) {
      auto page = R([&](Tx& tx) { return tx.contacts().List(q); });
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      EXPECT_LE(static_cast<int>(page->items.size()), std::max(1, q.page.limit));
      for (const auto& c : page->items) out.push_back(c.id);
      if (!page->next) break;
      EXPECT_FALSE(page->items.empty());
      EXPECT_TRUE(seen.insert({page->next->key, page->next->id}).second);
      q.page.after = page->next;
    }
    return out;
  }

  std::vector<Id> WalkCompanies(core::CompanyQuery q) {
    std::vector<Id> out;
    for (int pages = 0; pages < 10'000; ++pages) {
      auto page = R([&](Tx& tx) { return tx.companies().List(q); });
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& c : page->items) out.push_back(c.id);
      if (!page->next) break;
      q.page.after = page->next;
    }
    return out;
  }

  std::vector<Id> WalkDeals(core::DealQuery q) {
    std::vector<Id> out;
    for (int pages = 0; pages < 10'000; ++pages) {
      auto page = R([&](Tx& tx) { return tx.deals().List(q); });
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& d : page->items) out.push_back(d.id);
      if (!page->next) break;
      q.page.after = page->next;
    }
    return out;
  }

  std::vector<Id> WalkActivities(core::ActivityQuery q) {
    std::vector<Id> out;
    for (int pages = 0; pages < 10'000; ++pages) {
      auto page = R([&](Tx& tx) { return tx.activities().List(q); });
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& a : page->items) out.push_back(a.id);
      if (!page->next) break;
      q.page.after = page->next;
    }
    return out;
  }

  std::vector<AuditEntry> WalkAudit(core::AuditQuery q) {
    std::vector<AuditEntry> out;
    for (int pages = 0; pages < 10'000; ++pages) {
      auto page = R([&](Tx& tx) { return tx.audit().List(q); });
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& e : page->items) out.push_back(e);
      if (!page->next) break;
      q.page.after = page->next;
    }
    return out;
  }

  std::vector<Id> SearchContacts(const std::string& text, int limit = 50) {
    core::ContactQuery q;
    q.text = text;
    q.page.limit = limit;
    auto ids = WalkContacts(q);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  std::unique_ptr<Store> store_;
};

// Sorts `items` by (key(item), id) in `dir` and returns the ids: the order a list must give.
template <class T, class K>
std::vector<Id> ExpectedOrder(std::vector<T> items, K key, SortDir dir) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) {
    auto ka = std::make_tuple(key(a), a.id);
    auto kb = std::make_tuple(key(b), b.id);
    return dir == SortDir::kAsc ? ka < kb : kb < ka;
  });
  return IdsOf(items);
}

#define EXPECT_ERROR(result, error_code, error_field)               \
  do {                                                              \
    const auto& r_ = (result);                                      \
    ASSERT_FALSE(r_) << "expected an error";                        \
    EXPECT_EQ(r_.error().code, error_code) << r_.error().message;   \
    EXPECT_EQ(r_.error().field, error_field) << r_.error().message; \
  } while (0)

// ---------------------------------------------------------------------------------------------
// Contacts

TEST_P(StoreContractTest, ContactRoundTripsEveryField) {
  Id owner = AddUser("owner@example.com");
  Id company = AddCompany("Acme");
  Contact c = NewContact("o'brien+tag@xn--mnchen-3ya.example", At(1));
  c.first_name = kTricky;
  c.last_name = "Zoë Ærøskøbing";
  c.phone = "+49 (0)30 1234-567";
  c.title = "VP \"Growth\" & Ops";
  c.company_id = company;
  c.owner_id = owner;
  c.stage = Stage::kSql;
  c.stage_entered_at = At(2);
  c.source = "paid_social";
  c.campaign = "spring '26 — launch";
  c.country = "DE";
  c.custom = {{"k=1", "v=2\nline two"}, {"back\\slash", "tab\there"}, {"empty", ""}};
  c.created_at = At(3);
  c.updated_at = At(4);
  auto id = W([&](Tx& tx) { return tx.contacts().Insert(c); });
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_GT(*id, 0);
  c.id = *id;

  auto got = GetContact(*id);
  ASSERT_TRUE(got);
  ExpectSame(*got, c);
  auto by_email = R([&](Tx& tx) { return tx.contacts().FindByEmail(c.email); });
  ASSERT_TRUE(by_email && *by_email);
  ExpectSame(**by_email, c);
}

TEST_P(StoreContractTest, ContactOptionalFieldsStayEmpty) {
  Contact c = NewContact("plain@example.com");
  c.first_name = c.last_name = "";
  c.id = AddContact(c);
  auto got = GetContact(c.id);
  ASSERT_TRUE(got);
  ExpectSame(*got, c);
  EXPECT_FALSE(got->company_id);
  EXPECT_FALSE(got->owner_id);
  EXPECT_TRUE(got->custom.empty());
}

TEST_P(StoreContractTest, MissingContactIsEmptyNotAnError) {
  auto got = R([](Tx& tx) { return tx.contacts().Get(424242); });
  ASSERT_TRUE(got);
  EXPECT_FALSE(*got);
  auto by_email = R([](Tx& tx) { return tx.contacts().FindByEmail("nobody@example.com"); });
  ASSERT_TRUE(by_email);
  EXPECT_FALSE(*by_email);
}

TEST_P(StoreContractTest, ContactsAreCountedPerStage) {
  auto empty = R([](Tx& tx) { return tx.contacts().CountByStage(); });
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->empty());
  for (int i = 0; i < 3; ++i) AddContact(NewContact("lead" + std::to_string(i) + "@example.com"));
  Contact mql = NewContact("mql@example.com");
  mql.stage = Stage::kMql;
  const Id mql_id = AddContact(mql);
  Contact customer = NewContact("customer@example.com");
  customer.stage = Stage::kCustomer;
  AddContact(customer);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Delete(mql_id); }));
  auto counts = R([](Tx& tx) { return tx.contacts().CountByStage(); });
  ASSERT_TRUE(counts) << counts.error().message;
  std::map<Stage, std::int64_t> got(counts->begin(), counts->end());
  EXPECT_EQ(got, (std::map<Stage, std::int64_t>{{Stage::kLead, 3}, {Stage::kCustomer, 1}}));
}

TEST_P(StoreContractTest, InsertGivesPositiveIncreasingIds) {
  Id a = AddContact(NewContact("a@example.com"));
  Id b = AddContact(NewContact("b@example.com"));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Delete(b); }));
  Id c = AddContact(NewContact("c@example.com"));
  EXPECT_GT(a, 0);
  EXPECT_GT(b, a);
  EXPECT_GT(c, b);
}

TEST_P(StoreContractTest, DuplicateContactEmailIsAlreadyExists) {
  AddContact(NewContact("dup@example.com"));
  auto r = W([](Tx& tx) { return tx.contacts().Insert(NewContact("dup@example.com")); });
  EXPECT_ERROR(r, ErrorCode::kAlreadyExists, "email");

  Id other = AddContact(NewContact("other@example.com"));
  Contact moved = *GetContact(other);
  moved.email = "dup@example.com";
  EXPECT_ERROR(W([&](Tx& tx) { return tx.contacts().Update(moved); }), ErrorCode::kAlreadyExists,
               "email");
  EXPECT_EQ(GetContact(other)->email, "other@example.com");
}

TEST_P(StoreContractTest, ContactWithMissingReferencesIsInvalid) {
  Contact c = NewContact("ref@example.com");
  c.owner_id = 999;
  auto r = W([&](Tx& tx) { return tx.contacts().Insert(c); });
  EXPECT_ERROR(r, ErrorCode::kInvalidArgument, "owner_id");
  EXPECT_NE(r.error().message.find("user"), std::string::npos);
  c.owner_id.reset();
  c.company_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.contacts().Insert(c); }), ErrorCode::kInvalidArgument,
               "company_id");

  c.company_id.reset();
  c.id = AddContact(c);
  c.owner_id = 12345;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.contacts().Update(c); }), ErrorCode::kInvalidArgument,
               "owner_id");
}

TEST_P(StoreContractTest, UpdateAndDeleteOfMissingIdsAreNotFound) {
  Contact c = NewContact("ghost@example.com");
  c.id = 777;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.contacts().Update(c); }), ErrorCode::kNotFound, "");
  EXPECT_ERROR(W([](Tx& tx) { return tx.contacts().Delete(777); }), ErrorCode::kNotFound, "");
  Company co;
  co.id = 777;
  co.name = "Ghost";
  EXPECT_ERROR(W([&](Tx& tx) { return tx.companies().Update(co); }), ErrorCode::kNotFound, "");
  EXPECT_ERROR(W([](Tx& tx) { return tx.companies().Delete(777); }), ErrorCode::kNotFound, "");
  Deal d;
  d.id = 777;
  d.title = "Ghost";
  EXPECT_ERROR(W([&](Tx& tx) { return tx.deals().Update(d); }), ErrorCode::kNotFound, "");
  EXPECT_ERROR(W([](Tx& tx) { return tx.deals().Delete(777); }), ErrorCode::kNotFound, "");
  Team t;
  t.id = 777;
  t.name = "Ghost";
  EXPECT_ERROR(W([&](Tx& tx) { return tx.teams().Update(t); }), ErrorCode::kNotFound, "");
  EXPECT_ERROR(W([](Tx& tx) { return tx.teams().Delete(777); }), ErrorCode::kNotFound, "");
  User u;
  u.id = 777;
  u.email = "ghost@example.com";
  u.name = "Ghost";
  EXPECT_ERROR(W([&](Tx& tx) { return tx.users().Update(u); }), ErrorCode::kNotFound, "");
  EXPECT_ERROR(W([](Tx& tx) { return tx.users().SetPasswordHash(777, "x"); }), ErrorCode::kNotFound,
               "");
  EXPECT_ERROR(R([](Tx& tx) { return tx.users().GetPasswordHash(777); }), ErrorCode::kNotFound, "");
  EXPECT_ERROR(W([](Tx& tx) { return tx.activities().Delete(777); }), ErrorCode::kNotFound, "");
  EXPECT_ERROR(W([](Tx& tx) { return tx.auth().RevokeApiKey(777, kT0); }), ErrorCode::kNotFound,
               "");
}

TEST_P(StoreContractTest, ContactUpdateReplacesEveryField) {
  Id owner = AddUser("o@example.com");
  Id company = AddCompany("Initech");
  Contact c = NewContact("before@example.com");
  c.custom = {{"a", "1"}};
  c.id = AddContact(c);
  c.email = "after@example.com";
  c.first_name = "Ann";
  c.last_name = "Other";
  c.phone = "1";
  c.title = "CEO";
  c.company_id = company;
  c.owner_id = owner;
  c.stage = Stage::kRecycled;
  c.stage_entered_at = At(50);
  c.source = "event";
  c.campaign = "c2";
  c.country = "FR";
  c.custom = {{"b", "2"}};
  c.updated_at = At(60);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Update(c); }));
  ExpectSame(*GetContact(c.id), c);
  c.company_id.reset();
  c.owner_id.reset();
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Update(c); }));
  ExpectSame(*GetContact(c.id), c);
  auto old = R([](Tx& tx) { return tx.contacts().FindByEmail("before@example.com"); });
  ASSERT_TRUE(old);
  EXPECT_FALSE(*old);
}

TEST_P(StoreContractTest, DeletingContactRemovesHistoryAndActivitiesAndClearsDeals) {
  Id owner = AddUser("o@example.com");
  Id keep = AddContact(NewContact("keep@example.com"));
  Id gone = AddContact(NewContact("gone@example.com"));
  for (Id contact : {keep, gone}) {
    core::StageChange ch;
    ch.contact_id = contact;
    ch.to = Stage::kLead;
    ch.at = kT0;
    ASSERT_TRUE(W([&](Tx& tx) { return tx.stages().Append(ch); }));
  }
  Deal d;
  d.title = "Deal";
  d.contact_id = gone;
  d.created_at = d.updated_at = kT0;
  Id deal = AddDeal(d);
  Activity a;
  a.contact_id = gone;
  a.owner_id = owner;
  a.occurred_at = a.created_at = a.updated_at = kT0;
  Id act = AddActivity(a);
  a.contact_id = keep;
  Id kept_act = AddActivity(a);

  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Delete(gone); }));
  EXPECT_FALSE(GetContact(gone));
  auto history = R([&](Tx& tx) { return tx.stages().ListForContact(gone); });
  ASSERT_TRUE(history);
  EXPECT_TRUE(history->empty());
  auto kept_history = R([&](Tx& tx) { return tx.stages().ListForContact(keep); });
  ASSERT_TRUE(kept_history);
  EXPECT_EQ(kept_history->size(), 1u);
  auto activity = R([&](Tx& tx) { return tx.activities().Get(act); });
  ASSERT_TRUE(activity);
  EXPECT_FALSE(*activity);
  auto kept_activity = R([&](Tx& tx) { return tx.activities().Get(kept_act); });
  ASSERT_TRUE(kept_activity && *kept_activity);
  auto deal_after = R([&](Tx& tx) { return tx.deals().Get(deal); });
  ASSERT_TRUE(deal_after && *deal_after);
  EXPECT_FALSE((*deal_after)->contact_id);
  auto count = R([](Tx& tx) { return tx.contacts().CountAll(); });
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1);
}

TEST_P(StoreContractTest, DeletingCompanyClearsItOnContactsAndDeals) {
  Id company = AddCompany("Gone Inc", "gone.example");
  Contact c = NewContact("c@example.com");
  c.company_id = company;
  Id contact = AddContact(c);
  Deal d;
  d.title = "Deal";
  d.company_id = company;
  d.created_at = d.updated_at = kT0;
  Id deal = AddDeal(d);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.companies().Delete(company); }));
  EXPECT_FALSE(GetContact(contact)->company_id);
  auto got = R([&](Tx& tx) { return tx.deals().Get(deal); });
  ASSERT_TRUE(got && *got);
  EXPECT_FALSE((*got)->company_id);
  auto company_after = R([&](Tx& tx) { return tx.companies().Get(company); });
  ASSERT_TRUE(company_after);
  EXPECT_FALSE(*company_after);
  EXPECT_TRUE(SearchContacts("gone").empty());
}

TEST_P(StoreContractTest, CountAllCountsContacts) {
  auto zero = R([](Tx& tx) { return tx.contacts().CountAll(); });
  ASSERT_TRUE(zero);
  EXPECT_EQ(*zero, 0);
  for (int i = 0; i < 5; ++i) AddContact(NewContact("n" + std::to_string(i) + "@example.com"));
  auto five = R([](Tx& tx) { return tx.contacts().CountAll(); });
  ASSERT_TRUE(five);
  EXPECT_EQ(*five, 5);
}

// Contacts spread over every filter, with ties on every sort key, listed with every filter,
// sort and direction, page by page.
TEST_P(StoreContractTest, ContactListHonoursEveryFilterSortAndDirection) {
  struct {
    std::vector<Contact> all;
    Id owner_a = 0, owner_b = 0, company_x = 0, company_y = 0;
  } f;
  f.owner_a = AddUser("a@example.com");
  f.owner_b = AddUser("b@example.com");
  f.company_x = AddCompany("Xylo");
  f.company_y = AddCompany("Yak");
  const Stage stages[] = {Stage::kLead, Stage::kMql, Stage::kSql};
  const char* sources[] = {"event", "organic_search", "paid_social"};
  const char* last_names[] = {"Smith", "Jones", "Émile", "smith"};
  ASSERT_TRUE(W([&](Tx& tx) -> Result<void> {
    for (int i = 0; i < 40; ++i) {
      Contact c = NewContact("p" + std::to_string(i % 7) + "x" + std::to_string(i) + "@ex.com",
                             At((i % 5) * 1000));  // five created_at values: many ties
      c.updated_at = At(100'000 - (i % 3) * 10);
      c.stage = stages[i % 3];
      c.source = sources[i % 3 == 0 ? 0 : (i % 2 == 0 ? 1 : 2)];
      c.campaign = i % 4 == 0 ? "spring" : "";
      c.owner_id = i % 3 == 0 ? std::optional<Id>() : (i % 2 ? f.owner_a : f.owner_b);
      c.company_id = i % 5 == 0 ? f.company_x : (i % 5 == 1 ? f.company_y : std::optional<Id>());
      c.last_name = last_names[i % 4];
      auto id = tx.contacts().Insert(c);
      if (!id) return core::Fail(id.error());
      c.id = *id;
      f.all.push_back(c);
    }
    return {};
  }));

  using Pred = std::function<bool(const Contact&)>;
  struct Case {
    std::string name;
    std::function<void(core::ContactQuery&)> set;
    Pred keep;
  };
  std::vector<Case> cases = {
      {"none", [](auto&) {}, [](const Contact&) { return true; }},
      {"stage", [](auto& q) { q.stage = Stage::kMql; },
       [](const Contact& c) { return c.stage == Stage::kMql; }},
      {"owner", [&](auto& q) { q.owner_id = f.owner_a; },
       [&](const Contact& c) { return c.owner_id == f.owner_a; }},
      {"unowned", [](auto& q) { q.unowned = true; }, [](const Contact& c) { return !c.owner_id; }},
      {"source", [](auto& q) { q.source = "paid_social"; },
       [](const Contact& c) { return c.source == "paid_social"; }},
      {"campaign", [](auto& q) { q.campaign = "spring"; },
       [](const Contact& c) { return c.campaign == "spring"; }},
      {"company", [&](auto& q) { q.company_id = f.company_y; },
       [&](const Contact& c) { return c.company_id == f.company_y; }},
      {"created range",
       [](auto& q) {
         q.created_from = At(1000);
         q.created_to = At(3000);
       },
       [](const Contact& c) { return c.created_at >= At(1000) && c.created_at < At(3000); }},
      {"stage+owner+created",
       [&](auto& q) {
         q.stage = Stage::kSql;
         q.owner_id = f.owner_b;
         q.created_from = At(1000);
       },
       [&](const Contact& c) {
         return c.stage == Stage::kSql && c.owner_id == f.owner_b && c.created_at >= At(1000);
       }},
  };
  const core::ContactSort sorts[] = {core::ContactSort::kCreatedAt, core::ContactSort::kUpdatedAt,
                                     core::ContactSort::kEmail, core::ContactSort::kLastName};
  for (const auto& c : cases) {
    std::vector<Contact> expected_rows;
    for (const auto& row : f.all) {
      if (c.keep(row)) expected_rows.push_back(row);
    }
    ASSERT_FALSE(expected_rows.empty()) << c.name;
    for (auto sort : sorts) {
      for (auto dir : {SortDir::kAsc, SortDir::kDesc}) {
        core::ContactQuery q;
        c.set(q);
        q.sort = sort;
        q.dir = dir;
        q.page.limit = 3;
        std::vector<Id> expected;
        switch (sort) {
          case core::ContactSort::kCreatedAt:
            expected = ExpectedOrder(
                expected_rows, [](auto& r) { return r.created_at; }, dir);
            break;
          case core::ContactSort::kUpdatedAt:
            expected = ExpectedOrder(
                expected_rows, [](auto& r) { return r.updated_at; }, dir);
            break;
          case core::ContactSort::kEmail:
            expected = ExpectedOrder(
                expected_rows, [](auto& r) { return r.email; }, dir);
            break;
          case core::ContactSort::kLastName:
            expected = ExpectedOrder(
                expected_rows, [](auto& r) { return r.last_name; }, dir);
            break;
        }
        EXPECT_EQ(WalkContacts(q), expected)
            << c.name << " sort " << ToString(sort) << (dir == SortDir::kAsc ? " asc" : " desc");
        q.page.limit = 500;
        q.page.after.reset();
        auto one = R([&](Tx& tx) { return tx.contacts().List(q); });
        ASSERT_TRUE(one);
        EXPECT_EQ(IdsOf(one->items), expected) << c.name;
        EXPECT_FALSE(one->next) << c.name;
      }
    }
  }
}

TEST_P(StoreContractTest, ContactListDefaultsToNewestFirst) {
  Id a = AddContact(NewContact("a@example.com", At(1)));
  Id b = AddContact(NewContact("b@example.com", At(3)));
  Id c = AddContact(NewContact("c@example.com", At(2)));
  auto page = R([](Tx& tx) { return tx.contacts().List(core::ContactQuery{}); });
  ASSERT_TRUE(page);
  EXPECT_EQ(IdsOf(page->items), (std::vector<Id>{b, c, a}));
  EXPECT_FALSE(page->next);
}

TEST_P(StoreContractTest, ContactListClampsTheLimit) {
  ASSERT_TRUE(W([&](Tx& tx) -> Result<void> {
    for (int i = 0; i < core::kMaxPageSize + 3; ++i) {
      auto id = tx.contacts().Insert(NewContact("bulk" + std::to_string(i) + "@example.com"));
      if (!id) return core::Fail(id.error());
    }
    return {};
  }));
  core::ContactQuery q;
  q.page.limit = 0;
  auto one = R([&](Tx& tx) { return tx.contacts().List(q); });
  ASSERT_TRUE(one);
  EXPECT_EQ(one->items.size(), 1u);
  EXPECT_TRUE(one->next);
  q.page.limit = -5;
  auto negative = R([&](Tx& tx) { return tx.contacts().List(q); });
  ASSERT_TRUE(negative);
  EXPECT_EQ(negative->items.size(), 1u);
  q.page.limit = 100'000;
  auto max = R([&](Tx& tx) { return tx.contacts().List(q); });
  ASSERT_TRUE(max);
  EXPECT_EQ(max->items.size(), static_cast<std::size_t>(core::kMaxPageSize));
  ASSERT_TRUE(max->next);
  q.page.after = max->next;
  auto rest = R([&](Tx& tx) { return tx.contacts().List(q); });
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->items.size(), 3u);
  EXPECT_FALSE(rest->next);
}

TEST_P(StoreContractTest, ContactListWithUnownedAndOwnerIsInvalid) {
  core::ContactQuery q;
  q.unowned = true;
  q.owner_id = 1;
  auto r = R([&](Tx& tx) { return tx.contacts().List(q); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreContractTest, MalformedCursorIsInvalid) {
  AddContact(NewContact("a@example.com"));
  for (const char* key : {"abc", "", "12x", "1.5", "99999999999999999999999"}) {
    core::ContactQuery q;
    q.page.after = Cursor{key, 1};
    EXPECT_ERROR(R([&](Tx& tx) { return tx.contacts().List(q); }), ErrorCode::kInvalidArgument,
                 "cursor");
  }
  core::DealQuery dq;
  dq.sort = core::DealSort::kExpectedClose;
  dq.page.after = Cursor{"2026-13-45", 1};
  EXPECT_ERROR(R([&](Tx& tx) { return tx.deals().List(dq); }), ErrorCode::kInvalidArgument,
               "cursor");
  dq.sort = core::DealSort::kAmount;
  dq.page.after = Cursor{"ten", 1};
  EXPECT_ERROR(R([&](Tx& tx) { return tx.deals().List(dq); }), ErrorCode::kInvalidArgument,
               "cursor");
  core::ActivityQuery aq;
  aq.page.after = Cursor{"yesterday", 1};
  EXPECT_ERROR(R([&](Tx& tx) { return tx.activities().List(aq); }), ErrorCode::kInvalidArgument,
               "cursor");
  core::AuditQuery uq;
  uq.page.after = Cursor{"x", 1};
  EXPECT_ERROR(R([&](Tx& tx) { return tx.audit().List(uq); }), ErrorCode::kInvalidArgument,
               "cursor");
  core::CompanyQuery cq;
  cq.sort = core::CompanySort::kCreatedAt;
  cq.page.after = Cursor{"x", 1};
  EXPECT_ERROR(R([&](Tx& tx) { return tx.companies().List(cq); }), ErrorCode::kInvalidArgument,
               "cursor");
  core::UserQuery sq;
  sq.page.after = Cursor{"x", 1};
  EXPECT_ERROR(R([&](Tx& tx) { return tx.users().List(sq); }), ErrorCode::kInvalidArgument,
               "cursor");
}

// ---------------------------------------------------------------------------------------------
// Text search

TEST_P(StoreContractTest, TextSearchMatchesPrefixesOfNamesEmailAndCompany) {
  Id acme = AddCompany("Acme Rockets", "acme.example");
  Contact zoe = NewContact("zoe.dupont@mail.example");
  zoe.first_name = "Zoë";
  zoe.last_name = "Dupont-Laurent";
  zoe.company_id = acme;
  Id z = AddContact(zoe);
  Contact bob = NewContact("bob@builder.example");
  bob.first_name = "Bob";
  bob.last_name = "O'Neil";
  Id b = AddContact(bob);

  EXPECT_EQ(SearchContacts("zo"), std::vector<Id>{z});
  EXPECT_EQ(SearchContacts("ZOE"), std::vector<Id>{z});
  EXPECT_EQ(SearchContacts("zoë"), std::vector<Id>{z});
  EXPECT_EQ(SearchContacts("laur"), std::vector<Id>{z});
  EXPECT_EQ(SearchContacts("dupont laurent"), std::vector<Id>{z});
  EXPECT_EQ(SearchContacts("mail.exam"), std::vector<Id>{z});
  EXPECT_EQ(SearchContacts("zoe.dupont@mail"), std::vector<Id>{z});
  EXPECT_EQ(SearchContacts("rock"), std::vector<Id>{z});
  EXPECT_EQ(SearchContacts("acme zoe"), std::vector<Id>{z});
  EXPECT_EQ(SearchContacts("builder"), std::vector<Id>{b});
  EXPECT_EQ(SearchContacts("o'neil"), std::vector<Id>{b});
  EXPECT_EQ(SearchContacts("b"), std::vector<Id>{b});
  EXPECT_EQ(SearchContacts("example"), (std::vector<Id>{z, b}));
  EXPECT_TRUE(SearchContacts("acme bob").empty());
  EXPECT_TRUE(SearchContacts("upont").empty());  // prefixes only
  EXPECT_TRUE(SearchContacts("nobody").empty());
}

TEST_P(StoreContractTest, TextSearchNeverTreatsTheTextAsSyntax) {
  Contact c = NewContact("x@example.com");
  c.first_name = "Near";
  Id id = AddContact(c);
  for (const char* text :
       {"@", ".", "-", "\"", "'", "*", "near(", "NEAR OR x", "x AND", "^x", "x:", "(x)",
        "'; DROP TABLE contacts;--", "{x}", "\\", "NOT near", "x -near", "  "}) {
    core::ContactQuery q;
    q.text = text;
    auto page = R([&](Tx& tx) { return tx.contacts().List(q); });
    EXPECT_TRUE(page) << text << ": " << page.error().message;
  }
  // A text without any word is no filter.
  EXPECT_EQ(SearchContacts("@ -- ."), std::vector<Id>{id});
  EXPECT_EQ(SearchContacts("NEAR OR"), std::vector<Id>{});
  EXPECT_EQ(SearchContacts("\"near\""), std::vector<Id>{id});
  EXPECT_EQ(GetContact(id)->first_name, "Near");
}

TEST_P(StoreContractTest, TextSearchFollowsContactAndCompanyChanges) {
  Id company = AddCompany("Globex", "globex.example");
  Contact c = NewContact("hank@corp.example");
  c.first_name = "Hank";
  c.last_name = "Scorpio";
  c.company_id = company;
  c.id = AddContact(c);
  EXPECT_EQ(SearchContacts("globex"), std::vector<Id>{c.id});

  Company renamed = R([&](Tx& tx) { return tx.companies().Get(company); })->value();
  renamed.name = "Initrode";
  ASSERT_TRUE(W([&](Tx& tx) { return tx.companies().Update(renamed); }));
  EXPECT_TRUE(SearchContacts("globex").empty());
  EXPECT_EQ(SearchContacts("initro"), std::vector<Id>{c.id});

  c.first_name = "Homer";
  c.email = "homer@plant.example";
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Update(c); }));
  EXPECT_TRUE(SearchContacts("hank").empty());
  EXPECT_TRUE(SearchContacts("corp").empty());
  EXPECT_EQ(SearchContacts("homer plant"), std::vector<Id>{c.id});

  c.company_id.reset();
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Update(c); }));
  EXPECT_TRUE(SearchContacts("initrode").empty());

  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Delete(c.id); }));
  EXPECT_TRUE(SearchContacts("homer").empty());
}

TEST_P(StoreContractTest, TextSearchForgetsADeletedCompany) {
  Id company = AddCompany("Globex", "globex.example");
  Contact c = NewContact("hank@corp.example");
  c.first_name = "Hank";
  c.company_id = company;
  c.id = AddContact(c);
  Contact other = NewContact("marge@corp.example");
  other.first_name = "Marge";
  other.id = AddContact(other);
  EXPECT_EQ(SearchContacts("globex hank"), std::vector<Id>{c.id});
  ASSERT_TRUE(W([&](Tx& tx) { return tx.companies().Delete(company); }));
  EXPECT_TRUE(SearchContacts("globex").empty());
  EXPECT_EQ(SearchContacts("hank"), std::vector<Id>{c.id});
  EXPECT_EQ(SearchContacts("corp"), (std::vector<Id>{c.id, other.id}));
  EXPECT_FALSE(GetContact(c.id)->company_id);
  core::CompanyQuery q;
  q.text = "globex";
  EXPECT_TRUE(WalkCompanies(q).empty());
}

// Common words (most rows) and rare words (a few rows) may be answered by different plans; the
// pages must be the same either way, combined with filters and every sort.
TEST_P(StoreContractTest, TextSearchWithCommonAndRareWordsPaginatesLikeAFullSort) {
  Id owner = AddUser("o@example.com");
  std::vector<Contact> all;
  ASSERT_TRUE(W([&](Tx& tx) -> Result<void> {
    for (int i = 0; i < 300; ++i) {
      Contact c = NewContact(
          "user" + std::to_string(i) + (i % 50 == 0 ? "@rare.example" : "@common.example"),
          At(i % 17));
      c.first_name = i % 2 ? "Anna" : "Andrew";
      c.last_name = "Name" + std::to_string(i % 9);
      c.updated_at = At(i % 11);
      c.owner_id = i % 3 == 0 ? std::optional<Id>(owner) : std::nullopt;
      auto id = tx.contacts().Insert(c);
      if (!id) return core::Fail(id.error());
      c.id = *id;
      all.push_back(c);
    }
    return {};
  }));
  struct Case {
    std::string text;
    std::function<bool(const Contact&)> keep;
  };
  std::vector<Case> cases = {
      {"common", [](const Contact& c) { return c.email.find("@common") != std::string::npos; }},
      {"rare", [](const Contact& c) { return c.email.find("@rare") != std::string::npos; }},
      {"an", [](const Contact&) { return true; }},
      {"anna", [](const Contact& c) { return c.first_name == "Anna"; }},
      {"a anna rare",
       [](const Contact& c) {
         return c.first_name == "Anna" && c.email.find("@rare") != std::string::npos;
       }},
      {"n name3", [](const Contact& c) { return c.last_name == "Name3"; }},
  };
  for (const auto& tc : cases) {
    for (bool owned : {false, true}) {
      for (auto sort : {core::ContactSort::kCreatedAt, core::ContactSort::kUpdatedAt,
                        core::ContactSort::kLastName}) {
        for (auto dir : {SortDir::kAsc, SortDir::kDesc}) {
          std::vector<Contact> rows;
          for (const auto& c : all) {
            if (tc.keep(c) && (!owned || c.owner_id == owner)) rows.push_back(c);
          }
          std::vector<Id> expected = sort == core::ContactSort::kCreatedAt
                                         ? ExpectedOrder(
                                               rows, [](auto& r) { return r.created_at; }, dir)
                                     : sort == core::ContactSort::kUpdatedAt
                                         ? ExpectedOrder(
                                               rows, [](auto& r) { return r.updated_at; }, dir)
                                         : ExpectedOrder(
                                               rows, [](auto& r) { return r.last_name; }, dir);
          core::ContactQuery q;
          q.text = tc.text;
          q.sort = sort;
          q.dir = dir;
          q.page.limit = 7;
          if (owned) q.owner_id = owner;
          EXPECT_EQ(WalkContacts(q), expected)
              << "'" << tc.text << "' owned=" << owned << " sort=" << ToString(sort);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Stage history

TEST_P(StoreContractTest, StageHistoryIsListedOldestFirst) {
  Id owner = AddUser("o@example.com");
  Id contact = AddContact(NewContact("c@example.com"));
  std::vector<core::StageChange> changes;
  core::StageChange first;
  first.contact_id = contact;
  first.to = Stage::kLead;
  first.at = At(100);
  first.actor = core::Actor::System("import");
  first.cause = "import";
  core::StageChange second = first;
  second.from = Stage::kLead;
  second.to = Stage::kRecycled;
  second.at = At(50);  // appended later, but earlier in time
  second.actor = core::Actor::User(owner, "o@example.com");
  second.cause = "manual";
  second.reason = kTricky;
  core::StageChange third = second;
  third.from = Stage::kRecycled;
  third.to = Stage::kMql;
  third.at = At(100);  // same instant as the first: id decides
  third.reason = "";
  for (auto* ch : {&first, &second, &third}) {
    auto id = W([&](Tx& tx) { return tx.stages().Append(*ch); });
    ASSERT_TRUE(id) << id.error().message;
    ch->id = *id;
  }
  auto list = R([&](Tx& tx) { return tx.stages().ListForContact(contact); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  const core::StageChange* order[] = {&second, &first, &third};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& got = (*list)[i];
    const auto& want = *order[i];
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.contact_id, want.contact_id);
    EXPECT_EQ(got.from, want.from);
    EXPECT_EQ(got.to, want.to);
    EXPECT_EQ(got.at, want.at);
    EXPECT_EQ(got.actor.user_id, want.actor.user_id);
    EXPECT_EQ(got.actor.name, want.actor.name);
    EXPECT_EQ(got.cause, want.cause);
    EXPECT_EQ(got.reason, want.reason);
  }
  core::StageChange orphan = first;
  orphan.contact_id = 4242;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.stages().Append(orphan); }), ErrorCode::kInvalidArgument,
               "contact_id");
}

// A move into mql keeps the lead's quality as written; one written without it gets it once, from
// RecordMqlQuality, and keeps it; other moves and other contacts are never touched.
TEST_P(StoreContractTest, MovesIntoMqlKeepTheQualityTheyQualifiedWith) {
  const Id a = AddContact(NewContact("a@example.com"));
  const Id b = AddContact(NewContact("b@example.com"));
  auto move = [&](Id contact, std::optional<Stage> from, Stage to, std::int64_t at,
                  std::optional<core::MqlQuality> quality) -> Id {
    core::StageChange ch;
    ch.contact_id = contact;
    ch.from = from;
    ch.to = to;
    ch.at = At(at);
    ch.cause = "manual";
    ch.quality = quality;
    auto id = W([&](Tx& tx) { return tx.stages().Append(ch); });
    EXPECT_TRUE(id) << id.error().message;
    return id ? *id : 0;
  };
  move(a, std::nullopt, Stage::kLead, 10, std::nullopt);
  move(a, Stage::kLead, Stage::kMql, 20, core::MqlQuality{core::Grade::kB, 77});
  move(a, Stage::kMql, Stage::kRecycled, 30, std::nullopt);
  move(a, Stage::kRecycled, Stage::kMql, 40, std::nullopt);  // not scored yet
  move(b, std::nullopt, Stage::kMql, 15, std::nullopt);
  ASSERT_TRUE(W([&](Tx& tx) {
    return tx.stages().RecordMqlQuality(a, core::MqlQuality{core::Grade::kD, std::nullopt});
  }));
  // A second recording changes nothing: the quality is history.
  ASSERT_TRUE(W([&](Tx& tx) {
    return tx.stages().RecordMqlQuality(a, core::MqlQuality{core::Grade::kA, 5});
  }));
  auto list = R([&](Tx& tx) { return tx.stages().ListForContact(a); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 4u);
  EXPECT_FALSE((*list)[0].quality);
  ASSERT_TRUE((*list)[1].quality);
  EXPECT_EQ((*list)[1].quality->grade, core::Grade::kB);
  EXPECT_EQ((*list)[1].quality->persona_id, std::optional<Id>(77));
  EXPECT_FALSE((*list)[2].quality);
  ASSERT_TRUE((*list)[3].quality);
  EXPECT_EQ((*list)[3].quality->grade, core::Grade::kD);
  EXPECT_EQ((*list)[3].quality->persona_id, std::nullopt);
  auto other = R([&](Tx& tx) { return tx.stages().ListForContact(b); });
  ASSERT_TRUE(other);
  ASSERT_EQ(other->size(), 1u);
  EXPECT_FALSE((*other)[0].quality);
  // Bulk appends keep it too.
  const Id c = AddContact(NewContact("c@example.com"));
  core::StageChange bulk;
  bulk.contact_id = c;
  bulk.to = Stage::kMql;
  bulk.at = At(50);
  bulk.quality = core::MqlQuality{core::Grade::kA, std::nullopt};
  ASSERT_TRUE(W([&](Tx& tx) { return tx.stages().AppendMany({bulk}); }));
  auto bulked = R([&](Tx& tx) { return tx.stages().ListForContact(c); });
  ASSERT_TRUE(bulked);
  ASSERT_EQ(bulked->size(), 1u);
  ASSERT_TRUE((*bulked)[0].quality);
  EXPECT_EQ((*bulked)[0].quality->grade, core::Grade::kA);
}

// The contacts list's reach filter follows the stage history as it is appended: the first move
// into a stage or a later one of the main path counts, recycling and disqualifying never do.
TEST_P(StoreContractTest, ContactListByReachFollowsTheStageHistory) {
  auto move = [&](Id contact, std::optional<Stage> from, Stage to, std::int64_t at) {
    core::StageChange ch;
    ch.contact_id = contact;
    ch.from = from;
    ch.to = to;
    ch.at = At(at);
    ch.cause = "manual";
    auto id = W([&](Tx& tx) { return tx.stages().Append(ch); });
    ASSERT_TRUE(id) << id.error().message;
  };
  const Id a = AddContact(NewContact("a@example.com"));
  const Id b = AddContact(NewContact("b@example.com"));
  const Id c = AddContact(NewContact("c@example.com"));
  move(a, std::nullopt, Stage::kLead, 10);
  move(a, Stage::kLead, Stage::kMql, 20);
  move(b, std::nullopt, Stage::kLead, 15);
  move(b, Stage::kLead, Stage::kSql, 500);  // skips mql: reaches it at 500
  move(c, std::nullopt, Stage::kDisqualified, 5);
  move(c, Stage::kDisqualified, Stage::kRecycled, 6);
  auto reached = [&](Stage stage, std::int64_t from, std::int64_t to,
                     std::optional<bool> converted = std::nullopt) {
    core::ContactQuery q;
    q.reached =
        core::ReachFilter{stage, At(from), At(to), converted, std::chrono::milliseconds(100)};
    q.page.limit = 1;
    auto ids = WalkContacts(q);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  EXPECT_EQ(reached(Stage::kLead, 0, 1000), (std::vector<Id>{a, b}));
  EXPECT_EQ(reached(Stage::kMql, 0, 100), std::vector<Id>{a});
  EXPECT_EQ(reached(Stage::kMql, 0, 1000), (std::vector<Id>{a, b}));
  EXPECT_EQ(reached(Stage::kSql, 0, 1000), std::vector<Id>{b});
  // lead -> mql within 100 ms: a (10 -> 20) passed, b (15 -> 500) did not.
  EXPECT_EQ(reached(Stage::kLead, 0, 1000, true), std::vector<Id>{a});
  EXPECT_EQ(reached(Stage::kLead, 0, 1000, false), std::vector<Id>{b});
  // An earlier move lowers the reach already recorded.
  move(b, Stage::kSql, Stage::kMql, 1);
  EXPECT_EQ(reached(Stage::kMql, 0, 100), (std::vector<Id>{a, b}));
  EXPECT_TRUE(reached(Stage::kCustomer, 0, 1000).empty());
}

// The period view's moves out of a stage (docs/analytics.md): forward passes the step out of
// every stage from the one left up to the one before the stage entered (from recycled: from mql
// on); dropped goes from the stage to recycled or disqualified; a contact's first stage is no
// move; a contact moving out twice is listed once.
TEST_P(StoreContractTest, ContactListByMoveOutFollowsTheStageHistory) {
  auto move = [&](Id contact, std::optional<Stage> from, Stage to, std::int64_t at) {
    core::StageChange ch;
    ch.contact_id = contact;
    ch.from = from;
    ch.to = to;
    ch.at = At(at);
    ch.cause = "manual";
    if (core::RequiresReason(to)) ch.reason = "no budget";
    auto id = W([&](Tx& tx) { return tx.stages().Append(ch); });
    ASSERT_TRUE(id) << id.error().message;
  };
  Contact ads = NewContact("b@example.com");
  ads.source = "ads";
  const Id a = AddContact(NewContact("a@example.com"));
  const Id b = AddContact(ads);
  const Id c = AddContact(NewContact("c@example.com"));
  const Id d = AddContact(NewContact("d@example.com"));
  const Id e = AddContact(NewContact("e@example.com"));
  // a: lead 10, mql 20, recycled 30 (a drop at mql), mql 40 (no step passed), sal 50.
  move(a, std::nullopt, Stage::kLead, 10);
  move(a, Stage::kLead, Stage::kMql, 20);
  move(a, Stage::kMql, Stage::kRecycled, 30);
  move(a, Stage::kRecycled, Stage::kMql, 40);
  move(a, Stage::kMql, Stage::kSal, 50);
  // b: lead 15, sql 500 (passes the lead, mql and sal steps at once).
  move(b, std::nullopt, Stage::kLead, 15);
  move(b, Stage::kLead, Stage::kSql, 500);
  // c: lead 5, disqualified 6 (a drop at lead).
  move(c, std::nullopt, Stage::kLead, 5);
  move(c, Stage::kLead, Stage::kDisqualified, 6);
  // d: visitor 1, lead 2000 (after the period).
  move(d, std::nullopt, Stage::kVisitor, 1);
  move(d, Stage::kVisitor, Stage::kLead, 2000);
  // e: lead 1, mql 2, recycled 3, sql 4 (from recycled: passes the mql and sal steps).
  move(e, std::nullopt, Stage::kLead, 1);
  move(e, Stage::kLead, Stage::kMql, 2);
  move(e, Stage::kMql, Stage::kRecycled, 3);
  move(e, Stage::kRecycled, Stage::kSql, 4);
  auto moved = [&](Stage stage, core::MoveWay way, std::int64_t from = 0, std::int64_t to = 1000,
                   std::optional<std::string> source = std::nullopt) {
    core::ContactQuery q;
    q.moved_out = core::MoveFilter{stage, way, At(from), At(to)};
    q.source = std::move(source);
    q.page.limit = 1;
    auto ids = WalkContacts(q);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  using Way = core::MoveWay;
  using V = std::vector<Id>;
  EXPECT_EQ(moved(Stage::kVisitor, Way::kAny), V{});
  EXPECT_EQ(moved(Stage::kVisitor, Way::kForward, 0, 3000), V{d});
  EXPECT_EQ(moved(Stage::kLead, Way::kForward), (V{a, b, e}));
  EXPECT_EQ(moved(Stage::kLead, Way::kDropped), V{c});
  EXPECT_EQ(moved(Stage::kLead, Way::kAny), (V{a, b, c, e}));
  EXPECT_EQ(moved(Stage::kMql, Way::kForward), (V{a, b, e}));
  EXPECT_EQ(moved(Stage::kMql, Way::kDropped), (V{a, e}));
  EXPECT_EQ(moved(Stage::kMql, Way::kAny), (V{a, b, e}));  // a moved out twice: listed once
  EXPECT_EQ(moved(Stage::kSal, Way::kForward), (V{b, e}));
  EXPECT_EQ(moved(Stage::kSal, Way::kDropped), V{});
  EXPECT_EQ(moved(Stage::kSql, Way::kAny), V{});
  // The period bounds: from inclusive, to exclusive.
  EXPECT_EQ(moved(Stage::kMql, Way::kForward, 45, 1000), (V{a, b}));
  EXPECT_EQ(moved(Stage::kMql, Way::kForward, 5, 45), V{});  // recycled -> mql passes no step
  EXPECT_EQ(moved(Stage::kMql, Way::kDropped, 30, 31), V{a});
  EXPECT_EQ(moved(Stage::kMql, Way::kDropped, 31, 1000), V{});
  EXPECT_EQ(moved(Stage::kLead, Way::kForward, 0, 500), (V{a, e}));
  // With another filter.
  EXPECT_EQ(moved(Stage::kMql, Way::kForward, 0, 1000, "ads"), V{b});

  // Bad filters name their field.
  core::ContactQuery bad;
  for (Stage s : {Stage::kCustomer, Stage::kRecycled, Stage::kDisqualified}) {
    bad.moved_out = core::MoveFilter{s, Way::kAny, At(0), At(10)};
    EXPECT_ERROR(R([&](Tx& tx) { return tx.contacts().List(bad); }), ErrorCode::kInvalidArgument,
                 "moved_out");
  }
  bad.moved_out = core::MoveFilter{Stage::kLead, Way::kAny, At(10), At(10)};
  EXPECT_ERROR(R([&](Tx& tx) { return tx.contacts().List(bad); }), ErrorCode::kInvalidArgument,
               "moved_out_to");
}

// ---------------------------------------------------------------------------------------------
// Companies

TEST_P(StoreContractTest, CompanyRoundTripsAndUpdates) {
  Id owner = AddUser("o@example.com");
  Company c;
  c.name = kTricky;
  c.domain = "acme.example";
  c.industry = "Software";
  c.employees = 0;
  c.country = "US";
  c.owner_id = owner;
  c.custom = {{"tier", "1=gold\n2=silver"}};
  c.created_at = At(7);
  c.updated_at = At(8);
  auto id = W([&](Tx& tx) { return tx.companies().Insert(c); });
  ASSERT_TRUE(id);
  c.id = *id;
  auto got = R([&](Tx& tx) { return tx.companies().Get(c.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, c);
  c.employees.reset();
  c.owner_id.reset();
  c.custom.clear();
  c.name = "Plain";
  ASSERT_TRUE(W([&](Tx& tx) { return tx.companies().Update(c); }));
  got = R([&](Tx& tx) { return tx.companies().Get(c.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, c);
  c.owner_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.companies().Insert(c); }), ErrorCode::kInvalidArgument,
               "owner_id");
}

TEST_P(StoreContractTest, CompanyListFiltersSortsAndSearches) {
  Id owner = AddUser("o@example.com");
  std::vector<Company> all;
  const char* names[] = {"Acme", "acme labs", "Beta Corp", "Émigré Foods", "Zed", "Acme"};
  const char* domains[] = {"acme.example",   "labs.example", "beta.example",
                           "emigre.example", "zed.example",  "acme2.example"};
  for (int i = 0; i < 6; ++i) {
    Company c;
    c.name = names[i];
    c.domain = domains[i];
    c.industry = i % 2 ? "Software" : "Food";
    c.country = i < 3 ? "DE" : "FR";
    c.owner_id = i % 3 == 0 ? std::optional<Id>(owner) : std::nullopt;
    c.created_at = c.updated_at = At(i % 2);
    auto id = W([&](Tx& tx) { return tx.companies().Insert(c); });
    ASSERT_TRUE(id);
    c.id = *id;
    all.push_back(c);
  }
  auto expect = [&](core::CompanyQuery q, std::function<bool(const Company&)> keep) {
    std::vector<Company> rows;
    for (const auto& c : all) {
      if (keep(c)) rows.push_back(c);
    }
    for (auto sort : {core::CompanySort::kName, core::CompanySort::kCreatedAt}) {
      for (auto dir : {SortDir::kAsc, SortDir::kDesc}) {
        q.sort = sort;
        q.dir = dir;
        q.page.limit = 2;
        auto want = sort == core::CompanySort::kName
                        ? ExpectedOrder(
                              rows, [](auto& r) { return r.name; }, dir)
                        : ExpectedOrder(
                              rows, [](auto& r) { return r.created_at; }, dir);
        EXPECT_EQ(WalkCompanies(q), want) << "text '" << q.text << "'";
      }
    }
  };
  expect({}, [](const Company&) { return true; });
  core::CompanyQuery q;
  q.industry = "Software";
  expect(q, [](const Company& c) { return c.industry == "Software"; });
  q = {};
  q.country = "FR";
  expect(q, [](const Company& c) { return c.country == "FR"; });
  q = {};
  q.owner_id = owner;
  expect(q, [&](const Company& c) { return c.owner_id == owner; });
  q = {};
  q.text = "acm";
  expect(q, [](const Company& c) { return c.name.rfind("Acme", 0) == 0 || c.name == "acme labs"; });
  q.text = "ACME LA";
  expect(q, [](const Company& c) { return c.name == "acme labs"; });
  q.text = "emig";
  expect(q, [](const Company& c) { return c.name == "Émigré Foods"; });
  q.text = "beta.exa";
  expect(q, [](const Company& c) { return c.name == "Beta Corp"; });
  q.text = "labs.example";
  expect(q, [](const Company& c) { return c.name == "acme labs"; });
  q.text = "acme";
  q.country = "DE";
  expect(q, [](const Company& c) { return c.country == "DE" && c.name != "Beta Corp"; });
}

// ---------------------------------------------------------------------------------------------
// Deals

TEST_P(StoreContractTest, DealRoundTripsWithAndWithoutOptionalFields) {
  Id owner = AddUser("o@example.com");
  Id company = AddCompany("Acme");
  Id contact = AddContact(NewContact("c@example.com"));
  Deal d;
  d.title = kTricky;
  d.contact_id = contact;
  d.company_id = company;
  d.owner_id = owner;
  d.amount_minor = 123'456'789'012;
  d.currency = "JPY";
  d.stage = DealStage::kLost;
  d.expected_close = core::ParseDate("2027-02-28");
  d.closed_at = At(999);
  d.lost_reason = "budget\nfrozen";
  d.created_at = At(1);
  d.updated_at = At(2);
  d.id = AddDeal(d);
  auto got = R([&](Tx& tx) { return tx.deals().Get(d.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, d);

  Deal bare;
  bare.title = "Bare";
  bare.created_at = bare.updated_at = kT0;
  bare.id = AddDeal(bare);
  got = R([&](Tx& tx) { return tx.deals().Get(bare.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, bare);

  d.stage = DealStage::kWon;
  d.expected_close.reset();
  d.lost_reason = "";
  ASSERT_TRUE(W([&](Tx& tx) { return tx.deals().Update(d); }));
  got = R([&](Tx& tx) { return tx.deals().Get(d.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, d);

  Deal bad = bare;
  bad.contact_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.deals().Insert(bad); }), ErrorCode::kInvalidArgument,
               "contact_id");
  bad.contact_id.reset();
  bad.company_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.deals().Insert(bad); }), ErrorCode::kInvalidArgument,
               "company_id");
  bad.company_id.reset();
  bad.owner_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.deals().Update(bad); }), ErrorCode::kInvalidArgument,
               "owner_id");
}

TEST_P(StoreContractTest, DealListFiltersAndSortsWithEmptyCloseDates) {
  Id owner = AddUser("o@example.com");
  Id company = AddCompany("Acme");
  Id contact = AddContact(NewContact("c@example.com"));
  std::vector<Deal> all;
  const char* closes[] = {"2027-01-10", "", "2026-12-31", "2027-01-10", "", "2027-03-01"};
  for (int i = 0; i < 18; ++i) {
    Deal d;
    d.title = "Deal " + std::to_string(i);
    d.stage = static_cast<DealStage>(i % 3);
    if (d.stage == DealStage::kLost) d.lost_reason = "price";
    d.owner_id = i % 2 ? std::optional<Id>(owner) : std::nullopt;
    d.contact_id = i % 4 == 0 ? std::optional<Id>(contact) : std::nullopt;
    d.company_id = i % 5 == 0 ? std::optional<Id>(company) : std::nullopt;
    d.amount_minor = (i % 4) * 1000;
    if (*closes[i % 6] != '\0') d.expected_close = core::ParseDate(closes[i % 6]);
    d.created_at = d.updated_at = At(i % 4);
    d.id = AddDeal(d);
    all.push_back(d);
  }
  auto close_key = [](const Deal& d) {
    return d.expected_close ? core::FormatDate(*d.expected_close) : std::string();
  };
  auto check = [&](core::DealQuery q, std::function<bool(const Deal&)> keep) {
    std::vector<Deal> rows;
    for (const auto& d : all) {
      if (keep(d)) rows.push_back(d);
    }
    for (auto sort :
         {core::DealSort::kCreatedAt, core::DealSort::kAmount, core::DealSort::kExpectedClose}) {
      for (auto dir : {SortDir::kAsc, SortDir::kDesc}) {
        q.sort = sort;
        q.dir = dir;
        q.page.limit = 4;
        auto want = sort == core::DealSort::kCreatedAt
                        ? ExpectedOrder(
                              rows, [](auto& r) { return r.created_at; }, dir)
                    : sort == core::DealSort::kAmount
                        ? ExpectedOrder(
                              rows, [](auto& r) { return r.amount_minor; }, dir)
                        : ExpectedOrder(rows, close_key, dir);
        EXPECT_EQ(WalkDeals(q), want) << ToString(sort);
      }
    }
  };
  check({}, [](const Deal&) { return true; });
  core::DealQuery q;
  q.stage = DealStage::kWon;
  check(q, [](const Deal& d) { return d.stage == DealStage::kWon; });
  q = {};
  q.owner_id = owner;
  check(q, [&](const Deal& d) { return d.owner_id == owner; });
  q = {};
  q.contact_id = contact;
  check(q, [&](const Deal& d) { return d.contact_id == contact; });
  q = {};
  q.company_id = company;
  check(q, [&](const Deal& d) { return d.company_id == company; });
  q = {};
  q.close_from = core::ParseDate("2027-01-01");
  check(q, [&](const Deal& d) { return d.expected_close && close_key(d) >= "2027-01-01"; });
  q = {};
  q.close_to = core::ParseDate("2027-01-10");
  check(q, [&](const Deal& d) { return d.expected_close && close_key(d) <= "2027-01-10"; });
  q.close_from = core::ParseDate("2027-01-10");
  check(q, [&](const Deal& d) { return close_key(d) == "2027-01-10"; });
}

// ---------------------------------------------------------------------------------------------
// Activities

TEST_P(StoreContractTest, ActivityRoundTripsAndChecksReferences) {
  Id owner = AddUser("o@example.com");
  Id contact = AddContact(NewContact("c@example.com"));
  Activity a;
  a.type = ActivityType::kCall;
  a.contact_id = contact;
  a.owner_id = owner;
  a.occurred_at = At(-5);
  a.subject = kTricky;
  a.outcome = "left_voicemail";
  a.body = std::string(5000, 'x') + "\nend";
  a.duration_minutes = 0;
  a.created_at = At(1);
  a.updated_at = At(2);
  a.id = AddActivity(a);
  auto got = R([&](Tx& tx) { return tx.activities().Get(a.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, a);
  a.duration_minutes.reset();
  a.type = ActivityType::kMeeting;
  ASSERT_TRUE(W([&](Tx& tx) { return tx.activities().Update(a); }));
  got = R([&](Tx& tx) { return tx.activities().Get(a.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, a);

  Activity bad = a;
  bad.owner_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.activities().Insert(bad); }), ErrorCode::kInvalidArgument,
               "owner_id");
  bad.owner_id = owner;
  bad.deal_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.activities().Insert(bad); }), ErrorCode::kInvalidArgument,
               "deal_id");
  bad.deal_id.reset();
  bad.contact_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.activities().Update(bad); }), ErrorCode::kInvalidArgument,
               "contact_id");
  bad.contact_id = contact;
  bad.id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.activities().Update(bad); }), ErrorCode::kNotFound, "");
}

TEST_P(StoreContractTest, ActivityListFiltersAndPaginates) {
  Id owner_a = AddUser("a@example.com");
  Id owner_b = AddUser("b@example.com");
  Id contact = AddContact(NewContact("c@example.com"));
  Deal d;
  d.title = "D";
  d.created_at = d.updated_at = kT0;
  Id deal = AddDeal(d);
  std::vector<Activity> all;
  for (int i = 0; i < 24; ++i) {
    Activity a;
    a.type = static_cast<ActivityType>(i % 4);
    a.contact_id = i % 3 ? std::optional<Id>(contact) : std::nullopt;
    a.deal_id = i % 3 != 1 ? std::optional<Id>(deal) : std::nullopt;
    a.owner_id = i % 2 ? owner_a : owner_b;
    a.occurred_at = At((i % 6) * 10);
    a.created_at = a.updated_at = kT0;
    a.id = AddActivity(a);
    all.push_back(a);
  }
  auto check = [&](core::ActivityQuery q, std::function<bool(const Activity&)> keep) {
    std::vector<Activity> rows;
    for (const auto& a : all) {
      if (keep(a)) rows.push_back(a);
    }
    for (auto dir : {SortDir::kAsc, SortDir::kDesc}) {
      q.dir = dir;
      q.page.limit = 5;
      EXPECT_EQ(WalkActivities(q), ExpectedOrder(
                                       rows, [](auto& r) { return r.occurred_at; }, dir));
    }
  };
  check({}, [](const Activity&) { return true; });
  core::ActivityQuery q;
  q.contact_id = contact;
  check(q, [&](const Activity& a) { return a.contact_id == contact; });
  q = {};
  q.deal_id = deal;
  check(q, [&](const Activity& a) { return a.deal_id == deal; });
  q = {};
  q.owner_id = owner_a;
  check(q, [&](const Activity& a) { return a.owner_id == owner_a; });
  q = {};
  q.type = ActivityType::kEmail;
  check(q, [](const Activity& a) { return a.type == ActivityType::kEmail; });
  q = {};
  q.from = At(10);
  q.to = At(40);
  check(q, [](const Activity& a) { return a.occurred_at >= At(10) && a.occurred_at < At(40); });
  q.owner_id = owner_b;
  q.type = ActivityType::kCall;
  check(q, [&](const Activity& a) {
    return a.occurred_at >= At(10) && a.occurred_at < At(40) && a.owner_id == owner_b &&
           a.type == ActivityType::kCall;
  });
}

TEST_P(StoreContractTest, DeletingDealKeepsContactActivitiesOnly) {
  Id owner = AddUser("o@example.com");
  Id contact = AddContact(NewContact("c@example.com"));
  Deal d;
  d.title = "D";
  d.created_at = d.updated_at = kT0;
  Id deal = AddDeal(d);
  Activity a;
  a.owner_id = owner;
  a.deal_id = deal;
  a.occurred_at = a.created_at = a.updated_at = kT0;
  Id deal_only = AddActivity(a);
  a.contact_id = contact;
  Id both = AddActivity(a);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.deals().Delete(deal); }));
  auto gone = R([&](Tx& tx) { return tx.activities().Get(deal_only); });
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
  auto kept = R([&](Tx& tx) { return tx.activities().Get(both); });
  ASSERT_TRUE(kept && *kept);
  EXPECT_FALSE((*kept)->deal_id);
  EXPECT_EQ((*kept)->contact_id, contact);
}

// ---------------------------------------------------------------------------------------------
// Users and teams

TEST_P(StoreContractTest, UserRoundTripsWithPasswordHash) {
  Team t;
  t.name = "Sales EMEA";
  t.created_at = t.updated_at = kT0;
  auto team = W([&](Tx& tx) { return tx.teams().Insert(t); });
  ASSERT_TRUE(team);
  User u;
  u.email = "ana@example.com";
  u.name = kTricky;
  u.role = core::Role::kManager;
  u.team_id = *team;
  u.active = false;
  u.created_at = At(1);
  u.updated_at = At(2);
  auto id = W([&](Tx& tx) { return tx.users().Insert(u, ""); });
  ASSERT_TRUE(id);
  u.id = *id;
  auto got = R([&](Tx& tx) { return tx.users().Get(u.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, u);
  auto by_email = R([&](Tx& tx) { return tx.users().FindByEmail("ana@example.com"); });
  ASSERT_TRUE(by_email && *by_email);
  ExpectSame(**by_email, u);
  auto none = R([&](Tx& tx) { return tx.users().FindByEmail("nobody@example.com"); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  auto hash = R([&](Tx& tx) { return tx.users().GetPasswordHash(u.id); });
  ASSERT_TRUE(hash);
  EXPECT_EQ(*hash, "");
  const std::string argon = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  ASSERT_TRUE(W([&](Tx& tx) { return tx.users().SetPasswordHash(u.id, argon); }));
  hash = R([&](Tx& tx) { return tx.users().GetPasswordHash(u.id); });
  ASSERT_TRUE(hash);
  EXPECT_EQ(*hash, argon);

  u.role = core::Role::kAdmin;
  u.team_id.reset();
  u.active = true;
  u.email = "ana.b@example.com";
  ASSERT_TRUE(W([&](Tx& tx) { return tx.users().Update(u); }));
  got = R([&](Tx& tx) { return tx.users().Get(u.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, u);
  hash = R([&](Tx& tx) { return tx.users().GetPasswordHash(u.id); });
  EXPECT_EQ(hash.value_or(""), argon);  // an update leaves the password alone

  User dup = u;
  dup.name = "Other";
  EXPECT_ERROR(W([&](Tx& tx) { return tx.users().Insert(dup, ""); }), ErrorCode::kAlreadyExists,
               "email");
  dup.email = "third@example.com";
  dup.team_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.users().Insert(dup, ""); }), ErrorCode::kInvalidArgument,
               "team_id");
}

TEST_P(StoreContractTest, UserListFiltersByIdOrder) {
  Team t;
  t.name = "T";
  t.created_at = t.updated_at = kT0;
  Id team = W([&](Tx& tx) { return tx.teams().Insert(t); }).value();
  std::vector<User> all;
  for (int i = 0; i < 9; ++i) {
    User u;
    u.email = "u" + std::to_string(i) + "@example.com";
    u.name = "U";
    u.role = static_cast<core::Role>(i % 4);
    u.team_id = i % 2 ? std::optional<Id>(team) : std::nullopt;
    u.active = i % 3 != 0;
    u.created_at = u.updated_at = kT0;
    u.id = W([&](Tx& tx) { return tx.users().Insert(u, ""); }).value();
    all.push_back(u);
  }
  auto check = [&](core::UserQuery q, std::function<bool(const User&)> keep) {
    std::vector<Id> want;
    for (const auto& u : all) {
      if (keep(u)) want.push_back(u.id);
    }
    std::vector<Id> got;
    q.page.limit = 2;
    for (int i = 0; i < 100; ++i) {
      auto page = R([&](Tx& tx) { return tx.users().List(q); });
      ASSERT_TRUE(page);
      for (const auto& u : page->items) got.push_back(u.id);
      if (!page->next) break;
      q.page.after = page->next;
    }
    EXPECT_EQ(got, want);
  };
  check({}, [](const User&) { return true; });
  core::UserQuery q;
  q.role = core::Role::kSales;
  check(q, [](const User& u) { return u.role == core::Role::kSales; });
  q = {};
  q.team_id = team;
  check(q, [&](const User& u) { return u.team_id == team; });
  q = {};
  q.active = false;
  check(q, [](const User& u) { return !u.active; });
  q.active = true;
  q.team_id = team;
  check(q, [&](const User& u) { return u.active && u.team_id == team; });
}

TEST_P(StoreContractTest, TeamsRoundTripListByNameAndReleaseMembersOnDelete) {
  Id manager = AddUser("m@example.com", core::Role::kManager);
  Team t;
  t.name = "Zeta";
  t.function = core::TeamFunction::kRevenue;
  t.manager_id = manager;
  t.region = "North America";
  t.created_at = At(1);
  t.updated_at = At(2);
  t.id = W([&](Tx& tx) { return tx.teams().Insert(t); }).value();
  Team a = t;
  a.name = "Alpha";
  a.manager_id.reset();
  a.function = core::TeamFunction::kMarketing;
  a.id = W([&](Tx& tx) { return tx.teams().Insert(a); }).value();
  Team a2 = a;
  a2.region = kTricky;
  a2.id = W([&](Tx& tx) { return tx.teams().Insert(a2); }).value();

  auto got = R([&](Tx& tx) { return tx.teams().Get(t.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, t);
  auto list = R([](Tx& tx) { return tx.teams().List(); });
  ASSERT_TRUE(list);
  EXPECT_EQ(IdsOf(*list), (std::vector<Id>{a.id, a2.id, t.id}));
  ExpectSame((*list)[1], a2);

  t.name = "Eta";
  t.manager_id.reset();
  ASSERT_TRUE(W([&](Tx& tx) { return tx.teams().Update(t); }));
  got = R([&](Tx& tx) { return tx.teams().Get(t.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, t);
  t.manager_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.teams().Update(t); }), ErrorCode::kInvalidArgument,
               "manager_id");

  Id member = AddUser("member@example.com", core::Role::kSales, a.id);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.teams().Delete(a.id); }));
  auto user = R([&](Tx& tx) { return tx.users().Get(member); });
  ASSERT_TRUE(user && *user);
  EXPECT_FALSE((*user)->team_id);
  auto gone = R([&](Tx& tx) { return tx.teams().Get(a.id); });
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
}

// ---------------------------------------------------------------------------------------------
// Audit log

TEST_P(StoreContractTest, AuditRoundTripsAndListsNewestFirstWithFilters) {
  std::vector<AuditEntry> all;
  for (int i = 0; i < 12; ++i) {
    AuditEntry e;
    e.at = At((i % 4) * 100);  // ties: id decides
    e.actor = i % 3 ? core::Actor::User(i % 2 + 1, "u@example.com") : core::Actor::System("demo");
    e.entity = i % 2 ? "contact" : "deal";
    e.entity_id = i % 3;
    e.action = static_cast<AuditAction>(i % 8);
    if (i % 4 != 3) {
      e.changes = {{"email", "", "a@b.co"}, {"custom.k=v", kTricky, ""}, {"note", "x\ny", "é"}};
    }
    e.id = W([&](Tx& tx) { return tx.audit().Append(e); }).value();
    all.push_back(e);
  }
  auto check = [&](core::AuditQuery q, std::function<bool(const AuditEntry&)> keep) {
    std::vector<AuditEntry> rows;
    for (const auto& e : all) {
      if (keep(e)) rows.push_back(e);
    }
    auto want = ExpectedOrder(
        rows, [](auto& r) { return r.at; }, SortDir::kDesc);
    q.page.limit = 3;
    auto got = WalkAudit(q);
    EXPECT_EQ(IdsOf(got), want);
    for (const auto& g : got) {
      const auto& e = *std::find_if(all.begin(), all.end(), [&](auto& x) { return x.id == g.id; });
      EXPECT_EQ(g.at, e.at);
      EXPECT_EQ(g.actor.user_id, e.actor.user_id);
      EXPECT_EQ(g.actor.name, e.actor.name);
      EXPECT_EQ(g.entity, e.entity);
      EXPECT_EQ(g.entity_id, e.entity_id);
      EXPECT_EQ(g.action, e.action);
      EXPECT_EQ(g.changes, e.changes);
    }
  };
  check({}, [](const AuditEntry&) { return true; });
  core::AuditQuery q;
  q.entity = "contact";
  check(q, [](const AuditEntry& e) { return e.entity == "contact"; });
  q.entity_id = 2;
  check(q, [](const AuditEntry& e) { return e.entity == "contact" && e.entity_id == 2; });
  q = {};
  q.entity_id = 1;
  check(q, [](const AuditEntry& e) { return e.entity_id == 1; });
  q = {};
  q.actor_user_id = 2;
  check(q, [](const AuditEntry& e) { return e.actor.user_id == 2; });
}

// ---------------------------------------------------------------------------------------------
// Sessions and API keys

TEST_P(StoreContractTest, SessionsInsertFindDeleteAndExpire) {
  Id ann = AddUser("ann@example.com");
  Id bob = AddUser("bob@example.com");
  auto session = [](std::string hash, Id user, Instant expires) {
    core::Session s;
    s.token_hash = std::move(hash);
    s.user_id = user;
    s.kind = core::SessionKind::kCookie;
    s.csrf_token = "csrf-" + s.token_hash;
    s.created_at = kT0;
    s.expires_at = expires;
    return s;
  };
  for (const auto& s : {session("h1", ann, At(100)), session("h2", ann, At(200)),
                        session("h3", bob, At(300)), session("h4", bob, At(50))}) {
    ASSERT_TRUE(W([&](Tx& tx) { return tx.auth().InsertSession(s); }));
  }
  auto found = R([](Tx& tx) { return tx.auth().FindSession("h2"); });
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->user_id, ann);
  EXPECT_EQ((*found)->kind, core::SessionKind::kCookie);
  EXPECT_EQ((*found)->csrf_token, "csrf-h2");
  EXPECT_EQ((*found)->created_at, kT0);
  EXPECT_EQ((*found)->expires_at, At(200));

  EXPECT_ERROR(W([&](Tx& tx) { return tx.auth().InsertSession(session("h1", bob, At(1))); }),
               ErrorCode::kAlreadyExists, "token_hash");
  EXPECT_ERROR(W([&](Tx& tx) { return tx.auth().InsertSession(session("h9", 999, At(1))); }),
               ErrorCode::kInvalidArgument, "user_id");

  auto purged = W([](Tx& tx) { return tx.auth().DeleteSessionsExpiredBefore(At(100)); });
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);  // h4; h1 expires exactly at 100 and stays
  auto h1 = R([](Tx& tx) { return tx.auth().FindSession("h1"); });
  ASSERT_TRUE(h1);
  EXPECT_TRUE(*h1);

  ASSERT_TRUE(W([](Tx& tx) { return tx.auth().DeleteSession("h1"); }));
  ASSERT_TRUE(W([](Tx& tx) { return tx.auth().DeleteSession("never-existed"); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.auth().DeleteSessionsOfUser(ann); }));
  for (const char* h : {"h1", "h2", "h4"}) {
    auto s = R([&](Tx& tx) { return tx.auth().FindSession(h); });
    ASSERT_TRUE(s);
    EXPECT_FALSE(*s) << h;
  }
  auto h3 = R([](Tx& tx) { return tx.auth().FindSession("h3"); });
  ASSERT_TRUE(h3 && *h3);
  EXPECT_EQ((*h3)->kind, core::SessionKind::kCookie);
}

TEST_P(StoreContractTest, ApiKeysInsertFindListAndRevoke) {
  Id user = AddUser("k@example.com", core::Role::kAdmin);
  core::ApiKey k;
  k.name = kTricky;
  k.user_id = user;
  k.prefix = "tdm_ab12";
  k.scopes = {core::Scope::kRead, core::Scope::kIngest};
  k.created_at = At(5);
  k.id = W([&](Tx& tx) { return tx.auth().InsertApiKey(k, "secret-hash-1"); }).value();
  core::ApiKey k2 = k;
  k2.name = "second";
  k2.scopes = {core::Scope::kAdmin};
  k2.id = W([&](Tx& tx) { return tx.auth().InsertApiKey(k2, "secret-hash-2"); }).value();
  EXPECT_GT(k2.id, k.id);

  auto found = R([](Tx& tx) { return tx.auth().FindApiKeyBySecretHash("secret-hash-1"); });
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, k.id);
  EXPECT_EQ((*found)->name, k.name);
  EXPECT_EQ((*found)->user_id, user);
  EXPECT_EQ((*found)->prefix, "tdm_ab12");
  EXPECT_EQ((*found)->scopes, k.scopes);
  EXPECT_EQ((*found)->created_at, At(5));
  EXPECT_FALSE((*found)->revoked_at);
  auto missing = R([](Tx& tx) { return tx.auth().FindApiKeyBySecretHash("nope"); });
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);

  EXPECT_ERROR(W([&](Tx& tx) { return tx.auth().InsertApiKey(k, "secret-hash-1"); }),
               ErrorCode::kAlreadyExists, "secret_hash");
  core::ApiKey orphan = k;
  orphan.user_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.auth().InsertApiKey(orphan, "secret-hash-3"); }),
               ErrorCode::kInvalidArgument, "user_id");

  ASSERT_TRUE(W([&](Tx& tx) { return tx.auth().RevokeApiKey(k.id, At(10)); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.auth().RevokeApiKey(k.id, At(20)); }));
  auto got = R([&](Tx& tx) { return tx.auth().GetApiKey(k.id); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->revoked_at, At(10));
  auto none = R([](Tx& tx) { return tx.auth().GetApiKey(999); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  auto list = R([](Tx& tx) { return tx.auth().ListApiKeys(); });
  ASSERT_TRUE(list);
  EXPECT_EQ(IdsOf(*list), (std::vector<Id>{k.id, k2.id}));
  EXPECT_EQ((*list)[1].scopes, k2.scopes);
  EXPECT_FALSE((*list)[1].revoked_at);
}

// ---------------------------------------------------------------------------------------------
// Transactions

// ---------------------------------------------------------------------------------------------
// Bulk paths and import jobs

TEST_P(StoreContractTest, InsertManyWritesIdsSearchRowsAndCounts) {
  Id owner = AddUser("owner@example.com");
  Id acme = AddCompany("Acme Rockets");
  std::vector<Contact> batch;
  for (int i = 0; i < 5; ++i) {
    Contact c = NewContact("bulk" + std::to_string(i) + "@example.com", At(i));
    c.owner_id = owner;
    if (i % 2 == 0) c.company_id = acme;
    c.last_name = i == 3 ? kTricky : "Bulkington";
    batch.push_back(c);
  }
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().InsertMany(batch); }));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    EXPECT_GT(batch[i].id, i ? batch[i - 1].id : 0);
    auto got = GetContact(batch[i].id);
    ASSERT_TRUE(got);
    ExpectSame(*got, batch[i]);
  }
  EXPECT_EQ(*R([](Tx& tx) { return tx.contacts().CountAll(); }), 5);
  EXPECT_EQ(SearchContacts("bulkington").size(), 4u);
  EXPECT_EQ(SearchContacts("rockets").size(), 3u);

  auto found = R([](Tx& tx) {
    return tx.contacts().FindByEmails(
        {"bulk4@example.com", "nobody@example.com", "bulk1@example.com"});
  });
  ASSERT_TRUE(found);
  std::set<std::string> emails;
  for (const auto& c : *found) emails.insert(c.email);
  EXPECT_EQ(emails, (std::set<std::string>{"bulk1@example.com", "bulk4@example.com"}));
}

TEST_P(StoreContractTest, InsertManyChecksReferencesAndUniqueEmails) {
  std::vector<Contact> bad_owner = {NewContact("x1@example.com")};
  bad_owner[0].owner_id = 777;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.contacts().InsertMany(bad_owner); }),
               ErrorCode::kInvalidArgument, "owner_id");
  std::vector<Contact> bad_company = {NewContact("x2@example.com")};
  bad_company[0].company_id = 778;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.contacts().InsertMany(bad_company); }),
               ErrorCode::kInvalidArgument, "company_id");
  AddContact(NewContact("taken@example.com"));
  std::vector<Contact> dup = {NewContact("fresh@example.com"), NewContact("taken@example.com")};
  EXPECT_ERROR(W([&](Tx& tx) { return tx.contacts().InsertMany(dup); }), ErrorCode::kAlreadyExists,
               "email");
  // The failed transaction left nothing behind.
  EXPECT_EQ(*R([](Tx& tx) { return tx.contacts().CountAll(); }), 1);
  auto none = R([](Tx& tx) { return tx.contacts().FindByEmails({"fresh@example.com"}); });
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreContractTest, AppendManyKeepsOrderAndChecksContacts) {
  Id a = AddContact(NewContact("a@example.com"));
  Id b = AddContact(NewContact("b@example.com"));
  std::vector<core::StageChange> changes;
  for (auto [contact, from, to, at] :
       {std::tuple{a, std::optional<Stage>(), Stage::kLead, At(1)},
        std::tuple{a, std::optional<Stage>(Stage::kLead), Stage::kMql, At(2)},
        std::tuple{b, std::optional<Stage>(), Stage::kCustomer, At(3)}}) {
    core::StageChange ch;
    ch.contact_id = contact;
    ch.from = from;
    ch.to = to;
    ch.at = at;
    ch.actor = core::Actor::System("import");
    ch.cause = "import";
    changes.push_back(ch);
  }
  ASSERT_TRUE(W([&](Tx& tx) { return tx.stages().AppendMany(changes); }));
  auto list_a = R([&](Tx& tx) { return tx.stages().ListForContact(a); });
  ASSERT_TRUE(list_a);
  ASSERT_EQ(list_a->size(), 2u);
  EXPECT_EQ((*list_a)[1].to, Stage::kMql);
  EXPECT_EQ((*list_a)[1].from, Stage::kLead);
  EXPECT_EQ((*list_a)[1].cause, "import");
  changes[2].contact_id = 9999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.stages().AppendMany(changes); }),
               ErrorCode::kInvalidArgument, "contact_id");
  EXPECT_EQ(R([&](Tx& tx) { return tx.stages().ListForContact(a); })->size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Bulk mode (Store::WriteBulk)

namespace bulk {

inline core::StageChange Move(Id contact, std::optional<Stage> from, Stage to, Instant at) {
  core::StageChange ch;
  ch.contact_id = contact;
  ch.from = from;
  ch.to = to;
  ch.at = at;
  ch.actor = core::Actor::System("import");
  ch.cause = "import";
  return ch;
}

inline core::ContactQuery Reached(Stage stage) {
  core::ContactQuery q;
  core::ReachFilter f;
  f.stage = stage;
  f.from = At(-1'000'000);
  f.to = At(1'000'000);
  q.reached = f;
  q.page.limit = 100;
  return q;
}

}  // namespace bulk

TEST_P(StoreContractTest, WriteBulkWritesStepsAndBuildsSearchListsAndReachAtTheEnd) {
  Id owner = AddUser("owner@example.com");
  Id acme = AddCompany("Acme Rockets");
  Contact old = NewContact("old@example.com", At(0));
  old.last_name = "Oldfield";
  old.id = AddContact(old);
  ASSERT_TRUE(W([&](Tx& tx) {
    return tx.stages().AppendMany({bulk::Move(old.id, std::nullopt, Stage::kLead, At(0))});
  }));

  std::vector<Contact> first;
  Contact failed_one;
  BulkStore* bulk_store = BulkOf(*store_);
  if (bulk_store == nullptr) GTEST_SKIP() << "this backend has no bulk mode";
  auto done = bulk_store->WriteBulk([&](const BulkStore::StepFn& step) -> Result<void> {
    // A step that writes new contacts with their history.
    TANDEM_TRY(step([&](Tx& tx) -> Result<void> {
      for (int i = 0; i < 3; ++i) {
        Contact c = NewContact("bulk" + std::to_string(i) + "@example.com", At(10 + i));
        c.last_name = "Bulkington";
        c.owner_id = owner;
        if (i != 1) c.company_id = acme;
        c.stage = i == 2 ? Stage::kMql : Stage::kLead;
        first.push_back(c);
      }
      TANDEM_TRY(tx.contacts().InsertMany(first));
      return tx.stages().AppendMany({bulk::Move(first[0].id, std::nullopt, Stage::kLead, At(10)),
                                     bulk::Move(first[1].id, std::nullopt, Stage::kLead, At(11)),
                                     bulk::Move(first[2].id, std::nullopt, Stage::kLead, At(12)),
                                     bulk::Move(first[2].id, Stage::kLead, Stage::kMql, At(20))});
    }));
    // A step that fails is undone alone, and says why.
    auto failed = step([&](Tx& tx) -> Result<void> {
      std::vector<Contact> more = {NewContact("undone@example.com"),
                                   NewContact("bulk0@example.com")};
      failed_one = more[0];
      return tx.contacts().InsertMany(more);
    });
    EXPECT_FALSE(failed);
    if (failed) return {};
    EXPECT_EQ(failed.error().code, ErrorCode::kAlreadyExists);
    // Updating a stored contact and moving it on; FindByEmails sees the rows written so far.
    return step([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(auto found,
                    tx.contacts().FindByEmails({"bulk1@example.com", "undone@example.com"}));
      EXPECT_EQ(found.size(), 1u);
      old.first_name = "Renamed";
      old.stage = Stage::kMql;
      old.stage_entered_at = At(30);
      TANDEM_TRY(tx.contacts().Update(old));
      return tx.stages().AppendMany({bulk::Move(old.id, Stage::kLead, Stage::kMql, At(30))});
    });
  });
  ASSERT_TRUE(done) << done.error().message;

  EXPECT_EQ(*R([](Tx& tx) { return tx.contacts().CountAll(); }), 4);
  auto undone = R([](Tx& tx) { return tx.contacts().FindByEmail("undone@example.com"); });
  ASSERT_TRUE(undone);
  EXPECT_FALSE(*undone);
  for (const Contact& c : first) {
    auto got = GetContact(c.id);
    ASSERT_TRUE(got);
    ExpectSame(*got, c);
  }
  // Search rows of the new contacts, with their company; the updated one's follows its name.
  EXPECT_EQ(SearchContacts("bulkington"), (std::vector<Id>{first[0].id, first[1].id, first[2].id}));
  EXPECT_EQ(SearchContacts("rockets"), (std::vector<Id>{first[0].id, first[2].id}));
  EXPECT_EQ(SearchContacts("renamed"), (std::vector<Id>{old.id}));
  // Lists by filter and sort walk the rebuilt indexes.
  core::ContactQuery by_stage;
  by_stage.stage = Stage::kMql;
  auto mql = WalkContacts(by_stage);
  std::sort(mql.begin(), mql.end());
  EXPECT_EQ(mql, (std::vector<Id>{old.id, first[2].id}));
  core::ContactQuery by_owner;
  by_owner.owner_id = owner;
  by_owner.sort = core::ContactSort::kLastName;
  EXPECT_EQ(WalkContacts(by_owner).size(), 3u);
  // The funnel's reach rows: new contacts and the stored one's new move.
  auto reached = WalkContacts(bulk::Reached(Stage::kMql));
  std::sort(reached.begin(), reached.end());
  EXPECT_EQ(reached, (std::vector<Id>{old.id, first[2].id}));
  EXPECT_EQ(WalkContacts(bulk::Reached(Stage::kLead)).size(), 4u);
  auto history = R([&](Tx& tx) { return tx.stages().ListForContact(first[2].id); });
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].to, Stage::kMql);

  // Afterwards ordinary writes keep search rows and reach rows again.
  Contact later = NewContact("later@example.com", At(40));
  later.last_name = "Latecomer";
  later.id = AddContact(later);
  ASSERT_TRUE(W([&](Tx& tx) {
    return tx.stages().AppendMany({bulk::Move(later.id, std::nullopt, Stage::kMql, At(40))});
  }));
  EXPECT_EQ(SearchContacts("latecomer"), (std::vector<Id>{later.id}));
  EXPECT_EQ(WalkContacts(bulk::Reached(Stage::kMql)).size(), 3u);
}

TEST_P(StoreContractTest, WriteBulkThatFailsLeavesNothingAndTheStoreWhole) {
  AddContact(NewContact("kept@example.com"));
  BulkStore* bulk_store = BulkOf(*store_);
  if (bulk_store == nullptr) GTEST_SKIP() << "this backend has no bulk mode";
  auto failed = bulk_store->WriteBulk([&](const BulkStore::StepFn& step) -> Result<void> {
    TANDEM_TRY(step([&](Tx& tx) -> Result<void> {
      std::vector<Contact> some = {NewContact("gone@example.com")};
      return tx.contacts().InsertMany(some);
    }));
    return core::Fail(core::Error::Invalid("file", "the file went away"));
  });
  EXPECT_ERROR(failed, ErrorCode::kInvalidArgument, "file");
  EXPECT_EQ(*R([](Tx& tx) { return tx.contacts().CountAll(); }), 1);
  auto gone = R([](Tx& tx) { return tx.contacts().FindByEmail("gone@example.com"); });
  ASSERT_TRUE(gone);
  EXPECT_FALSE(*gone);
  // Indexes, search and reach are as before: a new contact is found through each.
  Contact after = NewContact("after@example.com");
  after.last_name = "Afterwards";
  after.stage = Stage::kSal;
  after.id = AddContact(after);
  ASSERT_TRUE(W([&](Tx& tx) {
    return tx.stages().AppendMany({bulk::Move(after.id, std::nullopt, Stage::kSal, At(5))});
  }));
  EXPECT_EQ(SearchContacts("afterwards"), (std::vector<Id>{after.id}));
  core::ContactQuery sal;
  sal.stage = Stage::kSal;
  EXPECT_EQ(WalkContacts(sal), (std::vector<Id>{after.id}));
  EXPECT_EQ(WalkContacts(bulk::Reached(Stage::kSal)), (std::vector<Id>{after.id}));
}

TEST_P(StoreContractTest, CompanyFindByNameIsExactAndTakesTheFirst) {
  Id first = AddCompany("Globex");
  AddCompany("Globex");
  AddCompany("globex inc");
  auto got = R([](Tx& tx) { return tx.companies().FindByName("Globex"); });
  ASSERT_TRUE(got);
  ASSERT_TRUE(*got);
  EXPECT_EQ((*got)->id, first);
  auto none = R([](Tx& tx) { return tx.companies().FindByName("GLOBEX"); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(StoreContractTest, ImportJobsRoundTripAndKeepIssuesInOrder) {
  core::imports::ImportJob job;
  job.file_name = kTricky;
  job.preset = "hubspot";
  job.dry_run = true;
  job.created_by = 42;
  job.bytes_total = 1000;
  job.created_at = At(0);
  auto id = W([&](Tx& tx) { return tx.imports().InsertJob(job); });
  ASSERT_TRUE(id);
  job.id = *id;
  job.status = core::imports::JobStatus::kSucceeded;
  job.bytes_done = 1000;
  job.counts = {10, 4, 3, 1, 2, 3, 1};
  job.message = "done";
  job.started_at = At(5);
  job.finished_at = At(9);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.imports().UpdateJob(job); }));
  auto got = R([&](Tx& tx) { return tx.imports().GetJob(job.id); });
  ASSERT_TRUE(got);
  ASSERT_TRUE(*got);
  const auto& j = **got;
  EXPECT_EQ(j.status, core::imports::JobStatus::kSucceeded);
  EXPECT_EQ(j.file_name, kTricky);
  EXPECT_EQ(j.preset, "hubspot");
  EXPECT_TRUE(j.dry_run);
  EXPECT_EQ(j.created_by, 42);
  EXPECT_EQ(j.bytes_done, 1000);
  EXPECT_EQ(j.counts.rows, 10);
  EXPECT_EQ(j.counts.created, 4);
  EXPECT_EQ(j.counts.updated, 3);
  EXPECT_EQ(j.counts.unchanged, 1);
  EXPECT_EQ(j.counts.skipped, 2);
  EXPECT_EQ(j.counts.errors, 3);
  EXPECT_EQ(j.counts.warnings, 1);
  EXPECT_EQ(j.message, "done");
  EXPECT_EQ(j.created_at, At(0));
  EXPECT_EQ(j.started_at, At(5));
  EXPECT_EQ(j.finished_at, At(9));

  std::vector<core::imports::ImportIssue> first = {{2, 2, "Email", false, "email is required"},
                                                   {5, 6, "", true, kTricky}};
  std::vector<core::imports::ImportIssue> second = {{9, 11, "Create Date", false, "not a date"}};
  ASSERT_TRUE(W([&](Tx& tx) { return tx.imports().AppendIssues(job.id, first); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.imports().AppendIssues(job.id, second); }));
  auto issues = R([&](Tx& tx) { return tx.imports().ListIssues(job.id, 0, 10); });
  ASSERT_TRUE(issues);
  ASSERT_EQ(issues->size(), 3u);
  EXPECT_EQ((*issues)[1].row, 5);
  EXPECT_EQ((*issues)[1].line, 6);
  EXPECT_TRUE((*issues)[1].warning);
  EXPECT_EQ((*issues)[1].reason, kTricky);
  EXPECT_EQ((*issues)[2].column, "Create Date");
  auto page = R([&](Tx& tx) { return tx.imports().ListIssues(job.id, 2, 10); });
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].row, 9);

  EXPECT_FALSE(*R([](Tx& tx) { return tx.imports().GetJob(12345); }));
  core::imports::ImportJob ghost = job;
  ghost.id = 12345;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.imports().UpdateJob(ghost); }), ErrorCode::kNotFound, "");
  EXPECT_ERROR(W([&](Tx& tx) { return tx.imports().AppendIssues(12345, first); }),
               ErrorCode::kInvalidArgument, "job_id");
}

TEST_P(StoreContractTest, UnfinishedImportJobsAreFailedAndFinishedOnesKept) {
  auto insert = [&](core::imports::JobStatus status) {
    core::imports::ImportJob job;
    job.status = status;
    job.file_name = "f.csv";
    job.created_at = At(0);
    auto id = W([&](Tx& tx) { return tx.imports().InsertJob(job); });
    EXPECT_TRUE(id);
    return id ? *id : 0;
  };
  const auto queued = insert(core::imports::JobStatus::kQueued);
  const auto running = insert(core::imports::JobStatus::kRunning);
  const auto done = insert(core::imports::JobStatus::kSucceeded);
  const auto failed = insert(core::imports::JobStatus::kFailed);
  auto n = W([&](Tx& tx) { return tx.imports().FailUnfinishedJobs(At(60), "interrupted"); });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
  for (auto id : {queued, running}) {
    auto got = R([&](Tx& tx) { return tx.imports().GetJob(id); });
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*got)->status, core::imports::JobStatus::kFailed);
    EXPECT_EQ((*got)->message, "interrupted");
    EXPECT_EQ((*got)->finished_at, At(60));
  }
  auto kept = R([&](Tx& tx) { return tx.imports().GetJob(done); });
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((*kept)->status, core::imports::JobStatus::kSucceeded);
  EXPECT_FALSE((*kept)->finished_at);
  kept = R([&](Tx& tx) { return tx.imports().GetJob(failed); });
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((*kept)->message, "");
  n = W([&](Tx& tx) { return tx.imports().FailUnfinishedJobs(At(90), "again"); });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0);
}

TEST_P(StoreContractTest, WriteRollsBackWhenTheFunctionFails) {
  auto r = store_->Write([](Tx& tx) -> Result<void> {
    auto id = tx.contacts().Insert(NewContact("rolled@example.com"));
    if (!id) return core::Fail(id.error());
    auto dup = tx.contacts().Insert(NewContact("rolled@example.com"));
    if (!dup) return core::Fail(dup.error());
    return {};
  });
  EXPECT_ERROR(r, ErrorCode::kAlreadyExists, "email");
  auto found = R([](Tx& tx) { return tx.contacts().FindByEmail("rolled@example.com"); });
  ASSERT_TRUE(found);
  EXPECT_FALSE(*found);
  auto count = R([](Tx& tx) { return tx.contacts().CountAll(); });
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 0);

  auto refused = store_->Write([](Tx& tx) -> Result<void> {
    auto id = tx.contacts().Insert(NewContact("refused@example.com"));
    if (!id) return core::Fail(id.error());
    return core::Fail(core::Error::Precondition("changed my mind"));
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(*R([](Tx& tx) { return tx.contacts().FindByEmail("refused@example.com"); }));
}

TEST_P(StoreContractTest, WriteRollsBackAndRethrowsOnException) {
  EXPECT_THROW((void)store_->Write([](Tx& tx) -> Result<void> {
    (void)tx.contacts().Insert(NewContact("thrown@example.com"));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_FALSE(*R([](Tx& tx) { return tx.contacts().FindByEmail("thrown@example.com"); }));
  // The store is still usable afterwards.
  EXPECT_GT(AddContact(NewContact("after@example.com")), 0);
  EXPECT_THROW((void)store_->Read([](Tx&) -> Result<void> { throw std::runtime_error("boom"); }),
               std::runtime_error);
  EXPECT_TRUE(*R([](Tx& tx) { return tx.contacts().FindByEmail("after@example.com"); }));
}

TEST_P(StoreContractTest, ReadTransactionCannotWrite) {
  AddContact(NewContact("existing@example.com"));
  auto r = store_->Read([](Tx& tx) -> Result<void> {
    auto id = tx.contacts().Insert(NewContact("sneaky@example.com"));
    if (!id) return core::Fail(id.error());
    return {};
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  auto del = store_->Read([](Tx& tx) -> Result<void> { return tx.auth().DeleteSession("x"); });
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(*R([](Tx& tx) { return tx.contacts().FindByEmail("sneaky@example.com"); }));
}

TEST_P(StoreContractTest, ReadSeesEverythingCommittedBefore) {
  Id id = AddContact(NewContact("seen@example.com"));
  auto both = R([&](Tx& tx) -> Result<std::pair<std::int64_t, bool>> {
    auto count = tx.contacts().CountAll();
    if (!count) return core::Fail(count.error());
    auto got = tx.contacts().Get(id);
    if (!got) return core::Fail(got.error());
    return std::make_pair(*count, got->has_value());
  });
  ASSERT_TRUE(both);
  EXPECT_EQ(both->first, 1);
  EXPECT_TRUE(both->second);
}

// ---------------------------------------------------------------------------------------------
// Events and identities

inline core::Event NewEvent(const std::string& event_id, Instant at,
                            std::optional<Id> contact = std::nullopt,
                            const std::string& anonymous_id = "") {
  core::Event e;
  e.event_id = event_id;
  e.type = "page_view";
  e.occurred_at = at;
  e.received_at = at + std::chrono::milliseconds(7);
  e.contact_id = contact;
  e.email = contact ? "c@example.com" : "";
  e.anonymous_id = anonymous_id;
  e.utm_source = kTricky;
  e.utm_medium = "cpc";
  e.utm_campaign = "spring";
  e.properties = R"({"url":"https://acme.example/pricing","n":3})";
  return e;
}

inline void ExpectSame(const core::Event& a, const core::Event& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.event_id, b.event_id);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.occurred_at, b.occurred_at);
  EXPECT_EQ(a.received_at, b.received_at);
  EXPECT_EQ(a.contact_id, b.contact_id);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.anonymous_id, b.anonymous_id);
  EXPECT_EQ(a.utm_source, b.utm_source);
  EXPECT_EQ(a.utm_medium, b.utm_medium);
  EXPECT_EQ(a.utm_campaign, b.utm_campaign);
  EXPECT_EQ(a.properties, b.properties);
}

TEST_P(StoreContractTest, EventRoundTripsAndAReplayIsStoredOnce) {
  Id contact = AddContact(NewContact("c@example.com"));
  core::Event e = NewEvent("6f1c2b4e-0d1a-4a7e-9a51-1f0f5b0a9e11", At(10), contact);
  auto id = W([&](Tx& tx) { return tx.events().Append(e); });
  ASSERT_TRUE(id) << id.error().message;
  ASSERT_TRUE(*id);
  e.id = **id;
  auto got = R([&](Tx& tx) { return tx.events().Get(e.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, e);

  // The same event again: nothing stored, nothing failed.
  core::Event replay = e;
  replay.received_at = At(99);
  auto again = W([&](Tx& tx) { return tx.events().Append(replay); });
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);
  EXPECT_EQ(*R([&](Tx& tx) { return tx.events().CountForContact(contact); }), 1);
  // The same id at another instant is another event (the key is occurred_at and event_id).
  core::Event later = e;
  later.occurred_at = At(11);
  auto other = W([&](Tx& tx) { return tx.events().Append(later); });
  ASSERT_TRUE(other && *other);
  EXPECT_EQ(*R([&](Tx& tx) { return tx.events().CountForContact(contact); }), 2);

  EXPECT_FALSE(*R([&](Tx& tx) { return tx.events().Get(9999); }));
  EXPECT_ERROR(W([&](Tx& tx) { return tx.events().SetContact(9999, contact); }),
               ErrorCode::kNotFound, "");
  core::Event anonymous = NewEvent("anon", At(3), std::nullopt, "v-1");
  auto anon_id = W([&](Tx& tx) { return tx.events().Append(anonymous); });
  ASSERT_TRUE(anon_id && *anon_id);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.events().SetContact(**anon_id, contact); }));
  EXPECT_EQ(*R([&](Tx& tx) { return tx.events().CountForContact(contact); }), 3);
  core::Event orphan = NewEvent("orphan", At(1), Id{4242});
  auto bad = W([&](Tx& tx) { return tx.events().Append(orphan); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreContractTest, EventsOfAContactAreListedNewestFirst) {
  Id contact = AddContact(NewContact("c@example.com"));
  Id other = AddContact(NewContact("o@example.com"));
  std::vector<Id> ids;
  for (int i = 0; i < 5; ++i) {
    // Two events share an instant: the later id comes first.
    auto e = NewEvent("e" + std::to_string(i), At(i == 4 ? 30 : i * 10), contact);
    auto id = W([&](Tx& tx) { return tx.events().Append(e); });
    ASSERT_TRUE(id && *id);
    ids.push_back(**id);
  }
  ASSERT_TRUE(W([&](Tx& tx) { return tx.events().Append(NewEvent("x", At(5), other)); }));
  auto list = R([&](Tx& tx) { return tx.events().ListForContact(contact, 10); });
  ASSERT_TRUE(list);
  std::vector<Id> got;
  for (const auto& e : *list) got.push_back(e.id);
  EXPECT_EQ(got, (std::vector<Id>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
  auto two = R([&](Tx& tx) { return tx.events().ListForContact(contact, 2); });
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
  EXPECT_EQ(*R([&](Tx& tx) { return tx.events().CountForContact(other); }), 1);
}

TEST_P(StoreContractTest, AttachingAnAnonymousVisitorMovesOnlyItsUnattachedEvents) {
  Id contact = AddContact(NewContact("c@example.com"));
  Id other = AddContact(NewContact("o@example.com"));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.events().Append(NewEvent("a2", At(20), {}, "v-1")); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.events().Append(NewEvent("a1", At(10), {}, "v-1")); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.events().Append(NewEvent("b1", At(10), {}, "v-2")); }));
  // An event of the same visitor that already has its contact is left alone.
  ASSERT_TRUE(W([&](Tx& tx) { return tx.events().Append(NewEvent("a3", At(30), other, "v-1")); }));

  auto moved = W([&](Tx& tx) { return tx.events().AttachAnonymous("v-1", contact); });
  ASSERT_TRUE(moved) << moved.error().message;
  ASSERT_EQ(moved->size(), 2u);
  EXPECT_EQ((*moved)[0].event_id, "a1");
  EXPECT_EQ((*moved)[1].event_id, "a2");
  EXPECT_EQ((*moved)[0].contact_id, contact);
  EXPECT_EQ(*R([&](Tx& tx) { return tx.events().CountForContact(contact); }), 2);
  EXPECT_EQ(*R([&](Tx& tx) { return tx.events().CountForContact(other); }), 1);
  // A second attach finds nothing left.
  auto again = W([&](Tx& tx) { return tx.events().AttachAnonymous("v-1", other); });
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  auto missing = W([&](Tx& tx) { return tx.events().AttachAnonymous("v-2", 4242); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "contact_id");
}

TEST_P(StoreContractTest, IdentitiesLinkOnceAndFollowTheirContact) {
  Id contact = AddContact(NewContact("c@example.com"));
  Id other = AddContact(NewContact("o@example.com"));
  using K = IdentityKind;
  EXPECT_FALSE(*R([&](Tx& tx) { return tx.identities().Find(K::kAnonymous, "v-1"); }));
  ASSERT_TRUE(
      W([&](Tx& tx) { return tx.identities().Link(K::kAnonymous, "v-1", contact, At(1)); }));
  ASSERT_TRUE(W(
      [&](Tx& tx) { return tx.identities().Link(K::kEmail, "old@example.com", contact, At(2)); }));
  EXPECT_EQ(*R([&](Tx& tx) { return tx.identities().Find(K::kAnonymous, "v-1"); }), contact);
  // Kinds are separate name spaces.
  EXPECT_FALSE(*R([&](Tx& tx) { return tx.identities().Find(K::kEmail, "v-1"); }));
  auto twice = W([&](Tx& tx) { return tx.identities().Link(K::kAnonymous, "v-1", other, At(3)); });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(*R([&](Tx& tx) { return tx.identities().Find(K::kAnonymous, "v-1"); }), contact);
  auto orphan = W([&](Tx& tx) { return tx.identities().Link(K::kAnonymous, "v-9", 4242, At(3)); });
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().field, "contact_id");
  EXPECT_EQ(*R([&](Tx& tx) { return tx.identities().FindContactByEmail("c@example.com"); }),
            contact);
  EXPECT_EQ(*R([&](Tx& tx) { return tx.identities().FindContactByEmail("old@example.com"); }),
            contact);
  EXPECT_FALSE(*R([&](Tx& tx) { return tx.identities().FindContactByEmail("x@example.com"); }));
  EXPECT_EQ(*R([&](Tx& tx) { return tx.identities().ListForContact(contact, K::kEmail); }),
            std::vector<std::string>{"old@example.com"});
  // Deleting the contact removes its links.
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Delete(contact); }));
  EXPECT_FALSE(*R([&](Tx& tx) { return tx.identities().Find(K::kAnonymous, "v-1"); }));
}

TEST_P(StoreContractTest, MovingRecordsTakesEveryHistoryToTheOtherContact) {
  Id owner = AddUser("o@example.com");
  Id keep = AddContact(NewContact("keep@example.com"));
  Id gone = AddContact(NewContact("gone@example.com"));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.events().Append(NewEvent("e1", At(1), gone)); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.events().Append(NewEvent("e2", At(2), keep)); }));
  ASSERT_TRUE(W(
      [&](Tx& tx) { return tx.identities().Link(IdentityKind::kAnonymous, "v-1", gone, At(1)); }));
  core::StageChange change;
  change.contact_id = gone;
  change.to = Stage::kLead;
  change.at = At(1);
  change.actor = core::Actor::System("test");
  change.cause = "created";
  ASSERT_TRUE(W([&](Tx& tx) { return tx.stages().Append(change); }));
  Activity a;
  a.type = ActivityType::kNote;
  a.contact_id = gone;
  a.owner_id = owner;
  a.occurred_at = a.created_at = a.updated_at = At(1);
  Id activity = AddActivity(a);
  Deal d;
  d.title = "Deal";
  d.contact_id = gone;
  d.created_at = d.updated_at = At(1);
  Id deal = AddDeal(d);

  ASSERT_TRUE(W([&](Tx& tx) { return tx.identities().MoveRecords(gone, keep); }));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Delete(gone); }));
  EXPECT_EQ(*R([&](Tx& tx) { return tx.events().CountForContact(keep); }), 2);
  EXPECT_EQ(*R([&](Tx& tx) { return tx.identities().Find(IdentityKind::kAnonymous, "v-1"); }),
            keep);
  auto history = R([&](Tx& tx) { return tx.stages().ListForContact(keep); });
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].cause, "created");
  auto got_activity = R([&](Tx& tx) { return tx.activities().Get(activity); });
  ASSERT_TRUE(got_activity && *got_activity);
  EXPECT_EQ((*got_activity)->contact_id, keep);
  auto got_deal = R([&](Tx& tx) { return tx.deals().Get(deal); });
  ASSERT_TRUE(got_deal && *got_deal);
  EXPECT_EQ((*got_deal)->contact_id, keep);

  EXPECT_ERROR(W([&](Tx& tx) { return tx.identities().MoveRecords(keep, keep); }),
               ErrorCode::kInvalidArgument, "other_id");
  EXPECT_ERROR(W([&](Tx& tx) { return tx.identities().MoveRecords(4242, keep); }),
               ErrorCode::kInvalidArgument, "other_id");
  EXPECT_ERROR(W([&](Tx& tx) { return tx.identities().MoveRecords(keep, 4242); }),
               ErrorCode::kInvalidArgument, "id");
}

// ---------------------------------------------------------------------------------------------
// Personas, scoring rules, scores and jobs

inline core::Persona NewPersona(const std::string& key) {
  core::Persona p;
  p.key = key;
  p.name = kTricky;
  p.description = "who we sell to\nsecond line";
  core::Criterion a;
  a.property = "contact.title";
  a.op = core::CriterionOp::kPattern;
  a.values = {"*head of data*", kTricky};
  a.weight = 40;
  core::Criterion b;
  b.property = "company.employees";
  b.op = core::CriterionOp::kRange;
  b.min = 50.5;
  b.weight = 20;
  core::Criterion c;
  c.property = "company.employees";
  c.op = core::CriterionOp::kRange;
  c.max = 1000;
  c.weight = 1;
  p.criteria = {a, b, c};
  p.version = 1;
  p.created_at = kT0;
  p.updated_at = kT0;
  return p;
}

inline void ExpectSame(const core::Persona& a, const core::Persona& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.archived, b.archived);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  ASSERT_EQ(a.criteria.size(), b.criteria.size());
  for (std::size_t i = 0; i < a.criteria.size(); ++i) {
    EXPECT_EQ(a.criteria[i].property, b.criteria[i].property);
    EXPECT_EQ(a.criteria[i].op, b.criteria[i].op);
    EXPECT_EQ(a.criteria[i].values, b.criteria[i].values);
    EXPECT_EQ(a.criteria[i].min, b.criteria[i].min);
    EXPECT_EQ(a.criteria[i].max, b.criteria[i].max);
    EXPECT_EQ(a.criteria[i].weight, b.criteria[i].weight);
  }
}

TEST_P(StoreContractTest, PersonaRoundTripsEveryFieldAndKeepsVersions) {
  Id author = AddUser("pm@example.com", core::Role::kMarketing);
  core::Persona p = NewPersona("data_lead");
  p.id = *W([&](Tx& tx) { return tx.personas().Insert(p, author); });
  EXPECT_GT(p.id, 0);
  auto got = R([&](Tx& tx) { return tx.personas().Get(p.id); });
  ASSERT_TRUE(got && *got);
  ExpectSame(**got, p);

  core::Persona v2 = p;
  v2.version = 2;
  v2.name = "Head of Data";
  v2.criteria.pop_back();
  v2.archived = true;
  v2.updated_at = At(1000);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.personas().Update(v2, std::nullopt); }));
  auto now = R([&](Tx& tx) { return tx.personas().FindByKey("data_lead"); });
  ASSERT_TRUE(now && *now);
  ExpectSame(**now, v2);

  auto versions = R([&](Tx& tx) { return tx.personas().ListVersions(p.id); });
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  ExpectSame((*versions)[0].persona, p);
  EXPECT_EQ((*versions)[0].changed_by, author);
  EXPECT_EQ((*versions)[0].changed_at, kT0);
  ExpectSame((*versions)[1].persona, v2);
  EXPECT_FALSE((*versions)[1].changed_by);

  // Archived personas are listed only when asked.
  EXPECT_TRUE(R([&](Tx& tx) { return tx.personas().List(false); })->empty());
  EXPECT_EQ(R([&](Tx& tx) { return tx.personas().List(true); })->size(), 1u);
}

TEST_P(StoreContractTest, PersonaKeysAreUniqueAndVersionsNeverRewritten) {
  core::Persona a = NewPersona("a");
  a.id = *W([&](Tx& tx) { return tx.personas().Insert(a, std::nullopt); });
  core::Persona b = NewPersona("b");
  b.id = *W([&](Tx& tx) { return tx.personas().Insert(b, std::nullopt); });
  EXPECT_ERROR(W([&](Tx& tx) { return tx.personas().Insert(NewPersona("a"), std::nullopt); }),
               ErrorCode::kAlreadyExists, "key");
  core::Persona b2 = b;
  b2.key = "a";
  b2.version = 2;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.personas().Update(b2, std::nullopt); }),
               ErrorCode::kAlreadyExists, "key");
  core::Persona same_version = a;
  same_version.name = "rewritten";
  EXPECT_ERROR(W([&](Tx& tx) { return tx.personas().Update(same_version, std::nullopt); }),
               ErrorCode::kAlreadyExists, "version");
  EXPECT_EQ((*R([&](Tx& tx) { return tx.personas().Get(a.id); }))->name, kTricky);
  core::Persona missing = a;
  missing.id = 999;
  missing.key = "zz";
  missing.version = 5;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.personas().Update(missing, std::nullopt); }),
               ErrorCode::kNotFound, "");
  EXPECT_ERROR(R([&](Tx& tx) { return tx.personas().ListVersions(999); }), ErrorCode::kNotFound,
               "");
  EXPECT_FALSE(*R([&](Tx& tx) { return tx.personas().Get(999); }));
}

TEST_P(StoreContractTest, PersonaSignoffsOncePerVersionAndCapacity) {
  Id head = AddUser("head@example.com", core::Role::kManager);
  core::Persona p = NewPersona("cfo");
  p.id = *W([&](Tx& tx) { return tx.personas().Insert(p, std::nullopt); });
  core::PersonaSignoff s;
  s.persona_id = p.id;
  s.version = 1;
  s.user_id = head;
  s.user_email = "head@example.com";
  s.capacity = core::SignoffCapacity::kHeadOfSales;
  s.note = kTricky;
  s.signed_at = At(5);
  s.id = *W([&](Tx& tx) { return tx.personas().AddSignoff(s); });
  EXPECT_ERROR(W([&](Tx& tx) { return tx.personas().AddSignoff(s); }), ErrorCode::kAlreadyExists,
               "capacity");
  core::PersonaSignoff other = s;
  other.capacity = core::SignoffCapacity::kHeadOfMarketing;
  ASSERT_TRUE(W([&](Tx& tx) { return tx.personas().AddSignoff(other); }));
  core::PersonaSignoff bad_version = s;
  bad_version.version = 7;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.personas().AddSignoff(bad_version); }),
               ErrorCode::kInvalidArgument, "version");
  core::PersonaSignoff bad_user = other;
  bad_user.user_id = 4242;
  bad_user.capacity = core::SignoffCapacity::kHeadOfSales;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.personas().AddSignoff(bad_user); }),
               ErrorCode::kInvalidArgument, "user_id");
  auto list = R([&](Tx& tx) { return tx.personas().ListSignoffs(p.id); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, s.id);
  EXPECT_EQ((*list)[0].user_id, head);
  EXPECT_EQ((*list)[0].user_email, "head@example.com");
  EXPECT_EQ((*list)[0].capacity, core::SignoffCapacity::kHeadOfSales);
  EXPECT_EQ((*list)[0].note, kTricky);
  EXPECT_EQ((*list)[0].signed_at, At(5));
  EXPECT_EQ((*list)[1].capacity, core::SignoffCapacity::kHeadOfMarketing);
}

TEST_P(StoreContractTest, ScoringRulesAreVersionedAndRoundTrip) {
  EXPECT_FALSE(*R([](Tx& tx) { return tx.scoring().CurrentRules(); }));
  Id author = AddUser("ops@example.com", core::Role::kMarketing);
  core::ScoringRules r = core::DefaultScoringRules();
  r.negatives.competitor_domains = {"rival.example", "other.example"};
  r.half_life_days = 12.5;
  r.grades = {90, 70, 30};
  r.mql.kind = core::QualificationRule::Kind::kMatrix;
  r.mql.expression = "fit >= 1";
  r.mql.matrix.min_engagement[0] = 10.5;
  r.mql.matrix.min_engagement[2] = 80;
  r.updated_at = At(7);
  r.updated_by = author;
  EXPECT_EQ(*W([&](Tx& tx) { return tx.scoring().InsertRules(r); }), 1);
  core::ScoringRules r2 = core::DefaultScoringRules();
  r2.events.clear();
  r2.negatives.personal_email_domains.clear();
  r2.updated_at = At(8);
  EXPECT_EQ(*W([&](Tx& tx) { return tx.scoring().InsertRules(r2); }), 2);

  auto cur = R([](Tx& tx) { return tx.scoring().CurrentRules(); });
  ASSERT_TRUE(cur && *cur);
  EXPECT_EQ((*cur)->version, 2);
  EXPECT_TRUE((*cur)->events.empty());
  EXPECT_TRUE((*cur)->negatives.personal_email_domains.empty());
  EXPECT_EQ((*cur)->mql.kind, core::QualificationRule::Kind::kExpression);
  EXPECT_EQ((*cur)->mql.expression, "fit >= 60 and engagement >= 40");
  EXPECT_FALSE((*cur)->updated_by);

  auto first = R([](Tx& tx) { return tx.scoring().GetRules(1); });
  ASSERT_TRUE(first && *first);
  const auto& g = **first;
  EXPECT_EQ(g.version, 1);
  ASSERT_EQ(g.events.size(), r.events.size());
  for (std::size_t i = 0; i < g.events.size(); ++i) {
    EXPECT_EQ(g.events[i].event_type, r.events[i].event_type);
    EXPECT_EQ(g.events[i].points, r.events[i].points);
    EXPECT_EQ(g.events[i].cap, r.events[i].cap);
    EXPECT_EQ(g.events[i].cap_period_hours, r.events[i].cap_period_hours);
  }
  EXPECT_EQ(g.half_life_days, 12.5);
  EXPECT_EQ(g.negatives.competitor_domains, r.negatives.competitor_domains);
  EXPECT_EQ(g.negatives.personal_email_domains, r.negatives.personal_email_domains);
  EXPECT_EQ(g.negatives.competitor_penalty, r.negatives.competitor_penalty);
  EXPECT_EQ(g.grades.a, 90);
  EXPECT_EQ(g.grades.b, 70);
  EXPECT_EQ(g.grades.c, 30);
  EXPECT_EQ(g.mql.kind, core::QualificationRule::Kind::kMatrix);
  EXPECT_EQ(g.mql.matrix.min_engagement[0], 10.5);
  EXPECT_FALSE(g.mql.matrix.min_engagement[1]);
  EXPECT_EQ(g.mql.matrix.min_engagement[2], 80);
  EXPECT_FALSE(g.mql.matrix.min_engagement[3]);
  EXPECT_EQ(g.updated_at, At(7));
  EXPECT_EQ(g.updated_by, author);
  EXPECT_FALSE(*R([](Tx& tx) { return tx.scoring().GetRules(3); }));
}

TEST_P(StoreContractTest, ScoringGenerationCounts) {
  auto g0 = *R([](Tx& tx) { return tx.scoring().Generation(); });
  ASSERT_TRUE(W([](Tx& tx) { return tx.scoring().BumpGeneration(); }));
  ASSERT_TRUE(W([](Tx& tx) { return tx.scoring().BumpGeneration(); }));
  EXPECT_EQ(*R([](Tx& tx) { return tx.scoring().Generation(); }), g0 + 2);
}

TEST_P(StoreContractTest, ContactScoresUpsertAndFollowTheContact) {
  Id c = AddContact(NewContact("scored@example.com"));
  core::Persona p = NewPersona("p");
  p.id = *W([&](Tx& tx) { return tx.personas().Insert(p, std::nullopt); });
  EXPECT_FALSE(*R([&](Tx& tx) { return tx.scoring().GetScore(c); }));
  core::ContactScore s;
  s.contact_id = c;
  s.fit = 73;
  s.grade = core::Grade::kB;
  s.persona_id = p.id;
  s.engagement.value = -12.625;
  s.engagement.last_update = At(99);
  s.caps_text = "page_view\t20717\t3\n";
  s.rules_version = 4;
  s.updated_at = At(100);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.scoring().PutScore(s); }));
  auto got = R([&](Tx& tx) { return tx.scoring().GetScore(c); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->fit, 73);
  EXPECT_EQ((*got)->grade, core::Grade::kB);
  EXPECT_EQ((*got)->persona_id, p.id);
  EXPECT_EQ((*got)->engagement.value, -12.625);
  EXPECT_EQ((*got)->engagement.last_update, At(99));
  EXPECT_EQ((*got)->caps_text, s.caps_text);
  EXPECT_EQ((*got)->rules_version, 4);
  EXPECT_EQ((*got)->updated_at, At(100));

  s.fit = 10;
  s.persona_id.reset();
  ASSERT_TRUE(W([&](Tx& tx) { return tx.scoring().PutScore(s); }));
  got = R([&](Tx& tx) { return tx.scoring().GetScore(c); });
  EXPECT_EQ((*got)->fit, 10);
  EXPECT_FALSE((*got)->persona_id);

  core::ContactScore orphan = s;
  orphan.contact_id = 9999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.scoring().PutScore(orphan); }),
               ErrorCode::kInvalidArgument, "contact_id");
  core::ContactScore bad_persona = s;
  bad_persona.persona_id = 9999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.scoring().PutScore(bad_persona); }),
               ErrorCode::kInvalidArgument, "persona_id");

  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Delete(c); }));
  EXPECT_FALSE(*R([&](Tx& tx) { return tx.scoring().GetScore(c); }));
}

TEST_P(StoreContractTest, ContactIdsAfterWalksInIdOrder) {
  std::vector<Id> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(AddContact(NewContact("w" + std::to_string(i) + "@x.example")));
  auto first = R([](Tx& tx) { return tx.scoring().ContactIdsAfter(0, 2); });
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, (std::vector<Id>{ids[0], ids[1]}));
  auto rest = R([&](Tx& tx) { return tx.scoring().ContactIdsAfter(ids[1], 10); });
  EXPECT_EQ(*rest, (std::vector<Id>{ids[2], ids[3], ids[4]}));
  EXPECT_TRUE(R([&](Tx& tx) { return tx.scoring().ContactIdsAfter(ids[4], 10); })->empty());
}

TEST_P(StoreContractTest, ScoringJobsRoundTripAndSupersede) {
  Id author = AddUser("jobs@example.com", core::Role::kAdmin);
  EXPECT_FALSE(*R([](Tx& tx) { return tx.scoring().NextPendingJob(); }));
  core::ScoringJob j;
  j.reason = kTricky;
  j.total = 10;
  j.created_at = At(1);
  j.created_by = author;
  j.id = *W([&](Tx& tx) { return tx.scoring().InsertJob(j); });
  core::ScoringJob k = j;
  k.reason = "second";
  k.id = *W([&](Tx& tx) { return tx.scoring().InsertJob(k); });
  EXPECT_GT(k.id, j.id);
  auto next = R([](Tx& tx) { return tx.scoring().NextPendingJob(); });
  ASSERT_TRUE(next && *next);
  EXPECT_EQ((*next)->id, j.id);

  j.status = core::JobStatus::kRunning;
  j.done = 4;
  j.cursor = 77;
  j.qualified = 2;
  j.error = "none";
  j.started_at = At(2);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.scoring().UpdateJob(j); }));
  auto got = R([&](Tx& tx) { return tx.scoring().GetJob(j.id); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->status, core::JobStatus::kRunning);
  EXPECT_EQ((*got)->reason, kTricky);
  EXPECT_EQ((*got)->total, 10);
  EXPECT_EQ((*got)->done, 4);
  EXPECT_EQ((*got)->cursor, 77);
  EXPECT_EQ((*got)->qualified, 2);
  EXPECT_EQ((*got)->error, "none");
  EXPECT_EQ((*got)->created_at, At(1));
  EXPECT_EQ((*got)->started_at, At(2));
  EXPECT_FALSE((*got)->finished_at);
  EXPECT_EQ((*got)->created_by, author);

  EXPECT_EQ(*W([](Tx& tx) { return tx.scoring().SupersedePendingJobs(At(3)); }), 2);
  EXPECT_FALSE(*R([](Tx& tx) { return tx.scoring().NextPendingJob(); }));
  got = R([&](Tx& tx) { return tx.scoring().GetJob(k.id); });
  EXPECT_EQ((*got)->status, core::JobStatus::kSuperseded);
  EXPECT_EQ((*got)->finished_at, At(3));

  core::ScoringJob missing = j;
  missing.id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.scoring().UpdateJob(missing); }), ErrorCode::kNotFound,
               "");
  EXPECT_FALSE(*R([](Tx& tx) { return tx.scoring().GetJob(999); }));
}

// ---- Contract versions ----

inline core::ContractVersion NewVersion(const std::string& text, Instant effective,
                                        std::optional<Id> by = std::nullopt) {
  core::ContractVersion v;
  v.name = "SLA";
  v.text = text;
  v.hash = std::string(64, 'a');
  v.effective_at = effective;
  v.activated_at = kT0;
  v.activated_by = by;
  v.activated_by_label = by ? "someone@example.com" : "cli";
  return v;
}

TEST_P(StoreContractTest, ContractVersionsRoundTripAndListNewestFirst) {
  const Id user = AddUser("head@example.com", core::Role::kManager);
  const std::string text = "name = \"x\"\n# \u00e9t\u00e9, \"quoted\"\n";
  auto v1 = W([&](Tx& tx) { return tx.contracts().InsertVersion(NewVersion(text, kT0, user)); });
  ASSERT_TRUE(v1) << v1.error().message;
  auto v2 = W([&](Tx& tx) { return tx.contracts().InsertVersion(NewVersion("b", kT0)); });
  ASSERT_TRUE(v2);
  EXPECT_GT(*v2, *v1);
  auto got = R([&](Tx& tx) { return tx.contracts().GetVersion(*v1); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->text, text);
  EXPECT_EQ((*got)->hash, std::string(64, 'a'));
  EXPECT_EQ((*got)->effective_at, kT0);
  EXPECT_EQ((*got)->activated_by, user);
  EXPECT_EQ((*got)->activated_by_label, "someone@example.com");
  auto list = R([&](Tx& tx) { return tx.contracts().ListVersions(); });
  ASSERT_TRUE(list);
  EXPECT_EQ(IdsOf(*list), (std::vector<Id>{*v2, *v1}));
  EXPECT_FALSE((*list)[0].activated_by);
  auto none = R([&](Tx& tx) { return tx.contracts().GetVersion(*v2 + 100); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_ERROR(W([&](Tx& tx) { return tx.contracts().InsertVersion(NewVersion("c", kT0, 999)); }),
               ErrorCode::kInvalidArgument, "activated_by");
}

TEST_P(StoreContractTest, ContractActiveAtPicksTheLatestEffectiveVersion) {
  const Instant t1 = kT0, t2 = kT0 + std::chrono::hours(24), t3 = kT0 + std::chrono::hours(48);
  auto id = [&](const char* text, Instant at) {
    auto r = W([&](Tx& tx) { return tx.contracts().InsertVersion(NewVersion(text, at)); });
    EXPECT_TRUE(r);
    return r.value_or(0);
  };
  const Id a = id("a", t1);
  const Id future = id("future", t3);
  const Id b = id("b", t2);
  const Id b2 = id("b2", t2);  // same effective time, activated later: wins the tie
  auto at = [&](Instant t) -> std::optional<Id> {
    auto r = R([&](Tx& tx) { return tx.contracts().ActiveAt(t); });
    EXPECT_TRUE(r);
    if (!r || !*r) return std::nullopt;
    return (**r).id;
  };
  EXPECT_EQ(at(t1 - std::chrono::milliseconds(1)), std::nullopt);
  EXPECT_EQ(at(t1), a);
  EXPECT_EQ(at(t2 - std::chrono::milliseconds(1)), a);
  EXPECT_EQ(at(t2), b2);
  EXPECT_NE(at(t2), b);
  EXPECT_EQ(at(t3 + std::chrono::hours(1)), future);
}

TEST_P(StoreContractTest, ContractAcknowledgementsOncePerUserAndVersion) {
  const Id u1 = AddUser("one@example.com", core::Role::kManager);
  const Id u2 = AddUser("two@example.com", core::Role::kMarketing);
  auto v = W([&](Tx& tx) { return tx.contracts().InsertVersion(NewVersion("a", kT0)); });
  ASSERT_TRUE(v);
  auto ack = [&](Id user, Id version, Instant at) {
    return W([&](Tx& tx) {
      return tx.contracts().InsertAcknowledgement({version, user, "x@example.com", "Sales", at});
    });
  };
  ASSERT_TRUE(ack(u2, *v, kT0 + std::chrono::seconds(5)));
  ASSERT_TRUE(ack(u1, *v, kT0 + std::chrono::seconds(9)));
  EXPECT_ERROR(ack(u1, *v, kT0 + std::chrono::seconds(10)), ErrorCode::kAlreadyExists, "user_id");
  EXPECT_ERROR(ack(u1, *v + 1, kT0), ErrorCode::kInvalidArgument, "version_id");
  EXPECT_ERROR(ack(999, *v, kT0), ErrorCode::kInvalidArgument, "user_id");
  auto list = R([&](Tx& tx) { return tx.contracts().ListAcknowledgements(*v); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].user_id, u2);
  EXPECT_EQ((*list)[0].team, "Sales");
  EXPECT_EQ((*list)[0].acknowledged_at, kT0 + std::chrono::seconds(5));
  EXPECT_EQ((*list)[1].user_id, u1);
}

// ---------------------------------------------------------------------------------------------
// Handoff: assignments, routing state, absences, SLA clocks and escalation steps.

struct HandoffFixture {
  Id user = 0, other = 0, contact = 0, version = 0;
};

inline core::Assignment NewAssignment(Id contact, std::optional<Id> owner, Instant at) {
  core::Assignment a;
  a.contact_id = contact;
  a.owner_id = owner;
  a.owner_email = owner ? "rep@example.com" : "";
  a.rule = owner ? core::RoutingRule::kRoundRobin : core::RoutingRule::kUnassigned;
  a.code = owner ? "round_robin" : "unassigned:no_match";
  a.text = kTricky;
  a.qualified_at = at - std::chrono::milliseconds(7);
  a.assigned_at = at;
  a.status = owner ? core::AssignmentStatus::kOpen : core::AssignmentStatus::kUnassigned;
  return a;
}

TEST_P(StoreContractTest, HandoffAssignmentsRoundTripWithActiveAndOpenLeads) {
  const Id rep = AddUser("rep@example.com");
  const Id c1 = AddContact(NewContact("a@example.com"));
  const Id c2 = AddContact(NewContact("b@example.com"));
  auto a1 =
      W([&](Tx& tx) { return tx.handoff().InsertAssignment(NewAssignment(c1, rep, At(10))); });
  ASSERT_TRUE(a1) << a1.error().message;
  auto a2 =
      W([&](Tx& tx) { return tx.handoff().InsertAssignment(NewAssignment(c2, rep, At(20))); });
  ASSERT_TRUE(a2);
  auto none = W([&](Tx& tx) {
    return tx.handoff().InsertAssignment(NewAssignment(c2, std::nullopt, At(30)));
  });
  ASSERT_TRUE(none);
  auto got = R([&](Tx& tx) { return tx.handoff().GetAssignment(*a1); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->text, kTricky);
  EXPECT_EQ((*got)->owner_id, rep);
  EXPECT_EQ((*got)->rule, core::RoutingRule::kRoundRobin);
  EXPECT_EQ((*got)->qualified_at, At(3));
  EXPECT_EQ((*got)->system_latency(), std::chrono::milliseconds(7));
  EXPECT_FALSE((*got)->first_touch_at);
  auto open = R([&](Tx& tx) { return tx.handoff().OpenLeads(rep); });
  ASSERT_TRUE(open);
  EXPECT_EQ(*open, 2);

  core::Assignment changed = **got;
  changed.status = core::AssignmentStatus::kRejected;
  changed.first_touch_at = At(15);
  changed.attempts = 2;
  changed.ended_at = At(40);
  changed.reason = "bad_timing";
  changed.note = kTricky;
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().UpdateAssignment(changed); }));
  got = R([&](Tx& tx) { return tx.handoff().GetAssignment(*a1); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->status, core::AssignmentStatus::kRejected);
  EXPECT_EQ((*got)->first_touch_at, At(15));
  EXPECT_EQ((*got)->attempts, 2);
  EXPECT_EQ((*got)->ended_at, At(40));
  EXPECT_EQ((*got)->note, kTricky);
  open = R([&](Tx& tx) { return tx.handoff().OpenLeads(rep); });
  EXPECT_EQ(open.value_or(-1), 1);

  auto active = R([&](Tx& tx) { return tx.handoff().ActiveAssignment(c1); });
  ASSERT_TRUE(active);
  EXPECT_FALSE(*active);
  active = R([&](Tx& tx) { return tx.handoff().ActiveAssignment(c2); });
  ASSERT_TRUE(active && *active);
  EXPECT_EQ((*active)->id, *a2);
  auto of_c2 = R([&](Tx& tx) { return tx.handoff().AssignmentsForContact(c2); });
  ASSERT_TRUE(of_c2);
  EXPECT_EQ(IdsOf(*of_c2), (std::vector<Id>{*none, *a2}));
  auto between = R([&](Tx& tx) { return tx.handoff().AssignmentsBetween(At(10), At(30)); });
  ASSERT_TRUE(between);
  EXPECT_EQ(IdsOf(*between), (std::vector<Id>{*a1, *a2}));

  EXPECT_ERROR(
      W([&](Tx& tx) { return tx.handoff().InsertAssignment(NewAssignment(999, rep, kT0)); }),
      ErrorCode::kInvalidArgument, "contact_id");
  EXPECT_ERROR(
      W([&](Tx& tx) { return tx.handoff().InsertAssignment(NewAssignment(c1, 999, kT0)); }),
      ErrorCode::kInvalidArgument, "owner_id");
  changed.id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.handoff().UpdateAssignment(changed); }),
               ErrorCode::kNotFound, "");
}

TEST_P(StoreContractTest, HandoffRoutingStateRoundTripsAndReplaces) {
  auto empty = R([&](Tx& tx) { return tx.handoff().LoadRoutingState(); });
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->pools.empty());
  core::RoutingState s;
  s.pools["*"].cursor = 3;
  s.pools["team:Sales EMEA"].cursor = 1;
  s.pools["team:Sales EMEA"].smooth_weights = {{"a@example.com", -4}, {"b@example.com", 2}};
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().SaveRoutingState(s); }));
  auto got = R([&](Tx& tx) { return tx.handoff().LoadRoutingState(); });
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, s);
  s.pools.erase("*");
  s.pools["team:Sales EMEA"].cursor = 7;
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().SaveRoutingState(s); }));
  got = R([&](Tx& tx) { return tx.handoff().LoadRoutingState(); });
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, s);
}

TEST_P(StoreContractTest, HandoffAbsencesAreReplacedAndChecked) {
  const Id rep = AddUser("rep@example.com");
  using std::chrono::days;
  const core::Date d0{days(20'000)};
  std::vector<core::DateRange> ranges = {{d0 + days(10), d0 + days(12)}, {d0, d0 + days(2)}};
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().SetAbsences(rep, ranges); }));
  auto got = R([&](Tx& tx) { return tx.handoff().Absences(rep); });
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].first, d0);
  EXPECT_EQ((*got)[1].last, d0 + days(12));
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().SetAbsences(rep, {{d0, d0}}); }));
  got = R([&](Tx& tx) { return tx.handoff().Absences(rep); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size(), 1u);
  EXPECT_ERROR(W([&](Tx& tx) {
                 return tx.handoff().SetAbsences(rep, {{d0 + days(1), d0}});
               }),
               ErrorCode::kInvalidArgument, "absences");
  EXPECT_ERROR(W([&](Tx& tx) { return tx.handoff().SetAbsences(999, {}); }),
               ErrorCode::kInvalidArgument, "user_id");
}

TEST_P(StoreContractTest, HandoffClocksRoundTripAndOnlyOpenOnesAreWalkedInDueOrder) {
  const Id rep = AddUser("rep@example.com");
  const Id c = AddContact(NewContact("a@example.com"));
  auto v = W([&](Tx& tx) { return tx.contracts().InsertVersion(NewVersion("a", kT0)); });
  ASSERT_TRUE(v);
  auto a = W([&](Tx& tx) { return tx.handoff().InsertAssignment(NewAssignment(c, rep, kT0)); });
  ASSERT_TRUE(a);
  auto clock = [&](core::SlaObligation o, Instant due) {
    core::SlaClock k;
    k.contact_id = c;
    k.assignment_id = *a;
    k.owner_id = rep;
    k.obligation = o;
    k.contract_version_id = *v;
    k.started_at = kT0;
    k.due_at = due;
    k.target = o == core::SlaObligation::kAttempts ? 3 : 1;
    auto id = W([&](Tx& tx) { return tx.handoff().InsertClock(k); });
    EXPECT_TRUE(id) << id.error().message;
    k.id = id.value_or(0);
    return k;
  };
  auto late = clock(core::SlaObligation::kDisposition, At(300));
  auto early = clock(core::SlaObligation::kFirstTouch, At(100));
  auto mid = clock(core::SlaObligation::kAttempts, At(200));
  auto tie = clock(core::SlaObligation::kFirstTouch, At(200));
  auto got = R([&](Tx& tx) { return tx.handoff().GetClock(mid.id); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->obligation, core::SlaObligation::kAttempts);
  EXPECT_EQ((*got)->target, 3);
  EXPECT_EQ((*got)->due_at, At(200));
  EXPECT_EQ((*got)->contract_version_id, *v);
  EXPECT_EQ((*got)->state(), core::SlaState::kOpen);

  early.met_at = At(50);
  early.progress = 1;
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().UpdateClock(early); }));
  late.breached_at = At(300);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().UpdateClock(late); }));
  got = R([&](Tx& tx) { return tx.handoff().GetClock(early.id); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->state(), core::SlaState::kMet);
  EXPECT_EQ((*got)->met_at, At(50));

  const DueItem start{FromMillis(std::numeric_limits<std::int64_t>::min()), 0};
  auto open = R([&](Tx& tx) { return tx.handoff().OpenClocksAfter(start, 10); });
  ASSERT_TRUE(open);
  EXPECT_EQ(*open, (std::vector<DueItem>{{At(200), mid.id}, {At(200), tie.id}}));
  auto page = R([&](Tx& tx) { return tx.handoff().OpenClocksAfter(start, 1); });
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  auto rest = R([&](Tx& tx) { return tx.handoff().OpenClocksAfter(page->back(), 1); });
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, (std::vector<DueItem>{{At(200), tie.id}}));
  auto by_assignment = R([&](Tx& tx) { return tx.handoff().ClocksForAssignment(*a); });
  ASSERT_TRUE(by_assignment);
  EXPECT_EQ(by_assignment->size(), 4u);
  auto by_contact = R([&](Tx& tx) { return tx.handoff().ClocksForContact(c); });
  ASSERT_TRUE(by_contact);
  EXPECT_EQ(by_contact->size(), 4u);

  core::SlaClock bad = mid;
  bad.contract_version_id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.handoff().InsertClock(bad); }),
               ErrorCode::kInvalidArgument, "contract_version_id");
  bad = mid;
  bad.id = 999;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.handoff().UpdateClock(bad); }), ErrorCode::kNotFound, "");
}

TEST_P(StoreContractTest, HandoffEscalationsRoundTripAndPendingOnesAreWalked) {
  const Id rep = AddUser("rep@example.com");
  const Id c = AddContact(NewContact("a@example.com"));
  auto v = W([&](Tx& tx) { return tx.contracts().InsertVersion(NewVersion("a", kT0)); });
  auto a = W([&](Tx& tx) { return tx.handoff().InsertAssignment(NewAssignment(c, rep, kT0)); });
  ASSERT_TRUE(v && a);
  core::SlaClock k;
  k.contact_id = c;
  k.assignment_id = *a;
  k.owner_id = rep;
  k.contract_version_id = *v;
  k.started_at = kT0;
  k.due_at = At(100);
  k.breached_at = At(100);
  auto clock = W([&](Tx& tx) { return tx.handoff().InsertClock(k); });
  ASSERT_TRUE(clock);
  auto step = [&](int n, core::EscalationAction action, Instant due) {
    core::SlaEscalation e;
    e.clock_id = *clock;
    e.step = n;
    e.action = action;
    e.due_at = due;
    return W([&](Tx& tx) { return tx.handoff().InsertEscalation(e); });
  };
  auto s0 = step(0, core::EscalationAction::kNotifyOwner, At(100));
  auto s1 = step(1, core::EscalationAction::kReassign, At(400));
  auto s2 = step(2, core::EscalationAction::kNotifyManager, At(800));
  ASSERT_TRUE(s0 && s1 && s2);
  EXPECT_ERROR(step(1, core::EscalationAction::kReassign, At(400)), ErrorCode::kAlreadyExists,
               "clock_id");
  auto got = R([&](Tx& tx) { return tx.handoff().GetEscalation(*s1); });
  ASSERT_TRUE(got && *got);
  core::SlaEscalation done = **got;
  EXPECT_EQ(done.action, core::EscalationAction::kReassign);
  EXPECT_EQ(done.due_at, At(400));
  done.done_at = At(401);
  done.outcome = kTricky;
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().UpdateEscalation(done); }));
  auto list = R([&](Tx& tx) { return tx.handoff().EscalationsForClock(*clock); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[1].outcome, kTricky);
  EXPECT_EQ((*list)[1].done_at, At(401));
  const DueItem start{FromMillis(std::numeric_limits<std::int64_t>::min()), 0};
  auto pending = R([&](Tx& tx) { return tx.handoff().PendingEscalationsAfter(start, 10); });
  ASSERT_TRUE(pending);
  EXPECT_EQ(*pending, (std::vector<DueItem>{{At(100), *s0}, {At(800), *s2}}));
}

// ---------------------------------------------------------------------------------------------
// Web capture: forms, submissions, tracker sites.

inline core::Form NewForm(const std::string& public_id) {
  core::Form f;
  f.public_id = public_id;
  f.name = kTricky;
  f.fields = {
      {"email", "email", true}, {"first", "first_name", false}, {"sz", "custom.size", true}};
  f.consent_text = "I agree.\nReally.";
  f.consent_required = true;
  f.utm_source = "web";
  f.utm_medium = "form";
  f.utm_campaign = "spring";
  f.allowed_origins = {"https://www.example.com", "http://localhost:8080"};
  f.redirect_url = "https://www.example.com/thanks";
  f.created_at = f.updated_at = kT0;
  return f;
}

TEST_P(StoreContractTest, ComplianceLeadsReadAssignmentsWithTheirClocksInOneList) {
  Team t;
  t.name = "Sales EMEA";
  t.created_at = t.updated_at = kT0;
  auto team = W([&](Tx& tx) { return tx.teams().Insert(t); });
  ASSERT_TRUE(team);
  const Id ana = AddUser("ana@example.com", core::Role::kSales, *team);
  const Id ben = AddUser("ben@example.com");
  const Id c1 = AddContact(NewContact("a@example.com"));
  const Id c2 = AddContact(NewContact("b@example.com"));
  const Id c3 = AddContact(NewContact("c@example.com"));
  auto v = W([&](Tx& tx) { return tx.contracts().InsertVersion(NewVersion("a", kT0)); });
  ASSERT_TRUE(v);
  auto assign = [&](Id contact, std::optional<Id> owner, Instant at) {
    auto id = W([&](Tx& tx) {
      core::Assignment a = NewAssignment(contact, owner, at);
      a.contract_version_id = *v;
      return tx.handoff().InsertAssignment(a);
    });
    EXPECT_TRUE(id) << id.error().message;
    return id.value_or(0);
  };
  auto clock = [&](Id assignment, Id contact, Id owner, core::SlaObligation o, Instant due) {
    core::SlaClock k;
    k.contact_id = contact;
    k.assignment_id = assignment;
    k.owner_id = owner;
    k.obligation = o;
    k.contract_version_id = *v;
    k.started_at = kT0;
    k.due_at = due;
    auto id = W([&](Tx& tx) { return tx.handoff().InsertClock(k); });
    EXPECT_TRUE(id) << id.error().message;
    k.id = id.value_or(0);
    return k;
  };
  const Id before = assign(c1, ana, At(-1));
  const Id a1 = assign(c1, ana, At(0));
  const Id a2 = assign(c2, ben, At(50));
  const Id none = assign(c3, std::nullopt, At(60));
  const Id after = assign(c3, ben, At(100));
  (void)before;
  (void)none;
  (void)after;
  auto touched = R([&](Tx& tx) { return tx.handoff().GetAssignment(a1); });
  ASSERT_TRUE(touched && *touched);
  core::Assignment changed = **touched;
  changed.first_touch_at = At(20);
  changed.attempts = 3;
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().UpdateAssignment(changed); }));
  auto ft = clock(a1, c1, ana, core::SlaObligation::kFirstTouch, At(30));
  clock(a1, c1, ana, core::SlaObligation::kAttempts, At(40));
  auto disp = clock(a1, c1, ana, core::SlaObligation::kDisposition, At(90));
  ft.met_at = At(20);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().UpdateClock(ft); }));
  disp.breached_at = At(90);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().UpdateClock(disp); }));
  auto ben_ft = clock(a2, c2, ben, core::SlaObligation::kFirstTouch, At(80));
  ben_ft.cancelled_at = At(70);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.handoff().UpdateClock(ben_ft); }));

  // [At(0), At(100)): a1 and a2, not the unassigned one, not the ones outside.
  auto leads = R([&](Tx& tx) { return tx.handoff().ComplianceLeads(At(0), At(100), {}); });
  ASSERT_TRUE(leads) << leads.error().message;
  ASSERT_EQ(leads->size(), 2u);
  const auto& l1 = (*leads)[0];
  EXPECT_EQ(l1.assignment_id, a1);
  EXPECT_EQ(l1.contact_id, c1);
  EXPECT_EQ(l1.owner_id, ana);
  EXPECT_EQ(l1.owner_email, "ana@example.com");
  EXPECT_EQ(l1.team, "Sales EMEA");
  EXPECT_EQ(l1.contract_version_id, *v);
  EXPECT_EQ(l1.assigned_at, At(0));
  EXPECT_EQ(l1.first_touch_at, At(20));
  EXPECT_EQ(l1.attempts, 3);
  ASSERT_TRUE(l1.first_touch);
  EXPECT_EQ(l1.first_touch->due_at, At(30));
  EXPECT_EQ(l1.first_touch->met_at, At(20));
  EXPECT_FALSE(l1.first_touch->breached_at);
  ASSERT_TRUE(l1.attempts_clock);
  EXPECT_EQ(l1.attempts_clock->due_at, At(40));
  EXPECT_FALSE(l1.attempts_clock->met_at);
  ASSERT_TRUE(l1.disposition);
  EXPECT_EQ(l1.disposition->breached_at, At(90));
  const auto& l2 = (*leads)[1];
  EXPECT_EQ(l2.assignment_id, a2);
  EXPECT_EQ(l2.team, "");
  EXPECT_FALSE(l2.first_touch_at);
  ASSERT_TRUE(l2.first_touch);
  EXPECT_EQ(l2.first_touch->cancelled_at, At(70));
  EXPECT_FALSE(l2.attempts_clock);
  EXPECT_FALSE(l2.disposition);

  auto only_ben = R([&](Tx& tx) { return tx.handoff().ComplianceLeads(At(0), At(101), ben); });
  ASSERT_TRUE(only_ben);
  EXPECT_EQ(only_ben->size(), 2u);
  for (const auto& l : *only_ben) EXPECT_EQ(l.owner_id, ben);
  auto empty = R([&](Tx& tx) { return tx.handoff().ComplianceLeads(At(200), At(300), {}); });
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

// Each qualification counts with the quality it was handed over with; moves that have none (not
// scored yet, or recorded before Tandem kept it) with the score as it is now.
TEST_P(StoreContractTest, MqlsBetweenCountEveryQualificationWithItsQuality) {
  const Id graded = AddContact(NewContact("a@example.com"));
  const Id matched = AddContact(NewContact("b@example.com"));
  const Id unscored = AddContact(NewContact("c@example.com"));
  core::Persona p = NewPersona("p");
  p.id = *W([&](Tx& tx) { return tx.personas().Insert(p, std::nullopt); });
  auto score = [&](Id contact, core::Grade g, std::optional<Id> persona) {
    core::ContactScore s;
    s.contact_id = contact;
    s.fit = 50;
    s.grade = g;
    s.persona_id = persona;
    s.updated_at = kT0;
    ASSERT_TRUE(W([&](Tx& tx) { return tx.scoring().PutScore(s); }));
  };
  score(graded, core::Grade::kA, std::nullopt);
  score(matched, core::Grade::kC, p.id);
  auto move = [&](Id contact, Stage from, Stage to, Instant at,
                  std::optional<core::MqlQuality> quality = std::nullopt) {
    core::StageChange ch;
    ch.contact_id = contact;
    ch.from = from;
    ch.to = to;
    ch.at = at;
    ch.actor = core::Actor::System("test");
    ch.cause = "manual";
    ch.quality = quality;
    ASSERT_TRUE(W([&](Tx& tx) { return tx.stages().Append(ch); }));
  };
  move(graded, Stage::kLead, Stage::kMql, At(10));
  move(matched, Stage::kLead, Stage::kMql, At(20));
  move(unscored, Stage::kLead, Stage::kMql, At(5));
  move(graded, Stage::kMql, Stage::kRecycled, At(30));
  // Handed over again as a C matching the persona; graded A without one since.
  move(graded, Stage::kRecycled, Stage::kMql, At(40), core::MqlQuality{core::Grade::kC, p.id});
  move(matched, Stage::kMql, Stage::kSal, At(45));
  move(unscored, Stage::kMql, Stage::kSal, At(100));
  move(unscored, Stage::kLead, Stage::kMql, At(100));  // outside [0, 100)

  auto mqls = R([&](Tx& tx) { return tx.handoff().MqlsBetween(At(0), At(100)); });
  ASSERT_TRUE(mqls) << mqls.error().message;
  ASSERT_EQ(mqls->size(), 4u);
  EXPECT_EQ((*mqls)[0].contact_id, unscored);
  EXPECT_EQ((*mqls)[0].at, At(5));
  EXPECT_FALSE((*mqls)[0].grade_ab);
  EXPECT_FALSE((*mqls)[0].persona_match);
  EXPECT_EQ((*mqls)[1].contact_id, graded);
  EXPECT_TRUE((*mqls)[1].grade_ab);
  EXPECT_FALSE((*mqls)[1].persona_match);
  EXPECT_EQ((*mqls)[2].contact_id, matched);
  EXPECT_FALSE((*mqls)[2].grade_ab);
  EXPECT_TRUE((*mqls)[2].persona_match);
  EXPECT_EQ((*mqls)[3].contact_id, graded) << "qualifying again counts again";
  EXPECT_EQ((*mqls)[3].at, At(40));
  EXPECT_FALSE((*mqls)[3].grade_ab) << "as handed over, not as scored now";
  EXPECT_TRUE((*mqls)[3].persona_match);
}

TEST_P(StoreContractTest, FormsRoundTripWithFieldsInOrder) {
  auto id = W([&](Tx& tx) { return tx.forms().Insert(NewForm("f_aaaaaaaaaaaaaaaaaaaaaa")); });
  ASSERT_TRUE(id) << id.error().message;
  auto got = R([&](Tx& tx) { return tx.forms().Get(*id); });
  ASSERT_TRUE(got && *got);
  const core::Form& f = **got;
  EXPECT_EQ(f.id, *id);
  EXPECT_EQ(f.name, kTricky);
  ASSERT_EQ(f.fields.size(), 3u);
  EXPECT_EQ(f.fields[2].name, "sz");
  EXPECT_EQ(f.fields[2].property, "custom.size");
  EXPECT_TRUE(f.fields[2].required);
  EXPECT_FALSE(f.fields[1].required);
  EXPECT_EQ(f.consent_text, "I agree.\nReally.");
  EXPECT_TRUE(f.consent_required);
  EXPECT_EQ(f.utm_campaign, "spring");
  EXPECT_EQ(f.allowed_origins,
            (std::vector<std::string>{"https://www.example.com", "http://localhost:8080"}));
  EXPECT_EQ(f.redirect_url, "https://www.example.com/thanks");
  EXPECT_EQ(f.created_at, kT0);
  auto by_key = R([&](Tx& tx) { return tx.forms().FindByPublicId("f_aaaaaaaaaaaaaaaaaaaaaa"); });
  ASSERT_TRUE(by_key && *by_key);
  EXPECT_EQ((*by_key)->id, *id);
  auto none = R([&](Tx& tx) { return tx.forms().FindByPublicId("f_bbbbbbbbbbbbbbbbbbbbbb"); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_ERROR(W([&](Tx& tx) { return tx.forms().Insert(NewForm("f_aaaaaaaaaaaaaaaaaaaaaa")); }),
               ErrorCode::kAlreadyExists, "public_id");
}

TEST_P(StoreContractTest, FormUpdateReplacesFieldsAndArchivedFormsListOnlyWhenAsked) {
  auto a = W([&](Tx& tx) { return tx.forms().Insert(NewForm("f_aaaaaaaaaaaaaaaaaaaaaa")); });
  auto b = W([&](Tx& tx) { return tx.forms().Insert(NewForm("f_bbbbbbbbbbbbbbbbbbbbbb")); });
  ASSERT_TRUE(a && b);
  core::Form f = NewForm("f_aaaaaaaaaaaaaaaaaaaaaa");
  f.id = *a;
  f.fields = {{"mail", "email", true}};
  f.allowed_origins = {"*"};
  f.archived = true;
  f.updated_at = At(5);
  ASSERT_TRUE(W([&](Tx& tx) -> Result<bool> {
    TANDEM_TRY(tx.forms().Update(f));
    return true;
  }));
  auto got = R([&](Tx& tx) { return tx.forms().Get(*a); });
  ASSERT_TRUE(got && *got);
  ASSERT_EQ((*got)->fields.size(), 1u);
  EXPECT_EQ((*got)->fields[0].name, "mail");
  EXPECT_EQ((*got)->allowed_origins, (std::vector<std::string>{"*"}));
  EXPECT_TRUE((*got)->archived);
  EXPECT_EQ((*got)->updated_at, At(5));
  auto active = R([&](Tx& tx) { return tx.forms().List(false); });
  ASSERT_TRUE(active);
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].id, *b);
  EXPECT_EQ((*active)[0].fields.size(), 3u);
  auto all = R([&](Tx& tx) { return tx.forms().List(true); });
  ASSERT_TRUE(all);
  EXPECT_EQ(IdsOf(*all), (std::vector<Id>{*a, *b}));
  f.id = *b + 100;
  EXPECT_ERROR(W([&](Tx& tx) -> Result<bool> {
                 TANDEM_TRY(tx.forms().Update(f));
                 return true;
               }),
               ErrorCode::kNotFound, "");
}

TEST_P(StoreContractTest, FormSubmissionsKeepConsentNewestFirstAndFollowMerges) {
  auto form = W([&](Tx& tx) { return tx.forms().Insert(NewForm("f_aaaaaaaaaaaaaaaaaaaaaa")); });
  ASSERT_TRUE(form);
  const Id keep = AddContact(NewContact("keep@example.com"));
  const Id other = AddContact(NewContact("other@example.com"));
  core::FormSubmission s;
  s.form_id = *form;
  s.contact_id = other;
  s.event_id = "form:1";
  s.submitted_at = At(1);
  s.consent_given = true;
  s.consent_text = "I agree.";
  s.values = {{"email", "other@example.com"}, {"custom.size", kTricky}};
  auto first = W([&](Tx& tx) { return tx.forms().InsertSubmission(s); });
  ASSERT_TRUE(first) << first.error().message;
  s.event_id = "form:2";
  s.consent_given = false;
  s.consent_text.clear();
  s.submitted_at = At(2);
  auto second = W([&](Tx& tx) { return tx.forms().InsertSubmission(s); });
  ASSERT_TRUE(second);
  auto list = R([&](Tx& tx) { return tx.forms().ListSubmissions(*form, 10); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *second);
  EXPECT_EQ((*list)[1].event_id, "form:1");
  EXPECT_TRUE((*list)[1].consent_given);
  EXPECT_EQ((*list)[1].consent_text, "I agree.");
  EXPECT_EQ((*list)[1].values.at("custom.size"), kTricky);
  EXPECT_EQ((*list)[1].submitted_at, At(1));
  auto one = R([&](Tx& tx) { return tx.forms().ListSubmissions(*form, 1); });
  ASSERT_TRUE(one);
  EXPECT_EQ(one->size(), 1u);

  ASSERT_TRUE(W([&](Tx& tx) -> Result<bool> {
    TANDEM_TRY(tx.identities().MoveRecords(other, keep));
    TANDEM_TRY(tx.contacts().Delete(other));
    return true;
  }));
  auto moved = R([&](Tx& tx) { return tx.forms().ListSubmissions(*form, 10); });
  ASSERT_TRUE(moved);
  ASSERT_EQ(moved->size(), 2u);
  EXPECT_EQ((*moved)[0].contact_id, keep);

  s.contact_id = other;  // deleted
  EXPECT_ERROR(W([&](Tx& tx) { return tx.forms().InsertSubmission(s); }),
               ErrorCode::kInvalidArgument, "contact_id");
  s.contact_id = keep;
  s.form_id = *form + 100;
  EXPECT_ERROR(W([&](Tx& tx) { return tx.forms().InsertSubmission(s); }),
               ErrorCode::kInvalidArgument, "form_id");
}

TEST_P(StoreContractTest, TrackerSitesRoundTripByKeyAndArchive) {
  core::TrackerSite s;
  s.public_key = "site_aaaaaaaaaaaaaaaaaaaaaa";
  s.name = "www";
  s.allowed_origins = {"https://www.example.com"};
  s.created_at = s.updated_at = kT0;
  auto id = W([&](Tx& tx) { return tx.forms().InsertSite(s); });
  ASSERT_TRUE(id);
  auto got = R([&](Tx& tx) { return tx.forms().FindSiteByKey("site_aaaaaaaaaaaaaaaaaaaaaa"); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->id, *id);
  EXPECT_EQ((*got)->allowed_origins, s.allowed_origins);
  EXPECT_ERROR(W([&](Tx& tx) { return tx.forms().InsertSite(s); }), ErrorCode::kAlreadyExists,
               "public_key");
  s.id = *id;
  s.archived = true;
  ASSERT_TRUE(W([&](Tx& tx) -> Result<bool> {
    TANDEM_TRY(tx.forms().UpdateSite(s));
    return true;
  }));
  auto active = R([&](Tx& tx) { return tx.forms().ListSites(false); });
  ASSERT_TRUE(active);
  EXPECT_TRUE(active->empty());
  auto all = R([&](Tx& tx) { return tx.forms().ListSites(true); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_TRUE((*all)[0].archived);
  auto by_id = R([&](Tx& tx) { return tx.forms().GetSite(*id); });
  ASSERT_TRUE(by_id && *by_id);
  s.id = *id + 1;
  EXPECT_ERROR(W([&](Tx& tx) -> Result<bool> {
                 TANDEM_TRY(tx.forms().UpdateSite(s));
                 return true;
               }),
               ErrorCode::kNotFound, "");
}

#include "store/notification_contract.hpp"  // NOLINT(build/include): part of this suite
#include "store/privacy_contract.hpp"       // NOLINT(build/include): part of this suite
#include "store/view_contract.hpp"          // NOLINT(build/include): part of this suite

#undef EXPECT_ERROR

}  // namespace tandem::store::contract

#include "store/analytics_contract.hpp"  // NOLINT(build/include): after the fixture
#include "store/feedback_contract.hpp"   // NOLINT(build/include): after the fixture
