#include "app/importer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include "app/privacy.hpp"
#include "app_fixture.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::app::apptest {
namespace {

using core::Stage;
using core::imports::ImportIssue;
using core::imports::Preset;

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(TANDEM_FIXTURES_DIR) + "/import/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Serves `text` in chunks of `chunk` bytes.
ChunkSource SourceOf(const std::string& text, std::size_t chunk = 7) {
  auto pos = std::make_shared<std::size_t>(0);
  return [&text, pos, chunk]() -> core::Result<std::string_view> {
    std::string_view rest = std::string_view(text).substr(std::min(*pos, text.size()));
    std::string_view out = rest.substr(0, chunk);
    *pos += out.size();
    return out;
  };
}

class ImporterTest : public AppTest {
 protected:
  core::Result<ImportSummary> Import(const std::string& text, ImportOptions options = {},
                                     std::optional<core::Principal> who = std::nullopt) {
    ContactImporter importer(*store_, clock_);
    return importer.Run(who.value_or(marketer()), SourceOf(text), options);
  }

  std::optional<core::Contact> ByEmail(const std::string& email) {
    std::optional<core::Contact> out;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(out, tx.contacts().FindByEmail(email));
      return {};
    }));
    return out;
  }

  std::int64_t ContactCount() {
    std::int64_t n = 0;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(n, tx.contacts().CountAll());
      return {};
    }));
    return n;
  }

  static const ImportIssue* IssueAt(const ImportSummary& s, std::int64_t row) {
    for (const auto& i : s.issues) {
      if (i.row == row) return &i;
    }
    return nullptr;
  }
};

TEST_F(ImporterTest, HubSpotExportCreatesContactsHistoryCompaniesAndOwners) {
  const std::string file = ReadFixture("hubspot.csv");
  auto s = Import(file);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->preset, Preset::kHubSpot);
  EXPECT_TRUE(s->preset_detected);
  EXPECT_EQ(s->counts.rows, 6);
  EXPECT_EQ(s->counts.created, 4);
  EXPECT_EQ(s->counts.skipped, 2);
  EXPECT_EQ(s->counts.errors, 2);
  EXPECT_EQ(s->counts.warnings, 1);
  // Row numbers as a spreadsheet shows them (header = 1) with the column's header.
  const ImportIssue* bad_email = IssueAt(*s, 5);
  ASSERT_NE(bad_email, nullptr);
  EXPECT_EQ(bad_email->column, "Email");
  EXPECT_FALSE(bad_email->warning);
  const ImportIssue* bad_date = IssueAt(*s, 7);
  ASSERT_NE(bad_date, nullptr);
  EXPECT_EQ(bad_date->column, "Create Date");
  EXPECT_NE(bad_date->reason.find("not a date"), std::string::npos);
  const ImportIssue* owner = IssueAt(*s, 6);
  ASSERT_NE(owner, nullptr);
  EXPECT_TRUE(owner->warning);
  EXPECT_EQ(owner->column, "Contact owner");

  auto ada = ByEmail("ada@analytical.example");
  ASSERT_TRUE(ada);
  EXPECT_EQ(ada->first_name, "Ada");
  EXPECT_EQ(ada->stage, Stage::kMql);
  EXPECT_EQ(ada->owner_id, marketer_.id);
  EXPECT_EQ(ada->source, "organic_search");
  EXPECT_EQ(ada->custom.at("external_id"), "1001");
  EXPECT_EQ(ada->custom.at("lead_status"), "NEW");
  EXPECT_EQ(ada->created_at, *core::ParseInstant("2024-03-12T09:14:00Z"));
  auto history = HistoryOf(ada->id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].to, Stage::kLead);
  EXPECT_EQ(history[1].to, Stage::kMql);
  EXPECT_EQ(history[1].at, *core::ParseInstant("2024-03-20T10:00:00Z"));
  EXPECT_EQ(history[1].cause, "import");
  EXPECT_EQ(history[1].actor.user_id, marketer_.id);

  auto charles = ByEmail("charles@analytical.example");
  ASSERT_TRUE(charles);
  EXPECT_EQ(charles->owner_id, rep1_.id) << "owner matched by name, any case";
  EXPECT_EQ(charles->company_id, ada->company_id) << "one company per name";
  EXPECT_EQ(charles->stage, Stage::kSql);
  EXPECT_EQ(charles->country, "GB");
  EXPECT_EQ(HistoryOf(charles->id).size(), 3u);

  auto grace = ByEmail("grace@navy.example");
  ASSERT_TRUE(grace);
  EXPECT_EQ(grace->first_name, "Hopper, Grace");
  EXPECT_EQ(grace->stage, Stage::kCustomer);
  auto company = svc().companies.Get(admin(), *grace->company_id);
  ASSERT_TRUE(company);
  EXPECT_EQ(company->name, "US Navy, Inc.");

  auto alan = ByEmail("alan@bletchley.example");
  ASSERT_TRUE(alan);
  EXPECT_FALSE(alan->owner_id);
  EXPECT_EQ(alan->stage, Stage::kLead);

  // One audit entry for the whole import.
  auto audit = AuditOf("import", 0);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor.user_id, marketer_.id);
}

TEST_F(ImporterTest, ImportingTheSameFileAgainChangesNothing) {
  const std::string file = ReadFixture("hubspot.csv");
  ASSERT_TRUE(Import(file));
  auto ada = ByEmail("ada@analytical.example");
  const auto history_before = HistoryOf(ada->id).size();
  clock_.Advance(std::chrono::hours(1));
  auto again = Import(file);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->counts.created, 0);
  EXPECT_EQ(again->counts.updated, 0);
  EXPECT_EQ(again->counts.unchanged, 4);
  EXPECT_EQ(HistoryOf(ada->id).size(), history_before);
  EXPECT_EQ(ContactCount(), 4);
}

TEST_F(ImporterTest, UpsertUpdatesByNormalisedEmailAndMovesOnlyForward) {
  core::Contact existing = NewContact("ada@analytical.example", Stage::kLead);
  core::Contact ahead = NewContact("charles@analytical.example", Stage::kOpportunity);
  auto s = Import(ReadFixture("hubspot.csv"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->counts.created, 2);
  EXPECT_EQ(s->counts.updated, 2);
  auto ada = GetContact(existing.id);
  EXPECT_EQ(ada.stage, Stage::kMql) << "lead -> mql from the file";
  EXPECT_EQ(ada.phone, "+44 20 7946 0001");
  EXPECT_EQ(ada.first_name, "Ada");
  auto history = HistoryOf(existing.id);
  ASSERT_EQ(history.size(), 2u);  // created, then the import's move
  EXPECT_EQ(history[1].from, Stage::kLead);
  EXPECT_EQ(history[1].to, Stage::kMql);
  EXPECT_EQ(history[1].cause, "import");
  // An opportunity is not moved back to sql by an older export.
  EXPECT_EQ(GetContact(ahead.id).stage, Stage::kOpportunity);
  EXPECT_EQ(HistoryOf(ahead.id).size(), 1u);
}

TEST_F(ImporterTest, DryRunCountsLikeARealRunAndWritesNothing) {
  NewContact("ada@analytical.example", Stage::kLead);
  ImportOptions options;
  options.dry_run = true;
  auto s = Import(ReadFixture("hubspot.csv"), options);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->counts.created, 3);
  EXPECT_EQ(s->counts.updated, 1);
  EXPECT_EQ(s->counts.skipped, 2);
  EXPECT_EQ(ContactCount(), 1);
  EXPECT_EQ(GetContact(ByEmail("ada@analytical.example")->id).stage, Stage::kLead);
  auto companies = svc().companies.List(admin(), {});
  ASSERT_TRUE(companies);
  EXPECT_TRUE(companies->items.empty());
  EXPECT_TRUE(AuditOf("import", 0).empty());
}

TEST_F(ImporterTest, SalesforceLeadsWithAnOwnerMapping) {
  ImportOptions options;
  auto overrides = ParseMappingFile("[owners]\n\"005xx000001Sv6AAAS\" = \"rep2@acme.example\"\n");
  ASSERT_TRUE(overrides) << overrides.error().message;
  options.overrides = *overrides;
  auto s = Import(ReadFixture("salesforce_leads.csv"), options);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->preset, Preset::kSalesforce);
  EXPECT_EQ(s->counts.created, 3);
  EXPECT_EQ(s->counts.warnings, 1) << "the third lead's owner is not mapped";
  auto li = ByEmail("li.wei@orbital.example");
  ASSERT_TRUE(li);
  EXPECT_EQ(li->stage, Stage::kOpportunity);
  EXPECT_EQ(li->owner_id, rep2_.id);
  EXPECT_EQ(li->title, "CTO");
  EXPECT_EQ(li->country, "US");
  EXPECT_EQ(li->source, "web");
  EXPECT_EQ(li->stage_entered_at, *core::ParseInstant("2024-05-01T00:00:00Z"));
  EXPECT_EQ(ByEmail("chidi@lagosfreight.example")->stage, Stage::kSal);
  auto ana = ByEmail("ana@mercadoazul.example");
  EXPECT_EQ(ana->stage, Stage::kDisqualified);
  EXPECT_EQ(HistoryOf(ana->id).back().reason, "imported as Closed - Not Converted");
}

TEST_F(ImporterTest, SalesforceReportWithQuotedNewlines) {
  auto s = Import(ReadFixture("salesforce_report.csv"));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->preset, Preset::kSalesforce);
  EXPECT_EQ(s->counts.created, 2);
  EXPECT_EQ(s->counts.warnings, 0);
  auto marta = ByEmail("marta@wisla.example");
  ASSERT_TRUE(marta);
  EXPECT_EQ(marta->owner_id, rep1_.id);
  EXPECT_EQ(svc().companies.Get(admin(), *marta->company_id)->name, "Wisła Tech");
  EXPECT_EQ(ByEmail("jon@wall.example")->owner_id, rep2_.id);
}

TEST_F(ImporterTest, PipedriveDealsExportWithSemicolons) {
  auto s = Import(ReadFixture("pipedrive.csv"));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->preset, Preset::kPipedrive);
  EXPECT_EQ(s->delimiter, ';');
  EXPECT_EQ(s->counts.created, 3);
  auto j = ByEmail("juergen@spedition.example");
  ASSERT_TRUE(j);
  EXPECT_EQ(j->first_name, "Jürgen");
  EXPECT_EQ(j->last_name, "Weiß");
  EXPECT_EQ(j->stage, Stage::kCustomer);
  EXPECT_EQ(j->custom.at("deal_value"), "12500,50");
  EXPECT_EQ(j->owner_id, rep1_.id);
  auto history = HistoryOf(j->id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].to, Stage::kOpportunity);
  EXPECT_EQ(history[1].to, Stage::kCustomer);
  EXPECT_EQ(history[1].at, *core::ParseInstant("2024-03-15T16:20:00Z"));
  auto maria = ByEmail("mj.garcia@correo.example");
  ASSERT_TRUE(maria);
  EXPECT_EQ(maria->stage, Stage::kRecycled);
  EXPECT_EQ(HistoryOf(maria->id).back().reason, "deal lost: Budget frozen");
  EXPECT_EQ(ByEmail("sam@lee.example")->stage, Stage::kOpportunity);
}

TEST_F(ImporterTest, RaggedRowsBadUtf8AndHugeCellsAreReportedAndTheRestImported) {
  std::string file = "Email,First Name,Notes\r\n";
  file += "one@x.example,One\r\n";                                            // row 2: ragged
  file += "two@x.example,Tw\xF6,n\r\n";                                       // row 3: Latin-1
  file += "three@x.example,Three,\"" + std::string(2 << 20, 'x') + "\"\r\n";  // row 4: 2 MiB
  file += "four@x.example,Four,\"two\nlines\"\r\n";                           // row 5, two lines
  file += "five@x.example,Five,ok\r\n";                                       // row 6, line 7
  ImportOptions options;
  options.overrides.columns["Notes"] = *core::imports::TargetFromString("custom:notes");
  auto s = Import(file, options);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->counts.created, 2);
  EXPECT_EQ(s->counts.skipped, 3);
  ASSERT_EQ(s->issues.size(), 3u);
  EXPECT_EQ(s->issues[0].row, 2);
  EXPECT_NE(s->issues[0].reason.find("2 fields"), std::string::npos);
  EXPECT_EQ(s->issues[1].row, 3);
  EXPECT_EQ(s->issues[1].column, "First Name");
  EXPECT_EQ(s->issues[2].row, 4);
  EXPECT_EQ(s->issues[2].column, "Notes");
  EXPECT_EQ(s->issues[2].reason, "cell is larger than 1 MiB");
  EXPECT_TRUE(ByEmail("four@x.example"));
  EXPECT_TRUE(ByEmail("five@x.example"));
  EXPECT_EQ(ContactCount(), 2);
}

TEST_F(ImporterTest, AFailingRowIsSkippedNotItsBatch) {
  // A company name too long for a company fails inside the batch's transaction (the row itself
  // is a valid contact): the batch is retried row by row and only that row is skipped.
  std::string file = "Email,First Name,Company\n";
  file += "a@x.example,A,Acme\n";
  file += "b@x.example,B," + std::string(300, 'b') + "\n";
  file += "c@x.example,C,Acme\n";
  auto s = Import(file);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->counts.created, 2);
  EXPECT_EQ(s->counts.skipped, 1);
  ASSERT_EQ(s->issues.size(), 1u);
  EXPECT_EQ(s->issues[0].row, 3);
  EXPECT_NE(s->issues[0].reason.find("name"), std::string::npos);
  EXPECT_TRUE(ByEmail("a@x.example"));
  EXPECT_FALSE(ByEmail("b@x.example"));
  EXPECT_TRUE(ByEmail("c@x.example"));
  EXPECT_EQ(ByEmail("a@x.example")->company_id, ByEmail("c@x.example")->company_id);
}

TEST_F(ImporterTest, DuplicateEmailsInOneFileUpsertInOrder) {
  std::string file = "Email,First Name,Lifecycle Stage\n";
  file += "dup@x.example,First,lead\n";
  file += "DUP@x.example ,Second,mql\n";
  auto s = Import(file);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->counts.created, 1);
  EXPECT_EQ(s->counts.updated, 1);
  auto c = ByEmail("dup@x.example");
  EXPECT_EQ(c->first_name, "Second");
  EXPECT_EQ(c->stage, Stage::kMql);
}

TEST_F(ImporterTest, WholeFileFailures) {
  auto r = Import("Name,Phone\nJo,1\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no column gives the email"), std::string::npos);
  r = Import("");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("empty"), std::string::npos);
  r =
      Import(std::string("\xFF\xFE"
                         "E\0m\0",
                         6));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("UTF-16"), std::string::npos);
  EXPECT_EQ(ContactCount(), 0);
}

TEST_F(ImporterTest, OnlyAdminsAndMarketingMayImport) {
  const std::string file = "Email\nx@y.example\n";
  EXPECT_TRUE(FailsWith(Import(file, {}, rep1()), core::ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(Import(file, {}, manager()), core::ErrorCode::kPermissionDenied));
  EXPECT_TRUE(Import(file, {}, admin()));
  auto read_only = marketer();
  read_only.scopes = std::vector<core::Scope>{core::Scope::kRead};
  EXPECT_TRUE(FailsWith(Import(file, {}, read_only), core::ErrorCode::kPermissionDenied));
}

TEST_F(ImporterTest, ProgressAndIssuesAreReportedAsTheyHappen) {
  std::string file = "Email\n";
  for (int i = 0; i < 25; ++i) file += "p" + std::to_string(i) + "@x.example\n";
  file += "broken\n";
  ImportOptions options;
  options.batch_rows = 10;
  std::vector<std::int64_t> created_seen;
  std::vector<ImportIssue> issues;
  ContactImporter importer(*store_, clock_);
  auto s = importer.Run(
      marketer(), SourceOf(file), options,
      [&](std::uint64_t, const core::imports::ImportCounts& c) {
        created_seen.push_back(c.created);
      },
      [&](const ImportIssue& i) { issues.push_back(i); });
  ASSERT_TRUE(s);
  EXPECT_EQ(created_seen, (std::vector<std::int64_t>{10, 20, 25, 25}));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].row, 27);
}

// What an import left in a store, comparable across stores: every contact (with its company's
// name and owner's email), its stage history, what the funnel's reach and the search and list
// indexes find.
std::vector<std::string> StoreSnapshot(store::Store& store) {
  std::vector<std::string> out;
  auto r = store.Read([&](store::Tx& tx) -> core::Result<void> {
    core::ContactQuery q;
    q.page.limit = 500;
    q.sort = core::ContactSort::kEmail;
    while (true) {
      TANDEM_ASSIGN(auto page, tx.contacts().List(q));
      for (const auto& c : page.items) {
        std::string line =
            c.email + "|" + c.first_name + "|" + c.last_name + "|" + c.phone + "|" + c.title + "|" +
            c.source + "|" + c.country + "|" + core::EncodeCustomFields(c.custom) + "|" +
            std::string(core::ToString(c.stage)) + "|" + core::FormatInstant(c.stage_entered_at) +
            "|" + core::FormatInstant(c.created_at) + "|" + core::FormatInstant(c.updated_at);
        if (c.company_id) {
          TANDEM_ASSIGN(auto company, tx.companies().Get(*c.company_id));
          line += "|company " + (company ? company->name : "?");
        }
        if (c.owner_id) {
          TANDEM_ASSIGN(auto owner, tx.users().Get(*c.owner_id));
          line += "|owner " + (owner ? owner->email : "?");
        }
        TANDEM_ASSIGN(auto history, tx.stages().ListForContact(c.id));
        for (const auto& h : history) {
          line += "|" + (h.from ? std::string(core::ToString(*h.from)) : "-") + ">" +
                  std::string(core::ToString(h.to)) + "@" + core::FormatInstant(h.at) + " " +
                  h.cause + " " + h.reason + " " + h.actor.name;
        }
        out.push_back(std::move(line));
      }
      if (!page.next) break;
      q.page.after = page.next;
    }
    auto emails = [&](core::ContactQuery query) -> core::Result<std::string> {
      query.page.limit = 500;
      query.sort = core::ContactSort::kEmail;
      TANDEM_ASSIGN(auto page, tx.contacts().List(query));
      std::string s;
      for (const auto& c : page.items) s += c.email + " ";
      return s;
    };
    for (Stage stage : {Stage::kLead, Stage::kMql, Stage::kSql, Stage::kCustomer}) {
      core::ContactQuery reached;
      core::ReachFilter filter;
      filter.stage = stage;
      filter.from = *core::ParseInstant("2020-01-01T00:00:00Z");
      filter.to = *core::ParseInstant("2030-01-01T00:00:00Z");
      reached.reached = filter;
      TANDEM_ASSIGN(auto s, emails(reached));
      out.push_back("reached " + std::string(core::ToString(stage)) + ": " + s);
      core::ContactQuery in_stage;
      in_stage.stage = stage;
      TANDEM_ASSIGN(s, emails(in_stage));
      out.push_back("in " + std::string(core::ToString(stage)) + ": " + s);
    }
    for (const char* word : {"Ada", "Globex", "bulk7", "Zoë"}) {
      core::ContactQuery search;
      search.text = word;
      TANDEM_ASSIGN(auto s, emails(search));
      out.push_back(std::string("search ") + word + ": " + s);
    }
    return {};
  });
  EXPECT_TRUE(r) << r.error().message;
  return out;
}

// A HubSpot-shaped file of `rows` rows with what a real one holds: companies shared by rows,
// known and unknown owners, stages with and without milestone dates, the same email twice (a
// later row updating an earlier one, in another batch and in the same one), rows with errors
// and a row the store refuses (a company name too long).
std::string HubSpotLikeFile(int rows, bool repeats = true) {
  std::string f =
      "Record ID,First Name,Last Name,Email,Contact owner,Lifecycle Stage,Create Date,"
      "Became a Lead Date,Became a Marketing Qualified Lead Date,Associated Company,"
      "Original Source\r\n";
  const char* stages[] = {
      "lead", "Marketing Qualified Lead", "salesqualifiedlead", "customer", "subscriber", ""};
  const char* owners[] = {"rep1@acme.example", "Rep Two", "nobody@else.example", ""};
  for (int i = 0; i < rows; ++i) {
    const int day = 1 + i % 27;
    const std::string date = "2024-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
    const bool again = repeats && i % 17 == 16;  // repeats the email of row i - 9 (or i - 1)
    const int who = again ? (i % 2 ? i - 9 : i - 1) : i;
    f += std::to_string(1000 + i) + "," + (i % 5 == 0 ? "Zoë" : "Ada") + ",Bulk" +
         std::to_string(i) + ",bulk" + std::to_string(who) + "@x.example," + owners[i % 4] + "," +
         stages[i % 6] + "," + date + " 09:14," + (i % 3 ? date : "") + "," +
         (i % 6 == 1 ? "2024-04-0" + std::to_string(1 + i % 9) : "") + ",";
    f += i % 41 == 40 ? std::string(300, 'n') : "\"Globex " + std::to_string(i % 7) + ", Inc.\"";
    f += ",Organic Search\r\n";
    if (i % 53 == 52) f += "not-an-email,X,Y,broken,,lead,2024-03-01,,,,\r\n";
  }
  return f;
}

TEST_F(ImporterTest, BulkModeLeavesTheSameStoreAsBatchByBatch) {
  const std::string file = HubSpotLikeFile(300);
  // A second store with the same users, for the batch-by-batch run.
  auto other = store::sqlite::OpenSqliteStore(store::sqlite::SqliteSettings{.path = ":memory:"});
  ASSERT_TRUE(other);
  ASSERT_TRUE((*other)->Write([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(auto page, [&]() -> core::Result<core::Page<core::User>> {
      core::Result<core::Page<core::User>> users;
      EXPECT_TRUE(store_->Read([&](store::Tx& mine) -> core::Result<void> {
        core::UserQuery q;
        q.page.limit = 500;
        users = mine.users().List(q);
        return {};
      }));
      return users;
    }());
    for (const auto& u : page.items) TANDEM_TRY(tx.users().Insert(u, ""));
    return {};
  }));

  ImportOptions batch_by_batch;
  batch_by_batch.batch_rows = 7;
  batch_by_batch.bulk = BulkMode::kOff;
  ImportOptions bulk = batch_by_batch;
  bulk.bulk = BulkMode::kOn;
  ContactImporter plain(**other, clock_);
  auto a = plain.Run(marketer(), SourceOf(file, 4096), batch_by_batch);
  ASSERT_TRUE(a) << a.error().message;
  auto b = Import(file, bulk);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_FALSE(a->bulk);
  EXPECT_TRUE(b->bulk);

  EXPECT_EQ(a->counts.rows, b->counts.rows);
  EXPECT_EQ(a->counts.created, b->counts.created);
  EXPECT_EQ(a->counts.updated, b->counts.updated);
  EXPECT_EQ(a->counts.unchanged, b->counts.unchanged);
  EXPECT_EQ(a->counts.skipped, b->counts.skipped);
  EXPECT_EQ(a->counts.errors, b->counts.errors);
  EXPECT_EQ(a->counts.warnings, b->counts.warnings);
  EXPECT_GT(b->counts.created, 250);
  EXPECT_GT(b->counts.updated, 10);
  EXPECT_GE(b->counts.skipped, 5 + 7) << "rows with errors and rows the store refused";
  ASSERT_EQ(a->issues.size(), b->issues.size());
  for (std::size_t i = 0; i < a->issues.size(); ++i) {
    EXPECT_EQ(a->issues[i].row, b->issues[i].row);
    EXPECT_EQ(a->issues[i].column, b->issues[i].column);
    EXPECT_EQ(a->issues[i].reason, b->issues[i].reason);
  }
  const auto expected = StoreSnapshot(**other);
  EXPECT_EQ(StoreSnapshot(*store_), expected);
  EXPECT_GT(expected.size(), 250u);
}

TEST_F(ImporterTest, BulkModeAutoNeedsALargeFileAndASmallTableAndReimportsChangeNothing) {
  const std::string file = HubSpotLikeFile(60, false);
  ImportOptions options;
  options.bulk = BulkMode::kAuto;
  options.size_hint = file.size();  // small: batch by batch
  auto small = Import(file, options);
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_FALSE(small->bulk);
  options.size_hint = kBulkMinBytes;  // large, and the table holds fewer contacts than it has rows
  auto large = Import(file, options);
  ASSERT_TRUE(large) << large.error().message;
  EXPECT_TRUE(large->bulk);
  EXPECT_EQ(large->counts.created, 0);
  EXPECT_EQ(large->counts.updated, 0);
  EXPECT_EQ(large->counts.unchanged, small->counts.created);
  const auto before = StoreSnapshot(*store_);
  clock_.Advance(std::chrono::hours(1));
  options.bulk = BulkMode::kOn;
  auto again = Import(file, options);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->bulk);
  EXPECT_EQ(again->counts.unchanged, small->counts.created);
  EXPECT_EQ(StoreSnapshot(*store_), before);
  options.dry_run = true;  // a dry run writes nothing, in no mode
  auto dry = Import(file, options);
  ASSERT_TRUE(dry);
  EXPECT_FALSE(dry->bulk);
}

TEST_F(ImporterTest, BulkModeThatFailsMidFileWritesNothing) {
  std::string file = HubSpotLikeFile(40);
  ImportOptions options;
  options.bulk = BulkMode::kOn;
  options.batch_rows = 5;
  // The file cannot be read past its middle: the whole import is undone.
  auto pos = std::make_shared<std::size_t>(0);
  ChunkSource failing = [&file, pos]() -> core::Result<std::string_view> {
    if (*pos >= file.size() / 2) {
      return core::Fail(core::Error{core::ErrorCode::kUnavailable, "the disk went away", "file"});
    }
    std::string_view out = std::string_view(file).substr(*pos, 100);
    *pos += out.size();
    return out;
  };
  ContactImporter importer(*store_, clock_);
  auto s = importer.Run(marketer(), failing, options);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "the disk went away");
  EXPECT_EQ(ContactCount(), 0);
  // The store is whole: a plain import afterwards is searchable as ever.
  auto plain = Import(file);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_GT(ContactCount(), 30);
}

TEST(MappingFileTest, ReadsEverySectionAndRefusesMistakes) {
  auto m = ParseMappingFile(R"(
preset = "hubspot"
date_order = "dmy"
[columns]
"Företagsnamn" = "company"
"Lead Score" = "custom:lead_score"
[owners]
"Jane D." = "jane@acme.example"
[stages]
"Nurture" = "recycled"
)");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->preset, Preset::kHubSpot);
  EXPECT_EQ(m->date_order, core::imports::DateOrder::kDayFirst);
  EXPECT_EQ(m->columns.at("Företagsnamn").field, core::imports::Field::kCompany);
  EXPECT_EQ(m->columns.at("Lead Score").custom_name, "lead_score");
  EXPECT_EQ(m->owners.at("Jane D."), "jane@acme.example");
  EXPECT_EQ(m->stages.at("Nurture"), Stage::kRecycled);

  EXPECT_TRUE(FailsWith(ParseMappingFile("preset = \"zoho\""), core::ErrorCode::kInvalidArgument,
                        "preset"));
  EXPECT_TRUE(FailsWith(ParseMappingFile("[columns]\nA = \"wizard\""),
                        core::ErrorCode::kInvalidArgument, "columns.A"));
  EXPECT_TRUE(FailsWith(ParseMappingFile("[stages]\nA = \"won\""),
                        core::ErrorCode::kInvalidArgument, "stages.A"));
  EXPECT_TRUE(
      FailsWith(ParseMappingFile("colour = \"red\""), core::ErrorCode::kInvalidArgument, "colour"));
  auto syntax = ParseMappingFile("[columns\n");
  ASSERT_FALSE(syntax);
  EXPECT_NE(syntax.error().message.find("line 1"), std::string::npos);
}

}  // namespace
}  // namespace tandem::app::apptest

namespace tandem::app::apptest {
namespace {

// A column mapped to consent (docs/privacy.md): yes values record a consent pointing at the
// job and the row, no values and empty cells record nothing, other values are row errors.
TEST_F(ImporterTest, AConsentColumnRecordsConsentsWithTheirJobAndRow) {
  const auto existing = NewContact("old@example.com");
  ImportOptions options;
  options.job_id = 42;
  auto s = Import(
      "Email,First Name,Consent\n"
      "ada@example.com,Ada,yes\n"
      "bob@example.com,Bob,no\n"
      "cyd@example.com,Cyd,\n"
      "dan@example.com,Dan,maybe\n"
      "old@example.com,Old, Opt-In \n",
      options);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->counts.skipped, 1);
  const ImportIssue* bad = IssueAt(*s, 5);  // rows as a spreadsheet counts them
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->column, "Consent");
  auto consents = [&](const std::string& email) {
    auto c = ByEmail(email);
    EXPECT_TRUE(c) << email;
    auto list = PrivacyService(*store_, clock_).Consents(admin(), c ? c->id : 0);
    EXPECT_TRUE(list) << list.error().message;
    return list.value_or(std::vector<core::Consent>{});
  };
  const auto ada = consents("ada@example.com");
  ASSERT_EQ(ada.size(), 1u);
  EXPECT_EQ(ada[0].source, core::ConsentSource::kImport);
  EXPECT_EQ(ada[0].purpose, "marketing");  // the column is read as "consent" by default
  EXPECT_EQ(ada[0].text, "consent column \"Consent\" of import 42");
  EXPECT_EQ(ada[0].import_job_id, 42);
  EXPECT_EQ(ada[0].import_row, 2);
  EXPECT_EQ(ada[0].given_at, kT0);
  EXPECT_TRUE(consents("bob@example.com").empty());
  EXPECT_TRUE(consents("cyd@example.com").empty());
  EXPECT_FALSE(ByEmail("dan@example.com"));
  const auto old = consents("old@example.com");
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].contact_id, existing.id);
  EXPECT_EQ(old[0].import_row, 6);
}

// A column of any header mapped to consent, with a purpose (docs/import.md): batch by batch
// and in bulk mode the same consents, each naming the job, its row and the column.
TEST_F(ImporterTest, ConsentColumnsMappedByHandRecordConsentsInBatchAndBulkMode) {
  for (BulkMode mode : {BulkMode::kOff, BulkMode::kOn}) {
    SCOPED_TRACE(std::string(ToString(mode)));
    const std::string at = "@" + std::string(ToString(mode)) + ".example";  // new contacts
    const std::string file =
        "Email,GDPR opt-in,Newsletter\n"
        "ada" +
        at +
        ",Opted In,yes\n"
        "bob" +
        at +
        ",opted out,\n"
        "cyd" +
        at +
        ",no,TRUE\n"
        "dan" +
        at +
        ",si,yes\n"
        "ada" +
        at + ",yes,no\n";
    ImportOptions options;
    options.job_id = 7;
    options.bulk = mode;
    options.batch_rows = 2;  // several batches, the same email twice in the file
    options.overrides.columns["gdpr OPT-IN"] = *core::imports::TargetFromString("consent");
    options.overrides.columns["Newsletter"] =
        *core::imports::TargetFromString("consent:Newsletter");
    auto s = Import(file, options);
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->bulk, mode == BulkMode::kOn);
    EXPECT_EQ(s->counts.created, 3);
    EXPECT_EQ(s->counts.skipped, 1);
    const ImportIssue* bad = IssueAt(*s, 5);
    ASSERT_NE(bad, nullptr);
    EXPECT_EQ(bad->column, "GDPR opt-in");
    EXPECT_NE(bad->reason.find("\"si\""), std::string::npos) << bad->reason;
    EXPECT_FALSE(ByEmail("dan" + at));
    auto consents = [&](const std::string& email) {
      auto c = ByEmail(email);
      EXPECT_TRUE(c) << email;
      auto list = PrivacyService(*store_, clock_).Consents(admin(), c ? c->id : 0);
      EXPECT_TRUE(list) << list.error().message;
      return list.value_or(std::vector<core::Consent>{});
    };
    // Ada: both columns on row 2, the first again on row 6 (each import row is evidence).
    const auto ada = consents("ada" + at);
    ASSERT_EQ(ada.size(), 3u);
    std::vector<std::tuple<std::string, std::int64_t, std::string>> got;
    for (const auto& c : ada) {
      EXPECT_EQ(c.source, core::ConsentSource::kImport);
      EXPECT_EQ(c.import_job_id, 7);
      EXPECT_EQ(c.given_at, kT0);
      got.emplace_back(c.purpose, c.import_row.value_or(0), c.text);
    }
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (decltype(got){
                       {"Newsletter", 2, "consent column \"Newsletter\" of import 7"},
                       {"marketing", 2, "consent column \"GDPR opt-in\" of import 7"},
                       {"marketing", 6, "consent column \"GDPR opt-in\" of import 7"},
                   }));
    EXPECT_TRUE(consents("bob" + at).empty());  // a no and an empty cell: nothing
    const auto cyd = consents("cyd" + at);
    ASSERT_EQ(cyd.size(), 1u);
    EXPECT_EQ(cyd[0].purpose, "Newsletter");
    EXPECT_EQ(cyd[0].import_row, 4);
  }
}

}  // namespace
}  // namespace tandem::app::apptest
