#include "app/assign.hpp"

#include <string>

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Result;

Result<BulkAssignOutcome> AssignService::AssignIds(const core::Principal& p, core::Id owner_id,
                                                   const std::vector<core::Id>& ids) {
  if (ids.empty()) return Fail(Error::Invalid("ids", "name at least one contact"));
  if (static_cast<std::int64_t>(ids.size()) > kMaxBulkAssign) {
    return Fail(
        Error::Invalid("ids", "at most " + std::to_string(kMaxBulkAssign) + " contacts at a time"));
  }
  return Assign(p, owner_id, &ids, nullptr);
}

Result<BulkAssignOutcome> AssignService::AssignMatching(const core::Principal& p, core::Id owner_id,
                                                        core::ContactQuery filter) {
  return Assign(p, owner_id, nullptr, &filter);
}

Result<BulkAssignOutcome> AssignService::Assign(const core::Principal& p, core::Id owner_id,
                                                const std::vector<core::Id>* ids,
                                                const core::ContactQuery* filter) {
  // Refused before reading anything when the role may assign nothing at all.
  TANDEM_TRY(core::AuthorizeAssign(p, std::nullopt));
  BulkAssignOutcome out;
  const core::Actor actor = p.AsActor();
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    out = {};
    const core::Instant now = clock_.Now();
    TANDEM_ASSIGN(auto owner, tx.users().Get(owner_id));
    if (!owner) {
      return Fail(
          Error::Invalid("owner_id", "user " + std::to_string(owner_id) + " does not exist"));
    }
    std::vector<core::Contact> contacts;
    if (ids) {
      for (core::Id id : *ids) {
        TANDEM_ASSIGN(auto c, tx.contacts().Get(id));
        if (!c) {
          return Fail(Error::Invalid("ids", "contact " + std::to_string(id) + " does not exist"));
        }
        contacts.push_back(std::move(*c));
      }
    } else {
      core::ContactQuery q = *filter;
      q.page.after.reset();
      q.page.limit = core::kMaxPageSize;
      for (;;) {
        TANDEM_ASSIGN(auto page, tx.contacts().List(q));
        for (auto& c : page.items) contacts.push_back(std::move(c));
        if (static_cast<std::int64_t>(contacts.size()) > kMaxBulkAssign) {
          return Fail(
              Error::Precondition("more than " + std::to_string(kMaxBulkAssign) +
                                      " contacts match; narrow the filter or select the contacts",
                                  "filter"));
        }
        if (!page.next) break;
        q.page.after = page.next;
      }
    }
    out.matched = static_cast<std::int64_t>(contacts.size());
    for (auto& c : contacts) {
      if (auto allowed = core::AuthorizeAssign(p, c.owner_id); !allowed) {
        Error e = allowed.error();
        e.message = "contact " + std::to_string(c.id) + ": " + e.message;
        return Fail(std::move(e));
      }
      const bool lead = c.stage == core::Stage::kMql;
      TANDEM_ASSIGN(bool changed, handoff_.AssignManually(tx, c, *owner, actor, now));
      if (changed) {
        ++out.assigned;
        if (lead) ++out.handed_over;
      } else {
        out.unchanged.push_back(c.id);
      }
    }
    return {};
  }));
  return out;
}

}  // namespace tandem::app
