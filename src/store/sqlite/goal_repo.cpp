// The goal repository on SQLite: store/common/goal_repo.hpp, compiled here once.
#include "store/common/goal_repo.hpp"

#include "store/sqlite/repos.hpp"

namespace tandem::store::common {

template class GoalRepoOn<sqlite::Db>;

}  // namespace tandem::store::common
