// `tandem sla compliance`, in-process, on a database prepared through the services.
#include <gtest/gtest.h>

#include "cli/handoff_cli_fixture.hpp"
#include "server/runtime.hpp"

namespace tandem::cli {
namespace {

class SlaCliTest : public clitest::CliFixture {
 protected:
  // Users rep1 and rep2, the handoff contract, and two MQLs routed to rep1 and rep2 (by the
  // runtime's clock: the period asked for is the days around their qualification).
  void SetUp() override {
    CliFixture::SetUp();
    server::RuntimeSettings rs;
    rs.db = db_;
    auto rt = server::Runtime::Open(rs);
    ASSERT_TRUE(rt) << rt.error().message;
    auto& s = (*rt)->services();
    core::Principal root;
    ASSERT_NO_FATAL_FAILURE(clitest::SetUpHandoffTeam(s, root));
    for (const char* email : {"ana@client.example", "bo@client.example"}) {
      core::Contact c;
      c.email = email;
      auto made = s.contacts.Create(root, c);
      ASSERT_TRUE(made) << made.error().message;
      auto mql = s.contacts.ChangeStage(root, made->id, core::Stage::kMql, "");
      ASSERT_TRUE(mql) << mql.error().message;
      const core::Date day = std::chrono::floor<std::chrono::days>(mql->stage_entered_at);
      from_ = core::FormatDate(day - std::chrono::days(1));
      to_ = core::FormatDate(day + std::chrono::days(1));
    }
  }
  std::string from_, to_;
};

TEST_F(SlaCliTest, PrintsOneRowPerRepTheTotalAndMarketing) {
  auto r = Tandem({"sla", "compliance", "--db", db_, "--from", from_, "--to", to_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(Europe/Paris)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("first touch within 4 business hours"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rep1@acme.example"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rep2@acme.example"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ntotal "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Marketing: 2 MQLs against"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(10 a week)"), std::string::npos) << r.out;
}

TEST_F(SlaCliTest, JsonIsTheApiDocument) {
  auto r = Tandem(
      {"sla", "compliance", "--db", db_, "--from", from_, "--to", to_, "--by", "week", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("{", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\"by\":\"week\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"mqls\":2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"weeks\":[{"), std::string::npos) << r.out;
}

TEST_F(SlaCliTest, AnEmptyPeriodSaysSo) {
  auto r = Tandem({"sla", "compliance", "--db", db_, "--from", "2020-01-06", "--to", "2020-01-12"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(no leads assigned in this period)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Marketing: 0 MQLs; no quota in force."), std::string::npos) << r.out;
}

TEST_F(SlaCliTest, BadInputIsAClearError) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--from", "2026-13-01", "--to", "2026-11-29"}, "error: from: must be a calendar date"},
      {{"--from", "2026-11-23", "--to", "tomorrow"}, "error: to: must be a calendar date"},
      {{"--from", "2026-11-29", "--to", "2026-11-23"}, "error: to: must not be before from"},
      {{"--from", "2025-01-01", "--to", "2026-01-02"}, "error: to: the period may span at most"},
      {{"--from", "2026-11-23", "--to", "2026-11-29", "--by", "month"},
       "error: by: must be one of: rep, team, week"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"sla", "compliance", "--db", db_};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = Tandem(args);
    EXPECT_EQ(r.code, 1) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
  EXPECT_EQ(Tandem({"sla", "compliance", "--db", db_, "--to", "2026-11-29"}).code, 2);
}

}  // namespace
}  // namespace tandem::cli
