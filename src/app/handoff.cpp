#include "app/handoff.hpp"

#include <algorithm>

#include <date/tz.h>

#include "app/contacts.hpp"
#include "app/contract_file.hpp"

namespace tandem::app {

using core::Assignment;
using core::AssignmentStatus;
using core::AuditAction;
using core::Contact;
using core::Error;
using core::Fail;
using core::Instant;
using core::SlaClock;
using core::SlaObligation;
using core::Stage;

struct HandoffService::Terms {
  Id version_id = 0;
  core::Contract contract;
  std::map<std::string, core::BusinessCalendar> calendars;  // by team; "" is the default

  const core::BusinessCalendar& CalendarFor(const std::string& team) const {
    auto it = calendars.find(team);
    if (it != calendars.end()) return it->second;
    return calendars.at("");
  }
};

namespace {

constexpr std::string_view kNoContractCode = "unassigned:no_contract";

Result<Contact> LoadContact(store::Tx& tx, Id id) {
  TANDEM_ASSIGN(auto found, tx.contacts().Get(id));
  if (!found) return Fail(Error::NotFound("contact " + std::to_string(id) + " does not exist"));
  return *found;
}

// The name of the team of `user_id` ("" without one): its calendar times the user's clocks.
Result<std::string> TeamOf(store::Tx& tx, Id user_id) {
  TANDEM_ASSIGN(auto owner, tx.users().Get(user_id));
  if (!owner || !owner->team_id) return std::string();
  TANDEM_ASSIGN(auto t, tx.teams().Get(*owner->team_id));
  return t ? t->name : std::string();
}

core::Date LocalDay(const date::time_zone* zone, Instant now) {
  auto local = date::make_zoned(zone, now).get_local_time();
  return core::Date(date::floor<date::days>(local).time_since_epoch());
}

// The owner, or a manager or admin; an API key also needs the write scope.
Result<void> MayDispose(const Principal& p, const Contact& c) {
  if (p.scopes && !p.HasScope(core::Scope::kWrite)) {
    return Fail(Error::Forbidden("this API key has no write scope"));
  }
  if (p.role == core::Role::kAdmin || p.role == core::Role::kManager) return {};
  if (c.owner_id && *c.owner_id == p.user_id) return {};
  return Fail(
      Error::Forbidden("only the lead's owner, a manager or an admin may accept or reject "
                       "contact " +
                       std::to_string(c.id)));
}

Result<void> RequireMql(const Contact& c, std::string_view what) {
  if (c.stage == Stage::kMql) return {};
  return Fail(Error::Conflict("stage", "contact " + std::to_string(c.id) + " is " +
                                           std::string(core::ToString(c.stage)) +
                                           "; only an mql can be " + std::string(what)));
}

std::string ReasonCodes(const core::Contract& c) {
  std::string out;
  for (const auto& r : c.rejection_reasons) {
    if (!out.empty()) out += ", ";
    out += r.code;
  }
  return out;
}

Result<void> SaveOwner(store::Tx& tx, Contact& c, std::optional<Id> owner, Instant now,
                       const core::Actor& actor) {
  if (c.owner_id == owner) return {};
  std::optional<Contact> before = c;
  c.owner_id = owner;
  c.updated_at = now;
  TANDEM_TRY(tx.contacts().Update(c));
  TANDEM_TRY(tx.audit().Append(
      core::MakeAudit<Contact>(now, actor, "contact", c.id, AuditAction::kUpdate, before, c)));
  return {};
}

std::string EmailOf(store::Tx& tx, std::optional<Id> user) {
  if (!user) return {};
  auto u = tx.users().Get(*user);
  if (!u || !*u) return "#" + std::to_string(*user);
  return (*u)->email;
}

std::int64_t Percentile(std::vector<std::int64_t>& v, double q) {
  // Nearest rank.
  std::size_t rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rank - 1), v.end());
  return v[rank - 1];
}

}  // namespace

// ----- contract terms ------------------------------------------------------------------------

Result<std::shared_ptr<const HandoffService::Terms>> HandoffService::TermsOf(store::Tx& tx,
                                                                             Id version_id) {
  {
    std::lock_guard lock(mu_);
    auto it = terms_.find(version_id);
    if (it != terms_.end()) return it->second;
  }
  TANDEM_ASSIGN(auto version, tx.contracts().GetVersion(version_id));
  if (!version) {
    return Fail(Error::Internal("contract version " + std::to_string(version_id) + " is missing"));
  }
  auto parsed = ParseContract(version->text);
  if (!parsed) {
    return Fail(
        Error::Internal("contract version " + std::to_string(version_id) + " no longer parses"));
  }
  auto terms = std::make_shared<Terms>();
  terms->version_id = version_id;
  terms->contract = std::move(*parsed);
  TANDEM_ASSIGN(auto base, terms->contract.calendar.Build());
  terms->calendars.emplace("", std::move(base));
  for (const auto& tc : terms->contract.team_calendars) {
    TANDEM_ASSIGN(auto cal, tc.calendar.Build());
    terms->calendars.emplace(tc.team, std::move(cal));
  }
  std::lock_guard lock(mu_);
  return terms_.emplace(version_id, std::move(terms)).first->second;
}

Result<std::shared_ptr<const HandoffService::Terms>> HandoffService::TermsAt(store::Tx& tx,
                                                                             Instant at) {
  TANDEM_ASSIGN(auto version, tx.contracts().ActiveAt(at));
  if (!version) return std::shared_ptr<const Terms>();
  return TermsOf(tx, version->id);
}

Result<void> HandoffService::Publish(store::Tx& tx, HandoffEvent e) {
  // Written to the outbox in this transaction (Services wires app::OutboxHandoffNotifier).
  if (!notifier_) return {};
  return notifier_->Publish(tx, e);
}

// ----- routing -------------------------------------------------------------------------------

Result<core::RoutingDecision> HandoffService::Decide(store::Tx& tx, const Terms& terms,
                                                     const Contact& c, Instant now,
                                                     std::optional<Id> exclude) {
  const auto& routing = terms.contract.routing;
  core::RoutingRequest req;
  req.contact_id = c.id;
  req.country = c.country;
  if (auto it = c.custom.find("region"); it != c.custom.end()) req.region = it->second;
  req.company_id = c.company_id;
  if (c.company_id) {
    TANDEM_ASSIGN(auto company, tx.companies().Get(*c.company_id));
    if (company) req.company_owner_id = company->owner_id;
  }
  TANDEM_ASSIGN(auto score, tx.scoring().GetScore(c.id));
  if (score && score->persona_id) {
    TANDEM_ASSIGN(auto persona, tx.personas().Get(*score->persona_id));
    if (persona) req.persona = persona->key;
  }

  // The live roster: every user the routing terms may name, and the company's owner.
  std::vector<core::RepStatus> roster;
  std::map<Id, std::string> team_names;
  auto add = [&](const core::User& u) -> Result<void> {
    for (const auto& r : roster) {
      if (r.user_id == u.id) return {};
    }
    core::RepStatus rep;
    rep.user_id = u.id;
    rep.email = u.email;
    rep.active = u.active && (!exclude || *exclude != u.id);
    if (u.team_id) {
      auto it = team_names.find(*u.team_id);
      if (it == team_names.end()) {
        TANDEM_ASSIGN(auto team, tx.teams().Get(*u.team_id));
        it = team_names.emplace(*u.team_id, team ? team->name : std::string()).first;
      }
      rep.team = it->second;
    }
    TANDEM_ASSIGN(rep.absences, tx.handoff().Absences(u.id));
    TANDEM_ASSIGN(rep.open_leads, tx.handoff().OpenLeads(u.id));
    roster.push_back(std::move(rep));
    return {};
  };
  auto add_email = [&](const std::string& email) -> Result<void> {
    if (email.empty()) return {};
    TANDEM_ASSIGN(auto u, tx.users().FindByEmail(email));
    if (u) TANDEM_TRY(add(*u));
    return {};
  };
  for (const auto& r : routing.reps) TANDEM_TRY(add_email(r.email));
  for (const auto& t : routing.territories) TANDEM_TRY(add_email(t.rep_email));
  for (const auto& o : routing.persona_owners) TANDEM_TRY(add_email(o.rep_email));
  if (req.company_owner_id) {
    TANDEM_ASSIGN(auto u, tx.users().Get(*req.company_owner_id));
    if (u) TANDEM_TRY(add(*u));
  }

  core::Router router(routing, std::move(roster));
  TANDEM_ASSIGN(auto state, tx.handoff().LoadRoutingState());
  auto decision = router.Route(req, LocalDay(terms.contract.calendar.zone, now), state);
  TANDEM_TRY(tx.handoff().SaveRoutingState(state));
  return decision;
}

Result<Assignment> HandoffService::Record(store::Tx& tx, const Terms* terms, Contact& c,
                                          const core::RoutingDecision& d, Instant qualified_at,
                                          Instant now) {
  Assignment a;
  a.contact_id = c.id;
  a.owner_id = d.assignee_id;
  a.owner_email = d.assignee_email;
  a.rule = d.rule;
  a.code = d.code;
  a.text = d.text;
  if (terms) a.contract_version_id = terms->version_id;
  a.qualified_at = std::min(qualified_at, now);
  a.assigned_at = now;
  a.status = d.assigned() ? AssignmentStatus::kOpen : AssignmentStatus::kUnassigned;
  TANDEM_ASSIGN(a.id, tx.handoff().InsertAssignment(a));
  if (!d.assigned()) {
    HandoffEvent e{
        "lead.unassigned", c.id, std::nullopt, now, {{"code", a.code}, {"text", a.text}}};
    TANDEM_TRY(Publish(tx, std::move(e)));
    return a;
  }
  TANDEM_TRY(SaveOwner(tx, c, a.owner_id, now, core::Actor::System("routing")));

  // The clocks run on the calendar of the owner's team.
  TANDEM_ASSIGN(std::string team, TeamOf(tx, *a.owner_id));
  for (auto clock : core::PlanSlaClocks(terms->contract.sales, terms->CalendarFor(team), now)) {
    clock.contact_id = c.id;
    clock.assignment_id = a.id;
    clock.owner_id = *a.owner_id;
    clock.contract_version_id = terms->version_id;
    TANDEM_ASSIGN(clock.id, tx.handoff().InsertClock(clock));
    Due(DueKind::kClock, clock.due_at, clock.id);
  }
  HandoffEvent e{"lead.assigned",
                 c.id,
                 a.owner_id,
                 now,
                 {{"assignment_id", std::to_string(a.id)},
                  {"owner", a.owner_email},
                  {"rule", std::string(core::ToString(a.rule))},
                  {"code", a.code},
                  {"contract_version_id", std::to_string(terms->version_id)}}};
  TANDEM_TRY(Publish(tx, std::move(e)));
  return a;
}

Result<void> HandoffService::Route(store::Tx& tx, Contact& c, Instant qualified_at, Instant now) {
  // A lead qualifying again ends what was left of its previous assignment.
  TANDEM_TRY(EndAssignment(tx, c.id, AssignmentStatus::kClosed, "qualified again", "", true, now));
  TANDEM_ASSIGN(auto terms, TermsAt(tx, now));
  if (!terms) {
    core::RoutingDecision none;
    none.contact_id = c.id;
    none.unassigned = core::UnassignedReason::kNoMatch;
    none.code = kNoContractCode;
    none.text = "unassigned: no contract is in force, so there are no routing terms";
    return Record(tx, nullptr, c, none, qualified_at, now).map([](auto&&) {});
  }
  TANDEM_ASSIGN(auto decision, Decide(tx, *terms, c, now, std::nullopt));
  TANDEM_TRY(Record(tx, terms.get(), c, decision, qualified_at, now));
  return {};
}

Result<void> HandoffService::EndAssignment(store::Tx& tx, Id contact_id, AssignmentStatus status,
                                           std::string reason, std::string note, bool cancel_rest,
                                           Instant now) {
  TANDEM_ASSIGN(auto active, tx.handoff().ActiveAssignment(contact_id));
  if (!active) return {};
  Assignment a = std::move(*active);
  const bool was_open = a.status == AssignmentStatus::kOpen;
  if (status == AssignmentStatus::kAccepted) {
    if (!was_open) return {};  // accepted already: the rep keeps the lead
  }
  a.status = status;
  a.ended_at = now;
  a.reason = std::move(reason);
  a.note = std::move(note);
  TANDEM_TRY(tx.handoff().UpdateAssignment(a));
  TANDEM_ASSIGN(auto clocks, tx.handoff().ClocksForAssignment(a.id));
  for (auto& clock : clocks) {
    if (clock.state() != core::SlaState::kOpen) continue;
    // Taking the lead away is no disposition by its owner: the clock stops without being met.
    if (clock.obligation == SlaObligation::kDisposition && was_open &&
        status != AssignmentStatus::kReassigned) {
      clock.progress = 1;
      clock.met_at = now;
    } else if (cancel_rest) {
      clock.cancelled_at = now;
    } else {
      continue;
    }
    TANDEM_TRY(tx.handoff().UpdateClock(clock));
  }
  return {};
}

// ----- hooks ---------------------------------------------------------------------------------

Result<void> HandoffService::OnStageChanged(store::Tx& tx, Contact& c,
                                            const core::StageChange& change, Instant qualified_at,
                                            Instant now) {
  if (change.to == Stage::kMql) return Route(tx, c, qualified_at, now);
  if (change.to == Stage::kRecycled || change.to == Stage::kDisqualified) {
    TANDEM_ASSIGN(auto active, tx.handoff().ActiveAssignment(c.id));
    if (!active) return {};
    TANDEM_TRY(EndAssignment(tx, c.id, AssignmentStatus::kClosed, change.reason, "", true, now));
    // A lead handed over and recycled goes back to marketing, as a rejection would.
    if (change.to == Stage::kRecycled)
      TANDEM_TRY(SaveOwner(tx, c, std::nullopt, now, change.actor));
    return {};
  }
  if (core::IsMainPath(change.to) && change.to > Stage::kMql) {
    // Moved on by hand (or by a deal): that is the rep's acceptance.
    TANDEM_TRY(EndAssignment(tx, c.id, AssignmentStatus::kAccepted, change.cause, "", false, now));
  }
  return {};
}

Result<void> HandoffService::OnActivityLogged(store::Tx& tx, const core::Activity& act,
                                              Instant now) {
  (void)now;
  if (!act.contact_id || !core::IsTouch(act.type)) return {};
  TANDEM_ASSIGN(auto active, tx.handoff().ActiveAssignment(*act.contact_id));
  if (!active || active->owner_id != act.owner_id || act.occurred_at < active->assigned_at) {
    return {};
  }
  Assignment a = std::move(*active);
  a.attempts += 1;
  if (!a.first_touch_at) a.first_touch_at = act.occurred_at;
  TANDEM_TRY(tx.handoff().UpdateAssignment(a));
  TANDEM_ASSIGN(auto clocks, tx.handoff().ClocksForAssignment(a.id));
  for (auto& clock : clocks) {
    if (clock.state() != core::SlaState::kOpen) continue;
    if (clock.obligation == SlaObligation::kFirstTouch) {
      clock.progress = 1;
      clock.met_at = act.occurred_at;
    } else if (clock.obligation == SlaObligation::kAttempts) {
      clock.progress = a.attempts;
      if (clock.progress >= clock.target) clock.met_at = act.occurred_at;
    } else {
      continue;
    }
    TANDEM_TRY(tx.handoff().UpdateClock(clock));
  }
  return {};
}

Result<void> HandoffService::OnActivitiesChanged(store::Tx& tx, Id contact_id, Instant now) {
  (void)now;
  TANDEM_ASSIGN(auto active, tx.handoff().ActiveAssignment(contact_id));
  if (!active || !active->owner_id) return {};
  Assignment a = std::move(*active);
  // The owner's touches since the assignment, oldest first.
  std::vector<Instant> touches;
  core::ActivityQuery q;
  q.contact_id = contact_id;
  q.owner_id = a.owner_id;
  q.from = a.assigned_at;
  q.dir = core::SortDir::kAsc;
  q.page.limit = core::kMaxPageSize;
  while (true) {
    TANDEM_ASSIGN(auto page, tx.activities().List(q));
    for (const auto& act : page.items) {
      if (core::IsTouch(act.type)) touches.push_back(act.occurred_at);
    }
    if (!page.next) break;
    q.page.after = page.next;
  }
  a.attempts = static_cast<int>(touches.size());
  a.first_touch_at = touches.empty() ? std::nullopt : std::optional<Instant>(touches.front());
  TANDEM_TRY(tx.handoff().UpdateAssignment(a));
  TANDEM_ASSIGN(auto clocks, tx.handoff().ClocksForAssignment(a.id));
  for (auto& clock : clocks) {
    // A breach (or a cancellation) is final; an open or met clock follows the activities.
    if (clock.breached_at || clock.cancelled_at) continue;
    std::optional<Instant> met;
    if (clock.obligation == SlaObligation::kFirstTouch) {
      clock.progress = touches.empty() ? 0 : 1;
      if (!touches.empty()) met = touches.front();
    } else if (clock.obligation == SlaObligation::kAttempts) {
      clock.progress = a.attempts;
      if (clock.target > 0 && a.attempts >= clock.target) met = touches[clock.target - 1];
    } else {
      continue;
    }
    // Met only in time: a touch moved past the due time leaves the clock open, and the
    // scheduler breaches it (at once when the due time has passed).
    if (met && *met > clock.due_at) met.reset();
    if (met == clock.met_at) continue;
    const bool reopened = clock.met_at && !met;
    clock.met_at = met;
    TANDEM_TRY(tx.handoff().UpdateClock(clock));
    if (reopened) Due(DueKind::kClock, clock.due_at, clock.id);
  }
  return {};
}

Result<bool> HandoffService::MayRequalify(store::Tx& tx, const Contact& c, Instant event_at,
                                          Instant now) {
  if (c.stage != Stage::kRecycled) return true;
  TANDEM_ASSIGN(auto history, tx.stages().ListForContact(c.id));
  const core::StageChange* recycled = nullptr;
  for (const auto& h : history) {
    if (h.to == Stage::kRecycled) recycled = &h;
  }
  const Instant since = recycled ? recycled->at : c.stage_entered_at;
  TANDEM_ASSIGN(auto terms, TermsAt(tx, now));
  if (!terms) return true;  // no contract, no recycle rules: scoring's own rule decides
  int wait_days = 0;
  bool needs_engagement = true;
  if (recycled) {
    for (const auto& rule : terms->contract.recycle_rules) {
      if (std::find(rule.reasons.begin(), rule.reasons.end(), recycled->reason) !=
          rule.reasons.end()) {
        wait_days = rule.wait_days;
        needs_engagement = rule.requires_new_engagement;
        break;
      }
    }
  }
  if (now < since + std::chrono::days(wait_days)) return false;
  if (needs_engagement && event_at <= since) return false;
  return true;
}

// ----- accept and reject ---------------------------------------------------------------------

Result<Contact> HandoffService::Accept(const Principal& p, Id contact_id) {
  return Dispose(p, contact_id, std::nullopt, "");
}

Result<Contact> HandoffService::Reject(const Principal& p, Id contact_id, std::string reason,
                                       std::string note) {
  if (reason.empty()) {
    return Fail(Error::Precondition(
        "a rejection needs a reason code from the contract's rejection reasons", "reason"));
  }
  if (!core::IsCleanText(note, true) || note.size() > core::kLongTextMax) {
    return Fail(Error::Invalid("note", "must be text without control characters"));
  }
  return Dispose(p, contact_id, std::move(reason), std::move(note));
}

Result<Contact> HandoffService::Dispose(const Principal& p, Id contact_id,
                                        std::optional<std::string> reason, std::string note) {
  Contact c;
  const Instant now = clock_.Now();
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(c, LoadContact(tx, contact_id));
    TANDEM_TRY(MayDispose(p, c));
    TANDEM_TRY(RequireMql(c, reason ? "rejected" : "accepted"));
    TANDEM_ASSIGN(auto active, tx.handoff().ActiveAssignment(c.id));
    if (!reason) {
      TANDEM_TRY(ApplyTransition(tx, c, Stage::kSal, now, p.AsActor(), "accepted", ""));
      TANDEM_TRY(EndAssignment(tx, c.id, AssignmentStatus::kAccepted, "accepted", "", false, now));
      // The owner hears of it only when someone else (a manager) accepted on their behalf.
      std::optional<Id> tell;
      if (c.owner_id && *c.owner_id != p.user_id) tell = c.owner_id;
      HandoffEvent e{"lead.accepted", c.id, tell, now, {{"by", p.email}}};
      if (active) e.fields.push_back({"assignment_id", std::to_string(active->id)});
      return Publish(tx, std::move(e));
    }
    TANDEM_ASSIGN(auto terms, TermsAt(tx, now));
    if (!terms) {
      return Fail(Error::Precondition("no contract is in force, so no rejection reason is defined",
                                      "reason"));
    }
    const auto* r = terms->contract.FindReason(*reason);
    if (!r) {
      return Fail(
          Error::Precondition("unknown rejection reason '" + *reason +
                                  "'; the contract defines: " + ReasonCodes(terms->contract),
                              "reason"));
    }
    const std::optional<Id> owner = c.owner_id;
    TANDEM_TRY(ApplyTransition(tx, c, r->next, now, p.AsActor(), "rejected", r->code));
    TANDEM_TRY(EndAssignment(tx, c.id, AssignmentStatus::kRejected, r->code, note, true, now));
    // Recycled leads go back to marketing's nurture: nobody in sales owns them any more.
    if (r->next == Stage::kRecycled) TANDEM_TRY(SaveOwner(tx, c, std::nullopt, now, p.AsActor()));
    // Rejections are marketing's feedback: addressed to the head of marketing who signed the
    // contract in force (when that person is an active user), not to the rejecting seller.
    std::optional<Id> head_of_marketing;
    for (const auto& party : terms->contract.parties) {
      if (party.side != core::PartySide::kMarketing) continue;
      TANDEM_ASSIGN(auto head, tx.users().FindByEmail(party.head_email));
      if (head && head->active) head_of_marketing = head->id;
    }
    HandoffEvent e{"lead.rejected",
                   c.id,
                   head_of_marketing,
                   now,
                   {{"by", p.email},
                    {"reason", r->code},
                    {"next", std::string(core::ToString(r->next))},
                    {"note", note}}};
    if (owner) e.fields.push_back({"rejected_owner_id", std::to_string(*owner)});
    return Publish(tx, std::move(e));
  }));
  return c;
}

// ----- reads ---------------------------------------------------------------------------------

ClockTiming TimeClock(const core::BusinessCalendar& calendar, Instant due, Instant now) {
  ClockTiming t;
  t.remaining = calendar.Between(now, due);
  t.counting = calendar.IsOpen(now);
  const Instant horizon = std::min(due, now + std::chrono::days(7));
  if (!t.counting) {
    const Instant open = calendar.NextOpen(now);
    if (open < horizon) t.changes_at = open;
    return t;
  }
  // Open now: the close is the first instant after which business time stops keeping pace
  // with the wall clock. Between(now, x) == x - now holds exactly up to it (bisection, ms).
  if (calendar.Between(now, horizon) == horizon - now) return t;  // open until the horizon
  Instant lo = now;                                               // open throughout [now, lo)
  Instant hi = horizon;                                           // closed somewhere in [lo, hi)
  while (hi - lo > std::chrono::milliseconds(1)) {
    const Instant mid = lo + (hi - lo) / 2;
    if (calendar.Between(now, mid) == mid - now) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  t.changes_at = lo;
  return t;
}

Result<HandoffView> HandoffService::View(const Principal& p, Id contact_id) {
  TANDEM_TRY(core::Authorize(p, core::Verb::kRead, core::Resource::kContact));
  HandoffView out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(LoadContact(tx, contact_id));
    TANDEM_ASSIGN(out.assignments, tx.handoff().AssignmentsForContact(contact_id));
    TANDEM_ASSIGN(out.clocks, tx.handoff().ClocksForContact(contact_id));
    for (const auto& clock : out.clocks) {
      TANDEM_ASSIGN(auto steps, tx.handoff().EscalationsForClock(clock.id));
      for (auto& s : steps) out.escalations.push_back(std::move(s));
    }
    out.as_of = clock_.Now();
    for (const auto& clock : out.clocks) {
      if (clock.state() != core::SlaState::kOpen) continue;
      TANDEM_ASSIGN(auto terms, TermsOf(tx, clock.contract_version_id));
      TANDEM_ASSIGN(std::string team, TeamOf(tx, clock.owner_id));
      out.timings[clock.id] = TimeClock(terms->CalendarFor(team), clock.due_at, out.as_of);
    }
    return {};
  }));
  return out;
}

Result<DistributionView> HandoffService::Distribution(const Principal& p, Instant from,
                                                      Instant to) {
  TANDEM_TRY(core::Authorize(p, core::Verb::kRead, core::Resource::kContact));
  if (to <= from) return Fail(Error::Invalid("to", "must be after from"));
  DistributionView out;
  out.from = from;
  out.to = to;
  std::vector<core::RoutingDecision> decisions;
  std::vector<std::int64_t> latencies;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto rows, tx.handoff().AssignmentsBetween(from, to));
    decisions.reserve(rows.size());
    for (const auto& a : rows) {
      core::RoutingDecision d;
      d.contact_id = a.contact_id;
      d.assignee_id = a.owner_id;
      d.assignee_email = a.owner_email;
      d.rule = a.rule;
      d.code = a.code;
      if (!a.owner_id) {
        d.unassigned = a.code.find("nobody_available") != std::string::npos
                           ? core::UnassignedReason::kNobodyAvailable
                           : core::UnassignedReason::kNoMatch;
      } else {
        latencies.push_back(a.system_latency().count());
      }
      decisions.push_back(std::move(d));
    }
    return {};
  }));
  out.report = core::DistributionReport(decisions);
  if (!latencies.empty()) {
    out.system_latency_max_ms = *std::max_element(latencies.begin(), latencies.end());
    out.system_latency_p99_ms = Percentile(latencies, 0.99);
    out.system_latency_p50_ms = Percentile(latencies, 0.50);
  }
  return out;
}

Result<std::vector<core::DateRange>> HandoffService::SetAbsences(
    const Principal& p, Id user_id, std::vector<core::DateRange> ranges) {
  if (p.scopes && !p.HasScope(core::Scope::kWrite)) {
    return Fail(Error::Forbidden("this API key has no write scope"));
  }
  if (p.role != core::Role::kAdmin && p.role != core::Role::kManager && p.user_id != user_id) {
    return Fail(Error::Forbidden("only managers and admins set another user's absences"));
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<core::DateRange> out;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(tx.handoff().SetAbsences(user_id, ranges));
    TANDEM_ASSIGN(out, tx.handoff().Absences(user_id));
    core::AuditEntry entry;
    entry.at = clock_.Now();
    entry.actor = p.AsActor();
    entry.entity = "user";
    entry.entity_id = user_id;
    entry.action = AuditAction::kUpdate;
    std::string text;
    for (const auto& r : out) {
      if (!text.empty()) text += ", ";
      text += core::FormatDate(r.first) + ".." + core::FormatDate(r.last);
    }
    entry.changes.push_back({"absences", "", text});
    TANDEM_TRY(tx.audit().Append(entry));
    return {};
  }));
  return out;
}

// ----- the scheduler's side ------------------------------------------------------------------

Result<void> HandoffService::ForEachPending(const std::function<void(DueKind, store::DueItem)>& fn,
                                            int page) {
  return store_.Read([&](store::Tx& tx) -> Result<void> {
    for (DueKind kind : {DueKind::kClock, DueKind::kEscalation}) {
      store::DueItem after{core::FromMillis(std::numeric_limits<std::int64_t>::min()), 0};
      for (;;) {
        std::vector<store::DueItem> items;
        if (kind == DueKind::kClock) {
          TANDEM_ASSIGN(items, tx.handoff().OpenClocksAfter(after, page));
        } else {
          TANDEM_ASSIGN(items, tx.handoff().PendingEscalationsAfter(after, page));
        }
        for (const auto& item : items) fn(kind, item);
        if (static_cast<int>(items.size()) < page) break;
        after = items.back();
      }
    }
    return {};
  });
}

Result<bool> HandoffService::Fire(DueKind kind, Id id, Instant now) {
  bool changed = false;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    if (kind == DueKind::kClock) {
      TANDEM_ASSIGN(changed, Breach(tx, id, now));
    } else {
      TANDEM_ASSIGN(changed, Escalate(tx, id, now));
    }
    return {};
  }));
  return changed;
}

Result<bool> HandoffService::Breach(store::Tx& tx, Id clock_id, Instant now) {
  TANDEM_ASSIGN(auto found, tx.handoff().GetClock(clock_id));
  if (!found || found->state() != core::SlaState::kOpen || found->due_at > now) return false;
  SlaClock clock = std::move(*found);
  clock.breached_at = clock.due_at;  // the breach happened at the due time, whenever we run
  TANDEM_TRY(tx.handoff().UpdateClock(clock));
  TANDEM_ASSIGN(auto terms, TermsOf(tx, clock.contract_version_id));
  TANDEM_ASSIGN(std::string team, TeamOf(tx, clock.owner_id));
  for (auto step : core::PlanEscalations(terms->contract.escalation, terms->CalendarFor(team),
                                         *clock.breached_at)) {
    step.clock_id = clock.id;
    TANDEM_ASSIGN(step.id, tx.handoff().InsertEscalation(step));
    Due(DueKind::kEscalation, step.due_at, step.id);
  }
  HandoffEvent e{"sla.breached",
                 clock.contact_id,
                 clock.owner_id,
                 *clock.breached_at,
                 {{"clock_id", std::to_string(clock.id)},
                  {"obligation", std::string(core::ToString(clock.obligation))},
                  {"due_at", core::FormatInstant(clock.due_at)},
                  {"contract_version_id", std::to_string(clock.contract_version_id)}}};
  TANDEM_TRY(Publish(tx, std::move(e)));
  return true;
}

Result<bool> HandoffService::Escalate(store::Tx& tx, Id escalation_id, Instant now) {
  TANDEM_ASSIGN(auto found, tx.handoff().GetEscalation(escalation_id));
  if (!found || found->done_at || found->due_at > now) return false;
  core::SlaEscalation step = std::move(*found);
  TANDEM_ASSIGN(auto clock, tx.handoff().GetClock(step.clock_id));
  if (!clock) return false;
  const std::string owner_email = EmailOf(tx, clock->owner_id);
  std::optional<Id> recipient = clock->owner_id;
  switch (step.action) {
    case core::EscalationAction::kNotifyOwner:
      step.outcome = "notified owner " + owner_email;
      break;
    case core::EscalationAction::kNotifyManager: {
      recipient.reset();
      TANDEM_ASSIGN(auto owner, tx.users().Get(clock->owner_id));
      std::optional<core::Team> team;
      if (owner && owner->team_id) {
        TANDEM_ASSIGN(team, tx.teams().Get(*owner->team_id));
      }
      if (team && team->manager_id) {
        recipient = team->manager_id;
        step.outcome =
            "notified manager " + EmailOf(tx, team->manager_id) + " of owner " + owner_email;
      } else {
        step.outcome = "no manager to notify: owner " + owner_email + " has no team manager";
      }
      break;
    }
    case core::EscalationAction::kReassign: {
      TANDEM_ASSIGN(auto assignment, tx.handoff().GetAssignment(clock->assignment_id));
      TANDEM_ASSIGN(auto contact, tx.contacts().Get(clock->contact_id));
      if (!assignment || !assignment->active() || !contact) {
        step.outcome = "not reassigned: the lead's assignment has ended";
        break;
      }
      TANDEM_ASSIGN(auto terms, TermsAt(tx, now));
      if (!terms) {
        step.outcome = "not reassigned: no contract is in force";
        break;
      }
      TANDEM_ASSIGN(auto decision, Decide(tx, *terms, *contact, now, clock->owner_id));
      if (!decision.assigned()) {
        step.outcome = "not reassigned: " + decision.text;
        break;
      }
      TANDEM_TRY(EndAssignment(
          tx, contact->id, AssignmentStatus::kReassigned,
          "escalation: " + std::string(core::ToString(clock->obligation)) + " breached", "", true,
          now));
      TANDEM_ASSIGN(auto next, Record(tx, terms.get(), *contact, decision, step.due_at, now));
      step.outcome =
          "reassigned from " + owner_email + " to " + next.owner_email + " (" + next.code + ")";
      break;
    }
  }
  step.done_at = now;
  TANDEM_TRY(tx.handoff().UpdateEscalation(step));
  HandoffEvent e{"sla.escalated",
                 clock->contact_id,
                 recipient,
                 now,
                 {{"clock_id", std::to_string(clock->id)},
                  {"obligation", std::string(core::ToString(clock->obligation))},
                  {"step", std::to_string(step.step)},
                  {"action", std::string(core::ToString(step.action))},
                  {"outcome", step.outcome}}};
  TANDEM_TRY(Publish(tx, std::move(e)));
  return true;
}

Result<bool> HandoffService::AssignManually(store::Tx& tx, Contact& c, const core::User& owner,
                                            const core::Actor& actor, Instant now) {
  if (!owner.active) {
    return Fail(Error::Invalid("owner_id", owner.email + " is deactivated; choose an active user"));
  }
  TANDEM_ASSIGN(auto active, tx.handoff().ActiveAssignment(c.id));
  const bool handed_over = c.stage == Stage::kMql;
  const bool same_owner = c.owner_id == owner.id;
  if (!handed_over) {
    if (same_owner) return false;
    TANDEM_TRY(SaveOwner(tx, c, owner.id, now, actor));
    return true;
  }
  if (same_owner && active && active->owner_id == owner.id) return false;
  TANDEM_ASSIGN(auto terms, TermsAt(tx, now));
  TANDEM_TRY(SaveOwner(tx, c, owner.id, now, actor));
  if (!terms) return true;
  const Instant qualified_at = active ? active->qualified_at : c.stage_entered_at;
  const std::string by = "assigned by " + actor.name;
  TANDEM_TRY(EndAssignment(tx, c.id, AssignmentStatus::kReassigned, by, "", true, now));
  core::RoutingDecision d;
  d.contact_id = c.id;
  d.assignee_id = owner.id;
  d.assignee_email = owner.email;
  d.rule = core::RoutingRule::kManual;
  d.code = "manual";
  d.text = by + " -> " + owner.email;
  TANDEM_TRY(Record(tx, terms.get(), c, d, qualified_at, now));
  return true;
}

}  // namespace tandem::app
