// GET /api/v1/feedback: what sales sends back to marketing (rejection reasons, accept rates,
// what happened next), per campaign, source or persona. Definitions in docs/analytics.md.
#include "core/feedback.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

namespace json = boost::json;

namespace {

Field Out(Field f) {
  return std::move(f).Required();
}

json::value Opt(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object GroupJson(const core::FeedbackGroup& g) {
  json::object o;
  o["key"] = g.key;
  o["dispositions"] = g.dispositions;
  o["accepted"] = g.accepted;
  o["rejected"] = g.rejected;
  o["accept_rate"] = Opt(g.accept_rate);
  o["accept_low"] = g.accept_interval ? json::value(g.accept_interval->low) : json::value(nullptr);
  o["accept_high"] =
      g.accept_interval ? json::value(g.accept_interval->high) : json::value(nullptr);
  o["reject_rate"] = Opt(g.reject_rate);
  json::array reasons;
  for (const auto& r : g.reasons) {
    reasons.push_back(json::object{{"code", r.code},
                                   {"label", r.label},
                                   {"known", r.known},
                                   {"count", r.count},
                                   {"share", r.share}});
  }
  o["reasons"] = std::move(reasons);
  json::array next;
  for (const auto& n : g.next) {
    next.push_back(
        json::object{{"stage", std::string(core::ToString(n.stage))},
                     {"count", n.count},
                     {"rate", Opt(n.rate)},
                     {"low", n.interval ? json::value(n.interval->low) : json::value(nullptr)},
                     {"high", n.interval ? json::value(n.interval->high) : json::value(nullptr)}});
  }
  o["next"] = std::move(next);
  o["sentence"] = g.sentence;
  return o;
}

json::object ReportJson(const app::FeedbackReport& r) {
  json::object o;
  o["from"] = core::FormatInstant(r.query.from);
  o["to"] = core::FormatInstant(r.query.to);
  o["by"] = std::string(core::ToString(r.query.by));
  o["has_data"] = r.figures.has_data;
  o["summary"] = r.figures.summary;
  o["total"] = GroupJson(r.figures.total);
  json::array groups;
  for (const auto& g : r.figures.groups) groups.push_back(GroupJson(g));
  o["groups"] = std::move(groups);
  json::array sentences;
  for (const auto& g : r.figures.groups) sentences.push_back(json::value(g.sentence));
  o["for_marketing"] = std::move(sentences);
  return o;
}

void AddFeedbackSchemas(RouteTable& t) {
  t.AddSchema({"FeedbackReason",
               "One rejection reason of a group.",
               {Out(TextField("code", "The contract's reason code.")),
                Out(TextField("label",
                              "The contract's label; the code when no version defines "
                              "it.")),
                Out(BoolField("known", "Whether a contract version defines the code.")),
                Out(IntField("count", 0, 0, "Rejections with this reason.")),
                Out(NumberField("share", "count / the group's dispositions."))}});
  t.AddSchema(
      {"FeedbackNext",
       "Of the group's accepted leads, those reaching a later stage at or after acceptance.",
       {Out(EnumField("stage", {"sql", "opportunity", "customer"}, "")),
        Out(IntField("count", 0, 0, "")),
        Out(NumberField("rate", "count / accepted; null when none was accepted.").Nullable()),
        Out(NumberField("low", "Wilson 95% interval.").Nullable()),
        Out(NumberField("high", "").Nullable())}});
  t.AddSchema({"FeedbackGroup",
               "Sales' dispositions of one campaign, source or persona (or of all).",
               {Out(TextField("key", "The group's value; empty for none (and for the total).")),
                Out(IntField("dispositions", 0, 0, "Accepted plus rejected.")),
                Out(IntField("accepted", 0, 0, "")), Out(IntField("rejected", 0, 0, "")),
                Out(NumberField("accept_rate", "null without dispositions.").Nullable()),
                Out(NumberField("accept_low", "Wilson 95% interval.").Nullable()),
                Out(NumberField("accept_high", "").Nullable()),
                Out(NumberField("reject_rate", "").Nullable()),
                Out(ListField("reasons", "FeedbackReason", "Most rejections first.")),
                Out(ListField("next", "FeedbackNext", "sql, opportunity, customer.")),
                Out(TextField("sentence", "The group in words, for marketing."))}});
  t.AddSchema(
      {"FeedbackReport",
       "Rejection reasons and lead quality as sales sees it, for a period.",
       {Out(InstantField("from", "")), Out(InstantField("to", "")),
        Out(EnumField("by", {"campaign", "source", "persona"}, "")), Out(BoolField("has_data", "")),
        Out(TextField("summary", "All leads in words, or \"no data: ...\".")),
        Out(ObjectField("total", "FeedbackGroup", "")),
        Out(ListField("groups", "FeedbackGroup", "Most rejections first.")),
        Out(StringListField("for_marketing", "Each group's sentence, in the groups' order."))}});
}

}  // namespace

void AddFeedbackRoutes(RouteTable& t, const Deps& d) {
  app::FeedbackService& svc = d.services.feedback;
  AddFeedbackSchemas(t);
  t.Add({.method = "GET",
         .pattern = "/api/v1/feedback",
         .operation_id = "feedback",
         .summary = "Rejection reasons and lead quality per campaign, source or persona",
         .tag = "analytics",
         .query = {InstantField("from",
                                "Start of the period (included); a bare date is "
                                "midnight UTC.")
                       .Required(),
                   InstantField("to", "End of the period (excluded).").Required(),
                   EnumField("by", {"campaign", "source", "persona"}, "Default campaign.")},
         .reply = {.schema = "FeedbackReport"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::FeedbackQuery q;
           q.from = *c.query.Time("from");
           q.to = *c.query.Time("to");
           if (auto by = c.query.OptText("by")) {
             TANDEM_ASSIGN(q.by, core::FeedbackBreakdownFromString(*by));
           }
           TANDEM_ASSIGN(auto report, svc.Feedback(c.principal(), q));
           return JsonReply(200, ReportJson(report));
         }});
}

}  // namespace tandem::api
