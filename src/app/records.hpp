// Use cases for companies, deals and activities. Deals drive the contact's lifecycle: a deal
// created moves its contact to `opportunity`, a deal won moves it to `customer` (in the same
// transaction, with cause "deal_created" / "deal_won"); a lost deal needs a lost reason; won
// and lost stamp closed_at, reopening clears it.
// Thread-safety: stateless apart from references; safe to share.
#pragma once

#include "app/observers.hpp"
#include "app/patches.hpp"
#include "base/clock.hpp"
#include "core/permissions.hpp"
#include "core/query.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Principal;
using core::Result;

class CompanyService {
 public:
  CompanyService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}
  // Called inside the transaction of every update (set once, before use).
  void SetObserver(RecordObserver* observer) { observer_ = observer; }
  Result<core::Company> Create(const Principal& p, core::Company draft);
  Result<core::Company> Get(const Principal& p, Id id);
  Result<core::Company> Update(const Principal& p, Id id, const CompanyPatch& patch);
  Result<void> Delete(const Principal& p, Id id);
  Result<core::Page<core::Company>> List(const Principal& p, const core::CompanyQuery& q);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  RecordObserver* observer_ = nullptr;
};

class DealService {
 public:
  DealService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}
  // Told when a deal moves its contact on (to opportunity or customer), in its transaction.
  void SetHandoff(HandoffObserver* handoff) { handoff_ = handoff; }
  Result<core::Deal> Create(const Principal& p, core::Deal draft);
  Result<core::Deal> Get(const Principal& p, Id id);
  Result<core::Deal> Update(const Principal& p, Id id, const DealPatch& patch);
  Result<void> Delete(const Principal& p, Id id);
  Result<core::Page<core::Deal>> List(const Principal& p, const core::DealQuery& q);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  HandoffObserver* handoff_ = nullptr;
};

class ActivityService {
 public:
  ActivityService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}
  // Told of every activity logged, in its transaction (set once, before use).
  void SetHandoff(HandoffObserver* handoff) { handoff_ = handoff; }
  // The owner defaults to the caller; occurred_at defaults to now.
  Result<core::Activity> Create(const Principal& p, core::Activity draft);
  Result<core::Activity> Get(const Principal& p, Id id);
  Result<core::Activity> Update(const Principal& p, Id id, const ActivityPatch& patch);
  Result<void> Delete(const Principal& p, Id id);
  Result<core::Page<core::Activity>> List(const Principal& p, const core::ActivityQuery& q);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  HandoffObserver* handoff_ = nullptr;
};

// Applies the lifecycle effect of a deal event on the deal's contact, if any (in `tx`), and
// tells `handoff` (when set) so that a lead a deal moved on ends its assignment.
Result<void> ApplyDealEvent(store::Tx& tx, const core::Deal& deal, core::DealEvent event,
                            core::Instant now, const core::Actor& actor, HandoffObserver* handoff);

}  // namespace tandem::app
