// The mapping between the model structs and table rows, written once for every backend.
//
// A row is read through a column reader and written through a parameter binder, both small
// interfaces that each backend's Stmt has (store/sqlite/connection.hpp,
// store/postgres/connection.hpp):
//   reader: Int(col), OptInt(col), Text(col), TextView(col), IsNull(col)
//   binder: Bind(std::int64_t), Bind(std::string_view), Bind(std::optional<std::int64_t>),
//           BindNull(), each returning the binder.
// The column lists below (kContactColumns ...) give the order both sides use; a repository
// selects exactly those columns, and binds every column but id in that order. Both backends
// store the same values (instants as milliseconds, enumerations as their codes, custom fields
// encoded by core), so one mapping serves both.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/audit.hpp"
#include "core/auth.hpp"
#include "core/contract.hpp"
#include "core/error.hpp"
#include "core/model.hpp"

namespace tandem::store::rows {

template <class R>
concept ColumnReader = requires(const R& r, int col) {
  { r.Int(col) } -> std::convertible_to<std::int64_t>;
  { r.OptInt(col) } -> std::convertible_to<std::optional<std::int64_t>>;
  { r.Text(col) } -> std::convertible_to<std::string>;
  { r.TextView(col) } -> std::convertible_to<std::string_view>;
  { r.IsNull(col) } -> std::convertible_to<bool>;
};

template <class B>
concept ParameterBinder = requires(B& b, std::int64_t i, std::string_view s,
                                   std::optional<std::int64_t> o) {
  b.Bind(i);
  b.Bind(s);
  b.Bind(o);
  b.BindNull();
};

// A stage code read back; a code the CHECK constraints should have kept out is kInternal.
inline core::Result<core::Stage> StageFrom(std::string_view code) {
  auto stage = core::StageFromString(code);
  if (!stage) {
    return core::Fail(core::Error::Internal("unknown stage '" + std::string(code) + "' stored"));
  }
  return *stage;
}

// ----------------------------------------------------------------------------------------------
// Contacts

inline constexpr std::string_view kContactColumns =
    "id, email, first_name, last_name, phone, title, company_id, owner_id, stage, "
    "stage_entered_at, source, campaign, country, custom, created_at, updated_at";

template <ColumnReader R>
core::Result<core::Contact> ReadContact(const R& s) {
  core::Contact c;
  c.id = s.Int(0);
  c.email = s.Text(1);
  c.first_name = s.Text(2);
  c.last_name = s.Text(3);
  c.phone = s.Text(4);
  c.title = s.Text(5);
  c.company_id = s.OptInt(6);
  c.owner_id = s.OptInt(7);
  TANDEM_ASSIGN(c.stage, StageFrom(s.TextView(8)));
  c.stage_entered_at = core::FromMillis(s.Int(9));
  c.source = s.Text(10);
  c.campaign = s.Text(11);
  c.country = s.Text(12);
  c.custom = core::DecodeCustomFields(s.TextView(13));
  c.created_at = core::FromMillis(s.Int(14));
  c.updated_at = core::FromMillis(s.Int(15));
  return c;
}

// Binds every column but id, in kContactColumns order (15 parameters).
template <ParameterBinder B>
void BindContact(B& s, const core::Contact& c) {
  s.Bind(std::string_view(c.email))
      .Bind(std::string_view(c.first_name))
      .Bind(std::string_view(c.last_name))
      .Bind(std::string_view(c.phone))
      .Bind(std::string_view(c.title))
      .Bind(c.company_id)
      .Bind(c.owner_id)
      .Bind(ToString(c.stage))
      .Bind(core::ToMillis(c.stage_entered_at))
      .Bind(std::string_view(c.source))
      .Bind(std::string_view(c.campaign))
      .Bind(std::string_view(c.country))
      .Bind(std::string_view(core::EncodeCustomFields(c.custom)))
      .Bind(core::ToMillis(c.created_at))
      .Bind(core::ToMillis(c.updated_at));
}

// ----------------------------------------------------------------------------------------------
// Companies

inline constexpr std::string_view kCompanyColumns =
    "id, name, domain, industry, employees, country, owner_id, custom, created_at, updated_at";

template <ColumnReader R>
core::Result<core::Company> ReadCompany(const R& s) {
  core::Company c;
  c.id = s.Int(0);
  c.name = s.Text(1);
  c.domain = s.Text(2);
  c.industry = s.Text(3);
  c.employees = s.OptInt(4);
  c.country = s.Text(5);
  c.owner_id = s.OptInt(6);
  c.custom = core::DecodeCustomFields(s.TextView(7));
  c.created_at = core::FromMillis(s.Int(8));
  c.updated_at = core::FromMillis(s.Int(9));
  return c;
}

// Binds every column but id, in kCompanyColumns order (9 parameters).
template <ParameterBinder B>
void BindCompany(B& s, const core::Company& c) {
  s.Bind(std::string_view(c.name))
      .Bind(std::string_view(c.domain))
      .Bind(std::string_view(c.industry))
      .Bind(c.employees)
      .Bind(std::string_view(c.country))
      .Bind(c.owner_id)
      .Bind(std::string_view(core::EncodeCustomFields(c.custom)))
      .Bind(core::ToMillis(c.created_at))
      .Bind(core::ToMillis(c.updated_at));
}

// ----------------------------------------------------------------------------------------------
// Stage history

inline constexpr std::string_view kStageChangeColumns =
    "id, contact_id, from_stage, to_stage, at, actor_user_id, actor_name, cause, reason, "
    "mql_grade, mql_persona_id";

template <ColumnReader R>
core::Result<core::StageChange> ReadStageChange(const R& s) {
  core::StageChange c;
  c.id = s.Int(0);
  c.contact_id = s.Int(1);
  if (!s.IsNull(2)) {
    TANDEM_ASSIGN(c.from, StageFrom(s.TextView(2)));
  }
  TANDEM_ASSIGN(c.to, StageFrom(s.TextView(3)));
  c.at = core::FromMillis(s.Int(4));
  c.actor.user_id = s.OptInt(5);
  c.actor.name = s.Text(6);
  c.cause = s.Text(7);
  c.reason = s.Text(8);
  if (!s.IsNull(9)) {
    core::MqlQuality q;
    auto grade = core::GradeFromString(s.TextView(9));
    if (!grade) {
      return core::Fail(
          core::Error::Internal("unknown grade '" + std::string(s.TextView(9)) + "' stored"));
    }
    q.grade = *grade;
    q.persona_id = s.OptInt(10);
    c.quality = q;
  }
  return c;
}

// Binds every column but id, in kStageChangeColumns order (10 parameters).
template <ParameterBinder B>
void BindStageChange(B& s, const core::StageChange& c) {
  s.Bind(c.contact_id);
  if (c.from) {
    s.Bind(ToString(*c.from));
  } else {
    s.BindNull();
  }
  s.Bind(ToString(c.to))
      .Bind(core::ToMillis(c.at))
      .Bind(c.actor.user_id)
      .Bind(std::string_view(c.actor.name))
      .Bind(std::string_view(c.cause))
      .Bind(std::string_view(c.reason));
  if (c.quality) {
    s.Bind(core::ToString(c.quality->grade)).Bind(c.quality->persona_id);
  } else {
    s.BindNull();
    s.BindNull();
  }
}

// ----------------------------------------------------------------------------------------------
// Reading at most one row

// The row `stmt` steps to, read by `read`, or empty when there is none.
template <class Stmt, class Read>
auto ReadOptional(Stmt& stmt, Read read)
    -> core::Result<std::optional<typename decltype(read(stmt))::value_type>> {
  using T = typename decltype(read(stmt))::value_type;
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<T>();
  TANDEM_ASSIGN(auto value, read(stmt));
  return std::optional<T>(std::move(value));
}

// ----------------------------------------------------------------------------------------------
// Users and teams

inline constexpr std::string_view kUserColumns =
    "id, email, name, role, team_id, active, created_at, updated_at";
inline constexpr std::string_view kTeamColumns =
    "id, name, function, manager_id, region, created_at, updated_at";

template <ColumnReader R>
core::Result<core::User> ReadUser(const R& s) {
  core::User u;
  u.id = s.Int(0);
  u.email = s.Text(1);
  u.name = s.Text(2);
  auto role = core::RoleFromString(s.TextView(3));
  if (!role) {
    return core::Fail(
        core::Error::Internal("unknown role stored for user " + std::to_string(u.id)));
  }
  u.role = *role;
  u.team_id = s.OptInt(4);
  u.active = s.Int(5) != 0;
  u.created_at = core::FromMillis(s.Int(6));
  u.updated_at = core::FromMillis(s.Int(7));
  return u;
}

template <ColumnReader R>
core::Result<core::Team> ReadTeam(const R& s) {
  core::Team t;
  t.id = s.Int(0);
  t.name = s.Text(1);
  auto function = core::TeamFunctionFromString(s.TextView(2));
  if (!function) {
    return core::Fail(
        core::Error::Internal("unknown function stored for team " + std::to_string(t.id)));
  }
  t.function = *function;
  t.manager_id = s.OptInt(3);
  t.region = s.Text(4);
  t.created_at = core::FromMillis(s.Int(5));
  t.updated_at = core::FromMillis(s.Int(6));
  return t;
}

// ----------------------------------------------------------------------------------------------
// Deals and activities

inline constexpr std::string_view kDealColumns =
    "id, title, contact_id, company_id, owner_id, amount_minor, currency, stage, expected_close, "
    "closed_at, lost_reason, created_at, updated_at";

template <ColumnReader R>
core::Result<core::Deal> ReadDeal(const R& s) {
  core::Deal d;
  d.id = s.Int(0);
  d.title = s.Text(1);
  d.contact_id = s.OptInt(2);
  d.company_id = s.OptInt(3);
  d.owner_id = s.OptInt(4);
  d.amount_minor = s.Int(5);
  d.currency = s.Text(6);
  auto stage = core::DealStageFromString(s.TextView(7));
  if (!stage) {
    return core::Fail(
        core::Error::Internal("unknown deal stage stored for deal " + std::to_string(d.id)));
  }
  d.stage = *stage;
  if (!s.IsNull(8)) {
    d.expected_close = core::ParseDate(s.TextView(8));
    if (!d.expected_close) {
      return core::Fail(
          core::Error::Internal("bad expected_close stored for deal " + std::to_string(d.id)));
    }
  }
  if (auto closed = s.OptInt(9)) d.closed_at = core::FromMillis(*closed);
  d.lost_reason = s.Text(10);
  d.created_at = core::FromMillis(s.Int(11));
  d.updated_at = core::FromMillis(s.Int(12));
  return d;
}

// Binds every column but id, in kDealColumns order (12 parameters).
template <ParameterBinder B>
void BindDeal(B& s, const core::Deal& d) {
  s.Bind(std::string_view(d.title))
      .Bind(d.contact_id)
      .Bind(d.company_id)
      .Bind(d.owner_id)
      .Bind(d.amount_minor)
      .Bind(std::string_view(d.currency))
      .Bind(ToString(d.stage));
  if (d.expected_close) {
    s.Bind(std::string_view(core::FormatDate(*d.expected_close)));
  } else {
    s.BindNull();
  }
  if (d.closed_at) {
    s.Bind(core::ToMillis(*d.closed_at));
  } else {
    s.BindNull();
  }
  s.Bind(std::string_view(d.lost_reason))
      .Bind(core::ToMillis(d.created_at))
      .Bind(core::ToMillis(d.updated_at));
}

inline constexpr std::string_view kActivityColumns =
    "id, type, contact_id, deal_id, owner_id, occurred_at, subject, outcome, body, "
    "duration_minutes, created_at, updated_at";

template <ColumnReader R>
core::Result<core::Activity> ReadActivity(const R& s) {
  core::Activity a;
  a.id = s.Int(0);
  auto type = core::ActivityTypeFromString(s.TextView(1));
  if (!type) {
    return core::Fail(
        core::Error::Internal("unknown activity type stored for activity " + std::to_string(a.id)));
  }
  a.type = *type;
  a.contact_id = s.OptInt(2);
  a.deal_id = s.OptInt(3);
  a.owner_id = s.Int(4);
  a.occurred_at = core::FromMillis(s.Int(5));
  a.subject = s.Text(6);
  a.outcome = s.Text(7);
  a.body = s.Text(8);
  a.duration_minutes = s.OptInt(9);
  a.created_at = core::FromMillis(s.Int(10));
  a.updated_at = core::FromMillis(s.Int(11));
  return a;
}

// Binds every column but id, in kActivityColumns order (11 parameters).
template <ParameterBinder B>
void BindActivity(B& s, const core::Activity& a) {
  s.Bind(ToString(a.type))
      .Bind(a.contact_id)
      .Bind(a.deal_id)
      .Bind(a.owner_id)
      .Bind(core::ToMillis(a.occurred_at))
      .Bind(std::string_view(a.subject))
      .Bind(std::string_view(a.outcome))
      .Bind(std::string_view(a.body))
      .Bind(a.duration_minutes)
      .Bind(core::ToMillis(a.created_at))
      .Bind(core::ToMillis(a.updated_at));
}

// ----------------------------------------------------------------------------------------------
// API keys, contract versions, audit entries

inline constexpr std::string_view kApiKeyColumns =
    "id, name, user_id, prefix, scopes, created_at, revoked_at";

template <ColumnReader R>
core::Result<core::ApiKey> ReadApiKey(const R& s) {
  core::ApiKey k;
  k.id = s.Int(0);
  k.name = s.Text(1);
  k.user_id = s.Int(2);
  k.prefix = s.Text(3);
  auto scopes = core::ParseScopes(s.TextView(4));
  if (!scopes) {
    return core::Fail(
        core::Error::Internal("bad scopes stored for API key " + std::to_string(k.id)));
  }
  k.scopes = std::move(*scopes);
  k.created_at = core::FromMillis(s.Int(5));
  if (auto revoked = s.OptInt(6)) k.revoked_at = core::FromMillis(*revoked);
  return k;
}

inline constexpr std::string_view kContractVersionColumns =
    "id, name, text, hash, effective_at, activated_at, activated_by, activated_by_label";

template <ColumnReader R>
core::Result<core::ContractVersion> ReadContractVersion(const R& s) {
  core::ContractVersion v;
  v.id = s.Int(0);
  v.name = s.Text(1);
  v.text = s.Text(2);
  v.hash = s.Text(3);
  v.effective_at = core::FromMillis(s.Int(4));
  v.activated_at = core::FromMillis(s.Int(5));
  v.activated_by = s.OptInt(6);
  v.activated_by_label = s.Text(7);
  return v;
}

inline constexpr std::string_view kAuditEntryColumns =
    "id, at, actor_user_id, actor_name, entity, entity_id, action";

template <ColumnReader R>
core::Result<core::AuditEntry> ReadAuditEntry(const R& s) {
  core::AuditEntry e;
  e.id = s.Int(0);
  e.at = core::FromMillis(s.Int(1));
  e.actor.user_id = s.OptInt(2);
  e.actor.name = s.Text(3);
  e.entity = s.Text(4);
  e.entity_id = s.Int(5);
  auto action = core::AuditActionFromString(s.TextView(6));
  if (!action) {
    return core::Fail(
        core::Error::Internal("unknown action stored for audit entry " + std::to_string(e.id)));
  }
  e.action = *action;
  return e;
}

}  // namespace tandem::store::rows
