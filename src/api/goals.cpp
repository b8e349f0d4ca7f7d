// /api/v1/goals: SMART goals (CRUD), each read with its SMART check. Definitions in
// docs/analytics.md ("SMART goals").
#include <cmath>

#include "api/handlers.hpp"
#include "core/goal.hpp"

namespace tandem::api {

namespace json = boost::json;

namespace {

constexpr const char* kBase = "/api/v1/goals";

Field Out(Field f) {
  return std::move(f).Required();
}

std::vector<std::string> MetricNames() {
  std::vector<std::string> out;
  for (core::GoalMetric m : core::kAllGoalMetrics) out.emplace_back(core::ToString(m));
  return out;
}

Schema GoalSchema(const std::string& name, const std::string& doc) {
  return {name,
          doc,
          {TextField("name", "What the goal is called.").Required(),
           EnumField("metric", MetricNames(), "What is counted.").Required(),
           NumberField("target",
                       "Greater than 0: major units for revenue (at most two decimals), a whole "
                       "count otherwise.")
               .Required(),
           DateField("from", "First day of the period (UTC).").Required(),
           DateField("to", "Last day of the period (included).").Required(),
           TextField("currency", "ISO 4217 for revenue; default EUR."),
           StringListField("owners", "Emails of the users who own the goal."),
           TextField("source", "Scope: only contacts of this original source."),
           TextField("campaign", "Scope: only contacts of this original campaign."),
           NumberMapField("rates",
                          "The plan's stage rates in (0, 1] by step (visitor_lead, lead_mql, "
                          "mql_sal, sal_sql, sql_opportunity, opportunity_customer), checked "
                          "against the measured ones (Realistic).")}};
}

core::Result<core::Goal> GoalFromBody(const Body& b) {
  core::Goal g;
  g.name = b.Text("name");
  g.metric = *core::GoalMetricFromString(b.Text("metric"));
  const double target = b.Number("target").value_or(0);
  if (!(target > 0) || target > 1e13) {
    return core::Fail(core::Error::Invalid("target", "target must be greater than 0"));
  }
  if (g.metric == core::GoalMetric::kRevenue) {
    const double cents = target * 100;
    if (std::fabs(cents - std::round(cents)) > 1e-6) {
      return core::Fail(core::Error::Invalid("target", "revenue has at most two decimals"));
    }
    g.target = std::llround(cents);
  } else {
    if (target != std::floor(target)) {
      return core::Fail(core::Error::Invalid(
          "target", "target must be a whole count for " + std::string(core::ToString(g.metric))));
    }
    g.target = static_cast<std::int64_t>(target);
  }
  g.from = *b.Day("from");
  g.to = *b.Day("to");
  if (auto c = b.OptText("currency")) g.currency = *c;
  g.source = b.OptText("source");
  g.campaign = b.OptText("campaign");
  for (const auto& [key, value] : b.NumberMap("rates")) {
    auto step = core::FunnelStepFromString(key);
    if (!step) {
      return core::Fail(core::Error::Invalid(
          "rates." + key,
          "is not a step; steps: visitor_lead, lead_mql, mql_sal, sal_sql, sql_opportunity, "
          "opportunity_customer"));
    }
    g.rates[*step] = value;
  }
  return g;
}

json::value TargetJson(const core::Goal& g, std::int64_t v) {
  return g.metric == core::GoalMetric::kRevenue ? MoneyJson(v) : json::value(v);
}

json::object GoalJson(const core::Goal& g, const std::vector<std::string>& owners) {
  json::object o;
  o["id"] = g.id;
  o["name"] = g.name;
  o["metric"] = std::string(core::ToString(g.metric));
  o["target"] = TargetJson(g, g.target);
  o["currency"] = g.currency;
  o["from"] = core::FormatDate(g.from);
  o["to"] = core::FormatDate(g.to);
  json::array os;
  for (const auto& e : owners) os.emplace_back(e);
  o["owners"] = std::move(os);
  o["source"] = g.source ? json::value(*g.source) : json::value(nullptr);
  o["campaign"] = g.campaign ? json::value(*g.campaign) : json::value(nullptr);
  json::object rates;
  for (const auto& [step, rate] : g.rates) rates[core::ToString(step)] = rate;
  o["rates"] = std::move(rates);
  o["created_at"] = core::FormatInstant(g.created_at);
  return o;
}

json::object ViewJson(const app::GoalView& v) {
  json::object o = GoalJson(v.goal, v.owner_emails);
  json::object smart;
  smart["smart"] = v.smart.smart;
  smart["summary"] = v.smart.summary;
  json::array letters;
  for (const auto& l : v.smart.letters) {
    letters.push_back(json::object{{"letter", std::string(1, l.letter)},
                                   {"name", l.name},
                                   {"verdict", std::string(core::ToString(l.verdict))},
                                   {"reason", l.reason}});
  }
  smart["letters"] = std::move(letters);
  json::array past;
  for (const auto& [start, value] : v.past) {
    past.push_back(
        json::object{{"start", core::FormatDate(start)}, {"value", TargetJson(v.goal, value)}});
  }
  smart["comparable_periods"] = std::move(past);
  o["smart"] = std::move(smart);
  return o;
}

void AddGoalSchemas(RouteTable& t) {
  t.AddSchema({"SmartLetter",
               "One letter of the SMART check.",
               {Out(EnumField("letter", {"S", "M", "A", "R", "T"}, "")), Out(TextField("name", "")),
                Out(EnumField("verdict", {"pass", "fail", "unknown"}, "unknown: no data.")),
                Out(TextField("reason", "Why, in words."))}});
  t.AddSchema({"ComparablePeriod",
               "A past period of the goal's length and the metric in it.",
               {Out(DateField("start", "")),
                Out(NumberField("value", "Major units for revenue, a count otherwise."))}});
  t.AddSchema({"SmartCheck",
               "Tandem's check of each SMART letter.",
               {Out(BoolField("smart", "Every letter passes.")), Out(TextField("summary", "")),
                Out(ListField("letters", "SmartLetter", "S, M, A, R, T.")),
                Out(ListField("comparable_periods", "ComparablePeriod", "Most recent first."))}});
  std::vector<Field> fields = {
      Out(IdField("id", "")),
      Out(TextField("name", "")),
      Out(EnumField("metric", MetricNames(), "")),
      Out(NumberField("target", "Major units for revenue, a count otherwise.")),
      Out(TextField("currency", "")),
      Out(DateField("from", "")),
      Out(DateField("to", "")),
      Out(StringListField("owners", "Owner emails.")),
      Out(TextField("source", "").Nullable()),
      Out(TextField("campaign", "").Nullable()),
      Out(NumberMapField("rates", "Planned stage rates by step.")),
      Out(InstantField("created_at", ""))};
  t.AddSchema({"Goal", "A goal.", fields});
  t.AddSchema(
      {"StageProgress",
       "One stage: plan, actual and pace to date.",
       {Out(TextField("stage", "")), Out(IntField("planned", 0, 0, "").Nullable()),
        Out(IntField("actual", 0, 0, "")), Out(IntField("expected_by_today", 0, 0, "").Nullable()),
        Out(NumberField("pace", "actual / expected_by_today.").Nullable()),
        Out(NumberField("p_to_target", "Measured probability of reaching the metric.")
                .Nullable())}});
  t.AddSchema(
      {"GoalProgress",
       "Actual against plan, pace, forecast and the probability of reaching the target.",
       {Out(IdField("goal_id", "")),
        Out(EnumField("metric", MetricNames(), "")),
        Out(InstantField("measured_at", "")),
        Out(NumberField("target", "")),
        Out(NumberField("actual", "")),
        Out(IntField("period_days", 0, 0, "")),
        Out(IntField("elapsed_days", 0, 0, "")),
        Out(NumberField("expected_by_today", "")),
        Out(NumberField("pace", "").Nullable()),
        Out(ListField("stages", "StageProgress", "Lead to the metric's stage.")),
        Out(NumberField("pipeline", "Open pipeline weighted by stage-to-target probability.")),
        Out(NumberField("run_rate_per_day", "")),
        Out(NumberField("horizon_days", "")),
        Out(NumberField("run_rate_remaining", "")),
        Out(NumberField("forecast", "")),
        Out(NumberField("forecast_p10", "")),
        Out(NumberField("forecast_p90", "")),
        Out(NumberField("probability", "Monte Carlo share of runs reaching the target.")),
        Out(NumberField("probability_low", "Wilson 95%.")),
        Out(NumberField("probability_high", "")),
        Out(IntField("trials", 0, 0, "")),
        Out(IntField("seed", 0, 0, "")),
        Out(MoneyField("deal_size", "").Nullable()),
        Out(TextField("summary", ""))}});
  fields.push_back(Out(ObjectField("smart", "SmartCheck", "")));
  t.AddSchema({"GoalWithCheck", "A goal with its SMART check.", fields});
}

// A metric amount as a JSON number: major units for revenue, the count otherwise.
json::value Units(const core::Goal& g, double v) {
  return g.metric == core::GoalMetric::kRevenue ? json::value(v / 100.0) : json::value(v);
}

json::value OptNum(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value OptInt(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object ProgressJson(const app::GoalProgressView& v) {
  const core::Goal& g = v.goal;
  const core::Progress& p = v.progress;
  json::object o;
  o["goal_id"] = g.id;
  o["metric"] = std::string(core::ToString(g.metric));
  o["measured_at"] = core::FormatInstant(v.measured_at);
  o["target"] = Units(g, static_cast<double>(p.target));
  o["actual"] = Units(g, static_cast<double>(p.actual));
  o["period_days"] = p.period_days;
  o["elapsed_days"] = p.elapsed_days;
  o["expected_by_today"] = Units(g, static_cast<double>(p.expected_by_today));
  o["pace"] = OptNum(p.pace);
  json::array stages;
  for (const auto& s : p.stages) {
    stages.push_back(
        json::object{{"stage", std::string(core::ToString(s.stage))},
                     {"planned", OptInt(s.planned)},
                     {"actual", s.actual},
                     {"expected_by_today", OptInt(s.expected_by_today)},
                     {"pace", OptNum(s.pace)},
                     {"p_to_target", OptNum(p.p_to_target[static_cast<std::size_t>(s.stage)])}});
  }
  o["stages"] = std::move(stages);
  o["pipeline"] = Units(g, p.pipeline);
  o["run_rate_per_day"] = Units(g, p.run_rate_per_day);
  o["horizon_days"] = p.horizon_days;
  o["run_rate_remaining"] = Units(g, p.run_rate_remaining);
  o["forecast"] = Units(g, p.forecast);
  o["forecast_p10"] = Units(g, p.forecast_p10);
  o["forecast_p90"] = Units(g, p.forecast_p90);
  o["probability"] = p.probability;
  o["probability_low"] = p.probability_interval.low;
  o["probability_high"] = p.probability_interval.high;
  o["trials"] = p.trials;
  o["seed"] = static_cast<std::int64_t>(p.seed);
  o["deal_size"] = v.deal_size_minor ? MoneyJson(*v.deal_size_minor) : json::value(nullptr);
  o["summary"] = p.summary;
  return o;
}

std::string Location(core::Id id) {
  return std::string(kBase) + "/" + std::to_string(id);
}

}  // namespace

void AddGoalRoutes(RouteTable& t, const Deps& d) {
  app::GoalService& svc = d.services.goals;
  AddGoalSchemas(t);
  const std::string one = std::string(kBase) + "/{id}";
  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "createGoal",
         .summary = "Create a goal; the answer carries its SMART check",
         .tag = "goals",
         .body = GoalSchema("GoalCreate", "A new goal."),
         .reply = {.status = 201, .schema = "GoalWithCheck"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto g, GoalFromBody(c.body));
           TANDEM_ASSIGN(auto v, svc.Create(c.principal(), std::move(g), c.body.Strings("owners")));
           return CreatedReply(Location(v.goal.id), ViewJson(v));
         }});
  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "listGoals",
         .summary = "Every goal, oldest first",
         .tag = "goals",
         .reply = {.schema = "Goal", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto goals, svc.List(c.principal()));
           json::array items;
           for (const auto& v : goals) items.emplace_back(GoalJson(v.goal, v.owner_emails));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getGoal",
         .summary = "A goal with its SMART check, measured now",
         .tag = "goals",
         .reply = {.schema = "GoalWithCheck"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto v, svc.Get(c.principal(), c.id()));
           return JsonReply(200, ViewJson(v));
         }});
  t.Add({.method = "GET",
         .pattern = one + "/progress",
         .operation_id = "goalProgress",
         .summary = "Actual against plan to date, pace, forecast and its probability",
         .tag = "goals",
         .query = {IntField("seed", 0, 4'000'000'000, "Monte Carlo seed; default the goal's id."),
                   IntField("trials", 100, 100000, "Monte Carlo runs; default 2000.")},
         .reply = {.schema = "GoalProgress"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           std::optional<std::uint64_t> seed;
           if (auto s = c.query.Int("seed")) seed = static_cast<std::uint64_t>(*s);
           const int trials = static_cast<int>(c.query.Int("trials").value_or(2000));
           TANDEM_ASSIGN(auto v, svc.Progress(c.principal(), c.id(), seed, trials));
           return JsonReply(200, ProgressJson(v));
         }});
  t.Add({.method = "PUT",
         .pattern = one,
         .operation_id = "replaceGoal",
         .summary = "Replace a goal's fields",
         .tag = "goals",
         .body = GoalSchema("GoalReplace",
                            "Every field of the goal; absent optional fields are cleared."),
         .reply = {.schema = "GoalWithCheck"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto g, GoalFromBody(c.body));
           g.id = c.id();
           TANDEM_ASSIGN(auto v, svc.Update(c.principal(), std::move(g), c.body.Strings("owners")));
           return JsonReply(200, ViewJson(v));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "deleteGoal",
         .summary = "Delete a goal",
         .tag = "goals",
         .reply = {.status = 204},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(svc.Delete(c.principal(), c.id()));
           return Response::NoContent();
         }});
}

}  // namespace tandem::api
