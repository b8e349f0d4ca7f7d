#include "cli/cli.hpp"
#include "cli/cli_fixture.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "server/serve.hpp"

namespace tandem::cli {
namespace {

using clitest::Output;

namespace fs = std::filesystem;

using CliTest = clitest::CliFixture;

TEST_F(CliTest, HelpListsEveryCommand) {
  auto r = Tandem({"--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* cmd : {"serve", "migrate", "user", "apikey", "demo", "import"}) {
    EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
  }
  EXPECT_EQ(Tandem({"user", "add", "--help"}).code, 0);
  EXPECT_EQ(Tandem({"demo", "--help"}).code, 0);
}

TEST_F(CliTest, UnknownCommandIsAUsageError) {
  EXPECT_EQ(Tandem({"frobnicate"}).code, 2);
  EXPECT_EQ(Tandem({}).code, 2);
}

TEST_F(CliTest, MigrateCreatesTheSchema) {
  auto r = Tandem({"migrate", "--db", db_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("schema version"), std::string::npos);
  EXPECT_TRUE(fs::exists(db_));
}

TEST_F(CliTest, MigrateToAnAbsentPostgresServerIsAClearError) {
  // Port 1 on the loopback: nothing listens there.
  auto r = Tandem(
      {"migrate", "--db", "postgresql://tandem:s3cret@127.0.0.1:1/tandem?connect_timeout=5"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot connect to PostgreSQL"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos) << r.err;
}

TEST_F(CliTest, UserAddReadsThePasswordFromStdinAndListsTheUser) {
  auto add = Tandem({"user", "add", "--db", db_, "--email", " Ada@Example.COM ", "--name",
                     "Ada Lovelace", "--role", "admin"},
                    "correct horse battery\n");
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.out.find("ada@example.com"), std::string::npos);
  auto list = Tandem({"user", "list", "--db", db_});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("ada@example.com"), std::string::npos);
  EXPECT_NE(list.out.find("admin"), std::string::npos);
}

TEST_F(CliTest, UserAddRejectsBadInput) {
  EXPECT_EQ(
      Tandem({"user", "add", "--db", db_, "--email", "a@b.co", "--name", "A", "--role", "emperor"},
             "long enough password\n")
          .code,
      2);
  auto short_pw =
      Tandem({"user", "add", "--db", db_, "--email", "a@b.co", "--name", "A"}, "short\n");
  EXPECT_EQ(short_pw.code, 1);
  EXPECT_NE(short_pw.err.find("password"), std::string::npos);
  auto bad_email = Tandem({"user", "add", "--db", db_, "--email", "not-an-email", "--name", "A"},
                          "long enough password\n");
  EXPECT_EQ(bad_email.code, 1);
  EXPECT_NE(bad_email.err.find("email"), std::string::npos);
  Tandem({"user", "add", "--db", db_, "--email", "a@b.co", "--name", "A"}, "long enough pw\n");
  auto dup =
      Tandem({"user", "add", "--db", db_, "--email", "A@B.CO", "--name", "A"}, "long enough pw\n");
  EXPECT_EQ(dup.code, 1);
}

TEST_F(CliTest, ApiKeyCreatePrintsTheSecretOnce) {
  ASSERT_EQ(Tandem({"user", "add", "--db", db_, "--email", "ops@example.com", "--name", "Ops",
                    "--role", "marketing"},
                   "long enough password\n")
                .code,
            0);
  auto key = Tandem({"apikey", "create", "--db", db_, "--user", "ops@example.com", "--name",
                     "website", "--scope", "ingest"});
  ASSERT_EQ(key.code, 0) << key.err;
  EXPECT_EQ(key.out.rfind("tnd_k_", 0), 0u);
  EXPECT_NE(key.err.find("ingest"), std::string::npos);
  auto bad = Tandem({"apikey", "create", "--db", db_, "--user", "ops@example.com", "--name", "x",
                     "--scope", "everything"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("unknown scope"), std::string::npos);
  auto nobody =
      Tandem({"apikey", "create", "--db", db_, "--user", "nobody@example.com", "--name", "x"});
  EXPECT_EQ(nobody.code, 1);
}

TEST_F(CliTest, DemoLoadsACompanyAndRefusesToLoadTwice) {
  auto r = Tandem({"demo", "--db", db_, "--contacts", "500", "--days", "60"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("@"), std::string::npos);  // the demo logins
  EXPECT_NE(r.out.find("tandem-demo"), std::string::npos);
  auto again = Tandem({"demo", "--db", db_, "--contacts", "500"});
  EXPECT_EQ(again.code, 1);
  auto users = Tandem({"user", "list", "--db", db_});
  EXPECT_NE(users.out.find("sales"), std::string::npos);
}

TEST(ParseListenTest, AcceptsHostAndPort) {
  auto r = server::ParseListen("127.0.0.1:0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, "127.0.0.1");
  EXPECT_EQ(r->second, 0);
  EXPECT_EQ(server::ParseListen("[::1]:8080")->first, "::1");
  EXPECT_FALSE(server::ParseListen("8080"));
  EXPECT_FALSE(server::ParseListen("host:99999"));
  EXPECT_FALSE(server::ParseListen("host:80x"));
}

TEST_F(CliTest, ImportContactsReportsAndWritesTheErrorFile) {
  const std::string csv = (dir_ / "leads.csv").string();
  {
    std::ofstream f(csv, std::ios::binary);
    f << "Email,First Name,Lifecycle Stage,Create Date\r\n"
         "ada@x.example,Ada,marketingqualifiedlead,2024-03-12 09:14\r\n"
         "broken,Bob,lead,2024-03-12\r\n"
         "cy@x.example,\"Cy, Jr\",lead,someday\r\n"
         "dee@x.example,Dee,lead,3/15/2024 2:30 PM\r\n";
  }
  const std::string report = (dir_ / "errors.csv").string();
  auto dry = Tandem({"import", "contacts", csv, "--db", db_, "--dry-run"});
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_NE(dry.out.find("dry run, nothing written"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("created 2"), std::string::npos) << dry.out;

  auto r = Tandem({"import", "contacts", csv, "--db", db_, "--errors", report, "--show", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("4 rows"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("created 2  updated 0  unchanged 0  skipped 2  errors 2"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("first 1 of 2 issues"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("row 3 (line 3) Email"), std::string::npos) << r.out;
  std::ifstream f(report);
  std::stringstream text;
  text << f.rdbuf();
  EXPECT_NE(text.str().find("row,line,column,severity,reason\n3,3,Email,error,"), std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("\n4,4,Create Date,error,\"\"\"someday\"\" is not a date\"\n"),
            std::string::npos)
      << text.str();

  auto again = Tandem({"import", "contacts", csv, "--db", db_});
  ASSERT_EQ(again.code, 0);
  EXPECT_NE(again.out.find("created 0  updated 0  unchanged 2"), std::string::npos) << again.out;
}

TEST_F(CliTest, ImportContactsUsageAndFileErrors) {
  EXPECT_EQ(Tandem({"import", "contacts", "/nonexistent/x.csv", "--db", db_}).code, 1);
  const std::string csv = (dir_ / "a.csv").string();
  std::ofstream(csv) << "Email\nx@y.example\n";
  EXPECT_EQ(Tandem({"import", "contacts", csv, "--db", db_, "--preset", "zoho"}).code, 2);
  const std::string mapping = (dir_ / "m.toml").string();
  std::ofstream(mapping) << "[columns]\nMissing = \"email\"\n";
  auto r = Tandem({"import", "contacts", csv, "--db", db_, "--mapping", mapping});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("Missing"), std::string::npos) << r.err;
  EXPECT_EQ(Tandem({"import", "contacts", csv, "--db", db_, "--as", "nobody@x.example"}).code, 1);
}

TEST_F(CliTest, PlanPrintsEveryStageRoundedUpWithGivenFigures) {
  // 100,000 at 10,000 per deal: 10 deals; 10 / 0.2 = 50 opportunities; 50 / 0.5 = 100 SQLs;
  // 100 / 0.5 = 200 SALs; 200 / 0.5 = 400 MQLs; 400 / 0.3 = 1333.33 -> 1334 leads;
  // 1334 / 0.02 = 66700 visits. 90 days: 13 weeks; 1334 / 13 = 102.6 -> 103 leads a week.
  auto r = Tandem({"plan",
                   "--db",
                   db_,
                   "--revenue",
                   "100000",
                   "--from",
                   "2027-01-01",
                   "--to",
                   "2027-03-31",
                   "--deal-size",
                   "10000",
                   "--rate",
                   "visitor_lead=0.02",
                   "--rate",
                   "lead_mql=0.3",
                   "--rate",
                   "mql_sal=0.5",
                   "--rate",
                   "sal_sql=0.5",
                   "--rate",
                   "sql_opp=0.5",
                   "--rate",
                   "opp_won=0.2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("13 weeks"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rounded up"), std::string::npos);
  EXPECT_NE(r.out.find("Marketing: 66700 visits, 1334 leads, 400 mqls. Sales: 200 sals, 100 "
                       "sqls, 50 opportunities, 10 deals."),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("       103 "), std::string::npos) << r.out;
}

TEST_F(CliTest, PlanRefusesBadInputNamingTheField) {
  auto r = Tandem({"plan", "--db", db_, "--revenue", "100000", "--from", "2027-03-01", "--to",
                   "2027-01-01", "--deal-size", "10"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error: to:"), std::string::npos) << r.err;
  r = Tandem(
      {"plan", "--db", db_, "--revenue", "-5", "--from", "2027-01-01", "--to", "2027-03-01"});
  EXPECT_NE(r.err.find("error: revenue:"), std::string::npos) << r.err;
  r = Tandem({"plan", "--db", db_, "--revenue", "100", "--from", "2027-01-01", "--to", "2027-03-01",
              "--deal-size", "10", "--rate", "mql_sal=1.5"});
  EXPECT_NE(r.err.find("error: rates.mql_sal:"), std::string::npos) << r.err;
  // Nothing measured in an empty base: the message says what to give.
  r = Tandem(
      {"plan", "--db", db_, "--revenue", "100", "--from", "2027-01-01", "--to", "2027-03-01"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error: deal_size:"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tandem::cli
