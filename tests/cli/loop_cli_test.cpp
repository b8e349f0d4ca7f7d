// `tandem feedback` and `tandem attribution`, in-process, on a database prepared through the
// services. The periods are wide (2000 to 2100): the runtime's clock is the system's.
#include <gtest/gtest.h>

#include "cli/handoff_cli_fixture.hpp"
#include "server/runtime.hpp"

namespace tandem::cli {
namespace {

class LoopCliTest : public clitest::CliFixture {
 protected:
  // Two reps, the handoff contract, and two MQLs of the webinar campaign routed to them.
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
      c.campaign = "webinar";
      auto made = s.contacts.Create(root, c);
      ASSERT_TRUE(made) << made.error().message;
      ASSERT_TRUE(s.contacts.ChangeStage(root, made->id, core::Stage::kMql, ""));
      ids_.push_back(made->id);
    }
  }
  std::vector<core::Id> ids_;
};

TEST_F(LoopCliTest, FeedbackSaysWhatSalesSentBack) {
  auto none = Tandem({"feedback", "--db", db_, "--from", "2000-01-01", "--to", "2100-01-01"});
  EXPECT_EQ(none.code, 0) << none.err;
  EXPECT_NE(none.out.find("no data"), std::string::npos) << none.out;
  for (core::Id id : ids_) {
    auto r = Tandem({"lead", "reject", std::to_string(id), "--db", db_, "--as",
                     "admin@acme.example", "--reason", "no_budget"});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  auto out = Tandem({"feedback", "--db", db_, "--from", "2000-01-01", "--to", "2100-01-01"});
  EXPECT_EQ(out.code, 0) << out.err;
  EXPECT_NE(out.out.find("webinar leads: 100% rejected, mostly 'No budget' (2 of 2); none "
                         "accepted."),
            std::string::npos)
      << out.out;
  EXPECT_NE(out.out.find("no_budget"), std::string::npos) << out.out;
}

TEST_F(LoopCliTest, BadInputNamesTheOption) {
  auto by = Tandem(
      {"feedback", "--db", db_, "--from", "2000-01-01", "--to", "2100-01-01", "--by", "owner"});
  EXPECT_EQ(by.code, 1);
  EXPECT_NE(by.err.find("by: unknown breakdown 'owner'"), std::string::npos) << by.err;
  auto order = Tandem({"feedback", "--db", db_, "--from", "2100-01-01", "--to", "2000-01-01"});
  EXPECT_EQ(order.code, 1);
  EXPECT_NE(order.err.find("to:"), std::string::npos) << order.err;
  auto model = Tandem(
      {"attribution", "--db", db_, "--from", "2000-01-01", "--to", "2100-01-01", "--model", "z"});
  EXPECT_EQ(model.code, 1);
  EXPECT_NE(model.err.find("model: unknown model 'z'"), std::string::npos) << model.err;
  auto date = Tandem({"attribution", "--db", db_, "--from", "2000-13-01", "--to", "2100-01-01"});
  EXPECT_EQ(date.code, 1);
  EXPECT_NE(date.err.find("from:"), std::string::npos) << date.err;
}

TEST_F(LoopCliTest, AttributionWithoutDealsSaysNoData) {
  auto out = Tandem({"attribution", "--db", db_, "--from", "2000-01-01", "--to", "2100-01-01",
                     "--model", "w", "--by", "source"});
  EXPECT_EQ(out.code, 0) << out.err;
  EXPECT_NE(out.out.find("no data: no deal in EUR won or opened"), std::string::npos) << out.out;
}

}  // namespace
}  // namespace tandem::cli
