// /api/v1/contract and /contract over the real services on in-memory SQLite.
#include <algorithm>

#include "api/api_fixture.hpp"
#include "app/minimal_contract.hpp"

namespace tandem::api::apitest {
namespace {

using testing_contract::MinimalContract;

class ContractApiTest : public ApiTest {
 protected:
  Reply Post(const std::string& token, const std::string& text, const std::string& query = "") {
    return Send("POST", "/api/v1/contract/versions" + query, text,
                {{"Authorization", "Bearer " + token}, {"Content-Type", "application/toml"}});
  }
};

TEST_F(ContractApiTest, AdminActivatesAndEveryoneReadsIt) {
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/contract").status(), 404);
  auto created = Post(admin_, MinimalContract());
  ASSERT_EQ(created.status(), 201) << created;
  EXPECT_EQ(created.Header("Location"),
            "/api/v1/contract/versions/" + std::to_string(created.Int("id")));
  EXPECT_EQ(created.Str("hash").size(), 64u);

  auto got = As(rep1_, "GET", "/api/v1/contract");
  ASSERT_EQ(got.status(), 200) << got;
  EXPECT_EQ(got.body.at("version").at("id").as_int64(), created.Int("id"));
  EXPECT_EQ(S(got.body.at("text")), MinimalContract());
  EXPECT_EQ(got.body.at("terms").at("sales").at("first_touch_hours").as_int64(), 4);
  EXPECT_EQ(S(got.body.at("terms").at("calendar").at("time_zone")), "Europe/Paris");
  EXPECT_EQ(S(got.body.at("terms").at("rejection_reasons").at(0).at("next")), "recycled");
  ASSERT_EQ(got.body.at("parties").as_array().size(), 2u);
  EXPECT_TRUE(got.body.at("parties").at(0).at("acknowledged_at").is_null());

  auto list = As(rep2_, "GET", "/api/v1/contract/versions");
  ASSERT_EQ(list.status(), 200);
  EXPECT_EQ(list.items().size(), 1u);
  EXPECT_EQ(
      As(rep2_, "GET", "/api/v1/contract/versions/" + std::to_string(created.Int("id"))).status(),
      200);
  EXPECT_EQ(As(rep2_, "GET", "/api/v1/contract/versions/999").status(), 404);
}

TEST_F(ContractApiTest, BadContractsAre422WithLineAndColumn) {
  auto r = Post(admin_, MinimalContract() + "\n[calendar.hourz]\n");
  ASSERT_EQ(r.status(), 422) << r;
  EXPECT_EQ(r.ErrorCode(), "failed_precondition");
  EXPECT_EQ(r.ErrorField(), "contract");
  const auto& issues = r.body.at("issues").as_array();
  ASSERT_EQ(issues.size(), 1u);
  const auto text = MinimalContract();
  EXPECT_EQ(issues[0].at("line").as_int64(), std::count(text.begin(), text.end(), '\n') + 2);
  EXPECT_EQ(issues[0].at("column").as_int64(), 11);
  EXPECT_NE(S(issues[0].at("message")).find("unknown key 'hourz'"), std::string::npos) << r;
  auto syntax = Post(admin_, "name = = 1");
  ASSERT_EQ(syntax.status(), 422);
  EXPECT_EQ(syntax.body.at("issues").at(0).at("line").as_int64(), 1);
}

TEST_F(ContractApiTest, OnlyAdminsActivateAndOnlyTomlIsTaken) {
  EXPECT_EQ(Post(manager_, MinimalContract()).status(), 403);
  EXPECT_EQ(Post(manager_, "junk").status(), 403);
  EXPECT_EQ(As(admin_, "POST", "/api/v1/contract/versions", "{\"text\":\"x\"}").status(), 415);
  EXPECT_EQ(Post(admin_, MinimalContract(), "?effective_at=2001-01-01T00:00:00Z").status(), 400);
  auto future = Post(admin_, MinimalContract(), "?effective_at=2999-01-01T00:00:00Z");
  ASSERT_EQ(future.status(), 201) << future;
  EXPECT_EQ(future.Str("effective_at"), "2999-01-01T00:00:00.000Z");
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/contract").status(), 404);  // not in force yet
}

TEST_F(ContractApiTest, HeadsAcknowledge) {
  ASSERT_EQ(Post(admin_, MinimalContract()).status(), 201);
  EXPECT_EQ(As(rep1_, "POST", "/api/v1/contract/acknowledge", "{}").status(), 403);
  auto ack = As(manager_, "POST", "/api/v1/contract/acknowledge", "{}");
  ASSERT_EQ(ack.status(), 200) << ack;
  EXPECT_EQ(ack.Str("team"), "Sales");
  EXPECT_EQ(As(manager_, "POST", "/api/v1/contract/acknowledge", "{}").status(), 409);
  EXPECT_EQ(As(marketer_, "POST", "/api/v1/contract/acknowledge", "{\"version_id\":77}").status(),
            404);
  EXPECT_EQ(As(marketer_, "POST", "/api/v1/contract/acknowledge", "{\"bogus\":1}").status(), 400);
  auto got = As(rep1_, "GET", "/api/v1/contract");
  EXPECT_EQ(got.body.at("acknowledgements").as_array().size(), 1u);
  EXPECT_EQ(S(got.body.at("parties").at(1).at("head")), "manager@acme.example");
  EXPECT_FALSE(got.body.at("parties").at(1).at("acknowledged_at").is_null());
}

TEST_F(ContractApiTest, DiffBetweenTwoVersionsGroupsTheChanges) {
  auto v1 = Post(admin_, MinimalContract(4));
  ASSERT_EQ(v1.status(), 201) << v1;
  std::string text = MinimalContract(8);
  text.replace(text.find("Europe/Paris"), 12, "Europe/Berlin");
  text += "\n[personas]\ntargeted = [\"cfo\"]\n";
  auto v2 = Post(admin_, text);
  ASSERT_EQ(v2.status(), 201) << v2;
  const std::string a = std::to_string(v1.Int("id")), b = std::to_string(v2.Int("id"));

  auto d = As(rep1_, "GET", "/api/v1/contract/diff?from=" + a + "&to=" + b);
  ASSERT_EQ(d.status(), 200) << d;
  EXPECT_EQ(d.body.at("from").at("id").as_int64(), v1.Int("id"));
  EXPECT_EQ(d.body.at("to").at("id").as_int64(), v2.Int("id"));
  EXPECT_FALSE(d.body.at("same").as_bool());
  const auto& changes = d.body.at("changes").as_array();
  ASSERT_EQ(changes.size(), 3u) << d;
  EXPECT_EQ(S(changes[0].at("section")), "personas");
  EXPECT_EQ(S(changes[0].at("path")), "personas.targeted");
  EXPECT_EQ(S(changes[0].at("before")), "none");
  EXPECT_EQ(S(changes[0].at("after")), "cfo");
  EXPECT_EQ(S(changes[1].at("section")), "sla_targets");
  EXPECT_EQ(S(changes[1].at("path")), "sales.first_touch_hours");
  EXPECT_EQ(S(changes[1].at("change")), "changed");
  EXPECT_EQ(S(changes[1].at("before")), "4");
  EXPECT_EQ(S(changes[1].at("after")), "8");
  EXPECT_EQ(S(changes[2].at("section")), "calendar");
  EXPECT_EQ(S(changes[2].at("after")), "\"Europe/Berlin\"");

  // Backwards, and a version with itself.
  auto back = As(rep1_, "GET", "/api/v1/contract/diff?from=" + b + "&to=" + a);
  ASSERT_EQ(back.status(), 200);
  EXPECT_EQ(S(back.body.at("changes").at(1).at("before")), "8");
  auto same = As(rep1_, "GET", "/api/v1/contract/diff?from=" + a + "&to=" + a);
  ASSERT_EQ(same.status(), 200);
  EXPECT_TRUE(same.body.at("same").as_bool());
  EXPECT_TRUE(same.body.at("changes").as_array().empty());
}

TEST_F(ContractApiTest, DiffValidatesItsVersions) {
  auto v1 = Post(admin_, MinimalContract());
  ASSERT_EQ(v1.status(), 201);
  const std::string a = std::to_string(v1.Int("id"));
  auto missing = As(rep1_, "GET", "/api/v1/contract/diff?from=" + a + "&to=999");
  EXPECT_EQ(missing.status(), 404) << missing;
  EXPECT_NE(S(missing.body.at("error").at("message")).find("999"), std::string::npos);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/contract/diff?from=999&to=" + a).status(), 404);
  auto no_to = As(rep1_, "GET", "/api/v1/contract/diff?from=" + a);
  EXPECT_EQ(no_to.status(), 400) << no_to;
  EXPECT_EQ(no_to.ErrorField(), "to");
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/contract/diff").status(), 400);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/contract/diff?from=x&to=" + a).status(), 400);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/contract/diff?from=-1&to=" + a).status(), 400);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/contract/diff?from=" + a + "&to=" + a + "&bogus=1").status(),
            400);
  EXPECT_EQ(Send("GET", "/api/v1/contract/diff?from=" + a + "&to=" + a).status(), 401);
}

TEST_F(ContractApiTest, TheHtmlDocumentIsEscaped) {
  EXPECT_EQ(As(rep1_, "GET", "/contract").status(), 404);
  std::string text = MinimalContract();
  text.replace(text.find("Acme SLA"), 8, "Acme <script>alert(1)</script> SLA");
  ASSERT_EQ(Post(admin_, text).status(), 201);
  auto page = As(rep1_, "GET", "/contract");
  ASSERT_EQ(page.status(), 200) << page;
  EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.Header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  const std::string& html = page.raw.body;
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("Acme &lt;script&gt;alert(1)&lt;/script&gt; SLA"), std::string::npos);
  EXPECT_NE(html.find("Bad &lt;timing&gt; &amp; co"), std::string::npos);
  EXPECT_NE(html.find("within 4 business hours"), std::string::npos);
  EXPECT_NE(html.find("Europe/Paris"), std::string::npos);
  EXPECT_EQ(Send("GET", "/contract").status(), 401);
}

}  // namespace
}  // namespace tandem::api::apitest
