// Personas (with versions and sign-offs), scoring rule sets, contact scores and re-score jobs on
// SQLite: the implementation both backends share (store/common/scoring_repos.hpp).
#include "store/sqlite/repos.hpp"

namespace tandem::store {

template class scoring_sql::PersonaRepoOn<sqlite::Connection>;
template class scoring_sql::ScoringRepoOn<sqlite::Connection>;

}  // namespace tandem::store
