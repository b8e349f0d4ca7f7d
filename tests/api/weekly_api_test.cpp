#include "api/api_fixture.hpp"
#include "app/handoff_fixture.hpp"

namespace tandem::api::apitest {
namespace {

using app::apptest::HandoffContract;
using app::apptest::kFriday1730Paris;

// Two MQLs routed Friday 2026-11-27 17:30 in Paris (rep1, rep2) under the handoff contract;
// rep1 calls its lead at 17:50, rep2 never calls. The pack is asked Monday 30th at 15:00.
class WeeklyApiTest : public ApiTest {
 protected:
  ApiSettings Settings() override {
    ApiSettings s;
    s.chromium = "/nonexistent/chromium";
    return s;
  }

  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    clock_.Set(kFriday1730Paris);
    manager_ = Login("manager@acme.example");
    auto v = services_->contracts.ActivateAsOperator(HandoffContract(), std::nullopt, std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
    std::vector<core::Id> ids;
    for (const char* email : {"a@client.example", "b@client.example"}) {
      const core::Id id = NewContact(email);
      auto r = As(manager_, "POST", "/api/v1/contacts/" + std::to_string(id) + "/stage",
                  R"({"stage":"mql"})");
      ASSERT_EQ(r.status(), 200) << r;
      ids.push_back(id);
    }
    clock_.Set(*core::ParseInstant("2026-11-27T16:50:00Z"));
    rep1_ = Login("rep1@acme.example");
    auto call = As(rep1_, "POST", "/api/v1/activities",
                   WriteJson(json::object{{"type", "call"}, {"contact_id", ids[0]}}));
    ASSERT_EQ(call.status(), 201) << call;
    clock_.Set(*core::ParseInstant("2026-11-30T14:00:00Z"));
    manager_ = Login("manager@acme.example");
  }

  static constexpr const char* kPath = "/api/v1/reports/weekly?week=2026-W48";
};

TEST_F(WeeklyApiTest, JsonHasEveryBlockWithTheWeeksFigures) {
  auto r = As(manager_, "GET", kPath);
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("week"), "2026-W48");
  EXPECT_EQ(r.Str("from"), "2026-11-23");
  EXPECT_EQ(r.Str("to"), "2026-11-29");
  EXPECT_EQ(r.Str("time_zone"), "Europe/Paris");
  EXPECT_TRUE(r.body.at("has_data").as_bool());
  const auto& sla = r.body.at("sla");
  EXPECT_EQ(sla.at("sales").at("total").at("leads").as_int64(), 2);
  EXPECT_EQ(sla.at("marketing").at("mqls").as_int64(), 2);
  const auto& rows = sla.at("sales").at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].at("first_touch").at("missed").as_int64(), 1);
  // rep2's lead was due Monday 12:30 and never touched; 2 MQLs against 10 x 54.5 / 168 = 3.24
  // expected (the quota accrues from Friday 17:30): 62%.
  const auto& actions = r.body.at("actions").as_array();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(S(actions[0].at("rule")), "rep_first_touch");
  EXPECT_EQ(S(actions[0].at("text")),
            "Coach rep2@acme.example: 1 of 1 first touches missed (0% on time).");
  EXPECT_EQ(S(actions[1].at("text")),
            "Marketing handed over 2 MQLs against 3.2 expected (62% of the quota).");
  EXPECT_EQ(r.body.at("funnel").at("steps").as_array()[2].at("base").as_int64(), 2);
  EXPECT_TRUE(r.body.at("best_campaigns").at("rows").as_array().empty());
  EXPECT_EQ(r.Str("summary"), "Week 2026-W48 (2026-11-23 to 2026-11-29): 2 suggested actions.");
}

TEST_F(WeeklyApiTest, CsvAndHtmlAreServedWithTheirTypes) {
  auto csv = As(manager_, "GET", std::string(kPath) + "&format=csv");
  ASSERT_EQ(csv.status(), 200) << csv;
  EXPECT_EQ(*csv.raw.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.raw.Header("Content-Disposition")->find("tandem-weekly-2026-W48.csv"),
            std::string::npos);
  EXPECT_EQ(csv.raw.body.rfind("# summary\r\n", 0), 0u);
  EXPECT_NE(csv.raw.body.find("\r\n# sales_sla\r\n"), std::string::npos);
  EXPECT_NE(csv.raw.body.find("rep2@acme.example,1,0,1,0%"), std::string::npos) << csv.raw.body;
  auto html = As(manager_, "GET", std::string(kPath) + "&format=html");
  ASSERT_EQ(html.status(), 200) << html;
  EXPECT_EQ(*html.raw.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(html.raw.Header("Content-Security-Policy")->find("default-src 'none'"),
            std::string::npos);
  EXPECT_NE(html.raw.body.find("Weekly smarketing pack, 2026-W48"), std::string::npos);
}

TEST_F(WeeklyApiTest, PdfWithoutChromiumIs422NamingTheProgram) {
  auto r = As(manager_, "GET", std::string(kPath) + "&format=pdf");
  EXPECT_EQ(r.status(), 422) << r;
  EXPECT_EQ(r.ErrorField(), "format");
  EXPECT_NE(r.raw.body.find("/nonexistent/chromium"), std::string::npos) << r;
}

TEST_F(WeeklyApiTest, AWeekWithoutDataSaysNoData) {
  auto r = As(manager_, "GET", "/api/v1/reports/weekly?week=2026-W40&format=json");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_FALSE(r.body.at("has_data").as_bool());
  EXPECT_EQ(r.Str("summary"),
            "no data: nothing was recorded in week 2026-W40 (2026-09-28 to 2026-10-04)");
  EXPECT_TRUE(r.body.at("actions").as_array().empty());
}

TEST_F(WeeklyApiTest, BadInputIs400NamingTheField) {
  struct Case {
    std::string query;
    std::string field;
  } cases[] = {
      {"", "week"},
      {"week=2026-48", "week"},
      {"week=2026-W4", "week"},
      {"week=2026-W00", "week"},
      {"week=2027-W53", "week"},
      {"week=2026-W48&format=docx", "format"},
      {"week=2026-W48&format=PDF", "format"},
      {"week=2026-W48&by=rep", "by"},
  };
  for (const auto& c : cases) {
    auto r = As(manager_, "GET", "/api/v1/reports/weekly?" + c.query);
    EXPECT_EQ(r.status(), 400) << c.query << " " << r;
    if (r.status() != 400) continue;
    EXPECT_EQ(r.ErrorField(), c.field) << c.query;
  }
  EXPECT_EQ(Send("GET", kPath).status(), 401);
  auto doc = Send("GET", "/api/v1/openapi.json");
  EXPECT_EQ(S(doc.body.at("paths").at("/api/v1/reports/weekly").at("get").at("operationId")),
            "getWeeklyReport");
}

}  // namespace
}  // namespace tandem::api::apitest
