// Saved views of the dashboard's lists (docs/dashboard.md, "Saved views").
//
// Every signed-in user keeps their own views and sees the views others shared. Only the owner
// changes a view; the owner or an admin deletes one (an admin clears out a shared view nobody
// maintains). Another user's private view does not exist for the caller (kNotFound, so its
// existence is not revealed). An API key needs the read scope to list and the write scope to
// change. What the view's query string may contain is checked by the caller that knows the
// list (the API layer), before these run. Views are preferences, not CRM records: they are not
// audited.
// Thread-safety: stateless apart from its references; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "core/permissions.hpp"
#include "core/saved_view.hpp"
#include "store/store.hpp"

namespace tandem::app {

struct SavedViewPatch {
  std::optional<std::string> name;
  std::optional<std::string> query;
  std::optional<bool> shared;
};

class SavedViewService {
 public:
  SavedViewService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  // The caller's own views and the shared ones, by name.
  core::Result<std::vector<core::SavedView>> List(const core::Principal& p);
  core::Result<core::SavedView> Get(const core::Principal& p, core::Id id);
  // Owned by the caller; `draft.owner_id` and the times are ignored.
  core::Result<core::SavedView> Create(const core::Principal& p, core::SavedView draft);
  core::Result<core::SavedView> Update(const core::Principal& p, core::Id id,
                                       const SavedViewPatch& patch);
  core::Result<void> Delete(const core::Principal& p, core::Id id);

 private:
  store::Store& store_;
  const base::Clock& clock_;
};

}  // namespace tandem::app
