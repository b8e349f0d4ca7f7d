// PrivacyService (docs/privacy.md): consents per contact, export, erasure and event retention,
// with their permissions, bad input and audit entries.
#include "app/privacy.hpp"

#include <gtest/gtest.h>

#include "app_fixture.hpp"

namespace tandem::app {
namespace {

using apptest::AppTest;
using apptest::ChangeOf;
using apptest::FailsWith;
using apptest::kT0;
using core::ErrorCode;

class PrivacyServiceTest : public AppTest {
 protected:
  PrivacyService privacy() { return PrivacyService(*store_, clock_); }

  // Appends `n` events to the contact, `step` apart, the first at `first`.
  void AddEvents(core::Id contact, int n, core::Instant first, std::chrono::milliseconds step,
                 const std::string& campaign = "") {
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      for (int i = 0; i < n; ++i) {
        core::Event e;
        e.event_id = "ev-" + std::to_string(contact) + "-" + std::to_string(i) + campaign;
        e.type = "page_view";
        e.occurred_at = first + i * step;
        e.received_at = e.occurred_at;
        e.email = "x@example.com";
        e.contact_id = contact;
        e.utm_campaign = campaign;
        TANDEM_TRY(tx.events().Append(e));
      }
      return {};
    }));
  }

  core::Principal AdminKey(std::vector<core::Scope> scopes) const {
    core::Principal p = admin();
    p.scopes = std::move(scopes);
    return p;
  }
};

TEST_F(PrivacyServiceTest, ConsentsAreRecordedByUsersAndKeysAndWithdrawnOnce) {
  const auto c = NewContact("ann@example.com", core::Stage::kLead, rep1_.id);
  core::Consent draft;
  draft.purpose = "newsletter";
  draft.text = "Send me the monthly newsletter.";
  auto by_user = privacy().RecordConsent(rep1(), c.id, draft);
  ASSERT_TRUE(by_user) << by_user.error().message;
  EXPECT_EQ(by_user->source, core::ConsentSource::kUser);
  EXPECT_EQ(by_user->recorded_by, rep1_.id);
  EXPECT_EQ(by_user->given_at, kT0);
  core::Principal key = manager();
  key.scopes = std::vector<core::Scope>{core::Scope::kWrite};
  draft.purpose = "events";
  auto by_key = privacy().RecordConsent(key, c.id, draft);
  ASSERT_TRUE(by_key) << by_key.error().message;
  EXPECT_EQ(by_key->source, core::ConsentSource::kApi);

  // Another rep may not change rep1's contact; bad input names its field.
  EXPECT_TRUE(
      FailsWith(privacy().RecordConsent(rep2(), c.id, draft), ErrorCode::kPermissionDenied));
  draft.purpose = "";
  EXPECT_TRUE(FailsWith(privacy().RecordConsent(rep1(), c.id, draft), ErrorCode::kInvalidArgument,
                        "purpose"));
  draft.purpose = std::string(201, 'p');
  EXPECT_TRUE(FailsWith(privacy().RecordConsent(rep1(), c.id, draft), ErrorCode::kInvalidArgument,
                        "purpose"));
  draft.purpose = "ok";
  draft.given_at = kT0 + std::chrono::hours(1);
  EXPECT_TRUE(FailsWith(privacy().RecordConsent(rep1(), c.id, draft), ErrorCode::kInvalidArgument,
                        "given_at"));
  EXPECT_TRUE(FailsWith(privacy().RecordConsent(rep1(), c.id + 99, core::Consent{.purpose = "x"}),
                        ErrorCode::kNotFound));

  clock_.Advance(std::chrono::minutes(5));
  auto withdrawn = privacy().WithdrawConsent(rep1(), c.id, by_user->id);
  ASSERT_TRUE(withdrawn) << withdrawn.error().message;
  EXPECT_EQ(withdrawn->withdrawn_at, kT0 + std::chrono::minutes(5));
  EXPECT_TRUE(FailsWith(privacy().WithdrawConsent(rep1(), c.id, by_user->id),
                        ErrorCode::kFailedPrecondition));
  const auto other = NewContact("bob@example.com");
  EXPECT_TRUE(
      FailsWith(privacy().WithdrawConsent(manager(), other.id, by_key->id), ErrorCode::kNotFound));

  auto list = privacy().Consents(marketer(), c.id);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[0].withdrawn_at);
  EXPECT_FALSE((*list)[1].withdrawn_at);

  const auto audit = AuditOf("consent", by_user->id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kUpdate);
  EXPECT_EQ(audit[1].action, core::AuditAction::kCreate);
  EXPECT_EQ(ChangeOf(audit[1], "purpose").after, "newsletter");
  EXPECT_EQ(ChangeOf(audit[1], "source").after, "user");
}

TEST_F(PrivacyServiceTest, ExportIsForAdminsAndFindsMergedEmails) {
  const auto c = NewContact("ann@example.com");
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
    return tx.identities().Link(store::IdentityKind::kEmail, "ann.old@example.com", c.id, kT0);
  }));
  AddEvents(c.id, 3, kT0 - std::chrono::hours(3), std::chrono::hours(1));

  EXPECT_TRUE(
      FailsWith(privacy().Export(manager(), "ann@example.com"), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(privacy().Export(AdminKey({core::Scope::kRead}), "ann@example.com"),
                        ErrorCode::kPermissionDenied));
  EXPECT_TRUE(
      FailsWith(privacy().Export(admin(), "not an email"), ErrorCode::kInvalidArgument, "email"));
  EXPECT_TRUE(FailsWith(privacy().Export(admin(), ""), ErrorCode::kInvalidArgument, "email"));
  EXPECT_TRUE(FailsWith(privacy().Export(admin(), "nobody@example.com"), ErrorCode::kNotFound));

  auto data = privacy().Export(AdminKey({core::Scope::kAdmin}), " Ann.Old@Example.com ");
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->email, "ann.old@example.com");
  EXPECT_EQ(data->contact.id, c.id);
  EXPECT_EQ(data->contact.email, "ann@example.com");
  bool events_seen = false;
  for (const auto& t : data->records.tables) {
    if (t.table == "events") {
      events_seen = true;
      EXPECT_EQ(t.rows.size(), 3u);
    }
  }
  EXPECT_TRUE(events_seen);
  const auto audit = AuditOf("privacy_export", c.id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor.user_id, admin_.id);
  EXPECT_TRUE(audit[0].changes.empty());  // what was exported is not copied into the log
}

TEST_F(PrivacyServiceTest, EraseNeedsConfirmationAndLeavesNothingToFindOrExport) {
  const auto c = NewContact("ann@example.com");
  const auto bob = NewContact("bob@example.com");
  AddEvents(c.id, 4, kT0 - std::chrono::hours(4), std::chrono::hours(1));

  EXPECT_TRUE(FailsWith(privacy().Erase(admin(), "ann@example.com", ""),
                        ErrorCode::kInvalidArgument, "confirm"));
  EXPECT_TRUE(FailsWith(privacy().Erase(admin(), "ann@example.com", "bob@example.com"),
                        ErrorCode::kInvalidArgument, "confirm"));
  EXPECT_TRUE(
      FailsWith(privacy().Erase(admin(), "ann@", "ann@"), ErrorCode::kInvalidArgument, "email"));
  EXPECT_TRUE(FailsWith(privacy().Erase(manager(), "ann@example.com", "ann@example.com"),
                        ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(privacy().Erase(admin(), "nobody@example.com", "nobody@example.com"),
                        ErrorCode::kNotFound));

  auto r = privacy().Erase(admin(), "ANN@example.com", "ann@example.com");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->contact_id, c.id);
  EXPECT_EQ(r->counts.events_deleted, 4);

  EXPECT_TRUE(FailsWith(privacy().Export(admin(), "ann@example.com"), ErrorCode::kNotFound));
  auto again = privacy().Erase(admin(), "ann@example.com", "ann@example.com");
  ASSERT_TRUE(FailsWith(again, ErrorCode::kNotFound));
  EXPECT_NE(again.error().message.find("nothing is held"), std::string::npos);
  EXPECT_TRUE(FailsWith(privacy().Consents(admin(), c.id), ErrorCode::kNotFound));

  core::ContactQuery q;
  auto list = svc().contacts.List(admin(), q);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].id, bob.id);

  // The erasure's entry holds counts only; the contact's own entries lost its personal values.
  const auto erasure = AuditOf("privacy_erasure", c.id);
  ASSERT_EQ(erasure.size(), 1u);
  EXPECT_EQ(ChangeOf(erasure[0], "events_deleted").after, "4");
  for (const auto& entry : AuditOf("contact", c.id)) {
    for (const auto& change : entry.changes) {
      EXPECT_EQ(change.before.find("ann"), std::string::npos) << change.field;
      EXPECT_EQ(change.after.find("ann"), std::string::npos) << change.field;
    }
  }
}

TEST_F(PrivacyServiceTest, PurgeCountsOnADryRunAndDeletesOlderEventsInBatches) {
  const auto c = NewContact("ann@example.com");
  // kPurgeBatch + 5 events 13 months old and older, 3 from last week.
  AddEvents(c.id, kPurgeBatch + 5, kT0 - std::chrono::days(800), std::chrono::seconds(1));
  AddEvents(c.id, 3, kT0 - std::chrono::days(7), std::chrono::hours(1), "recent");

  EXPECT_TRUE(FailsWith(privacy().PurgeEvents(manager(), 12, true), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(
      FailsWith(privacy().PurgeEvents(admin(), 0, true), ErrorCode::kInvalidArgument, "months"));
  EXPECT_TRUE(
      FailsWith(privacy().PurgeEvents(admin(), 1201, true), ErrorCode::kInvalidArgument, "months"));

  auto dry = privacy().PurgeEvents(admin(), 12, true);
  ASSERT_TRUE(dry) << dry.error().message;
  EXPECT_EQ(dry->events, kPurgeBatch + 5);
  EXPECT_TRUE(AuditOf("event_retention", 0).empty());

  auto run = privacy().PurgeEvents(admin(), 12, false);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->events, kPurgeBatch + 5);
  EXPECT_EQ(run->cutoff, *core::RetentionCutoff(kT0, 12));
  auto left = svc().contacts.Events(admin(), c.id, 100);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->size(), 3u);
  const auto audit = AuditOf("event_retention", 0);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(ChangeOf(audit[0], "events").after, std::to_string(kPurgeBatch + 5));

  auto nothing = privacy().PurgeEventsAsOperator(12, false, "retention");
  ASSERT_TRUE(nothing);
  EXPECT_EQ(nothing->events, 0);
  EXPECT_EQ(AuditOf("event_retention", 0).size(), 1u);  // an empty run is not logged
}

}  // namespace
}  // namespace tandem::app
