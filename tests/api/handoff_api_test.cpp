#include "api/api_fixture.hpp"
#include "app/handoff_fixture.hpp"

namespace tandem::api::apitest {
namespace {

using app::apptest::HandoffContract;
using app::apptest::kFriday1730Paris;

class HandoffApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    clock_.Set(kFriday1730Paris);
    // Sessions opened at the fixture's start have expired by then: sign in again.
    manager_ = Login("manager@acme.example");
    rep1_ = Login("rep1@acme.example");
    rep2_ = Login("rep2@acme.example");
    auto v = services_->contracts.ActivateAsOperator(HandoffContract(), std::nullopt, std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
  }

  // A new contact moved to mql by the manager; routed to a rep.
  core::Id Mql(const std::string& email) {
    const core::Id id = NewContact(email);
    auto r = As(manager_, "POST", Path(id, "stage"), R"({"stage":"mql"})");
    EXPECT_EQ(r.status(), 200) << r;
    return id;
  }

  static std::string Path(core::Id id, const std::string& what) {
    return "/api/v1/contacts/" + std::to_string(id) + "/" + what;
  }
};

TEST_F(HandoffApiTest, NewMqlIsAssignedWithItsRuleAndClocks) {
  const auto id = Mql("ana@client.example");
  auto contact = As(rep1_, "GET", "/api/v1/contacts/" + std::to_string(id));
  EXPECT_EQ(contact.body.at("owner_id").as_int64(), rep1_id_);
  auto h = As(rep1_, "GET", Path(id, "handoff"));
  ASSERT_EQ(h.status(), 200) << h;
  const auto& a = h.body.at("assignments").at(0);
  EXPECT_EQ(S(a.at("rule")), "round_robin");
  EXPECT_EQ(S(a.at("status")), "open");
  EXPECT_EQ(a.at("owner_id").as_int64(), rep1_id_);
  bool found = false;
  for (const auto& c : h.body.at("clocks").as_array()) {
    if (S(c.at("obligation")) != "first_touch") continue;
    found = true;
    EXPECT_EQ(S(c.at("due_at")), "2026-11-30T11:30:00.000Z");  // Monday 12:30 in Paris
    EXPECT_EQ(S(c.at("state")), "open");
  }
  EXPECT_TRUE(found) << h;
}

// The countdown a dashboard shows: business time left on the owner's calendar, whether it is
// passing, and when that flips. Friday 17:30 in Paris, first touch due Monday 12:30: four
// business hours left, counting until Friday's close at 18:00, then paused until Monday 09:00.
TEST_F(HandoffApiTest, OpenClocksCarryTheirRemainingBusinessTime) {
  const auto id = Mql("ana@client.example");
  auto first_touch = [&](const Reply& h) -> const json::value* {
    for (const auto& c : h.body.at("clocks").as_array()) {
      if (S(c.at("obligation")) == "first_touch") return &c;
    }
    return nullptr;
  };
  auto h = As(rep1_, "GET", Path(id, "handoff"));
  ASSERT_EQ(h.status(), 200) << h;
  EXPECT_EQ(S(h.body.at("as_of")), "2026-11-27T16:30:00.000Z");
  const json::value* c = first_touch(h);
  ASSERT_NE(c, nullptr) << h;
  EXPECT_EQ(c->at("remaining_business_seconds").as_int64(), 4 * 3600);
  EXPECT_TRUE(c->at("counting").as_bool());
  EXPECT_EQ(S(c->at("counting_changes_at")), "2026-11-27T17:00:00.000Z");  // 18:00 Paris

  // Saturday noon: paused, 3.5 hours left, counting again on Monday at 09:00 Paris.
  clock_.Set(*core::ParseInstant("2026-11-28T11:00:00Z"));
  rep1_ = Login("rep1@acme.example");
  h = As(rep1_, "GET", Path(id, "handoff"));
  c = first_touch(h);
  ASSERT_NE(c, nullptr) << h;
  EXPECT_EQ(c->at("remaining_business_seconds").as_int64(), 3 * 3600 + 1800);
  EXPECT_FALSE(c->at("counting").as_bool());
  EXPECT_EQ(S(c->at("counting_changes_at")), "2026-11-30T08:00:00.000Z");

  // Monday 10:00: counting, 2.5 hours left, due before the close: nothing flips before it.
  clock_.Set(*core::ParseInstant("2026-11-30T09:00:00Z"));
  rep1_ = Login("rep1@acme.example");
  h = As(rep1_, "GET", Path(id, "handoff"));
  c = first_touch(h);
  ASSERT_NE(c, nullptr) << h;
  EXPECT_EQ(c->at("remaining_business_seconds").as_int64(), 2 * 3600 + 1800);
  EXPECT_TRUE(c->at("counting").as_bool());
  EXPECT_TRUE(c->at("counting_changes_at").is_null());

  // A met clock has no timing.
  ASSERT_EQ(As(rep1_, "POST", Path(id, "accept")).status(), 200);
  h = As(rep1_, "GET", Path(id, "handoff"));
  for (const auto& k : h.body.at("clocks").as_array()) {
    if (S(k.at("state")) == "open") continue;
    EXPECT_TRUE(k.at("remaining_business_seconds").is_null()) << k;
    EXPECT_TRUE(k.at("counting").is_null()) << k;
  }
}

TEST_F(HandoffApiTest, AcceptIsForTheOwnerAndOnlyForAnMql) {
  const auto id = Mql("ana@client.example");
  auto denied = As(rep2_, "POST", Path(id, "accept"));
  EXPECT_EQ(denied.status(), 403) << denied;
  auto ok = As(rep1_, "POST", Path(id, "accept"));
  ASSERT_EQ(ok.status(), 200) << ok;
  EXPECT_EQ(ok.Str("stage"), "sal");
  auto again = As(rep1_, "POST", Path(id, "accept"));
  EXPECT_EQ(again.status(), 409) << again;
  EXPECT_EQ(again.ErrorField(), "stage");
  EXPECT_EQ(As(rep1_, "POST", Path(999, "accept")).status(), 404);
}

TEST_F(HandoffApiTest, RejectWithoutOrWithAnUnknownReasonIs422) {
  const auto id = Mql("ana@client.example");
  auto none = As(rep1_, "POST", Path(id, "reject"), "{}");
  EXPECT_EQ(none.status(), 422) << none;
  EXPECT_EQ(none.ErrorField(), "reason");
  auto unknown = As(rep1_, "POST", Path(id, "reject"), R"({"reason":"too_early"})");
  EXPECT_EQ(unknown.status(), 422) << unknown;
  EXPECT_EQ(unknown.ErrorField(), "reason");
  auto not_owner = As(rep2_, "POST", Path(id, "reject"), R"({"reason":"bad_timing"})");
  EXPECT_EQ(not_owner.status(), 403) << not_owner;
  auto ok = As(rep1_, "POST", Path(id, "reject"), R"({"reason":"bad_timing","note":"Q2"})");
  ASSERT_EQ(ok.status(), 200) << ok;
  EXPECT_EQ(ok.Str("stage"), "recycled");
  EXPECT_TRUE(ok.body.at("owner_id").is_null());
  auto history = As(rep1_, "GET", Path(id, "history"));
  const auto& last = history.items().back();
  EXPECT_EQ(S(last.at("cause")), "rejected");
  EXPECT_EQ(S(last.at("reason")), "bad_timing");
}

TEST_F(HandoffApiTest, DistributionPerRepAndAbsences) {
  Mql("a@client.example");
  Mql("b@client.example");
  Mql("c@client.example");
  auto d = As(manager_, "GET",
              "/api/v1/routing/distribution?from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z");
  ASSERT_EQ(d.status(), 200) << d;
  EXPECT_EQ(d.Int("total"), 3);
  EXPECT_EQ(d.Int("assigned"), 3);
  EXPECT_EQ(S(d.body.at("reps").at(0).at("email")), "rep1@acme.example");
  EXPECT_EQ(d.body.at("reps").at(0).at("leads").as_int64(), 2);
  EXPECT_EQ(As(manager_, "GET", "/api/v1/routing/distribution?from=2026-11-27T00:00:00Z").status(),
            400);

  auto set = As(manager_, "PUT", "/api/v1/users/" + std::to_string(rep1_id_) + "/absences",
                R"({"absences":[{"first":"2026-11-27","last":"2026-11-30"}]})");
  ASSERT_EQ(set.status(), 200) << set;
  EXPECT_EQ(S(set.body.at("absences").at(0).at("last")), "2026-11-30");
  const auto id = Mql("d@client.example");  // rep1 is away: rep2 takes it
  auto contact = As(rep1_, "GET", "/api/v1/contacts/" + std::to_string(id));
  EXPECT_EQ(contact.body.at("owner_id").as_int64(), rep2_id_);
  EXPECT_EQ(As(rep2_, "PUT", "/api/v1/users/" + std::to_string(rep1_id_) + "/absences",
               R"({"absences":[]})")
                .status(),
            403);
}

}  // namespace
}  // namespace tandem::api::apitest
