// GET /api/v1/feedback through Api::Handle: reps accept and reject MQLs through the API, marketing
// reads what came back.
#include "api/api_fixture.hpp"
#include "app/handoff_fixture.hpp"

namespace tandem::api::apitest {
namespace {

using app::apptest::HandoffContract;
using app::apptest::kFriday1730Paris;

class FeedbackApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    clock_.Set(kFriday1730Paris);
    manager_ = Login("manager@acme.example");
    marketer_ = Login("marketer@acme.example");
    auto v = services_->contracts.ActivateAsOperator(HandoffContract(), std::nullopt, std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
  }

  // A contact of `campaign` made an MQL, then accepted or rejected by the manager.
  void Dispose(const std::string& email, const std::string& campaign, const std::string& reason) {
    const core::Id id = NewContact(email, {{"campaign", campaign}, {"source", "web"}});
    const std::string path = "/api/v1/contacts/" + std::to_string(id);
    ASSERT_EQ(As(manager_, "POST", path + "/stage", R"({"stage":"mql"})").status(), 200);
    auto r = reason.empty()
                 ? As(manager_, "POST", path + "/accept")
                 : As(manager_, "POST", path + "/reject", R"({"reason":")" + reason + R"("})");
    ASSERT_EQ(r.status(), 200) << r;
  }
};

TEST_F(FeedbackApiTest, RejectionsPerCampaignWithTheContractsLabels) {
  // webinar: 1 accepted, 3 rejected (2 no_budget, 1 bad_timing); fair: 1 accepted.
  Dispose("a@client.example", "webinar", "");
  Dispose("b@client.example", "webinar", "no_budget");
  Dispose("c@client.example", "webinar", "no_budget");
  Dispose("d@client.example", "webinar", "bad_timing");
  Dispose("e@client.example", "fair", "");
  // Marketing reads what sales sent back.
  auto r = As(marketer_, "GET", "/api/v1/feedback?from=2026-11-01&to=2026-12-01&by=campaign");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_TRUE(r.obj().at("has_data").as_bool());
  EXPECT_EQ(r.Str("by"), "campaign");
  const auto& groups = r.obj().at("groups").as_array();
  ASSERT_EQ(groups.size(), 2u);
  const auto& w = groups[0].as_object();
  EXPECT_EQ(S(w.at("key")), "webinar");
  EXPECT_EQ(w.at("dispositions").as_int64(), 4);
  EXPECT_EQ(w.at("accepted").as_int64(), 1);
  EXPECT_DOUBLE_EQ(w.at("accept_rate").to_number<double>(), 0.25);
  const auto& top = w.at("reasons").as_array()[0].as_object();
  EXPECT_EQ(S(top.at("code")), "no_budget");
  EXPECT_EQ(S(top.at("label")), "No budget");
  EXPECT_EQ(top.at("count").as_int64(), 2);
  EXPECT_DOUBLE_EQ(top.at("share").to_number<double>(), 0.5);
  EXPECT_EQ(S(w.at("sentence")),
            "webinar leads: 75% rejected, mostly 'No budget' (2 of 3); of 1 accepted, 0% reached "
            "SQL and 0% an opportunity.");
  EXPECT_EQ(S(r.obj().at("for_marketing").as_array()[0]), S(w.at("sentence")));
  EXPECT_EQ(r.obj().at("total").at("dispositions").as_int64(), 5);
  const auto& next = w.at("next").as_array();
  ASSERT_EQ(next.size(), 3u);
  EXPECT_EQ(S(next[0].at("stage")), "sql");
  EXPECT_DOUBLE_EQ(next[0].at("rate").to_number<double>(), 0.0);
}

TEST_F(FeedbackApiTest, NoDispositionsSaysNoData) {
  auto r = As(manager_, "GET", "/api/v1/feedback?from=2026-11-01&to=2026-12-01&by=persona");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_FALSE(r.obj().at("has_data").as_bool());
  EXPECT_EQ(r.Str("summary"),
            "no data: sales accepted or rejected no lead from 2026-11-01 to 2026-12-01");
  EXPECT_TRUE(r.obj().at("total").at("accept_rate").is_null());
}

TEST_F(FeedbackApiTest, BadInputNamesTheField) {
  auto r = As(manager_, "GET", "/api/v1/feedback?from=2026-11-01&to=2026-12-01&by=owner");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "by");
  r = As(manager_, "GET", "/api/v1/feedback?from=2026-13-01&to=2026-12-01");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "from");
  r = As(manager_, "GET", "/api/v1/feedback?from=2026-12-01&to=2026-11-01");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "to");
  r = As(manager_, "GET", "/api/v1/feedback?to=2026-11-01");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "from");
  r = As(manager_, "GET", "/api/v1/feedback?from=2026-11-01&to=2026-12-01&model=u");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "model");
  EXPECT_EQ(Send("GET", "/api/v1/feedback?from=2026-11-01&to=2026-12-01").status(), 401);
}

TEST_F(FeedbackApiTest, OpenApiDeclaresTheRouteAndItsReport) {
  auto r = As(manager_, "GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status(), 200) << r;
  const auto& paths = r.obj().at("paths").as_object();
  ASSERT_TRUE(paths.contains("/api/v1/feedback"));
  const auto& schemas = r.obj().at("components").at("schemas").as_object();
  EXPECT_TRUE(schemas.contains("FeedbackReport"));
  EXPECT_TRUE(schemas.contains("FeedbackGroup"));
}

}  // namespace
}  // namespace tandem::api::apitest

namespace tandem::api::apitest {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;

// GET /api/v1/attribution over a contact with touches A, B, C, D and a won deal of 10,000.00.
class AttributionApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    contact_ = NewContact("buyer@client.example", {{"campaign", "A"}});
    const core::Instant t0 = clock_.Now();
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      const char* keys[] = {"A", "B", "C", "D"};
      for (int i = 0; i < 4; ++i) {
        core::Event e;
        e.event_id = std::string("touch-") + keys[i];
        e.type = "page_view";
        e.occurred_at = e.received_at = t0 + std::chrono::hours(i + 1);
        e.email = "buyer@client.example";
        e.contact_id = contact_;
        e.utm_campaign = keys[i];
        e.utm_source = i < 2 ? "ads" : "web";
        TANDEM_TRY(tx.events().Append(e).map([](auto) {}));
      }
      core::Deal d;
      d.title = "Northwind rollout";
      d.contact_id = contact_;
      d.amount_minor = 1'000'000;
      d.stage = core::DealStage::kWon;
      d.created_at = d.updated_at = t0 + std::chrono::hours(5);
      d.closed_at = t0 + std::chrono::hours(6);
      return tx.deals().Insert(d).map([](core::Id) {});
    }));
    from_ = core::FormatInstant(t0).substr(0, 10);
    to_ = core::FormatInstant(t0 + std::chrono::hours(48)).substr(0, 10);
  }

  Reply Get(const std::string& params) {
    return As(marketer_, "GET", "/api/v1/attribution?from=" + from_ + "&to=" + to_ + params);
  }

  core::Id contact_ = 0;
  std::string from_, to_;
};

double Revenue(const Reply& r, const std::string& key) {
  for (const auto& row : r.obj().at("rows").as_array()) {
    if (S(row.at("key")) == key) return row.at("revenue").to_number<double>();
  }
  return -1;
}

TEST_F(AttributionApiTest, UShapedCreditsFortyTwentyForty) {
  auto r = Get("&model=u&by=campaign");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("model"), "u");
  EXPECT_TRUE(r.obj().at("has_data").as_bool());
  EXPECT_DOUBLE_EQ(Revenue(r, "A"), 4000.0);
  EXPECT_DOUBLE_EQ(Revenue(r, "B"), 1000.0);
  EXPECT_DOUBLE_EQ(Revenue(r, "C"), 1000.0);
  EXPECT_DOUBLE_EQ(Revenue(r, "D"), 4000.0);
  EXPECT_DOUBLE_EQ(r.obj().at("revenue").to_number<double>(), 10000.0);
  EXPECT_EQ(S(r.obj().at("rows").as_array()[0].at("key")), "A");  // a tie on revenue: by key
  EXPECT_EQ(r.obj().at("won_deals").as_int64(), 1);
}

TEST_F(AttributionApiTest, EveryModelAndTheSourceBreakdown) {
  EXPECT_DOUBLE_EQ(Revenue(Get("&model=first"), "A"), 10000.0);
  EXPECT_DOUBLE_EQ(Revenue(Get("&model=last"), "D"), 10000.0);
  EXPECT_DOUBLE_EQ(Revenue(Get("&model=linear"), "C"), 2500.0);
  // No stage history: no MQL touch, so W-shaped is U-shaped.
  EXPECT_DOUBLE_EQ(Revenue(Get("&model=w"), "B"), 1000.0);
  auto s = Get("&model=u&by=source");
  ASSERT_EQ(s.status(), 200) << s;
  EXPECT_DOUBLE_EQ(Revenue(s, "ads"), 5000.0);
  EXPECT_DOUBLE_EQ(Revenue(s, "web"), 5000.0);
  EXPECT_NE(s.Str("summary").find("leads the revenue"), std::string::npos) << s;
}

TEST_F(AttributionApiTest, BadInputNamesTheField) {
  auto r = Get("&model=time_decay");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "model");
  r = Get("&by=persona");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "by");
  r = Get("&currency=euro");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "currency");
  r = As(marketer_, "GET", "/api/v1/attribution?from=2026-12-01&to=2026-11-01");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "to");
  r = As(marketer_, "GET", "/api/v1/attribution?from=yesterday&to=2026-11-01");
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "from");
  r = As(marketer_, "GET", "/api/v1/attribution?from=2020-01-01&to=2020-02-01");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_FALSE(r.obj().at("has_data").as_bool());
  EXPECT_EQ(r.Str("summary").rfind("no data", 0), 0u) << r;
}

TEST_F(AttributionApiTest, OpenApiDeclaresTheRoute) {
  auto r = As(marketer_, "GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_TRUE(r.obj().at("paths").as_object().contains("/api/v1/attribution"));
  EXPECT_TRUE(r.obj().at("components").at("schemas").as_object().contains("AttributionReport"));
}

}  // namespace
}  // namespace tandem::api::apitest
