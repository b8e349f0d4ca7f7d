// The delivery worker against real local receivers (port 0): signatures checked with an
// independent HMAC (OpenSSL), the retry schedule with a seeded generator, dead letters after N
// tries, receivers answering 500 or hanging (timeouts), private addresses refused at delivery
// time (DNS re-pointed after the subscription was made), email through SMTP, and the dispatcher
// plus worker together across a restart. Time is a FakeClock; nothing sleeps.
#include "jobs/delivery.hpp"

#include <gtest/gtest.h>

#include <openssl/hmac.h>
#include <utility>

#include <random>

#include "app/notifications.hpp"
#include "app/outbox.hpp"
#include "app/services.hpp"
#include "base/clock.hpp"
#include "jobs/notification_worker.hpp"
#include "receivers.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tandem::jobs {
namespace {

using namespace std::chrono_literals;
using core::DeliveryStatus;
using testing::HttpReceiver;
using testing::SmtpReceiver;

const core::Instant kT0 = core::FromMillis(1'790'000'000'000);

std::string OpenSslHmacHex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 15]);
  }
  return out;
}

// Resolves names from a table the test changes (DNS re-pointed between checks).
class TableResolver final : public app::HostResolver {
 public:
  core::Result<std::vector<core::IpAddress>> Resolve(const std::string& host) const override {
    if (auto ip = core::ParseIpAddress(host)) return std::vector<core::IpAddress>{*ip};
    std::lock_guard lock(mu_);
    auto it = table_.find(host);
    if (it == table_.end()) return core::Fail(core::Error::Invalid("url", "no such host"));
    std::vector<core::IpAddress> out;
    for (const auto& a : it->second) out.push_back(*core::ParseIpAddress(a));
    return out;
  }
  void Set(const std::string& host, std::vector<std::string> addresses) {
    std::lock_guard lock(mu_);
    table_[host] = std::move(addresses);
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<std::string>> table_;
};

// Records what it was asked to send and answers as told: the worker's logic without sockets.
class RecordingSender final : public HttpSender {
 public:
  SendOutcome Post(const HttpPost& post) override {
    posts.push_back(post);
    return {status, status >= 200 && status < 300, status ? "" : "connection refused"};
  }
  int status = 200;
  std::vector<HttpPost> posts;
};

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::OpenSqliteStore(store::sqlite::SqliteSettings{.path = ":memory:"});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    services_ = std::make_unique<app::Services>(*store_, clock_, app::PasswordSettings::Fastest());
    services_->webhooks.SetSettings({.allow_private_targets = true});
    core::User admin;
    admin.email = "admin@acme.example";
    admin.name = "Ada";
    admin.role = core::Role::kAdmin;
    auto a = services_->users.Bootstrap(admin, "correct horse battery");
    ASSERT_TRUE(a) << a.error().message;
    admin_ = core::Principal{a->id, a->email, a->role, std::nullopt};
    rng_.seed(7);
  }

  DeliverySettings Settings(bool allow_private = true) {
    DeliverySettings s;
    s.retry = core::RetryPolicy{.max_attempts = 4, .base = 10s, .cap = 1h};
    s.allow_private_targets = allow_private;
    s.connect_timeout = 2s;
    s.total_timeout = 2s;
    s.random_unit = [this] { return std::uniform_real_distribution<double>(0, 1)(rng_); };
    return s;
  }

  core::WebhookSubscription Subscribe(const std::string& url,
                                      std::vector<std::string> types = {"contact.mql"}) {
    auto s = services_->webhooks.Create(admin_, url, std::move(types), "test");
    EXPECT_TRUE(s) << s.error().message;
    return s.value_or(core::WebhookSubscription{});
  }

  // Writes a contact.mql message as a service would, then fans it out.
  void Announce(const std::string& payload = "{\"contact_id\":1}") {
    ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_TRY(app::Announce(tx, core::kEventContactMql, std::nullopt, std::nullopt, payload,
                               clock_.Now()));
      return {};
    }));
    auto n = services_->dispatcher.DispatchPending();
    ASSERT_TRUE(n) << n.error().message;
  }

  std::vector<core::Delivery> Deliveries(core::Id subscription) {
    auto page = services_->webhooks.Deliveries(admin_, subscription, 0, 500);
    EXPECT_TRUE(page) << page.error().message;
    return page ? page->items : std::vector<core::Delivery>{};
  }

  base::FakeClock clock_{kT0};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Services> services_;
  core::Principal admin_;
  std::mt19937_64 rng_;
  app::SystemHostResolver system_resolver_;
};

TEST(SignatureTest, MatchesAnIndependentHmacOverTimestampDotBody) {
  const std::string secret = "whsec_abcdefghijklmnopqrstuvwxyz0123456789";
  const std::string body = "{\"id\":\"evt_1\",\"type\":\"contact.mql\",\"data\":{\"x\":\"é\"}}";
  std::string header = SignatureHeader(secret, 1790000000, body);
  EXPECT_EQ(header, "t=1790000000,v1=" + OpenSslHmacHex(secret, "1790000000." + body));
  // Any change of secret, time or body changes it.
  EXPECT_NE(header, SignatureHeader(secret + "x", 1790000000, body));
  EXPECT_NE(header, SignatureHeader(secret, 1790000001, body));
  EXPECT_NE(header, SignatureHeader(secret, 1790000000, body + " "));
}

TEST_F(DeliveryTest, PostsTheSignedEnvelopeWithEventAndDeliveryHeaders) {
  HttpReceiver receiver(200);
  auto sub = Subscribe(receiver.Url());
  ASSERT_FALSE(sub.secret.empty());
  clock_.Advance(3s);
  Announce("{\"contact_id\":42,\"email\":\"ana@acme.example\"}");
  CurlHttpSender http;
  DeliveryWorker worker(*store_, http, nullptr, system_resolver_, Settings());
  auto sent = worker.RunDue(clock_.Now());
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(*sent, 1);

  auto got = receiver.Received();
  ASSERT_EQ(got.size(), 1u);
  auto r = got[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hook");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["tandem-event"], "contact.mql");
  auto deliveries = Deliveries(sub.id);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(r.headers["tandem-delivery"], deliveries[0].uid);
  EXPECT_EQ(
      r.body,
      "{\"id\":\"evt_1\",\"type\":\"contact.mql\",\"created_at\":\"2026-09-21T14:13:23.000Z\","
      "\"data\":{\"contact_id\":42,\"email\":\"ana@acme.example\"}}");
  const std::string t = std::to_string(core::ToMillis(clock_.Now()) / 1000);
  EXPECT_EQ(r.headers["tandem-signature"],
            "t=" + t + ",v1=" + OpenSslHmacHex(sub.secret, t + "." + r.body));

  EXPECT_EQ(deliveries[0].status, DeliveryStatus::kDelivered);
  EXPECT_EQ(deliveries[0].attempts, 1);
  EXPECT_EQ(deliveries[0].last_status, std::optional<int>(200));
  EXPECT_EQ(deliveries[0].delivered_at, std::optional<core::Instant>(clock_.Now()));
  // Nothing more is due.
  auto again = worker.RunDue(clock_.Now() + 24h);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
}

TEST_F(DeliveryTest, ReceiverAnswering500IsRetriedOnTheJitteredScheduleThenDeadLettered) {
  HttpReceiver receiver(500);
  auto sub = Subscribe(receiver.Url());
  Announce();
  CurlHttpSender http;
  auto settings = Settings();
  DeliveryWorker worker(*store_, http, nullptr, system_resolver_, settings);

  // The same seed gives the expected draws.
  std::mt19937_64 expected_rng(7);
  core::Instant now = clock_.Now();
  for (int attempt = 1; attempt <= 4; ++attempt) {
    auto sent = worker.RunDue(now);
    ASSERT_TRUE(sent) << sent.error().message;
    ASSERT_EQ(*sent, 1) << "attempt " << attempt;
    auto d = Deliveries(sub.id).at(0);
    EXPECT_EQ(d.attempts, attempt);
    EXPECT_EQ(d.last_status, std::optional<int>(500));
    EXPECT_EQ(d.last_error, "the receiver answered 500");
    if (attempt < 4) {
      ASSERT_EQ(d.status, DeliveryStatus::kPending);
      double u = std::uniform_real_distribution<double>(0, 1)(expected_rng);
      auto delay = core::BackoffDelay(settings.retry, attempt, u);
      EXPECT_EQ(d.next_attempt_at, now + delay) << "attempt " << attempt;
      EXPECT_LE(delay, core::BackoffCeiling(settings.retry, attempt));
      // Not due a millisecond before.
      if (delay > 0ms) {
        auto early = worker.RunDue(d.next_attempt_at - 1ms);
        ASSERT_TRUE(early);
        EXPECT_EQ(*early, 0);
      }
      now = d.next_attempt_at;
    } else {
      EXPECT_EQ(d.status, DeliveryStatus::kDead);
    }
  }
  EXPECT_EQ(receiver.Received().size(), 4u);
  auto none = worker.RunDue(now + 48h);
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);

  // Re-driven by an admin: pending again with a fresh budget, and delivered once the receiver
  // is back.
  receiver.SetStatus(204);
  auto dead = Deliveries(sub.id).at(0);
  clock_.Set(now + 1h);
  auto retried = services_->webhooks.Retry(admin_, sub.id, dead.id);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(retried->status, DeliveryStatus::kPending);
  EXPECT_EQ(retried->attempts, 0);
  auto sent = worker.RunDue(clock_.Now());
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 1);
  auto done = Deliveries(sub.id).at(0);
  EXPECT_EQ(done.status, DeliveryStatus::kDelivered);
  EXPECT_EQ(done.uid, dead.uid);  // the same delivery id: receivers can drop repeats
  auto twice = services_->webhooks.Retry(admin_, sub.id, dead.id);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST_F(DeliveryTest, HangingReceiverTimesOutAndIsRetried) {
  HttpReceiver receiver(200);
  receiver.SetHang(true);
  auto sub = Subscribe(receiver.Url());
  Announce();
  CurlHttpSender http;
  auto settings = Settings();
  settings.total_timeout = 300ms;
  DeliveryWorker worker(*store_, http, nullptr, system_resolver_, settings);
  auto sent = worker.RunDue(clock_.Now());
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 1);
  auto d = Deliveries(sub.id).at(0);
  EXPECT_EQ(d.status, DeliveryStatus::kPending);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_FALSE(d.last_status);
  EXPECT_NE(d.last_error.find("timed out"), std::string::npos) << d.last_error;
  ASSERT_EQ(receiver.Received().size(), 1u);
  // The receiver recovers: the retry goes through.
  receiver.SetHang(false);
  auto retry = worker.RunDue(d.next_attempt_at);
  ASSERT_TRUE(retry);
  EXPECT_EQ(*retry, 1);
  EXPECT_EQ(Deliveries(sub.id).at(0).status, DeliveryStatus::kDelivered);
}

TEST_F(DeliveryTest, NameRepointedAtAPrivateAddressIsRefusedAtDeliveryTime) {
  TableResolver dns;
  dns.Set("hooks.example.com", {"93.184.216.34"});
  app::WebhookService hooks(*store_, clock_, dns, {.allow_private_targets = false});
  auto sub = hooks.Create(admin_, "https://hooks.example.com/in", {"contact.mql"}, "");
  ASSERT_TRUE(sub) << sub.error().message;
  Announce();
  // Rebinding: the name now points inside.
  dns.Set("hooks.example.com", {"93.184.216.34", "169.254.169.254"});
  RecordingSender http;
  DeliveryWorker worker(*store_, http, nullptr, dns, Settings(/*allow_private=*/false));
  auto sent = worker.RunDue(clock_.Now());
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 1);
  EXPECT_TRUE(http.posts.empty());  // nothing left the process
  auto d = Deliveries(sub->id).at(0);
  EXPECT_EQ(d.status, DeliveryStatus::kPending);
  EXPECT_NE(d.last_error.find("169.254.169.254"), std::string::npos) << d.last_error;

  // Pointed back outside: sent, pinned to the checked address.
  dns.Set("hooks.example.com", {"93.184.216.34"});
  auto retry = worker.RunDue(d.next_attempt_at);
  ASSERT_TRUE(retry);
  ASSERT_EQ(http.posts.size(), 1u);
  ASSERT_TRUE(http.posts[0].pinned);
  EXPECT_EQ(http.posts[0].pinned->ToString(), "93.184.216.34");
  EXPECT_EQ(http.posts[0].host, "hooks.example.com");
  EXPECT_EQ(http.posts[0].port, 443);
}

TEST_F(DeliveryTest, RemovedSubscriptionIsNotAttemptedAndUnreachableReceiverIsRetried) {
  auto gone = Subscribe("http://127.0.0.1:9/never");
  HttpReceiver receiver(200);
  auto kept = Subscribe(receiver.Url());
  Announce();
  ASSERT_TRUE(services_->webhooks.Remove(admin_, gone.id));
  CurlHttpSender http;
  DeliveryWorker worker(*store_, http, nullptr, system_resolver_, Settings());
  auto sent = worker.RunDue(clock_.Now());
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 1);
  EXPECT_EQ(Deliveries(kept.id).at(0).status, DeliveryStatus::kDelivered);
  EXPECT_EQ(Deliveries(gone.id).at(0).attempts, 0);
}

TEST_F(DeliveryTest, EmailGoesThroughSmtpWithItsHeaders) {
  SmtpReceiver smtp;
  SmtpSettings ss;
  ss.url = smtp.Url();
  ss.from = "tandem@acme.example";
  CurlSmtpSender email(ss);
  EmailMessage m{"tandem@acme.example", "rep@acme.example", "Lead assigned to you: Ana Ruiz",
                 "Lead assigned to you\r\n.leading dot\r\n", "dlv_abc"};
  auto out = email.Send(m, kT0);
  EXPECT_TRUE(out.ok) << out.error;
  EXPECT_EQ(out.status, 250);
  auto mail = smtp.Received();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].from, "<tandem@acme.example>");
  ASSERT_EQ(mail[0].to.size(), 1u);
  EXPECT_EQ(mail[0].to[0], "<rep@acme.example>");
  EXPECT_NE(mail[0].data.find("Subject: Lead assigned to you: Ana Ruiz\r\n"), std::string::npos);
  EXPECT_NE(mail[0].data.find("Message-ID: <dlv_abc@tandem>\r\n"), std::string::npos);
  // The leading dot was stuffed on the wire and unstuffed here... or kept doubled: either way
  // the line is there.
  EXPECT_NE(mail[0].data.find(".leading dot"), std::string::npos) << mail[0].data;

  smtp.SetFinalCode(550);
  auto refused = email.Send(m, kT0);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.status, 550);
}

TEST(EmailTest, BuildsAnRfc5322MessageAndEncodesNonAsciiSubjects) {
  EmailMessage m{"tandem@acme.example", "rep@acme.example", "SLA breached: Zoë\r\nBcc: x",
                 "one\ntwo", "dlv_1"};
  std::string text = BuildEmail(m, kT0);
  EXPECT_EQ(text.substr(0, text.find("\r\n")), "Date: Mon, 21 Sep 2026 14:13:20 +0000");
  EXPECT_NE(text.find("From: <tandem@acme.example>\r\nTo: <rep@acme.example>\r\n"),
            std::string::npos);
  // No header injection: line breaks in the subject are gone, and it is encoded.
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_TRUE(text.ends_with("\r\n\r\none\r\ntwo\r\n"));
}

TEST_F(DeliveryTest, UserNotificationsBecomeInAppAndEmailAndSurviveARestart) {
  services_->dispatcher.SetSettings({.email_enabled = true});
  core::User rep;
  rep.email = "rep@acme.example";
  rep.name = "Rep";
  rep.role = core::Role::kSales;
  auto r = services_->users.Create(admin_, rep, "correct horse battery");
  ASSERT_TRUE(r);
  HttpReceiver receiver(500);
  auto sub = Subscribe(receiver.Url(), {"lead.assigned"});
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_TRY(app::Announce(tx, core::kEventLeadAssigned, std::nullopt, r->id,
                             "{\"assignee_id\":" + std::to_string(r->id) + "}", clock_.Now()));
    return {};
  }));
  SmtpReceiver smtp;
  SmtpSettings ss;
  ss.url = smtp.Url();
  {
    // First process: dispatch, one failed webhook attempt, then "crash" (objects go away).
    CurlHttpSender http;
    CurlSmtpSender email(ss);
    DeliveryWorker worker(*store_, http, &email, system_resolver_, Settings());
    NotificationWorker loop(services_->dispatcher, worker, clock_);
    auto n = loop.Pass(clock_.Now());
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, 2);  // the webhook and the email
  }
  EXPECT_EQ(smtp.Received().size(), 1u);
  EXPECT_EQ(receiver.Received().size(), 1u);
  // Second process: nothing is fanned out twice; the failed webhook is retried when due.
  receiver.SetStatus(200);
  CurlHttpSender http;
  CurlSmtpSender email(ss);
  DeliveryWorker worker(*store_, http, &email, system_resolver_, Settings());
  NotificationWorker loop(services_->dispatcher, worker, clock_);
  auto due = Deliveries(sub.id).at(0).next_attempt_at;
  auto n = loop.Pass(due);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(receiver.Received().size(), 2u);
  EXPECT_EQ(receiver.Received()[0].headers["tandem-delivery"],
            receiver.Received()[1].headers["tandem-delivery"]);
  EXPECT_EQ(smtp.Received().size(), 1u);
  auto inbox = services_->notifications.List(core::Principal{r->id, r->email, r->role, {}},
                                             std::nullopt, 50);
  ASSERT_TRUE(inbox);
  ASSERT_EQ(inbox->items.size(), 1u);
  EXPECT_EQ(inbox->items[0].title, "Lead assigned to you");
  EXPECT_EQ(inbox->unread, 1);
}

// The server sends and records on two threads: a sent delivery is not sent again while its
// outcome waits to be recorded, and the recorded outcome is what the store keeps.
TEST_F(DeliveryTest, ASentDeliveryIsNotSentAgainBeforeItsOutcomeIsRecorded) {
  auto sub = Subscribe("http://127.0.0.1:9/hook");
  Announce();
  RecordingSender http;
  DeliveryWorker worker(*store_, http, nullptr, system_resolver_, Settings());
  auto first = worker.SendDue(clock_.Now());
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(worker.Unrecorded(), 1u);
  EXPECT_EQ((*first)[0].status, DeliveryStatus::kDelivered);
  // Still pending in the store, but this worker knows it is sent.
  EXPECT_EQ(Deliveries(sub.id).at(0).status, DeliveryStatus::kPending);
  Announce();  // a second message meanwhile: only it goes out
  auto second = worker.SendDue(clock_.Now());
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_NE((*second)[0].id, (*first)[0].id);
  EXPECT_EQ(http.posts.size(), 2u);
  auto none = worker.SendDue(clock_.Now());
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  ASSERT_TRUE(worker.Record(*first));
  ASSERT_TRUE(worker.Record(*second));
  EXPECT_EQ(worker.Unrecorded(), 0u);
  for (const auto& d : Deliveries(sub.id)) {
    EXPECT_EQ(d.status, DeliveryStatus::kDelivered);
    EXPECT_EQ(d.attempts, 1);
  }
  auto after = worker.RunDue(clock_.Now() + 24h);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, 0);
  EXPECT_EQ(http.posts.size(), 2u);
}

// A store whose next Read runs `after_read` once the read has returned: the recorder thread
// committing while the sender's read of due deliveries holds an older snapshot.
class RacingStore final : public store::Store {
 public:
  explicit RacingStore(store::Store& inner) : inner_(inner) {}
  core::Result<void> Write(const store::TxFn& fn) override { return inner_.Write(fn); }
  core::Result<void> Read(const store::TxFn& fn) override {
    auto r = inner_.Read(fn);
    if (auto hook = std::exchange(after_read, nullptr)) hook();
    return r;
  }
  void SetOutboxListener(std::function<void()> l) override { inner_.SetOutboxListener(l); }
  std::string_view Backend() const override { return inner_.Backend(); }
  int SchemaVersion() const override { return inner_.SchemaVersion(); }
  std::function<void()> after_read;

 private:
  store::Store& inner_;
};

TEST_F(DeliveryTest, AnOutcomeRecordedWhileTheNextReadWasUnderWayIsNotSentAgain) {
  auto sub = Subscribe("http://127.0.0.1:9/hook");
  Announce();
  RecordingSender http;
  RacingStore racing(*store_);
  DeliveryWorker worker(racing, http, nullptr, system_resolver_, Settings());
  auto first = worker.SendDue(clock_.Now());
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->size(), 1u);
  // The next read sees the delivery pending; its outcome is recorded before the read's answer
  // is looked at: the read's view is stale, and the delivery must not go out again.
  racing.after_read = [&] { ASSERT_TRUE(worker.Record(*first)); };
  auto second = worker.SendDue(clock_.Now());
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->empty()) << "sent twice: recorded as delivered while being read as pending";
  EXPECT_EQ(http.posts.size(), 1u);
  EXPECT_EQ(Deliveries(sub.id).at(0).status, DeliveryStatus::kDelivered);
  auto third = worker.SendDue(clock_.Now());
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->empty());
  EXPECT_EQ(http.posts.size(), 1u);
}

}  // namespace
}  // namespace tandem::jobs
