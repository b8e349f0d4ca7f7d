// Webhook subscriptions (admins, target checks, audit), the dispatcher's fan-out (once per
// message, across restarts) and in-app notifications, over in-memory SQLite with a FakeClock.
#include "app/notifications.hpp"

#include "app/outbox.hpp"
#include "app/webhooks.hpp"
#include "app_fixture.hpp"

namespace tandem::app::apptest {
namespace {

using core::ErrorCode;

class NotificationsTest : public AppTest {
 protected:
  void Announce(std::string_view type, std::optional<core::Id> user,
                std::optional<core::Id> contact = std::nullopt) {
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_TRY(app::Announce(tx, type, contact, user, "{\"n\":1}", clock_.Now()));
      return {};
    }));
  }
  std::vector<core::Delivery> Deliveries(core::Id sub) {
    auto page = svc().webhooks.Deliveries(admin(), sub, 0, 500);
    EXPECT_TRUE(page) << page.error().message;
    return page ? page->items : std::vector<core::Delivery>{};
  }
};

TEST_F(NotificationsTest, OnlyAdminsManageWebhooks) {
  svc().webhooks.SetSettings({.allow_private_targets = true});
  EXPECT_TRUE(
      FailsWith(svc().webhooks.Create(manager(), "http://127.0.0.1:9/h", {"contact.mql"}, ""),
                ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().webhooks.List(rep1()), ErrorCode::kPermissionDenied));
}

TEST_F(NotificationsTest, BadEventTypesAndUrlsAreRefusedNamingTheField) {
  svc().webhooks.SetSettings({.allow_private_targets = true});
  EXPECT_TRUE(FailsWith(svc().webhooks.Create(admin(), "http://127.0.0.1:9/h", {}, ""),
                        ErrorCode::kInvalidArgument, "event_types"));
  EXPECT_TRUE(FailsWith(
      svc().webhooks.Create(admin(), "http://127.0.0.1:9/h", {"contact.mql", "lead.lost"}, ""),
      ErrorCode::kInvalidArgument, "event_types"));
  EXPECT_TRUE(FailsWith(svc().webhooks.Create(admin(), "ftp://127.0.0.1/h", {"contact.mql"}, ""),
                        ErrorCode::kInvalidArgument, "url"));
}

TEST_F(NotificationsTest, PrivateLoopbackAndLinkLocalTargetsAreRefusedUnlessAllowed) {
  for (const char* url : {"http://127.0.0.1:8080/h", "http://10.0.0.7/h", "http://192.168.1.2/h",
                          "http://169.254.169.254/latest", "http://[::1]:9000/h",
                          "http://localhost:8080/h", "http://[fe80::1]/h"}) {
    auto r = svc().webhooks.Create(admin(), url, {"contact.mql"}, "");
    EXPECT_TRUE(FailsWith(r, ErrorCode::kInvalidArgument, "url")) << url;
  }
  svc().webhooks.SetSettings({.allow_private_targets = true});
  auto ok = svc().webhooks.Create(admin(), "http://127.0.0.1:8080/h", {"contact.mql"}, "");
  EXPECT_TRUE(ok) << ok.error().message;
}

TEST_F(NotificationsTest, SecretIsShownOnceAndChangesAreAudited) {
  svc().webhooks.SetSettings({.allow_private_targets = true});
  auto s = svc().webhooks.Create(admin(), "http://127.0.0.1:9/h",
                                 {"lead.assigned", "contact.mql", "contact.mql"}, "CRM");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(s->secret.starts_with("whsec_"));
  EXPECT_GE(s->secret.size(), 40u);
  EXPECT_EQ(s->event_types, (std::vector<std::string>{"contact.mql", "lead.assigned"}));
  auto list = svc().webhooks.List(admin());
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].secret.empty());
  auto one = svc().webhooks.Get(admin(), s->id);
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->secret.empty());
  auto audit = AuditOf("webhook", s->id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kCreate);
  for (const auto& c : audit[0].changes) EXPECT_EQ(c.after.find("whsec_"), std::string::npos);

  ASSERT_TRUE(svc().webhooks.Remove(admin(), s->id));
  EXPECT_TRUE(FailsWith(svc().webhooks.Get(admin(), s->id), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(svc().webhooks.Remove(admin(), s->id), ErrorCode::kNotFound));
  EXPECT_EQ(AuditOf("webhook", s->id).size(), 2u);
}

TEST_F(NotificationsTest, DispatcherFansOutOncePerMessageAndKeepsItsPlace) {
  svc().webhooks.SetSettings({.allow_private_targets = true});
  auto mql = svc().webhooks.Create(admin(), "http://127.0.0.1:9/a", {"contact.mql"}, "");
  auto both =
      svc().webhooks.Create(admin(), "http://127.0.0.1:9/b", {"contact.mql", "lead.assigned"}, "");
  ASSERT_TRUE(mql && both);
  Announce(core::kEventContactMql, std::nullopt);
  Announce(core::kEventLeadAssigned, rep1_.id);
  Announce(core::kEventSlaBreached, std::nullopt);
  auto n = svc().dispatcher.DispatchPending();
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 3);
  EXPECT_EQ(Deliveries(mql->id).size(), 1u);
  auto b = Deliveries(both->id);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].event_type, "lead.assigned");  // newest first
  EXPECT_EQ(b[1].event_type, "contact.mql");
  EXPECT_NE(b[0].uid, b[1].uid);
  EXPECT_EQ(b[1].body.substr(0, 35), "{\"id\":\"evt_1\",\"type\":\"contact.mql\",");

  // A restart: a new dispatcher over the same store hands out nothing again.
  NotificationDispatcher again(*store_, clock_);
  auto m = again.DispatchPending();
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, 0);
  EXPECT_EQ(Deliveries(both->id).size(), 2u);
  Announce(core::kEventContactMql, std::nullopt);
  ASSERT_EQ(*again.DispatchPending(), 1);
  EXPECT_EQ(Deliveries(mql->id).size(), 2u);
}

TEST_F(NotificationsTest, AddressedUserGetsAnInAppNotificationUnreadFirstWithPaging) {
  auto contact = NewContact("ana@acme.example", core::Stage::kLead, rep1_.id);
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(1s);
    Announce(core::kEventLeadAssigned, rep1_.id, contact.id);
  }
  Announce(core::kEventSlaBreached, rep2_.id);
  ASSERT_EQ(*svc().dispatcher.DispatchPending(), 6);

  auto first = svc().notifications.List(rep1(), std::nullopt, 50);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 5u);
  EXPECT_EQ(first->unread, 5);
  EXPECT_EQ(first->items[0].title, "Lead assigned to you: First Last <ana@acme.example>");
  EXPECT_EQ(first->items[0].contact_id, std::optional<core::Id>(contact.id));
  // Read the second newest: it goes after the unread ones.
  const core::Id read_id = first->items[1].id;
  auto read = svc().notifications.MarkRead(rep1(), read_id);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->read_at);
  // Another user's notification is not found.
  EXPECT_TRUE(FailsWith(svc().notifications.MarkRead(rep2(), read_id), ErrorCode::kNotFound));

  std::vector<core::Id> seen;
  std::optional<store::NotificationRepo::Position> after;
  for (int page = 0; page < 5; ++page) {
    auto p = svc().notifications.List(rep1(), after, 2);
    ASSERT_TRUE(p);
    for (const auto& n : p->items) seen.push_back(n.id);
    if (!p->next) break;
    after = p->next;
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen.back(), read_id);
  EXPECT_EQ(seen[0], first->items[0].id);
  EXPECT_TRUE(FailsWith(svc().notifications.List(rep1(), std::nullopt, 0),
                        ErrorCode::kInvalidArgument, "limit"));

  auto all = svc().notifications.MarkAllRead(rep1());
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, 4);
  EXPECT_EQ(svc().notifications.List(rep1(), std::nullopt, 50)->unread, 0);
  EXPECT_EQ(svc().notifications.List(rep2(), std::nullopt, 50)->unread, 1);
}

}  // namespace
}  // namespace tandem::app::apptest
