// /api/v1/contacts through Api::Handle over a real in-memory SQLite store.
#include <set>

#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

// Checks the one error shape: {"error":{"code","message","field"}} and nothing else.
void ExpectError(const Reply& r, int status, const std::string& code, const std::string& field) {
  EXPECT_EQ(r.status(), status) << r;
  ASSERT_TRUE(r.body.is_object()) << r;
  ASSERT_EQ(r.obj().size(), 1u) << r;
  const auto& e = r.body.at("error").as_object();
  EXPECT_EQ(e.size(), 3u) << r;
  EXPECT_EQ(r.ErrorCode(), code) << r;
  EXPECT_EQ(r.ErrorField(), field) << r;
  EXPECT_FALSE(r.ErrorMessage().empty());
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
}

class ContactsApiTest : public ApiTest {
 protected:
  // The server still answers normally after whatever came before.
  void ExpectStillServing() {
    auto r = As(manager_, "GET", "/api/v1/contacts?limit=1");
    EXPECT_EQ(r.status(), 200) << r;
  }
};

TEST_F(ContactsApiTest, CreateReadUpdateDelete) {
  auto created = As(manager_, "POST", "/api/v1/contacts",
                    R"({"email":"  Ada@Example.COM ","first_name":"Ada","last_name":"Lovelace",
                        "title":"CTO","source":"event","campaign":"expo-2026","country":"gb",
                        "owner_id":)" +
                        std::to_string(rep1_id_) + R"(,"custom":{"persona":"tech"}})");
  ASSERT_EQ(created.status(), 201) << created;
  const auto id = created.Int("id");
  EXPECT_EQ(created.Header("Location"), "/api/v1/contacts/" + std::to_string(id));
  EXPECT_EQ(created.Str("email"), "ada@example.com");
  EXPECT_EQ(created.Str("stage"), "lead");
  EXPECT_EQ(created.Str("country"), "GB");
  EXPECT_EQ(created.Int("owner_id"), rep1_id_);
  EXPECT_TRUE(created.body.at("company_id").is_null());
  EXPECT_EQ(created.Str("created_at"), core::FormatInstant(kT0));
  EXPECT_EQ(created.body.at("custom").at("persona").as_string(), "tech");

  const std::string path = "/api/v1/contacts/" + std::to_string(id);
  auto got = As(rep2_, "GET", path);
  ASSERT_EQ(got.status(), 200) << got;
  EXPECT_EQ(got.body, created.body);

  clock_.Advance(1min);
  auto patched = As(manager_, "PATCH", path,
                    R"({"title":"CEO","owner_id":null,"custom":{"persona":"","tier":"1"}})");
  ASSERT_EQ(patched.status(), 200) << patched;
  EXPECT_EQ(patched.Str("title"), "CEO");
  EXPECT_TRUE(patched.body.at("owner_id").is_null());
  EXPECT_EQ(patched.Str("first_name"), "Ada");  // untouched
  EXPECT_EQ(patched.body.at("custom"), (json::object{{"tier", "1"}}));
  EXPECT_EQ(patched.Str("updated_at"), core::FormatInstant(kT0 + 1min));

  auto deleted = As(manager_, "DELETE", path);
  EXPECT_EQ(deleted.status(), 204) << deleted;
  EXPECT_TRUE(deleted.raw.body.empty());
  auto gone = As(manager_, "GET", path);
  ExpectError(gone, 404, "not_found", "");
  ExpectError(As(manager_, "DELETE", path), 404, "not_found", "");
}

TEST_F(ContactsApiTest, StageCountsListEveryStageInLifecycleOrder) {
  const auto stages = [](const Reply& r) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& s : r.body.at("stages").as_array()) {
      out.emplace_back(std::string(s.at("stage").as_string()), s.at("count").as_int64());
    }
    return out;
  };
  auto none = As(rep1_, "GET", "/api/v1/contacts/stage-counts");
  ASSERT_EQ(none.status(), 200) << none;
  EXPECT_EQ(none.Int("total"), 0);
  ASSERT_EQ(stages(none).size(), core::kAllStages.size());
  EXPECT_EQ(stages(none).front(), (std::pair<std::string, std::int64_t>{"visitor", 0}));

  for (const char* email : {"a@example.com", "b@example.com"}) {
    auto r = As(manager_, "POST", "/api/v1/contacts", std::string(R"({"email":")") + email + "\"}");
    ASSERT_EQ(r.status(), 201) << r;
  }
  auto mql = As(manager_, "POST", "/api/v1/contacts", R"({"email":"c@example.com"})");
  ASSERT_EQ(mql.status(), 201) << mql;
  auto moved = As(manager_, "POST", "/api/v1/contacts/" + std::to_string(mql.Int("id")) + "/stage",
                  R"({"stage":"mql"})");
  ASSERT_EQ(moved.status(), 200) << moved;

  auto counts = As(rep1_, "GET", "/api/v1/contacts/stage-counts");
  ASSERT_EQ(counts.status(), 200) << counts;
  EXPECT_EQ(counts.Int("total"), 3);
  const auto got = stages(counts);
  ASSERT_EQ(got.size(), core::kAllStages.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].first, core::ToString(core::kAllStages[i]));
    const std::int64_t want = got[i].first == "lead" ? 2 : got[i].first == "mql" ? 1 : 0;
    EXPECT_EQ(got[i].second, want) << got[i].first;
  }
  EXPECT_EQ(Send("GET", "/api/v1/contacts/stage-counts").status(), 401);
  // The literal route does not hide the {id} routes.
  EXPECT_EQ(As(manager_, "GET", "/api/v1/contacts/" + std::to_string(mql.Int("id"))).status(), 200);
}

TEST_F(ContactsApiTest, MalformedJsonIsA400NamingTheProblem) {
  auto r = As(manager_, "POST", "/api/v1/contacts", R"({"email": "a@b.co",})");
  ExpectError(r, 400, "invalid_argument", "");
  EXPECT_NE(r.ErrorMessage().find("not valid JSON"), std::string::npos) << r;
  EXPECT_NE(r.ErrorMessage().find("byte"), std::string::npos) << r;
  ExpectError(As(manager_, "POST", "/api/v1/contacts", "[1,2]"), 400, "invalid_argument", "");
  ExpectError(As(manager_, "POST", "/api/v1/contacts", R"({"email":"a@b.co","email":"c@d.co"})"),
              400, "invalid_argument", "");
  ExpectStillServing();
}

TEST_F(ContactsApiTest, WrongTypesUnknownAndMissingFieldsNameTheField) {
  ExpectError(As(manager_, "POST", "/api/v1/contacts", R"({"email":42})"), 400, "invalid_argument",
              "email");
  ExpectError(As(manager_, "POST", "/api/v1/contacts", R"({"email":"a@b.co","owner_id":"7"})"), 400,
              "invalid_argument", "owner_id");
  ExpectError(As(manager_, "POST", "/api/v1/contacts", R"({"email":"a@b.co","custom":[]})"), 400,
              "invalid_argument", "custom");
  auto unknown = As(manager_, "POST", "/api/v1/contacts", R"({"email":"a@b.co","emali":"x"})");
  ExpectError(unknown, 400, "invalid_argument", "emali");
  EXPECT_NE(unknown.ErrorMessage().find("unknown field"), std::string::npos);
  ExpectError(As(manager_, "POST", "/api/v1/contacts", R"({"first_name":"Ada"})"), 400,
              "invalid_argument", "email");
  ExpectError(As(manager_, "POST", "/api/v1/contacts", R"({"email":"a@b.co","stage":"recycled"})"),
              400, "invalid_argument", "stage");
  // Read-only fields are not accepted either.
  ExpectError(As(manager_, "POST", "/api/v1/contacts", R"({"email":"a@b.co","id":5})"), 400,
              "invalid_argument", "id");
  const auto id = NewContact("ok@acme.example");
  ExpectError(As(manager_, "PATCH", "/api/v1/contacts/" + std::to_string(id), R"({"stage":"mql"})"),
              400, "invalid_argument", "stage");
  ExpectError(As(manager_, "PATCH", "/api/v1/contacts/" + std::to_string(id), R"({"email":null})"),
              400, "invalid_argument", "email");
  ExpectStillServing();
}

TEST_F(ContactsApiTest, InvalidEmailIsA400OnEmail) {
  for (const char* email : {"not-an-email", "a@b", "@b.co", ""}) {
    auto r = As(manager_, "POST", "/api/v1/contacts", WriteJson(json::object{{"email", email}}));
    ExpectError(r, 400, "invalid_argument", "email");
  }
  ExpectStillServing();
}

TEST_F(ContactsApiTest, DuplicateEmailIsA409) {
  NewContact("dup@acme.example");
  auto r = As(manager_, "POST", "/api/v1/contacts", R"({"email":" DUP@acme.example"})");
  ExpectError(r, 409, "already_exists", "email");
  const auto other = NewContact("other@acme.example");
  ExpectError(As(manager_, "PATCH", "/api/v1/contacts/" + std::to_string(other),
                 R"({"email":"dup@acme.example"})"),
              409, "already_exists", "email");
  ExpectStillServing();
}

TEST_F(ContactsApiTest, WrongContentTypeIsA415) {
  auto r = Send("POST", "/api/v1/contacts", R"({"email":"a@b.co"})",
                {{"Authorization", "Bearer " + manager_}, {"Content-Type", "text/plain"}});
  ExpectError(r, 415, "unsupported_media_type", "");
  auto form = Send("POST", "/api/v1/contacts", "email=a@b.co",
                   {{"Authorization", "Bearer " + manager_},
                    {"Content-Type", "application/x-www-form-urlencoded"}});
  ExpectError(form, 415, "unsupported_media_type", "");
  auto none = Send("POST", "/api/v1/contacts", R"({"email":"a@b.co"})",
                   {{"Authorization", "Bearer " + manager_}});
  ExpectError(none, 415, "unsupported_media_type", "");
  auto charset = Send("POST", "/api/v1/contacts", R"({"email":"a@b.co"})",
                      {{"Authorization", "Bearer " + manager_},
                       {"Content-Type", "application/json; charset=UTF-8"}});
  EXPECT_EQ(charset.status(), 201) << charset;
  ExpectStillServing();
}

TEST_F(ContactsApiTest, UnknownIdsAre404AndBadIdsAre400) {
  ExpectError(As(manager_, "GET", "/api/v1/contacts/999999"), 404, "not_found", "");
  ExpectError(As(manager_, "PATCH", "/api/v1/contacts/999999", R"({"title":"x"})"), 404,
              "not_found", "");
  ExpectError(As(manager_, "POST", "/api/v1/contacts/999999/stage", R"({"stage":"mql"})"), 404,
              "not_found", "");
  ExpectError(As(manager_, "GET", "/api/v1/contacts/999999/timeline"), 404, "not_found", "");
  ExpectError(As(manager_, "GET", "/api/v1/contacts/abc"), 400, "invalid_argument", "id");
  ExpectError(As(manager_, "GET", "/api/v1/contacts/-1"), 400, "invalid_argument", "id");
  ExpectError(As(manager_, "GET", "/api/v1/contacts/99999999999999999999"), 400, "invalid_argument",
              "id");
  ExpectError(As(manager_, "POST", "/api/v1/contacts", R"({"email":"a@b.co","company_id":424242})"),
              400, "invalid_argument", "company_id");
  ExpectStillServing();
}

TEST_F(ContactsApiTest, UnknownRoutesAre404AndWrongMethods405WithAllow) {
  ExpectError(As(manager_, "GET", "/api/v1/contactz"), 404, "not_found", "");
  ExpectError(Send("GET", "/nowhere"), 404, "not_found", "");
  auto r = As(manager_, "PUT", "/api/v1/contacts/1", R"({})");
  ExpectError(r, 405, "method_not_allowed", "");
  EXPECT_EQ(r.Header("Allow"), "GET, PATCH, DELETE");
  EXPECT_EQ(As(manager_, "DELETE", "/api/v1/contacts").Header("Allow"), "POST, GET");
  ExpectStillServing();
}

TEST_F(ContactsApiTest, SqlAndScriptLikeTextIsStoredVerbatimAndEscapedOnOutput) {
  const std::string sql = "Robert'); DROP TABLE contacts;--";
  const std::string script = "<script>alert(\"x\")</script> & <img src=x onerror=alert(1)>";
  const std::string unicode = "Zoë \xe6\x9d\xb1\xe4\xba\xac \xe2\x80\xa8 end";
  auto r = As(manager_, "POST", "/api/v1/contacts",
              WriteJson(json::object{{"email", "bobby@tables.example"},
                                     {"first_name", sql},
                                     {"last_name", script},
                                     {"title", unicode},
                                     {"custom", json::object{{"<k>", script}}}}));
  ASSERT_EQ(r.status(), 201) << r;
  auto got = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(r.Int("id")));
  ASSERT_EQ(got.status(), 200);
  EXPECT_EQ(got.Str("first_name"), sql);
  EXPECT_EQ(got.Str("last_name"), script);
  EXPECT_EQ(got.Str("title"), unicode);
  EXPECT_EQ(got.body.at("custom").at("<k>").as_string(), script);
  EXPECT_EQ(got.raw.body.find("<script>"), std::string::npos) << got.raw.body;
  EXPECT_EQ(got.raw.body.find('<'), std::string::npos);
  EXPECT_NE(got.raw.body.find("\\u003cscript\\u003e"), std::string::npos);
  // The table is still there, and a search for the text finds the row.
  auto list = As(manager_, "GET", "/api/v1/contacts?q=Robert");
  ASSERT_EQ(list.status(), 200) << list;
  EXPECT_EQ(list.items().size(), 1u);
  ExpectStillServing();
}

TEST_F(ContactsApiTest, FiltersSelectTheRightContacts) {
  const auto acme = Create(manager_, "/api/v1/companies", {{"name", "Acme"}});
  const auto a = NewContact("a@x.example", {{"source", "event"}, {"owner_id", rep1_id_}});
  clock_.Advance(1h);
  const auto b = NewContact("b@x.example", {{"source", "organic_search"},
                                            {"campaign", "spring"},
                                            {"company_id", acme},
                                            {"stage", "mql"}});
  clock_.Advance(1h);
  const auto c = NewContact(
      "c@x.example", {{"first_name", "Grace"}, {"last_name", "Hopper"}, {"owner_id", rep2_id_}});
  auto ids = [&](const std::string& query) {
    auto r = As(rep1_, "GET", "/api/v1/contacts" + query);
    EXPECT_EQ(r.status(), 200) << query << " " << r;
    std::vector<core::Id> out;
    if (r.status() == 200) {
      for (const auto& item : r.items()) out.push_back(item.at("id").as_int64());
    }
    return out;
  };
  using V = std::vector<core::Id>;
  EXPECT_EQ(ids(""), (V{c, b, a}));  // newest first by default
  EXPECT_EQ(ids("?stage=mql"), V{b});
  EXPECT_EQ(ids("?owner_id=" + std::to_string(rep1_id_)), V{a});
  EXPECT_EQ(ids("?owner=none"), V{b});
  EXPECT_EQ(ids("?source=event"), V{a});
  EXPECT_EQ(ids("?campaign=spring"), V{b});
  EXPECT_EQ(ids("?company_id=" + std::to_string(acme)), V{b});
  EXPECT_EQ(ids("?created_from=" + core::FormatInstant(kT0 + 1h)), (V{c, b}));
  EXPECT_EQ(ids("?created_to=" + core::FormatInstant(kT0 + 1h)), V{a});
  EXPECT_EQ(ids("?q=grace"), V{c});
  EXPECT_EQ(ids("?q=hop&stage=lead"), V{c});
  EXPECT_EQ(ids("?stage=customer"), V{});

  ExpectError(As(rep1_, "GET", "/api/v1/contacts?stage=hot"), 400, "invalid_argument", "stage");
  ExpectError(As(rep1_, "GET", "/api/v1/contacts?owner=someone"), 400, "invalid_argument", "owner");
  ExpectError(As(rep1_, "GET", "/api/v1/contacts?owner=none&owner_id=3"), 400, "invalid_argument",
              "owner");
  ExpectError(As(rep1_, "GET", "/api/v1/contacts?created_from=last+week"), 400, "invalid_argument",
              "created_from");
  ExpectError(As(rep1_, "GET", "/api/v1/contacts?colour=red"), 400, "invalid_argument", "colour");
  ExpectError(As(rep1_, "GET", "/api/v1/contacts?sort=age"), 400, "invalid_argument", "sort");
}

// The funnel's click-through: the contacts that reached a stage in a period, and of those the
// ones that reached the next stage within the window or not.
TEST_F(ContactsApiTest, ReachFilterListsTheContactsBehindAFunnelCount) {
  const auto a = NewContact("a@x.example");  // lead at kT0
  clock_.Advance(1h);
  const auto b = NewContact("b@x.example", {{"stage", "mql"}});  // lead and mql at kT0 + 1h
  clock_.Advance(72h);
  manager_ = Login("manager@acme.example");  // the first sessions have expired by then
  rep1_ = Login("rep1@acme.example");
  auto moved = As(manager_, "POST", "/api/v1/contacts/" + std::to_string(a) + "/stage",
                  R"({"stage":"mql"})");  // a: mql at kT0 + 73h
  ASSERT_EQ(moved.status(), 200) << moved;
  auto ids = [&](const std::string& query) {
    auto r = As(rep1_, "GET", "/api/v1/contacts" + query);
    EXPECT_EQ(r.status(), 200) << query << " " << r;
    std::vector<core::Id> out;
    if (r.status() == 200) {
      for (const auto& item : r.items()) out.push_back(item.at("id").as_int64());
    }
    return out;
  };
  auto range = [](std::chrono::hours from, std::chrono::hours to) {
    return "&reached_from=" + core::FormatInstant(kT0 + from) +
           "&reached_to=" + core::FormatInstant(kT0 + to);
  };
  using V = std::vector<core::Id>;
  EXPECT_EQ(ids("?reached=lead" + range(0h, 1h)), V{a});
  EXPECT_EQ(ids("?reached=lead" + range(0h, 100h)), (V{b, a}));
  EXPECT_EQ(ids("?reached=visitor" + range(0h, 100h)), (V{b, a}));  // a lead is past visitor
  EXPECT_EQ(ids("?reached=mql" + range(0h, 2h)), V{b});
  EXPECT_EQ(ids("?reached=mql" + range(2h, 100h)), V{a});
  EXPECT_EQ(ids("?reached=sal" + range(0h, 100h)), V{});
  // lead -> mql: b at once, a after 73 hours.
  EXPECT_EQ(ids("?reached=lead&converted=true&window_days=1" + range(0h, 100h)), V{b});
  EXPECT_EQ(ids("?reached=lead&converted=false&window_days=1" + range(0h, 100h)), V{a});
  EXPECT_EQ(ids("?reached=lead&converted=true&window_days=4" + range(0h, 100h)), (V{b, a}));
  EXPECT_EQ(ids("?reached=lead&converted=true" + range(0h, 100h)), (V{b, a}));  // 90 days
  EXPECT_EQ(ids("?reached=lead&stage=mql&owner=none" + range(0h, 100h)), (V{b, a}));
  EXPECT_EQ(ids("?reached=lead&q=b" + range(0h, 100h)), V{b});

  const std::string c = "/api/v1/contacts";
  ExpectError(As(rep1_, "GET", c + "?reached=lead"), 400, "invalid_argument", "reached_from");
  ExpectError(As(rep1_, "GET", c + "?reached=lead&reached_from=2026-01-01"), 400,
              "invalid_argument", "reached_to");
  ExpectError(As(rep1_, "GET", c + "?reached_from=2026-01-01"), 400, "invalid_argument",
              "reached_from");
  ExpectError(As(rep1_, "GET", c + "?converted=true"), 400, "invalid_argument", "converted");
  ExpectError(As(rep1_, "GET", c + "?reached=recycled" + range(0h, 1h)), 400, "invalid_argument",
              "reached");
  ExpectError(As(rep1_, "GET", c + "?reached=customer&converted=true" + range(0h, 1h)), 400,
              "invalid_argument", "converted");
  ExpectError(As(rep1_, "GET", c + "?reached=lead&converted=maybe" + range(0h, 1h)), 400,
              "invalid_argument", "converted");
  ExpectError(As(rep1_, "GET", c + "?reached=lead&window_days=0" + range(0h, 1h)), 400,
              "invalid_argument", "window_days");
  ExpectError(As(rep1_, "GET", c + "?reached=lead" + range(1h, 1h)), 400, "invalid_argument",
              "reached_to");
}

// The period view's click-through: the contacts that moved out of a stage in a period, forward
// (passing the step) or dropped (to recycled or disqualified).
TEST_F(ContactsApiTest, MoveFilterListsTheContactsBehindAPeriodCount) {
  const auto a = NewContact("a@x.example");  // lead at kT0
  clock_.Advance(1h);
  const auto b = NewContact("b@x.example", {{"stage", "mql"}});  // first stage mql: no move
  clock_.Advance(72h);
  manager_ = Login("manager@acme.example");
  rep1_ = Login("rep1@acme.example");
  const std::string c = "/api/v1/contacts";
  auto moved = As(manager_, "POST", c + "/" + std::to_string(a) + "/stage", R"({"stage":"mql"})");
  ASSERT_EQ(moved.status(), 200) << moved;  // a: lead -> mql at kT0 + 73h
  clock_.Advance(1h);
  moved = As(manager_, "POST", c + "/" + std::to_string(b) + "/stage",
             R"({"stage":"disqualified","reason":"no budget"})");
  ASSERT_EQ(moved.status(), 200) << moved;  // b: mql -> disqualified at kT0 + 74h
  auto ids = [&](const std::string& query) {
    auto r = As(rep1_, "GET", c + query);
    EXPECT_EQ(r.status(), 200) << query << " " << r;
    std::vector<core::Id> out;
    if (r.status() == 200) {
      for (const auto& item : r.items()) out.push_back(item.at("id").as_int64());
    }
    return out;
  };
  auto range = [](std::chrono::hours from, std::chrono::hours to) {
    return "&moved_out_from=" + core::FormatInstant(kT0 + from) +
           "&moved_out_to=" + core::FormatInstant(kT0 + to);
  };
  using V = std::vector<core::Id>;
  EXPECT_EQ(ids("?moved_out=lead&moved=forward" + range(0h, 100h)), V{a});
  EXPECT_EQ(ids("?moved_out=lead" + range(0h, 100h)), V{a});  // any
  EXPECT_EQ(ids("?moved_out=lead&moved=dropped" + range(0h, 100h)), V{});
  EXPECT_EQ(ids("?moved_out=mql&moved=dropped" + range(0h, 100h)), V{b});
  EXPECT_EQ(ids("?moved_out=mql&moved=forward" + range(0h, 100h)), V{});
  EXPECT_EQ(ids("?moved_out=mql&moved=any" + range(0h, 100h)), V{b});
  EXPECT_EQ(ids("?moved_out=lead" + range(0h, 73h)), V{});  // the end is excluded
  EXPECT_EQ(ids("?moved_out=lead" + range(73h, 74h)), V{a});
  EXPECT_EQ(ids("?moved_out=mql&stage=disqualified&owner=none" + range(0h, 100h)), V{b});
  EXPECT_EQ(ids("?moved_out=mql&stage=mql" + range(0h, 100h)), V{});
  EXPECT_EQ(ids("?moved_out=lead&q=a&reached=mql&reached_from=" + core::FormatInstant(kT0) +
                "&reached_to=" + core::FormatInstant(kT0 + 100h) + range(0h, 100h)),
            V{a});

  ExpectError(As(rep1_, "GET", c + "?moved_out=lead"), 400, "invalid_argument", "moved_out_from");
  ExpectError(As(rep1_, "GET", c + "?moved_out=lead&moved_out_from=2026-01-01"), 400,
              "invalid_argument", "moved_out_to");
  ExpectError(As(rep1_, "GET", c + "?moved_out_from=2026-01-01"), 400, "invalid_argument",
              "moved_out_from");
  ExpectError(As(rep1_, "GET", c + "?moved_out_to=2026-01-01"), 400, "invalid_argument",
              "moved_out_to");
  ExpectError(As(rep1_, "GET", c + "?moved=forward"), 400, "invalid_argument", "moved");
  ExpectError(As(rep1_, "GET", c + "?moved_out=customer" + range(0h, 1h)), 400, "invalid_argument",
              "moved_out");
  ExpectError(As(rep1_, "GET", c + "?moved_out=recycled" + range(0h, 1h)), 400, "invalid_argument",
              "moved_out");
  ExpectError(As(rep1_, "GET", c + "?moved_out=lead&moved=sideways" + range(0h, 1h)), 400,
              "invalid_argument", "moved");
  ExpectError(
      As(rep1_, "GET", c + "?moved_out=lead&moved_out_from=yesterday&moved_out_to=2026-01-01"), 400,
      "invalid_argument", "moved_out_from");
  ExpectError(As(rep1_, "GET", c + "?moved_out=lead" + range(2h, 1h)), 400, "invalid_argument",
              "moved_out_to");
}

TEST_F(ContactsApiTest, SortsByEveryKeyBothWays) {
  NewContact("b@x.example", {{"last_name", "Curie"}});
  clock_.Advance(1s);
  NewContact("c@x.example", {{"last_name", "Arendt"}});
  clock_.Advance(1s);
  NewContact("a@x.example", {{"last_name", "Bohr"}});
  auto emails = [&](const std::string& sort) {
    auto r = As(manager_, "GET", "/api/v1/contacts?sort=" + sort);
    EXPECT_EQ(r.status(), 200) << r;
    std::string out;
    for (const auto& item : r.items()) out += S(item.at("email")).substr(0, 1);
    return out;
  };
  EXPECT_EQ(emails("email"), "abc");
  EXPECT_EQ(emails("-email"), "cba");
  EXPECT_EQ(emails("last_name"), "cab");
  EXPECT_EQ(emails("-last_name"), "bac");
  EXPECT_EQ(emails("created_at"), "bca");
  EXPECT_EQ(emails("-created_at"), "acb");
  EXPECT_EQ(emails("updated_at"), "bca");
}

TEST_F(ContactsApiTest, CursorPaginationWalksEveryRowOnce) {
  std::set<core::Id> all;
  for (int i = 0; i < 11; ++i) {
    all.insert(NewContact("p" + std::to_string(i) + "@x.example"));
    if (i % 3 == 0) clock_.Advance(1s);  // ties on created_at are broken by id
  }
  for (const std::string sort : {"-created_at", "email", "-last_name"}) {
    std::set<core::Id> seen;
    std::string cursor;
    int pages = 0;
    for (;;) {
      auto r =
          As(manager_, "GET",
             "/api/v1/contacts?limit=4&sort=" + sort + (cursor.empty() ? "" : "&cursor=" + cursor));
      ASSERT_EQ(r.status(), 200) << r;
      ++pages;
      for (const auto& item : r.items()) {
        EXPECT_TRUE(seen.insert(item.at("id").as_int64()).second) << "seen twice";
      }
      if (r.body.at("next_cursor").is_null()) break;
      cursor = r.Str("next_cursor");
      ASSERT_LT(pages, 10);
    }
    EXPECT_EQ(pages, 3) << sort;
    EXPECT_EQ(seen, all) << sort;
  }
}

TEST_F(ContactsApiTest, LimitsAndCursorsAreChecked) {
  for (int i = 0; i < 3; ++i) NewContact("l" + std::to_string(i) + "@x.example");
  auto first = As(manager_, "GET", "/api/v1/contacts?limit=2");
  ASSERT_EQ(first.status(), 200);
  EXPECT_EQ(first.items().size(), 2u);
  const std::string cursor = first.Str("next_cursor");
  ExpectError(As(manager_, "GET", "/api/v1/contacts?limit=0"), 400, "invalid_argument", "limit");
  ExpectError(As(manager_, "GET", "/api/v1/contacts?limit=501"), 400, "invalid_argument", "limit");
  ExpectError(As(manager_, "GET", "/api/v1/contacts?limit=two"), 400, "invalid_argument", "limit");
  EXPECT_EQ(As(manager_, "GET", "/api/v1/contacts?limit=500").status(), 200);
  ExpectError(As(manager_, "GET", "/api/v1/contacts?cursor=garbage!"), 400, "invalid_argument",
              "cursor");
  ExpectError(As(manager_, "GET", "/api/v1/contacts?cursor=" + cursor.substr(1)), 400,
              "invalid_argument", "cursor");
  // A cursor of one sort order cannot be used with another.
  ExpectError(As(manager_, "GET", "/api/v1/contacts?sort=email&cursor=" + cursor), 400,
              "invalid_argument", "cursor");
  auto second = As(manager_, "GET", "/api/v1/contacts?limit=2&cursor=" + cursor);
  ASSERT_EQ(second.status(), 200) << second;
  EXPECT_EQ(second.items().size(), 1u);
  EXPECT_TRUE(second.body.at("next_cursor").is_null());
}

TEST_F(ContactsApiTest, StageTransitionsShowInHistoryAndTimeline) {
  const auto id = NewContact("flow@x.example", {{"owner_id", rep1_id_}});
  const std::string path = "/api/v1/contacts/" + std::to_string(id);
  clock_.Advance(1h);
  auto mql = As(marketer_, "POST", path + "/stage", R"({"stage":"mql"})");
  ASSERT_EQ(mql.status(), 200) << mql;
  EXPECT_EQ(mql.Str("stage"), "mql");
  EXPECT_EQ(mql.Str("stage_entered_at"), core::FormatInstant(kT0 + 1h));
  clock_.Advance(1h);
  auto sal = As(rep1_, "POST", path + "/stage", R"({"stage":"sal","reason":"called back"})");
  ASSERT_EQ(sal.status(), 200) << sal;

  auto history = As(rep2_, "GET", path + "/history");
  ASSERT_EQ(history.status(), 200) << history;
  ASSERT_EQ(history.items().size(), 3u);
  const auto& h = history.items();
  EXPECT_TRUE(h[0].at("from").is_null());
  EXPECT_EQ(S(h[0].at("to")), "lead");
  EXPECT_EQ(S(h[0].at("cause")), "created");
  EXPECT_EQ(S(h[1].at("from")), "lead");
  EXPECT_EQ(S(h[1].at("to")), "mql");
  EXPECT_EQ(h[1].at("actor").at("user_id").as_int64(), marketer_id_);
  EXPECT_EQ(S(h[1].at("actor").at("name")), "marketer@acme.example");
  EXPECT_EQ(S(h[2].at("to")), "sal");
  EXPECT_EQ(S(h[2].at("reason")), "called back");
  EXPECT_EQ(S(h[2].at("at")), core::FormatInstant(kT0 + 2h));
  EXPECT_TRUE(history.body.at("next_cursor").is_null());

  Create(rep1_, "/api/v1/activities",
         {{"type", "call"},
          {"contact_id", id},
          {"subject", "Discovery"},
          {"occurred_at", core::FormatInstant(kT0 + 90min)}});
  auto timeline = As(rep1_, "GET", path + "/timeline");
  ASSERT_EQ(timeline.status(), 200) << timeline;
  std::vector<std::string> kinds;
  for (const auto& item : timeline.items()) kinds.emplace_back(item.at("kind").as_string());
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"stage_change", "activity", "stage_change", "stage_change"}));
  EXPECT_EQ(S(timeline.items()[0].at("stage_change").at("to")), "sal");
  EXPECT_TRUE(timeline.items()[0].at("activity").is_null());
  EXPECT_EQ(S(timeline.items()[1].at("activity").at("subject")), "Discovery");
}

TEST_F(ContactsApiTest, ImpossibleTransitionIsA422NamingTheAllowedStages) {
  const auto id = NewContact("back@x.example", {{"stage", "sal"}});
  const std::string path = "/api/v1/contacts/" + std::to_string(id) + "/stage";
  auto r = As(manager_, "POST", path, R"({"stage":"lead"})");
  ExpectError(r, 422, "failed_precondition", "stage");
  EXPECT_NE(r.ErrorMessage().find("allowed next stages: sql, opportunity, customer, recycled, "
                                  "disqualified"),
            std::string::npos)
      << r;
  ExpectError(As(manager_, "POST", path, R"({"stage":"sal"})"), 422, "failed_precondition",
              "stage");
  ExpectError(As(manager_, "POST", path, R"({"stage":"recycled"})"), 400, "invalid_argument",
              "reason");
  ExpectError(As(manager_, "POST", path, R"({"stage":"won"})"), 400, "invalid_argument", "stage");
  ExpectError(As(manager_, "POST", path, R"({})"), 400, "invalid_argument", "stage");
  auto recycled = As(manager_, "POST", path, R"({"stage":"recycled","reason":"no budget"})");
  EXPECT_EQ(recycled.status(), 200) << recycled;
  ExpectStillServing();
}

TEST_F(ContactsApiTest, RolesAreEnforced) {
  const auto mine = NewContact("mine@x.example", {{"owner_id", rep1_id_}});
  const std::string path = "/api/v1/contacts/" + std::to_string(mine);
  // A sales rep cannot edit, move or delete another rep's contact.
  ExpectError(As(rep2_, "PATCH", path, R"({"title":"x"})"), 403, "permission_denied", "");
  ExpectError(As(rep2_, "POST", path + "/stage", R"({"stage":"mql"})"), 403, "permission_denied",
              "");
  ExpectError(As(rep2_, "DELETE", path), 403, "permission_denied", "");
  EXPECT_EQ(As(rep1_, "PATCH", path, R"({"title":"x"})").status(), 200);
  // Nor create one for someone else.
  ExpectError(As(rep2_, "POST", "/api/v1/contacts",
                 R"({"email":"z@x.example","owner_id":)" + std::to_string(rep1_id_) + "}"),
              403, "permission_denied", "");
  // Marketing cannot accept a lead for sales.
  EXPECT_EQ(As(marketer_, "POST", path + "/stage", R"({"stage":"mql"})").status(), 200);
  auto sal = As(marketer_, "POST", path + "/stage", R"({"stage":"sal"})");
  ExpectError(sal, 403, "permission_denied", "");
  EXPECT_NE(sal.ErrorMessage().find("marketing"), std::string::npos);
  // A sales rep's contact is theirs by default.
  auto own = As(rep2_, "POST", "/api/v1/contacts", R"({"email":"rep2s@x.example"})");
  ASSERT_EQ(own.status(), 201);
  EXPECT_EQ(own.Int("owner_id"), rep2_id_);
  ExpectStillServing();
}

}  // namespace
}  // namespace tandem::api::apitest
