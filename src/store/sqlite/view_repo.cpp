// The saved views repository on SQLite: store/common/view_repo.hpp, compiled here once.
#include "store/common/view_repo.hpp"

#include "store/sqlite/repos.hpp"

namespace tandem::store::common {

template class SavedViewRepoOn<sqlite::Db>;

}  // namespace tandem::store::common
