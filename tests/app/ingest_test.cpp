#include <atomic>
#include <thread>

#include "app/ingest.hpp"
#include "app_fixture.hpp"

namespace tandem::app::apptest {
namespace {

using core::ErrorCode;
using core::Event;
using core::Stage;

IngestItem Item(const std::string& event_id, const std::string& type, core::Instant at,
                const std::string& email, const std::string& anonymous_id = "") {
  IngestItem item;
  item.event.event_id = event_id;
  item.event.type = type;
  item.event.occurred_at = at;
  item.event.email = email;
  item.event.anonymous_id = anonymous_id;
  return item;
}

// Records what ingest hands to scoring; fails the transaction on a "poison" event.
class RecordingSink final : public EventSink {
 public:
  Result<void> OnContactEvent(store::Tx& tx, const Event& e, core::Instant) override {
    if (e.type == "poison") return core::Fail(core::Error::Internal("poisoned"));
    // Inside the transaction, the event is already stored with its contact.
    auto stored = tx.events().Get(e.id);
    if (!stored || !*stored || (*stored)->contact_id != e.contact_id) {
      return core::Fail(core::Error::Internal("the event is not visible to the sink"));
    }
    seen.push_back(e.event_id);
    return {};
  }
  Result<void> OnMerge(store::Tx&, Id keep, Id other, core::Instant) override {
    merges.emplace_back(keep, other);
    return {};
  }
  std::vector<std::string> seen;
  std::vector<std::pair<Id, Id>> merges;
};

class IngestTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    svc().ingest.SetSink(&sink_);
    svc().merge.SetSink(&sink_);
  }

  IngestReport Ingest(std::vector<IngestItem> items) {
    auto r = svc().ingest.Ingest(marketer(), std::move(items));
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(IngestReport{});
  }

  std::vector<Event> EventsOf(Id contact) {
    auto r = svc().contacts.Events(admin(), contact, 500);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(std::vector<Event>{});
  }

  std::optional<core::Contact> ContactByEmail(const std::string& email) {
    std::optional<core::Contact> out;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(out, tx.contacts().FindByEmail(email));
      return {};
    }));
    return out;
  }

  std::int64_t ContactCount() {
    std::int64_t n = 0;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(n, tx.contacts().CountAll());
      return {};
    }));
    return n;
  }

  RecordingSink sink_;
};

TEST_F(IngestTest, CountsAcceptedDuplicateAndRejectedEventsOfABatch) {
  auto known = NewContact("known@example.com");
  std::vector<IngestItem> items;
  items.push_back(Item("e1", "page_view", kT0 - 1min, "known@example.com"));
  items.push_back(Item("e2", "email_open", kT0 - 2min, "KNOWN@example.com "));
  items.push_back(Item("e3", "page_view", kT0 + 1h, "known@example.com"));    // far future
  items.push_back(Item("e1", "page_view", kT0 - 1min, "known@example.com"));  // replay
  IngestItem unparsable;
  unparsable.error = core::Error::Invalid("colour", "unknown field 'colour'");
  items.push_back(unparsable);
  items.push_back(Item("e6", "page_view", core::FromMillis(-5), "known@example.com"));
  items.push_back(Item("e7", "page_view", kT0, "", "has space"));
  auto report = Ingest(std::move(items));
  EXPECT_EQ(report.accepted, 2u);
  EXPECT_EQ(report.duplicate, 1u);
  ASSERT_EQ(report.rejected.size(), 4u);
  EXPECT_EQ(report.rejected[0].index, 2u);
  EXPECT_EQ(report.rejected[0].field, "occurred_at");
  EXPECT_EQ(report.rejected[1].index, 4u);
  EXPECT_EQ(report.rejected[1].field, "colour");
  EXPECT_EQ(report.rejected[2].index, 5u);
  EXPECT_EQ(report.rejected[2].field, "occurred_at");
  EXPECT_EQ(report.rejected[3].index, 6u);
  EXPECT_EQ(report.rejected[3].field, "anonymous_id");
  auto events = EventsOf(known.id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event_id, "e1");
  EXPECT_EQ(events[0].received_at, kT0);
  EXPECT_EQ(events[1].email, "known@example.com");
  EXPECT_EQ(sink_.seen, (std::vector<std::string>{"e1", "e2"}));

  // The whole batch again: every valid event is a duplicate, nothing is applied twice.
  std::vector<IngestItem> again;
  again.push_back(Item("e1", "page_view", kT0 - 1min, "known@example.com"));
  again.push_back(Item("e2", "email_open", kT0 - 2min, "known@example.com"));
  auto replay = Ingest(std::move(again));
  EXPECT_EQ(replay.accepted, 0u);
  EXPECT_EQ(replay.duplicate, 2u);
  EXPECT_EQ(EventsOf(known.id).size(), 2u);
  EXPECT_EQ(sink_.seen.size(), 2u);
}

TEST_F(IngestTest, RefusesEmptyOrOversizedBatchesAndCallersWithoutTheIngestRight) {
  EXPECT_TRUE(
      FailsWith(svc().ingest.Ingest(marketer(), {}), ErrorCode::kInvalidArgument, "events"));
  std::vector<IngestItem> big;
  for (int i = 0; i < 1001; ++i) {
    big.push_back(Item("b" + std::to_string(i), "page_view", kT0, "a@example.com"));
  }
  EXPECT_TRUE(
      FailsWith(svc().ingest.Ingest(marketer(), big), ErrorCode::kInvalidArgument, "events"));
  big.pop_back();
  core::Principal ingest_key = marketer();
  ingest_key.scopes = std::vector<core::Scope>{core::Scope::kIngest};
  auto ok = svc().ingest.Ingest(ingest_key, big);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->accepted, 1000u);
  core::Principal read_key = marketer();
  read_key.scopes = std::vector<core::Scope>{core::Scope::kRead};
  EXPECT_TRUE(FailsWith(svc().ingest.Ingest(read_key, big), ErrorCode::kPermissionDenied));
}

TEST_F(IngestTest, AnUnknownEmailBecomesOneLeadWithItsSourceFromUtm) {
  auto first = Item("f1", "form_submit", kT0 - 10s, "New.Person@Example.com");
  first.event.utm_source = "LinkedIn";
  first.event.utm_medium = "paid_social";
  first.event.utm_campaign = "q4-launch";
  std::vector<IngestItem> items{first, Item("f2", "page_view", kT0 - 5s, "new.person@example.com")};
  auto report = Ingest(std::move(items));
  EXPECT_EQ(report.accepted, 2u);
  ASSERT_EQ(report.contacts_created.size(), 1u);
  EXPECT_EQ(ContactCount(), 1);
  auto c = ContactByEmail("new.person@example.com");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->id, report.contacts_created[0]);
  EXPECT_EQ(c->stage, Stage::kLead);
  EXPECT_EQ(c->source, "linkedin");
  EXPECT_EQ(c->campaign, "q4-launch");
  EXPECT_EQ(c->created_at, kT0);
  auto history = HistoryOf(c->id);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].cause, "event:form_submit");
  EXPECT_EQ(history[0].actor.name, "system:ingest");
  EXPECT_EQ(EventsOf(c->id).size(), 2u);
  auto audit = AuditOf("contact", c->id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kCreate);

  // Another batch for the same email: no second contact.
  Ingest({Item("f3", "email_click", kT0, "new.person@example.com")});
  EXPECT_EQ(ContactCount(), 1);
  EXPECT_EQ(EventsOf(c->id).size(), 3u);
  EXPECT_EQ(sink_.seen, (std::vector<std::string>{"f1", "f2", "f3"}));
}

TEST_F(IngestTest, AnonymousHistoryJoinsTheContactWhenTheVisitorIdentifies) {
  Ingest({Item("a1", "page_view", kT0 - 3h, "", "visitor-1"),
          Item("a2", "content_download", kT0 - 2h, "", "visitor-1"),
          Item("b1", "page_view", kT0 - 2h, "", "visitor-2")});
  EXPECT_EQ(ContactCount(), 0);
  EXPECT_TRUE(sink_.seen.empty());  // nobody to score yet

  auto report = Ingest({Item("a3", "form_submit", kT0 - 1h, "ann@example.com", "visitor-1")});
  ASSERT_EQ(report.contacts_created.size(), 1u);
  const Id ann = report.contacts_created[0];
  auto events = EventsOf(ann);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].event_id, "a3");
  EXPECT_EQ(events[2].event_id, "a1");
  for (const auto& e : events) EXPECT_EQ(e.contact_id, ann);
  // The earlier events were scored when they joined, then the new one.
  EXPECT_EQ(sink_.seen, (std::vector<std::string>{"a1", "a2", "a3"}));

  // Later anonymous events of that visitor go straight to the contact.
  Ingest({Item("a4", "page_view", kT0 + 1s, "", "visitor-1")});
  EXPECT_EQ(EventsOf(ann).size(), 4u);
  EXPECT_EQ(ContactCount(), 1);

  // The timeline shows the events among the rest.
  auto timeline = svc().contacts.Timeline(admin(), ann);
  ASSERT_TRUE(timeline);
  int shown = 0;
  for (const auto& item : *timeline) shown += item.kind == "event" ? 1 : 0;
  EXPECT_EQ(shown, 4);
  EXPECT_EQ(timeline->front().kind, "event");  // a4 is the newest line
}

TEST_F(IngestTest, AVisitorIdentifiesOnceAndAnEmailClickCanBeTheIdentification) {
  auto a = NewContact("a@example.com");
  auto b = NewContact("b@example.com");
  Ingest({Item("v1", "page_view", kT0 - 2h, "", "shared-laptop")});
  Ingest({Item("c1", "email_click", kT0 - 1h, "a@example.com", "shared-laptop")});
  EXPECT_EQ(EventsOf(a.id).size(), 2u);
  // Someone else on the same browser: their event is theirs, the visitor stays with a.
  Ingest({Item("c2", "form_submit", kT0 - 30min, "b@example.com", "shared-laptop")});
  EXPECT_EQ(EventsOf(b.id).size(), 1u);
  Ingest({Item("v2", "page_view", kT0, "", "shared-laptop")});
  EXPECT_EQ(EventsOf(a.id).size(), 3u);
  EXPECT_EQ(EventsOf(b.id).size(), 1u);
}

TEST_F(IngestTest, ABatchWhoseTransactionFailsStoresNothingAndOthersGoOn) {
  auto r = svc().ingest.Ingest(marketer(), {Item("p1", "page_view", kT0, "new@example.com"),
                                            Item("p2", "poison", kT0, "new@example.com")});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_EQ(ContactCount(), 0);  // the contact created for p1 went with the rollback
  auto ok = Ingest({Item("p1", "page_view", kT0, "new@example.com")});
  EXPECT_EQ(ok.accepted, 1u);  // not a duplicate: the failed batch left nothing behind
  EXPECT_EQ(ContactCount(), 1);
}

TEST_F(IngestTest, ConcurrentBatchesAreEachCommittedOnceWhateverTheirGrouping) {
  constexpr int kThreads = 6;
  constexpr int kBatches = 20;
  constexpr int kPerBatch = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::atomic<std::size_t> accepted{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<IngestItem> items;
        for (int i = 0; i < kPerBatch; ++i) {
          // Each thread writes for its own five people, and repeats its previous batch's last
          // event (a duplicate) in every batch after the first.
          const int n = b * kPerBatch + i;
          items.push_back(Item("t" + std::to_string(t) + "-" + std::to_string(n), "page_view",
                               kT0 - std::chrono::milliseconds(n),
                               "p" + std::to_string(t * 5 + i % 5) + "@example.com"));
        }
        if (b > 0) {
          const int n = b * kPerBatch - 1;
          items.push_back(Item("t" + std::to_string(t) + "-" + std::to_string(n), "page_view",
                               kT0 - std::chrono::milliseconds(n),
                               "p" + std::to_string(t * 5 + (kPerBatch - 1) % 5) + "@example.com"));
        }
        auto r = svc().ingest.Ingest(marketer(), std::move(items));
        if (!r || r->duplicate != (b > 0 ? 1u : 0u)) {
          ++failures;
        } else {
          accepted += r->accepted;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(accepted.load(), static_cast<std::size_t>(kThreads * kBatches * kPerBatch));
  EXPECT_EQ(ContactCount(), kThreads * 5);
  auto p0 = ContactByEmail("p0@example.com");
  ASSERT_TRUE(p0);
  EXPECT_EQ(EventsOf(p0->id).size(), static_cast<std::size_t>(kBatches * kPerBatch / 5));
}

TEST_F(IngestTest, MergingKeepsEveryHistoryAndTheMergedEmailKeepsReachingTheContact) {
  auto keep = NewContact("keep@example.com", Stage::kLead);
  core::Contact other_draft;
  other_draft.email = "other@example.com";
  other_draft.phone = "+33 1 23 45 67 89";
  other_draft.title = "CTO";
  other_draft.custom = {{"plan", "pro"}};
  other_draft.stage = Stage::kMql;
  auto other = svc().contacts.Create(manager(), other_draft);
  ASSERT_TRUE(other);
  core::Activity call;
  call.type = core::ActivityType::kCall;
  call.contact_id = other->id;
  call.occurred_at = kT0;
  call.subject = "intro";
  ASSERT_TRUE(svc().activities.Create(manager(), call));
  core::Deal deal;
  deal.title = "Pilot";
  deal.contact_id = other->id;
  deal.amount_minor = 100000;
  auto made = svc().deals.Create(manager(), deal);
  ASSERT_TRUE(made) << made.error().message;  // moves other to opportunity
  Ingest({Item("k1", "page_view", kT0 - 1h, "keep@example.com"),
          Item("o1", "page_view", kT0 - 2h, "other@example.com", "visitor-o")});
  const auto other_history = HistoryOf(other->id).size();
  const auto keep_history = HistoryOf(keep.id).size();

  auto merged = svc().merge.Merge(manager(), keep.id, other->id);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->email, "keep@example.com");
  EXPECT_EQ(merged->phone, "+33 1 23 45 67 89");
  EXPECT_EQ(merged->title, "CTO");
  EXPECT_EQ(merged->custom.at("plan"), "pro");
  EXPECT_EQ(merged->stage, Stage::kOpportunity);  // the further stage, cause merge
  EXPECT_TRUE(FailsWith(svc().contacts.Get(admin(), other->id), ErrorCode::kNotFound));
  auto history = HistoryOf(keep.id);
  EXPECT_EQ(history.size(), keep_history + other_history + 1);
  EXPECT_EQ(history.back().cause, "merge");
  EXPECT_EQ(EventsOf(keep.id).size(), 2u);
  core::ActivityQuery aq;
  aq.contact_id = keep.id;
  auto activities = svc().activities.List(admin(), aq);
  ASSERT_TRUE(activities);
  EXPECT_EQ(activities->items.size(), 1u);
  core::DealQuery dq;
  dq.contact_id = keep.id;
  auto deals = svc().deals.List(admin(), dq);
  ASSERT_TRUE(deals);
  EXPECT_EQ(deals->items.size(), 1u);
  EXPECT_EQ(sink_.merges, (std::vector<std::pair<Id, Id>>{{keep.id, other->id}}));
  auto audit = AuditOf("contact", other->id);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].action, core::AuditAction::kDelete);
  EXPECT_EQ(ChangeOf(audit[0], "merged_into").after, std::to_string(keep.id));

  // The merged email and visitor still reach the kept contact: no duplicate comes back.
  Ingest({Item("o2", "email_open", kT0, "other@example.com"),
          Item("o3", "page_view", kT0, "", "visitor-o")});
  EXPECT_EQ(ContactCount(), 1);
  EXPECT_EQ(EventsOf(keep.id).size(), 4u);
}

TEST_F(IngestTest, MergeRefusesItselfMissingContactsAndOtherRepsContacts) {
  auto a = NewContact("a@example.com", Stage::kLead, rep1_.id);
  auto b = NewContact("b@example.com", Stage::kLead, rep2_.id);
  EXPECT_TRUE(
      FailsWith(svc().merge.Merge(manager(), a.id, a.id), ErrorCode::kInvalidArgument, "other_id"));
  EXPECT_TRUE(
      FailsWith(svc().merge.Merge(manager(), a.id, 9999), ErrorCode::kNotFound, "other_id"));
  EXPECT_TRUE(FailsWith(svc().merge.Merge(manager(), 9999, a.id), ErrorCode::kNotFound, "id"));
  EXPECT_TRUE(FailsWith(svc().merge.Merge(rep1(), a.id, b.id), ErrorCode::kPermissionDenied));
  // Nothing moved.
  EXPECT_EQ(GetContact(b.id).email, "b@example.com");
}

// How a group commit is chosen from the queue (PlanGroup): small batches first, bulk batches
// in arrival order within the budget, and never a starved head.
TEST(IngestGroupPlan, TakesSmallBatchesFirstThenBulkInArrivalOrderWithinTheBudget) {
  // queue: bulk 500, small 2, bulk 500, small 1, bulk 500; budget 1,100 events.
  EXPECT_EQ(PlanGroup({500, 2, 500, 1, 500}, 1100, 20), (std::vector<std::size_t>{0, 1, 2, 3}));
  // budget 600: the small ones, then the first bulk batch only.
  EXPECT_EQ(PlanGroup({500, 2, 500, 1, 500}, 600, 20), (std::vector<std::size_t>{0, 1, 3}));
}

TEST(IngestGroupPlan, TheFirstBulkBatchGoesEvenWhenItExceedsTheBudget) {
  EXPECT_EQ(PlanGroup({1000}, 250, 20), (std::vector<std::size_t>{0}));
  // Small batches fill half the budget (125 of 250), the bulk head still goes, the next waits.
  EXPECT_EQ(PlanGroup({1000, 20, 20, 20, 20, 20, 20, 20, 1000}, 250, 20),
            (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6}));
}

TEST(IngestGroupPlan, SmallBatchesBeyondHalfTheBudgetWaitTheirTurnInArrivalOrder) {
  // Budget 40: the small lane takes 20 (two of 10); the third small one joins the bulk pass in
  // arrival order while the total fits.
  EXPECT_EQ(PlanGroup({10, 10, 10, 10, 10}, 40, 10), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_TRUE(PlanGroup({}, 100, 10).empty());
}

TEST_F(IngestTest, ManySmallAndBulkBatchesFromConcurrentCallersAreAllCommittedOnce) {
  // A tight budget (every group at its floor) with small and bulk batches in flight at once:
  // each batch is acknowledged with its own counts, and every event is stored exactly once.
  IngestSettings settings;
  settings.min_events_per_commit = 1;
  settings.max_events_per_commit = 60;
  settings.small_batch = 3;
  EventIngest ingest(*store_, clock_, settings);
  std::vector<std::thread> threads;
  std::atomic<std::size_t> accepted{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < 5; ++b) {
        const int n = (t % 2 == 0) ? 2 : 40;
        std::vector<IngestItem> items;
        for (int i = 0; i < n; ++i) {
          IngestItem item;
          item.event.event_id =
              "e-" + std::to_string(t) + "-" + std::to_string(b) + "-" + std::to_string(i);
          item.event.type = "page_view";
          item.event.occurred_at = kT0 - std::chrono::minutes(1);
          item.event.anonymous_id = "visitor-" + std::to_string(t);
          items.push_back(std::move(item));
        }
        auto r = ingest.Ingest(marketer(), std::move(items));
        ASSERT_TRUE(r.has_value()) << r.error().message;
        EXPECT_EQ(r->accepted, static_cast<std::size_t>(n));
        accepted += r->accepted;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(accepted.load(), 3u * 5 * 2 + 3u * 5 * 40);
  EXPECT_EQ(ingest.stats().events, accepted.load());
}

}  // namespace
}  // namespace tandem::app::apptest
