// A small valid contract for tests: marketing headed by marketer@acme.example, sales by
// manager@acme.example (the users of the app and API fixtures), Paris hours Mon-Fri 09-18.
#pragma once

#include <string>

namespace tandem::testing_contract {

inline std::string MinimalContract(int first_touch_hours = 4) {
  return R"(name = "Acme SLA"

[[parties]]
side = "marketing"
team = "Marketing"
head = "marketer@acme.example"

[[parties]]
side = "sales"
team = "Sales"
head = "manager@acme.example"

[mql]
rule = "grade A or B"

[marketing]
mql_quota = 10
quota_period = "week"

[sales]
first_touch_hours = )" +
         std::to_string(first_touch_hours) + R"(
attempts = 3
attempts_within_days = 5
disposition_days = 2

[routing]
strategy = "round_robin"

[[rejection_reasons]]
code = "bad_timing"
label = "Bad <timing> & co"
next = "recycled"

[[escalation]]
after_hours = 0
action = "notify_owner"

[calendar]
time_zone = "Europe/Paris"

[calendar.hours]
monday = ["09:00-18:00"]
tuesday = ["09:00-18:00"]
wednesday = ["09:00-18:00"]
thursday = ["09:00-18:00"]
friday = ["09:00-18:00"]
)";
}

}  // namespace tandem::testing_contract
