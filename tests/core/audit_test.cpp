#include "core/audit.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::core {
namespace {

using namespace std::chrono;

const Instant kNow = FromMillis(1'790'000'000'000);

Contact SampleContact() {
  Contact c;
  c.id = 11;
  c.email = "john.doe@example.com";
  c.first_name = "John";
  c.last_name = "Doe";
  c.company_id = 3;
  c.stage = Stage::kMql;
  c.source = "event";
  c.country = "FR";
  c.custom = {{"persona", "cto"}, {"size", "50"}};
  c.created_at = kNow;
  c.updated_at = kNow;
  return c;
}

const FieldChange* Find(const std::vector<FieldChange>& changes, std::string_view field) {
  for (const auto& c : changes) {
    if (c.field == field) return &c;
  }
  return nullptr;
}

TEST(AuditActionTest, CodecRoundTrips) {
  for (AuditAction a : {AuditAction::kCreate, AuditAction::kUpdate, AuditAction::kDelete,
                        AuditAction::kTransition, AuditAction::kLogin, AuditAction::kLogout,
                        AuditAction::kKeyCreate, AuditAction::kKeyRevoke}) {
    EXPECT_EQ(AuditActionFromString(ToString(a)), a) << ToString(a);
  }
  EXPECT_EQ(ToString(AuditAction::kKeyRevoke), "key_revoke");
  EXPECT_EQ(AuditActionFromString("Create"), std::nullopt);
  EXPECT_EQ(AuditActionFromString(""), std::nullopt);
}

TEST(AuditFieldsTest, ContactFieldsInFixedOrderWithCustomLast) {
  const FieldList want = {{"email", "john.doe@example.com"},
                          {"first_name", "John"},
                          {"last_name", "Doe"},
                          {"phone", ""},
                          {"title", ""},
                          {"company_id", "3"},
                          {"owner_id", ""},
                          {"stage", "mql"},
                          {"source", "event"},
                          {"campaign", ""},
                          {"country", "FR"},
                          {"custom.persona", "cto"},
                          {"custom.size", "50"}};
  EXPECT_EQ(Fields(SampleContact()), want);
}

TEST(AuditFieldsTest, DealShowsMoneyAndDatesAsText) {
  Deal d;
  d.title = "Big one";
  d.amount_minor = 1'250'005;
  d.currency = "USD";
  d.stage = DealStage::kLost;
  d.expected_close = sys_days{year{2026} / March / 31};
  d.closed_at = kNow;
  d.lost_reason = "budget";
  const FieldList f = Fields(d);
  const FieldList want = {{"title", "Big one"},
                          {"contact_id", ""},
                          {"company_id", ""},
                          {"owner_id", ""},
                          {"amount", "12500.05"},
                          {"currency", "USD"},
                          {"stage", "lost"},
                          {"expected_close", "2026-03-31"},
                          {"closed_at", FormatInstant(kNow)},
                          {"lost_reason", "budget"}};
  EXPECT_EQ(f, want);
}

TEST(AuditFieldsTest, AmountKeepsTwoDecimals) {
  auto amount = [](std::int64_t minor) {
    Deal d;
    d.amount_minor = minor;
    for (const auto& [k, v] : Fields(d)) {
      if (k == "amount") return v;
    }
    return std::string("missing");
  };
  EXPECT_EQ(amount(0), "0.00");
  EXPECT_EQ(amount(5), "0.05");
  EXPECT_EQ(amount(10), "0.10");
  EXPECT_EQ(amount(100), "1.00");
  EXPECT_EQ(amount(123456789), "1234567.89");
  EXPECT_EQ(amount(-250), "-2.50");
}

TEST(AuditFieldsTest, UserFieldsHoldNoSecret) {
  User u;
  u.email = "rep@acme.example";
  u.name = "Rep";
  u.role = Role::kManager;
  u.team_id = 2;
  u.active = false;
  const FieldList want = {{"email", "rep@acme.example"},
                          {"name", "Rep"},
                          {"role", "manager"},
                          {"team_id", "2"},
                          {"active", "false"}};
  EXPECT_EQ(Fields(u), want);
}

TEST(AuditFieldsTest, TeamCompanyAndActivityFields) {
  Team t;
  t.name = "EMEA";
  t.function = TeamFunction::kRevenue;
  t.manager_id = 1;
  t.region = "Europe";
  EXPECT_EQ(
      Fields(t),
      (FieldList{
          {"name", "EMEA"}, {"function", "revenue"}, {"manager_id", "1"}, {"region", "Europe"}}));

  Company c;
  c.name = "Acme";
  c.domain = "acme.example";
  c.employees = 0;
  c.custom = {{"tier", "gold"}};
  EXPECT_EQ(Fields(c), (FieldList{{"name", "Acme"},
                                  {"domain", "acme.example"},
                                  {"industry", ""},
                                  {"employees", "0"},
                                  {"country", ""},
                                  {"owner_id", ""},
                                  {"custom.tier", "gold"}}));

  Activity a;
  a.type = ActivityType::kMeeting;
  a.deal_id = 8;
  a.owner_id = 4;
  a.occurred_at = kNow;
  a.subject = "Demo";
  a.duration_minutes = 45;
  EXPECT_EQ(Fields(a), (FieldList{{"type", "meeting"},
                                  {"contact_id", ""},
                                  {"deal_id", "8"},
                                  {"owner_id", "4"},
                                  {"occurred_at", FormatInstant(kNow)},
                                  {"subject", "Demo"},
                                  {"outcome", ""},
                                  {"body", ""},
                                  {"duration_minutes", "45"}}));
}

TEST(AuditDiffTest, CreationListsEverySetFieldFromEmpty) {
  const auto changes = Diff({}, Fields(SampleContact()));
  const std::vector<FieldChange> want = {{"email", "", "john.doe@example.com"},
                                         {"first_name", "", "John"},
                                         {"last_name", "", "Doe"},
                                         {"company_id", "", "3"},
                                         {"stage", "", "mql"},
                                         {"source", "", "event"},
                                         {"country", "", "FR"},
                                         {"custom.persona", "", "cto"},
                                         {"custom.size", "", "50"}};
  EXPECT_EQ(changes, want);
}

TEST(AuditDiffTest, DeletionListsEverySetFieldToEmpty) {
  const auto changes = Diff(Fields(SampleContact()), {});
  const std::vector<FieldChange> want = {{"email", "john.doe@example.com", ""},
                                         {"first_name", "John", ""},
                                         {"last_name", "Doe", ""},
                                         {"company_id", "3", ""},
                                         {"stage", "mql", ""},
                                         {"source", "event", ""},
                                         {"country", "FR", ""},
                                         {"custom.persona", "cto", ""},
                                         {"custom.size", "50", ""}};
  EXPECT_EQ(changes, want);
}

TEST(AuditDiffTest, UpdateListsOnlyChangedFields) {
  Contact before = SampleContact();
  Contact after = before;
  after.first_name = "Johnny";
  after.owner_id = 9;
  after.company_id.reset();
  after.updated_at = kNow + hours{1};  // bookkeeping: never audited
  const auto changes = Diff(Fields(before), Fields(after));
  const std::vector<FieldChange> want = {
      {"first_name", "John", "Johnny"}, {"company_id", "3", ""}, {"owner_id", "", "9"}};
  EXPECT_EQ(changes, want);
}

TEST(AuditDiffTest, NothingChangedGivesNoChanges) {
  Contact c = SampleContact();
  Contact later = c;
  later.updated_at = kNow + hours{5};
  later.created_at = kNow - hours{5};
  EXPECT_TRUE(Diff(Fields(c), Fields(later)).empty());
}

TEST(AuditDiffTest, CustomFieldsAddedChangedAndRemoved) {
  Contact before = SampleContact();  // persona=cto, size=50
  Contact after = before;
  after.custom.erase("persona");
  after.custom["size"] = "60";
  after.custom["budget"] = "10k";
  const auto changes = Diff(Fields(before), Fields(after));
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(*Find(changes, "custom.size"), (FieldChange{"custom.size", "50", "60"}));
  EXPECT_EQ(*Find(changes, "custom.budget"), (FieldChange{"custom.budget", "", "10k"}));
  ASSERT_NE(Find(changes, "custom.persona"), nullptr);
  EXPECT_EQ(*Find(changes, "custom.persona"), (FieldChange{"custom.persona", "cto", ""}));
  // Removed fields come after the fields of the new version.
  EXPECT_EQ(changes.back().field, "custom.persona");
}

TEST(AuditDiffTest, RemovedFieldsKeepTheirOriginalOrder) {
  const FieldList before = {{"a", "1"}, {"z", "2"}, {"m", "3"}, {"keep", "k"}};
  const FieldList after = {{"keep", "k"}};
  const std::vector<FieldChange> want = {{"a", "1", ""}, {"z", "2", ""}, {"m", "3", ""}};
  EXPECT_EQ(Diff(before, after), want);
}

TEST(AuditDiffTest, EmptyOnBothSidesIsNoChange) {
  EXPECT_TRUE(Diff({{"x", ""}}, {}).empty());
  EXPECT_TRUE(Diff({}, {{"x", ""}}).empty());
  EXPECT_TRUE(Diff({}, {}).empty());
}

TEST(MakeAuditTest, BuildsCreateUpdateAndDeleteEntries) {
  const Contact c = SampleContact();
  const Actor actor = Actor::User(4, "rep@acme.example");

  auto created =
      MakeAudit<Contact>(kNow, actor, "contact", c.id, AuditAction::kCreate, std::nullopt, c);
  EXPECT_EQ(created.at, kNow);
  EXPECT_EQ(created.actor.user_id, 4);
  EXPECT_EQ(created.actor.name, "rep@acme.example");
  EXPECT_EQ(created.entity, "contact");
  EXPECT_EQ(created.entity_id, 11);
  EXPECT_EQ(created.action, AuditAction::kCreate);
  EXPECT_EQ(created.changes, Diff({}, Fields(c)));
  EXPECT_EQ(created.changes.size(), 9u);

  Contact changed = c;
  changed.stage = Stage::kSal;
  auto updated =
      MakeAudit<Contact>(kNow, actor, "contact", c.id, AuditAction::kTransition, c, changed);
  EXPECT_EQ(updated.action, AuditAction::kTransition);
  EXPECT_EQ(updated.changes, (std::vector<FieldChange>{{"stage", "mql", "sal"}}));

  auto deleted = MakeAudit<Contact>(kNow, Actor::System("cli"), "contact", c.id,
                                    AuditAction::kDelete, c, std::nullopt);
  EXPECT_TRUE(deleted.actor.is_system());
  EXPECT_EQ(deleted.changes, Diff(Fields(c), {}));
  for (const auto& ch : deleted.changes) EXPECT_TRUE(ch.after.empty()) << ch.field;
}

}  // namespace
}  // namespace tandem::core
