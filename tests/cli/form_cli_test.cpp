// `tandem form add|list|show` and `tandem site add`.
#include "cli_fixture.hpp"

namespace tandem::cli::clitest {
namespace {

class FormCliTest : public CliFixture {};

TEST_F(FormCliTest, AddListAndShowAForm) {
  auto add =
      Tandem({"form", "add", "--db", db_, "--name", "Demo request", "--field", "email:email",
              "--field", "first:first_name:required", "--origin", "https://WWW.acme.example/",
              "--consent-text", "Acme may call me.", "--consent-required", "--utm-campaign",
              "spring", "--redirect", "https://www.acme.example/thanks"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.out.find("first -> first_name (required)"), std::string::npos) << add.out;
  EXPECT_NE(add.out.find("origins     https://www.acme.example"), std::string::npos) << add.out;
  const auto at = add.out.find("f_");
  ASSERT_NE(at, std::string::npos);
  const std::string public_id = add.out.substr(at, add.out.find(' ', at) - at);

  auto list = Tandem({"form", "list", "--db", db_});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find(public_id), std::string::npos);
  EXPECT_NE(list.out.find("Demo request"), std::string::npos);

  for (const std::string& ref : {public_id, std::string("1")}) {
    auto show = Tandem({"form", "show", "--db", db_, ref});
    ASSERT_EQ(show.code, 0) << show.err;
    EXPECT_NE(show.out.find("required: Acme may call me."), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("latest 0 submission(s)"), std::string::npos) << show.out;
  }
  auto missing = Tandem({"form", "show", "--db", db_, "f_nosuchformnosuchform"});
  EXPECT_EQ(missing.code, 1);
  // An id too large for 64 bits is a form that does not exist, not an exception.
  auto huge = Tandem({"form", "show", "--db", db_, "99999999999999999999999"});
  EXPECT_EQ(huge.code, 1);
  EXPECT_NE(huge.err.find("no form"), std::string::npos) << huge.err;
}

TEST_F(FormCliTest, BadFieldsAreRefusedNamingThem) {
  auto no_email =
      Tandem({"form", "add", "--db", db_, "--name", "x", "--field", "first:first_name"});
  EXPECT_EQ(no_email.code, 1);
  EXPECT_NE(no_email.err.find("fields"), std::string::npos) << no_email.err;
  auto bad_spec = Tandem({"form", "add", "--db", db_, "--name", "x", "--field", "email"});
  EXPECT_EQ(bad_spec.code, 1);
  EXPECT_NE(bad_spec.err.find("NAME:PROPERTY"), std::string::npos) << bad_spec.err;
  auto bad_origin = Tandem({"form", "add", "--db", db_, "--name", "x", "--field", "email:email",
                            "--origin", "acme.example"});
  EXPECT_EQ(bad_origin.code, 1);
  EXPECT_NE(bad_origin.err.find("allowed_origins[0]"), std::string::npos) << bad_origin.err;
}

TEST_F(FormCliTest, SiteAddPrintsTheDataKey) {
  auto site =
      Tandem({"site", "add", "--db", db_, "--name", "www", "--origin", "https://www.acme.example"});
  ASSERT_EQ(site.code, 0) << site.err;
  EXPECT_NE(site.out.find("data-key site_"), std::string::npos) << site.out;
  auto none = Tandem({"site", "add", "--db", db_, "--name", "www"});
  EXPECT_EQ(none.code, 2);  // --origin is required
}

}  // namespace
}  // namespace tandem::cli::clitest
