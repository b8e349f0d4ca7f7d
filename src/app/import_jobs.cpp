#include "app/import_jobs.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Id;
using core::Result;
using core::imports::ImportIssue;
using core::imports::ImportJob;
using core::imports::JobStatus;

ImportJobService::ImportJobService(store::Store& store, const base::Clock& clock)
    : store_(store), clock_(clock) {}

ImportJobService::~ImportJobService() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

Result<ImportJob> ImportJobService::Start(const core::Principal& p, std::string csv,
                                          std::string file_name, ImportOptions options) {
  TANDEM_TRY(AuthorizeImport(p));
  if (options.batch_rows == 0) return Fail(Error::Invalid("batch_rows", "must be positive"));
  ImportJob job;
  job.status = JobStatus::kQueued;
  job.file_name = std::move(file_name);
  job.preset = options.preset ? std::string(ToString(*options.preset)) : "";
  job.dry_run = options.dry_run;
  if (p.user_id > 0) job.created_by = p.user_id;
  job.bytes_total = static_cast<std::int64_t>(csv.size());
  job.created_at = clock_.Now();
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(job.id, tx.imports().InsertJob(job));
    return {};
  }));
  options.job_id = job.id;
  options.file_name = job.file_name;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Pending{job, p, std::move(csv), std::move(options)});
    if (!worker_.joinable()) worker_ = std::thread([this] { Work(); });
  }
  wake_.notify_one();
  return job;
}

Result<ImportJob> ImportJobService::Get(const core::Principal& p, Id id) {
  TANDEM_TRY(AuthorizeImport(p));
  std::optional<ImportJob> job;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(job, tx.imports().GetJob(id));
    return {};
  }));
  if (!job) return Fail(Error::NotFound("import job " + std::to_string(id) + " does not exist"));
  return std::move(*job);
}

Result<std::vector<ImportIssue>> ImportJobService::Issues(const core::Principal& p, Id id,
                                                          std::int64_t offset, int limit) {
  TANDEM_TRY(Get(p, id));
  if (offset < 0) return Fail(Error::Invalid("offset", "must not be negative"));
  std::vector<ImportIssue> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.imports().ListIssues(id, offset, limit));
    return {};
  }));
  return out;
}

Result<std::int64_t> ImportJobService::FailInterrupted() {
  std::int64_t n = 0;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(
        n, tx.imports().FailUnfinishedJobs(clock_.Now(),
                                           "interrupted: the server stopped during the import; the "
                                           "rows imported before stay, import the file again to "
                                           "finish (rows already imported come out unchanged)"));
    return {};
  }));
  return n;
}

void ImportJobService::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void ImportJobService::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Pending p = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    Execute(p);
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

void ImportJobService::Execute(Pending& p) {
  ImportJob& job = p.job;
  std::vector<ImportIssue> unsaved;
  std::int64_t stored_issues = 0;
  // Progress and issues are saved together after each batch; a failure to save them is not a
  // reason to stop the import (the final update says how it ended).
  auto save = [&]() {
    (void)store_.Write([&](store::Tx& tx) -> Result<void> {
      TANDEM_TRY(tx.imports().UpdateJob(job));
      TANDEM_TRY(tx.imports().AppendIssues(job.id, unsaved));
      return {};
    });
    unsaved.clear();
  };
  job.status = JobStatus::kRunning;
  job.started_at = clock_.Now();
  save();

  bool served = false;
  ChunkSource source = [&]() -> Result<std::string_view> {
    if (served) return std::string_view();
    served = true;
    return std::string_view(p.csv);
  };
  ContactImporter importer(store_, clock_);
  auto summary = importer.Run(
      p.principal, source, p.options,
      [&](std::uint64_t bytes, const core::imports::ImportCounts& counts) {
        job.bytes_done = static_cast<std::int64_t>(bytes);
        job.counts = counts;
        save();
      },
      [&](const ImportIssue& issue) {
        if (stored_issues < kMaxStoredIssues) {
          unsaved.push_back(issue);
          ++stored_issues;
        }
      });
  job.finished_at = clock_.Now();
  if (summary) {
    job.status = JobStatus::kSucceeded;
    job.counts = summary->counts;
    job.bytes_done = job.bytes_total;
    job.message = "preset " + std::string(ToString(summary->preset)) +
                  (summary->preset_detected ? " (detected)" : "");
  } else {
    job.status = JobStatus::kFailed;
    job.message = (summary.error().field.empty() ? "" : summary.error().field + ": ") +
                  summary.error().message;
  }
  save();
  std::string().swap(p.csv);
}

}  // namespace tandem::app
