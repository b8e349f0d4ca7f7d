// What changes in meaning from one stored version of the contract to another
// (core::CompareContracts over both versions' terms), for GET /api/v1/contract/diff.
#pragma once

#include <vector>

#include "app/contracts.hpp"
#include "core/contract_diff.hpp"

namespace tandem::app {

struct ContractComparison {
  core::ContractVersion from;
  core::ContractVersion to;
  std::vector<core::ContractChange> changes;
};

// The differences from version `from` to version `to` (any two, in either order; the same
// version twice has none), read with ContractService::Version, so the same permission applies.
// kNotFound names a version that does not exist.
core::Result<ContractComparison> CompareContractVersions(ContractService& contracts,
                                                         const core::Principal& p, core::Id from,
                                                         core::Id to);

}  // namespace tandem::app
