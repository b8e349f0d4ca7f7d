// The outbox from the services' side: contact.mql is announced in the transaction that moves a
// contact to mql (by hand, on creation, by the MQL rule) and never without it.
#include "app/outbox.hpp"

#include "app_fixture.hpp"

namespace tandem::app::apptest {
namespace {

using core::ErrorCode;

class OutboxTest : public AppTest {
 protected:
  std::vector<core::OutboxMessage> Outbox() {
    std::vector<core::OutboxMessage> out;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(out, tx.outbox().ListAfter(0, 1000));
      return {};
    }));
    return out;
  }
};

TEST(PayloadTest, WritesAnObjectWithEscapedStrings) {
  Payload p;
  p.Int("id", 7)
      .Str("name", "O'Brien \"Ünï\"\n\t\\ \x01")
      .Int("owner_id", std::optional<std::int64_t>())
      .Bool("ok", true)
      .Time("at", kT0)
      .Raw("inner", Payload().Int("a", 1).Done());
  EXPECT_EQ(p.Done(),
            "{\"id\":7,\"name\":\"O'Brien \\\"Ünï\\\"\\n\\t\\\\ \\u0001\",\"owner_id\":null,"
            "\"ok\":true,\"at\":\"2026-09-21T14:13:20.000Z\",\"inner\":{\"a\":1}}");
  EXPECT_EQ(Payload().Done(), "{}");
}

TEST_F(OutboxTest, ManualMoveToMqlAnnouncesContactMqlWithTheContact) {
  auto c = NewContact("ana@acme.example", core::Stage::kLead, rep1_.id);
  EXPECT_TRUE(Outbox().empty());
  clock_.Advance(5s);
  ASSERT_TRUE(svc().contacts.ChangeStage(manager(), c.id, core::Stage::kMql, ""));
  auto out = Outbox();
  // Without a contract in force nobody can take the MQL: routing says so in the same
  // transaction (lead.unassigned, to nobody).
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].event_type, "lead.unassigned");
  EXPECT_FALSE(out[1].user_id);
  EXPECT_EQ(out[0].event_type, "contact.mql");
  EXPECT_EQ(out[0].contact_id, std::optional<core::Id>(c.id));
  EXPECT_FALSE(out[0].user_id);
  EXPECT_EQ(out[0].created_at, kT0 + 5s);
  EXPECT_EQ(out[0].payload,
            "{\"contact_id\":" + std::to_string(c.id) +
                ",\"email\":\"ana@acme.example\",\"first_name\":\"First\",\"last_name\":\"Last\","
                "\"company_id\":null,\"owner_id\":" +
                std::to_string(rep1_.id) +
                ",\"stage\":\"mql\",\"from_stage\":\"lead\",\"cause\":\"manual\",\"reason\":\"\","
                "\"at\":\"2026-09-21T14:13:25.000Z\"}");
  // Other moves announce nothing of this type.
  ASSERT_TRUE(svc().contacts.ChangeStage(manager(), c.id, core::Stage::kSal, ""));
  EXPECT_EQ(Outbox().size(), 2u);
}

TEST_F(OutboxTest, ContactCreatedAsMqlIsAnnounced) {
  auto c = NewContact("bo@acme.example", core::Stage::kMql);
  auto out = Outbox();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].contact_id, std::optional<core::Id>(c.id));
  EXPECT_NE(out[0].payload.find("\"from_stage\":null,\"cause\":\"created\""), std::string::npos);
  NewContact("cy@acme.example", core::Stage::kLead);
  EXPECT_EQ(Outbox().size(), 1u);
}

TEST_F(OutboxTest, RefusedMoveAnnouncesNothing) {
  auto c = NewContact("di@acme.example", core::Stage::kSql);
  ASSERT_TRUE(FailsWith(svc().contacts.ChangeStage(manager(), c.id, core::Stage::kMql, ""),
                        ErrorCode::kFailedPrecondition));
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(OutboxTest, MessageRollsBackWithTheChangeItAnnounces) {
  auto c = NewContact("ed@acme.example", core::Stage::kLead);
  auto failed = store_->Write([&](store::Tx& tx) -> core::Result<void> {
    auto contact = *tx.contacts().Get(c.id);
    TANDEM_TRY(ApplyTransition(tx, *contact, core::Stage::kMql, clock_.Now(),
                               core::Actor::System("test"), "manual", ""));
    return core::Fail(core::Error::Internal("a later step of the same change failed"));
  });
  ASSERT_FALSE(failed);
  EXPECT_TRUE(Outbox().empty());
  EXPECT_EQ(GetContact(c.id).stage, core::Stage::kLead);
}

TEST_F(OutboxTest, AutomaticMqlIsAnnouncedInTheEventsTransaction) {
  core::Contact draft;
  draft.email = "fay@acme.example";
  draft.title = "Head of Data";
  auto c = svc().contacts.Create(manager(), draft);
  ASSERT_TRUE(c);
  // The default rule wants fit >= 60: make every contact fit through a one-criterion persona.
  core::Persona p;
  p.key = "everyone";
  p.name = "Everyone";
  core::Criterion any;
  any.property = "contact.title";
  any.op = core::CriterionOp::kPattern;
  any.values = {"*"};
  any.weight = 100;
  p.criteria = {any};
  ASSERT_TRUE(svc().personas.Create(marketer(), p));
  ASSERT_TRUE(svc().contacts.Update(manager(), c->id, ContactPatch{}));
  // Rolled back: the qualifying event's transaction fails after the move.
  auto rolled = store_->Write([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(bool became, svc().scoring.ApplyEvent(tx, c->id, "demo_request", kT0, kT0));
    EXPECT_TRUE(became);
    return core::Fail(core::Error::Internal("the batch failed"));
  });
  ASSERT_FALSE(rolled);
  EXPECT_TRUE(Outbox().empty());
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(bool became, svc().scoring.ApplyEvent(tx, c->id, "demo_request", kT0, kT0));
    EXPECT_TRUE(became);
    return {};
  }));
  auto out = Outbox();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].event_type, "contact.mql");
  EXPECT_NE(out[0].payload.find("\"cause\":\"mql_rule\""), std::string::npos);
  EXPECT_EQ(out[1].event_type, "lead.unassigned");
}

}  // namespace
}  // namespace tandem::app::apptest
