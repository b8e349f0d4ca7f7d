#include "core/contact_import.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/import_mapping.hpp"
#include "core/privacy.hpp"

namespace tandem::core::imports {
namespace {

using Cells = std::vector<std::string_view>;

Instant At(std::string_view iso) {
  return *ParseInstant(iso);
}

Mapping MustMap(const Cells& header, std::optional<Preset> preset = std::nullopt,
                const MappingOverrides& o = {}) {
  auto m = BuildMapping(header, preset, o);
  EXPECT_TRUE(m) << (m ? "" : m.error().message);
  return m ? *m : Mapping{};
}

TEST(ImportMappingTest, DetectsHubSpotFromItsDefaultExport) {
  Mapping m =
      MustMap({"Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner",
               "Primary Associated Company ID", "Last Activity Date", "Lead Status",
               "Marketing contact status", "Create Date", "Associated Company"});
  EXPECT_EQ(m.preset, Preset::kHubSpot);
  EXPECT_TRUE(m.preset_detected);
  EXPECT_EQ(m.columns[0].field, Field::kExternalId);
  EXPECT_EQ(m.columns[3].field, Field::kEmail);
  EXPECT_EQ(m.columns[5].field, Field::kOwner);
  EXPECT_EQ(m.columns[8].field, Field::kLeadStatus);
  EXPECT_EQ(m.columns[10].field, Field::kCreatedAt);
  EXPECT_EQ(m.columns[11].field, Field::kCompany);
  EXPECT_EQ(m.unmapped,
            (std::vector<std::string>{"Primary Associated Company ID", "Last Activity Date"}));
}

TEST(ImportMappingTest, DetectsSalesforceApiNamesAndReportLabels) {
  Mapping api = MustMap({"Id", "LastName", "FirstName", "Company", "Email", "LeadSource", "Status",
                         "OwnerId", "IsConverted", "ConvertedDate", "CreatedDate"});
  EXPECT_EQ(api.preset, Preset::kSalesforce);
  EXPECT_EQ(api.columns[1].field, Field::kLastName);
  EXPECT_EQ(api.columns[8].field, Field::kIsConverted);
  Mapping report = MustMap({"Lead Owner", "First Name", "Last Name", "Title", "Company / Account",
                            "Lead Source", "Rating", "Street", "Email"});
  EXPECT_EQ(report.preset, Preset::kSalesforce);
  EXPECT_EQ(report.columns[0].field, Field::kOwner);
  EXPECT_EQ(report.columns[4].field, Field::kCompany);
}

TEST(ImportMappingTest, DetectsPipedriveAndIsCaseInsensitive) {
  Mapping m = MustMap({"PERSON - NAME", "person - email (work)", "Person - Email (Home)",
                       "Organization - Name", "Deal - Value", "Deal - Status"});
  EXPECT_EQ(m.preset, Preset::kPipedrive);
  EXPECT_EQ(m.columns[0].field, Field::kFullName);
  EXPECT_EQ(m.columns[1].field, Field::kEmail);
  EXPECT_EQ(m.columns[2].field, Field::kEmail);
  EXPECT_EQ(m.columns[4].field, Field::kCustom);
  EXPECT_EQ(m.columns[4].custom_name, "deal_value");
}

TEST(ImportMappingTest, OverridesWinAndUnknownColumnsAreRefused) {
  MappingOverrides o;
  o.columns["Företagsnamn"] = {Field::kCompany, {}};
  o.columns["E-postadress"] = {Field::kEmail, {}};
  o.columns["Poäng"] = *TargetFromString("custom:score");
  Mapping m = MustMap({"E-postadress", "Företagsnamn", "Poäng"}, std::nullopt, o);
  EXPECT_EQ(m.columns[0].field, Field::kEmail);
  EXPECT_EQ(m.columns[1].field, Field::kCompany);
  EXPECT_EQ(m.columns[2].custom_name, "score");

  o.columns["Missing"] = {Field::kTitle, {}};
  auto bad = BuildMapping({"E-postadress", "Företagsnamn", "Poäng"}, std::nullopt, o);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("Missing"), std::string::npos);
  EXPECT_FALSE(TargetFromString("nonsense"));
}

TEST(ImportMappingTest, RefusesAFileWithoutAnEmailColumn) {
  auto m = BuildMapping({"Name", "Phone"}, std::nullopt, {});
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("no column gives the email"), std::string::npos);
}

TEST(ImportDateTest, ReadsTheFormatsOfRealExports) {
  const auto mdy = DateOrder::kMonthFirst;
  EXPECT_EQ(ParseImportDate("2024-03-12", mdy), At("2024-03-12T00:00:00Z"));
  EXPECT_EQ(ParseImportDate("2024-03-12 09:14", mdy), At("2024-03-12T09:14:00Z"));
  EXPECT_EQ(ParseImportDate("2024-03-12T09:14:00.000+0000", mdy), At("2024-03-12T09:14:00Z"));
  EXPECT_EQ(ParseImportDate("2024-03-12T11:14:00+02:00", mdy), At("2024-03-12T09:14:00Z"));
  EXPECT_EQ(ParseImportDate("3/15/2024 2:30 PM", mdy), At("2024-03-15T14:30:00Z"));
  EXPECT_EQ(ParseImportDate("3/15/2024 12:05 AM", mdy), At("2024-03-15T00:05:00Z"));
  EXPECT_EQ(ParseImportDate("03/04/2024", mdy), At("2024-03-04T00:00:00Z"));
  EXPECT_EQ(ParseImportDate("03/04/2024", DateOrder::kDayFirst), At("2024-04-03T00:00:00Z"));
  // A number above 12 settles the order whatever the setting.
  EXPECT_EQ(ParseImportDate("15/03/2024", mdy), At("2024-03-15T00:00:00Z"));
  EXPECT_EQ(ParseImportDate("03/15/2024", DateOrder::kDayFirst), At("2024-03-15T00:00:00Z"));
  EXPECT_EQ(ParseImportDate("15.03.2024 14:30", mdy), At("2024-03-15T14:30:00Z"));
  EXPECT_EQ(ParseImportDate("2024/03/15", mdy), At("2024-03-15T00:00:00Z"));
  EXPECT_EQ(ParseImportDate("1710513000000", mdy), At("2024-03-15T14:30:00Z"));
  EXPECT_EQ(ParseImportDate("1710513000", mdy), At("2024-03-15T14:30:00Z"));
}

TEST(ImportDateTest, RefusesWhatIsNotADate) {
  const auto mdy = DateOrder::kMonthFirst;
  for (std::string_view bad : {"", "yesterday", "2024-02-30", "13/13/2024", "3/15/24", "31.02.2024",
                               "3/15/2024 25:00", "3/15/2024 13:00 PM", "2024-03-12 9", "12345"}) {
    EXPECT_FALSE(ParseImportDate(bad, mdy)) << bad;
  }
}

TEST(ImportStageTest, ReadsHubSpotSalesforceAndTandemValues) {
  Mapping m;
  EXPECT_EQ(StageFromImportValue("Marketing Qualified Lead", m), Stage::kMql);
  EXPECT_EQ(StageFromImportValue("marketingqualifiedlead", m), Stage::kMql);
  EXPECT_EQ(StageFromImportValue("salesqualifiedlead", m), Stage::kSql);
  EXPECT_EQ(StageFromImportValue("subscriber", m), Stage::kLead);
  EXPECT_EQ(StageFromImportValue("evangelist", m), Stage::kCustomer);
  EXPECT_EQ(StageFromImportValue("Opportunity", m), Stage::kOpportunity);
  EXPECT_EQ(StageFromImportValue("Closed - Not Converted", m), Stage::kDisqualified);
  EXPECT_EQ(StageFromImportValue("Working - Contacted", m), Stage::kSal);
  EXPECT_EQ(StageFromImportValue("sal", m), Stage::kSal);
  EXPECT_FALSE(StageFromImportValue("Nurture", m));
  m.stages[FoldKey("Nurture")] = Stage::kRecycled;
  EXPECT_EQ(StageFromImportValue("nurture", m), Stage::kRecycled);
}

TEST(ImportRowTest, ConvertsAHubSpotRowWithItsMilestones) {
  Mapping m =
      MustMap({"Record ID", "First Name", "Last Name", "Email", "Lifecycle Stage", "Contact owner",
               "Create Date", "Became a Lead Date", "Became a Marketing Qualified Lead Date",
               "Associated Company", "Original Source"});
  std::vector<CellError> errors;
  auto row = ConvertRow(m,
                        {"101", "Ada", "Lovelace", " Ada@Example.COM ", "Sales Qualified Lead",
                         "jo@tandem.example", "2024-01-02 10:00", "2024-01-02 10:00",
                         "01/20/2024 9:00 AM", "Analytical Engines", "Organic Search"},
                        errors);
  ASSERT_TRUE(row) << (errors.empty() ? "" : errors[0].reason);
  EXPECT_EQ(row->contact.email, "ada@example.com");
  EXPECT_EQ(row->contact.custom.at("external_id"), "101");
  EXPECT_EQ(row->contact.source, "organic_search");
  EXPECT_EQ(row->company_name, "Analytical Engines");
  EXPECT_EQ(row->owner, "jo@tandem.example");
  EXPECT_EQ(row->stage, Stage::kSql);
  ASSERT_EQ(row->milestones.size(), 2u);
  EXPECT_EQ(row->milestones[1].first, Stage::kMql);
  EXPECT_EQ(row->milestones[1].second, At("2024-01-20T09:00:00Z"));

  StagePlan plan =
      PlanStages(*row, std::nullopt, {}, At("2026-01-01T00:00:00Z"), Actor::System("import"));
  ASSERT_EQ(plan.changes.size(), 3u);
  EXPECT_FALSE(plan.changes[0].from);
  EXPECT_EQ(plan.changes[0].to, Stage::kLead);
  EXPECT_EQ(plan.changes[1].to, Stage::kMql);
  EXPECT_EQ(plan.changes[2].from, Stage::kMql);
  EXPECT_EQ(plan.changes[2].to, Stage::kSql);
  EXPECT_EQ(plan.changes[2].at, At("2024-01-20T09:00:00Z")) << "undated stage: last known date";
  EXPECT_EQ(plan.changes[2].cause, "import");
  EXPECT_EQ(plan.stage, Stage::kSql);
}

TEST(ImportRowTest, ReportsEveryBadCellOfARow) {
  Mapping m = MustMap({"Email", "Create Date", "Lifecycle Stage"});
  std::vector<CellError> errors;
  EXPECT_FALSE(ConvertRow(m, {"not-an-email", "someday", "Wizard"}, errors));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].column, 1);
  EXPECT_EQ(errors[1].column, 2);
  EXPECT_NE(errors[1].reason.find("unknown lifecycle stage"), std::string::npos);
  EXPECT_EQ(errors[2].column, 0);
  errors.clear();
  EXPECT_FALSE(ConvertRow(m, {"", "", ""}, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].reason, "email is required");
}

TEST(ImportRowTest, SalesforceStatusAndConversionGiveStages) {
  Mapping m = MustMap({"FirstName", "LastName", "Email", "Status", "IsConverted", "ConvertedDate",
                       "CreatedDate", "OwnerId"});
  std::vector<CellError> errors;
  auto row = ConvertRow(m,
                        {"Li", "Wei", "li@x.example", "Closed - Converted", "true", "2024-05-01",
                         "2024-04-01T08:00:00.000+0000", "005xx0000012345"},
                        errors);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->stage, Stage::kOpportunity);
  auto plan = PlanStages(*row, std::nullopt, {}, At("2026-01-01T00:00:00Z"), Actor{});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].to, Stage::kOpportunity);
  EXPECT_EQ(plan.changes[0].at, At("2024-05-01T00:00:00Z"));

  row = ConvertRow(m,
                   {"Al", "Bo", "al@x.example", "Closed - Not Converted", "false", "",
                    "2024-04-01T08:00:00.000+0000", ""},
                   errors);
  ASSERT_TRUE(row);
  plan = PlanStages(*row, std::nullopt, {}, At("2026-01-01T00:00:00Z"), Actor{});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].to, Stage::kDisqualified);
  EXPECT_EQ(plan.changes[0].reason, "imported as Closed - Not Converted");
  EXPECT_EQ(plan.changes[0].at, At("2024-04-01T08:00:00Z"));
}

TEST(ImportRowTest, PipedriveNamesEmailsAndDeals) {
  Mapping m = MustMap({"Person - Name", "Person - Email (Work)", "Person - Email (Home)",
                       "Organization - Name", "Deal - Value", "Deal - Status",
                       "Deal - Deal created", "Deal - Lost time", "Deal - Lost reason"});
  std::vector<CellError> errors;
  auto row = ConvertRow(m,
                        {"Maria de la Cruz", "", "maria@home.example, m@old.example", "Cruz SA",
                         "12500", "Lost", "2024-02-01 10:00", "2024-03-01 10:00", "Budget"},
                        errors);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->contact.email, "maria@home.example");
  EXPECT_EQ(row->contact.first_name, "Maria de la");
  EXPECT_EQ(row->contact.last_name, "Cruz");
  EXPECT_EQ(row->contact.custom.at("deal_value"), "12500");
  auto plan = PlanStages(*row, std::nullopt, {}, At("2026-01-01T00:00:00Z"), Actor{});
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].to, Stage::kOpportunity);
  EXPECT_EQ(plan.changes[1].to, Stage::kRecycled);
  EXPECT_EQ(plan.changes[1].reason, "deal lost: Budget");
  EXPECT_EQ(plan.changes[1].at, At("2024-03-01T10:00:00Z"));
}

TEST(ImportStagePlanTest, AStoredContactOnlyMovesForward) {
  ImportedContact in;
  in.stage = Stage::kMql;
  in.milestones = {{Stage::kLead, At("2024-01-01T00:00:00Z")},
                   {Stage::kMql, At("2024-02-01T00:00:00Z")}};
  // Already an SQL: nothing to add, the stage stays.
  auto plan =
      PlanStages(in, Stage::kSql, At("2024-03-01T00:00:00Z"), At("2026-01-01T00:00:00Z"), Actor{});
  EXPECT_TRUE(plan.changes.empty());
  EXPECT_EQ(plan.stage, Stage::kSql);
  // A lead since March: becomes MQL, dated no earlier than its stored entry.
  plan =
      PlanStages(in, Stage::kLead, At("2024-03-01T00:00:00Z"), At("2026-01-01T00:00:00Z"), Actor{});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].from, Stage::kLead);
  EXPECT_EQ(plan.changes[0].to, Stage::kMql);
  EXPECT_EQ(plan.changes[0].at, At("2024-03-01T00:00:00Z"));
}

TEST(ImportStagePlanTest, OutOfOrderMilestonesAreKeptInOrder) {
  ImportedContact in;
  in.milestones = {{Stage::kLead, At("2024-05-01T00:00:00Z")},
                   {Stage::kMql, At("2024-04-01T00:00:00Z")}};
  auto plan = PlanStages(in, std::nullopt, {}, At("2026-01-01T00:00:00Z"), Actor{});
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[1].at, At("2024-05-01T00:00:00Z"));
}

TEST(ImportStagePlanTest, NoStageNoDatesEntersLeadAtCreationOrNow) {
  ImportedContact in;
  auto plan = PlanStages(in, std::nullopt, {}, At("2026-01-01T00:00:00Z"), Actor{});
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].to, Stage::kLead);
  EXPECT_EQ(plan.changes[0].at, At("2026-01-01T00:00:00Z"));
  in.created_at = At("2023-06-01T00:00:00Z");
  plan = PlanStages(in, std::nullopt, {}, At("2026-01-01T00:00:00Z"), Actor{});
  EXPECT_EQ(plan.entered_at, At("2023-06-01T00:00:00Z"));
}

TEST(ImportMergeTest, EmptyCellsNeverErase) {
  Contact stored;
  stored.first_name = "Ada";
  stored.phone = "+44 1";
  ImportedContact in;
  in.contact.first_name = "";
  in.contact.title = "Countess";
  EXPECT_TRUE(MergeInto(stored, in));
  EXPECT_EQ(stored.first_name, "Ada");
  EXPECT_EQ(stored.phone, "+44 1");
  EXPECT_EQ(stored.title, "Countess");
  EXPECT_FALSE(MergeInto(stored, in)) << "the same data again changes nothing";
}

}  // namespace
}  // namespace tandem::core::imports

namespace tandem::core::imports {
namespace {

// The consent target (docs/import.md, docs/privacy.md): its codes, the cells it accepts and
// what a row gives.
TEST(ImportConsentTest, TheConsentCodesReadAndWriteBack) {
  auto plain = TargetFromString(" Consent ");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->field, Field::kConsent);
  EXPECT_EQ(plain->purpose, "");
  EXPECT_EQ(TargetCode(*plain), "consent");
  // The prefix in any case; the purpose kept as written, trimmed.
  auto named = TargetFromString("CONSENT:  Newsletter DE ");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->field, Field::kConsent);
  EXPECT_EQ(named->purpose, "Newsletter DE");
  EXPECT_EQ(TargetCode(*named), "consent:Newsletter DE");
  EXPECT_EQ(TargetFromString(TargetCode(*named))->purpose, "Newsletter DE");
  EXPECT_FALSE(TargetFromString("consent:"));
  EXPECT_FALSE(TargetFromString("consent:   "));
  EXPECT_TRUE(TargetFromString("consent:" + std::string(200, 'p')));
  EXPECT_FALSE(TargetFromString("consent:" + std::string(201, 'p')));
  EXPECT_FALSE(TargetFromString("consents"));
  const auto codes = TargetCodes();
  EXPECT_NE(std::find(codes.begin(), codes.end(), "consent"), codes.end());
}

TEST(ImportConsentTest, YesNoAndEverythingElse) {
  for (std::string_view yes :
       {"yes", "Y", "TRUE", "1", "granted", "Opt-In", "opt in", " Opted In ", "opted-in"}) {
    auto v = ParseConsentCell(yes);
    ASSERT_TRUE(v) << yes;
    EXPECT_TRUE(*v) << yes;
  }
  for (std::string_view no : {"", "  ", "no", "N", "False", "0", "denied", "OPT-OUT", "opt out",
                              "opted out", "Opted-Out"}) {
    auto v = ParseConsentCell(no);
    ASSERT_TRUE(v) << no;
    EXPECT_FALSE(*v) << no;
  }
  for (std::string_view other : {"maybe", "2", "yes please", "oui", "opted"}) {
    auto v = ParseConsentCell(other);
    ASSERT_FALSE(v) << other;
    EXPECT_EQ(v.error().field, "consent");
    EXPECT_NE(v.error().message.find(std::string(other)), std::string::npos);
  }
}

TEST(ImportConsentTest, EachConsentColumnThatSaysYesGivesAConsentForItsPurpose) {
  MappingOverrides o;
  o.columns["GDPR opt-in"] = *TargetFromString("consent");
  o.columns["Newsletter"] = *TargetFromString("consent:newsletter");
  // A column headed "Consent" reads as consent without a mapping.
  Mapping m = MustMap({"Email", "GDPR opt-in", "Newsletter", "Consent"}, std::nullopt, o);
  EXPECT_EQ(m.columns[1].field, Field::kConsent);
  EXPECT_EQ(m.columns[2].purpose, "newsletter");
  EXPECT_EQ(m.columns[3].field, Field::kConsent);
  EXPECT_TRUE(m.unmapped.empty());

  std::vector<CellError> errors;
  auto row = ConvertRow(m, {"a@x.example", "Opted In", "yes", "no"}, errors);
  ASSERT_TRUE(row);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(row->consents.size(), 2u);
  EXPECT_EQ(row->consents[0].column, 1);
  EXPECT_EQ(row->consents[0].purpose, "marketing");  // kDefaultConsentPurpose
  EXPECT_EQ(row->consents[1].column, 2);
  EXPECT_EQ(row->consents[1].purpose, "newsletter");

  row = ConvertRow(m, {"b@x.example", "", "0", " "}, errors);
  ASSERT_TRUE(row);
  EXPECT_TRUE(row->consents.empty());  // no and empty record nothing

  // A value neither yes nor no is an error of the row naming the column, with every other.
  row = ConvertRow(m, {"c@x.example", "perhaps", "yes", "nope"}, errors);
  EXPECT_FALSE(row);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].column, 1);
  EXPECT_NE(errors[0].reason.find("perhaps"), std::string::npos);
  EXPECT_EQ(errors[1].column, 3);

  // A mapping that sends the "Consent" column elsewhere wins.
  MappingOverrides elsewhere;
  elsewhere.columns["consent"] = *TargetFromString("custom:consent_note");
  Mapping other = MustMap({"Email", "Consent"}, std::nullopt, elsewhere);
  EXPECT_EQ(other.columns[1].field, Field::kCustom);
  errors.clear();
  row = ConvertRow(other, {"d@x.example", "maybe"}, errors);
  ASSERT_TRUE(row);
  EXPECT_TRUE(row->consents.empty());
  EXPECT_EQ(row->contact.custom.at("consent_note"), "maybe");
}

}  // namespace
}  // namespace tandem::core::imports
