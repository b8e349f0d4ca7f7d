// /api/v1/users, /api/v1/teams and /api/v1/audit through Api::Handle.
#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

class DirectoryApiTest : public ApiTest {};

TEST_F(DirectoryApiTest, AdminsCreateUsersOthersCannot) {
  auto created = As(admin_, "POST", "/api/v1/users",
                    R"({"email":"New@acme.example","name":"Newton","role":"sales",
                        "password":"long enough pw"})");
  ASSERT_EQ(created.status(), 201) << created;
  EXPECT_EQ(created.Str("email"), "new@acme.example");
  EXPECT_EQ(created.Str("role"), "sales");
  EXPECT_TRUE(created.body.at("active").as_bool());
  EXPECT_FALSE(created.obj().contains("password"));
  EXPECT_EQ(created.raw.body.find("long enough pw"), std::string::npos);
  EXPECT_EQ(created.Header("Location"), "/api/v1/users/" + std::to_string(created.Int("id")));
  EXPECT_FALSE(Login("new@acme.example", "long enough pw").empty());

  for (const std::string* token : {&manager_, &marketer_, &rep1_}) {
    auto r = As(*token, "POST", "/api/v1/users",
                R"({"email":"x@acme.example","name":"X","role":"admin"})");
    EXPECT_EQ(r.status(), 403) << r;
    EXPECT_EQ(r.ErrorCode(), "permission_denied");
  }
  EXPECT_EQ(As(admin_, "POST", "/api/v1/users",
               R"({"email":"new@acme.example","name":"Again","role":"sales"})")
                .ErrorCode(),
            "already_exists");
  EXPECT_EQ(
      As(admin_, "POST", "/api/v1/users", R"({"email":"y@acme.example","name":"Y"})").ErrorField(),
      "role");
  EXPECT_EQ(As(admin_, "POST", "/api/v1/users",
               R"({"email":"y@acme.example","name":"Y","role":"emperor"})")
                .ErrorField(),
            "role");
  EXPECT_EQ(As(admin_, "POST", "/api/v1/users",
               R"({"email":"y@acme.example","name":"Y","role":"sales","password":"short"})")
                .ErrorField(),
            "password");
}

TEST_F(DirectoryApiTest, UsersListFiltersAndPages) {
  auto all = As(rep1_, "GET", "/api/v1/users");
  ASSERT_EQ(all.status(), 200) << all;
  EXPECT_EQ(all.items().size(), 5u);
  auto sales = As(rep1_, "GET", "/api/v1/users?role=sales");
  ASSERT_EQ(sales.items().size(), 2u);
  EXPECT_EQ(sales.items()[0].at("id").as_int64(), rep1_id_);
  auto page = As(rep1_, "GET", "/api/v1/users?limit=2");
  ASSERT_EQ(page.items().size(), 2u);
  auto next = As(rep1_, "GET", "/api/v1/users?limit=2&cursor=" + page.Str("next_cursor"));
  ASSERT_EQ(next.status(), 200) << next;
  EXPECT_EQ(next.items()[0].at("id").as_int64(), manager_id_ + 1);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/users?active=maybe").ErrorField(), "active");
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/users?active=false").items().size(), 0u);
}

TEST_F(DirectoryApiTest, DeactivatingAUserEndsTheirSessions) {
  const std::string path = "/api/v1/users/" + std::to_string(rep2_id_);
  EXPECT_EQ(As(rep1_, "PATCH", path, R"({"active":false})").status(), 403);
  auto r = As(admin_, "PATCH", path, R"({"active":false,"name":"Gone"})");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_FALSE(r.body.at("active").as_bool());
  EXPECT_EQ(As(rep2_, "GET", "/api/v1/me").status(), 401);
  EXPECT_EQ(As(admin_, "GET", "/api/v1/users?active=false").items().size(), 1u);
  auto self =
      As(admin_, "PATCH", "/api/v1/users/" + std::to_string(admin_id_), R"({"role":"sales"})");
  EXPECT_EQ(self.status(), 422) << self;
  EXPECT_EQ(As(admin_, "GET", "/api/v1/users/4242").status(), 404);
}

TEST_F(DirectoryApiTest, PasswordsAreSetByTheirOwnerOrAnAdmin) {
  const std::string mine = "/api/v1/users/" + std::to_string(rep1_id_) + "/password";
  EXPECT_EQ(As(rep1_, "PUT", mine, R"({"password":"a brand new one"})").status(), 204);
  EXPECT_FALSE(Login("rep1@acme.example", "a brand new one").empty());
  EXPECT_EQ(As(rep2_, "PUT", mine, R"({"password":"taken over!!"})").status(), 403);
  EXPECT_EQ(As(admin_, "PUT", mine, R"({"password":"reset by admin"})").status(), 204);
  EXPECT_EQ(As(rep1_, "PUT", mine, R"({"password":"tiny"})").ErrorField(), "password");
  EXPECT_EQ(As(rep1_, "PUT", mine, R"({})").ErrorField(), "password");
  EXPECT_EQ(As(rep1_, "POST", mine, R"({"password":"a brand new one"})").status(), 405);
}

TEST_F(DirectoryApiTest, TeamsCrud) {
  auto created = As(manager_, "POST", "/api/v1/teams",
                    R"({"name":"EMEA Sales","function":"sales","region":"EMEA","manager_id":)" +
                        std::to_string(manager_id_) + "}");
  ASSERT_EQ(created.status(), 201) << created;
  const std::string path = "/api/v1/teams/" + std::to_string(created.Int("id"));
  EXPECT_EQ(created.Int("manager_id"), manager_id_);
  EXPECT_EQ(As(rep1_, "POST", "/api/v1/teams", R"({"name":"Rogue"})").status(), 403);
  EXPECT_EQ(As(rep1_, "POST", "/api/v1/teams", R"({"name":"R","function":"ops"})").ErrorField(),
            "function");
  Create(admin_, "/api/v1/teams", {{"name", "Americas Marketing"}, {"function", "marketing"}});
  auto list = As(rep1_, "GET", "/api/v1/teams");
  ASSERT_EQ(list.status(), 200) << list;
  ASSERT_EQ(list.items().size(), 2u);
  EXPECT_EQ(S(list.items()[0].at("name")), "Americas Marketing");
  EXPECT_TRUE(list.body.at("next_cursor").is_null());
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/teams?limit=1").ErrorField(), "limit");

  auto patched = As(manager_, "PATCH", path, R"({"manager_id":null,"region":"EMEA North"})");
  ASSERT_EQ(patched.status(), 200) << patched;
  EXPECT_TRUE(patched.body.at("manager_id").is_null());
  // Users join a team by their team_id.
  auto joined = As(admin_, "PATCH", "/api/v1/users/" + std::to_string(rep1_id_),
                   R"({"team_id":)" + std::to_string(created.Int("id")) + "}");
  ASSERT_EQ(joined.status(), 200) << joined;
  EXPECT_EQ(
      As(rep1_, "GET", "/api/v1/users?team_id=" + std::to_string(created.Int("id"))).items().size(),
      1u);
  EXPECT_EQ(As(manager_, "DELETE", path).status(), 204);
  EXPECT_EQ(As(manager_, "GET", path).status(), 404);
}

TEST_F(DirectoryApiTest, AuditShowsWhoChangedWhatWithBeforeAndAfter) {
  const auto id = NewContact("audited@x.example", {{"title", "CTO"}});
  clock_.Advance(1min);
  ASSERT_EQ(As(manager_, "PATCH", "/api/v1/contacts/" + std::to_string(id), R"({"title":"CEO"})")
                .status(),
            200);
  ASSERT_EQ(As(manager_, "POST", "/api/v1/contacts/" + std::to_string(id) + "/stage",
               R"({"stage":"mql"})")
                .status(),
            200);

  auto r = As(admin_, "GET", "/api/v1/audit?entity=contact&entity_id=" + std::to_string(id));
  ASSERT_EQ(r.status(), 200) << r;
  ASSERT_EQ(r.items().size(), 3u);
  const auto& newest = r.items()[0];
  EXPECT_EQ(S(newest.at("action")), "transition");
  const auto& update = r.items()[1];
  EXPECT_EQ(S(update.at("action")), "update");
  EXPECT_EQ(S(update.at("at")), core::FormatInstant(kT0 + 1min));
  EXPECT_EQ(update.at("actor").at("user_id").as_int64(), manager_id_);
  EXPECT_EQ(S(update.at("entity")), "contact");
  EXPECT_EQ(update.at("entity_id").as_int64(), id);
  bool saw_title = false;
  for (const auto& change : update.at("changes").as_array()) {
    if (S(change.at("field")) == "title") {
      saw_title = true;
      EXPECT_EQ(S(change.at("before")), "CTO");
      EXPECT_EQ(S(change.at("after")), "CEO");
    }
  }
  EXPECT_TRUE(saw_title);
  EXPECT_EQ(S(r.items()[2].at("action")), "create");

  auto by_actor = As(manager_, "GET", "/api/v1/audit?actor_user_id=" + std::to_string(admin_id_));
  ASSERT_EQ(by_actor.status(), 200) << by_actor;
  for (const auto& e : by_actor.items())
    EXPECT_EQ(e.at("actor").at("user_id").as_int64(), admin_id_);
  auto page = As(admin_, "GET", "/api/v1/audit?limit=2");
  ASSERT_EQ(page.items().size(), 2u);
  auto next = As(admin_, "GET", "/api/v1/audit?limit=2&cursor=" + page.Str("next_cursor"));
  ASSERT_EQ(next.status(), 200) << next;
  EXPECT_LT(next.items()[0].at("id").as_int64(), page.items()[1].at("id").as_int64());

  EXPECT_EQ(As(rep1_, "GET", "/api/v1/audit").status(), 403);
  EXPECT_EQ(As(marketer_, "GET", "/api/v1/audit").status(), 403);
}

}  // namespace
}  // namespace tandem::api::apitest
