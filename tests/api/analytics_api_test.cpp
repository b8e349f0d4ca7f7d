// POST /api/v1/plan and GET /api/v1/funnel through Api::Handle.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

class AnalyticsApiTest : public ApiTest {};

const char* kGivenPlan =
    R"({"revenue":1000000,"deal_size":10000,"from":"2027-01-01","to":"2027-12-31","per":"month",)"
    R"("rates":{"visitor_lead":1,"lead_mql":1,"mql_sal":1,"sal_sql":1,"sql_opportunity":1,)"
    R"("opportunity_customer":0.2}})";

TEST_F(AnalyticsApiTest, PlanReproducesTheWorkedExample) {
  auto r = As(manager_, "POST", "/api/v1/plan", kGivenPlan);
  ASSERT_EQ(r.status(), 200) << r;
  const auto& stages = r.obj().at("stages").as_array();
  ASSERT_EQ(stages.size(), 7u);
  EXPECT_EQ(S(stages[6].at("name")), "deals");
  EXPECT_EQ(stages[6].at("needed").as_int64(), 100);
  EXPECT_EQ(S(stages[1].at("name")), "leads");
  EXPECT_EQ(stages[1].at("needed").as_int64(), 500);
  EXPECT_EQ(stages[1].at("per_period").as_int64(), 42);
  EXPECT_EQ(S(stages[1].at("team")), "marketing");
  EXPECT_EQ(S(stages[3].at("team")), "sales");
  EXPECT_EQ(r.Int("periods"), 12);
  EXPECT_EQ(r.Str("deal_size_source"), "given");
}

TEST_F(AnalyticsApiTest, PlanBadInputNamesTheField) {
  auto r = As(manager_, "POST", "/api/v1/plan",
              R"({"revenue":100,"deal_size":10,"from":"2027-02-01","to":"2027-01-01"})");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "to");
  r = As(manager_, "POST", "/api/v1/plan",
         R"({"revenue":0,"deal_size":10,"from":"2027-01-01","to":"2027-02-01"})");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "revenue");
  r = As(manager_, "POST", "/api/v1/plan",
         R"({"revenue":100,"deal_size":10,"from":"2027-01-01","to":"2027-02-01",)"
         R"("rates":{"mql_sal":1.2}})");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "rates.mql_sal");
  r = As(manager_, "POST", "/api/v1/plan",
         R"({"revenue":100,"deal_size":10,"from":"2027-01-01","to":"2027-02-01",)"
         R"("rates":{"mql_won":0.5}})");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "rates.mql_won");
  r = As(manager_, "POST", "/api/v1/plan",
         R"({"revenue":100,"deal_size":10,"from":"2027-01-01","to":"2027-02-01",)"
         R"("rates":{"mql_sal":"high"}})");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "rates.mql_sal");
  // Nothing to measure in an empty base: 422 naming what to give.
  r = As(manager_, "POST", "/api/v1/plan",
         R"({"revenue":100,"from":"2027-01-01","to":"2027-02-01"})");
  EXPECT_EQ(r.status(), 422) << r;
  EXPECT_EQ(r.ErrorField(), "deal_size");
}

TEST_F(AnalyticsApiTest, FunnelCountsContactsMovedThroughTheApi) {
  const core::Id a = NewContact("a@x.example", {{"source", "web"}});
  NewContact("b@x.example", {{"source", "ads"}});
  auto moved = As(manager_, "POST", "/api/v1/contacts/" + std::to_string(a) + "/stage",
                  R"({"stage":"mql"})");
  ASSERT_EQ(moved.status(), 200) << moved;
  auto r = As(manager_, "GET",
              "/api/v1/funnel?from=2026-01-01&to=2027-01-01&by=source&plan_lead_mql=0.9");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_TRUE(r.obj().at("has_data").as_bool());
  const auto& lead_mql = r.obj().at("total").at("steps").as_array()[1].as_object();
  EXPECT_EQ(lead_mql.at("base").as_int64(), 2);
  EXPECT_EQ(lead_mql.at("passed").as_int64(), 1);
  EXPECT_DOUBLE_EQ(lead_mql.at("rate").as_double(), 0.5);
  const auto& parts = r.obj().at("breakdown").as_array();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(S(parts[0].at("key")), "ads");
  // 1 of 2 has an interval of 9-91%: a plan of 90% is inside it, so nothing is broken.
  EXPECT_TRUE(r.obj().at("broken_steps").as_array().empty());
  EXPECT_EQ(r.Str("summary"), "no step is below plan with 95% confidence");
}

// Unscored contacts match no persona: one group with the empty key, and the contacts list's
// persona=none holds them.
TEST_F(AnalyticsApiTest, FunnelByPersonaGroupsContactsWithoutOne) {
  NewContact("a@x.example");
  auto r = As(manager_, "GET", "/api/v1/funnel?from=2026-01-01&to=2027-01-01&by=persona");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("by"), "persona");
  const auto& parts = r.obj().at("breakdown").as_array();
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(S(parts[0].at("key")), "");
  auto none = As(manager_, "GET", "/api/v1/contacts?persona=none");
  ASSERT_EQ(none.status(), 200) << none;
  EXPECT_EQ(none.items().size(), 1u);
  auto other = As(manager_, "GET", "/api/v1/contacts?persona=head_of_data");
  ASSERT_EQ(other.status(), 200) << other;
  EXPECT_TRUE(other.items().empty());
}

TEST_F(AnalyticsApiTest, FunnelOfAnEmptyPeriodSaysNoData) {
  auto r = As(manager_, "GET", "/api/v1/funnel?from=2020-01-01&to=2020-02-01&view=period");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_FALSE(r.obj().at("has_data").as_bool());
  EXPECT_TRUE(r.obj().at("total").at("steps").as_array()[2].at("rate").is_null());
  EXPECT_EQ(r.Str("summary"), "no data: no contact reached any stage in the period");
}

TEST_F(AnalyticsApiTest, FunnelBadInputNamesTheField) {
  auto r = As(manager_, "GET", "/api/v1/funnel?from=2026-01-01&to=2027-01-01&by=persona_x");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "by");
  EXPECT_NE(r.ErrorMessage().find("source, campaign, owner, week"), std::string::npos) << r;
  r = As(manager_, "GET", "/api/v1/funnel?from=2027-01-01&to=2026-01-01");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "to");
  r = As(manager_, "GET", "/api/v1/funnel?from=2026-01-01&to=2027-01-01&plan_mql_sal=0");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "plan_mql_sal");
  r = As(manager_, "GET", "/api/v1/funnel?to=2027-01-01");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "from");
}

}  // namespace
}  // namespace tandem::api::apitest
