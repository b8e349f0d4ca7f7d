// The handoff repository on PostgreSQL: store/common/handoff_repo.hpp, compiled here once.
#include "store/common/handoff_repo.hpp"

#include "store/postgres/repos.hpp"

namespace tandem::store::common {

template class HandoffRepoOn<postgres::Db>;

}  // namespace tandem::store::common
