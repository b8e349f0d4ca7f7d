// /api/v1/webhooks (subscriptions, deliveries, re-drive; admins only, the service checks) and
// /api/v1/notifications (the caller's in-app notifications). docs/notifications.md.
#include <boost/json/array.hpp>

#include "api/handlers.hpp"
#include "app/notifications.hpp"
#include "app/webhooks.hpp"

namespace tandem::api {

namespace json = boost::json;

namespace {

constexpr const char* kWebhooks = "/api/v1/webhooks";
constexpr const char* kNotifications = "/api/v1/notifications";

std::vector<std::string> EventTypeNames() {
  std::vector<std::string> out;
  for (auto t : core::EventTypes()) out.emplace_back(t);
  return out;
}

json::value OptInstant(const std::optional<core::Instant>& t) {
  return t ? json::value(core::FormatInstant(*t)) : json::value(nullptr);
}

json::value OptId(const std::optional<core::Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}

json::object WebhookJson(const core::WebhookSubscription& s) {
  json::object o;
  o["id"] = s.id;
  o["url"] = s.url;
  json::array types;
  for (const auto& t : s.event_types) types.emplace_back(t);
  o["event_types"] = std::move(types);
  o["description"] = s.description;
  o["active"] = s.active;
  o["created_at"] = core::FormatInstant(s.created_at);
  o["created_by"] = OptId(s.created_by);
  return o;
}

json::object DeliveryJson(const core::Delivery& d) {
  json::object o;
  o["id"] = d.id;
  o["delivery_id"] = d.uid;
  o["webhook_id"] = OptId(d.subscription_id);
  o["outbox_id"] = d.outbox_id;
  o["event_type"] = d.event_type;
  o["status"] = core::ToString(d.status);
  o["attempts"] = d.attempts;
  o["next_attempt_at"] = d.status == core::DeliveryStatus::kPending
                             ? json::value(core::FormatInstant(d.next_attempt_at))
                             : json::value(nullptr);
  o["last_attempt_at"] = OptInstant(d.last_attempt_at);
  o["last_status"] = d.last_status ? json::value(*d.last_status) : json::value(nullptr);
  o["last_error"] = d.last_error;
  o["created_at"] = core::FormatInstant(d.created_at);
  o["delivered_at"] = OptInstant(d.delivered_at);
  return o;
}

json::object NotificationJson(const core::Notification& n) {
  json::object o;
  o["id"] = n.id;
  o["event_type"] = n.event_type;
  o["title"] = n.title;
  auto data = ParseJson(n.payload);
  o["data"] = data ? std::move(*data) : json::value(json::object());
  o["contact_id"] = OptId(n.contact_id);
  o["created_at"] = core::FormatInstant(n.created_at);
  o["read"] = n.read_at.has_value();
  o["read_at"] = OptInstant(n.read_at);
  return o;
}

Response ListReply(json::array items, const std::optional<std::string>& next,
                   std::optional<std::int64_t> unread = std::nullopt) {
  json::object o;
  o["items"] = std::move(items);
  o["next_cursor"] = next ? json::value(*next) : json::value(nullptr);
  if (unread) o["unread"] = *unread;
  return JsonReply(200, o);
}

void AddNotificationSchemas(RouteTable& t) {
  t.AddSchema({"Webhook",
               "A webhook subscription. Its secret is shown once, when it is created.",
               {IdField("id", "").Required(), TextField("url", "").Required(),
                EnumListField("event_types", EventTypeNames(), "").Required(),
                TextField("description", "").Required(), BoolField("active", "").Required(),
                InstantField("created_at", "").Required(),
                IdField("created_by", "").Nullable().Required()}});
  t.AddSchema(
      {"NewWebhook",
       "A webhook subscription just created, with the secret that signs its deliveries "
       "(Tandem-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">).",
       {IdField("id", "").Required(), TextField("url", "").Required(),
        EnumListField("event_types", EventTypeNames(), "").Required(),
        TextField("description", "").Required(), BoolField("active", "").Required(),
        InstantField("created_at", "").Required(), IdField("created_by", "").Nullable().Required(),
        TextField("secret", "Shown this once only.").Required()}});
  t.AddSchema(
      {"WebhookDelivery",
       "One message to one webhook, with its attempts. delivery_id is the "
       "Tandem-Delivery header: delivery is at least once, receivers drop repeats.",
       {IdField("id", "").Required(), TextField("delivery_id", "").Required(),
        IdField("webhook_id", "").Nullable().Required(), IdField("outbox_id", "").Required(),
        EnumField("event_type", EventTypeNames(), "").Required(),
        EnumField("status", {"pending", "delivered", "dead"}, "").Required(),
        IntField("attempts", 0, 0, "").Required(),
        InstantField("next_attempt_at", "While pending.").Nullable().Required(),
        InstantField("last_attempt_at", "").Nullable().Required(),
        IntField("last_status", 0, 0, "The receiver's HTTP status.").Nullable().Required(),
        TextField("last_error", "").Required(), InstantField("created_at", "").Required(),
        InstantField("delivered_at", "").Nullable().Required()}});
  Schema data{"NotificationData", "The event's payload (docs/notifications.md).", {}};
  data.open = true;
  t.AddSchema(std::move(data));
  t.AddSchema(
      {"Notification",
       "An in-app notification of the caller.",
       {IdField("id", "").Required(), EnumField("event_type", EventTypeNames(), "").Required(),
        TextField("title", "").Required(), ObjectField("data", "NotificationData", "").Required(),
        IdField("contact_id", "").Nullable().Required(), InstantField("created_at", "").Required(),
        BoolField("read", "").Required(), InstantField("read_at", "").Nullable().Required()}});
  t.AddSchema({"NotificationsRead",
               "How many notifications were unread and are now read.",
               {IntField("marked", 0, 0, "").Required()}});
}

}  // namespace

void AddNotificationRoutes(RouteTable& t, const Deps& d) {
  AddNotificationSchemas(t);
  app::WebhookService& hooks = d.services.webhooks;
  app::NotificationService& inbox = d.services.notifications;
  const std::string one = std::string(kWebhooks) + "/{id}";
  const std::string deliveries = one + "/deliveries";

  t.Add({.method = "POST",
         .pattern = kWebhooks,
         .operation_id = "createWebhook",
         .summary = "Subscribe a URL to event types (admins only)",
         .tag = "webhooks",
         .body = Schema{"WebhookCreate",
                        "The URL must be http(s) and resolve only to public addresses, unless the "
                        "server allows private ones (tandem serve --allow-private-webhooks).",
                        {TextField("url", "Where to POST.").Required(),
                         EnumListField("event_types", EventTypeNames(), "At least one.").Required(),
                         TextField("description", "What it is for.")}},
         .reply = {.status = 201, .schema = "NewWebhook", .doc = "With its secret, shown once."},
         .fn = [&hooks](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto s, hooks.Create(c.principal(), c.body.Text("url"),
                                              c.body.Strings("event_types"),
                                              c.body.OptText("description").value_or("")));
           auto body = WebhookJson(s);
           body["secret"] = s.secret;
           return CreatedReply(std::string(kWebhooks) + "/" + std::to_string(s.id), body);
         }});
  t.Add({.method = "GET",
         .pattern = kWebhooks,
         .operation_id = "listWebhooks",
         .summary = "Webhook subscriptions (admins only; never paged, never their secrets)",
         .tag = "webhooks",
         .reply = {.schema = "Webhook", .list = true},
         .fn = [&hooks](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto list, hooks.List(c.principal()));
           json::array items;
           for (const auto& s : list) items.emplace_back(WebhookJson(s));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getWebhook",
         .summary = "A webhook subscription (admins only)",
         .tag = "webhooks",
         .reply = {.schema = "Webhook"},
         .fn = [&hooks](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto s, hooks.Get(c.principal(), c.id()));
           return JsonReply(200, WebhookJson(s));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "deleteWebhook",
         .summary = "Remove a webhook subscription (admins only); its deliveries stay readable",
         .tag = "webhooks",
         .reply = {.status = 204},
         .fn = [&hooks](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(hooks.Remove(c.principal(), c.id()));
           return Response::NoContent();
         }});
  t.Add({.method = "GET",
         .pattern = deliveries,
         .operation_id = "listWebhookDeliveries",
         .summary = "A webhook's deliveries, newest first, with dead letters (admins only)",
         .tag = "webhooks",
         .query = PageParams(),
         .reply = {.schema = "WebhookDelivery", .list = true},
         .fn = [&hooks](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto page, PageFrom(c.query, "webhook_deliveries"));
           core::Id before = page.after ? page.after->id : 0;
           TANDEM_ASSIGN(auto result, hooks.Deliveries(c.principal(), c.id(), before, page.limit));
           json::array items;
           for (const auto& del : result.items) items.emplace_back(DeliveryJson(del));
           std::optional<std::string> next;
           if (result.next_before) {
             next = EncodeCursor("webhook_deliveries", core::Cursor{"", *result.next_before});
           }
           return ListReply(std::move(items), next);
         }});
  t.Add({.method = "POST",
         .pattern = deliveries + "/{delivery_id}/retry",
         .operation_id = "retryWebhookDelivery",
         .summary = "Send a pending or dead delivery again now, with a fresh budget of attempts",
         .tag = "webhooks",
         .reply = {.schema = "WebhookDelivery"},
         .fn = [&hooks](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto del, hooks.Retry(c.principal(), c.ids.at(0), c.ids.at(1)));
           return JsonReply(200, DeliveryJson(del));
         }});

  t.Add({.method = "GET",
         .pattern = kNotifications,
         .operation_id = "listNotifications",
         .summary = "The caller's notifications: unread first, then newest first",
         .tag = "notifications",
         .query = PageParams(),
         .reply = {.schema = "Notification",
                   .list = true,
                   .doc = "Also `unread`: how many of the caller's notifications are unread."},
         .fn = [&inbox](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto page, PageFrom(c.query, "notifications"));
           std::optional<store::NotificationRepo::Position> after;
           if (page.after)
             after = store::NotificationRepo::Position{page.after->key == "1", page.after->id};
           TANDEM_ASSIGN(auto result, inbox.List(c.principal(), after, page.limit));
           json::array items;
           for (const auto& n : result.items) items.emplace_back(NotificationJson(n));
           std::optional<std::string> next;
           if (result.next) {
             next = EncodeCursor("notifications",
                                 core::Cursor{result.next->read ? "1" : "0", result.next->id});
           }
           return ListReply(std::move(items), next, result.unread);
         }});
  t.Add({.method = "POST",
         .pattern = std::string(kNotifications) + "/{id}/read",
         .operation_id = "readNotification",
         .summary = "Mark one of the caller's notifications read",
         .tag = "notifications",
         .reply = {.schema = "Notification"},
         .fn = [&inbox](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto n, inbox.MarkRead(c.principal(), c.id()));
           return JsonReply(200, NotificationJson(n));
         }});
  t.Add({.method = "POST",
         .pattern = std::string(kNotifications) + "/read-all",
         .operation_id = "readAllNotifications",
         .summary = "Mark every notification of the caller read",
         .tag = "notifications",
         .reply = {.schema = "NotificationsRead"},
         .fn = [&inbox](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto n, inbox.MarkAllRead(c.principal()));
           json::object o;
           o["marked"] = n;
           return JsonReply(200, o);
         }});
}

}  // namespace tandem::api
