// /api/v1/webhooks and /api/v1/notifications through Api::Handle.
#include "api_fixture.hpp"
#include "app/outbox.hpp"

namespace tandem::api::apitest {
namespace {

class NotificationsApiTest : public ApiTest {
 protected:
  void Announce(std::string_view type, core::Id user) {
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_TRY(app::Announce(tx, type, std::nullopt, user, "{\"k\":\"v\"}", clock_.Now()));
      return {};
    }));
  }
};

TEST_F(NotificationsApiTest, WebhookCrudShowsTheSecretOnceAndRefusesPrivateTargets) {
  auto refused = As(admin_, "POST", "/api/v1/webhooks",
                    WriteJson(json::object{{"url", "http://127.0.0.1:9/h"},
                                           {"event_types", json::array{"contact.mql"}}}));
  EXPECT_EQ(refused.status(), 400) << refused;
  EXPECT_EQ(refused.body.at("error").at("field").as_string(), "url");
  auto unknown = As(admin_, "POST", "/api/v1/webhooks",
                    WriteJson(json::object{{"url", "http://127.0.0.1:9/h"},
                                           {"event_types", json::array{"contact.won"}}}));
  EXPECT_EQ(unknown.status(), 400) << unknown;
  auto forbidden = As(manager_, "POST", "/api/v1/webhooks",
                      WriteJson(json::object{{"url", "http://127.0.0.1:9/h"},
                                             {"event_types", json::array{"contact.mql"}}}));
  EXPECT_EQ(forbidden.status(), 403) << forbidden;

  services_->webhooks.SetSettings({.allow_private_targets = true});
  auto created = As(admin_, "POST", "/api/v1/webhooks",
                    WriteJson(json::object{{"url", "http://127.0.0.1:9/h"},
                                           {"event_types", json::array{"contact.mql"}},
                                           {"description", "CRM"}}));
  ASSERT_EQ(created.status(), 201) << created;
  EXPECT_TRUE(created.Str("secret").starts_with("whsec_"));
  const auto id = created.Int("id");
  auto one = As(admin_, "GET", "/api/v1/webhooks/" + std::to_string(id));
  ASSERT_EQ(one.status(), 200) << one;
  EXPECT_FALSE(one.body.as_object().contains("secret"));
  EXPECT_EQ(one.Str("description"), "CRM");
  auto list = As(admin_, "GET", "/api/v1/webhooks");
  ASSERT_EQ(list.status(), 200);
  EXPECT_EQ(list.body.at("items").as_array().size(), 1u);

  // A message fans out into a delivery visible on the webhook.
  Announce(core::kEventContactMql, rep1_id_);
  ASSERT_TRUE(services_->dispatcher.DispatchPending());
  auto deliveries = As(admin_, "GET", "/api/v1/webhooks/" + std::to_string(id) + "/deliveries");
  ASSERT_EQ(deliveries.status(), 200) << deliveries;
  auto items = deliveries.body.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("status").as_string(), "pending");
  EXPECT_EQ(items[0].at("attempts").as_int64(), 0);
  const auto delivery = items[0].at("id").as_int64();
  auto retry = As(admin_, "POST",
                  "/api/v1/webhooks/" + std::to_string(id) + "/deliveries/" +
                      std::to_string(delivery) + "/retry");
  EXPECT_EQ(retry.status(), 200) << retry;
  auto wrong =
      As(admin_, "POST", "/api/v1/webhooks/" + std::to_string(id) + "/deliveries/999/retry");
  EXPECT_EQ(wrong.status(), 404) << wrong;

  auto removed = As(admin_, "DELETE", "/api/v1/webhooks/" + std::to_string(id));
  EXPECT_EQ(removed.status(), 204) << removed;
  EXPECT_EQ(As(admin_, "GET", "/api/v1/webhooks/" + std::to_string(id)).status(), 404);
}

TEST_F(NotificationsApiTest, NotificationsAreMineUnreadFirstPagedAndMarkedRead) {
  for (int i = 0; i < 3; ++i) Announce(core::kEventLeadAssigned, rep1_id_);
  Announce(core::kEventSlaBreached, rep2_id_);
  ASSERT_TRUE(services_->dispatcher.DispatchPending());

  auto page = As(rep1_, "GET", "/api/v1/notifications?limit=2");
  ASSERT_EQ(page.status(), 200) << page;
  EXPECT_EQ(page.Int("unread"), 3);
  auto items = page.body.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("title").as_string(), "Lead assigned to you");
  EXPECT_EQ(items[0].at("data").at("k").as_string(), "v");
  EXPECT_EQ(items[0].at("read").as_bool(), false);
  ASSERT_TRUE(page.body.at("next_cursor").is_string());
  auto next = As(rep1_, "GET",
                 "/api/v1/notifications?limit=2&cursor=" +
                     std::string(page.body.at("next_cursor").as_string()));
  ASSERT_EQ(next.status(), 200) << next;
  EXPECT_EQ(next.body.at("items").as_array().size(), 1u);
  EXPECT_TRUE(next.body.at("next_cursor").is_null());

  const auto first = items[0].at("id").as_int64();
  EXPECT_EQ(As(rep2_, "POST", "/api/v1/notifications/" + std::to_string(first) + "/read").status(),
            404);
  auto read = As(rep1_, "POST", "/api/v1/notifications/" + std::to_string(first) + "/read");
  ASSERT_EQ(read.status(), 200) << read;
  EXPECT_EQ(read.body.at("read").as_bool(), true);
  auto all = As(rep1_, "POST", "/api/v1/notifications/read-all");
  ASSERT_EQ(all.status(), 200) << all;
  EXPECT_EQ(all.Int("marked"), 2);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/notifications").Int("unread"), 0);
  EXPECT_EQ(As(rep2_, "GET", "/api/v1/notifications").Int("unread"), 1);
  EXPECT_EQ(As(rep1_, "GET", "/api/v1/notifications?limit=0").status(), 400);
}

}  // namespace
}  // namespace tandem::api::apitest
