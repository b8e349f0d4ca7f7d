#include "core/query.hpp"

namespace tandem::core {
namespace {

template <class E, std::size_t N>
std::optional<E> Find(std::string_view text, const std::pair<E, std::string_view> (&t)[N]) {
  for (const auto& [e, n] : t) {
    if (n == text) return e;
  }
  return std::nullopt;
}
template <class E, std::size_t N>
std::string_view Name(E e, const std::pair<E, std::string_view> (&t)[N]) {
  for (const auto& [v, n] : t) {
    if (v == e) return n;
  }
  return t[0].second;
}

constexpr std::pair<ContactSort, std::string_view> kContactSorts[] = {
    {ContactSort::kCreatedAt, "created_at"},
    {ContactSort::kUpdatedAt, "updated_at"},
    {ContactSort::kEmail, "email"},
    {ContactSort::kLastName, "last_name"}};
constexpr std::pair<CompanySort, std::string_view> kCompanySorts[] = {
    {CompanySort::kName, "name"}, {CompanySort::kCreatedAt, "created_at"}};
constexpr std::pair<DealSort, std::string_view> kDealSorts[] = {
    {DealSort::kCreatedAt, "created_at"},
    {DealSort::kAmount, "amount"},
    {DealSort::kExpectedClose, "expected_close"}};
constexpr std::pair<MoveWay, std::string_view> kMoveWays[] = {
    {MoveWay::kForward, "forward"}, {MoveWay::kDropped, "dropped"}, {MoveWay::kAny, "any"}};

}  // namespace

std::string_view ToString(MoveWay w) {
  return Name(w, kMoveWays);
}
std::optional<MoveWay> MoveWayFromString(std::string_view t) {
  return Find(t, kMoveWays);
}

std::string_view ToString(ContactSort s) {
  return Name(s, kContactSorts);
}
std::optional<ContactSort> ContactSortFromString(std::string_view t) {
  return Find(t, kContactSorts);
}
std::string_view ToString(CompanySort s) {
  return Name(s, kCompanySorts);
}
std::optional<CompanySort> CompanySortFromString(std::string_view t) {
  return Find(t, kCompanySorts);
}
std::string_view ToString(DealSort s) {
  return Name(s, kDealSorts);
}
std::optional<DealSort> DealSortFromString(std::string_view t) {
  return Find(t, kDealSorts);
}

}  // namespace tandem::core
