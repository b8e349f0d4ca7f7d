// Web capture use cases (docs/capture.md): form definitions and tracker site keys (marketing
// and admins change them, everyone reads), and the public side: a form post becomes a contact
// (upserted by email), a `form_submit` event and a consent record, and a tracker page view or
// identify becomes an event, all through the event ingest path (group commit, identity
// resolution, scoring and automatic MQL).
//
// A form post commits as one: the event, the contact's creation or update with the posted
// fields, its audit entry, the submission with its consent, the visitor's history joining the
// contact, and the scores all go in the ingest transaction (IngestItem::on_stored), or none.
// Thread-safety: stateless apart from its references; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/ingest.hpp"
#include "app/observers.hpp"
#include "base/clock.hpp"
#include "core/form.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

struct FormPatch {
  std::optional<std::string> name;
  std::optional<std::vector<core::FormField>> fields;
  std::optional<std::string> consent_text;
  std::optional<bool> consent_required;
  std::optional<std::string> utm_source;
  std::optional<std::string> utm_medium;
  std::optional<std::string> utm_campaign;
  std::optional<std::vector<std::string>> allowed_origins;
  std::optional<std::string> redirect_url;
  std::optional<bool> archived;
};

// What became of a form post.
struct FormPostResult {
  bool spam = false;  // the honeypot was filled: nothing was stored
  Id contact_id = 0;
  bool contact_created = false;
  Id submission_id = 0;
  std::string redirect;  // where to send a browser (core::RedirectTarget), may be empty
};

class FormService {
 public:
  FormService(store::Store& store, const base::Clock& clock, EventIngest& ingest)
      : store_(store), clock_(clock), ingest_(ingest) {}
  // Told of every contact a post changes, inside its transaction (fit scores). Set once.
  void SetObserver(RecordObserver* observer) { observer_ = observer; }

  // ----- definitions (signed in) -----
  // Tandem generates the public id; the draft's is ignored.
  Result<core::Form> Create(const Principal& p, core::Form draft);
  Result<core::Form> Update(const Principal& p, Id id, const FormPatch& patch);
  Result<core::Form> Archive(const Principal& p, Id id);
  Result<core::Form> Get(const Principal& p, Id id);
  Result<std::vector<core::Form>> List(const Principal& p, bool include_archived);
  // Newest first, 1..500.
  Result<std::vector<core::FormSubmission>> Submissions(const Principal& p, Id id, int limit);

  Result<core::TrackerSite> CreateSite(const Principal& p, core::TrackerSite draft);
  Result<core::TrackerSite> ArchiveSite(const Principal& p, Id id);
  Result<std::vector<core::TrackerSite>> ListSites(const Principal& p, bool include_archived);

  // ----- public (no caller) -----
  // The form or site behind a public id or key, archived ones included (the caller tells
  // "gone" from "unknown"); nothing for an unknown or malformed id.
  Result<std::optional<core::Form>> FindPublic(std::string_view public_id);
  Result<std::optional<core::TrackerSite>> FindSite(std::string_view public_key);

  // Takes a post to an active form: `inputs` are its decoded name/value pairs in order;
  // `properties` the compact JSON object stored on the event (built by the API).
  // kInvalidArgument naming the input for a bad post (nothing stored); kFailedPrecondition for
  // an archived form; kUnavailable/kInternal when it could not be committed (nothing stored).
  Result<FormPostResult> Submit(const core::Form& form,
                                const std::vector<std::pair<std::string, std::string>>& inputs,
                                std::string properties);

  // Takes a tracker event for an active site: only page_view (with an anonymous id) and
  // identify (anonymous id and email); occurred_at is the server's now (visitors' clocks are
  // not trusted). kInvalidArgument for anything else.
  Result<IngestReport> Track(const core::TrackerSite& site, core::Event e);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  EventIngest& ingest_;
  RecordObserver* observer_ = nullptr;
};

}  // namespace tandem::app
