// The weekly pack's scheduled email (app/weekly_mailer.hpp), driven by jobs::Scheduler with a
// fake clock: Monday 08:00 in the company's zone, once per week across restarts, DST weeks.
#include "app/weekly_mailer.hpp"

#include <gtest/gtest.h>

#include "app/handoff_fixture.hpp"
#include "jobs/delivery.hpp"
#include "jobs/scheduler.hpp"

namespace tandem::jobs {
namespace {

using app::apptest::HandoffContract;
using app::apptest::HandoffTest;
using app::apptest::kFriday1730Paris;

core::Instant Utc(const char* text) {
  return *core::ParseInstant(text);
}

class WeeklyMailerTest : public HandoffTest {
 protected:
  std::unique_ptr<app::WeeklyMailer> Mailer(bool email = true) {
    return std::make_unique<app::WeeklyMailer>(
        *store_, clock_, svc().weekly, svc().contracts,
        app::WeeklyMailerSettings{email, "https://t.example"});
  }

  // The email deliveries waiting to be sent, by recipient.
  std::map<std::string, core::Delivery> Emails() {
    std::map<std::string, core::Delivery> out;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(auto due, tx.webhooks().ListDue(Utc("2100-01-01T00:00:00Z"), 1000));
      for (const auto& d : due) {
        if (d.channel == core::DeliveryChannel::kEmail) out[d.target] = d;
      }
      return {};
    }));
    return out;
  }

  core::Id Cursor() {
    core::Id c = 0;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(c, tx.outbox().GetCursor(app::kWeeklyPackCursor));
      return {};
    }));
    return c;
  }

  // Runs the scheduler the way the server does: the job sends what is due and re-schedules
  // itself at the next Monday 08:00.
  void Schedule(Scheduler& s, app::WeeklyMailer& m, std::vector<std::string>& sent) {
    auto next = m.NextDue(clock_.Now());
    ASSERT_TRUE(next);
    s.Schedule(*next, "weekly_pack", [this, &s, &m, &sent](core::Instant now) {
      auto run = m.RunDue(now);
      ASSERT_TRUE(run) << run.error().message;
      if (*run) sent.push_back(core::FormatIsoWeek((*run)->week));
      Schedule(s, m, sent);
    });
  }
};

TEST_F(WeeklyMailerTest, MondayEightSendsLastWeeksPackToBothTeamsOnceAcrossRestarts) {
  // Thursday 26 November 2026 10:00 in Paris: the contract takes effect, rep1 and rep2 join
  // the team "Sales"; two leads qualify (rep1, rep2; first touch due 14:00) and rep1 calls its
  // own at once. rep2's clock is missed by Monday.
  clock_.Set(Utc("2026-11-26T09:00:00Z"));
  Activate(HandoffContract());
  SalesTeam();
  const auto a = Mql("a@client.example");
  Mql("b@client.example");
  ASSERT_TRUE(Log(rep1(), a.id, core::ActivityType::kCall, clock_.Now()));

  auto mailer = Mailer();
  Scheduler scheduler;
  std::vector<std::string> sent;
  Schedule(scheduler, *mailer, sent);
  // Week 47 ended before the contract: nothing to send now.
  EXPECT_EQ(scheduler.RunDue(clock_.Now()), 0);
  auto now_run = mailer->RunDue(clock_.Now());
  ASSERT_TRUE(now_run);
  EXPECT_FALSE(*now_run);
  // Monday 30 November 08:00 in Paris is 07:00 UTC.
  EXPECT_EQ(scheduler.NextDue(), Utc("2026-11-30T07:00:00Z"));
  clock_.Set(Utc("2026-11-30T06:59:59.999Z"));
  EXPECT_EQ(scheduler.RunDue(clock_.Now()), 0);
  EXPECT_TRUE(Emails().empty());
  clock_.Set(Utc("2026-11-30T07:00:00Z"));
  EXPECT_EQ(scheduler.RunDue(clock_.Now()), 1);
  ASSERT_EQ(sent, std::vector<std::string>{"2026-W48"});
  EXPECT_EQ(Cursor(), 202648);

  // Both teams: the heads (manager, marketer) and the team's members (rep1, rep2).
  auto emails = Emails();
  ASSERT_EQ(emails.size(), 4u);
  for (const char* who : {"manager@acme.example", "marketer@acme.example", "rep1@acme.example",
                          "rep2@acme.example"}) {
    ASSERT_TRUE(emails.count(who)) << who;
    const core::Delivery& d = emails[who];
    EXPECT_EQ(d.event_type, "report.weekly");
    EXPECT_EQ(d.subject.rfind("Weekly smarketing pack 2026-W48: ", 0), 0u) << d.subject;
    EXPECT_EQ(d.body.rfind("<!doctype html>", 0), 0u);
    EXPECT_NE(d.body.find("https://t.example/api/v1/reports/weekly?week=2026-W48&amp;format=csv"),
              std::string::npos);
  }
  EXPECT_EQ(emails.count("admin@acme.example"), 0u) << "not a party";
  // A manager's mail has every rep's row; a rep's only their own (and no colleague coached).
  EXPECT_NE(emails["manager@acme.example"].body.find("<td>rep1@acme.example</td>"),
            std::string::npos);
  EXPECT_NE(emails["manager@acme.example"].body.find("Coach rep2@acme.example"), std::string::npos);
  EXPECT_EQ(emails["rep1@acme.example"].body.find("rep2@acme.example"), std::string::npos);
  EXPECT_NE(emails["rep2@acme.example"].body.find("Coach rep2@acme.example"), std::string::npos);

  // Again, and after a restart (a new mailer over the same database): nothing more.
  auto again = mailer->RunDue(clock_.Now());
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  auto restarted = Mailer();
  clock_.Set(Utc("2026-11-30T09:00:00Z"));
  auto after = restarted->RunDue(clock_.Now());
  ASSERT_TRUE(after);
  EXPECT_FALSE(*after);
  EXPECT_EQ(Emails().size(), 4u);
  // The next Monday sends the next week.
  EXPECT_EQ(scheduler.NextDue(), Utc("2026-12-07T07:00:00Z"));
  clock_.Set(Utc("2026-12-07T07:00:00Z"));
  EXPECT_EQ(scheduler.RunDue(clock_.Now()), 1);
  EXPECT_EQ(sent, (std::vector<std::string>{"2026-W48", "2026-W49"}));
  EXPECT_EQ(Cursor(), 202649);
}

TEST_F(WeeklyMailerTest, WithoutEmailNothingIsSentOrRecorded) {
  Activate(HandoffContract());
  SalesTeam();
  clock_.Set(Utc("2026-11-30T07:00:00Z"));
  auto off = Mailer(false)->RunDue(clock_.Now());
  ASSERT_TRUE(off);
  EXPECT_FALSE(*off);
  EXPECT_EQ(Cursor(), 0);
  auto on = Mailer(true)->RunDue(clock_.Now());
  ASSERT_TRUE(on);
  ASSERT_TRUE(*on);
  EXPECT_EQ(core::FormatIsoWeek((*on)->week), "2026-W48");
  EXPECT_EQ((*on)->recipients, 4);
}

TEST_F(WeeklyMailerTest, DstWeeksAreSentAtLocalEightAndSpanTheirRealLength) {
  // Tuesday 20 October 2026: the contract takes effect. Paris leaves summer time on Sunday
  // 25 October: week 43 runs 169 hours, and Monday 26th 08:00 is 07:00 UTC.
  clock_.Set(Utc("2026-10-20T10:00:00Z"));
  Activate(HandoffContract());
  SalesTeam();
  auto mailer = Mailer();
  auto next = mailer->NextDue(clock_.Now());
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, Utc("2026-10-26T07:00:00Z"));
  clock_.Set(Utc("2026-10-26T06:59:59.999Z"));
  EXPECT_FALSE(*mailer->RunDue(clock_.Now()));
  clock_.Set(Utc("2026-10-26T07:00:00Z"));
  auto autumn = mailer->RunDue(clock_.Now());
  ASSERT_TRUE(autumn);
  ASSERT_TRUE(*autumn);
  EXPECT_EQ(core::FormatIsoWeek((*autumn)->week), "2026-W43");
  auto w43 = svc().weekly.Build(admin(), {2026, 43});
  ASSERT_TRUE(w43);
  EXPECT_EQ(w43->start, Utc("2026-10-18T22:00:00Z"));
  EXPECT_EQ(w43->end, Utc("2026-10-25T23:00:00Z"));
  EXPECT_EQ(w43->end - w43->start, std::chrono::hours(169));

  // Paris enters summer time on Sunday 28 March 2027: week 12 runs 167 hours, and Monday 29th
  // 08:00 is 06:00 UTC. Week 11 goes out first, on Monday 22nd at 07:00 UTC.
  clock_.Set(Utc("2027-03-22T07:00:00Z"));
  auto w11 = mailer->RunDue(clock_.Now());
  ASSERT_TRUE(w11);
  ASSERT_TRUE(*w11);
  EXPECT_EQ(core::FormatIsoWeek((*w11)->week), "2027-W11");
  next = mailer->NextDue(clock_.Now());
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, Utc("2027-03-29T06:00:00Z"));
  clock_.Set(Utc("2027-03-29T05:59:59.999Z"));
  EXPECT_FALSE(*mailer->RunDue(clock_.Now()));
  clock_.Set(Utc("2027-03-29T06:00:00Z"));
  auto spring = mailer->RunDue(clock_.Now());
  ASSERT_TRUE(spring);
  ASSERT_TRUE(*spring);
  EXPECT_EQ(core::FormatIsoWeek((*spring)->week), "2027-W12");
  auto w12 = svc().weekly.Build(admin(), {2027, 12});
  ASSERT_TRUE(w12);
  EXPECT_EQ(w12->end - w12->start, std::chrono::hours(167));
}

TEST(WeeklyEmailTest, TheHtmlBodyIsSentAsHtml) {
  EmailMessage m{"tandem@acme.example",
                 "rep@acme.example",
                 "Weekly smarketing pack 2026-W48",
                 "<!doctype html>\n<p>x</p>",
                 "dlv_1",
                 true};
  const std::string text = BuildEmail(m, kFriday1730Paris);
  EXPECT_NE(text.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos) << text;
  m.html = false;
  EXPECT_NE(BuildEmail(m, kFriday1730Paris).find("Content-Type: text/plain; charset=utf-8\r\n"),
            std::string::npos);
}

}  // namespace
}  // namespace tandem::jobs
