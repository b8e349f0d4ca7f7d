// The feedback repository on SQLite: store/common/feedback_repo.hpp, compiled here once.
#include "store/common/feedback_repo.hpp"

#include "store/sqlite/repos.hpp"

namespace tandem::store::common {

template class FeedbackRepoOn<sqlite::Db>;

}  // namespace tandem::store::common
