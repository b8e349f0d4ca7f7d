// Who may do what: the role and API-key scope rules, as pure functions.
//
// A Principal is an authenticated caller: a user (by password session or cookie session) or
// an API key acting for the user who created it, narrowed by the key's scopes. The rules:
//  * admin: everything, and only admins manage users and API keys.
//  * manager: reads everything, writes every CRM record (contacts, companies, deals,
//    activities, teams) and moves any lifecycle stage; reads the audit log.
//  * marketing: reads every CRM record; creates and edits contacts and companies; moves
//    contacts only within marketing's part of the lifecycle (visitor, lead, mql, recycled,
//    disqualified) — it cannot accept leads for sales (no move to sal or beyond); logs its
//    own activities; reads deals.
//  * sales: reads every CRM record; creates contacts, companies, deals and activities (owned
//    by themselves); edits, deletes and moves only records they own.
//  * personas and scoring rules: everyone reads; marketing and admins change them (marketing
//    owns the definition of a qualified lead; sales signs personas off, see app/scoring.hpp).
//  * forms and tracker sites (web capture): everyone reads; marketing and admins change them.
// Scopes narrow an API key: `read` (GET), `write` (implies read), `ingest` (event and form
// capture only), `admin` (user and key management, with the admin role).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/lifecycle.hpp"
#include "core/model.hpp"

namespace tandem::core {

enum class Scope : std::uint8_t { kRead, kWrite, kIngest, kAdmin };
std::string_view ToString(Scope s);
std::optional<Scope> ScopeFromString(std::string_view text);

enum class Resource : std::uint8_t {
  kContact,
  kCompany,
  kDeal,
  kActivity,
  kUser,
  kTeam,
  kApiKey,
  kAudit,
  kEvent,
  kPersona,       // personas and their versions
  kScoringRules,  // the scoring rule set and the MQL rule
  kForm,          // web capture: form definitions and tracker site keys
};
std::string_view ToString(Resource r);

enum class Verb : std::uint8_t { kRead, kCreate, kUpdate, kDelete };

struct Principal {
  Id user_id = 0;
  std::string email;
  Role role = Role::kSales;
  // Set for API keys only: what the key may do on top of the role's rules.
  std::optional<std::vector<Scope>> scopes;

  bool HasScope(Scope s) const;
  Actor AsActor() const { return Actor::User(user_id, email); }
};

// What an API key's scopes allow for `verb` on records the service checks by role itself (the
// caller's own notifications, the admins' webhooks): reading needs read, write or admin; a
// change needs write; an ingest key does neither. Sessions and the command line pass.
Result<void> CheckVerbScope(const Principal& p, Verb verb);

// `owner` is the record's owner when the record exists (for updates and deletes), or the
// owner the caller asks for when creating. Errors are kPermissionDenied with a reason.
Result<void> Authorize(const Principal& p, Verb verb, Resource resource,
                       std::optional<Id> owner = std::nullopt);

// Moving a contact from `from` to `to`, the contact being owned by `owner`.
Result<void> AuthorizeTransition(const Principal& p, Stage from, Stage to, std::optional<Id> owner);

// Assigning contacts to an owner in bulk (POST /api/v1/contacts/bulk-assign): admins and
// managers assign any contact; marketing assigns only contacts nobody owns (what routing left
// unassigned); sales reps do not (their manager does). An API key needs the write scope.
// `current_owner` is the contact's owner now.
Result<void> AuthorizeAssign(const Principal& p, std::optional<Id> current_owner);

// The SLA compliance report (docs/handoff.md): admins, managers and marketing (the other party
// of the contract) read every rep's figures: nothing is returned. A sales rep reads only their
// own: their user id is returned, and a per-team breakdown (which shows colleagues' figures) is
// kPermissionDenied. An API key needs a read scope. Marketing's side is not personal: everyone
// allowed here reads it.
Result<std::optional<Id>> ComplianceRowsOf(const Principal& p, bool per_team);

// Shared pay statements (docs/analytics.md, "Shared pay"): everybody reads their own; admins
// and the heads of the contract's parties (`is_party_head`) read everyone's. Returns the only
// user whose statement the caller may see (nothing: everyone's). Asking for another user
// (`requested`) without that right is kPermissionDenied. An API key needs a read scope.
Result<std::optional<Id>> PayStatementsOf(const Principal& p, bool is_party_head,
                                          std::optional<Id> requested);

}  // namespace tandem::core
