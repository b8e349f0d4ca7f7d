// Event types, retry schedule, webhook URLs and the private-address rule.
#include "core/notification.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

using namespace std::chrono_literals;

TEST(EventTypesTest, KnowsTheSevenTypesAndNothingElse) {
  EXPECT_EQ(EventTypes().size(), 7u);
  EXPECT_TRUE(IsEventType("contact.mql"));
  EXPECT_TRUE(IsEventType("sla.escalated"));
  EXPECT_TRUE(IsEventType("lead.unassigned"));
  EXPECT_FALSE(IsEventType("contact.MQL"));
  EXPECT_FALSE(IsEventType(""));
}

TEST(BackoffTest, CeilingDoublesFromTheBaseUpToTheCap) {
  RetryPolicy p{.max_attempts = 10, .base = 30s, .cap = 10min};
  EXPECT_EQ(BackoffCeiling(p, 1), 30s);
  EXPECT_EQ(BackoffCeiling(p, 2), 60s);
  EXPECT_EQ(BackoffCeiling(p, 3), 120s);
  EXPECT_EQ(BackoffCeiling(p, 5), 480s);
  EXPECT_EQ(BackoffCeiling(p, 6), 600s);  // capped
  EXPECT_EQ(BackoffCeiling(p, 60), 600s);
}

TEST(BackoffTest, FullJitterSpreadsTheWaitOverZeroToTheCeiling) {
  RetryPolicy p{.max_attempts = 10, .base = 30s, .cap = 10min};
  EXPECT_EQ(BackoffDelay(p, 3, 0.0), 0ms);
  EXPECT_EQ(BackoffDelay(p, 3, 0.5), 60s);
  EXPECT_EQ(BackoffDelay(p, 3, 0.25), 30s);
  EXPECT_LE(BackoffDelay(p, 3, 0.999999), 120s);
  EXPECT_EQ(BackoffDelay(p, 3, 7.0), 120s);  // out of range is clamped
}

TEST(IpAddressTest, ParsesV4AndV6Literals) {
  auto v4 = ParseIpAddress("192.0.2.33");
  ASSERT_TRUE(v4);
  EXPECT_FALSE(v4->v6);
  EXPECT_EQ(v4->ToString(), "192.0.2.33");
  auto v6 = ParseIpAddress("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->v6);
  EXPECT_EQ(v6->ToString(), "2001:db8:0:0:0:0:0:1");
  auto mapped = ParseIpAddress("::ffff:10.0.0.1");
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->bytes[10], 0xff);
  EXPECT_EQ(mapped->bytes[15], 1);
  for (const char* bad : {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1:2:3",
                          "::1::", "12345::", "g::1", "", "1.2.3.4 "}) {
    EXPECT_FALSE(ParseIpAddress(bad)) << bad;
  }
}

TEST(IpAddressTest, PrivateLoopbackLinkLocalAndReservedRangesArePrivate) {
  for (const char* a : {"127.0.0.1",   "10.1.2.3",         "172.16.0.1",      "172.31.255.255",
                        "192.168.1.1", "169.254.169.254",  "100.64.0.1",      "0.0.0.0",
                        "224.0.0.1",   "255.255.255.255",  "198.18.0.1",      "::1",
                        "::",          "fe80::1",          "fc00::1",         "fd12:3456::1",
                        "ff02::1",     "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1",
                        "2001:db8::1"}) {
    auto ip = ParseIpAddress(a);
    ASSERT_TRUE(ip) << a;
    EXPECT_TRUE(IsPrivateAddress(*ip)) << a;
  }
  for (const char* a : {"93.184.216.34", "8.8.8.8", "172.32.0.1", "172.15.255.255", "192.169.0.1",
                        "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"}) {
    auto ip = ParseIpAddress(a);
    ASSERT_TRUE(ip) << a;
    EXPECT_FALSE(IsPrivateAddress(*ip)) << a;
  }
}

TEST(WebhookUrlTest, AcceptsHttpAndHttpsWithDefaultsAndExplicitPorts) {
  auto a = ParseWebhookUrl("https://Hooks.Example.com/tandem?x=1");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->scheme, "https");
  EXPECT_EQ(a->host, "hooks.example.com");
  EXPECT_EQ(a->port, 443);
  EXPECT_FALSE(a->host_is_ip);
  auto b = ParseWebhookUrl("http://127.0.0.1:8081");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->port, 8081);
  EXPECT_TRUE(b->host_is_ip);
  auto c = ParseWebhookUrl("http://[::1]:9000/hook");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 9000);
  EXPECT_TRUE(c->host_is_ip);
}

TEST(WebhookUrlTest, RefusesWhatIsNotAPlainHttpUrl) {
  for (const char* bad :
       {"", "example.com/hook", "ftp://example.com/", "file:///etc/passwd", "http://",
        "http://user:pw@example.com/", "http://example.com/#frag", "http://example.com:0/",
        "http://example.com:99999/", "http://example.com:/", "http://exa mple.com/", "http://[::1/",
        "http://[zz::1]/", "http://1.2.3.999/", "http://.example.com/", "gopher://example.com/",
        "http://ex\x01ample.com/"}) {
    auto r = ParseWebhookUrl(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(r.error().field, "url");
    }
  }
  EXPECT_FALSE(ParseWebhookUrl("http://example.com/" + std::string(2100, 'a')));
}

}  // namespace
}  // namespace tandem::core
