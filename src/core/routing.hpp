// Routing of new MQLs to sales reps: who gets the lead, and why.
//
// A `Router` is built from the contract's `RoutingConfig` and the roster of users who may
// receive leads (`RepStatus`: team, active flag, absences, open lead count). `Route` decides
// the assignee of one lead deterministically from the lead's facts, the day, and the
// `RoutingState` (round-robin cursors and smooth weighted round-robin counters per pool),
// which it advances. The same inputs in the same order always give the same decisions.
//
// The chain tried for each lead is the config's `strategy`, then its `fallback` when the
// strategy assigned nobody:
//   - account_owner_first: the owner of the contact's company, when available;
//   - persona_owner: the team or rep that owns the contact's persona key;
//   - territory: the team or rep of the territory that holds the contact's region ("US-CA")
//     or, failing that, its country ("US"): the region is more specific and wins;
//   - round_robin, weighted, least_loaded: distribution over every rep the contract lists.
// When a step picks a team, the lead is distributed inside the team's pool (the contract's
// reps who belong to the team) by the first distribution strategy of the chain, or round
// robin when the chain has none. A rep is available when the roster knows them, they are
// active, not absent on `today`, and below their capacity (their own cap in the contract, or
// the contract's default; no cap when neither is set). Every decision carries the rule that
// decided it as a machine code and a sentence; when nobody is available the decision is
// "unassigned" with the reason. docs/routing.md explains the choices.
//
// Thread-safety: a Router is plain data. Concurrent `Route` calls are safe with distinct
// states; `AddOpenLeads` must not run concurrently with anything else on the same Router.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/contract.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

// Inclusive civil date range, in the calendar of the contract (the caller converts `now`).
struct DateRange {
  Date first{};
  Date last{};
  bool Contains(Date d) const { return first <= d && d <= last; }
};

// A user who may receive leads, as the store knows them when the lead arrives.
struct RepStatus {
  Id user_id = 0;
  std::string email;  // normalised; how the contract names the rep
  std::string team;   // team name, empty when none
  bool active = true;
  std::vector<DateRange> absences;
  int open_leads = 0;  // leads assigned and not yet dispositioned
};

// The facts of the lead that routing reads.
struct RoutingRequest {
  Id contact_id = 0;
  std::string country;  // ISO 3166-1 alpha-2, or empty
  std::string region;   // ISO 3166-2 ("US-CA"), or empty
  std::string persona;  // persona key the contact matched, or empty
  std::optional<Id> company_id;
  std::optional<Id> company_owner_id;  // owner of the contact's company, when it has one
};

// What decided a lead. kUnassigned when nobody was available.
enum class RoutingRule : std::uint8_t {
  kAccountOwner,
  kPersonaOwner,
  kTerritory,
  kRoundRobin,
  kWeighted,
  kLeastLoaded,
  kUnassigned,
  kManual,  // a manager or admin chose the rep (bulk assign); never the router's decision
};
std::string_view ToString(RoutingRule r);
std::optional<RoutingRule> RoutingRuleFromString(std::string_view text);

enum class UnassignedReason : std::uint8_t {
  kNoMatch,          // no step found anyone to consider (no territory, persona, owner...)
  kNobodyAvailable,  // candidates existed, all inactive, absent or at capacity
};
std::string_view ToString(UnassignedReason r);

struct RoutingDecision {
  Id contact_id = 0;
  std::optional<Id> assignee_id;  // none when unassigned
  std::string assignee_email;
  RoutingRule rule = RoutingRule::kUnassigned;
  // The distribution used inside a pool (round robin, weighted, least loaded), when any.
  std::optional<RoutingStrategy> distribution;
  bool by_fallback = false;  // the config's fallback decided, not its strategy
  std::optional<UnassignedReason> unassigned;
  // Machine code: "territory:DE/round_robin", "territory:US-CA/rep", "persona:cfo/weighted",
  // "account_owner", "least_loaded", "unassigned:nobody_available".
  std::string code;
  // For people: "territory:DE (DACH) -> team Sales EMEA, round robin -> ana@example.com",
  // with why earlier steps passed ("account owner #7 absent 2026-11-20..2026-11-30; ...").
  std::string text;

  bool assigned() const { return assignee_id.has_value(); }
};

// Cursors per pool ("*" for every rep of the contract, "team:<name>" for a team). Plain data
// that the caller keeps between decisions (and may persist); a default state starts fresh.
struct RoutingPoolState {
  std::uint64_t cursor = 0;                            // round robin / least-loaded tie-breaks
  std::map<std::string, std::int64_t> smooth_weights;  // weighted: current weight per email
  bool operator==(const RoutingPoolState&) const = default;
};
struct RoutingState {
  std::map<std::string, RoutingPoolState> pools;
  bool operator==(const RoutingState&) const = default;
};

class Router {
 public:
  // Takes copies. Roster emails are compared case-insensitively with the contract's; a
  // contract rep the roster does not know is never available (the decision says so).
  Router(RoutingConfig config, std::vector<RepStatus> roster);

  // Decides the assignee of `lead` on `today` and advances `state`. Does not change loads:
  // call AddOpenLeads for the assignee when the assignment is recorded.
  RoutingDecision Route(const RoutingRequest& lead, Date today, RoutingState& state) const;

  // Adjusts a rep's open lead count (a new assignment: +1; a disposition: -1).
  void AddOpenLeads(Id user_id, int delta = 1);

  const RoutingConfig& config() const { return config_; }
  const std::vector<RepStatus>& roster() const { return roster_; }

 private:
  // A rep of the contract's list, resolved against the roster.
  struct Member {
    std::string email;
    int roster = -1;  // index in roster_, -1 when the roster does not know the email
    int weight = 1;
    std::optional<int> capacity;
  };
  struct StepResult;

  StepResult RunStep(RoutingStrategy step, const RoutingRequest& lead, Date today,
                     RoutingState& state) const;
  StepResult Distribute(RoutingStrategy how, const std::string& pool_key,
                        const std::vector<int>& pool, Date today, RoutingState& state) const;
  StepResult Direct(int roster_index, std::string_view who, Date today) const;
  StepResult ToTeam(std::string_view team, Date today, RoutingState& state) const;
  // Empty when available, otherwise why not ("inactive", "absent ...", "at capacity 5/5").
  std::string Unavailable(int roster_index, std::optional<int> capacity, Date today) const;
  bool Available(int roster_index, std::optional<int> capacity, Date today) const;
  std::optional<int> CapacityOf(int roster_index) const;

  RoutingConfig config_;
  std::vector<RepStatus> roster_;
  std::vector<Member> members_;                         // config_.reps order
  std::vector<int> all_pool_;                           // indices into members_
  std::map<std::string, std::vector<int>> team_pools_;  // team -> indices into members_
  std::unordered_map<std::string, int> roster_by_email_;
  std::unordered_map<Id, int> roster_by_id_;
  std::unordered_map<std::string, int> member_by_roster_email_;  // email -> members_ index
  std::unordered_map<std::string, int> territory_by_code_;       // "US-CA" / "US" -> territory
  std::unordered_map<std::string, int> persona_owner_by_key_;
  RoutingStrategy distribution_ = RoutingStrategy::kRoundRobin;
};

// Leads per rep over a list of decisions: the distribution report.
struct RepDistribution {
  Id user_id = 0;
  std::string email;
  int leads = 0;
  double share = 0;                    // of the assigned leads, 0..1
  std::map<std::string, int> by_rule;  // RoutingRule text -> leads
};
struct RoutingDistribution {
  int total = 0;
  int assigned = 0;
  int unassigned = 0;
  std::map<std::string, int> unassigned_by_reason;  // UnassignedReason text -> leads
  std::vector<RepDistribution> reps;                // most leads first, then by email
};
RoutingDistribution DistributionReport(std::span<const RoutingDecision> decisions);

}  // namespace tandem::core
