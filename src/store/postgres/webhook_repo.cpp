// The webhook repository on PostgreSQL: store/common/webhook_repo.hpp, compiled here once.
#include "store/common/webhook_repo.hpp"

#include "store/postgres/repos.hpp"

namespace tandem::store::common {

template class WebhookRepoOn<postgres::Db>;

}  // namespace tandem::store::common
