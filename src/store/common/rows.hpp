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
    "id, contact_id, from_stage, to_stage, at, actor_user_id, actor_name, cause, reason";

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
  return c;
}

// Binds every column but id, in kStageChangeColumns order (8 parameters).
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
}

}  // namespace tandem::store::rows
