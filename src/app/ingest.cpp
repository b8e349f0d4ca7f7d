#include "app/ingest.hpp"

#include <pthread.h>

#include <algorithm>
#include <unordered_map>

#include "core/audit.hpp"

namespace tandem::app {

using core::Contact;
using core::Error;
using core::Event;
using core::Fail;
using store::IdentityKind;

namespace {

const core::Actor& IngestActor() {
  static const core::Actor actor = core::Actor::System("ingest");
  return actor;
}

}  // namespace

// What one group commit learns as it goes, so a batch of events for the same person looks
// them up once. Valid only inside its transaction.
struct EventIngest::GroupState {
  std::unordered_map<std::string, Id> by_email;
};

EventIngest::EventIngest(store::Store& store, const base::Clock& clock, IngestSettings settings)
    : store_(store), clock_(clock), settings_(settings) {
  writer_ = std::thread([this] { Run(); });
}

EventIngest::~EventIngest() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

Result<IngestReport> EventIngest::Ingest(const Principal& p, std::vector<IngestItem> items) {
  TANDEM_TRY(core::Authorize(p, core::Verb::kCreate, core::Resource::kEvent));
  if (items.empty()) return Fail(Error::Invalid("events", "a batch holds at least one event"));
  if (items.size() > settings_.max_batch) {
    return Fail(Error::Invalid(
        "events", "a batch holds at most " + std::to_string(settings_.max_batch) + " events"));
  }
  Pending pending;
  pending.events.reserve(items.size());
  pending.index.reserve(items.size());
  pending.hooks.reserve(items.size());
  const core::Instant now = clock_.Now();
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto& item = items[i];
    if (item.error) {
      pending.report.rejected.push_back({i, item.error->field, item.error->message});
      continue;
    }
    if (auto ok = core::NormalizeEvent(item.event, now); !ok) {
      pending.report.rejected.push_back({i, ok.error().field, ok.error().message});
      continue;
    }
    pending.events.push_back(std::move(item.event));
    pending.index.push_back(i);
    pending.hooks.push_back(std::move(item.on_stored));
  }
  if (pending.events.empty()) return std::move(pending.report);

  auto result = pending.done.get_future();
  {
    std::lock_guard lock(mu_);
    queue_.push_back(&pending);
  }
  cv_.notify_one();
  return result.get();
}

std::vector<std::size_t> PlanGroup(const std::vector<std::size_t>& sizes, std::size_t budget,
                                   std::size_t small_batch) {
  std::vector<std::size_t> out;
  if (sizes.empty()) return out;
  std::vector<bool> taken(sizes.size(), false);
  std::size_t events = 0;
  auto take = [&](std::size_t i) {
    taken[i] = true;
    events += sizes[i];
    out.push_back(i);
  };
  // Fast lane: small batches, while they fit in half the budget.
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] <= small_batch && events + sizes[i] <= budget / 2) take(i);
  }
  // Then the others in arrival order while they fit; the first of them always goes, so a bulk
  // batch is never starved by a stream of small ones.
  bool first = true;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (taken[i]) continue;
    if (!first && events + sizes[i] > budget) break;
    take(i);
    first = false;
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t EventIngest::EventBudget() const {
  const double ns = ns_per_event_.load(std::memory_order_relaxed);
  if (settings_.commit_budget.count() <= 0 || ns <= 0) return settings_.max_events_per_commit;
  const double fit = static_cast<double>(settings_.commit_budget.count()) * 1000.0 / ns;
  const auto lo = static_cast<double>(settings_.min_events_per_commit);
  const auto hi = static_cast<double>(settings_.max_events_per_commit);
  return static_cast<std::size_t>(std::clamp(fit, std::min(lo, hi), hi));
}

void EventIngest::Run() {
  // Named so that operators (top -H) and the ingest benchmark can find the single writer.
  pthread_setname_np(pthread_self(), "tandem-ingest");
  std::vector<Pending*> group;
  std::vector<std::size_t> sizes;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      sizes.clear();
      for (const auto* p : queue_) sizes.push_back(p->events.size());
      const auto plan = PlanGroup(sizes, EventBudget(), settings_.small_batch);
      // Take the planned batches out of the queue, keeping the others in order.
      std::size_t next = 0;
      std::deque<Pending*> rest;
      for (std::size_t i = 0; i < queue_.size(); ++i) {
        if (next < plan.size() && plan[next] == i) {
          group.push_back(queue_[i]);
          ++next;
        } else {
          rest.push_back(queue_[i]);
        }
      }
      queue_.swap(rest);
    }
    std::size_t events = 0;
    for (const auto* p : group) events += p->events.size();
    // The writer's own cost per event, smoothed, sizes the next groups (a measure of this
    // thread's work, not domain time: no base::Clock).
    const auto start = std::chrono::steady_clock::now();
    Commit(group);
    const auto took = std::chrono::steady_clock::now() - start;
    if (events >= 50) {
      const double ns =
          static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()) /
          static_cast<double>(events);
      const double old = ns_per_event_.load(std::memory_order_relaxed);
      ns_per_event_.store(old <= 0 ? ns : 0.7 * old + 0.3 * ns, std::memory_order_relaxed);
    }
    group.clear();
  }
}

void EventIngest::Commit(std::vector<Pending*>& group) {
  auto attempt = [this](std::vector<Pending*>& batch) -> Result<void> {
    std::vector<IngestReport> saved;
    saved.reserve(batch.size());
    for (auto* p : batch) saved.push_back(p->report);
    auto r = store_.Write([&](store::Tx& tx) -> Result<void> {
      GroupState state;
      const core::Instant now = clock_.Now();
      for (auto* p : batch) TANDEM_TRY(Apply(tx, state, *p, now));
      return {};
    });
    // A failed attempt leaves the reports as they were before it.
    if (!r) {
      for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->report = std::move(saved[i]);
    }
    return r;
  };

  Result<void> r;
  try {
    r = attempt(group);
  } catch (const std::exception& e) {
    r = Fail(Error::Internal(std::string("event ingest failed: ") + e.what()));
  }
  if (r) {
    ++commits_;
    for (auto* p : group) {
      events_ += p->events.size();
      p->done.set_value(std::move(p->report));
    }
    return;
  }
  if (group.size() == 1) {
    group[0]->done.set_value(Fail(r.error()));
    return;
  }
  for (auto* p : group) {
    std::vector<Pending*> alone{p};
    Result<void> own;
    try {
      own = attempt(alone);
    } catch (const std::exception& e) {
      own = Fail(Error::Internal(std::string("event ingest failed: ") + e.what()));
    }
    if (own) {
      p->done.set_value(std::move(p->report));
    } else {
      p->done.set_value(Fail(own.error()));
    }
  }
}

Result<void> EventIngest::Apply(store::Tx& tx, GroupState& state, Pending& p, core::Instant now) {
  for (std::size_t k = 0; k < p.events.size(); ++k) {
    Event& e = p.events[k];
    e.received_at = now;
    e.contact_id.reset();
    // Who: the contact of the email (or of a merged email), else the anonymous id's link.
    bool create = false;
    if (!e.email.empty()) {
      if (auto it = state.by_email.find(e.email); it != state.by_email.end()) {
        e.contact_id = it->second;
      } else {
        TANDEM_ASSIGN(e.contact_id, tx.identities().FindContactByEmail(e.email));
        if (e.contact_id) state.by_email.emplace(e.email, *e.contact_id);
      }
      create = !e.contact_id;
    }
    std::optional<Id> linked;
    if (!e.anonymous_id.empty()) {
      TANDEM_ASSIGN(linked, tx.identities().Find(IdentityKind::kAnonymous, e.anonymous_id));
      if (e.email.empty()) e.contact_id = linked;
    }

    TANDEM_ASSIGN(auto id, tx.events().Append(e));
    if (!id) {
      ++p.report.duplicate;
      continue;
    }
    e.id = *id;
    ++p.report.accepted;

    if (create) {
      Contact c;
      c.email = e.email;
      c.stage = core::Stage::kLead;
      c.source = core::ContactSourceFromEvent(e);
      c.campaign = e.utm_campaign.substr(0, core::kShortTextMax);
      c.created_at = c.updated_at = c.stage_entered_at = now;
      TANDEM_ASSIGN(c.id, tx.contacts().Insert(c));
      core::StageChange first;
      first.contact_id = c.id;
      first.to = c.stage;
      first.at = now;
      first.actor = IngestActor();
      first.cause = "event:" + e.type;
      TANDEM_TRY(tx.stages().Append(first));
      TANDEM_TRY(tx.audit().Append(core::MakeAudit<Contact>(
          now, IngestActor(), "contact", c.id, core::AuditAction::kCreate, std::nullopt, c)));
      TANDEM_TRY(tx.events().SetContact(e.id, c.id));
      e.contact_id = c.id;
      state.by_email.emplace(e.email, c.id);
      p.report.contacts_created.push_back(c.id);
    }

    // Identification: an email and a visitor id together link the visitor to the contact
    // (unless it already identified as someone) and bring its history along.
    std::vector<Event> attached;
    if (!e.email.empty() && !e.anonymous_id.empty() && !linked) {
      TANDEM_TRY(
          tx.identities().Link(IdentityKind::kAnonymous, e.anonymous_id, *e.contact_id, now));
      TANDEM_ASSIGN(attached, tx.events().AttachAnonymous(e.anonymous_id, *e.contact_id));
    }
    if (p.hooks[k] && e.contact_id) TANDEM_TRY(p.hooks[k](tx, e, create, now));
    if (sink_ != nullptr) {
      for (const auto& old : attached) TANDEM_TRY(sink_->OnContactEvent(tx, old, now));
      if (e.contact_id) TANDEM_TRY(sink_->OnContactEvent(tx, e, now));
    }
  }
  return {};
}

}  // namespace tandem::app
