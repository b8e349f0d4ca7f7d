// Business-calendar benchmarks: the cost of one Add (an SLA due time) and one Between (a
// response time in business minutes), against the date library's own UTC -> local conversion
// of one instant as the reference measured in the same run.
//
// Calendar: Europe/Paris, Monday-Friday 09:00-12:30 and 13:30-18:00, the French public
// holidays of 2026-2027. Instants are drawn (seeded) over 2026-2027, so walks cross weekends,
// holidays and both DST changes.
//
//   ./build-release/bench/calendar_bench --benchmark_repetitions=5 \
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "base/time_zones.hpp"
#include "core/calendar.hpp"

namespace tandem::bench {
namespace {

using namespace std::chrono;

core::BusinessCalendar ParisCalendar() {
  core::WeeklyHours w;
  for (int d = 0; d < 5; ++d) w.days[static_cast<std::size_t>(d)] = {{540, 750}, {810, 1080}};
  std::vector<core::Date> holidays;
  for (int y : {2026, 2027}) {
    for (auto md : {std::pair{1u, 1u},
                    {5u, 1u},
                    {5u, 8u},
                    {7u, 14u},
                    {8u, 15u},
                    {11u, 1u},
                    {11u, 11u},
                    {12u, 25u}}) {
      holidays.push_back(sys_days{year{y} / md.first / md.second});
    }
  }
  holidays.push_back(sys_days{year{2026} / 4 / 6});
  holidays.push_back(sys_days{year{2027} / 3 / 29});
  return *core::BusinessCalendar::Create(*base::LocateZone("Europe/Paris"), w, holidays);
}

std::vector<core::Instant> Instants(std::size_t n) {
  std::mt19937_64 rng(42);
  const std::int64_t lo = core::ToMillis(core::Instant{sys_days{year{2026} / 1 / 1}});
  std::uniform_int_distribution<std::int64_t> off(0, 2LL * 365 * 24 * 3600 * 1000);
  std::vector<core::Instant> v(n);
  for (auto& t : v) t = core::FromMillis(lo + off(rng));
  return v;
}

void BM_ZoneToLocal_Reference(benchmark::State& state) {
  const auto* zone = *base::LocateZone("Europe/Paris");
  const auto ts = Instants(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(zone->to_local(ts[i++ & 4095]));
  }
}
BENCHMARK(BM_ZoneToLocal_Reference);

void BM_Add(benchmark::State& state) {
  const auto cal = ParisCalendar();
  const auto ts = Instants(4096);
  const milliseconds d = hours{state.range(0)};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.Add(ts[i++ & 4095], d));
  }
}
BENCHMARK(BM_Add)->Arg(4)->Arg(16)->Arg(40);

void BM_Between(benchmark::State& state) {
  const auto cal = ParisCalendar();
  const auto ts = Instants(4096);
  const milliseconds span = hours{state.range(0)};
  std::size_t i = 0;
  for (auto _ : state) {
    const auto t = ts[i++ & 4095];
    benchmark::DoNotOptimize(cal.Between(t, t + span));
  }
}
BENCHMARK(BM_Between)->Arg(8)->Arg(72)->Arg(24 * 30);

void BM_AddBusinessDays(benchmark::State& state) {
  const auto cal = ParisCalendar();
  const auto ts = Instants(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.AddBusinessDays(ts[i++ & 4095], 2));
  }
}
BENCHMARK(BM_AddBusinessDays);

}  // namespace
}  // namespace tandem::bench

BENCHMARK_MAIN();
