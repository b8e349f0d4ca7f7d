// The audit log: who changed what, when, with each field's value before and after.
//
// Every create, update, delete and lifecycle transition the application performs is recorded
// as one AuditEntry in the same transaction as the change itself. Values are kept as text (the
// same text the API shows), so the log reads the same whatever the record type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/lifecycle.hpp"
#include "core/model.hpp"

namespace tandem::core {

enum class AuditAction : std::uint8_t {
  kCreate,
  kUpdate,
  kDelete,
  kTransition,
  kLogin,
  kLogout,
  kKeyCreate,
  kKeyRevoke,
};
std::string_view ToString(AuditAction a);
std::optional<AuditAction> AuditActionFromString(std::string_view text);

struct FieldChange {
  std::string field;
  std::string before;  // empty when the field was unset or the record did not exist
  std::string after;   // empty when the field became unset or the record was deleted

  bool operator==(const FieldChange&) const = default;
};

struct AuditEntry {
  Id id = 0;
  Instant at{};
  Actor actor;
  std::string entity;  // "contact", "company", "deal", "activity", "user", "team", "api_key"
  Id entity_id = 0;
  AuditAction action = AuditAction::kUpdate;
  std::vector<FieldChange> changes;
};

// A record's fields as (name, text) pairs, in a fixed order. Secrets are never included.
using FieldList = std::vector<std::pair<std::string, std::string>>;
FieldList Fields(const Contact& c);
FieldList Fields(const Company& c);
FieldList Fields(const User& u);
FieldList Fields(const Team& t);
FieldList Fields(const Activity& a);
FieldList Fields(const Deal& d);

// The fields that differ. Pass an empty list as `before` for a creation and as `after` for a
// deletion. Fields equal on both sides are left out; timestamps of bookkeeping (updated_at)
// are left out too, since every update changes them.
std::vector<FieldChange> Diff(const FieldList& before, const FieldList& after);

// Convenience: builds the entry for a change of `T` (nullopt before = created, nullopt after =
// deleted).
template <class T>
AuditEntry MakeAudit(Instant at, Actor actor, std::string entity, Id entity_id,
                     AuditAction action, const std::optional<T>& before,
                     const std::optional<T>& after) {
  AuditEntry e;
  e.at = at;
  e.actor = std::move(actor);
  e.entity = std::move(entity);
  e.entity_id = entity_id;
  e.action = action;
  e.changes = Diff(before ? Fields(*before) : FieldList{}, after ? Fields(*after) : FieldList{});
  return e;
}

}  // namespace tandem::core
