#include "api/api_fixture.hpp"
#include "app/handoff_fixture.hpp"

namespace tandem::api::apitest {
namespace {

using app::apptest::HandoffContract;
using app::apptest::kFriday1730Paris;

double D(const json::value& v) {
  return v.to_number<double>();
}

// A weekly pool of 700.00 EUR: first touch (weight 50, threshold 70%), the MQL quota (30, 80%,
// capped at 120%) and revenue (20, 50%); the pool pays at most 100% of itself.
std::string PayContract() {
  return HandoffContract() + R"(
[compensation]
pool = 700
currency = "EUR"
period = "week"
cap_percent = 100

[[compensation.kpis]]
kpi = "first_touch_on_time"
weight = 50
threshold_percent = 70

[[compensation.kpis]]
kpi = "mql_quota_attainment"
weight = 30
threshold_percent = 80
cap_percent = 120

[[compensation.kpis]]
kpi = "revenue_attainment"
weight = 20
threshold_percent = 50
)";
}

// The SLA compliance scenario (tests/api/compliance_api_test.cpp): four MQLs routed Friday
// 2026-11-27 17:30 in Paris, three first touches on time and one missed, under a contract with
// a quota of 10 MQLs a week in force from Friday 17:30; rep1 and rep2 in the team "Sales".
class PayApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    clock_.Set(kFriday1730Paris);
    manager_ = Login("manager@acme.example");
    rep1_ = Login("rep1@acme.example");
    rep2_ = Login("rep2@acme.example");
    auto v = services_->contracts.ActivateAsOperator(PayContract(), std::nullopt, std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
    core::Team t;
    t.name = "Sales";
    t.function = core::TeamFunction::kSales;
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(auto team, tx.teams().Insert(t));
      for (core::Id id : {rep1_id_, rep2_id_}) {
        TANDEM_ASSIGN(auto u, tx.users().Get(id));
        u->team_id = team;
        TANDEM_TRY(tx.users().Update(*u));
      }
      return {};
    }));
  }

  core::Id Mql(const std::string& email) {
    const core::Id id = NewContact(email);
    auto r = As(manager_, "POST", "/api/v1/contacts/" + std::to_string(id) + "/stage",
                R"({"stage":"mql"})");
    EXPECT_EQ(r.status(), 200) << r;
    return id;
  }

  void Call(const std::string& token, core::Id contact, const std::string& at) {
    clock_.Set(*core::ParseInstant(at));
    auto r = As(token, "POST", "/api/v1/activities",
                WriteJson(json::object{{"type", "call"}, {"contact_id", contact}}));
    ASSERT_EQ(r.status(), 201) << r;
  }

  void FridayLeads() {
    const auto l1 = Mql("a@client.example");
    const auto l2 = Mql("b@client.example");
    const auto l3 = Mql("c@client.example");
    Mql("d@client.example");
    Call(rep1_, l1, "2026-11-27T16:50:00Z");
    clock_.Set(*core::ParseInstant("2026-11-30T07:00:00Z"));
    rep1_ = Login("rep1@acme.example");
    rep2_ = Login("rep2@acme.example");
    Call(rep2_, l2, "2026-11-30T08:30:00Z");
    Call(rep1_, l3, "2026-11-30T11:30:00Z");
    clock_.Set(*core::ParseInstant("2026-11-30T14:00:00Z"));
    manager_ = Login("manager@acme.example");
    marketer_ = Login("marketer@acme.example");
    admin_ = Login("admin@acme.example");
  }

  static constexpr const char* kWeek = "/api/v1/pay?from=2026-11-23&to=2026-11-29";
};

TEST_F(PayApiTest, AHeadSeesEveryPayoutWithTheArithmetic) {
  FridayLeads();
  auto r = As(manager_, "GET", kWeek);
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("time_zone"), "Europe/Paris");
  EXPECT_EQ(r.Str("scope"), "all");
  EXPECT_EQ(r.Str("period"), "week");
  EXPECT_DOUBLE_EQ(D(r.body.at("pool")), 700.0);
  const auto& lines = r.body.at("lines").as_array();
  ASSERT_EQ(lines.size(), 3u);
  // First touch: 3 on time of 4 decided = 75% >= 70%: 350.00 x 75% = 262.50.
  EXPECT_EQ(S(lines[0].at("kpi")), "first_touch_on_time");
  EXPECT_DOUBLE_EQ(D(lines[0].at("actual")), 3.0);
  EXPECT_DOUBLE_EQ(D(lines[0].at("target")), 4.0);
  EXPECT_TRUE(lines[0].at("threshold_met").as_bool());
  EXPECT_DOUBLE_EQ(D(lines[0].at("kpi_pool")), 350.0);
  EXPECT_DOUBLE_EQ(D(lines[0].at("earned")), 262.5);
  // Quota: 4 MQLs against 10 x 54.5 / 168 expected (the quota accrues from Friday 17:30):
  // 123.3%, capped at 120%: 210.00 x 120% = 252.00.
  EXPECT_NEAR(D(lines[1].at("target")), 10 * 54.5 / 168, 1e-9);
  EXPECT_TRUE(lines[1].at("cap_applied").as_bool());
  EXPECT_DOUBLE_EQ(D(lines[1].at("earned")), 252.0);
  // Revenue: no revenue goal, no data, nothing.
  EXPECT_TRUE(lines[2].at("attainment").is_null());
  EXPECT_EQ(S(lines[2].at("no_data")), "no revenue goal in EUR covers the period");
  EXPECT_DOUBLE_EQ(D(lines[2].at("earned")), 0.0);
  // 514.50 for manager, marketer (the heads), rep1 and rep2 (team Sales): 128.625 each, the
  // 2 cents left to the first two by user id.
  EXPECT_DOUBLE_EQ(D(r.body.at("total")), 514.5);
  EXPECT_FALSE(r.body.at("pool_cap_applied").as_bool());
  const auto& payouts = r.body.at("payouts").as_array();
  ASSERT_EQ(payouts.size(), 4u);
  EXPECT_EQ(payouts[0].at("user_id").as_int64(), manager_id_);
  EXPECT_DOUBLE_EQ(D(payouts[0].at("amount")), 128.63);
  EXPECT_EQ(payouts[1].at("user_id").as_int64(), marketer_id_);
  EXPECT_DOUBLE_EQ(D(payouts[1].at("amount")), 128.63);
  EXPECT_EQ(payouts[2].at("user_id").as_int64(), rep1_id_);
  EXPECT_DOUBLE_EQ(D(payouts[2].at("amount")), 128.62);
  EXPECT_DOUBLE_EQ(D(payouts[3].at("amount")), 128.62);
  const auto& st = r.body.at("statement").as_array();
  EXPECT_EQ(S(st.back()),
            "Shared equally by 4 participants: 514.50 EUR / 4 = 128.62 EUR each, the 2 cent(s) "
            "left to the first in order.");
}

TEST_F(PayApiTest, RevenueIsMeasuredAgainstTheRevenueGoalProRatedToThePeriod) {
  // A revenue goal of 10,000.00 EUR over two weeks (23 November to 6 December): 7 of its 14
  // days fall in the pay period, so the target is 5,000.00. A 3,000.00 deal won on Friday:
  // 60%, over the 50% threshold: 140.00 x 60% = 84.00.
  const core::Principal manager{manager_id_, "manager@acme.example", core::Role::kManager,
                                std::nullopt};
  core::Goal g;
  g.name = "Revenue, two weeks";
  g.metric = core::GoalMetric::kRevenue;
  g.target = 1'000'000;
  g.from = core::Date(std::chrono::year{2026} / 11 / 23);
  g.to = core::Date(std::chrono::year{2026} / 12 / 6);
  auto goal = services_->goals.Create(manager, g, {"manager@acme.example"});
  ASSERT_TRUE(goal) << goal.error().message;
  core::Deal d;
  d.title = "Pilot";
  d.amount_minor = 300'000;
  d.currency = "EUR";
  d.stage = core::DealStage::kWon;
  auto deal = services_->deals.Create(manager, d);
  ASSERT_TRUE(deal) << deal.error().message;
  FridayLeads();
  auto r = As(manager_, "GET", kWeek);
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.body.at("goal_id").as_int64(), goal->goal.id);
  const auto& revenue = r.body.at("lines").as_array()[2];
  EXPECT_EQ(S(revenue.at("kpi")), "revenue_attainment");
  EXPECT_DOUBLE_EQ(D(revenue.at("actual")), 3000.0);
  EXPECT_DOUBLE_EQ(D(revenue.at("target")), 5000.0);
  EXPECT_DOUBLE_EQ(D(revenue.at("attainment")), 0.6);
  EXPECT_TRUE(revenue.at("threshold_met").as_bool());
  EXPECT_DOUBLE_EQ(D(revenue.at("earned")), 84.0);
  // 262.50 + 252.00 + 84.00 = 598.50 for 4: 149.625 each, 2 cents to the first two.
  EXPECT_DOUBLE_EQ(D(r.body.at("total")), 598.5);
  const auto& payouts = r.body.at("payouts").as_array();
  ASSERT_EQ(payouts.size(), 4u);
  EXPECT_DOUBLE_EQ(D(payouts[0].at("amount")), 149.63);
  EXPECT_DOUBLE_EQ(D(payouts[3].at("amount")), 149.62);
}

TEST_F(PayApiTest, EverybodyElseSeesTheirOwnOnly) {
  FridayLeads();
  auto own = As(rep2_, "GET", kWeek);
  ASSERT_EQ(own.status(), 200) << own;
  EXPECT_EQ(own.Str("scope"), "own");
  const auto& p = own.body.at("payouts").as_array();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].at("user_id").as_int64(), rep2_id_);
  EXPECT_DOUBLE_EQ(D(p[0].at("amount")), 128.62);
  auto other = As(rep2_, "GET", std::string(kWeek) + "&user_id=" + std::to_string(rep1_id_));
  EXPECT_EQ(other.status(), 403) << other;
  // The admin takes no part: asked for, it is shown with 0.
  auto admin = As(admin_, "GET", std::string(kWeek) + "&user_id=" + std::to_string(admin_id_));
  ASSERT_EQ(admin.status(), 200) << admin;
  EXPECT_FALSE(admin.body.at("payouts").as_array()[0].at("participant").as_bool());
  auto one = As(marketer_, "GET", std::string(kWeek) + "&user_id=" + std::to_string(rep1_id_));
  ASSERT_EQ(one.status(), 200) << one;
  EXPECT_DOUBLE_EQ(D(one.body.at("payouts").as_array()[0].at("amount")), 128.62);
}

TEST_F(PayApiTest, AQuietWeekSaysNoDataAndPaysNothing) {
  clock_.Set(*core::ParseInstant("2026-12-14T10:00:00Z"));
  manager_ = Login("manager@acme.example");
  auto r = As(manager_, "GET", "/api/v1/pay?from=2026-12-07&to=2026-12-13");
  ASSERT_EQ(r.status(), 200) << r;
  const auto& lines = r.body.at("lines").as_array();
  EXPECT_EQ(S(lines[0].at("no_data")), "no first touches decided in the period");
  EXPECT_DOUBLE_EQ(D(lines[1].at("attainment")), 0.0) << "0 MQLs of 10 expected";
  EXPECT_FALSE(lines[1].at("threshold_met").as_bool());
  EXPECT_DOUBLE_EQ(D(r.body.at("total")), 0.0);
}

TEST_F(PayApiTest, BadInputIs400NamingTheField) {
  struct Case {
    std::string query;
    std::string field;
  } cases[] = {
      {"from=2026-11-23", "to"},
      {"to=2026-11-29", "from"},
      {"from=2026-11-29&to=2026-11-23", "to"},
      {"from=2025-01-01&to=2026-01-02", "to"},
      {"from=2026-11-23&to=2026-11-29&user_id=abc", "user_id"},
      {"from=2026-11-23&to=2026-11-29&user_id=999", "user_id"},
      {"from=2026-11-23&to=2026-11-29&by=rep", "by"},
  };
  for (const auto& c : cases) {
    auto r = As(manager_, "GET", "/api/v1/pay?" + c.query);
    EXPECT_EQ(r.status(), 400) << c.query << " " << r;
    if (r.status() != 400) continue;
    EXPECT_EQ(r.ErrorField(), c.field) << c.query;
  }
  EXPECT_EQ(Send("GET", kWeek).status(), 401);
  auto doc = Send("GET", "/api/v1/openapi.json");
  EXPECT_EQ(S(doc.body.at("paths").at("/api/v1/pay").at("get").at("operationId")), "getPay");
}

TEST_F(PayApiTest, NoCompensationTermsIs422) {
  clock_.Set(*core::ParseInstant("2026-12-01T10:00:00Z"));
  ASSERT_TRUE(
      services_->contracts.ActivateAsOperator(HandoffContract(), std::nullopt, std::nullopt));
  manager_ = Login("manager@acme.example");
  auto r = As(manager_, "GET", "/api/v1/pay?from=2026-12-07&to=2026-12-13");
  EXPECT_EQ(r.status(), 422) << r;
  EXPECT_EQ(r.ErrorField(), "contract");
}

}  // namespace
}  // namespace tandem::api::apitest
