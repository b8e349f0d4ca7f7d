// The handoff (docs/handoff.md): accept and reject a lead, a contact's assignments and SLA
// clocks, reps' absences and the routing distribution report.
#include "api/dto.hpp"
#include "api/handlers.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

constexpr const char* kContacts = "/api/v1/contacts/{id}";

Field Out(Field f) {
  return std::move(f).Required();
}

json::value OptId(const std::optional<core::Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}
json::value OptInstant(const std::optional<core::Instant>& t) {
  return t ? json::value(core::FormatInstant(*t)) : json::value(nullptr);
}
json::value OptInt(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

std::vector<std::string> RuleNames() {
  return {"account_owner", "persona_owner", "territory",  "round_robin",
          "weighted",      "least_loaded",  "unassigned", "manual"};
}

json::object AssignmentJson(const core::Assignment& a) {
  json::object o;
  o["id"] = a.id;
  o["contact_id"] = a.contact_id;
  o["owner_id"] = OptId(a.owner_id);
  o["owner_email"] = a.owner_email;
  o["rule"] = core::ToString(a.rule);
  o["code"] = a.code;
  o["text"] = a.text;
  o["contract_version_id"] = OptId(a.contract_version_id);
  o["qualified_at"] = core::FormatInstant(a.qualified_at);
  o["assigned_at"] = core::FormatInstant(a.assigned_at);
  o["system_latency_ms"] = a.system_latency().count();
  o["status"] = core::ToString(a.status);
  o["first_touch_at"] = OptInstant(a.first_touch_at);
  o["attempts"] = a.attempts;
  o["ended_at"] = OptInstant(a.ended_at);
  o["reason"] = a.reason;
  o["note"] = a.note;
  return o;
}

json::object ClockJson(const core::SlaClock& c, const app::ClockTiming* timing) {
  json::object o;
  o["id"] = c.id;
  o["contact_id"] = c.contact_id;
  o["assignment_id"] = c.assignment_id;
  o["owner_id"] = c.owner_id;
  o["obligation"] = core::ToString(c.obligation);
  o["contract_version_id"] = c.contract_version_id;
  o["state"] = core::ToString(c.state());
  o["started_at"] = core::FormatInstant(c.started_at);
  o["due_at"] = core::FormatInstant(c.due_at);
  o["target"] = c.target;
  o["progress"] = c.progress;
  o["met_at"] = OptInstant(c.met_at);
  o["breached_at"] = OptInstant(c.breached_at);
  o["cancelled_at"] = OptInstant(c.cancelled_at);
  o["remaining_business_seconds"] =
      timing ? json::value(std::chrono::floor<std::chrono::seconds>(timing->remaining).count())
             : json::value(nullptr);
  o["counting"] = timing ? json::value(timing->counting) : json::value(nullptr);
  o["counting_changes_at"] = timing ? OptInstant(timing->changes_at) : json::value(nullptr);
  return o;
}

json::object EscalationJson(const core::SlaEscalation& e) {
  json::object o;
  o["id"] = e.id;
  o["clock_id"] = e.clock_id;
  o["step"] = e.step;
  o["action"] = core::ToString(e.action);
  o["due_at"] = core::FormatInstant(e.due_at);
  o["done_at"] = OptInstant(e.done_at);
  o["outcome"] = e.outcome;
  return o;
}

json::object DistributionJson(const app::DistributionView& v) {
  json::object o;
  o["from"] = core::FormatInstant(v.from);
  o["to"] = core::FormatInstant(v.to);
  o["total"] = v.report.total;
  o["assigned"] = v.report.assigned;
  o["unassigned"] = v.report.unassigned;
  json::object by_reason;
  for (const auto& [reason, n] : v.report.unassigned_by_reason) by_reason[reason] = n;
  o["unassigned_by_reason"] = std::move(by_reason);
  json::array reps;
  for (const auto& r : v.report.reps) {
    json::object rep;
    rep["user_id"] = r.user_id;
    rep["email"] = r.email;
    rep["leads"] = r.leads;
    rep["share"] = r.share;
    json::object by_rule;
    for (const auto& [rule, n] : r.by_rule) by_rule[rule] = n;
    rep["by_rule"] = std::move(by_rule);
    reps.emplace_back(std::move(rep));
  }
  o["reps"] = std::move(reps);
  o["system_latency_p50_ms"] = OptInt(v.system_latency_p50_ms);
  o["system_latency_p99_ms"] = OptInt(v.system_latency_p99_ms);
  o["system_latency_max_ms"] = OptInt(v.system_latency_max_ms);
  return o;
}

std::shared_ptr<const Schema> AbsenceInput() {
  static const auto s = std::make_shared<const Schema>(
      Schema{"Absence",
             "Days the rep takes no leads, both ends included, in the contract's zone.",
             {DateField("first", "").Required(), DateField("last", "").Required()}});
  return s;
}

void AddHandoffSchemas(RouteTable& t) {
  t.AddSchema(*AbsenceInput());
  t.AddSchema(
      {"Assignment",
       "One routing decision stored: who got the lead (or why nobody did), the rule "
       "that decided, and what the rep did with it.",
       {Out(IdField("id", "")), Out(IdField("contact_id", "")),
        Out(IdField("owner_id", "Null when unassigned.").Nullable()),
        Out(TextField("owner_email", "")), Out(EnumField("rule", RuleNames(), "")),
        Out(TextField("code", "Machine code of the decision, e.g. territory:DE/round_robin.")),
        Out(TextField("text", "The decision in words, with why earlier steps passed.")),
        Out(IdField("contract_version_id", "").Nullable()),
        Out(InstantField("qualified_at", "When the event that qualified the lead happened.")),
        Out(InstantField("assigned_at", "")),
        Out(IntField("system_latency_ms", 0, INT64_MAX, "assigned_at - qualified_at.")),
        Out(EnumField("status",
                      {"open", "accepted", "rejected", "reassigned", "unassigned", "closed"}, "")),
        Out(InstantField("first_touch_at", "").Nullable()),
        Out(IntField("attempts", 0, INT32_MAX, "")), Out(InstantField("ended_at", "").Nullable()),
        Out(TextField("reason", "")), Out(TextField("note", ""))}});
  t.AddSchema(
      {"SlaClock",
       "One sales obligation of one assignment, with its due time on the business "
       "calendar and the contract version it runs under.",
       {Out(IdField("id", "")), Out(IdField("contact_id", "")), Out(IdField("assignment_id", "")),
        Out(IdField("owner_id", "")),
        Out(EnumField("obligation", {"first_touch", "attempts", "disposition"}, "")),
        Out(IdField("contract_version_id", "")),
        Out(EnumField("state", {"open", "met", "breached", "cancelled"}, "")),
        Out(InstantField("started_at", "")), Out(InstantField("due_at", "")),
        Out(IntField("target", 1, INT32_MAX, "")), Out(IntField("progress", 0, INT32_MAX, "")),
        Out(InstantField("met_at", "").Nullable()),
        Out(InstantField("breached_at", "Always the due time.").Nullable()),
        Out(InstantField("cancelled_at", "").Nullable()),
        Out(IntField("remaining_business_seconds", 0, 0,
                     "Open clocks: business time from the view's as_of to the due time on the "
                     "owner's calendar, negative once overdue; null otherwise.")
                .Nullable()),
        Out(BoolField("counting",
                      "Open clocks: whether business time passes at as_of (the calendar is "
                      "open); null otherwise.")
                .Nullable()),
        Out(InstantField("counting_changes_at",
                         "Open clocks: when counting flips next (the close of the current "
                         "business hours, or the next opening); null when not before the due "
                         "time or within 7 days.")
                .Nullable())}});
  t.AddSchema({"SlaEscalation",
               "A step of the contract's escalation chain run for a breached clock.",
               {Out(IdField("id", "")), Out(IdField("clock_id", "")),
                Out(IntField("step", 0, INT32_MAX, "")),
                Out(EnumField("action", {"notify_owner", "reassign", "notify_manager"}, "")),
                Out(InstantField("due_at", "")), Out(InstantField("done_at", "").Nullable()),
                Out(TextField("outcome", ""))}});
  t.AddSchema(
      {"ContactHandoff",
       "A contact's assignments (newest first), SLA clocks and escalation steps.",
       {Out(ListField("assignments", "Assignment", "")), Out(ListField("clocks", "SlaClock", "")),
        Out(ListField("escalations", "SlaEscalation", "")),
        Out(InstantField("as_of",
                         "The server's time of the answer: the clocks' timing is as "
                         "of it."))}});
  t.AddSchema({"RepDistribution",
               "",
               {Out(IdField("user_id", "")), Out(TextField("email", "")),
                Out(IntField("leads", 0, INT32_MAX, "")), Out(NumberField("share", "0..1")),
                Out(MapField("by_rule", "Leads per routing rule."))}});
  t.AddSchema(
      {"RoutingDistribution",
       "Leads routed in [from, to) per rep, unassigned leads per reason, and system latency.",
       {Out(InstantField("from", "")), Out(InstantField("to", "")),
        Out(IntField("total", 0, INT32_MAX, "")), Out(IntField("assigned", 0, INT32_MAX, "")),
        Out(IntField("unassigned", 0, INT32_MAX, "")), Out(MapField("unassigned_by_reason", "")),
        Out(ListField("reps", "RepDistribution", "")),
        Out(IntField("system_latency_p50_ms", 0, INT64_MAX, "").Nullable()),
        Out(IntField("system_latency_p99_ms", 0, INT64_MAX, "").Nullable()),
        Out(IntField("system_latency_max_ms", 0, INT64_MAX, "").Nullable())}});
  t.AddSchema({"Absences", "", {Out(NestedListField("absences", AbsenceInput(), ""))}});
}

}  // namespace

void AddHandoffRoutes(RouteTable& t, const Deps& d) {
  app::HandoffService& svc = d.services.handoff;
  AddHandoffSchemas(t);
  const std::string one = kContacts;

  t.Add({.method = "POST",
         .pattern = one + "/accept",
         .operation_id = "acceptLead",
         .summary = "Accept an MQL (-> sal): the owner, a manager or an admin",
         .tag = "handoff",
         .reply = {.schema = "Contact",
                   .doc = "403 for anyone else; 409 when the contact is not an mql."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto contact, svc.Accept(c.principal(), c.id()));
           return JsonReply(200, ContactJson(contact));
         }});
  t.Add({.method = "POST",
         .pattern = one + "/reject",
         .operation_id = "rejectLead",
         .summary = "Reject an MQL with a reason code of the contract (-> recycled or "
                    "disqualified, as the reason says)",
         .tag = "handoff",
         .body = Schema{"LeadReject",
                        "A rejection.",
                        {TextField("reason",
                                   "A rejection reason code of the contract in force; "
                                   "422 when missing or unknown."),
                         TextField("note", "Optional, for marketing.")}},
         .reply = {.schema = "Contact",
                   .doc = "403 unless the owner, a manager or an admin; 409 when the contact is "
                          "not an mql; 422 for a missing or unknown reason."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto contact, svc.Reject(c.principal(), c.id(), c.body.Text("reason"),
                                                  c.body.Text("note")));
           return JsonReply(200, ContactJson(contact));
         }});
  t.Add({.method = "GET",
         .pattern = one + "/handoff",
         .operation_id = "getContactHandoff",
         .summary = "A contact's assignments, SLA clocks and escalation steps",
         .tag = "handoff",
         .reply = {.schema = "ContactHandoff"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto view, svc.View(c.principal(), c.id()));
           json::object o;
           json::array assignments, clocks, escalations;
           for (const auto& a : view.assignments) assignments.emplace_back(AssignmentJson(a));
           for (const auto& k : view.clocks) {
             auto it = view.timings.find(k.id);
             clocks.emplace_back(ClockJson(k, it == view.timings.end() ? nullptr : &it->second));
           }
           for (const auto& e : view.escalations) escalations.emplace_back(EscalationJson(e));
           o["assignments"] = std::move(assignments);
           o["clocks"] = std::move(clocks);
           o["escalations"] = std::move(escalations);
           o["as_of"] = core::FormatInstant(view.as_of);
           return JsonReply(200, o);
         }});
  t.Add({.method = "GET",
         .pattern = "/api/v1/routing/distribution",
         .operation_id = "getRoutingDistribution",
         .summary = "Leads routed per rep in [from, to)",
         .tag = "handoff",
         .query = {InstantField("from", "Inclusive.").Required(),
                   InstantField("to", "Exclusive.").Required()},
         .reply = {.schema = "RoutingDistribution"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto view, svc.Distribution(c.principal(), *c.query.Time("from"),
                                                     *c.query.Time("to")));
           return JsonReply(200, DistributionJson(view));
         }});
  t.Add({.method = "PUT",
         .pattern = "/api/v1/users/{id}/absences",
         .operation_id = "setUserAbsences",
         .summary = "Replace a rep's absences (routing skips absent reps)",
         .tag = "handoff",
         .body = Schema{"AbsencesPut",
                        "Every absence of the user; an empty list clears them.",
                        {NestedListField("absences", AbsenceInput(), "").Required()}},
         .reply = {.schema = "Absences"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           std::vector<core::DateRange> ranges;
           for (const auto& v : c.body.Raw("absences")->as_array()) {
             const auto& o = v.as_object();
             auto first = core::ParseDate(o.at("first").as_string());
             auto last = core::ParseDate(o.at("last").as_string());
             ranges.push_back({*first, *last});
           }
           TANDEM_ASSIGN(auto out, svc.SetAbsences(c.principal(), c.id(), std::move(ranges)));
           json::array items;
           for (const auto& r : out) {
             items.emplace_back(json::object{{"first", core::FormatDate(r.first)},
                                             {"last", core::FormatDate(r.last)}});
           }
           return JsonReply(200, json::object{{"absences", std::move(items)}});
         }});
}

}  // namespace tandem::api
