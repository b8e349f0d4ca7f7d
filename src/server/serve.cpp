#include "server/serve.hpp"

#include <signal.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <memory>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>

#include "api/api.hpp"
#include "api/http_server.hpp"
#include "app/weekly_mailer.hpp"
#include "base/clock.hpp"
#include "base/steady_clock.hpp"
#include "jobs/leader.hpp"
#include "jobs/notification_worker.hpp"
#include "jobs/retention.hpp"
#include "jobs/scheduler.hpp"
#include "jobs/sla_scheduler.hpp"
#include "store/leadership.hpp"

namespace tandem::server {
namespace {

constexpr auto kPurgeEvery = std::chrono::hours(1);

void SchedulePurge(jobs::Scheduler& scheduler, app::Services& services, core::Instant due) {
  scheduler.Schedule(due, "purge_sessions", [&scheduler, &services](core::Instant now) {
    auto n = services.auth.PurgeExpiredSessions();
    if (!n) {
      spdlog::warn("purging expired sessions failed: {}", n.error().message);
    } else if (*n > 0) {
      spdlog::info("purged {} expired sessions", *n);
    }
    SchedulePurge(scheduler, services, now + kPurgeEvery);
  });
}

// Re-score jobs (docs/scoring.md): batches run on this thread for at most kRescoreSlice per
// tick, so the loop still answers signals promptly; idle, it looks for work every second.
constexpr auto kRescoreSlice = std::chrono::milliseconds(250);
constexpr auto kRescoreIdle = std::chrono::seconds(1);

// The weekly pack's email (app/weekly_mailer.hpp): at each Monday 08:00 in the company's zone,
// and an hour later when a run failed (the week stays unsent, so the next run sends it).
void ScheduleWeeklyPack(jobs::Scheduler& scheduler, app::WeeklyMailer& mailer, core::Instant due) {
  scheduler.Schedule(due, "weekly_pack", [&scheduler, &mailer](core::Instant now) {
    auto run = mailer.RunDue(now);
    if (!run) {
      spdlog::warn("weekly pack: {}", run.error().message);
    } else if (*run) {
      spdlog::info("weekly pack {}: {} emails queued", core::FormatIsoWeek((*run)->week),
                   (*run)->recipients);
    }
    auto next = mailer.NextDue(now);
    ScheduleWeeklyPack(scheduler, mailer, run && next ? *next : now + std::chrono::hours(1));
  });
}

void ScheduleRescore(jobs::Scheduler& scheduler, Runtime& rt, core::Instant due) {
  scheduler.Schedule(due, "rescore", [&scheduler, &rt](core::Instant now) {
    bool more = false;
    do {
      auto r = rt.services().scoring.RunJobBatch();
      if (!r) {
        spdlog::warn("re-score batch failed: {}", r.error().message);
        more = false;
        break;
      }
      more = *r;
    } while (more && rt.clock().Now() - now < kRescoreSlice);
    ScheduleRescore(scheduler, rt,
                    rt.clock().Now() + (more ? std::chrono::milliseconds(1)
                                             : std::chrono::milliseconds(kRescoreIdle)));
  });
}

// The SLA clocks other servers on the shared database started since the last look.
void ScheduleSlaResync(jobs::Scheduler& scheduler, jobs::SlaScheduler& sla,
                       std::chrono::milliseconds every, core::Instant due) {
  scheduler.Schedule(due + every, "sla_resync", [&scheduler, &sla, every](core::Instant now) {
    if (auto added = sla.Resync(); !added) {
      spdlog::warn("SLA scheduler: reading the clocks other servers started: {}",
                   added.error().message);
    }
    ScheduleSlaResync(scheduler, sla, every, now);
  });
}

}  // namespace

core::Result<std::pair<std::string, unsigned short>> ParseListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return core::Fail(core::Error::Invalid("listen", "must be HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const char* first = listen.data() + colon + 1;
  const char* last = listen.data() + listen.size();
  auto [ptr, ec] = std::from_chars(first, last, port);
  if (ec != std::errc() || ptr != last || first == last || port > 65535) {
    return core::Fail(core::Error::Invalid("listen", "the port must be a number from 0 to 65535"));
  }
  return std::make_pair(host, static_cast<unsigned short>(port));
}

core::Result<void> Serve(Runtime& rt, const ServeSettings& settings,
                         const std::function<void(const std::string& url)>& on_listening) {
  TANDEM_ASSIGN(auto host_port, ParseListen(settings.listen));
  if (settings.event_retention_months != 0) {
    TANDEM_TRY(core::RetentionCutoff(rt.clock().Now(), settings.event_retention_months)
                   .map([](core::Instant) {})
                   .map_error([](core::Error e) {
                     e.field = "event_retention_months";
                     return e;
                   }));
  }

  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only this thread receives them, through sigtimedwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  // SIGUSR1 only wakes this thread: an SLA item was added that is due before its wait ends.
  sigaddset(&stop_signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Leadership (jobs/leader.hpp): on a database several servers share, the background work runs
  // on one of them at a time. The first check is made before serving, so a lone server leads
  // from its first request.
  std::unique_ptr<store::LeaderLock> leader_lock;
  if (auto* shared = store::SharedOf(rt.store())) {
    TANDEM_ASSIGN(leader_lock, shared->OpenLeaderLock());
  }
  base::SteadyClock steady_clock;
  jobs::LeaderElector elector(leader_lock.get(), steady_clock,
                              {.check = settings.leader_check, .lease_checks = 3});
  elector.Check();

  // SLA clocks: while leading, the heap holds every open clock and pending escalation step; it
  // is rebuilt from the database when this server starts leading, before the API takes
  // requests for a lone server, so no due time stored meanwhile is missed.
  jobs::SlaScheduler sla(rt.services().handoff, rt.clock());
  const pthread_t scheduler_thread = pthread_self();
  sla.SetWake([scheduler_thread] { pthread_kill(scheduler_thread, SIGUSR1); });
  rt.services().handoff.SetDueListener(&sla);
  std::optional<std::size_t> pending_sla;
  if (elector.Leading()) {
    TANDEM_ASSIGN(pending_sla, sla.Rebuild());
  } else {
    sla.Clear();  // a follower holds no clock
  }
  // Import jobs a previous process was running when it stopped cannot resume (the upload was
  // only in its memory): they are marked failed before the API takes requests. On a shared
  // database a starting server cannot tell another server's running import from its own
  // interrupted one, so there they are left as they are (docs/postgres.md).
  if (leader_lock == nullptr) {
    TANDEM_ASSIGN(std::int64_t interrupted_imports, rt.services().imports.FailInterrupted());
    if (interrupted_imports > 0) {
      spdlog::warn("{} import jobs were interrupted by the last stop and are marked failed",
                   interrupted_imports);
    }
  }
  // The notification thread: outbox fan-out, webhook and email deliveries.
  rt.services().webhooks.SetSettings({.allow_private_targets = settings.allow_private_webhooks});
  rt.services().dispatcher.SetSettings({.email_enabled = !settings.smtp.url.empty()});
  jobs::CurlHttpSender webhook_sender;
  std::unique_ptr<jobs::CurlSmtpSender> email_sender;
  if (!settings.smtp.url.empty()) {
    email_sender = std::make_unique<jobs::CurlSmtpSender>(settings.smtp);
  }
  jobs::DeliverySettings delivery_settings;
  delivery_settings.allow_private_targets = settings.allow_private_webhooks;
  if (!settings.smtp.from.empty()) delivery_settings.email_from = settings.smtp.from;
  jobs::DeliveryWorker deliveries(rt.store(), webhook_sender, email_sender.get(),
                                  rt.services().resolver, delivery_settings);
  jobs::NotificationWorker notifier(rt.services().dispatcher, deliveries, rt.clock());
  notifier.SetGate([&elector] { return elector.Leading(); });
  notifier.Start();
  // A committed change that announced something wakes the notification thread at once.
  rt.store().SetOutboxListener([&notifier] { notifier.Wake(); });

  api::ApiSettings api_settings;
  api_settings.secure_cookies = settings.secure_cookies;
  api_settings.web_root = settings.web_root;
  api_settings.trust_forwarded_for = settings.behind_proxy;
  api_settings.leading = [&elector] { return elector.Leading(); };
  api::Api api(rt.services(), rt.metrics(), rt.clock(), api_settings);

  api::HttpServerSettings http_settings;
  http_settings.host = host_port.first;
  http_settings.port = host_port.second;
  http_settings.threads =
      settings.threads > 0 ? settings.threads
                           : std::max(8, 2 * static_cast<int>(std::thread::hardware_concurrency()));
  http_settings.max_body_bytes = settings.max_body_bytes;
  http_settings.upload_path = "/api/v1/imports";
  http_settings.max_upload_bytes = settings.max_upload_bytes;
  api::HttpServer http(api, http_settings);
  TANDEM_ASSIGN(unsigned short port, http.Start());

  const bool v6 = host_port.first.find(':') != std::string::npos;
  on_listening("http://" + (v6 ? "[" + host_port.first + "]" : host_port.first) + ":" +
               std::to_string(port) + "/");

  // Told after the URL line (the first line a script reading the output waits for).
  if (leader_lock != nullptr) {
    spdlog::info(elector.Leading()
                     ? "leader: this server leads (it runs the SLA scheduler and outbox delivery)"
                     : "leader: another server leads; this one serves the API and takes over "
                       "should the leader stop");
  }
  if (pending_sla) {
    spdlog::info("SLA scheduler: {} open clocks and escalation steps", *pending_sla);
  }
  // A change of leadership wakes this thread, which starts or stops the leader's work.
  elector.SetOnChange([scheduler_thread](bool leading, const core::Error* why) {
    if (!leading && why != nullptr)
      spdlog::warn("leader: the leader lock is lost: {}", why->message);
    pthread_kill(scheduler_thread, SIGUSR1);
  });
  elector.Start();

  jobs::Scheduler scheduler;
  app::PrivacyService privacy(rt.store(), rt.clock());
  app::WeeklyMailer weekly_mailer(
      rt.store(), rt.clock(), rt.services().weekly, rt.services().contracts,
      {.email_enabled = !settings.smtp.url.empty(), .public_url = settings.public_url});
  // The leader's periodic work, scheduled when this server starts leading.
  auto start_leading = [&](core::Instant now) {
    SchedulePurge(scheduler, rt.services(), now);
    ScheduleRescore(scheduler, rt, now);
    if (settings.event_retention_months > 0) {
      jobs::ScheduleEventRetention(scheduler, privacy, settings.event_retention_months, now,
                                   [](const core::Result<app::PurgeResult>& run) {
                                     if (!run) {
                                       spdlog::warn("event retention: {}", run.error().message);
                                     } else if (run->events > 0) {
                                       spdlog::info(
                                           "event retention: purged {} events older than {}",
                                           run->events, core::FormatInstant(run->cutoff));
                                     }
                                   });
    }
    // A Monday morning missed while no server led is caught up at once.
    ScheduleWeeklyPack(scheduler, weekly_mailer, now);
    // Clocks other servers start reach this one's heap through the database.
    if (leader_lock != nullptr) ScheduleSlaResync(scheduler, sla, settings.sla_resync, now);
  };
  bool leading = elector.Leading();
  if (leading) start_leading(rt.clock().Now());
  for (;;) {
    const bool now_leading = elector.Leading();
    if (now_leading && !leading) {
      // Taking over: the clocks as the database holds them, then the periodic work.
      auto rebuilt = sla.Rebuild();
      if (!rebuilt) {
        spdlog::warn("leader: cannot read the SLA clocks, will try again: {}",
                     rebuilt.error().message);
      } else {
        spdlog::info(
            "leader: this server leads now; SLA scheduler: {} open clocks and "
            "escalation steps",
            *rebuilt);
        start_leading(rt.clock().Now());
        leading = true;
      }
    } else if (!now_leading && leading) {
      spdlog::warn(
          "leader: this server no longer leads; another server takes over the SLA "
          "scheduler and outbox delivery");
      scheduler.Clear();
      sla.Clear();
      leading = false;
    }
    auto wait = std::chrono::milliseconds(60'000);
    if (leading) {
      scheduler.RunDue(rt.clock().Now());
      if (auto ran = sla.RunDue(); !ran) {
        spdlog::warn("SLA scheduler: {}", ran.error().message);
      } else if (ran->fired > 0) {
        spdlog::info("SLA scheduler: {} breaches or escalation steps", ran->fired);
      }
      for (auto next : {scheduler.NextDue(), sla.NextDue()}) {
        if (!next) continue;
        wait = std::clamp(
            std::chrono::duration_cast<std::chrono::milliseconds>(*next - rt.clock().Now()),
            std::chrono::milliseconds(1), wait);
      }
    }
    if (leader_lock != nullptr) {
      // A lease that runs out (a check hanging) is noticed within a check.
      wait = std::min(wait, settings.leader_check);
    }
    timespec ts{static_cast<time_t>(wait.count() / 1000),
                static_cast<long>((wait.count() % 1000) * 1'000'000)};
    int sig = sigtimedwait(&stop_signals, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) {
      spdlog::info("stopping on signal {}", sig);
      break;
    }
  }
  http.Stop();
  rt.services().handoff.SetDueListener(nullptr);
  rt.store().SetOutboxListener({});
  notifier.Stop();
  // Handing over at once: another server takes the lock at its next check.
  elector.Stop();
  return {};
}

}  // namespace tandem::server
