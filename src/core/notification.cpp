#include "core/notification.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace tandem::core {

namespace {

constexpr std::array<std::string_view, 7> kEventTypes = {
    kEventContactMql,   kEventLeadAssigned, kEventLeadUnassigned, kEventLeadAccepted,
    kEventLeadRejected, kEventSlaBreached,  kEventSlaEscalated,
};

}  // namespace

std::span<const std::string_view> EventTypes() {
  return kEventTypes;
}

bool IsEventType(std::string_view name) {
  return std::find(kEventTypes.begin(), kEventTypes.end(), name) != kEventTypes.end();
}

}  // namespace tandem::core

namespace tandem::core {

std::string_view ToString(DeliveryChannel c) {
  switch (c) {
    case DeliveryChannel::kWebhook: return "webhook";
    case DeliveryChannel::kEmail: return "email";
  }
  return "webhook";
}

std::optional<DeliveryChannel> DeliveryChannelFromString(std::string_view s) {
  if (s == "webhook") return DeliveryChannel::kWebhook;
  if (s == "email") return DeliveryChannel::kEmail;
  return std::nullopt;
}

std::string_view ToString(DeliveryStatus s) {
  switch (s) {
    case DeliveryStatus::kPending: return "pending";
    case DeliveryStatus::kDelivered: return "delivered";
    case DeliveryStatus::kDead: return "dead";
  }
  return "pending";
}

std::optional<DeliveryStatus> DeliveryStatusFromString(std::string_view s) {
  if (s == "pending") return DeliveryStatus::kPending;
  if (s == "delivered") return DeliveryStatus::kDelivered;
  if (s == "dead") return DeliveryStatus::kDead;
  return std::nullopt;
}

std::chrono::milliseconds BackoffCeiling(const RetryPolicy& policy, int failed_attempts) {
  std::int64_t ceiling = policy.base.count();
  for (int i = 1; i < failed_attempts && ceiling < policy.cap.count(); ++i) ceiling *= 2;
  return std::chrono::milliseconds(std::min(ceiling, policy.cap.count()));
}

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failed_attempts,
                                       double unit) {
  unit = std::clamp(unit, 0.0, 1.0);
  auto ceiling = BackoffCeiling(policy, failed_attempts).count();
  return std::chrono::milliseconds(static_cast<std::int64_t>(unit * static_cast<double>(ceiling)));
}

namespace {

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<IpAddress> ParseV4(std::string_view text) {
  IpAddress a;
  int part = 0;
  std::size_t i = 0;
  while (part < 4) {
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return {};
    int value = 0;
    std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i] - '0');
      if (value > 255 || i - start >= 3) return {};
      ++i;
    }
    if (i - start > 1 && text[start] == '0') return {};  // no octal-looking parts
    a.bytes[part++] = static_cast<std::uint8_t>(value);
    if (part < 4) {
      if (i >= text.size() || text[i] != '.') return {};
      ++i;
    }
  }
  if (i != text.size()) return {};
  return a;
}

std::optional<IpAddress> ParseV6(std::string_view text) {
  // Groups before and after "::"; an embedded IPv4 tail is allowed.
  std::vector<std::uint16_t> head, tail;
  bool compressed = false;
  std::size_t i = 0;
  if (text.starts_with("::")) {
    compressed = true;
    i = 2;
  }
  auto* groups = compressed ? &tail : &head;
  while (i < text.size()) {
    std::size_t end = text.find(':', i);
    std::string_view piece = text.substr(i, end == std::string_view::npos ? text.npos : end - i);
    if (piece.find('.') != std::string_view::npos && end == std::string_view::npos) {
      auto v4 = ParseV4(piece);
      if (!v4) return {};
      groups->push_back(static_cast<std::uint16_t>(v4->bytes[0] << 8 | v4->bytes[1]));
      groups->push_back(static_cast<std::uint16_t>(v4->bytes[2] << 8 | v4->bytes[3]));
      i = text.size();
      break;
    }
    if (piece.empty() || piece.size() > 4) return {};
    std::uint16_t value = 0;
    for (char c : piece) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
      value = static_cast<std::uint16_t>(value * 16 + (std::isdigit(static_cast<unsigned char>(c))
                                                           ? c - '0'
                                                           : std::tolower(c) - 'a' + 10));
    }
    groups->push_back(value);
    if (end == std::string_view::npos) {
      i = text.size();
      break;
    }
    if (text.substr(end).starts_with("::")) {
      if (compressed) return {};
      compressed = true;
      groups = &tail;
      i = end + 2;
    } else {
      i = end + 1;
      if (i == text.size()) return {};
    }
  }
  std::size_t total = head.size() + tail.size();
  if (compressed ? total > 7 : total != 8) return {};
  IpAddress a;
  a.v6 = true;
  std::size_t g = 0;
  for (auto v : head) {
    a.bytes[2 * g] = static_cast<std::uint8_t>(v >> 8);
    a.bytes[2 * g + 1] = static_cast<std::uint8_t>(v & 0xff);
    ++g;
  }
  g = 8 - tail.size();
  for (auto v : tail) {
    a.bytes[2 * g] = static_cast<std::uint8_t>(v >> 8);
    a.bytes[2 * g + 1] = static_cast<std::uint8_t>(v & 0xff);
    ++g;
  }
  return a;
}

bool IsPrivateV4(const std::uint8_t* b) {
  auto in = [&](std::uint8_t b0, std::uint8_t b1_from, std::uint8_t b1_to) {
    return b[0] == b0 && b[1] >= b1_from && b[1] <= b1_to;
  };
  if (b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224) return true;  // this net, 240/4
  if (in(100, 64, 127) || in(169, 254, 254) || in(172, 16, 31) || in(192, 168, 168)) return true;
  if (in(198, 18, 19)) return true;                                       // benchmarking
  if (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2)) return true;  // IETF, TEST-NET-1
  if (b[0] == 198 && b[1] == 51 && b[2] == 100) return true;              // TEST-NET-2
  if (b[0] == 203 && b[1] == 0 && b[2] == 113) return true;               // TEST-NET-3
  return false;
}

}  // namespace

std::string IpAddress::ToString() const {
  char buf[64];
  if (!v6) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    return buf;
  }
  std::string out;
  for (int g = 0; g < 8; ++g) {
    if (g) out.push_back(':');
    std::snprintf(buf, sizeof buf, "%x", bytes[2 * g] << 8 | bytes[2 * g + 1]);
    out += buf;
  }
  return out;
}

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return ParseV6(text);
  return ParseV4(text);
}

bool IsPrivateAddress(const IpAddress& a) {
  const auto& b = a.bytes;
  if (!a.v6) return IsPrivateV4(b.data());
  bool zero_prefix_10 = std::all_of(b.begin(), b.begin() + 10, [](auto x) { return x == 0; });
  if (zero_prefix_10 && b[10] == 0xff && b[11] == 0xff) return IsPrivateV4(b.data() + 12);
  // ::/96 (unspecified, loopback, IPv4-compatible) is never a public receiver.
  if (zero_prefix_10 && b[10] == 0 && b[11] == 0) return true;
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {  // 64:ff9b::/96 NAT64
    return IsPrivateV4(b.data() + 12);
  }
  if ((b[0] & 0xfe) == 0xfc) return true;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;  // fec0::/10 site-local (old)
  if (b[0] == 0xff) return true;                           // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;  // docs
  return false;
}

Result<WebhookUrl> ParseWebhookUrl(std::string_view text, std::string_view field) {
  auto bad = [&](std::string why) {
    return Fail(Error::Invalid(std::string(field), "not a usable webhook URL: " + why));
  };
  if (text.empty()) return bad("it is empty");
  if (text.size() > 2048) return bad("it is longer than 2048 characters");
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return bad("it contains spaces, control or non-ASCII characters");
    }
  }
  WebhookUrl u;
  auto sep = text.find("://");
  if (sep == std::string_view::npos) return bad("it has no scheme (http:// or https://)");
  u.scheme = Lower(text.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") return bad("the scheme must be http or https");
  std::string_view rest = text.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) return bad("it has a fragment");
  std::size_t end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return bad("it has user information");
  std::string_view host;
  std::string_view port;
  if (authority.starts_with("[")) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("an IPv6 address lacks its ']'");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("unexpected text after the IPv6 address");
      port = after.substr(1);
    }
    auto ip = ParseIpAddress(host);
    if (!ip || !ip->v6) return bad("'" + std::string(host) + "' is not an IPv6 address");
    u.host_is_ip = true;
  } else {
    auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    if (host.empty()) return bad("it has no host");
    if (host.size() > 253) return bad("the host name is too long");
    if (!std::all_of(host.begin(), host.end(), IsHostChar) || host.front() == '.' ||
        host.front() == '-' || host.find("..") != std::string_view::npos) {
      return bad("'" + std::string(host) + "' is not a host name");
    }
    u.host_is_ip = ParseV4(host).has_value();
    if (!u.host_is_ip && std::all_of(host.begin(), host.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
        })) {
      return bad("'" + std::string(host) + "' is not an IPv4 address");
    }
  }
  u.host = Lower(host);
  if (u.host.ends_with('.')) u.host.pop_back();
  if (port.empty()) {
    if (authority.ends_with(":")) return bad("the port is empty");
    u.port = u.scheme == "https" ? 443 : 80;
  } else {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        })) {
      return bad("the port must be a number");
    }
    u.port = std::stoi(std::string(port));
    if (u.port < 1 || u.port > 65535) return bad("the port must be 1..65535");
  }
  return u;
}

}  // namespace tandem::core
