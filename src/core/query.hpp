// List queries: filters, sort orders and keyset (cursor) pagination for every list endpoint.
//
// Pagination is by keyset, never by offset, so page 1,000 costs what page 1 costs: a page ends
// with a Cursor (the last row's sort key and id) and the next page starts strictly after it.
// The API encodes cursors as opaque text; the store interprets `key` according to the sort.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/lifecycle.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class SortDir : std::uint8_t { kAsc, kDesc };

struct Cursor {
  std::string key;  // the sort column's value of the last row, as text
  Id id = 0;        // tie-breaker
  bool operator==(const Cursor&) const = default;
};

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

struct PageRequest {
  int limit = kDefaultPageSize;
  std::optional<Cursor> after;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<Cursor> next;  // empty on the last page
};

enum class ContactSort : std::uint8_t { kCreatedAt, kUpdatedAt, kEmail, kLastName };
std::string_view ToString(ContactSort s);
std::optional<ContactSort> ContactSortFromString(std::string_view text);

// Contacts that first reached `stage` (a main-path stage, or a later one) in [from, to): the
// contacts behind a funnel's "reached" count (docs/analytics.md, by the contact_reach rule).
// With `converted`, only those that also reached the next main-path stage within `window`
// after reaching `stage` (true: the cohort step's "passed") or did not (false: its drop-off).
struct ReachFilter {
  Stage stage = Stage::kLead;
  Instant from{};
  Instant to{};
  std::optional<bool> converted;
  std::chrono::milliseconds window{0};
  bool operator==(const ReachFilter&) const = default;
};

// Contacts that moved out of main-path stage `stage` in [from, to), as the funnel's period view
// counts the step out of it (docs/analytics.md): `kForward` a stage change passing the step (to
// a later main-path stage, from `stage` or an earlier one, or from recycled, which re-enters at
// mql); `kDropped` a change from `stage` to recycled or disqualified; `kAny` either. The period
// view counts moves; a contact moving out of the stage more than once in the period is listed
// once.
enum class MoveWay : std::uint8_t { kForward, kDropped, kAny };
std::string_view ToString(MoveWay w);
std::optional<MoveWay> MoveWayFromString(std::string_view text);

struct MoveFilter {
  Stage stage = Stage::kLead;
  MoveWay way = MoveWay::kAny;
  Instant from{};
  Instant to{};
  bool operator==(const MoveFilter&) const = default;
};

struct ContactQuery {
  std::optional<Stage> stage;
  std::optional<Id> owner_id;
  bool unowned = false;  // only contacts without an owner (owner_id must then be empty)
  std::optional<std::string> source;
  std::optional<std::string> campaign;
  std::optional<Id> company_id;
  std::optional<Instant> created_from;  // inclusive
  std::optional<Instant> created_to;    // exclusive
  std::string text;  // words matched as prefixes against name, email and company name
  std::optional<ReachFilter> reached;
  std::optional<MoveFilter> moved_out;
  // Only contacts whose score matches this persona key now; "" for those matching none.
  std::optional<std::string> persona;
  ContactSort sort = ContactSort::kCreatedAt;
  SortDir dir = SortDir::kDesc;
  PageRequest page;
};

enum class CompanySort : std::uint8_t { kName, kCreatedAt };
std::string_view ToString(CompanySort s);
std::optional<CompanySort> CompanySortFromString(std::string_view text);

struct CompanyQuery {
  std::string text;  // prefix of the name or the domain
  std::optional<std::string> industry;
  std::optional<std::string> country;
  std::optional<Id> owner_id;
  CompanySort sort = CompanySort::kName;
  SortDir dir = SortDir::kAsc;
  PageRequest page;
};

enum class DealSort : std::uint8_t { kCreatedAt, kAmount, kExpectedClose };
std::string_view ToString(DealSort s);
std::optional<DealSort> DealSortFromString(std::string_view text);

struct DealQuery {
  std::optional<DealStage> stage;
  std::optional<Id> owner_id;
  std::optional<Id> contact_id;
  std::optional<Id> company_id;
  std::optional<Date> close_from;  // expected close, inclusive
  std::optional<Date> close_to;    // inclusive
  DealSort sort = DealSort::kCreatedAt;
  SortDir dir = SortDir::kDesc;
  PageRequest page;
};

struct ActivityQuery {
  std::optional<Id> contact_id;
  std::optional<Id> deal_id;
  std::optional<Id> owner_id;
  std::optional<ActivityType> type;
  std::optional<Instant> from;   // occurred_at, inclusive
  std::optional<Instant> to;     // exclusive
  SortDir dir = SortDir::kDesc;  // always by occurred_at, then id
  PageRequest page;
};

struct UserQuery {
  std::optional<Role> role;
  std::optional<Id> team_id;
  std::optional<bool> active;
  PageRequest page;  // by id ascending
};

struct AuditQuery {
  std::optional<std::string> entity;
  std::optional<Id> entity_id;
  std::optional<Id> actor_user_id;
  PageRequest page;  // newest first
};

}  // namespace tandem::core
