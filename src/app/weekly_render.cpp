#include "app/weekly_render.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/process.hpp"
#include "core/feedback.hpp"
#include "core/funnel.hpp"

namespace tandem::app {

namespace {

using core::Error;
using core::Fail;

std::string Pct(const std::optional<double>& v) {
  return v ? core::Percent(*v) : std::string("-");
}

std::string Money(std::int64_t minor, const std::string& currency) {
  return core::FormatMajorUnits(minor) + " " + currency;
}

std::string Metric(const WeeklyGoal& g, std::int64_t v) {
  return g.goal.metric == core::GoalMetric::kRevenue ? Money(v, g.goal.currency)
                                                     : std::to_string(v);
}

std::string Number1(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *v);
  return buf;
}

std::string Campaign(const std::string& key) {
  return key.empty() ? "(none)" : key;
}

// ----- a table model both renderers write --------------------------------------------------

struct Cell {
  std::string text;
  bool number = false;
};
Cell T(std::string s) {
  return {std::move(s), false};
}
Cell N(std::string s) {
  return {std::move(s), true};
}
Cell N(std::int64_t v) {
  return {std::to_string(v), true};
}

struct Table {
  std::string id;     // CSV section name and HTML id
  std::string title;  // HTML heading
  std::string lead;   // a sentence above the table (HTML), a "# note" row (CSV)
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
  std::string empty;  // said when there is no row
};

std::vector<Table> Tables(const WeeklyPack& p) {
  std::vector<Table> out;
  {
    Table t{"actions", "Suggested actions", "", {"rule", "action"}, {}, "Nothing to act on."};
    for (const auto& a : p.actions) t.rows.push_back({T(a.rule), T(a.text)});
    out.push_back(std::move(t));
  }
  {
    Table t{"goals",
            "Goals: progress and pace",
            "To date: from the goal's start to the end of the week; expected on an even spread.",
            {"goal", "metric", "target", "this week", "to date", "expected by", "expected", "pace"},
            {},
            "No goal runs this week."};
    for (const auto& g : p.goals) {
      t.rows.push_back({T(g.goal.name), T(std::string(core::ToString(g.goal.metric))),
                        N(Metric(g, g.goal.target)), N(Metric(g, g.in_week)),
                        N(Metric(g, g.to_date)), T(core::FormatDate(g.as_of)),
                        N(Metric(g, g.expected)), N(Pct(g.pace))});
    }
    out.push_back(std::move(t));
  }
  {
    Table t{"funnel",
            "Funnel (contacts entering each stage this week)",
            p.funnel.summary,
            {"step", "base", "passed", "rate", "95% interval", "p50 hours"},
            {},
            "No contact entered the funnel."};
    if (p.funnel.has_data) {
      for (const auto& s : p.funnel.total.steps) {
        t.rows.push_back(
            {T(core::StepLabel(s.step)), N(s.base), N(s.passed), N(Pct(s.rate)),
             T(s.interval ? core::Percent(s.interval->low) + "-" + core::Percent(s.interval->high)
                          : "-"),
             N(s.p50_hours ? std::to_string(*s.p50_hours) : "-")});
      }
    }
    out.push_back(std::move(t));
  }
  {
    const auto& m = p.sla.marketing;
    Table t{"marketing_sla",
            "Marketing's SLA: quota and quality",
            "",
            {"figure", "value", "contract"},
            {},
            ""};
    t.rows.push_back({T("MQLs handed over"), N(m.mqls),
                      T(p.sla.marketing_terms
                            ? std::to_string(p.sla.marketing_terms->mql_quota) + " per " +
                                  std::string(core::ToString(p.sla.marketing_terms->quota_period))
                            : "no quota")});
    t.rows.push_back({T("MQLs expected"), N(Number1(m.expected)), T("")});
    t.rows.push_back({T("quota attainment"), N(Pct(m.attainment)), T("")});
    t.rows.push_back(
        {T("graded A or B"), N(Pct(m.grade_ab_share)),
         T(m.min_grade_ab_percent ? "minimum " + std::to_string(*m.min_grade_ab_percent) + "%"
                                  : "no minimum")});
    t.rows.push_back({T("matching a persona"), N(Pct(m.persona_share)),
                      T(m.min_persona_match_percent
                            ? "minimum " + std::to_string(*m.min_persona_match_percent) + "%"
                            : "no minimum")});
    out.push_back(std::move(t));
  }
  {
    Table t{"sales_sla",
            "Sales' SLA per rep (leads assigned this week)",
            "",
            {"rep", "leads", "first touch on time", "missed", "share on time", "response p50 min",
             "attempts on time", "dispositions on time"},
            {},
            "No lead was assigned this week."};
    auto row = [&](const core::SalesCompliance& r, const std::string& name) {
      t.rows.push_back({T(name), N(r.leads), N(r.first_touch.on_time), N(r.first_touch.missed),
                        N(Pct(r.first_touch.share)), N(Number1(r.response_p50_minutes)),
                        N(Pct(r.attempts.share)), N(Pct(r.disposition.share))});
    };
    for (const auto& r : p.sla.sales.rows) row(r, r.label);
    if (!p.sla.sales.rows.empty()) row(p.sla.sales.total, "all");
    out.push_back(std::move(t));
  }
  {
    Table t{"rejection_reasons",
            "Top rejection reasons",
            p.feedback.figures.summary,
            {"reason", "code", "rejections", "share of dispositions"},
            {},
            "Sales rejected no lead this week."};
    for (const auto& r : p.top_reasons) {
      t.rows.push_back({T(r.label), T(r.code), N(r.count), N(core::Percent(r.share))});
    }
    out.push_back(std::move(t));
  }
  {
    const std::string cur = p.attribution.query.currency;
    Table t{"best_campaigns",
            "Best campaigns by attributed pipeline",
            "Linear attribution over the touches before each deal; open deals created this week.",
            {"campaign", "pipeline", "revenue", "open deals", "won deals"},
            {},
            "No open deal created this week was touched by a campaign."};
    for (const auto& r : p.best_campaigns) {
      t.rows.push_back({T(Campaign(r.key)), N(Money(r.pipeline_minor, cur)),
                        N(Money(r.revenue_minor, cur)), N(r.open_deals), N(r.won_deals)});
    }
    out.push_back(std::move(t));
  }
  {
    Table t{"next_week_targets",
            "Next week's targets",
            "From each goal's plan: what remains over the weeks left, rounded up at every stage.",
            {"goal", "stage", "target", "note"},
            {},
            "No goal runs into next week."};
    for (const auto& g : p.goals) {
      if (!g.next) continue;
      t.rows.push_back({T(g.goal.name), T(std::string(core::ToString(g.goal.metric))),
                        N(Metric(g, g.next->metric)), T(g.next->note)});
      for (const auto& s : g.next->stages) {
        t.rows.push_back(
            {T(g.goal.name), T(std::string(core::ToString(s.stage))), N(s.target), T("")});
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

// ----- CSV ------------------------------------------------------------------------------------

std::string CsvField(const Cell& c) {
  std::string s = c.text;
  if (!c.number && !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) {
    s = "'" + s;
  }
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

void CsvRow(std::ostringstream& o, const std::vector<Cell>& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) o << ',';
    o << CsvField(row[i]);
  }
  o << "\r\n";
}

// ----- HTML -----------------------------------------------------------------------------------

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr const char* kCss = R"(
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2433;
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; border-bottom: 2px solid #e3e7ef;
     padding-bottom: .2rem; }
.meta { color: #5b6577; margin: 0; }
.summary { font-weight: 600; margin: .6rem 0 0; }
.lead { color: #3c4658; margin: .2rem 0 .5rem; }
.empty { color: #5b6577; font-style: italic; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e7ef;
         vertical-align: top; }
th { background: #f4f6fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
section#actions ol { padding-left: 1.3rem; }
section#actions li { margin: .25rem 0; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; }
  table, section#actions { break-inside: avoid; }
  th { background: #f4f6fa !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)";

}  // namespace

std::string RenderWeeklyCsv(const WeeklyPack& p) {
  std::ostringstream o;
  o << "# summary\r\n";
  CsvRow(o, {T("week"), T("from"), T("to"), T("time_zone"), T("generated_at"), T("summary")});
  CsvRow(o, {T(core::FormatIsoWeek(p.week)), T(core::FormatDate(p.monday)),
             T(core::FormatDate(p.sunday)), T(p.time_zone), T(core::FormatInstant(p.generated_at)),
             T(p.summary)});
  for (const auto& t : Tables(p)) {
    o << "\r\n# " << t.id << "\r\n";
    std::vector<Cell> header;
    for (const auto& h : t.header) header.push_back(T(h));
    CsvRow(o, header);
    for (const auto& r : t.rows) CsvRow(o, r);
  }
  return o.str();
}

std::string RenderWeeklyHtml(const WeeklyPack& p) {
  std::ostringstream o;
  const std::string week = core::FormatIsoWeek(p.week);
  o << "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>Weekly smarketing pack " << Esc(week) << "</title>\n<style>" << kCss
    << "</style>\n</head>\n<body>\n<header>\n<h1>Weekly smarketing pack, " << Esc(week)
    << "</h1>\n<p class=\"meta\">" << Esc(core::FormatDate(p.monday)) << " to "
    << Esc(core::FormatDate(p.sunday)) << " (" << Esc(p.time_zone) << "), generated "
    << Esc(core::FormatInstant(p.generated_at)) << "</p>\n<p class=\"summary\">" << Esc(p.summary)
    << "</p>\n</header>\n";
  for (const auto& t : Tables(p)) {
    o << "<section id=\"" << Esc(t.id) << "\">\n<h2>" << Esc(t.title) << "</h2>\n";
    if (!t.lead.empty()) o << "<p class=\"lead\">" << Esc(t.lead) << "</p>\n";
    if (t.rows.empty()) {
      o << "<p class=\"empty\">" << Esc(t.empty) << "</p>\n</section>\n";
      continue;
    }
    if (t.id == "actions") {
      o << "<ol>\n";
      for (const auto& r : t.rows) o << "<li>" << Esc(r[1].text) << "</li>\n";
      o << "</ol>\n</section>\n";
      continue;
    }
    o << "<table>\n<thead><tr>";
    for (const auto& h : t.header) o << "<th>" << Esc(h) << "</th>";
    o << "</tr></thead>\n<tbody>\n";
    for (const auto& r : t.rows) {
      o << "<tr>";
      for (const auto& c : r) {
        o << (c.number ? "<td class=\"num\">" : "<td>") << Esc(c.text) << "</td>";
      }
      o << "</tr>\n";
    }
    o << "</tbody>\n</table>\n</section>\n";
  }
  o << "</body>\n</html>\n";
  return o.str();
}

core::Result<std::string> RenderWeeklyPdf(const std::string& html, const PdfSettings& s) {
  if (!base::IsExecutable(s.chromium)) {
    return Fail(Error::Precondition("PDF needs " + s.chromium +
                                        " (Debian package chromium), which is not installed; "
                                        "ask for format=html and print it instead",
                                    "format"));
  }
  std::string dir_template = s.temp_dir + "/tandem-pdf-XXXXXX";
  if (::mkdtemp(dir_template.data()) == nullptr) {
    return Fail(Error::Internal("cannot create a temporary directory in " + s.temp_dir));
  }
  const std::string dir = dir_template;
  const std::string in = dir + "/pack.html";
  const std::string out = dir + "/pack.pdf";
  const std::string log = dir + "/chromium.log";
  auto cleanup = [&] {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);  // the page, the PDF, the log and the profile
  };
  {
    std::ofstream f(in, std::ios::binary);
    f << html;
    if (!f) {
      cleanup();
      return Fail(Error::Internal("cannot write " + in));
    }
  }
  auto run = base::RunProgram({s.chromium, "--headless", "--no-sandbox", "--disable-gpu",
                               "--user-data-dir=" + dir + "/profile", "--no-pdf-header-footer",
                               "--print-to-pdf=" + out, "file://" + in},
                              std::chrono::seconds(120), log);
  if (!run) {
    cleanup();
    return Fail(run.error());
  }
  std::ifstream f(out, std::ios::binary);
  std::string pdf((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (run->timed_out || pdf.rfind("%PDF", 0) != 0) {
    std::ifstream l(log);
    std::string why((std::istreambuf_iterator<char>(l)), std::istreambuf_iterator<char>());
    if (why.size() > 400) why = why.substr(why.size() - 400);
    cleanup();
    return Fail(Error::Internal(s.chromium + (run->timed_out ? " timed out" : " wrote no PDF") +
                                " (exit " + std::to_string(run->exit_code) + "): " + why));
  }
  cleanup();
  return pdf;
}

}  // namespace tandem::app
