// Personas (with versions and sign-offs), scoring rule sets, contact scores and re-score jobs on
// PostgreSQL: the implementation both backends share (store/common/scoring_repos.hpp).
#include "store/postgres/repos.hpp"

namespace tandem::store {

template class scoring_sql::PersonaRepoOn<postgres::Connection>;
template class scoring_sql::ScoringRepoOn<postgres::Connection>;

}  // namespace tandem::store
