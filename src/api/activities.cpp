// /api/v1/activities: calls, emails, meetings and notes; CRUD and lists.
#include "api/dto.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

namespace {

constexpr const char* kBase = "/api/v1/activities";
constexpr std::int64_t kMaxMinutes = 60 * 24 * 31;

Schema CreateSchema() {
  return {"ActivityCreate",
          "A new activity.",
          {EnumField("type", ActivityTypeNames(), "").Required(), IdField("contact_id", ""),
           IdField("deal_id", ""), IdField("owner_id", "Who did it; defaults to the caller."),
           InstantField("occurred_at", "Defaults to now."), TextField("subject", ""),
           TextField("outcome", "connected, no_answer, left_voicemail, replied, ..."),
           TextField("body", ""), IntField("duration_minutes", 0, kMaxMinutes, "")}};
}

Schema PatchSchema() {
  return {"ActivityPatch",
          "Fields to change; absent fields keep their value.",
          {EnumField("type", ActivityTypeNames(), ""), InstantField("occurred_at", ""),
           TextField("subject", ""), TextField("outcome", ""), TextField("body", ""),
           IntField("duration_minutes", 0, kMaxMinutes, "null: unknown.").Nullable()}};
}

std::vector<Field> ListParams() {
  std::vector<Field> f = {IdField("contact_id", ""),
                          IdField("deal_id", ""),
                          IdField("owner_id", ""),
                          EnumField("type", ActivityTypeNames(), ""),
                          InstantField("from", "occurred_at, inclusive."),
                          InstantField("to", "occurred_at, exclusive."),
                          EnumField("sort", SortValues({"occurred_at"}),
                                    "A leading '-' sorts descending; default -occurred_at.")};
  for (auto& p : PageParams()) f.push_back(std::move(p));
  return f;
}

core::Activity ActivityFrom(const Body& b) {
  core::Activity a;
  a.type = *core::ActivityTypeFromString(b.Text("type"));
  a.contact_id = b.Id("contact_id");
  a.deal_id = b.Id("deal_id");
  a.owner_id = b.Id("owner_id").value_or(0);
  a.occurred_at = b.Time("occurred_at").value_or(core::Instant{});
  a.subject = b.Text("subject");
  a.outcome = b.Text("outcome");
  a.body = b.Text("body");
  a.duration_minutes = b.Int("duration_minutes");
  return a;
}

app::ActivityPatch PatchFrom(const Body& b) {
  app::ActivityPatch p;
  if (auto t = b.OptText("type")) p.type = core::ActivityTypeFromString(*t);
  p.occurred_at = b.Time("occurred_at");
  p.subject = b.OptText("subject");
  p.outcome = b.OptText("outcome");
  p.body = b.OptText("body");
  if (b.Has("duration_minutes")) p.duration_minutes = b.Int("duration_minutes");
  return p;
}

std::string Location(core::Id id) {
  return std::string(kBase) + "/" + std::to_string(id);
}

}  // namespace

void AddActivityRoutes(RouteTable& t, const Deps& d) {
  app::ActivityService& svc = d.services.activities;
  const std::string one = std::string(kBase) + "/{id}";

  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "createActivity",
         .summary = "Log an activity",
         .tag = "activities",
         .body = CreateSchema(),
         .reply = {.status = 201, .schema = "Activity"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto activity, svc.Create(c.principal(), ActivityFrom(c.body)));
           return CreatedReply(Location(activity.id), ActivityJson(activity));
         }});
  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "listActivities",
         .summary = "List activities by time",
         .tag = "activities",
         .query = ListParams(),
         .reply = {.schema = "Activity", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::ActivityQuery q;
           q.contact_id = c.query.Id("contact_id");
           q.deal_id = c.query.Id("deal_id");
           q.owner_id = c.query.Id("owner_id");
           if (auto s = c.query.OptText("type")) q.type = core::ActivityTypeFromString(*s);
           q.from = c.query.Time("from");
           q.to = c.query.Time("to");
           const std::string sort = c.query.OptText("sort").value_or("-occurred_at");
           q.dir = SplitSort(sort).second;
           const std::string list = "activities:" + sort;
           TANDEM_ASSIGN(q.page, PageFrom(c.query, list));
           TANDEM_ASSIGN(auto page, svc.List(c.principal(), q));
           return PageReply(page, list, ActivityJson);
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getActivity",
         .summary = "Get an activity",
         .tag = "activities",
         .reply = {.schema = "Activity"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto activity, svc.Get(c.principal(), c.id()));
           return JsonReply(200, ActivityJson(activity));
         }});
  t.Add({.method = "PATCH",
         .pattern = one,
         .operation_id = "updateActivity",
         .summary = "Change some fields of an activity",
         .tag = "activities",
         .body = PatchSchema(),
         .reply = {.schema = "Activity"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto activity, svc.Update(c.principal(), c.id(), PatchFrom(c.body)));
           return JsonReply(200, ActivityJson(activity));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "deleteActivity",
         .summary = "Delete an activity",
         .tag = "activities",
         .reply = {.status = 204},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(svc.Delete(c.principal(), c.id()));
           return Response::NoContent();
         }});
}

}  // namespace tandem::api
