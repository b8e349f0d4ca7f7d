// Bulk assignment of contacts to an owner (POST /api/v1/contacts/bulk-assign; docs/dashboard.md,
// "Bulk assign"): explicit ids or every contact matching a list filter, at most
// kMaxBulkAssign, all in one write transaction: either every contact is assigned or none is.
//
// Who may assign which contact is core::AuthorizeAssign. Each contact goes through the
// handoff's manual assignment (HandoffService::AssignManually), so a lead in the handoff gets
// its SLA clocks and the new owner's lead.assigned notification exactly as a routed one would,
// and every owner change is audited under the caller.
// Thread-safety: stateless apart from its references; safe to share between threads.
#pragma once

#include <cstdint>
#include <vector>

#include "app/handoff.hpp"
#include "base/clock.hpp"
#include "core/permissions.hpp"
#include "core/query.hpp"
#include "store/store.hpp"

namespace tandem::app {

inline constexpr std::int64_t kMaxBulkAssign = 1000;

struct BulkAssignOutcome {
  std::int64_t matched = 0;         // contacts named or matching the filter
  std::int64_t assigned = 0;        // whose owner or assignment changed
  std::int64_t handed_over = 0;     // of those, leads recorded as manual handoff assignments
  std::vector<core::Id> unchanged;  // already owned by the owner
};

class AssignService {
 public:
  AssignService(store::Store& store, const base::Clock& clock, HandoffService& handoff)
      : store_(store), clock_(clock), handoff_(handoff) {}

  // `ids`: 1..kMaxBulkAssign distinct contact ids (kInvalidArgument "ids" otherwise, or when
  // one does not exist).
  core::Result<BulkAssignOutcome> AssignIds(const core::Principal& p, core::Id owner_id,
                                            const std::vector<core::Id>& ids);
  // Every contact matching `filter` (its page is ignored). kFailedPrecondition (field
  // "filter") when more than kMaxBulkAssign match: nothing is assigned.
  core::Result<BulkAssignOutcome> AssignMatching(const core::Principal& p, core::Id owner_id,
                                                 core::ContactQuery filter);

 private:
  core::Result<BulkAssignOutcome> Assign(const core::Principal& p, core::Id owner_id,
                                         const std::vector<core::Id>* ids,
                                         const core::ContactQuery* filter);

  store::Store& store_;
  const base::Clock& clock_;
  HandoffService& handoff_;
};

}  // namespace tandem::app
