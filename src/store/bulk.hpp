// Bulk mode: a capability some backends of store::Store offer besides the Store interface, for
// loading many contacts into a store that holds few (contact imports, docs/import.md "Bulk
// mode"). Kept apart from store.hpp so that callers that never bulk-load do not depend on it;
// reach it with BulkOf(store).
//
// WriteBulk runs `fn` holding the writer for the whole call, in ONE transaction in which the
// contacts' secondary indexes and search rows, the stage history's indexes and the funnel's
// reach rows are not kept row by row but built once, sorted, after `fn` returns; the unique
// email index (and so FindByEmail(s)) stays live. `fn` writes in steps: `step(f)` runs `f` in a
// savepoint and, when `f` fails, undoes that step alone and returns its error (the transaction
// goes on). Readers see the store as it was before the call until it commits, then everything at
// once; other writers wait for the whole call. An error returned by `fn` (or an exception), or a
// failure while building, rolls back everything. Within `fn`, contact lists and text search do
// not see the rows written so far; Get, FindByEmail(s) and the stage history do.
// Thread-safety: as the Store's; WriteBulk may not be nested in another transaction.
#pragma once

#include <functional>

#include "store/store.hpp"

namespace tandem::store {

class BulkStore {
 public:
  virtual ~BulkStore() = default;
  using StepFn = std::function<Result<void>(const TxFn& f)>;
  using BulkFn = std::function<Result<void>(const StepFn& step)>;
  virtual Result<void> WriteBulk(const BulkFn& fn) = 0;
};

// The bulk mode of `store`, or null when its backend has none.
inline BulkStore* BulkOf(Store& store) {
  return dynamic_cast<BulkStore*>(&store);
}

}  // namespace tandem::store
