// Response documents: how each domain value is shown as JSON (internal to src/api).
//
// These are the API's DTOs, kept apart from the domain types: names are snake_case, ids are
// integers and nullable references are null, instants are ISO 8601 UTC strings with
// milliseconds, dates are "YYYY-MM-DD", money is {"amount": 12500.5, "currency": "EUR"}
// (a decimal number of major units, exact to the cent). Each writer sits next to its schema in
// dto.cpp; the tests check real responses against these schemas.
#pragma once

#include <boost/json/object.hpp>

#include "app/contacts.hpp"
#include "core/audit.hpp"
#include "core/auth.hpp"
#include "core/event.hpp"
#include "core/model.hpp"

namespace tandem::api {

boost::json::object ContactJson(const core::Contact& c);
boost::json::object CompanyJson(const core::Company& c);
boost::json::object DealJson(const core::Deal& d);
boost::json::object ActivityJson(const core::Activity& a);
boost::json::object UserJson(const core::User& u);
boost::json::object TeamJson(const core::Team& t);
boost::json::object ApiKeyJson(const core::ApiKey& k);
boost::json::object AuditEntryJson(const core::AuditEntry& e);
boost::json::object StageChangeJson(const core::StageChange& s);
boost::json::object TimelineItemJson(const app::TimelineItem& item);
boost::json::object EventJson(const core::Event& e);

}  // namespace tandem::api
