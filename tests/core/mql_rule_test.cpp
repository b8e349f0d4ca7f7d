#include "core/mql_rule.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

MqlRule Parse(std::string_view text) {
  auto r = MqlRule::Parse(text);
  EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error().ToString());
  return r ? *r : MqlRule{};
}

MqlSyntaxError ParseError(std::string_view text) {
  auto r = MqlRule::Parse(text);
  EXPECT_FALSE(r) << text << " parsed as " << (r ? r->ToString() : "");
  return r ? MqlSyntaxError{} : r.error();
}

MqlInputs In(double fit, double engagement, Grade grade = Grade::kD, std::string_view p = "") {
  return {fit, engagement, grade, p};
}

TEST(MqlRuleTest, DefaultRuleComparesFitAndEngagement) {
  MqlRule r = Parse("fit >= 60 and engagement >= 40");
  EXPECT_TRUE(r.Evaluate(In(60, 40)));
  EXPECT_TRUE(r.Evaluate(In(100, 90)));
  EXPECT_FALSE(r.Evaluate(In(59, 90)));
  EXPECT_FALSE(r.Evaluate(In(60, 39.9)));
}

TEST(MqlRuleTest, AndBindsTighterThanOr) {
  MqlRule r = Parse("fit > 90 or fit > 10 and engagement > 50");
  EXPECT_TRUE(r.Evaluate(In(95, 0)));
  EXPECT_FALSE(r.Evaluate(In(50, 0)));
  EXPECT_TRUE(r.Evaluate(In(50, 60)));
  MqlRule p = Parse("(fit > 90 or fit > 10) and engagement > 50");
  EXPECT_FALSE(p.Evaluate(In(95, 0)));
}

TEST(MqlRuleTest, NotAndBooleans) {
  EXPECT_TRUE(Parse("not fit < 50").Evaluate(In(50, 0)));
  EXPECT_FALSE(Parse("not not fit < 50").Evaluate(In(50, 0)));
  EXPECT_TRUE(Parse("true").Evaluate(In(0, 0)));
  EXPECT_FALSE(Parse("false or false").Evaluate(In(0, 0)));
}

TEST(MqlRuleTest, EveryComparisonOperator) {
  EXPECT_TRUE(Parse("fit == 60").Evaluate(In(60, 0)));
  EXPECT_TRUE(Parse("fit = 60").Evaluate(In(60, 0)));
  EXPECT_FALSE(Parse("fit != 60").Evaluate(In(60, 0)));
  EXPECT_TRUE(Parse("fit < 60").Evaluate(In(59, 0)));
  EXPECT_TRUE(Parse("fit <= 60").Evaluate(In(60, 0)));
  EXPECT_TRUE(Parse("engagement > 12.5").Evaluate(In(0, 12.6)));
}

TEST(MqlRuleTest, GradeComparesByQualityWithABest) {
  MqlRule r = Parse("grade >= B");
  EXPECT_TRUE(r.Evaluate(In(0, 0, Grade::kA)));
  EXPECT_TRUE(r.Evaluate(In(0, 0, Grade::kB)));
  EXPECT_FALSE(r.Evaluate(In(0, 0, Grade::kC)));
  EXPECT_TRUE(Parse("grade == 'c'").Evaluate(In(0, 0, Grade::kC)));
  EXPECT_TRUE(Parse("grade < C").Evaluate(In(0, 0, Grade::kD)));
}

TEST(MqlRuleTest, PersonaEqualityAndMembership) {
  EXPECT_TRUE(Parse("persona == cfo").Evaluate(In(0, 0, Grade::kD, "cfo")));
  EXPECT_FALSE(Parse("persona != \"cfo\"").Evaluate(In(0, 0, Grade::kD, "cfo")));
  MqlRule in = Parse("persona in (cfo, 'head-of-data')");
  EXPECT_TRUE(in.Evaluate(In(0, 0, Grade::kD, "head-of-data")));
  EXPECT_FALSE(in.Evaluate(In(0, 0, Grade::kD, "ops")));
  EXPECT_TRUE(Parse("persona == none").Evaluate(In(0, 0)));
  EXPECT_FALSE(Parse("persona == none").Evaluate(In(0, 0, Grade::kD, "cfo")));
}

TEST(MqlRuleTest, KeywordsAreCaseInsensitive) {
  EXPECT_TRUE(Parse("FIT >= 10 AND Engagement >= 1 OR NOT true").Evaluate(In(10, 1)));
}

TEST(MqlRuleTest, NormalisedTextRoundTrips) {
  MqlRule r = Parse("  fit>=60   and(engagement>40 OR grade>=b)");
  EXPECT_EQ(r.ToString(), "fit >= 60 and (engagement > 40 or grade >= B)");
  MqlRule again = Parse(r.ToString());
  EXPECT_EQ(again.ToString(), r.ToString());
  EXPECT_EQ(Parse("persona in (a, b)").ToString(), "persona in (\"a\", \"b\")");
}

TEST(MqlRuleTest, ErrorsGiveTheColumnAndWhatWasExpected) {
  auto e = ParseError("fit >= and engagement >= 40");
  EXPECT_EQ(e.column, 8u);
  EXPECT_EQ(e.message, "expected a number after '>=', found 'and'");
  EXPECT_EQ(e.ToString(), "at column 8: expected a number after '>=', found 'and'");

  EXPECT_EQ(ParseError("fit >= 60 and").column, 14u);
  EXPECT_EQ(ParseError("fit >= 60 and").message,
            "expected 'fit', 'engagement', 'grade', 'persona', 'not' or '(', found the end of "
            "the rule");
  EXPECT_EQ(ParseError("(fit >= 60").message, "expected ')', found the end of the rule");
  EXPECT_EQ(ParseError("score >= 60").message,
            "unknown name 'score'; expected 'fit', 'engagement', 'grade' or 'persona'");
  EXPECT_EQ(ParseError("fit 60").column, 5u);
  EXPECT_EQ(ParseError("fit >= 60 engagement").column, 11u);
  EXPECT_EQ(ParseError("grade >= E").message,
            "expected a grade A, B, C or D after '>=', found 'E'");
  EXPECT_EQ(ParseError("grade >= E").column, 10u);
  EXPECT_EQ(ParseError("persona > cfo").column, 9u);
  EXPECT_EQ(ParseError("persona in cfo").column, 12u);
  EXPECT_EQ(ParseError("persona in (cfo").column, 16u);
  EXPECT_EQ(ParseError("fit ! 3").column, 5u);
  EXPECT_EQ(ParseError("fit >= 6$").column, 9u);
  EXPECT_EQ(ParseError("persona == 'cfo").message, "unterminated quoted name");
  EXPECT_EQ(ParseError("fit >= 1.2.3").column, 8u);
  EXPECT_EQ(ParseError("").message, "the rule is empty");
  EXPECT_EQ(ParseError("   ").message, "the rule is empty");
}

TEST(MqlRuleTest, RefusesDeepNestingAndLongRules) {
  std::string deep(40, '(');
  deep += "true";
  deep += std::string(40, ')');
  EXPECT_EQ(ParseError(deep).message, "the rule nests more than 32 levels deep");
  std::string nots;
  for (int i = 0; i < 40; ++i) nots += "not ";
  EXPECT_EQ(ParseError(nots + "true").message, "the rule nests more than 32 levels deep");
  std::string shallow(10, '(');
  EXPECT_TRUE(MqlRule::Parse(shallow + "true" + std::string(10, ')')));
  std::string long_rule = "fit >= 1";
  while (long_rule.size() <= 2000) long_rule += " or fit >= 1";
  EXPECT_EQ(ParseError(long_rule).message, "the rule is longer than 2000 characters");
}

TEST(MqlRuleTest, DefaultConstructedRuleNeverHolds) {
  EXPECT_FALSE(MqlRule{}.Evaluate(In(100, 100, Grade::kA, "x")));
}

TEST(GradeTest, Codec) {
  EXPECT_EQ(GradeFromString("a"), Grade::kA);
  EXPECT_EQ(GradeFromString("D"), Grade::kD);
  EXPECT_FALSE(GradeFromString("E"));
  EXPECT_FALSE(GradeFromString("AB"));
  EXPECT_EQ(ToString(Grade::kB), "B");
}

}  // namespace
}  // namespace tandem::core
