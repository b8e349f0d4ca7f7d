// Privacy (docs/privacy.md): a contact's consents, and for admins the export of everything held
// about a person, erasure, and the purge of old events.
#include <boost/json/parse.hpp>

#include <memory>

#include "api/dto.hpp"
#include "api/handlers.hpp"
#include "api/privacy_json.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

Field Out(Field f) {
  return std::move(f).Required();
}

json::value OptId(const std::optional<core::Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}

json::value OptInstant(const std::optional<core::Instant>& t) {
  return t ? json::value(core::FormatInstant(*t)) : json::value(nullptr);
}

// Stored instants are milliseconds since the epoch in columns named `at` or `*_at`; JSON text
// columns (event properties, outbox payloads) are embedded as JSON.
json::value StoredJson(const std::string& column, const core::StoredValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    if (column == "at" || column.ends_with("_at")) {
      return json::value(core::FormatInstant(core::FromMillis(*i)));
    }
    return json::value(*i);
  }
  if (const auto* d = std::get_if<double>(&v)) return json::value(*d);
  const std::string& text = std::get<std::string>(v);
  if (column == "properties" || column == "payload") {
    boost::system::error_code ec;
    json::value parsed = json::parse(text, ec);
    if (!ec) return parsed;
  }
  return json::value(text);
}

json::object RecordsJson(const core::PersonalRecords& r) {
  json::object out;
  for (const auto& t : r.tables) {
    json::array rows;
    for (const auto& row : t.rows) {
      json::object o;
      for (std::size_t i = 0; i < t.columns.size() && i < row.size(); ++i) {
        o[t.columns[i]] = StoredJson(t.columns[i], row[i]);
      }
      rows.push_back(std::move(o));
    }
    out[t.table] = std::move(rows);
  }
  return out;
}

json::object ErasureJson(const app::ErasureResult& r) {
  const auto& n = r.counts;
  return {{"contact_id", r.contact_id},
          {"erased_at", core::FormatInstant(r.erased_at)},
          {"events_deleted", n.events_deleted},
          {"events_kept_anonymous", n.events_kept_anonymous},
          {"identities", n.identities},
          {"consents", n.consents},
          {"form_posts", n.form_posts},
          {"activities", n.activities},
          {"deals", n.deals},
          {"outbox_messages", n.outbox_messages},
          {"deliveries", n.deliveries},
          {"notifications", n.notifications},
          {"audit_changes", n.audit_changes}};
}

json::object PurgeJson(const app::PurgeResult& r) {
  return {{"before", core::FormatInstant(r.cutoff)}, {"events", r.events}, {"dry_run", r.dry_run}};
}

void AddPrivacySchemas(RouteTable& t) {
  t.AddSchema(
      {"Consent",
       "What a person agreed to, when, and where it was recorded.",
       {Out(IdField("id", "")), Out(IdField("contact_id", "")),
        Out(TextField("purpose", "What for: \"newsletter\", \"form: Webinar signup\".")),
        Out(TextField("text", "The wording shown when it was given.")),
        Out(EnumField("source", {"form", "import", "api", "user"},
                      "form: a form post; import: a CSV import row; api: an API key; user: a "
                      "signed-in user (the dashboard).")),
        Out(IdField("form_id", "").Nullable()), Out(IdField("submission_id", "").Nullable()),
        Out(IdField("import_job_id", "").Nullable()),
        Out(IntField("import_row", 0, 0, "The row as a spreadsheet counts it (1 = the header).")
                .Nullable()),
        Out(IdField("recorded_by", "The user who recorded it.").Nullable()),
        Out(InstantField("given_at", "")), Out(InstantField("withdrawn_at", "").Nullable()),
        Out(IdField("withdrawn_by", "").Nullable())}});
  t.AddSchema({"PrivacyRecords",
               "Every other table's rows naming the contact, by table name, each row an object "
               "of its columns as stored (instants as ISO 8601 text, JSON columns as JSON). Every "
               "table that can name a contact is present, empty or not.",
               {}});
  t.AddSchema(
      {"PrivacyExport",
       "Everything Tandem holds about one person.",
       {Out(InstantField("exported_at", "")), Out(TextField("email", "As asked for, normalised.")),
        Out(ObjectField("contact", "Contact", "")),
        Out(TextField("company", "The contact's company's name.").Nullable()),
        Out(ListField("consents", "Consent", "")),
        Out(ObjectField("records", "PrivacyRecords", ""))}});
  t.AddSchema({"Erasure",
               "What an erasure changed (docs/privacy.md).",
               {Out(IdField("contact_id", "The tombstone's id.")),
                Out(InstantField("erased_at", "")), Out(IntField("events_deleted", 0, 0, "")),
                Out(IntField("events_kept_anonymous", 0, 0,
                             "Campaign touches kept without anything personal, for attribution.")),
                Out(IntField("identities", 0, 0, "")), Out(IntField("consents", 0, 0, "")),
                Out(IntField("form_posts", 0, 0, "")), Out(IntField("activities", 0, 0, "")),
                Out(IntField("deals", 0, 0, "")), Out(IntField("outbox_messages", 0, 0, "")),
                Out(IntField("deliveries", 0, 0, "")), Out(IntField("notifications", 0, 0, "")),
                Out(IntField("audit_changes", 0, 0, ""))}});
  t.AddSchema({"EventPurge",
               "Events that occurred before a cutoff, purged or counted.",
               {Out(InstantField("before", "")), Out(IntField("events", 0, 0, "")),
                Out(BoolField("dry_run", ""))}});
}

}  // namespace

json::object ConsentJson(const core::Consent& c) {
  return {{"id", c.id},
          {"contact_id", c.contact_id},
          {"purpose", c.purpose},
          {"text", c.text},
          {"source", core::ToString(c.source)},
          {"form_id", OptId(c.form_id)},
          {"submission_id", OptId(c.submission_id)},
          {"import_job_id", OptId(c.import_job_id)},
          {"import_row", OptId(c.import_row)},
          {"recorded_by", OptId(c.recorded_by)},
          {"given_at", core::FormatInstant(c.given_at)},
          {"withdrawn_at", OptInstant(c.withdrawn_at)},
          {"withdrawn_by", OptId(c.withdrawn_by)}};
}

json::object PersonalDataJson(const app::PersonalData& d) {
  json::array consents;
  for (const auto& c : d.consents) consents.push_back(ConsentJson(c));
  return {{"exported_at", core::FormatInstant(d.exported_at)},
          {"email", d.email},
          {"contact", ContactJson(d.contact)},
          {"company", d.company ? json::value(*d.company) : json::value(nullptr)},
          {"consents", std::move(consents)},
          {"records", RecordsJson(d.records)}};
}

std::string PersonalDataJsonText(const app::PersonalData& d) {
  return WriteJson(PersonalDataJson(d));
}

std::string ErasureJsonText(const app::ErasureResult& r) {
  return WriteJson(ErasureJson(r));
}

void AddPrivacyRoutes(RouteTable& t, const Deps& d) {
  // Stateless over the store and the clock: one for these routes, shared by their handlers.
  auto svc = std::make_shared<app::PrivacyService>(d.services.store, d.clock);
  AddPrivacySchemas(t);
  const std::string consents = "/api/v1/contacts/{id}/consents";

  t.Add({.method = "GET",
         .pattern = consents,
         .operation_id = "listConsents",
         .summary = "A contact's consents, oldest first, withdrawn ones included",
         .tag = "privacy",
         .reply = {.schema = "Consent", .list = true},
         .fn = [svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto list, svc->Consents(c.principal(), c.id()));
           json::array items;
           for (const auto& x : list) items.push_back(ConsentJson(x));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "POST",
         .pattern = consents,
         .operation_id = "recordConsent",
         .summary = "Record a consent the contact gave (whoever may edit the contact)",
         .tag = "privacy",
         .body = Schema{"ConsentCreate",
                        "A consent given; the source is api for an API key, user for a session.",
                        {TextField("purpose", "What for, 1 to 200 characters.").Required(),
                         TextField("text", "The wording shown, at most 4000 bytes."),
                         InstantField("given_at", "When it was given; default now.")}},
         .reply = {.status = 201, .schema = "Consent"},
         .fn = [svc](const Call& c) -> core::Result<Response> {
           core::Consent draft;
           draft.purpose = c.body.Text("purpose");
           draft.text = c.body.Text("text");
           if (auto at = c.body.Time("given_at")) draft.given_at = *at;
           TANDEM_ASSIGN(auto made, svc->RecordConsent(c.principal(), c.id(), std::move(draft)));
           return CreatedReply("/api/v1/contacts/" + std::to_string(made.contact_id) +
                                   "/consents/" + std::to_string(made.id),
                               ConsentJson(made));
         }});
  t.Add({.method = "POST",
         .pattern = consents + "/{consent_id}/withdraw",
         .operation_id = "withdrawConsent",
         .summary = "Record that the contact withdrew a consent (the record stays)",
         .tag = "privacy",
         .reply = {.schema = "Consent",
                   .doc = "404 when the consent is not the contact's; 422 when it was already "
                          "withdrawn."},
         .fn = [svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto w, svc->WithdrawConsent(c.principal(), c.ids.at(0), c.ids.at(1)));
           return JsonReply(200, ConsentJson(w));
         }});
  t.Add({.method = "GET",
         .pattern = "/api/v1/privacy/export",
         .operation_id = "exportPersonalData",
         .summary = "Everything held about a person, as one JSON document (admins)",
         .tag = "privacy",
         .query = {TextField("email", "The person's email (a merged former email finds them too).")
                       .Required()},
         .reply = {.schema = "PrivacyExport",
                   .doc = "404 when nothing is held about the email (no contact, or erased). "
                          "Audited (entity privacy_export)."},
         .fn = [svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto data, svc->Export(c.principal(), c.query.Text("email")));
           return JsonReply(200, PersonalDataJson(data));
         }});
  t.Add({.method = "POST",
         .pattern = "/api/v1/privacy/erasures",
         .operation_id = "erasePerson",
         .summary = "Erase a person's personal data everywhere, keeping an anonymous tombstone "
                    "(admins)",
         .tag = "privacy",
         .body = Schema{"ErasureRequest",
                        "Who to erase, confirmed.",
                        {TextField("email", "The person's email.").Required(),
                         TextField("confirm", "The same email again: erasure cannot be undone.")
                             .Required()}},
         .reply = {.schema = "Erasure",
                   .doc = "404 when nothing is held about the email (a second erasure too). "
                          "Audited (entity privacy_erasure, counts only)."},
         .fn = [svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto r,
                         svc->Erase(c.principal(), c.body.Text("email"), c.body.Text("confirm")));
           return JsonReply(200, ErasureJson(r));
         }});
  t.Add({.method = "POST",
         .pattern = "/api/v1/privacy/event-purges",
         .operation_id = "purgeEvents",
         .summary = "Purge events older than a number of months now (admins)",
         .tag = "privacy",
         .body = Schema{"EventPurgeRequest",
                        "The retention to apply.",
                        {IntField("months", 1, 1200, "Keep this many months of events.").Required(),
                         BoolField("dry_run", "true: only count them.")}},
         .reply = {.schema = "EventPurge"},
         .fn = [svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto r,
                         svc->PurgeEvents(c.principal(), static_cast<int>(*c.body.Int("months")),
                                          c.body.Bool("dry_run").value_or(false)));
           return JsonReply(200, PurgeJson(r));
         }});
}

}  // namespace tandem::api
