// Partial updates as the application receives them: every field is optional; a present field
// replaces the stored value. Nullable references use optional<optional<Id>>: absent = keep,
// present-and-empty = clear. Custom fields merge key by key; an empty value removes the key.
#pragma once

#include <optional>
#include <string>

#include "core/model.hpp"

namespace tandem::app {

using core::Id;

struct ContactPatch {
  std::optional<std::string> email, first_name, last_name, phone, title, source, campaign,
      country;
  std::optional<std::optional<Id>> company_id, owner_id;
  std::optional<core::CustomFields> custom;
};

struct CompanyPatch {
  std::optional<std::string> name, domain, industry, country;
  std::optional<std::optional<std::int64_t>> employees;
  std::optional<std::optional<Id>> owner_id;
  std::optional<core::CustomFields> custom;
};

struct DealPatch {
  std::optional<std::string> title, currency, lost_reason;
  std::optional<std::optional<Id>> contact_id, company_id, owner_id;
  std::optional<std::int64_t> amount_minor;
  std::optional<core::DealStage> stage;
  std::optional<std::optional<core::Date>> expected_close;
};

struct ActivityPatch {
  std::optional<core::ActivityType> type;
  std::optional<core::Instant> occurred_at;
  std::optional<std::string> subject, outcome, body;
  std::optional<std::optional<std::int64_t>> duration_minutes;
};

struct UserPatch {
  std::optional<std::string> email, name;
  std::optional<core::Role> role;
  std::optional<std::optional<Id>> team_id;
  std::optional<bool> active;
};

struct TeamPatch {
  std::optional<std::string> name, region;
  std::optional<core::TeamFunction> function;
  std::optional<std::optional<Id>> manager_id;
};

// Applies `patch` onto `record` (no validation; callers validate the result).
void Apply(core::Contact& record, const ContactPatch& patch);
void Apply(core::Company& record, const CompanyPatch& patch);
void Apply(core::Deal& record, const DealPatch& patch);
void Apply(core::Activity& record, const ActivityPatch& patch);
void Apply(core::User& record, const UserPatch& patch);
void Apply(core::Team& record, const TeamPatch& patch);

}  // namespace tandem::app
