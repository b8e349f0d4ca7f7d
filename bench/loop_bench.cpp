// Feedback from sales and attribution over a large base, each against the same figures written
// by hand and run through the `sqlite3` shell, in the same run.
//
//   loop_bench DB [RUNS]
//
// DB is a Tandem SQLite file (a copy of the 1M-contact demo, migrated, with touch events added
// by bench/loop_touches.sql). The period is the last 90 days of deals. Each figure is the
// median of RUNS (default 5) runs, warm cache. Prints a Markdown table.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "app/attribution.hpp"
#include "app/feedback.hpp"
#include "base/clock.hpp"
#include "sqlite_shell.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace tandem;

using bench::ChildCpuMs;
using bench::CpuMs;
using bench::Median;
using bench::TimeMs;

// Runs `sql` through the sqlite3 shell (read-only); returns the wall time in ms.
double Shell(const std::string& db, const std::string& sql, std::string* output) {
  return bench::Shell(db, sql, output, "/tmp/tandem_loop_bench.sql");
}

struct Timing {
  double wall = 0;
  double cpu = 0;
};

template <class F>
Timing Measure(int runs, F f) {
  std::vector<double> t, cpu;
  for (int i = 0; i < runs; ++i) {
    const double c0 = CpuMs();
    t.push_back(TimeMs(f));
    cpu.push_back(CpuMs() - c0);
  }
  return {Median(t), Median(cpu)};
}

Timing MeasureShell(int runs, const std::string& db, const std::string& sql, std::string* out) {
  std::vector<double> t, cpu;
  for (int i = 0; i < runs; ++i) {
    const double c0 = ChildCpuMs();
    t.push_back(Shell(db, sql, out));
    cpu.push_back(ChildCpuMs() - c0);
  }
  return {Median(t), Median(cpu)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: loop_bench DB [RUNS]\n";
    return 2;
  }
  const std::string db = argv[1];
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  std::unique_ptr<store::Store> store;
  const double open_ms = TimeMs([&] {
    auto s = store::sqlite::OpenSqliteStore({db, 2, nullptr});
    if (!s) {
      std::cerr << s.error().message << "\n";
      std::exit(1);
    }
    store = std::move(*s);
  });
  std::string out;
  Shell(db, "SELECT max(created_at) FROM deals;", &out);
  const std::int64_t to = std::atoll(out.c_str()) + 1;
  const std::int64_t from = to - 90LL * 24 * 3600 * 1000;
  Shell(db, "SELECT COUNT(*) FROM contacts;", &out);
  const std::string contacts = out.substr(0, out.find('\n'));
  Shell(db, "SELECT max(id) FROM events;", &out);
  const std::string events = out.substr(0, out.find('\n'));
  const std::string fs = std::to_string(from);
  const std::string ts = std::to_string(to);

  base::SystemClock clock;
  app::FeedbackService feedback(*store, clock);
  app::AttributionService attribution(*store, clock);
  const core::Principal manager{1, "bench", core::Role::kManager, std::nullopt};

  core::FeedbackQuery fq;
  fq.from = core::FromMillis(from);
  fq.to = core::FromMillis(to);
  app::FeedbackReport freport;
  auto feedback_by = [&](core::FeedbackBreakdown by) {
    fq.by = by;
    return Measure(runs, [&] {
      auto r = feedback.Feedback(manager, fq);
      if (!r) {
        std::cerr << r.error().message << "\n";
        std::exit(1);
      }
      freport = std::move(*r);
    });
  };
  const Timing fb_campaign = feedback_by(core::FeedbackBreakdown::kCampaign);
  const std::string fb_summary = freport.figures.summary;
  const std::int64_t dispositions = freport.figures.total.dispositions;
  const Timing fb_persona = feedback_by(core::FeedbackBreakdown::kPersona);

  core::AttributionQuery aq;
  aq.from = core::FromMillis(from);
  aq.to = core::FromMillis(to);
  app::AttributionReport areport;
  auto attribute = [&](core::AttributionModel m, core::AttributionBreakdown by) {
    aq.by = by;
    return Measure(runs, [&] {
      auto r = attribution.Attribution(manager, aq, m);
      if (!r) {
        std::cerr << r.error().message << "\n";
        std::exit(1);
      }
      areport = std::move(*r);
    });
  };
  const Timing at_w = attribute(core::AttributionModel::kW, core::AttributionBreakdown::kCampaign);
  const Timing at_u = attribute(core::AttributionModel::kU, core::AttributionBreakdown::kSource);
  const Timing at_linear =
      attribute(core::AttributionModel::kLinear, core::AttributionBreakdown::kCampaign);
  const app::AttributionReport linear_report = areport;
  std::int64_t touches = 0;
  for (const auto& row : linear_report.result.rows) touches += row.touches;

  // By hand: the period's dispositions per campaign with reasons and what followed.
  const std::string hand_feedback =
      "SELECT c.campaign, h.cause = 'rejected', h.reason, COUNT(*), SUM((SELECT MAX(n.to_stage"
      " IN ('sql', 'opportunity', 'customer')) FROM stage_history n WHERE n.contact_id ="
      " h.contact_id AND n.at >= h.at)) FROM stage_history h JOIN contacts c ON c.id ="
      " h.contact_id WHERE h.from_stage = 'mql' AND h.at >= " +
      fs + " AND h.at < " + ts +
      " AND (h.cause = 'rejected' OR h.to_stage IN ('sal', 'sql', 'opportunity', 'customer'))"
      " GROUP BY 1, 2, 3;\n";
  // By hand: linear attribution per campaign with exact cents, by window functions.
  const std::string hand_attribution =
      "WITH d AS (SELECT id, contact_id, amount_minor AS amt, stage AS st, created_at FROM deals"
      " WHERE currency = 'EUR' AND ((stage = 'won' AND closed_at >= " +
      fs + " AND closed_at < " + ts + ") OR (stage = 'open' AND created_at >= " + fs +
      " AND created_at < " + ts +
      "))), tt AS (SELECT d.amt, d.st, e.utm_campaign AS k,"
      " ROW_NUMBER() OVER (PARTITION BY d.id ORDER BY e.occurred_at, e.id) AS rn, COUNT(*) OVER"
      " (PARTITION BY d.id) AS n FROM d JOIN events e ON e.contact_id = d.contact_id AND"
      " e.occurred_at <= d.created_at AND (e.utm_campaign <> '' OR e.utm_source <> ''))"
      " SELECT k, SUM(CASE WHEN st = 'won' THEN amt / n + (rn <= amt % n) ELSE 0 END),"
      " SUM(CASE WHEN st = 'open' THEN amt / n + (rn <= amt % n) ELSE 0 END) FROM tt GROUP BY"
      " k;\n";
  const Timing shell_empty = MeasureShell(runs, db, "SELECT 1;\n", nullptr);
  const Timing shell_feedback = MeasureShell(runs, db, hand_feedback, nullptr);
  std::string hand_out;
  const Timing shell_attribution = MeasureShell(runs, db, hand_attribution, &hand_out);
  // The hand-written linear figures must be Tandem's.
  std::int64_t hand_revenue = 0;
  for (std::size_t pos = 0; pos < hand_out.size();) {
    const std::size_t end = hand_out.find('\n', pos);
    const std::string line = hand_out.substr(pos, end - pos);
    const std::size_t a = line.rfind('|', line.rfind('|') - 1);
    hand_revenue += std::atoll(line.c_str() + a + 1);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  std::int64_t tandem_revenue = 0;
  for (const auto& row : linear_report.result.rows) tandem_revenue += row.revenue_minor;

  std::printf("contacts: %s; events: %s; period: last 90 days of deals; runs: %d (median, warm)\n",
              contacts.c_str(), events.c_str(), runs);
  std::printf("open (migrations included): %.0f ms\n", open_ms);
  std::printf(
      "dispositions in the period: %lld; deals: %lld won, %lld open; touches: %lld\n\n",
      static_cast<long long>(dispositions), static_cast<long long>(linear_report.result.won_deals),
      static_cast<long long>(linear_report.result.open_deals), static_cast<long long>(touches));
  std::printf("| query | wall ms | CPU ms |\n| --- | ---: | ---: |\n");
  auto row = [](const char* name, Timing t) {
    std::printf("| %s | %.1f | %.1f |\n", name, t.wall, t.cpu);
  };
  row("Tandem feedback, by campaign", fb_campaign);
  row("Tandem feedback, by persona", fb_persona);
  row("Tandem attribution, W-shaped, by campaign", at_w);
  row("Tandem attribution, U-shaped, by source", at_u);
  row("Tandem attribution, linear, by campaign", at_linear);
  row("sqlite3 shell: feedback counts by hand", shell_feedback);
  row("sqlite3 shell: linear attribution by hand (window functions)", shell_attribution);
  row("sqlite3 shell: `SELECT 1` (process start)", shell_empty);
  std::printf(
      "\nratio Tandem / hand-written shell (start subtracted), feedback: wall %.2f, CPU %.2f\n",
      fb_campaign.wall / std::max(0.1, shell_feedback.wall - shell_empty.wall),
      fb_campaign.cpu / std::max(0.1, shell_feedback.cpu - shell_empty.cpu));
  std::printf(
      "ratio Tandem / hand-written shell (start subtracted), linear attribution: wall %.2f, "
      "CPU %.2f\n",
      at_linear.wall / std::max(0.1, shell_attribution.wall - shell_empty.wall),
      at_linear.cpu / std::max(0.1, shell_attribution.cpu - shell_empty.cpu));
  std::printf("linear revenue credited: Tandem %lld, by hand %lld (%s)\n",
              static_cast<long long>(tandem_revenue), static_cast<long long>(hand_revenue),
              tandem_revenue == hand_revenue ? "equal" : "DIFFERENT");
  std::printf("feedback: %s\nattribution: %s\n", fb_summary.c_str(), linear_report.summary.c_str());
  return tandem_revenue == hand_revenue ? 0 : 1;
}
