// The feedback repository on PostgreSQL: store/common/feedback_repo.hpp, compiled here once.
#include "store/common/feedback_repo.hpp"

#include "store/postgres/repos.hpp"

namespace tandem::store::common {

template class FeedbackRepoOn<postgres::Db>;

}  // namespace tandem::store::common
