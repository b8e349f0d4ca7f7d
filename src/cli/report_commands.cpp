#include "cli/report_commands.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <string>

#include "api/pay_json.hpp"
#include "api/weekly_json.hpp"
#include "app/pay.hpp"
#include "app/weekly_render.hpp"
#include "core/compensation.hpp"
#include "core/weekly_pack.hpp"
#include "server/runtime.hpp"

namespace tandem::cli {

namespace {

const core::Principal kCli{0, "cli", core::Role::kAdmin, std::nullopt};

int Fail(std::ostream& err, const core::Error& e) {
  err << "error: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return 1;
}

core::Result<core::Date> ParseDay(const std::string& text, const std::string& field) {
  auto d = core::ParseDate(text);
  if (!d) {
    return core::Fail(
        core::Error::Invalid(field, field + " must be a date (YYYY-MM-DD), got '" + text + "'"));
  }
  return *d;
}

}  // namespace

struct ReportCommands::State {
  CLI::App* pay = nullptr;
  CLI::App* weekly = nullptr;
  std::string db = "tandem.db";
  std::string from, to, user;
  bool json = false;
  std::string week, format = "html", out_file, chromium = "/usr/bin/chromium";

  core::Result<std::unique_ptr<server::Runtime>> Open() const {
    server::RuntimeSettings rs;
    rs.db = db;
    return server::Runtime::Open(rs);
  }

  int Pay(std::ostream& out, std::ostream& err) const {
    auto f = ParseDay(from, "from");
    if (!f) return Fail(err, f.error());
    auto t = ParseDay(to, "to");
    if (!t) return Fail(err, t.error());
    auto rt = Open();
    if (!rt) return Fail(err, rt.error());
    app::PayService& svc = (*rt)->services().pay;
    std::optional<core::Id> user_id;
    if (!user.empty()) {
      auto id = svc.UserIdOf(user);
      if (!id) return Fail(err, id.error());
      user_id = *id;
    }
    auto v = svc.Statement(kCli, *f, *t, user_id);
    if (!v) return Fail(err, v.error());
    if (json) {
      out << api::PayJsonText(*v) << "\n";
      return 0;
    }
    const auto& c = v->computation;
    out << fmt::format("Shared pay {} to {} ({}), contract version {}\n", core::FormatDate(v->from),
                       core::FormatDate(v->to), v->time_zone, v->contract_version_id);
    for (const auto& line : c.statement) out << "  " << line << "\n";
    out << fmt::format("{:<48} {:>16}\n", "participant", "payout");
    for (const auto& s : v->payouts) {
      out << fmt::format("{:<48} {:>16}{}\n", s.payout.email,
                         core::FormatMoney(s.payout.cents, c.currency),
                         s.participant ? "" : "  (does not take part)");
    }
    return 0;
  }

  int Weekly(std::ostream& out, std::ostream& err) const {
    auto w = core::ParseIsoWeek(week);
    if (!w) return Fail(err, w.error());
    if (format != "json" && format != "csv" && format != "html" && format != "pdf") {
      return Fail(
          err, core::Error::Invalid("format",
                                    "format must be html, pdf, json or csv, got '" + format + "'"));
    }
    auto rt = Open();
    if (!rt) return Fail(err, rt.error());
    auto pack = (*rt)->services().weekly.Build(kCli, *w);
    if (!pack) return Fail(err, pack.error());
    std::string body;
    if (format == "json") {
      body = api::WeeklyJsonText(*pack) + "\n";
    } else if (format == "csv") {
      body = app::RenderWeeklyCsv(*pack);
    } else {
      body = app::RenderWeeklyHtml(*pack);
      if (format == "pdf") {
        app::PdfSettings ps;
        ps.chromium = chromium;
        auto pdf = app::RenderWeeklyPdf(body, ps);
        if (!pdf) return Fail(err, pdf.error());
        body = std::move(*pdf);
      }
    }
    if (out_file.empty()) {
      out << body;
      return 0;
    }
    std::ofstream f(out_file, std::ios::binary);
    f << body;
    f.close();
    if (!f) return Fail(err, core::Error::Invalid("out", "cannot write " + out_file));
    out << fmt::format("{} ({} bytes): {}\n", out_file, body.size(), pack->summary);
    return 0;
  }
};

ReportCommands::ReportCommands(CLI::App& app) : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.pay = app.add_subcommand(
      "pay", "shared pay: each participant's payout from the contract's KPIs, with the statement");
  s.pay->add_option("--db", s.db, "database: a SQLite file path, sqlite:PATH or postgresql://URL")
      ->capture_default_str();
  s.pay->add_option("--from", s.from, "first day, YYYY-MM-DD (company's zone)")->required();
  s.pay->add_option("--to", s.to, "last day (included), YYYY-MM-DD")->required();
  s.pay->add_option("--user", s.user, "only this user's payout (email)");
  s.pay->add_flag("--json", s.json, "print the API's JSON");

  auto* report = app.add_subcommand("report", "reports for both teams");
  s.weekly = report->add_subcommand(
      "weekly", "the weekly smarketing pack of an ISO week (company's time zone)");
  s.weekly
      ->add_option("--db", s.db, "database: a SQLite file path, sqlite:PATH or postgresql://URL")
      ->capture_default_str();
  s.weekly->add_option("--week", s.week, "ISO week, e.g. 2026-W48")->required();
  s.weekly->add_option("--format", s.format, "html, pdf, json or csv")->capture_default_str();
  s.weekly->add_option("--out", s.out_file, "write to this file instead of the standard output");
  s.weekly->add_option("--chromium", s.chromium, "the browser that prints the PDF")
      ->capture_default_str();
}

ReportCommands::~ReportCommands() = default;

std::optional<int> ReportCommands::Run(std::ostream& out, std::ostream& err) const {
  if (*s_->pay) return s_->Pay(out, err);
  if (*s_->weekly) return s_->Weekly(out, err);
  return std::nullopt;
}

}  // namespace tandem::cli
