// /api/v1/contacts: CRUD, lists with filters, lifecycle moves, history and timeline.
#include <map>
#include <memory>

#include <boost/json/array.hpp>

#include "api/dto.hpp"
#include "api/handlers.hpp"
#include "core/csv.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

constexpr const char* kBase = "/api/v1/contacts";

std::vector<std::string> MainPathStages() {
  std::vector<std::string> out;
  for (auto s : core::kAllStages) {
    if (core::IsMainPath(s)) out.emplace_back(core::ToString(s));
  }
  return out;
}

// The main-path stages with a step out of them (all but customer).
std::vector<std::string> StepStages() {
  std::vector<std::string> out = MainPathStages();
  out.pop_back();
  return out;
}

std::vector<Field> EditableFields(bool patch) {
  std::vector<Field> f = {
      TextField("email", "Trimmed and lower-cased; unique among contacts."),
      TextField("first_name", ""),
      TextField("last_name", ""),
      TextField("phone", ""),
      TextField("title", "Job title."),
      patch ? IdField("company_id", "null removes the company.").Nullable()
            : IdField("company_id", ""),
      patch ? IdField("owner_id", "null leaves the contact unowned.").Nullable()
            : IdField("owner_id", "Defaults to the caller for sales reps."),
      TextField("source", "Original source: organic_search, paid_social, event, ..."),
      TextField("campaign", "Original campaign."),
      TextField("country", "ISO 3166-1 alpha-2."),
      MapField("custom", patch ? "Merged key by key; an empty value removes the key." : "")};
  return f;
}

Schema CreateSchema() {
  Schema s{"ContactCreate", "A new contact.", EditableFields(false)};
  s.fields[0] = std::move(s.fields[0]).Required();
  s.fields.push_back(EnumField("stage", MainPathStages(), "The first stage; default lead."));
  return s;
}

Schema PatchSchema() {
  return {"ContactPatch",
          "Fields to change; absent fields keep their value. The stage moves through "
          "POST /api/v1/contacts/{id}/stage.",
          EditableFields(true)};
}

Schema StageSchema() {
  return {"StageMove",
          "A manual lifecycle transition.",
          {EnumField("stage", StageNames(), "The stage to move to.").Required(),
           TextField("reason", "Required for recycled and disqualified.")}};
}

}  // namespace

std::vector<Field> ContactFilterParams() {
  std::vector<Field> f = {
      EnumField("stage", StageNames(), ""),
      IdField("owner_id", ""),
      EnumField("owner", {"none", "me"},
                "none: only contacts without an owner; me: the caller's contacts (a shared saved "
                "view means whoever opens it)."),
      TextField("source", ""),
      TextField("campaign", ""),
      IdField("company_id", ""),
      InstantField("created_from", "Inclusive."),
      InstantField("created_to", "Exclusive."),
      TextField("q", "Words matched as prefixes of name, email and company name."),
      EnumField("reached", MainPathStages(),
                "Only contacts that first reached this stage (or a later main-path stage) "
                "in [reached_from, reached_to): the contacts behind a funnel count "
                "(docs/analytics.md). Needs reached_from and reached_to."),
      InstantField("reached_from", "Inclusive; with reached."),
      InstantField("reached_to", "Exclusive; with reached."),
      BoolField("converted",
                "With reached: only those that reached the next stage within window_days "
                "after it (true: the cohort step's passed count) or not (false: its "
                "drop-off)."),
      IntField("window_days", 1, 3650, "With converted; default 90, as the funnel's."),
      EnumField("moved_out", StepStages(),
                "Only contacts that moved out of this stage in [moved_out_from, moved_out_to), "
                "as the funnel's period view counts the step out of it: forward (to a later "
                "main-path stage) or dropped (to recycled or disqualified); a contact moving "
                "out more than once is listed once (docs/analytics.md). Needs moved_out_from and "
                "moved_out_to."),
      InstantField("moved_out_from", "Inclusive; with moved_out."),
      InstantField("moved_out_to", "Exclusive; with moved_out."),
      EnumField("moved", {"forward", "dropped", "any"},
                "With moved_out: the period view's passed count (forward), its drop-off "
                "(dropped) or both (any, the default)."),
      TextField("persona",
                "Only contacts whose score matches this persona key now; none: those matching "
                "no persona (the funnel's persona breakdown)."),
      EnumField("sort", SortValues({"created_at", "updated_at", "email", "last_name"}),
                "A leading '-' sorts descending; default -created_at.")};
  return f;
}

namespace {

std::vector<Field> ListParams() {
  std::vector<Field> f = ContactFilterParams();
  for (auto& p : PageParams()) f.push_back(std::move(p));
  return f;
}

core::Contact ContactFrom(const Body& b) {
  core::Contact c;
  c.email = b.Text("email");
  c.first_name = b.Text("first_name");
  c.last_name = b.Text("last_name");
  c.phone = b.Text("phone");
  c.title = b.Text("title");
  c.company_id = b.Id("company_id");
  c.owner_id = b.Id("owner_id");
  if (auto stage = b.OptText("stage")) c.stage = *core::StageFromString(*stage);
  c.source = b.Text("source");
  c.campaign = b.Text("campaign");
  c.country = b.Text("country");
  c.custom = b.Map("custom");
  return c;
}

app::ContactPatch PatchFrom(const Body& b) {
  app::ContactPatch p;
  p.email = b.OptText("email");
  p.first_name = b.OptText("first_name");
  p.last_name = b.OptText("last_name");
  p.phone = b.OptText("phone");
  p.title = b.OptText("title");
  p.source = b.OptText("source");
  p.campaign = b.OptText("campaign");
  p.country = b.OptText("country");
  if (b.Has("company_id")) p.company_id = b.Id("company_id");
  if (b.Has("owner_id")) p.owner_id = b.Id("owner_id");
  if (b.Has("custom")) p.custom = b.Map("custom");
  return p;
}

}  // namespace

core::Result<ContactListRequest> ContactQueryFrom(const Query& q, core::Id me) {
  ContactListRequest r;
  auto& cq = r.query;
  if (auto s = q.OptText("stage")) cq.stage = core::StageFromString(*s);
  cq.owner_id = q.Id("owner_id");
  if (auto owner = q.OptText("owner")) {
    if (cq.owner_id) {
      return core::Fail(core::Error::Invalid("owner", "owner and owner_id exclude each other"));
    }
    if (*owner == "me") {
      cq.owner_id = me;
    } else {
      cq.unowned = true;
    }
  }
  cq.source = q.OptText("source");
  cq.campaign = q.OptText("campaign");
  cq.company_id = q.Id("company_id");
  cq.created_from = q.Time("created_from");
  cq.created_to = q.Time("created_to");
  cq.text = q.Text("q");
  if (auto stage = q.OptText("reached")) {
    auto from = q.Time("reached_from");
    auto to = q.Time("reached_to");
    if (!from) return core::Fail(core::Error::Invalid("reached_from", "is needed with reached"));
    if (!to) return core::Fail(core::Error::Invalid("reached_to", "is needed with reached"));
    core::ReachFilter f;
    f.stage = *core::StageFromString(*stage);
    f.from = *from;
    f.to = *to;
    f.converted = q.Bool("converted");
    f.window = std::chrono::days(q.Int("window_days").value_or(90));
    cq.reached = f;
  } else {
    for (const char* name : {"reached_from", "reached_to", "converted", "window_days"}) {
      if (q.Has(name))
        return core::Fail(core::Error::Invalid(name, "is only allowed with reached"));
    }
  }
  if (auto stage = q.OptText("moved_out")) {
    auto from = q.Time("moved_out_from");
    auto to = q.Time("moved_out_to");
    if (!from) {
      return core::Fail(core::Error::Invalid("moved_out_from", "is needed with moved_out"));
    }
    if (!to) return core::Fail(core::Error::Invalid("moved_out_to", "is needed with moved_out"));
    core::MoveFilter f;
    f.stage = *core::StageFromString(*stage);
    f.from = *from;
    f.to = *to;
    f.way =
        core::MoveWayFromString(q.OptText("moved").value_or("any")).value_or(core::MoveWay::kAny);
    cq.moved_out = f;
  } else {
    for (const char* name : {"moved_out_from", "moved_out_to", "moved"}) {
      if (q.Has(name)) {
        return core::Fail(core::Error::Invalid(name, "is only allowed with moved_out"));
      }
    }
  }
  if (auto persona = q.OptText("persona")) {
    if (persona->empty()) {
      return core::Fail(core::Error::Invalid("persona", "give a persona key, or none"));
    }
    cq.persona = *persona == "none" ? std::string() : *persona;
  }
  const std::string sort = q.OptText("sort").value_or("-created_at");
  auto [name, dir] = SplitSort(sort);
  cq.sort = *core::ContactSortFromString(name);
  cq.dir = dir;
  r.list = "contacts:" + sort;
  TANDEM_ASSIGN(cq.page, PageFrom(q, r.list));
  return r;
}

namespace {

Schema BulkAssignSchema() {
  return {"BulkAssign",
          "Contacts to give to one owner: explicit ids or the list's filter, not both.",
          {IdField("owner_id", "The new owner: an active user.").Required(),
           IdListField("ids", "At most 1000 distinct contact ids."),
           TextField("filter",
                     "Every contact matching this query string of GET /api/v1/contacts "
                     "(without limit and cursor), at most 1000: \"stage=mql&owner=none\".")}};
}

constexpr std::string_view kCsvColumns[] = {
    "id",          "email",   "first_name",       "last_name",
    "title",       "phone",   "company_id",       "owner_id",
    "owner_email", "stage",   "stage_entered_at", "source",
    "campaign",    "country", "created_at",       "updated_at"};

void AppendContactRow(std::string& out, const core::Contact& c,
                      const std::map<core::Id, std::string>& emails) {
  const auto id_text = [](const std::optional<core::Id>& id) {
    return id ? std::to_string(*id) : std::string();
  };
  std::string owner_email;
  if (c.owner_id) {
    auto it = emails.find(*c.owner_id);
    if (it != emails.end()) owner_email = it->second;
  }
  const std::string id = std::to_string(c.id), company = id_text(c.company_id),
                    owner = id_text(c.owner_id), entered = core::FormatInstant(c.stage_entered_at),
                    created = core::FormatInstant(c.created_at),
                    updated = core::FormatInstant(c.updated_at);
  core::csv::AppendRecord(
      out, {id, c.email, c.first_name, c.last_name, c.title, c.phone, company, owner, owner_email,
            core::ToString(c.stage), entered, c.source, c.campaign, c.country, created, updated});
}

// Rows per store read while streaming: one page of the list at its largest.
constexpr int kExportPage = core::kMaxPageSize;

core::Result<Response> ExportReply(const Call& c, app::ContactService& svc, app::UserService& users,
                                   const base::Clock& clock) {
  TANDEM_ASSIGN(auto req, ContactQueryFrom(c.query, c.principal().user_id));
  const std::string& target = c.request.target;
  const auto mark = target.find('?');
  TANDEM_TRY(svc.RecordExport(c.principal(),
                              mark == std::string::npos ? std::string() : target.substr(mark + 1)));
  struct State {
    core::Principal who;
    core::ContactQuery query;
    std::map<core::Id, std::string> emails;
  };
  auto state = std::make_shared<State>(State{c.principal(), req.query, {}});
  state->query.page.limit = kExportPage;
  state->query.page.after.reset();
  // Owners by email: a company has tens or hundreds of users, read once.
  core::UserQuery uq;
  uq.page.limit = core::kMaxPageSize;
  for (;;) {
    TANDEM_ASSIGN(auto page, users.List(c.principal(), uq));
    for (const auto& u : page.items) state->emails[u.id] = u.email;
    if (!page.next) break;
    uq.page.after = page.next;
  }
  Response r = Response::Text(200, {}, "text/csv; charset=utf-8");
  core::csv::AppendRecord(
      r.body, std::vector<std::string_view>(std::begin(kCsvColumns), std::end(kCsvColumns)));
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"contacts-" +
                                                    core::FormatInstant(clock.Now()).substr(0, 10) +
                                                    ".csv\"");
  r.stream = [&svc, state](std::string& out) -> core::Result<bool> {
    TANDEM_ASSIGN(auto page, svc.List(state->who, state->query));
    out.reserve(page.items.size() * 200);
    for (const auto& contact : page.items) AppendContactRow(out, contact, state->emails);
    state->query.page.after = page.next;
    return page.next.has_value();
  };
  return r;
}

std::string Location(core::Id id) {
  return std::string(kBase) + "/" + std::to_string(id);
}

}  // namespace

core::Result<ContactListRequest> ContactQueryFromText(const std::string& text, core::Id me,
                                                      const std::string& field) {
  const auto bad = [&](const core::Error& e) {
    return core::Fail(core::Error::Invalid(
        field, (e.field.empty() ? std::string() : e.field + ": ") + e.message));
  };
  if (!text.empty() && text.front() == '?') {
    return core::Fail(core::Error::Invalid(field, "give the query string without its '?'"));
  }
  auto request = MakeRequest("GET", "/?" + text);
  if (!request) return bad(request.error());
  auto q = Query::Parse(request->query, ContactFilterParams());
  if (!q) return bad(q.error());
  auto r = ContactQueryFrom(*q, me);
  if (!r) return bad(r.error());
  return r;
}

void AddContactRoutes(RouteTable& t, const Deps& d) {
  app::ContactService& svc = d.services.contacts;
  const std::string one = std::string(kBase) + "/{id}";

  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "createContact",
         .summary = "Create a contact",
         .tag = "contacts",
         .body = CreateSchema(),
         .reply = {.status = 201, .schema = "Contact"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto contact, svc.Create(c.principal(), ContactFrom(c.body)));
           return CreatedReply(Location(contact.id), ContactJson(contact));
         }});
  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "listContacts",
         .summary = "List contacts",
         .tag = "contacts",
         .query = ListParams(),
         .reply = {.schema = "Contact", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto req, ContactQueryFrom(c.query, c.principal().user_id));
           TANDEM_ASSIGN(auto page, svc.List(c.principal(), req.query));
           return PageReply(page, req.list, ContactJson);
         }});
  // Before the {id} routes: the first pattern that matches answers.
  t.Add({.method = "GET",
         .pattern = std::string(kBase) + "/export.csv",
         .operation_id = "exportContacts",
         .summary = "The contacts list's filter as a CSV file, streamed",
         .tag = "contacts",
         .query = ContactFilterParams(),
         .reply = {.content_type = "text/csv",
                   .doc = "RFC 4180 with a header row, CRLF line ends, UTF-8; every contact "
                          "matching the filters in the list's sort order, read from the store "
                          "a page at a time while it is sent (chunked), so the size of the "
                          "base does not matter. Audited (entity contacts_export)."},
         .fn = [&svc, &users = d.services.users, &clock = d.clock](const Call& c)
             -> core::Result<Response> { return ExportReply(c, svc, users, clock); }});
  t.Add({.method = "POST",
         .pattern = std::string(kBase) + "/bulk-assign",
         .operation_id = "bulkAssignContacts",
         .summary = "Assign contacts to an owner, all or none",
         .tag = "contacts",
         .body = BulkAssignSchema(),
         .reply = {.schema = "BulkAssignResult",
                   .doc = "Every named or matching contact is assigned in one transaction, or "
                          "none is: 400 names a missing contact, 403 a contact the caller may "
                          "not assign, 422 (field filter) more than 1000 matching contacts. "
                          "Leads in the handoff (MQLs) get a manual assignment with SLA clocks "
                          "and the owner's lead.assigned notification."},
         .fn = [&assign = d.services.assign](const Call& c) -> core::Result<Response> {
           const core::Id owner = *c.body.Id("owner_id");
           const bool by_ids = c.body.Has("ids");
           const bool by_filter = c.body.Has("filter");
           if (by_ids == by_filter) {
             return core::Fail(core::Error::Invalid(
                 by_ids ? "filter" : "ids", "give either ids or filter, exactly one of them"));
           }
           app::BulkAssignOutcome out;
           if (by_ids) {
             TANDEM_ASSIGN(out, assign.AssignIds(c.principal(), owner, c.body.Ids("ids")));
           } else {
             TANDEM_ASSIGN(auto req, ContactQueryFromText(c.body.Text("filter"),
                                                          c.principal().user_id, "filter"));
             TANDEM_ASSIGN(out, assign.AssignMatching(c.principal(), owner, req.query));
           }
           json::object body;
           body["matched"] = out.matched;
           body["assigned"] = out.assigned;
           body["handed_over"] = out.handed_over;
           json::array unchanged;
           for (core::Id id : out.unchanged) unchanged.push_back(id);
           body["unchanged"] = std::move(unchanged);
           return JsonReply(200, body);
         }});
  t.Add({.method = "GET",
         .pattern = std::string(kBase) + "/stage-counts",
         .operation_id = "countContactsByStage",
         .summary = "How many contacts are in each lifecycle stage now",
         .tag = "contacts",
         .reply = {.schema = "StageCounts"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto counts, svc.CountByStage(c.principal()));
           json::array stages;
           std::int64_t total = 0;
           for (const auto& [stage, n] : counts) {
             stages.push_back(json::object{{"stage", core::ToString(stage)}, {"count", n}});
             total += n;
           }
           json::object body;
           body["total"] = total;
           body["stages"] = std::move(stages);
           return JsonReply(200, body);
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getContact",
         .summary = "Get a contact",
         .tag = "contacts",
         .reply = {.schema = "Contact"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto contact, svc.Get(c.principal(), c.id()));
           return JsonReply(200, ContactJson(contact));
         }});
  t.Add({.method = "PATCH",
         .pattern = one,
         .operation_id = "updateContact",
         .summary = "Change some fields of a contact",
         .tag = "contacts",
         .body = PatchSchema(),
         .reply = {.schema = "Contact"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto contact, svc.Update(c.principal(), c.id(), PatchFrom(c.body)));
           return JsonReply(200, ContactJson(contact));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "deleteContact",
         .summary = "Delete a contact with its stage history and activities",
         .tag = "contacts",
         .reply = {.status = 204},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(svc.Delete(c.principal(), c.id()));
           return Response::NoContent();
         }});
  t.Add({.method = "POST",
         .pattern = one + "/stage",
         .operation_id = "moveContactStage",
         .summary = "Move a contact through the lifecycle",
         .tag = "contacts",
         .body = StageSchema(),
         .reply = {.schema = "Contact",
                   .doc = "The contact in its new stage. 422 when the move is not allowed, "
                          "naming the allowed next stages."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           const auto to = *core::StageFromString(c.body.Text("stage"));
           TANDEM_ASSIGN(auto contact,
                         svc.ChangeStage(c.principal(), c.id(), to, c.body.Text("reason")));
           return JsonReply(200, ContactJson(contact));
         }});
  t.Add({.method = "GET",
         .pattern = one + "/history",
         .operation_id = "getContactHistory",
         .summary = "A contact's stage history, oldest first",
         .tag = "contacts",
         .reply = {.schema = "StageChange", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto history, svc.History(c.principal(), c.id()));
           json::array items;
           for (const auto& s : history) items.emplace_back(StageChangeJson(s));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "GET",
         .pattern = one + "/timeline",
         .operation_id = "getContactTimeline",
         .summary = "A contact's stage changes, activities and deals, newest first",
         .tag = "contacts",
         .reply = {.schema = "TimelineItem", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto timeline, svc.Timeline(c.principal(), c.id()));
           json::array items;
           for (const auto& item : timeline) items.emplace_back(TimelineItemJson(item));
           return ItemsReply(std::move(items));
         }});

  t.AddSchema(
      {"StageCount",
       "Contacts in one stage.",
       {EnumField("stage", StageNames(), "").Required(), IntField("count", 0, 0, "").Required()}});
  t.AddSchema(
      {"BulkAssignResult",
       "What a bulk assignment did.",
       {IntField("matched", 0, 0, "Contacts named or matching the filter.").Required(),
        IntField("assigned", 0, 0, "Contacts whose owner or assignment changed.").Required(),
        IntField("handed_over", 0, 0,
                 "Of those, leads in the handoff recorded as manual assignments.")
            .Required(),
        StringListField("unchanged", "Ids of contacts the owner already had.")}});
  t.AddSchema({"StageCounts",
               "Contacts per lifecycle stage now, every stage in lifecycle order.",
               {IntField("total", 0, 0, "Every contact.").Required(),
                ListField("stages", "StageCount", "").Required()}});
}

}  // namespace tandem::api
