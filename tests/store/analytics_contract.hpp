// The analytics part of the store contract (included by store_contract.hpp after the fixture).
// Hand-built histories whose expected counts are worked out in the comments.
#pragma once

namespace tandem::store::contract {

class AnalyticsContractTest : public StoreContractTest {
 protected:
  static constexpr std::int64_t kHour = 3'600'000;

  // Adds a contact with source `source` and the given (stage, hour) moves, each from the
  // previous stage (the first from nothing); the contact's row ends at the last stage.
  Id AddJourney(const std::string& email, const std::string& source,
                std::vector<std::pair<Stage, std::int64_t>> moves) {
    Contact c = NewContact(email, At(moves.front().second * kHour));
    c.source = source;
    c.stage = moves.back().first;
    Id id = AddContact(c);
    std::optional<Stage> from;
    for (const auto& [to, hour] : moves) {
      core::StageChange ch;
      ch.contact_id = id;
      ch.from = from;
      ch.to = to;
      ch.at = At(hour * kHour);
      if (core::RequiresReason(to)) ch.reason = "no budget";
      auto r = W([&](Tx& tx) { return tx.stages().Append(ch); });
      EXPECT_TRUE(r) << r.error().message;
      from = to;
    }
    return id;
  }

  // The period [0 h, 240 h) holds these journeys (hours from kT0):
  //   c1 web : lead 0, mql 10, sal 20, recycled 30
  //   c2 web : lead 1, sql 5 (skips mql and sal), opportunity 50, customer 100
  //   c3 ads : lead 2, mql 200 (too late for a 120 h window)
  //   c4 ads : lead -48 (before the period), mql 3, disqualified 4
  //   c5 ads : visitor 12, lead 14
  //   c6 web : lead 264 (after the period)
  //   c7 web : lead -100, mql -90, recycled -80, sql 30 (back from recycled)
  void AddSevenJourneys() {
    AddJourney("c1@example.com", "web",
               {{Stage::kLead, 0}, {Stage::kMql, 10}, {Stage::kSal, 20}, {Stage::kRecycled, 30}});
    AddJourney(
        "c2@example.com", "web",
        {{Stage::kLead, 1}, {Stage::kSql, 5}, {Stage::kOpportunity, 50}, {Stage::kCustomer, 100}});
    AddJourney("c3@example.com", "ads", {{Stage::kLead, 2}, {Stage::kMql, 200}});
    AddJourney("c4@example.com", "ads",
               {{Stage::kLead, -48}, {Stage::kMql, 3}, {Stage::kDisqualified, 4}});
    c5_ = AddJourney("c5@example.com", "ads", {{Stage::kVisitor, 12}, {Stage::kLead, 14}});
    AddJourney("c6@example.com", "web", {{Stage::kLead, 264}});
    AddJourney(
        "c7@example.com", "web",
        {{Stage::kLead, -100}, {Stage::kMql, -90}, {Stage::kRecycled, -80}, {Stage::kSql, 30}});
  }

  core::FunnelQuery Query(core::FunnelView view) {
    core::FunnelQuery q;
    q.view = view;
    q.from = At(0);
    q.to = At(240 * kHour);
    q.window_ms = 120 * kHour;
    return q;
  }

  std::vector<core::FunnelCounts> Funnel(const core::FunnelQuery& q) {
    auto r = R([&](Tx& tx) { return tx.analytics().Funnel(q); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::vector<core::FunnelCounts>{};
  }

  Id c5_ = 0;
};

using Counts7 = std::array<std::int64_t, 7>;
using Counts6 = std::array<std::int64_t, 6>;

TEST_P(AnalyticsContractTest, CohortCountsFollowTheReachRule) {
  AddSevenJourneys();
  auto f = Funnel(Query(core::FunnelView::kCohort));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].key, "");
  // Reaching visitor: c1, c2, c3, c5 (a lead counts as past visitor); lead: the same four;
  // mql: c1 10, c2 5 (skipped), c3 200, c4 3; sal: c1, c2, c7 30 (skipped from recycled);
  // sql: c2, c7; opportunity and customer: c2.
  EXPECT_EQ(f[0].reached, (Counts7{4, 4, 4, 3, 2, 1, 1}));
  EXPECT_EQ(f[0].base, (Counts6{4, 4, 4, 3, 2, 1}));
  // lead -> mql within 120 h: c1 (10 h), c2 (4 h); c3 took 198 h; c5 never.
  // mql -> sal: c1 (10 h), c2 (0 h). sal -> sql: c2, c7. sql -> opportunity: c2 only.
  EXPECT_EQ(f[0].passed, (Counts6{4, 2, 2, 2, 1, 1}));
  core::HourHistogram lead_mql = f[0].hours[1];
  std::sort(lead_mql.begin(), lead_mql.end());
  EXPECT_EQ(lead_mql, (core::HourHistogram{{4, 1}, {10, 1}}));
  EXPECT_EQ(f[0].hours[4], (core::HourHistogram{{45, 1}}));
}

TEST_P(AnalyticsContractTest, PeriodCountsTransitionsInThePeriod) {
  AddSevenJourneys();
  auto f = Funnel(Query(core::FunnelView::kPeriod));
  ASSERT_EQ(f.size(), 1u);
  // visitor -> lead: c5. lead -> mql: c1, c2 (to sql), c3, c4. mql -> sal: c1, c2, c7 (from
  // recycled to sql) pass, c4 disqualified from mql drops. sal -> sql: c2, c7 pass, c1
  // recycled from sal drops. Then c2 alone.
  EXPECT_EQ(f[0].passed, (Counts6{1, 4, 3, 2, 1, 1}));
  EXPECT_EQ(f[0].base, (Counts6{1, 4, 4, 3, 1, 1}));
  // Time in stage of the contacts passing in the period: sql -> opportunity c2 45 h.
  EXPECT_EQ(f[0].hours[4], (core::HourHistogram{{45, 1}}));
}

TEST_P(AnalyticsContractTest, BreaksDownAndFiltersBySource) {
  AddSevenJourneys();
  auto q = Query(core::FunnelView::kCohort);
  q.by = core::FunnelBreakdown::kSource;
  auto f = Funnel(q);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].key, "ads");
  EXPECT_EQ(f[1].key, "web");
  // ads: lead -> mql c3 (too late) and c5 (never): 0 of 2; mql -> sal c3, c4: 0 of 2.
  EXPECT_EQ(f[0].base[1], 2);
  EXPECT_EQ(f[0].passed[1], 0);
  EXPECT_EQ(f[0].base[2], 2);
  EXPECT_EQ(f[0].passed[2], 0);
  // web: lead -> mql c1, c2: 2 of 2; sal -> sql c1, c2, c7: 2 of 3.
  EXPECT_EQ(f[1].base[1], 2);
  EXPECT_EQ(f[1].passed[1], 2);
  EXPECT_EQ(f[1].base[3], 3);
  EXPECT_EQ(f[1].passed[3], 2);

  q.by = core::FunnelBreakdown::kNone;
  q.source = "ads";
  auto only_ads = Funnel(q);
  ASSERT_EQ(only_ads.size(), 1u);
  EXPECT_EQ(only_ads[0].base, f[0].base);
  EXPECT_EQ(only_ads[0].passed, f[0].passed);
}

TEST_P(AnalyticsContractTest, PeriodBreaksDownAndFiltersBySource) {
  AddSevenJourneys();
  auto q = Query(core::FunnelView::kPeriod);
  q.by = core::FunnelBreakdown::kSource;
  auto f = Funnel(q);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].key, "ads");
  EXPECT_EQ(f[1].key, "web");
  // ads: visitor -> lead c5; lead -> mql c3, c4; c4 disqualified from mql drops at mql -> sal.
  EXPECT_EQ(f[0].passed, (Counts6{1, 2, 0, 0, 0, 0}));
  EXPECT_EQ(f[0].base, (Counts6{1, 2, 1, 0, 0, 0}));
  // web: lead -> mql c1, c2; mql -> sal c1, c2, c7; sal -> sql c2, c7 pass and c1 recycled
  // from sal drops; then c2.
  EXPECT_EQ(f[1].passed, (Counts6{0, 2, 3, 2, 1, 1}));
  EXPECT_EQ(f[1].base, (Counts6{0, 2, 3, 3, 1, 1}));

  q.by = core::FunnelBreakdown::kNone;
  q.source = "web";
  auto only_web = Funnel(q);
  ASSERT_EQ(only_web.size(), 1u);
  EXPECT_EQ(only_web[0].passed, f[1].passed);
  EXPECT_EQ(only_web[0].base, f[1].base);

  q.source = "nobody";
  auto none = Funnel(q);
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].base, (Counts6{0, 0, 0, 0, 0, 0}));
}

// The contacts list's reach filter lists exactly the contacts behind each funnel count: for
// every stage the contacts reaching it in the period, and for every step those that passed
// within the window and those that did not; with a source filter, the breakdown's counts.
TEST_P(AnalyticsContractTest, ContactsListedByReachAreTheFunnelsCounts) {
  AddSevenJourneys();
  auto list = [&](core::ReachFilter f, std::optional<std::string> source = std::nullopt,
                  int limit = 500) {
    std::vector<Id> ids;
    core::ContactQuery q;
    q.reached = f;
    q.source = std::move(source);
    q.page.limit = limit;
    while (true) {
      auto page = R([&](Tx& tx) { return tx.contacts().List(q); });
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& c : page->items) ids.push_back(c.id);
      if (!page->next) break;
      q.page.after = page->next;
    }
    return ids;
  };
  auto reach = [&](Stage s, std::optional<bool> converted = std::nullopt) {
    core::ReachFilter f;
    f.stage = s;
    f.from = At(0);
    f.to = At(240 * kHour);
    f.converted = converted;
    f.window = std::chrono::milliseconds(120 * kHour);
    return f;
  };
  const auto f = Funnel(Query(core::FunnelView::kCohort));
  ASSERT_EQ(f.size(), 1u);
  for (std::size_t k = 0; k < core::kMainStageCount; ++k) {
    const Stage s = core::kMainStages[k];
    EXPECT_EQ(static_cast<std::int64_t>(list(reach(s)).size()), f[0].reached[k]) << k;
    // Paging by one row walks the same contacts.
    EXPECT_EQ(list(reach(s), std::nullopt, 1).size(), list(reach(s)).size()) << k;
    if (k + 1 == core::kMainStageCount) continue;
    EXPECT_EQ(static_cast<std::int64_t>(list(reach(s, true)).size()), f[0].passed[k]) << k;
    EXPECT_EQ(static_cast<std::int64_t>(list(reach(s, false)).size()),
              f[0].base[k] - f[0].passed[k])
        << k;
  }
  // By name: lead -> mql within 120 h passed c1 and c2; c3 (198 h) and c5 (never) did not.
  auto emails = [&](const std::vector<Id>& ids) {
    std::vector<std::string> out;
    for (Id id : ids) {
      auto c = R([&](Tx& tx) { return tx.contacts().Get(id); });
      out.push_back(c && *c ? (*c)->email : "?");
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(emails(list(reach(Stage::kLead, true))),
            (std::vector<std::string>{"c1@example.com", "c2@example.com"}));
  EXPECT_EQ(emails(list(reach(Stage::kLead, false))),
            (std::vector<std::string>{"c3@example.com", "c5@example.com"}));
  // A source filter gives the breakdown's figures: ads reaching mql are c3 and c4.
  EXPECT_EQ(emails(list(reach(Stage::kMql), "ads")),
            (std::vector<std::string>{"c3@example.com", "c4@example.com"}));

  // Many contacts reaching the stage (more than the planner's break-even for one-row pages):
  // the rows walked are each looked up instead of collecting the ids; same answers.
  for (int i = 0; i < 30; ++i) {
    AddJourney("more" + std::to_string(i) + "@example.com", "web",
               {{Stage::kLead, 20 + i}, {Stage::kMql, 30 + i * 5}});
  }
  const auto g = Funnel(Query(core::FunnelView::kCohort));
  ASSERT_EQ(g.size(), 1u);
  for (std::size_t k = 0; k + 1 < core::kMainStageCount; ++k) {
    const Stage s = core::kMainStages[k];
    for (int limit : {1, 500}) {
      EXPECT_EQ(static_cast<std::int64_t>(list(reach(s), std::nullopt, limit).size()),
                g[0].reached[k])
          << k << " " << limit;
      EXPECT_EQ(static_cast<std::int64_t>(list(reach(s, true), std::nullopt, limit).size()),
                g[0].passed[k])
          << k << " " << limit;
      EXPECT_EQ(static_cast<std::int64_t>(list(reach(s, false), std::nullopt, limit).size()),
                g[0].base[k] - g[0].passed[k])
          << k << " " << limit;
    }
  }
  EXPECT_EQ(g[0].reached[1], f[0].reached[1] + 30);

  // Bad filters name their field.
  core::ContactQuery bad;
  bad.reached = reach(Stage::kCustomer, true);
  auto r = R([&](Tx& tx) { return tx.contacts().List(bad); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "converted");
  bad.reached = reach(Stage::kRecycled);
  r = R([&](Tx& tx) { return tx.contacts().List(bad); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "reached");
  bad.reached = reach(Stage::kLead);
  bad.reached->to = bad.reached->from;
  r = R([&](Tx& tx) { return tx.contacts().List(bad); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "reached_to");
}

// The contacts list's move filter lists exactly the contacts behind the period view's
// transition counts: for every step, those that passed it (forward) and those that dropped at
// it; with a source filter, the breakdown's groups; by week, each week's seven days. (In these
// journeys no contact leaves the same step twice in the period, so contacts equal moves; a
// contact that does is listed once: ContactListByMoveOutFollowsTheStageHistory.)
TEST_P(AnalyticsContractTest, ContactsListedByMoveAreThePeriodViewsCounts) {
  AddSevenJourneys();
  auto list = [&](Stage s, core::MoveWay way, Instant from, Instant to,
                  std::optional<std::string> source = std::nullopt, int limit = 500) {
    core::ContactQuery q;
    q.moved_out = core::MoveFilter{s, way, from, to};
    q.source = std::move(source);
    q.page.limit = limit;
    std::vector<Id> ids;
    while (true) {
      auto page = R([&](Tx& tx) { return tx.contacts().List(q); });
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      for (const auto& c : page->items) ids.push_back(c.id);
      if (!page->next) break;
      q.page.after = page->next;
    }
    return static_cast<std::int64_t>(ids.size());
  };
  auto check = [&](const core::FunnelCounts& f, Instant from, Instant to,
                   std::optional<std::string> source, const std::string& what) {
    for (std::size_t k = 0; k < core::kStepCount; ++k) {
      const Stage s = core::kMainStages[k];
      EXPECT_EQ(list(s, core::MoveWay::kForward, from, to, source), f.passed[k]) << what << k;
      EXPECT_EQ(list(s, core::MoveWay::kDropped, from, to, source), f.base[k] - f.passed[k])
          << what << k;
      EXPECT_EQ(list(s, core::MoveWay::kAny, from, to, source), f.base[k]) << what << k;
      // Paging by one row walks the same contacts.
      EXPECT_EQ(list(s, core::MoveWay::kAny, from, to, source, 1), f.base[k]) << what << k;
    }
  };
  auto q = Query(core::FunnelView::kPeriod);
  const auto whole = Funnel(q);
  ASSERT_EQ(whole.size(), 1u);
  // The counts are not all zero (PeriodCountsTransitionsInThePeriod works them out).
  EXPECT_EQ(whole[0].passed, (Counts6{1, 4, 3, 2, 1, 1}));
  check(whole[0], q.from, q.to, std::nullopt, "all, step ");

  q.by = core::FunnelBreakdown::kSource;
  const auto by_source = Funnel(q);
  ASSERT_EQ(by_source.size(), 2u);
  for (const auto& g : by_source) check(g, q.from, q.to, g.key, g.key + ", step ");

  // By week: the week of the move; the list narrowed to the week's days within the period.
  q.by = core::FunnelBreakdown::kWeek;
  const auto by_week = Funnel(q);
  ASSERT_GE(by_week.size(), 2u);
  for (const auto& g : by_week) {
    const auto monday = core::ParseDate(g.key);
    ASSERT_TRUE(monday) << g.key;
    const Instant start{*monday};
    const Instant from = std::max(start, q.from);
    const Instant to = std::min(start + std::chrono::days(7), q.to);
    check(g, from, to, std::nullopt, g.key + ", step ");
  }
}

// Persona breakdown: the persona key each contact's score matches now ("" for none); the
// contacts list's persona filter lists the same groups.
TEST_P(AnalyticsContractTest, BreaksDownByPersonaAndListsEachPersonasContacts) {
  AddSevenJourneys();
  core::Persona p = NewPersona("head_of_data");
  p.id = *W([&](Tx& tx) { return tx.personas().Insert(p, std::nullopt); });
  auto score = [&](const std::string& email, std::optional<Id> persona) {
    auto c = R([&](Tx& tx) { return tx.contacts().FindByEmail(email); });
    ASSERT_TRUE(c && *c);
    core::ContactScore s;
    s.contact_id = (*c)->id;
    s.fit = 60;
    s.grade = core::Grade::kB;
    s.persona_id = persona;
    s.engagement.last_update = At(0);
    s.rules_version = 1;
    s.updated_at = At(0);
    ASSERT_TRUE(W([&](Tx& tx) { return tx.scoring().PutScore(s); }));
  };
  score("c1@example.com", p.id);
  score("c3@example.com", p.id);
  score("c4@example.com", std::nullopt);  // scored, no persona matched
  auto q = Query(core::FunnelView::kCohort);
  q.by = core::FunnelBreakdown::kPersona;
  auto f = Funnel(q);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].key, "");
  EXPECT_EQ(f[1].key, "head_of_data");
  // head_of_data: c1 and c3 reach lead and mql; c1 reaches sal; mql -> sal passes c1 only.
  EXPECT_EQ(f[1].reached, (Counts7{2, 2, 2, 1, 0, 0, 0}));
  EXPECT_EQ(f[1].passed[2], 1);
  EXPECT_EQ(f[0].reached[2], 2);  // c2 and c4

  auto emails = [&](std::optional<std::string> persona) {
    core::ContactQuery cq;
    cq.persona = std::move(persona);
    core::ReachFilter r;
    r.stage = Stage::kMql;
    r.from = At(0);
    r.to = At(240 * kHour);
    cq.reached = r;
    auto page = R([&](Tx& tx) { return tx.contacts().List(cq); });
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> out;
    if (page) {
      for (const auto& c : page->items) out.push_back(c.email);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(emails("head_of_data"), (std::vector<std::string>{"c1@example.com", "c3@example.com"}));
  EXPECT_EQ(emails(""), (std::vector<std::string>{"c2@example.com", "c4@example.com"}));
  EXPECT_EQ(emails("nobody_like_this"), std::vector<std::string>{});
}

TEST_P(AnalyticsContractTest, EmptyPeriodIsOneFunnelOfZeros) {
  AddSevenJourneys();
  auto q = Query(core::FunnelView::kCohort);
  q.from = At(1000 * kHour);
  q.to = At(2000 * kHour);
  auto f = Funnel(q);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].reached, (Counts7{}));
  q.by = core::FunnelBreakdown::kWeek;
  EXPECT_TRUE(Funnel(q).empty());
}

TEST_P(AnalyticsContractTest, DeletedContactsLeaveTheFunnel) {
  AddSevenJourneys();
  ASSERT_TRUE(W([&](Tx& tx) { return tx.contacts().Delete(c5_); }));
  auto f = Funnel(Query(core::FunnelView::kCohort));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].reached[0], 3);
}

TEST_P(AnalyticsContractTest, WonDealsSumTheirAmountsInTheWindowAndCurrency) {
  auto add = [&](core::DealStage stage, std::int64_t amount, std::int64_t hour,
                 const std::string& currency) {
    Deal d;
    d.title = "D";
    d.amount_minor = amount;
    d.currency = currency;
    d.stage = stage;
    if (stage != core::DealStage::kOpen) d.closed_at = At(hour * kHour);
    if (stage == core::DealStage::kLost) d.lost_reason = "price";
    d.created_at = d.updated_at = kT0;
    AddDeal(d);
  };
  add(core::DealStage::kWon, 1000, 1, "EUR");
  add(core::DealStage::kWon, 3000, 2, "EUR");
  add(core::DealStage::kWon, 5000, 500, "EUR");  // after the window
  add(core::DealStage::kWon, 7000, 3, "USD");
  add(core::DealStage::kLost, 9000, 3, "EUR");
  add(core::DealStage::kOpen, 9000, 0, "EUR");
  auto s = R([&](Tx& tx) { return tx.analytics().WonDeals(At(0), At(240 * kHour), "EUR"); });
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->count, 2);
  EXPECT_EQ(s->amount_minor, 4000);
}

// Goal metrics over the seven journeys, period [0 h, 240 h):
//   leads: c1 (0), c2 (1), c3 (2), c5 (14) = 4 (c4 and c7 earlier, c6 later)
//   mqls:  c1 (10), c2 (5, skipping), c3 (200), c4 (3) = 4 (c7 reached mql at -90)
//   sqls:  c2 (5), c7 (30) = 2; new customers: c2 (100) = 1; mqls of source ads: c3, c4 = 2
TEST_P(AnalyticsContractTest, GoalMetricsCountContactsReachingTheStage) {
  AddSevenJourneys();
  core::Goal g;
  g.currency = "EUR";
  auto value = [&](core::GoalMetric m, std::optional<std::string> source = std::nullopt) {
    g.metric = m;
    g.source = std::move(source);
    auto r = R([&](Tx& tx) { return tx.analytics().GoalMetricValue(g, At(0), At(240 * kHour)); });
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(-1);
  };
  EXPECT_EQ(value(core::GoalMetric::kLeads), 4);
  EXPECT_EQ(value(core::GoalMetric::kMqls), 4);
  EXPECT_EQ(value(core::GoalMetric::kSqls), 2);
  EXPECT_EQ(value(core::GoalMetric::kNewCustomers), 1);
  EXPECT_EQ(value(core::GoalMetric::kMqls, "ads"), 2);
  EXPECT_EQ(value(core::GoalMetric::kRevenue), 0);
  // Current stages: c1 recycled, c2 customer, c3 mql, c4 disqualified, c5 lead, c6 lead,
  // c7 sql; of source ads: c3 mql, c5 lead.
  g.source.reset();
  auto open = R([&](Tx& tx) { return tx.analytics().CurrentStageCounts(g); });
  ASSERT_TRUE(open);
  EXPECT_EQ((*open), (Counts7{0, 2, 1, 0, 1, 0, 1}));
  g.source = "ads";
  open = R([&](Tx& tx) { return tx.analytics().CurrentStageCounts(g); });
  ASSERT_TRUE(open);
  EXPECT_EQ((*open), (Counts7{0, 1, 1, 0, 0, 0, 0}));
}

TEST_P(AnalyticsContractTest, GoalsRoundTripWithOwnersAndRates) {
  const Id ana = AddUser("ana@example.com", core::Role::kManager);
  const Id bo = AddUser("bo@example.com");
  core::Goal g;
  g.name = "Q1 revenue";
  g.metric = core::GoalMetric::kRevenue;
  g.target = 100'000'00;
  g.currency = "EUR";
  g.from = *core::ParseDate("2027-01-01");
  g.to = *core::ParseDate("2027-03-31");
  g.owners = {bo, ana};
  g.source = "web";
  g.rates[core::FunnelStep::kMqlSal] = 0.35;
  g.created_at = At(5);
  g.created_by = ana;
  auto id = W([&](Tx& tx) { return tx.goals().Insert(g); });
  ASSERT_TRUE(id) << id.error().message;
  auto got = R([&](Tx& tx) { return tx.goals().Get(*id); });
  ASSERT_TRUE(got && *got);
  const core::Goal& s = **got;
  EXPECT_EQ(s.name, "Q1 revenue");
  EXPECT_EQ(s.metric, core::GoalMetric::kRevenue);
  EXPECT_EQ(s.target, 100'000'00);
  EXPECT_EQ(s.from, g.from);
  EXPECT_EQ(s.to, g.to);
  EXPECT_EQ(s.owners, (std::vector<Id>{std::min(ana, bo), std::max(ana, bo)}));
  EXPECT_EQ(s.source, "web");
  EXPECT_FALSE(s.campaign);
  EXPECT_DOUBLE_EQ(s.rates.at(core::FunnelStep::kMqlSal), 0.35);
  EXPECT_EQ(s.created_at, At(5));
  EXPECT_EQ(s.created_by, ana);

  core::Goal u = s;
  u.name = "Q1 MQLs";
  u.metric = core::GoalMetric::kMqls;
  u.target = 300;
  u.owners = {bo};
  u.rates.clear();
  u.source.reset();
  ASSERT_TRUE(W([&](Tx& tx) { return tx.goals().Update(u); }));
  auto list = R([&](Tx& tx) { return tx.goals().List(); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "Q1 MQLs");
  EXPECT_EQ((*list)[0].owners, std::vector<Id>{bo});
  EXPECT_TRUE((*list)[0].rates.empty());
  EXPECT_FALSE((*list)[0].source);

  core::Goal bad = g;
  bad.owners = {999999};
  auto r = W([&](Tx& tx) { return tx.goals().Insert(bad); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "owners");
  u.id = 999999;
  auto missing = W([&](Tx& tx) { return tx.goals().Update(u); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  ASSERT_TRUE(W([&](Tx& tx) { return tx.goals().Delete(*id); }));
  auto again = W([&](Tx& tx) { return tx.goals().Delete(*id); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::kNotFound);
}

}  // namespace tandem::store::contract
