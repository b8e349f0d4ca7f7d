// Saved views of the dashboard's lists (core/saved_view.hpp, migration 0012). Part of
// store::Tx (`tx.views()`).
//
// Contract (tests/store/store_contract.hpp runs it on every backend):
//  * Insert returns the new id; the owner must exist (kInvalidArgument "owner_id"); a user's
//    view names are unique (kAlreadyExists "name"), two users may each have a view of the same
//    name.
//  * Update replaces name, query, shared and updated_at (owner and created_at stay); kNotFound
//    for an unknown id, kAlreadyExists "name" as for Insert.
//  * Delete removes the view; kNotFound for an unknown id. Deleting a user removes their views.
//  * Visible lists the user's own views and every shared view, by name then id.
#pragma once

#include <optional>
#include <vector>

#include "core/error.hpp"
#include "core/saved_view.hpp"

namespace tandem::store {

class SavedViewRepo {
 public:
  virtual ~SavedViewRepo() = default;
  virtual core::Result<core::Id> Insert(const core::SavedView& v) = 0;
  virtual core::Result<void> Update(const core::SavedView& v) = 0;
  virtual core::Result<void> Delete(core::Id id) = 0;
  virtual core::Result<std::optional<core::SavedView>> Get(core::Id id) = 0;
  virtual core::Result<std::vector<core::SavedView>> Visible(core::Id user_id) = 0;
};

}  // namespace tandem::store
