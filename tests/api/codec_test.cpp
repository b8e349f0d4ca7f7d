// The API's building blocks without a database: strict JSON, escaping, money, cursors, field
// validation, the rate limiter, credentials and the error table.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/authn.hpp"
#include "api/cursor.hpp"
#include "api/errors.hpp"
#include "api/json_io.hpp"
#include "api/rate_limiter.hpp"
#include "api/router.hpp"
#include "api/schema.hpp"

namespace tandem::api {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

TEST(ParseJsonTest, AcceptsOneStrictDocument) {
  auto v = ParseJson(R"({"a": [1, 2.5, "x", null, true]})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->at("a").as_array().size(), 5u);
}

TEST(ParseJsonTest, RefusesMalformedTextNamingTheProblemAndWhere) {
  for (const char* text : {"{\"a\":1,}", "{'a':1}", "{\"a\":1} x", "[1,2", "{\"a\":/*c*/1}", "nul",
                           "{\"a\":\"\\ud800\"}", "{\"a\":1e400}"}) {
    auto v = ParseJson(text);
    ASSERT_FALSE(v) << text;
    EXPECT_EQ(v.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(v.error().message.find("not valid JSON"), std::string::npos) << text;
    EXPECT_NE(v.error().message.find("at byte"), std::string::npos) << text;
  }
}

TEST(ParseJsonTest, RefusesDuplicateKeys) {
  auto v = ParseJson(R"({"email":"a@b.co","email":"c@d.co"})");
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("duplicate key \"email\""), std::string::npos)
      << v.error().message;
  EXPECT_TRUE(ParseJson(R"({"a":{"x":1},"b":{"x":2}})"));  // same key in two objects is fine
}

TEST(ParseJsonTest, RefusesInvalidUtf8AndDeepNesting) {
  EXPECT_FALSE(ParseJson("{\"a\":\"\xff\"}"));
  EXPECT_FALSE(ParseJson(std::string(100, '[') + std::string(100, ']')));
}

TEST(WriteJsonTest, WritesPlainRunsAndEscapesExactly) {
  std::string out;
  AppendJsonString(out, "");
  AppendJsonString(out, "plain text, 100% ASCII");
  AppendJsonString(out,
                   "a\"b\\c\x7f\x1f"
                   "d\xc3\xa9"
                   "e\xff"
                   "f\xe2\x80\xa9");
  EXPECT_EQ(out,
            "\"\"\"plain text, 100% ASCII\""
            "\"a\\\"b\\\\c\\u007f\\u001fd\xc3\xa9"
            "e\\ufffdf\\u2029\"");
}

TEST(WriteJsonTest, EscapesWhatCouldBreakOutOfAScriptOrAString) {
  json::value v = json::object{{"s", "</script><b>\"q\"\\ & \n\t\x01 \xe2\x80\xa8"}};
  const std::string out = WriteJson(v);
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('>'), std::string::npos);
  EXPECT_EQ(out.find('&'), std::string::npos);
  EXPECT_NE(out.find("\\u003c/script\\u003e"), std::string::npos);
  EXPECT_NE(out.find("\\u2028"), std::string::npos);
  EXPECT_NE(out.find("\\u0001"), std::string::npos);
  // And it reads back to the very same text.
  auto back = ParseJson(out);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->at("s"), v.at("s"));
}

TEST(WriteJsonTest, KeepsUtf8AndReplacesBrokenBytes) {
  EXPECT_EQ(WriteJson(json::value("Zoë 東京")), "\"Zoë 東京\"");
  EXPECT_EQ(WriteJson(json::value("a\xff"
                                  "b")),
            "\"a\\ufffdb\"");
  EXPECT_EQ(WriteJson(json::value("\xed\xa0\x80")), "\"\\ufffd\\ufffd\\ufffd\"");  // a surrogate
}

TEST(WriteJsonTest, WritesNumbersAsShortDecimals) {
  EXPECT_EQ(WriteJson(json::value(12500.5)), "12500.5");
  EXPECT_EQ(WriteJson(json::value(0.29)), "0.29");
  EXPECT_EQ(WriteJson(json::value(std::int64_t{-7})), "-7");
  EXPECT_EQ(WriteJson(json::array{nullptr, true, false}), "[null,true,false]");
}

TEST(MoneyTest, ConvertsDecimalsToMinorUnitsExactly) {
  auto minor = [](const char* text) { return ParseMoney(*ParseJson(text), "amount"); };
  EXPECT_EQ(*minor("12500.5"), 1250050);
  EXPECT_EQ(*minor("12500"), 1250000);
  EXPECT_EQ(*minor("0.29"), 29);  // 0.29 * 100 is 28.999999999999996 in binary
  EXPECT_EQ(*minor("0.1"), 10);
  EXPECT_EQ(*minor("1.10"), 110);
  EXPECT_EQ(*minor("0"), 0);
  EXPECT_EQ(*minor("999999999999.99"), 99999999999999);
  EXPECT_EQ(*minor("1e3"), 100000);
}

TEST(MoneyTest, RefusesMoreThanTwoDecimalsNegativeAndAbsurd) {
  for (const char* text : {"1.005", "-1", "-0.5", "1e13", "1000000000001", "1e-7",
                           "18446744073709551615", "\"12\"", "null", "true"}) {
    auto r = ParseMoney(*ParseJson(text), "amount");
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().field, "amount");
  }
}

TEST(MoneyTest, WritesMinorUnitsAsDecimalNumbers) {
  EXPECT_EQ(WriteJson(MoneyJson(1250050)), "12500.5");
  EXPECT_EQ(WriteJson(MoneyJson(1250000)), "12500");
  EXPECT_EQ(WriteJson(MoneyJson(29)), "0.29");
  EXPECT_EQ(WriteJson(MoneyJson(99999999999999)), "999999999999.99");
}

TEST(CursorTest, RoundTripsAndIsBoundToItsList) {
  core::Cursor c{"ada@example.com\nwith newline", 42};
  const std::string text = EncodeCursor("contacts:email", c);
  EXPECT_EQ(
      text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  auto back = DecodeCursor("contacts:email", text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, c);
  auto other = DecodeCursor("contacts:-email", text);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().field, "cursor");
}

TEST(CursorTest, RefusesAnythingItDidNotMake) {
  for (const char* text :
       {"", "!!!", "abc", "a", "Y29udGFjdHM", "bm90aGluZw", "Y29udGFjdHM6ZW1haWwKMAp4"}) {
    auto r = DecodeCursor("contacts:email", text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().field, "cursor");
  }
}

TEST(Base64UrlTest, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    std::string back;
    ASSERT_TRUE(Base64UrlDecode(Base64UrlEncode(bytes), back));
    EXPECT_EQ(back, bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
  std::string out;
  EXPECT_FALSE(Base64UrlDecode("QR", out));  // non-zero leftover bits
}

Schema TestSchema() {
  return {
      "Test",
      "",
      {TextField("name", "").Required(), IdField("owner_id", "").Nullable(),
       IntField("n", 0, 10, ""), BoolField("flag", ""), InstantField("at", ""),
       DateField("day", ""), EnumField("color", {"red", "blue"}, ""),
       EnumListField("tags", {"a", "b"}, ""), MoneyField("amount", ""), MapField("custom", "")}};
}

core::Error BodyError(const std::string& text) {
  auto r = Body::Parse(text, TestSchema());
  EXPECT_FALSE(r) << text;
  return r ? core::Error{} : r.error();
}

TEST(BodyTest, ReadsEveryKindOfField) {
  auto b = Body::Parse(R"({"name":"x","owner_id":null,"n":3,"flag":true,"at":"2026-11-26T09:30:00Z",
                          "day":"2026-02-28","color":"red","tags":["a","b"],"amount":12.5,
                          "custom":{"k":"v"}})",
                       TestSchema());
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->Text("name"), "x");
  EXPECT_TRUE(b->Has("owner_id"));
  EXPECT_TRUE(b->IsNull("owner_id"));
  EXPECT_FALSE(b->Id("owner_id"));
  EXPECT_EQ(b->Int("n"), 3);
  EXPECT_EQ(b->Bool("flag"), true);
  EXPECT_EQ(core::FormatInstant(*b->Time("at")), "2026-11-26T09:30:00.000Z");
  EXPECT_EQ(core::FormatDate(*b->Day("day")), "2026-02-28");
  EXPECT_EQ(b->Strings("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(b->Minor("amount"), 1250);
  EXPECT_EQ(b->Map("custom").at("k"), "v");
  EXPECT_FALSE(b->Has("color2"));
}

TEST(BodyTest, NamesTheFieldOfEveryMistake) {
  struct Case {
    const char* body;
    const char* field;
    const char* words;
  };
  const Case cases[] = {
      {R"({"name":"x","nmae":"y"})", "nmae", "unknown field"},
      {R"({"owner_id":1})", "name", "is required"},
      {R"({"name":5})", "name", "must be a string"},
      {R"({"name":null})", "name", "must not be null"},
      {R"({"name":"x","owner_id":"7"})", "owner_id", "positive integer"},
      {R"({"name":"x","owner_id":0})", "owner_id", "positive integer"},
      {R"({"name":"x","owner_id":1.5})", "owner_id", "positive integer"},
      {R"({"name":"x","n":11})", "n", "from 0 to 10"},
      {R"({"name":"x","flag":"true"})", "flag", "true or false"},
      {R"({"name":"x","at":"yesterday"})", "at", "ISO 8601"},
      {R"({"name":"x","day":"2026-02-30"})", "day", "YYYY-MM-DD"},
      {R"({"name":"x","color":"green"})", "color", "red, blue"},
      {R"({"name":"x","tags":["a","a"]})", "tags", "distinct"},
      {R"({"name":"x","tags":"a"})", "tags", "array"},
      {R"({"name":"x","amount":1.234})", "amount", "two decimals"},
      {R"({"name":"x","custom":{"k":1}})", "custom", "strings"},
  };
  for (const auto& c : cases) {
    auto e = BodyError(c.body);
    EXPECT_EQ(e.code, core::ErrorCode::kInvalidArgument) << c.body;
    EXPECT_EQ(e.field, c.field) << c.body;
    EXPECT_NE(e.message.find(c.words), std::string::npos) << c.body << ": " << e.message;
  }
  EXPECT_EQ(BodyError("").message, "a JSON object body is required");
  EXPECT_EQ(BodyError("[1]").message, "the body must be a JSON object");
  EXPECT_EQ(BodyError("{\"name\":").field, "");
}

TEST(QueryTest, ChecksParametersLikeFields) {
  std::vector<Field> fields = {IdField("owner_id", ""), IntField("limit", 1, 500, ""),
                               EnumField("stage", {"lead", "mql"}, ""), BoolField("active", "")};
  using P = std::vector<std::pair<std::string, std::string>>;
  auto q = Query::Parse(P{{"owner_id", "7"}, {"limit", ""}, {"active", "false"}}, fields);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->Id("owner_id"), 7);
  EXPECT_FALSE(q->Has("limit"));
  EXPECT_EQ(q->Bool("active"), false);
  EXPECT_EQ(Query::Parse(P{{"limit", "501"}}, fields).error().field, "limit");
  EXPECT_EQ(Query::Parse(P{{"limit", "0"}}, fields).error().field, "limit");
  EXPECT_EQ(Query::Parse(P{{"limit", "ten"}}, fields).error().field, "limit");
  EXPECT_EQ(Query::Parse(P{{"stage", "sql"}}, fields).error().field, "stage");
  EXPECT_EQ(Query::Parse(P{{"stag", "mql"}}, fields).error().field, "stag");
  EXPECT_EQ(Query::Parse(P{{"owner_id", "1"}, {"owner_id", "2"}}, fields).error().field,
            "owner_id");
}

TEST(RateLimiterTest, RefusesPastTheBurstAndRefillsWithTheClock) {
  base::FakeClock clock(core::FromMillis(0));
  RateLimiter limiter(clock, 10, 10);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(limiter.Take("1.2.3.4").allowed) << i;
  auto refused = limiter.Take("1.2.3.4");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 6s);            // one token every 6 s
  EXPECT_TRUE(limiter.Take("5.6.7.8").allowed);  // other clients are not affected
  clock.Advance(5999ms);
  EXPECT_FALSE(limiter.Take("1.2.3.4").allowed);
  clock.Advance(1ms);
  EXPECT_TRUE(limiter.Take("1.2.3.4").allowed);
  EXPECT_FALSE(limiter.Take("1.2.3.4").allowed);
  clock.Advance(10min);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(limiter.Take("1.2.3.4").allowed) << i;
}

TEST(RateLimiterTest, ForgetsFullBucketsPastItsSize) {
  base::FakeClock clock(core::FromMillis(0));
  RateLimiter limiter(clock, 60, 2, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("ip" + std::to_string(i)).allowed);
  EXPECT_TRUE(limiter.Take("a").allowed);
  EXPECT_TRUE(limiter.Take("a").allowed);
  EXPECT_FALSE(limiter.Take("a").allowed);
  clock.Advance(1min);
  for (int i = 3; i < 10; ++i) EXPECT_TRUE(limiter.Take("ip" + std::to_string(i)).allowed);
}

TEST(RateLimiterTest, NeverHoldsMoreThanTwiceItsSizeAndSweepsOncePerRefill) {
  base::FakeClock clock(core::FromMillis(0));
  RateLimiter limiter(clock, 60, 2, 4);  // a bucket refills in 2 s
  // A flood of new keys within one refill period: the table stops at twice its size.
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(limiter.Take("flood" + std::to_string(i)).allowed);
    EXPECT_LE(limiter.Size(), 8u) << i;
  }
  EXPECT_EQ(limiter.Size(), 8u);
  // A client that used its burst keeps being refused while the flood goes on around it, as
  // long as the flood does not evict it (here it is the last key in and the flood is over).
  EXPECT_TRUE(limiter.Take("client").allowed);
  EXPECT_TRUE(limiter.Take("client").allowed);
  EXPECT_FALSE(limiter.Take("client").allowed);
  // Within the same refill period no sweep runs again, so full buckets stay...
  clock.Advance(1999ms);
  EXPECT_TRUE(limiter.Take("late").allowed);
  EXPECT_EQ(limiter.Size(), 8u);
  // ...and once it has passed, one sweep drops every bucket that refilled.
  clock.Advance(5s);
  EXPECT_TRUE(limiter.Take("after").allowed);
  EXPECT_EQ(limiter.Size(), 1u);
}

TEST(CredentialTest, ReadsBearerHeaderOrSessionCookie) {
  auto bearer = ReadCredential(*MakeRequest("GET", "/", "", {{"Authorization", "bearer  tok"}}));
  ASSERT_TRUE(bearer && *bearer);
  EXPECT_EQ((*bearer)->token, "tok");
  EXPECT_FALSE((*bearer)->cookie);
  auto cookie =
      ReadCredential(*MakeRequest("GET", "/", "", {{"Cookie", "a=b; tandem_session=xyz; c=d"}}));
  ASSERT_TRUE(cookie && *cookie);
  EXPECT_EQ((*cookie)->token, "xyz");
  EXPECT_TRUE((*cookie)->cookie);
  auto none = ReadCredential(*MakeRequest("GET", "/", "", {{"Cookie", "tandem_sessionx=1"}}));
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto basic = ReadCredential(*MakeRequest("GET", "/", "", {{"Authorization", "Basic YTpi"}}));
  ASSERT_FALSE(basic);
  EXPECT_EQ(basic.error().code, core::ErrorCode::kUnauthenticated);
}

TEST(CredentialTest, SessionCookieIsHttpOnlyStrictAndSecureOnRequest) {
  EXPECT_EQ(SessionCookie("t", 3600, false),
            "tandem_session=t; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600");
  EXPECT_EQ(SessionCookie("t", 60, true),
            "tandem_session=t; HttpOnly; SameSite=Strict; Path=/; Secure; Max-Age=60");
  EXPECT_EQ(ExpiredSessionCookie(false),
            "tandem_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
  EXPECT_TRUE(SafeEquals("abc", "abc"));
  EXPECT_FALSE(SafeEquals("abc", "abd"));
  EXPECT_FALSE(SafeEquals("abc", "abcd"));
}

TEST(ErrorTableTest, MapsEveryCodeToItsStatus) {
  using core::ErrorCode;
  EXPECT_EQ(HttpStatus(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatus(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatus(ErrorCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatus(ErrorCode::kFailedPrecondition), 422);
  EXPECT_EQ(HttpStatus(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatus(ErrorCode::kInternal), 500);
  auto r = ErrorFrom(core::Error::Unauthenticated("no"));
  EXPECT_EQ(r.status, 401);
  ASSERT_TRUE(r.Header("www-authenticate"));
  EXPECT_EQ(r.body, R"({"error":{"code":"unauthenticated","message":"no","field":""}})");
}

TEST(MakeRequestTest, DecodesPathAndQuery) {
  auto r = MakeRequest("GET", "/api/v1/contacts?q=ada+love%20lace&owner=none&flag", "",
                       {{"X-Thing", "V"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->path, "/api/v1/contacts");
  ASSERT_EQ(r->query.size(), 3u);
  EXPECT_EQ(r->query[0], (std::pair<std::string, std::string>{"q", "ada love lace"}));
  EXPECT_EQ(r->query[2].second, "");
  ASSERT_TRUE(r->Header("x-thing"));
  EXPECT_FALSE(MakeRequest("GET", "http://evil.example/x"));
  EXPECT_FALSE(MakeRequest("GET", "/a b"));
}

TEST(MakeRequestTest, SkipsEmptyQuerySegments) {
  auto r = MakeRequest("GET", "/api/v1/contacts?&limit=50&&stage=lead&", "", {});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->query.size(), 2u);
  EXPECT_EQ(r->query[0].first, "limit");
  EXPECT_EQ(r->query[1].first, "stage");
  auto named_empty = MakeRequest("GET", "/x?=1", "", {});
  ASSERT_TRUE(named_empty);
  EXPECT_EQ(named_empty->query.size(), 1u);  // "=1" has a value: still refused by the route
}

Route MakeRoute(std::string method, std::string pattern) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  return r;
}

TEST(RouteTableTest, MatchesPatternsAndReportsAllowedMethods) {
  RouteTable t;
  t.Add(MakeRoute("GET", "/a/{id}"));
  t.Add(MakeRoute("DELETE", "/a/{id}"));
  t.Add(MakeRoute("POST", "/a/{id}/stage"));
  auto m = t.Find("GET", "/a/12");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params, std::vector<std::string>{"12"});
  auto wrong = t.Find("PUT", "/a/12");
  EXPECT_FALSE(wrong.route);
  EXPECT_EQ(wrong.allowed, (std::vector<std::string>{"GET", "DELETE"}));
  EXPECT_FALSE(t.Find("GET", "/a/").route);
  EXPECT_TRUE(t.Find("GET", "/a/").allowed.empty());
  EXPECT_TRUE(t.Find("GET", "/a/1/2").allowed.empty());
  EXPECT_EQ(PlaceholderNames("/a/{id}/b/{other}"), (std::vector<std::string>{"id", "other"}));
}

}  // namespace
}  // namespace tandem::api
