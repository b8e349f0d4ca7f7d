#include "app/webhooks.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "app/passwords.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;

namespace {

// Admins only; an API key also needs the scope of what it does (reading; changing with the
// write or the admin scope): an ingest key, which may only capture, never sees the
// subscriptions.
Result<void> RequireAdmin(const Principal& p, core::Verb verb) {
  if (p.role != core::Role::kAdmin) return Fail(Error::Forbidden("only admins manage webhooks"));
  if (p.HasScope(core::Scope::kAdmin)) return {};
  return core::CheckVerbScope(p, verb);
}

// The command line acts as an admin without a user of its own.
core::Actor ActorOf(const Principal& p) {
  return p.user_id > 0 ? p.AsActor() : core::Actor::System(p.email);
}

Result<core::WebhookSubscription> Load(store::Tx& tx, Id id) {
  TANDEM_ASSIGN(auto found, tx.webhooks().Get(id));
  if (!found || found->deleted_at) {
    return Fail(Error::NotFound("webhook " + std::to_string(id) + " does not exist"));
  }
  return *found;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

}  // namespace

std::string NewWebhookSecret() {
  return "whsec_" + RandomToken(32);
}
std::string NewDeliveryUid() {
  return "dlv_" + RandomToken(16);
}

Result<std::vector<core::IpAddress>> SystemHostResolver::Resolve(const std::string& host) const {
  if (auto literal = core::ParseIpAddress(host)) return std::vector<core::IpAddress>{*literal};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &raw);
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> list(raw, freeaddrinfo);
  if (rc == EAI_NONAME || rc == EAI_NODATA) {
    return Fail(Error::Invalid("url", "the host '" + host + "' does not resolve"));
  }
  if (rc != 0) {
    return Fail(Error{core::ErrorCode::kUnavailable,
                      "cannot resolve '" + host + "': " + gai_strerror(rc), "url"});
  }
  std::vector<core::IpAddress> out;
  for (addrinfo* a = raw; a; a = a->ai_next) {
    core::IpAddress ip;
    if (a->ai_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
      std::memcpy(ip.bytes.data(), &sin->sin_addr, 4);
    } else if (a->ai_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
      ip.v6 = true;
      std::memcpy(ip.bytes.data(), &sin6->sin6_addr, 16);
    } else {
      continue;
    }
    bool seen = std::any_of(out.begin(), out.end(), [&](const core::IpAddress& o) {
      return o.v6 == ip.v6 && o.bytes == ip.bytes;
    });
    if (!seen) out.push_back(ip);
  }
  if (out.empty()) return Fail(Error::Invalid("url", "the host '" + host + "' has no address"));
  return out;
}

Result<WebhookTarget> CheckWebhookTarget(std::string_view url, const HostResolver& resolver,
                                         bool allow_private, std::string_view field) {
  WebhookTarget t;
  TANDEM_ASSIGN(t.url, core::ParseWebhookUrl(url, field));
  auto resolved = resolver.Resolve(t.url.host);
  if (!resolved) {
    Error e = std::move(resolved.error());
    e.field = std::string(field);
    return Fail(std::move(e));
  }
  t.addresses = std::move(*resolved);
  if (t.addresses.empty()) {
    return Fail(Error::Invalid(std::string(field), "the host '" + t.url.host + "' has no address"));
  }
  if (!allow_private) {
    for (const auto& a : t.addresses) {
      if (core::IsPrivateAddress(a)) {
        return Fail(Error::Invalid(std::string(field),
                                   "the host '" + t.url.host + "' resolves to " + a.ToString() +
                                       ", a private, loopback or link-local address; webhooks may "
                                       "reach such addresses only when the server allows it "
                                       "(tandem serve --allow-private-webhooks)"));
      }
    }
  }
  return t;
}

Result<core::WebhookSubscription> WebhookService::Create(const Principal& p, std::string url,
                                                         std::vector<std::string> event_types,
                                                         std::string description) {
  TANDEM_TRY(RequireAdmin(p, core::Verb::kUpdate));
  if (event_types.empty()) {
    return Fail(Error::Invalid("event_types", "name at least one event type"));
  }
  for (const auto& t : event_types) {
    if (!core::IsEventType(t)) {
      std::string known;
      for (auto k : core::EventTypes()) known += (known.empty() ? "" : ", ") + std::string(k);
      return Fail(
          Error::Invalid("event_types", "unknown event type '" + t + "'; known types: " + known));
    }
  }
  if (description.size() > 500) {
    return Fail(Error::Invalid("description", "must be at most 500 characters"));
  }
  TANDEM_TRY(CheckWebhookTarget(url, resolver_, settings_.allow_private_targets));
  std::sort(event_types.begin(), event_types.end());
  event_types.erase(std::unique(event_types.begin(), event_types.end()), event_types.end());

  core::WebhookSubscription s;
  s.url = std::move(url);
  s.event_types = std::move(event_types);
  s.secret = NewWebhookSecret();
  s.description = std::move(description);
  s.created_at = clock_.Now();
  if (p.user_id > 0) s.created_by = p.user_id;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(s.id, tx.webhooks().Insert(s));
    core::AuditEntry e;
    e.at = s.created_at;
    e.actor = ActorOf(p);
    e.entity = "webhook";
    e.entity_id = s.id;
    e.action = core::AuditAction::kCreate;
    e.changes = {{"url", "", s.url}, {"event_types", "", Join(s.event_types)}};
    if (!s.description.empty()) e.changes.push_back({"description", "", s.description});
    return tx.audit().Append(e).map([](Id) {});
  }));
  return s;
}

Result<std::vector<core::WebhookSubscription>> WebhookService::List(const Principal& p) {
  TANDEM_TRY(RequireAdmin(p, core::Verb::kRead));
  std::vector<core::WebhookSubscription> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.webhooks().List());
    return {};
  }));
  for (auto& s : out) s.secret.clear();
  return out;
}

Result<core::WebhookSubscription> WebhookService::Get(const Principal& p, Id id) {
  TANDEM_TRY(RequireAdmin(p, core::Verb::kRead));
  core::WebhookSubscription out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, Load(tx, id));
    return {};
  }));
  out.secret.clear();
  return out;
}

Result<void> WebhookService::Remove(const Principal& p, Id id) {
  TANDEM_TRY(RequireAdmin(p, core::Verb::kUpdate));
  const auto now = clock_.Now();
  return store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto s, Load(tx, id));
    TANDEM_TRY(tx.webhooks().Remove(id, now));
    core::AuditEntry e;
    e.at = now;
    e.actor = ActorOf(p);
    e.entity = "webhook";
    e.entity_id = id;
    e.action = core::AuditAction::kDelete;
    e.changes = {{"url", s.url, ""}, {"event_types", Join(s.event_types), ""}};
    return tx.audit().Append(e).map([](Id) {});
  });
}

Result<DeliveryPage> WebhookService::Deliveries(const Principal& p, Id subscription_id, Id before,
                                                int limit) {
  TANDEM_TRY(RequireAdmin(p, core::Verb::kRead));
  if (limit < 1 || limit > core::kMaxPageSize) {
    return Fail(Error::Invalid("limit", "must be 1.." + std::to_string(core::kMaxPageSize)));
  }
  DeliveryPage page;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto found, tx.webhooks().Get(subscription_id));
    if (!found) {
      return Fail(
          Error::NotFound("webhook " + std::to_string(subscription_id) + " does not exist"));
    }
    TANDEM_ASSIGN(page.items, tx.webhooks().ListDeliveries(subscription_id, before, limit + 1));
    return {};
  }));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.next_before = page.items.back().id;
  }
  return page;
}

Result<core::Delivery> WebhookService::Retry(const Principal& p, Id subscription_id,
                                             Id delivery_id) {
  TANDEM_TRY(RequireAdmin(p, core::Verb::kUpdate));
  const auto now = clock_.Now();
  core::Delivery d;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_TRY(Load(tx, subscription_id));
    TANDEM_ASSIGN(auto found, tx.webhooks().GetDelivery(delivery_id));
    if (!found || found->subscription_id != subscription_id) {
      return Fail(Error::NotFound("delivery " + std::to_string(delivery_id) +
                                  " does not exist for webhook " +
                                  std::to_string(subscription_id)));
    }
    d = std::move(*found);
    if (d.status == core::DeliveryStatus::kDelivered) {
      return Fail(Error::Precondition("delivery " + std::to_string(delivery_id) +
                                      " was delivered; nothing to retry"));
    }
    std::string before_status(core::ToString(d.status));
    d.status = core::DeliveryStatus::kPending;
    d.attempts = 0;
    d.next_attempt_at = now;
    TANDEM_TRY(tx.webhooks().UpdateDelivery(d));
    core::AuditEntry e;
    e.at = now;
    e.actor = ActorOf(p);
    e.entity = "webhook_delivery";
    e.entity_id = d.id;
    e.action = core::AuditAction::kUpdate;
    e.changes = {{"status", before_status, "pending"}};
    return tx.audit().Append(e).map([](Id) {});
  }));
  return d;
}

}  // namespace tandem::app
