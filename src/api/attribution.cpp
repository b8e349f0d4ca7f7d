// GET /api/v1/attribution: revenue and pipeline credited to campaigns or sources by an
// attribution model. Definitions in docs/analytics.md ("Attribution").
#include "core/attribution.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

namespace json = boost::json;

namespace {

Field Out(Field f) {
  return std::move(f).Required();
}

const std::vector<std::string>& Models() {
  static const std::vector<std::string> m = {"first", "last", "linear", "u", "w"};
  return m;
}

json::object ReportJson(const app::AttributionReport& r) {
  const core::AttributionResult& a = r.result;
  json::object o;
  o["model"] = std::string(core::ToString(a.model));
  o["by"] = std::string(core::ToString(a.by));
  o["from"] = core::FormatInstant(r.query.from);
  o["to"] = core::FormatInstant(r.query.to);
  o["currency"] = r.query.currency;
  o["has_data"] = r.has_data;
  o["summary"] = r.summary;
  o["rounding"] =
      "each deal split in minor units by largest remainder (ties to the earlier touch): "
      "credits sum to the deal exactly";
  o["revenue"] = MoneyJson(a.revenue_minor);
  o["pipeline"] = MoneyJson(a.pipeline_minor);
  o["won_deals"] = a.won_deals;
  o["open_deals"] = a.open_deals;
  o["unattributed"] = json::object{{"revenue", MoneyJson(a.unattributed_revenue_minor)},
                                   {"pipeline", MoneyJson(a.unattributed_pipeline_minor)},
                                   {"deals", a.unattributed_deals}};
  json::array rows;
  for (const auto& row : a.rows) {
    rows.push_back(json::object{{"key", row.key},
                                {"revenue", MoneyJson(row.revenue_minor)},
                                {"pipeline", MoneyJson(row.pipeline_minor)},
                                {"won_deals", row.won_deals},
                                {"open_deals", row.open_deals},
                                {"touches", row.touches}});
  }
  o["rows"] = std::move(rows);
  return o;
}

void AddAttributionSchemas(RouteTable& t) {
  t.AddSchema({"AttributionRow",
               "What one campaign or source is credited with.",
               {Out(TextField("key", "The campaign or source; empty for touches without one.")),
                Out(MoneyField("revenue", "Its credited share of the won deals.")),
                Out(MoneyField("pipeline", "Its credited share of the open deals.")),
                Out(IntField("won_deals", 0, 0, "Won deals it touched.")),
                Out(IntField("open_deals", 0, 0, "Open deals it touched.")),
                Out(IntField("touches", 0, 0, "Its touches behind those deals."))}});
  t.AddSchema({"AttributionUnattributed",
               "Deals without any touch before their creation.",
               {Out(MoneyField("revenue", "")), Out(MoneyField("pipeline", "")),
                Out(IntField("deals", 0, 0, ""))}});
  t.AddSchema(
      {"AttributionReport",
       "Revenue and pipeline per campaign or source under one model.",
       {Out(EnumField("model", Models(), "")), Out(EnumField("by", {"campaign", "source"}, "")),
        Out(InstantField("from", "")), Out(InstantField("to", "")), Out(TextField("currency", "")),
        Out(BoolField("has_data", "")),
        Out(TextField("summary", "The leaders in words, or \"no data: ...\".")),
        Out(TextField("rounding", "How minor units are split.")),
        Out(MoneyField("revenue", "Won deals closed in the period.")),
        Out(MoneyField("pipeline", "Deals open now, created in the period.")),
        Out(IntField("won_deals", 0, 0, "")), Out(IntField("open_deals", 0, 0, "")),
        Out(ObjectField("unattributed", "AttributionUnattributed", "")),
        Out(ListField("rows", "AttributionRow",
                      "Most revenue first, then most pipeline, then by key; with the "
                      "unattributed amounts they sum to revenue and pipeline exactly."))}});
}

}  // namespace

void AddAttributionRoutes(RouteTable& t, const Deps& d) {
  app::AttributionService& svc = d.services.attribution;
  AddAttributionSchemas(t);
  t.Add({.method = "GET",
         .pattern = "/api/v1/attribution",
         .operation_id = "attribution",
         .summary = "Revenue and pipeline per campaign or source by an attribution model",
         .tag = "analytics",
         .query = {InstantField("from",
                                "Start of the period (included); a bare date is "
                                "midnight UTC.")
                       .Required(),
                   InstantField("to", "End of the period (excluded).").Required(),
                   EnumField("model", Models(),
                             "first, last, linear, u (40/20/40) or w (30/30/30 + 10); default "
                             "linear."),
                   EnumField("by", {"campaign", "source"}, "Default campaign."),
                   TextField("currency", "ISO 4217; default EUR.")},
         .reply = {.schema = "AttributionReport"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::AttributionQuery q;
           q.from = *c.query.Time("from");
           q.to = *c.query.Time("to");
           core::AttributionModel model = core::AttributionModel::kLinear;
           if (auto m = c.query.OptText("model")) {
             TANDEM_ASSIGN(model, core::AttributionModelFromString(*m));
           }
           if (auto by = c.query.OptText("by")) {
             TANDEM_ASSIGN(q.by, core::AttributionBreakdownFromString(*by));
           }
           if (auto cur = c.query.OptText("currency")) q.currency = *cur;
           TANDEM_ASSIGN(auto report, svc.Attribution(c.principal(), q, model));
           return JsonReply(200, ReportJson(report));
         }});
}

}  // namespace tandem::api
