// Admin actions leave an entry in the audit log naming the admin (issue 8, security).
#include "api/api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

// Admin actions leave an entry in the audit log naming the admin: people and their roles,
// passwords and access, keys, teams and webhooks.
TEST_F(ApiTest, AdminActionsAreInTheAuditLog) {
  auto audited = [&](const std::string& entity, core::Id id, const std::string& action) {
    auto r =
        As(admin_, "GET", "/api/v1/audit?entity=" + entity + "&entity_id=" + std::to_string(id));
    EXPECT_EQ(r.status(), 200) << r;
    if (r.status() != 200) return false;
    for (const auto& e : r.items()) {
      if (S(e.at("action")) == action && e.at("actor").at("user_id").as_int64() == admin_id_) {
        return true;
      }
    }
    ADD_FAILURE() << entity << " " << id << " has no '" << action << "' by the admin: " << r;
    return false;
  };

  const auto user = MakeUser("new.rep@acme.example", "sales");
  ASSERT_GT(user, 0);
  EXPECT_TRUE(audited("user", user, "create"));
  const auto path = "/api/v1/users/" + std::to_string(user);
  ASSERT_EQ(As(admin_, "PATCH", path, R"({"role":"manager"})").status(), 200);
  auto changes = As(admin_, "GET", "/api/v1/audit?entity=user&entity_id=" + std::to_string(user));
  ASSERT_EQ(changes.status(), 200);
  EXPECT_NE(changes.raw.body.find(R"("field":"role")"), std::string::npos) << changes;
  ASSERT_EQ(
      As(admin_, "PUT", path + "/password", R"({"password":"another long password"})").status(),
      204);
  changes = As(admin_, "GET", "/api/v1/audit?entity=user&entity_id=" + std::to_string(user));
  EXPECT_NE(changes.raw.body.find(R"("field":"password")"), std::string::npos) << changes;
  EXPECT_EQ(changes.raw.body.find("another long password"), std::string::npos)
      << "the password itself is never in the log";
  ASSERT_EQ(As(admin_, "PATCH", path, R"({"active":false})").status(), 200);
  changes = As(admin_, "GET", "/api/v1/audit?entity=user&entity_id=" + std::to_string(user));
  EXPECT_NE(changes.raw.body.find(R"("field":"active")"), std::string::npos) << changes;

  auto key = As(admin_, "POST", "/api/v1/api-keys", R"({"name":"audited","scopes":["read"]})");
  ASSERT_EQ(key.status(), 201) << key;
  EXPECT_TRUE(audited("api_key", key.Int("id"), "key_create"));
  EXPECT_EQ(As(admin_, "GET", "/api/v1/audit?entity=api_key").raw.body.find(key.Str("secret")),
            std::string::npos)
      << "the key's secret is never in the log";
  ASSERT_EQ(As(admin_, "DELETE", "/api/v1/api-keys/" + std::to_string(key.Int("id"))).status(),
            204);
  EXPECT_TRUE(audited("api_key", key.Int("id"), "key_revoke"));

  const auto team = Create(admin_, "/api/v1/teams", {{"name", "Audited"}, {"function", "sales"}});
  ASSERT_GT(team, 0);
  EXPECT_TRUE(audited("team", team, "create"));
  ASSERT_EQ(As(admin_, "DELETE", "/api/v1/teams/" + std::to_string(team)).status(), 204);
  EXPECT_TRUE(audited("team", team, "delete"));

  auto hook = As(admin_, "POST", "/api/v1/webhooks",
                 R"({"url":"https://93.184.216.34/in","event_types":["contact.mql"]})");
  ASSERT_EQ(hook.status(), 201) << hook;
  EXPECT_TRUE(audited("webhook", hook.Int("id"), "create"));
  ASSERT_EQ(As(admin_, "DELETE", "/api/v1/webhooks/" + std::to_string(hook.Int("id"))).status(),
            204);
  EXPECT_TRUE(audited("webhook", hook.Int("id"), "delete"));
}

}  // namespace
}  // namespace tandem::api::apitest
