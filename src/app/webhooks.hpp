// Webhook subscriptions (admins only) and the checks on where a webhook may point.
//
// A subscription names a URL and the event types it receives (docs/notifications.md). Its
// secret is generated here and returned once, by Create. A URL must be http(s) with a host whose
// every resolved address is public: private, loopback, link-local and other internal ranges are
// refused unless the server allows them (`WebhookSettings::allow_private_targets`, the
// `--allow-private-webhooks` flag of `tandem serve`), which local receivers and tests need.
// The delivery worker checks the addresses again before every attempt (DNS may change).
// Thread-safety: stateless apart from its references; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "core/notification.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Id;
using core::Principal;
using core::Result;

// Resolves host names to addresses.
class HostResolver {
 public:
  virtual ~HostResolver() = default;
  // Every address `host` resolves to (IPv4 and IPv6). kInvalidArgument (field "url") when the
  // name does not exist; kUnavailable when resolution failed for another reason.
  virtual Result<std::vector<core::IpAddress>> Resolve(const std::string& host) const = 0;
};

// The system resolver (getaddrinfo). An IP literal resolves to itself without a lookup.
class SystemHostResolver final : public HostResolver {
 public:
  Result<std::vector<core::IpAddress>> Resolve(const std::string& host) const override;
};

struct WebhookSettings {
  bool allow_private_targets = false;
};

// A checked webhook URL and the addresses its host had when checked.
struct WebhookTarget {
  core::WebhookUrl url;
  std::vector<core::IpAddress> addresses;  // never empty
};

// Parses `url`, resolves its host and checks every address. kInvalidArgument (field `field`)
// for a bad URL or a private address when not allowed (the message names the address).
Result<WebhookTarget> CheckWebhookTarget(std::string_view url, const HostResolver& resolver,
                                         bool allow_private, std::string_view field = "url");

struct CreatedWebhook {
  core::WebhookSubscription subscription;  // with the secret
};

struct DeliveryPage {
  std::vector<core::Delivery> items;
  std::optional<Id> next_before;  // pass as `before` for the next (older) page
};

class WebhookService {
 public:
  WebhookService(store::Store& store, const base::Clock& clock, const HostResolver& resolver,
                 WebhookSettings settings = {})
      : store_(store), clock_(clock), resolver_(resolver), settings_(settings) {}

  // Set by the composition root before the service is used.
  void SetSettings(WebhookSettings settings) { settings_ = settings; }
  const WebhookSettings& settings() const { return settings_; }

  // Event types must be known (field "event_types"), at least one; the URL is checked as
  // above. The returned subscription carries the secret; later reads never do.
  Result<core::WebhookSubscription> Create(const Principal& p, std::string url,
                                           std::vector<std::string> event_types,
                                           std::string description);
  Result<std::vector<core::WebhookSubscription>> List(const Principal& p);
  Result<core::WebhookSubscription> Get(const Principal& p, Id id);
  Result<void> Remove(const Principal& p, Id id);
  // The subscription's deliveries, newest first; `before` 0 starts at the newest.
  Result<DeliveryPage> Deliveries(const Principal& p, Id subscription_id, Id before, int limit);
  // Sends a delivery again as soon as the worker runs, with a fresh budget of attempts (a dead
  // one comes back to life). kNotFound when it is not one of the subscription's deliveries;
  // kFailedPrecondition when it was delivered.
  Result<core::Delivery> Retry(const Principal& p, Id subscription_id, Id delivery_id);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  const HostResolver& resolver_;
  WebhookSettings settings_;
};

// A secret for signing: "whsec_" and 32 random bytes, base64url.
std::string NewWebhookSecret();
// A delivery id: "dlv_" and 16 random bytes, base64url.
std::string NewDeliveryUid();

}  // namespace tandem::app
