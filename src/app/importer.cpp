#include "app/importer.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.hpp"

namespace tandem::app {

using core::Contact;
using core::Error;
using core::Fail;
using core::Id;
using core::Result;
using namespace core::imports;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A row ready to write, with where it came from.
struct PendingRow {
  std::int64_t row = 0;
  std::int64_t line = 0;
  ImportedContact in;
  std::optional<Id> owner_id;
};

// What one batch did; added to the totals only once its transaction committed.
struct BatchOutcome {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::unordered_map<std::string, Id> new_companies;
};

class ImportRun {
 public:
  ImportRun(store::Store& store, const base::Clock& clock, const core::Principal& p,
            const ImportOptions& options, const ImportProgressFn& progress,
            const ImportIssueFn& on_issue)
      : store_(store),
        clock_(clock),
        principal_(p),
        options_(options),
        progress_(progress),
        on_issue_(on_issue),
        now_(clock.Now()),
        actor_(p.user_id > 0 ? p.AsActor() : core::Actor::System("import")) {}

  Result<ImportSummary> Go(const ChunkSource& source) {
    TANDEM_TRY(LoadUsers());
    core::csv::ReaderOptions reader_options;
    reader_options.max_cell_bytes = options_.max_cell_bytes;
    core::csv::Reader reader(reader_options);
    core::csv::RecordSink sink = [this](const core::csv::Record& r) { return OnRecord(r); };
    while (true) {
      TANDEM_ASSIGN(std::string_view chunk, source());
      if (chunk.empty()) break;
      TANDEM_TRY(reader.Feed(chunk, sink));
      bytes_ = reader.bytes_read();
    }
    TANDEM_TRY(reader.Finish(sink));
    bytes_ = reader.bytes_read();
    if (!mapping_) return Fail(Error::Invalid("file", "the file is empty: no header line"));
    TANDEM_TRY(Flush());
    summary_.delimiter = reader.delimiter();
    summary_.bytes = bytes_;
    if (!options_.dry_run) TANDEM_TRY(WriteAudit());
    if (progress_) progress_(bytes_, summary_.counts);
    return std::move(summary_);
  }

 private:
  Result<void> LoadUsers() {
    return store_.Read([&](store::Tx& tx) -> Result<void> {
      core::UserQuery q;
      q.page.limit = 500;
      while (true) {
        TANDEM_ASSIGN(auto page, tx.users().List(q));
        for (const auto& u : page.items) {
          users_by_email_[u.email] = u.id;
          users_by_name_.emplace(Lower(u.name), u.id);
        }
        if (!page.next) break;
        q.page.after = page.next;
      }
      return {};
    });
  }

  void Issue(std::int64_t row, std::int64_t line, int column, bool warning, std::string reason) {
    ImportIssue issue;
    issue.row = row;
    issue.line = line;
    if (column >= 0 && mapping_ && static_cast<std::size_t>(column) < mapping_->headers.size()) {
      issue.column = mapping_->headers[static_cast<std::size_t>(column)];
    }
    issue.warning = warning;
    issue.reason = std::move(reason);
    (warning ? summary_.counts.warnings : summary_.counts.errors) += 1;
    if (on_issue_) on_issue_(issue);
    if (summary_.issues.size() < options_.max_issues_kept) summary_.issues.push_back(issue);
  }

  Result<void> OnRecord(const core::csv::Record& r) {
    if (!mapping_) {
      if (!r.problem.empty()) {
        return Fail(Error::Invalid("file", "the header line: " + r.problem));
      }
      TANDEM_ASSIGN(auto m, BuildMapping(r.fields, options_.preset, options_.overrides));
      summary_.preset = m.preset;
      summary_.preset_detected = m.preset_detected;
      summary_.unmapped = m.unmapped;
      mapping_ = std::move(m);
      return {};
    }
    if (r.blank) return {};
    ++summary_.counts.rows;
    if (!r.problem.empty()) {
      Issue(r.number, r.line, r.problem_column, false, r.problem);
      ++summary_.counts.skipped;
      return {};
    }
    cell_errors_.clear();
    auto converted = ConvertRow(*mapping_, r.fields, cell_errors_);
    if (!converted) {
      for (auto& e : cell_errors_) Issue(r.number, r.line, e.column, false, std::move(e.reason));
      ++summary_.counts.skipped;
      return {};
    }
    PendingRow row{r.number, r.line, std::move(*converted), std::nullopt};
    row.owner_id = ResolveOwner(row);
    // The same email twice in one batch: the earlier row is written first.
    if (!batch_emails_.insert(row.in.contact.email).second) TANDEM_TRY(Flush());
    batch_emails_.insert(row.in.contact.email);
    batch_.push_back(std::move(row));
    if (batch_.size() >= options_.batch_rows) TANDEM_TRY(Flush());
    return {};
  }

  std::optional<Id> ResolveOwner(const PendingRow& row) {
    const std::string& raw = row.in.owner;
    if (raw.empty()) return std::nullopt;
    std::string key = Lower(raw);
    if (auto it = mapping_->owners.find(key); it != mapping_->owners.end()) key = Lower(it->second);
    if (auto it = users_by_email_.find(key); it != users_by_email_.end()) return it->second;
    if (auto it = users_by_name_.find(key); it != users_by_name_.end()) return it->second;
    Issue(row.row, row.line, row.in.owner_column, true,
          "owner \"" + raw.substr(0, 80) +
              "\" matches no user by email or name; imported without an owner (map it in the "
              "mapping file's [owners])");
    return std::nullopt;
  }

  Result<std::optional<Id>> CompanyFor(store::Tx& tx, const std::string& name, bool write,
                                       BatchOutcome& out) {
    if (name.empty()) return std::optional<Id>();
    if (auto it = companies_.find(name); it != companies_.end()) return std::optional(it->second);
    if (auto it = out.new_companies.find(name); it != out.new_companies.end()) {
      return std::optional(it->second);
    }
    TANDEM_ASSIGN(auto found, tx.companies().FindByName(name));
    if (found) {
      out.new_companies[name] = found->id;
      return std::optional(found->id);
    }
    if (!write) return std::optional<Id>();  // a dry run creates nothing
    core::Company c;
    c.name = name;
    c.created_at = c.updated_at = now_;
    TANDEM_TRY(core::Validate(c));
    TANDEM_ASSIGN(Id id, tx.companies().Insert(c));
    out.new_companies[name] = id;
    return std::optional(id);
  }

  // Writes (or, in a dry run, checks) `rows` in the open transaction.
  Result<void> Apply(store::Tx& tx, std::vector<PendingRow>& rows, bool write, BatchOutcome& out) {
    std::vector<std::string> emails;
    emails.reserve(rows.size());
    for (const auto& r : rows) emails.push_back(r.in.contact.email);
    TANDEM_ASSIGN(auto stored, tx.contacts().FindByEmails(emails));
    std::unordered_map<std::string, Contact*> by_email;
    for (auto& c : stored) by_email[c.email] = &c;

    std::vector<Contact> fresh;
    std::vector<StagePlan> fresh_plans;
    std::vector<core::StageChange> history;
    for (auto& r : rows) {
      TANDEM_ASSIGN(std::optional<Id> company, CompanyFor(tx, r.in.company_name, write, out));
      auto it = by_email.find(r.in.contact.email);
      if (it == by_email.end()) {
        Contact c = r.in.contact;
        c.company_id = company;
        c.owner_id = r.owner_id;
        c.created_at = r.in.created_at.value_or(now_);
        c.updated_at = now_;
        StagePlan plan = PlanStages(r.in, std::nullopt, {}, now_, actor_);
        c.stage = plan.stage;
        c.stage_entered_at = plan.entered_at;
        fresh.push_back(std::move(c));
        fresh_plans.push_back(std::move(plan));
        continue;
      }
      Contact& c = *it->second;
      bool changed = MergeInto(c, r.in);
      if (company && c.company_id != company) {
        c.company_id = company;
        changed = true;
      }
      if (r.owner_id && c.owner_id != r.owner_id) {
        c.owner_id = r.owner_id;
        changed = true;
      }
      StagePlan plan = PlanStages(r.in, c.stage, c.stage_entered_at, now_, actor_);
      if (!plan.changes.empty()) {
        c.stage = plan.stage;
        c.stage_entered_at = plan.entered_at;
        changed = true;
      }
      if (!changed) {
        ++out.unchanged;
        continue;
      }
      ++out.updated;
      c.updated_at = now_;
      if (!write) continue;
      TANDEM_TRY(core::Validate(c));
      TANDEM_TRY(tx.contacts().Update(c));
      for (auto& ch : plan.changes) {
        ch.contact_id = c.id;
        history.push_back(std::move(ch));
      }
    }
    out.created += static_cast<std::int64_t>(fresh.size());
    if (!write) return {};
    TANDEM_TRY(tx.contacts().InsertMany(fresh));
    for (std::size_t i = 0; i < fresh.size(); ++i) {
      for (auto& ch : fresh_plans[i].changes) {
        ch.contact_id = fresh[i].id;
        history.push_back(std::move(ch));
      }
    }
    return tx.stages().AppendMany(history);
  }

  Result<void> RunBatch(std::vector<PendingRow>& rows, BatchOutcome& out) {
    const bool write = !options_.dry_run;
    auto body = [&](store::Tx& tx) { return Apply(tx, rows, write, out); };
    return write ? store_.Write(body) : store_.Read(body);
  }

  void Commit(const BatchOutcome& out) {
    summary_.counts.created += out.created;
    summary_.counts.updated += out.updated;
    summary_.counts.unchanged += out.unchanged;
    for (const auto& [name, id] : out.new_companies) companies_[name] = id;
  }

  Result<void> Flush() {
    if (batch_.empty()) return {};
    BatchOutcome out;
    auto r = RunBatch(batch_, out);
    if (r) {
      Commit(out);
    } else if (r.error().code == core::ErrorCode::kUnavailable) {
      return Fail(r.error());  // the database is away: no row would fare better alone
    } else {
      // Isolate the failing rows: each alone in its own transaction.
      for (auto& row : batch_) {
        std::vector<PendingRow> one;
        one.push_back(std::move(row));
        BatchOutcome single;
        auto rr = RunBatch(one, single);
        if (rr) {
          Commit(single);
        } else {
          if (rr.error().code == core::ErrorCode::kUnavailable) return Fail(rr.error());
          Issue(one[0].row, one[0].line, -1, false,
                (rr.error().field.empty() ? "" : rr.error().field + ": ") + rr.error().message);
          ++summary_.counts.skipped;
        }
      }
    }
    batch_.clear();
    batch_emails_.clear();
    if (progress_) progress_(bytes_, summary_.counts);
    return {};
  }

  Result<void> WriteAudit() {
    return store_.Write([&](store::Tx& tx) -> Result<void> {
      core::AuditEntry e;
      e.at = clock_.Now();
      e.actor = actor_;
      e.entity = "import";
      e.entity_id = options_.job_id.value_or(0);
      e.action = core::AuditAction::kCreate;
      const auto& c = summary_.counts;
      e.changes = {{"file", "", options_.file_name},
                   {"preset", "", std::string(ToString(summary_.preset))},
                   {"rows", "", std::to_string(c.rows)},
                   {"created", "", std::to_string(c.created)},
                   {"updated", "", std::to_string(c.updated)},
                   {"unchanged", "", std::to_string(c.unchanged)},
                   {"skipped", "", std::to_string(c.skipped)}};
      TANDEM_TRY(tx.audit().Append(e));
      return {};
    });
  }

  store::Store& store_;
  const base::Clock& clock_;
  const core::Principal& principal_;
  const ImportOptions& options_;
  const ImportProgressFn& progress_;
  const ImportIssueFn& on_issue_;
  const core::Instant now_;
  const core::Actor actor_;

  std::optional<Mapping> mapping_;
  ImportSummary summary_;
  std::uint64_t bytes_ = 0;
  std::vector<CellError> cell_errors_;
  std::vector<PendingRow> batch_;
  std::unordered_set<std::string> batch_emails_;
  std::unordered_map<std::string, Id> companies_;  // committed name -> id
  std::unordered_map<std::string, Id> users_by_email_;
  std::unordered_map<std::string, Id> users_by_name_;
};

}  // namespace

Result<void> AuthorizeImport(const core::Principal& p) {
  if (p.role != core::Role::kAdmin && p.role != core::Role::kMarketing) {
    return Fail(Error::Forbidden("only admins and marketing may import contacts"));
  }
  if (p.scopes && !p.HasScope(core::Scope::kWrite)) {
    return Fail(Error::Forbidden("this API key lacks the write scope"));
  }
  return {};
}

Result<ImportSummary> ContactImporter::Run(const core::Principal& p, const ChunkSource& source,
                                           const ImportOptions& options,
                                           const ImportProgressFn& progress,
                                           const ImportIssueFn& on_issue) {
  TANDEM_TRY(AuthorizeImport(p));
  if (options.batch_rows == 0) return Fail(Error::Invalid("batch_rows", "must be positive"));
  ImportRun run(store_, clock_, p, options, progress, on_issue);
  return run.Go(source);
}

}  // namespace tandem::app
