// Web capture through the API: form definitions (/api/v1/forms), public posts (/f/{id}) with
// CORS, honeypot, rate limits and every refused input, the tracker (/t.js, /t/e), and a form
// post joining a visitor's earlier page views to the contact and qualifying it.
#include "api_fixture.hpp"

namespace tandem::api::apitest {
namespace {

constexpr const char* kSite = "https://www.acme.example";

class CaptureApiTest : public ApiTest {
 protected:
  ApiSettings Settings() override {
    ApiSettings s;
    s.form_burst = 8;
    s.form_per_minute = 60;  // one a second after the burst
    return s;
  }

  json::object FormBody() {
    return json::object{
        {"name", "Demo request"},
        {"fields", json::array{json::object{{"name", "email"}, {"property", "email"}},
                               json::object{{"name", "first_name"}, {"property", "first_name"}},
                               json::object{{"name", "company"}, {"property", "company"}},
                               json::object{{"name", "job"}, {"property", "title"}},
                               json::object{{"name", "size"}, {"property", "custom.team_size"}}}},
        {"consent_text", "Acme may contact me about its products."},
        {"utm_source", "website"},
        {"utm_medium", "form"},
        {"utm_campaign", "spring-demo"},
        {"allowed_origins", json::array{kSite}},
        {"redirect_url", "https://www.acme.example/thanks"}};
  }

  // Creates a form as marketing and returns its public id.
  std::string MakeForm(json::object body) {
    auto r = As(marketer_, "POST", "/api/v1/forms", WriteJson(body));
    EXPECT_EQ(r.status(), 201) << r;
    form_id_ = r.status() == 201 ? r.Int("id") : 0;
    return r.status() == 201 ? r.Str("public_id") : std::string();
  }

  Reply Post(const std::string& public_id, std::string body, HeaderList headers = {},
             std::string ip = "203.0.113.7") {
    bool typed = false;
    for (const auto& [k, v] : headers) typed = typed || k == "Content-Type";
    if (!typed) headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return Send("POST", "/f/" + public_id, std::move(body), std::move(headers), std::move(ip));
  }

  std::int64_t Contacts() {
    std::int64_t n = -1;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(n, tx.contacts().CountAll());
      return {};
    }));
    return n;
  }

  std::vector<core::FormSubmission> Submissions() {
    std::vector<core::FormSubmission> out;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(out, tx.forms().ListSubmissions(form_id_, 100));
      return {};
    }));
    return out;
  }

  std::optional<core::Contact> ContactByEmail(const std::string& email) {
    std::optional<core::Contact> c;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(c, tx.contacts().FindByEmail(email));
      return {};
    }));
    return c;
  }

  std::string MakeSite() {
    auto r = As(marketer_, "POST", "/api/v1/sites",
                WriteJson(json::object{{"name", "www"}, {"allowed_origins", json::array{kSite}}}));
    EXPECT_EQ(r.status(), 201) << r;
    return r.status() == 201 ? r.Str("public_key") : std::string();
  }

  Reply Track(const json::object& body, HeaderList headers = {{"Origin", kSite}}) {
    headers.emplace_back("Content-Type", "text/plain;charset=UTF-8");
    return Send("POST", "/t/e", WriteJson(body), std::move(headers), "198.51.100.1");
  }

  double Counter(const std::string& series) {
    const std::string text = metrics_.Render();
    const auto at = text.find(series + " ");
    if (at == std::string::npos) return 0;
    return std::stod(text.substr(at + series.size() + 1));
  }

  core::Id form_id_ = 0;
};

TEST_F(CaptureApiTest, MarketingCreatesListsUpdatesAndArchivesForms) {
  auto created = As(marketer_, "POST", "/api/v1/forms", WriteJson(FormBody()));
  ASSERT_EQ(created.status(), 201) << created;
  const std::string public_id = created.Str("public_id");
  EXPECT_GE(public_id.size(), 24u);
  EXPECT_EQ(created.Str("post_url"), "/f/" + public_id);
  EXPECT_TRUE(created.obj().at("fields").as_array()[0].at("required").as_bool());
  const std::string one = "/api/v1/forms/" + std::to_string(created.Int("id"));
  EXPECT_EQ(created.Header("Location"), one);

  // Public ids are unguessable: two forms never share one.
  auto second = As(marketer_, "POST", "/api/v1/forms", WriteJson(FormBody()));
  ASSERT_EQ(second.status(), 201);
  EXPECT_NE(second.Str("public_id"), public_id);

  auto patched = As(marketer_, "PATCH", one,
                    R"({"name":"Contact us","fields":[{"name":"mail","property":"email"}],
                        "consent_required":true})");
  ASSERT_EQ(patched.status(), 200) << patched;
  EXPECT_EQ(patched.Str("name"), "Contact us");
  EXPECT_EQ(patched.obj().at("fields").as_array().size(), 1u);
  EXPECT_EQ(patched.Str("public_id"), public_id);

  auto got = As(rep1_, "GET", one);  // everyone reads
  ASSERT_EQ(got.status(), 200);
  EXPECT_TRUE(got.obj().at("consent_required").as_bool());

  auto archived = As(marketer_, "DELETE", one);
  ASSERT_EQ(archived.status(), 200);
  EXPECT_TRUE(archived.obj().at("archived").as_bool());
  EXPECT_EQ(As(manager_, "GET", "/api/v1/forms").items().size(), 1u);
  EXPECT_EQ(As(manager_, "GET", "/api/v1/forms?archived=true").items().size(), 2u);

  auto audit =
      As(admin_, "GET", "/api/v1/audit?entity=form&entity_id=" + std::to_string(created.Int("id")));
  ASSERT_EQ(audit.status(), 200) << audit;
  EXPECT_EQ(audit.items().size(), 3u);  // create, update, archive
}

TEST_F(CaptureApiTest, FormDefinitionsAreValidatedAndOnlyMarketingAndAdminsWrite) {
  auto rep = As(rep1_, "POST", "/api/v1/forms", WriteJson(FormBody()));
  EXPECT_EQ(rep.status(), 403) << rep;
  auto manager = As(manager_, "POST", "/api/v1/forms", WriteJson(FormBody()));
  EXPECT_EQ(manager.status(), 403) << manager;

  auto body = FormBody();
  body["fields"] = json::array{json::object{{"name", "first"}, {"property", "first_name"}}};
  auto no_email = As(marketer_, "POST", "/api/v1/forms", WriteJson(body));
  EXPECT_EQ(no_email.status(), 400);
  EXPECT_EQ(no_email.ErrorField(), "fields");

  body = FormBody();
  body["allowed_origins"] = json::array{"https://acme.example/contact"};
  auto bad_origin = As(marketer_, "POST", "/api/v1/forms", WriteJson(body));
  EXPECT_EQ(bad_origin.status(), 400);
  EXPECT_EQ(bad_origin.ErrorField(), "allowed_origins[0]");

  body = FormBody();
  body["fields"].as_array()[1].as_object()["property"] = "salary";
  auto bad_property = As(marketer_, "POST", "/api/v1/forms", WriteJson(body));
  EXPECT_EQ(bad_property.status(), 400);
  EXPECT_EQ(bad_property.ErrorField(), "fields[1].property");

  body = FormBody();
  body["colour"] = "red";
  EXPECT_EQ(As(marketer_, "POST", "/api/v1/forms", WriteJson(body)).ErrorField(), "colour");
  EXPECT_EQ(As(marketer_, "GET", "/api/v1/forms/999").status(), 404);
}

TEST_F(CaptureApiTest, BrowserPostCreatesContactEventAndConsentThenRedirects) {
  const std::string id = MakeForm(FormBody());
  auto r = Post(id,
                "email=Ada%40Example.com&first_name=Ada&company=Analytical+Engines&job=CTO"
                "&size=12&consent=on&submit=Send",
                {{"Origin", kSite}, {"Referer", "https://www.acme.example/demo"}});
  ASSERT_EQ(r.status(), 303) << r;
  EXPECT_EQ(r.Header("Location"), "https://www.acme.example/thanks");
  EXPECT_EQ(r.Header("Access-Control-Allow-Origin"), kSite);

  auto c = ContactByEmail("ada@example.com");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->first_name, "Ada");
  EXPECT_EQ(c->title, "CTO");
  EXPECT_EQ(c->custom.at("company"), "Analytical Engines");
  EXPECT_EQ(c->custom.at("team_size"), "12");
  EXPECT_EQ(c->source, "website");
  EXPECT_EQ(c->campaign, "spring-demo");

  auto events = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(c->id) + "/events");
  ASSERT_EQ(events.status(), 200);
  ASSERT_EQ(events.items().size(), 1u);
  const auto& e = events.items()[0];
  EXPECT_EQ(S(e.at("type")), "form_submit");
  EXPECT_EQ(S(e.at("utm_campaign")), "spring-demo");
  EXPECT_EQ(S(e.at("utm_medium")), "form");

  auto subs = As(marketer_, "GET", "/api/v1/forms/" + std::to_string(form_id_) + "/submissions");
  ASSERT_EQ(subs.status(), 200) << subs;
  ASSERT_EQ(subs.items().size(), 1u);
  EXPECT_TRUE(subs.items()[0].at("consent_given").as_bool());
  EXPECT_EQ(S(subs.items()[0].at("consent_text")), "Acme may contact me about its products.");
  EXPECT_EQ(subs.items()[0].at("contact_id").as_int64(), c->id);
  EXPECT_EQ(S(subs.items()[0].at("submitted_at")), core::FormatInstant(kT0));

  // The consent per contact (docs/privacy.md), pointing at the form and its post.
  auto consents = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(c->id) + "/consents");
  ASSERT_EQ(consents.status(), 200) << consents;
  ASSERT_EQ(consents.items().size(), 1u);
  const auto& consent = consents.items()[0];
  EXPECT_EQ(S(consent.at("source")), "form");
  EXPECT_EQ(S(consent.at("purpose")), "form: Demo request");
  EXPECT_EQ(S(consent.at("text")), "Acme may contact me about its products.");
  EXPECT_EQ(consent.at("form_id").as_int64(), form_id_);
  EXPECT_EQ(consent.at("submission_id").as_int64(), subs.items()[0].at("id").as_int64());
  EXPECT_EQ(S(consent.at("given_at")), core::FormatInstant(kT0));
}

TEST_F(CaptureApiTest, FetchPostGetsJsonAndSecondPostUpdatesTheSameContact) {
  const std::string id = MakeForm(FormBody());
  auto first = Post(id, R"({"email":"grace@example.com","first_name":"Grace"})",
                    {{"Content-Type", "application/json"}, {"Origin", kSite}});
  ASSERT_EQ(first.status(), 200) << first;
  EXPECT_EQ(first.raw.body, R"({"ok":true})");
  const auto before = Contacts();
  auto second = Post(id, "email=GRACE%40example.com&job=Rear+Admiral",
                     {{"Accept", "application/json"}, {"Origin", kSite}});
  ASSERT_EQ(second.status(), 200) << second;
  EXPECT_EQ(Contacts(), before);  // upsert by email: never a duplicate
  auto c = ContactByEmail("grace@example.com");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->first_name, "Grace");  // not posted again: kept
  EXPECT_EQ(c->title, "Rear Admiral");
  EXPECT_EQ(Submissions().size(), 2u);
  EXPECT_FALSE(Submissions()[0].consent_given);
  // No box ticked, no consent recorded.
  auto consents = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(c->id) + "/consents");
  ASSERT_EQ(consents.status(), 200) << consents;
  EXPECT_TRUE(consents.items().empty());
}

TEST_F(CaptureApiTest, BadPostsAre422NamingTheFieldAndStoreNothing) {
  auto body = FormBody();
  body["consent_required"] = true;
  const std::string id = MakeForm(body);
  const auto before = Contacts();
  struct Case {
    std::string body;
    std::string field;
  };
  for (const Case& c :
       {Case{"first_name=Ada&consent=on", "email"}, Case{"email=&consent=on", "email"},
        Case{"email=not-an-email&consent=on", "email"}, Case{"email=a%40b.example", "consent"},
        Case{"email=a%40b.example&consent=on&job=" + std::string(300, 'x'), "job"},
        Case{"email=a%40b.example&consent=on&job=A%01B", "job"},
        Case{"email=a%40b.example&email=c%40d.example&consent=on", "email"}}) {
    auto r = Post(id, c.body);
    EXPECT_EQ(r.status(), 422) << c.body << " " << r;
    EXPECT_EQ(r.ErrorField(), c.field) << c.body;
  }
  auto nested = Post(id, R"({"email":"a@b.example","consent":true,"job":{"x":1}})",
                     {{"Content-Type", "application/json"}});
  EXPECT_EQ(nested.status(), 422) << nested;
  EXPECT_EQ(nested.ErrorField(), "job");
  EXPECT_EQ(Contacts(), before);
  EXPECT_TRUE(Submissions().empty());
}

TEST_F(CaptureApiTest, UnknownArchivedOversizedMalformedAndUnsupportedPostsAreRefused) {
  const std::string id = MakeForm(FormBody());
  EXPECT_EQ(Post("f_doesnotexistdoesnotexist", "email=a%40b.example").status(), 404);
  EXPECT_EQ(Post("x", "email=a%40b.example").status(), 404);  // not even the shape of an id

  auto big = Post(id, "email=a%40b.example&job=" + std::string(64 * 1024, 'x'));
  EXPECT_EQ(big.status(), 413) << big;

  auto raw = Post(id, "email=a%40b.example&first_name=\xC3\x28");
  EXPECT_EQ(raw.status(), 400) << raw;
  auto escaped = Post(id, "email=a%40b.example&first_name=%C3%28");
  EXPECT_EQ(escaped.status(), 400) << escaped;
  EXPECT_EQ(escaped.ErrorField(), "first_name");
  auto bad_json = Post(id, "{\"email\":\"a@b.example\",\"first_name\":\"\xff\"}",
                       {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad_json.status(), 400) << bad_json;
  auto multipart = Post(id, "--x\r\n", {{"Content-Type", "multipart/form-data; boundary=x"}});
  EXPECT_EQ(multipart.status(), 415) << multipart;
  EXPECT_EQ(Contacts(), 0);

  ASSERT_EQ(As(marketer_, "DELETE", "/api/v1/forms/" + std::to_string(form_id_)).status(), 200);
  auto gone = Post(id, "email=a%40b.example");
  EXPECT_EQ(gone.status(), 410) << gone;
  EXPECT_EQ(gone.ErrorCode(), "gone");
  EXPECT_EQ(Send("OPTIONS", "/f/" + id, "", {{"Origin", kSite}}).status(), 410);
  EXPECT_EQ(Contacts(), 0);
}

TEST_F(CaptureApiTest, FilledHoneypotAnswersLikeSuccessStoresNothingAndIsCounted) {
  const std::string id = MakeForm(FormBody());
  auto bot = Post(id, "email=bot%40spam.example&first_name=Buy&_hp=http%3A%2F%2Fspam",
                  {{"Origin", kSite}});
  auto person = Post(id, "email=ada%40example.com&_hp=", {{"Origin", kSite}});
  ASSERT_EQ(bot.status(), 303) << bot;
  EXPECT_EQ(bot.status(), person.status());
  EXPECT_EQ(bot.Header("Location"), person.Header("Location"));
  auto json_bot =
      Post(id, R"({"email":"bot@spam.example","_hp":"x"})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(json_bot.raw.body, R"({"ok":true})");
  EXPECT_FALSE(ContactByEmail("bot@spam.example"));
  EXPECT_TRUE(ContactByEmail("ada@example.com"));
  EXPECT_EQ(Submissions().size(), 1u);
  EXPECT_EQ(Counter(R"(tandem_capture_form_posts_total{outcome="spam"})"), 2);
  EXPECT_EQ(Counter(R"(tandem_capture_form_posts_total{outcome="accepted"})"), 1);
}

TEST_F(CaptureApiTest, FloodFromOneAddressIs429UntilTokensComeBack) {
  const std::string id = MakeForm(FormBody());
  for (int i = 0; i < 8; ++i) {
    auto r = Post(id, "email=p" + std::to_string(i) + "%40example.com");
    ASSERT_EQ(r.status(), 303) << i << " " << r;
  }
  auto refused = Post(id, "email=p9%40example.com");
  ASSERT_EQ(refused.status(), 429) << refused;
  EXPECT_EQ(refused.Header("Retry-After"), "1");
  EXPECT_FALSE(ContactByEmail("p9@example.com"));
  // Another address, and the same address on another form, have their own buckets.
  EXPECT_EQ(Post(id, "email=q%40example.com", {}, "203.0.113.8").status(), 303);
  const std::string other = MakeForm(FormBody());
  EXPECT_EQ(Post(other, "email=r%40example.com").status(), 303);
  // X-Forwarded-For is not trusted by default: it cannot buy a new bucket.
  EXPECT_EQ(Post(id, "email=s%40example.com", {{"X-Forwarded-For", "1.2.3.4"}}).status(), 429);
  clock_.Advance(1s);
  EXPECT_EQ(Post(id, "email=p9%40example.com").status(), 303);
  EXPECT_EQ(Post(id, "email=p10%40example.com").status(), 429);
  EXPECT_EQ(Counter(R"(tandem_capture_form_posts_total{outcome="rate_limited"})"), 3);
}

class CaptureBehindProxyTest : public CaptureApiTest {
 protected:
  ApiSettings Settings() override {
    ApiSettings s = CaptureApiTest::Settings();
    s.trust_forwarded_for = true;
    return s;
  }
};

TEST_F(CaptureBehindProxyTest, LastForwardedAddressIsTheClient) {
  const std::string id = MakeForm(FormBody());
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(Post(id, "email=p" + std::to_string(i) + "%40example.com",
                   {{"X-Forwarded-For", "9.9.9.9, 198.51.100.20"}}, "10.0.0.2")
                  .status(),
              303);
  }
  // Same client behind the proxy, whatever it writes in front: limited.
  EXPECT_EQ(
      Post(id, "email=x%40example.com", {{"X-Forwarded-For", "7.7.7.7, 198.51.100.20"}}, "10.0.0.2")
          .status(),
      429);
  // Another client through the same proxy: its own bucket.
  EXPECT_EQ(Post(id, "email=y%40example.com", {{"X-Forwarded-For", "198.51.100.21"}}, "10.0.0.2")
                .status(),
            303);
}

TEST_F(CaptureApiTest, CorsAllowsOnlyTheFormsOrigins) {
  const std::string id = MakeForm(FormBody());
  auto pre = Send("OPTIONS", "/f/" + id, "",
                  {{"Origin", kSite}, {"Access-Control-Request-Method", "POST"}});
  ASSERT_EQ(pre.status(), 204) << pre;
  EXPECT_EQ(pre.Header("Access-Control-Allow-Origin"), kSite);
  EXPECT_EQ(pre.Header("Access-Control-Allow-Methods"), "POST");
  EXPECT_NE(pre.Header("Access-Control-Allow-Headers").find("Content-Type"), std::string::npos);

  auto evil_pre = Send("OPTIONS", "/f/" + id, "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(evil_pre.status(), 204);
  EXPECT_EQ(evil_pre.Header("Access-Control-Allow-Origin"), "");
  EXPECT_EQ(evil_pre.Header("Access-Control-Allow-Methods"), "");
  EXPECT_EQ(Send("OPTIONS", "/f/f_doesnotexistdoesnotexist").status(), 404);

  auto evil = Post(id, "email=a%40b.example", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(evil.status(), 403) << evil;
  EXPECT_EQ(evil.Header("Access-Control-Allow-Origin"), "");
  auto null_origin = Post(id, "email=a%40b.example", {{"Origin", "null"}});
  EXPECT_EQ(null_origin.status(), 403);
  EXPECT_EQ(Contacts(), 0);
  // No Origin at all (a server-side post): accepted, no CORS headers needed.
  auto server = Post(id, "email=a%40b.example");
  EXPECT_EQ(server.status(), 303);
  EXPECT_EQ(server.Header("Access-Control-Allow-Origin"), "");

  auto any = FormBody();
  any["allowed_origins"] = json::array{"*"};
  const std::string open = MakeForm(any);
  auto from_anywhere = Post(open, "email=b%40b.example", {{"Origin", "https://other.example"}});
  EXPECT_EQ(from_anywhere.status(), 303);
  EXPECT_EQ(from_anywhere.Header("Access-Control-Allow-Origin"), "*");
}

TEST_F(CaptureApiTest, PostedRedirectIsFollowedOnlyOnAnAllowedOrigin) {
  auto body = FormBody();
  body.erase("redirect_url");
  const std::string id = MakeForm(body);
  auto ok = Post(id, "email=a%40b.example&redirect=https%3A%2F%2Fwww.acme.example%2Fdone");
  EXPECT_EQ(ok.status(), 303);
  EXPECT_EQ(ok.Header("Location"), "https://www.acme.example/done");
  auto evil = Post(id, "email=b%40b.example&redirect=https%3A%2F%2Fevil.example%2Fphish");
  EXPECT_EQ(evil.status(), 200) << evil;  // no redirect configured: the thank-you page
  EXPECT_EQ(evil.Header("Location"), "");
  EXPECT_NE(evil.Header("Content-Type").find("text/html"), std::string::npos);
}

TEST_F(CaptureApiTest, FormPostJoinsEarlierPageViewsAndTriggersAutomaticMql) {
  // 1 point per page view, 15 per form post: 16 needs the page view to join the contact.
  auto rules = As(marketer_, "PUT", "/api/v1/scoring/rules",
                  R"({"mql":{"kind":"expression","expression":"engagement >= 16"}})");
  ASSERT_EQ(rules.status(), 200) << rules;
  const std::string key = MakeSite();
  auto view = Track({{"key", key},
                     {"type", "page_view"},
                     {"event_id", "pv-1"},
                     {"anonymous_id", "visitor.1"},
                     {"url", "https://www.acme.example/pricing"},
                     {"title", "Pricing"}});
  ASSERT_EQ(view.status(), 204) << view;
  EXPECT_EQ(view.Header("Access-Control-Allow-Origin"), kSite);

  const std::string id = MakeForm(FormBody());
  ASSERT_EQ(Post(id, "email=lin%40example.com&_tandem_aid=visitor.1", {{"Origin", kSite}}).status(),
            303);
  auto lin = ContactByEmail("lin@example.com");
  ASSERT_TRUE(lin);
  EXPECT_EQ(lin->stage, core::Stage::kMql);
  auto events = As(manager_, "GET", "/api/v1/contacts/" + std::to_string(lin->id) + "/events");
  ASSERT_EQ(events.items().size(), 2u);
  EXPECT_EQ(S(events.items()[0].at("type")), "form_submit");
  EXPECT_EQ(S(events.items()[1].at("type")), "page_view");

  // The same post without a visitor history stays a lead: the join is what qualified Lin.
  ASSERT_EQ(Post(id, "email=max%40example.com", {{"Origin", kSite}}).status(), 303);
  auto max = ContactByEmail("max@example.com");
  ASSERT_TRUE(max);
  EXPECT_EQ(max->stage, core::Stage::kLead);

  // A later page view of the identified visitor goes straight to the contact.
  ASSERT_EQ(Track({{"key", key},
                   {"type", "page_view"},
                   {"event_id", "pv-2"},
                   {"anonymous_id", "visitor.1"}})
                .status(),
            204);
  EXPECT_EQ(
      As(manager_, "GET", "/api/v1/contacts/" + std::to_string(lin->id) + "/events").items().size(),
      3u);
}

TEST_F(CaptureApiTest, TrackerTakesOnlyPageViewsAndIdentifiesFromItsOrigins) {
  const std::string key = MakeSite();
  json::object ok{{"key", key}, {"type", "page_view"}, {"event_id", "e1"}, {"anonymous_id", "v1"}};
  auto other_type = ok;
  other_type["type"] = "demo_request";
  auto r = Track(other_type);
  EXPECT_EQ(r.status(), 400) << r;
  EXPECT_EQ(r.ErrorField(), "type");
  auto unknown_field = ok;
  unknown_field["user_id"] = "42";
  EXPECT_EQ(Track(unknown_field).ErrorField(), "user_id");
  auto unknown_key = ok;
  unknown_key["key"] = "site_doesnotexistdoesnotexist";
  EXPECT_EQ(Track(unknown_key).status(), 404);
  EXPECT_EQ(Track(ok, {}).status(), 403);  // no Origin
  EXPECT_EQ(Track(ok, {{"Origin", "https://evil.example"}}).status(), 403);
  auto no_visitor = ok;
  no_visitor.erase("anonymous_id");
  EXPECT_EQ(Track(no_visitor).ErrorField(), "anonymous_id");
  auto identify = ok;
  identify["type"] = "identify";
  identify["event_id"] = "e2";
  EXPECT_EQ(Track(identify).ErrorField(), "email");
  identify["email"] = "ida@example.com";
  EXPECT_EQ(Track(identify).status(), 204);
  EXPECT_TRUE(ContactByEmail("ida@example.com"));
  auto big = Send("POST", "/t/e", std::string(17 * 1024, ' '),
                  {{"Content-Type", "text/plain"}, {"Origin", kSite}});
  EXPECT_EQ(big.status(), 413);
}

TEST_F(CaptureApiTest, TrackerScriptIsServedSmallAndCacheable) {
  auto js = Send("GET", "/t.js");
  ASSERT_EQ(js.status(), 200);
  EXPECT_EQ(js.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=3600");
  EXPECT_LT(js.raw.body.size(), 4096u);
  EXPECT_NE(js.raw.body.find("data-tandem-form"), std::string::npos);
  EXPECT_NE(js.raw.body.find("tandem_aid"), std::string::npos);
  const std::string etag = js.Header("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = Send("GET", "/t.js", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status(), 304);
  EXPECT_TRUE(again.raw.body.empty());
}

TEST_F(CaptureApiTest, PublicRoutesAreDocumentedWithTextIds) {
  auto doc = Send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(doc.status(), 200);
  const auto& post = doc.obj().at("paths").at("/f/{form_id}").at("post");
  EXPECT_EQ(S(post.at("parameters").as_array()[0].at("schema").at("type")), "string");
  EXPECT_TRUE(doc.obj().at("paths").at("/api/v1/forms").as_object().contains("post"));
}

}  // namespace
}  // namespace tandem::api::apitest
