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
