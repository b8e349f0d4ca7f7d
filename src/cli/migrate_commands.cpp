#include "cli/migrate_commands.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <string>

#include "app/migrate_data.hpp"
#include "store/postgres/table_target.hpp"
#include "store/sqlite/table_source.hpp"

namespace tandem::cli {

namespace {

int Fail(std::ostream& err, const core::Error& e) {
  err << "error: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return 1;
}

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

// "1,234,567"
std::string Count(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void PrintChecks(std::ostream& out, const app::MoveReport& report) {
  out << fmt::format("{:<28} {:>14} {:>14}  {}\n", "table", "rows sqlite", "rows postgresql",
                     "checksum");
  for (const app::TableCheck& c : report.checks) {
    out << fmt::format("{:<28} {:>14} {:>14}  {}\n", c.table, Count(c.source_rows),
                       Count(c.target_rows), c.Same() ? "ok" : "DIFFERENT");
  }
}

}  // namespace

struct MigrateDataCommands::State {
  CLI::App* cmd = nullptr;
  std::string from, to;
  bool check_only = false;

  int Run(std::ostream& out, std::ostream& err) const {
    if (from.rfind("sqlite:", 0) != 0 || from.size() <= 7) {
      return Fail(err, core::Error::Invalid("from", "the source must be sqlite:PATH"));
    }
    if (!IsPostgresUrl(to)) {
      return Fail(err, core::Error::Invalid("to", "the target must be a postgresql:// URL"));
    }
    const std::string path = from.substr(7);
    const auto start = std::chrono::steady_clock::now();
    auto last = start;
    auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    auto source = store::sqlite::OpenTableSource(path);
    if (!source) return Fail(err, source.error());
    auto target = store::postgres::OpenTableTarget(to);
    if (!target) return Fail(err, target.error());
    auto progress = [&](std::string_view step, const std::string& table, std::int64_t rows) {
      const auto now = std::chrono::steady_clock::now();
      const char* verb = step == "copy"     ? "copied"
                         : step == "derive" ? "built from the others"
                                            : "read back";
      out << fmt::format("{:<28} {:>12} rows {:<22} {:7.1f} s\n", table, Count(rows), verb,
                         seconds(last, now));
      out.flush();
      last = now;
    };
    auto report = check_only ? app::CheckData(**source, **target, progress)
                             : app::MoveData(**source, **target, progress);
    if (!report) return Fail(err, report.error());
    PrintChecks(out, *report);
    const double total = seconds(start, std::chrono::steady_clock::now());
    if (!report->same) {
      err << (check_only ? "error: the databases differ (tables marked DIFFERENT)\n"
                         : "error: the copy differs from the source (tables marked DIFFERENT); "
                           "it was rolled back, nothing was written\n");
      return 1;
    }
    if (check_only) {
      out << fmt::format("every table the same on both sides ({:.1f} s)\n", total);
    } else {
      out << fmt::format(
          "moved {} rows in {} tables, every table the same on both sides "
          "({:.1f} s)\n",
          Count(report->rows), report->checks.size(), total);
    }
    return 0;
  }
};

MigrateDataCommands::MigrateDataCommands(CLI::App& app) : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.cmd = app.add_subcommand(
      "migrate-data",
      "move a whole company from SQLite into an empty PostgreSQL database, then check both");
  s.cmd->add_option("--from", s.from, "the source: sqlite:PATH (opened read-only)")->required();
  s.cmd->add_option("--to", s.to, "the target: postgresql://user@host:port/database")->required();
  s.cmd->add_flag("--check-only", s.check_only,
                  "move nothing: compare every table's rows and checksum on both sides");
}

MigrateDataCommands::~MigrateDataCommands() = default;

std::optional<int> MigrateDataCommands::Run(std::ostream& out, std::ostream& err) const {
  if (*s_->cmd) return s_->Run(out, err);
  return std::nullopt;
}

}  // namespace tandem::cli
