#include "jobs/delivery.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <cstring>
#include <ctime>
#include <mutex>
#include <random>

#include "app/weekly_mailer.hpp"

namespace tandem::jobs {

using core::Delivery;
using core::DeliveryStatus;
using core::Error;
using core::Fail;

namespace {

void EnsureCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Hex(const unsigned char* data, std::size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

std::size_t Discard(char*, std::size_t size, std::size_t n, void*) {
  return size * n;
}

std::string Trimmed(std::string s, std::size_t max) {
  if (s.size() > max) s.resize(max);
  return s;
}

}  // namespace

std::string SignatureHeader(std::string_view secret, std::int64_t unix_seconds,
                            std::string_view body) {
  if (sodium_init() < 0) std::abort();
  std::string t = std::to_string(unix_seconds);
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(t.data()), t.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>("."), 1);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  return "t=" + t + ",v1=" + Hex(mac, sizeof mac);
}

// --- HTTP -----------------------------------------------------------------------------------

CurlHttpSender::CurlHttpSender() {
  EnsureCurl();
  curl_ = curl_easy_init();
}

CurlHttpSender::~CurlHttpSender() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

SendOutcome CurlHttpSender::Post(const HttpPost& post) {
  auto* curl = static_cast<CURL*>(curl_);
  if (!curl) return {0, false, "libcurl could not be initialised"};
  curl_easy_reset(curl);
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : post.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  curl_slist* resolve = nullptr;
  if (post.pinned) {
    std::string addr =
        post.pinned->v6 ? "[" + post.pinned->ToString() + "]" : post.pinned->ToString();
    resolve = curl_slist_append(resolve,
                                (post.host + ":" + std::to_string(post.port) + ":" + addr).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, post.url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (resolve) curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(post.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(post.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "Tandem-Webhooks/1");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_slist_free_all(resolve);
  SendOutcome out;
  out.status = static_cast<int>(status);
  if (rc != CURLE_OK) {
    out.error = rc == CURLE_OPERATION_TIMEDOUT ? std::string("timed out: ") : std::string();
    out.error += curl_easy_strerror(rc);
    return out;
  }
  out.ok = status >= 200 && status < 300;
  if (!out.ok) out.error = "the receiver answered " + std::to_string(status);
  return out;
}

// --- Email ----------------------------------------------------------------------------------

namespace {

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\r' || c == '\n') return false;
  }
  return true;
}

std::string EncodedWord(std::string_view s) {
  if (IsAscii(s)) return std::string(s);
  if (sodium_init() < 0) std::abort();
  std::string out(sodium_base64_ENCODED_LEN(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()),
                    s.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return "=?UTF-8?B?" + out + "?=";
}

std::string NoLineBreaks(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  return out;
}

std::string RfcDate(core::Instant now) {
  std::time_t t = static_cast<std::time_t>(core::ToMillis(now) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  std::size_t len = std::min(size * n, u->data.size() - u->offset);
  std::memcpy(buffer, u->data.data() + u->offset, len);
  u->offset += len;
  return len;
}

}  // namespace

std::string BuildEmail(const EmailMessage& m, core::Instant now) {
  std::string body;
  // Normalise line ends to CRLF.
  for (std::size_t i = 0; i < m.body.size(); ++i) {
    char c = m.body[i];
    if (c == '\r') continue;
    if (c == '\n') {
      body += "\r\n";
    } else {
      body.push_back(c);
    }
  }
  if (!body.ends_with("\r\n")) body += "\r\n";
  std::string out;
  out += "Date: " + RfcDate(now) + "\r\n";
  out += "From: <" + NoLineBreaks(m.from) + ">\r\n";
  out += "To: <" + NoLineBreaks(m.to) + ">\r\n";
  out += "Subject: " + EncodedWord(NoLineBreaks(m.subject)) + "\r\n";
  out += "Message-ID: <" + NoLineBreaks(m.message_id) + "@tandem>\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += m.html ? "Content-Type: text/html; charset=utf-8\r\n"
                : "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: 8bit\r\n";
  out += "\r\n";
  out += body;
  return out;
}

SendOutcome CurlSmtpSender::Send(const EmailMessage& m, core::Instant now) {
  EnsureCurl();
  CURL* curl = curl_easy_init();
  if (!curl) return {0, false, "libcurl could not be initialised"};
  std::string message = BuildEmail(m, now);
  Upload upload{message, 0};
  std::string from = "<" + NoLineBreaks(m.from) + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + NoLineBreaks(m.to) + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (!settings_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  if (settings_.starttls)
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.total_timeout.count()));
  CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  SendOutcome out;
  out.status = static_cast<int>(code);
  out.ok = rc == CURLE_OK;
  if (!out.ok) out.error = std::string("smtp: ") + curl_easy_strerror(rc);
  return out;
}

// --- The worker -----------------------------------------------------------------------------

DeliveryWorker::DeliveryWorker(store::Store& store, HttpSender& http, EmailSender* email,
                               const app::HostResolver& resolver, DeliverySettings settings)
    : store_(store),
      http_(http),
      email_(email),
      resolver_(resolver),
      settings_(std::move(settings)) {
  if (!settings_.random_unit) {
    auto gen = std::make_shared<std::mt19937_64>(std::random_device{}());
    settings_.random_unit = [gen] { return std::uniform_real_distribution<double>(0, 1)(*gen); };
  }
}

SendOutcome DeliveryWorker::AttemptWebhook(const Delivery& d, core::Instant now) {
  std::optional<core::WebhookSubscription> sub;
  auto read = store_.Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(sub, tx.webhooks().Get(*d.subscription_id));
    return {};
  });
  if (!read) return {0, false, "reading the subscription failed: " + read.error().message};
  if (!sub) return {0, false, "the subscription does not exist"};
  auto target = app::CheckWebhookTarget(d.target, resolver_, settings_.allow_private_targets);
  if (!target) return {0, false, "refused: " + target.error().message};
  HttpPost post;
  post.url = d.target;
  post.host = target->url.host;
  post.port = target->url.port;
  if (!target->url.host_is_ip) post.pinned = target->addresses.front();
  post.body = d.body;
  post.connect_timeout = settings_.connect_timeout;
  post.total_timeout = settings_.total_timeout;
  post.headers = {
      {"Tandem-Event", d.event_type},
      {"Tandem-Delivery", d.uid},
      {"Tandem-Signature", SignatureHeader(sub->secret, core::ToMillis(now) / 1000, d.body)},
  };
  return http_.Post(post);
}

SendOutcome DeliveryWorker::Attempt(const Delivery& d, core::Instant now) {
  if (d.channel == core::DeliveryChannel::kWebhook) return AttemptWebhook(d, now);
  if (!email_) return {0, false, "email is not configured"};
  EmailMessage m{settings_.email_from,
                 d.target,
                 d.subject,
                 d.body,
                 d.uid,
                 d.event_type == app::kWeeklyPackEvent};
  return email_->Send(m, now);
}

core::Result<int> DeliveryWorker::RunDue(core::Instant now) {
  TANDEM_ASSIGN(auto sent, SendDue(now));
  TANDEM_TRY(Record(sent));
  return static_cast<int>(sent.size());
}

core::Result<std::vector<Delivery>> DeliveryWorker::SendDue(core::Instant now) {
  std::size_t skip = 0;
  std::uint64_t read_after = 0;
  {
    std::lock_guard lock(mu_);
    skip = unrecorded_.size() + just_recorded_.size();
    read_after = records_ended_;
  }
  std::vector<Delivery> due;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(due, tx.webhooks().ListDue(now, settings_.batch + static_cast<int>(skip)));
    return {};
  }));
  {
    std::lock_guard lock(mu_);
    std::erase_if(due, [&](const Delivery& d) {
      if (unrecorded_.contains(d.id)) return true;
      auto it = just_recorded_.find(d.id);
      return it != just_recorded_.end() && it->second > read_after;
    });
    // What was recorded before this read began, this read saw as it is: later reads will too.
    std::erase_if(just_recorded_, [&](const auto& kv) { return kv.second <= read_after; });
    if (due.size() > static_cast<std::size_t>(settings_.batch)) {
      due.resize(static_cast<std::size_t>(settings_.batch));
    }
    for (const auto& d : due) unrecorded_.insert(d.id);
  }
  // The outcomes are written together once the batch is sent (Record): one write transaction
  // per batch instead of one per delivery, so a busy writer delays no POST.
  for (auto& d : due) {
    SendOutcome outcome = Attempt(d, now);
    d.attempts += 1;
    d.last_attempt_at = now;
    d.last_status = outcome.status ? std::optional<int>(outcome.status) : std::nullopt;
    d.last_error = Trimmed(outcome.error, 500);
    if (outcome.ok) {
      d.status = DeliveryStatus::kDelivered;
      d.delivered_at = now;
    } else if (d.attempts >= settings_.retry.max_attempts) {
      d.status = DeliveryStatus::kDead;
    } else {
      d.next_attempt_at =
          now + core::BackoffDelay(settings_.retry, d.attempts, settings_.random_unit());
    }
  }
  return due;
}

core::Result<void> DeliveryWorker::Record(const std::vector<Delivery>& sent) {
  if (sent.empty()) return {};
  auto written = store_.Write([&](store::Tx& tx) -> core::Result<void> {
    for (const auto& d : sent) TANDEM_TRY(tx.webhooks().UpdateDelivery(d));
    return {};
  });
  // Written or not, these are this worker's to send again: a failed write leaves them pending
  // in the store, due as before.
  {
    std::lock_guard lock(mu_);
    ++records_ended_;
    for (const auto& d : sent) {
      unrecorded_.erase(d.id);
      just_recorded_[d.id] = records_ended_;
    }
  }
  return written;
}

std::size_t DeliveryWorker::Unrecorded() const {
  std::lock_guard lock(mu_);
  return unrecorded_.size();
}

core::Result<std::optional<core::Instant>> DeliveryWorker::NextDue() {
  std::optional<core::Instant> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_ASSIGN(out, tx.webhooks().NextDue());
    return {};
  }));
  return out;
}

}  // namespace tandem::jobs
