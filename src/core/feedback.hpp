// Feedback analytics: what sales sends back to marketing, as plain arithmetic over counts the
// store aggregates (docs/analytics.md, "Feedback from sales").
//
//  * A disposition is a rep's decision on an MQL, read from the stage history: an acceptance is
//    a change from `mql` to a later main-path stage (sal, or further when the rep skips ahead);
//    a rejection is a change from `mql` whose cause is `rejected` (the handoff's reject, with a
//    reason code of the contract). Other exits from mql (a manual recycle or disqualification)
//    are no disposition. A contact qualifying twice is disposed of twice: dispositions are
//    decisions, not contacts.
//  * Groups: the contact's original campaign or source (as in the funnel), or its persona (the
//    best-fitting persona of its current score; "" when it has none).
//  * Accept rate = accepted / dispositions with its Wilson 95% interval; each reason's share is
//    its count over the group's dispositions; what happened next is, of the accepted, the share
//    reaching sql, opportunity and customer at or after the acceptance.
//  * No data is said, never divided by: a group exists only when it has dispositions; a period
//    without any answers "no data".
// Pure functions: no I/O, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/funnel.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class FeedbackBreakdown : std::uint8_t { kCampaign, kSource, kPersona };
std::string_view ToString(FeedbackBreakdown b);
// kInvalidArgument on field "by" naming the allowed keys for anything else.
Result<FeedbackBreakdown> FeedbackBreakdownFromString(std::string_view text);

// What the store counts: dispositions recorded in [from, to), grouped by `by`.
struct FeedbackQuery {
  Instant from{};
  Instant to{};
  FeedbackBreakdown by = FeedbackBreakdown::kCampaign;
};

// Where accepted leads went next: sql, opportunity, customer (reached at or after acceptance).
inline constexpr std::size_t kNextStageCount = 3;

// The counts of one group, as the store returns them.
struct DispositionCounts {
  std::string key;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::vector<std::pair<std::string, std::int64_t>> reasons;  // code -> rejections, by code
  std::array<std::int64_t, kNextStageCount> next{};           // of the accepted
};

struct ReasonFigures {
  std::string code;
  std::string label;   // the contract's label; the code itself when no contract defines it
  bool known = false;  // whether a contract version defines the code
  std::int64_t count = 0;
  double share = 0;  // of the group's dispositions
};

struct NextFigures {
  Stage stage = Stage::kSql;
  std::int64_t count = 0;
  std::optional<double> rate;  // of the accepted; nothing when none was accepted
  std::optional<Interval> interval;
};

struct FeedbackGroup {
  std::string key;
  std::int64_t dispositions = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::optional<double> accept_rate;
  std::optional<Interval> accept_interval;  // Wilson 95%
  std::optional<double> reject_rate;        // 1 - accept rate
  std::vector<ReasonFigures> reasons;       // most rejections first, then by code
  std::array<NextFigures, kNextStageCount> next;
  std::string sentence;  // for marketing, e.g. "webinar-q3 leads: 41% rejected, mostly ..."
};

struct FeedbackFigures {
  FeedbackBreakdown by = FeedbackBreakdown::kCampaign;
  std::vector<FeedbackGroup> groups;  // most rejections first, then most dispositions, then key
  FeedbackGroup total;                // every group together (key "")
  bool has_data = false;
  std::string summary;  // the total's sentence, or "no data: ..."
};

// Reason labels by code (from the contract).
using ReasonLabels = std::map<std::string, std::string, std::less<>>;

// Turns the store's counts into rates, intervals and sentences. `period_words` ends the
// no-data sentence ("from 2026-10-01 to 2027-01-01").
FeedbackFigures ComputeFeedback(const std::vector<DispositionCounts>& counts, FeedbackBreakdown by,
                                const ReasonLabels& labels, std::string_view period_words);

// A share as a whole percent, rounded half away from zero ("41%").
std::string Percent(double share);

}  // namespace tandem::core
