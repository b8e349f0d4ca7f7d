#include "app/merge.hpp"

#include "app/contacts.hpp"
#include "core/audit.hpp"

namespace tandem::app {

using core::Contact;
using core::Error;
using core::Fail;

namespace {

Result<Contact> Load(store::Tx& tx, Id id, const char* field) {
  TANDEM_ASSIGN(auto found, tx.contacts().Get(id));
  if (!found) {
    return Fail(Error{core::ErrorCode::kNotFound,
                      "contact " + std::to_string(id) + " does not exist", field});
  }
  return *found;
}

void FillEmpty(std::string& into, const std::string& from) {
  if (into.empty()) into = from;
}

// The position on the main path, for "further along"; side exits have none.
int MainRank(core::Stage s) {
  return core::IsMainPath(s) ? static_cast<int>(s) : -1;
}

}  // namespace

Result<Contact> ContactMergeService::Merge(const Principal& p, Id keep_id, Id other_id) {
  if (keep_id == other_id) {
    return Fail(Error::Invalid("other_id", "a contact cannot be merged into itself"));
  }
  Contact keep;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(keep, Load(tx, keep_id, "id"));
    TANDEM_ASSIGN(Contact other, Load(tx, other_id, "other_id"));
    TANDEM_TRY(core::Authorize(p, core::Verb::kUpdate, core::Resource::kContact, keep.owner_id));
    TANDEM_TRY(core::Authorize(p, core::Verb::kDelete, core::Resource::kContact, other.owner_id));
    const core::Instant now = clock_.Now();
    const core::Actor actor = p.AsActor();
    const std::optional<Contact> before = keep;

    TANDEM_TRY(tx.identities().MoveRecords(other_id, keep_id));
    TANDEM_TRY(tx.identities().Link(store::IdentityKind::kEmail, other.email, keep_id, now));

    FillEmpty(keep.first_name, other.first_name);
    FillEmpty(keep.last_name, other.last_name);
    FillEmpty(keep.phone, other.phone);
    FillEmpty(keep.title, other.title);
    FillEmpty(keep.source, other.source);
    FillEmpty(keep.campaign, other.campaign);
    FillEmpty(keep.country, other.country);
    if (!keep.company_id) keep.company_id = other.company_id;
    if (!keep.owner_id) keep.owner_id = other.owner_id;
    for (const auto& [k, v] : other.custom) keep.custom.emplace(k, v);
    if (keep.custom.size() > core::kMaxCustomFields) {
      return Fail(Error::Precondition("the merged contact would have more than " +
                                          std::to_string(core::kMaxCustomFields) + " custom fields",
                                      "other_id"));
    }
    if (other.created_at < keep.created_at) keep.created_at = other.created_at;
    keep.updated_at = now;
    TANDEM_TRY(tx.contacts().Update(keep));
    auto entry = core::MakeAudit<Contact>(now, actor, "contact", keep_id,
                                          core::AuditAction::kUpdate, before, keep);
    entry.changes.push_back({"merged_contact", "", std::to_string(other_id)});
    TANDEM_TRY(tx.audit().Append(entry));

    if (MainRank(other.stage) > MainRank(keep.stage) &&
        core::IsAllowedTransition(keep.stage, other.stage)) {
      TANDEM_TRY(ApplyTransition(tx, keep, other.stage, now, actor, "merge", ""));
    }
    if (sink_ != nullptr) TANDEM_TRY(sink_->OnMerge(tx, keep_id, other_id, now));

    TANDEM_TRY(tx.contacts().Delete(other_id));
    auto gone = core::MakeAudit<Contact>(now, actor, "contact", other_id,
                                         core::AuditAction::kDelete, other, std::nullopt);
    gone.changes.push_back({"merged_into", "", std::to_string(keep_id)});
    TANDEM_TRY(tx.audit().Append(gone));
    return {};
  }));
  return keep;
}

}  // namespace tandem::app
