// `tandem lead accept | reject`, in-process, on a database prepared through the services.
#include <gtest/gtest.h>

#include "cli/handoff_cli_fixture.hpp"
#include "server/runtime.hpp"

namespace tandem::cli {
namespace {

class LeadCliTest : public clitest::CliFixture {
 protected:
  // Users rep1, rep2 and a manager, the handoff contract, and two MQLs routed to rep1 and rep2.
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
      ASSERT_TRUE(s.contacts.ChangeStage(root, made->id, core::Stage::kMql, ""));
      ids_.push_back(made->id);
    }
  }
  std::vector<core::Id> ids_;  // owned by rep1, then rep2
};

TEST_F(LeadCliTest, AcceptsAsTheOwner) {
  auto denied =
      Tandem({"lead", "accept", std::to_string(ids_[0]), "--db", db_, "--as", "rep2@acme.example"});
  EXPECT_EQ(denied.code, 1);
  EXPECT_NE(denied.err.find("only the lead's owner"), std::string::npos) << denied.err;
  auto ok =
      Tandem({"lead", "accept", std::to_string(ids_[0]), "--db", db_, "--as", "rep1@acme.example"});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("is now sal"), std::string::npos) << ok.out;
}

TEST_F(LeadCliTest, RejectNeedsAReasonOfTheContract) {
  const std::string id = std::to_string(ids_[1]);
  auto missing = Tandem({"lead", "reject", id, "--db", db_, "--as", "rep2@acme.example"});
  EXPECT_EQ(missing.code, 2);  // --reason is required
  auto unknown = Tandem(
      {"lead", "reject", id, "--db", db_, "--as", "rep2@acme.example", "--reason", "too_early"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("reason: unknown rejection reason 'too_early'"), std::string::npos)
      << unknown.err;
  auto ok = Tandem({"lead", "reject", id, "--db", db_, "--as", "rep2@acme.example", "--reason",
                    "bad_timing", "--note", "call again in Q2"});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("is now recycled, without an owner"), std::string::npos) << ok.out;
}

}  // namespace
}  // namespace tandem::cli
