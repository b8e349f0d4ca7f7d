// Merging two contacts that are the same person (POST /api/v1/contacts/{id}/merge).
//
// The contact `keep` survives; `other` is merged into it and deleted, in one transaction:
//  * every event, identity link, stage-history row, activity and deal of `other` moves to
//    `keep`; `other`'s email becomes an email identity of `keep`, so later events sent with it
//    reach `keep` and never recreate `other`;
//  * fields `keep` leaves empty are filled from `other` (names, phone, title, company, owner,
//    source, campaign, country); custom fields are united, `keep`'s values winning;
//  * when `other` stands further on the main path (lead < mql < ... < customer) and the move
//    is allowed, `keep` moves there with cause "merge"; otherwise `keep` keeps its stage;
//  * the EventSink (scoring) is told, then `other` is deleted; the audit log records an
//    update of `keep` (field merged_contact) and the deletion of `other` (field merged_into).
// Permissions: the caller must be allowed to update `keep` and to delete `other`.
// Thread-safety: stateless apart from its references.
#pragma once

#include "app/ingest.hpp"
#include "base/clock.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

class ContactMergeService {
 public:
  ContactMergeService(store::Store& store, const base::Clock& clock)
      : store_(store), clock_(clock) {}
  void SetSink(EventSink* sink) { sink_ = sink; }

  // The surviving contact. Errors: kInvalidArgument (field "other_id") when both ids are the
  // same; kNotFound for a missing contact; kPermissionDenied.
  Result<core::Contact> Merge(const Principal& p, Id keep, Id other);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  EventSink* sink_ = nullptr;
};

}  // namespace tandem::app
