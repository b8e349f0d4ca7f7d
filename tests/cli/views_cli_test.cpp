// `tandem views list|show|create|delete`: saved views of the leads list, as a user.
#include "cli_fixture.hpp"

namespace tandem::cli::clitest {
namespace {

class ViewsCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    for (const auto& [email, role] :
         {std::pair{"ada@example.com", "admin"}, std::pair{"bo@example.com", "sales"},
          std::pair{"cy@example.com", "marketing"}}) {
      auto add =
          Tandem({"user", "add", "--db", db_, "--email", email, "--name", email, "--role", role},
                 "correct horse battery\n");
      ASSERT_EQ(add.code, 0) << add.err;
    }
  }
  Output Views(std::vector<std::string> args, const std::string& as) {
    args.insert(args.begin(), "views");
    args.insert(args.end(), {"--db", db_, "--as", as});
    return Tandem(args);
  }
};

TEST_F(ViewsCliTest, CreateListShowAndDelete) {
  auto mine = Views({"create", "My MQLs", "--query", "stage=mql&owner=me&columns=name,stage"},
                    "bo@example.com");
  ASSERT_EQ(mine.code, 0) << mine.err;
  const std::string id = mine.out.substr(0, mine.out.find('\n'));
  EXPECT_NE(mine.err.find("saved view " + id + " \"My MQLs\""), std::string::npos) << mine.err;
  auto shared =
      Views({"create", "Unassigned", "--query", "?owner=none", "--shared"}, "bo@example.com");
  ASSERT_EQ(shared.code, 0) << shared.err;
  const std::string shared_id = shared.out.substr(0, shared.out.find('\n'));

  auto list = Views({"list"}, "bo@example.com");
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("My MQLs"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("stage=mql&owner=me&columns=name,stage"), std::string::npos);
  EXPECT_NE(list.out.find("Unassigned"), std::string::npos);
  // Somebody else sees the shared view only; the leading '?' was dropped.
  auto theirs = Views({"list"}, "cy@example.com");
  ASSERT_EQ(theirs.code, 0) << theirs.err;
  EXPECT_EQ(theirs.out.find("My MQLs"), std::string::npos) << theirs.out;
  EXPECT_NE(theirs.out.find("owner=none"), std::string::npos) << theirs.out;
  EXPECT_EQ(theirs.out.find("?owner"), std::string::npos);
  EXPECT_NE(theirs.out.find("bo@example.com"), std::string::npos);

  auto show = Views({"show", id}, "bo@example.com");
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("name:    My MQLs"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("shared:  no"), std::string::npos);
  // Another user's private view does not exist for them.
  auto hidden = Views({"show", id}, "cy@example.com");
  EXPECT_EQ(hidden.code, 1);
  EXPECT_NE(hidden.err.find("does not exist"), std::string::npos) << hidden.err;

  // Only the owner or an admin deletes.
  auto refused = Views({"delete", shared_id}, "cy@example.com");
  EXPECT_EQ(refused.code, 1) << refused.out;
  auto by_admin = Views({"delete", shared_id}, "ada@example.com");
  ASSERT_EQ(by_admin.code, 0) << by_admin.err;
  EXPECT_NE(by_admin.out.find("deleted saved view " + shared_id), std::string::npos);
  ASSERT_EQ(Views({"delete", id}, "bo@example.com").code, 0);
  auto empty = Views({"list"}, "bo@example.com");
  EXPECT_EQ(empty.code, 0);
  EXPECT_EQ(empty.out, "");
  EXPECT_NE(empty.err.find("no saved views"), std::string::npos);
  EXPECT_EQ(Views({"delete", id}, "bo@example.com").code, 1);
}

TEST_F(ViewsCliTest, BadViewsAreRefusedNamingTheProblem) {
  auto unknown_param = Views({"create", "x", "--query", "stage=mql&colour=red"}, "bo@example.com");
  EXPECT_EQ(unknown_param.code, 1);
  EXPECT_NE(unknown_param.err.find("query"), std::string::npos) << unknown_param.err;
  EXPECT_NE(unknown_param.err.find("colour"), std::string::npos) << unknown_param.err;
  auto bad_stage = Views({"create", "x", "--query", "stage=nope"}, "bo@example.com");
  EXPECT_EQ(bad_stage.code, 1);
  EXPECT_NE(bad_stage.err.find("stage"), std::string::npos) << bad_stage.err;
  auto bad_column = Views({"create", "x", "--query", "columns=name,shoe_size"}, "bo@example.com");
  EXPECT_EQ(bad_column.code, 1);
  EXPECT_NE(bad_column.err.find("shoe_size"), std::string::npos) << bad_column.err;
  auto twice = Views({"create", "x", "--query", "columns=name,name"}, "bo@example.com");
  EXPECT_EQ(twice.code, 1);
  EXPECT_NE(twice.err.find("twice"), std::string::npos) << twice.err;
  auto blank = Views({"create", "   "}, "bo@example.com");
  EXPECT_EQ(blank.code, 1);
  EXPECT_NE(blank.err.find("name"), std::string::npos) << blank.err;
  ASSERT_EQ(Views({"create", "Dup"}, "bo@example.com").code, 0);
  auto dup = Views({"create", "Dup"}, "bo@example.com");
  EXPECT_EQ(dup.code, 1);
  auto nobody = Views({"list"}, "zed@example.com");
  EXPECT_EQ(nobody.code, 1);
  EXPECT_NE(nobody.err.find("no active user zed@example.com"), std::string::npos) << nobody.err;
  EXPECT_EQ(Tandem({"views", "list", "--db", db_}).code, 2);  // --as is required
  EXPECT_EQ(Views({"show", "x"}, "bo@example.com").code, 2);  // not an id
  EXPECT_EQ(Tandem({"views"}).code, 2);
}

}  // namespace
}  // namespace tandem::cli::clitest
