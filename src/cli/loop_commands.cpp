#include "cli/loop_commands.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <string>

#include "app/attribution.hpp"
#include "app/feedback.hpp"
#include "core/funnel.hpp"
#include "server/runtime.hpp"

namespace tandem::cli {

namespace {

const core::Principal kCli{0, "cli", core::Role::kAdmin, std::nullopt};

int Fail(std::ostream& err, const core::Error& e) {
  err << "error: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return 1;
}

core::Result<core::Instant> ParseTime(const std::string& text, const std::string& field) {
  auto t = core::ParseInstant(text);
  if (!t) {
    return core::Fail(core::Error::Invalid(
        field, field + " must be a date (YYYY-MM-DD) or an ISO 8601 instant, got '" + text + "'"));
  }
  return *t;
}

std::string Pct(const std::optional<double>& v) {
  return v ? core::Percent(*v) : std::string("-");
}

std::string Interval(const std::optional<core::Interval>& i) {
  return i ? core::Percent(i->low) + "-" + core::Percent(i->high) : std::string("-");
}

}  // namespace

struct LoopCommands::State {
  CLI::App* feedback = nullptr;
  CLI::App* attribution = nullptr;
  std::string db = "tandem.db";
  std::string from, to, by = "campaign", model = "linear", currency = "EUR";

  core::Result<std::unique_ptr<server::Runtime>> Open() const {
    server::RuntimeSettings rs;
    rs.db = db;
    return server::Runtime::Open(rs);
  }

  int Feedback(std::ostream& out, std::ostream& err) const {
    core::FeedbackQuery q;
    auto from_t = ParseTime(from, "from");
    if (!from_t) return Fail(err, from_t.error());
    auto to_t = ParseTime(to, "to");
    if (!to_t) return Fail(err, to_t.error());
    auto b = core::FeedbackBreakdownFromString(by);
    if (!b) return Fail(err, b.error());
    q.from = *from_t;
    q.to = *to_t;
    q.by = *b;
    auto rt = Open();
    if (!rt) return Fail(err, rt.error());
    auto r = (*rt)->services().feedback.Feedback(kCli, q);
    if (!r) return Fail(err, r.error());
    const core::FeedbackFigures& f = r->figures;
    out << fmt::format("Feedback from sales {} to {}, by {}\n", from, to, by);
    out << f.summary << "\n";
    if (!f.has_data) return 0;
    out << fmt::format("{:<28} {:>8} {:>8} {:>8} {:>7} {:>9}  {:>6} {:>6}  {}\n", by, "handled",
                       "accepted", "rejected", "accept", "95%", "->SQL", "->opp", "top reason");
    auto row = [&](const core::FeedbackGroup& g, const std::string& name) {
      const std::string top = g.reasons.empty() ? "-"
                                                : fmt::format("{} ({})", g.reasons.front().code,
                                                              g.reasons.front().count);
      out << fmt::format("{:<28} {:>8} {:>8} {:>8} {:>7} {:>9}  {:>6} {:>6}  {}\n", name,
                         g.dispositions, g.accepted, g.rejected, Pct(g.accept_rate),
                         Interval(g.accept_interval), Pct(g.next[0].rate), Pct(g.next[1].rate),
                         top);
    };
    for (const auto& g : f.groups) row(g, g.key.empty() ? "(none)" : g.key);
    row(f.total, "all");
    out << "\nRejection reasons (all):\n";
    for (const auto& reason : f.total.reasons) {
      out << fmt::format("  {:<20} {:>7} {:>5}  {}\n", reason.code, reason.count,
                         core::Percent(reason.share), reason.label);
    }
    out << "\nFor marketing:\n";
    for (const auto& g : f.groups) out << "  " << g.sentence << "\n";
    return 0;
  }

  int Attribution(std::ostream& out, std::ostream& err) const {
    auto from_t = ParseTime(from, "from");
    if (!from_t) return Fail(err, from_t.error());
    auto to_t = ParseTime(to, "to");
    if (!to_t) return Fail(err, to_t.error());
    auto m = core::AttributionModelFromString(model);
    if (!m) return Fail(err, m.error());
    auto b = core::AttributionBreakdownFromString(by);
    if (!b) return Fail(err, b.error());
    core::AttributionQuery q;
    q.from = *from_t;
    q.to = *to_t;
    q.by = *b;
    q.currency = currency;
    auto rt = Open();
    if (!rt) return Fail(err, rt.error());
    auto r = (*rt)->services().attribution.Attribution(kCli, q, *m);
    if (!r) return Fail(err, r.error());
    const core::AttributionResult& a = r->result;
    out << fmt::format("Attribution ({}) {} to {}, by {}, in {}\n", model, from, to, by, currency);
    out << r->summary << "\n";
    if (!r->has_data) return 0;
    auto money = [](std::int64_t minor) { return core::FormatMajorUnits(minor); };
    out << fmt::format("{:<28} {:>14} {:>14} {:>6} {:>6} {:>8}\n", by, "revenue", "pipeline", "won",
                       "open", "touches");
    for (const auto& row : a.rows) {
      out << fmt::format("{:<28} {:>14} {:>14} {:>6} {:>6} {:>8}\n",
                         row.key.empty() ? "(none)" : row.key, money(row.revenue_minor),
                         money(row.pipeline_minor), row.won_deals, row.open_deals, row.touches);
    }
    out << fmt::format("{:<28} {:>14} {:>14} {:>6} {:>6}\n", "(no touch)",
                       money(a.unattributed_revenue_minor), money(a.unattributed_pipeline_minor),
                       "", "");
    out << fmt::format("{:<28} {:>14} {:>14} {:>6} {:>6}\n", "total", money(a.revenue_minor),
                       money(a.pipeline_minor), a.won_deals, a.open_deals);
    out << "Each deal is split in cents by largest remainder: the credits sum to it exactly "
           "(amounts shown in whole units).\n";
    return 0;
  }
};

LoopCommands::LoopCommands(CLI::App& app) : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.feedback = app.add_subcommand(
      "feedback", "what sales sends back: rejection reasons and accept rates per group");
  s.feedback
      ->add_option("--db", s.db, "database: a SQLite file path, sqlite:PATH or postgresql://URL")
      ->capture_default_str();
  s.feedback->add_option("--from", s.from, "start (included), YYYY-MM-DD or ISO 8601")->required();
  s.feedback->add_option("--to", s.to, "end (excluded), YYYY-MM-DD or ISO 8601")->required();
  s.feedback->add_option("--by", s.by, "campaign, source or persona")->capture_default_str();

  s.attribution = app.add_subcommand(
      "attribution", "revenue and pipeline per campaign or source by an attribution model");
  s.attribution
      ->add_option("--db", s.db, "database: a SQLite file path, sqlite:PATH or postgresql://URL")
      ->capture_default_str();
  s.attribution->add_option("--from", s.from, "start (included), YYYY-MM-DD or ISO 8601")
      ->required();
  s.attribution->add_option("--to", s.to, "end (excluded), YYYY-MM-DD or ISO 8601")->required();
  s.attribution->add_option("--model", s.model, "first, last, linear, u or w")
      ->capture_default_str();
  s.attribution->add_option("--by", s.by, "campaign or source")->capture_default_str();
  s.attribution->add_option("--currency", s.currency, "ISO 4217")->capture_default_str();
}

LoopCommands::~LoopCommands() = default;

std::optional<int> LoopCommands::Run(std::ostream& out, std::ostream& err) const {
  if (*s_->feedback) return s_->Feedback(out, err);
  if (*s_->attribution) return s_->Attribution(out, err);
  return std::nullopt;
}

}  // namespace tandem::cli
