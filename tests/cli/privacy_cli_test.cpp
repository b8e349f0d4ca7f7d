// `tandem privacy export | erase | purge-events`, in-process, and the proof that erasure keeps
// the reports' counts: the weekly packs (funnel, SLA, feedback, attribution) of a demo company
// are the same before and after erasing customers with deals, history and campaign touches.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

#include "cli/cli_fixture.hpp"
#include "core/weekly_pack.hpp"
#include "server/runtime.hpp"

namespace tandem::cli {
namespace {

class PrivacyCliTest : public clitest::CliFixture {
 protected:
  // A contact with two events, through the services.
  void AddPerson(const std::string& email) {
    server::RuntimeSettings rs;
    rs.db = db_;
    auto rt = server::Runtime::Open(rs);
    ASSERT_TRUE(rt) << rt.error().message;
    ASSERT_TRUE((*rt)->store().Write([&](store::Tx& tx) -> core::Result<void> {
      core::Contact c;
      c.email = email;
      c.first_name = "Annabel";
      c.stage = core::Stage::kLead;
      c.stage_entered_at = c.created_at = c.updated_at = (*rt)->clock().Now();
      TANDEM_ASSIGN(core::Id id, tx.contacts().Insert(c));
      for (int i = 0; i < 2; ++i) {
        core::Event e;
        e.event_id = email + std::to_string(i);
        e.type = "page_view";
        e.occurred_at = e.received_at = (*rt)->clock().Now() - std::chrono::days(400 * i);
        e.email = email;
        e.contact_id = id;
        TANDEM_TRY(tx.events().Append(e));
      }
      return {};
    }));
  }
};

TEST_F(PrivacyCliTest, ExportEraseAndPurgeWithClearErrors) {
  ASSERT_NO_FATAL_FAILURE(AddPerson("ann@example.com"));
  auto exported = Tandem({"privacy", "export", "--db", db_, "--email", "Ann@Example.com"});
  ASSERT_EQ(exported.code, 0) << exported.err;
  EXPECT_NE(exported.out.find(R"("email":"ann@example.com")"), std::string::npos) << exported.out;
  EXPECT_NE(exported.out.find(R"("first_name":"Annabel")"), std::string::npos);
  EXPECT_NE(exported.out.find(R"("events":[{)"), std::string::npos);
  const std::string file = (dir_ / "ann.json").string();
  auto to_file =
      Tandem({"privacy", "export", "--db", db_, "--email", "ann@example.com", "--out", file});
  ASSERT_EQ(to_file.code, 0) << to_file.err;
  EXPECT_NE(to_file.out.find("exported everything held about ann@example.com"), std::string::npos);

  auto unknown = Tandem({"privacy", "export", "--db", db_, "--email", "nobody@example.com"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("nothing is held about nobody@example.com"), std::string::npos)
      << unknown.err;
  auto malformed = Tandem({"privacy", "export", "--db", db_, "--email", "ann"});
  EXPECT_EQ(malformed.code, 1);
  EXPECT_EQ(malformed.err.rfind("error: email: ", 0), 0u) << malformed.err;
  EXPECT_EQ(Tandem({"privacy", "export", "--db", db_}).code, 2);  // --email is required

  auto unconfirmed = Tandem({"privacy", "erase", "--db", db_, "--email", "ann@example.com"});
  EXPECT_EQ(unconfirmed.code, 1);
  EXPECT_EQ(unconfirmed.err.rfind("error: confirm: ", 0), 0u) << unconfirmed.err;
  auto erased = Tandem({"privacy", "erase", "--db", db_, "--email", "ann@example.com", "--confirm",
                        "ann@example.com"});
  ASSERT_EQ(erased.code, 0) << erased.err;
  EXPECT_NE(erased.out.find("2 events deleted"), std::string::npos) << erased.out;
  auto twice = Tandem({"privacy", "erase", "--db", db_, "--email", "ann@example.com", "--confirm",
                       "ann@example.com", "--json"});
  EXPECT_EQ(twice.code, 1);
  EXPECT_NE(twice.err.find("nothing is held"), std::string::npos) << twice.err;

  ASSERT_NO_FATAL_FAILURE(AddPerson("bob@example.com"));  // one event now, one 400 days ago
  auto dry = Tandem({"privacy", "purge-events", "--db", db_, "--months", "12", "--dry-run"});
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_NE(dry.out.find("would purge 1 events that occurred before"), std::string::npos)
      << dry.out;
  auto run = Tandem({"privacy", "purge-events", "--db", db_, "--months", "12"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("purged 1 events"), std::string::npos) << run.out;
  auto bad = Tandem({"privacy", "purge-events", "--db", db_, "--months", "0"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err.rfind("error: months: ", 0), 0u) << bad.err;
}

// A consent recorded by `tandem import contacts` (a mapping file's `consent:<purpose>`, in bulk
// mode) is in `tandem privacy export`, with the row it came from (docs/privacy.md).
TEST_F(PrivacyCliTest, ImportedConsentsAreInTheExport) {
  const std::string csv = (dir_ / "optins.csv").string();
  std::ofstream(csv) << "Email,First Name,GDPR opt-in\n"
                        "zoe@example.com,Zoe,Opted In\n"
                        "yan@example.com,Yan,no\n";
  const std::string mapping = (dir_ / "optins.toml").string();
  std::ofstream(mapping) << "[columns]\n\"GDPR opt-in\" = \"consent:newsletter\"\n";
  auto imported =
      Tandem({"import", "contacts", csv, "--db", db_, "--mapping", mapping, "--bulk", "on"});
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_NE(imported.out.find("created 2"), std::string::npos) << imported.out;

  auto zoe = Tandem({"privacy", "export", "--db", db_, "--email", "zoe@example.com"});
  ASSERT_EQ(zoe.code, 0) << zoe.err;
  EXPECT_NE(zoe.out.find(R"("purpose":"newsletter")"), std::string::npos) << zoe.out;
  EXPECT_NE(zoe.out.find(R"("source":"import")"), std::string::npos) << zoe.out;
  EXPECT_NE(zoe.out.find(R"("import_row":2)"), std::string::npos) << zoe.out;
  EXPECT_NE(zoe.out.find(R"(consent column \"GDPR opt-in\" of import )"), std::string::npos)
      << zoe.out;
  auto yan = Tandem({"privacy", "export", "--db", db_, "--email", "yan@example.com"});
  ASSERT_EQ(yan.code, 0) << yan.err;
  EXPECT_NE(yan.out.find(R"("consents":[])"), std::string::npos) << yan.out;
}

// Erasing customers keeps every count of the weekly packs: the tombstones keep their stage
// history, deals and campaign touches.
TEST_F(PrivacyCliTest, ErasureLeavesTheWeeklyPacksUnchanged) {
  auto demo = Tandem({"demo", "--db", db_, "--contacts", "600", "--days", "60", "--seed", "11",
                      "--password", "demo-password-1"});
  ASSERT_EQ(demo.code, 0) << demo.err;

  // The people to erase: contacts of won deals with campaign touches, and a few others.
  std::vector<std::string> emails;
  {
    server::RuntimeSettings rs;
    rs.db = db_;
    auto rt = server::Runtime::Open(rs);
    ASSERT_TRUE(rt) << rt.error().message;
    ASSERT_TRUE((*rt)->store().Read([&](store::Tx& tx) -> core::Result<void> {
      core::DealQuery q;
      q.page.limit = 200;
      TANDEM_ASSIGN(auto deals, tx.deals().List(q));
      std::set<core::Id> seen;
      for (const auto& d : deals.items) {
        if (!d.contact_id || !seen.insert(*d.contact_id).second || emails.size() >= 8) continue;
        TANDEM_ASSIGN(auto c, tx.contacts().Get(*d.contact_id));
        if (c) emails.push_back(c->email);
      }
      core::ContactQuery cq;
      cq.page.limit = 4;
      TANDEM_ASSIGN(auto page, tx.contacts().List(cq));
      for (const auto& c : page.items) emails.push_back(c.email);
      return {};
    }));
  }
  ASSERT_GE(emails.size(), 6u);

  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  auto packs = [&] {
    std::string all;
    for (int back = 1; back <= 6; ++back) {
      const auto week = core::IsoWeekOf(core::Date(today - std::chrono::days(7 * back)));
      auto r = Tandem({"report", "weekly", "--db", db_, "--week", core::FormatIsoWeek(week),
                       "--format", "json"});
      EXPECT_EQ(r.code, 0) << r.err;
      // When the pack was made (and the SLA section's "as of") differs between two runs.
      all +=
          std::regex_replace(r.out, std::regex(R"re("(generated_at|as_of)":"[^"]*")re"), "") + "\n";
    }
    return all;
  };
  const std::string before = packs();
  ASSERT_NE(before.find(R"("has_data":true)"), std::string::npos) << before.substr(0, 2000);

  for (const auto& email : emails) {
    auto r = Tandem({"privacy", "erase", "--db", db_, "--email", email, "--confirm", email});
    ASSERT_EQ(r.code, 0) << email << ": " << r.err;
  }
  const std::string after = packs();
  EXPECT_EQ(after, before);
}

}  // namespace
}  // namespace tandem::cli
