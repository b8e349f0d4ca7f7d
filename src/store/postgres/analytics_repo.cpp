// The analytics repository on PostgreSQL: store/common/analytics_repo.hpp, compiled here once.
#include "store/common/analytics_repo.hpp"

#include "store/postgres/repos.hpp"

namespace tandem::store::common {

template class AnalyticsRepoOn<postgres::Db>;

}  // namespace tandem::store::common
