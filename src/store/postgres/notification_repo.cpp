// The notification repository on PostgreSQL: store/common/notification_repo.hpp, compiled here
// once.
#include "store/common/notification_repo.hpp"

#include "store/postgres/repos.hpp"

namespace tandem::store::common {

template class NotificationRepoOn<postgres::Db>;

}  // namespace tandem::store::common
