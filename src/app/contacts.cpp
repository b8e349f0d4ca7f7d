#include "app/contacts.hpp"

#include <algorithm>

#include "app/outbox.hpp"

namespace tandem::app {

using core::AuditAction;
using core::Contact;
using core::Error;
using core::Fail;
using core::Resource;
using core::Verb;

namespace {

Result<Contact> Load(store::Tx& tx, Id id) {
  TANDEM_ASSIGN(auto found, tx.contacts().Get(id));
  if (!found) return Fail(Error::NotFound("contact " + std::to_string(id) + " does not exist"));
  return *found;
}

}  // namespace

Result<void> NormalizeContact(Contact& c) {
  TANDEM_ASSIGN(c.email, core::NormalizeEmail(c.email));
  TANDEM_ASSIGN(c.country, core::NormalizeCountry(c.country));
  return core::Validate(c);
}

Result<core::StageChange> ApplyTransition(store::Tx& tx, Contact& contact, core::Stage to,
                                          core::Instant now, const core::Actor& actor,
                                          std::string cause, std::string reason,
                                          std::optional<core::MqlQuality> quality) {
  TANDEM_ASSIGN(auto change, core::PlanTransition(contact.id, contact.stage, to, now, actor,
                                                  std::move(cause), std::move(reason)));
  if (to == core::Stage::kMql) {
    if (!quality) {
      TANDEM_ASSIGN(auto score, tx.scoring().GetScore(contact.id));
      if (score) quality = core::MqlQuality{score->grade, score->persona_id};
    }
    change.quality = quality;
  }
  std::optional<Contact> before = contact;
  contact.stage = to;
  contact.stage_entered_at = now;
  contact.updated_at = now;
  TANDEM_TRY(tx.contacts().Update(contact));
  TANDEM_ASSIGN(change.id, tx.stages().Append(change));
  auto entry = core::MakeAudit<Contact>(now, actor, "contact", contact.id, AuditAction::kTransition,
                                        before, contact);
  if (!change.reason.empty()) entry.changes.push_back({"reason", "", change.reason});
  TANDEM_TRY(tx.audit().Append(entry));
  if (to == core::Stage::kMql) {
    TANDEM_TRY(AnnounceMql(tx, contact, before->stage, change.cause, change.reason, now));
  }
  return change;
}

Result<Contact> ContactService::Create(const Principal& p, Contact draft) {
  if (!draft.owner_id && p.role == core::Role::kSales) draft.owner_id = p.user_id;
  TANDEM_TRY(core::Authorize(p, Verb::kCreate, Resource::kContact, draft.owner_id));
  if (!core::IsMainPath(draft.stage)) {
    return Fail(Error::Invalid("stage",
                               "a new contact starts on the main path (visitor to "
                               "customer); recycle or disqualify it afterwards"));
  }
  TANDEM_TRY(NormalizeContact(draft));
  const auto now = clock_.Now();
  draft.id = 0;
  draft.created_at = draft.updated_at = draft.stage_entered_at = now;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(draft.id, tx.contacts().Insert(draft));
    core::StageChange first;
    first.contact_id = draft.id;
    first.to = draft.stage;
    first.at = now;
    first.actor = p.AsActor();
    first.cause = "created";
    TANDEM_TRY(tx.stages().Append(first));
    TANDEM_TRY(tx.audit().Append(core::MakeAudit<Contact>(
        now, p.AsActor(), "contact", draft.id, AuditAction::kCreate, std::nullopt, draft)));
    if (draft.stage == core::Stage::kMql) {
      TANDEM_TRY(AnnounceMql(tx, draft, std::nullopt, "created", "", now));
    }
    if (observer_) TANDEM_TRY(observer_->OnContactSaved(tx, draft, now));
    return {};
  }));
  return draft;
}

Result<Contact> ContactService::Get(const Principal& p, Id id) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  Contact out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, Load(tx, id));
    return {};
  }));
  return out;
}

Result<Contact> ContactService::Update(const Principal& p, Id id, const ContactPatch& patch) {
  Contact after;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(Contact before, Load(tx, id));
    TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kContact, before.owner_id));
    after = before;
    Apply(after, patch);
    if (patch.owner_id && after.owner_id != before.owner_id && p.role == core::Role::kSales &&
        after.owner_id != p.user_id) {
      return Fail(Error::Forbidden("sales reps cannot give their contacts to another owner"));
    }
    TANDEM_TRY(NormalizeContact(after));
    after.updated_at = clock_.Now();
    TANDEM_TRY(tx.contacts().Update(after));
    auto entry = core::MakeAudit<Contact>(after.updated_at, p.AsActor(), "contact", id,
                                          AuditAction::kUpdate, before, after);
    if (!entry.changes.empty()) TANDEM_TRY(tx.audit().Append(entry));
    if (observer_) TANDEM_TRY(observer_->OnContactSaved(tx, after, after.updated_at));
    return {};
  }));
  return after;
}

Result<void> ContactService::Delete(const Principal& p, Id id) {
  return store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(Contact before, Load(tx, id));
    TANDEM_TRY(core::Authorize(p, Verb::kDelete, Resource::kContact, before.owner_id));
    TANDEM_TRY(tx.contacts().Delete(id));
    TANDEM_TRY(tx.audit().Append(core::MakeAudit<Contact>(
        clock_.Now(), p.AsActor(), "contact", id, AuditAction::kDelete, before, std::nullopt)));
    return {};
  });
}

Result<core::Page<Contact>> ContactService::List(const Principal& p, const core::ContactQuery& q) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  core::Page<Contact> page;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(page, tx.contacts().List(q));
    return {};
  }));
  return page;
}

Result<void> ContactService::RecordExport(const Principal& p, const std::string& filter) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  return store_.Write([&](store::Tx& tx) -> Result<void> {
    core::AuditEntry e;
    e.at = clock_.Now();
    e.actor = p.AsActor();
    e.entity = "contacts_export";
    e.entity_id = p.user_id;
    e.action = core::AuditAction::kCreate;
    e.changes.push_back({"filter", "", filter});
    TANDEM_ASSIGN(auto id, tx.audit().Append(e));
    (void)id;
    return {};
  });
}

Result<std::vector<std::pair<core::Stage, std::int64_t>>> ContactService::CountByStage(
    const Principal& p) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  std::vector<std::pair<core::Stage, std::int64_t>> counted;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(counted, tx.contacts().CountByStage());
    return {};
  }));
  std::vector<std::pair<core::Stage, std::int64_t>> out;
  for (core::Stage s : core::kAllStages) {
    std::int64_t n = 0;
    for (const auto& [stage, count] : counted) {
      if (stage == s) n = count;
    }
    out.emplace_back(s, n);
  }
  return out;
}

Result<Contact> ContactService::ChangeStage(const Principal& p, Id id, core::Stage to,
                                            std::string reason) {
  Contact contact;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(contact, Load(tx, id));
    TANDEM_TRY(core::AuthorizeTransition(p, contact.stage, to, contact.owner_id));
    const auto now = clock_.Now();
    TANDEM_ASSIGN(auto change,
                  ApplyTransition(tx, contact, to, now, p.AsActor(), "manual", std::move(reason)));
    if (handoff_) TANDEM_TRY(handoff_->OnStageChanged(tx, contact, change, now, now));
    return {};
  }));
  return contact;
}

Result<std::vector<core::StageChange>> ContactService::History(const Principal& p, Id id) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  std::vector<core::StageChange> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(Load(tx, id));
    TANDEM_ASSIGN(out, tx.stages().ListForContact(id));
    return {};
  }));
  return out;
}

Result<std::vector<TimelineItem>> ContactService::Timeline(const Principal& p, Id id) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  std::vector<TimelineItem> items;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(Load(tx, id));
    TANDEM_ASSIGN(auto stages, tx.stages().ListForContact(id));
    // History comes oldest first; taken newest first so that the stable sort below keeps
    // changes made in the same millisecond (created, then moved by a deal) newest first too.
    for (auto it = stages.rbegin(); it != stages.rend(); ++it) {
      items.push_back(TimelineItem{it->at, "stage_change", std::move(*it), std::nullopt,
                                   std::nullopt, std::nullopt});
    }
    core::ActivityQuery aq;
    aq.contact_id = id;
    aq.page.limit = core::kMaxPageSize;
    for (;;) {
      TANDEM_ASSIGN(auto page, tx.activities().List(aq));
      for (auto& a : page.items) {
        core::Instant at = a.occurred_at;
        items.push_back(
            TimelineItem{at, "activity", std::nullopt, std::move(a), std::nullopt, std::nullopt});
      }
      if (!page.next) break;
      aq.page.after = page.next;
    }
    core::DealQuery dq;
    dq.contact_id = id;
    dq.page.limit = core::kMaxPageSize;
    for (;;) {
      TANDEM_ASSIGN(auto page, tx.deals().List(dq));
      for (auto& d : page.items) {
        core::Instant at = d.closed_at.value_or(d.created_at);
        items.push_back(
            TimelineItem{at, "deal", std::nullopt, std::nullopt, std::move(d), std::nullopt});
      }
      if (!page.next) break;
      dq.page.after = page.next;
    }
    TANDEM_ASSIGN(auto events, tx.events().ListForContact(id, kTimelineEvents));
    for (auto& e : events) {
      core::Instant at = e.occurred_at;
      items.push_back(
          TimelineItem{at, "event", std::nullopt, std::nullopt, std::nullopt, std::move(e)});
    }
    return {};
  }));
  std::stable_sort(items.begin(), items.end(),
                   [](const TimelineItem& a, const TimelineItem& b) { return a.at > b.at; });
  return items;
}

Result<std::vector<core::Event>> ContactService::Events(const Principal& p, Id id, int limit) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  if (limit < 1 || limit > core::kMaxPageSize) {
    return Fail(Error::Invalid("limit", "must be from 1 to " + std::to_string(core::kMaxPageSize)));
  }
  std::vector<core::Event> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(Load(tx, id));
    TANDEM_ASSIGN(out, tx.events().ListForContact(id, limit));
    return {};
  }));
  return out;
}

}  // namespace tandem::app
