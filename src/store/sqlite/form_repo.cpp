// The form repository on SQLite: store/common/form_repo.hpp, compiled here once.
#include "store/common/form_repo.hpp"

#include "store/sqlite/repos.hpp"

namespace tandem::store::common {

template class FormRepoOn<sqlite::Db>;

}  // namespace tandem::store::common
