// Multi-touch attribution: which campaigns and sources get the credit for revenue (won deals)
// and pipeline (open deals). Pure arithmetic (docs/analytics.md, "Attribution").
//
//  * A touch is an event of the deal's contact carrying a campaign or a source (utm_campaign or
//    utm_source not empty), at or before the deal's creation, oldest first (ties by event id).
//  * Models over a deal's n touches t1..tn (weights sum to 1):
//      first   t1 gets everything;            last  tn gets everything;
//      linear  each touch 1/n;
//      u       n = 1: 100%; n = 2: 50/50; n >= 3: t1 40%, tn 40%, the 20% left spread evenly
//              over t2..t(n-1);
//      w       three key touches: t1, the MQL touch m (the last touch at or before the contact
//              first reached mql; lead when it never did) and tn (the opportunity-creation
//              touch: the last one before the deal). With 1 < m < n they get 30% each and the
//              10% left is spread evenly over the other touches (none: over the three, 1/3
//              each). When the three are not distinct (n <= 2, no MQL touch, or the MQL touch is
//              t1 or tn) the W-shape has no middle and the deal is credited by the U-shaped
//              rule.
//  * Money is split in minor units so that the credits of a deal sum to its amount exactly:
//    each touch gets floor(amount x weight); the units left over (fewer than the touches) go
//    one each to the touches with the largest remainders (largest remainder method), ties to
//    the earlier touch.
//  * A deal without any touch is unattributed: its amount is reported apart, so the credited
//    amounts plus the unattributed amounts are exactly the deals' total.
// Pure functions: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class AttributionModel : std::uint8_t { kFirst, kLast, kLinear, kU, kW };
std::string_view ToString(AttributionModel m);
// kInvalidArgument on field "model" naming the allowed models for anything else.
Result<AttributionModel> AttributionModelFromString(std::string_view text);

enum class AttributionBreakdown : std::uint8_t { kCampaign, kSource };
std::string_view ToString(AttributionBreakdown b);
// kInvalidArgument on field "by" naming the allowed keys for anything else.
Result<AttributionBreakdown> AttributionBreakdownFromString(std::string_view text);

// What the store reads: won deals closed in [from, to) (revenue) and deals open now created in
// [from, to) (pipeline), in `currency`, each with its touches keyed by `by`.
struct AttributionQuery {
  Instant from{};
  Instant to{};
  AttributionBreakdown by = AttributionBreakdown::kCampaign;
  std::string currency = "EUR";
};

// Weights as integer numerators over one denominator, so splitting money stays exact.
struct TouchWeights {
  std::vector<std::int64_t> num;  // one per touch, oldest first
  std::int64_t den = 1;
};

// The weights of `model` over `n` touches (n >= 1); `mql_touch` is the index of the W-shape's
// MQL touch, when there is one.
TouchWeights ModelWeights(AttributionModel model, std::size_t n,
                          std::optional<std::size_t> mql_touch);

// `amount_minor` split by the weights, summing to it exactly (largest remainder, ties to the
// earlier touch). Requires amount_minor >= 0 and at least one positive weight.
std::vector<std::int64_t> SplitAmount(std::int64_t amount_minor, const TouchWeights& w);

// What the store reads for one deal: its amount and its touches (each with the value of the
// breakdown asked for: the campaign or the source, "" when the event has none).
struct Touch {
  Instant at{};
  std::string key;
};

struct DealTouches {
  Id deal_id = 0;
  std::int64_t amount_minor = 0;
  bool won = false;  // won: revenue; otherwise open: pipeline
  Instant created_at{};
  std::optional<Instant> qualified_at;  // the contact first reached mql (else lead)
  std::vector<Touch> touches;           // oldest first, at or before created_at
};

// The index of the W-shape's MQL touch: the last touch at or before `qualified_at`.
std::optional<std::size_t> MqlTouch(const DealTouches& d);

// The credit of each of the deal's touches (empty without touches).
std::vector<std::int64_t> CreditTouches(AttributionModel model, const DealTouches& d);

struct AttributionRow {
  std::string key;                  // campaign or source; "" for touches without one
  std::int64_t revenue_minor = 0;   // credited share of won deals
  std::int64_t pipeline_minor = 0;  // credited share of open deals
  std::int64_t won_deals = 0;       // won deals with at least one touch of this key
  std::int64_t open_deals = 0;      // open deals with at least one touch of this key
  std::int64_t touches = 0;         // touches of this key behind those deals
};

struct AttributionResult {
  AttributionModel model = AttributionModel::kLinear;
  AttributionBreakdown by = AttributionBreakdown::kCampaign;
  std::vector<AttributionRow> rows;  // most revenue, then most pipeline, then key
  std::int64_t revenue_minor = 0;    // every won deal's amount
  std::int64_t pipeline_minor = 0;   // every open deal's amount
  std::int64_t won_deals = 0;
  std::int64_t open_deals = 0;
  std::int64_t unattributed_revenue_minor = 0;  // of deals without a touch
  std::int64_t unattributed_pipeline_minor = 0;
  std::int64_t unattributed_deals = 0;
};

AttributionResult Attribute(AttributionModel model, AttributionBreakdown by,
                            const std::vector<DealTouches>& deals);

}  // namespace tandem::core
