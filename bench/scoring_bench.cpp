// Scoring in process: events scored per second per core.
//
// Each iteration scores one event for one of 100,000 contacts: resolve the event type's rule,
// decay the contact's engagement to the event's instant, add the points within the type's
// cap, then evaluate the MQL rule on the new scores (what ingest does per event). Event
// types, contacts and time steps come from a fixed pseudo-random sequence built beforehand.
// The reference, in the same run, is the floor of any per-event work on the same sequence:
// adding the type's points to a per-contact double, with no decay, cap or rule.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "core/scoring.hpp"

namespace {

using namespace tandem::core;

constexpr int kContacts = 100'000;
constexpr int kEvents = 1 << 20;

struct Workload {
  std::vector<std::string> types;
  std::vector<std::uint32_t> contact;
  std::vector<std::uint8_t> type;
  std::vector<Instant> at;
};

const Workload& Load() {
  static const Workload w = [] {
    Workload w;
    w.types = {"page_view",        "email_open",   "email_click",  "form_submit",
               "content_download", "webinar",      "page_view",    "page_view",
               "email_open",       "demo_request", "custom_signup"};
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::uint32_t> pick_contact(0, kContacts - 1);
    std::uniform_int_distribution<std::uint32_t> pick_type(
        0, static_cast<std::uint32_t>(w.types.size() - 1));
    std::int64_t t = 1'790'000'000'000;
    for (int i = 0; i < kEvents; ++i) {
      t += static_cast<std::int64_t>(rng() % 20'000);  // ~10 s apart on average
      w.contact.push_back(pick_contact(rng));
      w.type.push_back(static_cast<std::uint8_t>(pick_type(rng)));
      w.at.push_back(FromMillis(t));
    }
    return w;
  }();
  return w;
}

CompiledRules Rules() {
  ScoringRules r = DefaultScoringRules();
  r.events.push_back({"custom_signup", 7, 14, 24});
  return *CompileRules(r);
}

// The whole per-event step, with the type resolved by name as ingest receives it.
void BM_ScoreEvent(benchmark::State& state) {
  const Workload& w = Load();
  const CompiledRules rules = Rules();
  std::vector<EngagementState> states(kContacts);
  std::size_t i = 0;
  std::int64_t qualified = 0;
  for (auto _ : state) {
    EngagementState& s = states[w.contact[i]];
    rules.ApplyEvent(s, std::string_view(w.types[w.type[i]]), w.at[i]);
    qualified += rules.Qualifies({72, s.value, Grade::kB, "data_lead"});
    if (++i == kEvents) i = 0;
  }
  benchmark::DoNotOptimize(qualified);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScoreEvent);

// The same with the rule index resolved beforehand (a caller that caches it per type).
void BM_ScoreEventResolved(benchmark::State& state) {
  const Workload& w = Load();
  const CompiledRules rules = Rules();
  std::vector<std::uint16_t> rule_of_type;
  for (const auto& t : w.types) rule_of_type.push_back(*rules.FindEventRule(t));
  std::vector<EngagementState> states(kContacts);
  std::size_t i = 0;
  std::int64_t qualified = 0;
  for (auto _ : state) {
    EngagementState& s = states[w.contact[i]];
    rules.ApplyEvent(s, rule_of_type[w.type[i]], w.at[i]);
    qualified += rules.Qualifies({72, s.value, Grade::kB, "data_lead"});
    if (++i == kEvents) i = 0;
  }
  benchmark::DoNotOptimize(qualified);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScoreEventResolved);

// Reference: add the type's points to a per-contact double; no decay, cap or rule.
void BM_ReferencePlainSum(benchmark::State& state) {
  const Workload& w = Load();
  const CompiledRules rules = Rules();
  std::vector<double> points;
  for (const auto& t : w.types) {
    points.push_back(rules.source().events[*rules.FindEventRule(t)].points);
  }
  std::vector<double> sums(kContacts);
  std::size_t i = 0;
  for (auto _ : state) {
    sums[w.contact[i]] += points[w.type[i]];
    benchmark::DoNotOptimize(sums[w.contact[i]]);
    if (++i == kEvents) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReferencePlainSum);

// Fit of one contact against two personas with negatives and grade.
void BM_Fit(benchmark::State& state) {
  const CompiledRules rules = Rules();
  Persona a;
  a.id = 1;
  a.key = "data_lead";
  a.name = "Head of Data";
  a.criteria = {
      {"contact.title", CriterionOp::kPattern, {"*head of data*", "*data*lead*"}, {}, {}, 40},
      {"company.industry", CriterionOp::kOneOf, {"saas", "fintech", "retail"}, {}, {}, 30},
      {"company.employees", CriterionOp::kRange, {}, 50, 1000, 20},
      {"contact.country", CriterionOp::kOneOf, {"fr", "de", "gb"}, {}, {}, 10}};
  Persona b = a;
  b.id = 2;
  b.key = "ops";
  b.criteria[0].values = {"*operations*"};
  std::vector<CompiledPersona> ps = {*CompilePersona(a), *CompilePersona(b)};
  Contact c;
  c.email = "ana@acme.example";
  c.title = "VP Operations";
  c.country = "DE";
  Company co;
  co.domain = "acme.example";
  co.industry = "Retail";
  co.employees = 300;
  for (auto _ : state) {
    auto r = rules.Fit(ps, c, &co);
    benchmark::DoNotOptimize(r.fit);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Fit);

}  // namespace

BENCHMARK_MAIN();
