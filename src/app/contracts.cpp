#include "app/contracts.hpp"

#include <algorithm>

#include "app/contract_file.hpp"

namespace tandem::app {
namespace {

using core::Error;
using core::Fail;

Result<void> CanRead(const Principal& p) {
  if (p.scopes && !p.HasScope(core::Scope::kRead) && !p.HasScope(core::Scope::kWrite) &&
      !p.HasScope(core::Scope::kAdmin)) {
    return Fail(Error::Forbidden("this API key has no read scope"));
  }
  return {};
}

Result<core::Contract> Parse(std::string_view text) {
  auto parsed = ParseContract(text);
  if (parsed) return std::move(*parsed);
  std::string message = "the contract has " + std::to_string(parsed.error().size()) +
                        (parsed.error().size() == 1 ? " problem: " : " problems: ");
  for (std::size_t i = 0; i < parsed.error().size(); ++i) {
    const auto& issue = parsed.error()[i];
    if (i > 0) message += "; ";
    message += "line " + std::to_string(issue.line) + ", column " + std::to_string(issue.column) +
               ": " + issue.message;
  }
  return Fail(Error::Precondition(std::move(message), "contract"));
}

Result<ContractInForce> Complete(store::Tx& tx, core::ContractVersion v) {
  TANDEM_ASSIGN(auto contract, Parse(v.text));
  TANDEM_ASSIGN(auto acks, tx.contracts().ListAcknowledgements(v.id));
  ContractInForce out{std::move(v), std::move(contract), std::move(acks), {}};
  for (const auto& party : out.contract.parties) {
    const bool done = std::any_of(out.acknowledgements.begin(), out.acknowledgements.end(),
                                  [&](const auto& a) { return a.email == party.head_email; });
    if (!done &&
        std::find(out.pending.begin(), out.pending.end(), party.head_email) == out.pending.end()) {
      out.pending.push_back(party.head_email);
    }
  }
  return out;
}

}  // namespace

Result<core::ContractVersion> ContractService::Insert(const core::Actor& actor,
                                                      std::string_view text,
                                                      std::optional<core::Instant> effective_at,
                                                      std::optional<core::Id> by,
                                                      std::string label) {
  TANDEM_ASSIGN(auto contract, Parse(text));
  const core::Instant now = clock_.Now();
  const core::Instant effective = effective_at.value_or(now);
  if (effective < now) {
    return Fail(
        Error::Invalid("effective_at", "a contract version cannot take effect in the past (" +
                                           core::FormatInstant(effective) + " is before now)"));
  }
  core::ContractVersion v;
  v.name = contract.name;
  v.text = std::string(text);
  v.hash = ContractHash(contract);
  v.effective_at = effective;
  v.activated_at = now;
  v.activated_by = by;
  v.activated_by_label = std::move(label);
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(v.id, tx.contracts().InsertVersion(v));
    core::AuditEntry e;
    e.at = now;
    e.actor = actor;
    e.entity = "contract";
    e.entity_id = v.id;
    e.action = core::AuditAction::kCreate;
    e.changes = {{"name", "", v.name},
                 {"hash", "", v.hash},
                 {"effective_at", "", core::FormatInstant(v.effective_at)}};
    return tx.audit().Append(e).map([](core::Id) {});
  }));
  return v;
}

Result<core::ContractVersion> ContractService::Activate(const Principal& p, std::string_view text,
                                                        std::optional<core::Instant> effective_at) {
  if (p.role != core::Role::kAdmin || !p.HasScope(core::Scope::kAdmin)) {
    return Fail(Error::Forbidden("only an admin may activate a contract version"));
  }
  return Insert(p.AsActor(), text, effective_at, p.user_id, p.email);
}

Result<core::ContractVersion> ContractService::ActivateAsOperator(
    std::string_view text, std::optional<core::Instant> effective_at,
    std::optional<std::string> by_email) {
  if (!by_email) return Insert(core::Actor::System("cli"), text, effective_at, std::nullopt, "cli");
  TANDEM_ASSIGN(auto email, core::NormalizeEmail(*by_email));
  std::optional<core::User> user;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(user, tx.users().FindByEmail(email));
    return {};
  }));
  if (!user) return Fail(Error::Invalid("by", "no user has the email " + email));
  return Insert(core::Actor::User(user->id, user->email), text, effective_at, user->id,
                user->email);
}

Result<ContractInForce> ContractService::Current(const Principal& p) {
  TANDEM_TRY(CanRead(p));
  TANDEM_ASSIGN(auto in_force, InForceAt(clock_.Now()));
  if (!in_force) return Fail(Error::NotFound("no contract version is in force yet"));
  return std::move(*in_force);
}

Result<ContractInForce> ContractService::Version(const Principal& p, core::Id id) {
  TANDEM_TRY(CanRead(p));
  std::optional<ContractInForce> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto v, tx.contracts().GetVersion(id));
    if (!v)
      return Fail(Error::NotFound("contract version " + std::to_string(id) + " does not exist"));
    TANDEM_ASSIGN(out, Complete(tx, std::move(*v)));
    return {};
  }));
  return std::move(*out);
}

Result<std::vector<core::ContractVersion>> ContractService::History(const Principal& p) {
  TANDEM_TRY(CanRead(p));
  std::vector<core::ContractVersion> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.contracts().ListVersions());
    return {};
  }));
  return out;
}

Result<std::optional<ContractInForce>> ContractService::InForceAt(core::Instant at) {
  std::optional<ContractInForce> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto v, tx.contracts().ActiveAt(at));
    if (!v) return {};
    TANDEM_ASSIGN(out, Complete(tx, std::move(*v)));
    return {};
  }));
  return out;
}

Result<core::ContractAcknowledgement> ContractService::Acknowledge(const Principal& p,
                                                                   std::optional<core::Id> id) {
  if (p.scopes && !p.HasScope(core::Scope::kWrite)) {
    return Fail(Error::Forbidden("this API key has no write scope"));
  }
  const core::Instant now = clock_.Now();
  core::ContractAcknowledgement ack;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    std::optional<core::ContractVersion> v;
    if (id) {
      TANDEM_ASSIGN(v, tx.contracts().GetVersion(*id));
      if (!v) {
        return Fail(Error::NotFound("contract version " + std::to_string(*id) + " does not exist"));
      }
    } else {
      TANDEM_ASSIGN(v, tx.contracts().ActiveAt(now));
      if (!v) return Fail(Error::NotFound("no contract version is in force yet"));
    }
    TANDEM_ASSIGN(auto contract, Parse(v->text));
    std::string teams;
    for (const auto& party : contract.parties) {
      if (party.head_email != p.email) continue;
      teams += (teams.empty() ? "" : ", ") + party.team;
    }
    if (teams.empty()) {
      return Fail(
          Error::Forbidden("only the heads named in the contract's parties may acknowledge it"));
    }
    ack = {v->id, p.user_id, p.email, teams, now};
    TANDEM_TRY(tx.contracts().InsertAcknowledgement(ack));
    core::AuditEntry e;
    e.at = now;
    e.actor = p.AsActor();
    e.entity = "contract";
    e.entity_id = v->id;
    e.action = core::AuditAction::kUpdate;
    e.changes = {{"acknowledged_by", "", p.email + " (" + teams + ")"}};
    return tx.audit().Append(e).map([](core::Id) {});
  }));
  return ack;
}

}  // namespace tandem::app
