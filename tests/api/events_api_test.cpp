#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

class EventsApiTest : public ApiTest {
 protected:
  static json::object Ev(const std::string& id, const std::string& email,
                         const std::string& at = "2026-09-21T13:00:00Z") {
    return json::object{
        {"event_id", id}, {"type", "page_view"}, {"occurred_at", at}, {"email", email}};
  }
  static std::string Batch(const json::array& events) {
    return WriteJson(json::object{{"events", events}});
  }
  Reply Post(const std::string& body, const std::string* token = nullptr) {
    return As(token ? *token : marketer_, "POST", "/api/v1/events", body);
  }
  std::string IngestKey() {
    auto r = As(admin_, "POST", "/api/v1/api-keys", R"({"name":"site","scopes":["ingest"]})");
    EXPECT_EQ(r.status(), 201) << r;
    return r.Str("secret");
  }
};

// kT0 is 2026-09-21T13:46:40Z.

TEST_F(EventsApiTest, ABatchIsAnsweredWithCountsAndOneReasonPerRejectedEvent) {
  const auto contact = NewContact("ann@example.com");
  json::array events;
  events.push_back(Ev("e1", "ann@example.com"));
  events.push_back(Ev("e2", "ann@example.com", "2030-01-01T00:00:00Z"));  // far future
  events.push_back(Ev("e1", "ann@example.com"));                          // replay
  events.push_back(Ev("e4", "ann@example.com", "1969-12-31T23:59:59Z"));  // before 1970
  auto unknown = Ev("e5", "ann@example.com");
  unknown["user_id"] = "42";  // an identity shape Tandem does not know
  events.push_back(unknown);
  events.push_back(json::value("not an object"));
  auto no_identity = Ev("e7", "");
  no_identity.erase("email");
  events.push_back(no_identity);
  auto bad_type = Ev("e8", "ann@example.com");
  bad_type["type"] = "Page View";
  events.push_back(bad_type);
  auto bad_props = Ev("e9", "ann@example.com");
  bad_props["properties"] = json::array{1, 2};
  events.push_back(bad_props);
  auto with_props = Ev("e10", "ann@example.com");
  with_props["properties"] = json::object{{"url", "/pricing"}, {"depth", 3}};
  with_props["utm_source"] = "google";
  events.push_back(with_props);

  auto r = Post(Batch(events));
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Int("accepted"), 2);
  EXPECT_EQ(r.Int("duplicate"), 1);
  EXPECT_EQ(r.Int("rejected"), 7);
  const auto& rej = r.body.at("rejections").as_array();
  ASSERT_EQ(rej.size(), 7u);
  const std::pair<int, const char*> want[] = {
      {1, "occurred_at"},  {3, "occurred_at"}, {4, "user_id"},   {5, ""},
      {6, "anonymous_id"}, {7, "type"},        {8, "properties"}};
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(rej[i].at("index").as_int64(), want[i].first) << i;
    EXPECT_EQ(S(rej[i].at("field")), want[i].second) << i;
    EXPECT_FALSE(S(rej[i].at("message")).empty());
  }

  auto list = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(contact) + "/events");
  ASSERT_EQ(list.status(), 200) << list;
  ASSERT_EQ(list.items().size(), 2u);
  const auto& e10 = list.items()[0].as_object();  // same instant as e1, stored later
  EXPECT_EQ(S(e10.at("event_id")), "e10");
  EXPECT_EQ(e10.at("properties").at("depth").as_int64(), 3);
  EXPECT_EQ(S(e10.at("utm_source")), "google");
  EXPECT_EQ(e10.at("contact_id").as_int64(), contact);
}

TEST_F(EventsApiTest, InvalidUtf8RejectsOnlyItsEvent) {
  std::string body = Batch(json::array{Ev("ok", "ann@example.com"), Ev("bad", "ann@example.com")});
  // Put an ill-formed byte sequence inside the second event's campaign.
  const std::string marker = R"("event_id":"bad")";
  body.insert(body.find(marker) + marker.size(), ",\"utm_campaign\":\"spring\xc3\x28\"");
  auto r = Post(body);
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Int("accepted"), 1);
  ASSERT_EQ(r.Int("rejected"), 1);
  EXPECT_EQ(S(r.body.at("rejections").at(0).at("field")), "utm_campaign");

  std::string props = WriteJson(Ev("p", "ann@example.com"));
  props.insert(props.size() - 1, ",\"properties\":{\"k\":\"\xff\"}");
  auto single = Post(props);
  EXPECT_EQ(single.status(), 400) << single;
  EXPECT_EQ(single.ErrorField(), "properties");
}

TEST_F(EventsApiTest, OneEventAloneIsAcceptedOrAnswered400) {
  auto ok = Post(WriteJson(Ev("solo", "solo@example.com")));
  ASSERT_EQ(ok.status(), 200) << ok;
  EXPECT_EQ(ok.Int("accepted"), 1);
  auto again = Post(WriteJson(Ev("solo", "solo@example.com")));
  ASSERT_EQ(again.status(), 200) << again;
  EXPECT_EQ(again.Int("duplicate"), 1);
  auto bad = Post(WriteJson(Ev("late", "solo@example.com", "2030-01-01T00:00:00Z")));
  EXPECT_EQ(bad.status(), 400) << bad;
  EXPECT_EQ(bad.ErrorField(), "occurred_at");
  auto missing_time = Ev("t", "solo@example.com");
  missing_time.erase("occurred_at");
  auto no_time = Post(WriteJson(missing_time));
  EXPECT_EQ(no_time.status(), 400);
  EXPECT_EQ(no_time.ErrorField(), "occurred_at");
}

TEST_F(EventsApiTest, MalformedAndOversizedBatchesAreRefusedWhole) {
  EXPECT_EQ(Post("{\"events\":[").status(), 400);
  EXPECT_EQ(Post("[]").status(), 400);
  EXPECT_EQ(Post(R"({"events":{}})").ErrorField(), "events");
  EXPECT_EQ(Post(R"({"events":[]})").ErrorField(), "events");
  EXPECT_EQ(Post(R"({"events":[],"extra":1})").status(), 400);
  json::array many;
  for (int i = 0; i < 1001; ++i) many.push_back(Ev("m" + std::to_string(i), "m@example.com"));
  auto too_many = Post(Batch(many));
  EXPECT_EQ(too_many.status(), 400) << too_many;
  EXPECT_EQ(too_many.ErrorField(), "events");
  auto huge = Post(std::string(9u << 20, ' ') + "{}");
  EXPECT_EQ(huge.status(), 413) << huge.raw.body.substr(0, 200);
  // Nothing of the refused batches was stored.
  auto list = As(manager_, "GET", "/api/v1/contacts?limit=10");
  EXPECT_EQ(list.items().size(), 0u);
}

TEST_F(EventsApiTest, IngestKeysMayOnlySendEvents) {
  const std::string key = IngestKey();
  auto r = Post(WriteJson(Ev("k1", "lead@example.com")), &key);
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(As(key, "GET", "/api/v1/contacts").status(), 403);
  auto read = As(admin_, "POST", "/api/v1/api-keys", R"({"name":"r","scopes":["read"]})");
  ASSERT_EQ(read.status(), 201);
  const std::string read_key = read.Str("secret");
  EXPECT_EQ(Post(WriteJson(Ev("k2", "lead@example.com")), &read_key).status(), 403);
  EXPECT_EQ(Send("POST", "/api/v1/events", WriteJson(Ev("k3", "x@example.com")),
                 {{"Content-Type", "application/json"}})
                .status(),
            401);
}

TEST_F(EventsApiTest, IdentifyJoinsAVisitorsHistoryAndMergeKeepsEverything) {
  json::array anon;
  for (int i = 0; i < 3; ++i) {
    anon.push_back(json::object{{"event_id", "a" + std::to_string(i)},
                                {"type", "page_view"},
                                {"occurred_at", "2026-09-21T12:0" + std::to_string(i) + ":00Z"},
                                {"anonymous_id", "visitor-9"}});
  }
  ASSERT_EQ(Post(Batch(anon)).Int("accepted"), 3);
  auto id = As(marketer_, "POST", "/api/v1/identify",
               R"({"anonymous_id":"visitor-9","email":"Zoe@Example.com"})");
  ASSERT_EQ(id.status(), 200) << id;
  auto contacts = As(manager_, "GET", "/api/v1/contacts?limit=10");
  ASSERT_EQ(contacts.items().size(), 1u);
  const auto zoe = contacts.items()[0].at("id").as_int64();
  EXPECT_EQ(S(contacts.items()[0].at("stage")), "lead");
  auto events = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(zoe) + "/events");
  EXPECT_EQ(events.items().size(), 4u);  // three page views and the identify
  auto timeline = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(zoe) + "/timeline");
  ASSERT_EQ(timeline.status(), 200);
  int shown = 0;
  for (const auto& item : timeline.items()) shown += S(item.at("kind")) == "event" ? 1 : 0;
  EXPECT_EQ(shown, 4);
  EXPECT_EQ(As(marketer_, "POST", "/api/v1/identify", R"({"anonymous_id":"x y","email":"z@e.io"})")
                .ErrorField(),
            "anonymous_id");

  const auto other = NewContact("zoe.work@example.com", json::object{{"title", "CEO"}});
  auto merged = As(manager_, "POST", "/api/v1/contacts/" + std::to_string(zoe) + "/merge",
                   WriteJson(json::object{{"other_id", other}}));
  ASSERT_EQ(merged.status(), 200) << merged;
  EXPECT_EQ(merged.Str("title"), "CEO");
  EXPECT_EQ(As(manager_, "GET", "/api/v1/contacts/" + std::to_string(other)).status(), 404);
  auto self = As(manager_, "POST", "/api/v1/contacts/" + std::to_string(zoe) + "/merge",
                 WriteJson(json::object{{"other_id", zoe}}));
  EXPECT_EQ(self.status(), 400);
  EXPECT_EQ(self.ErrorField(), "other_id");
  // An event for the merged email reaches Zoe.
  ASSERT_EQ(Post(WriteJson(Ev("w1", "zoe.work@example.com"))).Int("accepted"), 1);
  EXPECT_EQ(As(manager_, "GET", "/api/v1/contacts?limit=10").items().size(), 1u);
}

}  // namespace
}  // namespace tandem::api::apitest
