// The handoff's test fixture (app and jobs tests): the app fixture plus a contract with two
// reps (rep1, rep2) on Paris hours, a Sales team managed by the manager, and helpers to make
// MQLs and read their assignments and clocks.
#pragma once

#include <string>
#include <vector>

#include "app/app_fixture.hpp"
#include "app/handoff.hpp"

namespace tandem::app::apptest {

// Friday 2026-11-27 17:30 in Paris (16:30 UTC): the issue's example.
inline const core::Instant kFriday1730Paris = *core::ParseInstant("2026-11-27T16:30:00Z");

inline std::string HandoffContract(const std::string& holidays = "",
                                   const std::string& routing = "strategy = \"round_robin\"") {
  return R"(name = "Acme handoff"

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
first_touch_hours = 4
attempts = 2
attempts_within_days = 5
disposition_days = 2

[routing]
)" + routing +
         R"(

[[routing.reps]]
email = "rep1@acme.example"

[[routing.reps]]
email = "rep2@acme.example"

[[rejection_reasons]]
code = "bad_timing"
label = "Bad timing"
next = "recycled"

[[rejection_reasons]]
code = "no_budget"
label = "No budget"
next = "disqualified"

[[recycle]]
reasons = ["bad_timing"]
wait_days = 30
requires_new_engagement = true

[[escalation]]
after_hours = 0
action = "notify_owner"

[[escalation]]
after_hours = 4
action = "reassign"

[[escalation]]
after_hours = 8
action = "notify_manager"

[calendar]
time_zone = "Europe/Paris"
)" + (holidays.empty() ? std::string() : "holidays = [" + holidays + "]\n") +
         R"(
[calendar.hours]
monday = ["09:00-18:00"]
tuesday = ["09:00-18:00"]
wednesday = ["09:00-18:00"]
thursday = ["09:00-18:00"]
friday = ["09:00-18:00"]
)";
}

// Records the handoff's notifications, in order.
class RecordingNotifier final : public HandoffNotifier {
 public:
  core::Result<void> Publish(store::Tx&, const HandoffEvent& e) override {
    events.push_back(e);
    return {};
  }
  std::vector<std::string> Types() const {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.type);
    return out;
  }
  std::vector<HandoffEvent> events;
};

class HandoffTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    clock_.Set(kFriday1730Paris);
    svc().handoff.SetNotifier(&notifier_);
  }

  void Activate(const std::string& text) {
    auto v = svc().contracts.ActivateAsOperator(text, std::nullopt, std::nullopt);
    ASSERT_TRUE(v) << v.error().message;
    version_ = v->id;
  }

  // Puts rep1 and rep2 in a Sales team managed by the manager.
  void SalesTeam() {
    core::Team t;
    t.name = "Sales";
    t.function = core::TeamFunction::kSales;
    t.manager_id = manager_.id;
    auto team = svc().teams.Create(admin(), t);
    ASSERT_TRUE(team) << team.error().message;
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      for (auto* u : {&rep1_, &rep2_}) {
        u->team_id = team->id;
        TANDEM_TRY(tx.users().Update(*u));
      }
      return {};
    }));
  }

  // A lead moved to mql by the manager (a manual qualification).
  core::Contact Mql(const std::string& email) {
    auto c = NewContact(email);
    auto r = svc().contacts.ChangeStage(manager(), c.id, core::Stage::kMql, "");
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(core::Contact{});
  }

  HandoffView ViewOf(core::Id contact) {
    auto v = svc().handoff.View(admin(), contact);
    EXPECT_TRUE(v) << v.error().message;
    return v.value_or(HandoffView{});
  }

  const core::SlaClock* ClockOf(const HandoffView& v, core::SlaObligation o,
                                std::optional<core::Id> assignment = std::nullopt) {
    for (const auto& c : v.clocks) {
      if (c.obligation == o && (!assignment || c.assignment_id == *assignment)) return &c;
    }
    return nullptr;
  }

  core::Result<core::Activity> Log(const core::Principal& who, core::Id contact,
                                   core::ActivityType type, core::Instant at) {
    core::Activity a;
    a.type = type;
    a.contact_id = contact;
    a.occurred_at = at;
    a.subject = "call";
    return svc().activities.Create(who, a);
  }

  RecordingNotifier notifier_;
  core::Id version_ = 0;
};

}  // namespace tandem::app::apptest
