#include "core/feedback.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

const ReasonLabels kLabels = {{"too_small", "too small"}, {"bad_timing", "Bad timing"}};

DispositionCounts Webinar() {
  // 127 dispositions: 75 accepted, 52 rejected (23 too small, 20 bad timing, 9 with a code no
  // contract defines); of the 75 accepted, 30 reached SQL, 12 an opportunity, 3 a deal won.
  DispositionCounts c;
  c.key = "Webinar Q3";
  c.accepted = 75;
  c.rejected = 52;
  c.reasons = {{"bad_timing", 20}, {"old_code", 9}, {"too_small", 23}};
  c.next = {30, 12, 3};
  return c;
}

TEST(FeedbackTest, GroupFiguresAndTheMarketingSentence) {
  auto f = ComputeFeedback({Webinar()}, FeedbackBreakdown::kCampaign, kLabels, "");
  ASSERT_EQ(f.groups.size(), 1u);
  const FeedbackGroup& g = f.groups[0];
  EXPECT_EQ(g.dispositions, 127);
  EXPECT_DOUBLE_EQ(*g.accept_rate, 75.0 / 127.0);
  EXPECT_DOUBLE_EQ(*g.reject_rate, 52.0 / 127.0);
  // Wilson 95% for 75 of 127: 0.5906 -> (0.5038, 0.6719).
  EXPECT_NEAR(g.accept_interval->low, 0.5038, 5e-4);
  EXPECT_NEAR(g.accept_interval->high, 0.6719, 5e-4);
  ASSERT_EQ(g.reasons.size(), 3u);
  EXPECT_EQ(g.reasons[0].code, "too_small");  // most first
  EXPECT_EQ(g.reasons[0].label, "too small");
  EXPECT_TRUE(g.reasons[0].known);
  EXPECT_DOUBLE_EQ(g.reasons[0].share, 23.0 / 127.0);
  EXPECT_EQ(g.reasons[2].code, "old_code");
  EXPECT_EQ(g.reasons[2].label, "old_code");  // no contract defines it: the code stands
  EXPECT_FALSE(g.reasons[2].known);
  EXPECT_EQ(g.next[0].stage, Stage::kSql);
  EXPECT_DOUBLE_EQ(*g.next[0].rate, 0.4);
  EXPECT_DOUBLE_EQ(*g.next[1].rate, 0.16);
  EXPECT_DOUBLE_EQ(*g.next[2].rate, 0.04);
  EXPECT_EQ(g.sentence,
            "Webinar Q3 leads: 41% rejected, mostly 'too small' (23 of 52); of 75 accepted, 40% "
            "reached SQL and 16% an opportunity.");
  EXPECT_TRUE(f.has_data);
  EXPECT_EQ(f.summary,
            "All leads: 41% rejected, mostly 'too small' (23 of 52); of 75 accepted, 40% reached "
            "SQL and 16% an opportunity.");
}

TEST(FeedbackTest, GroupsRankByRejectionsAndTheTotalAddsThemUp) {
  DispositionCounts quiet;
  quiet.key = "";
  quiet.accepted = 4;
  DispositionCounts ads;
  ads.key = "ads";
  ads.accepted = 1;
  ads.rejected = 3;
  ads.reasons = {{"too_small", 3}};
  DispositionCounts none;  // no disposition: no group
  none.key = "silent";
  auto f = ComputeFeedback({quiet, ads, Webinar(), none}, FeedbackBreakdown::kSource, kLabels, "");
  ASSERT_EQ(f.groups.size(), 3u);
  EXPECT_EQ(f.groups[0].key, "Webinar Q3");
  EXPECT_EQ(f.groups[1].key, "ads");
  EXPECT_EQ(f.groups[2].key, "");
  EXPECT_EQ(f.groups[1].sentence,
            "Leads from ads: 75% rejected, mostly 'too small' (3 of 3); of 1 accepted, 0% "
            "reached SQL and 0% an opportunity.");
  EXPECT_EQ(f.groups[2].sentence,
            "Leads without a source: none rejected; of 4 accepted, 0% reached SQL and 0% an "
            "opportunity.");
  EXPECT_EQ(f.total.dispositions, 127 + 4 + 4);
  EXPECT_EQ(f.total.rejected, 55);
  ASSERT_EQ(f.total.reasons.size(), 3u);
  EXPECT_EQ(f.total.reasons[0].code, "too_small");
  EXPECT_EQ(f.total.reasons[0].count, 26);
  EXPECT_EQ(f.total.next[0].count, 30);
}

TEST(FeedbackTest, NothingAcceptedOrNoDataIsSaidNotDivided) {
  DispositionCounts all_rejected;
  all_rejected.key = "spam";
  all_rejected.rejected = 2;
  all_rejected.reasons = {{"bad_timing", 1}, {"too_small", 1}};
  auto f = ComputeFeedback({all_rejected}, FeedbackBreakdown::kPersona, kLabels, "");
  const FeedbackGroup& g = f.groups.at(0);
  EXPECT_FALSE(g.next[0].rate);
  EXPECT_FALSE(g.next[0].interval);
  // A tie goes to the code first in order.
  EXPECT_EQ(g.sentence, "spam leads: 100% rejected, mostly 'Bad timing' (1 of 2); none accepted.");

  auto empty =
      ComputeFeedback({}, FeedbackBreakdown::kCampaign, kLabels, "from 2026-10-01 to 2027-01-01");
  EXPECT_FALSE(empty.has_data);
  EXPECT_TRUE(empty.groups.empty());
  EXPECT_FALSE(empty.total.accept_rate);
  EXPECT_FALSE(empty.total.accept_interval);
  EXPECT_EQ(empty.summary,
            "no data: sales accepted or rejected no lead from 2026-10-01 to 2027-01-01");
}

TEST(FeedbackTest, BreakdownCodec) {
  EXPECT_EQ(*FeedbackBreakdownFromString("persona"), FeedbackBreakdown::kPersona);
  EXPECT_EQ(*FeedbackBreakdownFromString("source"), FeedbackBreakdown::kSource);
  auto bad = FeedbackBreakdownFromString("owner");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().field, "by");
  EXPECT_NE(bad.error().message.find("campaign, source, persona"), std::string::npos);
  EXPECT_EQ(Percent(0.125), "13%");
  EXPECT_EQ(Percent(0.0049), "0%");
}

}  // namespace
}  // namespace tandem::core
