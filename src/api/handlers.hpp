// What the resource handler files share (internal to src/api): their dependencies, the
// functions that register each resource's routes, and small helpers for replies, lists and
// enumerations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/api.hpp"
#include "api/cursor.hpp"
#include "api/json_io.hpp"
#include "api/rate_limiter.hpp"
#include "api/router.hpp"
#include "api/schema.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "base/metrics.hpp"

namespace tandem::api {

struct Deps {
  app::Services& services;
  base::Metrics& metrics;
  const base::Clock& clock;
  const ApiSettings& settings;
  RateLimiter& login_limiter;
  const RouteTable& table;  // for the OpenAPI document
};

// One per resource file; each adds its routes (and the schemas only it uses).
void AddOutputSchemas(RouteTable& table);  // dto.cpp: the shared response schemas
void AddContactRoutes(RouteTable& table, const Deps& deps);
void AddCompanyRoutes(RouteTable& table, const Deps& deps);
void AddDealRoutes(RouteTable& table, const Deps& deps);
void AddActivityRoutes(RouteTable& table, const Deps& deps);
void AddUserRoutes(RouteTable& table, const Deps& deps);
void AddTeamRoutes(RouteTable& table, const Deps& deps);
void AddAuthRoutes(RouteTable& table, const Deps& deps);
void AddApiKeyRoutes(RouteTable& table, const Deps& deps);
void AddAuditRoutes(RouteTable& table, const Deps& deps);
void AddImportRoutes(RouteTable& table, const Deps& deps);
void AddMetaRoutes(RouteTable& table, const Deps& deps);
void AddEventRoutes(RouteTable& table, const Deps& deps);     // events.cpp: ingest, identify, merge
void AddScoringRoutes(RouteTable& table, const Deps& deps);   // personas, rules, scores, jobs
void AddContractRoutes(RouteTable& table, const Deps& deps);  // contracts.cpp: the SLA contract
void AddAnalyticsRoutes(RouteTable& table, const Deps& deps);  // analytics.cpp: plan, funnel
void AddGoalRoutes(RouteTable& table, const Deps& deps);       // goals.cpp: SMART goals
void AddHandoffRoutes(RouteTable& table, const Deps& deps);    // handoff.cpp: accept, reject, SLA
void AddFormRoutes(RouteTable& table, const Deps& deps);       // forms.cpp: forms, tracker sites
void AddCaptureRoutes(RouteTable& table, const Deps& deps);    // capture.cpp: /f/{id}, /t.js, /t/e
void AddNotificationRoutes(RouteTable& table, const Deps& deps);  // webhooks, notifications
void AddFeedbackRoutes(RouteTable& table, const Deps& deps);      // feedback.cpp: sales feedback
void AddAttributionRoutes(RouteTable& table, const Deps& deps);   // attribution.cpp

// compliance.cpp: GET /api/v1/sla/compliance, both sides' SLA compliance.
void AddComplianceRoutes(RouteTable& table, const Deps& deps);
// pay.cpp: GET /api/v1/pay, shared pay statements.
void AddPayRoutes(RouteTable& table, const Deps& deps);
// weekly.cpp: GET /api/v1/reports/weekly, the weekly smarketing pack.
void AddWeeklyRoutes(RouteTable& table, const Deps& deps);

// contacts.cpp: the contacts list's filters and sort (GET /api/v1/contacts without limit and
// cursor), shared with the CSV export and saved views.
struct ContactListRequest {
  core::ContactQuery query;
  std::string list;  // the cursor's list name
};
std::vector<Field> ContactFilterParams();
// `me` is the caller's user id, for owner=me.
core::Result<ContactListRequest> ContactQueryFrom(const Query& q, core::Id me);
// The same from a query string ("stage=mql&owner=none"); errors name `field`.
core::Result<ContactListRequest> ContactQueryFromText(const std::string& text, core::Id me,
                                                      const std::string& field);
void AddSavedViewRoutes(RouteTable& table, const Deps& deps);  // views.cpp: saved list views

// ----- replies -------------------------------------------------------------------------------

Response JsonReply(int status, const boost::json::value& body);
// 201 with Location: `location`.
Response CreatedReply(const std::string& location, const boost::json::value& body);
// {"items": [...], "next_cursor": null} for lists that are never paged.
Response ItemsReply(boost::json::array items);

// ----- lists ---------------------------------------------------------------------------------

// limit (1..500, default 50) and cursor: appended to every paged list's parameters. A limit
// out of range is refused (400), not clamped, so a client never gets fewer rows than it
// believes it asked for.
std::vector<Field> PageParams();
// `list` names the list and sort order inside the cursor (see cursor.hpp).
core::Result<core::PageRequest> PageFrom(const Query& q, std::string_view list);

template <class T, class ToJson>
Response PageReply(const core::Page<T>& page, std::string_view list, ToJson&& to_json) {
  // Written item by item: a page never exists twice in memory as a JSON tree.
  std::string body = "{\"items\":[";
  body.reserve(page.items.size() * 512 + 128);
  bool first = true;
  for (const auto& item : page.items) {
    if (!first) body.push_back(',');
    first = false;
    AppendJson(body, to_json(item));
  }
  body += "],\"next_cursor\":";
  if (page.next) {
    AppendJsonString(body, EncodeCursor(list, *page.next));
  } else {
    body += "null";
  }
  body.push_back('}');
  return Response::Json(200, std::move(body));
}

// "sort" parameter values: each name ascending and "-name" descending.
std::vector<std::string> SortValues(const std::vector<std::string>& names);
// Splits "-created_at" into ("created_at", descending).
std::pair<std::string, core::SortDir> SplitSort(std::string_view value);

// ----- enumerations, from the core's codecs ---------------------------------------------------

std::vector<std::string> StageNames();
std::vector<std::string> RoleNames();
std::vector<std::string> TeamFunctionNames();
std::vector<std::string> ActivityTypeNames();
std::vector<std::string> DealStageNames();
std::vector<std::string> ScopeNames();
std::vector<std::string> AuditActionNames();

}  // namespace tandem::api
