#include "app/patches.hpp"

namespace tandem::app {
namespace {

template <class T>
void Set(T& field, const std::optional<T>& v) {
  if (v) field = *v;
}

void Merge(core::CustomFields& fields, const std::optional<core::CustomFields>& patch) {
  if (!patch) return;
  for (const auto& [k, v] : *patch) {
    if (v.empty()) {
      fields.erase(k);
    } else {
      fields[k] = v;
    }
  }
}

}  // namespace

void Apply(core::Contact& r, const ContactPatch& p) {
  Set(r.email, p.email);
  Set(r.first_name, p.first_name);
  Set(r.last_name, p.last_name);
  Set(r.phone, p.phone);
  Set(r.title, p.title);
  Set(r.source, p.source);
  Set(r.campaign, p.campaign);
  Set(r.country, p.country);
  Set(r.company_id, p.company_id);
  Set(r.owner_id, p.owner_id);
  Merge(r.custom, p.custom);
}

void Apply(core::Company& r, const CompanyPatch& p) {
  Set(r.name, p.name);
  Set(r.domain, p.domain);
  Set(r.industry, p.industry);
  Set(r.country, p.country);
  Set(r.employees, p.employees);
  Set(r.owner_id, p.owner_id);
  Merge(r.custom, p.custom);
}

void Apply(core::Deal& r, const DealPatch& p) {
  Set(r.title, p.title);
  Set(r.currency, p.currency);
  Set(r.lost_reason, p.lost_reason);
  Set(r.contact_id, p.contact_id);
  Set(r.company_id, p.company_id);
  Set(r.owner_id, p.owner_id);
  Set(r.amount_minor, p.amount_minor);
  Set(r.stage, p.stage);
  Set(r.expected_close, p.expected_close);
}

void Apply(core::Activity& r, const ActivityPatch& p) {
  Set(r.type, p.type);
  Set(r.occurred_at, p.occurred_at);
  Set(r.subject, p.subject);
  Set(r.outcome, p.outcome);
  Set(r.body, p.body);
  Set(r.duration_minutes, p.duration_minutes);
}

void Apply(core::User& r, const UserPatch& p) {
  Set(r.email, p.email);
  Set(r.name, p.name);
  Set(r.role, p.role);
  Set(r.team_id, p.team_id);
  Set(r.active, p.active);
}

void Apply(core::Team& r, const TeamPatch& p) {
  Set(r.name, p.name);
  Set(r.region, p.region);
  Set(r.function, p.function);
  Set(r.manager_id, p.manager_id);
}

}  // namespace tandem::app
