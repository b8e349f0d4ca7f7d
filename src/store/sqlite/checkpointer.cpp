#include "store/sqlite/checkpointer.hpp"

#include <sqlite3.h>

#include <chrono>

namespace tandem::store::sqlite {

namespace {
// The checkpointing connection reads the log and writes the database file; a small page cache
// is enough for that.
constexpr int kCheckpointCacheKib = 2 * 1024;
}  // namespace

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& path,
                                                          Connection& writer, int threshold_pages,
                                                          base::Metrics* metrics) {
  if (threshold_pages < 1) {
    return core::Fail(core::Error::Invalid("checkpoint_pages", "must be at least 1"));
  }
  ConnectionOptions options;
  options.wal = true;
  options.cache_kib = kCheckpointCacheKib;
  TANDEM_ASSIGN(auto conn, Connection::Open(path, options));
  std::unique_ptr<Checkpointer> c(
      new Checkpointer(std::move(conn), writer, threshold_pages, metrics));
  // The hook replaces SQLite's automatic checkpoint (itself a commit hook) on the writer.
  sqlite3_wal_hook(writer.handle(), &Checkpointer::OnCommit, c.get());
  c->thread_ = std::thread([self = c.get()] { self->Run(); });
  return c;
}

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn, Connection& writer,
                           int threshold_pages, base::Metrics* metrics)
    : conn_(std::move(conn)), writer_(writer), threshold_(threshold_pages) {
  if (metrics != nullptr) {
    checkpoints_ = &metrics->GetCounter("tandem_db_checkpoints_total", {},
                                        "Checkpoints of the write-ahead log");
    pages_copied_ = &metrics->GetCounter("tandem_db_checkpoint_pages_total", {},
                                         "Pages copied from the write-ahead log to the database");
    timing_ = &metrics->GetHistogram("tandem_db_checkpoint_seconds", {},
                                     "Duration of write-ahead log checkpoints");
  }
}

Checkpointer::~Checkpointer() {
  Stop();
}

void Checkpointer::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  // After this no commit of the writer calls back into this object.
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  conn_.reset();
}

int Checkpointer::OnCommit(void* self, sqlite3* /*db*/, const char* /*name*/, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  int checked = c->checked_.load(std::memory_order_relaxed);
  // A log shorter than at the last checkpoint has started over since.
  if (pages < checked) checked = 0;
  if (pages - checked >= c->threshold_) {
    {
      std::lock_guard lock(c->mu_);
      c->asked_ = true;
    }
    c->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return asked_ || stopping_; });
    if (asked_) {
      asked_ = false;
      lock.unlock();
      CheckpointOnce();
      lock.lock();
      continue;  // asked again meanwhile: go on before stopping
    }
    if (stopping_) return;
  }
}

void Checkpointer::CheckpointOnce() {
  const auto start = std::chrono::steady_clock::now();
  int log = 0;
  int copied = 0;
  const int rc =
      sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
  // SQLITE_BUSY: another checkpoint is running (a `tandem backup`, the sqlite3 shell); the
  // next commit past the threshold asks again. Other errors (a full disk) are the same for
  // the writer, which reports them on its own commits.
  if (rc != SQLITE_OK) return;
  checked_.store(log, std::memory_order_relaxed);
  const int before = backfilled_;
  backfilled_ = copied;
  done_.fetch_add(1, std::memory_order_relaxed);
  if (checkpoints_ != nullptr) checkpoints_->Add();
  // Counted from the last checkpoint, or from zero when the log started over since.
  if (pages_copied_ != nullptr) pages_copied_->Add(copied >= before ? copied - before : copied);
  if (timing_ != nullptr) {
    timing_->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

}  // namespace tandem::store::sqlite
