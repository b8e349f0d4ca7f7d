#include "app/attribution.hpp"

#include <algorithm>

#include "core/feedback.hpp"
#include "core/funnel.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Result;

namespace {

const char* ModelName(core::AttributionModel m) {
  switch (m) {
    case core::AttributionModel::kFirst: return "first touch";
    case core::AttributionModel::kLast: return "last touch";
    case core::AttributionModel::kLinear: return "linear";
    case core::AttributionModel::kU: return "U-shaped";
    case core::AttributionModel::kW: return "W-shaped";
  }
  return "";
}

std::string Name(const std::string& key, core::AttributionBreakdown by) {
  return key.empty() ? "touches without a " + std::string(core::ToString(by)) : key;
}

// "webinar leads the revenue with 8,000 EUR of 10,300 EUR won (78%)".
std::string Leader(const core::AttributionResult& r, bool revenue, const std::string& currency) {
  const std::int64_t total = revenue ? r.revenue_minor : r.pipeline_minor;
  const char* what = revenue ? "revenue" : "pipeline";
  const char* state = revenue ? "won" : "open";
  if (total == 0) return std::string("no ") + what;
  const core::AttributionRow* best = nullptr;
  for (const auto& row : r.rows) {
    const std::int64_t v = revenue ? row.revenue_minor : row.pipeline_minor;
    if (v > 0 && (!best || v > (revenue ? best->revenue_minor : best->pipeline_minor))) best = &row;
  }
  if (!best) return std::string("no ") + what + " attributed";
  const std::int64_t v = revenue ? best->revenue_minor : best->pipeline_minor;
  return Name(best->key, r.by) + " leads the " + what + " with " + core::FormatMajorUnits(v) + " " +
         currency + " of " + core::FormatMajorUnits(total) + " " + currency + " " + state + " (" +
         core::Percent(static_cast<double>(v) / static_cast<double>(total)) + ")";
}

}  // namespace

Result<AttributionReport> AttributionService::Attribution(const core::Principal&,
                                                          const core::AttributionQuery& q,
                                                          core::AttributionModel model,
                                                          std::string_view period_words) {
  if (q.to <= q.from) return Fail(Error::Invalid("to", "to must be after from"));
  const bool currency_ok =
      q.currency.size() == 3 && std::all_of(q.currency.begin(), q.currency.end(),
                                            [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!currency_ok) {
    return Fail(Error::Invalid("currency", "currency must be an ISO 4217 code such as EUR"));
  }
  std::vector<core::DealTouches> deals;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(deals, tx.feedback().DealTouches(q));
    return {};
  }));
  AttributionReport out;
  out.query = q;
  out.result = core::Attribute(model, q.by, deals);
  out.has_data = !deals.empty();
  const std::string period = !period_words.empty()
                                 ? std::string(period_words)
                                 : "from " + core::FormatInstant(q.from).substr(0, 10) + " to " +
                                       core::FormatInstant(q.to).substr(0, 10);
  if (!out.has_data) {
    out.summary = "no data: no deal in " + q.currency + " won or opened " + period;
    return out;
  }
  out.summary = std::string(ModelName(model)) + ", " + period + ": " +
                Leader(out.result, true, q.currency) + "; " +
                Leader(out.result, false, q.currency) + ".";
  return out;
}

}  // namespace tandem::app
