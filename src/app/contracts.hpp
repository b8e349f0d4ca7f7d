// The contract service: activating versions of the smarketing contract, reading the version in
// force, its history, and the acknowledgements of the party heads.
//
// Rules:
//  * Activating needs an admin (or the operator through the CLI, acting as the system). The
//    text must parse (app/contract_file.hpp); the parse problems come back as one
//    kFailedPrecondition error (field "contract") whose message lists "line L, column C: ..."
//    — callers wanting the structured list call ParseContract themselves first.
//  * `effective_at` defaults to now and may not lie in the past: SLA clocks that already ran
//    keep the version they ran under. A future effective time schedules the version.
//  * Versions are never edited or deleted; the version in force at t is the latest effective
//    one not after t (the last activated on a tie).
//  * Only the heads named in the version's parties may acknowledge it, once each; an API key
//    needs the write scope to do it for its user.
//  * Everyone signed in may read the contract (an API key needs a read scope).
// Every activation and acknowledgement is written with its audit entry in one transaction.
// Thread-safety: stateless apart from references; safe to share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "core/contract.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Principal;
using core::Result;

// A stored version with its parsed terms and its acknowledgements.
struct ContractInForce {
  core::ContractVersion version;
  core::Contract contract;
  std::vector<core::ContractAcknowledgement> acknowledgements;
  // Heads (email) named by the parties who have not acknowledged this version yet.
  std::vector<std::string> pending;
};

class ContractService {
 public:
  ContractService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  Result<core::ContractVersion> Activate(const Principal& p, std::string_view text,
                                         std::optional<core::Instant> effective_at);
  // For the operator's CLI: acts as the system; `by_email`, when given, must name a user and is
  // recorded as the one who activated it.
  Result<core::ContractVersion> ActivateAsOperator(std::string_view text,
                                                   std::optional<core::Instant> effective_at,
                                                   std::optional<std::string> by_email);

  // The version in force now; kNotFound when no version is in force yet.
  Result<ContractInForce> Current(const Principal& p);
  Result<ContractInForce> Version(const Principal& p, core::Id id);
  // Every version, newest first (texts included).
  Result<std::vector<core::ContractVersion>> History(const Principal& p);
  // Acknowledges version `id` (the one in force when empty) as the principal.
  Result<core::ContractAcknowledgement> Acknowledge(const Principal& p, std::optional<core::Id> id);

  // For the other capabilities (routing, SLA clocks...): the version in force at `at`, or
  // nothing. No permission check: it is not a user's request.
  Result<std::optional<ContractInForce>> InForceAt(core::Instant at);

 private:
  Result<core::ContractVersion> Insert(const core::Actor& actor, std::string_view text,
                                       std::optional<core::Instant> effective_at,
                                       std::optional<core::Id> by, std::string label);
  store::Store& store_;
  const base::Clock& clock_;
};

}  // namespace tandem::app
