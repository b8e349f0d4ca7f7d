// Crash safety (docs/reliability.md, "Crash safety"): a real `tandem serve` is SIGKILLed in the
// middle of its work and started again on the same database; what it acknowledged before the
// kill must be there exactly once, nothing half-written may show, and the work it had not
// finished must finish once.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "crash/crash_harness.hpp"

namespace tandem::crash {
namespace {

namespace json = boost::json;

constexpr const char* kAdmin = "sam.okafor@northwind-analytics.example";
constexpr const char* kPassword = "tandem-demo";
// A Wednesday morning in Paris (the demo contract's calendar): the reps are at work.
constexpr const char* kStart = "2026-11-25T09:00:00Z";

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() / "tandem.db";
    clock_ = dir_.path() / "clock";
    SetClock(clock_, kStart);
    std::string out;
    ASSERT_EQ(RunTandem({"demo", "--db", db_.string(), "--contacts", "200", "--days", "30",
                         "--clock-file", clock_.string()},
                        &out),
              0)
        << out;
    server_ = std::make_unique<ServerProcess>(db_, clock_, dir_.path() / "serve.log");
  }

  void TearDown() override {
    if (server_ && server_->running()) server_->Kill(SIGKILL);
    if (HasFailure()) {
      std::cerr << "server log (" << (dir_.path() / "serve.log") << "):\n"
                << Slurp(dir_.path() / "serve.log").substr(0, 20000) << "\n";
    }
  }

  void StartServer() {
    server_->Start();
    ASSERT_FALSE(server_->url().empty());
    token_ = Login(server_->url(), kAdmin, kPassword);
    ASSERT_FALSE(token_.empty());
  }

  void ExpectIntegrityOk() {
    Db db(db_);
    EXPECT_EQ(db.Text("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(db.Text("PRAGMA foreign_key_check"), "");
  }

  // Creates a contact and moves it to MQL: the handoff routes it, starts its SLA clocks and
  // appends lead.assigned to the outbox, all in the move's transaction. Returns the contact id
  // once the move was acknowledged, 0 when the server did not answer the move.
  std::int64_t QualifyNewLead(HttpClient& http, const std::string& email) {
    auto created = http.Post(
        "/api/v1/contacts",
        {{"email", email}, {"first_name", "Crash"}, {"last_name", "Test"}, {"country", "FR"}});
    if (created.status == 0) return 0;
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return 0;
    const auto id = created.Json().at("id").to_number<std::int64_t>();
    auto moved = http.Post("/api/v1/contacts/" + std::to_string(id) + "/stage", {{"stage", "mql"}});
    if (moved.status == 0) return 0;
    EXPECT_EQ(moved.status, 200) << moved.body;
    return moved.status == 200 ? id : 0;
  }

  TempDir dir_;
  std::filesystem::path db_, clock_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

// ---------------------------------------------------------------------------------------------
// Event ingest: batches of events with idempotency keys from several senders; the server is
// killed once some batches were acknowledged while others are in flight.

constexpr int kEventsPerBatch = 50;
constexpr int kSenders = 4;
constexpr int kAckedBeforeKill = 40;

std::string EventId(int batch, int i) {
  return "crash-" + std::to_string(batch) + "-" + std::to_string(i);
}

json::value Batch(int batch) {
  json::array events;
  for (int i = 0; i < kEventsPerBatch; ++i) {
    // Distinct instants an hour before the clock; the same batch number always gives the same
    // events (a resend is a true replay: same event_id, same occurred_at).
    const int n = batch * kEventsPerBatch + i;
    const int seconds = n % 3600;
    char at[32];
    std::snprintf(at, sizeof at, "2026-11-25T08:%02d:%02d.%03dZ", seconds / 60, seconds % 60,
                  (n / 3600) % 1000);
    events.push_back({{"event_id", EventId(batch, i)},
                      {"type", i % 5 == 0 ? "email_open" : "page_view"},
                      {"occurred_at", at},
                      {"email", "visitor" + std::to_string(n % 40) + "@crash.example"},
                      {"properties", {{"batch", batch}}}});
  }
  return {{"events", events}};
}

struct BatchAnswer {
  long status = 0;
  std::int64_t accepted = 0, duplicate = 0, rejected = 0;
};

BatchAnswer SendBatch(HttpClient& http, int batch) {
  auto r = http.Post("/api/v1/events", Batch(batch));
  BatchAnswer a{r.status};
  if (r.status == 200) {
    auto v = r.Json();
    a.accepted = v.at("accepted").to_number<std::int64_t>();
    a.duplicate = v.at("duplicate").to_number<std::int64_t>();
    a.rejected = v.at("rejected").to_number<std::int64_t>();
  }
  return a;
}

// Every stored crash event, by batch: how many rows each event id has.
std::map<int, std::map<std::string, std::int64_t>> StoredEvents(Db& db) {
  std::map<int, std::map<std::string, std::int64_t>> out;
  for (const auto& row : db.Rows("SELECT event_id, count(*) FROM events WHERE event_id LIKE "
                                 "'crash-%' GROUP BY event_id")) {
    const int batch = std::stoi(row[0].substr(6, row[0].find('-', 6) - 6));
    out[batch][row[0]] = std::stoll(row[1]);
  }
  return out;
}

TEST_F(CrashTest, EventIngestKilledMidStreamLosesNothingAcknowledgedAndDuplicatesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartServer());

  // Leads with SLA clocks and outbox items before the stream starts ...
  std::set<std::int64_t> acked_leads;
  {
    HttpClient http(server_->url(), token_);
    for (int i = 0; i < 4; ++i) {
      auto id = QualifyNewLead(http, "before" + std::to_string(i) + "@crash.example");
      ASSERT_GT(id, 0);
      acked_leads.insert(id);
    }
  }

  // ... and during it: senders post batches while a rep's manager keeps qualifying leads.
  std::mutex mu;
  std::set<int> acked, sent;
  std::atomic<int> next_batch{0};
  std::atomic<bool> down{false};
  std::condition_variable enough;
  std::vector<std::thread> threads;
  for (int s = 0; s < kSenders; ++s) {
    threads.emplace_back([&] {
      HttpClient http(server_->url(), token_);
      while (!down) {
        const int b = next_batch++;
        {
          std::lock_guard lock(mu);
          sent.insert(b);
        }
        auto a = SendBatch(http, b);
        if (a.status == 0) break;  // the server is gone
        EXPECT_EQ(a.status, 200);
        EXPECT_EQ(a.accepted, kEventsPerBatch) << "batch " << b;
        std::lock_guard lock(mu);
        acked.insert(b);
        enough.notify_all();
      }
    });
  }
  std::set<std::int64_t> leads_during;  // acknowledged while the stream ran
  int leads_tried = 0;
  threads.emplace_back([&] {
    HttpClient http(server_->url(), token_);
    while (!down) {
      auto id = QualifyNewLead(http, "during" + std::to_string(leads_tried++) + "@crash.example");
      if (id == 0) break;
      std::lock_guard lock(mu);
      leads_during.insert(id);
    }
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(enough.wait_for(lock, kPatience,
                                [&] { return static_cast<int>(acked.size()) >= kAckedBeforeKill; }))
        << "the server acknowledged only " << acked.size() << " batches";
  }
  server_->Kill(SIGKILL);
  down = true;
  for (auto& t : threads) t.join();
  for (auto id : leads_during) acked_leads.insert(id);
  ASSERT_GE(static_cast<int>(acked.size()), kAckedBeforeKill);
  std::cout << "killed with " << acked.size() << " of " << sent.size() << " batches acknowledged, "
            << acked_leads.size() << " leads qualified\n";

  // What the killed server left: every acknowledged event once, each batch all or nothing.
  std::set<int> stored_batches;
  int assigned_leads = 0;
  {
    ExpectIntegrityOk();
    Db db(db_);
    auto stored = StoredEvents(db);
    for (int b : acked) {
      ASSERT_TRUE(stored.count(b)) << "acknowledged batch " << b << " is missing";
      EXPECT_EQ(stored[b].size(), static_cast<std::size_t>(kEventsPerBatch)) << "batch " << b;
    }
    for (const auto& [b, ids] : stored) {
      EXPECT_TRUE(sent.count(b));
      EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEventsPerBatch))
          << "batch " << b << " is partly stored";
      for (const auto& [id, n] : ids) EXPECT_EQ(n, 1) << id;
      stored_batches.insert(b);
    }
    // Every acknowledged qualification with its handoff: one assignment; an owner's with its
    // three open SLA clocks and lead.assigned in the outbox, or (the reps at capacity) an
    // unassigned one with lead.unassigned and no clock.
    for (auto id : acked_leads) {
      EXPECT_EQ(db.Text("SELECT stage FROM contacts WHERE id = " + std::to_string(id)), "mql");
    }
    std::set<std::int64_t> qualified;
    for (const auto& row : db.Rows(
             "SELECT c.id, (SELECT count(*) FROM handoff_assignments a WHERE a.contact_id = c.id), "
             "(SELECT count(*) FROM handoff_assignments a WHERE a.contact_id = c.id AND "
             "a.owner_id IS NOT NULL), "
             "(SELECT count(*) FROM sla_clocks k WHERE k.contact_id = c.id AND k.state = 'open'), "
             "(SELECT count(*) FROM outbox o WHERE o.contact_id = c.id AND o.event_type = "
             "'lead.assigned'), "
             "(SELECT count(*) FROM outbox o WHERE o.contact_id = c.id AND o.event_type = "
             "'lead.unassigned'), "
             "(SELECT count(*) FROM outbox o WHERE o.contact_id = c.id AND o.event_type = "
             "'contact.mql') "
             "FROM contacts c WHERE c.email LIKE '%@crash.example' AND c.stage = 'mql'")) {
      // A qualification not acknowledged is here in full or not at all, like the others.
      const bool assigned = row[2] == "1";
      EXPECT_EQ(row[1], "1") << "contact " << row[0];
      EXPECT_EQ(row[3], assigned ? "3" : "0") << "contact " << row[0];
      EXPECT_EQ(row[4], assigned ? "1" : "0") << "contact " << row[0];
      EXPECT_EQ(row[5], assigned ? "0" : "1") << "contact " << row[0];
      EXPECT_EQ(row[6], "1") << "contact " << row[0];
      qualified.insert(std::stoll(row[0]));
      if (assigned) ++assigned_leads;
    }
    for (auto id : acked_leads) EXPECT_TRUE(qualified.count(id)) << "lead " << id;
  }
  EXPECT_GE(assigned_leads, 4) << "some clocks must be running when the server is killed";
  Db probe(db_);
  const auto open_items = probe.Int("SELECT count(*) FROM sla_clocks WHERE state = 'open'") +
                          probe.Int("SELECT count(*) FROM sla_escalations WHERE done_at IS NULL");

  // Started again, the scheduler holds every open clock ...
  ASSERT_NO_FATAL_FAILURE(StartServer());
  auto line = server_->WaitForLog("SLA scheduler: ");
  ASSERT_TRUE(line);
  EXPECT_NE(line->find("SLA scheduler: " + std::to_string(open_items) + " open clocks"),
            std::string::npos)
      << *line << " (expected " << open_items << ")";

  // ... and the senders resend what was not acknowledged, and some of what was.
  HttpClient http(server_->url(), token_);
  for (int b : sent) {
    if (acked.count(b)) continue;
    auto a = SendBatch(http, b);
    ASSERT_EQ(a.status, 200);
    if (stored_batches.count(b)) {
      EXPECT_EQ(a.duplicate, kEventsPerBatch) << "batch " << b << " was stored before the kill";
    } else {
      EXPECT_EQ(a.accepted, kEventsPerBatch) << "batch " << b;
    }
  }
  int resent_acked = 0;
  for (int b : acked) {
    if (b % 3 != 0) continue;
    auto a = SendBatch(http, b);
    ASSERT_EQ(a.status, 200);
    EXPECT_EQ(a.accepted, 0) << "batch " << b;
    EXPECT_EQ(a.duplicate, kEventsPerBatch) << "batch " << b;
    ++resent_acked;
  }
  EXPECT_GT(resent_acked, 0);
  EXPECT_EQ(server_->Stop(), 0);

  ExpectIntegrityOk();
  Db db(db_);
  auto stored = StoredEvents(db);
  EXPECT_EQ(stored.size(), sent.size());
  for (int b : sent) {
    ASSERT_TRUE(stored.count(b)) << "batch " << b;
    EXPECT_EQ(stored[b].size(), static_cast<std::size_t>(kEventsPerBatch));
    for (const auto& [id, n] : stored[b]) EXPECT_EQ(n, 1) << id;
  }
  EXPECT_EQ(db.Int("SELECT count(*) FROM events WHERE event_id LIKE 'crash-%'"),
            static_cast<std::int64_t>(sent.size()) * kEventsPerBatch);
}

// ---------------------------------------------------------------------------------------------
// The SLA scheduler: a clock breaches, the breach is committed with its sla.breached outbox
// item, and the server dies while the webhook announcing it is on the wire (the receiver holds
// the request unanswered). After the restart the announcement is delivered, once.

TEST_F(CrashTest, SlaBreachKilledBeforeItsNotificationIsDeliveredOnceAfterRestart) {
  WebhookReceiver receiver;
  receiver.set_hold(true);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  HttpClient http(server_->url(), token_);
  auto hook = http.Post("/api/v1/webhooks",
                        {{"url", "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook"},
                         {"event_types", {"sla.breached"}},
                         {"description", "crash test receiver"}});
  ASSERT_EQ(hook.status, 201) << hook.body;
  const auto id = QualifyNewLead(http, "breach@crash.example");
  ASSERT_GT(id, 0);
  const auto contact = std::to_string(id);

  std::int64_t due_ms = 0;
  {
    Db db(db_);
    due_ms = db.Int(
        "SELECT due_at FROM sla_clocks WHERE obligation = 'first_touch' AND "
        "contact_id = " +
        contact);
    ASSERT_GT(due_ms, 0);
    EXPECT_EQ(db.Int("SELECT count(*) FROM outbox WHERE event_type = 'sla.breached'"), 0);
  }
  // Time moves a minute past the due time; SIGUSR1 wakes the scheduler to look at its clock.
  auto instant = [](std::int64_t ms) {
    const std::time_t s = ms / 1000;
    std::tm tm{};
    gmtime_r(&s, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf);
  };
  SetClock(clock_, instant(due_ms + 60'000));
  server_->Signal(SIGUSR1);
  ASSERT_TRUE(receiver.WaitForRequests(1)) << "the breach was never announced";

  // The breach is committed, the webhook is in flight: kill.
  {
    Db db(db_);
    EXPECT_EQ(db.Text("SELECT state FROM sla_clocks WHERE obligation = 'first_touch' AND "
                      "contact_id = " +
                      contact),
              "breached");
  }
  server_->Kill(SIGKILL);
  receiver.DropHeld();
  std::string uid;
  std::int64_t outbox_id = 0;
  {
    ExpectIntegrityOk();
    Db db(db_);
    EXPECT_EQ(db.Int("SELECT breached_at FROM sla_clocks WHERE obligation = 'first_touch' AND "
                     "contact_id = " +
                     contact),
              due_ms);
    ASSERT_EQ(db.Int("SELECT count(*) FROM outbox WHERE event_type = 'sla.breached'"), 1);
    outbox_id = db.Int("SELECT id FROM outbox WHERE event_type = 'sla.breached'");
    auto rows = db.Rows(
        "SELECT uid, status FROM deliveries WHERE channel = 'webhook' AND "
        "outbox_id = " +
        std::to_string(outbox_id));
    ASSERT_EQ(rows.size(), 1u);
    uid = rows[0][0];
    EXPECT_EQ(rows[0][1], "pending");
  }
  auto first = receiver.requests();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].delivery_id, uid);
  EXPECT_FALSE(first[0].answered);

  // Restarted a minute later (the receiver answers now): the announcement goes out again, with
  // the same delivery id, and the breach is not fired a second time.
  receiver.set_hold(false);
  SetClock(clock_, instant(due_ms + 120'000));
  ASSERT_NO_FATAL_FAILURE(StartServer());
  HttpClient again(server_->url(), token_);
  const auto hook_id = std::to_string(hook.Json().at("id").to_number<std::int64_t>());
  ASSERT_TRUE(Eventually([&] {
    auto r = again.Get("/api/v1/webhooks/" + hook_id + "/deliveries");
    return r.status == 200 && r.body.find("\"status\":\"delivered\"") != std::string::npos;
  })) << "the announcement was not delivered after the restart";
  EXPECT_EQ(server_->Stop(), 0);

  auto all = receiver.requests();
  int answered = 0;
  for (const auto& r : all) {
    EXPECT_EQ(r.delivery_id, uid) << "only the one breach is announced";
    if (r.answered) ++answered;
  }
  EXPECT_EQ(answered, 1) << "delivered once, not zero, not twice";
  ExpectIntegrityOk();
  Db db(db_);
  EXPECT_EQ(db.Int("SELECT count(*) FROM outbox WHERE event_type = 'sla.breached'"), 1);
  EXPECT_EQ(db.Int("SELECT count(*) FROM deliveries WHERE channel = 'webhook'"), 1);
  EXPECT_EQ(db.Text("SELECT status FROM deliveries WHERE uid = '" + uid + "'"), "delivered");
  EXPECT_EQ(db.Int("SELECT count(*) FROM sla_clocks WHERE state = 'breached'"), 1);
  EXPECT_NE(all.front().body.find("\"sla.breached\""), std::string::npos) << all.front().body;
}

// ---------------------------------------------------------------------------------------------
// A CSV import job killed between two of its batches: the rows of the batches it committed
// (at least those its last checkpoint counts) are there once; after the restart the job says it
// was interrupted, and importing the file again finishes the work without a duplicate.

constexpr int kImportRows = 60'000;

std::string ImportCsv() {
  std::string csv = "email,first_name,last_name,company,country\n";
  csv.reserve(kImportRows * 60);
  for (int i = 0; i < kImportRows; ++i) {
    csv += "row" + std::to_string(i) + "@import.example,Row," + std::to_string(i) + ",Import Co " +
           std::to_string(i % 500) + ",DE\n";
  }
  return csv;
}

TEST_F(CrashTest, ImportJobKilledMidFileFailsCleanlyAndReRunsWithoutDuplicates) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  HttpClient http(server_->url(), token_);
  const std::string csv = ImportCsv();
  auto started = http.Send("POST", "/api/v1/imports?file_name=crash.csv", csv, "text/csv");
  ASSERT_EQ(started.status, 202) << started.body;
  const auto job = std::to_string(started.Json().at("id").to_number<std::int64_t>());

  // Kill once a batch is committed and counted in the job's checkpoint, before the end.
  std::string status;
  std::int64_t checkpoint = 0;
  ASSERT_TRUE(Eventually([&] {
    auto r = http.Get("/api/v1/imports/" + job);
    if (r.status != 200) return false;
    auto v = r.Json();
    status = std::string(v.at("status").as_string());
    checkpoint = v.at("counts").at("created").to_number<std::int64_t>();
    return status != "queued" && (status != "running" || checkpoint > 0);
  }));
  ASSERT_EQ(status, "running") << "the import finished before the kill; make the file larger";
  server_->Kill(SIGKILL);

  std::int64_t imported = 0;
  {
    ExpectIntegrityOk();
    Db db(db_);
    EXPECT_EQ(db.Text("SELECT status FROM import_jobs WHERE id = " + job), "running");
    const auto counted = db.Int("SELECT created FROM import_jobs WHERE id = " + job);
    EXPECT_GE(counted, checkpoint);
    imported = db.Int("SELECT count(*) FROM contacts WHERE email LIKE '%@import.example'");
    EXPECT_GE(imported, counted) << "rows the checkpoint counts are committed";
    EXPECT_LT(imported, kImportRows);
    EXPECT_EQ(imported % 5000, 0) << "whole batches of 5,000 rows, never part of one";
    EXPECT_EQ(db.Int("SELECT count(DISTINCT email) FROM contacts WHERE email LIKE "
                     "'%@import.example'"),
              imported);
    // Each committed row has its first stage row, committed with it.
    EXPECT_EQ(db.Int("SELECT count(*) FROM contacts c WHERE c.email LIKE '%@import.example' AND "
                     "NOT EXISTS (SELECT 1 FROM stage_history h WHERE h.contact_id = c.id)"),
              0);
  }

  // Restarted: the job cannot resume (the upload was in the killed process's memory); it is
  // failed, saying why, and keeps its last counts.
  ASSERT_NO_FATAL_FAILURE(StartServer());
  HttpClient again(server_->url(), token_);
  auto after = again.Get("/api/v1/imports/" + job);
  ASSERT_EQ(after.status, 200) << after.body;
  auto v = after.Json();
  EXPECT_EQ(v.at("status").as_string(), "failed");
  EXPECT_NE(std::string(v.at("message").as_string()).find("interrupted"), std::string::npos)
      << after.body;
  EXPECT_TRUE(server_->WaitForLog("1 import jobs were interrupted"));

  // The same file again: what was imported comes out unchanged, the rest created, once.
  auto rerun = again.Send("POST", "/api/v1/imports?file_name=crash.csv", csv, "text/csv");
  ASSERT_EQ(rerun.status, 202) << rerun.body;
  const auto job2 = std::to_string(rerun.Json().at("id").to_number<std::int64_t>());
  boost::json::value done;
  ASSERT_TRUE(Eventually(std::chrono::minutes(8), [&] {
    auto r = again.Get("/api/v1/imports/" + job2);
    if (r.status != 200) return false;
    done = r.Json();
    auto s = done.at("status").as_string();
    return s == "succeeded" || s == "failed";
  }));
  EXPECT_EQ(done.at("status").as_string(), "succeeded") << done;
  EXPECT_EQ(done.at("counts").at("rows").to_number<std::int64_t>(), kImportRows);
  EXPECT_EQ(done.at("counts").at("created").to_number<std::int64_t>(), kImportRows - imported);
  EXPECT_EQ(done.at("counts").at("unchanged").to_number<std::int64_t>(), imported);
  EXPECT_EQ(done.at("counts").at("errors").to_number<std::int64_t>(), 0);
  EXPECT_EQ(server_->Stop(), 0);

  ExpectIntegrityOk();
  Db db(db_);
  EXPECT_EQ(db.Int("SELECT count(*) FROM contacts WHERE email LIKE '%@import.example'"),
            kImportRows);
  EXPECT_EQ(db.Int("SELECT count(DISTINCT email) FROM contacts WHERE email LIKE "
                   "'%@import.example'"),
            kImportRows);
}

}  // namespace
}  // namespace tandem::crash
