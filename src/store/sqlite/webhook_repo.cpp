// The webhook repository on SQLite: store/common/webhook_repo.hpp, compiled here once.
#include "store/common/webhook_repo.hpp"

#include "store/sqlite/repos.hpp"

namespace tandem::store::common {

template class WebhookRepoOn<sqlite::Db>;

}  // namespace tandem::store::common
