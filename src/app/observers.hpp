// Hooks a use case calls inside its own write transaction when a record changes, so that
// derived state (scores) commits with the change. The composition root wires them.
#pragma once

#include "core/error.hpp"
#include "core/model.hpp"
#include "store/store.hpp"

namespace tandem::app {

class RecordObserver {
 public:
  virtual ~RecordObserver() = default;
  // After a contact was inserted or updated (`c` as stored).
  virtual core::Result<void> OnContactSaved(store::Tx& tx, const core::Contact& c,
                                            core::Instant now) = 0;
  // After a company was updated.
  virtual core::Result<void> OnCompanySaved(store::Tx& tx, core::Id company_id,
                                            core::Instant now) = 0;
};

}  // namespace tandem::app

namespace tandem::app {

// The handoff's hooks (app/handoff.hpp), called inside the caller's write transaction so that
// assignments and SLA clocks commit with the change that caused them.
class HandoffObserver {
 public:
  virtual ~HandoffObserver() = default;
  // After `c` moved through `change` (already stored). A move to mql routes the lead;
  // `qualified_at` is when the event that qualified it happened. May change `c` (its owner).
  virtual core::Result<void> OnStageChanged(store::Tx& tx, core::Contact& c,
                                            const core::StageChange& change,
                                            core::Instant qualified_at, core::Instant now) = 0;
  // After an activity was logged: the owner's first touch and attempts.
  virtual core::Result<void> OnActivityLogged(store::Tx& tx, const core::Activity& a,
                                              core::Instant now) = 0;
  // After an activity of the contact was edited or deleted: first touch and attempts counted
  // again from the activities as they now are.
  virtual core::Result<void> OnActivitiesChanged(store::Tx& tx, core::Id contact_id,
                                                 core::Instant now) = 0;
  // Whether a recycled contact may become an MQL again on an event of `event_at` (the
  // contract's recycle rules: wait days and new engagement).
  virtual core::Result<bool> MayRequalify(store::Tx& tx, const core::Contact& c,
                                          core::Instant event_at, core::Instant now) = 0;
};

}  // namespace tandem::app
