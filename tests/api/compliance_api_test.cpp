#include "api/api_fixture.hpp"
#include "app/handoff_fixture.hpp"

namespace tandem::api::apitest {
namespace {

using app::apptest::HandoffContract;
using app::apptest::kFriday1730Paris;

double D(const json::value& v) {
  return v.to_number<double>();
}

// Four MQLs routed Friday 2026-11-27 17:30 in Paris (round robin: rep1, rep2, rep1, rep2) under
// the handoff fixture's contract (first touch within 4 business hours: Monday 12:30; quota 10
// MQLs a week). rep1 calls its leads Friday 17:50 (20 business minutes) and Monday 12:30 (240);
// rep2 calls its first Monday 09:30 (60) and never calls its second. The report is asked
// Monday 2026-11-30 15:00, for the week of Monday 23rd to Sunday 29th.
class ComplianceApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    clock_.Set(kFriday1730Paris);
    manager_ = Login("manager@acme.example");
    rep1_ = Login("rep1@acme.example");
    rep2_ = Login("rep2@acme.example");
    auto v = services_->contracts.ActivateAsOperator(HandoffContract(), std::nullopt, std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
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
    Call(rep1_, l1, "2026-11-27T16:50:00Z");  // Friday 17:50 in Paris
    clock_.Set(*core::ParseInstant("2026-11-30T07:00:00Z"));
    rep1_ = Login("rep1@acme.example");  // the Friday sessions have expired
    rep2_ = Login("rep2@acme.example");
    Call(rep2_, l2, "2026-11-30T08:30:00Z");  // Monday 09:30
    Call(rep1_, l3, "2026-11-30T11:30:00Z");  // Monday 12:30, exactly at the due time
    clock_.Set(*core::ParseInstant("2026-11-30T14:00:00Z"));  // Monday 15:00
    manager_ = Login("manager@acme.example");
    marketer_ = Login("marketer@acme.example");
  }

  static constexpr const char* kWeek = "/api/v1/sla/compliance?from=2026-11-23&to=2026-11-29";
};

TEST_F(ComplianceApiTest, ManagerSeesEveryRepWithOnTimeSharesAndBusinessMinutes) {
  FridayLeads();
  auto r = As(manager_, "GET", std::string(kWeek) + "&by=rep");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("time_zone"), "Europe/Paris");
  EXPECT_EQ(r.Str("start"), "2026-11-22T23:00:00.000Z");
  EXPECT_EQ(r.Str("end"), "2026-11-29T23:00:00.000Z");
  EXPECT_EQ(r.Str("scope"), "all");
  const auto& sales = r.body.at("sales");
  EXPECT_EQ(sales.at("obligations").at("first_touch_hours").as_int64(), 4);
  const auto& total = sales.at("total");
  EXPECT_EQ(total.at("leads").as_int64(), 4);
  EXPECT_EQ(total.at("first_touch").at("on_time").as_int64(), 3);
  EXPECT_EQ(total.at("first_touch").at("missed").as_int64(), 1)
      << "rep2's second lead: open past its due time";
  EXPECT_DOUBLE_EQ(D(total.at("first_touch").at("share")), 0.75);
  EXPECT_EQ(total.at("untouched").as_int64(), 1);
  // 20, 60, 240 business minutes: nearest ranks 2 and 3 of 3.
  EXPECT_DOUBLE_EQ(D(total.at("response_p50_minutes")), 60.0);
  EXPECT_DOUBLE_EQ(D(total.at("response_p90_minutes")), 240.0);
  EXPECT_DOUBLE_EQ(D(total.at("attempts_per_lead")), 0.75);
  EXPECT_EQ(total.at("disposition").at("pending").as_int64(), 4) << "due Tuesday 18:00";
  const auto& rows = sales.at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(S(rows[0].at("label")), "rep1@acme.example");
  EXPECT_EQ(rows[0].at("user_id").as_int64(), rep1_id_);
  EXPECT_DOUBLE_EQ(D(rows[0].at("first_touch").at("share")), 1.0);
  EXPECT_DOUBLE_EQ(D(rows[0].at("response_p50_minutes")), 20.0);
  EXPECT_DOUBLE_EQ(D(rows[0].at("response_p90_minutes")), 240.0);
  EXPECT_EQ(S(rows[1].at("label")), "rep2@acme.example");
  EXPECT_DOUBLE_EQ(D(rows[1].at("first_touch").at("share")), 0.5);
  // Marketing: 4 MQLs against a quota of 10 a week, in force only from Friday 17:30 (when the
  // contract was activated): 54.5 of the week's 168 hours accrue. The week is over, so pace is
  // attainment.
  const auto& m = r.body.at("marketing");
  EXPECT_EQ(m.at("mqls").as_int64(), 4);
  EXPECT_EQ(m.at("quota").as_int64(), 10);
  EXPECT_EQ(S(m.at("quota_period")), "week");
  EXPECT_NEAR(D(m.at("expected")), 10 * 54.5 / 168, 1e-9);
  EXPECT_EQ(S(m.at("quota_since")), "2026-11-27T16:30:00.000Z");
  EXPECT_NEAR(D(m.at("attainment")), 4 / (10 * 54.5 / 168), 1e-9);
  EXPECT_NEAR(D(m.at("pace")), D(m.at("attainment")), 1e-12);
  EXPECT_EQ(m.at("grade_ab").as_int64(), 0) << "no contact was scored";
  EXPECT_TRUE(m.at("min_grade_ab_percent").is_null());
  EXPECT_TRUE(m.at("weeks").as_array().empty());
}

TEST_F(ComplianceApiTest, ARepSeesOnlyTheirOwnRowAndNoTeams) {
  FridayLeads();
  auto r = As(rep2_, "GET", kWeek);
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("by"), "rep");
  EXPECT_EQ(r.Str("scope"), "own");
  const auto& rows = r.body.at("sales").at("rows").as_array();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("user_id").as_int64(), rep2_id_);
  EXPECT_EQ(r.body.at("sales").at("total").at("leads").as_int64(), 2);
  EXPECT_EQ(r.body.at("marketing").at("mqls").as_int64(), 4) << "marketing's side is shared";
  auto team = As(rep2_, "GET", std::string(kWeek) + "&by=team");
  EXPECT_EQ(team.status(), 403) << team;
  auto weeks = As(rep2_, "GET", std::string(kWeek) + "&by=week");
  ASSERT_EQ(weeks.status(), 200) << weeks;
  EXPECT_EQ(weeks.body.at("sales").at("total").at("leads").as_int64(), 2);
}

TEST_F(ComplianceApiTest, MarketingAndManagersSeeTeamsAndWeeks) {
  FridayLeads();
  auto team = As(marketer_, "GET", std::string(kWeek) + "&by=team");
  ASSERT_EQ(team.status(), 200) << team;
  const auto& rows = team.body.at("sales").at("rows").as_array();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(S(rows[0].at("label")), "(no team)");
  auto week = As(manager_, "GET", std::string(kWeek) + "&by=week");
  ASSERT_EQ(week.status(), 200) << week;
  const auto& w = week.body.at("sales").at("rows").as_array();
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(S(w[0].at("key")), "2026-11-23");
  const auto& mw = week.body.at("marketing").at("weeks").as_array();
  ASSERT_EQ(mw.size(), 1u);
  EXPECT_EQ(mw[0].at("mqls").as_int64(), 4);
}

TEST_F(ComplianceApiTest, AnEmptyPeriodHasZeroesAndNulls) {
  auto r = As(manager_, "GET", "/api/v1/sla/compliance?from=2026-11-02&to=2026-11-08");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_TRUE(r.body.at("sales").at("rows").as_array().empty());
  const auto& total = r.body.at("sales").at("total");
  EXPECT_EQ(total.at("leads").as_int64(), 0);
  EXPECT_TRUE(total.at("first_touch").at("share").is_null());
  EXPECT_TRUE(total.at("response_p50_minutes").is_null());
  EXPECT_EQ(r.body.at("marketing").at("mqls").as_int64(), 0);
  EXPECT_TRUE(r.body.at("marketing").at("expected").is_null())
      << "no contract was in force that week";
}

TEST_F(ComplianceApiTest, BadInputIs400NamingTheField) {
  struct Case {
    std::string query;
    std::string field;
  } cases[] = {
      {"from=2026-11-23", "to"},
      {"to=2026-11-29", "from"},
      {"from=2026-13-01&to=2026-11-29", "from"},
      {"from=2026-11-23&to=2026-02-30", "to"},
      {"from=23/11/2026&to=2026-11-29", "from"},
      {"from=2026-11-23T00:00:00Z&to=2026-11-29", "from"},
      {"from=2026-11-29&to=2026-11-23", "to"},
      {"from=2026-11-23&to=2026-11-29&by=month", "by"},
      {"from=2026-11-23&to=2026-11-29&by=REP", "by"},
      {"from=2025-01-01&to=2026-01-02", "to"},
      {"from=2026-11-23&to=2026-11-29&owner=3", "owner"},
      {"from=2026-11-23&from=2026-11-24&to=2026-11-29", "from"},
  };
  for (const auto& c : cases) {
    auto r = As(manager_, "GET", "/api/v1/sla/compliance?" + c.query);
    EXPECT_EQ(r.status(), 400) << c.query << " " << r;
    if (r.status() != 400) continue;
    EXPECT_EQ(r.ErrorCode(), "invalid_argument") << c.query;
    EXPECT_EQ(r.ErrorField(), c.field) << c.query;
  }
  // One day and a full year (366 days) are fine.
  EXPECT_EQ(As(manager_, "GET", "/api/v1/sla/compliance?from=2026-11-23&to=2026-11-23").status(),
            200);
  EXPECT_EQ(As(manager_, "GET", "/api/v1/sla/compliance?from=2025-01-01&to=2026-01-01").status(),
            200);
  EXPECT_EQ(Send("GET", kWeek).status(), 401);
}

TEST_F(ComplianceApiTest, TheRouteIsInTheOpenApiDocument) {
  auto doc = Send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(doc.status(), 200);
  const auto& op = doc.body.at("paths").at("/api/v1/sla/compliance").at("get");
  EXPECT_EQ(S(op.at("operationId")), "getSlaCompliance");
  EXPECT_TRUE(doc.body.at("components").at("schemas").as_object().contains("SlaCompliance"));
}

}  // namespace
}  // namespace tandem::api::apitest
