// The form repository on PostgreSQL: store/common/form_repo.hpp, compiled here once.
#include "store/common/form_repo.hpp"

#include "store/postgres/repos.hpp"

namespace tandem::store::common {

template class FormRepoOn<postgres::Db>;

}  // namespace tandem::store::common
