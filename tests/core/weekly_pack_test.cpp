#include "core/weekly_pack.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

using namespace std::chrono;

Date Day(int y, unsigned m, unsigned d) {
  return sys_days{year{y} / m / d};
}

TEST(IsoWeekTest, ParsesFormatsAndFindsMondays) {
  auto w = ParseIsoWeek("2026-W48");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->year, 2026);
  EXPECT_EQ(w->week, 48u);
  EXPECT_EQ(MondayOf(*w), Day(2026, 11, 23));
  EXPECT_EQ(FormatIsoWeek(*w), "2026-W48");
  // 2026 starts on a Thursday: it has 53 weeks, the last one running into 2027.
  auto w53 = ParseIsoWeek("2026-W53");
  ASSERT_TRUE(w53);
  EXPECT_EQ(MondayOf(*w53), Day(2026, 12, 28));
  EXPECT_EQ(IsoWeekOf(Day(2027, 1, 3)), (IsoWeek{2026, 53}));
  EXPECT_EQ(IsoWeekOf(Day(2027, 1, 4)), (IsoWeek{2027, 1}));
  // 2025-W01 starts in December 2024.
  EXPECT_EQ(MondayOf(*ParseIsoWeek("2025-W01")), Day(2024, 12, 30));
  EXPECT_EQ(IsoWeekOf(Day(2024, 12, 30)), (IsoWeek{2025, 1}));
  EXPECT_EQ(IsoWeekOf(Day(2026, 11, 29)), (IsoWeek{2026, 48}));
}

TEST(IsoWeekTest, MalformedWeeksNameTheField) {
  for (const char* bad : {"2026-48", "2026-W4", "2026-W00", "26-W48", "2026-w48", "2026-W48x",
                          "2027-W53", "2026-W54", "", "abcd-Wef"}) {
    auto w = ParseIsoWeek(bad);
    ASSERT_FALSE(w) << bad;
    EXPECT_EQ(w.error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(w.error().field, "week") << bad;
  }
}

TEST(SuggestActionsTest, EachRuleFiresOnItsFindingInOrder) {
  WeekFindings f;
  f.broken_step = "MQL -> SAL";
  f.broken_sentence = "MQL -> SAL is the broken step: 18% against 35% planned (16-21%).";
  f.goals = {{"Q4 revenue", 4'000'000, 5'000'000, true, "EUR", Day(2026, 11, 29)},
             {"MQLs", 95, 100, false, "", Day(2026, 11, 29)}};  // 95%: on pace
  f.reps = {{"rep1@x.example", 0, 4}, {"rep2@x.example", 1, 4}};
  f.mqls = 8;
  f.expected_mqls = 10;
  f.grade_ab_share = 0.5;
  f.min_grade_ab_percent = 60;
  f.persona_share = 0.9;
  f.min_persona_match_percent = 70;
  f.campaigns = {{"webinar", 10, 4, "No budget"},  // 40%: at the bar
                 {"ads", 4, 4, "Bad timing"},      // too few to judge
                 {"seo", 10, 3, "No budget"}};     // 30%
  const auto a = SuggestActions(f);
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a[0].rule, "broken_step");
  EXPECT_EQ(a[0].text, "Fix MQL -> SAL: 18% against 35% planned (16-21%).");
  EXPECT_EQ(a[1].text,
            "Goal 'Q4 revenue' is at 80% of its pace: 40,000 EUR of 50,000 EUR expected by "
            "2026-11-29.");
  EXPECT_EQ(a[2].text, "Coach rep2@x.example: 1 of 4 first touches missed (75% on time).");
  EXPECT_EQ(a[3].text, "Marketing handed over 8 MQLs against 10.0 expected (80% of the quota).");
  EXPECT_EQ(a[4].text, "MQL quality: 50% graded A or B against the minimum 60%.");
  EXPECT_EQ(a[5].text,
            "Review 'webinar' with sales: 40% of its 10 leads rejected, mostly 'No budget'.");
}

TEST(SuggestActionsTest, ListsTheWorstFiveRepsAndCampaignsAndCountsTheRest) {
  WeekFindings f;
  // Seven reps missed clocks: by most missed, then the lower share on time, then the name.
  f.reps = {{"a@x.example", 1, 10}, {"b@x.example", 3, 10}, {"c@x.example", 3, 4},
            {"d@x.example", 2, 10}, {"e@x.example", 0, 9},  {"f@x.example", 1, 2},
            {"g@x.example", 5, 20}, {"h@x.example", 3, 10}};
  // Six campaigns at or over 40% rejected, one under and one with too few dispositions.
  f.campaigns = {{"c1", 10, 4, ""}, {"c2", 10, 9, ""}, {"c3", 5, 5, ""}, {"c4", 20, 9, ""},
                 {"c5", 10, 3, ""}, {"c6", 4, 4, ""},  {"c7", 6, 3, ""}, {"c8", 12, 6, ""}};
  const auto a = SuggestActions(f);
  ASSERT_EQ(a.size(), 12u);
  EXPECT_EQ(a[0].text, "Coach g@x.example: 5 of 20 first touches missed (75% on time).");
  EXPECT_EQ(a[1].text, "Coach c@x.example: 3 of 4 first touches missed (25% on time).");
  EXPECT_EQ(a[2].text, "Coach b@x.example: 3 of 10 first touches missed (70% on time).");
  EXPECT_EQ(a[3].text, "Coach h@x.example: 3 of 10 first touches missed (70% on time).");
  EXPECT_EQ(a[4].text, "Coach d@x.example: 2 of 10 first touches missed (80% on time).");
  EXPECT_EQ(a[5].rule, "more_reps_first_touch");
  EXPECT_EQ(a[5].text, "2 more reps missed first touches: see SLA compliance by rep.");
  // c3 100%, c2 90%, then 50%: c8 (12) before c7 (6); c4 45%; c1 40% is the sixth.
  EXPECT_EQ(a[6].text, "Review 'c3' with sales: 100% of its 5 leads rejected.");
  EXPECT_EQ(a[7].text, "Review 'c2' with sales: 90% of its 10 leads rejected.");
  EXPECT_EQ(a[8].text, "Review 'c8' with sales: 50% of its 12 leads rejected.");
  EXPECT_EQ(a[9].text, "Review 'c7' with sales: 50% of its 6 leads rejected.");
  EXPECT_EQ(a[10].text, "Review 'c4' with sales: 45% of its 20 leads rejected.");
  EXPECT_EQ(a[11].rule, "more_campaign_rejections");
  EXPECT_EQ(a[11].text,
            "1 more campaign has 40% or more of its leads rejected: see sales feedback by "
            "campaign.");
}

TEST(SuggestActionsTest, AQuietWeekSuggestsNothing) {
  WeekFindings f;
  f.expected_mqls = 0;  // nothing expected: no division
  f.goals = {{"G", 0, 0, false, "", Day(2026, 11, 29)}};
  f.reps = {{"rep@x.example", 0, 0}};
  EXPECT_TRUE(SuggestActions(f).empty());
}

TEST(NextWeekTargetsTest, RoundsUpFromTheMetricBackByThePlannedRates) {
  // 25 SQLs left over 4 weeks: 7; SALs 7 / 0.5 = 14; MQLs 14 / 0.7 = 20; no lead_mql rate.
  const auto t = ComputeNextWeekTargets(Stage::kSql, false, 25, 4, std::nullopt,
                                        {{FunnelStep::kSalSql, 0.5}, {FunnelStep::kMqlSal, 0.7}});
  EXPECT_EQ(t.metric, 7);
  ASSERT_EQ(t.stages.size(), 3u);
  EXPECT_EQ(t.stages[0].stage, Stage::kSql);
  EXPECT_EQ(t.stages[0].target, 7);
  EXPECT_EQ(t.stages[1].target, 14);
  EXPECT_EQ(t.stages[2].stage, Stage::kMql);
  EXPECT_EQ(t.stages[2].target, 20);
  EXPECT_EQ(t.note, "stops before lead_mql: the goal plans no rate for it");
  // Revenue: 100,000.00 left over 4 weeks = 25,000.00; 10,000.00 a deal: 3 deals; 25% of
  // opportunities won: 12 opportunities.
  const auto r = ComputeNextWeekTargets(Stage::kCustomer, true, 10'000'000, 4, 1'000'000,
                                        {{FunnelStep::kOpportunityCustomer, 0.25}});
  EXPECT_EQ(r.metric, 2'500'000);
  ASSERT_EQ(r.stages.size(), 2u);
  EXPECT_EQ(r.stages[0].target, 3);
  EXPECT_EQ(r.stages[1].stage, Stage::kOpportunity);
  EXPECT_EQ(r.stages[1].target, 12);
  // Without a deal size, revenue only; a reached goal needs nothing.
  EXPECT_TRUE(
      ComputeNextWeekTargets(Stage::kCustomer, true, 100, 2, std::nullopt, {}).stages.empty());
  const auto done = ComputeNextWeekTargets(Stage::kMql, false, -3, 2, std::nullopt, {});
  EXPECT_EQ(done.metric, 0);
  EXPECT_TRUE(done.stages.empty());
}

}  // namespace
}  // namespace tandem::core
