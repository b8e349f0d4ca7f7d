#include "cli/privacy_commands.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <string>

#include "api/privacy_json.hpp"
#include "app/privacy.hpp"
#include "server/runtime.hpp"

namespace tandem::cli {

namespace {

int Fail(std::ostream& err, const core::Error& e) {
  err << "error: " << (e.field.empty() ? "" : e.field + ": ") << e.message << "\n";
  return 1;
}

}  // namespace

struct PrivacyCommands::State {
  CLI::App* export_cmd = nullptr;
  CLI::App* erase = nullptr;
  CLI::App* purge = nullptr;
  std::string db = "tandem.db";
  std::string email;
  std::string confirm;
  std::string out_file;
  int months = 0;
  bool dry_run = false;
  bool json = false;

  core::Result<std::unique_ptr<server::Runtime>> Open() const {
    server::RuntimeSettings rs;
    rs.db = db;
    return server::Runtime::Open(rs);
  }

  int Export(std::ostream& out, std::ostream& err) const {
    auto rt = Open();
    if (!rt) return Fail(err, rt.error());
    auto data = app::PrivacyService((*rt)->store(), (*rt)->clock()).ExportAsOperator(email);
    if (!data) return Fail(err, data.error());
    const std::string text = api::PersonalDataJsonText(*data);
    if (out_file.empty()) {
      out << text << "\n";
      return 0;
    }
    std::ofstream file(out_file, std::ios::binary | std::ios::trunc);
    file << text << "\n";
    file.close();
    if (!file) return Fail(err, core::Error::Invalid("out", "cannot write " + out_file));
    out << fmt::format("exported everything held about {} (contact {}) to {}\n", data->email,
                       data->contact.id, out_file);
    return 0;
  }

  int Erase(std::ostream& out, std::ostream& err) const {
    auto rt = Open();
    if (!rt) return Fail(err, rt.error());
    auto r = app::PrivacyService((*rt)->store(), (*rt)->clock()).EraseAsOperator(email, confirm);
    if (!r) return Fail(err, r.error());
    if (json) {
      out << api::ErasureJsonText(*r) << "\n";
      return 0;
    }
    const auto& n = r->counts;
    out << fmt::format(
        "erased contact {}: {} events deleted, {} campaign touches kept anonymous, {} "
        "identities, {} consents, {} form posts, {} activities, {} deals, {} outbox messages, {} "
        "deliveries, {} notifications, {} audit values; the tombstone keeps its stage history "
        "for the funnel\n",
        r->contact_id, n.events_deleted, n.events_kept_anonymous, n.identities, n.consents,
        n.form_posts, n.activities, n.deals, n.outbox_messages, n.deliveries, n.notifications,
        n.audit_changes);
    return 0;
  }

  int Purge(std::ostream& out, std::ostream& err) const {
    auto rt = Open();
    if (!rt) return Fail(err, rt.error());
    auto r = app::PrivacyService((*rt)->store(), (*rt)->clock())
                 .PurgeEventsAsOperator(months, dry_run, "cli");
    if (!r) return Fail(err, r.error());
    out << fmt::format("{} {} events that occurred before {}\n", dry_run ? "would purge" : "purged",
                       r->events, core::FormatInstant(r->cutoff));
    return 0;
  }
};

PrivacyCommands::PrivacyCommands(CLI::App& app) : s_(std::make_unique<State>()) {
  State& s = *s_;
  auto* privacy = app.add_subcommand(
      "privacy", "export or erase what Tandem holds about a person; purge old events");
  privacy->require_subcommand(1);
  auto add_db = [&s](CLI::App* cmd) {
    cmd->add_option("--db", s.db, "database: a SQLite file path, sqlite:PATH or postgresql://URL")
        ->capture_default_str();
  };
  s.export_cmd = privacy->add_subcommand(
      "export", "print everything held about a person as one JSON document");
  add_db(s.export_cmd);
  s.export_cmd->add_option("--email", s.email, "the person's email")->required();
  s.export_cmd->add_option("--out", s.out_file, "write the document to this file instead");

  s.erase = privacy->add_subcommand(
      "erase", "erase a person's personal data everywhere, keeping an anonymous tombstone");
  add_db(s.erase);
  s.erase->add_option("--email", s.email, "the person's email")->required();
  s.erase->add_option("--confirm", s.confirm, "the same email again: erasure cannot be undone");
  s.erase->add_flag("--json", s.json, "print the API's JSON document instead of a sentence");

  s.purge = privacy->add_subcommand(
      "purge-events", "delete events older than a number of months (the retention) now");
  add_db(s.purge);
  s.purge->add_option("--months", s.months, "keep this many months of events (1..1200)")
      ->required();
  s.purge->add_flag("--dry-run", s.dry_run, "only count the events that would go");
}

PrivacyCommands::~PrivacyCommands() = default;

std::optional<int> PrivacyCommands::Run(std::ostream& out, std::ostream& err) const {
  if (*s_->export_cmd) return s_->Export(out, err);
  if (*s_->erase) return s_->Erase(out, err);
  if (*s_->purge) return s_->Purge(out, err);
  return std::nullopt;
}

}  // namespace tandem::cli
