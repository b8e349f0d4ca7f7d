// Event ingest: tracking events in, identities resolved, the event log appended in group
// commits, and every accepted event handed to the contact's scoring in the same transaction.
//
// The path of a batch (docs/events.md):
//  1. The caller's thread normalises and checks each item with the core (NormalizeEvent);
//     refused items are reported with their index, field and message and go no further.
//  2. The valid items join a queue. One writer thread takes what is queued and writes it in
//     ONE store transaction: the batches of many concurrent requests share one commit (group
//     commit), which is what lets SQLite's single writer keep up. A request returns when the
//     transaction holding its batch has committed: an acknowledged event is durable.
//     A group is sized to hold the store's writer about `commit_budget` (the writer measures
//     its own cost per event), so that other writers — a rep's accept, the notification
//     fan-out, the SLA scheduler — wait at most that long behind ingest. Small batches (a
//     tracker's page view, a form post: at most `small_batch` events) go first, in arrival
//     order, using at most half a group; bulk batches follow in arrival order (PlanGroup).
//  3. Per event, in that transaction: the contact is found by email (or by a merged email's
//     link), or created as a lead when the email is new; an anonymous id is resolved through
//     its identity link. The event is appended; a replay (same occurred_at and event_id) is a
//     duplicate and changes nothing. An event carrying both an email and an anonymous id
//     identifies the visitor: the link is recorded (the first identification wins) and the
//     visitor's earlier events join the contact. Every event that gets a contact this way is
//     passed to the EventSink (scoring, automatic MQL) inside the same transaction.
//  4. If the shared transaction fails, each batch is retried alone, so one request's trouble
//     (e.g. a failing sink) cannot sink the others; a batch whose own transaction fails gets
//     the error and none of its events is stored.
// Thread-safety: Ingest may be called from any number of threads at once; it blocks until the
// batch is committed. The destructor finishes what is queued, then stops the writer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.hpp"
#include "core/event.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Id;
using core::Principal;
using core::Result;

// What ingest tells the scoring side, inside the ingest transaction. Implementations update
// the contact's scores and may move its lifecycle (through ApplyTransition); an error fails the
// transaction.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // `e` now belongs to contact `*e.contact_id` (newly accepted, or attached when its visitor
  // identified).
  virtual Result<void> OnContactEvent(store::Tx& tx, const core::Event& e, core::Instant now) = 0;
  // Contact `other` is being merged into `keep` (called before `other` is deleted, after its
  // events moved to `keep`).
  virtual Result<void> OnMerge(store::Tx& tx, Id keep, Id other, core::Instant now) = 0;
};

struct IngestSettings {
  std::size_t max_batch = 1000;                // items per request
  std::size_t max_events_per_commit = 20'000;  // what one group commit may take, at most
  std::size_t min_events_per_commit = 250;     // the budget never shrinks a group below this
  // How long one group commit should hold the store's writer; the writer turns it into a
  // number of events from its measured cost per event. Zero: no time budget.
  std::chrono::microseconds commit_budget{20'000};
  std::size_t small_batch = 20;  // batches of at most this many events take the fast lane
};

// Which queued batches the next group commit takes, given the queue's batch sizes in arrival
// order: first the small ones (<= small_batch events) in arrival order while they fit in half
// of `budget` events, then the others in arrival order while the total fits in `budget` — but
// always the first of those, so a bulk batch is never starved by small ones (a group may thus
// exceed the budget by one batch). Returns queue positions, ascending.
std::vector<std::size_t> PlanGroup(const std::vector<std::size_t>& sizes, std::size_t budget,
                                   std::size_t small_batch);

// One item of a batch as the API hands it over: a parsed event, or the reason it could not be
// parsed (then `event` is ignored).
struct IngestItem {
  core::Event event;
  std::optional<core::Error> error;
  // Runs in the ingest transaction once the event is stored and has its contact (after the
  // contact's creation and the visitor's identification, before scoring), with whether ingest
  // created the contact for it. Not run for a duplicate or an event without a contact. An error
  // fails the transaction: nothing of the batch is stored. Web capture writes the contact's
  // form fields and the consent record here, so a form post commits as one.
  using StoredHook = std::function<Result<void>(store::Tx& tx, const core::Event& e, bool created,
                                                core::Instant now)>;
  StoredHook on_stored;
};

struct Rejection {
  std::size_t index = 0;
  std::string field;
  std::string message;
};

struct IngestReport {
  std::size_t accepted = 0;
  std::size_t duplicate = 0;
  std::vector<Rejection> rejected;  // by index
  std::vector<Id> contacts_created;
};

class EventIngest {
 public:
  EventIngest(store::Store& store, const base::Clock& clock, IngestSettings settings = {});
  ~EventIngest();
  EventIngest(const EventIngest&) = delete;
  EventIngest& operator=(const EventIngest&) = delete;

  // Must be called before the first Ingest (the composition root wires scoring here).
  void SetSink(EventSink* sink) { sink_ = sink; }

  // Ingests a batch of 1..max_batch items. kInvalidArgument (field "events") for an empty or
  // oversized batch; kPermissionDenied without the ingest right; kUnavailable/kInternal when
  // the batch could not be committed (then nothing of it is stored).
  Result<IngestReport> Ingest(const Principal& p, std::vector<IngestItem> items);

  // How well batches are coalesced: transactions committed and the events they held.
  struct Stats {
    std::uint64_t commits = 0;
    std::uint64_t events = 0;
  };
  Stats stats() const { return {commits_.load(), events_.load()}; }
  // The events the next group may hold, from the measured cost per event and commit_budget.
  std::size_t EventBudget() const;

 private:
  struct Pending {
    std::vector<core::Event> events;            // the valid ones
    std::vector<std::size_t> index;             // their positions in the request
    std::vector<IngestItem::StoredHook> hooks;  // parallel to events; mostly empty
    IngestReport report;
    std::promise<Result<IngestReport>> done;
  };
  struct GroupState;

  void Run();
  void Commit(std::vector<Pending*>& group);
  Result<void> Apply(store::Tx& tx, GroupState& state, Pending& p, core::Instant now);

  store::Store& store_;
  const base::Clock& clock_;
  const IngestSettings settings_;
  EventSink* sink_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending*> queue_;  // guarded by mu_
  bool stop_ = false;           // guarded by mu_
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> events_{0};
  // Smoothed writer time per event (ns) over recent group commits; 0 until measured.
  std::atomic<double> ns_per_event_{0};
  std::thread writer_;
};

}  // namespace tandem::app
