// The notification repository on SQLite: store/common/notification_repo.hpp, compiled here once.
#include "store/common/notification_repo.hpp"

#include "store/sqlite/repos.hpp"

namespace tandem::store::common {

template class NotificationRepoOn<sqlite::Db>;

}  // namespace tandem::store::common
