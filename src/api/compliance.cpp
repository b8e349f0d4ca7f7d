// SLA compliance of both sides (docs/handoff.md, "Compliance"): GET /api/v1/sla/compliance.
#include "api/compliance_json.hpp"
#include "api/handlers.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

Field Out(Field f) {
  return std::move(f).Required();
}

json::value OptNumber(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value OptInt(const std::optional<int>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value OptBool(const std::optional<bool>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value IntervalJson(const std::optional<core::Interval>& i) {
  if (!i) return nullptr;
  return json::object{{"low", i->low}, {"high", i->high}};
}

json::object ShareJson(const core::ShareFigure& f) {
  return {{"on_time", f.on_time},
          {"missed", f.missed},
          {"pending", f.pending},
          {"share", OptNumber(f.share)},
          {"interval", IntervalJson(f.interval)}};
}

json::object SalesRowJson(const core::SalesCompliance& r) {
  json::object o;
  o["key"] = r.key;
  o["label"] = r.label;
  o["user_id"] = r.user_id ? json::value(*r.user_id) : json::value(nullptr);
  o["leads"] = r.leads;
  o["first_touch"] = ShareJson(r.first_touch);
  o["touched"] = r.touched;
  o["untouched"] = r.untouched;
  o["response_p50_minutes"] = OptNumber(r.response_p50_minutes);
  o["response_p90_minutes"] = OptNumber(r.response_p90_minutes);
  o["attempts_per_lead"] = OptNumber(r.attempts_per_lead);
  o["attempts"] = ShareJson(r.attempts);
  o["disposition"] = ShareJson(r.disposition);
  return o;
}

json::object MarketingJson(const core::MarketingCompliance& m) {
  json::object o;
  o["key"] = m.key;
  o["from"] = core::FormatInstant(m.from);
  o["to"] = core::FormatInstant(m.to);
  o["mqls"] = m.mqls;
  o["expected"] = OptNumber(m.expected);
  o["attainment"] = OptNumber(m.attainment);
  o["quota_since"] =
      m.quota_since ? json::value(core::FormatInstant(*m.quota_since)) : json::value(nullptr);
  o["grade_ab"] = m.grade_ab;
  o["grade_ab_share"] = OptNumber(m.grade_ab_share);
  o["grade_ab_interval"] = IntervalJson(m.grade_ab_interval);
  o["min_grade_ab_percent"] = OptInt(m.min_grade_ab_percent);
  o["grade_ab_met"] = OptBool(m.grade_ab_met);
  o["persona_match"] = m.persona_match;
  o["persona_share"] = OptNumber(m.persona_share);
  o["persona_interval"] = IntervalJson(m.persona_interval);
  o["min_persona_match_percent"] = OptInt(m.min_persona_match_percent);
  o["persona_met"] = OptBool(m.persona_met);
  o["pace_at"] = core::FormatInstant(m.pace_at);
  o["mqls_so_far"] = m.mqls_so_far;
  o["expected_so_far"] = OptNumber(m.expected_so_far);
  o["pace"] = OptNumber(m.pace);
  o["projected"] = OptNumber(m.projected);
  return o;
}

json::object ViewJson(const app::ComplianceView& v) {
  json::object o;
  o["from"] = core::FormatDate(v.from);
  o["to"] = core::FormatDate(v.to);
  o["by"] = std::string(core::ToString(v.by));
  o["time_zone"] = v.time_zone;
  o["start"] = core::FormatInstant(v.start);
  o["end"] = core::FormatInstant(v.end);
  o["as_of"] = core::FormatInstant(v.now);
  o["contract_version_id"] =
      v.contract_version_id ? json::value(*v.contract_version_id) : json::value(nullptr);
  o["scope"] = v.only_user ? "own" : "all";
  json::object sales;
  if (v.sales_terms) {
    sales["obligations"] =
        json::object{{"first_touch_hours", v.sales_terms->first_touch_hours},
                     {"attempts", v.sales_terms->attempts},
                     {"attempts_within_days", v.sales_terms->attempts_within_days},
                     {"disposition_days", v.sales_terms->disposition_days}};
  } else {
    sales["obligations"] = nullptr;
  }
  json::array rows;
  for (const auto& r : v.sales.rows) rows.emplace_back(SalesRowJson(r));
  sales["rows"] = std::move(rows);
  sales["total"] = SalesRowJson(v.sales.total);
  o["sales"] = std::move(sales);
  json::object marketing = MarketingJson(v.marketing);
  if (v.marketing_terms) {
    marketing["quota"] = v.marketing_terms->mql_quota;
    marketing["quota_period"] = std::string(core::ToString(v.marketing_terms->quota_period));
  } else {
    marketing["quota"] = nullptr;
    marketing["quota_period"] = nullptr;
  }
  json::array weeks;
  for (const auto& w : v.marketing_weeks) weeks.emplace_back(MarketingJson(w));
  marketing["weeks"] = std::move(weeks);
  o["marketing"] = std::move(marketing);
  return o;
}

std::vector<Field> MarketingFields() {
  return {
      Out(TextField("key", "\"\" for the period; the Monday (YYYY-MM-DD) for a week.")),
      Out(InstantField("from", "")),
      Out(InstantField("to", "Exclusive.")),
      Out(IntField("mqls", 0, INT64_MAX, "Moves into mql in [from, to).")),
      Out(NumberField("expected",
                      "The contract's quota pro-rated to [from, to); null "
                      "without a quota.")
              .Nullable()),
      Out(NumberField("attainment", "mqls / expected.").Nullable()),
      Out(InstantField("quota_since",
                       "Set when a quota is in force for only the later part of the period: "
                       "when it starts to accrue.")
              .Nullable()),
      Out(IntField("grade_ab", 0, INT64_MAX, "MQLs graded A or B (as scored now).")),
      Out(NumberField("grade_ab_share", "").Nullable()),
      Out(ObjectField("grade_ab_interval", "ShareInterval", "Wilson 95%.").Nullable()),
      Out(IntField("min_grade_ab_percent", 0, 100, "The contract's minimum.").Nullable()),
      Out(BoolField("grade_ab_met", "").Nullable()),
      Out(IntField("persona_match", 0, INT64_MAX, "MQLs matching a persona.")),
      Out(NumberField("persona_share", "").Nullable()),
      Out(ObjectField("persona_interval", "ShareInterval", "Wilson 95%.").Nullable()),
      Out(IntField("min_persona_match_percent", 0, 100, "The contract's minimum.").Nullable()),
      Out(BoolField("persona_met", "").Nullable()),
      Out(InstantField("pace_at", "Now, clamped to [from, to].")),
      Out(IntField("mqls_so_far", 0, INT64_MAX, "MQLs before pace_at.")),
      Out(NumberField("expected_so_far", "What should exist by pace_at.").Nullable()),
      Out(NumberField("pace", "mqls_so_far / expected_so_far.").Nullable()),
      Out(NumberField("projected", "mqls_so_far extrapolated to the whole period.").Nullable())};
}

void AddComplianceSchemas(RouteTable& t) {
  t.AddSchema({"ShareInterval",
               "A Wilson 95% interval of a share.",
               {Out(NumberField("low", "")), Out(NumberField("high", ""))}});
  t.AddSchema(
      {"ComplianceShare",
       "One obligation's clocks: on time (met by the due time), missed (breached, met late, "
       "or open past due), pending (open, not yet due; not counted).",
       {Out(IntField("on_time", 0, INT64_MAX, "")), Out(IntField("missed", 0, INT64_MAX, "")),
        Out(IntField("pending", 0, INT64_MAX, "")),
        Out(NumberField("share", "on_time / (on_time + missed).").Nullable()),
        Out(ObjectField("interval", "ShareInterval", "Wilson 95%.").Nullable())}});
  t.AddSchema(
      {"SalesComplianceRow",
       "Sales' figures over the leads assigned in the period, for one rep, team or week.",
       {Out(TextField("key", "User id, team name or week Monday; \"\" for the total.")),
        Out(TextField("label", "")), Out(IdField("user_id", "Rep rows only.").Nullable()),
        Out(IntField("leads", 0, INT64_MAX, "")),
        Out(ObjectField("first_touch", "ComplianceShare", "")),
        Out(IntField("touched", 0, INT64_MAX, "")), Out(IntField("untouched", 0, INT64_MAX, "")),
        Out(NumberField("response_p50_minutes",
                        "Assignment to first touch in business minutes (nearest rank).")
                .Nullable()),
        Out(NumberField("response_p90_minutes", "").Nullable()),
        Out(NumberField("attempts_per_lead", "").Nullable()),
        Out(ObjectField("attempts", "ComplianceShare", "K attempts within D business days.")),
        Out(ObjectField("disposition", "ComplianceShare", "Accept or reject in the window."))}});
  t.AddSchema({"SalesObligationsTerms",
               "",
               {Out(IntField("first_touch_hours", 0, INT32_MAX, "")),
                Out(IntField("attempts", 0, INT32_MAX, "")),
                Out(IntField("attempts_within_days", 0, INT32_MAX, "")),
                Out(IntField("disposition_days", 0, INT32_MAX, ""))}});
  t.AddSchema({"SalesCompliance",
               "",
               {Out(ObjectField("obligations", "SalesObligationsTerms", "").Nullable()),
                Out(ListField("rows", "SalesComplianceRow", "")),
                Out(ObjectField("total", "SalesComplianceRow", ""))}});
  t.AddSchema({"MarketingComplianceWeek", "Marketing's figures for one week.", MarketingFields()});
  auto marketing = MarketingFields();
  marketing.push_back(Out(IntField("quota", 0, INT32_MAX, "").Nullable()));
  marketing.push_back(Out(EnumField("quota_period", {"week", "month"}, "").Nullable()));
  marketing.push_back(Out(ListField("weeks", "MarketingComplianceWeek", "by=week only.")));
  t.AddSchema({"MarketingCompliance", "Marketing's quota, quality and pace.", marketing});
  t.AddSchema(
      {"SlaCompliance",
       "Both sides of the contract over whole local days [from, to] in the contract's zone.",
       {Out(DateField("from", "")), Out(DateField("to", "Included.")),
        Out(EnumField("by", {"rep", "team", "week"}, "")), Out(TextField("time_zone", "")),
        Out(InstantField("start", "")), Out(InstantField("end", "Exclusive.")),
        Out(InstantField("as_of", "The instant clocks were judged at.")),
        Out(IdField("contract_version_id", "").Nullable()),
        Out(EnumField("scope", {"all", "own"}, "own: a rep sees only their own leads.")),
        Out(ObjectField("sales", "SalesCompliance", "")),
        Out(ObjectField("marketing", "MarketingCompliance", ""))}});
}

}  // namespace

std::string ComplianceJsonText(const app::ComplianceView& view) {
  return WriteJson(ViewJson(view));
}

void AddComplianceRoutes(RouteTable& t, const Deps& d) {
  app::ComplianceService& svc = d.services.compliance;
  AddComplianceSchemas(t);
  t.Add({.method = "GET",
         .pattern = "/api/v1/sla/compliance",
         .operation_id = "getSlaCompliance",
         .summary = "SLA compliance of both sides: sales per rep, team or week; marketing's "
                    "quota, quality and pace",
         .tag = "handoff",
         .query = {DateField("from", "First day (in the contract's zone).").Required(),
                   DateField("to", "Last day, included; at most 366 days after from.").Required(),
                   EnumField("by", {"rep", "team", "week"}, "Default rep.")},
         .reply = {.schema = "SlaCompliance",
                   .doc = "400 for bad dates, to before from, or an unknown by; 403 for a rep "
                          "asking by=team. A rep sees only their own leads."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           auto by = core::ComplianceBreakdown::kRep;
           if (auto text = c.query.OptText("by")) {
             TANDEM_ASSIGN(by, core::ComplianceBreakdownFromString(*text));
           }
           TANDEM_ASSIGN(auto view,
                         svc.Report(c.principal(), *c.query.Day("from"), *c.query.Day("to"), by));
           return JsonReply(200, ViewJson(view));
         }});
}

}  // namespace tandem::api
