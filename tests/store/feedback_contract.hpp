// The feedback part of the store contract (included by store_contract.hpp after the fixture):
// sales' dispositions of MQLs per campaign, source and persona, and (further down) the campaign
// touches behind deals. Hand-built histories whose expected counts are worked out in comments.
#pragma once

namespace tandem::store::contract {

class FeedbackContractTest : public StoreContractTest {
 protected:
  static constexpr std::int64_t kHour = 3'600'000;

  struct Move {
    Stage to;
    std::int64_t hour;
    std::string cause = "";
    std::string reason = "";
  };

  // A contact of `campaign` and `source` moved through `moves` (each from the previous stage).
  Id AddJourney(const std::string& email, const std::string& campaign, const std::string& source,
                const std::vector<Move>& moves) {
    Contact c = NewContact(email, At(moves.front().hour * kHour));
    c.campaign = campaign;
    c.source = source;
    c.stage = moves.back().to;
    const Id id = AddContact(c);
    std::optional<Stage> from;
    for (const auto& m : moves) {
      core::StageChange ch;
      ch.contact_id = id;
      ch.from = from;
      ch.to = m.to;
      ch.at = At(m.hour * kHour);
      ch.cause = m.cause;
      ch.reason = m.reason.empty() && core::RequiresReason(m.to) ? "r" : m.reason;
      auto r = W([&](Tx& tx) { return tx.stages().Append(ch); });
      EXPECT_TRUE(r) << r.error().message;
      from = m.to;
    }
    return id;
  }

  void GivePersona(Id contact, Id persona) {
    core::ContactScore s;
    s.contact_id = contact;
    s.fit = 80;
    s.grade = core::Grade::kA;
    s.persona_id = persona;
    s.rules_version = 1;
    s.updated_at = At(0);
    auto r = W([&](Tx& tx) -> Result<bool> {
      TANDEM_TRY(tx.scoring().PutScore(s));
      return true;
    });
    EXPECT_TRUE(r) << r.error().message;
  }

  // The period is [0 h, 240 h). Hours of each move:
  //   d1 webinar/web : lead 0, mql 1, sal 5 accepted, sql 10, opportunity 20       (persona cfo)
  //   d2 webinar/web : lead 0, mql 2, disqualified 6 rejected too_small              (persona cfo)
  //   d3 webinar/ads : lead 0, mql 3, recycled 7 rejected bad_timing, mql 50,
  //                    disqualified 60 rejected too_small (two dispositions)
  //   d4 webinar/ads : lead 0, mql 4, sql 8 (a rep skipping sal: accepted)
  //   d5 ads/ads     : lead 0, mql 5, sal 9 accepted
  //   d6 ads/ads     : lead 0, mql 6, recycled 7 by hand (cause manual): no disposition
  //   d7 ads/web     : lead -100, mql -90, sal -80 accepted before the period, sql 30
  //   d8 webinar/web : lead 0, mql 200, sal 300 accepted after the period
  //   d9 ads/web     : lead 0, mql 100, disqualified 110 rejected old_code
  //   d10 ads/ads    : lead -200, sql -150, recycled -100, mql 20, sal 25 accepted (it had
  //                    reached sql before, not since)
  void AddNineJourneys() {
    const Id d1 = AddJourney("d1@example.com", "webinar", "web",
                             {{Stage::kLead, 0},
                              {Stage::kMql, 1},
                              {Stage::kSal, 5, "accepted"},
                              {Stage::kSql, 10},
                              {Stage::kOpportunity, 20}});
    const Id d2 = AddJourney(
        "d2@example.com", "webinar", "web",
        {{Stage::kLead, 0}, {Stage::kMql, 2}, {Stage::kDisqualified, 6, "rejected", "too_small"}});
    AddJourney("d3@example.com", "webinar", "ads",
               {{Stage::kLead, 0},
                {Stage::kMql, 3},
                {Stage::kRecycled, 7, "rejected", "bad_timing"},
                {Stage::kMql, 50},
                {Stage::kDisqualified, 60, "rejected", "too_small"}});
    AddJourney("d4@example.com", "webinar", "ads",
               {{Stage::kLead, 0}, {Stage::kMql, 4}, {Stage::kSql, 8, "manual"}});
    AddJourney("d5@example.com", "ads", "ads",
               {{Stage::kLead, 0}, {Stage::kMql, 5}, {Stage::kSal, 9, "accepted"}});
    AddJourney("d6@example.com", "ads", "ads",
               {{Stage::kLead, 0}, {Stage::kMql, 6}, {Stage::kRecycled, 7, "manual", "nurture"}});
    AddJourney("d7@example.com", "ads", "web",
               {{Stage::kLead, -100},
                {Stage::kMql, -90},
                {Stage::kSal, -80, "accepted"},
                {Stage::kSql, 30}});
    AddJourney("d8@example.com", "webinar", "web",
               {{Stage::kLead, 0}, {Stage::kMql, 200}, {Stage::kSal, 300, "accepted"}});
    AddJourney("d9@example.com", "ads", "web",
               {{Stage::kLead, 0},
                {Stage::kMql, 100},
                {Stage::kDisqualified, 110, "rejected", "old_code"}});
    AddJourney("d10@example.com", "ads", "ads",
               {{Stage::kLead, -200},
                {Stage::kSql, -150},
                {Stage::kRecycled, -100},
                {Stage::kMql, 20},
                {Stage::kSal, 25, "accepted"}});
    core::Persona cfo;
    cfo.key = "cfo";
    cfo.name = "Finance lead";
    core::Criterion crit;
    crit.property = "contact.title";
    crit.op = core::CriterionOp::kEquals;
    crit.values = {"cfo"};
    crit.weight = 10;
    cfo.criteria = {crit};
    cfo.created_at = cfo.updated_at = At(0);
    auto pid = W([&](Tx& tx) { return tx.personas().Insert(cfo, std::nullopt); });
    ASSERT_TRUE(pid) << pid.error().message;
    GivePersona(d1, *pid);
    GivePersona(d2, *pid);
  }

  std::vector<core::DispositionCounts> Dispositions(core::FeedbackBreakdown by) {
    core::FeedbackQuery q;
    q.from = At(0);
    q.to = At(240 * kHour);
    q.by = by;
    auto r = R([&](Tx& tx) { return tx.feedback().Dispositions(q); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::vector<core::DispositionCounts>{};
  }
};

using Reasons = std::vector<std::pair<std::string, std::int64_t>>;
using Next3 = std::array<std::int64_t, 3>;

TEST_P(FeedbackContractTest, DispositionsByCampaignCountDecisionsInThePeriod) {
  AddNineJourneys();
  auto f = Dispositions(core::FeedbackBreakdown::kCampaign);
  ASSERT_EQ(f.size(), 2u);
  // ads: d5, d10 accepted; d9 rejected (old_code); d6 (by hand), d7 (before) are no
  // dispositions. d10 reached sql only before its acceptance.
  EXPECT_EQ(f[0].key, "ads");
  EXPECT_EQ(f[0].accepted, 2);
  EXPECT_EQ(f[0].rejected, 1);
  EXPECT_EQ(f[0].reasons, (Reasons{{"old_code", 1}}));
  EXPECT_EQ(f[0].next, (Next3{0, 0, 0}));
  // webinar: d1, d4 accepted; d2 too_small, d3 bad_timing and too_small; d8 is after the period.
  // Next: d1 reached sql and opportunity, d4 entered sql with the acceptance itself.
  EXPECT_EQ(f[1].key, "webinar");
  EXPECT_EQ(f[1].accepted, 2);
  EXPECT_EQ(f[1].rejected, 3);
  EXPECT_EQ(f[1].reasons, (Reasons{{"bad_timing", 1}, {"too_small", 2}}));
  EXPECT_EQ(f[1].next, (Next3{2, 1, 0}));
}

TEST_P(FeedbackContractTest, DispositionsBySourceAndPersona) {
  AddNineJourneys();
  auto s = Dispositions(core::FeedbackBreakdown::kSource);
  ASSERT_EQ(s.size(), 2u);
  // ads: d3 (2 rejections), d4, d5 and d10 accepted. web: d1 accepted, d2 and d9 rejected.
  EXPECT_EQ(s[0].key, "ads");
  EXPECT_EQ(s[0].accepted, 3);
  EXPECT_EQ(s[0].rejected, 2);
  EXPECT_EQ(s[0].next, (Next3{1, 0, 0}));
  EXPECT_EQ(s[1].key, "web");
  EXPECT_EQ(s[1].accepted, 1);
  EXPECT_EQ(s[1].rejected, 2);
  EXPECT_EQ(s[1].reasons, (Reasons{{"old_code", 1}, {"too_small", 1}}));
  EXPECT_EQ(s[1].next, (Next3{1, 1, 0}));

  auto p = Dispositions(core::FeedbackBreakdown::kPersona);
  ASSERT_EQ(p.size(), 2u);
  // No persona: d3 (2), d4, d5, d9, d10. cfo: d1 accepted, d2 rejected.
  EXPECT_EQ(p[0].key, "");
  EXPECT_EQ(p[0].accepted, 3);
  EXPECT_EQ(p[0].rejected, 3);
  EXPECT_EQ(p[1].key, "cfo");
  EXPECT_EQ(p[1].accepted, 1);
  EXPECT_EQ(p[1].rejected, 1);
  EXPECT_EQ(p[1].reasons, (Reasons{{"too_small", 1}}));
}

TEST_P(FeedbackContractTest, NoDispositionsIsAnEmptyAnswer) {
  EXPECT_TRUE(Dispositions(core::FeedbackBreakdown::kCampaign).empty());
  AddNineJourneys();
  core::FeedbackQuery q;
  q.from = At(1000 * kHour);
  q.to = At(2000 * kHour);
  auto r = R([&](Tx& tx) { return tx.feedback().Dispositions(q); });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->empty());
}

// ----- deal touches (attribution) -----------------------------------------------------------

class AttributionContractTest : public FeedbackContractTest {
 protected:
  void AddEvent(std::optional<Id> contact, std::int64_t hour, const std::string& campaign,
                const std::string& source) {
    core::Event e;
    e.event_id = "e" + std::to_string(++events_);
    e.type = "page_view";
    e.occurred_at = e.received_at = At(hour * kHour);
    e.email = contact ? "x@example.com" : "";
    e.anonymous_id = contact ? "" : "anon-1";
    e.contact_id = contact;
    e.utm_campaign = campaign;
    e.utm_source = source;
    auto r = W([&](Tx& tx) { return tx.events().Append(e); });
    EXPECT_TRUE(r) << r.error().message;
  }

  Id AddDealOf(std::optional<Id> contact, core::DealStage stage, std::int64_t amount,
               std::int64_t created_hour, std::optional<std::int64_t> closed_hour,
               const std::string& currency = "EUR") {
    Deal d;
    d.title = "deal";
    d.contact_id = contact;
    d.amount_minor = amount;
    d.currency = currency;
    d.stage = stage;
    d.created_at = d.updated_at = At(created_hour * kHour);
    if (closed_hour) d.closed_at = At(*closed_hour * kHour);
    if (stage == core::DealStage::kLost) d.lost_reason = "price";
    return AddDeal(d);
  }

  // Contact x: lead at 0 h, mql at 4 h; events at 1 h (campaign A, source web), 2 h (no utm:
  // no touch), 3 h (no campaign, source ads), 5 h (campaign B, no source), 20 h (campaign C,
  // after every deal's creation). An anonymous event with a campaign belongs to nobody.
  // Contact y has no event. Deals (period [0 h, 100 h), EUR):
  //   d1 won  x 10,000.00 created 10 h closed 50 h  -> in, touches 1, 3, 5
  //   d2 open x    500.00 created 12 h              -> in, touches 1, 3, 5
  //   d3 open y     70.00 created 15 h              -> in, no touch
  //   lost, won closed after the period, won in USD, open created before: out
  void AddDeals() {
    x_ = AddJourney("x@example.com", "A", "web",
                    {{Stage::kLead, 0}, {Stage::kMql, 4}, {Stage::kSql, 9}});
    y_ = AddJourney("y@example.com", "", "", {{Stage::kLead, 0}});
    AddEvent(x_, 1, "A", "web");
    AddEvent(x_, 2, "", "");
    AddEvent(x_, 3, "", "ads");
    AddEvent(x_, 5, "B", "");
    AddEvent(x_, 20, "C", "web");
    AddEvent(std::nullopt, 1, "A", "web");
    d1_ = AddDealOf(x_, core::DealStage::kWon, 1'000'000, 10, 50);
    d2_ = AddDealOf(x_, core::DealStage::kOpen, 50'000, 12, std::nullopt);
    d3_ = AddDealOf(y_, core::DealStage::kOpen, 7'000, 15, std::nullopt);
    AddDealOf(x_, core::DealStage::kLost, 9, 10, 20);
    AddDealOf(x_, core::DealStage::kWon, 9, 10, 150);
    AddDealOf(x_, core::DealStage::kWon, 9, 10, 20, "USD");
    AddDealOf(x_, core::DealStage::kOpen, 9, -5, std::nullopt);
  }

  std::vector<core::DealTouches> Touches(core::AttributionBreakdown by) {
    core::AttributionQuery q;
    q.from = At(0);
    q.to = At(100 * kHour);
    q.by = by;
    auto r = R([&](Tx& tx) { return tx.feedback().DealTouches(q); });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::vector<core::DealTouches>{};
  }

  static std::vector<std::string> Keys(const core::DealTouches& d) {
    std::vector<std::string> out;
    for (const auto& t : d.touches) out.push_back(t.key);
    return out;
  }

  int events_ = 0;
  Id x_ = 0, y_ = 0, d1_ = 0, d2_ = 0, d3_ = 0;
};

TEST_P(AttributionContractTest, DealsInScopeWithTheirTouchesUpToCreation) {
  AddDeals();
  auto deals = Touches(core::AttributionBreakdown::kCampaign);
  ASSERT_EQ(deals.size(), 3u);
  EXPECT_EQ(deals[0].deal_id, d1_);
  EXPECT_TRUE(deals[0].won);
  EXPECT_EQ(deals[0].amount_minor, 1'000'000);
  EXPECT_EQ(deals[0].created_at, At(10 * kHour));
  ASSERT_TRUE(deals[0].qualified_at);
  EXPECT_EQ(*deals[0].qualified_at, At(4 * kHour));
  EXPECT_EQ(Keys(deals[0]), (std::vector<std::string>{"A", "", "B"}));
  ASSERT_EQ(deals[0].touches.size(), 3u);
  EXPECT_EQ(deals[0].touches[1].at, At(3 * kHour));
  EXPECT_EQ(deals[1].deal_id, d2_);
  EXPECT_FALSE(deals[1].won);
  EXPECT_EQ(Keys(deals[1]), (std::vector<std::string>{"A", "", "B"}));
  EXPECT_EQ(deals[2].deal_id, d3_);
  EXPECT_TRUE(deals[2].touches.empty());
  ASSERT_TRUE(deals[2].qualified_at);  // y never reached mql: when it became a lead
  EXPECT_EQ(*deals[2].qualified_at, At(0));
  auto by_source = Touches(core::AttributionBreakdown::kSource);
  ASSERT_EQ(by_source.size(), 3u);
  EXPECT_EQ(Keys(by_source[0]), (std::vector<std::string>{"web", "ads", ""}));
}

TEST_P(AttributionContractTest, NoDealsIsAnEmptyAnswer) {
  EXPECT_TRUE(Touches(core::AttributionBreakdown::kCampaign).empty());
}

}  // namespace tandem::store::contract
