// The funnel's reach rows (migration 0007 of either backend: when each contact first reached
// each main-path stage, r0 visitor .. r6 customer) computed from stage history rows, as both
// backends' statements write it: the first change into a stage or a later one.
#pragma once

#include <string>
#include <string_view>

namespace tandem::store::rows {

// "SELECT contact_id, r0 .. r6" over stage_history rows; a FROM ... WHERE follows, then
// kReachGroup.
inline constexpr std::string_view kReachSelect =
    "SELECT contact_id, "
    "MIN(CASE WHEN to_stage IN ('visitor', 'lead', 'mql', 'sal', 'sql', 'opportunity', "
    "'customer') THEN at END), "
    "MIN(CASE WHEN to_stage IN ('lead', 'mql', 'sal', 'sql', 'opportunity', 'customer') "
    "THEN at END), "
    "MIN(CASE WHEN to_stage IN ('mql', 'sal', 'sql', 'opportunity', 'customer') THEN at END), "
    "MIN(CASE WHEN to_stage IN ('sal', 'sql', 'opportunity', 'customer') THEN at END), "
    "MIN(CASE WHEN to_stage IN ('sql', 'opportunity', 'customer') THEN at END), "
    "MIN(CASE WHEN to_stage IN ('opportunity', 'customer') THEN at END), "
    "MIN(CASE WHEN to_stage = 'customer' THEN at END) ";
// One row per contact that reached any main-path stage.
inline constexpr std::string_view kReachGroup =
    "GROUP BY contact_id "
    "HAVING MIN(CASE WHEN to_stage NOT IN ('recycled', 'disqualified') THEN at END) IS NOT NULL ";

inline constexpr std::string_view kReachInsert =
    "INSERT INTO contact_reach (contact_id, r0, r1, r2, r3, r4, r5, r6) ";

// Writes the reach row of one contact (`?`: its id) from its whole stage history, once its old
// row is deleted (after a merge moved history between contacts).
inline std::string RebuildReachSql() {
  return std::string(kReachInsert) + std::string(kReachSelect) +
         "FROM stage_history WHERE contact_id = ? " + std::string(kReachGroup);
}

}  // namespace tandem::store::rows
