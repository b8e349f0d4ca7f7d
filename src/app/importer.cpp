#include "app/importer.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.hpp"
#include "store/bulk.hpp"
#include "store/privacy_repo.hpp"

namespace tandem::app {

using core::Contact;
using core::Error;
using core::Fail;
using core::Id;
using core::Result;
using namespace core::imports;

std::string_view ToString(BulkMode m) {
  switch (m) {
    case BulkMode::kOff: return "off";
    case BulkMode::kOn: return "on";
    case BulkMode::kAuto: return "auto";
  }
  return "off";
}

std::optional<BulkMode> BulkModeFromString(std::string_view text) {
  for (BulkMode m : {BulkMode::kOff, BulkMode::kOn, BulkMode::kAuto}) {
    if (ToString(m) == text) return m;
  }
  return std::nullopt;
}

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
  std::vector<std::string> consent_headers;  // the header of each of in.consents' columns
};

// What the reader hands the writer: rows to write, and what reading them found, in file order.
struct ReadBatch {
  std::vector<PendingRow> rows;
  std::vector<ImportIssue> issues;  // found while reading these rows (before their writing)
  std::int64_t rows_read = 0;       // data rows read, blank lines not counted
  std::int64_t skipped = 0;         // rows with an error
  std::uint64_t bytes = 0;          // bytes of the file read when the batch was cut
};

// What one batch did; added to the totals only once its transaction committed.
struct BatchOutcome {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::unordered_map<std::string, Id> new_companies;
};

// A bounded hand-over of batches from the reader thread to the writer, ended by the reader
// (with or without an error) or abandoned by the writer.
class BatchQueue {
 public:
  static constexpr std::size_t kDepth = 2;

  // False when the writer gave up: the reader should stop.
  bool Push(ReadBatch batch) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [&] { return queue_.size() < kDepth || abandoned_; });
    if (abandoned_) return false;
    queue_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }
  void Finish(Result<void> outcome) {
    std::lock_guard lock(mu_);
    finished_ = true;
    outcome_ = std::move(outcome);
    ready_.notify_one();
  }
  // The next batch, or nothing once the reader finished and every batch was taken.
  std::optional<ReadBatch> Pop() {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return !queue_.empty() || finished_; });
    if (queue_.empty()) return std::nullopt;
    ReadBatch b = std::move(queue_.front());
    queue_.pop_front();
    space_.notify_one();
    return b;
  }
  void Abandon() {
    std::lock_guard lock(mu_);
    abandoned_ = true;
    space_.notify_all();
  }
  bool abandoned() {
    std::lock_guard lock(mu_);
    return abandoned_;
  }
  // The reader's outcome; valid once Pop returned nothing.
  Result<void> outcome() {
    std::lock_guard lock(mu_);
    return outcome_;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::condition_variable space_;
  std::deque<ReadBatch> queue_;
  bool finished_ = false;
  bool abandoned_ = false;
  Result<void> outcome_;
};

// Reads the file on its own thread: CSV, mapping, conversion, owner lookup; cuts batches.
// Touches only its own state and the read-only user maps.
class RowReader {
 public:
  RowReader(const ImportOptions& options, const std::unordered_map<std::string, Id>& users_by_email,
            const std::unordered_map<std::string, Id>& users_by_name, BatchQueue& queue)
      : options_(options),
        users_by_email_(users_by_email),
        users_by_name_(users_by_name),
        queue_(queue) {}

  Result<void> Read(const ChunkSource& source) {
    core::csv::ReaderOptions reader_options;
    reader_options.max_cell_bytes = options_.max_cell_bytes;
    core::csv::Reader reader(reader_options);
    reader_ = &reader;
    core::csv::RecordSink sink = [this](const core::csv::Record& r) { return OnRecord(r); };
    while (true) {
      TANDEM_ASSIGN(std::string_view chunk, source());
      if (chunk.empty()) break;
      TANDEM_TRY(reader.Feed(chunk, sink));
    }
    TANDEM_TRY(reader.Finish(sink));
    delimiter_ = reader.delimiter();
    bytes_ = reader.bytes_read();
    if (!mapping_) return Fail(Error::Invalid("file", "the file is empty: no header line"));
    return Cut();
  }

  const std::optional<Mapping>& mapping() const { return mapping_; }
  char delimiter() const { return delimiter_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  void Issue(std::int64_t row, std::int64_t line, int column, bool warning, std::string reason) {
    ImportIssue issue;
    issue.row = row;
    issue.line = line;
    if (column >= 0 && mapping_ && static_cast<std::size_t>(column) < mapping_->headers.size()) {
      issue.column = mapping_->headers[static_cast<std::size_t>(column)];
    }
    issue.warning = warning;
    issue.reason = std::move(reason);
    batch_.issues.push_back(std::move(issue));
  }

  Result<void> OnRecord(const core::csv::Record& r) {
    if (!mapping_) {
      if (!r.problem.empty()) {
        return Fail(Error::Invalid("file", "the header line: " + r.problem));
      }
      TANDEM_ASSIGN(auto m, BuildMapping(r.fields, options_.preset, options_.overrides));
      mapping_ = std::move(m);
      return {};
    }
    if (r.blank) return {};
    ++batch_.rows_read;
    if (!r.problem.empty()) {
      Issue(r.number, r.line, r.problem_column, false, r.problem);
      ++batch_.skipped;
      return AfterIssue();
    }
    cell_errors_.clear();
    auto converted = ConvertRow(*mapping_, r.fields, cell_errors_);
    if (!converted) {
      for (auto& e : cell_errors_) Issue(r.number, r.line, e.column, false, std::move(e.reason));
      ++batch_.skipped;
      return AfterIssue();
    }
    PendingRow row{r.number, r.line, std::move(*converted), std::nullopt};
    row.owner_id = ResolveOwner(row);
    for (const auto& given : row.in.consents) {
      const auto column = static_cast<std::size_t>(given.column);
      row.consent_headers.push_back(column < mapping_->headers.size() ? mapping_->headers[column]
                                                                      : std::string());
    }
    // The same email twice in one batch: the earlier row is written first.
    if (emails_.count(row.in.contact.email) != 0) TANDEM_TRY(Cut());
    emails_.insert(row.in.contact.email);
    batch_.rows.push_back(std::move(row));
    if (batch_.rows.size() >= options_.batch_rows) return Cut();
    return AfterIssue();
  }

  // Issues are handed over with their batch; a file of mostly bad rows is cut more often so
  // that they never pile up here.
  Result<void> AfterIssue() {
    if (batch_.issues.size() >= kIssuesPerBatch) return Cut();
    return {};
  }
  static constexpr std::size_t kIssuesPerBatch = 1000;

  // Hands the batch read so far to the writer.
  Result<void> Cut() {
    batch_.bytes = reader_->bytes_read();
    if (!queue_.Push(std::move(batch_))) {
      return Fail(Error{core::ErrorCode::kUnavailable, "the import stopped while reading", {}});
    }
    batch_ = ReadBatch{};
    batch_.rows.reserve(options_.batch_rows);
    emails_.clear();
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

  const ImportOptions& options_;
  const std::unordered_map<std::string, Id>& users_by_email_;
  const std::unordered_map<std::string, Id>& users_by_name_;
  BatchQueue& queue_;
  core::csv::Reader* reader_ = nullptr;
  std::optional<Mapping> mapping_;
  std::vector<CellError> cell_errors_;
  ReadBatch batch_;
  std::unordered_set<std::string> emails_;  // of the rows in batch_
  char delimiter_ = ',';
  std::uint64_t bytes_ = 0;
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
    store::BulkStore* bulk_store = nullptr;
    if (!options_.dry_run && options_.bulk != BulkMode::kOff) {
      bulk_store = store::BulkOf(store_);  // a backend without a bulk mode: batch by batch
      if (bulk_store != nullptr) {
        TANDEM_ASSIGN(bool wanted, WantBulk());
        if (!wanted) bulk_store = nullptr;
      }
    }
    if (bulk_store != nullptr) {
      auto r = bulk_store->WriteBulk([&](const store::BulkStore::StepFn& step) -> Result<void> {
        step_ = &step;
        return ReadAndWrite(source);
      });
      step_ = nullptr;
      TANDEM_TRY(r);
      summary_.bulk = true;
    } else {
      TANDEM_TRY(ReadAndWrite(source));
    }
    if (progress_) progress_(summary_.bytes, summary_.counts);
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

  Result<bool> WantBulk() {
    if (options_.bulk == BulkMode::kOn) return true;
    if (options_.size_hint < kBulkMinBytes) return false;
    std::int64_t stored = 0;
    TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(stored, tx.contacts().CountAll());
      return {};
    }));
    return static_cast<std::uint64_t>(stored) <= options_.size_hint / kBulkBytesPerRow;
  }

  // Reads on a second thread, writes here, batch after batch.
  Result<void> ReadAndWrite(const ChunkSource& source) {
    BatchQueue queue;
    RowReader reader(options_, users_by_email_, users_by_name_, queue);
    std::thread thread([&] {
      Result<void> r;
      try {
        r = reader.Read(source);
      } catch (const std::exception& e) {
        r = Fail(Error::Internal(std::string("reading the file failed: ") + e.what()));
      }
      queue.Finish(std::move(r));
    });
    Result<void> written;
    try {
      written = WriteAll(queue);
    } catch (...) {
      queue.Abandon();
      thread.join();
      throw;
    }
    if (!written) queue.Abandon();
    thread.join();
    if (!written) return written;
    TANDEM_TRY(queue.outcome());
    const auto& mapping = *reader.mapping();
    summary_.preset = mapping.preset;
    summary_.preset_detected = mapping.preset_detected;
    summary_.unmapped = mapping.unmapped;
    summary_.delimiter = reader.delimiter();
    summary_.bytes = reader.bytes();
    if (!options_.dry_run) TANDEM_TRY(WriteAudit());
    return {};
  }

  Result<void> WriteAll(BatchQueue& queue) {
    while (auto batch = queue.Pop()) {
      summary_.counts.rows += batch->rows_read;
      summary_.counts.skipped += batch->skipped;
      for (auto& issue : batch->issues) Issue(std::move(issue));
      TANDEM_TRY(Flush(batch->rows));
      summary_.bytes = batch->bytes;
      if (progress_) progress_(batch->bytes, summary_.counts);
    }
    return {};
  }

  void Issue(ImportIssue issue) {
    (issue.warning ? summary_.counts.warnings : summary_.counts.errors) += 1;
    if (on_issue_) on_issue_(issue);
    if (summary_.issues.size() < options_.max_issues_kept)
      summary_.issues.push_back(std::move(issue));
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
    std::vector<const PendingRow*> fresh_rows;
    std::vector<core::StageChange> history;
    std::vector<core::Consent> consents;
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
        fresh_rows.push_back(&r);
        continue;
      }
      Contact& c = *it->second;
      AddConsents(r, c.id, consents);
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
      AddConsents(*fresh_rows[i], fresh[i].id, consents);
    }
    TANDEM_TRY(tx.stages().AppendMany(history));
    // One consent per row that gave it (docs/privacy.md); the import's audit entry covers them.
    for (const auto& consent : consents) TANDEM_TRY(store::PrivacyOf(tx).InsertConsent(consent));
    return {};
  }

  // One consent per consent column of the row that said yes (docs/privacy.md): given at the
  // import's time, for the column's purpose, with the job and the row as its source.
  void AddConsents(const PendingRow& r, Id contact_id, std::vector<core::Consent>& out) const {
    for (std::size_t i = 0; i < r.in.consents.size(); ++i) {
      core::Consent c;
      c.contact_id = contact_id;
      c.purpose = r.in.consents[i].purpose;
      const std::string& header = r.consent_headers[i];
      c.text =
          "consent column \"" + header.substr(0, 200) + "\" of import " +
          (options_.job_id ? std::to_string(*options_.job_id) : options_.file_name.substr(0, 200));
      c.source = core::ConsentSource::kImport;
      c.import_job_id = options_.job_id;
      c.import_row = r.row;
      c.given_at = now_;
      out.push_back(std::move(c));
    }
  }

  // One transaction, or in bulk mode one savepoint of the bulk transaction.
  Result<void> InTx(const store::TxFn& body) {
    if (options_.dry_run) return store_.Read(body);
    if (step_ != nullptr) return (*step_)(body);
    return store_.Write(body);
  }

  Result<void> RunBatch(std::vector<PendingRow>& rows, BatchOutcome& out) {
    const bool write = !options_.dry_run;
    return InTx([&](store::Tx& tx) { return Apply(tx, rows, write, out); });
  }

  void Commit(const BatchOutcome& out) {
    summary_.counts.created += out.created;
    summary_.counts.updated += out.updated;
    summary_.counts.unchanged += out.unchanged;
    for (const auto& [name, id] : out.new_companies) companies_[name] = id;
  }

  Result<void> Flush(std::vector<PendingRow>& batch) {
    if (batch.empty()) return {};
    BatchOutcome out;
    auto r = RunBatch(batch, out);
    if (r) {
      Commit(out);
      return {};
    }
    if (r.error().code == core::ErrorCode::kUnavailable) {
      return Fail(r.error());  // the database is away: no row would fare better alone
    }
    // Isolate the failing rows: each alone in its own transaction (or savepoint).
    for (auto& row : batch) {
      std::vector<PendingRow> one;
      one.push_back(std::move(row));
      BatchOutcome single;
      auto rr = RunBatch(one, single);
      if (rr) {
        Commit(single);
      } else {
        if (rr.error().code == core::ErrorCode::kUnavailable) return Fail(rr.error());
        ImportIssue issue;
        issue.row = one[0].row;
        issue.line = one[0].line;
        issue.reason =
            (rr.error().field.empty() ? "" : rr.error().field + ": ") + rr.error().message;
        Issue(std::move(issue));
        ++summary_.counts.skipped;
      }
    }
    return {};
  }

  Result<void> WriteAudit() {
    return InTx([&](store::Tx& tx) -> Result<void> {
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

  const store::BulkStore::StepFn* step_ = nullptr;  // set while writing in bulk mode
  ImportSummary summary_;
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
