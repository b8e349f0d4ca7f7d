// /api/v1/views: saved views of the leads list.
#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

class ViewsApiTest : public ApiTest {
 protected:
  Reply Save(const std::string& token, const std::string& name, const std::string& query,
             bool shared = false) {
    return As(token, "POST", "/api/v1/views",
              WriteJson(json::object{{"name", name}, {"query", query}, {"shared", shared}}));
  }
  std::vector<std::string> Names(const std::string& token) {
    auto r = As(token, "GET", "/api/v1/views");
    EXPECT_EQ(r.status(), 200) << r;
    std::vector<std::string> out;
    if (r.status() == 200) {
      for (const auto& v : r.items()) out.push_back(S(v.at("name")));
    }
    return out;
  }
};

TEST_F(ViewsApiTest, SavedViewRoundTripsAndItsQueryDrivesTheContactsList) {
  NewContact("mine@example.com", {{"owner_id", rep1_id_}, {"stage", "mql"}});
  NewContact("theirs@example.com", {{"owner_id", rep2_id_}, {"stage", "mql"}});
  NewContact("lead@example.com", {{"owner_id", rep1_id_}});
  auto r = Save(rep1_, "My MQLs", "stage=mql&owner=me&sort=email&columns=name,stage,owner", true);
  ASSERT_EQ(r.status(), 201) << r;
  EXPECT_EQ(r.Header("Location"), "/api/v1/views/" + std::to_string(r.Int("id")));
  EXPECT_EQ(r.Str("name"), "My MQLs");
  EXPECT_EQ(r.Int("owner_id"), rep1_id_);
  EXPECT_TRUE(r.obj().at("shared").as_bool());
  EXPECT_EQ(r.Str("created_at"), "2026-09-21T14:13:20.000Z");

  // The stored query, sent to the list as it is (without the columns), lists what it says;
  // owner=me is whoever asks.
  auto list = As(rep1_, "GET", "/api/v1/contacts?stage=mql&owner=me&sort=email");
  ASSERT_EQ(list.status(), 200) << list;
  ASSERT_EQ(list.items().size(), 1u);
  EXPECT_EQ(S(list.items()[0].at("email")), "mine@example.com");
  auto theirs = As(rep2_, "GET", "/api/v1/contacts?stage=mql&owner=me");
  ASSERT_EQ(theirs.items().size(), 1u);
  EXPECT_EQ(S(theirs.items()[0].at("email")), "theirs@example.com");
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/contacts?owner=me&owner_id=3").ErrorField(), "owner");
}

TEST_F(ViewsApiTest, PrivateViewsAreTheOwnersAndSharedOnesEverybodys) {
  ASSERT_EQ(Save(rep1_, "b private", "stage=lead").status(), 201);
  auto shared = Save(rep1_, "a shared", "stage=mql", true);
  ASSERT_EQ(shared.status(), 201);
  auto hidden = Save(rep2_, "c rep2 private", "");
  ASSERT_EQ(hidden.status(), 201) << hidden;
  EXPECT_EQ(Names(rep1_), (std::vector<std::string>{"a shared", "b private"}));
  EXPECT_EQ(Names(rep2_), (std::vector<std::string>{"a shared", "c rep2 private"}));
  EXPECT_EQ(Names(manager_), (std::vector<std::string>{"a shared"}));
  const std::string hidden_path = "/api/v1/views/" + std::to_string(hidden.Int("id"));
  EXPECT_EQ(As(rep1_, "GET", hidden_path).status(), 404);
  EXPECT_EQ(As(admin_, "DELETE", hidden_path).status(), 404);
  EXPECT_EQ(As(rep2_, "GET", hidden_path).status(), 200);
}

TEST_F(ViewsApiTest, OnlyTheOwnerChangesAViewAndTheOwnerOrAnAdminDeletesIt) {
  auto v = Save(rep1_, "Mine", "stage=mql", true);
  ASSERT_EQ(v.status(), 201);
  const std::string path = "/api/v1/views/" + std::to_string(v.Int("id"));
  auto denied = As(rep2_, "PATCH", path, R"({"name":"Hijacked"})");
  EXPECT_EQ(denied.status(), 403) << denied;
  EXPECT_EQ(As(rep2_, "DELETE", path).status(), 403);
  clock_.Advance(std::chrono::minutes(1));
  auto renamed =
      As(rep1_, "PATCH", path, R"({"name":"Renamed","shared":false,"query":"stage=sal"})");
  ASSERT_EQ(renamed.status(), 200) << renamed;
  EXPECT_EQ(renamed.Str("name"), "Renamed");
  EXPECT_EQ(renamed.Str("query"), "stage=sal");
  EXPECT_FALSE(renamed.obj().at("shared").as_bool());
  EXPECT_NE(renamed.Str("updated_at"), renamed.Str("created_at"));
  EXPECT_EQ(Names(rep2_), std::vector<std::string>{});

  auto again = Save(rep1_, "Again", "stage=lead", true);
  ASSERT_EQ(again.status(), 201);
  EXPECT_EQ(As(admin_, "DELETE", "/api/v1/views/" + std::to_string(again.Int("id"))).status(), 204);
  EXPECT_EQ(As(rep1_, "DELETE", path).status(), 204);
  EXPECT_EQ(As(rep1_, "DELETE", path).status(), 404);
  EXPECT_EQ(Names(rep1_), std::vector<std::string>{});
}

TEST_F(ViewsApiTest, BadViewsAreRefusedNamingTheField) {
  struct Case {
    std::string body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {R"({"query":"stage=mql"})", 400, "name"},
      {R"({"name":"x"})", 400, "query"},
      {R"({"name":"   ","query":""})", 400, "name"},
      {R"({"name":")" + std::string(101, 'n') + R"(","query":""})", 400, "name"},
      {R"({"name":"x","query":"stage=nonsense"})", 400, "query"},
      {R"({"name":"x","query":"colour=red"})", 400, "query"},
      {R"({"name":"x","query":"limit=10"})", 400, "query"},
      {R"({"name":"x","query":"cursor=abc"})", 400, "query"},
      {R"({"name":"x","query":"owner=none&owner_id=2"})", 400, "query"},
      {R"({"name":"x","query":"reached=mql"})", 400, "query"},
      {R"({"name":"x","query":"sort=-colour"})", 400, "query"},
      {R"({"name":"x","query":"columns=name,shoe_size"})", 400, "query"},
      {R"({"name":"x","query":"columns=name,name"})", 400, "query"},
      {R"({"name":"x","query":"?stage=mql"})", 400, "query"},
      {R"({"name":"x","query":")" + std::string(2001, 'q') + R"("})", 400, "query"},
      {R"({"name":"x","query":"","owner_id":3})", 400, "owner_id"},
      {R"({"name":"x","query":"","shared":"yes"})", 400, "shared"},
  };
  for (const auto& c : cases) {
    auto r = As(rep1_, "POST", "/api/v1/views", c.body);
    EXPECT_EQ(r.status(), c.status) << c.body << " -> " << r;
    if (r.status() >= 400) EXPECT_EQ(r.ErrorField(), c.field) << c.body << " -> " << r;
  }
  ASSERT_EQ(Save(rep1_, "Twice", "").status(), 201);
  auto twice = Save(rep1_, "Twice", "stage=lead");
  EXPECT_EQ(twice.status(), 409) << twice;
  EXPECT_EQ(twice.ErrorField(), "name");
  EXPECT_EQ(Save(rep2_, "Twice", "").status(), 201);
  auto v = Save(rep1_, "Other", "");
  auto patched = As(rep1_, "PATCH", "/api/v1/views/" + std::to_string(v.Int("id")),
                    R"({"query":"stage=bogus"})");
  EXPECT_EQ(patched.status(), 400);
  EXPECT_EQ(patched.ErrorField(), "query");
  EXPECT_EQ(Send("GET", "/api/v1/views").status(), 401);
}

TEST_F(ViewsApiTest, ApiKeysNeedTheirScopes) {
  auto key = As(admin_, "POST", "/api/v1/api-keys", R"({"name":"ro","scopes":["read"]})");
  ASSERT_EQ(key.status(), 201) << key;
  const std::string secret = key.Str("secret");
  EXPECT_EQ(As(secret, "GET", "/api/v1/views").status(), 200);
  EXPECT_EQ(Save(secret, "x", "").status(), 403);
}

}  // namespace
}  // namespace tandem::api::apitest
