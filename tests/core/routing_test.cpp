#include "core/routing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::core {
namespace {

using namespace std::chrono;

Date D(int y, unsigned m, unsigned d) {
  return Date{year{y} / month{m} / day{d}};
}

const Date kToday = D(2026, 11, 27);

RepStatus Rep(Id id, std::string email, std::string team, int open = 0) {
  RepStatus r;
  r.user_id = id;
  r.email = std::move(email);
  r.team = std::move(team);
  r.open_leads = open;
  return r;
}

RoutingRep Listed(std::string email, int weight = 1, std::optional<int> capacity = {}) {
  return RoutingRep{std::move(email), weight, capacity};
}

// Three EMEA reps, two Americas reps, all listed in the contract.
std::vector<RepStatus> Roster() {
  return {Rep(1, "ana@t.example", "Sales EMEA"), Rep(2, "bo@t.example", "Sales EMEA"),
          Rep(3, "cy@t.example", "Sales EMEA"), Rep(4, "di@t.example", "Sales Americas"),
          Rep(5, "ed@t.example", "Sales Americas")};
}

RoutingConfig Config(RoutingStrategy s) {
  RoutingConfig c;
  c.strategy = s;
  for (const char* e :
       {"ana@t.example", "bo@t.example", "cy@t.example", "di@t.example", "ed@t.example"}) {
    c.reps.push_back(Listed(e));
  }
  return c;
}

RoutingRequest Lead(Id id, std::string country = "", std::string region = "") {
  RoutingRequest r;
  r.contact_id = id;
  r.country = std::move(country);
  r.region = std::move(region);
  return r;
}

// Routes `n` leads made by `make`, recording each assignment's load, and returns the
// assignee ids (0 for unassigned).
template <typename Make>
std::vector<Id> Sequence(Router& router, RoutingState& state, int n, Make make,
                         std::vector<RoutingDecision>* out = nullptr) {
  std::vector<Id> ids;
  for (int i = 0; i < n; ++i) {
    RoutingDecision d = router.Route(make(i), kToday, state);
    ids.push_back(d.assignee_id.value_or(0));
    if (d.assignee_id) router.AddOpenLeads(*d.assignee_id);
    if (out) out->push_back(d);
  }
  return ids;
}

std::vector<Id> Plain(Router& router, RoutingState& state, int n) {
  return Sequence(router, state, n, [](int i) { return Lead(100 + i); });
}

TEST(RoutingRuleTest, CodecRoundTrips) {
  for (RoutingRule r : {RoutingRule::kAccountOwner, RoutingRule::kPersonaOwner,
                        RoutingRule::kTerritory, RoutingRule::kRoundRobin, RoutingRule::kWeighted,
                        RoutingRule::kLeastLoaded, RoutingRule::kUnassigned}) {
    EXPECT_EQ(RoutingRuleFromString(ToString(r)), r);
  }
  EXPECT_FALSE(RoutingRuleFromString("random").has_value());
}

TEST(RoutingRoundRobinTest, CyclesThroughRepsInContractOrder) {
  Router router(Config(RoutingStrategy::kRoundRobin), Roster());
  RoutingState state;
  EXPECT_EQ(Plain(router, state, 7), (std::vector<Id>{1, 2, 3, 4, 5, 1, 2}));
}

TEST(RoutingRoundRobinTest, RecordsTheRule) {
  Router router(Config(RoutingStrategy::kRoundRobin), Roster());
  RoutingState state;
  RoutingDecision d = router.Route(Lead(9), kToday, state);
  EXPECT_EQ(d.contact_id, 9);
  EXPECT_EQ(d.rule, RoutingRule::kRoundRobin);
  EXPECT_EQ(d.code, "round_robin");
  EXPECT_EQ(d.text, "round robin -> ana@t.example");
  EXPECT_EQ(d.assignee_email, "ana@t.example");
  EXPECT_FALSE(d.by_fallback);
  EXPECT_TRUE(d.assigned());
}

TEST(RoutingRoundRobinTest, SkipsInactiveAndAbsentRepsAndKeepsTheirTurnOrder) {
  auto roster = Roster();
  roster[1].active = false;                                   // bo
  roster[3].absences = {{D(2026, 11, 20), D(2026, 11, 27)}};  // di, last day today
  Router router(Config(RoutingStrategy::kRoundRobin), roster);
  RoutingState state;
  EXPECT_EQ(Plain(router, state, 6), (std::vector<Id>{1, 3, 5, 1, 3, 5}));
}

TEST(RoutingRoundRobinTest, AbsenceEndsAfterItsLastDay) {
  auto roster = Roster();
  roster[0].absences = {{D(2026, 11, 1), D(2026, 11, 26)}};
  Router router(Config(RoutingStrategy::kRoundRobin), roster);
  RoutingState state;
  EXPECT_EQ(router.Route(Lead(1), kToday, state).assignee_id, 1);
  EXPECT_EQ(router.Route(Lead(2), D(2026, 11, 26), state).assignee_id, 2);
}

TEST(RoutingRoundRobinTest, SameInputsGiveSameSequence) {
  Router a(Config(RoutingStrategy::kRoundRobin), Roster());
  Router b(Config(RoutingStrategy::kRoundRobin), Roster());
  RoutingState sa, sb;
  EXPECT_EQ(Plain(a, sa, 23), Plain(b, sb, 23));
  EXPECT_EQ(sa, sb);
}

TEST(RoutingRoundRobinTest, StateCarriesOverToANewRouter) {
  RoutingState state;
  {
    Router router(Config(RoutingStrategy::kRoundRobin), Roster());
    EXPECT_EQ(Plain(router, state, 2), (std::vector<Id>{1, 2}));
  }
  Router again(Config(RoutingStrategy::kRoundRobin), Roster());
  EXPECT_EQ(Plain(again, state, 2), (std::vector<Id>{3, 4}));
}

TEST(RoutingCapacityTest, RepAtCapacityIsSkipped) {
  auto config = Config(RoutingStrategy::kRoundRobin);
  config.reps[0].capacity = 1;  // ana
  config.default_capacity = 2;
  Router router(config, Roster());
  RoutingState state;
  // ana takes one, the others two each; then nobody is left.
  std::vector<RoutingDecision> ds;
  auto ids = Sequence(
      router, state, 11, [](int i) { return Lead(i); }, &ds);
  EXPECT_EQ(ids, (std::vector<Id>{1, 2, 3, 4, 5, 2, 3, 4, 5, 0, 0}));
  EXPECT_EQ(ds[9].rule, RoutingRule::kUnassigned);
  EXPECT_EQ(ds[9].unassigned, UnassignedReason::kNobodyAvailable);
  EXPECT_EQ(ds[9].code, "unassigned:nobody_available");
  EXPECT_EQ(ds[9].text,
            "unassigned: round robin: nobody available (ana@t.example at capacity 1/1, "
            "bo@t.example at capacity 2/2, cy@t.example at capacity 2/2, di@t.example at "
            "capacity 2/2, ed@t.example at capacity 2/2)");
}

TEST(RoutingCapacityTest, NoCapWhenNoneIsSet) {
  auto roster = Roster();
  for (auto& r : roster) r.open_leads = 10'000;
  Router router(Config(RoutingStrategy::kRoundRobin), roster);
  RoutingState state;
  EXPECT_TRUE(router.Route(Lead(1), kToday, state).assigned());
}

TEST(RoutingCapacityTest, ReleasedLeadFreesCapacity) {
  auto config = Config(RoutingStrategy::kRoundRobin);
  config.reps.resize(1);
  config.reps[0].capacity = 1;
  Router router(config, Roster());
  RoutingState state;
  EXPECT_EQ(Plain(router, state, 2), (std::vector<Id>{1, 0}));
  router.AddOpenLeads(1, -1);
  EXPECT_EQ(Plain(router, state, 1), (std::vector<Id>{1}));
}

TEST(RoutingWeightedTest, SmoothWeightedSequenceIsExact) {
  auto config = Config(RoutingStrategy::kWeighted);
  config.reps = {Listed("ana@t.example", 5), Listed("bo@t.example", 1), Listed("cy@t.example", 1)};
  Router router(config, Roster());
  RoutingState state;
  // The classic smooth sequence for 5:1:1: a a b a c a a, then it repeats.
  EXPECT_EQ(Plain(router, state, 14), (std::vector<Id>{1, 1, 2, 1, 3, 1, 1, 1, 1, 2, 1, 3, 1, 1}));
}

TEST(RoutingWeightedTest, SharesFollowWeights) {
  auto config = Config(RoutingStrategy::kWeighted);
  config.reps = {Listed("ana@t.example", 3), Listed("bo@t.example", 2), Listed("cy@t.example", 1)};
  Router router(config, Roster());
  RoutingState state;
  std::vector<RoutingDecision> ds;
  Sequence(
      router, state, 600, [](int i) { return Lead(i); }, &ds);
  auto report = DistributionReport(ds);
  ASSERT_EQ(report.reps.size(), 3u);
  EXPECT_EQ(report.reps[0].leads, 300);
  EXPECT_EQ(report.reps[1].leads, 200);
  EXPECT_EQ(report.reps[2].leads, 100);
  EXPECT_EQ(ds[0].code, "weighted");
}

TEST(RoutingWeightedTest, ZeroWeightNeverGetsLeadsAndUnavailableRepsKeepTheirCounter) {
  auto config = Config(RoutingStrategy::kWeighted);
  config.reps = {Listed("ana@t.example", 2), Listed("bo@t.example", 0), Listed("cy@t.example", 1)};
  auto roster = Roster();
  roster[2].active = false;  // cy
  Router router(config, roster);
  RoutingState state;
  EXPECT_EQ(Plain(router, state, 3), (std::vector<Id>{1, 1, 1}));
  EXPECT_EQ(state.pools["*"].smooth_weights.count("cy@t.example"), 0u);
}

TEST(RoutingLeastLoadedTest, PicksFewestOpenLeadsThenRotatesTies) {
  auto roster = Roster();
  roster[0].open_leads = 3;
  roster[1].open_leads = 1;
  roster[2].open_leads = 0;
  roster[3].open_leads = 2;
  roster[4].open_leads = 0;
  Router router(Config(RoutingStrategy::kLeastLoaded), roster);
  RoutingState state;
  // cy(0) ed(0) -> then bo, cy, ed at 1 -> ...
  EXPECT_EQ(Plain(router, state, 8), (std::vector<Id>{3, 5, 2, 3, 5, 2, 3, 4}));
}

TEST(RoutingLeastLoadedTest, CapacityCapsApply) {
  auto config = Config(RoutingStrategy::kLeastLoaded);
  config.reps = {Listed("ana@t.example", 1, 2), Listed("bo@t.example", 1, 5)};
  auto roster = Roster();
  roster[1].open_leads = 4;
  Router router(config, roster);
  RoutingState state;
  EXPECT_EQ(Plain(router, state, 5), (std::vector<Id>{1, 1, 2, 0, 0}));
}

RoutingConfig TerritoryConfig() {
  RoutingConfig c = Config(RoutingStrategy::kTerritory);
  Territory emea;
  emea.name = "DACH";
  emea.countries = {"DE", "AT", "CH"};
  emea.team = "Sales EMEA";
  Territory us;
  us.name = "North America";
  us.countries = {"US", "CA"};
  us.team = "Sales Americas";
  Territory west;
  west.name = "California";
  west.regions = {"US-CA"};
  west.rep_email = "ED@t.example";  // compared case-insensitively
  c.territories = {emea, us, west};
  return c;
}

TEST(RoutingTerritoryTest, CountryGoesToTeamRoundRobin) {
  Router router(TerritoryConfig(), Roster());
  RoutingState state;
  std::vector<RoutingDecision> ds;
  auto ids = Sequence(
      router, state, 4, [](int i) { return Lead(i, "de"); }, &ds);
  EXPECT_EQ(ids, (std::vector<Id>{1, 2, 3, 1}));
  EXPECT_EQ(ds[0].rule, RoutingRule::kTerritory);
  EXPECT_EQ(ds[0].distribution, RoutingStrategy::kRoundRobin);
  EXPECT_EQ(ds[0].code, "territory:DE/round_robin");
  EXPECT_EQ(ds[0].text, "territory:DE (DACH) -> team Sales EMEA, round robin -> ana@t.example");
  EXPECT_EQ(state.pools.count("team:Sales EMEA"), 1u);
}

TEST(RoutingTerritoryTest, RegionIsMoreSpecificThanCountry) {
  Router router(TerritoryConfig(), Roster());
  RoutingState state;
  RoutingDecision ca = router.Route(Lead(1, "US", "US-CA"), kToday, state);
  EXPECT_EQ(ca.assignee_id, 5);
  EXPECT_EQ(ca.code, "territory:US-CA/rep");
  EXPECT_EQ(ca.text, "territory:US-CA (California) -> rep -> ed@t.example");
  RoutingDecision ny = router.Route(Lead(2, "US", "US-NY"), kToday, state);
  EXPECT_EQ(ny.code, "territory:US/round_robin");
  EXPECT_EQ(ny.assignee_id, 4);
}

TEST(RoutingTerritoryTest, CountryIsTakenFromRegionWhenMissing) {
  Router router(TerritoryConfig(), Roster());
  RoutingState state;
  EXPECT_EQ(router.Route(Lead(1, "", "US-TX"), kToday, state).code, "territory:US/round_robin");
}

TEST(RoutingTerritoryTest, NoMatchIsUnassignedWithReason) {
  Router router(TerritoryConfig(), Roster());
  RoutingState state;
  RoutingDecision d = router.Route(Lead(1, "JP"), kToday, state);
  EXPECT_FALSE(d.assigned());
  EXPECT_EQ(d.unassigned, UnassignedReason::kNoMatch);
  EXPECT_EQ(d.code, "unassigned:no_match");
  EXPECT_EQ(d.text, "unassigned: no territory for JP");
  EXPECT_EQ(router.Route(Lead(2), kToday, state).text, "unassigned: no country");
}

TEST(RoutingTerritoryTest, FallbackDecidesWhenNoTerritoryMatchesAndDistributesTeams) {
  auto config = TerritoryConfig();
  config.fallback = RoutingStrategy::kLeastLoaded;
  auto roster = Roster();
  roster[0].open_leads = 5;  // ana
  Router router(config, roster);
  RoutingState state;
  RoutingDecision de = router.Route(Lead(1, "DE"), kToday, state);
  EXPECT_EQ(de.assignee_id, 2);  // least loaded inside the team
  EXPECT_EQ(de.code, "territory:DE/least_loaded");
  EXPECT_FALSE(de.by_fallback);
  RoutingDecision jp = router.Route(Lead(2, "JP"), kToday, state);
  EXPECT_TRUE(jp.by_fallback);
  EXPECT_EQ(jp.rule, RoutingRule::kLeastLoaded);
  EXPECT_EQ(jp.code, "least_loaded");
  EXPECT_EQ(jp.assignee_id, 2);  // nobody's load was recorded: bo is still first of the least
  EXPECT_EQ(jp.text, "no territory for JP; least loaded -> bo@t.example");
}

TEST(RoutingTerritoryTest, TeamWithNobodyAvailableIsUnassignedWithEachReason) {
  auto roster = Roster();
  roster[0].active = false;
  roster[1].absences = {{D(2026, 11, 23), D(2026, 12, 4)}};
  roster[2].open_leads = 3;
  auto config = TerritoryConfig();
  config.default_capacity = 3;
  Router router(config, roster);
  RoutingState state;
  RoutingDecision d = router.Route(Lead(1, "AT"), kToday, state);
  EXPECT_EQ(d.unassigned, UnassignedReason::kNobodyAvailable);
  EXPECT_EQ(d.text,
            "unassigned: territory:AT (DACH) -> team Sales EMEA: nobody available "
            "(ana@t.example inactive, bo@t.example absent 2026-11-23..2026-12-04, cy@t.example "
            "at capacity 3/3)");
}

TEST(RoutingTerritoryTest, TerritoryRepUnavailableFallsThrough) {
  auto config = TerritoryConfig();
  config.fallback = RoutingStrategy::kRoundRobin;
  auto roster = Roster();
  roster[4].active = false;  // ed, California's rep
  Router router(config, roster);
  RoutingState state;
  RoutingDecision d = router.Route(Lead(1, "US", "US-CA"), kToday, state);
  EXPECT_EQ(d.assignee_id, 1);
  EXPECT_EQ(d.text,
            "territory:US-CA (California) -> ED@t.example inactive; round robin -> ana@t.example");
}

TEST(RoutingTerritoryTest, TeamPoolUsesTheChainsDistributionAndSharesItsRotation) {
  auto config = TerritoryConfig();
  config.fallback = RoutingStrategy::kWeighted;
  config.reps[0].weight = 2;  // ana
  config.persona_owners = {PersonaOwner{"cfo", "Sales EMEA", ""}};
  Router router(config, Roster());
  RoutingState state;
  std::vector<RoutingDecision> ds;
  auto ids = Sequence(
      router, state, 4, [](int i) { return Lead(i, i % 2 ? "CH" : "DE"); }, &ds);
  EXPECT_EQ(ids, (std::vector<Id>{1, 2, 3, 1}));  // 2:1:1 smooth, across DE and CH
  EXPECT_EQ(ds[1].code, "territory:CH/weighted");
  EXPECT_EQ(state.pools.size(), 1u);
}

TEST(RoutingTerritoryTest, TeamWithoutListedRepsIsNoMatch) {
  auto config = TerritoryConfig();
  config.territories[0].team = "Partners";
  Router router(config, Roster());
  RoutingState state;
  RoutingDecision d = router.Route(Lead(1, "DE"), kToday, state);
  EXPECT_EQ(d.unassigned, UnassignedReason::kNoMatch);
  EXPECT_EQ(d.text, "unassigned: territory:DE (DACH) -> team Partners: nobody in the pool");
}

TEST(RoutingChainTest, FallbackEqualToStrategyRunsOnce) {
  auto config = Config(RoutingStrategy::kRoundRobin);
  config.fallback = RoutingStrategy::kRoundRobin;
  config.reps.resize(1);
  auto roster = Roster();
  roster[0].active = false;
  Router router(config, roster);
  RoutingState state;
  EXPECT_EQ(router.Route(Lead(1), kToday, state).text,
            "unassigned: round robin: nobody available (ana@t.example inactive)");
}

TEST(RoutingPersonaOwnerTest, PersonaToRepAndToTeam) {
  auto config = Config(RoutingStrategy::kPersonaOwner);
  config.persona_owners = {PersonaOwner{"cfo", "", "di@t.example"},
                           PersonaOwner{"it_lead", "Sales EMEA", ""}};
  Router router(config, Roster());
  RoutingState state;
  RoutingRequest cfo = Lead(1);
  cfo.persona = "cfo";
  RoutingDecision d = router.Route(cfo, kToday, state);
  EXPECT_EQ(d.assignee_id, 4);
  EXPECT_EQ(d.rule, RoutingRule::kPersonaOwner);
  EXPECT_EQ(d.code, "persona:cfo/rep");
  RoutingRequest it = Lead(2);
  it.persona = "it_lead";
  auto ids = Sequence(router, state, 4, [&](int) { return it; });
  EXPECT_EQ(ids, (std::vector<Id>{1, 2, 3, 1}));
  RoutingRequest none = Lead(3);
  none.persona = "student";
  RoutingDecision u = router.Route(none, kToday, state);
  EXPECT_EQ(u.unassigned, UnassignedReason::kNoMatch);
  EXPECT_EQ(u.text, "unassigned: no owner for persona student");
}

TEST(RoutingAccountOwnerTest, OwnerFirstThenFallback) {
  auto config = Config(RoutingStrategy::kAccountOwnerFirst);
  config.fallback = RoutingStrategy::kRoundRobin;
  Router router(config, Roster());
  RoutingState state;
  RoutingRequest owned = Lead(1);
  owned.company_id = 77;
  owned.company_owner_id = 3;
  RoutingDecision d = router.Route(owned, kToday, state);
  EXPECT_EQ(d.assignee_id, 3);
  EXPECT_EQ(d.rule, RoutingRule::kAccountOwner);
  EXPECT_EQ(d.code, "account_owner");
  EXPECT_EQ(d.text, "account owner -> cy@t.example");
  // Owner's turn does not advance round robin: the next unowned lead goes to the first rep.
  RoutingDecision free = router.Route(Lead(2), kToday, state);
  EXPECT_EQ(free.assignee_id, 1);
  EXPECT_TRUE(free.by_fallback);
  EXPECT_EQ(free.text, "no account owner; round robin -> ana@t.example");
}

TEST(RoutingAccountOwnerTest, OwnerOutsideTheContractListStillGetsTheirAccount) {
  auto config = Config(RoutingStrategy::kAccountOwnerFirst);
  config.reps.resize(1);
  auto roster = Roster();
  roster.push_back(Rep(9, "manager@t.example", "Sales EMEA"));
  Router router(config, roster);
  RoutingState state;
  RoutingRequest owned = Lead(1);
  owned.company_owner_id = 9;
  EXPECT_EQ(router.Route(owned, kToday, state).assignee_id, 9);
}

TEST(RoutingAccountOwnerTest, AbsentOrUnknownOwnerFallsThroughWithReason) {
  auto config = Config(RoutingStrategy::kAccountOwnerFirst);
  config.fallback = RoutingStrategy::kRoundRobin;
  auto roster = Roster();
  roster[2].absences = {{D(2026, 11, 27), D(2026, 11, 27)}};
  Router router(config, roster);
  RoutingState state;
  RoutingRequest owned = Lead(1);
  owned.company_owner_id = 3;
  RoutingDecision d = router.Route(owned, kToday, state);
  EXPECT_EQ(d.assignee_id, 1);
  EXPECT_EQ(d.text,
            "account owner cy@t.example absent 2026-11-27..2026-11-27; round robin -> "
            "ana@t.example");
  owned.company_owner_id = 404;
  EXPECT_EQ(router.Route(owned, kToday, state).text,
            "account owner #404 not a user; round robin -> bo@t.example");
}

TEST(RoutingAccountOwnerTest, OwnerAtCapacityIsSkipped) {
  auto config = Config(RoutingStrategy::kAccountOwnerFirst);
  config.default_capacity = 1;
  auto roster = Roster();
  roster[2].open_leads = 1;
  Router router(config, roster);
  RoutingState state;
  RoutingRequest owned = Lead(1);
  owned.company_owner_id = 3;
  RoutingDecision d = router.Route(owned, kToday, state);
  EXPECT_EQ(d.unassigned, UnassignedReason::kNobodyAvailable);
  EXPECT_EQ(d.text, "unassigned: account owner cy@t.example at capacity 1/1");
}

TEST(RoutingRosterTest, ContractRepUnknownToRosterIsNeverPicked) {
  auto config = Config(RoutingStrategy::kRoundRobin);
  config.reps = {Listed("ghost@t.example"), Listed("ana@t.example")};
  Router router(config, Roster());
  RoutingState state;
  EXPECT_EQ(Plain(router, state, 3), (std::vector<Id>{1, 1, 1}));
  config.reps.resize(1);
  Router only_ghost(config, Roster());
  EXPECT_EQ(only_ghost.Route(Lead(1), kToday, state).text,
            "unassigned: round robin: nobody available (ghost@t.example not a user)");
}

TEST(RoutingRosterTest, NoRepsListed) {
  RoutingConfig config;
  Router router(config, Roster());
  RoutingState state;
  RoutingDecision d = router.Route(Lead(1), kToday, state);
  EXPECT_FALSE(d.assigned());
  EXPECT_EQ(d.text, "unassigned: round robin: the contract lists no reps");
}

TEST(RoutingDistributionTest, CountsPerRepSortedWithShares) {
  std::vector<RoutingDecision> ds(6);
  auto set = [](RoutingDecision& d, Id id, std::string email, RoutingRule rule) {
    d.assignee_id = id;
    d.assignee_email = std::move(email);
    d.rule = rule;
  };
  set(ds[0], 2, "bo@t.example", RoutingRule::kRoundRobin);
  set(ds[1], 1, "ana@t.example", RoutingRule::kTerritory);
  set(ds[2], 2, "bo@t.example", RoutingRule::kAccountOwner);
  set(ds[3], 1, "ana@t.example", RoutingRule::kTerritory);
  ds[4].unassigned = UnassignedReason::kNoMatch;
  ds[5].unassigned = UnassignedReason::kNobodyAvailable;
  RoutingDistribution r = DistributionReport(ds);
  EXPECT_EQ(r.total, 6);
  EXPECT_EQ(r.assigned, 4);
  EXPECT_EQ(r.unassigned, 2);
  EXPECT_EQ(r.unassigned_by_reason.at("no_match"), 1);
  EXPECT_EQ(r.unassigned_by_reason.at("nobody_available"), 1);
  ASSERT_EQ(r.reps.size(), 2u);
  EXPECT_EQ(r.reps[0].email, "ana@t.example");  // tie on leads: by email
  EXPECT_EQ(r.reps[0].leads, 2);
  EXPECT_DOUBLE_EQ(r.reps[0].share, 0.5);
  EXPECT_EQ(r.reps[0].by_rule.at("territory"), 2);
  EXPECT_EQ(r.reps[1].by_rule.at("round_robin"), 1);
  EXPECT_EQ(r.reps[1].by_rule.at("account_owner"), 1);
}

TEST(RoutingDistributionTest, EmptyList) {
  RoutingDistribution r = DistributionReport({});
  EXPECT_EQ(r.total, 0);
  EXPECT_TRUE(r.reps.empty());
}

TEST(RoutingDistributionTest, RoundRobinIsEven) {
  Router router(Config(RoutingStrategy::kRoundRobin), Roster());
  RoutingState state;
  std::vector<RoutingDecision> ds;
  Sequence(
      router, state, 50, [](int i) { return Lead(i); }, &ds);
  RoutingDistribution r = DistributionReport(ds);
  ASSERT_EQ(r.reps.size(), 5u);
  for (const auto& rep : r.reps) EXPECT_EQ(rep.leads, 10) << rep.email;
}

}  // namespace
}  // namespace tandem::core
