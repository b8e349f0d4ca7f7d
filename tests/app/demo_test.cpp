#include "app/demo.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "app/analytics.hpp"
#include "app/auth.hpp"
#include "app/contract_file.hpp"
#include "app/demo_setup.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::app {
namespace {

using core::Contact;
using core::Instant;
using core::Stage;
using core::StageChange;

constexpr std::int64_t kContacts = 2000;
constexpr char kPassword[] = "demo-password-1";

Instant Now() {
  return *core::ParseInstant("2026-11-26T15:30:00Z");
}

std::unique_ptr<store::Store> OpenStore() {
  auto store = store::sqlite::OpenSqliteStore({.path = ":memory:", .read_connections = 1});
  EXPECT_TRUE(store) << store.error().message;
  return std::move(*store);
}

DemoSettings Settings(std::int64_t contacts = kContacts, std::uint64_t seed = 42) {
  DemoSettings s;
  s.contacts = contacts;
  s.days = 180;
  s.seed = seed;
  s.now = Now();
  s.password = kPassword;
  return s;
}

// Everything the demo wrote, read back through the store.
struct Loaded {
  std::vector<Contact> contacts;  // by id
  std::map<core::Id, std::vector<StageChange>> history;
  std::vector<core::Deal> deals;
  std::vector<core::Activity> activities;
  std::map<core::Id, core::User> users;
  std::vector<core::Team> teams;
  std::int64_t companies = 0;
};

Loaded Load(store::Store& store) {
  Loaded out;
  auto r = store.Read([&](store::Tx& tx) -> core::Result<void> {
    core::ContactQuery q;
    q.sort = core::ContactSort::kCreatedAt;
    q.dir = core::SortDir::kAsc;
    q.page.limit = core::kMaxPageSize;
    for (;;) {
      TANDEM_ASSIGN(auto page, tx.contacts().List(q));
      for (auto& c : page.items) out.contacts.push_back(std::move(c));
      if (!page.next) break;
      q.page.after = page.next;
    }
    std::sort(out.contacts.begin(), out.contacts.end(),
              [](const Contact& a, const Contact& b) { return a.id < b.id; });
    for (const auto& c : out.contacts) {
      TANDEM_ASSIGN(out.history[c.id], tx.stages().ListForContact(c.id));
    }
    core::DealQuery dq;
    dq.page.limit = core::kMaxPageSize;
    for (;;) {
      TANDEM_ASSIGN(auto page, tx.deals().List(dq));
      for (auto& d : page.items) out.deals.push_back(std::move(d));
      if (!page.next) break;
      dq.page.after = page.next;
    }
    core::ActivityQuery aq;
    aq.page.limit = core::kMaxPageSize;
    for (;;) {
      TANDEM_ASSIGN(auto page, tx.activities().List(aq));
      for (auto& a : page.items) out.activities.push_back(std::move(a));
      if (!page.next) break;
      aq.page.after = page.next;
    }
    core::UserQuery uq;
    uq.page.limit = core::kMaxPageSize;
    TANDEM_ASSIGN(auto users, tx.users().List(uq));
    for (auto& u : users.items) out.users[u.id] = u;
    TANDEM_ASSIGN(out.teams, tx.teams().List());
    core::CompanyQuery cq;
    cq.page.limit = core::kMaxPageSize;
    for (;;) {
      TANDEM_ASSIGN(auto page, tx.companies().List(cq));
      out.companies += std::ssize(page.items);
      if (!page.next) break;
      cq.page.after = page.next;
    }
    return {};
  });
  EXPECT_TRUE(r) << r.error().message;
  return out;
}

// A contact's tracked events, oldest first.
std::vector<core::Event> EventsOf(store::Store& store, core::Id contact) {
  std::vector<core::Event> out;
  auto r = store.Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(out, tx.events().ListForContact(contact, 1000));
    return {};
  });
  EXPECT_TRUE(r) << r.error().message;
  std::reverse(out.begin(), out.end());
  return out;
}

// One demo company shared by the tests that only read it (generating it takes a moment).
class DemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = OpenStore().release();
    hasher_ = new PasswordHasher(PasswordSettings::Fastest());
    auto summary =
        GenerateDemo(*store_, *hasher_, Settings(), [](std::int64_t done, std::int64_t total) {
          progress_calls_.push_back({done, total});
        });
    ASSERT_TRUE(summary) << summary.error().message;
    summary_ = new DemoSummary(*summary);
    loaded_ = new Loaded(Load(*store_));
  }
  static void TearDownTestSuite() {
    delete loaded_;
    delete summary_;
    delete hasher_;
    delete store_;
  }

  static store::Store* store_;
  static PasswordHasher* hasher_;
  static DemoSummary* summary_;
  static Loaded* loaded_;
  static std::vector<std::pair<std::int64_t, std::int64_t>> progress_calls_;
};
store::Store* DemoTest::store_ = nullptr;
PasswordHasher* DemoTest::hasher_ = nullptr;
DemoSummary* DemoTest::summary_ = nullptr;
Loaded* DemoTest::loaded_ = nullptr;
std::vector<std::pair<std::int64_t, std::int64_t>> DemoTest::progress_calls_;

int Rank(Stage s) {
  switch (s) {
    case Stage::kVisitor: return 0;
    case Stage::kLead: return 1;
    case Stage::kMql: return 2;
    case Stage::kSal: return 3;
    case Stage::kSql: return 4;
    case Stage::kOpportunity: return 5;
    case Stage::kCustomer: return 6;
    default: return -1;
  }
}

// The furthest main-path stage a contact reached (reaching a stage implies the ones before).
int Furthest(const std::vector<StageChange>& history) {
  int best = -1;
  for (const auto& h : history) best = std::max(best, Rank(h.to));
  return best;
}

// `k` of `n` converted; the band [lo, hi] of REFERENCE.md widened by 2.5 standard errors.
void ExpectInBand(const std::string& step, std::int64_t k, std::int64_t n, double lo, double hi) {
  ASSERT_GT(n, 0) << step;
  const double p = static_cast<double>(k) / n;
  const double tolerance = 2.5 * std::sqrt(std::max(p * (1 - p), 0.01) / n);
  EXPECT_GE(p, lo - tolerance) << step << ": " << k << "/" << n;
  EXPECT_LE(p, hi + tolerance) << step << ": " << k << "/" << n;
}

bool AtMqlOrBeyond(Stage s) {
  return Rank(s) >= 2;
}

TEST_F(DemoTest, SummaryCountsWhatWasWritten) {
  const DemoSummary& s = *summary_;
  const Loaded& l = *loaded_;
  EXPECT_EQ(s.contacts, kContacts);
  EXPECT_EQ(std::ssize(l.contacts), s.contacts);
  std::int64_t changes = 0;
  for (const auto& [id, h] : l.history) changes += std::ssize(h);
  EXPECT_EQ(changes, s.stage_changes);
  EXPECT_EQ(std::ssize(l.activities), s.activities);
  EXPECT_EQ(std::ssize(l.deals), s.deals);
  EXPECT_EQ(s.deals, s.deals_won + s.deals_lost + s.deals_open);
  std::map<core::DealStage, std::int64_t> by_deal_stage;
  for (const auto& d : l.deals) ++by_deal_stage[d.stage];
  EXPECT_EQ(by_deal_stage[core::DealStage::kWon], s.deals_won);
  EXPECT_EQ(by_deal_stage[core::DealStage::kLost], s.deals_lost);
  EXPECT_EQ(by_deal_stage[core::DealStage::kOpen], s.deals_open);
  EXPECT_EQ(l.companies, s.companies);
  EXPECT_EQ(std::ssize(l.users), s.users);
  EXPECT_EQ(s.users, 13);
  EXPECT_EQ(std::ssize(l.teams), s.teams);
  EXPECT_EQ(s.teams, 4);
  EXPECT_EQ(std::ssize(s.logins), s.users);
  std::array<std::int64_t, core::kAllStages.size()> by_stage{};
  for (const auto& c : l.contacts) ++by_stage[static_cast<std::size_t>(c.stage)];
  EXPECT_EQ(by_stage, s.contacts_by_stage);
  // A believable company: several contacts per company, plenty of history and activity.
  EXPECT_GT(s.companies, kContacts / 10);
  EXPECT_LT(s.companies, kContacts / 3);
  EXPECT_GT(s.stage_changes, kContacts);
  EXPECT_GT(s.activities, kContacts / 4);
  EXPECT_GT(s.deals_won, 0);
  EXPECT_GT(s.deals_lost, 0);
  EXPECT_GT(s.deals_open, 0);
}

TEST_F(DemoTest, ReportsProgressAfterEveryBatch) {
  ASSERT_FALSE(progress_calls_.empty());
  EXPECT_EQ(progress_calls_.front(), std::make_pair(std::int64_t{0}, kContacts));
  EXPECT_EQ(progress_calls_.back(), std::make_pair(kContacts, kContacts));
  EXPECT_EQ(std::ssize(progress_calls_),
            1 + (kContacts + kDemoBatchContacts - 1) / kDemoBatchContacts);
  EXPECT_TRUE(std::is_sorted(progress_calls_.begin(), progress_calls_.end()));
}

TEST_F(DemoTest, CurrentStageIsTheLastHistoryEntry) {
  for (const auto& c : loaded_->contacts) {
    const auto& h = loaded_->history.at(c.id);
    ASSERT_FALSE(h.empty()) << c.email;
    EXPECT_EQ(c.stage, h.back().to) << c.email;
    EXPECT_EQ(c.stage_entered_at, h.back().at) << c.email;
  }
}

TEST_F(DemoTest, HistoriesAreAllowedPathsInTimeOrderUpToNow) {
  for (const auto& c : loaded_->contacts) {
    const auto& h = loaded_->history.at(c.id);
    ASSERT_FALSE(h.empty());
    EXPECT_FALSE(h.front().from.has_value()) << c.email;
    EXPECT_EQ(h.front().cause, "created") << c.email;
    EXPECT_EQ(h.front().at, c.created_at) << c.email;
    EXPECT_TRUE(h.front().to == Stage::kLead || h.front().to == Stage::kVisitor) << c.email;
    for (std::size_t i = 0; i < h.size(); ++i) {
      EXPECT_LE(h[i].at, Now()) << c.email;
      if (i == 0) continue;
      ASSERT_TRUE(h[i].from.has_value()) << c.email;
      EXPECT_EQ(*h[i].from, h[i - 1].to) << c.email;
      EXPECT_TRUE(core::IsAllowedTransition(*h[i].from, h[i].to))
          << c.email << ": " << core::ToString(*h[i].from) << " -> " << core::ToString(h[i].to);
      EXPECT_GE(h[i].at, h[i - 1].at) << c.email;
    }
  }
}

TEST_F(DemoTest, RecycledAndDisqualifiedEntriesHaveReasons) {
  std::set<std::string> reasons;
  for (const auto& [id, h] : loaded_->history) {
    for (const auto& e : h) {
      if (core::RequiresReason(e.to)) {
        EXPECT_FALSE(e.reason.empty()) << "contact " << id;
        reasons.insert(e.reason);
      }
    }
  }
  for (const char* r : {"no_budget", "wrong_persona", "student", "competitor", "bad_timing"}) {
    EXPECT_TRUE(reasons.count(r)) << r;
  }
}

// A rep's rejection of an MQL names a reason code of the demo's contract, and goes where that
// code says (recycled or disqualified).
TEST_F(DemoTest, RejectedMqlsCarryTheContractsReasonCodes) {
  auto contract = ParseContract(ExampleContract());
  ASSERT_TRUE(contract) << "the example contract does not parse";
  std::map<std::string, Stage> next;
  for (const auto& r : contract->rejection_reasons) next[r.code] = r.next;
  ASSERT_FALSE(next.empty());
  int rejections = 0;
  std::set<std::string> used;
  for (const auto& [id, h] : loaded_->history) {
    for (const auto& e : h) {
      if (!e.from || *e.from != Stage::kMql || e.to == Stage::kSal) continue;
      ++rejections;
      auto it = next.find(e.reason);
      ASSERT_NE(it, next.end()) << "contact " << id << ": reason '" << e.reason << "'";
      EXPECT_EQ(it->second, e.to) << e.reason;
      used.insert(e.reason);
    }
  }
  EXPECT_GT(rejections, 100);
  EXPECT_GE(used.size(), 6u);
}

TEST_F(DemoTest, ConversionRatesSitInTheReferenceBands) {
  std::array<std::int64_t, 7> reached{};  // by rank: contacts that got at least that far
  for (const auto& [id, h] : loaded_->history) {
    for (int r = 0; r <= Furthest(h); ++r) ++reached[static_cast<std::size_t>(r)];
  }
  // REFERENCE.md, "B2B funnel benchmarks".
  ExpectInBand("lead -> mql", reached[2], reached[1], 0.10, 0.40);
  ExpectInBand("mql -> sal", reached[3], reached[2], 0.40, 0.60);
  ExpectInBand("sal -> sql", reached[4], reached[3], 0.50, 0.70);
  ExpectInBand("mql -> sql", reached[4], reached[2], 0.13, 0.60);
  ExpectInBand("sql -> opportunity", reached[5], reached[4], 0.30, 0.80);
  ExpectInBand("opportunity -> won (closed deals)", summary_->deals_won,
               summary_->deals_won + summary_->deals_lost, 0.10, 0.35);
  ExpectInBand("opportunity -> won (all deals)", reached[6], reached[5], 0.10, 0.35);
}

TEST_F(DemoTest, PaidSocialMqlsAreAcceptedLessThanReferrals) {
  std::map<std::string, std::pair<int, int>> by_source;  // accepted, mqls
  for (const auto& c : loaded_->contacts) {
    const int furthest = Furthest(loaded_->history.at(c.id));
    if (furthest >= 2) {
      ++by_source[c.source].second;
      if (furthest >= 3) ++by_source[c.source].first;
    }
  }
  auto rate = [&](const std::string& s) {
    return static_cast<double>(by_source[s].first) / std::max(1, by_source[s].second);
  };
  EXPECT_EQ(by_source.size(), 8u);
  EXPECT_LT(rate("paid_social"), rate("referral"));
  EXPECT_LT(rate("paid_social"), rate("organic_search"));
}

TEST_F(DemoTest, QualifiedContactsAreOwnedByActiveRepsOfTheirTerritory) {
  std::map<core::Id, std::string> team_region;
  for (const auto& t : loaded_->teams) team_region[t.id] = t.region;
  for (const auto& c : loaded_->contacts) {
    if (!AtMqlOrBeyond(c.stage)) continue;
    ASSERT_TRUE(c.owner_id.has_value()) << c.email;
    const core::User& owner = loaded_->users.at(*c.owner_id);
    EXPECT_EQ(owner.role, core::Role::kSales) << c.email;
    EXPECT_TRUE(owner.active) << c.email;
    const bool na = c.country == "US" || c.country == "CA";
    EXPECT_EQ(team_region.at(*owner.team_id), na ? "North America" : "EMEA") << c.email;
  }
}

TEST_F(DemoTest, DealsAgreeWithTheirContactsLifecycle) {
  std::map<core::Id, const Contact*> by_id;
  for (const auto& c : loaded_->contacts) by_id[c.id] = &c;
  for (const auto& d : loaded_->deals) {
    ASSERT_TRUE(d.contact_id.has_value());
    const Contact& c = *by_id.at(*d.contact_id);
    EXPECT_EQ(d.company_id, c.company_id);
    EXPECT_EQ(d.owner_id, c.owner_id);
    EXPECT_EQ(d.currency, "EUR");
    EXPECT_GE(d.amount_minor, 8'000'00);
    EXPECT_LE(d.amount_minor, 60'000'00);
    EXPECT_TRUE(d.expected_close.has_value());
    const auto& h = loaded_->history.at(c.id);
    auto created = std::find_if(h.begin(), h.end(),
                                [](const StageChange& e) { return e.cause == "deal_created"; });
    ASSERT_NE(created, h.end()) << c.email;
    EXPECT_EQ(created->to, Stage::kOpportunity);
    EXPECT_EQ(created->at, d.created_at);
    switch (d.stage) {
      case core::DealStage::kWon:
        EXPECT_EQ(c.stage, Stage::kCustomer) << c.email;
        EXPECT_EQ(h.back().cause, "deal_won");
        EXPECT_EQ(d.closed_at, c.stage_entered_at);
        break;
      case core::DealStage::kLost:
        EXPECT_FALSE(d.lost_reason.empty());
        EXPECT_TRUE(d.closed_at.has_value());
        EXPECT_TRUE(std::any_of(h.begin(), h.end(), [](const StageChange& e) {
          return e.cause == "deal_lost" && e.to == Stage::kRecycled;
        })) << c.email;
        break;
      case core::DealStage::kOpen:
        EXPECT_EQ(c.stage, Stage::kOpportunity) << c.email;
        EXPECT_FALSE(d.closed_at.has_value());
        break;
    }
  }
  // And every customer has its won deal.
  std::int64_t customers = summary_->contacts_by_stage[static_cast<std::size_t>(Stage::kCustomer)];
  EXPECT_EQ(customers, summary_->deals_won);
}

TEST_F(DemoTest, ActivitiesAreByStaffBetweenCreationAndNow) {
  std::map<core::Id, const Contact*> by_id;
  for (const auto& c : loaded_->contacts) by_id[c.id] = &c;
  std::set<core::ActivityType> types;
  for (const auto& a : loaded_->activities) {
    ASSERT_TRUE(a.contact_id.has_value());
    const Contact& c = *by_id.at(*a.contact_id);
    EXPECT_LE(a.occurred_at, Now());
    EXPECT_GE(a.occurred_at, c.created_at);
    const core::User& owner = loaded_->users.at(a.owner_id);
    if (a.type == core::ActivityType::kNote && a.subject == "Marketing note") {
      EXPECT_EQ(owner.role, core::Role::kMarketing);
    } else {
      EXPECT_EQ(owner.role, core::Role::kSales);
      EXPECT_EQ(std::optional(a.owner_id), c.owner_id);
    }
    types.insert(a.type);
  }
  EXPECT_EQ(types.size(), 4u);
}

TEST_F(DemoTest, ContactsLookReal) {
  std::set<std::string> emails, personas, countries, titles;
  for (const auto& c : loaded_->contacts) {
    EXPECT_TRUE(emails.insert(c.email).second) << c.email;
    EXPECT_TRUE(core::Validate(c)) << c.email;
    EXPECT_TRUE(c.email.ends_with(".example")) << c.email;
    EXPECT_FALSE(c.first_name.empty());
    EXPECT_FALSE(c.last_name.empty());
    EXPECT_GE(c.created_at, Now() - std::chrono::days(180));
    EXPECT_LE(c.created_at, Now());
    ASSERT_TRUE(c.custom.count("persona")) << c.email;
    personas.insert(c.custom.at("persona"));
    countries.insert(c.country);
    titles.insert(c.title);
  }
  EXPECT_EQ(personas,
            (std::set<std::string>{"head_of_data_saas", "none", "ops_leader_manufacturing"}));
  EXPECT_GE(countries.size(), 10u);
  EXPECT_GE(titles.size(), 30u);
}

TEST_F(DemoTest, ArrivalsDipAtWeekendsAndGrowOverTime) {
  std::array<std::int64_t, 7> by_weekday{};
  std::int64_t first_half = 0, second_half = 0;
  const Instant mid = Now() - std::chrono::days(90);
  for (const auto& c : loaded_->contacts) {
    const std::chrono::weekday wd{std::chrono::floor<std::chrono::days>(c.created_at)};
    ++by_weekday[wd.c_encoding()];
    (c.created_at < mid ? first_half : second_half)++;
  }
  const double weekend = (by_weekday[0] + by_weekday[6]) / 2.0;
  const double weekday =
      (by_weekday[1] + by_weekday[2] + by_weekday[3] + by_weekday[4] + by_weekday[5]) / 5.0;
  EXPECT_GT(weekend / weekday, 0.55);
  EXPECT_LT(weekend / weekday, 0.85);
  EXPECT_GT(second_half, first_half);
}

TEST_F(DemoTest, WritesOneSummaryAuditEntry) {
  std::vector<core::AuditEntry> entries;
  auto r = store_->Read([&](store::Tx& tx) -> core::Result<void> {
    core::AuditQuery q;
    q.page.limit = core::kMaxPageSize;
    TANDEM_ASSIGN(auto page, tx.audit().List(q));
    entries = std::move(page.items);
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  std::vector<core::AuditEntry> demo;
  for (auto& e : entries) {
    if (e.entity != "user" || e.action != core::AuditAction::kLogin) demo.push_back(e);
  }
  ASSERT_EQ(demo.size(), 1u);
  EXPECT_EQ(demo[0].entity, "demo");
  EXPECT_EQ(demo[0].actor.name, "system:demo");
  EXPECT_TRUE(demo[0].actor.is_system());
  bool has_contacts = false;
  for (const auto& ch : demo[0].changes) {
    if (ch.field == "contacts") {
      EXPECT_EQ(ch.after, std::to_string(kContacts));
      has_contacts = true;
    }
  }
  EXPECT_TRUE(has_contacts);
}

TEST_F(DemoTest, DemoUsersLogInWithTheDemoPassword) {
  base::FakeClock clock(Now());
  AuthService auth(*store_, clock, *hasher_);
  std::set<core::Role> roles;
  for (const DemoLogin& login : summary_->logins) {
    EXPECT_TRUE(login.email.ends_with(std::string("@") + std::string(kDemoDomain)));
    auto r = auth.Login(login.email, kPassword, core::SessionKind::kBearer);
    ASSERT_TRUE(r) << login.email << ": " << r.error().message;
    EXPECT_EQ(r->user.role, login.role);
    roles.insert(login.role);
  }
  EXPECT_EQ(roles.size(), 4u);
  auto wrong =
      auth.Login(summary_->logins.front().email, "not-the-password", core::SessionKind::kBearer);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kUnauthenticated);
}

TEST_F(DemoTest, RefusesAStoreThatAlreadyHasContacts) {
  auto again = GenerateDemo(*store_, *hasher_, Settings(10));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::kFailedPrecondition);
  std::int64_t count = 0;
  ASSERT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(count, tx.contacts().CountAll());
    return {};
  }));
  EXPECT_EQ(count, kContacts);
}

TEST_F(DemoTest, DescribeListsTheLoginsAndThePassword) {
  const std::string text = Describe(*summary_, kPassword);
  EXPECT_NE(text.find(kPassword), std::string::npos);
  for (const DemoLogin& login : summary_->logins) {
    EXPECT_NE(text.find(login.email), std::string::npos) << login.email;
  }
  EXPECT_NE(text.find("2,000 contacts"), std::string::npos) << text;
}

// Whatever the seed and however small or short the demo, deals are won all through the window
// (one at least in every slice of about two weeks), so the planner can measure the deal size and
// every rate over the demo's days; their contacts' histories run the whole main path in order.
TEST(DemoWonDealsTest, EveryTwoWeeksOfTheWindowHaveAWonDeal) {
  PasswordHasher hasher(PasswordSettings::Fastest());
  struct Case {
    std::int64_t contacts;
    int days;
  };
  for (const Case& k : {Case{60, 60}, Case{150, 30}, Case{250, 180}, Case{3000, 60}}) {
    for (std::uint64_t seed : {1u, 2u, 3u, 42u, 2026u}) {
      SCOPED_TRACE("contacts " + std::to_string(k.contacts) + ", days " + std::to_string(k.days) +
                   ", seed " + std::to_string(seed));
      auto store = OpenStore();
      DemoSettings s = Settings(k.contacts, seed);
      s.days = k.days;
      auto summary = GenerateDemo(*store, hasher, s);
      ASSERT_TRUE(summary) << summary.error().message;
      const Loaded loaded = Load(*store);
      const std::int64_t now = core::ToMillis(Now());
      const std::int64_t start = now - k.days * 24 * 3'600'000LL;
      const std::int64_t slices = std::max(1, k.days / 14);
      const std::int64_t len = (now - start) / slices;
      std::vector<int> won(static_cast<std::size_t>(slices));
      std::map<core::Id, const Contact*> by_id;
      for (const auto& c : loaded.contacts) by_id[c.id] = &c;
      for (const auto& d : loaded.deals) {
        if (d.stage != core::DealStage::kWon) continue;
        ASSERT_TRUE(d.closed_at);
        const std::int64_t at = core::ToMillis(*d.closed_at);
        ASSERT_GE(at, start);
        ASSERT_LE(at, now);
        ++won[static_cast<std::size_t>(std::min(slices - 1, (at - start) / len))];
        // The contact reached the customer stage through every step, in time order.
        ASSERT_TRUE(d.contact_id);
        const auto& h = loaded.history.at(*d.contact_id);
        EXPECT_EQ(h.back().to, Stage::kCustomer);
        EXPECT_EQ(h.back().at, *d.closed_at);
        EXPECT_EQ(by_id.at(*d.contact_id)->stage, Stage::kCustomer);
        for (std::size_t i = 1; i < h.size(); ++i) EXPECT_LT(h[i - 1].at, h[i].at);
        EXPECT_GE(*d.closed_at, by_id.at(*d.contact_id)->created_at);
      }
      for (std::int64_t i = 0; i < slices; ++i) {
        EXPECT_GE(won[static_cast<std::size_t>(i)], 1) << "no deal won in slice " << i;
      }
      EXPECT_EQ(summary->deals_won, std::accumulate(won.begin(), won.end(), 0));
      // The planner measures the deal size and the rates over the demo (its precondition that a
      // deal was won in the window stands).
      if (k.contacts >= 250) {
        base::FakeClock clock(Now());
        AnalyticsService analytics(*store, clock);
        PlanRequest req;
        req.revenue_minor = 500'000'00;
        req.from = date::sys_days{date::year{2027} / 1 / 1};
        req.to = date::sys_days{date::year{2027} / 3 / 31};
        req.trailing_days = k.days;
        auto plan = analytics.Plan(core::Principal{}, req);
        ASSERT_TRUE(plan) << plan.error().field << ": " << plan.error().message;
        EXPECT_TRUE(plan->deal_size_measured);
      }
    }
  }
}

TEST(DemoDeterminismTest, SameSeedAndNowGiveTheSameCompany) {
  PasswordHasher hasher(PasswordSettings::Fastest());
  auto a_store = OpenStore();
  auto b_store = OpenStore();
  auto c_store = OpenStore();
  auto a = GenerateDemo(*a_store, hasher, Settings(700));
  auto b = GenerateDemo(*b_store, hasher, Settings(700));
  auto c = GenerateDemo(*c_store, hasher, Settings(700, 7));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  const Loaded la = Load(*a_store), lb = Load(*b_store), lc = Load(*c_store);
  ASSERT_EQ(la.contacts.size(), lb.contacts.size());
  for (std::size_t i = 0; i < 200; ++i) {
    const Contact &x = la.contacts[i], &y = lb.contacts[i];
    EXPECT_EQ(x.email, y.email);
    EXPECT_EQ(x.first_name, y.first_name);
    EXPECT_EQ(x.title, y.title);
    EXPECT_EQ(x.phone, y.phone);
    EXPECT_EQ(x.company_id, y.company_id);
    EXPECT_EQ(x.owner_id, y.owner_id);
    EXPECT_EQ(x.stage, y.stage);
    EXPECT_EQ(x.stage_entered_at, y.stage_entered_at);
    EXPECT_EQ(x.source, y.source);
    EXPECT_EQ(x.campaign, y.campaign);
    EXPECT_EQ(x.custom, y.custom);
    EXPECT_EQ(x.created_at, y.created_at);
    EXPECT_EQ(la.history.at(x.id).size(), lb.history.at(y.id).size());
    const auto ex = EventsOf(*a_store, x.id), ey = EventsOf(*b_store, y.id);
    ASSERT_EQ(ex.size(), ey.size()) << x.email;
    for (std::size_t k = 0; k < ex.size(); ++k) {
      EXPECT_EQ(ex[k].event_id, ey[k].event_id);
      EXPECT_EQ(ex[k].type, ey[k].type);
      EXPECT_EQ(ex[k].occurred_at, ey[k].occurred_at);
      EXPECT_EQ(ex[k].anonymous_id, ey[k].anonymous_id);
      EXPECT_EQ(ex[k].utm_source, ey[k].utm_source);
      EXPECT_EQ(ex[k].utm_campaign, ey[k].utm_campaign);
      EXPECT_EQ(ex[k].properties, ey[k].properties);
    }
  }
  EXPECT_EQ(la.activities.size(), lb.activities.size());
  // Another seed, another company.
  EXPECT_NE(la.contacts[0].email, lc.contacts[0].email);
}

TEST_F(DemoTest, TrackedEventsAreToldByEachContactsHistory) {
  ASSERT_GT(summary_->events, 2 * kContacts);
  ASSERT_GT(summary_->identified_visitors, 0);
  std::int64_t events = 0, visitors = 0, tagged = 0, scored = 0;
  for (const Contact& c : loaded_->contacts) {
    const auto& history = loaded_->history.at(c.id);
    const auto list = EventsOf(*store_, c.id);
    events += std::ssize(list);
    bool anonymous = false;
    for (const auto& e : list) {
      // Within the demo's time, and never before the contact existed.
      EXPECT_GE(e.occurred_at, c.created_at) << c.email << " " << e.type;
      EXPECT_LE(e.occurred_at, Now()) << c.email;
      EXPECT_EQ(e.contact_id, c.id);
      if (e.email.empty()) {
        anonymous = true;
        EXPECT_EQ(history.front().to, Stage::kVisitor) << c.email;
      } else {
        EXPECT_EQ(e.email, c.email);
      }
      if (!e.utm_campaign.empty()) {
        EXPECT_EQ(e.utm_campaign, c.campaign) << c.email;
        ++tagged;
      }
    }
    for (std::size_t i = 0; i < history.size(); ++i) {
      const StageChange& h = history[i];
      const Instant before = i == 0 ? c.created_at : history[i - 1].at;
      auto in = [&](std::string_view type, Instant from, Instant to) {
        return std::any_of(list.begin(), list.end(), [&](const core::Event& e) {
          return e.type == type && e.occurred_at >= from && e.occurred_at <= to;
        });
      };
      // The rule qualified on a demo request made just before.
      if (h.to == Stage::kMql) EXPECT_TRUE(in("demo_request", before, h.at)) << c.email;
      // Nothing after a contact was disqualified or won.
      if (h.to == Stage::kDisqualified || h.to == Stage::kCustomer) {
        for (const auto& e : list) EXPECT_LE(e.occurred_at, h.at) << c.email << " " << e.type;
      }
    }
    // A lead never qualified asked for no demo.
    if (Furthest(history) < 2) {
      for (const auto& e : list) EXPECT_NE(e.type, "demo_request") << c.email;
    }
    if (anonymous) {
      ++visitors;
      auto linked = store_->Read([&](store::Tx& tx) -> core::Result<void> {
        TANDEM_ASSIGN(auto who, tx.identities().Find(store::IdentityKind::kAnonymous,
                                                     list.front().anonymous_id));
        EXPECT_EQ(who, std::optional<core::Id>(c.id)) << c.email;
        return {};
      });
      EXPECT_TRUE(linked);
    }
    // The engagement score is the events' under the default rules.
    auto score = store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(auto got, tx.scoring().GetScore(c.id));
      if (list.empty()) return {};
      EXPECT_TRUE(got) << c.email;
      if (!got) return {};
      EXPECT_GT(got->engagement.value, 0.0) << c.email;
      EXPECT_EQ(got->engagement.last_update, list.back().occurred_at) << c.email;
      ++scored;
      return {};
    });
    EXPECT_TRUE(score);
  }
  EXPECT_EQ(events, summary_->events);
  EXPECT_EQ(visitors, summary_->identified_visitors);
  EXPECT_GT(tagged, kContacts / 2);
  EXPECT_GT(scored, kContacts * 9 / 10);
}

TEST_F(DemoTest, AttributionCreditsCampaignsFromTheTrackedEvents) {
  base::FakeClock clock(Now());
  Services services(*store_, clock, PasswordSettings::Fastest());
  core::Principal admin;
  for (const auto& [id, u] : loaded_->users) {
    if (u.role == core::Role::kAdmin) admin = {u.id, u.email, u.role, std::nullopt};
  }
  ASSERT_GT(admin.user_id, 0);
  core::AttributionQuery q;
  q.from = Now() - std::chrono::days(200);
  q.to = Now();
  q.by = core::AttributionBreakdown::kCampaign;
  auto report = services.attribution.Attribution(admin, q, core::AttributionModel::kLinear);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->has_data);
  int campaigns = 0;
  std::int64_t credited = 0;
  for (const auto& row : report->result.rows) {
    if (row.key.empty()) continue;
    ++campaigns;
    EXPECT_GT(row.touches, 0) << row.key;
    credited += row.revenue_minor + row.pipeline_minor;
  }
  EXPECT_GE(campaigns, 5);
  EXPECT_GT(credited, 0);
  EXPECT_LT(report->result.unattributed_deals,
            report->result.won_deals + report->result.open_deals);
}

// What both teams agreed on is set up through the services: two personas signed off by both
// heads, the scoring rules with the contract's MQL rule, and the contract in force with the
// three heads' acknowledgements. The re-score job then finds the personas in the data.
TEST(DemoSetupTest, PersonasRulesAndContractAreAgreedAndMatchTheData) {
  auto store = OpenStore();
  PasswordHasher hasher(PasswordSettings::Fastest());
  ASSERT_TRUE(GenerateDemo(*store, hasher, Settings(600)));
  base::FakeClock clock(Now() + std::chrono::minutes(5));
  Services services(*store, clock, PasswordSettings::Fastest());
  auto setup = ConfigureDemo(services);
  ASSERT_TRUE(setup) << setup.error().message;
  EXPECT_EQ(setup->personas,
            (std::vector<std::string>{"ops_leader_manufacturing", "head_of_data_saas"}));
  EXPECT_EQ(setup->mql_rule, "grade >= B and engagement >= 40");
  EXPECT_EQ(setup->acknowledged_by.size(), 3u);
  EXPECT_NE(Describe(*setup).find("contract v1"), std::string::npos);

  core::Principal admin;
  auto users = store->Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(auto u, tx.users().FindByEmail("sam.okafor@northwind-analytics.example"));
    admin = {u->id, u->email, u->role, std::nullopt};
    return {};
  });
  ASSERT_TRUE(users);
  auto personas = services.personas.List(admin, false);
  ASSERT_TRUE(personas);
  ASSERT_EQ(personas->size(), 2u);
  std::map<core::Id, std::string> key_of;
  for (const auto& v : *personas) {
    EXPECT_TRUE(v.signed_off) << v.persona.key;
    key_of[v.persona.id] = v.persona.key;
  }
  auto current = services.contracts.Current(admin);
  ASSERT_TRUE(current) << current.error().message;
  EXPECT_TRUE(current->pending.empty());

  // Fit for everyone, in the background job the rules change queued.
  for (int i = 0; i < 100; ++i) {
    auto more = services.scoring.RunJobBatch();
    ASSERT_TRUE(more) << more.error().message;
    if (!*more) break;
  }
  Loaded loaded = Load(*store);
  int matched = 0, persona_contacts = 0, stray = 0;
  auto r = store->Read([&](store::Tx& tx) -> core::Result<void> {
    for (const auto& c : loaded.contacts) {
      TANDEM_ASSIGN(auto score, tx.scoring().GetScore(c.id));
      if (!score) return core::Fail(core::Error::Internal("contact without a score"));
      const std::string drawn = c.custom.at("persona");
      const std::string found =
          score->persona_id && score->grade <= core::Grade::kB ? key_of[*score->persona_id] : "";
      if (drawn != "none") {
        ++persona_contacts;
        if (found == drawn) ++matched;
      } else if (!found.empty()) {
        ++stray;
      }
      TANDEM_ASSIGN(auto history, tx.stages().ListForContact(c.id));
      for (const auto& h : history) {
        // The re-score found no lead the demo's own MQL rule had not qualified: a lead's
        // tracked events stay under 40 points.
        EXPECT_NE(h.actor.name, core::Actor::System("scoring").name) << c.email;
      }
    }
    return {};
  });
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_GT(persona_contacts, 50);
  // The personas' criteria find the contacts the demo drew from them (grade A or B), and
  // rarely anyone else.
  EXPECT_GE(matched * 10, persona_contacts * 9) << matched << " of " << persona_contacts;
  EXPECT_LE(stray * 10, static_cast<int>(loaded.contacts.size())) << stray;
  EXPECT_GT(matched, 0);
}

TEST(DemoSettingsTest, RejectsBadSettingsBeforeWriting) {
  PasswordHasher hasher(PasswordSettings::Fastest());
  auto store = OpenStore();
  auto field_of = [&](DemoSettings s) {
    auto r = GenerateDemo(*store, hasher, s);
    EXPECT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
    return r.error().field;
  };
  auto s = Settings();
  s.contacts = -1;
  EXPECT_EQ(field_of(s), "contacts");
  s = Settings();
  s.days = 0;
  EXPECT_EQ(field_of(s), "days");
  s = Settings();
  s.now = Instant{};
  EXPECT_EQ(field_of(s), "now");
  s = Settings();
  s.password = "short";
  EXPECT_EQ(field_of(s), "password");
  // Nothing was written: a valid run still succeeds.
  auto ok = GenerateDemo(*store, hasher, Settings(0));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->contacts, 0);
  EXPECT_EQ(ok->users, 13);
}

}  // namespace
}  // namespace tandem::app
