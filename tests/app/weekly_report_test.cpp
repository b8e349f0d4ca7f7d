#include "app/weekly_report.hpp"

#include "app/handoff_fixture.hpp"
#include "app/weekly_render.hpp"

namespace tandem::app::apptest {
namespace {

core::Instant Utc(const char* text) {
  return *core::ParseInstant(text);
}

// A hand-built company for week 2026-W48 (Monday 23 to Sunday 29 November 2026, Paris):
//  * 16 November: two contacts already at opportunity, touched by campaigns before: X by
//    "webinar"; Y by "ads" then "webinar".
//  * Friday 27th 17:30 (Paris): the handoff contract (quota 10 MQLs a week) takes effect; a
//    goal "MQLs to Christmas": 20 MQLs from 23 November to 20 December (28 days), planned
//    lead_mql 50% and mql_sal 50%. Four leads a, b, c, d qualify, routed rep1, rep2, rep1,
//    rep2. Deals open on X (10,000.00 EUR) and Y (4,000.00 EUR).
//  * rep1 calls a at 17:50 and accepts it; rep2 rejects b (no budget) at 17:55; rep1 calls c
//    on Monday 30th 12:30 (exactly when due); d is never touched (due Monday 12:30).
//  * The pack is built on Monday 30th at 15:00.
class WeeklyReportTest : public HandoffTest {
 protected:
  void Company() {
    clock_.Set(Utc("2026-11-16T10:00:00Z"));
    const auto x = NewContact("x@client.example", core::Stage::kOpportunity);
    const auto y = NewContact("y@client.example", core::Stage::kOpportunity);
    Touch(x.id, "x1", "webinar", Utc("2026-11-16T10:00:00Z"));
    Touch(y.id, "y1", "ads", Utc("2026-11-16T10:00:00Z"));
    Touch(y.id, "y2", "webinar", Utc("2026-11-16T10:05:00Z"));

    clock_.Set(kFriday1730Paris);
    Activate(HandoffContract());
    SalesTeam();
    core::Goal g;
    g.name = "MQLs to Christmas";
    g.metric = core::GoalMetric::kMqls;
    g.target = 20;
    g.from = core::Date(std::chrono::year{2026} / 11 / 23);
    g.to = core::Date(std::chrono::year{2026} / 12 / 20);
    g.rates = {{core::FunnelStep::kLeadMql, 0.5}, {core::FunnelStep::kMqlSal, 0.5}};
    auto goal = svc().goals.Create(manager(), g, {"manager@acme.example"});
    ASSERT_TRUE(goal) << goal.error().message;
    const auto a = Mql("a@client.example");
    const auto b = Mql("b@client.example");
    const auto c = Mql("c@client.example");
    Mql("d@client.example");
    Deal(x.id, 1'000'000);
    Deal(y.id, 400'000);

    clock_.Set(Utc("2026-11-27T16:50:00Z"));
    ASSERT_TRUE(Log(rep1(), a.id, core::ActivityType::kCall, clock_.Now()));
    ASSERT_TRUE(svc().handoff.Accept(rep1(), a.id));
    clock_.Set(Utc("2026-11-27T16:55:00Z"));
    ASSERT_TRUE(svc().handoff.Reject(rep2(), b.id, "no_budget", ""));
    clock_.Set(Utc("2026-11-30T11:30:00Z"));
    ASSERT_TRUE(Log(rep1(), c.id, core::ActivityType::kCall, clock_.Now()));
    clock_.Set(Utc("2026-11-30T14:00:00Z"));
  }

  void Touch(core::Id contact, const std::string& id, const std::string& campaign,
             core::Instant at) {
    core::Event e;
    e.event_id = id;
    e.type = "page_view";
    e.occurred_at = at;
    e.received_at = at;
    e.email = "t@client.example";
    e.contact_id = contact;
    e.utm_source = "web";
    e.utm_campaign = campaign;
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_TRY(tx.events().Append(e));
      return {};
    }));
  }

  void Deal(core::Id contact, std::int64_t amount) {
    core::Deal d;
    d.title = "Deal";
    d.contact_id = contact;
    d.amount_minor = amount;
    d.currency = "EUR";
    auto r = svc().deals.Create(manager(), d);
    ASSERT_TRUE(r) << r.error().message;
  }

  WeeklyPack Pack(const char* week, const core::Principal& p) {
    auto w = core::ParseIsoWeek(week);
    EXPECT_TRUE(w);
    auto r = svc().weekly.Build(p, *w);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(WeeklyPack{});
  }
};

TEST_F(WeeklyReportTest, TheHandBuiltWeekHasItsFiguresInEveryBlock) {
  Company();
  const WeeklyPack p = Pack("2026-W48", admin());
  EXPECT_EQ(p.time_zone, "Europe/Paris");
  EXPECT_EQ(p.start, Utc("2026-11-22T23:00:00Z"));
  EXPECT_EQ(p.end, Utc("2026-11-29T23:00:00Z"));
  ASSERT_TRUE(p.has_data);

  // Goal: 4 MQLs this week and to date; 20 x 7 / 28 = 5 expected by Sunday: pace 80%.
  ASSERT_EQ(p.goals.size(), 1u);
  const WeeklyGoal& g = p.goals[0];
  EXPECT_EQ(g.in_week, 4);
  EXPECT_EQ(g.to_date, 4);
  EXPECT_EQ(g.expected, 5);
  EXPECT_DOUBLE_EQ(*g.pace, 0.8);
  // Next week: 16 left over the 3 weeks from 30 November to 20 December: 6 MQLs, 12 leads.
  ASSERT_TRUE(g.next);
  EXPECT_EQ(g.next->metric, 6);
  ASSERT_EQ(g.next->stages.size(), 2u);
  EXPECT_EQ(g.next->stages[0].stage, core::Stage::kMql);
  EXPECT_EQ(g.next->stages[0].target, 6);
  EXPECT_EQ(g.next->stages[1].stage, core::Stage::kLead);
  EXPECT_EQ(g.next->stages[1].target, 12);

  // Funnel (cohort of the week): 4 leads all qualified; 1 of 4 MQLs accepted (25%, interval
  // 5-70%: the planned 50% lies inside, so no broken step).
  EXPECT_EQ(p.plan_goal_id, g.goal.id);
  const auto& steps = p.funnel.total.steps;
  EXPECT_EQ(steps[1].base, 4);
  EXPECT_EQ(steps[1].passed, 4);
  EXPECT_EQ(steps[2].base, 4);
  EXPECT_EQ(steps[2].passed, 1);
  EXPECT_TRUE(p.funnel.broken.empty());

  // Sales' SLA: rep1 2 leads, both first touches on time; rep2 2 leads, b rejected before its
  // clock was due (dropped), d open past due (missed).
  ASSERT_EQ(p.sla.sales.rows.size(), 2u);
  EXPECT_EQ(p.sla.sales.rows[0].label, "rep1@acme.example");
  EXPECT_EQ(p.sla.sales.rows[0].first_touch.on_time, 2);
  EXPECT_EQ(p.sla.sales.rows[0].first_touch.missed, 0);
  EXPECT_EQ(p.sla.sales.rows[1].label, "rep2@acme.example");
  EXPECT_EQ(p.sla.sales.rows[1].first_touch.on_time, 0);
  EXPECT_EQ(p.sla.sales.rows[1].first_touch.missed, 1);
  // Marketing: 4 MQLs against 10 x 54.5 / 168 expected (the quota accrues from Friday 17:30).
  EXPECT_EQ(p.sla.marketing.mqls, 4);
  EXPECT_NEAR(*p.sla.marketing.expected, 10 * 54.5 / 168, 1e-9);

  // Rejections: one, "no_budget", of 2 dispositions.
  ASSERT_EQ(p.top_reasons.size(), 1u);
  EXPECT_EQ(p.top_reasons[0].code, "no_budget");
  EXPECT_EQ(p.top_reasons[0].label, "No budget");
  EXPECT_EQ(p.top_reasons[0].count, 1);
  EXPECT_DOUBLE_EQ(p.top_reasons[0].share, 0.5);

  // Campaigns by pipeline (linear): webinar 10,000.00 + 2,000.00, ads 2,000.00.
  ASSERT_EQ(p.best_campaigns.size(), 2u);
  EXPECT_EQ(p.best_campaigns[0].key, "webinar");
  EXPECT_EQ(p.best_campaigns[0].pipeline_minor, 1'200'000);
  EXPECT_EQ(p.best_campaigns[1].key, "ads");
  EXPECT_EQ(p.best_campaigns[1].pipeline_minor, 200'000);

  // Actions by the rules: the goal behind pace, then rep2's missed first touch.
  ASSERT_EQ(p.actions.size(), 2u);
  EXPECT_EQ(p.actions[0].rule, "goal_behind_pace");
  EXPECT_EQ(p.actions[0].text,
            "Goal 'MQLs to Christmas' is at 80% of its pace: 4 of 5 expected by 2026-11-29.");
  EXPECT_EQ(p.actions[1].text,
            "Coach rep2@acme.example: 1 of 1 first touches missed (0% on time).");
  EXPECT_EQ(p.summary, "Week 2026-W48 (2026-11-23 to 2026-11-29): 2 suggested actions.");
}

TEST_F(WeeklyReportTest, ARepSeesTheirOwnSlaRowOnly) {
  Company();
  const WeeklyPack p = Pack("2026-W48", rep2());
  ASSERT_EQ(p.sla.sales.rows.size(), 1u);
  EXPECT_EQ(p.sla.sales.rows[0].label, "rep2@acme.example");
  EXPECT_EQ(p.goals.size(), 1u) << "goals are shared";
}

TEST_F(WeeklyReportTest, AWeekWithoutDataSaysNoData) {
  Company();
  const WeeklyPack p = Pack("2026-W45", admin());
  EXPECT_FALSE(p.has_data);
  EXPECT_EQ(p.summary, "no data: nothing was recorded in week 2026-W45 (2026-11-02 to 2026-11-08)");
  // The parts name the week as the pack does (its Monday in the contract's zone), not the UTC
  // dates of its instants (Paris' Monday 00:00 is Sunday 23:00 UTC).
  EXPECT_EQ(p.feedback.figures.summary,
            "no data: sales accepted or rejected no lead in week 2026-W45 (2026-11-02 to "
            "2026-11-08)");
  EXPECT_EQ(p.attribution.summary,
            "no data: no deal in EUR won or opened in week 2026-W45 (2026-11-02 to 2026-11-08)");
  EXPECT_TRUE(p.actions.empty());
  EXPECT_TRUE(p.goals.empty());
  const std::string csv = RenderWeeklyCsv(p);
  EXPECT_NE(csv.find("no data: nothing was recorded"), std::string::npos);
  const std::string html = RenderWeeklyHtml(p);
  EXPECT_NE(html.find("Nothing to act on."), std::string::npos);
}

TEST_F(WeeklyReportTest, CsvHasOneSectionPerBlockAndHtmlEscapesAndPrints) {
  Company();
  const WeeklyPack p = Pack("2026-W48", admin());
  const std::string csv = RenderWeeklyCsv(p);
  for (const char* section : {"# summary\r\n", "# actions\r\n", "# goals\r\n", "# funnel\r\n",
                              "# marketing_sla\r\n", "# sales_sla\r\n", "# rejection_reasons\r\n",
                              "# best_campaigns\r\n", "# next_week_targets\r\n"}) {
    EXPECT_NE(csv.find(section), std::string::npos) << section;
  }
  EXPECT_NE(csv.find("webinar,\"12,000 EUR\",0 EUR,2,0\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("No budget,no_budget,1,50%\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("MQLs to Christmas,mql,6,"), std::string::npos) << csv;
  const std::string html = RenderWeeklyHtml(p);
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos) << "self-contained";
  EXPECT_NE(html.find("Coach rep2@acme.example"), std::string::npos);
}

TEST_F(WeeklyReportTest, CampaignNamesAreEscapedAndNeverFormulas) {
  clock_.Set(kFriday1730Paris);
  const auto x = NewContact("x@client.example", core::Stage::kOpportunity);
  Touch(x.id, "x1", "=HYPERLINK(\"<b>\")", Utc("2026-11-27T10:00:00Z"));
  Deal(x.id, 100'000);
  const WeeklyPack p = Pack("2026-W48", admin());
  ASSERT_EQ(p.best_campaigns.size(), 1u);
  const std::string csv = RenderWeeklyCsv(p);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"<b>\"\")\""), std::string::npos) << csv;
  const std::string html = RenderWeeklyHtml(p);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("=HYPERLINK(&quot;&lt;b&gt;&quot;)"), std::string::npos);
}

TEST_F(WeeklyReportTest, PdfNamesTheMissingProgram) {
  PdfSettings s;
  s.chromium = "/nonexistent/chromium";
  auto pdf = RenderWeeklyPdf("<!doctype html><p>x</p>", s);
  ASSERT_TRUE(FailsWith(pdf, core::ErrorCode::kFailedPrecondition, "format"));
  EXPECT_NE(pdf.error().message.find("/nonexistent/chromium"), std::string::npos);
}

}  // namespace
}  // namespace tandem::app::apptest
