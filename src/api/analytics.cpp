// POST /api/v1/plan (the reverse-funnel plan) and GET /api/v1/funnel (the funnel with its
// broken step). Definitions in docs/analytics.md.
#include <cmath>

#include "api/handlers.hpp"
#include "core/funnel.hpp"
#include "core/plan.hpp"

namespace tandem::api {

namespace json = boost::json;

namespace {

Field Out(Field f) {
  return std::move(f).Required();
}

std::vector<std::string> StepNames() {
  std::vector<std::string> out;
  for (core::FunnelStep s : core::kAllSteps) out.emplace_back(core::ToString(s));
  return out;
}

std::vector<std::string> MainStageNames() {
  std::vector<std::string> out;
  for (core::Stage s : core::kMainStages) out.emplace_back(core::ToString(s));
  return out;
}

json::value Opt(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value Opt(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

// Rates given as {"mql_sal": 0.3}: each key must name a step; the value's range is the
// service's to check (it names "<prefix>.<step>").
core::Result<std::map<core::FunnelStep, double>> StepRates(
    const std::vector<std::pair<std::string, double>>& given, const std::string& prefix) {
  std::map<core::FunnelStep, double> out;
  for (const auto& [key, value] : given) {
    auto step = core::FunnelStepFromString(key);
    if (!step) {
      std::string allowed;
      for (const auto& n : StepNames()) allowed += (allowed.empty() ? "" : ", ") + n;
      return core::Fail(
          core::Error::Invalid(prefix + "." + key, "is not a step; steps: " + allowed));
    }
    out[*step] = value;
  }
  return out;
}

Schema PlanSchema() {
  return {"PlanRequest",
          "A revenue target to turn into each stage's volumes.",
          {MoneyField("revenue", "The target, in major units.").Required(),
           DateField("from", "First day of the period.").Required(),
           DateField("to", "Last day of the period (included).").Required(),
           MoneyField("deal_size", "Average won deal; measured from won deals when absent."),
           NumberMapField("rates",
                          "Step rates in (0, 1] by step name (visitor_lead, lead_mql, mql_sal, "
                          "sal_sql, sql_opportunity, opportunity_customer); the steps absent "
                          "are measured."),
           EnumField("per", {"week", "month"}, "Schedule granularity; default week."),
           TextField("currency", "ISO 4217; default EUR."),
           IntField("trailing_days", 1, 3650, "Window of the measured figures; default 180.")}};
}

json::object PlanJson(const app::PlanResult& r) {
  const core::Plan& p = r.plan;
  json::object o;
  o["revenue"] = MoneyJson(p.input.revenue_minor);
  o["deal_size"] = MoneyJson(p.input.deal_size_minor);
  o["deal_size_source"] = r.deal_size_measured ? "measured" : "given";
  o["currency"] = p.input.currency;
  o["from"] = core::FormatDate(p.input.from);
  o["to"] = core::FormatDate(p.input.to);
  o["per"] = std::string(core::ToString(p.input.granularity));
  o["periods"] = p.periods;
  o["rounding"] =
      "every stage rounded up; per period ceil(total / periods), the last period "
      "takes what remains";
  o["measured_from"] = core::FormatInstant(r.window_from);
  o["measured_to"] = core::FormatInstant(r.window_to);
  json::array stages;
  for (std::size_t i = 0; i < p.stages.size(); ++i) {
    const core::PlanStage& st = p.stages[i];
    json::object s;
    s["stage"] = std::string(core::ToString(st.stage));
    s["name"] = st.name;
    s["team"] = std::string(core::ToString(st.owner));
    s["exact"] = st.exact;
    s["needed"] = st.needed;
    s["per_period"] = st.per_period;
    s["lead_days"] = st.lead_days;
    const bool has_next = i + 1 < p.stages.size();
    s["rate_to_next"] = has_next ? json::value(p.input.rates[i]) : json::value(nullptr);
    s["rate_source"] =
        has_next ? json::value(r.rate_measured[i] ? "measured" : "given") : json::value(nullptr);
    s["median_days_to_next"] =
        has_next ? json::value(p.input.median_days[i]) : json::value(nullptr);
    json::array buckets;
    for (const auto& b : st.buckets) {
      buckets.push_back(json::object{{"start", core::FormatDate(b.start)},
                                     {"end", core::FormatDate(b.end)},
                                     {"target", b.target}});
    }
    s["buckets"] = std::move(buckets);
    stages.push_back(std::move(s));
  }
  o["stages"] = std::move(stages);
  return o;
}

json::object FiguresJson(const core::FunnelFigures& f) {
  json::object o;
  o["key"] = f.key;
  json::array stages;
  for (std::size_t i = 0; i < core::kMainStageCount; ++i) {
    stages.push_back(json::object{{"stage", std::string(core::ToString(core::kMainStages[i]))},
                                  {"reached", f.reached[i]}});
  }
  o["stages"] = std::move(stages);
  json::array steps;
  for (const core::StepFigures& s : f.steps) {
    json::object j;
    j["step"] = std::string(core::ToString(s.step));
    j["label"] = core::StepLabel(s.step);
    j["base"] = s.base;
    j["passed"] = s.passed;
    j["dropped"] = s.dropped;
    j["rate"] = Opt(s.rate);
    j["low"] = s.interval ? json::value(s.interval->low) : json::value(nullptr);
    j["high"] = s.interval ? json::value(s.interval->high) : json::value(nullptr);
    j["p50_hours"] = Opt(s.p50_hours);
    j["p90_hours"] = Opt(s.p90_hours);
    steps.push_back(std::move(j));
  }
  o["steps"] = std::move(steps);
  return o;
}

json::object ReportJson(const app::FunnelReport& r) {
  json::object o;
  o["from"] = core::FormatInstant(r.query.from);
  o["to"] = core::FormatInstant(r.query.to);
  o["view"] = std::string(core::ToString(r.query.view));
  o["by"] = r.query.by == core::FunnelBreakdown::kNone
                ? json::value(nullptr)
                : json::value(std::string(core::ToString(r.query.by)));
  o["window_days"] = r.query.window_ms / (24LL * 3600 * 1000);
  o["has_data"] = r.has_data;
  o["summary"] = r.summary;
  o["deal_size"] = r.deal_size_minor ? MoneyJson(*r.deal_size_minor) : json::value(nullptr);
  o["total"] = FiguresJson(r.total);
  json::array parts;
  if (r.query.by != core::FunnelBreakdown::kNone) {
    for (const auto& f : r.funnels) parts.push_back(FiguresJson(f));
  }
  o["breakdown"] = std::move(parts);
  json::array broken;
  for (const auto& b : r.broken) {
    broken.push_back(json::object{{"step", std::string(core::ToString(b.step))},
                                  {"label", core::StepLabel(b.step)},
                                  {"rate", b.rate},
                                  {"planned", b.planned},
                                  {"low", b.interval.low},
                                  {"high", b.interval.high},
                                  {"extra_deals", b.extra_deals},
                                  {"revenue", MoneyJson(b.revenue_minor)},
                                  {"sentence", b.sentence}});
  }
  o["broken_steps"] = std::move(broken);
  return o;
}

std::vector<Field> FunnelParams() {
  std::vector<Field> f = {
      InstantField("from", "Start of the period (included); a bare date is midnight UTC.")
          .Required(),
      InstantField("to", "End of the period (excluded).").Required(),
      EnumField("view", {"cohort", "period"}, "Default cohort."),
      EnumField("by", {"source", "campaign", "owner", "week", "persona"},
                "Breakdown; persona: the persona key the contact's score matches now."),
      IntField("window_days", 1, 3650, "Cohort: days after X within which Y counts; default 90."),
      TextField("source", "Only contacts of this original source."),
      TextField("campaign", "Only contacts of this original campaign."),
      IdField("owner_id", "Only contacts of this owner."),
      NumberField("deal_size",
                  "Major units, for the broken step's revenue; default the average won deal."),
      TextField("currency", "Default EUR.")};
  for (const auto& s : StepNames()) {
    f.push_back(NumberField("plan_" + s, "Planned rate of " + s + " in (0, 1]."));
  }
  return f;
}

void AddAnalyticsSchemas(RouteTable& t) {
  t.AddSchema({"PlanBucket",
               "One period of a stage's schedule.",
               {Out(DateField("start", "")), Out(DateField("end", "")),
                Out(IntField("target", 0, 0, ""))}});
  t.AddSchema(
      {"PlanStage",
       "One stage of the plan, visits first, deals last.",
       {Out(EnumField("stage", MainStageNames(), "customer stands for won deals.")),
        Out(TextField("name", "visits, leads, mqls, sals, sqls, opportunities, deals")),
        Out(EnumField("team", {"marketing", "sales"}, "Who owns the number.")),
        Out(NumberField("exact", "Before rounding up.")),
        Out(IntField("needed", 0, 0, "Rounded up.")),
        Out(IntField("per_period", 0, 0, "ceil(needed / periods).")),
        Out(IntField("lead_days", 0, 0, "How many days before the deals this stage happens.")),
        Out(NumberField("rate_to_next", "").Nullable()),
        Out(EnumField("rate_source", {"given", "measured"}, "").Nullable()),
        Out(NumberField("median_days_to_next", "").Nullable()),
        Out(ListField("buckets", "PlanBucket", "Shifted earlier by lead_days."))}});
  t.AddSchema(
      {"Plan",
       "A reverse-funnel plan.",
       {Out(MoneyField("revenue", "")), Out(MoneyField("deal_size", "")),
        Out(EnumField("deal_size_source", {"given", "measured"}, "")),
        Out(TextField("currency", "")), Out(DateField("from", "")), Out(DateField("to", "")),
        Out(EnumField("per", {"week", "month"}, "")), Out(IntField("periods", 0, 0, "")),
        Out(TextField("rounding", "")), Out(InstantField("measured_from", "")),
        Out(InstantField("measured_to", "")), Out(ListField("stages", "PlanStage", ""))}});
  t.AddSchema(
      {"FunnelStage",
       "Contacts reaching a stage in the period.",
       {Out(EnumField("stage", MainStageNames(), "")), Out(IntField("reached", 0, 0, ""))}});
  t.AddSchema({"FunnelStep",
               "Conversion from one stage to the next.",
               {Out(EnumField("step", StepNames(), "")), Out(TextField("label", "")),
                Out(IntField("base", 0, 0, "")), Out(IntField("passed", 0, 0, "")),
                Out(IntField("dropped", 0, 0, "")),
                Out(NumberField("rate", "null when nobody is at the base (no data).").Nullable()),
                Out(NumberField("low", "Wilson 95% interval.").Nullable()),
                Out(NumberField("high", "").Nullable()),
                Out(IntField("p50_hours", 0, 0, "Time in stage.").Nullable()),
                Out(IntField("p90_hours", 0, 0, "").Nullable())}});
  t.AddSchema(
      {"Funnel",
       "One funnel: the whole, or one breakdown value.",
       {Out(TextField("key", "The breakdown value; empty for the whole.")),
        Out(ListField("stages", "FunnelStage", "")), Out(ListField("steps", "FunnelStep", ""))}});
  t.AddSchema(
      {"BrokenStep",
       "A step below plan with 95% confidence.",
       {Out(EnumField("step", StepNames(), "")), Out(TextField("label", "")),
        Out(NumberField("rate", "")), Out(NumberField("planned", "")), Out(NumberField("low", "")),
        Out(NumberField("high", "")), Out(NumberField("extra_deals", "")),
        Out(MoneyField("revenue", "What reaching plan would add.")),
        Out(TextField("sentence", ""))}});
  t.AddSchema(
      {"FunnelReport",
       "The funnel of a period with its broken step.",
       {Out(InstantField("from", "")), Out(InstantField("to", "")),
        Out(EnumField("view", {"cohort", "period"}, "")),
        Out(EnumField("by", {"source", "campaign", "owner", "week", "persona"}, "").Nullable()),
        Out(IntField("window_days", 0, 0, "")), Out(BoolField("has_data", "")),
        Out(TextField("summary", "The broken step in words, or why there is none.")),
        Out(MoneyField("deal_size", "").Nullable()), Out(ObjectField("total", "Funnel", "")),
        Out(ListField("breakdown", "Funnel", "")),
        Out(ListField("broken_steps", "BrokenStep", "Most revenue first."))}});
}

}  // namespace

void AddAnalyticsRoutes(RouteTable& t, const Deps& d) {
  app::AnalyticsService& svc = d.services.analytics;
  AddAnalyticsSchemas(t);
  t.Add({.method = "POST",
         .pattern = "/api/v1/plan",
         .operation_id = "plan",
         .summary = "Reverse-funnel plan from a revenue target",
         .tag = "goals",
         .body = PlanSchema(),
         .reply = {.schema = "Plan"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           app::PlanRequest req;
           req.revenue_minor = c.body.Minor("revenue").value_or(0);
           req.deal_size_minor = c.body.Minor("deal_size");
           req.from = *c.body.Day("from");
           req.to = *c.body.Day("to");
           if (auto per = c.body.OptText("per")) {
             req.granularity = *core::PlanGranularityFromString(*per);
           }
           if (auto cur = c.body.OptText("currency")) req.currency = *cur;
           if (auto days = c.body.Int("trailing_days")) req.trailing_days = static_cast<int>(*days);
           TANDEM_ASSIGN(req.rates, StepRates(c.body.NumberMap("rates"), "rates"));
           TANDEM_ASSIGN(auto plan, svc.Plan(c.principal(), req));
           return JsonReply(200, PlanJson(plan));
         }});
  t.Add({.method = "GET",
         .pattern = "/api/v1/funnel",
         .operation_id = "funnel",
         .summary = "Funnel conversion, time in stage and the broken step",
         .tag = "analytics",
         .query = FunnelParams(),
         .reply = {.schema = "FunnelReport"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           app::FunnelRequest req;
           req.query.from = *c.query.Time("from");
           req.query.to = *c.query.Time("to");
           if (auto v = c.query.OptText("view")) req.query.view = *core::FunnelViewFromString(*v);
           if (auto by = c.query.OptText("by")) {
             TANDEM_ASSIGN(req.query.by, core::FunnelBreakdownFromString(*by));
           }
           if (auto w = c.query.Int("window_days")) req.query.window_ms = *w * 24 * 3600 * 1000;
           req.query.source = c.query.OptText("source");
           req.query.campaign = c.query.OptText("campaign");
           req.query.owner_id = c.query.Id("owner_id");
           if (auto cur = c.query.OptText("currency")) req.currency = *cur;
           if (auto ds = c.query.Number("deal_size")) {
             req.deal_size_minor = static_cast<std::int64_t>(std::llround(*ds * 100));
           }
           for (core::FunnelStep s : core::kAllSteps) {
             if (auto r = c.query.Number("plan_" + std::string(core::ToString(s)))) {
               req.planned[s] = *r;
             }
           }
           TANDEM_ASSIGN(auto report, svc.Funnel(c.principal(), req));
           return JsonReply(200, ReportJson(report));
         }});
}

}  // namespace tandem::api
