// `tandem serve`: the HTTP API and the scheduler over a Runtime, until SIGINT or SIGTERM.
//
// The calling thread becomes the scheduler's thread: it waits for the next due job or a stop
// signal (sigtimedwait), so periodic work (SLA clocks, purging expired sessions, re-score jobs,
// event retention, the weekly pack) runs without a polling loop. That work, and the outbox's
// delivery, runs only while this server leads (jobs/leader.hpp): always on SQLite, on
// PostgreSQL while it holds the database's leader lock; the HTTP API serves either way.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "jobs/delivery.hpp"
#include "server/runtime.hpp"

namespace tandem::server {

struct ServeSettings {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free port
  // HTTP I/O threads; 0 = twice the cores, at least 8: event ingest blocks an I/O thread
  // while its batch waits for the group commit (docs/events.md).
  int threads = 0;
  std::size_t max_body_bytes = 4 << 20;  // event batches of 1,000 run to a few MiB
  // CSV uploads to POST /api/v1/imports (larger files: `tandem import contacts`).
  std::size_t max_upload_bytes = 64 << 20;
  bool secure_cookies = false;  // behind TLS: mark the session cookie Secure
  std::string web_root;         // built dashboard to serve as static files, if any
  bool behind_proxy = false;    // trust X-Forwarded-For for web capture's rate limits
  // Notifications (docs/notifications.md): webhooks may reach private, loopback and link-local
  // addresses only with this set; email is on when smtp.url is set.
  bool allow_private_webhooks = false;
  jobs::SmtpSettings smtp;
  // Where users reach this server ("https://tandem.example.com"): the weekly pack's email links
  // to its CSV, PDF and dashboard page under it (app/weekly_mailer.hpp); empty: paths only.
  std::string public_url;
  // Events older than this many calendar months are purged daily (docs/privacy.md); 0 keeps
  // every event.
  int event_retention_months = 0;
  // Several servers on one PostgreSQL database (docs/postgres.md, "Several app servers"): each
  // asks for the leadership every `leader_check` (the leader's lease is three checks); the leader
  // reads the SLA clocks other servers started every `sla_resync`. On SQLite the one server
  // always leads and neither applies.
  std::chrono::milliseconds leader_check{1000};
  std::chrono::milliseconds sla_resync{5000};
};

// "127.0.0.1:8080" -> host and port; kInvalidArgument on field "listen" otherwise.
core::Result<std::pair<std::string, unsigned short>> ParseListen(const std::string& listen);

// Blocks until a stop signal. `on_listening` receives the base URL once the port is bound.
core::Result<void> Serve(Runtime& rt, const ServeSettings& settings,
                         const std::function<void(const std::string& url)>& on_listening);

}  // namespace tandem::server
