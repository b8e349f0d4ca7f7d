// The handoff repository on SQLite: store/common/handoff_repo.hpp, compiled here once.
#include "store/common/handoff_repo.hpp"

#include "store/sqlite/repos.hpp"

namespace tandem::store::common {

template class HandoffRepoOn<sqlite::Db>;

}  // namespace tandem::store::common
