// Feedback and attribution figures recomputed by independent SQL over the raw tables: the store's
// reads (and the core's arithmetic over them) must agree with a query written apart, on a base
// of randomly generated but reproducible histories.
#include <sqlite3.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include "core/attribution.hpp"
#include "core/feedback.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::store::sqlite {
namespace {

namespace fs = std::filesystem;
using core::Id;
using core::Result;
using core::Stage;

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kT0 = 1'790'000'000'000;  // 2026-09-21, a fixed instant

core::Instant At(std::int64_t ms) {
  return core::FromMillis(kT0 + ms);
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "tandem-loop-XXXXXX";
    path_ = mkdtemp(pattern.data()) ? fs::path(pattern) : fs::path();
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// The first column of the first row of `sql` on a separate raw connection, as text.
std::string RawQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    out = std::string("error: ") + sqlite3_errmsg(db);
  } else if (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(stmt, 0);
    out = text ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  return out;
}

// 400 contacts of three campaigns: each qualifies, and a rep accepts (then the lead may go on
// to sql, opportunity, customer, or back to nurture and qualify again), rejects with one of three
// reasons (recycled leads may qualify again), recycles by hand (no disposition), skips to sql (an
// acceptance) or does nothing yet.
class LoopFiguresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore({path_, 1, nullptr});
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    std::mt19937 rng(20261127);
    const char* kCampaigns[] = {"webinar", "fair", ""};
    const char* kReasons[] = {"too_small", "bad_timing", "no_budget"};
    const char* kSources[] = {"web", "ads", ""};
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> Result<void> {
      for (int i = 0; i < 400; ++i) {
        core::Contact c;
        c.email = "p" + std::to_string(i) + "@example.com";
        c.campaign = kCampaigns[rng() % 3];
        c.source = i % 2 ? "web" : "ads";
        c.created_at = c.updated_at = c.stage_entered_at = At(0);
        TANDEM_ASSIGN(const Id id, tx.contacts().Insert(c));
        std::optional<Stage> from;
        std::int64_t hour = static_cast<std::int64_t>(rng() % 300) - 50;
        auto move = [&](Stage to, const std::string& cause, const std::string& reason) {
          core::StageChange ch;
          ch.contact_id = id;
          ch.from = from;
          ch.to = to;
          ch.at = At(hour * kHour);
          ch.cause = cause;
          ch.reason = reason;
          from = to;
          hour += 1 + static_cast<std::int64_t>(rng() % 40);
          return tx.stages().Append(ch);
        };
        TANDEM_TRY(move(Stage::kLead, "created", ""));
        for (int round = 0; round < 3; ++round) {
          TANDEM_TRY(move(Stage::kMql, "mql_rule", ""));
          const unsigned what = rng() % 10;
          if (what < 4) {
            TANDEM_TRY(move(Stage::kSal, "accepted", ""));
            for (Stage next : {Stage::kSql, Stage::kOpportunity, Stage::kCustomer}) {
              if (rng() % 2) break;
              TANDEM_TRY(move(next, "qualified", ""));
            }
            // Some go back to nurture from sal, sql or opportunity and qualify again: a later
            // acceptance must not count the stages they reached before it.
            if (from != Stage::kCustomer && rng() % 3 == 0) {
              TANDEM_TRY(move(Stage::kRecycled, "not_qualified", "r"));
              continue;
            }
            break;
          }
          if (what < 7) {
            const Stage to = rng() % 2 ? Stage::kRecycled : Stage::kDisqualified;
            TANDEM_TRY(move(to, "rejected", kReasons[rng() % 3]));
            if (to == Stage::kDisqualified) break;
            continue;
          }
          if (what == 7) {
            TANDEM_TRY(move(Stage::kRecycled, "manual", "nurture"));
            continue;
          }
          if (what == 8) TANDEM_TRY(move(Stage::kSql, "manual", ""));
          break;
        }
        // Touches: 0 to 7 events, some without any utm (no touch), some anonymous.
        const int n_events = static_cast<int>(rng() % 8);
        for (int e = 0; e < n_events; ++e) {
          core::Event ev;
          ev.event_id = "ev-" + std::to_string(i) + "-" + std::to_string(e);
          ev.type = "page_view";
          ev.occurred_at = ev.received_at =
              At((static_cast<std::int64_t>(rng() % 300) - 50) * kHour + e);
          ev.utm_campaign = kCampaigns[rng() % 3];
          ev.utm_source = kSources[rng() % 3];
          if (rng() % 10 == 0) {
            ev.anonymous_id = "anon-" + std::to_string(i);
          } else {
            ev.email = c.email;
            ev.contact_id = id;
          }
          TANDEM_TRY(tx.events().Append(ev));
        }
        // Deals: a third of the contacts have one (some two), won, open or lost, mostly EUR.
        for (int k = 0; k < 2 && rng() % 3 == 0; ++k) {
          core::Deal d;
          d.title = "deal";
          d.contact_id = id;
          d.amount_minor = 1 + static_cast<std::int64_t>(rng() % 5'000'000);
          d.currency = rng() % 8 == 0 ? "USD" : "EUR";
          const unsigned st = rng() % 3;
          d.stage = st == 0   ? core::DealStage::kWon
                    : st == 1 ? core::DealStage::kOpen
                              : core::DealStage::kLost;
          d.created_at = d.updated_at = At((static_cast<std::int64_t>(rng() % 300) - 20) * kHour);
          if (d.stage != core::DealStage::kOpen) {
            d.closed_at = d.created_at + std::chrono::hours(1 + rng() % 100);
          }
          if (d.stage == core::DealStage::kLost) d.lost_reason = "price";
          TANDEM_TRY(tx.deals().Insert(d).map([](Id) {}));
        }
      }
      return {};
    }));
  }

  TempDir dir_;
  std::string path_ = dir_.File("loop.db");
  std::unique_ptr<store::Store> store_;
};

TEST_F(LoopFiguresTest, FeedbackMatchesAnIndependentQueryOverTheHistory) {
  core::FeedbackQuery q;
  q.from = At(0);
  q.to = At(250 * kHour);
  q.by = core::FeedbackBreakdown::kCampaign;
  std::vector<core::DispositionCounts> counts;
  ASSERT_TRUE(store_->Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(counts, tx.feedback().Dispositions(q));
    return {};
  }));
  const core::FeedbackFigures f =
      core::ComputeFeedback(counts, q.by, {{"too_small", "Too small"}}, "");
  // Tandem's figures as "key:accepted/rejected/sql/opp/customer" lines, by key.
  std::vector<const core::FeedbackGroup*> groups;
  for (const auto& g : f.groups) groups.push_back(&g);
  std::sort(groups.begin(), groups.end(), [](auto* a, auto* b) { return a->key < b->key; });
  std::string tandem, tandem_reasons;
  for (const auto* g : groups) {
    tandem += (tandem.empty() ? "" : ";") + g->key + ":" + std::to_string(g->accepted) + "/" +
              std::to_string(g->rejected) + "/" + std::to_string(g->next[0].count) + "/" +
              std::to_string(g->next[1].count) + "/" + std::to_string(g->next[2].count);
    std::vector<core::ReasonFigures> rs = g->reasons;
    std::sort(rs.begin(), rs.end(), [](auto& a, auto& b) { return a.code < b.code; });
    for (const auto& r : rs) {
      tandem_reasons += (tandem_reasons.empty() ? "" : ";") + g->key + ":" + r.code + "=" +
                        std::to_string(r.count);
    }
  }
  const std::string period = " h.at >= " + std::to_string(core::ToMillis(q.from)) + " AND h.at < " +
                             std::to_string(core::ToMillis(q.to));
  // Written apart: dispositions as rows, the later stages by a join and GROUP BY (not the
  // store's correlated probe), no partial index named.
  const std::string d =
      "WITH d AS (SELECT h.id, h.contact_id, h.at, c.campaign AS k, h.cause = 'rejected' AS rej,"
      " h.reason FROM stage_history h JOIN contacts c ON c.id = h.contact_id"
      " WHERE h.from_stage = 'mql' AND" +
      period +
      " AND (h.cause = 'rejected' OR h.to_stage IN ('sal', 'sql', 'opportunity', 'customer'))), ";
  const std::string sql =
      d +
      "n AS (SELECT d.id, ifnull(MAX(x.to_stage IN ('sql', 'opportunity', 'customer')), 0) AS s,"
      " ifnull(MAX(x.to_stage IN ('opportunity', 'customer')), 0) AS o,"
      " ifnull(MAX(x.to_stage = 'customer'), 0) AS w FROM d LEFT JOIN stage_history x"
      " ON x.contact_id = d.contact_id AND x.at >= d.at AND NOT d.rej GROUP BY d.id) "
      "SELECT group_concat(line, ';') FROM (SELECT k || ':' || SUM(NOT rej) || '/' || SUM(rej)"
      " || '/' || SUM(s) || '/' || SUM(o) || '/' || SUM(w) AS line FROM d JOIN n USING (id)"
      " GROUP BY k ORDER BY k)";
  EXPECT_EQ(RawQuery(path_, sql), tandem);
  const std::string reasons =
      d +
      "r AS (SELECT k, reason, COUNT(*) AS n FROM d WHERE rej GROUP BY k, reason ORDER BY k,"
      " reason) SELECT group_concat(k || ':' || reason || '=' || n, ';') FROM r";
  EXPECT_EQ(RawQuery(path_, reasons), tandem_reasons);
  // The accept rate of the whole, as SQL divides it.
  const std::string rate = d + "x AS (SELECT 1) SELECT printf('%.9f', AVG(NOT rej)) FROM d";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9f", *f.total.accept_rate);
  EXPECT_EQ(RawQuery(path_, rate), buf);
  EXPECT_GT(f.total.dispositions, 100);  // not trivially empty
  EXPECT_GT(f.total.next[2].count, 0);
}

// "key:won/open" per key, by key, of an attribution.
std::string Lines(const core::AttributionResult& r) {
  std::vector<core::AttributionRow> rows = r.rows;
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.key < b.key; });
  std::string out;
  for (const auto& row : rows) {
    out += (out.empty() ? "" : ";") + row.key + ":" + std::to_string(row.revenue_minor) + "/" +
           std::to_string(row.pipeline_minor);
  }
  return out;
}

TEST_F(LoopFiguresTest, AttributionMatchesAnIndependentQueryOverDealsAndEvents) {
  core::AttributionQuery q;
  q.from = At(0);
  q.to = At(250 * kHour);
  std::vector<core::DealTouches> deals;
  ASSERT_TRUE(store_->Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(deals, tx.feedback().DealTouches(q));
    return {};
  }));
  const std::string f = std::to_string(core::ToMillis(q.from));
  const std::string t = std::to_string(core::ToMillis(q.to));
  // Written apart: touches numbered by window functions, each model's credit in SQL. Linear
  // leaves amount mod n cents, one each to the first touches; U-shaped ranks remainders.
  const std::string touches =
      "WITH d AS (SELECT id, contact_id, amount_minor AS amt, stage AS st, created_at FROM deals"
      " WHERE currency = 'EUR' AND ((stage = 'won' AND closed_at >= " +
      f + " AND closed_at < " + t + ") OR (stage = 'open' AND created_at >= " + f +
      " AND created_at < " + t +
      "))), "
      "tt AS (SELECT d.id AS deal, d.amt, d.st, e.utm_campaign AS k, ROW_NUMBER() OVER"
      " (PARTITION BY d.id ORDER BY e.occurred_at, e.id) AS rn, COUNT(*) OVER (PARTITION BY"
      " d.id) AS n FROM d JOIN events e ON e.contact_id = d.contact_id AND e.occurred_at <="
      " d.created_at AND (e.utm_campaign <> '' OR e.utm_source <> '')), ";
  auto sum_by_key = [&](const std::string& credit_cte) {
    return touches + credit_cte +
           " SELECT group_concat(line, ';') FROM (SELECT k || ':' || SUM(CASE WHEN st = 'won'"
           " THEN credit ELSE 0 END) || '/' || SUM(CASE WHEN st = 'open' THEN credit ELSE 0 END)"
           " AS line FROM c GROUP BY k ORDER BY k)";
  };
  const std::string first =
      sum_by_key("c AS (SELECT k, st, CASE WHEN rn = 1 THEN amt ELSE 0 END AS credit FROM tt)");
  const std::string last =
      sum_by_key("c AS (SELECT k, st, CASE WHEN rn = n THEN amt ELSE 0 END AS credit FROM tt)");
  const std::string linear =
      sum_by_key("c AS (SELECT k, st, amt / n + (rn <= amt % n) AS credit FROM tt)");
  const std::string u = sum_by_key(
      "w AS (SELECT *, CASE WHEN n <= 2 THEN 1 WHEN rn = 1 OR rn = n THEN 40 * (n - 2) ELSE 20"
      " END AS num, CASE WHEN n <= 2 THEN n ELSE 100 * (n - 2) END AS den FROM tt),"
      " b AS (SELECT *, amt * num / den AS base, (amt * num) % den AS rem FROM w),"
      " r AS (SELECT *, amt - SUM(base) OVER (PARTITION BY deal) AS left, ROW_NUMBER() OVER"
      " (PARTITION BY deal ORDER BY rem DESC, rn) AS rk FROM b),"
      " c AS (SELECT k, st, base + (rk <= left) AS credit FROM r)");
  const auto by = core::AttributionBreakdown::kCampaign;
  EXPECT_EQ(RawQuery(path_, first),
            Lines(core::Attribute(core::AttributionModel::kFirst, by, deals)));
  EXPECT_EQ(RawQuery(path_, last),
            Lines(core::Attribute(core::AttributionModel::kLast, by, deals)));
  EXPECT_EQ(RawQuery(path_, linear),
            Lines(core::Attribute(core::AttributionModel::kLinear, by, deals)));
  EXPECT_EQ(RawQuery(path_, u), Lines(core::Attribute(core::AttributionModel::kU, by, deals)));
  // Credited plus unattributed is every deal's amount, under each model.
  const std::string totals =
      "SELECT SUM(CASE WHEN stage = 'won' THEN amount_minor ELSE 0 END) || '/' || SUM(CASE WHEN"
      " stage = 'open' THEN amount_minor ELSE 0 END) FROM deals WHERE currency = 'EUR' AND"
      " ((stage = 'won' AND closed_at >= " +
      f + " AND closed_at < " + t + ") OR (stage = 'open' AND created_at >= " + f +
      " AND created_at < " + t + "))";
  for (auto m :
       {core::AttributionModel::kFirst, core::AttributionModel::kLast,
        core::AttributionModel::kLinear, core::AttributionModel::kU, core::AttributionModel::kW}) {
    const auto r = core::Attribute(m, by, deals);
    std::int64_t won = r.unattributed_revenue_minor, open = r.unattributed_pipeline_minor;
    for (const auto& row : r.rows) {
      won += row.revenue_minor;
      open += row.pipeline_minor;
    }
    EXPECT_EQ(RawQuery(path_, totals), std::to_string(won) + "/" + std::to_string(open))
        << core::ToString(m);
  }
  EXPECT_GT(deals.size(), 30u);  // not trivially empty
}

}  // namespace
}  // namespace tandem::store::sqlite
