#include "app/contract_file.hpp"
#include "core/contract_diff.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace tandem::app {
namespace {

using namespace std::chrono;

std::string Example() {
  std::ifstream in(std::string(TANDEM_SOURCE_DIR) + "/docs/examples/contract.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The example with `from` replaced by `to` (which must occur exactly once).
std::string With(std::string_view from, std::string_view to) {
  std::string s = Example();
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(s.find(from, at + 1), std::string::npos) << "ambiguous: " << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

int LineOf(const std::string& text, std::string_view needle) {
  const auto at = text.find(needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// The issues of a text that must not parse, as "line:col: message".
std::vector<ContractIssue> Issues(const std::string& text) {
  auto r = ParseContract(text);
  EXPECT_FALSE(r.has_value()) << "parsed although it should not";
  return r ? std::vector<ContractIssue>{} : r.error();
}

::testing::AssertionResult HasIssue(const std::vector<ContractIssue>& issues, int line,
                                    std::string_view fragment) {
  std::string all;
  for (const auto& i : issues) {
    if (i.line == line && i.message.find(fragment) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
    all += std::to_string(i.line) + ":" + std::to_string(i.column) + ": " + i.message + "\n";
  }
  return ::testing::AssertionFailure()
         << "no issue on line " << line << " with '" << fragment << "'; got:\n"
         << all;
}

TEST(ContractFileTest, TheShippedExampleParses) {
  auto r = ParseContract(Example());
  ASSERT_TRUE(r) << FormatIssues("contract.toml", r.error());
  const core::Contract& c = *r;
  EXPECT_EQ(c.parties.size(), 3u);
  EXPECT_EQ(c.PartyOf("katrin.vogel@northwind-analytics.example")->team, "Sales EMEA");
  EXPECT_EQ(c.personas,
            (std::vector<std::string>{"ops_leader_manufacturing", "head_of_data_saas"}));
  EXPECT_EQ(c.marketing.mql_quota, 60);
  EXPECT_EQ(c.marketing.quota_period, core::QuotaPeriod::kWeek);
  EXPECT_EQ(c.sales.first_touch_hours, 4);
  EXPECT_EQ(c.sales.disposition_days, 2);
  EXPECT_EQ(c.routing.strategy, core::RoutingStrategy::kTerritory);
  EXPECT_EQ(c.routing.fallback, core::RoutingStrategy::kLeastLoaded);
  ASSERT_EQ(c.routing.territories.size(), 2u);
  EXPECT_EQ(c.routing.territories[1].team, "Sales North America");
  EXPECT_EQ(c.FindReason("no_budget")->next, core::Stage::kDisqualified);
  EXPECT_EQ(c.FindReason("bad_timing")->next, core::Stage::kRecycled);
  EXPECT_EQ(c.FindReason("nope"), nullptr);
  ASSERT_EQ(c.escalation.size(), 3u);
  EXPECT_EQ(c.escalation[1].action, core::EscalationAction::kReassign);
  EXPECT_EQ(c.calendar.time_zone, "Europe/Paris");
  EXPECT_EQ(c.CalendarFor("Sales North America").time_zone, "America/New_York");
  EXPECT_EQ(c.CalendarFor("Sales EMEA").time_zone, "Europe/Paris");
  ASSERT_TRUE(c.compensation);
  EXPECT_EQ(c.compensation->pool_cents, 2'400'000);
  EXPECT_EQ(c.compensation->kpis.size(), 5u);
}

TEST(ContractFileTest, ItsCalendarComputesTheIssueExample) {
  // Paris, 09:00-18:00 on weekdays: Friday 17:30 + 4 business hours is Monday 12:30, and
  // Tuesday 12:30 when that Monday is a holiday.
  auto text = With("friday = [\"09:00-12:30\", \"13:30-17:00\"]", "friday = [\"09:00-18:00\"]");
  for (const char* d : {"monday", "tuesday", "wednesday", "thursday"}) {
    const std::string from = std::string(d) + " = [\"09:00-12:30\", \"13:30-18:00\"]";
    text.replace(text.find(from), from.size(), std::string(d) + " = [\"09:00-18:00\"]");
  }
  text.replace(text.find("2026-12-25, 2027-01-01, 2027-04-05"), 10, "2026-11-30");
  auto r = ParseContract(text);
  ASSERT_TRUE(r) << FormatIssues("c", r.error());
  auto cal = r->calendar.Build();
  ASSERT_TRUE(cal);
  const auto* paris = r->calendar.zone;
  auto at = [&](unsigned d, int h, int m) {
    return time_point_cast<milliseconds>(
        paris->to_sys(date::local_days{date::year{2026} / 11 / d} + hours{h} + minutes{m}));
  };
  const core::Instant friday = at(27, 17, 30);
  EXPECT_EQ(cal->Add(friday, hours{r->sales.first_touch_hours}),
            time_point_cast<milliseconds>(paris->to_sys(
                date::local_days{date::year{2026} / 12 / 1} + hours{12} + minutes{30})));
}

TEST(ContractFileTest, UnknownKeysAreErrorsWithTheirPosition) {
  const auto text = With("attempts = 3 ", "attempts = 3\nfirst_tuch_hours = 2 ");
  auto issues = Issues(text);
  EXPECT_TRUE(HasIssue(issues, LineOf(text, "first_tuch_hours"),
                       "unknown key 'first_tuch_hours' in [sales]"));
  EXPECT_EQ(issues[0].column, 1);
  const auto top = With("name = \"Northwind", "colour = \"red\"\nname = \"Northwind");
  EXPECT_TRUE(HasIssue(Issues(top), LineOf(top, "colour"), "unknown key 'colour' in the contract"));
}

TEST(ContractFileTest, ImpossibleHoursNeedTheOvernightDeclaration) {
  const auto text = With("monday = [\"08:30-17:30\"]", "monday = [\"18:00-09:00\"]");
  EXPECT_TRUE(
      HasIssue(Issues(text), LineOf(text, "\"18:00-09:00\""), "impossible hours 18:00-09:00"));
  // Declared, it is an overnight shift from Monday 18:00 to Tuesday 09:00... which overlaps
  // Tuesday's 08:30.
  const auto declared = With("time_zone = \"America/New_York\"",
                             "time_zone = \"America/New_York\"\novernight = true");
  auto night = declared;
  night.replace(night.find("monday = [\"08:30-17:30\"]"), 24, "monday = [\"18:00-08:00\"]");
  auto r = ParseContract(night);
  ASSERT_TRUE(r) << FormatIssues("c", r.error());
  EXPECT_EQ(r->CalendarFor("Sales North America").hours.days[0][0].end_minute, 32 * 60);
  auto overlapping = declared;
  overlapping.replace(overlapping.find("monday = [\"08:30-17:30\"]"), 24,
                      "monday = [\"18:00-09:00\"]");
  EXPECT_TRUE(HasIssue(Issues(overlapping), LineOf(overlapping, "[team_calendars.hours]"),
                       "overlap on tuesday at 08:30"));
  EXPECT_TRUE(HasIssue(Issues(With("\"08:30-17:30\"]\ntuesday", "\"8h30-17h\"]\ntuesday")),
                       LineOf(Example(), "monday = [\"08:30-17:30\"]"), "is not an interval"));
  EXPECT_TRUE(HasIssue(Issues(With("\"08:30-17:30\"]\ntuesday", "\"08:30-24:30\"]\ntuesday")),
                       LineOf(Example(), "monday = [\"08:30-17:30\"]"), "is not an interval"));
}

TEST(ContractFileTest, UnknownTimeZonesAreRefused) {
  const auto text = With("\"Europe/Paris\"", "\"Europe/Pariss\"");
  const auto issues = Issues(text);
  EXPECT_TRUE(HasIssue(issues, LineOf(text, "Europe/Pariss"), "unknown time zone 'Europe/Pariss'"));
  EXPECT_EQ(issues[0].column, 13);
  EXPECT_TRUE(HasIssue(Issues(With("\"Europe/Paris\"", "\"../../etc/passwd\"")),
                       LineOf(text, "Europe/Pariss"), "unknown time zone"));
}

TEST(ContractFileTest, OverlappingTerritoriesAreRefused) {
  const auto text = With("countries = [\"US\", \"CA\"]", "countries = [\"US\", \"CA\", \"FR\"]");
  EXPECT_TRUE(HasIssue(Issues(text), LineOf(text, "\"US\", \"CA\", \"FR\""),
                       "territories overlap: FR is in both 'EMEA' and 'North America'"));
  // A region is more specific than a country: allowed.
  auto r = ParseContract(
      With("countries = [\"US\", \"CA\"]", "countries = [\"US\", \"CA\"]\nregions = [\"FR-IDF\"]"));
  EXPECT_TRUE(r) << FormatIssues("c", r.error());
  EXPECT_TRUE(HasIssue(Issues(With("countries = [\"US\", \"CA\"]", "countries = [\"usa\"]")),
                       LineOf(text, "\"US\", \"CA\", \"FR\""), "not an ISO 3166 country code"));
}

TEST(ContractFileTest, ReasonCodesUsedButNotDefinedAreRefused) {
  const auto text = With("reasons = [\"early_research\"]", "reasons = [\"too_early\"]");
  EXPECT_TRUE(HasIssue(Issues(text), LineOf(text, "too_early"),
                       "reason code 'too_early' is used but not defined"));
  const auto disq = With("reasons = [\"early_research\"]", "reasons = [\"no_budget\"]");
  EXPECT_TRUE(HasIssue(Issues(disq), LineOf(disq, "reasons = [\"no_budget\"]"),
                       "sends leads to disqualified"));
  const auto twice = With("code = \"no_budget\"", "code = \"bad_timing\"");
  EXPECT_TRUE(HasIssue(Issues(twice), LineOf(Example(), "code = \"no_budget\""),
                       "reason code 'bad_timing' is defined twice"));
  const auto next =
      With("next = \"disqualified\"\n\n[[rejection_reasons]]\ncode = \"wrong_persona\"",
           "next = \"lost\"\n\n[[rejection_reasons]]\ncode = \"wrong_persona\"");
  EXPECT_TRUE(
      HasIssue(Issues(next), LineOf(next, "next = \"lost\""), "must be recycled or disqualified"));
}

TEST(ContractFileTest, KpiWeightsMustSumToOneHundred) {
  const auto text = With("weight = 30", "weight = 35");
  EXPECT_TRUE(HasIssue(Issues(text), LineOf(text, "[[compensation.kpis]]"),
                       "KPI weights must sum to 100, not 105"));
}

TEST(ContractFileTest, TypesRangesAndRequiredKeys) {
  EXPECT_TRUE(HasIssue(Issues(With("first_touch_hours = 4", "first_touch_hours = \"4\"")),
                       LineOf(Example(), "first_touch_hours = 4"), "must be an integer"));
  EXPECT_TRUE(HasIssue(Issues(With("first_touch_hours = 4", "first_touch_hours = 0")),
                       LineOf(Example(), "first_touch_hours = 4"), "between 1 and 2000"));
  EXPECT_TRUE(HasIssue(Issues(With("first_touch_hours = 4", "")), LineOf(Example(), "[sales]"),
                       "missing key 'sales.first_touch_hours'"));
  EXPECT_TRUE(HasIssue(Issues(With("strategy = \"territory\"", "strategy = \"random\"")),
                       LineOf(Example(), "strategy = \"territory\""),
                       "must be one of round_robin"));
  EXPECT_TRUE(HasIssue(
      Issues(With("head = \"marcus.reed@northwind-analytics.example\"", "head = \"marcus\"")),
      LineOf(Example(), "head = \"marcus.reed"), "parties.head"));
}

TEST(ContractFileTest, RoutingChecksPersonasTeamsAndStrategies) {
  const auto owner = With("[[routing.reps]]",
                          "[[routing.persona_owners]]\npersona = \"cfo_enterprise\"\nteam = "
                          "\"Sales EMEA\"\n\n[[routing.reps]]");
  EXPECT_TRUE(HasIssue(Issues(owner), LineOf(owner, "cfo_enterprise"),
                       "persona 'cfo_enterprise' is not one of the targeted personas"));
  const auto team = With("team = \"Sales North America\"\n\n#", "team = \"Sales APAC\"\n\n#");
  EXPECT_TRUE(
      HasIssue(Issues(team), LineOf(team, "Sales APAC"), "team 'Sales APAC' is not a sales party"));
  const auto strategy = With("fallback = \"least_loaded\"", "fallback = \"persona_owner\"");
  EXPECT_TRUE(HasIssue(Issues(strategy), LineOf(strategy, "[routing]"),
                       "persona_owner needs [[routing.persona_owners]]"));
  const auto both = With("team = \"Sales EMEA\"\n\n[[routing",
                         "team = \"Sales EMEA\"\nrep = \"a@b.example\"\n\n[[routing");
  EXPECT_TRUE(HasIssue(Issues(both), LineOf(both, "name = \"EMEA\"") - 1,
                       "needs exactly one of 'team' and 'rep'"));
}

TEST(ContractFileTest, InvalidTomlReportsWhereItBroke) {
  const auto text = With("mql_quota = 60", "mql_quota = = 60");
  const auto issues = Issues(text);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].line, LineOf(text, "mql_quota = = 60"));
  EXPECT_NE(issues[0].message.find("not valid TOML"), std::string::npos);
  EXPECT_EQ(FormatIssues("c.toml", issues).substr(0, 7 + std::to_string(issues[0].line).size()),
            "c.toml:" + std::to_string(issues[0].line));
}

TEST(ContractFileTest, EveryProblemIsReportedAtOnceInOrder) {
  auto text = With("first_touch_hours = 4", "first_touch_hours = -1");
  text.replace(text.find("\"Europe/Paris\""), 14, "\"Mars/Olympus\"");
  const auto issues = Issues(text);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_LT(issues[0].line, issues[1].line);
}

TEST(ContractDiffTest, ShowsChangedAddedAndRemovedTerms) {
  auto a = ParseContract(Example());
  auto b = ParseContract(With("first_touch_hours = 4", "first_touch_hours = 8"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(core::DiffContracts(*a, *b),
            (std::vector<std::string>{"sales.first_touch_hours: 4 -> 8"}));
  EXPECT_TRUE(core::DiffContracts(*a, *a).empty());

  auto c = ParseContract(With("[[rejection_reasons]]\ncode = \"no_budget\"",
                              "[[rejection_reasons]]\ncode = \"partner\"\nlabel = \"Works for a "
                              "partner\"\nnext = \"disqualified\"\n\n[[rejection_reasons]]\n"
                              "code = \"no_budget\""));
  ASSERT_TRUE(c) << FormatIssues("c", c.error());
  EXPECT_EQ(core::DiffContracts(*a, *c),
            (std::vector<std::string>{"+ rejection_reasons.partner.label: \"Works for a partner\"",
                                      "+ rejection_reasons.partner.next: disqualified"}));
  EXPECT_EQ(core::DiffContracts(*c, *a),
            (std::vector<std::string>{"- rejection_reasons.partner.label: \"Works for a partner\"",
                                      "- rejection_reasons.partner.next: disqualified"}));
  auto d = ParseContract(With("\"Europe/Paris\"", "\"Europe/Berlin\""));
  ASSERT_TRUE(d);
  EXPECT_EQ(
      core::DiffContracts(*a, *d),
      (std::vector<std::string>{"calendar.time_zone: \"Europe/Paris\" -> \"Europe/Berlin\""}));
}

// The structured diff the API and the SLA page show: every change with its section, kind and
// both values, in DiffContracts' order.
TEST(ContractDiffTest, CompareContractsSaysSectionKindAndBothValues) {
  using Change = core::ContractChange;
  using core::ContractSection;
  auto a = ParseContract(Example());
  std::string text = Example();
  auto swap = [&text](std::string_view from, std::string_view to) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  swap("first_touch_hours = 4", "first_touch_hours = 2");
  swap("targeted = [\"ops_leader_manufacturing\", \"head_of_data_saas\"]",
       "targeted = [\"head_of_data_saas\"]");
  swap("monday = [\"09:00-12:30\", \"13:30-18:00\"]", "monday = [\"10:00-18:00\"]");
  swap("[[rejection_reasons]]\ncode = \"no_budget\"",
       "[[rejection_reasons]]\ncode = \"partner\"\nlabel = \"Works for a partner\"\nnext = "
       "\"disqualified\"\n\n[[rejection_reasons]]\ncode = \"no_budget\"");
  auto b = ParseContract(text);
  ASSERT_TRUE(a && b) << (b ? "" : FormatIssues("b", b.error()));

  const auto changes = core::CompareContracts(*a, *b);
  ASSERT_EQ(changes.size(), 5u);
  EXPECT_EQ(changes[0],
            (Change{ContractSection::kPersonas, "personas.targeted", Change::Kind::kChanged,
                    "ops_leader_manufacturing, head_of_data_saas", "head_of_data_saas"}));
  EXPECT_EQ(changes[1], (Change{ContractSection::kSlaTargets, "sales.first_touch_hours",
                                Change::Kind::kChanged, "4", "2"}));
  EXPECT_EQ(changes[2].section, ContractSection::kCalendar);
  EXPECT_EQ(changes[2].path, "calendar.hours.monday");
  EXPECT_EQ(changes[2].after, "10:00-18:00");
  EXPECT_EQ(changes[3], (Change{ContractSection::kClauses, "rejection_reasons.partner.label",
                                Change::Kind::kAdded, std::nullopt, "\"Works for a partner\""}));
  EXPECT_EQ(changes[4].path, "rejection_reasons.partner.next");

  // Backwards, an addition is a removal, in the order of the contract it is removed from (the
  // reason comes before the calendar there); the readable lines are the same changes.
  const auto back = core::CompareContracts(*b, *a);
  ASSERT_EQ(back.size(), 5u);
  EXPECT_EQ(back[2].path, "rejection_reasons.partner.label");
  EXPECT_EQ(back[2].kind, Change::Kind::kRemoved);
  EXPECT_EQ(back[2].before, "\"Works for a partner\"");
  EXPECT_FALSE(back[2].after.has_value());
  EXPECT_EQ(back[4].path, "calendar.hours.monday");
  EXPECT_EQ(back[4].before, "10:00-18:00");
  EXPECT_EQ(core::DiffContracts(*a, *b).size(), changes.size());
  EXPECT_TRUE(core::CompareContracts(*a, *a).empty());
}

TEST(ContractDiffTest, SectionOfAPath) {
  using core::ContractSection;
  EXPECT_EQ(core::SectionOf("personas.targeted"), ContractSection::kPersonas);
  EXPECT_EQ(core::SectionOf("marketing.mql_quota"), ContractSection::kSlaTargets);
  EXPECT_EQ(core::SectionOf("sales.disposition_days"), ContractSection::kSlaTargets);
  EXPECT_EQ(core::SectionOf("calendar.time_zone"), ContractSection::kCalendar);
  EXPECT_EQ(core::SectionOf("team_calendars.\"Sales NA\".holidays"), ContractSection::kCalendar);
  EXPECT_EQ(core::SectionOf("routing.strategy"), ContractSection::kClauses);
  EXPECT_EQ(core::SectionOf("name"), ContractSection::kClauses);
  EXPECT_EQ(core::SectionOf("salesforce.x"), ContractSection::kClauses);
  EXPECT_EQ(core::ToString(ContractSection::kSlaTargets), "sla_targets");
}

TEST(ContractDiffTest, HashFollowsMeaningNotLayout) {
  auto a = ParseContract(Example());
  auto comments = ParseContract(With("# Who signs.", "# Who signs the contract."));
  auto changed = ParseContract(With("mql_quota = 60", "mql_quota = 61"));
  ASSERT_TRUE(a && comments && changed);
  EXPECT_EQ(ContractHash(*a), ContractHash(*comments));
  EXPECT_NE(ContractHash(*a), ContractHash(*changed));
  EXPECT_EQ(ContractHash(*a).size(), 64u);
}

}  // namespace
}  // namespace tandem::app
