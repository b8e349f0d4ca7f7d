#include "core/event.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

const Instant kNow = FromMillis(1'790'000'000'000);

Event Valid() {
  Event e;
  e.event_id = "0b7c6a3e-5e0f-4f4e-8c1e-5b2d8f8a1c11";
  e.type = "page_view";
  e.occurred_at = kNow - std::chrono::minutes(3);
  e.email = "  Ada@Example.COM ";
  e.utm_source = " Google ";
  e.properties = R"({"url":"/pricing"})";
  return e;
}

void ExpectInvalid(Event e, const std::string& field, const std::string& part = "") {
  auto r = NormalizeEvent(e, kNow);
  ASSERT_FALSE(r) << "expected " << field << " to be refused";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, field) << r.error().message;
  if (!part.empty()) {
    EXPECT_NE(r.error().message.find(part), std::string::npos) << r.error().message;
  }
}

TEST(EventTypeTest, BuiltInNamesRoundTripAndCustomNamesFollowThePattern) {
  for (auto t :
       {EventType::kPageView, EventType::kEmailOpen, EventType::kEmailClick, EventType::kFormSubmit,
        EventType::kContentDownload, EventType::kWebinar, EventType::kDemoRequest}) {
    EXPECT_EQ(EventTypeFromString(ToString(t)), t);
  }
  EXPECT_EQ(EventTypeFromString("trial.started"), EventType::kCustom);
  EXPECT_EQ(EventTypeFromString("unsubscribe"), EventType::kCustom);
  EXPECT_EQ(EventTypeFromString("a:b-c_d.9"), EventType::kCustom);
  EXPECT_FALSE(EventTypeFromString(""));
  EXPECT_FALSE(EventTypeFromString("Page_View"));
  EXPECT_FALSE(EventTypeFromString("9lives"));
  EXPECT_FALSE(EventTypeFromString("has space"));
  EXPECT_FALSE(EventTypeFromString(std::string(65, 'a')));
  EXPECT_TRUE(EventTypeFromString(std::string(64, 'a')));
}

TEST(NormalizeEventTest, NormalisesAValidEvent) {
  Event e = Valid();
  ASSERT_TRUE(NormalizeEvent(e, kNow));
  EXPECT_EQ(e.email, "ada@example.com");
  EXPECT_EQ(e.utm_source, "Google");
  EXPECT_EQ(ContactSourceFromEvent(e), "google");
  e.utm_source.clear();
  EXPECT_EQ(ContactSourceFromEvent(e), "event");
  Event empty_props = Valid();
  empty_props.properties.clear();
  ASSERT_TRUE(NormalizeEvent(empty_props, kNow));
  EXPECT_EQ(empty_props.properties, "{}");
}

TEST(NormalizeEventTest, RefusesEventsInTheFarFutureOrBefore1970) {
  Event e = Valid();
  e.occurred_at = kNow + kMaxEventSkew;
  EXPECT_TRUE(NormalizeEvent(e, kNow));  // the skew itself is allowed
  e = Valid();
  e.occurred_at = kNow + kMaxEventSkew + std::chrono::milliseconds(1);
  ExpectInvalid(e, "occurred_at", "future");
  e.occurred_at = kNow + std::chrono::hours(24 * 365 * 30);
  ExpectInvalid(e, "occurred_at", "future");
  e.occurred_at = FromMillis(-1);
  ExpectInvalid(e, "occurred_at", "1970");
  e.occurred_at = FromMillis(0);
  EXPECT_TRUE(NormalizeEvent(e, kNow));
}

TEST(NormalizeEventTest, RefusesUnknownIdentityShapes) {
  Event e = Valid();
  e.email.clear();
  ExpectInvalid(e, "anonymous_id", "email or an anonymous_id");
  e.email = "not-an-email";
  ExpectInvalid(e, "email");
  e.email = "a@b";
  ExpectInvalid(e, "email");
  e.email.clear();
  e.anonymous_id = "has space";
  ExpectInvalid(e, "anonymous_id");
  e.anonymous_id = "quote\"d";
  ExpectInvalid(e, "anonymous_id");
  e.anonymous_id = std::string(129, 'a');
  ExpectInvalid(e, "anonymous_id");
  e.anonymous_id = "v1.abc-DEF_9:x";
  EXPECT_TRUE(NormalizeEvent(e, kNow));
}

TEST(NormalizeEventTest, RefusesBadEventIdsAndTypes) {
  Event e = Valid();
  e.event_id.clear();
  ExpectInvalid(e, "event_id", "required");
  e.event_id = std::string(129, 'x');
  ExpectInvalid(e, "event_id");
  e.event_id = "with space";
  ExpectInvalid(e, "event_id");
  e.event_id = "caf\xc3\xa9";
  ExpectInvalid(e, "event_id");
  e = Valid();
  e.type = "";
  ExpectInvalid(e, "type", "required");
  e.type = "Bad Type";
  ExpectInvalid(e, "type");
}

TEST(NormalizeEventTest, RefusesInvalidUtf8AndOversizedProperties) {
  Event e = Valid();
  e.utm_campaign = "spring\xc3\x28";
  ExpectInvalid(e, "utm_campaign", "UTF-8");
  e = Valid();
  e.utm_medium = "\xc0\x80";  // an overlong NUL
  ExpectInvalid(e, "utm_medium");
  e = Valid();
  e.utm_source = std::string(kMaxUtmBytes + 1, 's');
  ExpectInvalid(e, "utm_source", "longer");
  e = Valid();
  e.properties = "{\"k\":\"\xed\xa0\x80\"}";  // a UTF-16 surrogate
  ExpectInvalid(e, "properties", "UTF-8");
  e = Valid();
  e.properties = "{\"k\":\"" + std::string(kMaxEventPropertiesBytes, 'x') + "\"}";
  ExpectInvalid(e, "properties", "larger");
  e = Valid();
  e.properties = "[1,2]";
  ExpectInvalid(e, "properties", "object");
}

}  // namespace
}  // namespace tandem::core
