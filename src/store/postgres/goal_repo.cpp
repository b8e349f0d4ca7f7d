// The goal repository on PostgreSQL: store/common/goal_repo.hpp, compiled here once.
#include "store/common/goal_repo.hpp"

#include "store/postgres/repos.hpp"

namespace tandem::store::common {

template class GoalRepoOn<postgres::Db>;

}  // namespace tandem::store::common
