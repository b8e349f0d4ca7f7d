// /api/v1/contract: the smarketing contract in force (JSON), its versions, activation (a TOML
// body, admins only) and acknowledgement by the party heads; /contract: the contract in force
// as a readable HTML document.
#include <boost/json/array.hpp>

#include "api/dto.hpp"
#include "api/handlers.hpp"
#include "api/static_files.hpp"
#include "app/contract_compare.hpp"
#include "app/contract_file.hpp"

namespace tandem::api {

namespace json = boost::json;

namespace {

constexpr const char* kBase = "/api/v1/contract";

json::value OptInstant(const std::optional<core::Instant>& t) {
  if (!t) return nullptr;
  return json::value(core::FormatInstant(*t));
}

json::object VersionJson(const core::ContractVersion& v) {
  json::object o;
  o["id"] = v.id;
  o["name"] = v.name;
  o["hash"] = v.hash;
  o["effective_at"] = core::FormatInstant(v.effective_at);
  o["activated_at"] = core::FormatInstant(v.activated_at);
  o["activated_by"] = v.activated_by ? json::value(*v.activated_by) : json::value(nullptr);
  o["activated_by_label"] = v.activated_by_label;
  return o;
}

json::object AckJson(const core::ContractAcknowledgement& a) {
  json::object o;
  o["version_id"] = a.version_id;
  o["user_id"] = a.user_id;
  o["email"] = a.email;
  o["team"] = a.team;
  o["acknowledged_at"] = core::FormatInstant(a.acknowledged_at);
  return o;
}

json::object CalendarJson(const core::CalendarSpec& c) {
  json::object o;
  o["time_zone"] = c.time_zone;
  o["overnight"] = c.overnight;
  json::object hours;
  for (int d = 0; d < 7; ++d) {
    json::array spans;
    for (const auto& i : c.hours.days[static_cast<std::size_t>(d)]) {
      spans.emplace_back(core::FormatDayInterval(i));
    }
    hours[core::WeekdayName(d)] = std::move(spans);
  }
  o["hours"] = std::move(hours);
  json::array holidays;
  for (const auto& h : c.holidays) holidays.emplace_back(core::FormatDate(h));
  o["holidays"] = std::move(holidays);
  return o;
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::value OptInt(const std::optional<int>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

// The terms, shaped as the file (docs/contract.md), with defaults filled in.
json::object TermsJson(const core::Contract& c) {
  json::object o;
  o["name"] = c.name;
  o["personas"] = Strings(c.personas);
  json::array objectives;
  for (const auto& x : c.objectives) {
    objectives.emplace_back(json::object{{"key", x.key}, {"text", x.text}, {"goal", x.goal}});
  }
  o["objectives"] = std::move(objectives);
  o["mql"] = json::object{{"rule", c.mql_rule}};
  o["marketing"] =
      json::object{{"mql_quota", c.marketing.mql_quota},
                   {"quota_period", core::ToString(c.marketing.quota_period)},
                   {"min_grade_ab_percent", OptInt(c.marketing.min_grade_ab_percent)},
                   {"min_persona_match_percent", OptInt(c.marketing.min_persona_match_percent)}};
  o["sales"] = json::object{{"first_touch_hours", c.sales.first_touch_hours},
                            {"attempts", c.sales.attempts},
                            {"attempts_within_days", c.sales.attempts_within_days},
                            {"disposition_days", c.sales.disposition_days}};
  json::object routing;
  routing["strategy"] = core::ToString(c.routing.strategy);
  routing["fallback"] =
      c.routing.fallback ? json::value(core::ToString(*c.routing.fallback)) : json::value(nullptr);
  routing["default_capacity"] = OptInt(c.routing.default_capacity);
  json::array reps, territories, owners;
  for (const auto& r : c.routing.reps) {
    reps.emplace_back(
        json::object{{"email", r.email}, {"weight", r.weight}, {"capacity", OptInt(r.capacity)}});
  }
  for (const auto& t : c.routing.territories) {
    territories.emplace_back(json::object{{"name", t.name},
                                          {"countries", Strings(t.countries)},
                                          {"regions", Strings(t.regions)},
                                          {"team", t.team},
                                          {"rep", t.rep_email}});
  }
  for (const auto& p : c.routing.persona_owners) {
    owners.emplace_back(
        json::object{{"persona", p.persona}, {"team", p.team}, {"rep", p.rep_email}});
  }
  routing["reps"] = std::move(reps);
  routing["territories"] = std::move(territories);
  routing["persona_owners"] = std::move(owners);
  o["routing"] = std::move(routing);
  json::array reasons, recycle, escalation;
  for (const auto& r : c.rejection_reasons) {
    reasons.emplace_back(
        json::object{{"code", r.code}, {"label", r.label}, {"next", core::ToString(r.next)}});
  }
  for (const auto& r : c.recycle_rules) {
    recycle.emplace_back(json::object{{"reasons", Strings(r.reasons)},
                                      {"wait_days", r.wait_days},
                                      {"requires_new_engagement", r.requires_new_engagement}});
  }
  for (const auto& e : c.escalation) {
    escalation.emplace_back(
        json::object{{"after_hours", e.after_hours}, {"action", core::ToString(e.action)}});
  }
  o["rejection_reasons"] = std::move(reasons);
  o["recycle"] = std::move(recycle);
  o["escalation"] = std::move(escalation);
  o["calendar"] = CalendarJson(c.calendar);
  json::array team_calendars;
  for (const auto& t : c.team_calendars) {
    json::object cal = CalendarJson(t.calendar);
    cal["team"] = t.team;
    team_calendars.emplace_back(std::move(cal));
  }
  o["team_calendars"] = std::move(team_calendars);
  if (c.compensation) {
    const auto& k = *c.compensation;
    json::array kpis;
    for (const auto& t : k.kpis) {
      kpis.emplace_back(json::object{{"kpi", core::ToString(t.kpi)},
                                     {"weight", t.weight_percent},
                                     {"threshold_percent", t.threshold_percent},
                                     {"cap_percent", t.cap_percent}});
    }
    o["compensation"] = json::object{{"pool", static_cast<double>(k.pool_cents) / 100.0},
                                     {"currency", k.currency},
                                     {"period", core::ToString(k.period)},
                                     {"cap_percent", k.cap_percent},
                                     {"kpis", std::move(kpis)}};
  } else {
    o["compensation"] = nullptr;
  }
  return o;
}

std::optional<core::Instant> AckedAt(const app::ContractInForce& c, const std::string& email) {
  for (const auto& a : c.acknowledgements) {
    if (a.email == email) return a.acknowledged_at;
  }
  return std::nullopt;
}

json::object DocumentJson(const app::ContractInForce& c) {
  json::object o;
  o["version"] = VersionJson(c.version);
  o["text"] = c.version.text;
  json::array parties;
  for (const auto& p : c.contract.parties) {
    parties.emplace_back(json::object{{"side", core::ToString(p.side)},
                                      {"team", p.team},
                                      {"head", p.head_email},
                                      {"acknowledged_at", OptInstant(AckedAt(c, p.head_email))}});
  }
  o["parties"] = std::move(parties);
  json::array acks;
  for (const auto& a : c.acknowledgements) acks.emplace_back(AckJson(a));
  o["acknowledgements"] = std::move(acks);
  o["terms"] = TermsJson(c.contract);
  return o;
}

// ----- the HTML document ---------------------------------------------------------------------

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(ch);
    }
  }
  return out;
}

std::string Row(std::string_view label, std::string_view value) {
  return "<tr><th>" + Esc(label) + "</th><td>" + Esc(value) + "</td></tr>\n";
}

std::string ContractHtml(const app::ContractInForce& in) {
  const core::Contract& c = in.contract;
  std::string h =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>" +
      Esc(c.name) +
      "</title><style>"
      "body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
      "color:#222}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px "
      "solid #ddd}table{border-collapse:collapse}th,td{text-align:left;padding:.2rem .8rem .2rem "
      "0;vertical-align:top}th{font-weight:600}.meta{color:#666}"
      "</style></head><body>\n";
  h += "<h1>" + Esc(c.name) + "</h1>\n";
  h += "<p class=\"meta\">Version " + std::to_string(in.version.id) + ", in force since " +
       Esc(core::FormatInstant(in.version.effective_at)) + ", activated by " +
       Esc(in.version.activated_by_label) + ".</p>\n";

  h += "<h2>Parties</h2>\n<table>\n";
  for (const auto& p : c.parties) {
    const auto at = AckedAt(in, p.head_email);
    h += Row(std::string(core::ToString(p.side)) + ": " + p.team,
             p.head_email +
                 (at ? ", acknowledged " + core::FormatInstant(*at) : ", not acknowledged yet"));
  }
  h += "</table>\n";

  h += "<h2>Whom we target, what we aim for</h2>\n<table>\n";
  std::string personas;
  for (const auto& p : c.personas) personas += (personas.empty() ? "" : ", ") + p;
  h += Row("Personas", personas.empty() ? "none named" : personas);
  for (const auto& o : c.objectives) h += Row("Objective " + o.key, o.text);
  h += Row("MQL rule", c.mql_rule);
  h += "</table>\n";

  h += "<h2>Marketing commits to</h2>\n<table>\n";
  h += Row("MQL quota", std::to_string(c.marketing.mql_quota) + " per " +
                            std::string(core::ToString(c.marketing.quota_period)));
  if (c.marketing.min_grade_ab_percent) {
    h += Row("Quality",
             "at least " + std::to_string(*c.marketing.min_grade_ab_percent) + "% graded A or B");
  }
  if (c.marketing.min_persona_match_percent) {
    h += Row("Fit", "at least " + std::to_string(*c.marketing.min_persona_match_percent) +
                        "% matching a targeted persona");
  }
  h += "</table>\n";

  h += "<h2>Sales commits to</h2>\n<table>\n";
  h +=
      Row("First touch", "within " + std::to_string(c.sales.first_touch_hours) + " business hours");
  h += Row("Follow-up", std::to_string(c.sales.attempts) + " attempts within " +
                            std::to_string(c.sales.attempts_within_days) + " business days");
  h += Row("Accept or reject", "within " + std::to_string(c.sales.disposition_days) +
                                   " business days, with a reason when rejecting");
  h += "</table>\n";

  h += "<h2>Routing</h2>\n<table>\n";
  h += Row("Strategy",
           std::string(core::ToString(c.routing.strategy)) +
               (c.routing.fallback ? ", then " + std::string(core::ToString(*c.routing.fallback))
                                   : std::string()));
  if (c.routing.default_capacity) {
    h += Row("Capacity", std::to_string(*c.routing.default_capacity) + " open leads per rep");
  }
  for (const auto& t : c.routing.territories) {
    std::string codes;
    for (const auto& x : t.countries) codes += (codes.empty() ? "" : ", ") + x;
    for (const auto& x : t.regions) codes += (codes.empty() ? "" : ", ") + x;
    h += Row("Territory " + t.name, codes + " to " + (t.team.empty() ? t.rep_email : t.team));
  }
  h += "</table>\n";

  h += "<h2>Rejection reasons</h2>\n<table>\n";
  for (const auto& r : c.rejection_reasons) {
    h += Row(r.code, r.label + " (" + std::string(core::ToString(r.next)) + ")");
  }
  for (const auto& r : c.recycle_rules) {
    std::string codes;
    for (const auto& x : r.reasons) codes += (codes.empty() ? "" : ", ") + x;
    h += Row("Recycled: " + codes, "may qualify again after " + std::to_string(r.wait_days) +
                                       " days" +
                                       (r.requires_new_engagement ? " and new engagement" : ""));
  }
  h += "</table>\n";

  h += "<h2>Escalation on a breach</h2>\n<table>\n";
  for (const auto& e : c.escalation) {
    h += Row("After " + std::to_string(e.after_hours) + " business hours",
             std::string(core::ToString(e.action)));
  }
  h += "</table>\n";

  auto calendar = [&](const std::string& title, const core::CalendarSpec& cal) {
    h += "<h2>" + Esc(title) + "</h2>\n<table>\n";
    h += Row("Time zone", cal.time_zone);
    for (int d = 0; d < 7; ++d) {
      std::string spans;
      for (const auto& i : cal.hours.days[static_cast<std::size_t>(d)]) {
        spans += (spans.empty() ? "" : ", ") + core::FormatDayInterval(i);
      }
      h += Row(core::WeekdayName(d), spans.empty() ? "closed" : spans);
    }
    std::string days;
    for (const auto& x : cal.holidays) days += (days.empty() ? "" : ", ") + core::FormatDate(x);
    h += Row("Holidays", days.empty() ? "none" : days);
    h += "</table>\n";
  };
  calendar("Business calendar", c.calendar);
  for (const auto& t : c.team_calendars) calendar("Business calendar of " + t.team, t.calendar);

  if (c.compensation) {
    const auto& k = *c.compensation;
    h += "<h2>Shared compensation</h2>\n<table>\n";
    h += Row("Pool", std::to_string(k.pool_cents / 100) + " " + k.currency + " per " +
                         std::string(core::ToString(k.period)) + ", paying at most " +
                         std::to_string(k.cap_percent) + "%");
    for (const auto& t : k.kpis) {
      h += Row(core::ToString(t.kpi),
               std::to_string(t.weight_percent) + "% of the pool; pays from " +
                   std::to_string(t.threshold_percent) + "% attainment, counted up to " +
                   std::to_string(t.cap_percent) + "%");
    }
    h += "</table>\n";
  }
  h += "<p class=\"meta\">Hash " + Esc(in.version.hash) + "</p>\n</body></html>\n";
  return h;
}

Schema ContractTextSchema() {
  return Schema{"ContractText",
                "The contract file itself (TOML, docs/contract.md), sent as application/toml.",
                {}};
}

}  // namespace

void AddContractSchemas(RouteTable& t) {
  t.AddSchema(
      {"ContractVersion",
       "One activated version of the contract.",
       {IdField("id", "The version number.").Required(), TextField("name", "").Required(),
        TextField("hash", "SHA-256 of the terms (not of the layout).").Required(),
        InstantField("effective_at", "").Required(), InstantField("activated_at", "").Required(),
        IdField("activated_by", "The user; null when the operator's CLI did it.")
            .Nullable()
            .Required(),
        TextField("activated_by_label", "").Required()}});
  t.AddSchema({"ContractAcknowledgement",
               "A party head's acknowledgement of one version.",
               {IdField("version_id", "").Required(), IdField("user_id", "").Required(),
                TextField("email", "").Required(),
                TextField("team", "The team(s) the head acknowledged for.").Required(),
                InstantField("acknowledged_at", "").Required()}});
  t.AddSchema(
      {"ContractParty",
       "",
       {EnumField("side", {"marketing", "sales"}, "").Required(), TextField("team", "").Required(),
        TextField("head", "").Required(),
        InstantField("acknowledged_at", "Null while not acknowledged.").Nullable().Required()}});
  Schema terms{"ContractTerms",
               "The terms as in the file (docs/contract.md): name, personas, objectives, mql, "
               "marketing, sales, routing, rejection_reasons, recycle, escalation, calendar, "
               "team_calendars, compensation.",
               {}};
  terms.open = true;
  t.AddSchema(std::move(terms));
  t.AddSchema(
      {"ContractChange",
       "One term that differs between two versions. Values are as in the contract's flattened "
       "form (`sales.first_touch_hours` = `4`).",
       {EnumField("section", {"clauses", "personas", "sla_targets", "calendar"},
                  "clauses: parties, objectives, the MQL rule, routing, rejection reasons, "
                  "recycling, escalation, compensation; sla_targets: marketing's and sales' "
                  "commitments.")
            .Required(),
        TextField("path", "The term, e.g. `calendar.hours.monday`.").Required(),
        EnumField("change", {"added", "removed", "changed"}, "").Required(),
        TextField("before", "Null when added.").Nullable().Required(),
        TextField("after", "Null when removed.").Nullable().Required()}});
  t.AddSchema({"ContractDiff",
               "The differences from one version to another, in the older version's order, "
               "then what the newer one adds.",
               {ObjectField("from", "ContractVersion", "").Required(),
                ObjectField("to", "ContractVersion", "").Required(),
                BoolField("same", "True when both versions mean the same.").Required(),
                ListField("changes", "ContractChange", "").Required()}});
  t.AddSchema({"ContractDocument",
               "A version of the contract with its text, terms and acknowledgements.",
               {ObjectField("version", "ContractVersion", "").Required(),
                TextField("text", "The file, byte for byte.").Required(),
                ListField("parties", "ContractParty", "").Required(),
                ListField("acknowledgements", "ContractAcknowledgement", "").Required(),
                ObjectField("terms", "ContractTerms", "").Required()}});
}

void AddContractRoutes(RouteTable& t, const Deps& d) {
  app::ContractService& svc = d.services.contracts;
  AddContractSchemas(t);

  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "getContract",
         .summary = "The contract in force, with its version and acknowledgements (404 before "
                    "the first activation)",
         .tag = "contract",
         .reply = {.schema = "ContractDocument"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto in, svc.Current(c.principal()));
           return JsonReply(200, DocumentJson(in));
         }});
  t.Add({.method = "GET",
         .pattern = std::string(kBase) + "/versions",
         .operation_id = "listContractVersions",
         .summary = "Every version of the contract, newest first",
         .tag = "contract",
         .reply = {.schema = "ContractVersion", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto versions, svc.History(c.principal()));
           json::array items;
           for (const auto& v : versions) items.emplace_back(VersionJson(v));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "GET",
         .pattern = std::string(kBase) + "/versions/{id}",
         .operation_id = "getContractVersion",
         .summary = "One version of the contract",
         .tag = "contract",
         .reply = {.schema = "ContractDocument"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto in, svc.Version(c.principal(), c.id()));
           return JsonReply(200, DocumentJson(in));
         }});
  t.Add({.method = "GET",
         .pattern = std::string(kBase) + "/diff",
         .operation_id = "diffContractVersions",
         .summary = "What changes in meaning from one version of the contract to another: each "
                    "term added, removed or changed, with its section (clauses, personas, "
                    "sla_targets, calendar) and both values. 404 names a missing version",
         .tag = "contract",
         .query = {IdField("from", "The older version (any version may be given).").Required(),
                   IdField("to", "The newer version.").Required()},
         .reply = {.schema = "ContractDiff"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto cmp, app::CompareContractVersions(
                                       svc, c.principal(), *c.query.Id("from"), *c.query.Id("to")));
           json::array changes;
           for (const auto& x : cmp.changes) {
             changes.emplace_back(
                 json::object{{"section", core::ToString(x.section)},
                              {"path", x.path},
                              {"change", core::ToString(x.kind)},
                              {"before", x.before ? json::value(*x.before) : json::value(nullptr)},
                              {"after", x.after ? json::value(*x.after) : json::value(nullptr)}});
           }
           return JsonReply(200, json::object{{"from", VersionJson(cmp.from)},
                                              {"to", VersionJson(cmp.to)},
                                              {"same", cmp.changes.empty()},
                                              {"changes", std::move(changes)}});
         }});
  t.Add({.method = "POST",
         .pattern = std::string(kBase) + "/versions",
         .operation_id = "activateContract",
         .summary = "Activate a new version (admins). The body is the TOML file; a file with "
                    "problems is answered 422 with `issues`: [{line, column, message}]",
         .tag = "contract",
         .query = {InstantField("effective_at",
                                "When it takes effect; default now, never in "
                                "the past.")},
         .body = ContractTextSchema(),
         .raw_body = true,
         .body_type = "application/toml",
         .reply = {.status = 201, .schema = "ContractVersion"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           const std::string& text = c.request.body;
           if (auto parsed = app::ParseContract(text); !parsed) {
             if (c.principal().role != core::Role::kAdmin) {
               return core::Fail(
                   core::Error::Forbidden("only an admin may activate a contract version"));
             }
             json::array issues;
             std::string first;
             for (const auto& i : parsed.error()) {
               issues.emplace_back(
                   json::object{{"line", i.line}, {"column", i.column}, {"message", i.message}});
               if (first.empty()) {
                 first = "line " + std::to_string(i.line) + ", column " + std::to_string(i.column) +
                         ": " + i.message;
               }
             }
             json::object body{
                 {"error", json::object{{"code", "failed_precondition"},
                                        {"message", "the contract has problems; " + first},
                                        {"field", "contract"}}},
                 {"issues", std::move(issues)}};
             return JsonReply(422, body);
           }
           TANDEM_ASSIGN(auto v, svc.Activate(c.principal(), text, c.query.Time("effective_at")));
           return CreatedReply(std::string(kBase) + "/versions/" + std::to_string(v.id),
                               VersionJson(v));
         }});
  t.Add({.method = "POST",
         .pattern = std::string(kBase) + "/acknowledge",
         .operation_id = "acknowledgeContract",
         .summary = "Acknowledge a version as one of the heads named in its parties",
         .tag = "contract",
         .body = Schema{"ContractAcknowledge",
                        "",
                        {IdField("version_id", "Default: the version in force.")}},
         .reply = {.schema = "ContractAcknowledgement"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto ack, svc.Acknowledge(c.principal(), c.body.Id("version_id")));
           return JsonReply(200, AckJson(ack));
         }});
  t.Add({.method = "GET",
         .pattern = "/contract",
         .operation_id = "contractDocument",
         .summary = "The contract in force as a readable HTML document",
         .tag = "contract",
         .reply = {.content_type = "text/html; charset=utf-8"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto in, svc.Current(c.principal()));
           Response r = Response::Text(200, ContractHtml(in), "text/html; charset=utf-8");
           r.headers.emplace_back("Content-Security-Policy", kHtmlCsp);
           return r;
         }});
}

}  // namespace tandem::api
