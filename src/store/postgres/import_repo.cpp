#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::Error;
using core::Fail;
using core::FromMillis;
using core::ToMillis;
using core::imports::ImportIssue;
using core::imports::ImportJob;

namespace {

std::optional<std::int64_t> OptMillis(const std::optional<core::Instant>& t) {
  if (!t) return std::nullopt;
  return ToMillis(*t);
}

// Binds the columns UpdateJob replaces, in this order.
void BindProgress(Stmt& s, const ImportJob& j) {
  s.Bind(ToString(j.status))
      .Bind(j.file_name)
      .Bind(j.preset)
      .Bind(j.dry_run ? 1 : 0)
      .Bind(j.bytes_total)
      .Bind(j.bytes_done)
      .Bind(j.counts.rows)
      .Bind(j.counts.created)
      .Bind(j.counts.updated)
      .Bind(j.counts.unchanged)
      .Bind(j.counts.skipped)
      .Bind(j.counts.errors)
      .Bind(j.counts.warnings)
      .Bind(j.message)
      .Bind(OptMillis(j.started_at))
      .Bind(OptMillis(j.finished_at));
}

}  // namespace

Result<Id> PostgresImportRepo::InsertJob(const ImportJob& job) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO import_jobs (status, file_name, preset, dry_run, "
                                  "bytes_total, bytes_done, rows, created, updated, unchanged, "
                                  "skipped, errors, warnings, message, started_at, finished_at, "
                                  "created_by, created_at) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                                  "$14, $15, $16, $17, $18) RETURNING id"));
  BindProgress(stmt, job);
  stmt.Bind(job.created_by).Bind(ToMillis(job.created_at));
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<void> PostgresImportRepo::UpdateJob(const ImportJob& job) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "UPDATE import_jobs SET status = $1, file_name = $2, preset = $3, "
                               "dry_run = $4, bytes_total = $5, bytes_done = $6, rows = $7, "
                               "created = $8, updated = $9, unchanged = $10, skipped = $11, "
                               "errors = $12, warnings = $13, message = $14, started_at = $15, "
                               "finished_at = $16 WHERE id = $17"));
  BindProgress(stmt, job);
  stmt.Bind(job.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "import job", job.id);
}

Result<std::int64_t> PostgresImportRepo::FailUnfinishedJobs(core::Instant now,
                                                            const std::string& message) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("WITH failed AS (UPDATE import_jobs SET status = 'failed', "
                                  "message = $1, finished_at = $2 WHERE status IN ('queued', "
                                  "'running') RETURNING 1) SELECT count(*) FROM failed"));
  stmt.Bind(message).Bind(ToMillis(now));
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<std::optional<ImportJob>> PostgresImportRepo::GetJob(Id id) {
  TANDEM_ASSIGN(auto s, ctx_.conn.Prepare(
                            "SELECT id, status, file_name, preset, dry_run, created_by, "
                            "bytes_total, bytes_done, rows, created, updated, unchanged, skipped, "
                            "errors, warnings, message, created_at, started_at, finished_at "
                            "FROM import_jobs WHERE id = $1"));
  s.Bind(id);
  TANDEM_ASSIGN(bool row, s.Step());
  if (!row) return std::optional<ImportJob>();
  ImportJob j;
  j.id = s.Int(0);
  auto status = core::imports::JobStatusFromString(s.TextView(1));
  if (!status) return Fail(Error::Internal("unknown import job status in the database"));
  j.status = *status;
  j.file_name = s.Text(2);
  j.preset = s.Text(3);
  j.dry_run = s.Int(4) != 0;
  j.created_by = s.OptInt(5);
  j.bytes_total = s.Int(6);
  j.bytes_done = s.Int(7);
  j.counts.rows = s.Int(8);
  j.counts.created = s.Int(9);
  j.counts.updated = s.Int(10);
  j.counts.unchanged = s.Int(11);
  j.counts.skipped = s.Int(12);
  j.counts.errors = s.Int(13);
  j.counts.warnings = s.Int(14);
  j.message = s.Text(15);
  j.created_at = FromMillis(s.Int(16));
  if (auto t = s.OptInt(17)) j.started_at = FromMillis(*t);
  if (auto t = s.OptInt(18)) j.finished_at = FromMillis(*t);
  return std::optional<ImportJob>(std::move(j));
}

Result<void> PostgresImportRepo::AppendIssues(Id job_id, const std::vector<ImportIssue>& issues) {
  if (issues.empty()) return {};
  TANDEM_TRY(CheckReference(ctx_.conn, "job_id", job_id, "import_jobs", "import job"));
  std::int64_t seq = 0;
  {
    TANDEM_ASSIGN(auto next,
                  ctx_.conn.Prepare("SELECT coalesce(max(seq), -1) + 1 FROM import_issues "
                                    "WHERE job_id = $1"));
    next.Bind(job_id);
    TANDEM_TRY(next.Step());
    seq = next.Int(0);
  }
  for (const ImportIssue& issue : issues) {
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                                 "INSERT INTO import_issues (job_id, seq, row, line, column_name, "
                                 "severity, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)"));
    stmt.Bind(job_id)
        .Bind(seq++)
        .Bind(issue.row)
        .Bind(issue.line)
        .Bind(issue.column)
        .Bind(issue.warning ? "warning" : "error")
        .Bind(issue.reason);
    TANDEM_TRY(stmt.Run());
  }
  return {};
}

Result<std::vector<ImportIssue>> PostgresImportRepo::ListIssues(Id job_id, std::int64_t offset,
                                                                int limit) {
  TANDEM_ASSIGN(auto s, ctx_.conn.Prepare(
                            "SELECT row, line, column_name, severity, reason FROM import_issues "
                            "WHERE job_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3"));
  s.Bind(job_id).Bind(offset).Bind(limit);
  std::vector<ImportIssue> out;
  while (true) {
    TANDEM_ASSIGN(bool row, s.Step());
    if (!row) break;
    ImportIssue i;
    i.row = s.Int(0);
    i.line = s.Int(1);
    i.column = s.Text(2);
    i.warning = s.TextView(3) == "warning";
    i.reason = s.Text(4);
    out.push_back(std::move(i));
  }
  return out;
}

}  // namespace tandem::store::postgres
