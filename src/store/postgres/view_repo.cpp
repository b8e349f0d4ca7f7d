// The saved views repository on PostgreSQL: store/common/view_repo.hpp, compiled here once.
#include "store/common/view_repo.hpp"

#include "store/postgres/repos.hpp"

namespace tandem::store::common {

template class SavedViewRepoOn<postgres::Db>;

}  // namespace tandem::store::common
