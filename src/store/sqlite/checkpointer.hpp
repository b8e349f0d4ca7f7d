// Checkpoints the write-ahead log on a thread of its own, off the writer's path.
//
// In WAL mode every commit appends pages to the log; a checkpoint copies them back into the
// database file so the log can start over. SQLite's default (wal_autocheckpoint = 1000 pages)
// runs that copy inside the commit that crossed the threshold, on the writer's thread, while
// every writer behind it waits: under a sustained ingest that is a commit several times as long
// as the others every few groups, and it is what the slowest MQL handoffs waited for.
//
// With a Checkpointer the writer connection's automatic checkpoints are turned off and its
// commit hook (sqlite3_wal_hook, called after the commit, with the write lock already released)
// tells this thread how long the log is. When it has grown by `threshold_pages` since the last
// checkpoint, the thread runs a PASSIVE checkpoint on its own connection: it copies what no
// reader still needs and never blocks the writer or a reader; the writer starts the log over
// at its next commit once everything was copied. A checkpoint that cannot finish (a long
// reader holds old pages) is tried again when the log has grown by another threshold.
// journal_size_limit on the writer truncates a log that grew large once it starts over.
//
// Stop() (and the destructor) runs the checkpoint still asked for, then joins the thread; the
// connection it checkpoints with is closed before the store's own.
//
// Thread-safety: OnCommit is called from the writer's thread; everything else from the
// owner's. Counters are relaxed atomics read by metrics.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/metrics.hpp"
#include "core/error.hpp"
#include "store/sqlite/connection.hpp"

namespace tandem::store::sqlite {

class Checkpointer {
 public:
  // Opens a connection of its own to `path` (a WAL database already open by the writer),
  // installs the commit hook on `writer` and starts the thread. `metrics` may be null.
  static Result<std::unique_ptr<Checkpointer>> Start(const std::string& path, Connection& writer,
                                                     int threshold_pages, base::Metrics* metrics);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Removes the hook from the writer, runs a checkpoint still asked for, joins the thread.
  void Stop();

  std::uint64_t Checkpoints() const { return done_.load(std::memory_order_relaxed); }

 private:
  Checkpointer(std::unique_ptr<Connection> conn, Connection& writer, int threshold_pages,
               base::Metrics* metrics);
  static int OnCommit(void* self, struct sqlite3* db, const char* name, int pages);
  void Run();
  void CheckpointOnce();

  std::unique_ptr<Connection> conn_;
  Connection& writer_;
  const int threshold_;
  // The log's length, in pages, when the last checkpoint ran: the next is asked for when a
  // commit leaves the log longer by the threshold, so a checkpoint a reader kept from finishing
  // is tried again only after that much more log. Once the log starts over it is shorter than
  // this, and counts from zero.
  std::atomic<int> checked_{0};
  int backfilled_ = 0;  // pages the last checkpoint had copied; the thread's own
  std::atomic<std::uint64_t> done_{0};
  base::Counter* checkpoints_ = nullptr;
  base::Counter* pages_copied_ = nullptr;
  base::Histogram* timing_ = nullptr;

  std::mutex mu_;
  std::condition_variable wake_;
  bool asked_ = false;
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace tandem::store::sqlite
