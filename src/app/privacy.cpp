#include "app/privacy.hpp"

#include <string>

#include "core/audit.hpp"
#include "store/privacy_repo.hpp"

namespace tandem::app {

using core::AuditAction;
using core::Consent;
using core::Error;
using core::Fail;
using core::Id;
using core::Resource;
using core::Verb;

namespace {

Result<void> RequireAdmin(const Principal& p, std::string_view what) {
  if (p.role != core::Role::kAdmin || !p.HasScope(core::Scope::kAdmin)) {
    return Fail(Error::Forbidden("only an admin may " + std::string(what)));
  }
  return {};
}

Result<core::Contact> LoadContact(store::Tx& tx, Id id) {
  TANDEM_ASSIGN(auto found, tx.contacts().Get(id));
  if (!found) return Fail(Error::NotFound("contact " + std::to_string(id) + " does not exist"));
  TANDEM_ASSIGN(bool erased, store::PrivacyOf(tx).IsErased(id));
  if (erased) return Fail(Error::NotFound("contact " + std::to_string(id) + " was erased"));
  return *found;
}

// The contact an email reaches now (its own or a merged one), not erased.
Result<std::optional<Id>> FindPerson(store::Tx& tx, const std::string& email) {
  TANDEM_ASSIGN(auto id, tx.identities().FindContactByEmail(email));
  if (!id) return id;
  TANDEM_ASSIGN(bool erased, store::PrivacyOf(tx).IsErased(*id));
  if (erased) return std::optional<Id>();
  return id;
}

Error NothingHeld(const std::string& email) {
  return Error::NotFound("nothing is held about " + email +
                         " (no contact has this email, or it was erased)");
}

core::AuditEntry Entry(core::Instant at, const core::Actor& actor, std::string entity, Id id,
                       AuditAction action, std::vector<core::FieldChange> changes) {
  core::AuditEntry e;
  e.at = at;
  e.actor = actor;
  e.entity = std::move(entity);
  e.entity_id = id;
  e.action = action;
  e.changes = std::move(changes);
  return e;
}

std::string OptIdText(const std::optional<Id>& id) {
  return id ? std::to_string(*id) : std::string();
}

}  // namespace

Result<std::vector<Consent>> PrivacyService::Consents(const Principal& p, Id contact_id) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  std::vector<Consent> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(LoadContact(tx, contact_id));
    TANDEM_ASSIGN(out, store::PrivacyOf(tx).ListConsents(contact_id));
    return {};
  }));
  return out;
}

Result<Id> PrivacyService::RecordConsentIn(store::Tx& tx, const Consent& c,
                                           const core::Actor& actor, core::Instant now) {
  TANDEM_TRY(core::ValidateConsent(c));
  TANDEM_ASSIGN(Id id, store::PrivacyOf(tx).InsertConsent(c));
  TANDEM_TRY(tx.audit().Append(Entry(now, actor, "consent", id, AuditAction::kCreate,
                                     {{"contact_id", "", std::to_string(c.contact_id)},
                                      {"purpose", "", c.purpose},
                                      {"source", "", std::string(core::ToString(c.source))},
                                      {"form_id", "", OptIdText(c.form_id)},
                                      {"import_job_id", "", OptIdText(c.import_job_id)}})));
  return id;
}

Result<Consent> PrivacyService::RecordConsent(const Principal& p, Id contact_id, Consent draft) {
  const core::Instant now = clock_.Now();
  draft.id = 0;
  draft.contact_id = contact_id;
  // An API key is a program calling the API; a session is a person using the dashboard.
  draft.source = p.scopes ? core::ConsentSource::kApi : core::ConsentSource::kUser;
  draft.recorded_by = p.user_id;
  draft.form_id.reset();
  draft.submission_id.reset();
  draft.import_job_id.reset();
  draft.import_row.reset();
  draft.withdrawn_at.reset();
  draft.withdrawn_by.reset();
  if (draft.given_at == core::Instant{}) draft.given_at = now;
  if (draft.given_at > now) {
    return Fail(Error::Invalid("given_at", "given_at cannot be in the future"));
  }
  TANDEM_TRY(core::ValidateConsent(draft));
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(core::Contact c, LoadContact(tx, contact_id));
    TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kContact, c.owner_id));
    TANDEM_ASSIGN(draft.id, RecordConsentIn(tx, draft, p.AsActor(), now));
    return {};
  }));
  return draft;
}

Result<Consent> PrivacyService::WithdrawConsent(const Principal& p, Id contact_id, Id consent_id) {
  const core::Instant now = clock_.Now();
  Consent out;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(core::Contact c, LoadContact(tx, contact_id));
    TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kContact, c.owner_id));
    TANDEM_ASSIGN(auto found, store::PrivacyOf(tx).GetConsent(consent_id));
    if (!found || found->contact_id != contact_id) {
      return Fail(Error::NotFound("consent " + std::to_string(consent_id) +
                                  " is not a consent of contact " + std::to_string(contact_id)));
    }
    TANDEM_TRY(store::PrivacyOf(tx).WithdrawConsent(consent_id, now, p.user_id));
    TANDEM_TRY(
        tx.audit().Append(Entry(now, p.AsActor(), "consent", consent_id, AuditAction::kUpdate,
                                {{"withdrawn_at", "", core::FormatInstant(now)}})));
    out = *found;
    out.withdrawn_at = now;
    out.withdrawn_by = p.user_id;
    return {};
  }));
  return out;
}

Result<PersonalData> PrivacyService::Export(const Principal& p, std::string_view email) {
  TANDEM_TRY(RequireAdmin(p, "export a person's data"));
  return DoExport(p.AsActor(), email);
}

Result<PersonalData> PrivacyService::ExportAsOperator(std::string_view email) {
  return DoExport(core::Actor::System("cli"), email);
}

Result<PersonalData> PrivacyService::DoExport(const core::Actor& actor, std::string_view email) {
  if (email.empty()) return Fail(Error::Invalid("email", "email is required"));
  TANDEM_ASSIGN(std::string normalized, core::NormalizeEmail(email));
  PersonalData out;
  out.exported_at = clock_.Now();
  out.email = normalized;
  // A write transaction: the export itself goes to the audit log.
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto id, FindPerson(tx, normalized));
    if (!id) return Fail(NothingHeld(normalized));
    TANDEM_ASSIGN(out.contact, LoadContact(tx, *id));
    if (out.contact.company_id) {
      TANDEM_ASSIGN(auto company, tx.companies().Get(*out.contact.company_id));
      if (company) out.company = company->name;
    }
    TANDEM_ASSIGN(out.consents, store::PrivacyOf(tx).ListConsents(*id));
    TANDEM_ASSIGN(out.records, store::PrivacyOf(tx).Export(*id));
    TANDEM_TRY(tx.audit().Append(
        Entry(out.exported_at, actor, "privacy_export", *id, AuditAction::kCreate, {})));
    return {};
  }));
  return out;
}

Result<ErasureResult> PrivacyService::Erase(const Principal& p, std::string_view email,
                                            std::string_view confirm) {
  TANDEM_TRY(RequireAdmin(p, "erase a person's data"));
  return DoErase(p.AsActor(), email, confirm);
}

Result<ErasureResult> PrivacyService::EraseAsOperator(std::string_view email,
                                                      std::string_view confirm) {
  return DoErase(core::Actor::System("cli"), email, confirm);
}

Result<ErasureResult> PrivacyService::DoErase(const core::Actor& actor, std::string_view email,
                                              std::string_view confirm) {
  if (email.empty()) return Fail(Error::Invalid("email", "email is required"));
  TANDEM_ASSIGN(std::string normalized, core::NormalizeEmail(email));
  if (confirm.empty()) {
    return Fail(Error::Invalid("confirm", "confirm is required: repeat the email to erase"));
  }
  auto confirmed = core::NormalizeEmail(confirm);
  if (!confirmed || *confirmed != normalized) {
    return Fail(Error::Invalid("confirm", "confirm must repeat the email to erase exactly"));
  }
  ErasureResult out;
  out.erased_at = clock_.Now();
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto id, FindPerson(tx, normalized));
    if (!id) return Fail(NothingHeld(normalized));
    out.contact_id = *id;
    TANDEM_ASSIGN(out.counts, store::PrivacyOf(tx).Erase(*id, out.erased_at));
    const auto& n = out.counts;
    auto count = [](const char* field, std::int64_t v) {
      return core::FieldChange{field, "", std::to_string(v)};
    };
    // Only what was done, by number: never the erased data.
    TANDEM_TRY(tx.audit().Append(Entry(
        out.erased_at, actor, "privacy_erasure", *id, AuditAction::kDelete,
        {count("events_deleted", n.events_deleted),
         count("events_kept_anonymous", n.events_kept_anonymous), count("identities", n.identities),
         count("consents", n.consents), count("form_posts", n.form_posts),
         count("activities", n.activities), count("deals", n.deals),
         count("outbox_messages", n.outbox_messages), count("deliveries", n.deliveries),
         count("notifications", n.notifications), count("audit_changes", n.audit_changes)})));
    return {};
  }));
  return out;
}

Result<PurgeResult> PrivacyService::PurgeEvents(const Principal& p, int months, bool dry_run) {
  TANDEM_TRY(RequireAdmin(p, "purge events"));
  return DoPurge(p.AsActor(), months, dry_run);
}

Result<PurgeResult> PrivacyService::PurgeEventsAsOperator(int months, bool dry_run,
                                                          std::string_view who) {
  return DoPurge(core::Actor::System(std::string(who)), months, dry_run);
}

Result<PurgeResult> PrivacyService::DoPurge(const core::Actor& actor, int months, bool dry_run) {
  PurgeResult out;
  out.dry_run = dry_run;
  const core::Instant now = clock_.Now();
  TANDEM_ASSIGN(out.cutoff, core::RetentionCutoff(now, months));
  if (dry_run) {
    TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(out.events, store::PrivacyOf(tx).CountEventsBefore(out.cutoff));
      return {};
    }));
    return out;
  }
  // One batch per transaction; the last one (fewer than a batch) also writes the audit entry
  // when anything went.
  while (true) {
    std::int64_t n = 0;
    TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(n, store::PrivacyOf(tx).DeleteEventsBefore(out.cutoff, kPurgeBatch));
      if (n < kPurgeBatch && out.events + n > 0) {
        TANDEM_TRY(tx.audit().Append(Entry(now, actor, "event_retention", 0, AuditAction::kDelete,
                                           {{"months", "", std::to_string(months)},
                                            {"before", "", core::FormatInstant(out.cutoff)},
                                            {"events", "", std::to_string(out.events + n)}})));
      }
      return {};
    }));
    out.events += n;
    if (n < kPurgeBatch) break;
  }
  return out;
}

}  // namespace tandem::app
