#include "app/forms.hpp"

#include "app/passwords.hpp"
#include "app/privacy.hpp"
#include "core/audit.hpp"
#include "core/event.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Form;
using core::Resource;
using core::TrackerSite;
using core::Verb;

namespace {

const core::Actor& FormsActor() {
  static const core::Actor actor = core::Actor::System("forms");
  return actor;
}

// Public posts ingest as a caller that may only send events.
const Principal& CapturePrincipal() {
  static const Principal p{0, "system:capture", core::Role::kMarketing,
                           std::vector<core::Scope>{core::Scope::kIngest}};
  return p;
}

// Operators (the command line) act as a principal without a user: recorded as the system.
core::Actor ActorOf(const Principal& p) {
  return p.user_id > 0 ? p.AsActor() : core::Actor::System(p.email);
}

Error FormNotFound(Id id) {
  return Error::NotFound("form " + std::to_string(id) + " does not exist");
}

}  // namespace

Result<Form> FormService::Create(const Principal& p, Form draft) {
  TANDEM_TRY(core::Authorize(p, Verb::kCreate, Resource::kForm));
  draft.public_id = "f_" + RandomToken(18);
  draft.archived = false;
  TANDEM_TRY(core::NormalizeForm(draft));
  const core::Instant now = clock_.Now();
  draft.created_at = draft.updated_at = now;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(draft.id, tx.forms().Insert(draft));
    TANDEM_TRY(tx.audit().Append(core::MakeAudit<Form>(
        now, ActorOf(p), "form", draft.id, core::AuditAction::kCreate, std::nullopt, draft)));
    return {};
  }));
  return draft;
}

Result<Form> FormService::Update(const Principal& p, Id id, const FormPatch& patch) {
  TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kForm));
  Form after;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto before, tx.forms().Get(id));
    if (!before) return Fail(FormNotFound(id));
    after = *before;
    if (patch.name) after.name = *patch.name;
    if (patch.fields) after.fields = *patch.fields;
    if (patch.consent_text) after.consent_text = *patch.consent_text;
    if (patch.consent_required) after.consent_required = *patch.consent_required;
    if (patch.utm_source) after.utm_source = *patch.utm_source;
    if (patch.utm_medium) after.utm_medium = *patch.utm_medium;
    if (patch.utm_campaign) after.utm_campaign = *patch.utm_campaign;
    if (patch.allowed_origins) after.allowed_origins = *patch.allowed_origins;
    if (patch.redirect_url) after.redirect_url = *patch.redirect_url;
    if (patch.archived) after.archived = *patch.archived;
    TANDEM_TRY(core::NormalizeForm(after));
    after.updated_at = clock_.Now();
    TANDEM_TRY(tx.forms().Update(after));
    TANDEM_TRY(tx.audit().Append(core::MakeAudit<Form>(after.updated_at, ActorOf(p), "form", id,
                                                       core::AuditAction::kUpdate, before, after)));
    return {};
  }));
  return after;
}

Result<Form> FormService::Archive(const Principal& p, Id id) {
  FormPatch patch;
  patch.archived = true;
  return Update(p, id, patch);
}

Result<Form> FormService::Get(const Principal& p, Id id) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kForm));
  std::optional<Form> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.forms().Get(id));
    return {};
  }));
  if (!out) return Fail(FormNotFound(id));
  return std::move(*out);
}

Result<std::vector<Form>> FormService::List(const Principal& p, bool include_archived) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kForm));
  std::vector<Form> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.forms().List(include_archived));
    return {};
  }));
  return out;
}

Result<std::vector<core::FormSubmission>> FormService::Submissions(const Principal& p, Id id,
                                                                   int limit) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kForm));
  // Submissions hold what people typed: readable by whoever may read contacts.
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  if (limit < 1 || limit > 500) return Fail(Error::Invalid("limit", "must be 1..500"));
  std::vector<core::FormSubmission> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto form, tx.forms().Get(id));
    if (!form) return Fail(FormNotFound(id));
    TANDEM_ASSIGN(out, tx.forms().ListSubmissions(id, limit));
    return {};
  }));
  return out;
}

Result<TrackerSite> FormService::CreateSite(const Principal& p, TrackerSite draft) {
  TANDEM_TRY(core::Authorize(p, Verb::kCreate, Resource::kForm));
  draft.public_key = "site_" + RandomToken(18);
  draft.archived = false;
  TANDEM_TRY(core::NormalizeSite(draft));
  const core::Instant now = clock_.Now();
  draft.created_at = draft.updated_at = now;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(draft.id, tx.forms().InsertSite(draft));
    TANDEM_TRY(tx.audit().Append(core::MakeAudit<TrackerSite>(now, ActorOf(p), "tracker_site",
                                                              draft.id, core::AuditAction::kCreate,
                                                              std::nullopt, draft)));
    return {};
  }));
  return draft;
}

Result<TrackerSite> FormService::ArchiveSite(const Principal& p, Id id) {
  TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kForm));
  TrackerSite after;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto before, tx.forms().GetSite(id));
    if (!before) {
      return Fail(Error::NotFound("tracker site " + std::to_string(id) + " does not exist"));
    }
    after = *before;
    after.archived = true;
    after.updated_at = clock_.Now();
    TANDEM_TRY(tx.forms().UpdateSite(after));
    TANDEM_TRY(tx.audit().Append(
        core::MakeAudit<TrackerSite>(after.updated_at, ActorOf(p), "tracker_site", id,
                                     core::AuditAction::kUpdate, before, after)));
    return {};
  }));
  return after;
}

Result<std::vector<TrackerSite>> FormService::ListSites(const Principal& p, bool include_archived) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kForm));
  std::vector<TrackerSite> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.forms().ListSites(include_archived));
    return {};
  }));
  return out;
}

Result<std::optional<Form>> FormService::FindPublic(std::string_view public_id) {
  std::optional<Form> out;
  if (!core::IsValidPublicId(public_id)) return out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.forms().FindByPublicId(public_id));
    return {};
  }));
  return out;
}

Result<std::optional<TrackerSite>> FormService::FindSite(std::string_view public_key) {
  std::optional<TrackerSite> out;
  if (!core::IsValidPublicId(public_key)) return out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.forms().FindSiteByKey(public_key));
    return {};
  }));
  return out;
}

Result<FormPostResult> FormService::Submit(
    const Form& form, const std::vector<std::pair<std::string, std::string>>& inputs,
    std::string properties) {
  if (form.archived) {
    return Fail(Error::Precondition("form " + form.public_id + " is archived"));
  }
  TANDEM_ASSIGN(auto answers, core::MapFormPost(form, inputs));
  FormPostResult out;
  out.redirect = core::RedirectTarget(form, answers.redirect);
  if (answers.honeypot) {
    out.spam = true;
    return out;
  }

  IngestItem item;
  core::Event& e = item.event;
  e.type = "form_submit";
  e.event_id = "form:" + RandomToken(18);
  e.occurred_at = clock_.Now();
  e.email = answers.email;
  e.anonymous_id = answers.anonymous_id;
  e.utm_source = form.utm_source;
  e.utm_medium = form.utm_medium;
  e.utm_campaign = form.utm_campaign;
  e.properties = std::move(properties);

  // Runs in the ingest transaction: the contact's fields, its audit entry, the fit scores
  // (observer) and the submission with its consent commit with the event, or not at all.
  item.on_stored = [this, &form, &answers, &out](store::Tx& tx, const core::Event& ev, bool created,
                                                 core::Instant now) -> Result<void> {
    TANDEM_ASSIGN(auto before, tx.contacts().Get(*ev.contact_id));
    if (!before) return Fail(Error::Internal("the contact of a form post vanished"));
    core::Contact after = *before;
    bool changed = core::ApplyAnswers(answers, after);
    if (created && form.utm_source.empty()) {
      after.source = "form";  // rather than ingest's "event"
      changed = true;
    }
    if (changed) {
      TANDEM_TRY(core::Validate(after));
      after.updated_at = now;
      TANDEM_TRY(tx.contacts().Update(after));
      TANDEM_TRY(tx.audit().Append(core::MakeAudit<core::Contact>(
          now, FormsActor(), "contact", after.id, core::AuditAction::kUpdate, before, after)));
      if (observer_) TANDEM_TRY(observer_->OnContactSaved(tx, after, now));
    }
    core::FormSubmission s;
    s.form_id = form.id;
    s.contact_id = after.id;
    s.event_id = ev.event_id;
    s.submitted_at = now;
    s.consent_given = answers.consent_given;
    if (s.consent_given) s.consent_text = form.consent_text;
    s.values = answers.Values();
    TANDEM_ASSIGN(out.submission_id, tx.forms().InsertSubmission(s));
    if (s.consent_given) {
      // The consent per contact (docs/privacy.md), as shown on this form.
      core::Consent consent;
      consent.contact_id = after.id;
      consent.purpose = "form: " + form.name.substr(0, core::kMaxConsentPurpose - 6);
      consent.text = form.consent_text;
      consent.source = core::ConsentSource::kForm;
      consent.form_id = form.id;
      consent.submission_id = out.submission_id;
      consent.given_at = now;
      TANDEM_TRY(PrivacyService::RecordConsentIn(tx, consent, FormsActor(), now));
    }
    out.contact_id = after.id;
    out.contact_created = created;
    return {};
  };

  std::vector<IngestItem> items;
  items.push_back(std::move(item));
  TANDEM_ASSIGN(auto report, ingest_.Ingest(CapturePrincipal(), std::move(items)));
  if (!report.rejected.empty()) {
    return Fail(Error::Invalid(report.rejected[0].field, report.rejected[0].message));
  }
  if (out.submission_id == 0) return Fail(Error::Internal("the form post was not stored"));
  return out;
}

Result<IngestReport> FormService::Track(const TrackerSite& site, core::Event e) {
  if (site.archived) return Fail(Error::Precondition("this tracker site key is archived"));
  if (e.type != "page_view" && e.type != "identify") {
    return Fail(Error::Invalid("type", "the tracker sends page_view and identify only"));
  }
  if (e.anonymous_id.empty()) return Fail(Error::Invalid("anonymous_id", "is required"));
  if (e.type == "page_view") e.email.clear();
  if (e.type == "identify" && e.email.empty()) return Fail(Error::Invalid("email", "is required"));
  e.occurred_at = clock_.Now();
  std::vector<IngestItem> items(1);
  items[0].event = std::move(e);
  TANDEM_ASSIGN(auto report, ingest_.Ingest(CapturePrincipal(), std::move(items)));
  if (!report.rejected.empty()) {
    return Fail(Error::Invalid(report.rejected[0].field, report.rejected[0].message));
  }
  return report;
}

}  // namespace tandem::app
