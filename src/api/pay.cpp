// Shared pay (docs/analytics.md, "Shared pay"): GET /api/v1/pay.
#include "api/handlers.hpp"
#include "api/pay_json.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

Field Out(Field f) {
  return std::move(f).Required();
}

json::value OptNumber(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

std::string_view UnitName(core::KpiUnit u) {
  switch (u) {
    case core::KpiUnit::kCount: return "count";
    case core::KpiUnit::kMoneyMinor: return "money";
    case core::KpiUnit::kShare: return "share";
  }
  return "count";
}

// Money actuals and targets are in major units like every amount of the API.
json::value Figure(const std::optional<double>& v, core::KpiUnit u) {
  if (!v) return nullptr;
  if (u == core::KpiUnit::kMoneyMinor) return MoneyJson(core::RoundCents(*v));
  return *v;
}

json::object LineJson(const core::PayLine& l) {
  json::object o;
  o["kpi"] = std::string(core::ToString(l.term.kpi));
  o["unit"] = std::string(UnitName(l.measure.unit));
  o["actual"] = Figure(l.measure.actual, l.measure.unit);
  o["target"] = Figure(l.measure.target, l.measure.unit);
  o["basis"] = l.measure.basis;
  o["no_data"] = l.attainment ? json::value(nullptr) : json::value(l.measure.no_data);
  o["attainment"] = OptNumber(l.attainment);
  o["threshold_percent"] = l.term.threshold_percent;
  o["threshold_met"] = l.threshold_met;
  o["weight_percent"] = l.term.weight_percent;
  o["cap_percent"] = l.term.cap_percent;
  o["cap_applied"] = l.cap_applied;
  o["counted"] = OptNumber(l.counted);
  o["kpi_pool"] = MoneyJson(l.kpi_pool_cents);
  o["earned"] = MoneyJson(l.earned_cents);
  o["text"] = l.text;
  return o;
}

json::object ViewJson(const app::PayView& v) {
  const core::PayComputation& c = v.computation;
  json::object o;
  o["from"] = core::FormatDate(v.from);
  o["to"] = core::FormatDate(v.to);
  o["time_zone"] = v.time_zone;
  o["start"] = core::FormatInstant(v.start);
  o["end"] = core::FormatInstant(v.end);
  o["as_of"] = core::FormatInstant(v.as_of);
  o["contract_version_id"] = v.contract_version_id;
  o["scope"] = v.only_user ? "own" : "all";
  o["currency"] = v.terms.currency;
  o["period"] = std::string(core::ToString(v.terms.period));
  o["pool_per_period"] = MoneyJson(v.terms.pool_cents);
  o["pool"] = MoneyJson(c.pool_cents);
  o["goal_id"] = v.goal_id ? json::value(*v.goal_id) : json::value(nullptr);
  json::array lines;
  for (const auto& l : c.lines) lines.emplace_back(LineJson(l));
  o["lines"] = std::move(lines);
  o["earned"] = MoneyJson(c.earned_cents);
  o["pool_cap_percent"] = v.terms.cap_percent;
  o["pool_cap"] = MoneyJson(c.pool_cap_cents);
  o["pool_cap_applied"] = c.pool_cap_applied;
  o["total"] = MoneyJson(c.total_cents);
  o["participants"] = static_cast<std::int64_t>(c.payouts.size());
  json::array payouts;
  for (const auto& s : v.payouts) {
    payouts.emplace_back(json::object{{"user_id", s.payout.user_id},
                                      {"email", s.payout.email},
                                      {"amount", MoneyJson(s.payout.cents)},
                                      {"participant", s.participant}});
  }
  o["payouts"] = std::move(payouts);
  json::array statement;
  for (const auto& s : c.statement) statement.emplace_back(s);
  o["statement"] = std::move(statement);
  return o;
}

void AddPaySchemas(RouteTable& t) {
  t.AddSchema(
      {"PayLine",
       "One KPI of the statement: actual, target, attainment, threshold, weight, cap, earned.",
       {Out(TextField("kpi", "The contract's KPI key.")),
        Out(EnumField("unit", {"count", "money", "share"}, "Unit of actual and target.")),
        Out(NumberField("actual", "null: no data.").Nullable()),
        Out(NumberField("target", "null: no data.").Nullable()),
        Out(TextField("basis", "What was measured, in words.")),
        Out(TextField("no_data", "Why there is no attainment; null when there is one.").Nullable()),
        Out(NumberField("attainment", "actual / target.").Nullable()),
        Out(IntField("threshold_percent", 0, 1000, "")), Out(BoolField("threshold_met", "")),
        Out(IntField("weight_percent", 0, 100, "")), Out(IntField("cap_percent", 0, 1000, "")),
        Out(BoolField("cap_applied", "")),
        Out(NumberField("counted", "min(attainment, cap) when the threshold is met.").Nullable()),
        Out(MoneyField("kpi_pool", "The period's pool x weight.")),
        Out(MoneyField("earned", "kpi_pool x counted.")),
        Out(TextField("text", "The line in words with its arithmetic."))}});
  t.AddSchema(
      {"Payout",
       "",
       {Out(IdField("user_id", "")), Out(TextField("email", "")), Out(MoneyField("amount", "")),
        Out(BoolField("participant", "false: the user does not take part (0)."))}});
  t.AddSchema({"PayStatement",
               "Shared pay over whole local days [from, to] in the company's zone.",
               {Out(DateField("from", "")),
                Out(DateField("to", "Included.")),
                Out(TextField("time_zone", "")),
                Out(InstantField("start", "")),
                Out(InstantField("end", "Exclusive.")),
                Out(InstantField("as_of", "")),
                Out(IdField("contract_version_id", "")),
                Out(EnumField("scope", {"all", "own"}, "own: only one user's payout is shown.")),
                Out(TextField("currency", "")),
                Out(EnumField("period", {"week", "month"}, "")),
                Out(MoneyField("pool_per_period", "The contract's pool per week or month.")),
                Out(MoneyField("pool", "Pro-rated to the days of [from, to].")),
                Out(IdField("goal_id", "The revenue goal measured against.").Nullable()),
                Out(ListField("lines", "PayLine", "")),
                Out(MoneyField("earned", "")),
                Out(IntField("pool_cap_percent", 0, 1000, "")),
                Out(MoneyField("pool_cap", "")),
                Out(BoolField("pool_cap_applied", "")),
                Out(MoneyField("total", "Paid out in all.")),
                Out(IntField("participants", 0, INT64_MAX, "")),
                Out(ListField("payouts", "Payout", "")),
                Out(StringListField("statement", "Every line of the arithmetic."))}});
}

}  // namespace

std::string PayJsonText(const app::PayView& view) {
  return WriteJson(ViewJson(view));
}

void AddPayRoutes(RouteTable& t, const Deps& d) {
  app::PayService& svc = d.services.pay;
  AddPaySchemas(t);
  t.Add({.method = "GET",
         .pattern = "/api/v1/pay",
         .operation_id = "getPay",
         .summary = "Shared pay: each participant's payout from the contract's compensation "
                    "terms, with the statement's arithmetic",
         .tag = "analytics",
         .query = {DateField("from", "First day (in the company's zone).").Required(),
                   DateField("to", "Last day, included; at most 366 days after from.").Required(),
                   IdField("user_id", "Only this user's payout.")},
         .reply = {.schema = "PayStatement",
                   .doc = "400 for bad dates, to before from, or an unknown user_id; 403 when "
                          "someone other than an admin or a party head asks for another user; "
                          "422 without compensation terms in force. Everybody sees their own."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto view, svc.Statement(c.principal(), *c.query.Day("from"),
                                                  *c.query.Day("to"), c.query.Id("user_id")));
           return JsonReply(200, ViewJson(view));
         }});
}

}  // namespace tandem::api
