// /api/v1/events (tracking events, one or a batch), /api/v1/identify, contact merges and a
// contact's events. The batch body is parsed here rather than by a Schema: each event is
// checked on its own, so one bad event is reported by index and the others go on.
#include <boost/json/array.hpp>

#include "api/dto.hpp"
#include "api/handlers.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

using core::Error;

// Bodies past this are refused whatever the server's own limit: 1,000 events of a few
// kilobytes each.
constexpr std::size_t kMaxEventsBody = 8u << 20;
constexpr int kDefaultEventList = 100;

std::vector<Field> EventFields() {
  return {TextField("event_id",
                    "The sender's idempotency key, 1-128 printable ASCII characters. Sending "
                    "the same event again (same event_id and occurred_at) is counted as a "
                    "duplicate and changes nothing.")
              .Required(),
          TextField("type",
                    "page_view, email_open, email_click, form_submit, content_download, "
                    "webinar, demo_request, or a custom name [a-z][a-z0-9_.:-]{0,63}.")
              .Required(),
          InstantField("occurred_at",
                       "When it happened; not before 1970, at most 10 minutes ahead of the "
                       "server's clock.")
              .Required(),
          TextField("email", "Who did it, when known. At least one of email and anonymous_id."),
          TextField("anonymous_id",
                    "The visitor's anonymous id ([A-Za-z0-9._:-]{1,128}). With an email, it "
                    "identifies the visitor: its earlier events join the contact."),
          TextField("utm_source", ""),
          TextField("utm_medium", ""),
          TextField("utm_campaign", ""),
          MapField("properties", "A JSON object of at most 16 KiB (any JSON values).")};
}

Schema EventInSchema() {
  return {"EventIn",
          "One tracking event. The body of POST /api/v1/events is one such object, or "
          "{\"events\": [up to 1,000 of them]}.",
          EventFields()};
}

Schema IdentifySchema() {
  return {"Identify",
          "Ties an anonymous visitor to an email: the visitor's events join the contact "
          "(created as a lead when the email is new).",
          {TextField("anonymous_id", "").Required(), TextField("email", "").Required(),
           InstantField("occurred_at", "Default: now."),
           TextField("event_id", "Default: derived from the anonymous id and the email.")}};
}

Schema MergeSchema() {
  return {"ContactMerge",
          "Merges contact other_id into this one, keeping every event, stage change, activity "
          "and deal; other_id is then deleted.",
          {IdField("other_id", "The contact merged away.").Required()}};
}

std::string JsonText(const json::string& s) {
  return std::string(s.data(), s.size());
}

bool CleanJsonStrings(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return core::IsCleanText(JsonText(v.get_string()), true);
    case json::kind::array:
      for (const auto& item : v.get_array()) {
        if (!CleanJsonStrings(item)) return false;
      }
      return true;
    case json::kind::object:
      for (const auto& kv : v.get_object()) {
        if (!core::IsCleanText(std::string_view(kv.key().data(), kv.key().size()), true) ||
            !CleanJsonStrings(kv.value())) {
          return false;
        }
      }
      return true;
    default: return true;
  }
}

// One event of a request, or why it cannot be one.
app::IngestItem ItemFrom(const json::value& v) {
  app::IngestItem item;
  auto fail = [&item](std::string field, std::string message) {
    item.error = Error::Invalid(std::move(field), std::move(message));
    return item;
  };
  if (!v.is_object()) return fail("", "each event must be a JSON object");
  core::Event& e = item.event;
  bool has_time = false;
  for (const auto& kv : v.get_object()) {
    const std::string key(kv.key().data(), kv.key().size());
    const json::value& val = kv.value();
    if (key == "properties") {
      if (!val.is_object()) return fail(key, "must be a JSON object");
      if (!CleanJsonStrings(val)) return fail(key, "must be UTF-8 text");
      e.properties = WriteJson(val);
      continue;
    }
    std::string* target = nullptr;
    if (key == "event_id") {
      target = &e.event_id;
    } else if (key == "type") {
      target = &e.type;
    } else if (key == "email") {
      target = &e.email;
    } else if (key == "anonymous_id") {
      target = &e.anonymous_id;
    } else if (key == "utm_source") {
      target = &e.utm_source;
    } else if (key == "utm_medium") {
      target = &e.utm_medium;
    } else if (key == "utm_campaign") {
      target = &e.utm_campaign;
    } else if (key != "occurred_at") {
      return fail(key, "unknown field '" + key +
                           "'; an event has event_id, type, occurred_at, email, anonymous_id, "
                           "utm_source, utm_medium, utm_campaign and properties");
    }
    if (!val.is_string()) return fail(key, "must be a string");
    if (target != nullptr) {
      *target = JsonText(val.get_string());
      continue;
    }
    auto at = core::ParseInstant(JsonText(val.get_string()));
    if (!at) return fail(key, "must be an ISO 8601 instant such as 2026-11-26T09:30:00Z");
    e.occurred_at = *at;
    has_time = true;
  }
  if (!has_time) return fail("occurred_at", "is required");
  return item;
}

json::object ReportJson(const app::IngestReport& r) {
  json::object o;
  o["accepted"] = r.accepted;
  o["duplicate"] = r.duplicate;
  o["rejected"] = r.rejected.size();
  json::array rejections;
  rejections.reserve(r.rejected.size());
  for (const auto& x : r.rejected) {
    rejections.emplace_back(
        json::object{{"index", x.index}, {"field", x.field}, {"message", x.message}});
  }
  o["rejections"] = std::move(rejections);
  return o;
}

}  // namespace

void AddEventRoutes(RouteTable& t, const Deps& d) {
  app::Services& svc = d.services;
  const base::Clock& clock = d.clock;
  t.AddSchema({"Rejection",
               "Why one event of a batch was refused.",
               {IntField("index", 0, 0, "Its position in the request, from 0.").Required(),
                TextField("field", "The offending field, or \"\".").Required(),
                TextField("message", "").Required()}});
  t.AddSchema({"IngestReport",
               "What became of each event of a request.",
               {IntField("accepted", 0, 0, "Stored now.").Required(),
                IntField("duplicate", 0, 0, "Already stored before: changed nothing.").Required(),
                IntField("rejected", 0, 0, "Refused; see rejections.").Required(),
                ListField("rejections", "Rejection", "").Required()}});
  t.Add({.method = "POST",
         .pattern = "/api/v1/events",
         .operation_id = "ingestEvents",
         .summary = "Send tracking events: one, or a batch of up to 1,000",
         .tag = "events",
         .body = EventInSchema(),
         .raw_body = true,
         .reply = {.schema = "IngestReport",
                   .doc = "Counts of accepted, duplicate and rejected events, with the reason "
                          "of each rejection. Returned once the accepted events are committed. "
                          "A single event (not a batch) that is refused is answered 400."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           const std::string& text = c.request.body;
           if (text.size() > kMaxEventsBody) {
             return ErrorResponse(413, "payload_too_large",
                                  "the body exceeds " + std::to_string(kMaxEventsBody) + " bytes");
           }
           TANDEM_ASSIGN(auto doc, ParseJson(text, JsonParseOptions{.allow_invalid_utf8 = true}));
           std::vector<app::IngestItem> items;
           bool batch = false;
           if (doc.is_object() && doc.get_object().contains("events")) {
             batch = true;
             const auto& o = doc.get_object();
             if (o.size() != 1) {
               return core::Fail(
                   Error::Invalid("", "a batch is {\"events\": [...]} with no other field"));
             }
             const auto& events = o.at("events");
             if (!events.is_array()) {
               return core::Fail(Error::Invalid("events", "must be an array of events"));
             }
             items.reserve(events.get_array().size());
             for (const auto& v : events.get_array()) {
               if (items.size() > 1000) break;  // the service refuses the batch by its size
               items.push_back(ItemFrom(v));
             }
           } else if (doc.is_object()) {
             items.push_back(ItemFrom(doc));
           } else {
             return core::Fail(Error::Invalid("", "send one event object or {\"events\": [...]}"));
           }
           TANDEM_ASSIGN(auto report, svc.ingest.Ingest(c.principal(), std::move(items)));
           if (!batch && !report.rejected.empty()) {
             return core::Fail(
                 Error::Invalid(report.rejected[0].field, report.rejected[0].message));
           }
           return JsonReply(200, ReportJson(report));
         }});
  t.Add({.method = "POST",
         .pattern = "/api/v1/identify",
         .operation_id = "identifyVisitor",
         .summary = "Tie an anonymous visitor to an email",
         .tag = "events",
         .body = IdentifySchema(),
         .reply = {.schema = "IngestReport", .doc = "Recorded as an event of type identify."},
         .fn = [&svc, &clock](const Call& c) -> core::Result<Response> {
           app::IngestItem item;
           core::Event& e = item.event;
           e.type = "identify";
           e.anonymous_id = c.body.Text("anonymous_id");
           e.email = c.body.Text("email");
           e.occurred_at = c.body.Time("occurred_at").value_or(clock.Now());
           e.event_id = c.body.Text("event_id");
           if (e.event_id.empty()) {
             // A valid id whatever the inputs, so a bad anonymous id is what gets reported.
             e.event_id =
                 ("identify:" + (core::IsValidAnonymousId(e.anonymous_id) ? e.anonymous_id
                                                                          : std::string("invalid")))
                     .substr(0, core::kMaxEventIdBytes);
           }
           std::vector<app::IngestItem> items;
           items.push_back(std::move(item));
           TANDEM_ASSIGN(auto report, svc.ingest.Ingest(c.principal(), std::move(items)));
           if (!report.rejected.empty()) {
             return core::Fail(
                 Error::Invalid(report.rejected[0].field, report.rejected[0].message));
           }
           return JsonReply(200, ReportJson(report));
         }});
  t.Add({.method = "POST",
         .pattern = "/api/v1/contacts/{id}/merge",
         .operation_id = "mergeContacts",
         .summary = "Merge another contact into this one",
         .tag = "contacts",
         .body = MergeSchema(),
         .reply = {.schema = "Contact", .doc = "The surviving contact."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto contact,
                         svc.merge.Merge(c.principal(), c.id(), *c.body.Id("other_id")));
           return JsonReply(200, ContactJson(contact));
         }});
  t.Add({.method = "GET",
         .pattern = "/api/v1/contacts/{id}/events",
         .operation_id = "listContactEvents",
         .summary = "A contact's tracking events, newest first",
         .tag = "contacts",
         .query = {IntField("limit", 1, 500, "Default 100.")},
         .reply = {.schema = "Event", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           const int limit = static_cast<int>(c.query.Int("limit").value_or(kDefaultEventList));
           TANDEM_ASSIGN(auto events, svc.contacts.Events(c.principal(), c.id(), limit));
           json::array items;
           for (const auto& e : events) items.emplace_back(EventJson(e));
           return ItemsReply(std::move(items));
         }});
}

}  // namespace tandem::api
