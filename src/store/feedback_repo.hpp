// Reads for closing the loop between sales and marketing (docs/analytics.md, "Feedback from
// sales" and "Attribution"): what reps decided on the MQLs they were handed, and the campaign
// touches behind each deal. Part of store::Tx (`tx.feedback()`); read-only.
//
// Contract (tests/store/feedback_contract.hpp runs it on every backend):
//  * Dispositions follow core/feedback.hpp exactly: a change from `mql` to a later main-path
//    stage is an acceptance, a change from `mql` with cause `rejected` a rejection (its
//    `reason` is the code); both counted when recorded in [from, to). Each reason's count, and
//    of the accepted those whose contact reaches sql / opportunity / customer at or after the
//    acceptance instant (any later stage change into that stage or a later one).
//  * Groups: the contact's `campaign` or `source`, or the key of the persona of its score
//    (contact_scores.persona_id); "" when empty or none. One DispositionCounts per group that
//    has a disposition, ordered by key; reasons ordered by code.
//  * Deal touches: see DealTouches.
//  * One statement per call (aggregated in the database), never one query per row.
#pragma once

#include <vector>

#include "core/attribution.hpp"
#include "core/error.hpp"
#include "core/feedback.hpp"

namespace tandem::store {

class FeedbackRepo {
 public:
  virtual ~FeedbackRepo() = default;
  virtual core::Result<std::vector<core::DispositionCounts>> Dispositions(
      const core::FeedbackQuery& q) = 0;
  // The deals of an attribution (core/attribution.hpp): won deals closed in [from, to) and
  // deals open now created in [from, to), in q.currency, by id; each with its contact's touches
  // (events with a utm_campaign or utm_source) at or before the deal's creation, oldest first
  // (ties by event id), keyed by q.by; qualified_at is when the contact first reached mql (else
  // lead). A deal without a contact or touches has none.
  virtual core::Result<std::vector<core::DealTouches>> DealTouches(
      const core::AttributionQuery& q) = 0;
};

}  // namespace tandem::store
