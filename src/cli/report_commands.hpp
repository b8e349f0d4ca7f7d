// `tandem pay` (shared pay statements) and `tandem report weekly` (the weekly smarketing pack).
// Kept apart from cli.cpp: they only read, through the app services, and print or write files.
#pragma once

#include <memory>
#include <optional>
#include <ostream>

namespace CLI {
class App;
}

namespace tandem::cli {

class ReportCommands {
 public:
  // Adds the subcommands to `app`.
  explicit ReportCommands(CLI::App& app);
  ~ReportCommands();
  ReportCommands(const ReportCommands&) = delete;
  ReportCommands& operator=(const ReportCommands&) = delete;

  // After parsing: the exit code when one of these subcommands was chosen, nothing otherwise.
  std::optional<int> Run(std::ostream& out, std::ostream& err) const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace tandem::cli
