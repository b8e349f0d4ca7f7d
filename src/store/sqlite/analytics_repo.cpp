// The analytics repository on SQLite: store/common/analytics_repo.hpp, compiled here once.
#include "store/common/analytics_repo.hpp"

#include "store/sqlite/repos.hpp"

namespace tandem::store::common {

template class AnalyticsRepoOn<sqlite::Db>;

}  // namespace tandem::store::common
