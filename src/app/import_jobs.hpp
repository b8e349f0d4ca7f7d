// Import jobs: a CSV upload imported in the background, with progress and a per-row report
// that any server process can read back from the store.
//
// `Start` records the job (status queued) and hands it to one worker thread owned by the
// service, which runs ContactImporter over the uploaded bytes, updating the job's row after
// every batch (bytes done, counts) and appending its issues (the first kMaxStoredIssues; all
// are counted). A job ends succeeded (even with row errors: they are in its report) or failed
// (the file as a whole could not be imported; `message` says why).
// Jobs run one at a time, in the order started; a job still queued when the process stops is
// left queued in the store.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/importer.hpp"

namespace tandem::app {

class ImportJobService {
 public:
  static constexpr std::int64_t kMaxStoredIssues = 10000;

  ImportJobService(store::Store& store, const base::Clock& clock);
  ~ImportJobService();
  ImportJobService(const ImportJobService&) = delete;
  ImportJobService& operator=(const ImportJobService&) = delete;

  // Queues the import of `csv`. Admins and marketing only.
  core::Result<core::imports::ImportJob> Start(const core::Principal& p, std::string csv,
                                               std::string file_name, ImportOptions options);
  core::Result<core::imports::ImportJob> Get(const core::Principal& p, core::Id id);
  // The job's issues in file order, skipping the first `offset`.
  core::Result<std::vector<core::imports::ImportIssue>> Issues(const core::Principal& p,
                                                               core::Id id, std::int64_t offset,
                                                               int limit);
  // At start-up, before any job is started: jobs the store still shows queued or running were
  // cut off by a stop of the process that ran them (their file was only in its memory), so
  // they become failed, saying so; the rows they committed stay. Importing the file again
  // finishes the work: rows already imported come out unchanged (docs/import.md).
  // Returns how many jobs were failed.
  core::Result<std::int64_t> FailInterrupted();
  // Blocks until no job is queued or running (tests, orderly shutdown).
  void WaitIdle();

 private:
  struct Pending {
    core::imports::ImportJob job;
    core::Principal principal;
    std::string csv;
    ImportOptions options;
  };
  void Work();
  void Execute(Pending& p);

  store::Store& store_;
  const base::Clock& clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Pending> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;  // started with the first job
};

}  // namespace tandem::app
