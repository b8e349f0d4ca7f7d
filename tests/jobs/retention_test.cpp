// The daily event purge (jobs/retention.hpp) driven by the scheduler with a fake clock.
#include "jobs/retention.hpp"

#include <gtest/gtest.h>

#include "app/privacy.hpp"
#include "base/clock.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::jobs {
namespace {

using namespace std::chrono_literals;

const core::Instant kT0 = core::FromMillis(1'790'000'000'000);

class RetentionJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::OpenSqliteStore({.path = ":memory:"});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    privacy_ = std::make_unique<app::PrivacyService>(*store_, clock_);
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      core::Contact c;
      c.email = "ann@example.com";
      c.stage = core::Stage::kLead;
      c.stage_entered_at = c.created_at = c.updated_at = kT0;
      TANDEM_ASSIGN(contact_, tx.contacts().Insert(c));
      return {};
    }));
  }

  // An event `age` before the clock's now.
  void AddEvent(const std::string& id, std::chrono::milliseconds age) {
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      core::Event e;
      e.event_id = id;
      e.type = "page_view";
      e.occurred_at = e.received_at = clock_.Now() - age;
      e.email = "ann@example.com";
      e.contact_id = contact_;
      TANDEM_TRY(tx.events().Append(e));
      return {};
    }));
  }

  std::int64_t Events() {
    std::int64_t n = -1;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(n, tx.events().CountForContact(contact_));
      return {};
    }));
    return n;
  }

  base::FakeClock clock_{kT0};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::PrivacyService> privacy_;
  core::Id contact_ = 0;
};

TEST_F(RetentionJobTest, PurgesAtStartThenEveryDayWhatHasAgedPastTheRetention) {
  AddEvent("old", std::chrono::days(400));
  AddEvent("month-old", std::chrono::days(30));
  AddEvent("new", 1h);
  Scheduler s;
  ScheduleEventRetention(s, *privacy_, 12, clock_.Now());
  EXPECT_EQ(s.RunDue(clock_.Now()), 1);
  EXPECT_EQ(Events(), 2);
  EXPECT_EQ(s.NextDue(), clock_.Now() + kRetentionEvery);

  // 11 months later the month-old event is a year old; nothing runs before its day comes.
  clock_.Advance(std::chrono::days(340));
  AddEvent("newer", 1h);
  EXPECT_EQ(Events(), 3);
  EXPECT_EQ(s.RunDue(kT0 + kRetentionEvery - 1ms), 0);
  EXPECT_EQ(s.RunDue(clock_.Now()), 1);
  EXPECT_EQ(Events(), 2);
  EXPECT_EQ(s.Pending(), 1u);  // it scheduled itself again
}

TEST_F(RetentionJobTest, ABadRetentionIsLoggedAndTriedAgainTheNextDay) {
  AddEvent("old", std::chrono::days(400));
  Scheduler s;
  std::vector<std::string> errors;
  ScheduleEventRetention(s, *privacy_, 0, clock_.Now(),
                         [&](const core::Result<app::PurgeResult>& run) {
                           if (!run) errors.push_back(run.error().field);
                         });
  EXPECT_EQ(s.RunDue(clock_.Now()), 1);
  EXPECT_EQ(errors, std::vector<std::string>{"months"});
  EXPECT_EQ(Events(), 1);
  EXPECT_EQ(s.Pending(), 1u);
}

}  // namespace
}  // namespace tandem::jobs
