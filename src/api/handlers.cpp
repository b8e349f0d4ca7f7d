#include "api/handlers.hpp"

#include <boost/json/array.hpp>

#include "core/audit.hpp"
#include "core/auth.hpp"

namespace tandem::api {
namespace json = boost::json;

Response JsonReply(int status, const json::value& body) {
  return Response::Json(status, WriteJson(body));
}

Response CreatedReply(const std::string& location, const json::value& body) {
  Response r = JsonReply(201, body);
  r.headers.emplace_back("Location", location);
  return r;
}

Response ItemsReply(json::array items) {
  json::object body;
  body["items"] = std::move(items);
  body["next_cursor"] = nullptr;
  return JsonReply(200, body);
}

std::vector<Field> PageParams() {
  return {IntField("limit", 1, core::kMaxPageSize,
                   "Rows per page, default " + std::to_string(core::kDefaultPageSize) + "."),
          TextField("cursor", "The next_cursor of the previous page; opaque.")};
}

core::Result<core::PageRequest> PageFrom(const Query& q, std::string_view list) {
  core::PageRequest page;
  page.limit = static_cast<int>(q.Int("limit").value_or(core::kDefaultPageSize));
  if (auto text = q.OptText("cursor")) {
    TANDEM_ASSIGN(page.after, DecodeCursor(list, *text));
  }
  return page;
}

std::vector<std::string> SortValues(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    out.push_back(n);
    out.push_back("-" + n);
  }
  return out;
}

std::pair<std::string, core::SortDir> SplitSort(std::string_view value) {
  if (!value.empty() && value[0] == '-') {
    return {std::string(value.substr(1)), core::SortDir::kDesc};
  }
  return {std::string(value), core::SortDir::kAsc};
}

namespace {

template <class E, class... Es>
std::vector<std::string> Names(Es... values) {
  std::vector<std::string> out;
  (out.emplace_back(core::ToString(values)), ...);
  return out;
}

}  // namespace

std::vector<std::string> StageNames() {
  std::vector<std::string> out;
  for (auto s : core::kAllStages) out.emplace_back(core::ToString(s));
  return out;
}

std::vector<std::string> RoleNames() {
  using core::Role;
  return Names<Role>(Role::kAdmin, Role::kManager, Role::kMarketing, Role::kSales);
}

std::vector<std::string> TeamFunctionNames() {
  using core::TeamFunction;
  return Names<TeamFunction>(TeamFunction::kMarketing, TeamFunction::kSales,
                             TeamFunction::kRevenue);
}

std::vector<std::string> ActivityTypeNames() {
  using core::ActivityType;
  return Names<ActivityType>(ActivityType::kCall, ActivityType::kEmail, ActivityType::kMeeting,
                             ActivityType::kNote);
}

std::vector<std::string> DealStageNames() {
  using core::DealStage;
  return Names<DealStage>(DealStage::kOpen, DealStage::kWon, DealStage::kLost);
}

std::vector<std::string> ScopeNames() {
  using core::Scope;
  return Names<Scope>(Scope::kRead, Scope::kWrite, Scope::kIngest, Scope::kAdmin);
}

std::vector<std::string> AuditActionNames() {
  using core::AuditAction;
  return Names<AuditAction>(AuditAction::kCreate, AuditAction::kUpdate, AuditAction::kDelete,
                            AuditAction::kTransition, AuditAction::kLogin, AuditAction::kLogout,
                            AuditAction::kKeyCreate, AuditAction::kKeyRevoke);
}

}  // namespace tandem::api
