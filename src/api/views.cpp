// /api/v1/views: saved views of the leads list (docs/dashboard.md, "Saved views").
#include <boost/json/array.hpp>

#include "api/handlers.hpp"
#include "api/view_query.hpp"

namespace tandem::api {

namespace {

constexpr const char* kBase = "/api/v1/views";

// The leads list's columns a view may choose, in the list's order.
const std::vector<std::string>& Columns() {
  static const std::vector<std::string> kColumns = {"name",    "email",  "title",    "stage",
                                                    "owner",   "source", "campaign", "country",
                                                    "created", "updated"};
  return kColumns;
}

std::vector<Field> ViewParams() {
  std::vector<Field> f = ContactFilterParams();
  std::string doc = "Comma-separated columns to show, in order, from: ";
  for (const auto& c : Columns()) doc += (c == Columns().front() ? "" : ", ") + c;
  f.push_back(TextField("columns", doc + "."));
  return f;
}

core::Error Bad(const core::Error& e) {
  return core::Error::Invalid("query",
                              (e.field.empty() ? std::string() : e.field + ": ") + e.message);
}

std::vector<Field> EditableFields() {
  return {TextField("name", "1 to 100 characters; unique among the owner's views."),
          TextField("query",
                    "The list's filters, sort and columns as a query string without '?', in the "
                    "parameters of GET /api/v1/contacts (no limit or cursor) plus columns: "
                    "\"stage=mql&owner=me&sort=-created_at&columns=name,stage,owner\"."),
          BoolField("shared", "true: every signed-in user sees it; default false.")};
}

boost::json::object ViewJson(const core::SavedView& v) {
  boost::json::object o;
  o["id"] = v.id;
  o["name"] = v.name;
  o["query"] = v.query;
  o["owner_id"] = v.owner_id;
  o["shared"] = v.shared;
  o["created_at"] = core::FormatInstant(v.created_at);
  o["updated_at"] = core::FormatInstant(v.updated_at);
  return o;
}

std::string Location(core::Id id) {
  return std::string(kBase) + "/" + std::to_string(id);
}

}  // namespace

// A view's query must be one the contacts list (and its CSV export) takes: the same parameters,
// checked by the same code, plus the columns.
core::Result<void> CheckViewQuery(const std::string& query) {
  auto request = MakeRequest("GET", "/?" + query);
  if (!request) return core::Fail(Bad(request.error()));
  auto q = Query::Parse(request->query, ViewParams());
  if (!q) return core::Fail(Bad(q.error()));
  if (auto r = ContactQueryFrom(*q, 1); !r) return core::Fail(Bad(r.error()));
  const std::string columns = q->Text("columns");
  std::vector<std::string> seen;
  std::size_t start = 0;
  while (!columns.empty() && start <= columns.size()) {
    const std::size_t comma = std::min(columns.find(',', start), columns.size());
    const std::string name = columns.substr(start, comma - start);
    if (std::find(Columns().begin(), Columns().end(), name) == Columns().end()) {
      return core::Fail(core::Error::Invalid("query", "columns: unknown column \"" + name + "\""));
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return core::Fail(core::Error::Invalid("query", "columns: \"" + name + "\" is given twice"));
    }
    seen.push_back(name);
    start = comma + 1;
  }
  return {};
}

void AddSavedViewRoutes(RouteTable& t, const Deps& d) {
  app::SavedViewService& svc = d.services.views;
  const std::string one = std::string(kBase) + "/{id}";

  Schema create{"SavedViewCreate", "A new saved view of the leads list, owned by the caller.",
                EditableFields()};
  create.fields[0] = std::move(create.fields[0]).Required();
  create.fields[1] = std::move(create.fields[1]).Required();

  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "listSavedViews",
         .summary = "The caller's saved views and the shared ones, by name",
         .tag = "views",
         .reply = {.schema = "SavedView", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto views, svc.List(c.principal()));
           boost::json::array items;
           for (const auto& v : views) items.emplace_back(ViewJson(v));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "createSavedView",
         .summary = "Save the leads list's filters, sort and columns as a view",
         .tag = "views",
         .body = std::move(create),
         .reply = {.status = 201,
                   .schema = "SavedView",
                   .doc = "400 (field query) when the query string is not one the contacts list "
                          "takes; 409 (field name) when the caller already has a view of that "
                          "name."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::SavedView v;
           v.name = c.body.Text("name");
           v.query = c.body.Text("query");
           v.shared = c.body.Bool("shared").value_or(false);
           TANDEM_TRY(CheckViewQuery(v.query));
           TANDEM_ASSIGN(auto created, svc.Create(c.principal(), v));
           return CreatedReply(Location(created.id), ViewJson(created));
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getSavedView",
         .summary = "Get a saved view (the caller's own or a shared one)",
         .tag = "views",
         .reply = {.schema = "SavedView"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto v, svc.Get(c.principal(), c.id()));
           return JsonReply(200, ViewJson(v));
         }});
  t.Add({.method = "PATCH",
         .pattern = one,
         .operation_id = "updateSavedView",
         .summary = "Rename, share or change a view (its owner only)",
         .tag = "views",
         .body = Schema{"SavedViewPatch", "Fields to change; absent fields keep their value.",
                        EditableFields()},
         .reply = {.schema = "SavedView"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           app::SavedViewPatch p;
           p.name = c.body.OptText("name");
           p.query = c.body.OptText("query");
           p.shared = c.body.Bool("shared");
           if (p.query) TANDEM_TRY(CheckViewQuery(*p.query));
           TANDEM_ASSIGN(auto v, svc.Update(c.principal(), c.id(), p));
           return JsonReply(200, ViewJson(v));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "deleteSavedView",
         .summary = "Delete a view (its owner, or an admin)",
         .tag = "views",
         .reply = {.status = 204},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(svc.Delete(c.principal(), c.id()));
           return Response::NoContent();
         }});

  t.AddSchema(
      {"SavedView",
       "A saved view of the leads list.",
       {IdField("id", "").Required(), TextField("name", "").Required(),
        TextField("query", "Parameters of GET /api/v1/contacts plus columns.").Required(),
        IdField("owner_id", "").Required(),
        BoolField("shared", "Every signed-in user sees it.").Required(),
        InstantField("created_at", "").Required(), InstantField("updated_at", "").Required()}});
}

}  // namespace tandem::api
