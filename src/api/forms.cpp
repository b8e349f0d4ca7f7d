// /api/v1/forms (web capture form definitions and their submissions) and /api/v1/sites (the
// tracker's site keys). The public side (/f/{id}, /t.js, /t/e) is in capture.cpp.
#include <boost/json/array.hpp>

#include "api/handlers.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

constexpr const char* kForms = "/api/v1/forms";
constexpr const char* kSites = "/api/v1/sites";

std::shared_ptr<const Schema> FieldInput() {
  static const auto s = std::make_shared<const Schema>(Schema{
      "FormFieldInput",
      "One input of the HTML form and the contact property it fills.",
      {TextField("name",
                 "The input's name attribute: a letter, then letters, digits, '_', '.' or '-' "
                 "(64 at most). consent, redirect, _hp and _tandem_aid are reserved.")
           .Required(),
       TextField("property",
                 "email, first_name, last_name, company, title, phone, country, or "
                 "custom.<key> (key: a-z, 0-9, _). company is kept as the custom field "
                 "`company`. Exactly one field maps email.")
           .Required(),
       BoolField("required", "Default false; always true for email.")}});
  return s;
}

std::vector<Field> FormInputFields(bool create) {
  auto req = [create](Field f) { return create ? std::move(f).Required() : std::move(f); };
  return {req(TextField("name", "What marketing calls the form.")),
          req(NestedListField("fields", FieldInput(), "1 to 50 fields, one of them email.")),
          TextField("consent_text",
                    "The consent text shown next to the `consent` checkbox; empty: no consent "
                    "is asked. Stored with each submission that gives consent."),
          BoolField("consent_required", "Posts without consent are refused (422)."),
          TextField("utm_source", "Stamped on the form_submit event (the target campaign)."),
          TextField("utm_medium", ""),
          TextField("utm_campaign", ""),
          StringListField("allowed_origins",
                          "Websites allowed to post (CORS): https://www.example.com, or the one "
                          "entry \"*\". Posts with another Origin header are refused (403)."),
          TextField("redirect_url",
                    "Where browsers go after a post (303); empty: a short thank-you page.")};
}

Schema FormCreateSchema() {
  return {"FormCreate", "A new form; Tandem generates its public id.", FormInputFields(true)};
}

Schema FormPatchSchema() {
  auto fields = FormInputFields(false);
  fields.push_back(BoolField("archived", "Archived forms answer 410 to posts."));
  return {"FormPatch", "Fields to change; `fields` replaces every field.", std::move(fields)};
}

Schema SiteCreateSchema() {
  return {"TrackerSiteCreate",
          "A tracker site key; Tandem generates the key.",
          {TextField("name", "").Required(),
           StringListField("allowed_origins", "The site's origins (at least one, or \"*\").")
               .Required()}};
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object FormJson(const core::Form& f) {
  json::array fields;
  for (const auto& x : f.fields) {
    fields.emplace_back(
        json::object{{"name", x.name}, {"property", x.property}, {"required", x.required}});
  }
  return {{"id", f.id},
          {"public_id", f.public_id},
          {"post_url", "/f/" + f.public_id},
          {"name", f.name},
          {"fields", std::move(fields)},
          {"consent_text", f.consent_text},
          {"consent_required", f.consent_required},
          {"utm_source", f.utm_source},
          {"utm_medium", f.utm_medium},
          {"utm_campaign", f.utm_campaign},
          {"allowed_origins", Strings(f.allowed_origins)},
          {"redirect_url", f.redirect_url},
          {"archived", f.archived},
          {"created_at", core::FormatInstant(f.created_at)},
          {"updated_at", core::FormatInstant(f.updated_at)}};
}

json::object SubmissionJson(const core::FormSubmission& s) {
  json::object values;
  for (const auto& [k, v] : s.values) values[k] = v;
  return {{"id", s.id},
          {"form_id", s.form_id},
          {"contact_id", s.contact_id},
          {"event_id", s.event_id},
          {"submitted_at", core::FormatInstant(s.submitted_at)},
          {"consent_given", s.consent_given},
          {"consent_text", s.consent_text},
          {"values", std::move(values)}};
}

json::object SiteJson(const core::TrackerSite& s) {
  return {{"id", s.id},
          {"public_key", s.public_key},
          {"name", s.name},
          {"allowed_origins", Strings(s.allowed_origins)},
          {"archived", s.archived},
          {"created_at", core::FormatInstant(s.created_at)},
          {"updated_at", core::FormatInstant(s.updated_at)}};
}

std::vector<core::FormField> FieldsFrom(const json::value& v) {
  std::vector<core::FormField> out;
  for (const auto& item : v.as_array()) {
    const auto& o = item.as_object();
    core::FormField f;
    f.name = std::string(o.at("name").as_string());
    f.property = std::string(o.at("property").as_string());
    if (const auto* r = o.if_contains("required"); r && r->is_bool()) f.required = r->as_bool();
    out.push_back(std::move(f));
  }
  return out;
}

void AddSchemas(RouteTable& t) {
  t.AddSchema(*FieldInput());
  t.AddSchema({"FormField",
               "",
               {TextField("name", "").Required(), TextField("property", "").Required(),
                BoolField("required", "").Required()}});
  t.AddSchema(
      {"Form",
       "A web capture form.",
       {IdField("id", "").Required(),
        TextField("public_id", "The unguessable id in the public URL.").Required(),
        TextField("post_url", "Where the website posts: /f/{public_id} on this server.").Required(),
        TextField("name", "").Required(), ListField("fields", "FormField", "").Required(),
        TextField("consent_text", "").Required(), BoolField("consent_required", "").Required(),
        TextField("utm_source", "").Required(), TextField("utm_medium", "").Required(),
        TextField("utm_campaign", "").Required(), StringListField("allowed_origins", "").Required(),
        TextField("redirect_url", "").Required(), BoolField("archived", "").Required(),
        InstantField("created_at", "").Required(), InstantField("updated_at", "").Required()}});
  t.AddSchema(
      {"FormSubmission",
       "One accepted post, with the consent as it was shown.",
       {IdField("id", "").Required(), IdField("form_id", "").Required(),
        IdField("contact_id", "").Required(),
        TextField("event_id", "Of its form_submit event.").Required(),
        InstantField("submitted_at", "").Required(), BoolField("consent_given", "").Required(),
        TextField("consent_text", "The text the person agreed to, when they did.").Required(),
        MapField("values", "Property -> value as posted (normalised).").Required()}});
  t.AddSchema({"TrackerSite",
               "A key for the tracker script (data-key): public, ingest-only (page_view and "
               "identify), accepted only from its origins.",
               {IdField("id", "").Required(), TextField("public_key", "").Required(),
                TextField("name", "").Required(), StringListField("allowed_origins", "").Required(),
                BoolField("archived", "").Required(), InstantField("created_at", "").Required(),
                InstantField("updated_at", "").Required()}});
}

app::FormPatch PatchFrom(const Body& b) {
  app::FormPatch p;
  p.name = b.OptText("name");
  if (const json::value* f = b.Raw("fields")) p.fields = FieldsFrom(*f);
  p.consent_text = b.OptText("consent_text");
  p.consent_required = b.Bool("consent_required");
  p.utm_source = b.OptText("utm_source");
  p.utm_medium = b.OptText("utm_medium");
  p.utm_campaign = b.OptText("utm_campaign");
  if (b.Has("allowed_origins")) p.allowed_origins = b.Strings("allowed_origins");
  p.redirect_url = b.OptText("redirect_url");
  p.archived = b.Bool("archived");
  return p;
}

}  // namespace

void AddFormRoutes(RouteTable& t, const Deps& d) {
  AddSchemas(t);
  app::FormService& forms = d.services.forms;
  const std::string one = std::string(kForms) + "/{id}";

  t.Add({.method = "POST",
         .pattern = kForms,
         .operation_id = "createForm",
         .summary = "Create a web capture form (marketing and admins)",
         .tag = "forms",
         .body = FormCreateSchema(),
         .reply = {.status = 201, .schema = "Form"},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           core::Form f;
           f.name = c.body.Text("name");
           f.fields = FieldsFrom(*c.body.Raw("fields"));
           f.consent_text = c.body.Text("consent_text");
           f.consent_required = c.body.Bool("consent_required").value_or(false);
           f.utm_source = c.body.Text("utm_source");
           f.utm_medium = c.body.Text("utm_medium");
           f.utm_campaign = c.body.Text("utm_campaign");
           f.allowed_origins = c.body.Strings("allowed_origins");
           f.redirect_url = c.body.Text("redirect_url");
           TANDEM_ASSIGN(auto form, forms.Create(c.principal(), std::move(f)));
           return CreatedReply(std::string(kForms) + "/" + std::to_string(form.id), FormJson(form));
         }});
  t.Add({.method = "GET",
         .pattern = kForms,
         .operation_id = "listForms",
         .summary = "List forms",
         .tag = "forms",
         .query = {BoolField("archived", "Include archived forms (default false).")},
         .reply = {.schema = "Form", .list = true},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto list,
                         forms.List(c.principal(), c.query.Bool("archived").value_or(false)));
           json::array items;
           for (const auto& f : list) items.emplace_back(FormJson(f));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getForm",
         .summary = "Get a form",
         .tag = "forms",
         .reply = {.schema = "Form"},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto f, forms.Get(c.principal(), c.id()));
           return JsonReply(200, FormJson(f));
         }});
  t.Add({.method = "PATCH",
         .pattern = one,
         .operation_id = "updateForm",
         .summary = "Change a form (marketing and admins)",
         .tag = "forms",
         .body = FormPatchSchema(),
         .reply = {.schema = "Form"},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto f, forms.Update(c.principal(), c.id(), PatchFrom(c.body)));
           return JsonReply(200, FormJson(f));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "archiveForm",
         .summary = "Archive a form (kept with its submissions; posts then get 410)",
         .tag = "forms",
         .reply = {.schema = "Form"},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto f, forms.Archive(c.principal(), c.id()));
           return JsonReply(200, FormJson(f));
         }});
  t.Add({.method = "GET",
         .pattern = one + "/submissions",
         .operation_id = "listFormSubmissions",
         .summary = "A form's submissions, newest first",
         .tag = "forms",
         .query = {IntField("limit", 1, 500, "Default 100.")},
         .reply = {.schema = "FormSubmission", .list = true},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           const int limit = static_cast<int>(c.query.Int("limit").value_or(100));
           TANDEM_ASSIGN(auto list, forms.Submissions(c.principal(), c.id(), limit));
           json::array items;
           for (const auto& s : list) items.emplace_back(SubmissionJson(s));
           return ItemsReply(std::move(items));
         }});

  t.Add({.method = "POST",
         .pattern = kSites,
         .operation_id = "createTrackerSite",
         .summary = "Create a tracker site key (marketing and admins)",
         .tag = "forms",
         .body = SiteCreateSchema(),
         .reply = {.status = 201, .schema = "TrackerSite"},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           core::TrackerSite s;
           s.name = c.body.Text("name");
           s.allowed_origins = c.body.Strings("allowed_origins");
           TANDEM_ASSIGN(auto site, forms.CreateSite(c.principal(), std::move(s)));
           return CreatedReply(std::string(kSites) + "/" + std::to_string(site.id), SiteJson(site));
         }});
  t.Add({.method = "GET",
         .pattern = kSites,
         .operation_id = "listTrackerSites",
         .summary = "List tracker site keys",
         .tag = "forms",
         .query = {BoolField("archived", "Include archived keys (default false).")},
         .reply = {.schema = "TrackerSite", .list = true},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto list,
                         forms.ListSites(c.principal(), c.query.Bool("archived").value_or(false)));
           json::array items;
           for (const auto& s : list) items.emplace_back(SiteJson(s));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "DELETE",
         .pattern = std::string(kSites) + "/{id}",
         .operation_id = "archiveTrackerSite",
         .summary = "Archive a tracker site key (its events are then refused with 410)",
         .tag = "forms",
         .reply = {.schema = "TrackerSite"},
         .fn = [&forms](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto s, forms.ArchiveSite(c.principal(), c.id()));
           return JsonReply(200, SiteJson(s));
         }});
}

}  // namespace tandem::api
