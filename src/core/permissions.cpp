#include "core/permissions.hpp"

#include <algorithm>

namespace tandem::core {
namespace {

constexpr std::pair<Scope, std::string_view> kScopes[] = {{Scope::kRead, "read"},
                                                          {Scope::kWrite, "write"},
                                                          {Scope::kIngest, "ingest"},
                                                          {Scope::kAdmin, "admin"}};

bool MarketingStage(Stage s) {
  return s == Stage::kVisitor || s == Stage::kLead || s == Stage::kMql || s == Stage::kRecycled ||
         s == Stage::kDisqualified;
}

Result<void> Deny(std::string why) {
  return Fail(Error::Forbidden(std::move(why)));
}

Result<void> CheckScopes(const Principal& p, Verb verb, Resource resource) {
  if (!p.scopes) return {};
  bool admin_resource = resource == Resource::kUser || resource == Resource::kApiKey;
  if (resource == Resource::kEvent) {
    if (p.HasScope(Scope::kIngest) || p.HasScope(Scope::kWrite)) return {};
    return Deny("this API key has no ingest scope");
  }
  if (admin_resource && verb != Verb::kRead) {
    if (p.HasScope(Scope::kAdmin)) return {};
    return Deny("this API key has no admin scope");
  }
  return CheckVerbScope(p, verb);
}

}  // namespace

Result<void> CheckVerbScope(const Principal& p, Verb verb) {
  if (!p.scopes) return {};
  if (verb == Verb::kRead) {
    if (p.HasScope(Scope::kRead) || p.HasScope(Scope::kWrite) || p.HasScope(Scope::kAdmin)) {
      return {};
    }
    return Deny("this API key has no read scope");
  }
  if (p.HasScope(Scope::kWrite)) return {};
  return Deny("this API key has no write scope");
}

std::string_view ToString(Scope s) {
  for (const auto& [v, n] : kScopes) {
    if (v == s) return n;
  }
  return "read";
}

std::optional<Scope> ScopeFromString(std::string_view text) {
  for (const auto& [v, n] : kScopes) {
    if (n == text) return v;
  }
  return std::nullopt;
}

std::string_view ToString(Resource r) {
  switch (r) {
    case Resource::kContact: return "contact";
    case Resource::kCompany: return "company";
    case Resource::kDeal: return "deal";
    case Resource::kActivity: return "activity";
    case Resource::kUser: return "user";
    case Resource::kTeam: return "team";
    case Resource::kApiKey: return "api_key";
    case Resource::kAudit: return "audit";
    case Resource::kEvent: return "event";
    case Resource::kPersona: return "persona";
    case Resource::kScoringRules: return "scoring rules";
    case Resource::kForm: return "form";
  }
  return "record";
}

bool Principal::HasScope(Scope s) const {
  return !scopes || std::find(scopes->begin(), scopes->end(), s) != scopes->end();
}

Result<void> Authorize(const Principal& p, Verb verb, Resource resource, std::optional<Id> owner) {
  if (auto r = CheckScopes(p, verb, resource); !r) return r;
  const std::string what(ToString(resource));
  if (p.role == Role::kAdmin) return {};

  switch (resource) {
    case Resource::kUser:
    case Resource::kApiKey:
      if (verb == Verb::kRead && resource == Resource::kUser) return {};
      return Deny("only admins manage users and API keys");
    case Resource::kAudit:
      if (verb == Verb::kRead && p.role == Role::kManager) return {};
      return Deny("only admins and managers read the audit log");
    case Resource::kEvent: return {};
    case Resource::kPersona:
    case Resource::kScoringRules:
      if (verb == Verb::kRead || p.role == Role::kMarketing) return {};
      return Deny("only marketing and admins change personas and scoring rules");
    case Resource::kForm:
      if (verb == Verb::kRead || p.role == Role::kMarketing) return {};
      return Deny("only marketing and admins change forms and tracker sites");
    default: break;
  }
  if (verb == Verb::kRead) return {};
  if (p.role == Role::kManager) return {};

  if (resource == Resource::kTeam) return Deny("only admins and managers change teams");

  const bool own = owner && *owner == p.user_id;
  if (p.role == Role::kMarketing) {
    if (resource == Resource::kContact || resource == Resource::kCompany) return {};
    if (resource == Resource::kActivity) {
      if (own) return {};
      return Deny("marketing users log and edit their own activities only");
    }
    return Deny("marketing users cannot change deals");
  }
  // Sales.
  if (verb == Verb::kCreate) {
    if (!owner || own) return {};
    return Deny("sales reps create " + what + "s for themselves only");
  }
  if (own) return {};
  return Deny("sales reps change only the " + what + "s they own");
}

Result<void> AuthorizeTransition(const Principal& p, Stage from, Stage to,
                                 std::optional<Id> owner) {
  if (auto r = CheckScopes(p, Verb::kUpdate, Resource::kContact); !r) return r;
  if (p.role == Role::kAdmin || p.role == Role::kManager) return {};
  if (p.role == Role::kMarketing) {
    if (MarketingStage(from) && MarketingStage(to)) return {};
    return Deny("marketing cannot move a contact to " + std::string(ToString(to)) +
                ": accepting and working leads is sales' part of the contract");
  }
  if (owner && *owner == p.user_id) return {};
  return Deny("sales reps move only the contacts they own");
}

Result<std::optional<Id>> ComplianceRowsOf(const Principal& p, bool per_team) {
  TANDEM_TRY(CheckScopes(p, Verb::kRead, Resource::kContact));
  if (p.role != Role::kSales) return std::optional<Id>{};
  if (per_team) {
    return Fail(Error::Forbidden(
        "a sales rep sees only their own compliance; by=team needs a manager or an admin"));
  }
  return std::optional<Id>{p.user_id};
}

Result<std::optional<Id>> PayStatementsOf(const Principal& p, bool is_party_head,
                                          std::optional<Id> requested) {
  TANDEM_TRY(CheckScopes(p, Verb::kRead, Resource::kContact));
  if (p.role == Role::kAdmin || is_party_head) return requested;
  if (requested && *requested != p.user_id) {
    return Fail(Error::Forbidden(
        "everybody sees their own pay statement; everyone's needs an admin or a party head"));
  }
  return std::optional<Id>{p.user_id};
}

Result<void> AuthorizeAssign(const Principal& p, std::optional<Id> current_owner) {
  if (p.scopes && !p.HasScope(Scope::kWrite)) {
    return Fail(Error::Forbidden("this API key has no write scope"));
  }
  switch (p.role) {
    case Role::kAdmin:
    case Role::kManager: return {};
    case Role::kMarketing:
      if (!current_owner) return {};
      return Fail(Error::Forbidden(
          "marketing assigns only contacts nobody owns; ask a manager to reassign the others"));
    case Role::kSales: break;
  }
  return Fail(Error::Forbidden("sales reps do not assign leads; a manager or an admin does"));
}

}  // namespace tandem::core
