// Demo generator benchmark: loading the demo company (app::GenerateDemo) into a fresh SQLite
// file, as `tandem demo` does, for the default 20,000 contacts and for TANDEM_BENCH_CONTACTS
// contacts (default 1,000,000).
//
// Each run opens a new file in the temporary directory, times GenerateDemo alone (opening and
// migrating the empty file is excluded), closes the store, reports the file size (database plus
// any WAL left) and deletes it. Counters: contacts_per_s, db_mib, and the rows written.
//
//   TANDEM_BENCH_CONTACTS=1000000 ./build/bench/demo_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/demo.hpp"
#include "app/passwords.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::bench {
namespace {

namespace fs = std::filesystem;

std::int64_t ContactCount() {
  const char* env = std::getenv("TANDEM_BENCH_CONTACTS");
  return env ? std::max<std::int64_t>(1000, std::atoll(env)) : 1'000'000;
}

std::uintmax_t SizeOf(const fs::path& db) {
  std::uintmax_t total = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    const auto size = fs::file_size(db.string() + suffix, ec);
    if (!ec) total += size;
  }
  return total;
}

void RemoveDb(const fs::path& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    fs::remove(db.string() + suffix, ec);
  }
}

void BM_GenerateDemo(benchmark::State& state) {
  const std::int64_t contacts = state.range(0);
  const app::PasswordHasher hasher;  // production cost: the one hash is part of the load
  const fs::path db =
      fs::temp_directory_path() / ("tandem-demo-bench-" + std::to_string(::getpid()) + ".db");
  app::DemoSummary summary;
  std::uintmax_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    RemoveDb(db);
    auto store = store::sqlite::OpenSqliteStore({.path = db.string()});
    if (!store) {
      state.SkipWithError(store.error().message.c_str());
      return;
    }
    app::DemoSettings settings;
    settings.contacts = contacts;
    settings.now = *core::ParseInstant("2026-11-26T15:30:00Z");
    settings.password = "tandem-demo";
    state.ResumeTiming();

    auto result = app::GenerateDemo(**store, hasher, settings);

    state.PauseTiming();
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      RemoveDb(db);
      return;
    }
    summary = *result;
    store->reset();
    bytes = SizeOf(db);
    RemoveDb(db);
    state.ResumeTiming();
  }
  state.counters["contacts_per_s"] = benchmark::Counter(
      static_cast<double>(contacts), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["db_mib"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
  state.counters["companies"] = static_cast<double>(summary.companies);
  state.counters["stage_changes"] = static_cast<double>(summary.stage_changes);
  state.counters["activities"] = static_cast<double>(summary.activities);
  state.counters["deals"] = static_cast<double>(summary.deals);
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  auto* bench = benchmark::RegisterBenchmark("BM_GenerateDemo", tandem::bench::BM_GenerateDemo);
  bench->Arg(20'000);
  if (tandem::bench::ContactCount() != 20'000) bench->Arg(tandem::bench::ContactCount());
  bench->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
