#include "app/records.hpp"

#include "app/contacts.hpp"
#include "app/crud.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Resource;
using core::Verb;

namespace {

Result<void> NormalizeCompany(core::Company& c) {
  TANDEM_ASSIGN(c.domain, core::NormalizeDomain(c.domain));
  TANDEM_ASSIGN(c.country, core::NormalizeCountry(c.country));
  return core::Validate(c);
}

// Spaces around a lost reason carry nothing, and a blank one is no reason at all (as for
// lifecycle reasons, see core::PlanTransition).
std::string Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(kSpace) - first + 1));
}

Result<void> NormalizeDeal(core::Deal& d) {
  TANDEM_ASSIGN(d.currency, core::NormalizeCurrency(d.currency));
  d.lost_reason = Trim(d.lost_reason);
  return core::Validate(d);
}

// Stamps or clears closed_at as the deal's stage requires.
void StampClose(core::Deal& d, core::DealStage previous, core::Instant now) {
  if (d.stage == core::DealStage::kOpen) {
    d.closed_at.reset();
    d.lost_reason.clear();
  } else if (d.stage != previous || !d.closed_at) {
    d.closed_at = now;
  }
}

Result<void> CheckOwnerChange(const Principal& p, std::optional<Id> before,
                              std::optional<Id> after) {
  if (before != after && p.role == core::Role::kSales && after != p.user_id) {
    return Fail(Error::Forbidden("sales reps cannot give their records to another owner"));
  }
  return {};
}

}  // namespace

Result<void> ApplyDealEvent(store::Tx& tx, const core::Deal& deal, core::DealEvent event,
                            core::Instant now, const core::Actor& actor, HandoffObserver* handoff) {
  if (!deal.contact_id) return {};
  TANDEM_ASSIGN(auto contact, tx.contacts().Get(*deal.contact_id));
  if (!contact) return {};
  auto target = core::StageAfterDealEvent(contact->stage, event);
  if (!target) return {};
  const char* cause = event == core::DealEvent::kCreated ? "deal_created" : "deal_won";
  TANDEM_ASSIGN(auto change, ApplyTransition(tx, *contact, *target, now, actor, cause,
                                             "deal " + std::to_string(deal.id)));
  if (handoff) TANDEM_TRY(handoff->OnStageChanged(tx, *contact, change, now, now));
  return {};
}

// ----- companies -----------------------------------------------------------------------------

Result<core::Company> CompanyService::Create(const Principal& p, core::Company draft) {
  if (!draft.owner_id && p.role == core::Role::kSales) draft.owner_id = p.user_id;
  TANDEM_TRY(core::Authorize(p, Verb::kCreate, Resource::kCompany, draft.owner_id));
  TANDEM_TRY(NormalizeCompany(draft));
  TANDEM_TRY(store_.Write(
      [&](store::Tx& tx) { return InsertRecord(tx, p.AsActor(), draft, clock_.Now()); }));
  return draft;
}

Result<core::Company> CompanyService::Get(const Principal& p, Id id) {
  return GetRecord<core::Company>(store_, p, id);
}

Result<core::Company> CompanyService::Update(const Principal& p, Id id, const CompanyPatch& patch) {
  core::Company after;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(core::Company before, LoadRecord<core::Company>(tx, id));
    TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kCompany, before.owner_id));
    after = before;
    Apply(after, patch);
    TANDEM_TRY(CheckOwnerChange(p, before.owner_id, after.owner_id));
    TANDEM_TRY(NormalizeCompany(after));
    const auto now = clock_.Now();
    TANDEM_TRY(UpdateRecord(tx, p.AsActor(), before, after, now));
    if (observer_) TANDEM_TRY(observer_->OnCompanySaved(tx, id, now));
    return {};
  }));
  return after;
}

Result<void> CompanyService::Delete(const Principal& p, Id id) {
  return DeleteRecord<core::Company>(store_, clock_, p, id);
}

Result<core::Page<core::Company>> CompanyService::List(const Principal& p,
                                                       const core::CompanyQuery& q) {
  return ListRecords<core::Company>(store_, p, q);
}

// ----- deals ---------------------------------------------------------------------------------

Result<core::Deal> DealService::Create(const Principal& p, core::Deal draft) {
  if (!draft.owner_id && p.role == core::Role::kSales) draft.owner_id = p.user_id;
  TANDEM_TRY(core::Authorize(p, Verb::kCreate, Resource::kDeal, draft.owner_id));
  TANDEM_TRY(NormalizeDeal(draft));
  const auto now = clock_.Now();
  StampClose(draft, core::DealStage::kOpen, now);
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(InsertRecord(tx, p.AsActor(), draft, now));
    TANDEM_TRY(ApplyDealEvent(tx, draft, core::DealEvent::kCreated, now, p.AsActor(), handoff_));
    if (draft.stage == core::DealStage::kWon) {
      TANDEM_TRY(ApplyDealEvent(tx, draft, core::DealEvent::kWon, now, p.AsActor(), handoff_));
    }
    return {};
  }));
  return draft;
}

Result<core::Deal> DealService::Get(const Principal& p, Id id) {
  return GetRecord<core::Deal>(store_, p, id);
}

Result<core::Deal> DealService::Update(const Principal& p, Id id, const DealPatch& patch) {
  core::Deal after;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(core::Deal before, LoadRecord<core::Deal>(tx, id));
    TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kDeal, before.owner_id));
    after = before;
    Apply(after, patch);
    TANDEM_TRY(CheckOwnerChange(p, before.owner_id, after.owner_id));
    const auto now = clock_.Now();
    StampClose(after, before.stage, now);
    TANDEM_TRY(NormalizeDeal(after));
    TANDEM_TRY(UpdateRecord(tx, p.AsActor(), before, after, now));
    if (after.contact_id != before.contact_id) {
      TANDEM_TRY(ApplyDealEvent(tx, after, core::DealEvent::kCreated, now, p.AsActor(), handoff_));
    }
    if (after.stage == core::DealStage::kWon && before.stage != core::DealStage::kWon) {
      TANDEM_TRY(ApplyDealEvent(tx, after, core::DealEvent::kWon, now, p.AsActor(), handoff_));
    }
    return {};
  }));
  return after;
}

Result<void> DealService::Delete(const Principal& p, Id id) {
  return DeleteRecord<core::Deal>(store_, clock_, p, id);
}

Result<core::Page<core::Deal>> DealService::List(const Principal& p, const core::DealQuery& q) {
  return ListRecords<core::Deal>(store_, p, q);
}

// ----- activities ----------------------------------------------------------------------------

Result<core::Activity> ActivityService::Create(const Principal& p, core::Activity draft) {
  if (draft.owner_id == 0) draft.owner_id = p.user_id;
  TANDEM_TRY(core::Authorize(p, Verb::kCreate, Resource::kActivity, draft.owner_id));
  const auto now = clock_.Now();
  if (draft.occurred_at == core::Instant{}) draft.occurred_at = now;
  TANDEM_TRY(core::Validate(draft));
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(InsertRecord(tx, p.AsActor(), draft, now));
    if (handoff_) TANDEM_TRY(handoff_->OnActivityLogged(tx, draft, now));
    return {};
  }));
  return draft;
}

Result<core::Activity> ActivityService::Get(const Principal& p, Id id) {
  return GetRecord<core::Activity>(store_, p, id);
}

Result<core::Activity> ActivityService::Update(const Principal& p, Id id,
                                               const ActivityPatch& patch) {
  core::Activity after;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(core::Activity before, LoadRecord<core::Activity>(tx, id));
    TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kActivity, before.owner_id));
    after = before;
    Apply(after, patch);
    TANDEM_TRY(core::Validate(after));
    const auto now = clock_.Now();
    TANDEM_TRY(UpdateRecord(tx, p.AsActor(), before, after, now));
    if (!handoff_) return {};
    // Its time, type, owner or contact may have changed: count the touches again, for the
    // contact it left as well.
    if (before.contact_id) TANDEM_TRY(handoff_->OnActivitiesChanged(tx, *before.contact_id, now));
    if (after.contact_id && after.contact_id != before.contact_id) {
      TANDEM_TRY(handoff_->OnActivitiesChanged(tx, *after.contact_id, now));
    }
    return {};
  }));
  return after;
}

Result<void> ActivityService::Delete(const Principal& p, Id id) {
  return DeleteRecord<core::Activity>(
      store_, clock_, p, id, [this](store::Tx& tx, const core::Activity& gone) -> Result<void> {
        if (!handoff_ || !gone.contact_id) return {};
        return handoff_->OnActivitiesChanged(tx, *gone.contact_id, clock_.Now());
      });
}

Result<core::Page<core::Activity>> ActivityService::List(const Principal& p,
                                                         const core::ActivityQuery& q) {
  return ListRecords<core::Activity>(store_, p, q);
}

}  // namespace tandem::app
