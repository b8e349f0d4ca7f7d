#include "api/dto.hpp"

#include <boost/json/array.hpp>

#include "api/handlers.hpp"
#include "api/json_io.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

json::value OptId(const std::optional<core::Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}

json::value OptInt(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value OptInstant(const std::optional<core::Instant>& t) {
  return t ? json::value(core::FormatInstant(*t)) : json::value(nullptr);
}

json::object Custom(const core::CustomFields& fields) {
  json::object o;
  for (const auto& [k, v] : fields) o[k] = v;
  return o;
}

json::object ActorJson(const core::Actor& a) {
  json::object o;
  o["user_id"] = OptId(a.user_id);
  o["name"] = a.name;
  return o;
}

Field Out(Field f) {
  return std::move(f).Required();
}

}  // namespace

json::object ContactJson(const core::Contact& c) {
  json::object o(16);
  o["id"] = c.id;
  o["email"] = c.email;
  o["first_name"] = c.first_name;
  o["last_name"] = c.last_name;
  o["phone"] = c.phone;
  o["title"] = c.title;
  o["company_id"] = OptId(c.company_id);
  o["owner_id"] = OptId(c.owner_id);
  o["stage"] = core::ToString(c.stage);
  o["stage_entered_at"] = core::FormatInstant(c.stage_entered_at);
  o["source"] = c.source;
  o["campaign"] = c.campaign;
  o["country"] = c.country;
  o["custom"] = Custom(c.custom);
  o["created_at"] = core::FormatInstant(c.created_at);
  o["updated_at"] = core::FormatInstant(c.updated_at);
  return o;
}

json::object CompanyJson(const core::Company& c) {
  json::object o;
  o["id"] = c.id;
  o["name"] = c.name;
  o["domain"] = c.domain;
  o["industry"] = c.industry;
  o["employees"] = OptInt(c.employees);
  o["country"] = c.country;
  o["owner_id"] = OptId(c.owner_id);
  o["custom"] = Custom(c.custom);
  o["created_at"] = core::FormatInstant(c.created_at);
  o["updated_at"] = core::FormatInstant(c.updated_at);
  return o;
}

json::object DealJson(const core::Deal& d) {
  json::object o;
  o["id"] = d.id;
  o["title"] = d.title;
  o["contact_id"] = OptId(d.contact_id);
  o["company_id"] = OptId(d.company_id);
  o["owner_id"] = OptId(d.owner_id);
  o["amount"] = MoneyJson(d.amount_minor);
  o["currency"] = d.currency;
  o["stage"] = core::ToString(d.stage);
  o["expected_close"] =
      d.expected_close ? json::value(core::FormatDate(*d.expected_close)) : json::value(nullptr);
  o["closed_at"] = OptInstant(d.closed_at);
  o["lost_reason"] = d.lost_reason;
  o["created_at"] = core::FormatInstant(d.created_at);
  o["updated_at"] = core::FormatInstant(d.updated_at);
  return o;
}

json::object ActivityJson(const core::Activity& a) {
  json::object o;
  o["id"] = a.id;
  o["type"] = core::ToString(a.type);
  o["contact_id"] = OptId(a.contact_id);
  o["deal_id"] = OptId(a.deal_id);
  o["owner_id"] = a.owner_id;
  o["occurred_at"] = core::FormatInstant(a.occurred_at);
  o["subject"] = a.subject;
  o["outcome"] = a.outcome;
  o["body"] = a.body;
  o["duration_minutes"] = OptInt(a.duration_minutes);
  o["created_at"] = core::FormatInstant(a.created_at);
  o["updated_at"] = core::FormatInstant(a.updated_at);
  return o;
}

json::object UserJson(const core::User& u) {
  json::object o;
  o["id"] = u.id;
  o["email"] = u.email;
  o["name"] = u.name;
  o["role"] = core::ToString(u.role);
  o["team_id"] = OptId(u.team_id);
  o["active"] = u.active;
  o["created_at"] = core::FormatInstant(u.created_at);
  o["updated_at"] = core::FormatInstant(u.updated_at);
  return o;
}

json::object TeamJson(const core::Team& t) {
  json::object o;
  o["id"] = t.id;
  o["name"] = t.name;
  o["function"] = core::ToString(t.function);
  o["manager_id"] = OptId(t.manager_id);
  o["region"] = t.region;
  o["created_at"] = core::FormatInstant(t.created_at);
  o["updated_at"] = core::FormatInstant(t.updated_at);
  return o;
}

json::object ApiKeyJson(const core::ApiKey& k) {
  json::object o;
  o["id"] = k.id;
  o["name"] = k.name;
  o["user_id"] = k.user_id;
  o["prefix"] = k.prefix;
  json::array scopes;
  for (auto s : k.scopes) scopes.emplace_back(core::ToString(s));
  o["scopes"] = std::move(scopes);
  o["created_at"] = core::FormatInstant(k.created_at);
  o["revoked_at"] = OptInstant(k.revoked_at);
  return o;
}

json::object AuditEntryJson(const core::AuditEntry& e) {
  json::object o;
  o["id"] = e.id;
  o["at"] = core::FormatInstant(e.at);
  o["actor"] = ActorJson(e.actor);
  o["entity"] = e.entity;
  o["entity_id"] = e.entity_id;
  o["action"] = core::ToString(e.action);
  json::array changes;
  for (const auto& c : e.changes) {
    changes.emplace_back(
        json::object{{"field", c.field}, {"before", c.before}, {"after", c.after}});
  }
  o["changes"] = std::move(changes);
  return o;
}

json::object StageChangeJson(const core::StageChange& s) {
  json::object o;
  o["id"] = s.id;
  o["contact_id"] = s.contact_id;
  o["from"] = s.from ? json::value(core::ToString(*s.from)) : json::value(nullptr);
  o["to"] = core::ToString(s.to);
  o["at"] = core::FormatInstant(s.at);
  o["actor"] = ActorJson(s.actor);
  o["cause"] = s.cause;
  o["reason"] = s.reason;
  if (s.quality) {
    o["mql_grade"] = core::ToString(s.quality->grade);
    o["mql_persona_id"] =
        s.quality->persona_id ? json::value(*s.quality->persona_id) : json::value(nullptr);
  } else {
    o["mql_grade"] = nullptr;
    o["mql_persona_id"] = nullptr;
  }
  return o;
}

json::object EventJson(const core::Event& e) {
  json::object o;
  o["id"] = e.id;
  o["event_id"] = e.event_id;
  o["type"] = e.type;
  o["occurred_at"] = core::FormatInstant(e.occurred_at);
  o["received_at"] = core::FormatInstant(e.received_at);
  o["contact_id"] = e.contact_id ? json::value(*e.contact_id) : json::value(nullptr);
  o["email"] = e.email;
  o["anonymous_id"] = e.anonymous_id;
  o["utm_source"] = e.utm_source;
  o["utm_medium"] = e.utm_medium;
  o["utm_campaign"] = e.utm_campaign;
  auto props = ParseJson(e.properties);
  o["properties"] = props && props->is_object() ? std::move(*props) : json::value(json::object());
  return o;
}

json::object TimelineItemJson(const app::TimelineItem& item) {
  json::object o;
  o["at"] = core::FormatInstant(item.at);
  o["kind"] = item.kind;
  o["stage_change"] =
      item.stage_change ? json::value(StageChangeJson(*item.stage_change)) : json::value(nullptr);
  o["activity"] = item.activity ? json::value(ActivityJson(*item.activity)) : json::value(nullptr);
  o["deal"] = item.deal ? json::value(DealJson(*item.deal)) : json::value(nullptr);
  o["event"] = item.event ? json::value(EventJson(*item.event)) : json::value(nullptr);
  return o;
}

void AddOutputSchemas(RouteTable& t) {
  const auto stamps = [](std::vector<Field> fields) {
    fields.push_back(Out(InstantField("created_at", "")));
    fields.push_back(Out(InstantField("updated_at", "")));
    return fields;
  };
  t.AddSchema({"Contact", "A person marketing and sales work with.",
               stamps({Out(IdField("id", "")),
                       Out(TextField("email", "Normalised: trimmed, lower case; unique.")),
                       Out(TextField("first_name", "")), Out(TextField("last_name", "")),
                       Out(TextField("phone", "")), Out(TextField("title", "Job title.")),
                       Out(IdField("company_id", "").Nullable()),
                       Out(IdField("owner_id", "The user who owns the relationship.").Nullable()),
                       Out(EnumField("stage", StageNames(), "Lifecycle stage.")),
                       Out(InstantField("stage_entered_at", "")),
                       Out(TextField("source", "Original source.")),
                       Out(TextField("campaign", "Original campaign.")),
                       Out(TextField("country", "ISO 3166-1 alpha-2, or empty.")),
                       Out(MapField("custom", "Custom properties."))})});
  t.AddSchema(
      {"Company", "An account.",
       stamps({Out(IdField("id", "")), Out(TextField("name", "")),
               Out(TextField("domain", "Lower case, no scheme.")), Out(TextField("industry", "")),
               Out(IntField("employees", 0, 0, "").Nullable()), Out(TextField("country", "")),
               Out(IdField("owner_id", "").Nullable()), Out(MapField("custom", ""))})});
  t.AddSchema(
      {"Deal",
       "An opportunity; creating one makes its contact an opportunity, winning "
       "it makes the contact a customer.",
       stamps({Out(IdField("id", "")), Out(TextField("title", "")),
               Out(IdField("contact_id", "").Nullable()), Out(IdField("company_id", "").Nullable()),
               Out(IdField("owner_id", "").Nullable()),
               Out(MoneyField("amount", "Major units, exact to the cent.")),
               Out(TextField("currency", "ISO 4217.")),
               Out(EnumField("stage", DealStageNames(), "")),
               Out(DateField("expected_close", "").Nullable()),
               Out(InstantField("closed_at", "Set when won or lost.").Nullable()),
               Out(TextField("lost_reason", ""))})});
  t.AddSchema(
      {"Activity", "A call, email, meeting or note.",
       stamps({Out(IdField("id", "")), Out(EnumField("type", ActivityTypeNames(), "")),
               Out(IdField("contact_id", "").Nullable()), Out(IdField("deal_id", "").Nullable()),
               Out(IdField("owner_id", "The user who did it.")),
               Out(InstantField("occurred_at", "")), Out(TextField("subject", "")),
               Out(TextField("outcome", "")), Out(TextField("body", "")),
               Out(IntField("duration_minutes", 0, 0, "").Nullable())})});
  t.AddSchema({"User", "A person who signs in to Tandem.",
               stamps({Out(IdField("id", "")), Out(TextField("email", "")),
                       Out(TextField("name", "")), Out(EnumField("role", RoleNames(), "")),
                       Out(IdField("team_id", "").Nullable()), Out(BoolField("active", ""))})});
  t.AddSchema({"Team", "",
               stamps({Out(IdField("id", "")), Out(TextField("name", "")),
                       Out(EnumField("function", TeamFunctionNames(), "")),
                       Out(IdField("manager_id", "").Nullable()),
                       Out(TextField("region", "A territory label."))})});
  const std::vector<Field> key_fields = {
      Out(IdField("id", "")),
      Out(TextField("name", "")),
      Out(IdField("user_id", "The user the key acts for.")),
      Out(TextField("prefix", "The first characters of the secret, to tell keys apart.")),
      Out(EnumListField("scopes", ScopeNames(), "")),
      Out(InstantField("created_at", "")),
      Out(InstantField("revoked_at", "").Nullable())};
  t.AddSchema(
      {"ApiKey", "A long-lived credential acting for a user, narrowed by scopes.", key_fields});
  auto new_key = key_fields;
  new_key.push_back(Out(TextField("secret", "The key itself: shown once, never again.")));
  t.AddSchema({"NewApiKey", "A key just created, with its secret.", new_key});
  t.AddSchema({"Actor",
               "Who made a change: a user, or Tandem itself (user_id null).",
               {Out(IdField("user_id", "").Nullable()),
                Out(TextField("name", "The user's email, or system:<what>."))}});
  t.AddSchema(
      {"FieldChange",
       "One field's value before and after, as text.",
       {Out(TextField("field", "")), Out(TextField("before", "")), Out(TextField("after", ""))}});
  t.AddSchema({"AuditEntry",
               "Who changed what, when.",
               {Out(IdField("id", "")), Out(InstantField("at", "")),
                Out(ObjectField("actor", "Actor", "")), Out(TextField("entity", "")),
                Out(IdField("entity_id", "")), Out(EnumField("action", AuditActionNames(), "")),
                Out(ListField("changes", "FieldChange", ""))}});
  t.AddSchema({"StageChange",
               "One move of a contact's lifecycle.",
               {Out(IdField("id", "")), Out(IdField("contact_id", "")),
                Out(EnumField("from", StageNames(), "Empty for the first stage.").Nullable()),
                Out(EnumField("to", StageNames(), "")), Out(InstantField("at", "")),
                Out(ObjectField("actor", "Actor", "")),
                Out(TextField("cause", "manual, created, deal_created, deal_won, import, ...")),
                Out(TextField("reason", "")),
                Out(EnumField("mql_grade", {"A", "B", "C", "D"},
                              "Moves into mql: the lead's grade as it qualified (what SLA "
                              "compliance counts); null on other moves and while not known.")
                        .Nullable()),
                Out(IdField("mql_persona_id",
                            "Moves into mql: the persona the lead matched best as it qualified; "
                            "null when none matched or not known.")
                        .Nullable())}});
  t.AddSchema({"Event",
               "A stored tracking event.",
               {IdField("id", "").Required(), TextField("event_id", "").Required(),
                TextField("type", "").Required(), InstantField("occurred_at", "").Required(),
                InstantField("received_at", "When Tandem stored it.").Required(),
                IdField("contact_id", "Null while its anonymous visitor is not identified.")
                    .Nullable()
                    .Required(),
                TextField("email", "").Required(), TextField("anonymous_id", "").Required(),
                TextField("utm_source", "").Required(), TextField("utm_medium", "").Required(),
                TextField("utm_campaign", "").Required(),
                MapField("properties", "The event's properties object.").Required()}});

  t.AddSchema(
      {"TimelineItem",
       "One line of a contact's timeline; exactly one payload is set.",
       {Out(InstantField("at", "")),
        Out(EnumField("kind", {"stage_change", "activity", "deal", "event"}, "")),
        Out(ObjectField("stage_change", "StageChange", "").Nullable()),
        Out(ObjectField("activity", "Activity", "").Nullable()),
        Out(ObjectField("deal", "Deal", "").Nullable()),
        Out(ObjectField("event", "Event", "The latest tracking events only.").Nullable())}});
  t.AddSchema({"ErrorDetail",
               "",
               {Out(TextField("code",
                              "invalid_argument, not_found, already_exists, "
                              "failed_precondition, permission_denied, unauthenticated, "
                              "resource_exhausted, unavailable, internal, or a transport "
                              "code: bad_request, method_not_allowed, payload_too_large, "
                              "unsupported_media_type, header_too_large.")),
                Out(TextField("message", "For people; do not parse.")),
                Out(TextField("field", "The offending input field, or \"\"."))}});
  t.AddSchema({"Error", "Every error answer.", {Out(ObjectField("error", "ErrorDetail", ""))}});
}

}  // namespace tandem::api
