// Routing in process: decisions per second per core, with 6 reps and with 500 reps.
//
// Each iteration routes one lead (facts from a fixed pseudo-random sequence built beforehand:
// 24 countries, a few regions, 30% of leads with an account owner) and records the
// assignment's load (AddOpenLeads), as the handoff will. Reps are split over teams (2 teams
// of 3, or 5 teams of 100); one rep in 10 is absent or inactive so that skipping is measured.
// The reference, in the same run, is the floor of any routing: the next active rep of a
// plain vector by a modulo cursor, with no state map, rule or explanation.
#include <benchmark/benchmark.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/routing.hpp"

namespace {

using namespace tandem::core;

constexpr int kLeads = 1 << 16;
const Date kToday = Date{std::chrono::year{2026} / 11 / 27};
const std::vector<std::string> kCountries = {"DE", "AT", "CH", "FR", "BE", "NL", "GB", "IE",
                                             "ES", "PT", "IT", "SE", "NO", "DK", "FI", "PL",
                                             "US", "CA", "MX", "BR", "AR", "JP", "AU", "IN"};

int Teams(int reps) {
  return reps <= 6 ? 2 : 5;
}

std::vector<RepStatus> Roster(int n) {
  std::vector<RepStatus> roster;
  for (int i = 0; i < n; ++i) {
    RepStatus r;
    r.user_id = i + 1;
    r.email = "rep" + std::to_string(i) + "@t.example";
    r.team = "Team " + std::to_string(i % Teams(n));
    if (i % 10 == 7) r.active = false;
    if (i % 10 == 9) r.absences = {{kToday - std::chrono::days{2}, kToday + std::chrono::days{5}}};
    roster.push_back(std::move(r));
  }
  return roster;
}

RoutingConfig Config(int n, RoutingStrategy strategy, std::optional<RoutingStrategy> fallback) {
  RoutingConfig c;
  c.strategy = strategy;
  c.fallback = fallback;
  c.default_capacity = 1'000'000'000;
  for (int i = 0; i < n; ++i) {
    c.reps.push_back({"rep" + std::to_string(i) + "@t.example", 1 + i % 5, std::nullopt});
  }
  // Countries spread over the teams; Japan to one rep; two regions more specific.
  for (std::size_t k = 0; k + 3 < kCountries.size(); ++k) {
    Territory t;
    t.name = "T" + std::to_string(k);
    t.countries = {kCountries[k]};
    t.team = "Team " + std::to_string(k % Teams(n));
    c.territories.push_back(std::move(t));
  }
  c.territories.push_back({"Japan", {"JP"}, {}, "", "rep0@t.example"});
  c.territories.push_back({"California", {}, {"US-CA", "US-WA"}, "Team 1", ""});
  return c;
}

const std::vector<RoutingRequest>& Leads(int n) {
  static std::map<int, std::vector<RoutingRequest>> cache;
  auto& leads = cache[n];
  if (!leads.empty()) return leads;
  std::mt19937_64 rng(42);
  for (int i = 0; i < kLeads; ++i) {
    RoutingRequest r;
    r.contact_id = i + 1;
    r.country = kCountries[rng() % kCountries.size()];
    if (r.country == "US" && rng() % 2 == 0) r.region = "US-CA";
    if (rng() % 10 < 3) r.company_owner_id = static_cast<Id>(1 + rng() % n);
    leads.push_back(std::move(r));
  }
  return leads;
}

void Run(benchmark::State& state, RoutingStrategy strategy,
         std::optional<RoutingStrategy> fallback) {
  const int n = static_cast<int>(state.range(0));
  const auto& leads = Leads(n);
  Router router(Config(n, strategy, fallback), Roster(n));
  RoutingState rs;
  std::size_t i = 0;
  std::int64_t assigned = 0;
  for (auto _ : state) {
    RoutingDecision d = router.Route(leads[i], kToday, rs);
    if (d.assignee_id) {
      router.AddOpenLeads(*d.assignee_id);
      ++assigned;
    }
    benchmark::DoNotOptimize(d);
    if (++i == leads.size()) i = 0;
  }
  state.counters["assigned_share"] =
      static_cast<double>(assigned) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
}

void BM_RoundRobin(benchmark::State& s) {
  Run(s, RoutingStrategy::kRoundRobin, {});
}
void BM_Weighted(benchmark::State& s) {
  Run(s, RoutingStrategy::kWeighted, {});
}
void BM_LeastLoaded(benchmark::State& s) {
  Run(s, RoutingStrategy::kLeastLoaded, {});
}
void BM_Territory(benchmark::State& s) {
  Run(s, RoutingStrategy::kTerritory, RoutingStrategy::kRoundRobin);
}
void BM_AccountOwnerThenTerritory(benchmark::State& s) {
  Run(s, RoutingStrategy::kAccountOwnerFirst, RoutingStrategy::kTerritory);
}
BENCHMARK(BM_RoundRobin)->Arg(6)->Arg(500);
BENCHMARK(BM_Weighted)->Arg(6)->Arg(500);
BENCHMARK(BM_LeastLoaded)->Arg(6)->Arg(500);
BENCHMARK(BM_Territory)->Arg(6)->Arg(500);
BENCHMARK(BM_AccountOwnerThenTerritory)->Arg(6)->Arg(500);

// Reference: the next active, present rep of a vector by a modulo cursor.
void BM_ReferenceModuloCursor(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::vector<RepStatus> roster = Roster(n);
  std::size_t cursor = 0;
  for (auto _ : state) {
    for (int k = 0; k < n; ++k) {
      RepStatus& r = roster[cursor++ % roster.size()];
      if (r.active && r.absences.empty()) {
        ++r.open_leads;
        benchmark::DoNotOptimize(r.open_leads);
        break;
      }
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReferenceModuloCursor)->Arg(6)->Arg(500);

}  // namespace

BENCHMARK_MAIN();
