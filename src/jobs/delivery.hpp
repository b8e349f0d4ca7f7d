// Sending what the dispatcher queued (docs/notifications.md): webhook POSTs and emails, with
// retries, dead letters and the signature.
//
// `DeliveryWorker::RunDue(now)` takes the pending deliveries due at `now` (earliest first), sends
// each through an injected sender and records the outcome: delivered (2xx, or SMTP accepted),
// or failed: the next attempt is scheduled after a backoff with full jitter
// (core::BackoffDelay), and after `retry.max_attempts` failures the delivery is dead (kept,
// listed, re-drivable). Before every webhook attempt the URL's host is resolved and checked
// again (a name may have been re-pointed at a private address since the subscription was
// made) and the connection is pinned to the checked address. Nothing here sleeps or reads a
// clock: the server's notification thread (NotificationWorker) calls it with the clock's time;
// tests call it with a FakeClock's.
//
// Delivery is at least once: a crash after a receiver answered and before the outcome is
// written sends that delivery again, with the same Tandem-Delivery id.
// Thread-safety: a DeliveryWorker is driven by one thread at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "app/webhooks.hpp"
#include "core/notification.hpp"
#include "store/store.hpp"

namespace tandem::jobs {

// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>": the Tandem-Signature header.
std::string SignatureHeader(std::string_view secret, std::int64_t unix_seconds,
                            std::string_view body);

struct HttpPost {
  std::string url;
  // Connect to this address instead of resolving the URL's host again (the checked one).
  std::string host;
  int port = 0;
  std::optional<core::IpAddress> pinned;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(10)};
};

struct SendOutcome {
  int status = 0;     // the HTTP status or SMTP reply code; 0 when there was no answer
  bool ok = false;    // delivered
  std::string error;  // why not, for people
};

// Sends one HTTP POST. Redirects are not followed (a redirect could lead anywhere).
class HttpSender {
 public:
  virtual ~HttpSender() = default;
  virtual SendOutcome Post(const HttpPost& post) = 0;
};

// libcurl, one easy handle reused so connections are kept alive between deliveries.
class CurlHttpSender final : public HttpSender {
 public:
  CurlHttpSender();
  ~CurlHttpSender() override;
  CurlHttpSender(const CurlHttpSender&) = delete;
  CurlHttpSender& operator=(const CurlHttpSender&) = delete;
  SendOutcome Post(const HttpPost& post) override;

 private:
  void* curl_;  // CURL*
};

struct EmailMessage {
  std::string from;
  std::string to;
  std::string subject;
  std::string body;        // plain text (or HTML when `html`), UTF-8, CRLF line ends
  std::string message_id;  // the delivery uid
  bool html = false;       // the weekly pack (app/weekly_mailer.hpp): text/html
};

// The RFC 5322 message libcurl uploads: Date, From, To, Subject (RFC 2047 encoded when not
// ASCII), Message-ID, MIME headers (text/plain, or text/html for an HTML body), a blank line
// and the body with CRLF line ends.
std::string BuildEmail(const EmailMessage& m, core::Instant now);

class EmailSender {
 public:
  virtual ~EmailSender() = default;
  virtual SendOutcome Send(const EmailMessage& m, core::Instant now) = 0;
};

struct SmtpSettings {
  std::string url;  // smtp://host:port or smtps://host:port; empty: email is off
  std::string user;
  std::string password;
  std::string from;       // the From address
  bool starttls = false;  // require STARTTLS on smtp://
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(30)};
};

// libcurl's SMTP client.
class CurlSmtpSender final : public EmailSender {
 public:
  explicit CurlSmtpSender(SmtpSettings settings) : settings_(std::move(settings)) {}
  SendOutcome Send(const EmailMessage& m, core::Instant now) override;

 private:
  SmtpSettings settings_;
};

struct DeliverySettings {
  core::RetryPolicy retry;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(10)};
  bool allow_private_targets = false;
  std::string email_from = "tandem@localhost";
  int batch = 100;  // deliveries per RunDue
  // Uniform in [0, 1): the jitter. Tests give a seeded generator; by default a random one.
  std::function<double()> random_unit;
};

class DeliveryWorker {
 public:
  // `email` may be null (email off: email deliveries stay pending).
  DeliveryWorker(store::Store& store, HttpSender& http, EmailSender* email,
                 const app::HostResolver& resolver, DeliverySettings settings);

  // Sends what is due at `now`, at most one batch, and records the outcomes; returns how many
  // were attempted. SendDue + Record in one call.
  core::Result<int> RunDue(core::Instant now);

  // The two halves of RunDue, for a server that records on another thread so that sending
  // never waits for the store's writer (busy with ingest's group commits):
  // SendDue attempts up to one batch of due deliveries that are not already sent-but-unrecorded
  // and returns them with their new state (status, attempts, next attempt); Record writes such
  // a batch in one transaction. Until its Record, a sent delivery is not sent again by this
  // worker. A crash in between sends it again after restart (at least once; receivers drop
  // repeats by the Tandem-Delivery id).
  core::Result<std::vector<core::Delivery>> SendDue(core::Instant now);
  core::Result<void> Record(const std::vector<core::Delivery>& sent);
  // How many sent deliveries wait for their Record.
  std::size_t Unrecorded() const;

  // When the next pending delivery is due, if any (sent-but-unrecorded ones included).
  core::Result<std::optional<core::Instant>> NextDue();

 private:
  SendOutcome Attempt(const core::Delivery& d, core::Instant now);
  SendOutcome AttemptWebhook(const core::Delivery& d, core::Instant now);

  mutable std::mutex mu_;
  std::unordered_set<core::Id> unrecorded_;  // guarded by mu_
  // Records counted as they end, and the deliveries each ended with: a SendDue whose read began
  // before a Record's commit may still see those deliveries pending (its snapshot is older), so
  // it skips them; they are forgotten once a read begins after it. Guarded by mu_.
  std::uint64_t records_ended_ = 0;
  std::unordered_map<core::Id, std::uint64_t> just_recorded_;

  store::Store& store_;
  HttpSender& http_;
  EmailSender* email_;
  const app::HostResolver& resolver_;
  DeliverySettings settings_;
};

}  // namespace tandem::jobs
