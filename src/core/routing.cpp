#include "core/routing.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace tandem::core {
namespace {

constexpr std::array<std::string_view, 8> kRuleNames = {
    "account_owner", "persona_owner", "territory",  "round_robin",
    "weighted",      "least_loaded",  "unassigned", "manual",
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsDistribution(RoutingStrategy s) {
  return s == RoutingStrategy::kRoundRobin || s == RoutingStrategy::kWeighted ||
         s == RoutingStrategy::kLeastLoaded;
}

RoutingRule RuleOf(RoutingStrategy s) {
  switch (s) {
    case RoutingStrategy::kRoundRobin: return RoutingRule::kRoundRobin;
    case RoutingStrategy::kWeighted: return RoutingRule::kWeighted;
    case RoutingStrategy::kLeastLoaded: return RoutingRule::kLeastLoaded;
    case RoutingStrategy::kTerritory: return RoutingRule::kTerritory;
    case RoutingStrategy::kPersonaOwner: return RoutingRule::kPersonaOwner;
    case RoutingStrategy::kAccountOwnerFirst: return RoutingRule::kAccountOwner;
  }
  return RoutingRule::kUnassigned;
}

// "round robin" for people, "round_robin" for machines.
std::string Spoken(RoutingStrategy s) {
  std::string out(ToString(s));
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

}  // namespace

std::string_view ToString(RoutingRule r) {
  return kRuleNames[static_cast<std::size_t>(r)];
}

std::optional<RoutingRule> RoutingRuleFromString(std::string_view text) {
  for (std::size_t i = 0; i < kRuleNames.size(); ++i) {
    if (kRuleNames[i] == text) return static_cast<RoutingRule>(i);
  }
  return std::nullopt;
}

std::string_view ToString(UnassignedReason r) {
  return r == UnassignedReason::kNoMatch ? "no_match" : "nobody_available";
}

// The outcome of one step of the chain.
struct Router::StepResult {
  int roster = -1;  // the pick, -1 when none
  bool had_candidates = false;
  std::optional<RoutingStrategy> distribution;
  std::string code;  // "territory:DE/round_robin"
  std::string text;  // what was done, or why nobody
};

Router::Router(RoutingConfig config, std::vector<RepStatus> roster)
    : config_(std::move(config)), roster_(std::move(roster)) {
  for (int i = 0; i < static_cast<int>(roster_.size()); ++i) {
    roster_by_email_.emplace(Lower(roster_[i].email), i);
    roster_by_id_.emplace(roster_[i].user_id, i);
  }
  for (const RoutingRep& rep : config_.reps) {
    Member m;
    m.email = Lower(rep.email);
    if (auto it = roster_by_email_.find(m.email); it != roster_by_email_.end()) {
      m.roster = it->second;
    }
    m.weight = std::max(rep.weight, 0);
    m.capacity = rep.capacity ? rep.capacity : config_.default_capacity;
    if (member_by_roster_email_.contains(m.email)) continue;  // listed twice: the first counts
    const int index = static_cast<int>(members_.size());
    member_by_roster_email_.emplace(m.email, index);
    all_pool_.push_back(index);
    if (m.roster >= 0 && !roster_[m.roster].team.empty()) {
      team_pools_[roster_[m.roster].team].push_back(index);
    }
    members_.push_back(std::move(m));
  }
  for (int t = 0; t < static_cast<int>(config_.territories.size()); ++t) {
    for (const std::string& c : config_.territories[t].countries) {
      territory_by_code_.emplace(Upper(c), t);
    }
    for (const std::string& r : config_.territories[t].regions) {
      territory_by_code_.emplace(Upper(r), t);
    }
  }
  for (int p = 0; p < static_cast<int>(config_.persona_owners.size()); ++p) {
    persona_owner_by_key_.emplace(config_.persona_owners[p].persona, p);
  }
  if (IsDistribution(config_.strategy)) {
    distribution_ = config_.strategy;
  } else if (config_.fallback && IsDistribution(*config_.fallback)) {
    distribution_ = *config_.fallback;
  }
}

void Router::AddOpenLeads(Id user_id, int delta) {
  if (auto it = roster_by_id_.find(user_id); it != roster_by_id_.end()) {
    roster_[it->second].open_leads += delta;
  }
}

std::optional<int> Router::CapacityOf(int roster_index) const {
  auto it = member_by_roster_email_.find(Lower(roster_[roster_index].email));
  if (it != member_by_roster_email_.end()) return members_[it->second].capacity;
  return config_.default_capacity;
}

bool Router::Available(int roster_index, std::optional<int> capacity, Date today) const {
  if (roster_index < 0) return false;
  const RepStatus& rep = roster_[roster_index];
  if (!rep.active) return false;
  for (const DateRange& a : rep.absences) {
    if (a.Contains(today)) return false;
  }
  return !capacity || rep.open_leads < *capacity;
}

std::string Router::Unavailable(int roster_index, std::optional<int> capacity, Date today) const {
  if (roster_index < 0) return "not a user";
  const RepStatus& rep = roster_[roster_index];
  if (!rep.active) return "inactive";
  for (const DateRange& a : rep.absences) {
    if (a.Contains(today)) return "absent " + FormatDate(a.first) + ".." + FormatDate(a.last);
  }
  if (capacity && rep.open_leads >= *capacity) {
    return "at capacity " + std::to_string(rep.open_leads) + "/" + std::to_string(*capacity);
  }
  return {};
}

Router::StepResult Router::Direct(int roster_index, std::string_view who, Date today) const {
  StepResult r;
  r.had_candidates = true;
  const std::string why =
      Unavailable(roster_index, roster_index >= 0 ? CapacityOf(roster_index) : std::nullopt, today);
  if (why.empty()) {
    r.roster = roster_index;
  } else {
    r.text = std::string(who) + " " + why;
  }
  return r;
}

Router::StepResult Router::Distribute(RoutingStrategy how, const std::string& pool_key,
                                      const std::vector<int>& pool, Date today,
                                      RoutingState& state) const {
  StepResult r;
  r.distribution = how;
  r.had_candidates = !pool.empty();
  if (pool.empty()) {
    r.text = "nobody in the pool";
    return r;
  }
  const std::size_t n = pool.size();
  auto ok = [&](std::size_t i) {
    const Member& m = members_[pool[i]];
    return Available(m.roster, m.capacity, today) &&
           (how != RoutingStrategy::kWeighted || m.weight > 0);
  };
  RoutingPoolState& ps = state.pools[pool_key];
  std::optional<std::size_t> pick;
  switch (how) {
    case RoutingStrategy::kWeighted: {
      // Smooth weighted round robin: every available member gains its weight, the highest
      // current weight wins (first in pool order on a tie) and gives back the total.
      std::int64_t total = 0;
      std::int64_t best_weight = 0;
      std::vector<std::int64_t*> current(n, nullptr);
      for (std::size_t i = 0; i < n; ++i) {
        if (!ok(i)) continue;
        const Member& m = members_[pool[i]];
        std::int64_t& cw = ps.smooth_weights[m.email];
        cw += m.weight;
        total += m.weight;
        current[i] = &cw;
        if (!pick || cw > best_weight) {
          pick = i;
          best_weight = cw;
        }
      }
      if (pick) *current[*pick] -= total;
      break;
    }
    case RoutingStrategy::kLeastLoaded: {
      // Fewest open leads; ties go to the first at or after the cursor so that they rotate.
      const std::size_t start = ps.cursor % n;
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (start + k) % n;
        if (!ok(i)) continue;
        if (!pick || roster_[members_[pool[i]].roster].open_leads <
                         roster_[members_[pool[*pick]].roster].open_leads) {
          pick = i;
        }
      }
      if (pick) ps.cursor = *pick + 1;
      break;
    }
    default: {
      const std::size_t start = ps.cursor % n;
      for (std::size_t k = 0; k < n && !pick; ++k) {
        const std::size_t i = (start + k) % n;
        if (ok(i)) pick = i;
      }
      if (pick) ps.cursor = *pick + 1;
      break;
    }
  }
  if (pick) {
    r.roster = members_[pool[*pick]].roster;
    return r;
  }
  // Nobody: say why for each member (the slow path, strings only here).
  std::string reasons;
  for (int index : pool) {
    const Member& m = members_[index];
    std::string why = Unavailable(m.roster, m.capacity, today);
    if (why.empty() && how == RoutingStrategy::kWeighted && m.weight == 0) why = "weight 0";
    if (!reasons.empty()) reasons += ", ";
    reasons += m.email + " " + why;
  }
  r.text = "nobody available (" + reasons + ")";
  return r;
}

Router::StepResult Router::ToTeam(std::string_view team, Date today, RoutingState& state) const {
  static const std::vector<int> kEmpty;
  auto it = team_pools_.find(std::string(team));
  StepResult r = Distribute(distribution_, "team:" + std::string(team),
                            it == team_pools_.end() ? kEmpty : it->second, today, state);
  r.code = "/" + std::string(ToString(distribution_));
  const std::string head = "team " + std::string(team);
  r.text = r.roster >= 0 ? head + ", " + Spoken(distribution_) : head + ": " + r.text;
  return r;
}

Router::StepResult Router::RunStep(RoutingStrategy step, const RoutingRequest& lead, Date today,
                                   RoutingState& state) const {
  auto roster_of = [&](std::string_view email) {
    auto it = roster_by_email_.find(Lower(email));
    return it == roster_by_email_.end() ? -1 : it->second;
  };
  switch (step) {
    case RoutingStrategy::kAccountOwnerFirst: {
      StepResult r;
      if (!lead.company_owner_id) {
        r.text = "no account owner";
        return r;
      }
      auto it = roster_by_id_.find(*lead.company_owner_id);
      const int index = it == roster_by_id_.end() ? -1 : it->second;
      const std::string who = index >= 0
                                  ? "account owner " + roster_[index].email
                                  : "account owner #" + std::to_string(*lead.company_owner_id);
      r = Direct(index, who, today);
      r.code = "account_owner";
      if (r.roster >= 0) r.text = "account owner";
      return r;
    }
    case RoutingStrategy::kPersonaOwner: {
      StepResult r;
      auto it = lead.persona.empty() ? persona_owner_by_key_.end()
                                     : persona_owner_by_key_.find(lead.persona);
      if (it == persona_owner_by_key_.end()) {
        r.text = lead.persona.empty() ? "no persona" : "no owner for persona " + lead.persona;
        return r;
      }
      const PersonaOwner& owner = config_.persona_owners[it->second];
      const std::string head = "persona:" + owner.persona;
      if (!owner.team.empty()) {
        r = ToTeam(owner.team, today, state);
        r.code = head + r.code;
        r.text = head + " -> " + r.text;
      } else {
        r = Direct(roster_of(owner.rep_email), head + " -> " + owner.rep_email, today);
        r.code = head + "/rep";
        if (r.roster >= 0) r.text = head + " -> rep";
      }
      return r;
    }
    case RoutingStrategy::kTerritory: {
      StepResult r;
      std::string region = Upper(lead.region);
      std::string country = Upper(lead.country);
      if (country.empty() && region.size() > 2 && region[2] == '-') country = region.substr(0, 2);
      std::string matched;
      auto it = territory_by_code_.end();
      if (!region.empty()) it = territory_by_code_.find(region), matched = region;
      if (it == territory_by_code_.end() && !country.empty()) {
        it = territory_by_code_.find(country);
        matched = country;
      }
      if (it == territory_by_code_.end()) {
        r.text = country.empty() && region.empty()
                     ? "no country"
                     : "no territory for " + (region.empty() ? country : region);
        return r;
      }
      const Territory& t = config_.territories[it->second];
      const std::string head = "territory:" + matched;
      const std::string label = head + (t.name.empty() ? "" : " (" + t.name + ")");
      if (!t.team.empty()) {
        r = ToTeam(t.team, today, state);
        r.code = head + r.code;
        r.text = label + " -> " + r.text;
      } else {
        r = Direct(roster_of(t.rep_email), label + " -> " + t.rep_email, today);
        r.code = head + "/rep";
        if (r.roster >= 0) r.text = label + " -> rep";
      }
      return r;
    }
    case RoutingStrategy::kRoundRobin:
    case RoutingStrategy::kWeighted:
    case RoutingStrategy::kLeastLoaded: {
      StepResult r = Distribute(step, "*", all_pool_, today, state);
      r.code = std::string(ToString(step));
      r.text = r.roster >= 0 ? Spoken(step) : Spoken(step) + ": " + r.text;
      if (all_pool_.empty()) r.text = Spoken(step) + ": the contract lists no reps";
      return r;
    }
  }
  return {};
}

RoutingDecision Router::Route(const RoutingRequest& lead, Date today, RoutingState& state) const {
  RoutingDecision d;
  d.contact_id = lead.contact_id;
  std::vector<RoutingStrategy> chain{config_.strategy};
  if (config_.fallback && *config_.fallback != config_.strategy) {
    chain.push_back(*config_.fallback);
  }
  std::string passed;  // why earlier steps assigned nobody
  bool had_candidates = false;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    StepResult r = RunStep(chain[i], lead, today, state);
    had_candidates = had_candidates || r.had_candidates;
    if (r.roster >= 0) {
      const RepStatus& rep = roster_[r.roster];
      d.assignee_id = rep.user_id;
      d.assignee_email = rep.email;
      d.rule = RuleOf(chain[i]);
      d.distribution = r.distribution;
      d.by_fallback = i > 0;
      d.code = std::move(r.code);
      d.text = passed + r.text + " -> " + rep.email;
      return d;
    }
    passed += r.text + "; ";
  }
  d.rule = RoutingRule::kUnassigned;
  d.unassigned = had_candidates ? UnassignedReason::kNobodyAvailable : UnassignedReason::kNoMatch;
  d.code = "unassigned:" + std::string(ToString(*d.unassigned));
  d.text = "unassigned: " + passed.substr(0, passed.size() - 2);
  return d;
}

RoutingDistribution DistributionReport(std::span<const RoutingDecision> decisions) {
  RoutingDistribution out;
  std::map<Id, RepDistribution> by_rep;
  for (const RoutingDecision& d : decisions) {
    ++out.total;
    if (!d.assignee_id) {
      ++out.unassigned;
      ++out.unassigned_by_reason[std::string(
          ToString(d.unassigned.value_or(UnassignedReason::kNoMatch)))];
      continue;
    }
    ++out.assigned;
    RepDistribution& r = by_rep[*d.assignee_id];
    r.user_id = *d.assignee_id;
    if (r.email.empty()) r.email = d.assignee_email;
    ++r.leads;
    ++r.by_rule[std::string(ToString(d.rule))];
  }
  for (auto& [id, r] : by_rep) {
    r.share = static_cast<double>(r.leads) / out.assigned;
    out.reps.push_back(std::move(r));
  }
  std::sort(out.reps.begin(), out.reps.end(), [](const auto& a, const auto& b) {
    if (a.leads != b.leads) return a.leads > b.leads;
    if (a.email != b.email) return a.email < b.email;
    return a.user_id < b.user_id;
  });
  return out;
}

}  // namespace tandem::core
