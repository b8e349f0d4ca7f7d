#include "app/contract_compare.hpp"

namespace tandem::app {

core::Result<ContractComparison> CompareContractVersions(ContractService& contracts,
                                                         const core::Principal& p, core::Id from,
                                                         core::Id to) {
  TANDEM_ASSIGN(auto a, contracts.Version(p, from));
  TANDEM_ASSIGN(auto b, contracts.Version(p, to));
  ContractComparison out;
  out.changes = core::CompareContracts(a.contract, b.contract);
  out.from = std::move(a.version);
  out.to = std::move(b.version);
  return out;
}

}  // namespace tandem::app
