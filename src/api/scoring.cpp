// /api/v1/personas (CRUD, versions, sign-off), /api/v1/scoring/rules (GET, PUT),
// /api/v1/scoring/jobs/{id} and /api/v1/contacts/{id}/score.
#include <memory>

#include <boost/json/array.hpp>

#include "api/handlers.hpp"
#include "app/scoring.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

constexpr const char* kPersonas = "/api/v1/personas";

std::vector<std::string> OpNames() {
  return {"equals", "one_of", "range", "contains", "pattern"};
}
std::vector<std::string> GradeNames() {
  return {"A", "B", "C", "D"};
}
std::vector<std::string> CapacityNames() {
  return {"head_of_marketing", "head_of_sales"};
}
std::vector<std::string> JobStatusNames() {
  return {"queued", "running", "done", "failed", "superseded"};
}
std::vector<std::string> ExplainKindNames() {
  return {"criterion", "fit",   "negative",   "grade",        "event",
          "cap",       "decay", "engagement", "qualification"};
}

Field Out(Field f) {
  return std::move(f).Required();
}

json::value OptId(const std::optional<core::Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}
json::value OptNumber(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value OptInstant(const std::optional<core::Instant>& t) {
  return t ? json::value(core::FormatInstant(*t)) : json::value(nullptr);
}
json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// ----- schemas -------------------------------------------------------------------------------

std::shared_ptr<const Schema> CriterionInput() {
  static const auto s = std::make_shared<const Schema>(
      Schema{"PersonaCriterionInput",
             "A fit criterion. property: contact.(email_domain|title|country|source|campaign|"
             "custom.<key>) or company.(name|domain|industry|employees|country|custom.<key>). "
             "Text comparisons ignore case; pattern is a glob (* any run, ? one character).",
             {TextField("property", "").Required(), EnumField("op", OpNames(), "").Required(),
              StringListField("values", "For equals (one value), one_of, contains and pattern."),
              NumberField("min", "For range: the least value, inclusive.").Nullable(),
              NumberField("max", "For range: the greatest value, inclusive.").Nullable(),
              IntField("weight", 1, 100, "Default 1.")}});
  return s;
}

std::shared_ptr<const Schema> EventRuleInput() {
  static const auto s = std::make_shared<const Schema>(
      Schema{"ScoringEventRule",
             "Points for one event type, optionally capped per period.",
             {TextField("event_type", "A known type or a custom name.").Required(),
              NumberField("points", "May be negative (an unsubscribe).").Required(),
              NumberField("cap", "Most points of this type per period; 0: no cap."),
              IntField("cap_period_hours", 1, 8784, "Default 24.")}});
  return s;
}

std::shared_ptr<const Schema> NegativesInput() {
  static const auto s = std::make_shared<const Schema>(Schema{
      "ScoringNegatives",
      "Negative rules on who the contact is; penalties are fit points removed.",
      {StringListField("competitor_domains", "Email or company domain, subdomains included."),
       IntField("competitor_penalty", 0, 100, ""), StringListField("personal_email_domains", ""),
       IntField("personal_email_penalty", 0, 100, "")}});
  return s;
}

std::shared_ptr<const Schema> GradesInput() {
  static const auto s = std::make_shared<const Schema>(
      Schema{"ScoringGrades",
             "Least fit for grades A, B and C (D below); 100 >= a > b > c >= 0.",
             {IntField("a", 0, 100, "").Required(), IntField("b", 0, 100, "").Required(),
              IntField("c", 0, 100, "").Required()}});
  return s;
}

std::shared_ptr<const Schema> MatrixInput() {
  static const auto s = std::make_shared<const Schema>(
      Schema{"MqlMatrix",
             "Least engagement that qualifies, per grade; null: that grade never qualifies.",
             {NumberField("A", "").Nullable(), NumberField("B", "").Nullable(),
              NumberField("C", "").Nullable(), NumberField("D", "").Nullable()}});
  return s;
}

std::shared_ptr<const Schema> MqlInput() {
  static const auto s = std::make_shared<const Schema>(
      Schema{"MqlRule",
             "The qualification rule: an expression such as `fit >= 60 and engagement >= 40` "
             "(docs/scoring.md gives the grammar) or a grade matrix.",
             {EnumField("kind", {"expression", "matrix"}, "").Required(),
              TextField("expression", "For kind expression."),
              NestedField("matrix", MatrixInput(), "For kind matrix.")}});
  return s;
}

Schema PersonaCreate() {
  return {"PersonaCreate",
          "A new persona (version 1).",
          {TextField("key", "Stable identifier: a-z, 0-9, '_' or '-'.").Required(),
           TextField("name", "").Required(), TextField("description", ""),
           NestedListField("criteria", CriterionInput(), "1 to 50 criteria.").Required()}};
}

Schema PersonaPatchSchema() {
  return {"PersonaPatch",
          "Fields to change; every change makes a new version.",
          {TextField("key", ""), TextField("name", ""), TextField("description", ""),
           NestedListField("criteria", CriterionInput(), "Replaces every criterion."),
           BoolField("archived", "")}};
}

Schema SignoffSchema() {
  return {
      "PersonaSignoffCreate",
      "Signs the current version off.",
      {IntField("version", 1, 1'000'000'000,
                "The version reviewed; refused (422) when it is not the current one."),
       EnumField("capacity", CapacityNames(), "Needed only when the signer holds both capacities."),
       TextField("note", "")}};
}

Schema RulesPutSchema() {
  return {"ScoringRulesPut",
          "The whole rule set; absent parts take the built-in defaults. A bad MQL "
          "expression is refused with 422 naming its column.",
          {NestedListField("events", EventRuleInput(), "At most 64 rules."),
           NumberField("half_life_days", "0: no decay."),
           NestedField("negatives", NegativesInput(), ""), NestedField("grades", GradesInput(), ""),
           NestedField("mql", MqlInput(), "")}};
}

void AddSchemas(RouteTable& t) {
  for (const auto& s : {CriterionInput(), EventRuleInput(), NegativesInput(), GradesInput(),
                        MatrixInput(), MqlInput()}) {
    t.AddSchema(*s);
  }
  t.AddSchema({"PersonaCriterion",
               "A fit criterion as stored.",
               {Out(TextField("property", "")), Out(EnumField("op", OpNames(), "")),
                Out(StringListField("values", "")), Out(NumberField("min", "").Nullable()),
                Out(NumberField("max", "").Nullable()), Out(IntField("weight", 1, 100, ""))}});
  t.AddSchema(
      {"PersonaSignoff",
       "A sign-off of one version by the head of marketing or of sales.",
       {Out(IdField("id", "")), Out(IdField("persona_id", "")),
        Out(IntField("version", 1, 1'000'000'000, "")), Out(IdField("user_id", "").Nullable()),
        Out(TextField("user_email", "")), Out(EnumField("capacity", CapacityNames(), "")),
        Out(TextField("note", "")), Out(InstantField("signed_at", ""))}});
  t.AddSchema({"Persona",
               "A shared persona: who marketing and sales agree to target.",
               {Out(IdField("id", "")), Out(TextField("key", "")), Out(TextField("name", "")),
                Out(TextField("description", "")), Out(IntField("version", 1, 1'000'000'000, "")),
                Out(BoolField("archived", "")), Out(ListField("criteria", "PersonaCriterion", "")),
                Out(BoolField("signed_off", "The current version is signed by both heads.")),
                Out(ListField("signoffs", "PersonaSignoff", "Of every version, oldest first.")),
                Out(IdField("rescore_job_id", "The re-score queued by this change.").Nullable()),
                Out(InstantField("created_at", "")), Out(InstantField("updated_at", ""))}});
  t.AddSchema({"PersonaVersion",
               "A persona as it was at one version.",
               {Out(IntField("version", 1, 1'000'000'000, "")), Out(TextField("key", "")),
                Out(TextField("name", "")), Out(TextField("description", "")),
                Out(BoolField("archived", "")), Out(ListField("criteria", "PersonaCriterion", "")),
                Out(IdField("changed_by", "").Nullable()), Out(InstantField("changed_at", ""))}});
  t.AddSchema(
      {"ScoringRules",
       "The scoring rule set in force (version 0: the built-in defaults).",
       {Out(IntField("version", 0, 1'000'000'000, "")),
        Out(ListField("events", "ScoringEventRule", "")), Out(NumberField("half_life_days", "")),
        Out(ObjectField("negatives", "ScoringNegatives", "")),
        Out(ObjectField("grades", "ScoringGrades", "")), Out(ObjectField("mql", "MqlRule", "")),
        Out(InstantField("updated_at", "").Nullable()), Out(IdField("updated_by", "").Nullable()),
        Out(IdField("rescore_job_id", "The re-score queued by a PUT.").Nullable())}});
  t.AddSchema(
      {"ScoringJob",
       "A background re-score of every contact.",
       {Out(IdField("id", "")), Out(EnumField("status", JobStatusNames(), "")),
        Out(TextField("reason", "")), Out(IntField("total", 0, 0, "")),
        Out(IntField("done", 0, 0, "")), Out(NumberField("progress", "done / total, 0 to 1.")),
        Out(IntField("qualified", 0, 0, "Leads the job moved to mql.")),
        Out(TextField("error", "")), Out(InstantField("created_at", "")),
        Out(InstantField("started_at", "").Nullable()),
        Out(InstantField("finished_at", "").Nullable()),
        Out(IdField("created_by", "").Nullable())}});
  t.AddSchema({"ScoreLine",
               "One line of a score's explanation.",
               {Out(EnumField("kind", ExplainKindNames(), "")), Out(TextField("text", "")),
                Out(NumberField("points", "The contribution: weight, points or penalty.")),
                Out(BoolField("matched", "Criteria: matched; qualification: holds."))}});
  t.AddSchema(
      {"ContactScore",
       "A contact's scores, explained line by line.",
       {Out(IdField("contact_id", "")), Out(IntField("fit", 0, 100, "")),
        Out(EnumField("grade", GradeNames(), "")), Out(IdField("persona_id", "").Nullable()),
        Out(TextField("persona_key", "").Nullable()),
        Out(NumberField("engagement", "At as_of, decayed.")), Out(InstantField("as_of", "")),
        Out(InstantField("last_event_at", "").Nullable()), Out(IntField("rules_version", 0, 0, "")),
        Out(BoolField("qualifies", "The MQL rule holds now.")),
        Out(ListField("lines", "ScoreLine", ""))}});
}

// ----- JSON out ------------------------------------------------------------------------------

json::object CriterionJson(const core::Criterion& c) {
  json::object o;
  o["property"] = c.property;
  o["op"] = core::ToString(c.op);
  o["values"] = Strings(c.values);
  o["min"] = OptNumber(c.min);
  o["max"] = OptNumber(c.max);
  o["weight"] = c.weight;
  return o;
}

json::array CriteriaJson(const std::vector<core::Criterion>& cs) {
  json::array a;
  for (const auto& c : cs) a.emplace_back(CriterionJson(c));
  return a;
}

json::object SignoffJson(const core::PersonaSignoff& s) {
  json::object o;
  o["id"] = s.id;
  o["persona_id"] = s.persona_id;
  o["version"] = s.version;
  o["user_id"] = s.user_id > 0 ? json::value(s.user_id) : json::value(nullptr);
  o["user_email"] = s.user_email;
  o["capacity"] = core::ToString(s.capacity);
  o["note"] = s.note;
  o["signed_at"] = core::FormatInstant(s.signed_at);
  return o;
}

json::object PersonaJson(const app::PersonaView& v) {
  const core::Persona& p = v.persona;
  json::object o;
  o["id"] = p.id;
  o["key"] = p.key;
  o["name"] = p.name;
  o["description"] = p.description;
  o["version"] = p.version;
  o["archived"] = p.archived;
  o["criteria"] = CriteriaJson(p.criteria);
  o["signed_off"] = v.signed_off;
  json::array signoffs;
  for (const auto& s : v.signoffs) signoffs.emplace_back(SignoffJson(s));
  o["signoffs"] = std::move(signoffs);
  o["rescore_job_id"] = OptId(v.rescore_job);
  o["created_at"] = core::FormatInstant(p.created_at);
  o["updated_at"] = core::FormatInstant(p.updated_at);
  return o;
}

json::object VersionJson(const core::PersonaVersion& v) {
  json::object o;
  o["version"] = v.persona.version;
  o["key"] = v.persona.key;
  o["name"] = v.persona.name;
  o["description"] = v.persona.description;
  o["archived"] = v.persona.archived;
  o["criteria"] = CriteriaJson(v.persona.criteria);
  o["changed_by"] = OptId(v.changed_by);
  o["changed_at"] = core::FormatInstant(v.changed_at);
  return o;
}

json::object RulesJson(const core::ScoringRules& r, std::optional<core::Id> job) {
  json::object o;
  o["version"] = r.version;
  json::array events;
  for (const auto& e : r.events) {
    json::object eo;
    eo["event_type"] = e.event_type;
    eo["points"] = e.points;
    eo["cap"] = e.cap;
    eo["cap_period_hours"] = e.cap_period_hours;
    events.emplace_back(std::move(eo));
  }
  o["events"] = std::move(events);
  o["half_life_days"] = r.half_life_days;
  json::object neg;
  neg["competitor_domains"] = Strings(r.negatives.competitor_domains);
  neg["competitor_penalty"] = r.negatives.competitor_penalty;
  neg["personal_email_domains"] = Strings(r.negatives.personal_email_domains);
  neg["personal_email_penalty"] = r.negatives.personal_email_penalty;
  o["negatives"] = std::move(neg);
  o["grades"] = json::object{{"a", r.grades.a}, {"b", r.grades.b}, {"c", r.grades.c}};
  json::object mql;
  mql["kind"] = r.mql.kind == core::QualificationRule::Kind::kMatrix ? "matrix" : "expression";
  mql["expression"] = r.mql.expression;
  json::object matrix;
  for (int g = 0; g < 4; ++g) {
    matrix[std::string(core::ToString(static_cast<core::Grade>(g)))] =
        OptNumber(r.mql.matrix.min_engagement[g]);
  }
  mql["matrix"] = std::move(matrix);
  o["mql"] = std::move(mql);
  o["updated_at"] =
      r.version > 0 ? json::value(core::FormatInstant(r.updated_at)) : json::value(nullptr);
  o["updated_by"] = OptId(r.updated_by);
  o["rescore_job_id"] = OptId(job);
  return o;
}

json::object JobJson(const core::ScoringJob& j) {
  json::object o;
  o["id"] = j.id;
  o["status"] = core::ToString(j.status);
  o["reason"] = j.reason;
  o["total"] = j.total;
  o["done"] = j.done;
  double progress = j.total > 0 ? static_cast<double>(j.done) / static_cast<double>(j.total)
                                : (j.status == core::JobStatus::kDone ? 1.0 : 0.0);
  o["progress"] = std::min(1.0, progress);
  o["qualified"] = j.qualified;
  o["error"] = j.error;
  o["created_at"] = core::FormatInstant(j.created_at);
  o["started_at"] = OptInstant(j.started_at);
  o["finished_at"] = OptInstant(j.finished_at);
  o["created_by"] = OptId(j.created_by);
  return o;
}

json::object ScoreJson(const app::ScoreExplanation& e) {
  json::object o;
  o["contact_id"] = e.contact_id;
  o["fit"] = e.fit;
  o["grade"] = core::ToString(e.grade);
  o["persona_id"] = OptId(e.persona_id);
  o["persona_key"] = e.persona_key.empty() ? json::value(nullptr) : json::value(e.persona_key);
  o["engagement"] = e.engagement;
  o["as_of"] = core::FormatInstant(e.as_of);
  o["last_event_at"] = OptInstant(e.last_event_at);
  o["rules_version"] = e.rules_version;
  o["qualifies"] = e.qualifies;
  json::array lines;
  for (const auto& l : e.lines) {
    json::object lo;
    lo["kind"] = core::ToString(l.kind);
    lo["text"] = l.text;
    lo["points"] = l.points;
    lo["matched"] = l.matched;
    lines.emplace_back(std::move(lo));
  }
  o["lines"] = std::move(lines);
  return o;
}

// ----- JSON in (the values passed their schemas) ------------------------------------------------

std::optional<double> Num(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  return v->to_number<double>();
}

std::optional<std::int64_t> Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_int64()) return std::nullopt;
  return v->get_int64();
}

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return std::string(v->get_string());
}

std::vector<std::string> StringList(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_array()) return out;
  for (const auto& s : v->get_array()) out.emplace_back(s.get_string());
  return out;
}

std::vector<core::Criterion> CriteriaFrom(const json::value& v) {
  std::vector<core::Criterion> out;
  for (const auto& item : v.get_array()) {
    const auto& o = item.get_object();
    core::Criterion c;
    c.property = Text(o, "property");
    c.op = *core::CriterionOpFromString(Text(o, "op"));
    c.values = StringList(o, "values");
    c.min = Num(o, "min");
    c.max = Num(o, "max");
    c.weight = static_cast<int>(Int(o, "weight").value_or(1));
    out.push_back(std::move(c));
  }
  return out;
}

core::ScoringRules RulesFrom(const Body& b) {
  core::ScoringRules r = core::DefaultScoringRules();
  if (const json::value* ev = b.Raw("events")) {
    r.events.clear();
    for (const auto& item : ev->get_array()) {
      const auto& o = item.get_object();
      r.events.push_back({Text(o, "event_type"), Num(o, "points").value_or(0),
                          Num(o, "cap").value_or(0), Int(o, "cap_period_hours").value_or(24)});
    }
  }
  if (auto h = b.Number("half_life_days")) r.half_life_days = *h;
  if (const json::value* n = b.Raw("negatives")) {
    const auto& o = n->get_object();
    if (o.contains("competitor_domains")) {
      r.negatives.competitor_domains = StringList(o, "competitor_domains");
    }
    if (auto p = Int(o, "competitor_penalty"))
      r.negatives.competitor_penalty = static_cast<int>(*p);
    if (o.contains("personal_email_domains")) {
      r.negatives.personal_email_domains = StringList(o, "personal_email_domains");
    }
    if (auto p = Int(o, "personal_email_penalty")) {
      r.negatives.personal_email_penalty = static_cast<int>(*p);
    }
  }
  if (const json::value* g = b.Raw("grades")) {
    const auto& o = g->get_object();
    r.grades = {static_cast<int>(*Int(o, "a")), static_cast<int>(*Int(o, "b")),
                static_cast<int>(*Int(o, "c"))};
  }
  if (const json::value* m = b.Raw("mql")) {
    const auto& o = m->get_object();
    r.mql.kind = Text(o, "kind") == "matrix" ? core::QualificationRule::Kind::kMatrix
                                             : core::QualificationRule::Kind::kExpression;
    r.mql.expression = Text(o, "expression");
    if (const json::value* mx = o.if_contains("matrix"); mx && mx->is_object()) {
      for (int g = 0; g < 4; ++g) {
        r.mql.matrix.min_engagement[g] =
            Num(mx->get_object(), core::ToString(static_cast<core::Grade>(g)));
      }
    }
  }
  return r;
}

std::string PersonaLocation(core::Id id) {
  return std::string(kPersonas) + "/" + std::to_string(id);
}

}  // namespace

void AddScoringRoutes(RouteTable& t, const Deps& d) {
  AddSchemas(t);
  app::PersonaService& personas = d.services.personas;
  app::ScoringService& scoring = d.services.scoring;
  const std::string one = std::string(kPersonas) + "/{id}";

  t.Add({.method = "POST",
         .pattern = kPersonas,
         .operation_id = "createPersona",
         .summary = "Create a persona (marketing and admins)",
         .tag = "personas",
         .body = PersonaCreate(),
         .reply = {.status = 201, .schema = "Persona"},
         .fn = [&personas](const Call& c) -> core::Result<Response> {
           core::Persona p;
           p.key = c.body.Text("key");
           p.name = c.body.Text("name");
           p.description = c.body.Text("description");
           p.criteria = CriteriaFrom(*c.body.Raw("criteria"));
           TANDEM_ASSIGN(auto v, personas.Create(c.principal(), std::move(p)));
           return CreatedReply(PersonaLocation(v.persona.id), PersonaJson(v));
         }});
  t.Add({.method = "GET",
         .pattern = kPersonas,
         .operation_id = "listPersonas",
         .summary = "List personas",
         .tag = "personas",
         .query = {BoolField("archived", "Include archived personas (default false).")},
         .reply = {.schema = "Persona", .list = true},
         .fn = [&personas](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto list,
                         personas.List(c.principal(), c.query.Bool("archived").value_or(false)));
           json::array items;
           for (const auto& v : list) items.emplace_back(PersonaJson(v));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getPersona",
         .summary = "Get a persona with its sign-offs",
         .tag = "personas",
         .reply = {.schema = "Persona"},
         .fn = [&personas](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto v, personas.Get(c.principal(), c.id()));
           return JsonReply(200, PersonaJson(v));
         }});
  t.Add({.method = "PATCH",
         .pattern = one,
         .operation_id = "updatePersona",
         .summary = "Change a persona (a new version; marketing and admins)",
         .tag = "personas",
         .body = PersonaPatchSchema(),
         .reply = {.schema = "Persona"},
         .fn = [&personas](const Call& c) -> core::Result<Response> {
           app::PersonaPatch patch;
           patch.key = c.body.OptText("key");
           patch.name = c.body.OptText("name");
           patch.description = c.body.OptText("description");
           if (const json::value* cr = c.body.Raw("criteria")) patch.criteria = CriteriaFrom(*cr);
           patch.archived = c.body.Bool("archived");
           TANDEM_ASSIGN(auto v, personas.Update(c.principal(), c.id(), patch));
           return JsonReply(200, PersonaJson(v));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "archivePersona",
         .summary = "Archive a persona (kept with its history; marketing and admins)",
         .tag = "personas",
         .reply = {.schema = "Persona"},
         .fn = [&personas](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto v, personas.Archive(c.principal(), c.id()));
           return JsonReply(200, PersonaJson(v));
         }});
  t.Add({.method = "GET",
         .pattern = one + "/versions",
         .operation_id = "listPersonaVersions",
         .summary = "A persona's versions, oldest first",
         .tag = "personas",
         .reply = {.schema = "PersonaVersion", .list = true},
         .fn = [&personas](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto versions, personas.Versions(c.principal(), c.id()));
           json::array items;
           for (const auto& v : versions) items.emplace_back(VersionJson(v));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "POST",
         .pattern = one + "/signoff",
         .operation_id = "signOffPersona",
         .summary = "Sign the current version off (head of marketing or of sales)",
         .tag = "personas",
         .body = SignoffSchema(),
         .reply = {.schema = "Persona"},
         .fn = [&personas](const Call& c) -> core::Result<Response> {
           std::optional<int> version;
           if (auto v = c.body.Int("version")) version = static_cast<int>(*v);
           std::optional<core::SignoffCapacity> capacity;
           if (auto cap = c.body.OptText("capacity")) {
             capacity = core::SignoffCapacityFromString(*cap);
           }
           TANDEM_ASSIGN(auto v, personas.SignOff(c.principal(), c.id(), version, capacity,
                                                  c.body.Text("note")));
           return JsonReply(200, PersonaJson(v));
         }});

  t.Add({.method = "GET",
         .pattern = "/api/v1/scoring/rules",
         .operation_id = "getScoringRules",
         .summary = "The scoring rule set and MQL rule in force",
         .tag = "scoring",
         .reply = {.schema = "ScoringRules"},
         .fn = [&scoring](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto r, scoring.GetRules(c.principal()));
           return JsonReply(200, RulesJson(r, std::nullopt));
         }});
  t.Add({.method = "PUT",
         .pattern = "/api/v1/scoring/rules",
         .operation_id = "putScoringRules",
         .summary = "Replace the rule set (a new version; re-scores in the background)",
         .tag = "scoring",
         .body = RulesPutSchema(),
         .reply = {.schema = "ScoringRules"},
         .fn = [&scoring](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto change, scoring.PutRules(c.principal(), RulesFrom(c.body)));
           return JsonReply(200, RulesJson(change.rules, change.job.id));
         }});
  t.Add({.method = "GET",
         .pattern = "/api/v1/scoring/jobs/{id}",
         .operation_id = "getScoringJob",
         .summary = "Progress of a re-score job",
         .tag = "scoring",
         .reply = {.schema = "ScoringJob"},
         .fn = [&scoring](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto j, scoring.GetJob(c.principal(), c.id()));
           return JsonReply(200, JobJson(j));
         }});
  t.Add({.method = "GET",
         .pattern = "/api/v1/contacts/{id}/score",
         .operation_id = "getContactScore",
         .summary = "A contact's fit, grade, engagement and MQL verdict, explained line by line",
         .tag = "scoring",
         .reply = {.schema = "ContactScore"},
         .fn = [&scoring](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto e, scoring.Explain(c.principal(), c.id()));
           return JsonReply(200, ScoreJson(e));
         }});
}

}  // namespace tandem::api
