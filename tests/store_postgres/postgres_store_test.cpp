// The store contract on PostgreSQL, for the repositories the backend has so far, plus what only
// PostgreSQL has: migrations, the SQLSTATE mapping, isolation, writers serialised across
// stores, and lost connections.
//
// The tests need a server: TANDEM_TEST_PG_URL names a database to connect to with the right to
// create databases (scripts/test.sh starts a throw-away cluster and sets it). Each test gets a
// database of its own, copied from a migrated template (CREATE DATABASE ... TEMPLATE), dropped
// afterwards. Without the variable the tests skip with a message, unless
// TANDEM_TEST_PG_REQUIRED=1 (set by scripts/test.sh, so CI never skips them silently): then
// they fail.
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <future>
#include <set>
#include <thread>

#include "store/bulk.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/repos.hpp"
#include "store/store_contract.hpp"
#include "support/pg_test_db.hpp"

namespace tandem::store::postgres {
namespace {

using contract::AnalyticsContractTest;
using contract::At;
using contract::AttributionContractTest;
using contract::FeedbackContractTest;
using contract::kT0;
using contract::PrivacyContractTest;
using contract::StoreContractTest;
using contract::StoreFactory;
using core::ErrorCode;

// The contract tests whose repositories the backend has (contacts, stage history, companies,
// deals, activities, users, teams, sessions and API keys, audit, contract versions, import jobs,
// the outbox). Every other contract test skips on PostgreSQL, naming this list; docs/postgres.md
// says which repositories are left.
const std::set<std::string>& PortedContractTests() {
  static const std::set<std::string> tests = {
      "ContactRoundTripsEveryField",
      "ContactOptionalFieldsStayEmpty",
      "MissingContactIsEmptyNotAnError",
      "ContactsAreCountedPerStage",
      "InsertGivesPositiveIncreasingIds",
      "DuplicateContactEmailIsAlreadyExists",
      "ContactWithMissingReferencesIsInvalid",
      "ContactUpdateReplacesEveryField",
      "CountAllCountsContacts",
      "ContactListHonoursEveryFilterSortAndDirection",
      "ContactListDefaultsToNewestFirst",
      "ContactListClampsTheLimit",
      "ContactListWithUnownedAndOwnerIsInvalid",
      "TextSearchMatchesPrefixesOfNamesEmailAndCompany",
      "TextSearchNeverTreatsTheTextAsSyntax",
      "TextSearchFollowsContactAndCompanyChanges",
      "TextSearchWithCommonAndRareWordsPaginatesLikeAFullSort",
      "StageHistoryIsListedOldestFirst",
      "MovesIntoMqlKeepTheQualityTheyQualifiedWith",
      "TextSearchForgetsADeletedCompany",
      "ContactListByReachFollowsTheStageHistory",
      "ContactListByMoveOutFollowsTheStageHistory",
      "CompanyRoundTripsAndUpdates",
      "CompanyListFiltersSortsAndSearches",
      "CompanyFindByNameIsExactAndTakesTheFirst",
      "InsertManyWritesIdsSearchRowsAndCounts",
      "UpdateAndDeleteOfMissingIdsAreNotFound",
      "DeletingContactRemovesHistoryAndActivitiesAndClearsDeals",
      "DeletingCompanyClearsItOnContactsAndDeals",
      "MalformedCursorIsInvalid",
      "DealRoundTripsWithAndWithoutOptionalFields",
      "DealListFiltersAndSortsWithEmptyCloseDates",
      "ActivityRoundTripsAndChecksReferences",
      "ActivityListFiltersAndPaginates",
      "DeletingDealKeepsContactActivitiesOnly",
      "InsertManyChecksReferencesAndUniqueEmails",
      "WriteBulkWritesStepsAndBuildsSearchListsAndReachAtTheEnd",
      "WriteBulkThatFailsLeavesNothingAndTheStoreWhole",
      "AppendManyKeepsOrderAndChecksContacts",
      "WriteRollsBackWhenTheFunctionFails",
      "WriteRollsBackAndRethrowsOnException",
      "ReadTransactionCannotWrite",
      "ReadSeesEverythingCommittedBefore",
      "UserRoundTripsWithPasswordHash",
      "UserListFiltersByIdOrder",
      "TeamsRoundTripListByNameAndReleaseMembersOnDelete",
      "AuditRoundTripsAndListsNewestFirstWithFilters",
      "SessionsInsertFindDeleteAndExpire",
      "ApiKeysInsertFindListAndRevoke",
      "ContractVersionsRoundTripAndListNewestFirst",
      "ContractActiveAtPicksTheLatestEffectiveVersion",
      "ContractAcknowledgementsOncePerUserAndVersion",
      "ImportJobsRoundTripAndKeepIssuesInOrder",
      "UnfinishedImportJobsAreFailedAndFinishedOnesKept",
      "OutboxListenerHearsOnlyCommittedAppends",
      "OutboxKeepsMessagesInOrderWithEveryField",
      "OutboxRefusesPayloadsThatAreNotJsonAndEmptyTypes",
      "OutboxMessageRollsBackWithItsTransaction",
      "OutboxCursorsStartAtZeroAndMove",
      "EventRoundTripsAndAReplayIsStoredOnce",
      "EventsOfAContactAreListedNewestFirst",
      "AttachingAnAnonymousVisitorMovesOnlyItsUnattachedEvents",
      "IdentitiesLinkOnceAndFollowTheirContact",
      "MovingRecordsTakesEveryHistoryToTheOtherContact",
      "PersonaRoundTripsEveryFieldAndKeepsVersions",
      "PersonaKeysAreUniqueAndVersionsNeverRewritten",
      "PersonaSignoffsOncePerVersionAndCapacity",
      "ScoringRulesAreVersionedAndRoundTrip",
      "ScoringGenerationCounts",
      "ContactScoresUpsertAndFollowTheContact",
      "ContactIdsAfterWalksInIdOrder",
      "ScoringJobsRoundTripAndSupersede",
      "HandoffAssignmentsRoundTripWithActiveAndOpenLeads",
      "HandoffRoutingStateRoundTripsAndReplaces",
      "HandoffAbsencesAreReplacedAndChecked",
      "HandoffClocksRoundTripAndOnlyOpenOnesAreWalkedInDueOrder",
      "HandoffEscalationsRoundTripAndPendingOnesAreWalked",
      "ComplianceLeadsReadAssignmentsWithTheirClocksInOneList",
      "SavedViewsRoundTripAndNamesAreUniquePerOwner",
      "SavedViewUpdateKeepsOwnerAndCreationAndDeleteRemoves",
      "SavedViewsVisibleAreOwnAndSharedByName",
      "GoalsRoundTripWithOwnersAndRates",
      "FormsRoundTripWithFieldsInOrder",
      "FormUpdateReplacesFieldsAndArchivedFormsListOnlyWhenAsked",
      "TrackerSitesRoundTripByKeyAndArchive",
      "WebhookSubscriptionsRoundTripAreListedByEventTypeAndRemoved",
      "DeliveriesRoundTripAndAreDueInOrderUnlessTheirSubscriptionIsRemoved",
      "NotificationsListUnreadFirstThenNewestAndAreMarkedReadOnce",
      "FormSubmissionsKeepConsentNewestFirstAndFollowMerges",
      "MqlsBetweenCountEveryQualificationWithItsQuality",
      "DispositionsByCampaignCountDecisionsInThePeriod",
      "DispositionsBySourceAndPersona",
      "NoDispositionsIsAnEmptyAnswer",
      "DealsInScopeWithTheirTouchesUpToCreation",
      "NoDealsIsAnEmptyAnswer",
      "CohortCountsFollowTheReachRule",
      "PeriodCountsTransitionsInThePeriod",
      "BreaksDownAndFiltersBySource",
      "PeriodBreaksDownAndFiltersBySource",
      "ContactsListedByReachAreTheFunnelsCounts",
      "ContactsListedByMoveAreThePeriodViewsCounts",
      "BreaksDownByPersonaAndListsEachPersonasContacts",
      "EmptyPeriodIsOneFunnelOfZeros",
      "DeletedContactsLeaveTheFunnel",
      "WonDealsSumTheirAmountsInTheWindowAndCurrency",
      "GoalMetricsCountContactsReachingTheStage",
      "ConsentsRoundTripWithdrawOnceAndFollowMerges",
      "ExportCoversEveryTableNamingAContactAndOnlyTheirRows",
      "EraseLeavesATombstoneThatKeepsFunnelAndAttributionCounts",
      "EventPurgeCountsAndDeletesOnlyOlderEventsInBatches",
  };
  return tests;
}

using testdb::Admin;
using testdb::NoServerReason;
using testdb::ServerUrl;
using testdb::WithDatabase;

using testdb::ScratchStore;

std::unique_ptr<ScratchStore> NewStore(int connections = 3, bool bulk_drop_indexes = false) {
  return testdb::NewStore(connections, nullptr, bulk_drop_indexes);
}

std::string SkipUnported(const std::string& test) {
  if (auto reason = NoServerReason(); !reason.empty()) return reason;
  if (PortedContractTests().count(test) == 0) {
    return "its repositories are not on PostgreSQL yet (PortedContractTests in "
           "tests/store_postgres/postgres_store_test.cpp; docs/postgres.md)";
  }
  return "";
}

StoreFactory Factory() {
  return {"postgres", [] { return std::unique_ptr<Store>(NewStore()); }, SkipUnported};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest, ::testing::Values(Factory()),
                         contract::StoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Postgres, AnalyticsContractTest, ::testing::Values(Factory()),
                         contract::StoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Postgres, FeedbackContractTest, ::testing::Values(Factory()),
                         contract::StoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Postgres, AttributionContractTest, ::testing::Values(Factory()),
                         contract::StoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Postgres, PrivacyContractTest, ::testing::Values(Factory()),
                         contract::StoreFactoryName);

// Every name in the list is a contract test (a renamed test would otherwise drop out of the
// PostgreSQL run unnoticed).
TEST(PostgresCoverageTest, PortedTestsNameContractTests) {
  std::set<std::string> contract_tests;
  const auto* unit = ::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit->total_test_suite_count(); ++i) {
    const auto* suite = unit->GetTestSuite(i);
    if (std::string(suite->name()).rfind("Postgres/", 0) != 0) continue;
    for (int j = 0; j < suite->total_test_count(); ++j) {
      std::string name = suite->GetTestInfo(j)->name();
      contract_tests.insert(name.substr(0, name.find('/')));
    }
  }
  for (const auto& t : PortedContractTests()) EXPECT_EQ(contract_tests.count(t), 1u) << t;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = NoServerReason(); !reason.empty()) GTEST_SKIP() << reason;
  }

  static Result<Id> InsertUser(Tx& tx, const std::string& email) {
    core::User u;
    u.email = email;
    u.name = "User " + email;
    u.created_at = u.updated_at = kT0;
    return tx.users().Insert(u, "");
  }

  static std::int64_t CountUsers(Store& store) {
    std::int64_t n = -1;
    auto r = store.Read([&](Tx& tx) -> Result<void> {
      core::UserQuery q;
      q.page.limit = core::kMaxPageSize;
      TANDEM_ASSIGN(auto page, tx.users().List(q));
      n = static_cast<std::int64_t>(page.items.size());
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return n;
  }
};

TEST_F(PostgresStoreTest, MigrationsApplyOnceAndReopeningIsIdempotent) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  const int latest = EmbeddedMigrations().back().version;
  EXPECT_EQ(store->SchemaVersion(), latest);
  EXPECT_EQ(store->Backend(), "postgresql");
  const std::string url = WithDatabase(ServerUrl(), store->database());
  auto again = OpenPostgresStore({url, 2, nullptr});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)->SchemaVersion(), latest);
  auto conn = Connection::Open(url);
  ASSERT_TRUE(conn);
  auto count = (*conn)->Prepare("SELECT count(*), count(DISTINCT version) FROM schema_migrations");
  ASSERT_TRUE(count);
  ASSERT_TRUE(count->Step().value_or(false));
  EXPECT_EQ(count->Int(0), static_cast<std::int64_t>(EmbeddedMigrations().size()));
  EXPECT_EQ(count->Int(1), count->Int(0));
}

TEST_F(PostgresStoreTest, NewerSchemaIsRefused) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  const std::string url = WithDatabase(ServerUrl(), store->database());
  {
    auto conn = Connection::Open(url);
    ASSERT_TRUE(conn);
    ASSERT_TRUE((*conn)->Exec("INSERT INTO schema_migrations VALUES (9999, '9999_future', '')"));
  }
  auto again = OpenPostgresStore({url, 2, nullptr});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition) << again.error().message;
}

// A hot standby is read-only: a store opens on it when its schema is up to date (reports and
// exports against a replica, docs/deploy.md), reads, and refuses writes. A database whose sessions
// are read-only by default refuses every write as a standby does (checked on a real standby too:
// docs/deploy.md, "Read replicas").
TEST_F(PostgresStoreTest, OpensOnAReadOnlyDatabaseWhoseSchemaIsUpToDate) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write([](Tx& tx) -> Result<void> {
    TANDEM_TRY(InsertUser(tx, "reader@example.com"));
    return {};
  }));
  {
    auto admin = Admin();
    ASSERT_NE(admin, nullptr);
    auto set = admin->Exec("ALTER DATABASE " + store->database() +
                           " SET default_transaction_read_only = on");
    ASSERT_TRUE(set) << set.error().message;
  }
  auto replica = OpenPostgresStore({WithDatabase(ServerUrl(), store->database()), 2, nullptr});
  ASSERT_TRUE(replica) << replica.error().message;
  EXPECT_EQ((*replica)->SchemaVersion(), EmbeddedMigrations().back().version);
  EXPECT_EQ(CountUsers(**replica), 1);
  auto write = (*replica)->Write([](Tx& tx) -> Result<void> {
    TANDEM_TRY(InsertUser(tx, "writer@example.com"));
    return {};
  });
  EXPECT_FALSE(write);
}

TEST_F(PostgresStoreTest, BadUrlsAndAbsentServersAreErrorsNotCrashes) {
  auto bad = OpenPostgresStore({"postgresql://[not a url", 2, nullptr});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().field, "url");
  // Port 1 on the loopback: nothing listens there.
  auto away =
      OpenPostgresStore({"postgresql://postgres@127.0.0.1:1/none?connect_timeout=5", 2, nullptr});
  ASSERT_FALSE(away);
  EXPECT_EQ(away.error().code, ErrorCode::kUnavailable) << away.error().message;
  auto empty = OpenPostgresStore({"", 2, nullptr});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field, "url");
  auto one = OpenPostgresStore({ServerUrl(), 1, nullptr});
  ASSERT_FALSE(one);
  EXPECT_EQ(one.error().field, "connections");
}

TEST_F(PostgresStoreTest, SqlStatesMapToCoreErrors) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  auto conn = Connection::Open(WithDatabase(ServerUrl(), store->database()));
  ASSERT_TRUE(conn);
  Connection& c = **conn;
  ASSERT_TRUE(
      c.Exec("INSERT INTO users (email, name, role, active, created_at, updated_at) "
             "VALUES ('a@x.example', 'A', 'sales', 1, 0, 0)"));
  auto expect = [&](const std::string& sql, ErrorCode code, const std::string& field,
                    const std::string& state) {
    auto r = c.Exec(sql);
    ASSERT_FALSE(r) << sql;
    EXPECT_EQ(r.error().code, code) << sql << ": " << r.error().message;
    EXPECT_EQ(r.error().field, field) << sql << ": " << r.error().message;
    EXPECT_EQ(c.last_state(), state) << sql;
  };
  expect(
      "INSERT INTO users (email, name, role, active, created_at, updated_at) "
      "VALUES ('a@x.example', 'B', 'sales', 1, 0, 0)",
      ErrorCode::kAlreadyExists, "email", "23505");
  expect(
      "INSERT INTO users (email, name, role, team_id, active, created_at, updated_at) "
      "VALUES ('b@x.example', 'B', 'sales', 42, 1, 0, 0)",
      ErrorCode::kInvalidArgument, "team_id", "23503");
  expect(
      "INSERT INTO users (email, name, role, active, created_at, updated_at) "
      "VALUES ('c@x.example', 'C', 'pilot', 1, 0, 0)",
      ErrorCode::kInvalidArgument, "role", "23514");
  expect(
      "INSERT INTO users (email, role, active, created_at, updated_at) "
      "VALUES ('d@x.example', 'sales', 1, 0, 0)",
      ErrorCode::kInvalidArgument, "name", "23502");
  expect("BEGIN READ ONLY; INSERT INTO row_counts VALUES ('x', 1)", ErrorCode::kInternal, "",
         "25006");
  ASSERT_TRUE(c.Exec("ROLLBACK"));
  expect("SELECT no_such_column FROM users", ErrorCode::kInternal, "", "42703");
  // The append-only history refuses updates.
  ASSERT_TRUE(
      c.Exec("INSERT INTO contacts (email, stage, stage_entered_at, created_at, "
             "updated_at) VALUES ('c@x.example', 'lead', 0, 0, 0)"));
  ASSERT_TRUE(
      c.Exec("INSERT INTO stage_history (contact_id, to_stage, at) "
             "SELECT id, 'lead', 0 FROM contacts"));
  expect("UPDATE stage_history SET reason = 'x'", ErrorCode::kInternal, "", "23001");
}

TEST_F(PostgresStoreTest, WriteRollsBackOnErrorAndOnException) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  auto failed = store->Write([&](Tx& tx) -> Result<void> {
    TANDEM_TRY(InsertUser(tx, "kept-out@x.example").map([](Id) {}));
    return core::Fail(core::Error::Invalid("x", "the function fails"));
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().field, "x");
  EXPECT_THROW((void)store->Write([&](Tx& tx) -> Result<void> {
    (void)InsertUser(tx, "thrown@x.example");
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(CountUsers(*store), 0);
  // The connection is usable afterwards.
  ASSERT_TRUE(store->Write([&](Tx& tx) { return InsertUser(tx, "ok@x.example").map([](Id) {}); }));
  EXPECT_EQ(CountUsers(*store), 1);
}

TEST_F(PostgresStoreTest, ReadTransactionCannotWrite) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  auto r = store->Read([&](Tx& tx) { return InsertUser(tx, "r@x.example").map([](Id) {}); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal) << r.error().message;
  EXPECT_EQ(CountUsers(*store), 0);
}

// Every repository of store::Tx, and the privacy repository, is ported: none of their accessors
// throws (docs/postgres.md's table).
TEST_F(PostgresStoreTest, EveryRepositoryAndThePrivacyRepositoryAreReachable) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  // An accessor of a repository not ported would throw store::NotPortedError, which the store
  // answers kUnavailable.
  auto read = store->Read([](Tx& tx) -> Result<void> {
    (void)tx.contacts(), (void)tx.stages(), (void)tx.companies(), (void)tx.deals();
    (void)tx.activities(), (void)tx.users(), (void)tx.teams(), (void)tx.audit(), (void)tx.auth();
    (void)tx.events(), (void)tx.identities(), (void)tx.contracts(), (void)tx.personas();
    (void)tx.scoring(), (void)tx.imports(), (void)tx.analytics(), (void)tx.goals();
    (void)tx.handoff(), (void)tx.forms(), (void)tx.outbox(), (void)tx.webhooks();
    (void)tx.notifications(), (void)tx.feedback(), (void)tx.views();
    (void)store::PrivacyOf(tx);
    return {};
  });
  EXPECT_TRUE(read) << read.error().message;
}

// ---------------------------------------------------------------------------------------------
// Events: monthly partitions (docs/postgres.md, "Events")

core::Instant Day(int y, unsigned m, unsigned d, int hour = 0) {
  using namespace std::chrono;
  const auto day = sys_days(year_month_day(year(y), month(m), std::chrono::day(d)));
  return core::FromMillis(duration_cast<milliseconds>(day.time_since_epoch()).count() +
                          std::int64_t{hour} * 3600 * 1000);
}

core::Event MonthEvent(const std::string& event_id, core::Instant at) {
  core::Event e;
  e.event_id = event_id;
  e.type = "page_view";
  e.occurred_at = at;
  e.received_at = at;
  e.anonymous_id = "v-1";
  return e;
}

// The partition that holds event `id` ("" when none).
std::string PartitionOf(Connection& conn, Id id) {
  auto stmt = conn.Prepare("SELECT tableoid::regclass::text FROM events WHERE id = $1");
  if (!stmt) return "";
  stmt->Bind(id);
  auto row = stmt->Step();
  return row && *row ? stmt->Text(0) : "";
}

// A batch written through `path` in the transaction of `tx` (the PostgreSQL repositories').
Result<std::vector<std::optional<Id>>> BatchThrough(Tx& tx, const std::vector<core::Event>& events,
                                                    EventBatchPath path) {
  return dynamic_cast<PostgresEventRepo&>(tx.events()).AppendBatch(events, path);
}

std::int64_t CountIn(Connection& conn, const std::string& table) {
  auto stmt = conn.Prepare("SELECT count(*) FROM " + table);
  if (!stmt) return -1;
  auto row = stmt->Step();
  return row && *row ? stmt->Int(0) : -1;
}

TEST_F(PostgresStoreTest, EventsLandInTheirMonthsPartitionAndReplaysAreFoundAcrossMonths) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  auto conn = Connection::Open(WithDatabase(ServerUrl(), store->database()));
  ASSERT_TRUE(conn);
  // The last millisecond of January and the first of February are in different months.
  const core::Instant last_of_january = Day(2026, 2, 1) - std::chrono::milliseconds(1);
  const std::vector<std::pair<std::string, core::Instant>> events = {{"jan", last_of_january},
                                                                     {"feb", Day(2026, 2, 1)},
                                                                     {"mar", Day(2026, 3, 31, 23)},
                                                                     {"old", Day(2019, 7, 4, 12)},
                                                                     {"jan-2", Day(2026, 1, 2)}};
  std::vector<Id> ids;
  for (const auto& [key, at] : events) {
    auto id = store->Write([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(auto stored, tx.events().Append(MonthEvent(key, at)));
      if (!stored) return core::Fail(core::Error::Internal("not stored"));
      ids.push_back(*stored);
      return {};
    });
    ASSERT_TRUE(id) << id.error().message;
  }
  EXPECT_EQ(PartitionOf(**conn, ids[0]), "events_2026_01");
  EXPECT_EQ(PartitionOf(**conn, ids[1]), "events_2026_02");
  EXPECT_EQ(PartitionOf(**conn, ids[2]), "events_2026_03");
  EXPECT_EQ(PartitionOf(**conn, ids[3]), "events_2019_07");
  EXPECT_EQ(PartitionOf(**conn, ids[4]), "events_2026_01");
  EXPECT_EQ(CountIn(**conn, "events_default"), 0);
  // Every replay meets its twin, whichever partition holds it.
  for (const auto& [key, at] : events) {
    auto again = store->Write([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(auto stored, tx.events().Append(MonthEvent(key, at)));
      if (stored) return core::Fail(core::Error::Internal(key + " stored twice"));
      return {};
    });
    EXPECT_TRUE(again) << again.error().message;
  }
  EXPECT_EQ(CountIn(**conn, "events"), 5);
  // Each id reads back from its partition.
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::optional<core::Event> got;
    ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(got, tx.events().Get(ids[i]));
      return {};
    }));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->event_id, events[i].first);
    EXPECT_EQ(got->occurred_at, events[i].second);
  }
}

TEST_F(PostgresStoreTest, AnEventOfAMonthWithoutPartitionGoesToTheDefaultAndMovesLater) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  auto conn = Connection::Open(WithDatabase(ServerUrl(), store->database()));
  ASSERT_TRUE(conn);
  // A row written past the store (no partition for May 2026 yet): the default partition takes
  // it rather than failing the insert.
  ASSERT_TRUE(
      (*conn)->Exec("INSERT INTO events (event_id, type, occurred_at, received_at, anonymous_id) "
                    "VALUES ('early', 'page_view', " +
                    std::to_string(core::ToMillis(Day(2026, 5, 3))) + ", 0, 'v-1')"));
  EXPECT_EQ(CountIn(**conn, "events_default"), 1);
  // The store's first event of May creates the month's partition and moves the row into it.
  std::optional<Id> id;
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(id, tx.events().Append(MonthEvent("later", Day(2026, 5, 20))));
    return {};
  }));
  ASSERT_TRUE(id);
  EXPECT_EQ(CountIn(**conn, "events_default"), 0);
  EXPECT_EQ(CountIn(**conn, "events_2026_05"), 2);
  // The moved row is still the key a replay meets.
  std::optional<Id> replay = Id{0};
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(replay, tx.events().Append(MonthEvent("early", Day(2026, 5, 3))));
    return {};
  }));
  EXPECT_FALSE(replay);
}

TEST_F(PostgresStoreTest, APartitionCreatedByARolledBackWriteIsCreatedAgain) {
  auto store = NewStore(2);
  ASSERT_NE(store, nullptr);
  auto conn = Connection::Open(WithDatabase(ServerUrl(), store->database()));
  ASSERT_TRUE(conn);
  // Both pooled connections see the month (and would remember it) in a write that fails.
  for (int i = 0; i < 2; ++i) {
    auto failed = store->Write([&](Tx& tx) -> Result<void> {
      TANDEM_TRY(tx.events().Append(MonthEvent("gone", Day(2026, 8, 8))).map([](auto) {}));
      return core::Fail(core::Error::Invalid("x", "the function fails"));
    });
    ASSERT_FALSE(failed);
  }
  EXPECT_EQ(CountIn(**conn, "events"), 0);
  std::optional<Id> id;
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(id, tx.events().Append(MonthEvent("kept", Day(2026, 8, 9))));
    return {};
  }));
  ASSERT_TRUE(id);
  EXPECT_EQ(PartitionOf(**conn, *id), "events_2026_08");
}

// Event retention (docs/postgres.md, "Events: retention"): months wholly before the cut-off go
// by dropping their partitions, whatever the batch size; the cut-off's month and the default
// partition by DELETE in batches; a call that removes fewer than the batch left nothing behind.
TEST_F(PostgresStoreTest, EventPurgeDropsWholeMonthsAndDeletesThePartialMonthInBatches) {
  auto store = NewStore(2);
  ASSERT_NE(store, nullptr);
  auto conn = Connection::Open(WithDatabase(ServerUrl(), store->database()));
  ASSERT_TRUE(conn);
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
    for (int i = 0; i < 5; ++i) {
      TANDEM_TRY(tx.events().Append(MonthEvent("jan" + std::to_string(i), Day(2026, 1, 2 + i))));
    }
    for (int i = 0; i < 3; ++i) {
      TANDEM_TRY(tx.events().Append(MonthEvent("feb" + std::to_string(i), Day(2026, 2, 2 + i))));
    }
    for (int i = 0; i < 4; ++i) {
      TANDEM_TRY(tx.events().Append(MonthEvent("mar" + std::to_string(i), Day(2026, 3, 2 + i))));
    }
    return {};
  }));
  // A row of a month without a partition, written past the store: the default partition's.
  ASSERT_TRUE(
      (*conn)->Exec("INSERT INTO events (event_id, type, occurred_at, received_at, anonymous_id) "
                    "VALUES ('dec', 'page_view', " +
                    std::to_string(core::ToMillis(Day(2025, 12, 24))) + ", 0, 'v-1')"));
  ASSERT_EQ(CountIn(**conn, "events_default"), 1);
  const core::Instant cutoff = Day(2026, 3, 4);  // two March events before it, two after
  auto purge = [&](int limit) {
    std::int64_t n = -1;
    auto r = store->Write([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(n, store::PrivacyOf(tx).DeleteEventsBefore(cutoff, limit));
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return n;
  };
  auto before = [&] {
    std::int64_t n = -1;
    auto r = store->Read([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(n, store::PrivacyOf(tx).CountEventsBefore(cutoff));
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return n;
  };
  EXPECT_EQ(before(), 11);
  // January and February go whole, more than the batch of 2 (January alone reaches it).
  EXPECT_EQ(purge(2), 5);
  EXPECT_EQ(CountIn(**conn, "pg_class WHERE relname = 'events_2026_01'"), 0);
  EXPECT_EQ(CountIn(**conn, "pg_class WHERE relname = 'events_2026_02'"), 1);
  EXPECT_EQ(purge(2), 3);
  EXPECT_EQ(CountIn(**conn, "pg_class WHERE relname = 'events_2026_02'"), 0);
  // Then the oldest rows left, by DELETE: December's in the default partition first.
  EXPECT_EQ(purge(2), 2);
  EXPECT_EQ(CountIn(**conn, "events_default"), 0);
  EXPECT_EQ(CountIn(**conn, "events_2026_03"), 3);
  EXPECT_EQ(purge(2), 1);  // fewer than the batch: done
  EXPECT_EQ(purge(2), 0);
  EXPECT_EQ(CountIn(**conn, "events_2026_03"), 2);
  // A month whose partition went takes events again (through the default partition on a
  // connection that remembers the month, into a new partition on one that does not).
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
    TANDEM_TRY(tx.events().Append(MonthEvent("jan-again", Day(2026, 1, 20))));
    return {};
  }));
  EXPECT_EQ(CountIn(**conn, "events WHERE event_id = 'jan-again'"), 1);
  EXPECT_EQ(before(), 1);
}

// Both batch paths store what Append would, one by one: ids in order, replays (of stored events
// and within the batch) left out, every value byte for byte, months made as needed.
TEST_F(PostgresStoreTest, EventBatchesStoreWhatAppendWouldThroughEitherPath) {
  for (const EventBatchPath path : {EventBatchPath::kValues, EventBatchPath::kCopy}) {
    SCOPED_TRACE(path == EventBatchPath::kCopy ? "COPY" : "VALUES");
    auto store = NewStore();
    ASSERT_NE(store, nullptr);
    Id contact = 0;
    ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
      core::Contact c;
      c.email = "c@example.com";
      c.created_at = c.updated_at = c.stage_entered_at = kT0;
      TANDEM_ASSIGN(contact, tx.contacts().Insert(c));
      return tx.events().Append(MonthEvent("stored", Day(2026, 4, 1))).map([](auto) {});
    }));
    std::vector<core::Event> batch;
    for (int i = 0; i < 1300; ++i) {  // more than one statement of the VALUES path
      auto e = MonthEvent("e" + std::to_string(i), Day(2026, 3 + i % 3, 1 + i % 28, i % 24));
      if (i % 2 == 0) e.contact_id = contact;
      batch.push_back(e);
    }
    batch[7].utm_source = "tab\there, newline\nthere, back\\slash \\N, CR\r, é ü 日本";
    batch[7].properties = R"({"q":"a\tb","path":"C:\\x"})";
    batch.push_back(MonthEvent("stored", Day(2026, 4, 1)));  // a replay of a stored event
    batch.push_back(batch[3]);                               // a replay within the batch
    std::vector<std::optional<Id>> ids;
    ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(ids, BatchThrough(tx, batch, path));
      return {};
    }));
    ASSERT_EQ(ids.size(), batch.size());
    for (std::size_t i = 0; i < 1300; ++i) ASSERT_TRUE(ids[i]) << i;
    EXPECT_FALSE(ids[1300]);
    EXPECT_FALSE(ids[1301]);
    for (std::size_t i = 1; i < 1300; ++i) EXPECT_LT(*ids[i - 1], *ids[i]) << i;
    for (std::size_t i : {std::size_t{0}, std::size_t{7}, std::size_t{1299}}) {
      std::optional<core::Event> got;
      ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
        TANDEM_ASSIGN(got, tx.events().Get(*ids[i]));
        return {};
      }));
      ASSERT_TRUE(got);
      batch[i].id = *ids[i];
      EXPECT_EQ(got->id, batch[i].id);
      EXPECT_EQ(got->event_id, batch[i].event_id);
      EXPECT_EQ(got->occurred_at, batch[i].occurred_at);
      EXPECT_EQ(got->contact_id, batch[i].contact_id);
      EXPECT_EQ(got->utm_source, batch[i].utm_source);
      EXPECT_EQ(got->properties, batch[i].properties);
    }
    auto conn = Connection::Open(WithDatabase(ServerUrl(), store->database()));
    ASSERT_TRUE(conn);
    EXPECT_EQ(CountIn(**conn, "events"), 1301);
    EXPECT_EQ(CountIn(**conn, "events_default"), 0);
    // A batch naming a contact that does not exist fails whole.
    auto orphan = MonthEvent("orphan", Day(2026, 3, 2));
    orphan.contact_id = 4242;
    auto bad = store->Write([&](Tx& tx) {
      return BatchThrough(tx, {MonthEvent("fine", Day(2026, 3, 2)), orphan}, path).map([](auto) {});
    });
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument) << bad.error().message;
    EXPECT_EQ(CountIn(**conn, "events"), 1301);
  }
}

// Words longer than a tsvector lexeme may be (2046 bytes) are not indexed; the rest of the
// record still is, and a search for such a word finds nothing instead of failing.
TEST_F(PostgresStoreTest, WordsTooLongToIndexAreLeftOutOfTheSearch) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  const std::string huge(3000, 'q');
  core::Contact c;
  c.email = "long@example.com";
  c.first_name = huge;
  c.last_name = "Short";
  c.created_at = c.updated_at = c.stage_entered_at = kT0;
  auto id = store->Write([&](Tx& tx) { return tx.contacts().Insert(c).map([](Id) {}); });
  ASSERT_TRUE(id) << id.error().message;
  auto search = [&](const std::string& text) {
    core::ContactQuery q;
    q.text = text;
    std::size_t n = 0;
    auto r = store->Read([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(auto page, tx.contacts().List(q));
      n = page.items.size();
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return n;
  };
  EXPECT_EQ(search("short"), 1u);
  EXPECT_EQ(search("qqq"), 0u);
  EXPECT_EQ(search(huge), 0u);
}

// A read keeps the snapshot of its first statement while a write commits.
TEST_F(PostgresStoreTest, ReadKeepsItsSnapshotWhileAWriteCommits) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write([&](Tx& tx) { return InsertUser(tx, "one@x.example").map([](Id) {}); }));
  std::promise<void> first_read, write_done;
  std::int64_t before = -1, after = -1;
  std::thread reader([&] {
    auto r = store->Read([&](Tx& tx) -> Result<void> {
      core::UserQuery q;
      TANDEM_ASSIGN(auto page, tx.users().List(q));
      before = static_cast<std::int64_t>(page.items.size());
      first_read.set_value();
      write_done.get_future().wait();
      TANDEM_ASSIGN(auto again, tx.users().List(q));
      after = static_cast<std::int64_t>(again.items.size());
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
  });
  first_read.get_future().wait();
  EXPECT_TRUE(store->Write([&](Tx& tx) { return InsertUser(tx, "two@x.example").map([](Id) {}); }));
  write_done.set_value();
  reader.join();
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
  EXPECT_EQ(CountUsers(*store), 2);
}

// Two stores on one database (two app servers): the second writer waits for the first to
// commit, then sees its row, as SQLite's single writer would have it.
TEST_F(PostgresStoreTest, WritersOfTwoStoresRunOneAfterTheOther) {
  auto a = NewStore();
  ASSERT_NE(a, nullptr);
  auto b_open = OpenPostgresStore({WithDatabase(ServerUrl(), a->database()), 2, nullptr});
  ASSERT_TRUE(b_open) << b_open.error().message;
  auto& b = **b_open;
  auto watcher = Connection::Open(WithDatabase(ServerUrl(), a->database()));
  ASSERT_TRUE(watcher);

  std::promise<void> a_inside, a_may_commit;
  std::thread a_thread([&] {
    auto r = a->Write([&](Tx& tx) -> Result<void> {
      TANDEM_TRY(InsertUser(tx, "first@x.example").map([](Id) {}));
      a_inside.set_value();
      a_may_commit.get_future().wait();
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
  });
  a_inside.get_future().wait();
  std::atomic<bool> b_inside{false};
  std::int64_t b_saw = -1;
  std::thread b_thread([&] {
    auto r = b.Write([&](Tx& tx) -> Result<void> {
      b_inside = true;
      core::UserQuery q;
      TANDEM_ASSIGN(auto page, tx.users().List(q));
      b_saw = static_cast<std::int64_t>(page.items.size());
      return InsertUser(tx, "second@x.example").map([](Id) {});
    });
    EXPECT_TRUE(r) << r.error().message;
  });
  // Waits (on the server's lock table, not on time) until b's writer queues for the lock.
  bool queued = false;
  for (int i = 0; i < 1'000'000 && !queued; ++i) {
    auto waiting = (*watcher)->Prepare(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    ASSERT_TRUE(waiting);
    ASSERT_TRUE(waiting->Step().value_or(false));
    queued = waiting->Int(0) == 1;
    if (!queued) std::this_thread::yield();
  }
  EXPECT_TRUE(queued);
  EXPECT_FALSE(b_inside.load());
  a_may_commit.set_value();
  a_thread.join();
  b_thread.join();
  EXPECT_TRUE(b_inside.load());
  EXPECT_EQ(b_saw, 1);
  EXPECT_EQ(CountUsers(*a), 2);
}

// The server drops every connection of the store (a restart or failover): the next calls
// reconnect and work, without reopening the store.
TEST_F(PostgresStoreTest, DroppedConnectionsAreReconnected) {
  auto store = NewStore(3);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write([&](Tx& tx) { return InsertUser(tx, "a@x.example").map([](Id) {}); }));
  auto admin = Admin();
  ASSERT_NE(admin, nullptr);
  auto kill = admin->Prepare(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1");
  ASSERT_TRUE(kill);
  kill->Bind(store->database());
  ASSERT_TRUE(kill->Step().value_or(false));
  EXPECT_EQ(kill->Int(0), 3);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(CountUsers(*store), 1 + i);
    auto w = store->Write([&](Tx& tx) {
      return InsertUser(tx, "w" + std::to_string(i) + "@x.example").map([](Id) {});
    });
    EXPECT_TRUE(w) << w.error().message;
  }
  EXPECT_EQ(CountUsers(*store), 5);
}

// Text travels byte for byte, including quotes, backslashes and multibyte characters.
// ---------------------------------------------------------------------------------------------
// Bulk mode (bulk_load.hpp): COPY of contacts and stage changes, the reach rows built at the end.

std::string SearchText(Connection& conn, Id contact) {
  auto stmt =
      conn.Prepare("SELECT search::text || '|' || search_words FROM contacts WHERE id = $1");
  EXPECT_TRUE(stmt);
  if (!stmt) return "";
  stmt->Bind(contact);
  if (!stmt->Step().value_or(false)) return "<none>";
  return stmt->Text(0);
}

std::vector<std::string> IndexNames(Connection& conn) {
  auto stmt = conn.Prepare(
      "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename IN ('contacts', "
      "'stage_history', 'contact_reach') ORDER BY indexname");
  EXPECT_TRUE(stmt);
  std::vector<std::string> out;
  while (stmt && stmt->Step().value_or(false)) out.push_back(stmt->Text(0));
  return out;
}

std::vector<std::string> ReachRows(Connection& conn) {
  auto stmt = conn.Prepare(
      "SELECT concat_ws(',', contact_id, r0, r1, r2, r3, r4, r5, r6) FROM contact_reach "
      "ORDER BY contact_id");
  EXPECT_TRUE(stmt);
  std::vector<std::string> out;
  while (stmt && stmt->Step().value_or(false)) out.push_back(stmt->Text(0));
  return out;
}

core::Contact TrickyContact(const std::string& email, const std::string& first,
                            const std::string& last) {
  core::Contact c;
  c.email = email;
  c.first_name = first;
  c.last_name = last;
  c.created_at = c.updated_at = c.stage_entered_at = kT0;
  return c;
}

core::StageChange MoveOf(Id contact, std::optional<core::Stage> from, core::Stage to, int at) {
  core::StageChange ch;
  ch.contact_id = contact;
  ch.from = from;
  ch.to = to;
  ch.at = At(at);
  ch.actor = core::Actor::System("import");
  ch.cause = "import";
  return ch;
}

// Text with COPY's special characters (tab, newline, carriage return, backslash, a literal \N,
// quotes) goes in by COPY byte for byte, empty optional fields as NULL; the search vector and
// words are exactly those an ordinary insert writes.
TEST_F(PostgresStoreTest, BulkCopyKeepsTabsNewlinesBackslashesAndNullsAndTheSameSearch) {
  auto store = NewStore();
  auto ordinary = NewStore();
  ASSERT_NE(store, nullptr);
  ASSERT_NE(ordinary, nullptr);
  const std::string tricky = "tab\there new\nline CR\r back\\slash \\N \\t O'Brien \"q\" é 日本";
  Id company = 0;
  for (auto* s : {store.get(), ordinary.get()}) {
    ASSERT_TRUE(s->Write([&](Tx& tx) -> Result<void> {
      core::Company co;
      co.name = "Back\\slash\tCo";
      co.created_at = co.updated_at = kT0;
      TANDEM_ASSIGN(company, tx.companies().Insert(co));
      return {};
    }));
  }
  std::vector<core::Contact> bulk = {TrickyContact("bulk@example.com", tricky, "D'Arcy\\N"),
                                     TrickyContact("empty@example.com", "", "")};
  bulk[0].company_id = company;
  bulk[0].title = tricky;
  bulk[0].custom = {{"note", tricky}, {"empty", ""}};
  bulk[1].phone = "\\N";  // the text, not NULL
  std::vector<core::Contact> plain = bulk;
  ASSERT_TRUE(ordinary->Write([&](Tx& tx) { return tx.contacts().InsertMany(plain); }));
  auto done = BulkOf(*store)->WriteBulk([&](const BulkStore::StepFn& step) {
    return step([&](Tx& tx) -> Result<void> {
      TANDEM_TRY(tx.contacts().InsertMany(bulk));
      auto move = MoveOf(bulk[0].id, std::nullopt, core::Stage::kLead, 5);
      move.reason = tricky;
      return tx.stages().AppendMany({move});
    });
  });
  ASSERT_TRUE(done) << done.error().message;
  for (const core::Contact& want : bulk) {
    std::optional<core::Contact> got;
    ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(got, tx.contacts().Get(want.id));
      return {};
    }));
    ASSERT_TRUE(got);
    contract::ExpectSame(*got, want);
  }
  std::vector<core::StageChange> history;
  ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(history, tx.stages().ListForContact(bulk[0].id));
    return {};
  }));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].reason, tricky);
  EXPECT_FALSE(history[0].from);
  EXPECT_FALSE(history[0].quality);
  EXPECT_FALSE(history[0].actor.user_id);
  auto conn = Connection::Open(WithDatabase(ServerUrl(), store->database()));
  auto other = Connection::Open(WithDatabase(ServerUrl(), ordinary->database()));
  ASSERT_TRUE(conn);
  ASSERT_TRUE(other);
  for (std::size_t i = 0; i < bulk.size(); ++i) {
    const std::string want = SearchText(**other, plain[i].id);
    EXPECT_NE(want.find("'arcy'"), i == 0 ? std::string::npos : 0u) << want;
    EXPECT_EQ(SearchText(**conn, bulk[i].id), want);
  }
  auto nulls = (*conn)->Prepare(
      "SELECT count(*) FROM contacts WHERE company_id IS NULL AND owner_id IS NULL AND id = $1");
  ASSERT_TRUE(nulls);
  nulls->Bind(bulk[1].id);
  ASSERT_TRUE(nulls->Step().value_or(false));
  EXPECT_EQ(nulls->Int(0), 1);
}

// The reach rows built at the end merge into rows already there (earliest time per stage wins)
// and equal what the trigger writes row by row; a change naming a missing contact fails its
// step with contact_id named.
TEST_F(PostgresStoreTest, BulkReachRowsEqualTheTriggersAndMissingContactsAreNamed) {
  auto by_trigger = NewStore();
  auto by_bulk = NewStore();
  ASSERT_NE(by_trigger, nullptr);
  ASSERT_NE(by_bulk, nullptr);
  using core::Stage;
  std::vector<Id> ids;
  for (auto* store : {by_trigger.get(), by_bulk.get()}) {
    ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
      std::vector<core::Contact> cs;
      for (int i = 0; i < 4; ++i) {
        cs.push_back(TrickyContact("r" + std::to_string(i) + "@example.com", "R", "R"));
      }
      TANDEM_TRY(tx.contacts().InsertMany(cs));
      ids.clear();
      for (const auto& c : cs) ids.push_back(c.id);
      // Stored before: contact 0 reached mql at 50, contact 1 lead at 10.
      return tx.stages().AppendMany({MoveOf(ids[0], std::nullopt, Stage::kMql, 50),
                                     MoveOf(ids[1], std::nullopt, Stage::kLead, 10)});
    }));
  }
  const std::vector<core::StageChange> later = {
      MoveOf(ids[0], Stage::kMql, Stage::kSal, 60),
      MoveOf(ids[0], Stage::kSal, Stage::kLead, 20),  // an earlier lead than known
      MoveOf(ids[1], Stage::kLead, Stage::kRecycled, 30),
      MoveOf(ids[2], std::nullopt, Stage::kDisqualified, 5),
      MoveOf(ids[3], std::nullopt, Stage::kVisitor, 1),
      MoveOf(ids[3], Stage::kVisitor, Stage::kCustomer, 90)};
  ASSERT_TRUE(by_trigger->Write([&](Tx& tx) { return tx.stages().AppendMany(later); }));
  auto done = BulkOf(*by_bulk)->WriteBulk([&](const BulkStore::StepFn& step) -> Result<void> {
    auto missing = step([&](Tx& tx) {
      return tx.stages().AppendMany({MoveOf(ids[2], std::nullopt, Stage::kLead, 1),
                                     MoveOf(4242, std::nullopt, Stage::kLead, 1)});
    });
    EXPECT_FALSE(missing);
    if (missing) return {};
    EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(missing.error().field, "contact_id");
    return step([&](Tx& tx) { return tx.stages().AppendMany(later); });
  });
  ASSERT_TRUE(done) << done.error().message;
  auto a = Connection::Open(WithDatabase(ServerUrl(), by_trigger->database()));
  auto b = Connection::Open(WithDatabase(ServerUrl(), by_bulk->database()));
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  const auto want = ReachRows(**a);
  ASSERT_EQ(want.size(), 3u);  // the disqualified-only contact has no row
  EXPECT_EQ(ReachRows(**b), want);
  // The trigger is on again: an ordinary write keeps the rows.
  ASSERT_TRUE(by_bulk->Write([&](Tx& tx) {
    return tx.stages().AppendMany({MoveOf(ids[2], Stage::kDisqualified, Stage::kLead, 70)});
  }));
  EXPECT_EQ(ReachRows(**b).size(), 4u);
}

// With the indexes dropped for the load, they are built again exactly as they were, after a
// load and after a failed one; lists and search walk them.
TEST_F(PostgresStoreTest, BulkWithDroppedIndexesBuildsThemAgainAsTheyWere) {
  auto store = NewStore(3, /*bulk_drop_indexes=*/true);
  ASSERT_NE(store, nullptr);
  auto conn = Connection::Open(WithDatabase(ServerUrl(), store->database()));
  ASSERT_TRUE(conn);
  const auto before = IndexNames(**conn);
  ASSERT_GT(before.size(), 15u);
  auto failed = BulkOf(*store)->WriteBulk([&](const BulkStore::StepFn& step) -> Result<void> {
    TANDEM_TRY(step([&](Tx& tx) -> Result<void> {
      std::vector<core::Contact> cs = {TrickyContact("gone@example.com", "Gone", "Gone")};
      return tx.contacts().InsertMany(cs);
    }));
    return core::Fail(core::Error::Invalid("file", "the file went away"));
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(IndexNames(**conn), before);
  std::vector<core::Contact> cs;
  for (int i = 0; i < 50; ++i) {
    cs.push_back(TrickyContact("i" + std::to_string(i) + "@example.com", "Indexed", "Person"));
    cs.back().stage = i % 2 ? core::Stage::kMql : core::Stage::kLead;
  }
  auto done = BulkOf(*store)->WriteBulk([&](const BulkStore::StepFn& step) {
    return step([&](Tx& tx) { return tx.contacts().InsertMany(cs); });
  });
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(IndexNames(**conn), before);
  core::ContactQuery q;
  q.text = "indexed";
  q.stage = core::Stage::kMql;
  q.page.limit = 100;
  std::size_t found = 0;
  ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto page, tx.contacts().List(q));
    found = page.items.size();
    return {};
  }));
  EXPECT_EQ(found, 25u);
}

TEST_F(PostgresStoreTest, TextRoundTripsByteForByte) {
  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  core::User u;
  u.email = "tricky@x.example";
  u.name = contract::kTricky;
  u.created_at = u.updated_at = At(1);
  Id id = 0;
  ASSERT_TRUE(store->Write([&](Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(id, tx.users().Insert(u, contract::kTricky));
    return {};
  }));
  ASSERT_TRUE(store->Read([&](Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto got, tx.users().Get(id));
    EXPECT_TRUE(got.has_value());
    if (got) {
      EXPECT_EQ(got->name, contract::kTricky);
      EXPECT_EQ(got->created_at, At(1));
    }
    TANDEM_ASSIGN(auto hash, tx.users().GetPasswordHash(id));
    EXPECT_EQ(hash, contract::kTricky);
    return {};
  }));
}

}  // namespace
}  // namespace tandem::store::postgres
