#include "cli/backup_commands.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <string>

#include "server/runtime.hpp"
#include "store/sqlite/backup.hpp"
#include "store/sqlite/migrations.hpp"

namespace tandem::cli {

namespace {

int Fail(std::ostream& err, const core::Error& e) {
  err << "error: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return 1;
}

std::string Mib(std::int64_t bytes) {
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

struct BackupCommands::State {
  CLI::App* backup = nullptr;
  CLI::App* restore = nullptr;
  std::string db = "tandem.db";
  std::string to, from;
  bool force = false;

  int Backup(std::ostream& out, std::ostream& err) const {
    auto path = server::SqlitePathOf(db);
    if (!path) return Fail(err, path.error());
    const auto start = std::chrono::steady_clock::now();
    auto r = store::sqlite::BackupDatabase(*path, to, force);
    if (!r) return Fail(err, r.error());
    out << fmt::format("backed up {} to {}: {} pages, {}, schema version {}, {:.1f} s\n", *path, to,
                       r->pages, Mib(r->bytes), r->schema_version, SecondsSince(start));
    return 0;
  }

  int Restore(std::ostream& out, std::ostream& err) const {
    auto path = server::SqlitePathOf(db);
    if (!path) return Fail(err, path.error());
    const auto start = std::chrono::steady_clock::now();
    auto r = store::sqlite::RestoreDatabase(from, *path);
    if (!r) return Fail(err, r.error());
    const auto migrations = store::sqlite::EmbeddedMigrations();
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    out << fmt::format("restored {} from {}: {} pages, {}, schema version {}{}, {:.1f} s\n", *path,
                       from, r->pages, Mib(r->bytes), r->schema_version,
                       r->schema_version < latest
                           ? fmt::format(" (migrated to {} on next open)", latest)
                           : std::string(),
                       SecondsSince(start));
    return 0;
  }
};

BackupCommands::BackupCommands(CLI::App& app) : s_(std::make_unique<State>()) {
  State& s = *s_;
  s.backup = app.add_subcommand(
      "backup", "copy the database to a file, consistent as of one commit, while Tandem runs");
  s.backup
      ->add_option(
          "--db", s.db,
          "database: a SQLite file path or sqlite:PATH (PostgreSQL: use pg_dump and pg_restore)")
      ->capture_default_str();
  s.backup->add_option("--to", s.to, "the backup file to write")->required();
  s.backup->add_flag("--force", s.force, "replace the backup file if it exists");

  s.restore = app.add_subcommand(
      "restore", "replace the database with a backup (stop `tandem serve` on it first)");
  s.restore
      ->add_option(
          "--db", s.db,
          "database: a SQLite file path or sqlite:PATH (PostgreSQL: use pg_dump and pg_restore)")
      ->capture_default_str();
  s.restore->add_option("--from", s.from, "the backup file to restore")->required();
}

BackupCommands::~BackupCommands() = default;

std::optional<int> BackupCommands::Run(std::ostream& out, std::ostream& err) const {
  if (*s_->backup) return s_->Backup(out, err);
  if (*s_->restore) return s_->Restore(out, err);
  return std::nullopt;
}

}  // namespace tandem::cli
