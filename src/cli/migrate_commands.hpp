// `tandem migrate-data`: moving a company from SQLite to PostgreSQL, checked by counts and
// checksums (docs/deploy.md, "Moving to PostgreSQL"). Kept apart from cli.cpp.
#pragma once

#include <memory>
#include <optional>
#include <ostream>

namespace CLI {
class App;
}

namespace tandem::cli {

class MigrateDataCommands {
 public:
  // Adds the subcommand to `app`.
  explicit MigrateDataCommands(CLI::App& app);
  ~MigrateDataCommands();
  MigrateDataCommands(const MigrateDataCommands&) = delete;
  MigrateDataCommands& operator=(const MigrateDataCommands&) = delete;

  // After parsing: the exit code when the subcommand was chosen, nothing otherwise.
  std::optional<int> Run(std::ostream& out, std::ostream& err) const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace tandem::cli
