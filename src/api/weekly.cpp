// The weekly smarketing pack (docs/analytics.md, "The weekly pack"):
// GET /api/v1/reports/weekly?week=2026-W48&format=json|csv|html|pdf.
#include <boost/json/parse.hpp>

#include "api/compliance_json.hpp"
#include "api/handlers.hpp"
#include "api/weekly_json.hpp"
#include "app/weekly_render.hpp"

namespace tandem::api {
namespace json = boost::json;

namespace {

// The pack's HTML has inline styles and nothing else; the dashboard may frame it.
constexpr const char* kPackCsp =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'";

json::value OptNumber(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value IntervalJson(const std::optional<core::Interval>& i) {
  if (!i) return nullptr;
  return json::object{{"low", i->low}, {"high", i->high}};
}

json::value GoalValue(const core::Goal& g, std::int64_t v) {
  if (g.metric == core::GoalMetric::kRevenue) return MoneyJson(v);
  return v;
}

json::object GoalJson(const app::WeeklyGoal& g) {
  json::object o;
  o["id"] = g.goal.id;
  o["name"] = g.goal.name;
  o["metric"] = std::string(core::ToString(g.goal.metric));
  o["currency"] = g.goal.currency;
  o["from"] = core::FormatDate(g.goal.from);
  o["to"] = core::FormatDate(g.goal.to);
  o["target"] = GoalValue(g.goal, g.goal.target);
  o["in_week"] = GoalValue(g.goal, g.in_week);
  o["to_date"] = GoalValue(g.goal, g.to_date);
  o["expected"] = GoalValue(g.goal, g.expected);
  o["as_of"] = core::FormatDate(g.as_of);
  o["pace"] = OptNumber(g.pace);
  if (g.next) {
    json::array stages;
    for (const auto& s : g.next->stages) {
      stages.emplace_back(
          json::object{{"stage", std::string(core::ToString(s.stage))}, {"target", s.target}});
    }
    o["next_week"] = json::object{{"metric", GoalValue(g.goal, g.next->metric)},
                                  {"stages", std::move(stages)},
                                  {"note", g.next->note}};
  } else {
    o["next_week"] = nullptr;
  }
  return o;
}

json::object PackJson(const app::WeeklyPack& p) {
  json::object o;
  o["week"] = core::FormatIsoWeek(p.week);
  o["from"] = core::FormatDate(p.monday);
  o["to"] = core::FormatDate(p.sunday);
  o["time_zone"] = p.time_zone;
  o["start"] = core::FormatInstant(p.start);
  o["end"] = core::FormatInstant(p.end);
  o["generated_at"] = core::FormatInstant(p.generated_at);
  o["has_data"] = p.has_data;
  o["summary"] = p.summary;
  json::array actions;
  for (const auto& a : p.actions) {
    actions.emplace_back(json::object{{"rule", a.rule}, {"text", a.text}});
  }
  o["actions"] = std::move(actions);
  json::array goals;
  for (const auto& g : p.goals) goals.emplace_back(GoalJson(g));
  o["goals"] = std::move(goals);

  json::object funnel;
  funnel["has_data"] = p.funnel.has_data;
  funnel["summary"] = p.funnel.summary;
  funnel["plan_goal_id"] = p.plan_goal_id ? json::value(*p.plan_goal_id) : json::value(nullptr);
  json::array steps;
  for (const auto& s : p.funnel.total.steps) {
    steps.emplace_back(json::object{{"step", std::string(core::ToString(s.step))},
                                    {"base", s.base},
                                    {"passed", s.passed},
                                    {"rate", OptNumber(s.rate)},
                                    {"interval", IntervalJson(s.interval)}});
  }
  funnel["steps"] = std::move(steps);
  json::array broken;
  for (const auto& b : p.funnel.broken) {
    broken.emplace_back(json::object{{"step", std::string(core::ToString(b.step))},
                                     {"rate", b.rate},
                                     {"planned", b.planned},
                                     {"revenue", MoneyJson(b.revenue_minor)},
                                     {"sentence", b.sentence}});
  }
  funnel["broken"] = std::move(broken);
  o["funnel"] = std::move(funnel);

  // The SLA block is the SLA compliance report exactly as its own route answers it.
  o["sla"] = json::parse(ComplianceJsonText(p.sla));

  json::object rejections;
  rejections["summary"] = p.feedback.figures.summary;
  json::array reasons;
  for (const auto& r : p.top_reasons) {
    reasons.emplace_back(
        json::object{{"code", r.code}, {"label", r.label}, {"count", r.count}, {"share", r.share}});
  }
  rejections["top_reasons"] = std::move(reasons);
  json::array campaigns;
  for (const auto& g : p.feedback.figures.groups) {
    campaigns.emplace_back(json::object{{"campaign", g.key},
                                        {"dispositions", g.dispositions},
                                        {"rejected", g.rejected},
                                        {"reject_rate", OptNumber(g.reject_rate)},
                                        {"sentence", g.sentence}});
  }
  rejections["campaigns"] = std::move(campaigns);
  o["rejections"] = std::move(rejections);

  json::object best;
  best["model"] = "linear";
  best["currency"] = p.attribution.query.currency;
  json::array rows;
  for (const auto& r : p.best_campaigns) {
    rows.emplace_back(json::object{{"campaign", r.key},
                                   {"pipeline", MoneyJson(r.pipeline_minor)},
                                   {"revenue", MoneyJson(r.revenue_minor)},
                                   {"open_deals", r.open_deals},
                                   {"won_deals", r.won_deals}});
  }
  best["rows"] = std::move(rows);
  o["best_campaigns"] = std::move(best);
  return o;
}

Field Out(Field f) {
  return std::move(f).Required();
}

void AddWeeklySchemas(RouteTable& t) {
  t.AddSchema({"WeeklyAction",
               "A suggested action and the rule that drew it.",
               {Out(EnumField("rule",
                              {"broken_step", "goal_behind_pace", "rep_first_touch", "mql_quota",
                               "mql_quality", "campaign_rejections"},
                              "")),
                Out(TextField("text", ""))}});
  t.AddSchema({"WeeklyGoal",
               "A goal overlapping the week: the metric this week, to date, expected and pace; "
               "next week's targets from its plan. Revenue in major units.",
               {},
               true});
  t.AddSchema({"WeeklyBlock", "A block of the pack (see docs/analytics.md).", {}, true});
  t.AddSchema(
      {"WeeklyPack",
       "The weekly smarketing pack of an ISO week in the company's time zone.",
       {Out(TextField("week", "ISO week, 2026-W48.")), Out(DateField("from", "The Monday.")),
        Out(DateField("to", "The Sunday.")), Out(TextField("time_zone", "")),
        Out(InstantField("start", "")), Out(InstantField("end", "Exclusive.")),
        Out(InstantField("generated_at", "")),
        Out(BoolField("has_data", "false: nothing was recorded that week.")),
        Out(TextField("summary", "\"no data: ...\" or the number of actions.")),
        Out(ListField("actions", "WeeklyAction", "")), Out(ListField("goals", "WeeklyGoal", "")),
        Out(ObjectField("funnel", "WeeklyBlock", "Cohort funnel with its broken step.")),
        Out(ObjectField("sla", "SlaCompliance", "As GET /api/v1/sla/compliance answers.")),
        Out(ObjectField("rejections", "WeeklyBlock", "Top reasons and per-campaign figures.")),
        Out(ObjectField("best_campaigns", "WeeklyBlock", "By attributed pipeline (linear)."))}});
}

}  // namespace

std::string WeeklyJsonText(const app::WeeklyPack& pack) {
  return WriteJson(PackJson(pack));
}

void AddWeeklyRoutes(RouteTable& t, const Deps& d) {
  app::WeeklyReportService& svc = d.services.weekly;
  AddWeeklySchemas(t);
  const std::string chromium = d.settings.chromium;
  t.Add(
      {.method = "GET",
       .pattern = "/api/v1/reports/weekly",
       .operation_id = "getWeeklyReport",
       .summary = "The weekly smarketing pack of an ISO week, as JSON, CSV, HTML or PDF",
       .tag = "analytics",
       .query = {TextField("week", "ISO week, e.g. 2026-W48.").Required(),
                 EnumField("format", {"json", "csv", "html", "pdf"},
                           "Default json; csv: text/csv, one section per block; html: a "
                           "printable page; pdf: printed by headless Chromium.")},
       .reply = {.schema = "WeeklyPack",
                 .doc = "400 on a malformed week or an unknown format; 422 (field format) for "
                        "pdf when Chromium is not installed. A week without data answers "
                        "has_data false and a summary starting \"no data\"."},
       .fn = [&svc, chromium](const Call& c) -> core::Result<Response> {
         TANDEM_ASSIGN(auto week, core::ParseIsoWeek(c.query.Text("week")));
         const std::string format = c.query.OptText("format").value_or("json");
         TANDEM_ASSIGN(auto pack, svc.Build(c.principal(), week));
         const std::string name = "tandem-weekly-" + core::FormatIsoWeek(week);
         if (format == "json") return JsonReply(200, PackJson(pack));
         if (format == "csv") {
           Response r = Response::Text(200, app::RenderWeeklyCsv(pack), "text/csv; charset=utf-8");
           r.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"" + name + ".csv\"");
           return r;
         }
         const std::string html = app::RenderWeeklyHtml(pack);
         if (format == "html") {
           Response r = Response::Text(200, html, "text/html; charset=utf-8");
           r.headers.emplace_back("Content-Security-Policy", kPackCsp);
           return r;
         }
         app::PdfSettings ps;
         ps.chromium = chromium;
         TANDEM_ASSIGN(auto pdf, app::RenderWeeklyPdf(html, ps));
         Response r = Response::Text(200, std::move(pdf), "application/pdf");
         r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + ".pdf\"");
         return r;
       }});
}

}  // namespace tandem::api
