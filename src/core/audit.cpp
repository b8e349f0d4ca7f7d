#include "core/audit.hpp"

#include <map>

namespace tandem::core {
namespace {

constexpr std::pair<AuditAction, std::string_view> kActions[] = {
    {AuditAction::kCreate, "create"},         {AuditAction::kUpdate, "update"},
    {AuditAction::kDelete, "delete"},         {AuditAction::kTransition, "transition"},
    {AuditAction::kLogin, "login"},           {AuditAction::kLogout, "logout"},
    {AuditAction::kKeyCreate, "key_create"},  {AuditAction::kKeyRevoke, "key_revoke"}};

std::string OptId(const std::optional<Id>& id) { return id ? std::to_string(*id) : std::string(); }
std::string OptInt(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string();
}

std::string Amount(std::int64_t minor) {
  std::string sign = minor < 0 ? "-" : "";
  std::int64_t a = minor < 0 ? -minor : minor;
  std::string cents = std::to_string(a % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return sign + std::to_string(a / 100) + "." + cents;
}

void AddCustom(FieldList& out, const CustomFields& custom) {
  for (const auto& [k, v] : custom) out.emplace_back("custom." + k, v);
}

}  // namespace

std::string_view ToString(AuditAction a) {
  for (const auto& [v, name] : kActions) {
    if (v == a) return name;
  }
  return "update";
}

std::optional<AuditAction> AuditActionFromString(std::string_view text) {
  for (const auto& [v, name] : kActions) {
    if (name == text) return v;
  }
  return std::nullopt;
}

FieldList Fields(const Contact& c) {
  FieldList f = {{"email", c.email},
                 {"first_name", c.first_name},
                 {"last_name", c.last_name},
                 {"phone", c.phone},
                 {"title", c.title},
                 {"company_id", OptId(c.company_id)},
                 {"owner_id", OptId(c.owner_id)},
                 {"stage", std::string(ToString(c.stage))},
                 {"source", c.source},
                 {"campaign", c.campaign},
                 {"country", c.country}};
  AddCustom(f, c.custom);
  return f;
}

FieldList Fields(const Company& c) {
  FieldList f = {{"name", c.name},         {"domain", c.domain},
                 {"industry", c.industry}, {"employees", OptInt(c.employees)},
                 {"country", c.country},   {"owner_id", OptId(c.owner_id)}};
  AddCustom(f, c.custom);
  return f;
}

FieldList Fields(const User& u) {
  return {{"email", u.email},
          {"name", u.name},
          {"role", std::string(ToString(u.role))},
          {"team_id", OptId(u.team_id)},
          {"active", u.active ? "true" : "false"}};
}

FieldList Fields(const Team& t) {
  return {{"name", t.name},
          {"function", std::string(ToString(t.function))},
          {"manager_id", OptId(t.manager_id)},
          {"region", t.region}};
}

FieldList Fields(const Activity& a) {
  return {{"type", std::string(ToString(a.type))},
          {"contact_id", OptId(a.contact_id)},
          {"deal_id", OptId(a.deal_id)},
          {"owner_id", std::to_string(a.owner_id)},
          {"occurred_at", FormatInstant(a.occurred_at)},
          {"subject", a.subject},
          {"outcome", a.outcome},
          {"body", a.body},
          {"duration_minutes", OptInt(a.duration_minutes)}};
}

FieldList Fields(const Deal& d) {
  return {{"title", d.title},
          {"contact_id", OptId(d.contact_id)},
          {"company_id", OptId(d.company_id)},
          {"owner_id", OptId(d.owner_id)},
          {"amount", Amount(d.amount_minor)},
          {"currency", d.currency},
          {"stage", std::string(ToString(d.stage))},
          {"expected_close", d.expected_close ? FormatDate(*d.expected_close) : std::string()},
          {"closed_at", d.closed_at ? FormatInstant(*d.closed_at) : std::string()},
          {"lost_reason", d.lost_reason}};
}

std::vector<FieldChange> Diff(const FieldList& before, const FieldList& after) {
  std::map<std::string, std::string> b(before.begin(), before.end());
  std::vector<FieldChange> out;
  for (const auto& [name, value] : after) {
    auto it = b.find(name);
    std::string old = it == b.end() ? std::string() : it->second;
    if (it != b.end()) b.erase(it);
    if (old != value) out.push_back({name, old, value});
  }
  // Fields present only before (a removed custom field, or a deletion), in original order.
  for (const auto& [name, value] : before) {
    if (b.count(name) && !value.empty()) out.push_back({name, value, std::string()});
  }
  return out;
}

}  // namespace tandem::core
